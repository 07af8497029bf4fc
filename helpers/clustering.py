"""Clustering a latent space: parameters chosen from the data, and why.

DBSCAN needs a radius ``eps``. The classic way to read it off the data is
the sorted *k-distance* curve (Ester et al., 1996): for every point, the
distance to its ``min_samples``-th nearest neighbour (itself included,
exactly as DBSCAN counts), sorted. Dense points sit on the flat part; the
curve turns upwards at the *knee*, where sparse outskirts begin.

The knee is a rule of thumb. :func:`choose_eps` scans every radius at which
DBSCAN leaves little noise (one HDBSCAN fit holds them all) and keeps the
clustering with the most clusters among those that last while the radius
grows.

The helpers only choose and explain: every choice has ``params`` to hand to
scikit-learn, e.g. ``DBSCAN(**choice.params).fit_predict(Z)``. (Notebook 02
chooses KMeans' number of clusters with the silhouette and the BIC in its
own cells.)
"""

from __future__ import annotations

import math
import warnings
from typing import NamedTuple

import numpy as np
from sklearn.cluster import HDBSCAN, OPTICS, cluster_optics_dbscan
from sklearn.neighbors import NearestNeighbors

from helpers._validation import check_features, check_float, check_int


def default_min_samples(n_features):
    """Rule of thumb for DBSCAN/OPTICS: ``min_samples = 2 * n_features``.

    Parameters
    ----------
    n_features : int
        Dimensionality of the space being clustered.

    Returns
    -------
    int
        At least 3.
    """
    n_features = check_int(n_features, name="n_features", minimum=1)
    return max(3, 2 * n_features)


def k_distances(X, min_samples):
    """Sorted distance from each point to its ``min_samples``-th neighbour.

    The point itself counts as its first neighbour, as in DBSCAN, so a point
    whose value is at most ``eps`` is a DBSCAN core point at that ``eps``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    min_samples : int
        DBSCAN's ``min_samples`` (at least 2, at most ``n_samples``).

    Returns
    -------
    numpy.ndarray of shape (n_samples,)
        Ascending k-distances.
    """
    X = check_features(X, min_samples=3)
    min_samples = check_int(min_samples, name="min_samples", minimum=2, maximum=len(X))
    distances, _ = NearestNeighbors(n_neighbors=min_samples).fit(X).kneighbors(X)
    return np.sort(distances[:, -1])


def find_knee(values):
    """Index of the knee of an increasing, convex curve.

    The knee is the point farthest below the straight line from the first
    to the last value, after scaling both axes to [0, 1] (the "Kneedle"
    idea of Satopaa et al., 2011).

    Parameters
    ----------
    values : array-like of shape (n,)
        Sorted ascending, at least 3 values.

    Returns
    -------
    int
        Position of the knee in ``values``.
    """
    values = check_features(values, name="values", min_samples=3, ndim=1)
    if np.any(np.diff(values) < 0):
        raise ValueError("values must be sorted in ascending order")
    span = values[-1] - values[0]
    if span == 0:
        raise ValueError("values are all equal: the curve has no knee")
    x = np.linspace(0.0, 1.0, len(values))
    y = (values - values[0]) / span
    return int(np.argmax(x - y))


