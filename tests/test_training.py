"""Tests for helpers.training: CompactProgress with model.fit, and CheckedInputs."""

from __future__ import annotations

import inspect
import re
import warnings

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


def test_compact_progress_writes_one_line_updated_in_place_and_a_final_trained_line(capsys):
    _drive(training.CompactProgress(), 3, [0.9, 0.5, 0.25])
    text = capsys.readouterr().out
    assert text.endswith("\n") and text.count("\n") == 1  # one line, updated in place with \r
    states = text.rstrip("\n").split("\r")[1:]
    assert states[:3] == ["epoch 1/3  loss 0.9000", "epoch 2/3  loss 0.5000", "epoch 3/3  loss 0.2500"]
    assert states[-1].startswith("trained 3 epochs in ")
    assert states[-1].endswith(" s  loss 0.2500")


def test_compact_progress_resets_between_fits(capsys):
    callback = training.CompactProgress()
    _drive(callback, 4, [1.0] * 4)
    _drive(callback, 2, [1.0] * 2)
    assert capsys.readouterr().out.rstrip("\n").split("\r")[-1].startswith("trained 2 epochs")


# --------------------------------------------------------------------------- with model.fit


def _fit(autoencoder, X, epochs, **kwargs):
    autoencoder.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    return autoencoder.fit(X, X, epochs=epochs, batch_size=8, verbose=0, **kwargs)


def test_compact_progress_shows_one_line_per_fit_with_the_final_loss(autoencoder_pair, tiny_features, capsys):
    autoencoder, _ = autoencoder_pair
    history = _fit(autoencoder, tiny_features, 3, callbacks=[training.CompactProgress()])
    states = capsys.readouterr().out.rstrip("\n").split("\r")[1:]
    assert [s.split()[1] for s in states if s.startswith("epoch")] == ["1/3", "2/3", "3/3"]
    final_loss = history.history["loss"][-1]
    assert states[-1].startswith("trained 3 epochs in ") and states[-1].endswith(f"loss {final_loss:.4f}")


def test_fit_under_set_seed_is_repeatable_and_reshuffles_between_epochs(tiny_features):
    def run(seed, shuffle=True):
        helpers.set_seed(seed)
        autoencoder, encoder = models.build_autoencoder(4, hidden_units=(3,), latent_dim=2)
        history = _fit(autoencoder, tiny_features, 3, shuffle=shuffle)
        return history.history["loss"], encoder

    loss_a, encoder_a = run(1)
    loss_b, encoder_b = run(1)
    assert loss_a == loss_b
    np.testing.assert_array_equal(encoder_a.predict(tiny_features, verbose=0),
                                  encoder_b.predict(tiny_features, verbose=0))
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


# --------------------------------------------------------------------------- CheckedInputs


class Functional(training.CheckedInputs, keras.Model):
    """A plain functional model with the mixin: 4 features in, 2 out."""


class Reconstruct(training.CheckedInputs, keras.Model):
    """A small subclassed model with its own ``compute_loss`` (trains on ``x`` alone, as a VAE does)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.net = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3), keras.layers.Dense(4)])

    def call(self, x, training=False):
        return self.net(x, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return keras.ops.mean(keras.ops.square((x if y is None else y) - y_pred))


class OneDense(training.CheckedInputs, keras.Model):
    """A subclassed checked model, one Dense(2) layer: no input shape until it sees data."""

    def __init__(self, name="one_dense"):
        super().__init__(name=name)
        self.dense = keras.layers.Dense(2)

    def call(self, x, training=False):
        return self.dense(x)


@pytest.fixture(scope="module")
def checked_models():
    helpers.set_seed(0)
    inputs = keras.Input(shape=(4,))
    functional = Functional(inputs, keras.layers.Dense(2)(inputs), name="functional")
    functional.compile(optimizer="adam", loss="mse")
    subclassed = Reconstruct(name="reconstruct")
    subclassed.compile(optimizer="adam")
    return {"functional": functional, "subclassed": subclassed}


class FrameLike:
    """What the checks know of a pandas DataFrame (``to_numpy``, ``shape``, ``__array__``), so the
    DataFrame path is tested where pandas is not installed; object cells as pandas' nullable types give."""

    def __init__(self, array):
        self._array = np.asarray(array, dtype=object)
        self.shape = self._array.shape

    def to_numpy(self, dtype=None):
        return self._array if dtype is None else self._array.astype(dtype)

    def __array__(self, dtype=None, copy=None):
        return self.to_numpy(dtype)

    def __len__(self):
        return len(self._array)


def _container(kind, array):
    if kind == "array":
        return array
    if kind == "list":
        return array.tolist()
    if kind == "frame-like":
        return FrameLike(array)
    pd = pytest.importorskip("pandas")
    return pd.DataFrame(array) if array.ndim == 2 else pd.Series(array)


GOOD_X = np.arange(32, dtype="float32").reshape(8, 4) / 32
GOOD_Y = np.ones((8, 2), dtype="float32")


def _calls(model, x, y=None, **fit_kwargs):
    """Every checked entry point, each called with the same data."""
    return {
        "fit": lambda: model.fit(x, y, epochs=1, verbose=0, **fit_kwargs),
        "evaluate": lambda: model.evaluate(x, y, verbose=0),
        "predict": lambda: model.predict(x, verbose=0),
    }


def _nan_x():
    x = GOOD_X.copy()
    x[2, 1] = np.nan
    return x


@pytest.mark.parametrize("kind", ["array", "list", "frame-like", "dataframe"])
@pytest.mark.parametrize("which", ["functional", "subclassed"])
@pytest.mark.parametrize(
    ("x", "match"),
    [
        (_nan_x(), r"^x contains 1 NaN or infinite value\(s\)"),
        (np.where(GOOD_X > 0.9, np.inf, GOOD_X), r"^x contains 3 NaN or infinite value\(s\)"),
        (np.zeros((8, 5), dtype="float32"), r"^x has 5 features but (functional|reconstruct) expects 4$"),
        (np.zeros(8, dtype="float32"), r"^x must be a 2-D array of shape \(n, 4\) for (functional|reconstruct); "
                                        r"got 1-D with shape \(8,\)$"),
        (np.zeros((0, 4), dtype="float32"), r"^x needs at least 1 samples; got 0$"),
    ],
    ids=["nan", "inf", "width", "rank", "empty"],
)
def test_checked_inputs_refuse_bad_x_the_same_way_in_every_container_and_call(checked_models, which, kind, x, match):
    model = checked_models[which]
    data = _container(kind, x)
    y = GOOD_Y[: len(x)] if which == "functional" else None
    for name, call in _calls(model, data, y).items():
        with pytest.raises(ValueError, match=match):
            call()


def test_checked_inputs_refuse_pandas_na_and_text_in_a_dataframe(checked_models):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(GOOD_X).astype("Float64")
    frame.iloc[3, 2] = pd.NA
    with pytest.raises(ValueError, match=r"^x contains 1 NaN or infinite value"):
        checked_models["subclassed"].fit(frame, epochs=1, verbose=0)
    frame = pd.DataFrame(GOOD_X).astype(object)
    frame.iloc[0, 0] = "1,5"
    with pytest.raises(TypeError, match=r"^x must contain numbers only; found '1,5'"):
        checked_models["functional"].predict(frame, verbose=0)


@pytest.mark.parametrize("kind", ["array", "list", "frame-like", "dataframe"])
def test_checked_inputs_refuse_bad_y_in_fit_and_evaluate(checked_models, kind):
    model = checked_models["functional"]
    bad = GOOD_Y.copy()
    bad[5, 0] = np.nan
    for call in (model.fit, model.evaluate):
        with pytest.raises(ValueError, match=r"^y contains 1 NaN or infinite value"):
            call(GOOD_X, _container(kind, bad), verbose=0)
        with pytest.raises(ValueError, match=r"^y has 3 rows but there are 8 samples$"):
            call(_container(kind, GOOD_X), _container(kind, GOOD_Y[:3]), verbose=0)


