"""Clustering a latent space: data-driven parameters and a thin runner.

DBSCAN needs a radius ``eps``. The classic way to read it off the data is
the sorted *k-distance* curve (Ester et al., 1996): for every point, the
distance to its ``min_samples``-th nearest neighbour (itself included,
exactly as DBSCAN counts), sorted. Dense points sit on the flat part; the
curve turns upwards at the *knee*, where sparse outskirts begin.

The knee is the smallest radius at which the dense cores hold together,
so every point beyond it risks being called noise. :func:`choose_eps` starts
at the knee and then moves up to the middle of the widest range of radii
over which DBSCAN finds the same clustering: a choice that does not hinge
on one exact value.

KMeans and Gaussian mixtures need the number of clusters ``k`` instead.
:func:`choose_k` scores a range of ``k`` with the silhouette coefficient
or the Bayesian information criterion (BIC) and returns the best.
"""

from __future__ import annotations

import math
import warnings
from typing import NamedTuple

import numpy as np
from sklearn.cluster import DBSCAN, OPTICS, KMeans, cluster_optics_dbscan
from sklearn.metrics import silhouette_score
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

from helpers import DEFAULT_SEED
from helpers._validation import check_features, check_float, check_int, check_seed


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

    Attributes
    ----------
    eps : float
        The chosen radius.
    min_samples : int
        DBSCAN's ``min_samples`` the choice was made for.
    knee_eps : float
        The k-distance at the knee (the lower end of sensible radii).
    k_distances : numpy.ndarray
        The sorted k-distance curve.
    knee_index : int
        Position of the knee on that curve.
    candidates : numpy.ndarray
        Radii tried, from the knee upwards (log-spaced).
    n_clusters : numpy.ndarray of int
        Clusters DBSCAN finds at each candidate that hold at least
        ``min_cluster_fraction`` of the points (noise excluded).
    noise_fraction : numpy.ndarray of float
        Share of points DBSCAN calls noise at each candidate.
    stable_range : tuple of float or None
        First and last candidate of the widest run giving the same
        clustering (two or more clusters); ``None`` if there was none.
    min_cluster_fraction : float
        Smallest share of the points a cluster needed to be counted.
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


def _widest_run(counts, continues):
    """(start, stop) of the longest run (two or more) of one clustering with >= 2 clusters.

    ``continues[i]`` says whether candidate ``i + 1`` gives the same clustering
    as candidate ``i``; ``None`` if no such run exists.
    """
    best, start = None, 0
    for i in range(1, len(counts) + 1):
        if i == len(counts) or not continues[i - 1]:
            wide_enough = i - start >= 2 and (best is None or i - start > best[1] - best[0] + 1)
            if counts[start] >= 2 and wide_enough:
                best = (start, i - 1)
            start = i
    return best


def _substantial_clusters(labels, min_size):
    """Number of clusters with at least ``min_size`` members (noise excluded)."""
    sizes = np.bincount(labels[labels >= 0]) if np.any(labels >= 0) else np.zeros(0, dtype=int)
    return int(np.sum(sizes >= min_size))


