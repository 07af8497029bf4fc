"""Scoring a clustering against the ground truth, and a side-by-side table.

Clustering labels are arbitrary names: cluster 0 may be class 2. ARI and
NMI do not care about names; *accuracy* does, so it first matches clusters
to classes one-to-one with the Hungarian algorithm.

Noise (label ``-1``, from DBSCAN or OPTICS) is scored as it is: a group of
its own for ARI and NMI, and always wrong for accuracy. ARI and NMI can still
reward calling a whole class noise (it is then one more group), so always
read the noise share beside them.

The true classes may be any labels, numbers or text (``"barolo"``), as for
scikit-learn's metrics; cluster labels are integers.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from helpers._validation import check_classes, check_cluster_labels, check_int, check_score

#: The most classes :func:`matched_confusion` draws up (its matrix has as many columns as rows, and more).
MAX_CONFUSION_CLASSES = 1000

#: From this many classes up, true classes that are mostly one or two samples each draw a warning.
MANY_CLASSES = 20

#: Columns of :func:`evaluate`'s result, in table order.
METRICS = ("ari", "nmi", "accuracy", "noise_fraction", "n_clusters")


def _warn_if_measurement(classes, n_samples, name):
    """Warn when ``classes`` look like a measurement: at least :data:`MANY_CLASSES` classes, more than
    half as many as samples (so most classes hold one or two samples). Every score is still computed."""
    if classes.size >= MANY_CLASSES and classes.size > n_samples / 2:
        warnings.warn(f"{name} has {classes.size:,} different classes among {n_samples:,} samples, so most classes "
                      f"hold one or two samples: every distinct value counts as a class of its own. If {name} is a "
                      "measurement (a continuous column) rather than a class, bin it first (pandas.cut) or score "
                      "against a column of classes", UserWarning, stacklevel=4)


def _check_pair(y_true, labels):
    """``(class codes 0..n_classes-1, the class of each code, cluster labels)``."""
    codes, classes = check_classes(y_true, name="y_true")
    labels = check_cluster_labels(labels, name="labels", n_samples=len(codes))
    _warn_if_measurement(classes, len(codes), "y_true")
    return codes, classes, labels


def matched_confusion(y_true, labels):
    """Confusion matrix with clusters reordered to match the classes.

    Parameters
    ----------
    y_true : array-like, shape (n_samples,)
        True classes (integers or text).
    labels : array-like of int, shape (n_samples,)
        Cluster labels; ``-1`` (noise) is left out of the matrix.

    Raises
    ------
    ValueError
        Besides bad labels, if ``y_true`` has more than
        :data:`MAX_CONFUSION_CLASSES` classes.

    Returns
    -------
    matrix : numpy.ndarray of shape (n_classes, n_columns)
        ``matrix[i, j]``: samples of class ``i`` in the cluster matched to
        column ``j``. The first ``n_classes`` columns are the matched
        clusters (in class order); unmatched clusters follow.
    classes : numpy.ndarray
        The class of each row, sorted.
    clusters : numpy.ndarray
        The cluster label of each column (``-1`` where a class got no cluster).
    """
    codes, classes, labels = _check_pair(y_true, labels)
    if classes.size > MAX_CONFUSION_CLASSES:  # the matrix is classes x classes: 20,000 of them take 3 GB
        raise ValueError(f"y_true has {classes.size:,} different classes in {len(codes):,} samples, too many for a "
                         f"confusion matrix (at most {MAX_CONFUSION_CLASSES:,}): is it a measurement rather than a "
                         f"class? evaluate() scores any number of classes")
    return _matched_confusion(codes, classes, labels)


def _assignment(codes, n_classes, labels):
    """The class x cluster counts (noise left out), the clusters found, and the Hungarian matching.

    ``linear_sum_assignment`` takes the rectangular counts as they are, so memory stays classes x
    clusters even when ``y_true`` has thousands of distinct values (a continuous column passed by mistake).
    """
    kept = labels != -1
    found = np.unique(labels[kept])
    counts = np.zeros((n_classes, found.size), dtype=np.int64)
    np.add.at(counts, (codes[kept], np.searchsorted(found, labels[kept])), 1)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    return counts, found, rows, cols


def _matched_confusion(codes, classes, labels):
    counts, found, rows, cols = _assignment(codes, classes.size, labels)
    matched = np.zeros((classes.size, classes.size), dtype=np.int64)  # a class without a cluster: zeros
    matched[:, rows] = counts[:, cols]  # column c: the cluster matched to class c
    names = np.full(classes.size, -1, dtype=np.int64)
    names[rows] = found[cols]
    unmatched = np.setdiff1d(np.arange(found.size), cols)
    return np.column_stack([matched, counts[:, unmatched]]), classes, np.concatenate([names, found[unmatched]])


def _accuracy(codes, classes, labels):
    counts, _, rows, cols = _assignment(codes, classes.size, labels)  # no n_classes-wide matrix
    return float(counts[rows, cols].sum() / len(codes))


def _matched_codes(codes, n_classes, labels):
    """Each sample's matched class code; surplus clusters get ``n_classes, n_classes + 1, ...``
    (largest first, ties by cluster id); noise stays -1."""
    counts, found, rows, cols = _assignment(codes, n_classes, labels)
    code_of = np.full(found.size, -1, dtype=np.int64)
    code_of[cols] = rows
    surplus = np.flatnonzero(code_of == -1)
    order = np.lexsort((found[surplus], -counts[:, surplus].sum(axis=0)))  # by size, then by id
    code_of[surplus[order]] = n_classes + np.arange(surplus.size)
    matched = np.full(labels.shape, -1, dtype=np.int64)
    kept = labels != -1
    matched[kept] = code_of[np.searchsorted(found, labels[kept])]
    return matched


def _whole_numbers(classes):
    """``classes`` as int64 when they are whole numbers (surplus clusters are then numbered after
    them), else ``None`` (text, fractions, booleans)."""
    if classes.dtype.kind in "iu":
        return classes.astype(np.int64)
    if classes.dtype.kind == "f" and np.all(classes == np.round(classes)) and np.all(np.abs(classes) < 2.0**63):
        return classes.astype(np.int64)
    return None


def _check_matchable(y_true, labels, *, name="y_true", n_samples=None):
    """``(class codes, class names, cluster labels)`` for matching; whole-number classes must be >= 0.

    The names are the classes themselves, as int64 when they are whole numbers: ``[0., 1.]`` reads
    ``0, 1``. A negative whole-number class is refused: -1 is the noise of cluster labels.
    """
    codes, classes = check_classes(y_true, name=name, n_samples=n_samples)
    labels = check_cluster_labels(labels, name="labels", n_samples=len(codes))
    _warn_if_measurement(classes, len(codes), name)
    numbers = _whole_numbers(classes)
    if numbers is not None and numbers.min() < 0:
        raise ValueError(f"{name} must hold classes >= 0; -1 is reserved for noise in cluster labels")
    return codes, (classes if numbers is None else numbers), labels


def match_labels(y_true, labels):
    """Rename clusters after the classes they are matched to (Hungarian).

    The same one-to-one matching the accuracy of :func:`evaluate` uses: a cluster
    matched to class ``c`` becomes ``c``, so a figure or table can compare
    clusters with classes name for name (and colour for colour).

    Parameters
    ----------
    y_true : array-like, shape (n_samples,)
        True classes: whole numbers ``>= 0`` (``-1`` is reserved for noise),
        or any other class labels :func:`evaluate` takes (text, ...).
    labels : array-like of int, shape (n_samples,)
        Cluster labels; ``-1`` marks noise.

    Returns
    -------
    numpy.ndarray, shape (n_samples,)
        The matched class of each sample's cluster; noise stays ``-1``.
        For whole-number classes, an int64 array: clusters left without a
        class (more clusters than classes) get new ids after the largest
        class, ``max(y_true) + 1, max(y_true) + 2, ...``, largest cluster
        first (ties by cluster id). For other classes (text), an object
        array: those clusters are ``"extra 1"``, ``"extra 2"``, ... (the
        names :func:`helpers.plotting.plot_clusters` gives them).

    Examples
    --------
    >>> match_labels([0, 0, 1, 1, 2], [7, 7, 3, 3, -1]).tolist()
    [0, 0, 1, 1, -1]
    >>> match_labels(["b", "b", "a", "a"], [7, 7, 3, 3]).tolist()
    ['b', 'b', 'a', 'a']
    """
    codes, classes, labels = _check_matchable(y_true, labels)
    matched = _matched_codes(codes, classes.size, labels)
    n_surplus = np.unique(matched[matched >= classes.size]).size  # clusters left without a class
    if classes.dtype == np.int64:
        if int(classes.max()) + n_surplus > np.iinfo(np.int64).max:
            raise ValueError(f"{n_surplus} cluster(s) have no class, and their ids would come after the largest "
                             f"class, {classes.max()}, which leaves no room in int64: number the classes from 0")
        extra = classes.max() + 1 + np.arange(n_surplus) if n_surplus else np.empty(0, dtype=np.int64)
        names = np.concatenate([classes, extra])
        result = names[matched]
    else:  # text classes: the surplus clusters cannot be numbered after them
        names = np.concatenate([classes.astype(object), [f"extra {i + 1}" for i in range(n_surplus)]])
        result = names[matched].astype(object)
    result[matched == -1] = -1
    return result


def evaluate(y_true, labels, name=None):
    """Every score the series reports, in one call.

    Parameters
    ----------
    y_true : array-like, shape (n_samples,)
        Ground truth, used only for scoring: integers or text (any hashable
        class labels, as for scikit-learn's metrics).
    labels : array-like of int, shape (n_samples,)
        Cluster labels; ``-1`` marks noise.
    name : str, optional
        A name for the row in :func:`results_table`.

    Returns
    -------
    dict
        ``name``, ``ari``, ``nmi``, ``accuracy``, ``noise_fraction`` and
        ``n_clusters`` (clusters found, noise excluded).
    """
    codes, classes, labels = _check_pair(y_true, labels)
    return {
        "name": name,
        "ari": float(adjusted_rand_score(codes, labels)),
        "nmi": float(normalized_mutual_info_score(codes, labels)),
        "accuracy": _accuracy(codes, classes, labels),
        "noise_fraction": float(np.mean(labels == -1)),
        "n_clusters": int(np.unique(labels[labels != -1]).size),
    }


def _unnamed(name):
    """No name: evaluate's None, or the NaN a DataFrame of rows puts in its place."""
    return name is None or (isinstance(name, float) and math.isnan(name))


def results_table(results, digits=2):
    """Format several :func:`evaluate` results as an aligned text table.

    Values are rounded to ``digits`` decimals so the table can be compared
    across machines whose floating-point arithmetic differs slightly.

    Parameters
    ----------
    results : sequence of dict, or a pandas DataFrame of them
        Rows from :func:`evaluate`, each with a ``name``.
    digits : int, default=2
        Decimals for the scores.

    Returns
    -------
    str
        One header line and one line per result; ``print`` it.
    """
    if isinstance(results, dict):  # one row: iterating it would give its keys, which are strings
        raise TypeError("results must be a list of rows from evaluate(); got one row (a dict): "
                        "pass a list of rows, results_table([row])")
    if hasattr(results, "to_dict") and hasattr(results, "columns"):  # a DataFrame iterates over its column names
        results = results.to_dict("records")
    try:
        results = list(results)
    except TypeError:
        raise TypeError(f"results must be a list of rows from evaluate(); got {type(results).__name__}") from None
    if not results:
        raise ValueError("results is empty: pass at least one row from evaluate()")
    digits = check_int(digits, name="digits", minimum=0, maximum=6)
    for i, row in enumerate(results):
        _check_result_row(row, i)
    headers = ("pipeline", "ARI", "NMI", "accuracy", "noise", "clusters")
    rows = [
        (
            f"(row {i + 1}, no name)" if _unnamed(row["name"]) else str(row["name"]),  # evaluate(y, labels) unnamed
            *(f"{row[key]:.{digits}f}" for key in ("ari", "nmi", "accuracy", "noise_fraction")),
            str(row["n_clusters"]),
        )
        for i, row in enumerate(results)
    ]
    return aligned_table(headers, rows, left=(0,))


def _check_result_row(row, i):
    """Stop on a row of :func:`results_table` that is not :func:`evaluate`'s: a key missing, a score not a number."""
    if not isinstance(row, dict):
        raise TypeError(f"results[{i}] must be a dict from evaluate(); got {type(row).__name__}")
    missing = [key for key in ("name", *METRICS) if key not in row]
    if missing:
        raise ValueError(f"results[{i}] lacks {missing}; build rows with evaluate()")
    for key in ("ari", "nmi", "accuracy", "noise_fraction"):
        check_score(row[key], name=f"results[{i}][{key!r}]")
    check_int(row["n_clusters"], name=f"results[{i}]['n_clusters']", minimum=0)


def aligned_table(headers, rows, *, left=(0,)):
    """Lay out text cells as a table: columns two spaces apart, each as wide as its widest cell.

    The one layout of every printed table of the series (:func:`results_table`,
    ``selection.candidates_table``).

    Parameters
    ----------
    headers : sequence of str
        The first line.
    rows : sequence of sequences of str
        One line each, as many cells as ``headers``.
    left : collection of int, default=(0,)
        Columns aligned to the left (text); the others are aligned to the
        right (numbers).

    Returns
    -------
    str
        The lines joined by newlines, without trailing spaces.
    """
    headers = tuple(str(cell) for cell in headers)
    body = [tuple(str(cell) for cell in row) for row in rows]
    for i, row in enumerate(body):
        if len(row) != len(headers):
            raise ValueError(f"row {i} has {len(row)} cells but there are {len(headers)} headers")
    table = [headers] + body
    widths = [max(len(row[j]) for row in table) for j in range(len(headers))]
    return "\n".join(
        "  ".join(cell.ljust(w) if j in left else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))).rstrip()
        for row in table
    )