@pytest.mark.parametrize("kind", ["array", "list", "frame-like", "dataframe"])
def test_validation_data_is_checked_in_every_form(checked_models, kind):
    functional, subclassed = checked_models["functional"], checked_models["subclassed"]
    wide = np.zeros((4, 6), dtype="float32")
    nan_x, nan_y = _nan_x()[:4], GOOD_Y[:4].copy()
    nan_y[1, 1] = np.inf
    cases = [
        (functional, (_container(kind, nan_x), GOOD_Y[:4]), r"^validation_data\[0\] contains 1 NaN"),
        (functional, (GOOD_X[:4], _container(kind, nan_y)), r"^validation_data\[1\] contains 1 NaN"),
        (functional, (_container(kind, wide), GOOD_Y[:4]), r"^validation_data\[0\] has 6 features but functional "
                                                           r"expects 4$"),
        (functional, (GOOD_X[:4], GOOD_Y[:3]), r"^validation_data\[1\] has 3 rows but there are 4 samples$"),
        (functional, (GOOD_X[:4], np.ones((4, 3))), r"^validation_data\[1\] has rows of shape \(3,\) but y has "
                                                   r"rows of shape \(2,\)$"),
        (functional, [GOOD_X[:4], GOOD_Y[:4], np.ones(4), np.ones(4)], r"^validation_data must be \(x_val, y_val\)"),
        # x_val alone (a list there is Keras' tuple form, so an array stands in for it)
        (subclassed, _container("array" if kind == "list" else kind, nan_x), r"^validation_data contains 1 NaN"),
        (subclassed, (_container(kind, wide),), r"^validation_data\[0\] has 6 features but reconstruct expects 4$"),
        (subclassed, (nan_x, None, np.ones(4)), r"^validation_data\[0\] contains 1 NaN"),
    ]
    for model, validation_data, match in cases:
        y = GOOD_Y if model is functional else None
        with pytest.raises(ValueError, match=match):
            model.fit(GOOD_X, y, epochs=1, verbose=0, validation_data=validation_data)
        with pytest.raises(ValueError, match=match):  # passed by position, as Keras allows
            model.fit(GOOD_X, y, 8, 1, 0, None, 0.0, validation_data)


def test_checked_inputs_train_on_good_dataframes_and_clamp_a_large_batch_as_keras_does(checked_models):
    pd = pytest.importorskip("pandas")
    model = checked_models["functional"]
    history = model.fit(pd.DataFrame(GOOD_X), pd.DataFrame(GOOD_Y), batch_size=1000, epochs=2, verbose=0,
                        validation_data=(pd.DataFrame(GOOD_X[:4]), GOOD_Y[:4].tolist()))
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["val_loss"]).all()
    assert model.predict(pd.DataFrame(GOOD_X), verbose=0).shape == (8, 2)


def test_checked_inputs_accept_lists_positional_arguments_and_pass_datasets_through(checked_models):
    import tensorflow as tf

    model = checked_models["subclassed"]
    history = model.fit(GOOD_X.tolist(), None, 1000, 1, 0, validation_data=GOOD_X[:4])  # batch clamped to 8
    assert np.isfinite(history.history["loss"][0]) and np.isfinite(history.history["val_loss"][0])
    dataset = tf.data.Dataset.from_tensor_slices(GOOD_X).batch(4)
    assert model.predict(dataset, verbose=0).shape == (8, 4)  # not an array: Keras' own checks apply
    assert np.isfinite(model.evaluate(dataset, verbose=0))


def test_checked_inputs_leave_the_width_to_keras_while_a_model_has_no_input_shape_yet():
    model = OneDense("plain")  # no functional part: the first data set its width
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match=r"^x contains 1 NaN or infinite value"):
        model.fit(_nan_x(), GOOD_Y, epochs=1, verbose=0)
    assert model.predict(np.zeros((3, 7), dtype="float32"), verbose=0).shape == (3, 2)  # any width, as Keras allows


# --------------------------------------------------------------------------- learner data (issue 21, item 5)


def _fresh_functional(units=2, loss="mse"):
    """A new checked functional model (4 features in, ``units`` out): a failed fit cannot spoil the shared ones."""
    inputs = keras.Input(shape=(4,))
    model = Functional(inputs, keras.layers.Dense(units)(inputs), name="functional")
    model.compile(optimizer="adam", loss=loss)
    return model


@pytest.mark.parametrize("kind", ["array", "list", "frame-like", "dataframe"])
def test_checked_inputs_refuse_values_beyond_float32_in_every_container_and_call(checked_models, kind):
    """1e300 is finite in float64 but infinite once Keras casts to float32: the VAE trained silently to NaN."""
    huge = GOOD_X.astype("float64")
    huge[0, 0] = -1e300
    for which in ("functional", "subclassed"):
        y = GOOD_Y if which == "functional" else None
        for call in _calls(checked_models[which], _container(kind, huge), y).values():
            with pytest.raises(ValueError, match=r"^x has values too large for float32 \(largest magnitude 1e\+300\); "
                                                 r"scale the data first, e.g. with StandardScaler$"):
                call()
    with pytest.raises(ValueError, match=r"^y has values too large for float32 \(largest magnitude 1e\+39\)"):
        checked_models["functional"].fit(GOOD_X, _container(kind, GOOD_Y.astype("float64") * 1e39), epochs=1, verbose=0)


@pytest.mark.parametrize(
    "make",
    [
        lambda a: a.astype("int64"),
        lambda a: a.astype("int64").tolist(),
        lambda a: pytest.importorskip("pandas").DataFrame(a.astype("int64")),
        lambda a: a.astype(object),
        lambda a: pytest.importorskip("pandas").DataFrame(a).astype("Int64"),
    ],
    ids=["int-array", "int-list", "int64-frame", "object-array", "Int64-frame"],
)
def test_checked_inputs_hand_keras_the_converted_float_array(checked_models, make):
    """Integer counts or an object array of numbers used to reach Keras as they were and fail deep inside
    ("'Sub' Op has type float32 that does not match type int64", "Invalid dtype: object")."""
    data = make(np.arange(32).reshape(8, 4) % 5)
    subclassed = checked_models["subclassed"]  # its loss subtracts x from the float32 output, as the VAE's does
    history = subclassed.fit(data, epochs=1, batch_size=4, verbose=0, validation_data=(data,))
    assert np.isfinite(history.history["loss"][0]) and np.isfinite(history.history["val_loss"][0])
    assert np.isfinite(subclassed.evaluate(data, verbose=0))
    assert subclassed.predict(data, verbose=0).dtype == np.float32
    functional = checked_models["functional"]
    history = functional.fit(data, make(np.ones((8, 2))), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


@pytest.mark.parametrize("kind", ["array", "list", "dataframe"])
def test_checked_inputs_refuse_a_target_of_the_wrong_width_and_keep_the_model_usable(kind):
    """DEC fitted on a target with 2 columns for 3 centres failed deep in Keras ("Dimensions must be equal"),
    and afterwards even a correct fit of the same model failed."""
    model = _fresh_functional(units=3, loss="kld")
    for wrong, shape in ((np.full((8, 2), 0.5), r"\(8, 2\)"), (np.full(8, 0.5), r"\(8,\)")):
        with pytest.raises(ValueError, match=rf"^y must have shape \(n, 3\), the shape of functional's output; "
                                             rf"got shape {shape}$"):
            model.fit(_container(kind, GOOD_X), _container(kind, wrong), epochs=1, verbose=0)
        with pytest.raises(ValueError, match=r"^y must have shape \(n, 3\)"):
            model.evaluate(GOOD_X, _container(kind, wrong), verbose=0)
    history = model.fit(GOOD_X, np.full((8, 3), 1 / 3), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_the_target_shape_check_follows_keras_losses_and_leaves_custom_ones_alone():
    """A subclassed model (DEC's kind) is traced for its output; a 1-D y fits a width-1 output as Keras
    allows; sparse labels, a learner's own loss or compute_loss may take any y."""
    class Head(training.CheckedInputs, keras.Model):
        def __init__(self, units):
            super().__init__(name="head")
            self.dense = keras.layers.Dense(units)

        def call(self, x, training=False):
            return self.dense(x)

    head = Head(3)
    head.compile(optimizer="adam", loss="kld")
    with pytest.raises(ValueError, match=r"^y must have shape \(n, 3\), the shape of head's output; "
                                         r"got shape \(8, 2\)$"):
        head.fit(GOOD_X, np.full((8, 2), 0.5), epochs=1, verbose=0)
    assert np.isfinite(head.fit(GOOD_X, np.full((8, 3), 1 / 3), epochs=1, verbose=0).history["loss"][0])
    accepted = [
        (_fresh_functional(1), np.ones(8)),
        (_fresh_functional(3, loss="sparse_categorical_crossentropy"), np.arange(8) % 3),
        (_fresh_functional(2, loss=lambda y_true, y_pred: keras.ops.mean(y_pred) + 0 * keras.ops.sum(y_true)),
         np.ones((8, 5))),
    ]
    for model, y in accepted:
        assert np.isfinite(model.fit(GOOD_X, y, epochs=1, verbose=0).history["loss"][0])


def test_the_target_shape_check_allows_the_trailing_1_keras_squeezes_and_nothing_else():
    model = _fresh_functional(2)
    assert np.isfinite(model.fit(GOOD_X, np.ones((8, 2, 1)), epochs=1, verbose=0).history["loss"][0])
    with pytest.raises(ValueError, match=r"^y must have shape \(n, 2\), the shape of functional's output; "
                                         r"got shape \(8, 2, 3\)$"):
        model.fit(GOOD_X, np.ones((8, 2, 3)), epochs=1, verbose=0)


def test_a_model_keras_cannot_trace_without_data_still_trains():
    """The check traces a subclassed model's output shape; where that fails, the shape is left to Keras."""
    class Untraceable(OneDense):
        def compute_output_spec(self, *args, **kwargs):
            raise NotImplementedError("this model needs data to know its output")

    model = Untraceable("untraceable")
    model.compile(optimizer="adam", loss="mse")
    assert np.isfinite(model.fit(GOOD_X, np.ones((8, 2)), epochs=1, verbose=0).history["loss"][0])


@pytest.mark.parametrize(
    ("batch_size", "error", "match"),
    [
        (0, ValueError, r"^batch_size must be >= 1; got 0$"),
        (-1, ValueError, r"^batch_size must be >= 1; got -1$"),
        (2.5, TypeError, r"^batch_size must be an integer; got 2\.5$"),
        (True, TypeError, r"^batch_size must be an integer; got True$"),
    ],
)
def test_checked_inputs_refuse_a_batch_size_that_is_not_a_positive_integer(checked_models, batch_size, error, match):
    """batch_size=-1 or 2.5 failed deep in TensorFlow and 0 trained silently; all three are a learner's slip."""
    model = checked_models["functional"]
    for call in (lambda: model.fit(GOOD_X, GOOD_Y, batch_size=batch_size, epochs=1, verbose=0),
                 lambda: model.evaluate(GOOD_X, GOOD_Y, batch_size=batch_size, verbose=0),
                 lambda: model.predict(GOOD_X, batch_size=batch_size, verbose=0)):
        with pytest.raises(error, match=match):
            call()
    assert model.predict(GOOD_X, batch_size=np.int64(3), verbose=0).shape == (8, 2)  # numpy integers are fine


# --------------------------------------------------------------------------- a missing y


def test_fit_without_y_is_refused_before_keras_and_the_autoencoder_still_trains(autoencoder_pair):
    """fit(X) on an autoencoder compiled with "mse" failed in Keras ("None values not supported") and left
    the model broken: even fit(X, X) failed afterwards ("Creating variables on a non-first call")."""
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    X = GOOD_X
    with pytest.raises(ValueError, match=r"^y is missing: autoencoder's loss compares y with its output; "
                                         r"pass the targets too, one row per sample shaped like autoencoder's "
                                         r"output \(fit\(X, X\) for an autoencoder, whose output is its input\)$"):
        autoencoder.fit(X, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"^y is missing"):
        autoencoder.evaluate(X, verbose=0)
    for lone in (X, (X,), (X, None), (X, None, np.ones(8))):
        with pytest.raises(ValueError, match=r"^validation_data has no y_val: autoencoder's loss compares y with "
                                             r"its output; pass \(x_val, y_val\), e.g. \(X_val, X_val\) for an "
                                             r"autoencoder$"):
            autoencoder.fit(X, X, epochs=1, verbose=0, validation_data=lone)
    history = autoencoder.fit(X, X, epochs=1, verbose=0, validation_data=(X, X))
    assert np.isfinite(history.history["loss"][0]) and np.isfinite(history.history["val_loss"][0])


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy",
                                  lambda y_true, y_pred: keras.ops.mean(y_pred) + 0 * keras.ops.sum(y_true)],
                         ids=["sparse", "own-function"])