def choose_eps(X, min_samples=None, n_candidates=40, min_cluster_fraction=0.05):
    """Choose DBSCAN's ``eps`` from the data.

    1. Compute the sorted k-distance curve and find its knee.
    2. Run DBSCAN at ``n_candidates`` radii spaced evenly on a log scale from
       the knee up to the diagonal of the data's bounding box (where
       everything merges into one cluster).
    3. Take the widest run (at least two) of consecutive radii that give the
       same clustering, with two or more clusters, and return its middle
       (on the log scale). Neighbouring radii give the same clustering when
       they find as many clusters and agree on almost every point (adjusted
       Rand index >= 0.98 between them). Only clusters holding at least
       ``min_cluster_fraction`` of the points count, so a handful of
       outskirt points that briefly form their own cluster cannot pass for
       structure.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The (scaled or latent) data to cluster.
    min_samples : int, optional
        DBSCAN's ``min_samples``; defaults to :func:`default_min_samples`.
    n_candidates : int, default=40
        Radii to try (at least 5).
    min_cluster_fraction : float, default=0.05
        Smallest share of the points a cluster needs to be counted.

    Returns
    -------
    EpsChoice
        ``choice.eps`` is the radius; the other fields explain it.

    Warns
    -----
    UserWarning
        If no radius from the knee upwards splits the data into two or more
        clusters; ``eps`` is then the knee itself.
    """
    X = check_features(X, min_samples=3)
    if min_samples is None:
        min_samples = min(default_min_samples(X.shape[1]), len(X))
    min_samples = check_int(min_samples, name="min_samples", minimum=2, maximum=len(X))
    n_candidates = check_int(n_candidates, name="n_candidates", minimum=5)
    min_cluster_fraction = check_float(
        min_cluster_fraction, name="min_cluster_fraction", low=0.0, high=0.5, low_inclusive=False
    )

    distances = k_distances(X, min_samples)
    knee_index = find_knee(distances)
    knee_eps = float(distances[knee_index])
    if knee_eps <= 0:
        raise ValueError(
            f"the knee of the k-distance curve is at 0: at least {min_samples} points coincide; "
            "remove duplicates or raise min_samples"
        )
    diagonal = float(np.linalg.norm(np.ptp(X, axis=0)))
    candidates = np.geomspace(knee_eps, max(diagonal, knee_eps * 1.01), n_candidates)
    labelings = [DBSCAN(eps=eps, min_samples=min_samples).fit_predict(X) for eps in candidates]
    min_size = max(2, math.ceil(min_cluster_fraction * len(X)))
    n_clusters = np.array([_substantial_clusters(labels, min_size) for labels in labelings])
    noise = np.array([np.mean(labels == -1) for labels in labelings])

    # Neighbouring radii give "the same clustering" when they find as many
    # clusters and agree on almost every point (only a few border points move).
    continues = [
        n_clusters[i] == n_clusters[i + 1] and adjusted_rand_score(labelings[i], labelings[i + 1]) >= 0.98
        for i in range(len(candidates) - 1)
    ]
    run = _widest_run(n_clusters, continues)
    if run is None:
        warnings.warn(
            "no radius from the knee upwards splits the data into two or more clusters; "
            "using the knee itself",
            UserWarning,
            stacklevel=2,
        )
        eps, stable_range = knee_eps, None
    else:
        start, stop = run
        eps = float(np.sqrt(candidates[start] * candidates[stop]))
        stable_range = (float(candidates[start]), float(candidates[stop]))
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


_METHODS = ("dbscan", "optics", "kmeans", "gmm")


def cluster(X, method, *, random_state=DEFAULT_SEED, **params):
    """Cluster ``X`` with one of scikit-learn's estimators and return labels.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Usually the encoder's output.
    method : {"dbscan", "optics", "kmeans", "gmm"}
        The algorithm.
    random_state : int, default=42
        Seed for the methods that are random (KMeans, GMM).
    **params
        Passed to the estimator. Required: ``eps`` for DBSCAN,
        ``n_clusters`` for KMeans and GMM (GMM's ``n_components``).

    Returns
    -------
    numpy.ndarray of shape (n_samples,)
        Cluster labels; ``-1`` marks noise (DBSCAN and OPTICS only).
    """
    X = check_features(X, min_samples=2)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}; got {method!r}")
    random_state = check_seed(random_state)
    params = dict(params)
    if "min_samples" in params:
        params["min_samples"] = check_int(params["min_samples"], name="min_samples", minimum=2, maximum=len(X))

    if method == "dbscan":
        if "eps" not in params:
            raise ValueError("DBSCAN needs eps: choose it with helpers.clustering.choose_eps")
        params["eps"] = check_float(params["eps"], name="eps", low=0.0, low_inclusive=False)
        estimator = DBSCAN(**params)
    elif method == "optics":
        params.setdefault("min_samples", min(default_min_samples(X.shape[1]), len(X)))
        estimator = OPTICS(**params)
    else:
        if "n_clusters" not in params:
            raise ValueError(f"{method} needs n_clusters")
        n_clusters = check_int(params.pop("n_clusters"), name="n_clusters", minimum=1, maximum=len(X))
        if method == "kmeans":
            params.setdefault("n_init", 10)
            estimator = KMeans(n_clusters=n_clusters, random_state=random_state, **params)
        else:
            estimator = GaussianMixture(n_components=n_clusters, random_state=random_state, **params)
    # KMeans and GMM on small data run fastest on one thread; extra OpenMP/BLAS threads
    # mostly spin-wait, badly so on a busy machine. The labels are identical either way.
    with threadpool_limits(limits=1 if method in ("kmeans", "gmm") else None):
        labels = estimator.fit_predict(X)
    return np.asarray(labels, dtype=np.int64)


