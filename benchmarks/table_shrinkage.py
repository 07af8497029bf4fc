"""Notebook 05's Gaussian fit with one shrinkage amount per table, the same for every split of it.

The wide-table runs (README, *Columns*) traced the rule's under-splitting there to the Ledoit-Wolf amount
that ``shrunk_covariance`` estimates for each fit: in 50 columns of 300 rows, the three blobs' pooled
within-cluster covariance is shrunk almost to a sphere (0.94) and two clusters' little (0.17), so the split
that leaves two blobs in one cluster keeps an in-sample bonus the right split loses. This fit removes that
difference: every covariance of a table (one cluster's, each split's pooled or per-cluster ones) is shrunk
by the one amount estimated from the whole table, centred. The no-structure references are tables too, each
with its own amount. It is passed to notebook 05's own ``score_candidates`` as ``yardstick=``, as the
notebook's exercise 4 passes another; ``label_free.py --table-shrinkage`` runs the suite with it.

Usage::

    python benchmarks/label_free.py --table-shrinkage --first-seed 42 --seeds 3 --log LOG
"""

from __future__ import annotations

import numpy as np
from sklearn.covariance import ledoit_wolf_shrinkage


def table_shrinkage_fit(X, labels, shared=True):
    """Mean log-likelihood per row of X, as notebook 05's ``gaussian_fit``, with every covariance shrunk by
    the amount of the whole table X (its rows centred on their mean) instead of the amount of its own rows."""
    n, d = X.shape
    # one amount for every split of this table: the Ledoit-Wolf amount notebook 05's shrunk_covariance estimates
    # (it agrees to rounding) for one cluster of all the rows
    amount = ledoit_wolf_shrinkage(X - X.mean(axis=0), assume_centered=True)
    clusters = [X[labels == c] - X[labels == c].mean(axis=0) for c in np.unique(labels)]
    groups = [np.vstack(clusters)] if shared else clusters
    total = sum(len(c) * np.log(len(c) / n) for c in clusters)
    for centred in groups:
        sample = centred.T @ centred / len(centred)
        covariance = (1 - amount) * sample + amount * np.trace(sample) / d * np.eye(d) + 1e-6 * np.eye(d)
        _, log_det = np.linalg.slogdet(covariance)
        mahalanobis = np.trace(np.linalg.solve(covariance, centred.T @ centred))  # summed over the rows
        total -= 0.5 * (len(centred) * (log_det + d * np.log(2 * np.pi)) + mahalanobis)
    return total / n
