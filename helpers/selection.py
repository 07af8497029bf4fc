"""Choosing a clustering without labels: score every candidate, then pick one or say there is none.

A *candidate* is one way to cluster the data: a representation (the scaled
features, a PCA projection, an encoder's code, ...), a method (KMeans or a
Gaussian mixture) and a number of clusters ``k``. Three label-free criteria
score it, all measured in **one common space**, the prepared features ``X``,
so that candidates built on different representations can be compared:

- **gap** (Tibshirani, Walther & Hastie 2001): how much tighter the clusters
  are than the clusters the same pipeline finds in data with no structure,
  uniform points in the PCA box of ``X``. The reference points go through the
  same representation and the same method, so every pipeline is compared
  with itself. ``k = 1`` is a candidate too: "one cluster, no structure".
- **stability**: refit the clustering on random 80 % subsamples with new
  seeds and compare with the full fit (mean ARI). Clusters that depend on
  the sample or the seed do not come back; but a cut through a cloud can be
  just as repeatable, so stability alone cannot say "no structure".
- **silhouette**: how much closer each point is to its own cluster than to
  the next one, on ``X``.

:func:`choose` combines them: per representation and method the gap picks
``k`` (the smallest ``k`` whose gap is within one standard error of the next
one's, Tibshirani's rule; ``k = 1`` means no structure); a pick counts only
if it beats one cluster by a clear margin (``min_gain``) and is stable
(``min_stability``); among the picks that count, the highest silhouette
wins. When none counts, the answer is "no stable cluster structure".

Cost: each representation x method x ``k`` is fitted once on the data and
once on each of ``n_references`` reference sets, plus ``n_resamples`` fits
per representation and method for the stability of its pick.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from helpers import DEFAULT_SEED
from helpers._validation import check_features, check_float, check_int, check_k_range, check_labels, check_seed

#: The clustering methods a candidate can use.
METHODS = ("kmeans", "gmm")


def fit_clustering(Z, method, k, random_state=DEFAULT_SEED):
    """Fit one clustering method with ``k`` clusters and return the fitted model.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_features)
        The representation to cluster.
    method : {"kmeans", "gmm"}
        ``KMeans(n_init=4)``, or ``GaussianMixture`` with full covariances
        started from a KMeans fit (``reg_covar=1e-4`` keeps flat or constant
        directions from breaking it).
    k : int
        Number of clusters, at least 1.
    random_state : int, default=42

    Returns
    -------
    sklearn estimator
        Fitted; ``model.predict(Z)`` gives the labels.
    """
    Z = check_features(Z, min_samples=2)
    k = check_int(k, name="k", minimum=1, maximum=len(Z))
    random_state = check_seed(random_state)
    if method == "kmeans":
        return KMeans(n_clusters=k, n_init=4, random_state=random_state).fit(Z)
    if method == "gmm":
        return GaussianMixture(n_components=k, covariance_type="full", reg_covar=1e-4,
                               random_state=random_state).fit(Z)
    raise ValueError(f"method must be one of {METHODS}; got {method!r}")


def within_dispersion(X, labels):
    """Sum of squared distances from every point to the mean of its cluster (``W_k``).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    labels : array-like of int, shape (n_samples,)

    Returns
    -------
    float
    """
    X = check_features(X, min_samples=1)
    labels = check_labels(labels, n_samples=len(X))
    total = 0.0
    for cluster in np.unique(labels):
        members = X[labels == cluster]
        total += float(np.sum((members - members.mean(axis=0)) ** 2))
    return total


def uniform_reference(X, n_samples=None, random_state=DEFAULT_SEED):
    """Data with no cluster structure: uniform points in the PCA box of ``X``.

    The box is aligned with ``X``'s principal axes and spans its range along
    each, so the reference has the data's extent and orientation but no
    groups (Tibshirani et al. 2001, the "reference features" choice).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_samples : int, optional
        Number of reference points; defaults to ``len(X)``.
    random_state : int, default=42

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_features)
    """
    X = check_features(X, min_samples=2)
    n_samples = len(X) if n_samples is None else check_int(n_samples, name="n_samples", minimum=1)
    rng = np.random.default_rng(check_seed(random_state))
    mean = X.mean(axis=0)
    _, _, axes = np.linalg.svd(X - mean, full_matrices=False)
    projected = (X - mean) @ axes.T
    uniform = rng.uniform(projected.min(axis=0), projected.max(axis=0), size=(n_samples, projected.shape[1]))
    return (uniform @ axes + mean).astype(X.dtype)


def stability(Z, method, k, labels, n_resamples=5, fraction=0.8, random_state=DEFAULT_SEED):
    """How well a clustering comes back when refitted on subsamples with new seeds.

    Each round fits ``method`` on a random ``fraction`` of the points with a
    new seed, assigns *every* point with the refitted model and compares with
    ``labels`` (ARI). The representation ``Z`` stays as it is.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_features)
        The representation that was clustered.
    method : {"kmeans", "gmm"}
    k : int
    labels : array-like of int, shape (n_samples,)
        The clustering of all points to compare with.
    n_resamples : int, default=5
    fraction : float, default=0.8
        Share of the points in each subsample.
    random_state : int, default=42

    Returns
    -------
    float
        Mean ARI over the rounds: 1 means the same clustering every time,
        0 chance agreement. With ``k = 1`` it is 1 by definition.
    """
    Z = check_features(Z, min_samples=4)
    labels = check_labels(labels, n_samples=len(Z))
    k = check_int(k, name="k", minimum=1, maximum=len(Z))
    n_resamples = check_int(n_resamples, name="n_resamples", minimum=1)
    fraction = check_float(fraction, name="fraction", low=0.0, high=1.0, low_inclusive=False)
    random_state = check_seed(random_state)
    if k == 1:
        return 1.0
    size = max(k + 1, int(round(fraction * len(Z))))
    rng = np.random.default_rng(random_state)
    scores = []
    for round_ in range(n_resamples):
        subset = rng.choice(len(Z), size=min(size, len(Z)), replace=False)
        model = fit_clustering(Z[subset], method, k, random_state=random_state + 1 + round_)
        scores.append(adjusted_rand_score(labels, model.predict(Z)))
    return float(np.mean(scores))


class Candidate(NamedTuple):
    """One clustering candidate and its label-free scores.

    Attributes
    ----------
    representation : str
        Name of the representation that was clustered.
    method : str
        ``"kmeans"`` or ``"gmm"``.
    k : int
        Number of clusters (1: everything in one cluster).
    labels : numpy.ndarray of int
        The cluster of every sample.
    gap : float
        Gap statistic: mean ``log W_k`` of the reference minus ``log W_k``
        of the data, both in the common space. Larger: tighter than chance.
    gap_se : float
        Its standard error, ``sd * sqrt(1 + 1/B)`` over ``B`` references.
    stability : float
        Mean ARI between the clustering and its refits on subsamples;
        measured only for each representation and method's gap pick
        (:func:`gap_choice`), NaN for the other candidates.
    silhouette : float
        Mean silhouette on the common space (NaN for ``k = 1``).
    """

    representation: str
    method: str
    k: int
    labels: np.ndarray
    gap: float
    gap_se: float
    stability: float
    silhouette: float


def _check_representations(representations):
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
    return checked


def _identity(X):
    return X


def _represent(transform, X, name):
    Z = np.asarray(transform(X))
    return check_features(Z, name=f"representation {name!r} of X", min_samples=len(X))


def _check_ks(k_range, n_samples):
    ks = check_k_range(k_range, minimum=1, maximum=n_samples - 1)
    if ks[0] != 1 or ks != list(range(1, ks[-1] + 1)):
        raise ValueError(f"k_range must be 1, 2, ..., k_max with k_max >= 2 (k = 1 is the no-structure "
                         f"candidate); got {ks}")
    return ks


def score_candidates(X, representations, k_range=range(1, 11), methods=METHODS, *, n_references=5,
                     n_resamples=5, random_state=DEFAULT_SEED):
    """Score every (representation, method, k) candidate with label-free criteria.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The prepared (scaled) features: the common space every candidate is
        measured in.
    representations : dict of str -> callable or None
        Name -> function that maps feature rows to the representation to
        cluster, such as ``pca.transform`` or
        ``lambda A: encoder.predict(A, verbose=0)``; ``None`` clusters ``X``
        itself. Each function is applied to ``X`` and to the reference data.
    k_range : sequence of int, default=range(1, 11)
        ``1, 2, ..., k_max``; ``k = 1`` is the no-structure candidate.
    methods : sequence of str, default=("kmeans", "gmm")
    n_references : int, default=5
        Uniform reference data sets for the gap statistic (at least 2).
    n_resamples : int, default=5
        Subsamples for the stability score, which is measured at each
        representation and method's gap pick only (NaN elsewhere).
    random_state : int, default=42

    Returns
    -------
    list of Candidate
        In the order representation, method, k.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D array, a representation is not a
        function or returns the wrong number of rows, ``k_range`` is not
        ``1..k_max``, or a method is unknown.
    """
    X = check_features(X, min_samples=4)
    representations = _check_representations(representations)
    ks = _check_ks(k_range, len(X))
    methods = tuple(methods)
    for method in methods:
        if method not in METHODS:
            raise ValueError(f"methods must be taken from {METHODS}; got {method!r}")
    n_references = check_int(n_references, name="n_references", minimum=2)
    n_resamples = check_int(n_resamples, name="n_resamples", minimum=1)
    random_state = check_seed(random_state)

    references = [uniform_reference(X, random_state=random_state + 1000 + b) for b in range(n_references)]
    candidates = []
    # Hundreds of small fits: one thread each is fastest, and the scores do not change.
    with threadpool_limits(limits=1):
        for name, transform in representations.items():
            Z = _represent(transform, X, name)
            Z_refs = [_represent(transform, R, name) for R in references]
            for method in methods:
                family = []
                for k in ks:
                    if k == 1:
                        labels = np.zeros(len(X), dtype=np.int64)
                        ref_labels = [np.zeros(len(R), dtype=np.int64) for R in references]
                    else:
                        labels = fit_clustering(Z, method, k, random_state).predict(Z).astype(np.int64)
                        ref_labels = [fit_clustering(Zr, method, k, random_state).predict(Zr) for Zr in Z_refs]
                    log_ref = np.log([within_dispersion(R, lab) for R, lab in zip(references, ref_labels)])
                    gap = float(log_ref.mean() - np.log(within_dispersion(X, labels)))
                    gap_se = float(log_ref.std() * np.sqrt(1.0 + 1.0 / n_references))
                    found = np.unique(labels).size
                    silhouette = float(silhouette_score(X, labels)) if 1 < found < len(X) else float("nan")
                    family.append(Candidate(name, method, k, labels, gap, gap_se, float("nan"), silhouette))
                # Stability costs n_resamples fits: measure it where the rule needs it, at the gap's pick.
                pick = gap_choice(family)
                stable = stability(Z, method, pick.k, pick.labels, n_resamples=n_resamples,
                                   random_state=random_state)
                candidates += [c._replace(stability=stable) if c is pick else c for c in family]
    return candidates


class Selection(NamedTuple):
    """The outcome of :func:`choose`.

    Attributes
    ----------
    structure : bool
        ``False`` when no representation and method shows stable clusters.
    chosen : Candidate or None
        The chosen clustering (``None`` when there is no structure).
    picks : list of Candidate
        Each (representation, method)'s gap choice of ``k``, in input order.
    verdicts : list of str
        What the rule made of each pick, aligned with ``picks``: "chosen",
        "stable", "not stable", "not clearly better than one cluster" or
        "one cluster".
    reason : str
        One plain sentence that says why.
    """

    structure: bool
    chosen: Candidate | None
    picks: list
    verdicts: list
    reason: str

    @property
    def labels(self):
        """The chosen clustering's labels, or all zeros (one cluster) when there is no structure."""
        if self.chosen is None:
            return np.zeros(len(self.picks[0].labels), dtype=np.int64)
        return self.chosen.labels