class KChoice(NamedTuple):
    """How :func:`choose_k` picked the number of clusters, for plotting and reporting.

    Attributes
    ----------
    k : int
        The chosen number of clusters.
    ks : numpy.ndarray of int
        The numbers of clusters tried, ascending.
    scores : numpy.ndarray of float
        The score of each: mean silhouette (higher is better) or BIC
        (lower is better).
    method : str
        ``"silhouette"`` or ``"bic"``.
    """

    k: int
    ks: np.ndarray
    scores: np.ndarray
    method: str


_K_METHODS = ("silhouette", "bic")


def _check_k_range(k_range, n_samples):
    try:
        ks = list(k_range)
    except TypeError:
        raise TypeError(f"k_range must be a sequence of integers, e.g. range(2, 9); got {k_range!r}") from None
    ks = [check_int(k, name=f"k_range[{i}]", minimum=2, maximum=n_samples - 1) for i, k in enumerate(ks)]
    ks = sorted(set(ks))
    if len(ks) < 2:
        raise ValueError(f"k_range must hold at least 2 different values to compare; got {ks}")
    return np.asarray(ks, dtype=np.int64)


def choose_k(X, k_range=range(2, 9), method="silhouette", *, random_state=DEFAULT_SEED):
    """Choose the number of clusters from the data.

    Two classic criteria, each computed for every ``k`` in ``k_range``:

    - ``"silhouette"``: cluster with KMeans and take the mean silhouette
      coefficient (how much closer each point is to its own cluster than to
      the next one, from -1 to 1). The highest wins.
    - ``"bic"``: fit a Gaussian mixture (full covariances) and take its
      Bayesian information criterion, which rewards fit and charges for
      every parameter. The lowest wins.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The (scaled or latent) data to cluster.
    k_range : sequence of int, default=range(2, 9)
        Numbers of clusters to try; each in ``[2, n_samples - 1]``, at least
        two different values.
    method : {"silhouette", "bic"}, default="silhouette"
        The criterion.
    random_state : int, default=42
        Seed for KMeans and the Gaussian mixture.

    Returns
    -------
    KChoice
        ``choice.k`` is the number of clusters; the other fields explain it
        (plot them with :func:`helpers.plotting.plot_k_scores`).

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D array, ``k_range`` holds an impossible
        value or more clusters than ``X`` has distinct points, or ``method``
        is unknown.
    """
    X = check_features(X, min_samples=3)
    ks = _check_k_range(k_range, len(X))
    if method not in _K_METHODS:
        raise ValueError(f"method must be one of {_K_METHODS}; got {method!r}")
    random_state = check_seed(random_state)
    n_distinct = len(np.unique(X, axis=0))
    if ks[-1] > n_distinct:
        raise ValueError(f"k_range goes up to {ks[-1]} but X has only {n_distinct} distinct points")

    scores = []
    # Dozens of small fits: one thread each is fastest, and on a busy machine extra
    # OpenMP/BLAS threads mostly spin while they wait. The scores do not change.
    with threadpool_limits(limits=1):
        for k in ks:
            if method == "silhouette":
                labels = KMeans(n_clusters=int(k), n_init=10, random_state=random_state).fit_predict(X)
                scores.append(silhouette_score(X, labels))
            else:
                mixture = GaussianMixture(n_components=int(k), n_init=2, random_state=random_state).fit(X)
                scores.append(mixture.bic(X))
    scores = np.asarray(scores, dtype=np.float64)
    best = np.argmax(scores) if method == "silhouette" else np.argmin(scores)
    return KChoice(int(ks[best]), ks, scores, method)
