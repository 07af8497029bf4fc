"""Tests for the variational autoencoder in helpers.models."""

import numpy as np
import pytest

import helpers
from helpers import data, models, training

keras = models.keras


@pytest.fixture(scope="module")
def X():
    return data.blobs(n_samples=60, centers=3, n_features=4, random_state=0).X


def _trained(X, seed=0, beta=1.0, epochs=4):
    helpers.set_seed(seed)
    vae, encoder, decoder = models.build_vae(X.shape[1], hidden_units=(8,), latent_dim=2, beta=beta, seed=seed)
    vae.compile(optimizer=keras.optimizers.Adam(1e-2))
    history = vae.fit(X, epochs=epochs, batch_size=16, verbose=0)
    return vae, encoder, decoder, history


def test_shapes(X):
    vae, encoder, decoder = models.build_vae(4, hidden_units=(8, 6), latent_dim=3)
    assert tuple(vae(X).shape) == (60, 4)
    z_mean, z_log_var = encoder.predict(X, verbose=0)
    assert z_mean.shape == z_log_var.shape == (60, 3)
    assert decoder.predict(np.zeros((5, 3), dtype="float32"), verbose=0).shape == (5, 4)
    assert training.encode(encoder, X).shape == (60, 3)  # the first output: z_mean
    np.testing.assert_allclose(training.encode(encoder, X), z_mean, rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def trained(X):
    """One small VAE (beta=0.5) trained for a few epochs, shared by the tests that only read it."""
    return _trained(X, beta=0.5, epochs=6)


def test_history_logs_the_three_losses(trained):
    assert set(trained[3].history) == {"loss", "reconstruction_loss", "kl_loss"}


def test_beta_weights_the_kl_term_in_training(X):
    # Same seed, same data: only beta differs. A heavy KL weight must pull the codes to the prior.
    kl = {beta: _trained(X, seed=0, beta=beta, epochs=8)[3].history["kl_loss"][-1] for beta in (0.0, 20.0)}
    assert kl[20.0] < 0.25 * kl[0.0]


def test_loss_falls_over_a_few_epochs(trained):
    losses = trained[3].history["loss"]
    assert losses[-1] < 0.8 * losses[0]


def test_kl_is_non_negative_and_zero_only_at_the_prior():
    rng = np.random.default_rng(0)
    z_mean = rng.normal(size=(200, 2)).astype("float32")
    z_log_var = rng.normal(size=(200, 2)).astype("float32")
    assert float(models.kl_divergence(z_mean, z_log_var)) > 0
    zeros = np.zeros((10, 2), dtype="float32")
    assert float(models.kl_divergence(zeros, zeros)) == pytest.approx(0.0, abs=1e-7)
    # Unit variance, mean 1 in each of 2 dimensions: KL = 2 * 1/2 = 1.
    assert float(models.kl_divergence(np.ones((10, 2), dtype="float32"), zeros)) == pytest.approx(1.0)


def test_kl_in_history_is_non_negative(trained):
    assert min(trained[3].history["kl_loss"]) >= 0


def test_sampling_spread_follows_log_variance():
    sampler = models.Sampling(seed=1)
    z_mean = np.full((20000, 2), 3.0, dtype="float32")
    z_log_var = np.full((20000, 2), np.log(4.0), dtype="float32")  # standard deviation 2
    z = keras.ops.convert_to_numpy(sampler([z_mean, z_log_var]))
    assert z.mean() == pytest.approx(3.0, abs=0.05)
    assert z.std() == pytest.approx(2.0, abs=0.05)


def test_sampling_is_repeatable_per_seed():
    z_mean = np.zeros((50, 2), dtype="float32")

    def draw(seed):
        return keras.ops.convert_to_numpy(models.Sampling(seed=seed)([z_mean, z_mean]))

    np.testing.assert_array_equal(draw(5), draw(5))
    assert not np.allclose(draw(5), draw(6))


def test_identical_results_under_one_seed(X):
    _, first_encoder, _, first = _trained(X, seed=3, epochs=2)
    _, second_encoder, _, second = _trained(X, seed=3, epochs=2)
    np.testing.assert_array_equal(first.history["loss"], second.history["loss"])
    np.testing.assert_array_equal(training.encode(first_encoder, X), training.encode(second_encoder, X))
    _, other_encoder, _, _ = _trained(X, seed=4, epochs=2)
    assert not np.allclose(training.encode(first_encoder, X), training.encode(other_encoder, X))


def test_save_load_round_trip_gives_the_same_z_mean(X, trained, tmp_path):
    vae, encoder, _, _ = trained
    path = tmp_path / "vae.keras"
    vae.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, models.VAE)
    assert loaded.beta == 0.5
    assert loaded.seed == 0
    np.testing.assert_array_equal(training.encode(loaded.encoder, X), training.encode(encoder, X))
    # The decoder came back too: decoding the same latent points gives the same reconstructions.
    z = np.zeros((3, 2), dtype="float32")
    np.testing.assert_allclose(loaded.decoder.predict(z, verbose=0), vae.decoder.predict(z, verbose=0), atol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"input_dim": 0}, ValueError, "input_dim must be >= 1"),
        ({"input_dim": 2.5}, TypeError, "input_dim must be an integer"),
        ({"input_dim": 4, "latent_dim": 0}, ValueError, "latent_dim must be >= 1"),
        ({"input_dim": 4, "hidden_units": 8}, TypeError, "hidden_units must be a sequence"),
        ({"input_dim": 4, "hidden_units": (8, 0)}, ValueError, r"hidden_units\[1\] must be >= 1"),
        ({"input_dim": 4, "beta": -0.1}, ValueError, "beta must be >= 0"),
        ({"input_dim": 4, "beta": "1"}, TypeError, "beta must be a number"),
        ({"input_dim": 4, "beta": float("inf")}, ValueError, "beta must be finite"),
        ({"input_dim": 4, "seed": None}, TypeError, "seed must be an integer seed"),
        ({"input_dim": 4, "seed": -1}, ValueError, "seed must be >= 0"),
        ({"input_dim": 4, "activation": "swishy"}, ValueError, "activation must be one of"),
    ],
)
def test_build_vae_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        models.build_vae(**kwargs)