def gap_choice(candidates):
    """Tibshirani's rule: the smallest ``k`` with ``gap(k) >= gap(k + 1) - se(k + 1)``.

    Parameters
    ----------
    candidates : sequence of Candidate
        One representation and method, ``k = 1, 2, ..., k_max``.

    Returns
    -------
    Candidate
        The pick; ``k = 1`` means one cluster explains the data as well as
        any split does, compared with uniform data. When no ``k`` qualifies,
        the largest (the true number may lie beyond the range).
    """
    ordered = sorted(candidates, key=lambda c: c.k)
    if [c.k for c in ordered] != list(range(1, len(ordered) + 1)) or len(ordered) < 2:
        raise ValueError("gap_choice needs the candidates k = 1, 2, ..., k_max of one representation and method")
    for current, following in zip(ordered, ordered[1:]):
        if current.gap >= following.gap - following.gap_se:
            return current
    return ordered[-1]


def choose(candidates, min_stability=0.75, min_gain=0.2):
    """Pick a clustering from scored candidates, or report that there is no stable structure.

    1. For each representation and method, the gap statistic picks ``k``
       (:func:`gap_choice`); ``k = 1`` means "no structure here".
    2. A pick with ``k >= 2`` counts only if it is clearly better than one
       cluster, ``gap(k) - gap(1) >= min_gain``, and stable,
       ``stability >= min_stability``.
    3. Among the picks that count, the highest silhouette on the common
       space wins. If none counts, there is no stable cluster structure.

    Parameters
    ----------
    candidates : list of Candidate
        From :func:`score_candidates`.
    min_stability : float, default=0.75
        Mean ARI a pick needs between its refits on subsamples.
    min_gain : float, default=0.2
        How much a split must improve on one cluster, beyond what the same
        split achieves on uniform data, in units of ``log W``: 0.2 asks the
        clusters to be about 20 % tighter. The gap's own standard error
        only measures the reference's randomness and can call a 1 %
        improvement "significant"; this is the size that matters.

    Returns
    -------
    Selection
    """
    min_stability = check_float(min_stability, name="min_stability", low=0.0, high=1.0)
    min_gain = check_float(min_gain, name="min_gain", low=0.0)
    candidates = list(candidates)
    if not candidates or not all(isinstance(c, Candidate) for c in candidates):
        raise TypeError("candidates must be the non-empty list score_candidates() returns")
    families = {}
    for c in candidates:
        families.setdefault((c.representation, c.method), []).append(c)
    picks, verdicts = [], []
    for group in families.values():
        pick = gap_choice(group)
        gain = pick.gap - min(group, key=lambda c: c.k).gap
        picks.append(pick)
        if pick.k == 1:
            verdicts.append("one cluster")
        elif gain < min_gain:
            verdicts.append("not clearly better than one cluster")
        else:
            verdicts.append("stable" if pick.stability >= min_stability else "not stable")
    stable = [p for p, verdict in zip(picks, verdicts) if verdict == "stable"]
    if stable:
        chosen = max(stable, key=lambda c: c.silhouette)
        verdicts[next(i for i, p in enumerate(picks) if p is chosen)] = "chosen"
        reason = (f"{chosen.representation} + {chosen.method}, k={chosen.k}: the best separated "
                  f"(silhouette {chosen.silhouette:.3f}) of {len(stable)} stable pick(s)")
        return Selection(True, chosen, picks, verdicts, reason)
    unstable = [p for p, verdict in zip(picks, verdicts) if verdict == "not stable"]
    if unstable:
        best = max(unstable, key=lambda c: c.stability)
        reason = (f"no stable cluster structure: clusters were found, but none came back on resampling "
                  f"(best stability {best.stability:.2f}, needed {min_stability:.2f})")
    else:
        reason = ("no cluster structure: for no representation and method does a split beat one cluster "
                  "by clearly more than it would on uniform data of the same extent")
    return Selection(False, None, picks, verdicts, reason)


