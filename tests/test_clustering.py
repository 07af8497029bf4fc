"""Tests for notebook 01's rule for DBSCAN's eps (k-distances, the knee, DBSCAN at every eps,
choose_eps), run from the notebook's own ``lesson-code`` cells, and for the input checks in
helpers.clustering that those cells call."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import lesson_code
import numpy as np
import pytest
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from helpers import clustering
from helpers.evaluation import evaluate

lesson = lesson_code.load("01_autoencoder_dbscan.ipynb")


@pytest.fixture(scope="module")
def lesson_eps_choice(three_blobs):
    """The notebook's ``choose_eps`` on the three blobs (has a stable range)."""
    return lesson.choose_eps(three_blobs[0])


# --------------------------------------------------------------------------- check_dbscan_input


@pytest.mark.parametrize(("n_features", "expected"), [(1, 3), (2, 4), (5, 10)])
def test_default_min_samples_is_twice_the_features_but_at_least_3(n_features, expected):
    X = np.random.default_rng(0).normal(size=(40, n_features))
    assert clustering.check_dbscan_input(X)[1] == expected
    assert clustering.check_dbscan_input(X[:expected + 1])[1] == expected  # one row more than the neighbours


@pytest.mark.parametrize(("shape", "match"), [
    ((50, 64), r"^the rule of thumb for min_samples \(twice the 64 features: 128\) asks for at least as many "
               r"neighbours as X has rows \(50\): pass min_samples \(2 to 49\), or reduce the dimension first "
               r"\(e.g. with PCA\)$"),
    ((10, 5), r"\(twice the 5 features: 10\) asks for at least as many neighbours as X has rows \(10\)"),
    ((3, 1), r"\(at least 3: 3\) asks for at least as many neighbours as X has rows \(3\): pass min_samples "
             r"\(2\)"),
    ((4, 2), r"\(twice the 2 features: 4\) asks for at least as many neighbours as X has rows \(4\): pass "
             r"min_samples \(2 to 3\)"),
])
def test_default_min_samples_not_below_the_rows_is_an_error_naming_the_fix(shape, match):
    """It became n_samples: every point then needs every row as a neighbour, one cluster or none."""
    X = np.random.default_rng(0).normal(size=shape)
    with pytest.raises(ValueError, match=match):
        clustering.check_dbscan_input(X)
    assert clustering.check_dbscan_input(X, 2)[1] == 2  # an explicit min_samples still goes through


def test_check_dbscan_input_returns_float64_and_the_given_min_samples():
    X, min_samples = clustering.check_dbscan_input(np.arange(12, dtype=np.int32).reshape(6, 2), np.int64(5))
    assert X.dtype == np.float64 and min_samples == 5 and type(min_samples) is int


def test_check_fraction_is_open_at_zero_and_closed_at_its_high_end():
    assert clustering.check_fraction(0.5, "f") == 0.5
    assert clustering.check_fraction(1e-9, "f") == 1e-9
    assert clustering.check_fraction(1.0, "g", high=1.0) == 1.0
    with pytest.raises(ValueError, match=r"^f must be > 0\.0; got 0\.0"):
        clustering.check_fraction(0.0, "f")
    with pytest.raises(ValueError, match=r"^g must be <= 0\.8; got 0\.9"):
        clustering.check_fraction(0.9, "g", high=0.8)


def test_check_curve_accepts_a_flat_stretch_but_not_a_step_down_or_a_flat_curve():
    np.testing.assert_array_equal(clustering.check_curve([1.0, 1.0, 2.0, 2.0, 5.0]), [1, 1, 2, 2, 5])
    for flat_at_one_end in ([3.0, 3.0, 5.0], [1.0, 2.0, 2.0]):  # only first == last is "all equal"
        np.testing.assert_array_equal(clustering.check_curve(flat_at_one_end), flat_at_one_end)
    with pytest.raises(ValueError, match="sorted in ascending order"):
        clustering.check_curve([1.0, 2.0, 1.999, 5.0])
    with pytest.raises(ValueError, match="all equal"):
        clustering.check_curve([3.0, 3.0, 3.0])


# --------------------------------------------------------------------------- k_distances


def _brute_force_k_distances(X, k):
    distances = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))
    return np.sort(np.sort(distances, axis=1)[:, k - 1])  # column 0 is the point itself


@pytest.mark.parametrize("k", [2, 4, 7])
def test_k_distances_match_brute_force_numpy(k):
    X = np.random.default_rng(3).normal(size=(40, 3))
    result = lesson.k_distances(X, k)
    assert result.shape == (40,)
    np.testing.assert_allclose(result, _brute_force_k_distances(X, k), rtol=1e-10)


def test_k_distances_are_sorted_ascending():
    X = np.random.default_rng(4).uniform(size=(30, 2))
    assert np.all(np.diff(lesson.k_distances(X, 3)) >= 0)


def test_k_distances_count_the_point_itself_as_first_neighbour():
    X = np.array([[0.0], [1.0], [3.0]])
    # 2nd neighbour, self included: the nearest *other* point.
    np.testing.assert_allclose(lesson.k_distances(X, 2), [1.0, 1.0, 2.0])
    np.testing.assert_allclose(lesson.k_distances(X, 3), [2.0, 3.0, 3.0])