def test_any_loss_given_to_compile_needs_y_while_a_model_with_its_own_loss_does_not(checked_models, loss):
    """A sparse loss or a learner's own loss function broke the model on a missing y just as "mse" did."""
    model = _fresh_functional(3, loss=loss)
    with pytest.raises(ValueError, match=r"^y is missing: functional's loss compares y with its output"):
        model.fit(GOOD_X, epochs=1, verbose=0)
    assert np.isfinite(model.fit(GOOD_X, np.arange(8) % 3, epochs=1, verbose=0).history["loss"][0])
    own = checked_models["subclassed"]  # compute_loss of its own, as the VAE: fit(X) and x_val alone are right
    history = own.fit(GOOD_X, epochs=1, verbose=0, validation_data=GOOD_X[:4])
    assert np.isfinite(history.history["val_loss"][0])


# --------------------------------------------------------------------------- epochs and sample weights


@pytest.mark.parametrize(
    ("epochs", "error", "match"),
    [
        (0, ValueError, r"^epochs must be >= 1; got 0$"),
        (-1, ValueError, r"^epochs must be >= 1; got -1$"),
        (2.0, TypeError, r"^epochs must be an integer; got 2\.0$"),
    ],
)
def test_fit_refuses_epochs_that_are_not_a_positive_integer(checked_models, epochs, error, match):
    """epochs=2.0 failed in Keras with a TypeError; 0 and -1 trained nothing, silently."""
    model = checked_models["functional"]
    with pytest.raises(error, match=match):
        model.fit(GOOD_X, GOOD_Y, epochs=epochs, verbose=0)
    with pytest.raises(error, match=match):  # by position, as Keras allows
        model.fit(GOOD_X, GOOD_Y, 8, epochs, 0)
    assert len(model.fit(GOOD_X, GOOD_Y, epochs=np.int64(2), verbose=0).history["loss"]) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 3, "initial_epoch": 3}, ValueError,
         r"^initial_epoch \(3\) must be below epochs \(3\): Keras counts epochs from the start, not from "
         r"initial_epoch, so this would train nothing; to train 3 more epochs, pass epochs=6$"),
        ({"initial_epoch": 1}, ValueError, r"^initial_epoch \(1\) must be below epochs \(1\)"),  # Keras' default
        ({"epochs": 2, "initial_epoch": -1}, ValueError, r"^initial_epoch must be >= 0; got -1$"),
        ({"validation_split": 1.5}, ValueError, r"^validation_split is the fraction .*: 0\.015 for 1\.5 %$"),
        ({"validation_split": 150}, ValueError, r"^validation_split must be < 1\.0; got 150\.0$"),
        ({"validation_split": 1}, ValueError, r"^validation_split must be < 1\.0; got 1\.0$"),
        ({"validation_split": -0.2}, ValueError, r"^validation_split must be >= 0\.0; got -0\.2$"),
        ({"validation_split": 20}, ValueError, r"^validation_split is the fraction of the rows held out, in \[0, 1\), "
                                               r"not a percentage: 0\.2 for 20 %$"),
        ({"validation_split": "0.2"}, TypeError, r"^validation_split must be a number; got '0\.2'$"),
    ],
)
def test_fit_refuses_an_initial_epoch_or_validation_split_that_trains_nothing_or_nonsense(kwargs, error, match):
    """initial_epoch >= epochs trained nothing and returned an empty history; validation_split=1.5 trained."""
    model = _fresh_functional()
    with pytest.raises(error, match=match):
        model.fit(GOOD_X, GOOD_Y, verbose=0, **kwargs)
    history = model.fit(GOOD_X, GOOD_Y, epochs=3, initial_epoch=1, validation_split=0.25, verbose=0)
    assert history.epoch == [1, 2] and set(history.history) == {"loss", "val_loss"}


@pytest.mark.parametrize("which", ["functional", "subclassed"])
def test_a_loss_that_becomes_nan_stops_training_with_a_sentence_that_points_to_scaling(which):
    """Values around 1e12 trained to a loss of NaN without a word (1e6 and 1e9 train, with a huge loss)."""
    helpers.set_seed(0)
    model = _fresh_functional() if which == "functional" else Reconstruct(name="reconstruct")
    if which == "subclassed":
        model.compile(optimizer="adam")
    huge = np.random.default_rng(0).normal(size=(64, 4)) * 1e12  # within float32, so the input check lets it by
    stops = []
    callback = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: stops.append(epoch))
    with pytest.raises(FloatingPointError, match=r"^training stopped: the loss was (nan|inf) at epoch ([1-4]), not a "
                                                 r"finite number \(the training has diverged, and the weights may be "
                                                 r"NaN too\); x holds values up to [0-9.]+e\+12(:| and y)") as stopped:
        model.fit(huge, None if which == "subclassed" else huge[:, :2], epochs=5, verbose=0, callbacks=[callback])
    epoch = int(re.search(r"at epoch (\d)", str(stopped.value))[1])
    assert stops == list(range(epoch))  # it stopped there, not after five epochs; the caller's callbacks still ran


def test_a_model_left_with_nan_weights_by_a_diverged_training_is_refused_until_built_again():
    """After a divergence the weights are NaN: predict returned NaN in silence, and a second fit on scaled
    data blamed the learning rate."""
    helpers.set_seed(0)
    model = _fresh_functional()
    huge = np.random.default_rng(0).normal(size=(64, 4)) * 1e12
    with pytest.raises(FloatingPointError):
        model.fit(huge, huge[:, :2], epochs=5, verbose=0)
    for call in (lambda: model.fit(GOOD_X, GOOD_Y, epochs=1, verbose=0), lambda: model.predict(GOOD_X, verbose=0),
                 lambda: model.evaluate(GOOD_X, GOOD_Y, verbose=0)):
        with pytest.raises(ValueError, match=r"weights hold NaN or infinity \(\d+ of \d+ weight arrays, e\.g\. "
                                             r".+\), left by a training that diverged: build the model again \(a "
                                             r"new one, not recompiled\), and any model it shares layers with"):
            call()
    one = _fresh_functional()  # one weight array broken, the others fine: that one is named
    one.layers[-1].kernel.assign(np.full(one.layers[-1].kernel.shape, np.nan))
    with pytest.raises(ValueError, match=rf"\(1 of {len(one.weights)} weight arrays, e\.g\. "
                                         rf"{re.escape(one.layers[-1].kernel.path)}\)"):
        one.predict(GOOD_X, verbose=0)
    fresh = _fresh_functional()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # reading the weights warns nothing
        fresh.fit(GOOD_X, GOOD_Y, epochs=1, verbose=0)
        assert np.all(np.isfinite(fresh.predict(GOOD_X, verbose=0)))