def select_clustering(X, representations, k_range=range(1, 11), methods=METHODS, *, min_stability=0.75,
                      min_gain=0.2, n_references=5, n_resamples=5, random_state=DEFAULT_SEED):
    """Score every candidate and choose: :func:`score_candidates` then :func:`choose`.

    Returns
    -------
    candidates : list of Candidate
    selection : Selection
    """
    candidates = score_candidates(X, representations, k_range, methods, n_references=n_references,
                                  n_resamples=n_resamples, random_state=random_state)
    return candidates, choose(candidates, min_stability=min_stability, min_gain=min_gain)


def candidates_table(candidates, digits=2, verdicts=None):
    """Format candidates as an aligned text table (one line per candidate).

    Parameters
    ----------
    candidates : sequence of Candidate
        For instance ``selection.picks``.
    digits : int, default=2
    verdicts : sequence of str, optional
        A last column, e.g. ``selection.verdicts``.

    Returns
    -------
    str
        Columns: representation, method, k, gap, its standard error,
        stability, silhouette (and verdict). ``-`` marks a score that was
        not measured.
    """
    candidates = list(candidates)
    if not candidates:
        raise ValueError("candidates is empty")
    digits = check_int(digits, name="digits", minimum=0, maximum=6)
    headers = ("representation", "method", "k", "gap", "± se", "stability", "silhouette")
    if verdicts is not None:
        verdicts = [str(v) for v in verdicts]
        if len(verdicts) != len(candidates):
            raise ValueError(f"verdicts has {len(verdicts)} entries for {len(candidates)} candidates")
        headers += ("verdict",)

    def number(value):
        return "-" if np.isnan(value) else f"{value:.{digits}f}"

    rows = [(c.representation, c.method, str(c.k), number(c.gap), number(c.gap_se), number(c.stability),
             number(c.silhouette)) for c in candidates]
    if verdicts is not None:
        rows = [row + (verdict,) for row, verdict in zip(rows, verdicts)]
    widths = [max(len(r[i]) for r in (headers, *rows)) for i in range(len(headers))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i < 2 or i == 7 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
        for row in (headers, *rows)
    )


