"""Tests for helpers.training: CompactProgress, train() and encode()."""

from __future__ import annotations

import io

import numpy as np
import pytest

import helpers
from helpers import models, training

keras = training.keras


@pytest.fixture
def autoencoder_pair():
    """A freshly seeded 4 -> 3 -> 2 -> 3 -> 4 autoencoder and its encoder."""
    helpers.set_seed(0)
    return models.build_autoencoder(4, hidden_units=(3,), latent_dim=2)


@pytest.fixture(scope="module")
def trained_history(tiny_features):
    """History of 6 epochs of training on the tiny dataset (shared: training is the slow part)."""
    helpers.set_seed(0)
    autoencoder, _ = models.build_autoencoder(4, hidden_units=(3,), latent_dim=2)
    return training.train(autoencoder, tiny_features, epochs=6, batch_size=8, learning_rate=1e-2, progress=False)


# --------------------------------------------------------------------------- CompactProgress


def _drive(callback, epochs, losses):
    """Run a callback through a fake fit of ``epochs`` epochs."""
    callback.set_params({"epochs": epochs, "verbose": 0})
    callback.on_train_begin()
    for epoch, loss in zip(range(epochs), losses):
        callback.on_epoch_end(epoch, {"loss": loss})
    callback.on_train_end()


def test_compact_progress_writes_a_final_trained_line_to_the_stream():
    stream = io.StringIO()
    _drive(training.CompactProgress(stream=stream), 3, [0.9, 0.5, 0.25])
    text = stream.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1  # one line, updated in place with \r
    states = text.rstrip("\n").split("\r")[1:]
    assert states[:3] == ["epoch 1/3  loss 0.9000", "epoch 2/3  loss 0.5000", "epoch 3/3  loss 0.2500"]
    assert states[-1].startswith("trained 3 epochs in ")
    assert states[-1].endswith(" s  loss 0.2500")


def test_compact_progress_updates_every_n_epochs_and_always_shows_the_last():
    stream = io.StringIO()
    _drive(training.CompactProgress(every=2, stream=stream), 5, [5.0, 4.0, 3.0, 2.0, 1.0])
    states = stream.getvalue().rstrip("\n").split("\r")[1:]
    shown = [s.split()[1] for s in states if s.startswith("epoch")]
    assert shown == ["2/5", "4/5", "5/5"]
    assert states[-1].startswith("trained 5 epochs")


def test_compact_progress_resets_between_fits():
    stream = io.StringIO()
    callback = training.CompactProgress(stream=stream)
    _drive(callback, 4, [1.0] * 4)
    _drive(callback, 2, [1.0] * 2)
    assert stream.getvalue().rstrip("\n").split("\r")[-1].startswith("trained 2 epochs")


def test_compact_progress_writes_to_stdout_by_default(capsys):
    _drive(training.CompactProgress(), 1, [0.5])
    assert "trained 1 epochs" in capsys.readouterr().out


@pytest.mark.parametrize(("every", "error"), [(0, ValueError), (-1, ValueError), (1.5, TypeError)])
def test_compact_progress_rejects_bad_every(every, error):
    with pytest.raises(error, match=r"every must be"):
        training.CompactProgress(every=every)


# --------------------------------------------------------------------------- train


def test_train_records_one_loss_value_per_epoch(trained_history):
    assert isinstance(trained_history, keras.callbacks.History)
    assert list(trained_history.history) == ["loss"]
    assert len(trained_history.history["loss"]) == 6
    assert np.all(np.isfinite(trained_history.history["loss"]))


def test_train_loss_falls_on_a_tiny_dataset(trained_history):
    losses = trained_history.history["loss"]
    assert losses[-1] < 0.9 * losses[0]


def test_train_is_deterministic_under_set_seed(tiny_features):
    def run(seed):
        helpers.set_seed(seed)
        autoencoder, encoder = models.build_autoencoder(4, hidden_units=(3,), latent_dim=2)
        history = training.train(autoencoder, tiny_features, epochs=2, batch_size=8, progress=False)
        return history.history["loss"], training.encode(encoder, tiny_features)

    loss_a, code_a = run(1)
    loss_b, code_b = run(1)
    assert loss_a == loss_b
    np.testing.assert_array_equal(code_a, code_b)