class EpsChoice(NamedTuple):
    """How :func:`choose_eps` picked DBSCAN's radius, for plotting and reporting.

    Pass ``choice.params`` to scikit-learn: ``DBSCAN(**choice.params)``
    uses the radius *and* the ``min_samples`` it was chosen for.

    Attributes
    ----------
    eps : float
        The chosen radius.
    min_samples : int
        DBSCAN's ``min_samples`` the choice was made for.
    knee_eps : float
        The k-distance at the knee of the curve (shown for reference: the
        classic rule of thumb for ``eps``).
    k_distances : numpy.ndarray
        The sorted k-distance curve.
    knee_index : int
        Position of the knee on that curve.
    candidates : numpy.ndarray
        Radii scanned, log-spaced from the smallest radius that leaves at
        most ``max_noise`` of the points as noise up to the radius at which
        every point joins one cluster.
    n_clusters : numpy.ndarray of int
        Clusters DBSCAN finds at each candidate that hold at least
        ``min_cluster_fraction`` of the points (noise excluded).
    noise_fraction : numpy.ndarray of float
        Share of points DBSCAN calls noise at each candidate.
    stable_range : tuple of float or None
        First and last candidate of the run that gave the chosen clustering;
        ``None`` if no run of two or more clusters lasted long enough.
    min_cluster_fraction : float
        Smallest share of the points a cluster needed to be counted.
    max_noise : float
        Largest share of noise allowed in the scan.
    min_persistence : float
        Factor by which ``eps`` must be able to grow while the clustering
        stays the same, for the clustering to count.
    labels : numpy.ndarray of int
        DBSCAN's labels at ``eps`` (``-1`` is noise). A border point within
        ``eps`` of two clusters joins the one with the nearest core point;
        scikit-learn's DBSCAN may put it in the other: clusters and noise
        are otherwise the same.
    """

    eps: float
    min_samples: int
    knee_eps: float
    k_distances: np.ndarray
    knee_index: int
    candidates: np.ndarray
    n_clusters: np.ndarray
    noise_fraction: np.ndarray
    stable_range: tuple | None
    min_cluster_fraction: float
    max_noise: float
    min_persistence: float
    labels: np.ndarray

    @property
    def params(self):
        """``{"eps": ..., "min_samples": ...}``, ready for ``sklearn.cluster.DBSCAN(**params)``."""
        return {"eps": float(self.eps), "min_samples": int(self.min_samples)}


def _substantial_clusters(labels, min_size):
    """Number of clusters with at least ``min_size`` members (noise excluded)."""
    sizes = np.bincount(labels[labels >= 0]) if np.any(labels >= 0) else np.zeros(0, dtype=int)
    return int(np.sum(sizes >= min_size))


class _DensityHierarchy:
    """Every DBSCAN clustering of ``X`` for one ``min_samples``, from a single fit.

    HDBSCAN builds the tree of DBSCAN* clusterings (DBSCAN without border
    points) for all radii at once; cutting it at ``eps`` takes milliseconds.
    The border points are then put back from each point's ``min_samples``
    nearest neighbours, which is exact: a point is a border point at ``eps``
    only if a core point lies within ``eps``, and any point farther than its
    own ``min_samples``-th neighbour would make it a core point itself.
    """

    def __init__(self, X, min_samples):
        distances, self.neighbours = NearestNeighbors(n_neighbors=min_samples).fit(X).kneighbors(X)
        self.distances = distances
        self.core_distance = distances[:, -1]  # the point itself counts, as in DBSCAN
        # A point is clustered (core or border) from this radius on: its own core
        # distance, or the nearest neighbour that is a core point within reach.
        reach = np.maximum(distances, self.core_distance[self.neighbours])
        self.member_distance = np.minimum(self.core_distance, reach.min(axis=1))
        # copy=True: HDBSCAN 1.6-1.9 may otherwise write into X.
        self.tree = HDBSCAN(min_samples=min_samples, min_cluster_size=2, copy=True).fit(X)

    def labels(self, eps):
        """DBSCAN's labels at ``eps`` (border points join their nearest core point's cluster)."""
        labels = self.tree.dbscan_clustering(eps, min_cluster_size=1).astype(np.int64)
        is_core = self.core_distance <= eps
        labels[~is_core] = -1
        reachable = is_core[self.neighbours] & (self.distances <= eps)
        border = ~is_core & reachable.any(axis=1)
        nearest = np.argmax(reachable[border], axis=1)  # neighbours are sorted by distance
        labels[border] = labels[self.neighbours[border, nearest]]
        # number the clusters 0, 1, ... in order of first appearance, as DBSCAN does
        clustered = labels >= 0
        _, first, inverse = np.unique(labels[clustered], return_index=True, return_inverse=True)
        labels[clustered] = np.argsort(np.argsort(first))[inverse.ravel()]
        return labels

    def merge_radius(self, low):
        """Smallest radius (to 0.1 %) at which every core point is in one cluster."""
        high = max(low, float(self.core_distance.max())) * 2.0
        while self._n_parts(high) > 1:  # mutual reachability can exceed twice the largest core distance
            high *= 2.0
        low = min(low, high / 2.0)
        while high / low > 1.001:
            middle = math.sqrt(low * high)
            low, high = (low, middle) if self._n_parts(middle) == 1 else (middle, high)
        return high

    def _n_parts(self, eps):
        labels = self.tree.dbscan_clustering(eps, min_cluster_size=1)
        return np.unique(labels[self.core_distance <= eps]).size


