"""Tests for helpers.clustering: k-distances, the knee, choose_eps and cluster()."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.cluster import DBSCAN, OPTICS

from helpers import clustering
from helpers.evaluation import cluster_accuracy

# --------------------------------------------------------------------------- default_min_samples


@pytest.mark.parametrize(("n_features", "expected"), [(1, 3), (2, 4), (5, 10), (np.int64(3), 6)])
def test_default_min_samples_is_twice_the_features_but_at_least_3(n_features, expected):
    assert clustering.default_min_samples(n_features) == expected


@pytest.mark.parametrize(
    ("n_features", "error", "match"),
    [(0, ValueError, r"n_features must be >= 1; got 0"), (2.0, TypeError, r"n_features must be an integer")],
)
def test_default_min_samples_rejects_bad_n_features(n_features, error, match):
    with pytest.raises(error, match=match):
        clustering.default_min_samples(n_features)


# --------------------------------------------------------------------------- k_distances


def _brute_force_k_distances(X, k):
    distances = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))
    return np.sort(np.sort(distances, axis=1)[:, k - 1])  # column 0 is the point itself


@pytest.mark.parametrize("k", [2, 4, 7])
def test_k_distances_match_brute_force_numpy(k):
    X = np.random.default_rng(3).normal(size=(40, 3))
    result = clustering.k_distances(X, k)
    assert result.shape == (40,)
    np.testing.assert_allclose(result, _brute_force_k_distances(X, k), rtol=1e-10)


def test_k_distances_are_sorted_ascending():
    X = np.random.default_rng(4).uniform(size=(30, 2))
    assert np.all(np.diff(clustering.k_distances(X, 3)) >= 0)


def test_k_distances_count_the_point_itself_as_first_neighbour():
    X = np.array([[0.0], [1.0], [3.0]])
    # 2nd neighbour, self included: the nearest *other* point.
    np.testing.assert_allclose(clustering.k_distances(X, 2), [1.0, 1.0, 2.0])
    np.testing.assert_allclose(clustering.k_distances(X, 3), [2.0, 3.0, 3.0])


@pytest.mark.parametrize(
    ("X", "k", "error", "match"),
    [
        (np.zeros((10, 2)), 11, ValueError, r"min_samples must be <= 10; got 11"),
        (np.zeros((10, 2)), 1, ValueError, r"min_samples must be >= 2; got 1"),
        (np.zeros((10, 2)), 2.5, TypeError, r"min_samples must be an integer"),
        (np.zeros((2, 2)), 2, ValueError, r"X needs at least 3 samples; got 2"),
        (np.array([[0.0, np.nan]] * 5), 2, ValueError, r"NaN or infinite"),
        (np.zeros(5), 2, ValueError, r"must be a 2-D array"),
    ],
)
def test_k_distances_rejects_bad_input(X, k, error, match):
    with pytest.raises(error, match=match):
        clustering.k_distances(X, k)


# --------------------------------------------------------------------------- find_knee


def _corner_curve():
    """Flat-ish for 11 points (slope 0.1), then steep (slope 2): corner at index 10."""
    return np.concatenate([np.linspace(0.0, 1.0, 11), np.linspace(1.0, 21.0, 11)[1:]])


def test_find_knee_returns_the_corner_of_a_piecewise_linear_curve():
    assert clustering.find_knee(_corner_curve()) == 10


def test_find_knee_does_not_depend_on_the_scale_or_offset_of_the_values():
    assert clustering.find_knee(1000.0 * _corner_curve() + 7.0) == 10


def test_find_knee_follows_the_corner_when_it_moves():
    values = np.concatenate([np.zeros(5), np.arange(1.0, 6.0) * 10.0])  # corner at index 4
    assert clustering.find_knee(values) == 4
    assert isinstance(clustering.find_knee(values), int)


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
        clustering.find_knee(values)


# --------------------------------------------------------------------------- choose_eps


def test_choose_eps_finds_three_clusters_without_noise_on_three_blobs(three_blobs):
    X, y = three_blobs
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning on clear structure
        choice = clustering.choose_eps(X)
    labels = DBSCAN(eps=choice.eps, min_samples=choice.min_samples).fit_predict(X)
    assert len(set(labels) - {-1}) == 3
    assert not np.any(labels == -1)
    assert cluster_accuracy(y, labels) == 1.0


def test_choose_eps_lies_in_the_stable_range_above_the_knee(eps_choice):
    low, high = eps_choice.stable_range
    assert eps_choice.knee_eps <= low <= eps_choice.eps <= high
    assert eps_choice.eps > eps_choice.knee_eps  # moved up from the knee


def test_choose_eps_reports_a_consistent_scan(three_blobs, eps_choice):
    X, _ = three_blobs
    choice = eps_choice
    assert choice.min_samples == clustering.default_min_samples(2) == 4
    assert choice.k_distances.shape == (len(X),)
    np.testing.assert_allclose(choice.k_distances, clustering.k_distances(X, 4))
    assert choice.knee_index == clustering.find_knee(choice.k_distances)
    assert choice.knee_eps == choice.k_distances[choice.knee_index]
    assert choice.candidates.shape == choice.n_clusters.shape == choice.noise_fraction.shape == (40,)
    assert choice.candidates[0] == pytest.approx(choice.knee_eps)
    assert np.all(np.diff(choice.candidates) > 0)
    assert np.all((choice.noise_fraction >= 0) & (choice.noise_fraction <= 1))
    # the reported counts are the clusters DBSCAN finds at each candidate with >= 5% of the points
    assert choice.min_cluster_fraction == 0.05
    for i in (0, 20, 39):
        labels = DBSCAN(eps=choice.candidates[i], min_samples=4).fit_predict(X)
        sizes = np.bincount(labels[labels >= 0])
        assert choice.n_clusters[i] == np.sum(sizes >= np.ceil(0.05 * len(X)))
        assert choice.noise_fraction[i] == pytest.approx(np.mean(labels == -1))
    # everything merges at the largest radius
    assert choice.n_clusters[-1] == 1


def test_choose_eps_stable_range_is_the_widest_run_of_equal_counts(eps_choice):
    choice = eps_choice
    inside = (choice.candidates >= choice.stable_range[0]) & (choice.candidates <= choice.stable_range[1])
    assert len(set(choice.n_clusters[inside])) == 1 and choice.n_clusters[inside][0] == 3
    assert inside.sum() >= 10


def test_choose_eps_respects_min_samples_and_n_candidates(three_blobs):
    choice = clustering.choose_eps(three_blobs[0], min_samples=6, n_candidates=12)
    assert choice.min_samples == 6
    assert choice.candidates.shape == (12,)
    np.testing.assert_allclose(choice.k_distances, clustering.k_distances(three_blobs[0], 6))


def test_choose_eps_warns_and_falls_back_to_the_knee_on_a_single_blob(single_blob):
    with pytest.warns(UserWarning, match=r"no radius from the knee upwards splits the data"):
        choice = clustering.choose_eps(single_blob)
    assert choice.eps == choice.knee_eps
    assert choice.stable_range is None


def test_choose_eps_does_not_call_a_single_candidate_a_stable_range():
    X = np.random.default_rng(2).normal(size=(200, 2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        choice = clustering.choose_eps(X)
    warned = any(issubclass(w.category, UserWarning) for w in caught)
    assert warned or choice.stable_range[1] > choice.stable_range[0]


def test_choose_eps_rejects_a_knee_at_zero_from_duplicated_points():
    X = np.vstack([np.zeros((10, 2)), np.arange(1.0, 11.0)[:, None] * [[1.0, 1.0]]])
    with pytest.raises(ValueError, match=r"knee of the k-distance curve is at 0.*coincide"):
        clustering.choose_eps(X, min_samples=4)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"min_samples": 151}, ValueError, r"min_samples must be <= 150; got 151"),
        ({"min_samples": 1}, ValueError, r"min_samples must be >= 2"),
        ({"min_samples": 4.0}, TypeError, r"min_samples must be an integer"),
        ({"n_candidates": 4}, ValueError, r"n_candidates must be >= 5; got 4"),
    ],
)
def test_choose_eps_rejects_impossible_parameters(three_blobs, kwargs, error, match):
    with pytest.raises(error, match=match):
        clustering.choose_eps(three_blobs[0], **kwargs)


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        (np.zeros((2, 2)), ValueError, r"X needs at least 3 samples"),
        (np.array([[0.0, np.inf]] * 10), ValueError, r"NaN or infinite"),
        (np.zeros(10), ValueError, r"must be a 2-D array"),
        ([["a", "b"]] * 5, TypeError, r"must contain real numbers"),
    ],
)
def test_choose_eps_rejects_bad_data(X, error, match):
    with pytest.raises(error, match=match):
        clustering.choose_eps(X)


def test_choose_eps_all_identical_points_raise_instead_of_returning_zero():
    with pytest.raises(ValueError, match=r"all equal"):
        clustering.choose_eps(np.ones((10, 2)))


# --------------------------------------------------------------------------- cluster


def test_cluster_dbscan_matches_scikit_learn(three_blobs):
    X, _ = three_blobs
    labels = clustering.cluster(X, "dbscan", eps=0.3, min_samples=5)
    expected = DBSCAN(eps=0.3, min_samples=5).fit_predict(X)
    np.testing.assert_array_equal(labels, expected)
    assert labels.dtype == np.int64 and labels.shape == (len(X),)
    assert np.any(labels == -1)  # eps this small leaves some noise


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_cluster_kmeans_and_gmm_recover_three_blobs(three_blobs, method):
    X, y = three_blobs
    labels = clustering.cluster(X, method, n_clusters=3)
    assert labels.shape == (len(X),) and labels.dtype == np.int64
    assert set(np.unique(labels)) == {0, 1, 2}
    assert cluster_accuracy(y, labels) == 1.0


def test_cluster_optics_defaults_min_samples_to_twice_the_features(three_blobs):
    X, _ = three_blobs
    labels = clustering.cluster(X, "optics")
    assert labels.shape == (len(X),) and labels.min() >= -1
    np.testing.assert_array_equal(labels, OPTICS(min_samples=4).fit_predict(X))
    assert not np.array_equal(labels, OPTICS().fit_predict(X))  # scikit-learn's own default (5) differs


def test_cluster_optics_passes_explicit_parameters_through(three_blobs):
    X, _ = three_blobs
    labels = clustering.cluster(X, "optics", min_samples=10, xi=0.1)
    np.testing.assert_array_equal(labels, OPTICS(min_samples=10, xi=0.1).fit_predict(X))


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_cluster_random_methods_are_deterministic_under_a_seed(method):
    X = np.random.default_rng(0).normal(size=(120, 3))  # no structure: seeds matter
    first = clustering.cluster(X, method, n_clusters=4, random_state=3)
    second = clustering.cluster(X, method, n_clusters=4, random_state=3)
    np.testing.assert_array_equal(first, second)


def test_cluster_kmeans_seed_is_passed_to_the_estimator():
    X = np.random.default_rng(0).normal(size=(60, 2))
    runs = {tuple(clustering.cluster(X, "kmeans", n_clusters=5, random_state=s, n_init=1)) for s in range(6)}
    assert len(runs) > 1  # a single init depends on the seed


@pytest.mark.parametrize(
    ("method", "params", "error", "match"),
    [
        ("hdbscan", {}, ValueError, r"method must be one of \('dbscan', 'optics', 'kmeans', 'gmm'\); got 'hdbscan'"),
        ("DBSCAN", {"eps": 0.5}, ValueError, r"method must be one of"),
        ("dbscan", {}, ValueError, r"DBSCAN needs eps"),
        ("dbscan", {"eps": 0.0}, ValueError, r"eps must be > 0\.0; got 0\.0"),
        ("dbscan", {"eps": -1.0}, ValueError, r"eps must be > 0\.0"),
        ("dbscan", {"eps": float("nan")}, ValueError, r"eps must be finite"),
        ("dbscan", {"eps": "0.5"}, TypeError, r"eps must be a number"),
        ("dbscan", {"eps": 0.5, "min_samples": 151}, ValueError, r"min_samples must be <= 150; got 151"),
        ("dbscan", {"eps": 0.5, "min_samples": 1}, ValueError, r"min_samples must be >= 2"),
        ("optics", {"min_samples": 200}, ValueError, r"min_samples must be <= 150"),
        ("kmeans", {}, ValueError, r"kmeans needs n_clusters"),
        ("gmm", {"n_components": 3}, ValueError, r"gmm needs n_clusters"),
        ("kmeans", {"n_clusters": 0}, ValueError, r"n_clusters must be >= 1; got 0"),
        ("kmeans", {"n_clusters": 151}, ValueError, r"n_clusters must be <= 150; got 151"),
        ("gmm", {"n_clusters": 3.0}, TypeError, r"n_clusters must be an integer"),
        ("kmeans", {"n_clusters": 3, "random_state": None}, TypeError, r"random_state must be an integer seed"),
        ("kmeans", {"n_clusters": 3, "random_state": -2}, ValueError, r"random_state must be >= 0"),
    ],
)
def test_cluster_rejects_unknown_methods_and_impossible_parameters(three_blobs, method, params, error, match):
    with pytest.raises(error, match=match):
        clustering.cluster(three_blobs[0], method, **params)


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        ([[0.0, np.nan], [1.0, 1.0], [2.0, 2.0]], ValueError, r"X contains 1 NaN or infinite"),
        ([0.0, 1.0, 2.0], ValueError, r"X must be a 2-D array"),
        ([[0.0, 1.0]], ValueError, r"X needs at least 2 samples"),
        ([["a", "b"], ["c", "d"]], TypeError, r"X must contain real numbers"),
    ],
)
def test_cluster_rejects_bad_data(X, error, match):
    with pytest.raises(error, match=match):
        clustering.cluster(X, "kmeans", n_clusters=2)


@pytest.mark.parametrize("seed", range(10))
def test_choose_eps_finds_no_split_in_one_gaussian_blob(seed):
    X = np.random.default_rng(seed).normal(size=(200, 2))
    with pytest.warns(UserWarning, match=r"no radius from the knee upwards splits the data"):
        choice = clustering.choose_eps(X)
    assert choice.stable_range is None


@pytest.mark.parametrize("fraction", [0.0, 0.6, -0.1])
def test_choose_eps_rejects_an_impossible_min_cluster_fraction(three_blobs, fraction):
    with pytest.raises(ValueError, match=r"min_cluster_fraction must be"):
        clustering.choose_eps(three_blobs[0], min_cluster_fraction=fraction)
