"""Plumbing for notebook 05's label-free choice of a clustering: input checks and a printout.

The procedure itself (the clustering methods, the no-structure reference, the gap, stability,
the rule that chooses) is written in notebook 05's own cells, where a learner can change it.
This module holds what is not the lesson's subject: checking a learner's arguments up front, with
a clear message, running independent scoring tasks side by side in several processes, and
formatting scored candidates as a table.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from helpers._validation import check_features, check_float, check_int, check_k_range, check_labels, check_score
from helpers._validation import check_seed as _check_seed
from helpers._validation import warn_if_far_out_or_unscaled
from helpers.evaluation import aligned_table
from helpers.tables import Table

#: The clustering methods notebook 05's candidates can use.
METHODS = ("kmeans", "gmm")

#: Fewer rows draw a warning: on noise of 12 and 30 rows the procedure found "structure" in 27 of 48 runs
#: (``benchmarks/label_free.py --tiny``), and at 50 rows still in some (``--small``).
SMALL_TABLE_ROWS = 50
#: A table of :data:`WIDE_TABLE_COLUMNS` columns or more with fewer than :data:`ROWS_PER_COLUMN` rows per column draws
#: a warning: three clear blobs (``make_blobs(centers=3, cluster_std=8.0)``) in 30, 50 and 100 columns were chosen
#: as two clusters, or as none, in all 12 runs at 10 or fewer rows per column and found in all 6 at 20 or more
#: (``benchmarks/label_free.py --columns``, seeds 60-62; the README's *Columns*). No run lies between 10 and 20, so
#: the warning starts at 20, the lowest number measured to work; probes before that run (seeds 45-47, not
#: committed) put the edge near 15. It starts at 30 columns, the fewest measured: the advice's own table, 20
#: principal components of 300 rows, found the blobs (*Reduced*) and should not draw it.
WIDE_TABLE_COLUMNS = 30
ROWS_PER_COLUMN = 20


def _warn_if_too_few_rows(X):
    """Warn when X has too few rows for the scores to mean much: fewer than :data:`SMALL_TABLE_ROWS`, no more
    rows than columns, or, from :data:`WIDE_TABLE_COLUMNS` columns on, fewer than :data:`ROWS_PER_COLUMN` rows per
    column. Each warns at the learner's call of ``score_candidates``."""
    n, d = X.shape
    if n < SMALL_TABLE_ROWS:
        warnings.warn(f"X has {n} rows, fewer than {SMALL_TABLE_ROWS}: on tables of 12 and 30 rows of noise this "
                      "procedure often found 'structure' (clusters of a few rows each; the README's tiny tables). "
                      "Take any structure found here as a hypothesis to test on more rows",
                      UserWarning, stacklevel=4)
    if n <= d:
        warnings.warn(f"X has {n} rows and {d} columns: with no more rows than columns, the Gaussian fit's "
                      "covariances are mostly shrinkage and the gaps say little: clear clusters are usually missed, "
                      "and noise can pass as 'structure'. Reduce the columns to far fewer than the rows first (e.g. "
                      "X = PCA(n_components=20).fit_transform(X), the remedy of the README's Reduced table on wider "
                      "tables, or fewer components for fewer rows), build the representations on that table, "
                      f"and score it as X; from {WIDE_TABLE_COLUMNS} columns on, fewer than {ROWS_PER_COLUMN} rows per "
                      "column can fail the same way",
                      UserWarning, stacklevel=4)
    elif d >= WIDE_TABLE_COLUMNS and n < ROWS_PER_COLUMN * d:
        per_column = int(n / d * 10) / 10  # rounded down: 19.97 is not "20.0 rows per column"
        warnings.warn(f"X has {n} rows and {d} columns, {per_column:.1f} rows per column: with {WIDE_TABLE_COLUMNS} "
                      f"columns or more, fewer than {ROWS_PER_COLUMN} rows per column can make the gaps turn against "
                      "clear clusters: three clear blobs in 30 to 100 columns were chosen as two clusters, or none, "
                      "at 10 or fewer rows per column (the README's Columns table). Measured on one of them (50 "
                      "columns, 300 rows): the right split's pooled covariance was shrunk almost to a sphere, while "
                      "one cluster's, or two clusters' with two blobs in one, was barely shrunk and fitted the rows' "
                      "noise. Reduce the columns first (tables of 50 to 200 such columns as 20 principal "
                      "components: X = PCA(n_components=20).fit_transform(X)), build the representations on that "
                      "table and score it as X: there the same blobs were found, and uniform noise stayed "
                      "'no structure'",
                      UserWarning, stacklevel=4)