@pytest.mark.parametrize(
    ("X", "k", "error", "match"),
    [
        (np.zeros((10, 2)), 11, ValueError, r"min_samples must be <= 10; got 11"),
        (np.zeros((10, 2)), 1, ValueError, r"min_samples must be >= 2; got 1"),
        (np.zeros((10, 2)), 2.5, TypeError, r"min_samples must be an integer"),
        (np.zeros((2, 2)), 2, ValueError, r"X needs at least 3 samples; got 2"),
        (np.array([[0.0, np.nan]] * 5), 2, ValueError, r"NaN or infinite"),
        (np.zeros(5), 2, ValueError, r"must be a 2-D array"),
        ([["a", "b"]] * 5, 2, TypeError, r"must contain real numbers"),
    ],
)
def test_k_distances_rejects_bad_input(X, k, error, match):
    with pytest.raises(error, match=match):
        lesson.k_distances(X, k)


# --------------------------------------------------------------------------- find_knee


def _corner_curve():
    """Flat-ish for 11 points (slope 0.1), then steep (slope 2): corner at index 10."""
    return np.concatenate([np.linspace(0.0, 1.0, 11), np.linspace(1.0, 21.0, 11)[1:]])


def test_find_knee_returns_the_corner_of_a_piecewise_linear_curve():
    assert lesson.find_knee(_corner_curve()) == 10


def test_find_knee_does_not_depend_on_the_scale_or_offset_of_the_values():
    assert lesson.find_knee(1000.0 * _corner_curve() + 7.0) == 10


def test_find_knee_follows_the_corner_when_it_moves():
    values = np.concatenate([np.zeros(5), np.arange(1.0, 6.0) * 10.0])  # corner at index 4
    assert lesson.find_knee(values) == 4
    assert isinstance(lesson.find_knee(values), int)


def test_find_knee_scales_the_values_by_their_range_from_first_to_last():
    # x - y is 0.3 - 0.1 = 0.20 at index 3 and 0.5 - 0.29 = 0.21 at index 5: the knee is 5. Scaled by
    # any other range (last minus second value, 0.9, makes y larger), index 3 would win.
    values = np.array([0.0, 0.1, 0.1, 0.1, 0.22, 0.29, 0.5, 0.7, 0.85, 0.95, 1.0])
    assert lesson.find_knee(values) == 5
    assert lesson.find_knee(3.0 * values - 2.0) == 5


def test_find_knee_refuses_a_curve_that_does_not_bend_upwards():
    # a straight line and a curve bending the other way gave index 0, read as a knee
    for values in (np.arange(10.0), np.sqrt(np.arange(10.0))):
        with pytest.raises(ValueError, match=r"^the curve does not bend upwards anywhere \(it is straight, or "
                                             r"bulges\): it has no knee$"):
            lesson.find_knee(values)
    assert lesson.find_knee(np.r_[np.zeros(2), [0.1, 0.2, 0.3, 0.4, 5.0]]) == 5


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([3.0, 2.0, 1.0, 4.0], r"values must be sorted in ascending order"),
        ([2.0, 2.0, 2.0, 2.0], r"values are all equal: the curve has no knee"),
        ([0.0, 1.0], r"values needs at least 3 samples; got 2"),
        ([[0.0, 1.0, 2.0]], r"values must be a 1-D array"),
        ([0.0, 1.0, np.nan], r"values contains 1 NaN or infinite"),
    ],
)
def test_find_knee_rejects_bad_curves(values, match):
    with pytest.raises(ValueError, match=match):
        lesson.find_knee(values)


# --------------------------------------------------------------------------- dbscan_at_every_eps


def _same_partition(a, b):
    """Same noise and the same clusters, whatever the cluster numbers."""
    return np.array_equal(a == -1, b == -1) and adjusted_rand_score(a[a >= 0], b[b >= 0]) == 1.0


@pytest.mark.parametrize("seed", [0, 1])
def test_dbscan_at_every_eps_is_dbscan_at_each_eps(seed):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(0, 1, (60, 2)), rng.normal(5, 0.5, (40, 2)), rng.uniform(-4, 9, (20, 2))])
    labels_at, join_distance = lesson.dbscan_at_every_eps(X, 5)
    for eps in (0.2, 0.4, 0.7, 1.0, 1.5, 3.0):
        ours, sklearn_labels = labels_at(eps), DBSCAN(eps=eps, min_samples=5).fit_predict(X)
        # core points: exactly DBSCAN's clusters; border points: a cluster of a core point within eps
        core = DBSCAN(eps=eps, min_samples=5).fit(X).core_sample_indices_
        assert _same_partition(ours[core], sklearn_labels[core]), eps
        np.testing.assert_array_equal(ours == -1, sklearn_labels == -1)
        np.testing.assert_array_equal(ours != -1, join_distance <= eps)  # clustered from join_distance on


def test_dbscan_at_every_eps_counts_a_neighbour_at_exactly_eps_as_dbscan_does():
    # DBSCAN's radius includes eps itself; HDBSCAN's cut of its tree keeps only smaller distances.
    X = np.arange(10.0).reshape(-1, 1)  # neighbours exactly 1 apart
    labels_at, _ = lesson.dbscan_at_every_eps(X, 3)
    for eps in (1.0, 2.0):
        assert _same_partition(labels_at(eps), DBSCAN(eps=eps, min_samples=3).fit_predict(X)), eps
    assert np.all(labels_at(np.nextafter(1.0, 0.0)) == -1)  # just below: no point has 3 neighbours


