"""Notebook 04's split, positive sets, baselines and whole pipeline (its ``lesson-code`` cells), on tiny data."""

from __future__ import annotations

import numpy as np
import pytest
from lesson_code import load

from helpers import data, evaluation

lesson = load("04_deep_embedded_clustering_digits.ipynb")


def test_split_in_halves_is_disjoint_complete_seeded_and_label_free():
    a, b = lesson.split_in_halves(101, seed=0)
    assert len(a) == 50 and len(b) == 51
    assert np.intersect1d(a, b).size == 0 and np.union1d(a, b).tolist() == list(range(101))
    again, _ = lesson.split_in_halves(101, seed=0)
    other, _ = lesson.split_in_halves(101, seed=1)
    np.testing.assert_array_equal(a, again)
    assert not np.array_equal(a, other)
    assert not np.array_equal(a, np.arange(50))  # shuffled, not the first rows


def test_the_digit_halves_both_hold_every_digit():
    digits = data.digits()
    for half in lesson.split_in_halves(len(digits.X), seed=0):
        assert np.bincount(digits.y[half]).min() > 70


def test_positive_sets_puts_views_first_then_neighbours():
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    views = np.stack([X + 100, X + 200], axis=1)
    neighbours = np.array([[1, 2], [0, 2], [3, 1], [2, 0]])
    sets = lesson.positive_sets(X, neighbours, views)
    assert sets.shape == (4, 4, 3) and sets.dtype == np.float32
    np.testing.assert_array_equal(sets[:, :2], views)
    np.testing.assert_array_equal(sets[:, 2:], X[neighbours])


@pytest.fixture(scope="module")
def small_digits():
    digits = data.digits()
    keep = np.flatnonzero(digits.y < 3)[:90]
    return digits.X[keep], digits.y[keep]


def test_baselines_give_ten_clusters_and_follow_their_parameters(small_digits):
    from threadpoolctl import threadpool_limits

    X, y = small_digits
    with threadpool_limits(1):  # as notebook 04 runs them; a thread per core was 20x slower beside the other worker
        a = lesson.spectral(X, n_neighbors=10, seed=0, n_clusters=10)
        b = lesson.spectral(X, n_neighbors=40, seed=0, n_clusters=10)
        t = lesson.tsne_gmm(X, perplexity=10, covariance_type="full", seed=0, n_clusters=10)
    assert len(np.unique(a)) == 10 and not np.array_equal(a, b)
    assert len(np.unique(t)) == 10 and evaluation.evaluate(y, t)["nmi"] > 0.5


@pytest.mark.parametrize("name", ["k_round1", "k_round2", "k_scan"])
def test_run_network_says_before_any_training_that_the_images_are_too_few_for_a_neighbour_count(name, monkeypatch):
    """A learner's probe: 15 images trained a whole round before 'k must be ... got 20' named a k never passed."""
    X = np.random.default_rng(0).uniform(size=(15, 64))
    monkeypatch.setattr(lesson, "train_round", lambda *args: pytest.fail("trained before the check"))
    settings = {**lesson.NETWORK, "k_round1": 3, "k_round2": 3, "k_scan": 3, name: 15}
    with pytest.raises(ValueError, match=rf"^{name}=15 neighbours per image need more than 15 images$"):
        lesson.run_network(X, settings, seed=0, n_clusters=3)


def test_run_network_runs_every_stage_and_starts_each_head_at_kmeans(small_digits):
    X, y = small_digits
    settings = {**lesson.NETWORK, "epochs": 3, "scan_epochs": 2, "n_views": 2, "k_round1": 3, "k_round2": 3,
                "k_scan": 3, "hidden_units": (12, 6), "embedding_dim": 5, "smooth": 1.0}
    out = lesson.run_network(X, settings, seed=0, n_clusters=10)
    assert out["views"].shape == (90, 2, 64)
    # the views follow every augmentation setting, the smoothness of the elastic field included
    views = lesson.augment_images(X, 2, 0, *(settings[k] for k in ("max_rotation", "max_scale", "max_shift",
                                                                    "elastic", "smooth")))
    np.testing.assert_array_equal(out["views"], views)
    assert not np.allclose(views, lesson.augment_images(X, 2, 0, smooth=lesson.NETWORK["smooth"]))
    # the encoder has the shape the settings give
    assert [layer.units for layer in out["encoder"].layers if hasattr(layer, "units")] == [12, 6, 5]
    assert out["Z_round1"].shape == out["Z_round2"].shape == (90, 5)
    assert not np.allclose(out["Z_round1"], out["Z_round2"])  # round 2 trained the encoder further
    assert len(out["history_1"].history["loss"]) == len(out["history_2"].history["loss"]) == 3
    for stage in ("round1", "round2"):
        np.testing.assert_array_equal(out[stage]["start"], out[stage]["kmeans"])
        assert out[stage]["scan"].shape == (90,)
        assert len(out[stage]["history"].history["consistency"]) == 2