#: A column of X whose skewness is beyond this (either sign) draws a warning from :func:`check_inputs`: on 500 rows
#: of five independent exponential columns (skewness about 2) and of lognormal ones, with no groups, notebook 05's
#: procedure found "structure" at each of seeds 0-2, and on their logarithms at none.
SKEWED = 1.5
#: Columns with at most this many different values (0/1 columns, codes, small counts), or whose most common value
#: holds :data:`SPIKE` of the rows or more (the digits' mostly blank pixels), are not judged by their skewness: a
#: logarithm would not spread them.
FEW_VALUES = 10
SPIKE = 0.25


def _warn_if_skewed(X):
    """Warn at the learner's call of ``score_candidates`` when columns of X are strongly skewed (from
    :data:`SMALL_TABLE_ROWS` rows, so that the skewness is not noise): the procedure's no-structure
    references are symmetric, and a long tail can pass for clusters."""
    n = len(X)
    if n < SMALL_TABLE_ROWS:
        return
    centred = X - X.mean(axis=0)
    spread = centred.std(axis=0)
    varied = spread > 0
    skewness = np.zeros(X.shape[1])
    skewness[varied] = (centred[:, varied] ** 3).mean(axis=0) / spread[varied] ** 3

    def spread_out(column):  # many different values, none of them held by a large share of the rows
        counts = np.unique(column, return_counts=True)[1]
        return counts.size > FEW_VALUES and counts.max() < SPIKE * n

    # counting a column's values sorts it: only the columns past the bound need it (50,000 rows x 20 columns)
    skewed = np.array([j for j in np.flatnonzero(np.abs(skewness) > SKEWED) if spread_out(X[:, j])], dtype=int)
    if skewed.size == 0:
        return
    listed = ", ".join(f"{j} ({skewness[j]:+.1f})" for j in skewed[:5]) + (", ..." if skewed.size > 5 else "")
    warnings.warn(f"{skewed.size} column(s) of X are strongly skewed (column, counting from 0, and its skewness: "
                  f"{listed}): a long tail can pass for clusters, since the no-structure references this procedure "
                  f"compares with are symmetric (on 500 rows of skewed columns with no groups it found 'structure', "
                  f"on their logarithms none). If such a column holds positive amounts (incomes, prices, durations, "
                  f"counts), cluster np.log1p of it instead, before scaling, and compare",
                  UserWarning, stacklevel=4)