def assignment_confidence(Z, method, k, labels, n_resamples=20, fraction=0.8, random_state=DEFAULT_SEED):
    """How sure each assignment is: the share of refits that put the sample in the same cluster.

    Like :func:`stability`, but per sample: each round refits ``method`` on a
    random ``fraction`` of the points with a new seed, assigns every point,
    renames the refitted clusters after the clusters of ``labels`` they
    overlap most (one-to-one, Hungarian), and records who kept their
    cluster. A sample in the middle of a cluster keeps it every time (1.0);
    one on the border between two changes sides from refit to refit.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_features)
        The representation that was clustered.
    method : {"kmeans", "gmm"}
    k : int
        Number of clusters, at least 2.
    labels : array-like of int, shape (n_samples,)
        The clustering to check, with labels ``0 .. k-1``.
    n_resamples : int, default=20
    fraction : float, default=0.8
    random_state : int, default=42

    Returns
    -------
    numpy.ndarray of float, shape (n_samples,)
        Between 0 and 1.
    """
    from helpers.evaluation import match_labels

    Z = check_features(Z, min_samples=4)
    labels = check_labels(labels, n_samples=len(Z))
    k = check_int(k, name="k", minimum=2, maximum=len(Z))
    n_resamples = check_int(n_resamples, name="n_resamples", minimum=1)
    fraction = check_float(fraction, name="fraction", low=0.0, high=1.0, low_inclusive=False)
    random_state = check_seed(random_state)
    if labels.min() < 0:
        raise ValueError("labels must be clusters 0, 1, ...; -1 (noise) has no confidence to measure")
    rng = np.random.default_rng(random_state)
    size = max(k + 1, int(round(fraction * len(Z))))
    kept = np.zeros(len(Z))
    with threadpool_limits(limits=1):
        for round_ in range(n_resamples):
            subset = rng.choice(len(Z), size=min(size, len(Z)), replace=False)
            refit = fit_clustering(Z[subset], method, k, random_state=random_state + 1 + round_).predict(Z)
            kept += match_labels(labels, refit) == labels
    return kept / n_resamples
