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

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from helpers._validation import check_classes, check_int, check_labels

#: Columns of :func:`evaluate`'s result, in table order.
METRICS = ("ari", "nmi", "accuracy", "noise_fraction", "n_clusters")


def _check_pair(y_true, labels):
    """``(class codes 0..n_classes-1, the class of each code, cluster labels)``."""
    codes, classes = check_classes(y_true, name="y_true")
    labels = check_labels(labels, name="labels", n_samples=len(codes))
    return codes, classes, labels


def matched_confusion(y_true, labels):
    """Confusion matrix with clusters reordered to match the classes.

    Parameters
    ----------
    y_true : array-like, shape (n_samples,)
        True classes (integers or text).
    labels : array-like of int, shape (n_samples,)
        Cluster labels; ``-1`` (noise) is left out of the matrix.

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
    return _matched_confusion(codes, classes, labels)


def _matched_confusion(codes, classes, labels):
    found = np.unique(labels[labels != -1])
    if found.size == 0:
        return np.zeros((classes.size, classes.size), dtype=np.int64), classes, np.full(classes.size, -1)
    kept = labels != -1
    counts = np.zeros((classes.size, found.size), dtype=np.int64)
    np.add.at(counts, (codes[kept], np.searchsorted(found, labels[kept])), 1)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    match = np.full(classes.size, -1)  # cluster column matched to each class
    match[rows] = cols
    unmatched = [c for c in range(found.size) if c not in set(cols)]
    columns = [counts[:, c] if c >= 0 else np.zeros(classes.size, dtype=np.int64) for c in match]
    columns += [counts[:, c] for c in unmatched]
    names = [found[c] if c >= 0 else -1 for c in match] + [found[c] for c in unmatched]
    return np.column_stack(columns), classes, np.asarray(names)


def _accuracy(codes, classes, labels):
    matrix, _, _ = _matched_confusion(codes, classes, labels)
    return float(np.trace(matrix[:, : classes.size]) / len(codes))


def match_labels(y_true, labels):
    """Rename clusters after the classes they are matched to (Hungarian).

    The same one-to-one matching the accuracy of :func:`evaluate` uses: a cluster
    matched to class ``c`` becomes ``c``, so a figure or table can compare
    clusters with classes name for name (and colour for colour).

    Parameters
    ----------
    y_true : array-like of int, shape (n_samples,)
        True classes, all ``>= 0`` (``-1`` is reserved for noise).
    labels : array-like of int, shape (n_samples,)
        Cluster labels; ``-1`` marks noise.

    Returns
    -------
    numpy.ndarray of int, shape (n_samples,)
        The matched class of each sample's cluster. Clusters left without a
        class (more clusters than classes) get new ids after the largest
        class, ``max(y_true) + 1, max(y_true) + 2, ...``, largest cluster
        first (ties by cluster id). Noise stays ``-1``.

    Examples
    --------
    >>> match_labels([0, 0, 1, 1, 2], [7, 7, 3, 3, -1]).tolist()
    [0, 0, 1, 1, -1]
    """
    y_true = check_labels(y_true, name="y_true")  # integers: surplus clusters are numbered after them
    labels = check_labels(labels, name="labels", n_samples=len(y_true))
    if np.any(y_true < 0):
        raise ValueError("y_true must hold classes >= 0; -1 is reserved for noise in cluster labels")
    codes, classes = check_classes(y_true)
    _, classes, clusters = _matched_confusion(codes, classes, labels)
    mapping = {int(cluster): int(cls) for cls, cluster in zip(classes, clusters[: classes.size]) if cluster != -1}
    extra = [int(c) for c in clusters[classes.size :]]
    sizes = {c: int(np.count_nonzero(labels == c)) for c in extra}
    next_id = int(classes.max()) + 1
    for offset, cluster in enumerate(sorted(extra, key=lambda c: (-sizes[c], c))):
        mapping[cluster] = next_id + offset
    mapping[-1] = -1
    found, inverse = np.unique(labels, return_inverse=True)
    return np.array([mapping[int(c)] for c in found], dtype=np.int64)[inverse.ravel()]


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


def results_table(results, digits=2):
    """Format several :func:`evaluate` results as an aligned text table.

    Values are rounded to ``digits`` decimals so the table can be compared
    across machines whose floating-point arithmetic differs slightly.

    Parameters
    ----------
    results : sequence of dict
        Rows from :func:`evaluate`, each with a ``name``.
    digits : int, default=2
        Decimals for the scores.

    Returns
    -------
    str
        One header line and one line per result; ``print`` it.
    """
    results = list(results)
    if not results:
        raise ValueError("results is empty: pass at least one row from evaluate()")
    digits = check_int(digits, name="digits", minimum=0, maximum=6)
    for i, row in enumerate(results):
        if not isinstance(row, dict):
            raise TypeError(f"results[{i}] must be a dict from evaluate(); got {type(row).__name__}")
        missing = [key for key in ("name", *METRICS) if key not in row]
        if missing:
            raise ValueError(f"results[{i}] lacks {missing}; build rows with evaluate()")
    headers = ("pipeline", "ARI", "NMI", "accuracy", "noise", "clusters")
    rows = [
        (
            str(row["name"]),
            *(f"{row[key]:.{digits}f}" for key in ("ari", "nmi", "accuracy", "noise_fraction")),
            str(row["n_clusters"]),
        )
        for row in results
    ]
    return aligned_table(headers, rows, left=(0,))


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
    table = [tuple(str(cell) for cell in headers)] + [tuple(str(cell) for cell in row) for row in rows]
    for i, row in enumerate(table[1:]):
        if len(row) != len(table[0]):
            raise ValueError(f"row {i} has {len(row)} cells but there are {len(table[0])} headers")
    widths = [max(len(row[j]) for row in table) for j in range(len(table[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) if j in left else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))).rstrip()
        for row in table
    )