def _same_clusters(before, after, min_size):
    """Whether the substantial clusters of ``before`` reappear, each grown by itself, in ``after``."""
    sizes_before = np.bincount(before[before >= 0]) if np.any(before >= 0) else np.zeros(0, dtype=int)
    sizes_after = np.bincount(after[after >= 0]) if np.any(after >= 0) else np.zeros(0, dtype=int)
    big_before = np.flatnonzero(sizes_before >= min_size)
    big_after = set(np.flatnonzero(sizes_after >= min_size).tolist())
    if len(big_before) != len(big_after):
        return False
    # Each cluster's points now sit in one cluster of `after` (the largest share of them):
    # distinct clusters must land in distinct clusters, otherwise two have merged.
    landed = []
    for cluster in big_before:
        members = after[before == cluster]
        members = members[members >= 0]
        if members.size == 0:
            return False
        landed.append(int(np.argmax(np.bincount(members))))
    return len(set(landed)) == len(landed) and set(landed) == big_after


def choose_eps(
    X, min_samples=None, n_candidates=60, min_cluster_fraction=0.05, max_noise=0.05, min_persistence=1.05
):
    """Choose DBSCAN's ``eps`` from the data.

    The rule, in plain words: scan ``eps`` from the smallest radius that
    leaves at most ``max_noise`` of the points as noise up to the radius at
    which everything is one cluster. A clustering counts if it stays the
    same while ``eps`` grows by a factor of at least ``min_persistence``;
    among those, take the one with the **most** clusters, and return the
    middle (on a log scale) of the radii that give it. Merged clusterings
    always last longer as ``eps`` grows, so comparing how long they last
    would favour merging; asking only that a clustering lasts, and then
    preferring more clusters, does not.

    In detail:

    1. The sorted k-distance curve and its knee are computed for reference
       (``min_samples``-th neighbour, the point itself included).
    2. HDBSCAN (fitted once) holds every DBSCAN clustering for this
       ``min_samples``; each candidate radius is a cut of that tree, with
       DBSCAN's border points put back, so the scan costs one fit.
    3. Only clusters with at least ``min_cluster_fraction`` of the points
       count, so a handful of outskirt points cannot pass for structure.
       Neighbouring radii give "the same clustering" when they find the
       same number of such clusters and none of them has merged with
       another.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The (scaled or latent) data to cluster.
    min_samples : int, optional
        DBSCAN's ``min_samples``; defaults to :func:`default_min_samples`.
    n_candidates : int, default=60
        Radii to scan (at least 5).
    min_cluster_fraction : float, default=0.05
        Smallest share of the points a cluster needs to be counted, in (0, 0.5].
    max_noise : float, default=0.05
        Largest share of points DBSCAN may call noise at a scanned radius, in (0, 1).
    min_persistence : float, default=1.05
        How much ``eps`` must be able to grow (as a factor, > 1) without
        changing the clustering.

    Returns
    -------
    EpsChoice
        ``choice.eps`` is the radius, ``choice.params`` the arguments for
        ``sklearn.cluster.DBSCAN``; the other fields explain the choice.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D numeric array with at least 3 samples,
        a parameter is impossible, or ``min_samples`` points coincide.

    Warns
    -----
    UserWarning
        If no clustering into two or more clusters lasts long enough; ``eps``
        is then the middle of the longest one-cluster run, so DBSCAN returns
        one cluster instead of an arbitrary split.
    """
    X = check_features(X, min_samples=3)
    if min_samples is None:
        min_samples = min(default_min_samples(X.shape[1]), len(X))
    min_samples = check_int(min_samples, name="min_samples", minimum=2, maximum=len(X))
    n_candidates = check_int(n_candidates, name="n_candidates", minimum=5)
    min_cluster_fraction = check_float(
        min_cluster_fraction, name="min_cluster_fraction", low=0.0, high=0.5, low_inclusive=False
    )
    max_noise = check_float(max_noise, name="max_noise", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)
    min_persistence = check_float(min_persistence, name="min_persistence", low=1.0, low_inclusive=False)
    X = np.asarray(X, dtype=np.float64)

    distances = k_distances(X, min_samples)
    knee_index = find_knee(distances)
    knee_eps = float(distances[knee_index])
    if knee_eps <= 0:
        raise ValueError(
            f"the knee of the k-distance curve is at 0: at least {min_samples} points coincide; "
            "remove duplicates or raise min_samples"
        )

    hierarchy = _DensityHierarchy(X, min_samples)
    # Below this radius more than max_noise of the points are noise: not a usable DBSCAN result.
    low = float(np.quantile(hierarchy.member_distance, 1.0 - max_noise, method="higher"))
    # a hair above that point's radius, so rounding in DBSCAN's own distances cannot exclude it
    low = max(low * (1 + 1e-6), knee_eps * 1e-3, np.finfo(float).tiny)
    high = hierarchy.merge_radius(low)
    candidates = np.geomspace(low, max(high, low * 1.01), n_candidates)
    labelings = [hierarchy.labels(eps) for eps in candidates]
    min_size = max(2, math.ceil(min_cluster_fraction * len(X)))
    n_clusters = np.array([_substantial_clusters(labels, min_size) for labels in labelings])
    noise = np.array([np.mean(labels == -1) for labels in labelings])

    # Runs of neighbouring radii that give the same clustering: (count, first, last).
    runs, start = [], 0
    for i in range(1, n_candidates + 1):
        if i == n_candidates or not _same_clusters(labelings[i - 1], labelings[i], min_size):
            runs.append((int(n_clusters[start]), start, i - 1))
            start = i

    def persists(run):
        _, first, last = run
        # A run lasts from its first radius up to the next run's first radius.
        end = candidates[last + 1] if last + 1 < n_candidates else candidates[last]
        return last > first and end / candidates[first] >= min_persistence

    def width(run):
        return run[2] - run[1]

    lasting = [run for run in runs if run[0] >= 2 and persists(run)]
    if lasting:
        most = max(run[0] for run in lasting)
        _, first, last = max((run for run in lasting if run[0] == most), key=width)
        stable_range = (float(candidates[first]), float(candidates[last]))
    else:
        warnings.warn(
            "no clustering into two or more clusters lasts while eps grows (by a factor of "
            f"{min_persistence}) with at most {max_noise:.0%} noise; eps is chosen for one cluster",
            UserWarning,
            stacklevel=2,
        )
        single = [run for run in runs if run[0] == 1] or runs
        _, first, last = max(single, key=width)
        stable_range = None
    eps = float(np.sqrt(candidates[first] * candidates[last]))
    return EpsChoice(
        eps,
        min_samples,
        knee_eps,
        distances,
        knee_index,
        candidates,
        n_clusters,
        noise,
        stable_range,
        min_cluster_fraction,
        max_noise,
        min_persistence,
        hierarchy.labels(eps),
    )


