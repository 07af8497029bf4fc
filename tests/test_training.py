"""Tests for helpers.training: CompactProgress with model.fit, input_width() and encode()."""

from __future__ import annotations

import io
import re

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


# --------------------------------------------------------------------------- with model.fit


def _fit(autoencoder, X, epochs, **kwargs):
    autoencoder.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    return autoencoder.fit(X, X, epochs=epochs, batch_size=8, verbose=0, **kwargs)


def test_compact_progress_shows_one_line_per_fit_with_the_final_loss(autoencoder_pair, tiny_features):
    autoencoder, _ = autoencoder_pair
    stream = io.StringIO()
    history = _fit(autoencoder, tiny_features, 3, callbacks=[training.CompactProgress(stream=stream)])
    states = stream.getvalue().rstrip("\n").split("\r")[1:]
    assert [s.split()[1] for s in states if s.startswith("epoch")] == ["1/3", "2/3", "3/3"]
    final_loss = history.history["loss"][-1]
    assert states[-1].startswith("trained 3 epochs in ") and states[-1].endswith(f"loss {final_loss:.4f}")


def test_fit_under_set_seed_is_repeatable_and_reshuffles_between_epochs(tiny_features):
    def run(seed, shuffle=True):
        helpers.set_seed(seed)
        autoencoder, encoder = models.build_autoencoder(4, hidden_units=(3,), latent_dim=2)
        history = _fit(autoencoder, tiny_features, 3, shuffle=shuffle)
        return history.history["loss"], training.encode(encoder, tiny_features)

    loss_a, code_a = run(1)
    loss_b, code_b = run(1)
    assert loss_a == loss_b
    np.testing.assert_array_equal(code_a, code_b)
    # Another seed, or no shuffling, gives other numbers: the seed reaches weights and batch order.
    assert run(2)[0] != loss_a
    assert run(1, shuffle=False)[0] != loss_a


def test_fit_with_data_of_the_wrong_width_raises_one_line_naming_both_widths(autoencoder_pair):
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    wrong = np.zeros((16, 7), dtype=np.float32)
    with pytest.raises(ValueError) as caught:
        autoencoder.fit(wrong, wrong, epochs=1, verbose=0)
    message = str(caught.value).strip()
    assert "\n" not in message
    assert re.search(r"\b4\b", message) and re.search(r"\b7\b", message)


# --------------------------------------------------------------------------- input_width


def test_input_width_of_functional_subclassed_and_unbuilt_models(autoencoder_pair):
    _, encoder = autoencoder_pair
    assert training.input_width(encoder) == 4
    vae, _, _ = models.build_vae(6, hidden_units=(4,), latent_dim=2)
    assert training.input_width(vae) == 6  # subclassed: no .inputs, found through its encoder

    class Plain(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    assert training.input_width(Plain()) is None  # unbuilt: nothing to tell yet


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


def test_encode_works_on_a_subclassed_encoder(tiny_features):
    class Halve(keras.Model):
        def call(self, x):
            return x[:, :2] * 0.5

    Z = training.encode(Halve(), tiny_features)
    np.testing.assert_allclose(Z, tiny_features[:, :2] * 0.5, rtol=1e-6)


def test_models_of_the_series_refuse_the_wrong_width_in_one_line_naming_both():
    from lesson_code import load

    lesson = load("04_deep_embedded_clustering_digits.ipynb")  # DEC, NeighbourContrastive and SCAN live there
    helpers.set_seed(0)
    _, encoder = models.build_autoencoder(6, (4,), 3)
    vae, _, _ = models.build_vae(6, hidden_units=(4,), latent_dim=2)
    built = {
        "vae": vae,
        "dec": lesson.DEC(encoder, np.eye(3, dtype="float32")),
        "neighbour_contrastive": lesson.NeighbourContrastive(lesson.build_encoder(6, (4,), 3)),
        "scan": lesson.SCAN(lesson.build_encoder(6, (4,), 3), np.eye(3, dtype="float32")),
    }
    wrong = np.zeros((8, 5), dtype="float32")
    for name, model in built.items():
        model.compile(optimizer="adam", loss="kld" if name == "dec" else None)
        for call in (lambda: model.fit(wrong, wrong, epochs=1, verbose=0), lambda: model.predict(wrong, verbose=0)):
            with pytest.raises(ValueError, match=rf"^x has 5 features but {model.name} expects 6$"):
                call()


def test_checked_inputs_refuse_nan_and_pass_datasets_through(autoencoder_pair):
    vae, _, _ = models.build_vae(4, hidden_units=(3,), latent_dim=2)
    bad = np.ones((4, 4), dtype="float32")
    bad[1, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        vae.predict(bad, verbose=0)
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices(np.ones((4, 4), dtype="float32")).batch(2)
    assert training.check_model_input(vae, dataset) is dataset