def test_images_of_another_size_are_refused_with_both_shapes():
    """Only the rank and the last axis were compared: 28 x 28 images reached an 8 x 8 model and failed in
    TensorFlow ('Matrix size-incompatible'); with both x and y of that size, y alone was blamed."""
    images = _reshaping_model((8, 8, 1), 64, (8, 8, 1), "images")
    big = np.zeros((4, 28, 28, 1))
    expected = r"^x has shape \(4, 28, 28, 1\) but images expects \(n, 8, 8, 1\)$"
    with pytest.raises(ValueError, match=expected):
        images.fit(big, np.zeros((4, 8, 8, 1)), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=expected):
        images.fit(big, big, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=expected):
        images.predict(big, verbose=0)
    with pytest.raises(ValueError, match=r"^x has shape \(4, 8, 9, 1\)"):
        images.predict(np.zeros((4, 8, 9, 1)), verbose=0)  # one axis off
    tall = _reshaping_model((6, 8, 1), 2, (2,), "tall")  # not square: each axis compared with its own
    with pytest.raises(ValueError, match=r"^x has shape \(4, 7, 6, 1\) but tall expects \(n, 6, 8, 1\)$"):
        tall.predict(np.zeros((4, 7, 6, 1)), verbose=0)
    assert images.predict(np.zeros((4, 8, 8, 1)), verbose=0).shape == (4, 8, 8, 1)


def test_a_loss_that_becomes_nan_on_scaled_data_points_to_the_learning_rate():
    model = _fresh_functional()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e6), loss="mse")
    with pytest.raises(FloatingPointError, match=r"the loss was (nan|inf) at epoch [1-5], .*; lower the learning "
                                                 r"rate"):
        model.fit(GOOD_X, GOOD_Y * 30, epochs=5, verbose=0)  # values under 100: scaled enough


def test_sample_weight_without_y_is_refused_since_keras_would_drop_it():
    """Keras hands sample weights on only beside y: fit(x, sample_weight=w) on a model that computes its own
    loss trained exactly as without them."""
    model = Reconstruct(name="reconstruct")
    model.compile(optimizer="adam")
    with pytest.raises(ValueError, match=r"^sample_weight needs y: without y Keras drops the weights"):
        model.fit(GOOD_X, sample_weight=np.ones(8), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"^sample_weight needs y"):
        model.evaluate(GOOD_X, sample_weight=np.ones(8), verbose=0)
    model.fit(GOOD_X, epochs=1, verbose=0)


def test_validation_weights_without_y_val_are_refused_before_any_epoch_trains():
    model = Reconstruct(name="reconstruct")
    model.compile(optimizer="adam")
    epochs = []
    callback = keras.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: epochs.append(epoch))
    with pytest.raises(ValueError, match=r"^validation_data\[2\] \(sample weights\) needs y_val in validation_data\[1\]"):
        model.fit(GOOD_X, epochs=2, verbose=0, validation_data=(GOOD_X, None, np.ones(8)), callbacks=[callback])
    assert epochs == []  # refused up front, not after the first epoch had trained


@pytest.mark.parametrize("kind", ["array", "list", "dataframe"])
def test_sample_weight_is_checked_like_x_and_y_and_the_model_stays_finite(kind):
    """One NaN weight made every weight of the model NaN, silently."""
    model = _fresh_functional()
    nan_weights = np.where(np.arange(8) > 5, np.nan, 1.0)
    cases = [
        (nan_weights, r"^sample_weight contains 2 NaN or infinite value\(s\)"),
        (-np.ones(8), r"^sample_weight has 8 negative value\(s\); weights must be >= 0$"),
        (np.ones(3), r"^sample_weight has 3 rows but there are 8 samples; give one weight per sample$"),
    ]
    for weights, match in cases:
        with pytest.raises(ValueError, match=match):
            model.fit(GOOD_X, GOOD_Y, sample_weight=_container(kind, weights), epochs=1, verbose=0)
        with pytest.raises(ValueError, match=match):
            model.evaluate(GOOD_X, GOOD_Y, sample_weight=_container(kind, weights), verbose=0)
    with pytest.raises(ValueError, match=r"^validation_data\[2\] contains 2 NaN"):
        model.fit(GOOD_X, GOOD_Y, epochs=1, verbose=0, validation_data=(GOOD_X, GOOD_Y, _container(kind, nan_weights)))
    model.fit(GOOD_X, GOOD_Y, sample_weight=_container(kind, np.arange(8) % 3), epochs=1, verbose=0)
    assert all(np.isfinite(w).all() for w in model.get_weights())
    model.fit(GOOD_X[:1], GOOD_Y[:1], sample_weight=_container(kind, np.array([2.0])), epochs=1, verbose=0)  # one sample, one weight


# --------------------------------------------------------------------------- inputs and targets of other ranks


def _reshaping_model(input_shape, units, output_shape, name):
    """A checked functional model from ``input_shape`` to ``output_shape`` (a Dense layer, then Reshape)."""
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Flatten()(inputs) if len(input_shape) > 1 and None not in input_shape else inputs
    outputs = keras.layers.Reshape(output_shape)(keras.layers.Dense(units)(x))
    model = Functional(inputs, outputs, name=name)
    model.compile(optimizer="adam", loss="mse")
    return model


def test_images_and_sequences_of_the_wrong_width_are_named_by_their_last_axis():
    images = _reshaping_model((8, 8), 2, (2,), "images")
    with pytest.raises(ValueError, match=r"^x has 7 features but images expects 8$"):
        images.fit(np.zeros((4, 8, 7)), np.zeros((4, 2)), epochs=1, verbose=0)
    inputs = keras.Input(shape=(None, 4))  # sequences of any length, 4 values per step
    sequences = Functional(inputs, keras.layers.Dense(2)(inputs), name="sequences")
    sequences.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match=r"^x has 3 features but sequences expects 4$"):
        sequences.predict(np.zeros((4, 5, 3)), verbose=0)
    assert sequences.predict(np.zeros((4, 5, 4)), verbose=0).shape == (4, 5, 2)


def test_a_target_may_add_or_drop_the_trailing_1_of_a_higher_rank_output():
    """Keras squeezes or adds a trailing axis of size 1 when y and the output differ by it, at any rank."""
    cases = [((2, 1), np.ones((4, 2))), ((3, 2), np.ones((4, 3, 2, 1)))]
    for output_shape, y in cases:
        model = _reshaping_model((4,), int(np.prod(output_shape)), output_shape, "ranked")
        assert np.isfinite(model.fit(np.ones((4, 4)), y, epochs=1, verbose=0).history["loss"][0])


