"""Tests for helpers.models: the autoencoder builder and helpers.set_seed."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import models

keras = models.keras


def _dense_units(model):
    return [layer.units for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def test_build_autoencoder_mirrors_the_encoder_in_the_decoder():
    autoencoder, encoder = models.build_autoencoder(10, hidden_units=(8, 4), latent_dim=3)
    assert _dense_units(autoencoder) == [8, 4, 3, 4, 8, 10]
    assert _dense_units(encoder) == [8, 4, 3]
    assert autoencoder.output_shape == (None, 10)
    assert encoder.output_shape == (None, 3)


def test_build_autoencoder_default_shape_and_names():
    autoencoder, encoder = models.build_autoencoder(6)
    assert _dense_units(autoencoder) == [5, 2, 5, 6]
    assert autoencoder.name == "autoencoder" and encoder.name == "autoencoder_encoder"
    other, other_encoder = models.build_autoencoder(6, name="ae2")
    assert other.name == "ae2" and other_encoder.name == "ae2_encoder"


def test_build_autoencoder_without_hidden_layers():
    autoencoder, encoder = models.build_autoencoder(4, hidden_units=(), latent_dim=2)
    assert _dense_units(autoencoder) == [2, 4]
    assert _dense_units(encoder) == [2]


def test_build_autoencoder_encoder_shares_layer_objects_with_autoencoder():
    autoencoder, encoder = models.build_autoencoder(5, hidden_units=(4,), latent_dim=2)
    for name in ("encoder_0", "latent"):
        assert encoder.get_layer(name) is autoencoder.get_layer(name)
    assert encoder.inputs[0] is autoencoder.inputs[0]


def test_build_autoencoder_weight_change_in_autoencoder_shows_in_encoder():
    autoencoder, encoder = models.build_autoencoder(5, hidden_units=(4,), latent_dim=2)
    X = np.random.default_rng(0).normal(size=(3, 5)).astype(np.float32)
    before = encoder.predict(X, verbose=0)
    kernel, bias = autoencoder.get_layer("latent").get_weights()
    autoencoder.get_layer("latent").set_weights([kernel, bias + 1.0])
    np.testing.assert_allclose(encoder.get_layer("latent").get_weights()[1], bias + 1.0)
    np.testing.assert_allclose(encoder.predict(X, verbose=0), before + 1.0, rtol=1e-5, atol=1e-5)


def test_build_autoencoder_bottleneck_is_linear_by_default_and_hidden_layers_relu():
    helpers.set_seed(0)  # the weights, not the order the tests run in, decide the signs below
    _, encoder = models.build_autoencoder(5, hidden_units=(4,), latent_dim=2)
    assert encoder.get_layer("latent").activation is keras.activations.linear
    assert encoder.get_layer("encoder_0").activation is keras.activations.relu
    # a linear code takes negative values too (a relu bottleneck could not)
    X = np.random.default_rng(0).normal(size=(64, 5)).astype(np.float32)
    assert np.any(encoder.predict(X, verbose=0) < 0)


def test_build_autoencoder_honours_requested_activations():
    autoencoder, encoder = models.build_autoencoder(5, (4,), 2, activation="tanh", latent_activation="relu")
    assert autoencoder.get_layer("encoder_0").activation is keras.activations.tanh
    assert autoencoder.get_layer("decoder_0").activation is keras.activations.tanh
    assert encoder.get_layer("latent").activation is keras.activations.relu
    assert autoencoder.get_layer("reconstruction").activation is keras.activations.linear


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"input_dim": 0}, ValueError, r"input_dim must be >= 1; got 0"),
        ({"input_dim": -3}, ValueError, r"input_dim must be >= 1"),
        ({"input_dim": 4.0}, TypeError, r"input_dim must be an integer"),
        ({"latent_dim": 0}, ValueError, r"latent_dim must be >= 1; got 0"),
        ({"hidden_units": (8, -1)}, ValueError, r"hidden_units\[1\] must be >= 1; got -1"),
        ({"hidden_units": (8, 0)}, ValueError, r"hidden_units\[1\] must be >= 1; got 0"),
        ({"hidden_units": 8}, TypeError, r"hidden_units must be a sequence of layer sizes"),
        ({"hidden_units": (8.5,)}, TypeError, r"hidden_units\[0\] must be an integer"),
        ({"activation": "sigmoidal"}, ValueError, r"activation must be one of .*; got 'sigmoidal'"),
        ({"latent_activation": "softmax"}, ValueError, r"latent_activation must be one of .*; got 'softmax'"),
    ],
)
def test_build_autoencoder_rejects_impossible_sizes_and_unknown_activations(kwargs, error, match):
    arguments = {"input_dim": 4, **kwargs}
    with pytest.raises(error, match=match):
        models.build_autoencoder(**arguments)


# --------------------------------------------------------------------------- set_seed


def _initial_weights(seed):
    helpers.set_seed(seed)
    autoencoder, _ = models.build_autoencoder(4, (3,), 2)
    return autoencoder.get_weights()


def test_set_seed_makes_weight_initialisation_repeatable():
    first, second, other = _initial_weights(3), _initial_weights(3), _initial_weights(4)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not all(np.array_equal(a, c) for a, c in zip(first, other))


def test_set_seed_seeds_numpy_and_returns_the_seed():
    assert helpers.set_seed(11) == 11
    first = np.random.rand(3)
    helpers.set_seed(11)
    np.testing.assert_array_equal(np.random.rand(3), first)
    assert helpers.set_seed() == helpers.DEFAULT_SEED == 42


@pytest.mark.parametrize(
    ("seed", "error", "match"),
    [(-1, ValueError, r"seed must be >= 0; got -1"), (None, TypeError, r"seed must be an integer seed"), (1.5, TypeError, r"seed must be an integer")],
)
def test_set_seed_rejects_negative_none_and_non_integer(seed, error, match):
    with pytest.raises(error, match=match):
        helpers.set_seed(seed)


# --------------------------------------------------------------------------- input_noise (denoising)


def test_build_autoencoder_adds_gaussian_noise_only_when_asked():
    plain, _ = models.build_autoencoder(3, (4,), 2)
    noisy, _ = models.build_autoencoder(3, (4,), 2, input_noise=0.2)
    assert not any(isinstance(layer, keras.layers.GaussianNoise) for layer in plain.layers)
    noise_layers = [layer for layer in noisy.layers if isinstance(layer, keras.layers.GaussianNoise)]
    assert len(noise_layers) == 1 and noise_layers[0].stddev == pytest.approx(0.2)
    assert _dense_units(noisy) == [4, 2, 4, 3]


def test_input_noise_acts_in_training_only():
    helpers.set_seed(0)
    autoencoder, encoder = models.build_autoencoder(3, (4,), 2, input_noise=0.5)
    X = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    # inference: identical to the same weights without any noise layer
    _, clean_encoder = models.build_autoencoder(3, (4,), 2)
    clean_encoder.set_weights(encoder.get_weights())
    np.testing.assert_allclose(encoder.predict(X, verbose=0), clean_encoder.predict(X, verbose=0), rtol=1e-6)
    # training mode: the inputs are jittered, so the codes move
    assert not np.allclose(np.asarray(encoder(X, training=True)), np.asarray(encoder(X, training=False)))


@pytest.mark.parametrize(
    ("noise", "error", "match"),
    [(-0.1, ValueError, r"input_noise must be >= 0.0; got -0.1"), ("0.1", TypeError, r"input_noise must be a number")],
)
def test_build_autoencoder_rejects_bad_input_noise(noise, error, match):
    with pytest.raises(error, match=match):
        models.build_autoencoder(3, input_noise=noise)


# --------------------------------------------------------------------------- checked inputs (issue 21, item 5)


def test_build_autoencoder_returns_checked_models_that_refuse_nan_in_a_dataframe():
    """NaN in a learner's DataFrame trained notebook 05's autoencoder silently to a loss of NaN, and the
    encoder returned NaN codes; now fit, evaluate and predict of both models stop with one sentence."""
    pd = pytest.importorskip("pandas")
    from helpers import training

    autoencoder, encoder = models.build_autoencoder(4, hidden_units=(3,), latent_dim=2)
    assert isinstance(autoencoder, training.CheckedInputs) and isinstance(encoder, training.CheckedInputs)
    autoencoder.compile(optimizer="adam", loss="mse")
    X = np.random.default_rng(0).normal(size=(16, 4))
    X[3, 1] = np.nan
    frame = pd.DataFrame(X, columns=list("abcd"))
    match = r"^x contains 1 NaN or infinite value\(s\), the first in column 'b', row 3 \(counting from 0\); clean or impute them first$"
    for call in (lambda: autoencoder.fit(frame, frame, epochs=1, verbose=0),
                 lambda: autoencoder.evaluate(frame, frame, verbose=0),
                 lambda: encoder.predict(frame, verbose=0)):
        with pytest.raises(ValueError, match=match):
            call()


def test_build_autoencoder_trains_on_a_nullable_int_dataframe_and_stays_a_plain_functional_model(tmp_path):
    """An Int64 DataFrame failed inside Keras ("Invalid dtype: Int64"); the checked models must still behave
    as the functional models the notebooks summarise, slice, save and share weights between."""
    pd = pytest.importorskip("pandas")
    helpers.set_seed(0)
    autoencoder, encoder = models.build_autoencoder(4, hidden_units=(3,), latent_dim=2, name="ae")
    assert (autoencoder.name, encoder.name) == ("ae", "ae_encoder")
    autoencoder.compile(optimizer="adam", loss="mse")
    counts = pd.DataFrame(np.random.default_rng(1).integers(0, 5, size=(16, 4))).astype("Int64")
    before = encoder.get_layer("latent").get_weights()[0].copy()
    history = autoencoder.fit(counts, counts, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert not np.allclose(before, encoder.get_layer("latent").get_weights()[0])  # weights shared with the encoder
    codes = encoder.predict(counts, verbose=0)
    assert codes.shape == (16, 2) and np.isfinite(codes).all()
    assert [layer.name for layer in encoder.layers] == ["features", "encoder_0", "latent"]
    autoencoder.summary(print_fn=lambda *args, **kwargs: None)
    autoencoder.save(tmp_path / "ae.keras")
    loaded = keras.models.load_model(tmp_path / "ae.keras")
    np.testing.assert_allclose(loaded.predict(counts, verbose=0), autoencoder.predict(counts, verbose=0), rtol=1e-6)


def test_check_sizes_returns_the_sizes_in_order_and_names_a_wrong_one():
    assert models.check_sizes(input_dim=np.int64(13), hidden_units=[64, 32], latent_dim=2) == [13, (64, 32), 2]
    assert type(models.check_sizes(input_dim=np.int64(13))[0]) is int
    with pytest.raises(TypeError, match=r"^input_dim must be the number of columns, e.g. X.shape\[1\]; got the shape \(5, 3\)$"):
        models.check_sizes(input_dim=np.zeros((5, 3)).shape)
    with pytest.raises(TypeError, match=r"^input_dim must be the number of columns.*got the shape \(64,\)$"):
        models.check_sizes(input_dim=(64,))
    with pytest.raises(TypeError, match=r"^latent_dim must be an integer; got \(2,\)$"):
        models.check_sizes(latent_dim=(2,))
    with pytest.raises(ValueError, match=r"^width\[0\] must be >= 1; got 0$"):
        models.check_sizes(width=(0, 4))  # a sequence of sizes under any other name: each checked
    with pytest.raises(TypeError, match=r"^units must be an integer; got '8'$"):
        models.check_sizes(units="8")
