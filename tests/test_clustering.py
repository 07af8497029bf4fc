"""Tests for helpers.clustering: k-distances, the knee and choose_eps."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

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


def _dbscan(X, choice):
    return DBSCAN(**choice.params).fit_predict(X)


def test_choose_eps_finds_three_clusters_without_noise_on_three_blobs(three_blobs):
    X, y = three_blobs
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning on clear structure
        choice = clustering.choose_eps(X)
    labels = _dbscan(X, choice)
    assert len(set(labels) - {-1}) == 3
    assert not np.any(labels == -1)
    assert cluster_accuracy(y, labels) == 1.0


def test_params_round_trip_to_dbscan(three_blobs, eps_choice):
    X, _ = three_blobs
    assert eps_choice.params == {"eps": eps_choice.eps, "min_samples": eps_choice.min_samples}
    assert isinstance(eps_choice.params["eps"], float) and isinstance(eps_choice.params["min_samples"], int)
    estimator = DBSCAN(**eps_choice.params)
    assert estimator.eps == eps_choice.eps and estimator.min_samples == eps_choice.min_samples == 4
    # the labels choose_eps reports are DBSCAN's at that eps
    assert adjusted_rand_score(estimator.fit_predict(X), eps_choice.labels) == 1.0


def test_params_carry_the_min_samples_eps_was_chosen_for():
    # Defect: eps alone made DBSCAN fall back to min_samples=5; on these 6-D blobs one cluster (ARI 0.00).
    X, y = make_blobs(centers=4, n_features=6, cluster_std=2, random_state=1)
    choice = clustering.choose_eps(X)
    assert choice.min_samples == 12 and DBSCAN(**choice.params).min_samples == 12
    assert adjusted_rand_score(y, DBSCAN(**choice.params).fit_predict(X)) >= 0.9
    assert adjusted_rand_score(y, DBSCAN(eps=choice.eps).fit_predict(X)) < 0.8  # the fallback (min_samples=5) merges two


def test_choose_eps_does_not_prefer_a_merged_clustering_on_unscaled_10d_blobs():
    # Defect: a merged 3-cluster run lasted longer than the true 4-cluster one and won (ARI 0.71).
    X, y = make_blobs(centers=4, n_features=10, cluster_std=2.5, random_state=1)
    choice = clustering.choose_eps(X)
    labels = _dbscan(X, choice)
    assert adjusted_rand_score(y, labels) >= 0.95
    assert choice.n_clusters[np.argmin(np.abs(choice.candidates - choice.eps))] == 4


def test_choose_eps_keeps_the_three_sheared_blobs_apart():
    # scikit-learn's "k-means assumptions" example: anisotropic blobs.
    X, y = make_blobs(n_samples=1500, random_state=170)
    X = X @ np.array([[0.60834549, -0.63667341], [-0.40887718, 0.85253229]])
    choice = clustering.choose_eps(X)
    labels = _dbscan(X, choice)
    assert adjusted_rand_score(y, labels) >= 0.95
    assert np.mean(labels == -1) <= 0.05


def test_choose_eps_lies_in_the_stable_range(eps_choice):
    low, high = eps_choice.stable_range
    assert eps_choice.candidates[0] <= low <= eps_choice.eps <= high < eps_choice.candidates[-1]
    assert high / low >= eps_choice.min_persistence


def test_choose_eps_reports_a_consistent_scan(three_blobs, eps_choice):
    X, _ = three_blobs
    choice = eps_choice
    assert choice.min_samples == clustering.default_min_samples(2) == 4
    assert choice.k_distances.shape == (len(X),)
    np.testing.assert_allclose(choice.k_distances, clustering.k_distances(X, 4))
    assert choice.knee_index == clustering.find_knee(choice.k_distances)
    assert choice.knee_eps == choice.k_distances[choice.knee_index]
    assert choice.candidates.shape == choice.n_clusters.shape == choice.noise_fraction.shape == (60,)
    assert np.all(np.diff(choice.candidates) > 0)
    assert np.all((choice.noise_fraction >= 0) & (choice.noise_fraction <= choice.max_noise))
    # the reported counts and noise are DBSCAN's at each candidate (clusters with >= 5% of the points)
    assert choice.min_cluster_fraction == 0.05
    for i in (0, 30, 59):
        labels = DBSCAN(eps=choice.candidates[i], min_samples=4).fit_predict(X)
        sizes = np.bincount(labels[labels >= 0])
        assert choice.n_clusters[i] == np.sum(sizes >= np.ceil(0.05 * len(X)))
        assert choice.noise_fraction[i] == pytest.approx(np.mean(labels == -1))
    # the scan ends where everything merges, and starts where noise first drops to max_noise
    assert choice.n_clusters[-1] == 1 and choice.n_clusters[-2] >= 1
    below = DBSCAN(eps=choice.candidates[0] * 0.95, min_samples=4).fit_predict(X)
    assert np.mean(below == -1) > choice.max_noise


def test_choose_eps_prefers_more_clusters_among_lasting_runs(eps_choice):
    choice = eps_choice
    inside = (choice.candidates >= choice.stable_range[0]) & (choice.candidates <= choice.stable_range[1])
    assert set(choice.n_clusters[inside].tolist()) == {3}
    assert choice.n_clusters.max() == 3  # nothing with more clusters lasted


def test_choose_eps_respects_min_samples_and_n_candidates(three_blobs):
    choice = clustering.choose_eps(three_blobs[0], min_samples=6, n_candidates=12)
    assert choice.min_samples == 6 and choice.params["min_samples"] == 6
    assert choice.candidates.shape == (12,)
    np.testing.assert_allclose(choice.k_distances, clustering.k_distances(three_blobs[0], 6))


def test_choose_eps_is_deterministic(three_blobs):
    X, _ = three_blobs
    first, second = clustering.choose_eps(X), clustering.choose_eps(X[::-1].copy())
    assert first.eps == pytest.approx(second.eps, rel=1e-9)  # order of the points does not matter
    np.testing.assert_array_equal(first.n_clusters, second.n_clusters)


@pytest.mark.parametrize("seed", range(6))
def test_choose_eps_finds_no_split_in_one_gaussian_blob(seed):
    X = np.random.default_rng(seed).normal(size=(200, 2))
    with pytest.warns(UserWarning, match=r"no clustering into two or more clusters lasts"):
        choice = clustering.choose_eps(X)
    assert choice.stable_range is None
    labels = _dbscan(X, choice)
    assert np.bincount(labels[labels >= 0]).max() >= 0.9 * len(X)  # one big cluster, not a fake split
    assert np.mean(labels == -1) <= 0.05


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
        ({"min_cluster_fraction": 0.0}, ValueError, r"min_cluster_fraction must be > 0.0"),
        ({"min_cluster_fraction": 0.6}, ValueError, r"min_cluster_fraction must be <= 0.5"),
        ({"max_noise": 1.0}, ValueError, r"max_noise must be < 1.0"),
        ({"max_noise": 0.0}, ValueError, r"max_noise must be > 0.0"),
        ({"min_persistence": 1.0}, ValueError, r"min_persistence must be > 1.0"),
        ({"min_persistence": "big"}, TypeError, r"min_persistence must be a number"),
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
        (np.array([[0.0, np.nan]] * 10), ValueError, r"NaN or infinite"),
        (np.zeros(10), ValueError, r"must be a 2-D array"),
        (np.zeros((4, 2, 2)), ValueError, r"must be a 2-D array"),
        ([["a", "b"]] * 5, TypeError, r"must contain real numbers"),
    ],
)
def test_choose_eps_rejects_bad_data(X, error, match):
    with pytest.raises(error, match=match):
        clustering.choose_eps(X)


def test_choose_eps_all_identical_points_raise_instead_of_returning_zero():
    with pytest.raises(ValueError, match=r"all equal"):
        clustering.choose_eps(np.ones((10, 2)))


def test_cluster_wrapper_is_gone():
    assert not hasattr(clustering, "cluster")  # lessons call scikit-learn directly