def test_train_shows_compact_progress_by_default(autoencoder_pair, tiny_features, capsys):
    autoencoder, _ = autoencoder_pair
    training.train(autoencoder, tiny_features, epochs=2, batch_size=16)
    out = capsys.readouterr().out
    assert "epoch 2/2" in out
    assert out.rstrip("\n").split("\r")[-1].startswith("trained 2 epochs")


def test_train_with_explicit_targets_fits_a_regression_and_prints_nothing_without_progress(tiny_features, capsys):
    helpers.set_seed(0)
    inputs = keras.Input(shape=(4,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    target = tiny_features[:, 0] * 2.0 - tiny_features[:, 1]
    history = training.train(model, tiny_features, target=target, epochs=3, batch_size=8, learning_rate=0.05, progress=False)
    losses = history.history["loss"]
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert capsys.readouterr().out == ""


def test_train_with_target_none_uses_the_models_own_loss(tiny_features):
    class ShrinkToHalf(keras.layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, x):
            out = x * self.scale
            self.add_loss(keras.ops.mean(keras.ops.square(out - 0.5 * x)))
            return out

    helpers.set_seed(0)
    inputs = keras.Input(shape=(4,))
    model = keras.Model(inputs, ShrinkToHalf()(inputs))
    history = training.train(model, tiny_features, target=None, epochs=3, batch_size=8, learning_rate=0.05, progress=False)
    losses = history.history["loss"]
    assert len(losses) == 3 and losses[-1] < losses[0]
    np.testing.assert_allclose(model.layers[-1].get_weights()[0], 0.5, atol=0.4)


def test_train_with_target_none_refuses_a_model_without_a_loss_of_its_own(autoencoder_pair, tiny_features):
    autoencoder, _ = autoencoder_pair
    with pytest.raises(ValueError, match=r'target=None needs a model that computes its own loss.*target="reconstruct"'):
        training.train(autoencoder, tiny_features, target=None, epochs=1, batch_size=8, progress=False)


def test_train_adds_the_models_regularisation_terms_to_the_loss(tiny_features):
    def first_epoch_loss(l2):
        helpers.set_seed(0)
        inputs = keras.Input(shape=(4,))
        regulariser = keras.regularizers.L2(l2) if l2 else None
        model = keras.Model(inputs, keras.layers.Dense(4, kernel_regularizer=regulariser)(inputs))
        penalty = l2 * float(np.sum(model.layers[-1].get_weights()[0] ** 2))
        history = training.train(model, tiny_features, epochs=1, batch_size=32, progress=False)
        return history.history["loss"][0], penalty

    plain, _ = first_epoch_loss(0.0)
    regularised, penalty = first_epoch_loss(10.0)
    assert penalty > 1.0
    assert regularised == pytest.approx(plain + penalty, rel=1e-4)


def test_train_accepts_a_keras_loss_object_and_refuses_an_unknown_loss_name(autoencoder_pair, tiny_features):
    autoencoder, _ = autoencoder_pair
    history = training.train(autoencoder, tiny_features, epochs=1, batch_size=8, loss=keras.losses.MeanAbsoluteError(),
                             progress=False)
    assert np.isfinite(history.history["loss"][0])
    with pytest.raises(ValueError, match=r'loss must be a Keras loss name such as "mse", or a callable; got \'msq\''):
        training.train(autoencoder, tiny_features, epochs=1, loss="msq", progress=False)


def test_train_logs_the_mean_loss_over_the_samples_of_an_epoch(tiny_features):
    # One epoch of plain gradient steps on a model whose loss is known: with a learning rate of
    # (almost) zero the weights stay put, so the logged value must equal the loss of the data.
    helpers.set_seed(0)
    inputs = keras.Input(shape=(4,))
    model = keras.Model(inputs, keras.layers.Dense(4)(inputs))
    expected = float(np.mean((model.predict(tiny_features, verbose=0) - tiny_features) ** 2))
    history = training.train(model, tiny_features, epochs=1, batch_size=5, learning_rate=1e-12, progress=False)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 33}, ValueError, r"batch_size \(33\) is larger than the number of samples \(32\)"),
        ({"batch_size": 0}, ValueError, r"batch_size must be >= 1; got 0"),
        ({"epochs": 0}, ValueError, r"epochs must be >= 1; got 0"),
        ({"epochs": 2.0}, TypeError, r"epochs must be an integer"),
        ({"learning_rate": 0.0}, ValueError, r"learning_rate must be > 0\.0"),
        ({"learning_rate": -1e-3}, ValueError, r"learning_rate must be > 0\.0"),
        ({"learning_rate": float("nan")}, ValueError, r"learning_rate must be finite"),
        ({"target": "reconstruction"}, ValueError, r'target must be "reconstruct", an array or None; got \'reconstruction\''),
        ({"target": np.zeros((32, 4, 1))}, ValueError, r"target must be a 1-D or 2-D array; got 3-D"),
        ({"target": np.zeros(31)}, ValueError, r"target has 31 rows but X has 32"),
        ({"target": np.full(32, np.nan)}, ValueError, r"target contains 32 NaN or infinite"),
        ({"target": np.array(["a"] * 32)}, TypeError, r"target must contain real numbers"),
    ],
)
def test_train_rejects_impossible_parameters(autoencoder_pair, tiny_features, kwargs, error, match):
    autoencoder, _ = autoencoder_pair
    with pytest.raises(error, match=match):
        training.train(autoencoder, tiny_features, progress=False, **kwargs)


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        (np.array([[0.0, 1.0, np.nan, 2.0]] * 4), ValueError, r"X contains 4 NaN or infinite"),
        (np.zeros(8), ValueError, r"X must be a 2-D array"),
        (np.zeros((1, 4)), ValueError, r"X needs at least 2 samples; got 1"),
        (np.array([["a"] * 4] * 4), TypeError, r"X must contain real numbers"),
    ],
)
def test_train_rejects_bad_data(autoencoder_pair, X, error, match):
    autoencoder, _ = autoencoder_pair
    with pytest.raises(error, match=match):
        training.train(autoencoder, X, batch_size=1, progress=False)