def test_dbscan_at_every_eps_puts_a_border_point_in_its_nearest_core_points_cluster():
    # Two dense groups on a line; the point at 2.9 is a border point of the group ending at 2.0 only.
    X = np.concatenate([np.linspace(0, 2, 21), [2.9], np.linspace(4, 6, 21)])[:, None]
    labels_at, _ = lesson.dbscan_at_every_eps(X, 4)
    labels = labels_at(1.0)
    assert labels[21] == labels[20] != labels[22] and labels[21] != -1


def test_dbscan_at_every_eps_prefers_the_nearer_of_two_core_points_in_reach():
    # The point at 2.95 is a border point within eps=1.08 of core points of BOTH groups: 2.0 (0.95 away)
    # on the sparse left and 4.0 (1.05 away) on the dense right, which has more points in reach and the
    # last one among its neighbours. It belongs to the nearest core point's cluster: the left one.
    X = np.concatenate([np.linspace(0, 2, 41), [2.95], np.linspace(4, 5, 101)])[:, None]
    labels_at, _ = lesson.dbscan_at_every_eps(X, 10)
    labels = labels_at(1.08)
    assert labels[40] != labels[42] and -1 not in (labels[40], labels[42])  # two clusters, both in reach
    assert labels[41] == labels[40]


# --------------------------------------------------------------------------- choose_eps


def _dbscan(X, choice):
    return DBSCAN(**choice.params).fit_predict(X)


def test_choose_eps_finds_three_clusters_without_noise_on_three_blobs(three_blobs):
    X, y = three_blobs
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning on clear structure
        choice = lesson.choose_eps(X)
    labels = _dbscan(X, choice)
    assert len(set(labels) - {-1}) == 3
    assert not np.any(labels == -1)
    assert evaluate(y, labels)["accuracy"] == 1.0


def test_choose_eps_keeps_blobs_that_come_in_pairs_where_the_longest_lasting_count_merges_them():
    # notebook 01: "when clusters come in groups ... the coarser clustering into the groups can last longest"
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [3, 0], [20, 0], [23, 0]], float)
    X = np.vstack([centre + rng.normal(scale=0.4, size=(100, 2)) for centre in centres])
    y = np.repeat(np.arange(4), 100)
    choice = lesson.choose_eps(X)
    counts, first = choice.n_clusters, {}
    for i, count in enumerate(counts):
        first.setdefault(count, i)
    last = {count: max(np.flatnonzero(counts == count)) for count in first}
    lasts = {count: choice.candidates[min(last[count] + 1, len(counts) - 1)] / choice.candidates[first[count]]
             for count in first if count >= 2}
    assert max(lasts, key=lasts.get) == 2 and lasts[2] > 3 * lasts[4]  # the pairs last longest
    labels = _dbscan(X, choice)
    assert len(set(labels) - {-1}) == 4 and adjusted_rand_score(y, labels) > 0.95  # the rule keeps the four blobs


def test_params_round_trip_to_dbscan(lesson_eps_choice):
    choice = lesson_eps_choice
    assert choice.params == {"eps": choice.eps, "min_samples": choice.min_samples}
    assert isinstance(choice.params["eps"], float) and isinstance(choice.params["min_samples"], int)
    estimator = DBSCAN(**choice.params)
    assert estimator.eps == choice.eps and estimator.min_samples == choice.min_samples == 4


def test_params_carry_the_min_samples_eps_was_chosen_for():
    # Defect: eps alone made DBSCAN fall back to min_samples=5; on these 6-D blobs that merges two.
    X, y = make_blobs(centers=4, n_features=6, cluster_std=2, random_state=1)
    choice = lesson.choose_eps(X)
    assert choice.min_samples == 12 and DBSCAN(**choice.params).min_samples == 12
    assert adjusted_rand_score(y, DBSCAN(**choice.params).fit_predict(X)) >= 0.9
    assert adjusted_rand_score(y, DBSCAN(eps=choice.eps).fit_predict(X)) < 0.8  # the fallback (min_samples=5)


def test_choose_eps_does_not_prefer_a_merged_clustering_on_unscaled_10d_blobs():
    # Defect: a merged 3-cluster run lasted longer than the true 4-cluster one and won (ARI 0.71).
    X, y = make_blobs(centers=4, n_features=10, cluster_std=2.5, random_state=1)
    choice = lesson.choose_eps(X)
    assert adjusted_rand_score(y, _dbscan(X, choice)) >= 0.95
    assert choice.n_clusters[np.argmin(np.abs(choice.candidates - choice.eps))] == 4


def test_choose_eps_takes_the_most_clusters_that_last_not_the_longest_lasting():
    # Blobs 0 and 1 are close, blob 2 far away: two clusters last much longer than three.
    X, y = make_blobs(n_samples=300, centers=[[0.0, 0.0], [4.0, 0.0], [40.0, 0.0]], cluster_std=0.5, random_state=0)
    choice = lesson.choose_eps(X)
    runs = {int(n): choice.candidates[choice.n_clusters == n] for n in (2, 3)}
    assert runs[2].max() / runs[2].min() > runs[3].max() / runs[3].min()  # the merged run lasts longer
    assert adjusted_rand_score(y, _dbscan(X, choice)) == 1.0


