"""Tests for helpers.clustering.choose_k and helpers.plotting.plot_k_scores."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402

from helpers import clustering, plotting  # noqa: E402


def _blobs(centers, seed=0):
    X, _ = make_blobs(n_samples=40 * centers, centers=centers, n_features=2, cluster_std=0.5,
                      center_box=(-20, 20), random_state=seed)
    return X


@pytest.mark.parametrize("method", ["silhouette", "bic"])
@pytest.mark.parametrize("centers", [3, 4])
def test_finds_the_true_number_of_well_separated_blobs(method, centers):
    choice = clustering.choose_k(_blobs(centers), k_range=range(2, 7), method=method, random_state=0)
    assert choice.k == centers
    assert choice.method == method
    np.testing.assert_array_equal(choice.ks, [2, 3, 4, 5, 6])
    assert choice.scores.shape == (5,)
    best = np.argmax(choice.scores) if method == "silhouette" else np.argmin(choice.scores)
    assert choice.ks[best] == choice.k


def test_params_round_trip_to_kmeans():
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    X, y = make_blobs(n_samples=120, centers=3, n_features=2, cluster_std=0.5, center_box=(-20, 20), random_state=0)
    choice = clustering.choose_k(X, k_range=range(2, 7), random_state=0)
    assert choice.params == {"n_clusters": 3} and isinstance(choice.params["n_clusters"], int)
    labels = KMeans(**choice.params, n_init=10, random_state=0).fit_predict(X)
    assert adjusted_rand_score(y, labels) == 1.0


def test_silhouette_scores_lie_between_minus_one_and_one():
    choice = clustering.choose_k(_blobs(3), k_range=range(2, 6))
    assert np.all((choice.scores >= -1) & (choice.scores <= 1))


def test_k_range_is_sorted_and_deduplicated():
    choice = clustering.choose_k(_blobs(3), k_range=[5, 2, 3, 3])
    np.testing.assert_array_equal(choice.ks, [2, 3, 5])


@pytest.mark.parametrize("method", ["silhouette", "bic"])
def test_same_seed_same_scores(method):
    X = _blobs(3, seed=1)
    first = clustering.choose_k(X, k_range=range(2, 6), method=method, random_state=7)
    second = clustering.choose_k(X, k_range=range(2, 6), method=method, random_state=7)
    np.testing.assert_array_equal(first.scores, second.scores)


def test_plot_k_scores_marks_the_chosen_k():
    choice = clustering.choose_k(_blobs(3), k_range=range(2, 6), method="bic")
    ax = plotting.plot_k_scores(choice)
    assert "BIC" in ax.get_ylabel()
    assert ax.get_title() == "BIC picks k = 3"
    assert any(line.get_label() == "chosen k = 3" for line in ax.get_lines())
    plt.close(ax.figure)


def test_plot_k_scores_rejects_other_objects():
    with pytest.raises(TypeError, match="choice must be a KChoice"):
        plotting.plot_k_scores((3, [2, 3], [0.1, 0.2]))
    bad = clustering.KChoice(3, np.array([2, 3]), np.array([0.1, 0.2]), "elbow")
    with pytest.raises(ValueError, match="choice.method must be one of"):
        plotting.plot_k_scores(bad)


X_SMALL = _blobs(3)


@pytest.mark.parametrize(
    ("X", "kwargs", "error", "match"),
    [
        (np.array([[0.0, np.nan]] * 10), {}, ValueError, "NaN"),
        (np.zeros(10), {}, ValueError, "2-D array"),
        ([["a", "b"]] * 10, {}, TypeError, "real numbers"),
        (np.zeros((2, 2)), {}, ValueError, "at least 3 samples"),
        (X_SMALL, {"k_range": [1, 2, 3]}, ValueError, "k_range value must be >= 2"),
        (X_SMALL, {"k_range": [2, len(X_SMALL)]}, ValueError, f"k_range value must be <= {len(X_SMALL) - 1}"),
        (X_SMALL, {"k_range": [3, 3]}, ValueError, "at least 2 different values"),
        (X_SMALL, {"k_range": []}, ValueError, "at least 2 different values"),
        (X_SMALL, {"k_range": 5}, TypeError, "k_range must be a sequence"),
        (X_SMALL, {"k_range": [2, 3.5]}, TypeError, "k_range value must be an integer"),
        (X_SMALL, {"method": "elbow"}, ValueError, "method must be one of"),
        (X_SMALL, {"random_state": None}, TypeError, "random_state must be an integer seed"),
        (np.repeat([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]], 10, axis=0), {"k_range": range(2, 6)}, ValueError,
         "only 3 distinct points"),
    ],
)
def test_rejects_bad_inputs(X, kwargs, error, match):
    with pytest.raises(error, match=match):
        clustering.choose_k(X, **kwargs)
