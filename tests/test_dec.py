"""Tests for helpers.dec: Student-t assignments, the target distribution and DEC/IDEC training."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import dec, models, training
from helpers._tensorflow import load_keras

keras = load_keras()


def _blobs(n_per=30, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0, 0.0], [4.0, 4.0, 0.0, 0.0], [0.0, 4.0, 4.0, 4.0]])
    X = np.vstack([c + 0.3 * rng.normal(size=(n_per, 4)) for c in centres]).astype(np.float32)
    return X, np.repeat(np.arange(3), n_per)


def _pretrained(X, seed=0, epochs=5):
    helpers.set_seed(seed)
    autoencoder, encoder = models.build_autoencoder(X.shape[1], hidden_units=(8,), latent_dim=2)
    training.train(autoencoder, X, epochs=epochs, batch_size=16, progress=False)
    return autoencoder, encoder


# ------------------------------------------------------------------ soft assignment and target


def test_clustering_layer_rows_are_positive_and_sum_to_one():
    z = np.random.default_rng(0).normal(size=(20, 3)).astype(np.float32)
    layer = dec.ClusteringLayer(4, initial_centres=np.eye(4, 3))
    q = keras.ops.convert_to_numpy(layer(z))
    assert q.shape == (20, 4)
    assert np.all(q > 0)
    np.testing.assert_allclose(q.sum(axis=1), 1.0, rtol=1e-5)


def test_soft_assignment_prefers_the_nearest_centre_and_matches_the_formula():
    centres = np.array([[0.0, 0.0], [3.0, 0.0]], dtype=np.float32)
    z = np.array([[0.5, 0.0]], dtype=np.float32)
    q = keras.ops.convert_to_numpy(dec.soft_assign(z, centres))
    kernel = 1.0 / (1.0 + np.array([0.25, 6.25]))
    np.testing.assert_allclose(q[0], kernel / kernel.sum(), rtol=1e-5)
    assert q[0, 0] > q[0, 1]


def test_target_distribution_rows_sum_to_one_and_sharpen_balanced_clusters():
    rows = np.random.default_rng(1).dirichlet(np.ones(5), size=10)
    q = np.vstack([np.roll(rows, shift, axis=1) for shift in range(5)])  # every cluster equally large
    p = dec.target_distribution(q)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-10)
    assert np.all(p.max(axis=1) > q.max(axis=1))
    np.testing.assert_array_equal(p.argmax(axis=1), q.argmax(axis=1))


def test_target_distribution_discounts_large_clusters():
    # Two points sure of cluster 0, one undecided: dividing by the soft cluster size sends it to cluster 1.
    q = np.array([[0.9, 0.1], [0.9, 0.1], [0.5, 0.5]])
    p = dec.target_distribution(q)
    assert p[2, 1] > p[2, 0]


@pytest.mark.parametrize(
    ("q", "error", "match"),
    [
        ([[0.5, 0.5], [-0.1, 1.1]], ValueError, "non-negative"),
        ([[1.0, 0.0], [1.0, 0.0]], ValueError, "zero total weight"),
        ([0.5, 0.5], ValueError, "2-D"),
        ([["a", "b"]], TypeError, "real numbers"),
    ],
)
def test_target_distribution_rejects_bad_input(q, error, match):
    with pytest.raises(error, match=match):
        dec.target_distribution(q)


def test_clustering_layer_rejects_centres_of_the_wrong_shape():
    with pytest.raises(ValueError, match="n_clusters is 3"):
        dec.ClusteringLayer(3, initial_centres=np.zeros((2, 4)))
    with pytest.raises(ValueError, match="features but the input has 2"):
        dec.ClusteringLayer(2, initial_centres=np.zeros((2, 4)))(np.zeros((5, 2), np.float32))
    with pytest.raises(ValueError, match="n_clusters must be >= 1"):
        dec.ClusteringLayer(0)


# ------------------------------------------------------------------ fit_dec


def test_dec_stops_when_few_labels_change_on_easy_data():
    X, y = _blobs()
    _, encoder = _pretrained(X)
    result = dec.fit_dec(encoder, X, 3, random_state=0, update_interval=4, tol=0.05, max_iterations=400, batch_size=30)
    assert result.stopped_early
    assert result.history[-1]["label_change_fraction"] < 0.05
    assert all(h["label_change_fraction"] >= 0.05 for h in result.history[:-1])
    assert result.labels.shape == (90,) and result.probabilities.shape == (90, 3)
    np.testing.assert_allclose(result.probabilities.sum(axis=1), 1.0, rtol=1e-5)


def test_dec_respects_max_iterations():
    X, _ = _blobs()
    _, encoder = _pretrained(X)
    result = dec.fit_dec(encoder, X, 3, random_state=0, update_interval=3, tol=0.0, max_iterations=7, batch_size=30)
    assert not result.stopped_early
    assert [h["iteration"] for h in result.history] == [3, 6, 9]


def test_dec_is_deterministic_under_a_seed():
    X, _ = _blobs()
    runs = []
    for _ in range(2):
        _, encoder = _pretrained(X, seed=3)
        runs.append(dec.fit_dec(encoder, X, 3, random_state=3, update_interval=4, max_iterations=12, batch_size=30))
    np.testing.assert_array_equal(runs[0].labels, runs[1].labels)
    np.testing.assert_allclose(runs[0].centres, runs[1].centres, rtol=1e-6)
    assert [h["kl_loss"] for h in runs[0].history] == [h["kl_loss"] for h in runs[1].history]


def test_idec_runs_and_logs_the_reconstruction_loss():
    X, _ = _blobs()
    autoencoder, encoder = _pretrained(X)
    result = dec.fit_dec(encoder, X, 3, random_state=0, update_interval=4, max_iterations=8, batch_size=30,
                         reconstruction_weight=1.0, autoencoder=autoencoder)
    assert all("reconstruction_loss" in h and h["reconstruction_loss"] > 0 for h in result.history)


def test_dec_accepts_given_centres():
    X, _ = _blobs()
    _, encoder = _pretrained(X)
    Z = training.encode(encoder, X)
    centres = np.stack([Z[i * 30 : (i + 1) * 30].mean(axis=0) for i in range(3)])
    result = dec.fit_dec(encoder, X, 3, init=centres, update_interval=4, max_iterations=4, batch_size=30)
    assert result.centres.shape == (3, 2)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_clusters": 1}, ValueError, "n_clusters must be >= 2"),
        ({"n_clusters": 3.0}, TypeError, "n_clusters must be an integer"),
        ({"tol": 1.5}, ValueError, "tol must be <= 1"),
        ({"update_interval": 0}, ValueError, "update_interval must be >= 1"),
        ({"max_iterations": 0}, ValueError, "max_iterations must be >= 1"),
        ({"batch_size": 1000}, ValueError, "batch_size must be <= 90"),
        ({"random_state": None}, TypeError, "random_state must be an integer seed"),
        ({"reconstruction_weight": 0.5}, TypeError, "needs autoencoder"),
        ({"reconstruction_weight": -1.0}, ValueError, "reconstruction_weight must be >= 0"),
        ({"init": "random"}, ValueError, "init must be"),
        ({"init": np.zeros((2, 2))}, ValueError, "init has shape"),
    ],
)
def test_fit_dec_rejects_bad_parameters(kwargs, error, match):
    X, _ = _blobs()
    _, encoder = _pretrained(X, epochs=1)
    kwargs = {"n_clusters": 3, "batch_size": 30, **kwargs}
    with pytest.raises(error, match=match):
        dec.fit_dec(encoder, X, kwargs.pop("n_clusters"), **kwargs)


def test_fit_dec_rejects_bad_encoder_and_data():
    X, _ = _blobs()
    _, encoder = _pretrained(X, epochs=1)
    with pytest.raises(TypeError, match="encoder must be a keras.Model"):
        dec.fit_dec("encoder", X, 3)
    with pytest.raises(ValueError, match="expects 4"):
        dec.fit_dec(encoder, X[:, :3], 3)
    with pytest.raises(ValueError, match="NaN"):
        dec.fit_dec(encoder, np.where(X > 3, np.nan, X), 3)