def test_validation_weights_reach_keras_for_a_model_with_two_inputs():
    first, second = keras.Input(shape=(4,)), keras.Input(shape=(3,))
    outputs = keras.layers.Dense(2)(keras.layers.Concatenate()([first, second]))
    model = Functional([first, second], outputs, name="two")
    model.compile(optimizer="adam", loss="mse")
    x = [GOOD_X, np.linspace(0, 1, 24).reshape(8, 3)]
    weights = np.r_[np.ones(4), np.zeros(4)]
    history = model.fit(x, GOOD_Y + np.arange(8)[:, None], epochs=1, verbose=0,
                        validation_data=(x, GOOD_Y + np.arange(8)[:, None], weights))
    weighted = model.evaluate(x, GOOD_Y + np.arange(8)[:, None], sample_weight=weights, verbose=0)
    plain = model.evaluate(x, GOOD_Y + np.arange(8)[:, None], verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(weighted, rel=1e-5) and weighted != pytest.approx(plain)
    assert training._expected_shape(model) == (None, 4)  # the first input's shape, as the checks read it


def test_a_column_of_weights_is_one_weight_per_sample_and_rows_are_counted_down_the_first_axis():
    model = _fresh_functional()
    assert np.isfinite(model.fit(GOOD_X, GOOD_Y, sample_weight=np.ones((8, 1)), epochs=1, verbose=0).history["loss"][0])
    with pytest.raises(ValueError, match=r"^sample_weight has 3 rows but there are 8 samples"):
        model.fit(GOOD_X, GOOD_Y, sample_weight=np.ones((3, 1)), epochs=1, verbose=0)
    # a weight per sample and feature failed deep in TensorFlow ("Dimensions must be equal, but are 32 and 4")
    for weights in (np.ones((8, 4)), np.ones((3, 8)), np.ones((8, 1, 1))):
        with pytest.raises(ValueError, match=rf"^sample_weight must hold one weight per sample, shape \(8,\); "
                                             rf"got shape {re.escape(str(weights.shape))} \(weights of shape "):
            model.fit(GOOD_X, GOOD_Y, sample_weight=weights, epochs=1, verbose=0)
        with pytest.raises(ValueError, match=r"^validation_data\[2\] must hold one weight per sample"):
            model.fit(GOOD_X, GOOD_Y, epochs=1, verbose=0, validation_data=(GOOD_X, GOOD_Y, weights))


def test_a_single_number_as_x_is_named_by_its_shape():
    model = _fresh_functional()
    for number in (np.float32(3.0), np.array(3.0)):  # a NumPy number (X[0, 0]) failed in Keras with an IndexError
        with pytest.raises(ValueError, match=r"^x must be a 2-D array of shape \(n, 4\) for functional; got 0-D"):
            model.predict(number, verbose=0)
    assert model.predict(GOOD_X[:1], verbose=0).shape == (1, 2)  # one sample is enough to predict


def test_a_float64_input_still_gets_float32_data_from_keras_so_float32_is_the_range_checked():
    """Keras' data adapters cast float arrays to floatx whatever keras.Input's dtype: 1e39 became inf,
    then a prediction of NaN, while the check let it through for a float64 input."""
    inputs = keras.Input(shape=(4,), dtype="float64")
    model = Functional(inputs, keras.layers.Dense(2)(inputs), name="wide")
    with pytest.raises(ValueError, match=r"^x has values too large for float32 \(largest magnitude 1e\+39\)"):
        model.predict(np.full((2, 4), 1e39), verbose=0)
    assert np.isfinite(model.predict(np.full((2, 4), 1e30), verbose=0)).all()
    largest = float(np.finfo("float32").max)  # the bound is inclusive: float32 holds it
    assert _fresh_functional().predict(np.full((2, 4), largest), verbose=0).shape == (2, 2)


def test_a_target_that_is_one_number_is_named_by_its_shape():
    with pytest.raises(ValueError, match=r"^y must be a 1-D array \(samples x features\); got 0-D"):
        _fresh_functional().fit(GOOD_X, np.float32(1.0), epochs=1, verbose=0)


def test_a_model_without_an_input_shape_yet_still_names_a_number_and_an_empty_width():
    model = OneDense("plain")
    with pytest.raises(ValueError, match=r"^x must be a 1-D array \(samples x features\); got 0-D"):
        model.predict(np.float32(3.0), verbose=0)
    for empty_width in (model, _fresh_functional()):
        with pytest.raises(ValueError, match=r"^x needs at least 1 feature\(s\); got 0$"):  # rows, but no columns
            empty_width.predict(np.zeros((4, 0)), verbose=0)


@pytest.mark.parametrize("loss", [keras.losses.mean_squared_error, keras.losses.MeanSquaredError()],
                         ids=["function", "object"])
def test_a_keras_loss_function_or_object_passed_to_compile_gets_the_target_shape_check_too(loss):
    model = _fresh_functional(2, loss=loss)  # not the name "mse"
    with pytest.raises(ValueError, match=r"^y must have shape \(n, 2\), the shape of functional's output; "
                                         r"got shape \(8, 3\)$"):
        model.fit(GOOD_X, np.ones((8, 3)), epochs=1, verbose=0)


def test_a_model_with_its_own_loss_trains_on_x_alone_and_warns_of_a_compiled_loss_it_ignores():
    """A model whose compute_loss is its own (a VAE's) needs no y; compile(loss=...), which Keras accepts and never
    uses, draws a warning at fit (it was accepted in silence)."""
    model = Reconstruct(name="own_loss")
    model.compile(optimizer="adam", loss="mse")
    with pytest.warns(UserWarning, match="computes its loss itself"):
        assert np.isfinite(model.fit(GOOD_X, epochs=1, verbose=0).history["loss"][0])


def test_validation_weights_are_checked_for_a_model_that_trains_on_x_alone():
    model = Reconstruct(name="own_loss")
    model.compile(optimizer="adam")
    with pytest.raises(ValueError, match=r"^validation_data\[2\] contains 1 NaN or infinite value"):
        model.fit(GOOD_X, GOOD_X, epochs=1, verbose=0, validation_data=(GOOD_X, GOOD_X, np.r_[np.ones(7), np.nan]))


def test_an_empty_array_of_weights_is_named_as_too_few():
    with pytest.raises(ValueError, match=r"^sample_weight needs at least 1 samples; got 0$"):
        _fresh_functional().fit(GOOD_X, GOOD_Y, sample_weight=np.ones(0), epochs=1, verbose=0)


def test_a_model_whose_call_takes_one_number_per_sample_keeps_a_1d_x():
    """Without an input shape yet, a 1-D x is left as it is: such a model may add the feature axis itself."""
    class PerNumber(OneDense):
        def call(self, x, training=False):
            return self.dense(keras.ops.expand_dims(x, -1))

    assert PerNumber().predict(np.linspace(0, 1, 5), verbose=0).shape == (5, 2)


def test_a_model_with_its_own_loss_may_take_a_y_of_any_shape():
    """SCAN's y holds each digit's partner candidates: nothing like the output's shape."""
    class OwnLoss(OneDense):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            return keras.ops.mean(keras.ops.square(y_pred)) + 0.0 * keras.ops.sum(keras.ops.cast(y, "float32"))

    model = OwnLoss()
    model.compile(optimizer="adam")
    assert np.isfinite(model.fit(GOOD_X, np.ones((8, 5)), epochs=1, verbose=0).history["loss"][0])


def test_a_weight_target_or_validation_data_with_nothing_in_it_is_named():
    model = _fresh_functional()
    # one number for all: a Python float failed in Keras with the whole of x printed
    for weight in (np.float32(2.0), 2.0, 3, np.array(2.0)):
        with pytest.raises(ValueError, match=r"^sample_weight must hold one weight per sample \(8 of them\); got "
                                             r"the single number .*: to weight every sample alike, leave "
                                             r"sample_weight out$"):
            model.fit(GOOD_X, GOOD_Y, sample_weight=weight, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"^y needs at least 1 samples; got 0$"):
        model.fit(GOOD_X, np.ones((0, 2)), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"^validation_data must be \(x_val, y_val\) or \(x_val, y_val, "
                                         r"sample_weight\); got a tuple of 0 items$"):
        model.fit(GOOD_X, GOOD_Y, epochs=1, verbose=0, validation_data=())


def test_a_diverged_training_names_a_huge_target_too():
    model = _fresh_functional()
    with pytest.raises(FloatingPointError, match=r"; y holds values up to [0-9.]+e\+19: if they are not scaled yet, "
                                                 r"scale them"):
        model.fit(GOOD_X, GOOD_Y * 1e19, epochs=3, verbose=0)


def test_per_timestep_weights_are_taken_for_a_sequence_target():
    """Keras weights each step of a sequence output with sample_weight of shape (samples, steps)."""
    inputs = keras.Input(shape=(5, 3))
    model = Functional(inputs, keras.layers.Dense(3)(inputs), name="steps")
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).normal(size=(20, 5, 3)).astype("float32")
    history = model.fit(x, x, sample_weight=np.ones((20, 5)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    with pytest.raises(ValueError, match=r"^sample_weight must hold one weight per sample, shape \(20,\); got "
                                         r"shape \(20, 4\)"):
        model.fit(x, x, sample_weight=np.ones((20, 4)), epochs=1, verbose=0)


def test_the_scaling_hint_starts_just_past_values_of_100():
    """Scaled data rarely reach 100; past it the message asks whether x was scaled (the raw breast-cancer
    table reaches 4,254), at or below it only the learning rate and the loss are named."""
    for largest, scaling in ((99.5, False), (100.0, False), (100.5, True)):
        x = np.array([[0.0, largest]], dtype="float32")
        message = training._diverged((1, float("nan")), x, None)
        assert ("x holds values up to" in message) == scaling, largest
        assert "lower the learning rate" in message


def test_fit_warns_at_the_learners_call_when_a_table_holds_values_far_from_zero(autoencoder_pair):
    """Columns spread alike but far from 0 passed the spread check in silence, and notebook 02's VAE trained to a
    KL in the millions on them (a learner's probe); past 100, as the divergence hint counts, fit says so, once,
    and only when the spread warning has not already said to scale."""
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    scaled = rng.normal(size=(64, 4))
    scaled = (scaled - scaled.mean(axis=0)) / scaled.std(axis=0)
    shifted = scaled + [0.0, 0.0, 1e4, 0.0]
    with pytest.warns(UserWarning, match=r"^x holds values up to 1e\+04, far from scaled data .*StandardScaler") as caught:
        autoencoder.fit(shifted, shifted, epochs=1, verbose=0)
    assert [w.filename for w in caught if "far from scaled data" in str(w.message)] == [__file__]
    signs = np.column_stack([np.tile(np.repeat([-1.0, 1.0], 2 ** j), 32 // 2 ** j) for j in range(4)])
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="x holds values up to")
        autoencoder.fit(signs * 100.0, signs, epochs=1, verbose=0)  # 100 itself: the threshold, not past it
    with pytest.warns(UserWarning, match=r"^x holds values up to 100\.5,"):
        autoencoder.fit(signs * 100.5, signs, epochs=1, verbose=0)
    raw = scaled * [1.0, 2.0, 1500.0, 0.5]  # spreads 3,000-fold and reaches thousands: one warning, the spread one
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        autoencoder.fit(raw, raw, epochs=1, verbose=0)
    mine = [str(w.message) for w in caught if str(w.message).startswith(("x holds values", "the columns of x"))]
    assert len(mine) == 1 and mine[0].startswith("the columns of x are on very different scales")


def test_fit_warns_at_the_learners_call_when_the_table_it_rebuilds_sits_far_from_zero(autoencoder_pair):
    """Columns spread alike and under 100 but not centred (notebook 02's blobs shifted by 10) passed every check,
    and the VAE trained to codes KMeans split at ARI 0.55-0.69 (a learner's probe); the cost is the offset the
    network must rebuild. When the target's centre lies more than three times its rows' typical distance from
    it (the root of the summed variances) away from 0, fit says so, naming the largest mean: for y, which an
    autoencoder rebuilds, whatever x is; in [0, 1] too; once, after the far-from-zero warning if that fires."""
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    # 64 rows of -s and +s in different patterns: mean exactly 0, standard deviation exactly s, 4 columns, so
    # the rows' typical distance from their centre is 2 s.
    signs = np.column_stack([np.tile(np.repeat([-1.0, 1.0], 2 ** j), 32 // 2 ** j) for j in range(4)])

    def mine(x, y=None):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call = inspect.currentframe().f_lineno + 1
            autoencoder.fit(x, x if y is None else y, epochs=1, verbose=0)
        assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]  # no empty means on the way
        return [(str(w.message), (w.filename, w.lineno) == (__file__, call)) for w in caught
                if "sits far from 0" in str(w.message) or str(w.message).startswith(("x holds", "the columns of x"))]

    half = signs * 0.5  # typical distance 1
    warned = mine(half + [0.0, 3.2, 0.0, 0.0])  # a centre 3.2 distances out
    assert len(warned) == 1 and warned[0][1]  # once, at the learner's call of fit
    assert warned[0][0].startswith("y, the table the network learns to output, sits far from 0: its column means, "
                                   "taken together, are 3.2 times farther from 0 than a typical row is from them (most "
                                   "of it in column 1, counting from 0, whose mean is 3.2), so training first has to "
                                   "learn the means, and its codes can come out worse (notebook 02, section 9); centre")
    assert "StandardScaler" in warned[0][0] and "scale_columns(..., one_unit=True)" in warned[0][0]
    assert mine(half + [0.0, 3.0, 0.0, 0.0]) == []  # exactly 3 distances (2.5 and 3.5: mean 3.0, spread 1.0) is not beyond
    assert mine(half + [0.0, 1.8, -2.4, 0.0]) == []  # about 3 (a 3-4-5 triangle), in two columns
    (shared,) = mine(half + [1.5, 1.5, 1.5, 1.51])  # spread over every column: the centre's distance counts
    # and no column is singled out, whose mean is the largest only by a hundredth (or by rounding)
    assert "(the column means run from 1.5 to 1.51)" in shared[0] and "most of it in" not in shared[0]
    (two,) = mine(half + [0.0, 2.5, 2.5, 0.0])  # two columns alike, neither more than half: not named either
    assert "(the column means run from 0 to 2.5)" in two[0]
    (alike,) = mine(half + 3.5)  # a whole table shifted: one mean, said once
    assert "(every column's mean is 3.5)" in alike[0]
    assert len(mine(half + [-3.01, 0.0, 0.0, 0.0])) == 1  # below 0 as well as above
    assert [m for m, _ in mine(half + 5.0, half)] == []  # only the input off-centre: nothing to rebuild far out
    assert len(mine(half, half + 5.0)) == 1  # the target is what counts
    assert mine(np.zeros((64, 4)) + 5.0) == []  # nothing varies: no spread to measure by
    (constant,) = mine(np.column_stack([half[:, :3], np.full(64, 5.0)]))  # 5 / sqrt(0.75): 5.8 distances out
    assert "(most of it in column 3, counting from 0, whose mean is 5; a constant column: drop it)" in constant[0]
    assert "constant column" not in mine(half + [0.0, 3.2, 0.0, 0.0])[0][0]
    pixels = 0.9 + signs * 0.05  # in [0.85, 0.95]: 9 distances out, [0, 1] or not
    assert len(mine(pixels)) == 1
    rng = np.random.default_rng(0)
    for rows, warns in ((100, False), (10_000, True)):  # bell-shaped columns min-max scaled: about 2.5, then 3.9 out
        bells = rng.normal(size=(rows, 4))
        bells = (bells - bells.min(axis=0)) / np.ptp(bells, axis=0)  # into [0, 1]: not centred
        assert bool(mine(bells)) == warns
    one_hot = np.column_stack([signs[:, :3], np.r_[np.zeros(8), np.ones(56)]])  # a 0/1 column at 7/8: mean 0.875
    assert mine(one_hot) == []  # the centre is 0.5 distances out
    far = mine(signs + 150.0)
    assert len(far) == 1 and far[0][0].startswith("x holds values up to")  # one warning, the larger


def test_fit_warns_at_the_learners_call_when_the_columns_are_not_scaled(autoencoder_pair):
    """Raw wine-like columns (one in the hundreds, one below 2) trained without a word, and the code
    followed the widest column; the warning names the columns, as notebook 05's scoring does."""
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    raw = rng.normal(size=(64, 4)) * [1.0, 2.0, 1500.0, 0.5]  # column 2 spreads 3,000 times column 3
    with pytest.warns(UserWarning, match=r"^the columns of x are on very different scales: column 2 spreads [0-9],[0-9]{3} "
                                         r"times as widely as column 3 \(counting from 0\).*StandardScaler") as caught:
        autoencoder.fit(raw, raw, epochs=1, verbose=0)
    mine = [w.filename for w in caught if "very different scales" in str(w.message)]  # (older Keras adds its own)
    assert mine == [__file__]  # the learner's fit, once
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="the columns of x are on very different scales")
        scaled = (raw - raw.mean(axis=0)) / raw.std(axis=0)
        autoencoder.fit(scaled, scaled, epochs=1, verbose=0)
        shifted = scaled + [0.0, 0.0, 1e4, 0.0]  # far from 0 but spread alike: not this warning (see the next test)
        autoencoder.fit(shifted, shifted, epochs=1, verbose=0)
        constant = np.column_stack([scaled[:, :3], np.zeros(64)])  # a constant column has no spread to compare
        autoencoder.fit(constant, constant, epochs=1, verbose=0)
        signs = np.column_stack([np.tile(np.repeat([-1.0, 1.0], 2 ** j), 32 // 2 ** j) for j in range(4)])  # sd 1
        edge = signs * [1.0, 1.0, 1000.0, 1.0]  # exactly 1,000 times: the threshold, not past it
        autoencoder.fit(edge, edge, epochs=1, verbose=0)
    with pytest.warns(UserWarning, match="column 2 spreads 1,001 times as widely as column 0"):
        autoencoder.fit(signs * [1.0, 1.0, 1001.0, 1.0], signs, epochs=1, verbose=0)


def test_pixels_in_0_1_are_not_called_unscaled_and_raw_pixels_get_the_one_unit_advice(autoencoder_pair):
    """A learner's probe of notebook 04 with 28 x 28 images: pixels already divided by 255 were warned about on
    every fit (a border pixel, nearly always blank, spreads 1,639 times less than a central one) and told to use
    StandardScaler, the scaling notebooks 04 and 05 show costs the digits ARI; 0-255 pixels were told the same."""
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    pixels = rng.uniform(size=(64, 4)) * [1.0, 1.0, 1.0, 1e-4]  # one column nearly always blank
    pixels[0, 3] = 0.0
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="the columns of x")
        warnings.filterwarnings("error", message="x holds values")
        autoencoder.fit(pixels, pixels, epochs=1, verbose=0)
    with pytest.warns(UserWarning, match=r"^the columns of x are on very different scales: .*StandardScaler; columns "
                                         r"in one unit, such as pixels: divide them all by one value, e\.g\. 255 for "
                                         r"8-bit images\) unless"):
        autoencoder.fit(pixels * 255, pixels, epochs=1, verbose=0)
    shifted = pixels + [0.0, 0.0, 0.0, 1.0]  # up to 1.0001: past [0, 1], so the spreads are compared again
    with pytest.warns(UserWarning, match="the columns of x are on very different scales"):
        autoencoder.fit(shifted, shifted, epochs=1, verbose=0)
    with pytest.warns(UserWarning, match=r"^x holds values up to 255,.*StandardScaler; columns in one unit, such as "
                                         r"pixels: divide them all by one value, e\.g\. 255 for 8-bit images\)$"):
        bright = np.round(rng.uniform(size=(64, 4)) * 255)  # spread alike: only the size warns
        bright[0, 0] = 255.0
        autoencoder.fit(bright, bright / 255, epochs=1, verbose=0)


def test_a_dataframe_with_its_columns_in_another_order_is_refused_after_fit(autoencoder_pair):
    """A learner's probe: fitted on a DataFrame, the encoder took the same frame with its columns reversed and gave
    other codes in silence (Keras reads columns by position). Refused, by the model and by the encoder built on
    the same input; arrays, the same order, and a frame before any fit go through."""
    pd = pytest.importorskip("pandas")
    autoencoder, encoder = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(32, 4)), columns=["a", "b", "c", "d"])
    encoder.predict(frame[["d", "c", "b", "a"]], verbose=0)  # nothing fitted on names yet: nothing to compare
    autoencoder.fit(frame, frame, epochs=1, verbose=0)
    reordered, renamed = frame[["d", "c", "b", "a"]], frame.rename(columns={"a": "alcohol"})
    for model, x, how in ((encoder, reordered, "the same columns in another order"),
                          (autoencoder, reordered, "the same columns in another order"),
                          (encoder, renamed, "missing a; not trained on alcohol")):
        with pytest.raises(ValueError, match=rf"^x's columns are not those {model.name} was trained on \({how}\): "
                                             r"Keras reads columns by position, not by name; fitted on a, b, c, d; "
                                             r"got .*Select the fitted columns in the fitted order: "
                                             r"df\[\['a', 'b', 'c', 'd'\]\] \(a table with other columns needs a new model\)$"):
            model.predict(x, verbose=0)
    with pytest.raises(ValueError, match=r"^x's columns are not those"):
        autoencoder.fit(reordered, reordered, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"^x's columns are not those"):
        autoencoder.evaluate(reordered, frame, verbose=0)
    np.testing.assert_allclose(encoder.predict(frame, verbose=0), encoder.predict(frame.to_numpy(), verbose=0))
    with pytest.raises(ValueError, match=r"^x's columns are not those .* \(3 columns where it was trained on 4; "
                                         r"missing d\): "):  # two lists cut at eight names can look alike: say it
        encoder.predict(frame[["a", "b", "c"]], verbose=0)


def test_a_saved_model_remembers_the_columns_it_was_fitted_on(autoencoder_pair, tmp_path):
    """A learner's probe: after vae.save and keras.models.load_model, a frame with its columns reversed gave other
    codes in silence, where the fitted model refused it (the names lived only in memory). They are saved with the
    model now, whether saved whole or as the encoder built on its input; a model fitted on an array saves none."""
    pd = pytest.importorskip("pandas")
    autoencoder, encoder = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    assert "fitted_columns" not in autoencoder.get_config()
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(32, 4)), columns=["a", "b", "c", "d"])
    autoencoder.fit(frame, frame, epochs=1, verbose=0)
    for model in (autoencoder, encoder):
        model.save(tmp_path / f"{model.name}.keras")
        loaded = keras.models.load_model(tmp_path / f"{model.name}.keras")
        assert type(loaded) is type(model) and loaded.get_config()["fitted_columns"] == ["a", "b", "c", "d"]
        with pytest.raises(ValueError, match=r"^x's columns are not those .* \(the same columns in another order\)"):
            loaded.predict(frame[["d", "c", "b", "a"]], verbose=0)
        np.testing.assert_allclose(loaded.predict(frame, verbose=0), model.predict(frame, verbose=0), rtol=1e-6)


def test_a_target_frame_with_the_inputs_columns_in_another_order_is_refused(autoencoder_pair):
    """A learner's probe: ae.fit(df, df[reversed columns]) trained an autoencoder to reorder its columns, in
    silence, while the same mix-up in x was refused."""
    pd = pytest.importorskip("pandas")
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(32, 4)), columns=["a", "b", "c", "d"])
    for call in (lambda y: autoencoder.fit(frame, y, epochs=1, verbose=0),
                 lambda y: autoencoder.evaluate(frame, y, verbose=0),
                 lambda y: autoencoder.fit(frame, frame, epochs=1, verbose=0, validation_data=(frame, y))):
        with pytest.raises(ValueError, match=r"^(y|validation_data\[1\]) holds (x|validation_data\[0\])'s columns in "
                                             r"another order \(d, c, b, a, where \2 has a, b, c, d\): the loss "
                                             r"compares columns by position.*pass \1\[\2\.columns\]$"):
            call(frame[["d", "c", "b", "a"]])
    autoencoder.fit(frame, frame[["a", "b", "c", "d"]], epochs=1, verbose=0)  # the same order: fine
    autoencoder.fit(frame, frame.to_numpy(), epochs=1, verbose=0)  # an array target has no names to compare


@pytest.mark.parametrize("width", [8, 9])
def test_the_column_message_shows_eight_names_and_the_selection_only_when_it_is_short(width):
    """Up to 8 columns: every name, and the selection to copy; more: the first 8 and '...', no selection."""
    pd = pytest.importorskip("pandas")
    from helpers import models

    helpers.set_seed(0)
    autoencoder, _ = models.build_autoencoder(width, hidden_units=(3,), latent_dim=2)
    autoencoder.compile(optimizer="adam", loss="mse")
    names = [f"c{j}" for j in range(width)]
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(16, width)), columns=names)
    autoencoder.fit(frame, frame, epochs=1, verbose=0)
    with pytest.raises(ValueError) as caught:
        autoencoder.predict(frame[names[::-1]], verbose=0)
    message = str(caught.value)
    fitted, got = ", ".join(names[:8]), ", ".join(names[::-1][:8])
    if width == 8:
        assert f"fitted on {fitted}; got {got}. Select the fitted columns in the fitted order: df[{names!r}] (" in message
    else:
        assert f"fitted on {fitted}, ...; got {got}, .... Select the fitted columns in the fitted order (" in message