def test_choose_eps_counts_only_clusters_above_min_cluster_fraction():
    # Three blobs of 100 points and a far, tight group of 9 (3 % of the points).
    X, _ = make_blobs(n_samples=300, centers=[[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]], cluster_std=0.5, random_state=0)
    X = np.concatenate([X, np.random.default_rng(0).normal([30.0, 30.0], 0.3, (9, 2))])
    default, finer = lesson.choose_eps(X), lesson.choose_eps(X, min_cluster_fraction=0.02)
    assert default.n_clusters.max() == 3  # 5 % (default): the small group never counts
    assert finer.n_clusters.max() == 4 and finer.n_clusters[finer.candidates <= finer.eps][-1] == 4


def test_choose_eps_keeps_the_three_sheared_blobs_apart():
    # scikit-learn's "k-means assumptions" example: anisotropic blobs.
    X, y = make_blobs(n_samples=1500, random_state=170)
    X = X @ np.array([[0.60834549, -0.63667341], [-0.40887718, 0.85253229]])
    labels = _dbscan(X, lesson.choose_eps(X))
    assert adjusted_rand_score(y, labels) >= 0.95
    assert np.mean(labels == -1) <= 0.05


def test_choose_eps_lies_in_the_middle_of_a_stable_range_that_lasts(lesson_eps_choice):
    choice = lesson_eps_choice
    low, high = choice.stable_range
    assert choice.candidates[0] <= low < choice.eps < high < choice.candidates[-1]
    assert choice.eps == pytest.approx(np.sqrt(low * high))  # the middle on a log scale
    assert high / low >= 1.05
    inside = (choice.candidates >= low) & (choice.candidates <= high)
    assert set(choice.n_clusters[inside].tolist()) == {3}
    assert choice.n_clusters.max() == 3  # nothing with more clusters lasted