def check_inputs(X, representations, k_range, methods=METHODS, seed=0, n_references=5, n_resamples=5, max_fit=2000):
    """Check the arguments of a label-free scoring run and return them cleaned.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The prepared (scaled) features, at least 4 rows, finite, varying
        along at least two directions (one column, or columns that are
        copies or multiples of one another, are refused).
    representations : dict of str -> callable or None
        Name -> function mapping feature rows to the representation to
        cluster; ``None`` stands for ``X`` itself.
    k_range : iterable of int
        ``1, 2, ..., k_max`` with ``k_max >= 2`` (``k = 1`` is the
        no-structure candidate), ``k_max < n_samples``.
    methods : sequence of str, default=("kmeans", "gmm")
    seed : int, default=0
        Non-negative integer; the stability refits use ``seed + 1`` to
        ``seed + n_resamples``, so those must be valid seeds too.
    n_references, n_resamples : int, default=5
        No-structure data sets per kind, and stability refits: at least 1.
    max_fit : int, default=2000
        Rows each clustering is fitted on: more than ``k_max``.

    Returns
    -------
    X : numpy.ndarray
    representations : dict of str -> callable
        ``None`` replaced by the identity.
    ks : list of int

    Raises
    ------
    TypeError, ValueError
        Naming the argument and the problem.

    Warns
    -----
    UserWarning
        If one column's standard deviation is more than ``_validation.UNSCALED_RATIO``
        (1,000) times another's: X was most likely not scaled. If X has fewer than
        :data:`SMALL_TABLE_ROWS` rows, no more rows than columns, or from :data:`WIDE_TABLE_COLUMNS` columns on
        fewer than :data:`ROWS_PER_COLUMN` rows per column. If X has fewer different rows than
        ``k_max``: ``ks`` then stops at that number.
    """
    if isinstance(X, Table):  # check_features would say "got Table", without the way on
        raise TypeError("X is the loaded table itself: score its scaled columns, scale_columns(table) in notebook 05 "
                        "(table.X holds them unscaled)")
    X = check_features(X, min_samples=4)
    if X.shape[1] == 1:  # the cloud reference keeps each row's distance from the centre, with a random direction
        raise ValueError("X has one column: its no-structure reference would be the column itself, mirrored about "
                         "its mean at random (in one dimension a direction is only a sign), so groups in X would be "
                         "groups in the reference too and the gap could not see them; look at a histogram of the "
                         "column instead, or cluster it together with other columns")
    spread = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)  # along each principal axis, largest first
    if spread[1] <= 1e-9 * spread[0]:  # the axes reference_cloud keeps: fewer than two (none if X is constant)
        raise ValueError("X varies along only one direction (its columns are constant, or copies or multiples of "
                         "one another, such as one length in cm and in inches): like a table of one column, its "
                         "no-structure reference would hold the same groups as X; keep one of those columns and "
                         "look at its histogram, or add columns that vary on their own")
    warn_if_far_out_or_unscaled(X, name="X", consequence="distances, and every score here, mostly measure the "
                                "widest columns", hint="notebook 05's scale_columns; if you scaled them with "
                                "one_unit=True (ONE_UNIT = True there), they are not in one unit: set ONE_UNIT = "
                                "False to scale each column on its own", stacklevel=4)  # the learner's call
    _warn_if_too_few_rows(X)
    _warn_if_skewed(X)  # beside a far-out warning too: it lists every skewed column, and its advice is conditional
    if not isinstance(representations, dict) or not representations:
        raise TypeError("representations must be a non-empty dict: name -> function(X) returning an array, "
                        "e.g. {'scaled features': None, 'PCA': pca.transform}")
    checked = {}
    for name, transform in representations.items():
        if transform is None:
            transform = _identity
        if not callable(transform):
            raise TypeError(f"representations[{name!r}] must be a function of X (or None for X itself); "
                            f"got {type(transform).__name__}")
        checked[str(name)] = transform
    ks = check_k_range(k_range)  # whole numbers >= 1; the lines below ask for exactly 1, 2, ..., k_max
    if ks[-1] > len(X) - 1:  # say why: the bound comes from X, not from k_range itself
        raise ValueError(f"k_range reaches k = {ks[-1]} but X has only {len(X)} rows: k must be at most "
                         f"{len(X) - 1}, e.g. k_range=range(1, {min(len(X), 11)})")
    if ks[0] != 1 or ks != list(range(1, ks[-1] + 1)):
        raise ValueError(f"k_range must be 1, 2, ..., k_max with k_max >= 2 (k = 1 is the no-structure "
                         f"candidate); got {ks}")
    ks = _within_distinct_rows(X, ks)
    if not hasattr(methods, "__len__"):  # a generator: checking it here would leave nothing for the caller
        raise TypeError(f"methods must be a list or tuple of method names, e.g. {METHODS}; "
                        f"got {type(methods).__name__}")
    if isinstance(methods, str) or not all(m in METHODS for m in methods) or not len(methods):
        raise ValueError(f"methods must be taken from {METHODS}; got {methods!r}")
    check_int(n_references, name="n_references", minimum=1)
    seed = check_seed(seed, check_int(n_resamples, name="n_resamples", minimum=1))
    if check_int(max_fit, name="max_fit") <= ks[-1]:
        raise ValueError(f"max_fit must be more than k_max = {ks[-1]}: each clustering is fitted on max_fit rows "
                         f"and needs more rows than clusters; got {max_fit}")
    return X, checked, ks


def _within_distinct_rows(X, ks):
    """``ks`` cut at the number of different rows of ``X``, with a warning when that cuts it.

    A table whose columns take a few values each (0/1 columns, ratings) may hold fewer different rows than
    ``k_max``: no method can make more clusters than that, and KMeans warns at every such k (dozens of
    ConvergenceWarnings for one table). Its clusters can only follow the combinations of its values.
    """
    n_distinct = len(np.unique(X, axis=0))
    if n_distinct >= ks[-1]:
        return ks
    warnings.warn(f"X has only {n_distinct} different rows (its columns take few values, such as 0/1 columns): no "
                  f"clustering can make more than {n_distinct} clusters of it, so k stops at {n_distinct}; its "
                  f"clusters can only follow the combinations of those values",
                  UserWarning, stacklevel=4)  # the learner's call of score_candidates
    return ks[:n_distinct]


