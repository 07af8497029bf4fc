"""Clustering choices shared by the notebooks, and the input checks behind them.

Notebooks 01 and 03 write their own rules for DBSCAN's ``eps`` (on a k-distance
scan and on OPTICS' reachability plot) in their cells; the checks those rules
share live here, so a learner's cell stays short and bad input still gets a
clear error: :func:`check_dbscan_input`, :func:`check_fraction`,
:func:`check_curve` and :func:`check_fitted_optics` (also used by the
reachability plot and its explorer).

KMeans and Gaussian mixtures need the number of clusters ``k`` instead.
:func:`choose_k` scores a range of ``k`` with the silhouette coefficient
or the Bayesian information criterion (BIC) and returns the best; its
``params`` go straight to scikit-learn: ``KMeans(**kchoice.params, random_state=SEED)``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.cluster import OPTICS, KMeans
from sklearn.metrics import silhouette_score
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from helpers import DEFAULT_SEED
from helpers._validation import check_features, check_float, check_int, check_k_range, check_seed


def check_dbscan_input(X, min_samples=None):
    """Check the data and ``min_samples`` of a DBSCAN-style rule; raise a clear error early.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        At least 3 finite, numeric samples.
    min_samples : int, optional
        DBSCAN's ``min_samples`` (the point itself included), in ``[2, n_samples]``.
        ``None`` gives the rule of thumb: twice the number of features, at least 3
        (at most ``n_samples``).

    Returns
    -------
    X : numpy.ndarray of float64
    min_samples : int

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D numeric array with at least 3 samples, or
        ``min_samples`` is not an integer in range.
    """
    X = np.asarray(check_features(X, min_samples=3), dtype=np.float64)
    if min_samples is None:
        min_samples = min(max(3, 2 * X.shape[1]), len(X))
    return X, check_int(min_samples, name="min_samples", minimum=2, maximum=len(X))


def check_fraction(value, name, high=0.5):
    """Check a share of the points, such as ``min_cluster_fraction``: a number in ``(0, high]``.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        If ``value`` is not a number, or lies outside ``(0, high]``.
    """
    return check_float(value, name=name, low=0.0, high=high, low_inclusive=False)


def check_curve(values):
    """Check a sorted curve for a knee rule: 1-D, finite, at least 3 values, ascending, not all equal.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        Naming what is wrong with ``values``.
    """
    values = check_features(values, name="values", min_samples=3, ndim=1)
    if np.any(np.diff(values) < 0):
        raise ValueError("values must be sorted in ascending order")
    if values[-1] == values[0]:
        raise ValueError("values are all equal: the curve has no knee")
    return values


def check_fitted_optics(optics):
    """Check that ``optics`` is a fitted OPTICS with at least one finite reachability.

    The one check for everything that reads a reachability plot (the
    plotting, the explorer and the notebooks' rules).

    Returns
    -------
    sklearn.cluster.OPTICS

    Raises
    ------
    TypeError
        If ``optics`` is not an OPTICS estimator.
    ValueError
        If it is not fitted, or every reachability is infinite (its
        ``max_eps`` is too small for any cluster to form).
    """
    if not isinstance(optics, OPTICS):
        raise TypeError(f"optics must be a fitted sklearn.cluster.OPTICS; got {type(optics).__name__}")
    if not hasattr(optics, "reachability_"):
        raise ValueError("optics is not fitted: call optics.fit(X) first")
    if not np.any(np.isfinite(optics.reachability_)):
        raise ValueError("every reachability is infinite: raise OPTICS' max_eps so clusters can form")
    return optics


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

    @property
    def params(self):
        """``{"n_clusters": k}``, ready for ``sklearn.cluster.KMeans(**params, random_state=...)``."""
        return {"n_clusters": int(self.k)}


_K_METHODS = ("silhouette", "bic")


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
    ks = np.asarray(check_k_range(k_range, minimum=2, maximum=len(X) - 1), dtype=np.int64)
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