def test_choose_eps_reports_a_consistent_scan(three_blobs, lesson_eps_choice):
    X, _ = three_blobs
    choice = lesson_eps_choice
    assert choice.candidates.shape == choice.n_clusters.shape == choice.noise_fraction.shape
    np.testing.assert_allclose(choice.candidates[1:] / choice.candidates[:-1], 1.02)  # steps of 2 %
    assert np.all((choice.noise_fraction >= 0) & (choice.noise_fraction <= 0.05))
    # the reported counts and noise are DBSCAN's at each candidate (clusters with >= 5 % of the points)
    for i in (0, len(choice.candidates) // 2, len(choice.candidates) - 1):
        labels = DBSCAN(eps=choice.candidates[i], min_samples=4).fit_predict(X)
        sizes = np.bincount(labels[labels >= 0])
        assert choice.n_clusters[i] == np.sum(sizes >= np.ceil(0.05 * len(X)))
        assert choice.noise_fraction[i] == pytest.approx(np.mean(labels == -1))
    # the scan ends where everything is one cluster, and starts where noise first drops to 5 %
    assert choice.n_clusters[-1] == 1 and choice.noise_fraction[-1] == 0
    last_but_one = DBSCAN(eps=choice.candidates[-2], min_samples=4).fit_predict(X)
    assert len(set(last_but_one)) > 1
    below = DBSCAN(eps=choice.candidates[0] * 0.95, min_samples=4).fit_predict(X)
    assert np.mean(below == -1) > 0.05


def test_choose_eps_respects_min_samples_and_max_noise(three_blobs):
    X = three_blobs[0]
    choice = lesson.choose_eps(X, min_samples=6, max_noise=0.2)
    assert choice.min_samples == 6 and choice.params["min_samples"] == 6
    start = DBSCAN(eps=choice.candidates[0], min_samples=6).fit_predict(X)
    assert 0.05 < np.mean(start == -1) <= 0.2  # starts lower than with the default 5 %
    assert choice.noise_fraction[0] == pytest.approx(np.mean(start == -1))


def test_choose_eps_is_deterministic_and_ignores_the_order_of_the_points(three_blobs):
    X, _ = three_blobs
    first, second = lesson.choose_eps(X), lesson.choose_eps(X[::-1].copy())
    assert first.eps == pytest.approx(second.eps, rel=1e-9)
    np.testing.assert_array_equal(first.n_clusters, second.n_clusters)


@pytest.mark.parametrize("seed", range(4))
def test_choose_eps_finds_no_split_in_one_gaussian_blob(seed):
    X = np.random.default_rng(seed).normal(size=(200, 2))
    with pytest.warns(UserWarning,
                      match=r"no clustering into two or more clusters of at least \d+ points lasts") as caught:
        choice = lesson.choose_eps(X)
    assert caught[0].filename == __file__  # the warning points at the learner's call
    assert choice.stable_range is None
    labels = _dbscan(X, choice)
    assert np.bincount(labels[labels >= 0]).max() >= 0.9 * len(X)  # one big cluster, not a fake split
    assert np.mean(labels == -1) <= 0.05
    # eps is the middle (log scale) of the longest run of radii giving one cluster
    runs, start = [], 0
    for i in range(1, len(choice.n_clusters) + 1):
        if i == len(choice.n_clusters) or choice.n_clusters[i] != choice.n_clusters[start]:
            runs.append((choice.n_clusters[start], start, i - 1))
            start = i
    _, first, last = max((run for run in runs if run[0] == 1), key=lambda run: run[2] - run[1])
    assert choice.eps == pytest.approx(np.sqrt(choice.candidates[first] * choice.candidates[last]))


def test_choose_eps_rejects_coinciding_points_and_names_a_collapsed_code():
    """'at least N points coincide: remove duplicates' named a number the learner never set (the rule of thumb's)
    and, on a network's collapsed code, advised throwing away the very collapse to notice."""
    X = np.vstack([np.zeros((40, 2)), [[1.0, 1.0]]])  # more than 95 % of the points on one spot
    with pytest.raises(ValueError, match=r"^95% or more of the points sit in stacks of at least 4 identical points "
                                         r"\(min_samples=4\): if X is a network's code, it has collapsed \(retrain "
                                         r"it\); otherwise remove duplicate rows, or raise min_samples"):
        lesson.choose_eps(X, min_samples=4)
    with pytest.raises(ValueError, match=r"^90% or more of the points .*\(min_samples=4\)"):
        lesson.choose_eps(X, min_samples=4, max_noise=0.1)  # the share follows max_noise


def test_choose_eps_warns_at_the_learners_call_of_columns_that_decide_the_clusters():
    """A learner's probe: an unscaled table (one column 13,000 times as wide) and a column of a few values (kids,
    0 to 3) chose clusters that followed one column, without a word (fit warns of the first; choose_eps did not)."""
    import warnings

    rng = np.random.default_rng(0)
    blobs = np.vstack([rng.normal(c, 0.3, size=(100, 2)) for c in (-3, 0, 3)])
    with pytest.warns(UserWarning, match=r"^the columns of X are on very different scales: column 1 spreads [\d,]+ "
                                         r"times as widely as column 0.*DBSCAN's neighbourhoods") as caught:
        lesson.choose_eps(blobs * [1.0, 5000.0])
    assert caught[0].filename == __file__
    kids = rng.integers(0, 4, size=(300, 1)).astype(float)
    with pytest.warns(UserWarning, match=r"^column 2 of X \(counting from 0\) takes only 4 different values: its "
                                         r"rows stack on those values") as caught:
        lesson.choose_eps(np.hstack([blobs, kids]))
    assert caught[0].filename == __file__
    flags = np.column_stack([rng.integers(0, 2, 300), rng.integers(0, 3, 300)]).astype(float)
    with pytest.warns(UserWarning, match=r"^column 0 of X .* only 2 different values \(and 1 more such column\(s\): "
                                         r"\[1\]\)"):  # the first column's count, 2, not the second's, 3
        lesson.choose_eps(np.hstack([flags, blobs]))
    ten = np.hstack([blobs, (np.arange(300) % 10)[:, None] / 3])  # ten values, 30 rows each: the edge, warned
    with pytest.warns(UserWarning, match=r"^column 2 of X .* takes only 10 different values"):
        lesson.choose_eps(ten, min_samples=6)
    exactly_ten_rows = np.hstack([blobs[::7][:40], (np.arange(40) % 4)[:, None] / 2.0])  # 4 values, 10 rows each
    with pytest.warns(UserWarning, match=r"^column 2 of X .* takes only 4 different values"):
        lesson.choose_eps(exactly_ten_rows, min_samples=6)
    rare_ten = np.zeros((300, 1))
    rare_ten[:10] = 1.0  # a flag on 10 of 300 rows: two stacks of ten rows or more
    with pytest.warns(UserWarning, match=r"^column 2 of X .* takes only 2 different values"):
        lesson.choose_eps(np.hstack([blobs, rare_ten]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lesson.choose_eps(blobs)  # continuous, scaled alike: quiet
        lesson.choose_eps(np.hstack([blobs, np.zeros((300, 1))]))  # a constant column: one value, no stacks apart
        eleven = np.hstack([blobs, rng.integers(0, 11, size=(300, 1)) / 5])  # 11 values: not a code
        lesson.choose_eps(eleven, min_samples=6)
        rare = np.zeros((300, 1))
        rare[:9] = 1.0  # a flag on 9 of 300 rows: its second value holds under ten rows
        lesson.choose_eps(np.hstack([blobs, rare]))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"min_samples": 151}, ValueError, r"min_samples must be <= 150; got 151"),
        ({"min_samples": 1}, ValueError, r"min_samples must be >= 2"),
        ({"min_samples": 4.0}, TypeError, r"min_samples must be an integer"),
        ({"min_cluster_fraction": 0.0}, ValueError, r"min_cluster_fraction must be > 0.0"),
        ({"min_cluster_fraction": 0.6}, ValueError, r"min_cluster_fraction must be <= 0.5"),
        ({"max_noise": 0.0}, ValueError, r"max_noise must be > 0.0"),
        ({"max_noise": 0.9}, ValueError, r"max_noise must be <= 0.5"),
        ({"min_growth": 0.0}, ValueError, r"min_growth must be > 0.0"),
        ({"min_growth": 1.5}, ValueError, r"min_growth must be <= 1.0"),
        ({"min_growth": "big"}, TypeError, r"min_growth must be a number"),
    ],
)
def test_choose_eps_rejects_impossible_parameters(three_blobs, kwargs, error, match):
    with pytest.raises(error, match=match):
        lesson.choose_eps(three_blobs[0], **kwargs)


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        (np.zeros((2, 2)), ValueError, r"X needs at least 3 samples"),
        (np.array([[0.0, np.inf]] * 10), ValueError, r"NaN or infinite"),
        (np.array([[0.0, np.nan]] * 10), ValueError, r"NaN or infinite"),
        (np.zeros(10), ValueError, r"must be a 2-D array"),
        (np.zeros((4, 2, 2)), ValueError, r"must be a 2-D array"),
        ([["a", "b"]] * 5, TypeError, r"must contain real numbers"),
    ],
)
def test_choose_eps_rejects_bad_data(X, error, match):
    with pytest.raises(error, match=match):
        lesson.choose_eps(X)