def _own_loss_model(uses_only_x):
    """A compiled one-layer model, 3 columns in and out, whose own loss is x's squared error against its output
    (a stand-in for notebook 02's VAE), with CheckedInputs' ``loss_uses_only_x`` set as given."""
    keras = training.keras

    class OwnLoss(training.CheckedInputs, keras.Model):
        loss_uses_only_x = uses_only_x

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(3)

        def call(self, x, training=None):
            return self.dense(x)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            return keras.ops.mean(keras.ops.square(x - y_pred))

    model = OwnLoss(name="rebuild")
    model.compile(optimizer="adam")
    return model


def test_the_off_centre_warning_reads_the_table_a_model_rebuilds_and_nothing_else():
    """The off-centre warning is about the table a network must rebuild: x for a model whose own loss rebuilds x
    (notebook 02's VAE), y when it is as wide as x (an autoencoder's fit(X, X)); a target of another shape (a
    prediction, a projection) and a model whose loss reads x without rebuilding it (given no y) are left alone."""
    keras = training.keras
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 3)).astype("float32")
    X = (X - X.mean(axis=0)) / X.std(axis=0)

    def warned(model, *args):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(*args, epochs=1, verbose=0)
        return [str(w.message) for w in caught if "sits far from 0" in str(w.message)]

    off = X + 4.0  # the centre 4 * sqrt(3) / sqrt(3) = 4 distances out
    rebuilt = warned(_own_loss_model(True), off)
    assert len(rebuilt) == 1 and rebuilt[0].startswith("x, which the network rebuilds, sits far from 0")
    pd = pytest.importorskip("pandas")
    named = warned(_own_loss_model(True), pd.DataFrame(off + [0.0, 0.0, 6.0], columns=["a", "b", "c"]))
    assert "(most of it in column 'c', whose mean is 10)" in named[0]  # a DataFrame's own name for the column
    (shared,) = warned(_own_loss_model(True), pd.DataFrame(off + [0.0, 0.0, 1.0], columns=["a", "b", "c"]))
    assert "(the column means run from 4 to 5)" in shared  # 25 of 57: no column holds most of the offset
    assert warned(_own_loss_model(False), off) == []  # reads x, rebuilds nothing it was told of
    inputs = keras.Input(shape=(3,))
    for width in (1, 2):  # a prediction of another width: not a reconstruction
        head = training.CheckedModel(inputs, keras.layers.Dense(width)(inputs))
        head.compile(optimizer="adam", loss="mse")
        target = off[:, :width] if width > 1 else off[:, 0]
        assert warned(head, X, target) == []
    autoencoder = training.CheckedModel(inputs, keras.layers.Dense(3)(inputs))
    autoencoder.compile(optimizer="adam", loss="mse")
    assert warned(autoencoder, X, off)[0].startswith("y, the table the network learns to output, sits far from 0")