def test_train_rejects_something_that_is_not_a_keras_model(tiny_features):
    with pytest.raises(TypeError, match=r"model must be a keras\.Model; got str"):
        training.train("autoencoder", tiny_features)


# --------------------------------------------------------------------------- encode


def test_encode_returns_n_by_latent_dim_numpy_array(autoencoder_pair, tiny_features):
    _, encoder = autoencoder_pair
    Z = training.encode(encoder, tiny_features, batch_size=5)
    assert isinstance(Z, np.ndarray)
    assert Z.shape == (32, 2)
    np.testing.assert_allclose(Z, np.asarray(encoder(tiny_features)), rtol=1e-5, atol=1e-6)


def test_encode_accepts_float64_lists(autoencoder_pair):
    _, encoder = autoencoder_pair
    assert training.encode(encoder, [[0.0, 1.0, 2.0, 3.0]]).shape == (1, 2)


def test_encode_returns_the_first_output_of_a_multi_output_encoder(tiny_features):
    inputs = keras.Input(shape=(4,))
    mean = keras.layers.Dense(2, name="z_mean")(inputs)
    log_var = keras.layers.Dense(3, name="z_log_var")(inputs)
    encoder = keras.Model(inputs, [mean, log_var])
    Z = training.encode(encoder, tiny_features)
    assert Z.shape == (32, 2)


@pytest.mark.parametrize(
    ("X", "kwargs", "error", "match"),
    [
        (np.zeros((5, 3)), {}, ValueError, r"X has 3 features but the encoder expects 4"),
        (np.zeros((5, 6)), {}, ValueError, r"X has 6 features but the encoder expects 4"),
        (np.zeros(4), {}, ValueError, r"X must be a 2-D array"),
        (np.full((2, 4), np.inf), {}, ValueError, r"X contains 8 NaN or infinite"),
        (np.zeros((5, 4)), {"batch_size": 0}, ValueError, r"batch_size must be >= 1; got 0"),
    ],
)
def test_encode_rejects_feature_mismatch_and_bad_input(autoencoder_pair, X, kwargs, error, match):
    _, encoder = autoencoder_pair
    with pytest.raises(error, match=match):
        training.encode(encoder, X, **kwargs)


def test_encode_rejects_something_that_is_not_a_keras_model(tiny_features):
    with pytest.raises(TypeError, match=r"encoder must be a keras\.Model; got function"):
        training.encode(lambda x: x, tiny_features)