def test_choose_eps_records_the_share_a_cluster_needed_for_the_scan_plot():
    """Notebook 01's scan cell, rerun by learners on their own data, drew '≥ 5%' whatever share choose_eps had used."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(c, 0.3, size=(100, 2)) for c in (-3, 0, 3)])
    assert lesson.choose_eps(X).min_cluster_fraction == 0.05
    assert lesson.choose_eps(X, min_cluster_fraction=0.01).min_cluster_fraction == 0.01
    notebook = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "01_autoencoder_dbscan.ipynb").read_text())
    scans = ["".join(c["source"]) for c in notebook["cells"] if "plotting.plot_eps_scan(" in "".join(c["source"])]
    assert scans and all("min_cluster_fraction=choice.min_cluster_fraction" in scan for scan in scans)


def test_choose_eps_all_identical_points_raise_instead_of_returning_zero():
    with pytest.raises(ValueError, match=r"^every point of X is the same: there is nothing to cluster \(if X is a "
                                         r"network's code, it has collapsed: retrain it\)$"):
        lesson.choose_eps(np.ones((10, 2)))


def test_the_rule_lives_in_the_notebook_not_in_helpers():
    for gone in ("choose_eps", "k_distances", "find_knee", "default_min_samples", "cluster", "EpsChoice"):
        assert not hasattr(clustering, gone), gone


def test_choose_eps_takes_two_clusters_without_a_warning():
    X, y = make_blobs(n_samples=200, centers=[[0.0, 0.0], [10.0, 0.0]], cluster_std=0.5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # two clusters that last are a clustering, not the fallback
        choice = lesson.choose_eps(X)
    assert choice.stable_range is not None
    assert adjusted_rand_score(y, _dbscan(X, choice)) == 1.0


def test_choose_eps_counts_a_pair_when_the_fraction_allows_it():
    # 19 + 19 points and a far pair: 40 points, so with min_cluster_fraction=0.05 a cluster needs
    # max(2, ceil(0.05 * 40)) = 2 points and the pair counts as a third cluster.
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal([0.0, 0.0], 0.3, (19, 2)), rng.normal([10.0, 0.0], 0.3, (19, 2)), [[40.0, 0.0], [40.2, 0.0]]])
    choice = lesson.choose_eps(X, min_samples=2, min_cluster_fraction=0.05)
    assert choice.n_clusters.max() == 3



# --------------------------------------------------------------------------- choose_eps's rule on a scripted scan


def _scripted_scan(monkeypatch, counts, n=20):
    """Make ``choose_eps`` see ``counts[i]`` clusters at its i-th radius, then one cluster of every point.

    ``dbscan_at_every_eps`` is replaced by a script: each call of ``labels_at`` returns the next step's
    labels (``count`` clusters of at least 2 points, and one noise point, so the scan goes on), and
    the first radius is 1.0. The rule's bookkeeping (runs of equal counts,
    how far each lasts, which run wins) then acts on a scan whose counts the test knows.
    """
    steps = iter(list(counts) + [None])

    def labels_at(eps):
        count = next(steps)
        if count is None:
            return np.zeros(n, dtype=int)  # every point in one cluster, no noise: the scan ends here
        labels = np.full(n, -1)  # the last point stays noise, so the scan goes on
        if count:
            labels[: n - 1] = np.repeat(np.arange(count), (n - 1) // count + 1)[: n - 1]
        return labels

    monkeypatch.setattr(lesson, "dbscan_at_every_eps", lambda X, min_samples: (labels_at, np.ones(n)))
    return np.random.default_rng(0).normal(size=(n, 2))


def test_choose_eps_scans_in_steps_of_2_percent_until_one_cluster_without_noise(monkeypatch):
    X = _scripted_scan(monkeypatch, [3, 3, 3, 2, 2, 2])
    choice = lesson.choose_eps(X, min_cluster_fraction=0.05)
    assert choice.n_clusters.tolist() == [3, 3, 3, 2, 2, 2, 1]  # the scan stops at one cluster without noise
    assert choice.noise_fraction.tolist() == [0.05] * 6 + [0.0]
    np.testing.assert_allclose(choice.candidates, 1.02 ** np.arange(7), rtol=1e-6)


def test_choose_eps_takes_the_longest_of_two_lasting_runs_of_the_largest_count(monkeypatch):
    # 3 clusters at radii 0-2 (lasts: +6 %), 2 at radius 3, 3 again at radii 4-9 (longer): the later run wins.
    X = _scripted_scan(monkeypatch, [3, 3, 3, 2, 3, 3, 3, 3, 3, 3])
    choice = lesson.choose_eps(X)
    assert choice.stable_range == (choice.candidates[4], choice.candidates[9])
    assert choice.eps == pytest.approx(np.sqrt(choice.candidates[4] * choice.candidates[9]))
    # the longer run first (radii 0-5), the shorter one later (7-9): the earlier run wins
    choice = lesson.choose_eps(_scripted_scan(monkeypatch, [3, 3, 3, 3, 3, 3, 2, 3, 3, 3]))
    assert choice.stable_range == (choice.candidates[0], choice.candidates[5])


def test_choose_eps_run_lasts_only_if_eps_grows_by_min_growth_before_the_next_count(monkeypatch):
    # 3 clusters at radii 0-1: eps grows 1.02**2 - 1 = 4 % before radius 2 gives 2 clusters, under the
    # default 5 %, so the 2-cluster run (radii 2-5, +8 %) is chosen; with min_growth=0.04 the 3 clusters last.
    counts = [3, 3, 2, 2, 2, 2]
    choice = lesson.choose_eps(_scripted_scan(monkeypatch, counts))
    assert choice.stable_range == (choice.candidates[2], choice.candidates[5])
    choice = lesson.choose_eps(_scripted_scan(monkeypatch, counts), min_growth=0.04)
    assert choice.stable_range == (choice.candidates[0], choice.candidates[1])
    # a run that ends at the last radius but one grows until the final radius (one cluster): +6 % lasts
    choice = lesson.choose_eps(_scripted_scan(monkeypatch, [3, 3, 3]))
    assert choice.stable_range == (choice.candidates[0], choice.candidates[2])
    # "at least min_growth": a run that grows by exactly min_growth lasts
    exactly = float(choice.candidates[3] / choice.candidates[0] - 1)
    choice = lesson.choose_eps(_scripted_scan(monkeypatch, [3, 3, 3]), min_growth=exactly)
    assert choice.stable_range == (choice.candidates[0], choice.candidates[2])


def test_choose_eps_says_which_setting_to_lower_when_the_clusters_are_small():
    # 25 separate blobs of 40 points: each is under 5 % of the rows, so no cluster was ever counted, and
    # the warning said eps was "chosen for one cluster" (DBSCAN found 24); it names the knob, which finds all 25
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(25), 40)
    X = 10.0 * np.array([(i, j) for i in range(5) for j in range(5)])[y] + rng.normal(0.0, 0.5, (1000, 2))
    with pytest.warns(UserWarning, match=r"of at least 50 points lasts while eps grows \(min_samples=4\), so eps "
                                         r"falls back to the longest run of one counted cluster \(or of none\); if "
                                         r"your clusters may be smaller, lower min_cluster_fraction \(0.05\) or "
                                         r"min_samples\. If not, .* check that the columns are scaled"):
        lesson.choose_eps(X)
    assert adjusted_rand_score(y, _dbscan(X, lesson.choose_eps(X, min_cluster_fraction=0.01))) == 1.0


def test_choose_eps_falls_back_to_the_longest_run_of_one_cluster(monkeypatch):
    # No count of two or more lasts (2 clusters for radii 1-2 only: +4 %); of the runs of one cluster
    # (radius 0, and radii 3-8 with the final one-cluster radius) the longer gives eps.
    X = _scripted_scan(monkeypatch, [1, 2, 2, 1, 1, 1, 1, 1])
    with pytest.warns(UserWarning, match=r"no clustering into two or more clusters of at least \d+ points lasts"):
        choice = lesson.choose_eps(X)
    assert choice.stable_range is None
    assert choice.eps == pytest.approx(np.sqrt(choice.candidates[3] * choice.candidates[8]))


def test_choose_eps_fallback_takes_one_cluster_over_a_longer_run_of_none_and_the_longer_of_two(monkeypatch):
    # No cluster big enough at radii 0-4 (the longest run), one cluster at 5-7, two at 8-9 (+4 %: does not
    # last), one again at 10-11: the fallback takes one cluster, and of its two runs the longer, earlier one.
    X = _scripted_scan(monkeypatch, [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 1])
    with pytest.warns(UserWarning, match=r"no clustering into two or more clusters of at least \d+ points lasts"):
        choice = lesson.choose_eps(X)
    assert choice.n_clusters.tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1]
    assert choice.eps == pytest.approx(np.sqrt(choice.candidates[5] * choice.candidates[7]))


def test_the_largest_lasting_count_splits_noisy_rings_unless_a_count_must_last_longer():
    # notebook 01, section 4: "On two noisy rings (make_circles, 800 points, noise=0.05, scaled; seeds 0 to 4)
    # the two rings last from a radius of about 0.16 to 0.45, yet the rule takes a radius ... where DBSCAN cuts
    # the rings into 5 to 9 pieces (ARI 0.55 to 0.68); with min_growth=0.2 it gives the two rings on four of
    # the five seeds"
    from sklearn.datasets import make_circles

    from helpers import data

    default, longer = [], []
    for seed in range(5):
        X, y = make_circles(800, factor=0.5, noise=0.05, random_state=seed)
        X = data.standardize(X)
        for found, growth in ((default, 0.05), (longer, 0.2)):
            choice = lesson.choose_eps(X, min_growth=growth)
            labels = _dbscan(X, choice)
            found.append((len(set(labels) - {-1}), adjusted_rand_score(y, labels)))
            if growth == 0.2 and found[-1][0] == 2:  # the two rings' range of radii
                assert 0.155 <= choice.stable_range[0] <= 0.165 and 0.425 <= choice.stable_range[1] <= 0.455
    assert all(5 <= k <= 9 and 0.55 <= ari <= 0.69 for k, ari in default), default
    assert sum(k == 2 and ari == 1.0 for k, ari in longer) == 4, longer
    import nbformat  # the prose names the data exactly as measured here (factor=0.5: the default 0.8 differs)

    prose = " ".join(" ".join(c.source for c in nbformat.read(lesson_code.NOTEBOOKS / "01_autoencoder_dbscan.ipynb",
                                                              as_version=4).cells if c.cell_type == "markdown").split())
    assert "`make_circles(800, factor=0.5, noise=0.05)`, scaled; seeds 0 to 4" in prose


def test_check_k_choice_edges():
    """notebook 02's silhouette and BIC checks, at their edges: k from `minimum` (2 by default) to n - 1, at least
    3 points, as many distinct points as the largest k, and the fix it names."""
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(5, 2))
    assert clustering.check_k_choice(Z, [2])[1] == [2]  # the default minimum, 2, is itself accepted
    Z_checked, ks = clustering.check_k_choice(Z, [4, 2])
    assert ks == [4, 2] and np.array_equal(Z_checked, Z)  # the order given: scores line up with it
    with pytest.raises(ValueError, match=r"^each k in ks must lie from 2 to 4 for Z's 5 points \(a silhouette"):
        clustering.check_k_choice(Z, [1, 2])  # the default minimum is 2
    assert clustering.check_k_choice(Z, [1, 4], minimum=1)[1] == [1, 4]
    with pytest.raises(ValueError, match=r"^each k in ks must lie from 1 to 4 for Z's 5 points; ks runs from 1 to 5$"):
        clustering.check_k_choice(Z, [1, 5], minimum=1)  # n itself: one point more than clusters is needed
    assert clustering.check_k_choice(rng.normal(size=(3, 2)), [2])[1] == [2]  # 3 points are enough
    with pytest.raises(ValueError, match=r"Z needs at least 3 samples"):
        clustering.check_k_choice(rng.normal(size=(2, 2)), [1], minimum=1)
    two = np.repeat([[0.0, 0.0], [1.0, 1.0]], 3, axis=0)  # 2 distinct points in 6 rows
    assert clustering.check_k_choice(two, [2])[1] == [2]  # as many distinct points as clusters: fine
    with pytest.raises(ValueError, match=r"^Z has only 2 distinct point\(s\), fewer than the 3 clusters .*; or lower "
                                         r"the largest k$"):
        clustering.check_k_choice(two, [2, 3])
    with pytest.raises(ValueError, match=r"no number of clusters can split one point$"):
        clustering.check_k_choice(np.zeros((6, 2)), [1, 2], minimum=1)


def test_a_rule_of_thumb_larger_than_a_tenth_of_the_rows_draws_a_warning_at_the_learners_call():
    """A learner's probe of notebook 01: 1,000 rows in 200 columns, three clear blobs; the rule of thumb's
    min_samples = 400 left one cluster (ARI 0.00; with 10, ARI 1.00) and said nothing about its size."""
    nb01 = lesson_code.load("01_autoencoder_dbscan.ipynb")
    X = np.random.default_rng(0).normal(size=(1000, 200))
    with pytest.warns(UserWarning, match=r"^the rule of thumb gives min_samples = 400 \(twice the 200 features\), 40% "
                                         r"of the 1000 rows: a point needs 399 neighbours within eps to be a core "
                                         r"point, so a group smaller than that cannot become a cluster; reduce the "
                                         r"dimension first \(e.g. with PCA\) or pass a smaller min_samples$") as caught:
        nb01.k_distances(X, None)
    assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clustering.check_dbscan_input(X[:, :50], None)  # 100 of 1,000: a tenth exactly, no warning
        clustering.check_dbscan_input(X, 10)  # chosen, not the rule of thumb
    with pytest.warns(UserWarning, match="min_samples = 102"):
        clustering.check_dbscan_input(X[:, :51], None)
    with warnings.catch_warnings():  # 2-D and 1-D: 4 and 3, the usual values, on tables of 20 rows too
        warnings.simplefilter("error")
        clustering.check_dbscan_input(X[:20, :2], None)
        clustering.check_dbscan_input(X[:20, :1], None)
    with pytest.warns(UserWarning, match=r"min_samples = 6 \(twice the 3 features\), 30% of the 20 rows"):
        clustering.check_dbscan_input(X[:20, :3], None)


def test_warn_about_columns_takes_a_dataframe_or_a_list_of_rows():
    """A learner's probe: a DataFrame failed inside pandas (InvalidIndexError), a list with an AttributeError."""
    pd = pytest.importorskip("pandas")
    flag = np.repeat([0.0, 1.0], 50)
    X = np.column_stack([np.random.default_rng(0).normal(size=100), flag])
    for given in (pd.DataFrame(X, columns=["a", "b"]), X.tolist()):
        with pytest.warns(UserWarning, match=r"^column 1 of X \(counting from 0\) takes only 2 different values"):
            clustering.warn_about_columns(given)
    with pytest.raises(ValueError, match=r"^X must be a 2-D array"):
        clustering.warn_about_columns(flag)