def check_seed(seed, n_refits=0):
    """Check a seed of notebook 05's procedure and return it as a Python ``int``.

    Parameters
    ----------
    seed : int
        An integer from 0 to ``2**32 - 1 - n_refits`` (scikit-learn's
        ``random_state`` takes no NumPy ``Generator``, so one is refused
        here, not deep inside scikit-learn).
    n_refits : int, default=0
        Refits seeded ``seed + 1`` to ``seed + n_refits`` (the stability
        refits of ``score_candidates``, ``stability``,
        ``assignment_confidence``): those must be valid seeds too.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        Naming the seed and the problem.
    """
    seed = _check_seed(seed, name="seed")  # a Python int: a NumPy one could wrap round in the sum below
    if seed + n_refits > 2**32 - 1:
        raise ValueError(f"seed must be at most {2**32 - 1 - n_refits}: the refits use the seeds seed + 1 to "
                         f"seed + {n_refits}, and a seed is at most 2**32 - 1; got {seed}")
    return seed


def check_scaling(values, one_unit, like):
    """Check the arguments of notebook 05's ``scale_columns`` and return ``values`` and ``like`` as float arrays.

    Parameters
    ----------
    values : array-like of shape (n_samples, n_features) or Table
        The rows to scale.
    one_unit : bool
        Exactly ``True`` or ``False``: a string such as ``"no"`` would count as true.
    like : array-like of shape (n_other, n_features), Table or None
        The table whose means and spreads to use; ``None`` is ``values`` itself.

    Returns
    -------
    values, like : numpy.ndarray of float64
        float64 whatever came in: float16 sums overflow.

    Raises
    ------
    TypeError
        If ``one_unit`` is not a bool, or a value is not a number (text, a date), named by its column.
    ValueError
        If ``values`` or ``like`` is not 2-D, holds a missing or infinite value, or ``like`` has other columns
        than ``values``.
    """
    if one_unit not in (True, False):
        raise TypeError(f"one_unit must be True or False; got {one_unit!r}")
    values = _numeric_table(values, "values")
    like = values if like is None else _numeric_table(like, "like", values.shape[1])
    if like.shape[1] != values.shape[1]:
        raise ValueError(f"like must be a table with the same columns as values ({values.shape[1]}); got shape "
                         f"{like.shape}")
    return values, like


def _numeric_table(rows, name, columns=None):
    """``rows`` (an array, a DataFrame or a Table) as a float64 table of finite numbers, or a clear error naming
    the first text, missing or infinite value (:func:`helpers._validation.check_features`)."""
    rows = rows.X if isinstance(rows, Table) else rows
    try:
        ndim = np.ndim(rows)
    except ValueError:  # NumPy cannot make one array of rows of different lengths
        raise ValueError(f"{name} must be a table (rows x columns) whose rows all have the same length") from None
    if ndim != 2:
        if columns is not None:
            raise ValueError(f"like must be a table with the same columns as values ({columns}); got shape "
                             f"{np.shape(rows)}")
        raise ValueError(f"{name} must be a table (rows x columns); got shape {np.shape(rows)}: one row is "
                         f"{name}.reshape(1, -1)")
    return check_features(rows, name=name, min_samples=1).astype(np.float64)


def check_refits(Z, k, labels, seed, n_resamples, fraction):
    """Check the arguments of notebook 05's ``stability`` and ``assignment_confidence``.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_features)
        The clustered representation: finite numbers.
    k : int
        Clusters of each refit, from 1 to ``n_samples - 1``.
    labels : array-like of int, shape (n_samples,)
        The clustering to compare the refits with: one of the ``k`` clusters
        for every row, numbered ``0`` to ``k - 1`` (as ``fit_clustering``'s
        ``predict`` gives them; DBSCAN's noise, ``-1``, is not a cluster).
    seed : int
        As :func:`check_seed`, with ``n_resamples`` refits.
    n_resamples : int
        Refits: at least 1.
    fraction : float
        Share of the rows each refit sees, in (0, 1].

    Returns
    -------
    Z : numpy.ndarray
    labels : numpy.ndarray of int
    seed : int

    Raises
    ------
    TypeError, ValueError
        Naming the argument and the problem, before any refit.
    """
    Z = check_features(Z, name="Z", min_samples=2)
    k = check_int(k, name="k", minimum=1, maximum=len(Z) - 1)
    n_resamples = check_int(n_resamples, name="n_resamples", minimum=1)
    check_float(fraction, name="fraction", low=0.0, high=1.0, low_inclusive=False)
    labels = check_labels(labels, name="labels", n_samples=len(Z))
    if labels.min() < 0 or labels.max() >= k:
        raise ValueError(f"labels must give each row of Z one of the {k} clusters fit_clustering finds, numbered 0 "
                         f"to {k - 1}; got labels from {labels.min()} to {labels.max()}")
    return Z, labels, check_seed(seed, n_refits=n_resamples)