class ReachabilityEps(NamedTuple):
    """How :func:`choose_reachability_eps` read ``eps`` off a reachability plot.

    Attributes
    ----------
    eps : float
        The chosen radius, just below the splitting peak.
    peak : float or None
        Height of the reachability peak that splits the ordering; ``None``
        if no peak did.
    labels : numpy.ndarray of int
        DBSCAN-style labels extracted at ``eps`` (``-1`` is noise).
    n_large_clusters : int
        Clusters at ``eps`` holding at least ``min_cluster_fraction`` of the points.
    min_cluster_fraction : float
        Smallest share of the points a cluster needed to count.
    split_found : bool
        Whether a peak splitting the data into two large clusters was found.
    """

    eps: float
    peak: float | None
    labels: np.ndarray
    n_large_clusters: int
    min_cluster_fraction: float
    split_found: bool

    @property
    def params(self):
        """``{"eps": ...}``, for ``sklearn.cluster.cluster_optics_dbscan(..., **params)``."""
        return {"eps": float(self.eps)}


def _check_fitted_optics(optics):
    if not isinstance(optics, OPTICS):
        raise TypeError(f"optics must be a fitted sklearn.cluster.OPTICS; got {type(optics).__name__}")
    if not hasattr(optics, "reachability_"):
        raise ValueError("optics is not fitted: call optics.fit(X) first")
    return optics