def test_tsne_gmm_hands_each_parameter_to_its_step(monkeypatch):
    # t-SNE is the slow part, so both steps are stand-ins that record what they were given: a baseline
    # that ignored perplexity or covariance_type (or the seed) would pass the test above.
    seen = {}

    class FakeTSNE:
        def __init__(self, n_components, perplexity, init, random_state):
            seen["tsne"] = {"n_components": n_components, "perplexity": perplexity, "random_state": random_state}

        def fit_transform(self, X):
            seen["tsne_input"] = X
            return X[:, :2] * 2.0

    class FakeGMM:
        def __init__(self, n_components, covariance_type, n_init, random_state):
            seen["gmm"] = {"n_components": n_components, "covariance_type": covariance_type,
                           "random_state": random_state}

        def fit_predict(self, Z):
            seen["gmm_input"] = Z
            return np.arange(len(Z)) % 10

    monkeypatch.setattr(lesson, "TSNE", FakeTSNE)
    monkeypatch.setattr(lesson, "GaussianMixture", FakeGMM)
    X = np.arange(40.0).reshape(10, 4)
    labels = lesson.tsne_gmm(X, perplexity=7, covariance_type="spherical", seed=3, n_clusters=10)
    assert seen["tsne"] == {"n_components": 2, "perplexity": 7, "random_state": 3}
    assert seen["gmm"] == {"n_components": 10, "covariance_type": "spherical", "random_state": 3}
    np.testing.assert_array_equal(seen["tsne_input"], X)
    np.testing.assert_array_equal(seen["gmm_input"], X[:, :2] * 2.0)  # the GMM clusters the t-SNE map
    np.testing.assert_array_equal(labels, np.arange(10) % 10)


def test_a_gmm_on_the_round_2_embedding_matches_kmeans_at_most_seeds():
    """Notebook 04, exercise 2's answer: the GMM's low score in the notebook is one seed's start, not the method:
    over the seeds 0-9 and 42-44, most give the GMM an ARI within 0.01 of KMeans' or above it (11 of 13 on the
    machine the notebook's answer was checked on, 9 with Colab's scikit-learn 1.6)."""
    import helpers
    from sklearn.cluster import KMeans
    from sklearn.mixture import GaussianMixture
    from threadpoolctl import threadpool_limits

    digits = data.digits()
    _, held_out = lesson.split_in_halves(len(digits.X), seed=0)
    X, y = digits.X[held_out], digits.y[held_out]
    with threadpool_limits(1):
        helpers.set_seed(42)
        Z = lesson.run_network(X, lesson.NETWORK, 42, n_clusters=10)["Z_round2"]
        kmeans = evaluation.evaluate(y, KMeans(n_clusters=10, n_init=20, random_state=42).fit_predict(Z))["ari"]
        gmm = [evaluation.evaluate(y, GaussianMixture(n_components=10, n_init=3, random_state=seed).fit_predict(Z))["ari"]
               for seed in (*range(10), 42, 43, 44)]
    assert kmeans > 0.85
    # "11 of 13 seeds ... as good as KMeans" on one machine; another build of scikit-learn moves a few (Colab's: 9)
    assert sum(ari >= kmeans - 0.01 for ari in gmm) >= 7, (kmeans, gmm)  # most seeds, whatever the build
    assert max(gmm) <= kmeans + 0.03  # as good, not clearly better