def test_a_model_whose_loss_uses_only_x_refuses_targets_and_weights_wherever_they_come():
    """CheckedInputs.loss_uses_only_x (notebook 02's VAE sets it): y, sample_weight, validation_data's y_val and
    weights, in fit and evaluate, tuple or list; x alone and (x_val,) train. Off by default (see test_vae)."""
    keras = training.keras

    X = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    w = np.ones(16)
    model = _own_loss_model(True)
    model.fit(X, epochs=1, verbose=0, validation_data=(X,))
    for kwargs, named in (({"y": X}, "y"), ({"sample_weight": w}, "sample_weight"),
                          ({"y": X, "sample_weight": w}, "y and sample_weight"),
                          ({"validation_data": (X, X)}, r"validation_data\[1\] \(y_val\)"),
                          ({"validation_data": [X, X]}, r"validation_data\[1\] \(y_val\)"),
                          ({"validation_data": (X, X, w)}, r"validation_data\[1\] \(y_val\) and validation_data\[2\] \(sample weights\)"),
                          ({"validation_data": (X, None, w)}, r"validation_data\[2\] \(sample weights\)")):
        with pytest.raises(ValueError, match=rf"^{named} would be ignored: rebuild's loss is computed from x alone "
                                             r"\(it rebuilds its input, every sample weighted alike\), so training "
                                             r"would not change; pass x alone: fit\(X\), evaluate\(X\), "
                                             r"validation_data=\(X_val,\)$"):
            model.fit(X, epochs=1, verbose=0, **kwargs)
    with pytest.raises(ValueError, match=r"^sample_weight would be ignored"):
        model.evaluate(X, sample_weight=w, verbose=0)
    assert np.isfinite(model.evaluate(X, verbose=0))


