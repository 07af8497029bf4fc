"""Tests for helpers.dec: Student-t assignments, the target distribution and DEC training."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import dec, models
from helpers._tensorflow import load_keras


def _lesson_02():
    """Notebook 02's own VAE builder (the VAE lives in the notebook's lesson-code cells)."""
    import lesson_code

    return lesson_code.load("02_vae_kmeans.ipynb")

keras = load_keras()


def _blobs(n_per=30, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0, 0.0], [4.0, 4.0, 0.0, 0.0], [0.0, 4.0, 4.0, 4.0]])
    X = np.vstack([c + 0.3 * rng.normal(size=(n_per, 4)) for c in centres]).astype(np.float32)
    return X, np.repeat(np.arange(3), n_per)


def _pretrained(X, seed=0, epochs=5):
    helpers.set_seed(seed)
    autoencoder, encoder = models.build_autoencoder(X.shape[1], hidden_units=(8,), latent_dim=2)
    autoencoder.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    autoencoder.fit(X, X, epochs=epochs, batch_size=16, verbose=0)
    return autoencoder, encoder


def _encode(encoder, X):
    return keras.ops.convert_to_numpy(encoder(X))


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


# ------------------------------------------------------------------ the DEC model and fit_dec


def _kl(p, q):
    return float(np.mean(np.sum(p * np.log(p / q), axis=1)))


def test_dec_model_fit_lowers_the_kl_to_a_fixed_target_and_moves_the_centres():
    X, _ = _blobs()
    _, encoder = _pretrained(X)
    centres = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], np.float32)
    model = dec.DEC(encoder, centres)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="kld")
    q0 = model.predict(X, verbose=0)
    p = dec.target_distribution(q0)
    history = model.fit(X, p, epochs=5, batch_size=30, verbose=0)
    q1 = model.predict(X, verbose=0)
    assert _kl(p, q1) < 0.9 * _kl(p, q0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    np.testing.assert_allclose(history.history["loss"][0], _kl(p, q0), rtol=0.5)  # Keras' "kld" is KL(P || Q)
    assert np.abs(keras.ops.convert_to_numpy(model.clustering.centres) - centres).max() > 1e-3


def test_dec_moves_labels_from_a_poor_start():
    X, y = _blobs()
    _, encoder = _pretrained(X)
    Z = _encode(encoder, X)
    start = Z[[0, 1, 45]]  # two centres inside the first blob, one in the second: the third blob is unclaimed
    result = dec.fit_dec(encoder, X, 3, init=start, tol=0.0, max_epochs=15, batch_size=30)
    assert np.any(result.labels != result.initial_labels)
    assert any(h["label_change_fraction"] > 0 for h in result.history)
    assert np.abs(result.centres - start).max() > 1e-2


def test_dec_stops_when_few_labels_change_on_easy_data():
    X, y = _blobs()
    _, encoder = _pretrained(X)
    result = dec.fit_dec(encoder, X, 3, random_state=0, tol=0.05, max_epochs=100, batch_size=30)
    assert result.stopped_early
    assert result.history[-1]["label_change_fraction"] < 0.05
    assert all(h["label_change_fraction"] >= 0.05 for h in result.history[:-1])
    assert result.history[-1]["epoch"] < 100
    assert result.labels.shape == (90,) and result.probabilities.shape == (90, 3)
    np.testing.assert_allclose(result.probabilities.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize(
    ("update_interval", "max_epochs", "batch_size", "epochs_logged"),
    [(3, 7, 30, [3, 6, 7]), (2, 4, 45, [2, 4])],
)
def test_max_epochs_is_a_true_bound_and_the_interval_counts_epochs(update_interval, max_epochs, batch_size,
                                                                   epochs_logged):
    X, _ = _blobs()
    _, encoder = _pretrained(X)
    result = dec.fit_dec(encoder, X, 3, update_interval=update_interval, tol=0.0, max_epochs=max_epochs,
                         batch_size=batch_size)
    assert not result.stopped_early
    assert [h["epoch"] for h in result.history] == epochs_logged
    # Gradient steps actually taken, counted by the optimizer: epochs x batches per epoch.
    assert int(result.model.optimizer.iterations) == max_epochs * -(-90 // batch_size)


def test_dec_is_deterministic_under_a_seed():
    X, _ = _blobs()
    runs = []
    for _ in range(2):
        _, encoder = _pretrained(X, seed=3)
        runs.append(dec.fit_dec(encoder, X, 3, random_state=3, update_interval=2, tol=0.0, max_epochs=6,
                                batch_size=30))
    np.testing.assert_array_equal(runs[0].labels, runs[1].labels)
    np.testing.assert_array_equal(runs[0].centres, runs[1].centres)
    assert [h["kl_loss"] for h in runs[0].history] == [h["kl_loss"] for h in runs[1].history]


def test_dec_clusters_the_z_mean_of_a_vae_encoder():
    X, y = _blobs()
    helpers.set_seed(0)
    vae, encoder, _ = _lesson_02().build_vae(input_dim=4, hidden_units=8, latent_dim=2)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    vae.fit(X, epochs=5, batch_size=16, verbose=0)
    result = dec.fit_dec(encoder, X, 3, tol=0.0, max_epochs=3, batch_size=30)
    z_mean = keras.ops.convert_to_numpy(encoder(X)[0])
    q = keras.ops.convert_to_numpy(dec.soft_assign(z_mean, result.centres))
    np.testing.assert_allclose(result.probabilities, q, atol=1e-5)
    assert result.centres.shape == (3, 2)


class SubclassedEncoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(8, activation="relu")
        self.code = keras.layers.Dense(2)

    def call(self, x, training=False):
        return self.code(self.hidden(x))


def test_dec_trains_a_subclassed_encoder_and_checks_its_width():
    X, _ = _blobs()
    helpers.set_seed(0)
    encoder = SubclassedEncoder()
    before = keras.ops.convert_to_numpy(encoder(X))
    result = dec.fit_dec(encoder, X, 3, tol=0.0, max_epochs=2, batch_size=30)
    assert len(result.history) == 2
    assert not np.allclose(keras.ops.convert_to_numpy(encoder(X)), before)  # trained in place
    with pytest.raises(ValueError, match="X has 3 features"):
        dec.fit_dec(encoder, X[:, :3], 3)


def test_dec_accepts_given_centres():
    X, _ = _blobs()
    _, encoder = _pretrained(X)
    Z = _encode(encoder, X)
    centres = np.stack([Z[i * 30 : (i + 1) * 30].mean(axis=0) for i in range(3)])
    result = dec.fit_dec(encoder, X, 3, init=centres, max_epochs=1, batch_size=30)
    nearest = np.argmin(((Z[:, None, :] - centres[None]) ** 2).sum(axis=-1), axis=1)
    np.testing.assert_array_equal(result.initial_labels, nearest)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_clusters": 1}, ValueError, "n_clusters must be >= 2"),
        ({"n_clusters": 91}, ValueError, "n_clusters must be <= 90"),
        ({"n_clusters": 3.0}, TypeError, "n_clusters must be an integer"),
        ({"tol": 1.5}, ValueError, "tol must be <= 1"),
        ({"update_interval": 0}, ValueError, "update_interval must be >= 1"),
        ({"max_epochs": 0}, ValueError, "max_epochs must be >= 1"),
        ({"batch_size": 1000}, ValueError, "batch_size must be <= 90"),
        ({"random_state": None}, TypeError, "random_state must be an integer seed"),
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
    with pytest.raises(ValueError, match="X has 3 features but the encoder expects 4"):
        dec.fit_dec(encoder, X[:, :3], 3)
    with pytest.raises(ValueError, match="NaN"):
        dec.fit_dec(encoder, np.where(X > 3, np.nan, X), 3)