def check_rule(candidates, min_stability, min_gain, min_share, min_separation, above_chance=True):
    """Check the arguments of notebook 05's ``choose`` and return the candidates as a list.

    Parameters
    ----------
    candidates : sequence
        ``score_candidates``' result, non-empty.
    min_stability : float
        In ``[0, 1]``: a stability is a mean adjusted Rand index, at most 1.
    min_gain : float
        Finite, at least 0.
    min_share : float
        In ``[0, 0.5]``: no split into two or more clusters gives every
        cluster more than half of the rows.
    min_separation : float
        Finite, at least 0 (standard deviations).
    above_chance : bool, default=True
        True or False: a string such as ``"no"`` would count as true.

    Raises
    ------
    TypeError, ValueError
        Naming the argument and the problem (a whole percentage such as 75
        for 0.75, text for a number).
    """
    candidates = _check_candidates(candidates, example="score_candidates(X, representations)")
    for name, value, high in (("min_stability", min_stability, 1.0), ("min_share", min_share, 0.5)):
        if isinstance(value, numbers.Real) and not isinstance(value, bool) and 2 <= value <= 100:
            raise ValueError(f"{name} is a share between 0 and {high}, not a percentage: "
                             f"{value / 100:g} for {value:g} %; got {value}")
        check_float(value, name=name, low=0.0, high=high)
    check_float(min_gain, name="min_gain", low=0.0)
    check_float(min_separation, name="min_separation", low=0.0)
    if not isinstance(above_chance, (bool, np.bool_)):
        raise TypeError(f"above_chance must be True or False; got {above_chance!r}")
    return candidates


def _identity(X):
    return X


def represent(transform, X, name):
    """``transform(X)`` as a finite 2-D float array with one row per row of ``X``.

    Raises
    ------
    TypeError, ValueError
        If the representation is not numeric, not 2-D, not finite, or has
        another number of rows than ``X``; or is a list or tuple of arrays
        (a model with several outputs, such as a VAE's encoder); or gives
        the same point for every row.
    """
    Z = transform(X)
    if isinstance(Z, (list, tuple)) and Z and all(np.ndim(part) >= 2 for part in Z):
        # A model with several outputs (a VAE's encoder: z_mean, z_log_var, z) returns a list;
        # NumPy would stack it into one 3-D array and the error would speak of shapes.
        raise ValueError(f"representation {name!r} returned {len(Z)} array{'s' if len(Z) > 1 else ''} (a list or "
                         f"tuple); pick one, e.g. lambda X: encoder.predict(X)[0]")
    # min_samples=0: an empty representation is refused by the row count below, which says why
    Z = check_features(np.asarray(Z), name=f"representation {name!r} of X", min_samples=0)
    if len(Z) != len(X):
        raise ValueError(f"representation {name!r} of X has {len(Z)} rows; X has {len(X)}: a representation "
                         "must map every row")
    if len(Z) > 1 and Z.shape[1] > 0 and np.all(Z == Z[0]):  # scikit-learn would warn once per fit, hundreds of times
        raise ValueError(f"representation {name!r} gives the same point for every row: it cannot tell any rows "
                         "apart (an autoencoder whose code collapsed, say); retrain it, or leave it out")
    return Z


def _in_one_thread(task, args):
    # A worker process does not inherit this process's thread limit, so each task sets its own.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # hundreds of small fits: one BLAS/OpenMP thread each is fastest
        return task(*args)