def test_a_model_without_layers_takes_a_dataframe():
    """_fitted_columns looks at a model's first layer only when it has one (a subclassed model may have none)."""
    pd = pytest.importorskip("pandas")

    class Identity(training.CheckedInputs, training.keras.Model):
        def call(self, x):
            return x

    model = Identity()
    frame = pd.DataFrame(np.ones((4, 2)), columns=["a", "b"])
    assert model.layers == [] and model.predict(frame, verbose=0).shape == (4, 2)


def test_the_column_names_reach_a_checked_part_listed_after_a_plain_layer():
    """_remember_columns walks every part of the model: a checked encoder tracked after a plain layer still learns
    the names (a walk that stopped at the first plain layer would miss it)."""
    pd = pytest.importorskip("pandas")
    keras = training.keras

    class Wrapped(training.CheckedInputs, keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.scale = keras.layers.Rescaling(1.0)  # a plain layer, tracked first
            inputs = keras.Input(shape=(3,))
            self.encoder = training.CheckedModel(inputs, keras.layers.Dense(2)(inputs), name="inner")

        def call(self, x):
            return self.encoder(self.scale(x))

    model = Wrapped(name="wrapped")
    model.compile(optimizer="adam", loss="mse")
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(8, 3)), columns=["a", "b", "c"])
    model.fit(frame, np.zeros((8, 2)), epochs=1, verbose=0)
    assert [type(layer).__name__ for layer in model.layers][:1] == ["Rescaling"]
    with pytest.raises(ValueError, match=r"^x's columns are not those inner was trained on"):
        model.encoder.predict(frame[["c", "b", "a"]], verbose=0)


def test_a_model_that_computes_its_own_loss_warns_at_fit_of_a_compiled_loss_it_ignores():
    """A learner's probe of notebook 04: NeighbourContrastive.compile(loss="mse") was accepted and never used (Keras
    calls the model's own compute_loss, which does not read compile's loss)."""

    class OwnLoss(training.CheckedInputs, keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

        def compute_loss(self, x, y, y_pred, sample_weight=None, training=True):
            return keras.ops.mean(y_pred**2)

    class PlusCompiled(OwnLoss):  # adds to the compiled loss: compile's loss is used, so it is welcome
        def compute_loss(self, x, y, y_pred, sample_weight=None, training=True):
            return super().compute_loss(x, y, y_pred, sample_weight) + 1.0

    message = (r"^OwnLoss computes its loss itself \(its compute_loss\), which never uses compile's loss \('mse'\): "
               r"training minimises the model's own loss; leave loss= out of compile$")
    x = np.zeros((4, 2))
    for compiled in ({"optimizer": "adam", "loss": "mse"}, ("adam", "mse")):  # by name or by position
        model = OwnLoss()
        model.compile(**compiled) if isinstance(compiled, dict) else model.compile(*compiled)
        with pytest.warns(UserWarning, match=message) as caught:
            model.fit(x, x, epochs=1, verbose=0)
        assert [w.filename for w in caught if "computes its loss" in str(w.message)] == [__file__]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*computes its loss itself")
        model = OwnLoss()
        model.compile(optimizer="adam")  # the lesson's way
        model.fit(x, x, epochs=1, verbose=0)
        added = PlusCompiled()
        added.compile(optimizer="adam", loss="mse")
        added.fit(x, x, epochs=1, verbose=0)
        plain, _ = models.build_autoencoder(2, hidden_units=(3,), latent_dim=2)  # Keras' compute_loss: loss= as usual
        plain.compile(optimizer="adam", loss="mse")
        plain.fit(x, x, epochs=1, verbose=0)


# --------------------------------------------------------------------------- a learner's own tables, probed


def test_validation_data_with_another_column_order_is_refused_on_the_first_fit(autoencoder_pair):
    """A learner's probe: the first fit accepted it (the columns are remembered only once fit returns), so the
    validation loss compared swapped columns in silence."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(64, 4)), columns=list("abcd"))
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    swapped = frame.iloc[:16][list("dcba")]
    with pytest.raises(ValueError, match=r"^validation_data\[0\]'s columns are not x's \(the same columns in another "
                                         r"order: d, c, b, a, where x has a, b, c, d\): Keras reads columns by position"):
        autoencoder.fit(frame, frame, epochs=1, verbose=0, validation_data=(swapped, swapped))
    with pytest.raises(ValueError, match=r"\(other columns: a, b, c, e, where x has a, b, c, d\)"):
        other = swapped.set_axis(list("abce"), axis=1)
        autoencoder.fit(frame, frame, epochs=1, verbose=0, validation_data=(other, other))
    val = frame.iloc[:16]
    assert len(autoencoder.fit(frame, frame, epochs=1, verbose=0, validation_data=(val, val)).history["val_loss"]) == 1


def test_targets_whose_rows_are_the_inputs_rows_in_another_order_are_refused(autoencoder_pair):
    """fit(df, df.sample(frac=1)) paired each row with another row's target: Keras pairs rows by position."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(64, 4)), columns=list("abcd"))
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match=r"^y holds x's rows in another order \(its index runs \[\d+, \d+, \d+\]\.\.\., "
                                         r"x's \[0, 1, 2\]\.\.\.\): Keras pairs rows by position.*pass y\.loc\[x\.index\]$"):
        autoencoder.fit(frame, frame.sample(frac=1, random_state=0), epochs=1, verbose=0)
    renumbered = frame.reset_index(drop=True).set_axis(range(100, 164))  # other labels, same order: not refused
    assert autoencoder.fit(frame, renumbered, epochs=1, verbose=0).history["loss"]


def test_one_callback_without_a_list_is_taken_and_a_callback_class_is_named(autoencoder_pair, capsys):
    """Keras takes callbacks=one_callback; the checked fit failed on it with 'Value after * must be an iterable'."""
    autoencoder, _ = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    X = np.random.default_rng(0).normal(size=(32, 4))
    autoencoder.fit(X, X, epochs=2, verbose=0, callbacks=training.CompactProgress())
    assert "trained 2 epochs" in capsys.readouterr().out
    with pytest.raises(TypeError, match=r"^callbacks holds the class CompactProgress, not a callback: write "
                                        r"CompactProgress\(\) to make one$"):
        autoencoder.fit(X, X, epochs=1, verbose=0, callbacks=[training.CompactProgress])


def test_weights_blown_up_in_the_last_steps_are_reported_by_fit_not_by_the_next_predict(autoencoder_pair):
    """A learner's probe: values of 1e12 gave a last epoch whose mean loss (1e24) was still a number while its
    last steps left the weights NaN; fit returned, and the next predict failed."""
    autoencoder, encoder = autoencoder_pair
    autoencoder.compile(optimizer="adam", loss="mse")
    X = np.random.default_rng(0).normal(size=(64, 4)) * 1e12
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warning about unscaled values comes first
        with pytest.raises(FloatingPointError, match=r"^training diverged: after epoch 1 the weights hold NaN or "
                                                     r"infinity, though that epoch's mean loss \([\d.e+]+\) was still"):
            autoencoder.fit(X, X, epochs=1, verbose=0)