def _dbscan_from_optics(optics, eps):
    return cluster_optics_dbscan(
        reachability=optics.reachability_,
        core_distances=optics.core_distances_,
        ordering=optics.ordering_,
        eps=eps,
    )


def choose_reachability_eps(optics, min_cluster_fraction=0.1):
    """Read DBSCAN's ``eps`` off a fitted OPTICS' reachability plot (first-split rule).

    Valleys in the reachability plot are clusters; peaks are the jumps
    between them. Reading the plot top-down, the rule lowers a horizontal
    line from the highest peak and stops just below the first peak that cuts
    the ordering into two or more clusters, each holding at least
    ``min_cluster_fraction`` of the points. Lower peaks (ragged cluster
    edges, moon tips) are ignored, and because this is the *largest* radius
    that separates big clusters, as few points as possible become noise.
    The labels come from :func:`sklearn.cluster.cluster_optics_dbscan`:
    OPTICS is fitted once and every extraction costs almost nothing.

    Parameters
    ----------
    optics : sklearn.cluster.OPTICS
        A fitted estimator (its ``max_eps`` must reach across the gaps).
    min_cluster_fraction : float, default=0.1
        Smallest share of the points a cluster needs to count, in (0, 0.5].

    Returns
    -------
    ReachabilityEps
        ``eps``, the ``labels`` at that ``eps`` and what the rule saw.

    Raises
    ------
    TypeError
        If ``optics`` is not an OPTICS estimator.
    ValueError
        If it is not fitted or ``min_cluster_fraction`` is outside (0, 0.5].

    Warns
    -----
    UserWarning
        If no peak splits the data into two large clusters; ``eps`` is then
        the highest finite reachability, which puts every point in one cluster.
    """
    optics = _check_fitted_optics(optics)
    min_cluster_fraction = check_float(
        min_cluster_fraction, name="min_cluster_fraction", low=0.0, high=0.5, low_inclusive=False
    )
    reachability = optics.reachability_
    finite = reachability[np.isfinite(reachability)]
    if finite.size == 0:
        raise ValueError("every reachability is infinite: raise OPTICS' max_eps so clusters can form")
    min_size = max(2, math.ceil(min_cluster_fraction * len(reachability)))
    for peak in np.unique(finite)[::-1]:  # candidate peaks, highest first
        eps = float(peak) * (1 - 1e-6)  # just below the peak, so the peak splits
        labels = _dbscan_from_optics(optics, eps)
        n_large = _substantial_clusters(labels, min_size)
        if n_large >= 2:
            return ReachabilityEps(eps, float(peak), labels, n_large, min_cluster_fraction, True)
    warnings.warn(
        f"no reachability peak splits the data into two clusters of at least {min_cluster_fraction:.0%} "
        "of the points each; using the highest finite reachability (one cluster)",
        UserWarning,
        stacklevel=2,
    )
    eps = float(finite.max())
    labels = _dbscan_from_optics(optics, eps)
    return ReachabilityEps(eps, None, labels, _substantial_clusters(labels, min_size), min_cluster_fraction, False)