def _dense_model(n_in, n_out, n_outputs=1):
    inputs = keras.Input(shape=(n_in,))
    outputs = [keras.layers.Dense(n_out)(inputs) for _ in range(n_outputs)]
    return keras.Model(inputs, outputs if n_outputs > 1 else outputs[0])


class _Subclassed(keras.Model):
    def call(self, x):
        return x, x


@pytest.mark.parametrize(
    ("parts", "error", "match"),
    [
        (lambda: ("encoder", _dense_model(2, 4)), TypeError, "encoder must be a keras.Model"),
        (lambda: (_dense_model(4, 2, 2), None), TypeError, "decoder must be a keras.Model"),
        (lambda: (_dense_model(4, 2), _dense_model(2, 4)), ValueError, r"\[z_mean, z_log_var\]"),
        (lambda: (_dense_model(4, 2, 2), _dense_model(3, 4)), ValueError, "decoder expects 3 latent inputs"),
        (lambda: (_dense_model(4, 2, 2), _dense_model(2, 5)), ValueError, "decoder outputs 5 features"),
        # A subclassed part has no .inputs: a clear error, not an AttributeError.
        (lambda: (_Subclassed(), _dense_model(2, 4)), ValueError, "encoder must be a functional keras.Model"),
    ],
)
def test_vae_rejects_parts_that_do_not_fit(parts, error, match):
    encoder, decoder = parts()
    with pytest.raises(error, match=match):
        models.VAE(encoder, decoder)


def test_compute_loss_rejects_sample_weights(X):
    vae, _, _ = models.build_vae(4)
    with pytest.raises(ValueError, match="does not support sample weights"):
        vae.compute_loss(x=X, y_pred=vae(X), sample_weight=np.ones(len(X)))


def test_sampling_rejects_a_missing_seed():
    with pytest.raises(TypeError, match="seed must be an integer seed"):
        models.Sampling(seed=None)


def test_training_a_vae_rejects_bad_data(X):
    vae, _, _ = models.build_vae(4)
    bad = X.copy()
    bad[0, 0] = np.nan
    vae.compile(optimizer="adam")
    with pytest.raises(ValueError, match="NaN"):
        vae.fit(bad, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"^x has 5 features but vae expects 4$"):
        vae.fit(np.zeros((8, 5)), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="encoder expects 4"):
        training.encode(vae.encoder, np.zeros((3, 5)))
