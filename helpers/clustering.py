"""Clustering choices shared by the notebooks, and the input checks behind them.

Notebooks 01 and 03 write their own rules for DBSCAN's ``eps`` (on a k-distance
scan and on OPTICS' reachability plot) in their cells; the checks those rules
share live here, so a learner's cell stays short and bad input still gets a
clear error: :func:`check_dbscan_input`, :func:`check_fraction`,
:func:`check_curve` and :func:`check_fitted_optics` (also used by the
reachability plot and its explorer), and :func:`reachability_heights`, the checked bars that notebook
03's rule cuts.

Notebook 02 chooses KMeans' number of clusters with the silhouette and the BIC in its
own cells; :func:`check_k_choice` checks what they are given.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.cluster import OPTICS

from helpers._validation import check_features, check_float, check_int, warn_if_far_out_or_unscaled

#: A column with at most this many different values, two of them held by ten rows or more each, draws a
#: warning from :func:`warn_about_columns`: its values, not groups of rows, may make DBSCAN's dense regions.
FEW_VALUES = 10
#: The rule of thumb's min_samples (twice the features) above this share of the rows draws a warning, from three
#: features on: on a wide table (1,000 rows, 200 columns: 400) no group smaller than that can hold a core point.
RULE_OF_THUMB_SHARE = 0.1


def check_dbscan_input(X, min_samples=None):
    """Check the data and ``min_samples`` of a DBSCAN-style rule; raise a clear error early.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        At least 3 finite, numeric samples.
    min_samples : int, optional
        DBSCAN's ``min_samples`` (the point itself included), in ``[2, n_samples]``.
        ``None`` gives the rule of thumb: twice the number of features, at least 3;
        an error if that is not below ``n_samples``.

    Returns
    -------
    X : numpy.ndarray of float64
    min_samples : int

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D numeric array with at least 3 samples,
        ``min_samples`` is not an integer in range, or is left to the rule of
        thumb while X has too few rows for it (more features than half the rows).

    Warns
    -----
    UserWarning
        If ``X`` has three columns or more and the rule of thumb gives more than
        :data:`RULE_OF_THUMB_SHARE` of the rows.
    """
    X = np.asarray(check_features(X, min_samples=3), dtype=np.float64)
    if min_samples is None:
        min_samples = _rule_of_thumb(*X.shape)
        if X.shape[1] > 2 and min_samples > RULE_OF_THUMB_SHARE * len(X):  # 2-D: 4, the usual value anyway
            warnings.warn(f"the rule of thumb gives min_samples = {min_samples} (twice the {X.shape[1]} features), "
                          f"{min_samples / len(X):.0%} of the {len(X)} rows: a point needs {min_samples - 1} "
                          f"neighbours within eps to be a core point, so a group smaller than that cannot become a "
                          f"cluster; reduce the dimension first (e.g. with PCA) or pass a smaller min_samples",
                          UserWarning, stacklevel=3)  # the learner's call of choose_eps (or k_distances, ...)
    return X, check_int(min_samples, name="min_samples", minimum=2, maximum=len(X))


def warn_about_columns(X):
    """Warn, at the learner's call of a DBSCAN rule (notebook 01's ``choose_eps``), of columns that would
    decide the clusters by themselves: unscaled columns (one spreading over 1,000 times as widely as
    another), and a column with only a few different values (a count, a code, a 0/1 flag), whose rows
    stack on those values and make dense regions of their own.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data (an array, a list of rows or a DataFrame), checked as :func:`check_dbscan_input` checks it.

    Returns
    -------
    None
    """
    X = check_features(X)  # a DataFrame or a list of rows, too: a clear error, not one from inside pandas
    warn_if_far_out_or_unscaled(X, name="X", consequence="distances, and so DBSCAN's neighbourhoods, mostly "
                                "measure the widest columns", hint="e.g. sklearn.preprocessing.StandardScaler",
                                stacklevel=4)
    few = []  # (column, how many values) of each column whose values stack
    for j in range(X.shape[1]):
        rows = np.unique(X[:, j], return_counts=True)[1]  # rows holding each value
        if 2 <= rows.size <= FEW_VALUES and np.sort(rows)[-2] >= 10:  # a flag on one row makes no second stack
            few.append((j, rows.size))
    if few:
        (first, values), others = few[0], [j for j, _ in few[1:]]
        more = f" (and {len(others)} more such column(s): {others})" if others else ""
        warnings.warn(f"column {first} of X (counting from 0) takes only {values} different values{more}: "
                      f"its rows stack on those values, and DBSCAN's clusters may follow them rather than groups "
                      f"in the other columns; cluster without it, or compare the clusters with its values",
                      UserWarning, stacklevel=3)


def _rule_of_thumb(n_samples, n_features):
    """Twice the features, at least 3; refused when not below the rows.

    With ``min_samples >= n_samples`` a core point needs every row as a neighbour, so
    DBSCAN can only find one cluster or none: a result that says nothing about X.
    """
    rule = max(3, 2 * n_features)
    if rule >= n_samples:
        how = f"twice the {n_features} features" if rule == 2 * n_features else "at least 3"
        allowed = f"2 to {n_samples - 1}" if n_samples > 3 else "2"
        raise ValueError(f"the rule of thumb for min_samples ({how}: {rule}) asks for at least as many neighbours as "
                         f"X has rows ({n_samples}): pass min_samples ({allowed}), or reduce the "
                         f"dimension first (e.g. with PCA)")
    return rule


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


def check_k_choice(Z, ks, minimum=2):
    """Check the points and the numbers of clusters of a choice of k (notebook 02's silhouette and BIC).

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_features)
        The points to cluster (a code, a table): finite numbers, 2-D, at least 3 rows.
    ks : iterable of int
        The numbers of clusters to compare, each from ``minimum`` to
        ``n_samples - 1``; kept in the given order (the scores line up with it).
    minimum : int, default=2
        The smallest k that can be scored: 2 for a silhouette, 1 for the BIC.

    Returns
    -------
    Z : numpy.ndarray
    ks : list of int

    Raises
    ------
    TypeError, ValueError
        Naming ``Z`` or ``ks`` and the problem: NaN, a 1-D ``Z``, a ``ks``
        that is a single number or empty, a k outside ``minimum`` to
        ``n_samples - 1``, or fewer distinct points in ``Z`` than the largest
        k (KMeans would return fewer clusters than asked, with a
        ConvergenceWarning, and the scores would tie at a silhouette of 1.0,
        or fail inside scikit-learn with a message about labels when every
        point is the same).
    """
    Z = check_features(Z, name="Z", min_samples=3)
    try:
        ks = [check_int(k, name="each k in ks") for k in ks]
    except TypeError:
        if isinstance(ks, numbers.Number):
            raise TypeError(f"ks must be a sequence of numbers of clusters, e.g. range({minimum}, 9); "
                            f"got {ks!r}") from None
        raise
    if not ks:
        raise ValueError(f"ks is empty: give the numbers of clusters to compare, e.g. range({minimum}, 9)")
    if min(ks) < minimum or max(ks) > len(Z) - 1:  # scikit-learn's message would speak of labels, not of ks
        why = " (a silhouette needs two clusters or more, and one point more than clusters)" if minimum == 2 else ""
        raise ValueError(f"each k in ks must lie from {minimum} to {len(Z) - 1} for Z's {len(Z)} points{why}; "
                         f"ks runs from {min(ks)} to {max(ks)}")
    distinct = len(np.unique(Z, axis=0))
    if distinct < max(ks):
        fix = "or lower the largest k" if distinct >= max(minimum, 2) else "no number of clusters can split one point"
        raise ValueError(f"Z has only {distinct} distinct point(s), fewer than the {max(ks)} clusters ks asks for: "
                         f"a network's code may have collapsed to a few points (check its training); {fix}")
    return Z, ks


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


def reachability_heights(optics):
    """The finite bar heights of a fitted OPTICS' reachability plot, for a rule that cuts it.

    Parameters
    ----------
    optics : sklearn.cluster.OPTICS
        A fitted estimator (:func:`check_fitted_optics`).

    Returns
    -------
    heights : numpy.ndarray
        The finite reachabilities, in no particular order.
    unreachable : int
        Points besides the first that OPTICS could not reach within its ``max_eps`` (infinite bars).

    Raises
    ------
    ValueError
        If every finite reachability is 0 (the points coincide): no ``eps`` above 0 cuts anything.

    Warns
    -----
    UserWarning
        If ``max_eps`` left points unreachable: a cut never rises above ``max_eps``, so groups that a
        longer hop would join stay apart. Named at the caller of the rule that calls this.
    """
    optics = check_fitted_optics(optics)
    unreachable = int(np.sum(np.isinf(optics.reachability_))) - 1  # the first point visited is always infinite
    if unreachable:
        warnings.warn(f"{unreachable} points besides the first could not be reached within "
                      f"max_eps={optics.max_eps:g}: the cut can never rise above max_eps, so groups that a longer "
                      "hop would join stay apart; refit OPTICS with the default max_eps=np.inf", UserWarning,
                      stacklevel=3)  # the learner's call of the rule
    heights = optics.reachability_[np.isfinite(optics.reachability_)]
    if not np.any(heights > 0):  # a cut below 0 cannot exist: DBSCAN needs eps > 0
        raise ValueError("every finite reachability is 0: the points coincide (or, with a finite max_eps, "
                         "each reachable group does); there is no height above 0 to cut at")
    return heights, unreachable
