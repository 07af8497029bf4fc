"""Scoring a clustering against the ground truth, and a side-by-side table.

Clustering labels are arbitrary names: cluster 0 may be class 2. ARI and
NMI do not care about names; *accuracy* does, so it first matches clusters
to classes one-to-one with the Hungarian algorithm.

Noise (label ``-1``, from DBSCAN or OPTICS) is scored as it is: a group of
its own for ARI and NMI, and always wrong for accuracy. A method cannot look
better by calling the hard points noise.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from helpers._validation import check_int, check_labels

#: Columns of :func:`evaluate`'s result, in table order.
METRICS = ("ari", "nmi", "accuracy", "noise_fraction", "n_clusters")


def _check_pair(y_true, labels):
    y_true = check_labels(y_true, name="y_true")
    labels = check_labels(labels, name="labels", n_samples=len(y_true))
    return y_true, labels


def matched_confusion(y_true, labels):
    """Confusion matrix with clusters reordered to match the classes.

    Parameters
    ----------
    y_true : array-like of int, shape (n_samples,)
        True classes.
    labels : array-like of int, shape (n_samples,)
        Cluster labels; ``-1`` (noise) is left out of the matrix.

    Returns
    -------
    matrix : numpy.ndarray of shape (n_classes, n_columns)
        ``matrix[i, j]``: samples of class ``i`` in the cluster matched to
        column ``j``. The first ``n_classes`` columns are the matched
        clusters (in class order); unmatched clusters follow.
    classes : numpy.ndarray
        The class of each row.
    clusters : numpy.ndarray
        The cluster label of each column (``-1`` where a class got no cluster).
    """
    y_true, labels = _check_pair(y_true, labels)
    classes = np.unique(y_true)
    found = np.unique(labels[labels != -1])
    if found.size == 0:
        return np.zeros((classes.size, classes.size), dtype=np.int64), classes, np.full(classes.size, -1)
    kept = labels != -1
    counts = np.zeros((classes.size, found.size), dtype=np.int64)
    np.add.at(counts, (np.searchsorted(classes, y_true[kept]), np.searchsorted(found, labels[kept])), 1)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    match = np.full(classes.size, -1)  # cluster column matched to each class
    match[rows] = cols
    unmatched = [c for c in range(found.size) if c not in set(cols)]
    columns = [counts[:, c] if c >= 0 else np.zeros(classes.size, dtype=np.int64) for c in match]
    columns += [counts[:, c] for c in unmatched]
    names = [found[c] if c >= 0 else -1 for c in match] + [found[c] for c in unmatched]
    return np.column_stack(columns), classes, np.asarray(names)


def cluster_accuracy(y_true, labels):
    """Accuracy after matching clusters to classes one-to-one (Hungarian).

    Parameters
    ----------
    y_true, labels : array-like of int, shape (n_samples,)

    Returns
    -------
    float
        Share of samples whose cluster is matched to their class; noise and
        surplus clusters count as errors.
    """
    matrix, classes, _ = matched_confusion(y_true, labels)
    return float(np.trace(matrix[:, : classes.size]) / len(np.asarray(y_true)))


def evaluate(y_true, labels, name=None):
    """Every score the series reports, in one call.

    Parameters
    ----------
    y_true : array-like of int, shape (n_samples,)
        Ground truth, used only for scoring.
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
    y_true, labels = _check_pair(y_true, labels)
    return {
        "name": name,
        "ari": float(adjusted_rand_score(y_true, labels)),
        "nmi": float(normalized_mutual_info_score(y_true, labels)),
        "accuracy": cluster_accuracy(y_true, labels),
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
    widths = [max(len(cells[i]) for cells in (headers, *rows)) for i in range(len(headers))]
    lines = [
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths)))
        for cells in (headers, *rows)
    ]
    return "\n".join(lines)


def check_bars(results, bars):
    """Compare results with the bars a notebook promises, one line per bar.

    Network scores can move a little between machines and TensorFlow
    builds, so a notebook that must not regress checks its *claims* (for
    example "ARI at least 0.80", "at least 0.10 above raw KMeans") rather
    than exact numbers.

    Parameters
    ----------
    results : sequence of dict
        Rows from :func:`evaluate`, each with a unique ``name``.
    bars : dict
        ``{row name: {bar: value}}`` with bars ``"min_ari"``, ``"max_ari"``,
        ``"max_noise"`` (a fraction) and ``"min_ari_above"`` (a dict
        ``{other row name: margin}``).

    Returns
    -------
    str
        One line per bar, ``yes`` or ``NO`` at the end; ``print`` it.

    Raises
    ------
    ValueError
        If a bar names an unknown row or an unknown kind of bar.
    """
    results = list(results)  # read once: a generator would be empty the second time
    rows = {row.get("name"): row for row in results if isinstance(row, dict)}
    if len(rows) != len(results):
        raise ValueError("results must be dicts from evaluate() with unique names")
    known = {"min_ari", "max_ari", "max_noise", "min_ari_above"}
    lines = []
    for name, wanted in bars.items():
        if name not in rows:
            raise ValueError(f"no result named {name!r}; names are {sorted(map(str, rows))}")
        unknown = set(wanted) - known
        if unknown:
            raise ValueError(f"unknown bar(s) {sorted(unknown)}; use {sorted(known)}")
        row = rows[name]
        checks = []
        if "min_ari" in wanted:
            checks.append((f"ARI >= {wanted['min_ari']:.2f}", row["ari"] >= wanted["min_ari"]))
        if "max_ari" in wanted:
            checks.append((f"ARI <= {wanted['max_ari']:.2f}", row["ari"] <= wanted["max_ari"]))
        if "max_noise" in wanted:
            checks.append((f"noise <= {wanted['max_noise']:.0%}", row["noise_fraction"] <= wanted["max_noise"]))
        for other, margin in wanted.get("min_ari_above", {}).items():
            if other not in rows:
                raise ValueError(f"no result named {other!r} to compare {name!r} with")
            checks.append((f"ARI >= {other} + {margin:.2f}", row["ari"] >= rows[other]["ari"] + margin))
        lines += [f"{name}: {label}: {'yes' if ok else 'NO'}" for label, ok in checks]
    return "\n".join(lines)