def run_side_by_side(task, jobs, n_jobs=None):
    """``[task(*args) for args in jobs]``, the tasks spread over ``n_jobs`` processes.

    The tasks must not depend on each other. Each runs with one BLAS/OpenMP thread, in this process
    or in a worker, so the results are the same whatever ``n_jobs`` is, and in the order of ``jobs``.

    Parameters
    ----------
    task : callable
        Called as ``task(*args)`` for each ``args`` in ``jobs``. With ``n_jobs`` above 1 it is sent to
        worker processes (joblib's loky backend, which can send functions defined in a notebook).
    jobs : iterable of tuple
        The arguments of each call. Large arrays among them reach the workers once, as memory maps.
    n_jobs : int or None, default=None
        How many processes, as scikit-learn's ``n_jobs``: None or 1 runs every task here, one after
        another (unless a joblib ``parallel_config`` says otherwise); 2 uses both cores of a 2-core
        machine such as Colab's; -1 every core, -2 all but one.

    Returns
    -------
    list
        The tasks' results, in the order of ``jobs``.

    Raises
    ------
    ValueError
        If ``n_jobs`` is 0 or not an integer.
    """
    if n_jobs is not None and (isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0):
        raise ValueError(f"n_jobs must be None or a non-zero integer (a number of processes, or -1 for every core, "
                         f"as in scikit-learn); got {n_jobs!r}")
    from joblib import Parallel, delayed

    return Parallel(n_jobs=None if n_jobs is None else int(n_jobs))(delayed(_in_one_thread)(task, args) for args in jobs)


def candidates_table(candidates, digits=2, verdicts=None):
    """Format scored candidates as an aligned text table (one line per candidate).

    Parameters
    ----------
    candidates : sequence
        Objects with the attributes ``representation``, ``method``, ``k``,
        ``gap``, ``gap_se``, ``stability``, ``silhouette`` and ``separation``
        (notebook 05's ``Candidate``), for instance a selection's picks.
    digits : int, default=2
    verdicts : sequence of str, optional
        A last column, aligned with ``candidates``.

    Returns
    -------
    str
        ``-`` marks a score that was not measured (NaN) or does not apply
        (infinite: the separation of one cluster).
    """
    candidates = _check_candidates(candidates)
    digits = check_int(digits, name="digits", minimum=0, maximum=6)
    headers = ("representation", "method", "k", "gap", "± se", "stability", "silhouette", "separation")
    if verdicts is not None:
        if isinstance(verdicts, str):  # a string would give one letter per candidate
            raise TypeError(f"verdicts must be a list of texts, one per candidate; got the string {verdicts!r}")
        verdicts = [str(v) for v in verdicts]
        if len(verdicts) != len(candidates):
            raise ValueError(f"verdicts has {len(verdicts)} entries for {len(candidates)} candidates")
        headers += ("verdict",)

    def number(value):
        return f"{value:.{digits}f}" if np.isfinite(value) else "-"

    rows = [(c.representation, c.method, str(c.k), number(c.gap), number(c.gap_se), number(c.stability),
             number(c.silhouette), number(c.separation)) for c in candidates]
    if verdicts is not None:
        rows = [row + (verdict,) for row, verdict in zip(rows, verdicts)]
    return aligned_table(headers, rows, left=(0, 1, 8))  # text columns left, numbers right


#: What :func:`candidates_table` reads from each candidate; the scores may be NaN or infinite.
_FIELDS = ("representation", "method", "k")
_SCORES = ("gap", "gap_se", "stability", "silhouette", "separation")


def _check_candidates(candidates, example="choice.picks"):
    """``candidates`` as a non-empty list of objects with the fields of notebook 05's ``Candidate``.

    ``example`` names where such a list comes from, for the messages.
    """
    if candidates is None:
        raise TypeError(f"candidates is None; pass a list of candidates, e.g. {example} (a choice that found "
                        "no structure has chosen=None, which is not a list)")
    if all(hasattr(candidates, field) for field in _FIELDS):  # one Candidate: iterating it gives its fields
        raise TypeError("candidates must be a list of candidates; got a single candidate: pass a list, "
                        "e.g. [choice.chosen]")
    try:
        candidates = list(candidates)
    except TypeError:
        raise TypeError(f"candidates must be a list of candidates, e.g. {example}; "
                        f"got {type(candidates).__name__}") from None
    if not candidates:
        raise ValueError("candidates is empty")
    for i, candidate in enumerate(candidates):
        lacking = [field for field in (*_FIELDS, *_SCORES) if not hasattr(candidate, field)]
        if lacking:
            raise TypeError(f"candidates[{i}] ({type(candidate).__name__}) lacks {lacking}; pass notebook 05's "
                            f"Candidate objects, e.g. {example}")
        for field in _SCORES:
            check_score(getattr(candidate, field), name=f"candidates[{i}].{field}")
    return candidates
