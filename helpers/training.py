"""A compact progress line for ``model.fit`` and input checks for the series' Keras models.

The notebooks train every network with Keras itself (``model.compile`` and
``model.fit``). Keras' own progress display prints one line per epoch; in a
notebook that is hundreds of lines of committed output. Pass
``callbacks=[CompactProgress()]`` and ``verbose=0`` to ``fit`` instead: a
single line updates in place while the cell runs and leaves only the last
state behind.

A model class that a notebook defines lists :class:`CheckedInputs` first in
its bases, so that NaN, a wrong width or a wrong rank in a learner's data
(an array, a list or a pandas DataFrame) stops ``fit``, ``evaluate`` and
``predict`` with one sentence instead of a traceback or a loss of NaN.
"""

from __future__ import annotations

import numbers
import sys
import time
import warnings
import weakref

import numpy as np

from helpers._tensorflow import load_keras
from helpers._validation import (ONE_UNIT_HINT, as_numeric_array, check_features, check_float, check_int,
                                 warn_if_unscaled)

keras = load_keras()


def _in_notebook():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


class CompactProgress(keras.callbacks.Callback):
    """Show training progress on one line that updates after every epoch.

    In a notebook the line is a display updated in place; elsewhere it is
    rewritten on ``sys.stdout`` with a carriage return.
    """

    def __init__(self):
        super().__init__()
        self._handle = None
        self._start = None
        self._epochs = None
        self._done, self._logs = 0, {}

    def _show(self, text, final=False):
        if self._handle is not None:
            from IPython.display import Pretty

            self._handle.update(Pretty(text))
            return
        sys.stdout.write("\r" + text + ("\n" if final else ""))
        sys.stdout.flush()

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()
        self._epochs = self.params.get("epochs")
        self._done, self._logs = 0, {}
        if _in_notebook():
            from IPython.display import Pretty, display

            self._handle = display(Pretty("training..."), display_id=True)

    def _metrics(self):
        return "  ".join(f"{key} {value:.4f}" for key, value in self._logs.items())

    def on_epoch_end(self, epoch, logs=None):
        self._done, self._logs = epoch + 1, dict(logs or {})
        self._show(f"epoch {self._done}/{self._epochs}  {self._metrics()}")

    def on_train_end(self, logs=None):
        seconds = time.perf_counter() - self._start
        self._show(f"trained {self._done} epochs in {seconds:.1f} s  {self._metrics()}", final=True)


class CheckedInputs:
    """Mixin for a model class: ``fit``, ``predict`` and ``evaluate`` refuse bad data in one line.

    Without it, data of the wrong width reaches Keras inside a traced
    function and fails with a message several lines long, and NaN in a
    pandas DataFrame trains silently to a loss of NaN. Put it before
    ``keras.Model`` in the bases: ``class DEC(CheckedInputs, keras.Model)``.

    ``x``, ``y`` and ``validation_data`` (``(x_val, y_val)``,
    ``(x_val, y_val, sample_weight)``, or ``x_val`` alone for a model that
    computes its own loss) are checked the same way whether they are NumPy
    arrays, lists or pandas DataFrames (converted with
    :func:`~helpers._validation.as_numeric_array`): numbers only, no NaN or infinity, nothing beyond the range of float32
    (Keras' float type), the rank and width the model expects, at least one sample, and as
    many rows in ``y`` as in ``x``. A model compiled with a loss (Keras
    compares ``y`` with the output) must get ``y`` and ``y_val``: without
    them Keras fails and the model cannot be trained again, so
    ``fit(X)`` and ``validation_data=x_val`` are refused there (an
    autoencoder trains on ``fit(X, X)``). When a built-in Keras loss compares
    ``y`` with the model's single output, ``y`` must have the output's
    shape. The checked data reach Keras as arrays of Keras' float type
    (float32), whatever their container or dtype. A ``tf.data.Dataset``, a
    ``PyDataset``, a generator or a dict is passed to Keras unchecked.
    ``batch_size`` must be a positive integer; one larger than the data is
    left to Keras, which uses the whole data as one batch. So must ``epochs``
    (0 would train nothing, silently), with ``initial_epoch`` below it, and
    ``validation_split`` must lie in [0, 1). ``sample_weight`` (and the third item
    of ``validation_data``) must be finite and non-negative, one weight per
    sample: a single NaN weight makes every weight of the model NaN; and it
    needs ``y``, without which Keras drops it. A
    training whose loss becomes NaN or infinite (unscaled values in the
    thousands can do that) stops at the end of that epoch with a ``FloatingPointError``
    that says what to try, instead of returning a history of NaN; the
    weights it leaves NaN are refused by any later ``fit``, ``predict`` or
    ``evaluate``, which would otherwise give NaN whatever the data. Images
    or sequences of another size than the model's input are named with
    both shapes. A table ``x`` whose columns' spreads differ more than a
    thousandfold draws a warning at ``fit``: it was most likely not scaled;
    so does one holding values beyond ``LARGE_INPUT`` (100), such as columns
    spread alike but far from 0, which make a network's first outputs huge,
    and, short of that, a table the network learns to output (``y`` of
    ``x``'s shape, or ``x`` for a VAE) whose column means, taken together,
    lie more than ``OFF_CENTRE`` (3) times farther from 0 than a typical row
    lies from them (not centred): training first learns the means, and the
    codes can come out worse.
    After ``fit`` on a DataFrame, a frame whose columns differ in names or
    order is refused, by the model and by the parts that share its input
    (an encoder): Keras reads columns by position, not by name. The names
    are saved with the model (its config), so a loaded model refuses such a
    frame too.
    A model that computes its loss itself (its own ``compute_loss``, not
    calling ``super().compute_loss``) warns at ``fit`` after
    ``compile(loss=...)``, whose loss Keras accepts and never uses.
    A model whose own loss is computed from ``x`` alone sets
    ``loss_uses_only_x = True``; its ``fit`` and ``evaluate`` then refuse
    ``y``, ``sample_weight`` and their places in ``validation_data``, which
    the loss would ignore without a word.
    """

    #: True for a model whose own loss uses ``x`` alone (a VAE rebuilding its input): ``y`` and weights refused.
    loss_uses_only_x = False

    def __init__(self, *args, fitted_columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fitted_columns is not None:  # from a saved model's config: the columns it was fitted on
            self._fitted_columns = tuple(str(name) for name in fitted_columns)

    def get_config(self):
        """Keras' config, plus the DataFrame columns the model was fitted on: saved with the model, so that a
        loaded model refuses a frame with its columns in another order, as the fitted one does."""
        config = super().get_config()
        columns = _fitted_columns(self)
        return config if columns is None else {**config, "fitted_columns": list(columns)}

    def fit(self, x=None, y=None, *args, **kwargs):
        _warn_of_ignored_loss(self)
        _check_weights_finite(self)
        arguments = _bind(super().fit, x, y, *args, **kwargs)
        _check_batch_size(arguments)
        _check_epochs(arguments)
        if arguments.get("validation_split"):  # 0 and None: no split
            arguments["validation_split"] = _check_validation_split(arguments["validation_split"])
        given_x, given_y = arguments.get("x"), arguments.get("y")  # DataFrames keep their column names here
        arguments["x"], arguments["y"] = _check_pair(self, given_x, arguments.get("y"), "x", "y")
        if isinstance(arguments["x"], np.ndarray) and arguments["x"].ndim == 2:  # a table: are its columns scaled?
            if not warn_if_unscaled(arguments["x"], name="x", consequence="a distance or squared-error loss mostly "
                                    "measures the widest columns and the network learns little of the others",
                                    hint="e.g. sklearn.preprocessing.StandardScaler", stacklevel=3):  # the learner's fit
                if not _warn_if_far_from_zero(arguments["x"]):
                    _warn_if_off_centre(*_reconstruction_target(self, arguments, given_x, given_y))
        _refuse_unused_targets(self, arguments)
        _check_weights_of(arguments, "sample_weight")
        if arguments.get("validation_data") is not None:
            validation = arguments["validation_data"]  # (x_val, y_val, weights) as a tuple or list, as Keras reads it
            _refuse_unused_targets(self, tuple(validation) if isinstance(validation, (tuple, list)) else validation)
            _check_validation_columns(given_x, validation)
            arguments["validation_data"] = _check_validation_data(self, validation, arguments["y"])
        watch = _StopOnInvalidLoss()
        arguments["callbacks"] = [*_check_callbacks(arguments.get("callbacks")), watch]
        history = super().fit(**arguments)
        _remember_columns(self, given_x)
        # The epoch's mean loss can still be a number when its last steps blew the weights up: say so now.
        weights_only = watch.invalid is None and bool(_broken_weights(self))
        invalid = (len(history.epoch), history.history.get("loss", [np.nan])[-1]) if weights_only else watch.invalid
        if invalid is not None:
            raise FloatingPointError(_diverged(invalid, arguments["x"], arguments.get("y"), weights_only))
        return history

    def evaluate(self, x=None, y=None, *args, **kwargs):
        _check_weights_finite(self)
        arguments = _bind(super().evaluate, x, y, *args, **kwargs)
        _check_batch_size(arguments)
        arguments["x"], arguments["y"] = _check_pair(self, arguments.get("x"), arguments.get("y"), "x", "y")
        _refuse_unused_targets(self, arguments)
        _check_weights_of(arguments, "sample_weight")
        return super().evaluate(**arguments)

    def predict(self, x, *args, **kwargs):
        _check_weights_finite(self)
        arguments = _bind(super().predict, x, *args, **kwargs)
        _check_batch_size(arguments)
        arguments["x"] = _check_model_input(self, arguments["x"], "x")
        return super().predict(**arguments)


@keras.saving.register_keras_serializable(package="helpers")  # so that keras.models.load_model rebuilds it
class CheckedModel(CheckedInputs, keras.Model):
    """A functional ``keras.Model`` whose ``fit``, ``predict`` and ``evaluate`` check array data first.

    Built like any functional model, ``CheckedModel(inputs, outputs, name=...)``;
    see :class:`CheckedInputs` for what is checked. A saved one loads back
    with ``keras.models.load_model`` once :mod:`helpers` is imported.
    """

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        columns = config.pop("fitted_columns", None)  # Keras rebuilds the graph from the rest
        model = super().from_config(config, custom_objects=custom_objects)
        if columns is not None:
            model._fitted_columns = tuple(columns)
        return model


#: Scaled inputs (mean 0, standard deviation 1, or pixels in [0, 1]) rarely come near this size.
LARGE_INPUT = 100


def _warn_if_far_from_zero(x):
    """Warn when a table holds values beyond ``LARGE_INPUT``: columns in one unit but far from 0 (an offset of
    2,000, incomes in dollars) pass the spread check, yet make a network's first outputs huge (notebook 02's
    VAE overflowed to NaN at most starting seeds on its blobs shifted by 500 or 2,000, and at seed 42 trained
    to a KL of about 600,000 and a z_log_var near -330 on the second, without NaN)."""
    largest = float(np.max(np.abs(x))) if x.size else 0.0
    if largest > LARGE_INPUT:
        warnings.warn(f"x holds values up to {largest:.4g}, far from scaled data (mean 0 and standard deviation 1 "
                      f"rarely reach {LARGE_INPUT}), so the network's first outputs start huge and training may "
                      f"diverge or settle badly; scale the columns first (e.g. sklearn.preprocessing.StandardScaler; "
                      f"{ONE_UNIT_HINT})",
                      UserWarning, stacklevel=3)  # the learner's fit
        return True
    return False


#: How far the centre of a reconstruction target may lie from 0, in its rows' typical distance from that centre.
OFF_CENTRE = 3


def _warn_if_off_centre(target, name, columns=None):
    """Warn when a table a network learns to output (``target``, called ``name``; ``columns``: its names) has
    its centre, the column means taken together, further from 0 than ``OFF_CENTRE`` times a typical row's
    distance from that centre (the root of the summed variances): the origin then lies far outside the data.
    Nearly all of the starting squared error is the offset, and while the network learns the means its code
    helps little. Measured on notebook 02's VAE (``tests/test_vae.py``, seeds 0-2, KMeans k = 3 on the codes):
    its blobs shifted by 10 score ARI 1.00 after one epoch on seed 0, then 0.55-0.69 after 40 epochs (0.88 at the
    notebook's seed 42), as the KL term pulls the codes together (1.00 centred), 0.86-1.00 after 200, and 1.00
    when the decoder's output bias starts at the means, so that only the input is off-centre. Dividing a table by
    one value changes its offset and its spread alike, so tables in [0, 1] are measured too (the digits divided
    by 16 lie 1.5 typical distances out; bell-shaped columns min-max scaled about 3, more with more rows). A
    whole-table measure, not a column's: one column shifted by 10 among ten lies 3.2 distances out, all ten 10, and a
    0/1 column that is mostly 1 beside numeric columns barely moves it."""
    if target is None:
        return
    spread = float(np.sqrt(np.sum(np.var(target, axis=0, dtype=np.float64))))
    if spread == 0:  # nothing varies: nothing to measure the offset by
        return
    means = np.mean(target, axis=0, dtype=np.float64)
    out = float(np.linalg.norm(means)) / spread
    if out > OFF_CENTRE:
        j = int(np.argmax(np.abs(means)))
        if means[j] ** 2 > 0.5 * np.sum(means**2):  # one column puts the table out: name it
            column = f"column {columns[j]!r}" if columns is not None else f"column {j}, counting from 0"
            constant = "; a constant column: drop it" if np.ptp(target[:, j]) == 0 else ""
            where = f"most of it in {column}, whose mean is {means[j]:.4g}{constant}"
        else:  # shared by many columns (a whole table shifted): naming one would single out rounding
            low, high = f"{means.min():.4g}", f"{means.max():.4g}"
            where = f"every column's mean is {low}" if low == high else f"the column means run from {low} to {high}"
        what = "which the network rebuilds" if name == "x" else "the table the network learns to output"
        warnings.warn(f"{name}, {what}, sits far from 0: its column means, taken together, are {out:.1f} times "
                      f"farther from 0 than a typical row is from them ({where}), so training first has to learn "
                      f"the means, and its codes can come out "
                      f"worse (notebook 02, section 9); centre the columns first (sklearn.preprocessing."
                      f"StandardScaler centres and scales them; columns in one unit: subtract each column's mean, "
                      f"then divide them all by one value, as notebook 05's scale_columns(..., one_unit=True) does)",
                      UserWarning, stacklevel=3)  # the learner's fit


def _reconstruction_target(model, arguments, given_x, given_y):
    """The table a model learns to output, its name and its column names (``given_*``: as the learner passed
    them): ``y`` when it is a table of ``x``'s shape (an autoencoder's ``fit(X, X)``, or a regression to as
    many columns), ``x`` for a model whose loss rebuilds ``x`` itself (a VAE); else ``None``. (Not every
    target: a softmax's one-hot classes, one class nearly everywhere, would sit far out by this measure.)"""
    x, y = arguments["x"], arguments.get("y")
    if isinstance(y, np.ndarray) and y.ndim == 2 and y.shape == x.shape:
        return y, "y", _column_names(given_y)
    return (x, "x", _column_names(given_x)) if model.loss_uses_only_x and y is None else (None, None, None)


def _warn_of_ignored_loss(model):
    """Warn at ``fit`` when a model that computes its loss itself (its own ``compute_loss``, not calling
    ``super().compute_loss``) was compiled with a loss: Keras accepts one and never uses it. A warning, not an
    error: training is what the model's own loss makes it, and a second ``compile`` without a loss does not
    clear Keras' record of the first. (Checked here, not by overriding ``compile``, which would stop
    ``load_model`` from compiling a saved model.)"""
    own = getattr(type(model).compute_loss, "__code__", None)  # None: Keras' own, or not plain Python
    overridden = own is not None and own is not keras.Model.compute_loss.__code__
    if overridden and "super" not in own.co_names and getattr(model, "loss", None) is not None:
        warnings.warn(f"{type(model).__name__} computes its loss itself (its compute_loss), which never uses "
                      f"compile's loss ({model.loss!r}): training minimises the model's own loss; leave loss= out "
                      f"of compile", UserWarning, stacklevel=3)  # the learner's fit


def _refuse_unused_targets(model, given):
    """For a model whose loss uses ``x`` alone: refuse ``y`` and sample weights, which it would ignore.

    ``given`` is ``fit``'s or ``evaluate``'s arguments (a dict), or ``validation_data`` (a tuple
    ``(x_val, y_val, sample_weight)`` or shorter, or ``x_val`` alone).
    """
    if not model.loss_uses_only_x:  # a CheckedInputs class attribute
        return
    if isinstance(given, dict):
        names = {"y": given.get("y"), "sample_weight": given.get("sample_weight")}
    elif isinstance(given, tuple):
        names = {"validation_data[1] (y_val)": given[1] if len(given) > 1 else None,
                 "validation_data[2] (sample weights)": given[2] if len(given) > 2 else None}
    else:
        return  # x_val alone, a Dataset or a generator
    unused = [name for name, value in names.items() if value is not None]
    if unused:
        raise ValueError(f"{' and '.join(unused)} would be ignored: {model.name}'s loss is computed from x alone "
                         f"(it rebuilds its input, every sample weighted alike), so training would not change; "
                         f"pass x alone: fit(X), evaluate(X), validation_data=(X_val,)")


def _check_epochs(arguments):
    """``epochs`` an ``int`` >= 1 and ``initial_epoch`` below it: Keras counts ``epochs`` from the start,
    so ``fit(epochs=5, initial_epoch=5)`` trains nothing and returns an empty history, silently."""
    epochs = arguments["epochs"] = check_int(arguments.get("epochs", 1), name="epochs", minimum=1)
    if arguments.get("initial_epoch"):
        first = arguments["initial_epoch"] = check_int(arguments["initial_epoch"], name="initial_epoch", minimum=0)
        if first >= epochs:
            raise ValueError(f"initial_epoch ({first}) must be below epochs ({epochs}): Keras counts epochs from "
                             f"the start, not from initial_epoch, so this would train nothing; to train "
                             f"{epochs} more epochs, pass epochs={first + epochs}")


class _StopOnInvalidLoss(keras.callbacks.Callback):
    """Stop training at the end of the first epoch whose loss is NaN or infinite, and remember it."""

    def __init__(self):
        super().__init__()
        self.invalid = None  # (epoch, loss) once the loss is not a finite number

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(float(loss)):
            self.invalid = (epoch + 1, float(loss))
            self.model.stop_training = True


def _check_weights_finite(model):
    """Refuse a model whose weights hold NaN or infinity: a diverged training leaves them so, and from
    then on every prediction is NaN and every further training fails, whatever the data."""
    broken = _broken_weights(model)
    if broken:
        raise ValueError(f"{model.name}'s weights hold NaN or infinity ({len(broken)} of {len(model.weights)} "
                         f"weight arrays, e.g. {broken[0]}), left by a training that diverged: build the model "
                         f"again (a new one, not recompiled), and any model it shares layers with, such as a "
                         f"pretrained encoder, before training or predicting")


def _broken_weights(model):
    """The paths of ``model``'s weight arrays that hold NaN or infinity."""
    return [w.path for w in model.weights if not np.all(np.isfinite(w.numpy()))]


def _check_validation_split(split):
    """``validation_split`` as a float in [0, 1): the fraction of the rows Keras holds out."""
    if isinstance(split, numbers.Real) and not isinstance(split, bool) and 1 < split <= 100:
        raise ValueError(f"validation_split is the fraction of the rows held out, in [0, 1), not a percentage: "
                         f"{split / 100:g} for {split:g} %")
    return check_float(split, name="validation_split", low=0.0, high=1.0, high_inclusive=False)


def _check_callbacks(callbacks):
    """``callbacks`` as a list, as Keras takes them: one callback alone is a list of one; a callback's class, not
    an instance (``CompactProgress`` without ``()``), is refused by name instead of failing inside Keras."""
    if callbacks is None:
        return []
    callbacks = [callbacks] if isinstance(callbacks, keras.callbacks.Callback) else list(callbacks)
    for callback in callbacks:
        if isinstance(callback, type):
            raise TypeError(f"callbacks holds the class {callback.__name__}, not a callback: write "
                            f"{callback.__name__}() to make one")
    return callbacks


def _check_validation_columns(x, validation):
    """Refuse a DataFrame ``validation_data[0]`` whose columns are not ``x``'s DataFrame columns, in order: Keras
    reads columns by position, so validation would score each column as another, without a word."""
    x_val = validation[0] if isinstance(validation, (tuple, list)) and validation else validation
    x_names, val_names = _column_names(x), _column_names(x_val)
    if x_names is None or val_names is None or x_names == val_names:
        return
    how = "the same columns in another order" if sorted(x_names) == sorted(val_names) else "other columns"
    raise ValueError(f"validation_data[0]'s columns are not x's ({how}: {_first_eight(val_names)}, where x has "
                     f"{_first_eight(x_names)}): Keras reads columns by position, not by name, so validation would "
                     f"score each column as another; pass validation_data[0][x.columns]")


def _diverged(invalid, x, y, weights_only=False):
    """Why a training that ended with a loss, or weights, of NaN or infinity failed, and what to try."""
    epoch, loss = invalid

    largest = {name: float(np.max(np.abs(data))) for name, data in (("x", x), ("y", y))
               if isinstance(data, np.ndarray) and data.size}
    big = [(name, value) for name, value in largest.items() if value > LARGE_INPUT]  # scaled data rarely reach it
    advice = "lower the learning rate, or check the loss for a log of 0 or a division by 0"
    hint = (" and ".join(f"{name} holds values up to {value:.3g}" for name, value in big)
            + f": if they are not scaled yet, scale them (e.g. sklearn's StandardScaler; {ONE_UNIT_HINT}); if they "
            f"are, {advice}; "
            "then build the model again" if big else f"{advice}, then build the model again")
    if weights_only:
        return (f"training diverged: after epoch {epoch} the weights hold NaN or infinity, though that epoch's mean "
                f"loss ({loss:.3g}) was still a number (its last steps blew up); {hint}")
    return (f"training stopped: the loss was {loss} at epoch {epoch}, not a finite number (the training has "
            f"diverged, and the weights may be NaN too); {hint}")


def _check_batch_size(arguments):
    """``batch_size`` as an ``int`` >= 1 (``None`` lets Keras choose); anything else fails deep in TensorFlow."""
    if arguments.get("batch_size") is not None:
        arguments["batch_size"] = check_int(arguments["batch_size"], name="batch_size", minimum=1)


def _check_weights_of(arguments, key):
    """Check ``arguments[key]`` (sample weights) against the checked ``x`` in ``arguments``."""
    x = arguments.get("x")
    if arguments.get(key) is not None and isinstance(x, np.ndarray):  # checked data: its rows are known
        if arguments.get("y") is None:  # Keras hands weights on only beside y (one per output), else drops them
            raise ValueError(f"{key} needs y: without y Keras drops the weights and trains unweighted, without a "
                             f"word; a model that computes its own loss from x alone must weigh its samples itself")
        arguments[key] = _check_sample_weight(arguments[key], key, len(x), arguments.get("y"))


def _check_sample_weight(weights, name, n_samples, y=None):
    """``weights`` as a finite, non-negative float array with ``n_samples`` rows; a Dataset passes through.

    One weight per sample, shape ``(n,)`` or ``(n, 1)``; Keras' per-timestep weights, shape ``(n, T)``,
    where the target ``y`` is a sequence of shape ``(n, T, ...)``. One NaN weight turns the weighted
    loss, then every weight of the model, into NaN without a word.
    """
    if isinstance(weights, numbers.Number) or (isinstance(weights, np.ndarray) and weights.ndim == 0):
        raise ValueError(f"{name} must hold one weight per sample ({n_samples} of them); got the single number "
                         f"{weights!r}: to weight every sample alike, leave {name} out")
    if not _is_array_like(weights):
        return weights
    array = as_numeric_array(weights, name=name)
    array = check_features(array, name=name, min_samples=1, ndim=max(array.ndim, 1))
    per_step = isinstance(y, np.ndarray) and y.ndim >= 3 and array.ndim == 2 and array.shape == y.shape[:2]
    if array.ndim > 2 or (array.ndim == 2 and array.shape[1] != 1 and not per_step):
        raise ValueError(f"{name} must hold one weight per sample, shape ({n_samples},); got shape {array.shape} "
                         f"(weights of shape (samples, steps) are for a target of shape (samples, steps, ...))")
    if array.shape[0] != n_samples:
        raise ValueError(f"{name} has {array.shape[0]} rows but there are {n_samples} samples; "
                         "give one weight per sample")
    negative = int(np.count_nonzero(array < 0))
    if negative:
        raise ValueError(f"{name} has {negative} negative value(s); weights must be >= 0")
    return array


def _bind(method, *args, **kwargs):
    """The arguments of a call to a Keras method, by name (positional ones too)."""
    import inspect

    bound = inspect.signature(method).bind(*args, **kwargs)
    arguments = dict(bound.arguments)
    arguments.update(arguments.pop("kwargs", {}))
    return arguments


def _is_array_like(x):
    """An array, a NumPy number, a list or a DataFrame/Series: data this module checks (a Dataset or
    generator it does not). A NumPy number such as ``X[0, 0]`` reached Keras and failed there with an IndexError."""
    if isinstance(x, (np.ndarray, np.generic, list)):
        return True
    return hasattr(x, "to_numpy") and hasattr(x, "shape")  # pandas, recognised without importing it


def _first_input(model):
    """``model``'s (first) symbolic input, or ``None`` when it cannot tell yet."""
    try:
        inputs = model.inputs  # functional models; subclassed ones raise AttributeError (some versions ValueError)
    except (AttributeError, ValueError):
        inputs = None
    if inputs:
        return inputs[0]
    for layer in getattr(model, "layers", []):  # a subclassed model's first functional part
        if isinstance(layer, keras.Model):
            first = _first_input(layer)
            if first is not None:
                return first
    return None


def _expected_shape(model):
    """The shape of ``model``'s (first) input, e.g. ``(None, 4)``, or ``None`` when it cannot tell yet."""
    first = _first_input(model)
    return None if first is None else tuple(first.shape)


def _as_float_type(array, name):
    """The checked (finite) ``array`` in Keras' float type; values that would become infinity are refused.

    Keras' data adapters cast every float array to ``keras.config.floatx()`` (float32), whatever the
    model's input dtype, so that is the range that counts, even for a float64 ``keras.Input``.
    """
    dtype = np.dtype(keras.config.floatx())
    largest = float(np.max(np.abs(array))) if array.size else 0.0
    if largest > float(np.finfo(dtype).max):  # finite in float64, infinite once Keras casts: a loss of NaN
        raise ValueError(f"{name} has values too large for {dtype.name} (largest magnitude {largest:.3g}); "
                         "scale the data first, e.g. with StandardScaler")
    return array.astype(dtype, copy=False)


def _remember_columns(model, x):
    """After ``fit`` on a DataFrame: its column names, on the model and on each of its checked parts that takes
    as many columns (a VAE's encoder), so that a frame with its columns in another order is refused later."""
    names = _column_names(x)
    if names is None:
        return
    for part in (model, *getattr(model, "layers", ())):
        if isinstance(part, CheckedInputs):  # the model, or a checked part such as a VAE's encoder
            shape = _expected_shape(part)
        elif _is_input_layer(part):  # shared by every model built on the same keras.Input (an autoencoder's encoder)
            shape = getattr(part, "batch_shape", None)
        else:
            continue
        if shape is not None and len(shape) == 2 and shape[-1] == len(names):
            part._fitted_columns = names


def _column_names(data):
    """The column names of a DataFrame (2-D, with ``columns``) as a tuple of text, else None."""
    columns = getattr(data, "columns", None)
    return None if columns is None or getattr(data, "ndim", None) != 2 else tuple(str(c) for c in columns)


def _is_input_layer(layer):
    return type(layer).__name__ == "InputLayer"


def _fitted_columns(model):
    """The column names ``model``, or the input layer it shares with the model that was fitted, remembers."""
    layers = getattr(model, "layers", ())
    for holder in (model, *(layers[:1] if layers and _is_input_layer(layers[0]) else ())):
        if getattr(holder, "_fitted_columns", None) is not None:
            return holder._fitted_columns
    return None


def _check_columns(model, x, name):
    """Refuse a DataFrame whose columns are not those ``model`` was fitted on: Keras reads columns by position."""
    fitted, columns = _fitted_columns(model), getattr(x, "columns", None)
    if fitted is None or columns is None:
        return
    names = tuple(str(c) for c in columns)
    if names != fitted:
        if sorted(names) == sorted(fitted):
            how = "the same columns in another order"
        else:  # name the difference: two lists cut after eight names can look alike
            missing, extra = [n for n in fitted if n not in names], [n for n in names if n not in fitted]
            counts = f"{len(names)} columns where it was trained on {len(fitted)}"
            how = "; ".join([counts] * (len(names) != len(fitted)) + [f"missing {_first_eight(missing)}"] * bool(missing)
                            + [f"not trained on {_first_eight(extra)}"] * bool(extra))
        select = f": df[{list(fitted)!r}]" if len(fitted) <= 8 else ""
        raise ValueError(f"{name}'s columns are not those {model.name} was trained on ({how}): Keras reads columns by "
                         f"position, not by name; fitted on {_first_eight(fitted)}; got {_first_eight(names)}. Select "
                         f"the fitted columns in the fitted order{select} (a table with other columns needs a new model)")


def _first_eight(names):
    return ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")


def _check_model_input(model, x, name):
    """``x`` as an array ``model`` can take, or one ValueError/TypeError naming the problem."""
    if not _is_array_like(x):
        return x
    _check_columns(model, x, name)
    shape = _expected_shape(model)
    try:
        several_inputs = len(model.inputs) > 1
    except (AttributeError, ValueError, TypeError):
        several_inputs = False
    if isinstance(x, list) and several_inputs:
        return x  # one array per input: Keras' own form
    array = as_numeric_array(x, name=name)
    ndim = len(shape) if shape is not None else max(array.ndim, 1)
    if array.ndim >= 1 and array.shape[0] == 0:
        raise ValueError(f"{name} needs at least 1 samples; got 0")
    if shape is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array of shape {_shape_text(shape)} for {model.name}; "
                         f"got {array.ndim}-D with shape {array.shape}")
    array = check_features(array, name=name, min_samples=1, ndim=ndim, like=x)
    if shape is not None and any(want not in (None, got) for want, got in zip(shape[1:-1], array.shape[1:-1])):
        # images of another size: Keras would fail inside a layer, several lines long
        raise ValueError(f"{name} has shape {array.shape} but {model.name} expects {_shape_text(shape)}")
    if shape is not None and shape[-1] is not None and array.ndim > 1 and array.shape[-1] != shape[-1]:
        raise ValueError(f"{name} has {array.shape[-1]} features but {model.name} expects {shape[-1]}")
    return _as_float_type(array, name)  # Keras gets the converted array, not the original ints or objects


def _shape_text(shape):
    return "(" + ", ".join("n" if d is None else str(d) for d in shape) + ")"


def _check_target(model, y, name, n_samples, like=None):
    """``y`` (targets) as an array with ``n_samples`` rows, finite; ``None`` and datasets pass through."""
    if y is None or not _is_array_like(y):
        return y
    array = as_numeric_array(y, name=name)
    array = check_features(array, name=name, min_samples=1, ndim=max(array.ndim, 1), like=y)
    if array.shape[0] != n_samples:
        raise ValueError(f"{name} has {array.shape[0]} rows but there are {n_samples} samples")
    if like is not None and _is_array_like(like) and np.shape(like)[1:] != array.shape[1:]:
        raise ValueError(f"{name} has rows of shape {array.shape[1:]} but y has rows of shape "
                         f"{np.shape(like)[1:]}")
    return _as_float_type(array, name)


def _check_pair(model, x, y, x_name, y_name, like=None):
    if y is None and _is_array_like(x) and _needs_target(model):
        raise ValueError(f"{y_name} is missing: {model.name}'s loss compares y with its output; pass the "
                         f"targets too, one row per sample shaped like {model.name}'s output (fit(X, X) for an "
                         f"autoencoder, whose output is its input)")
    given_x, x = x, _check_model_input(model, x, x_name)  # the fitted columns first, then y's against x's
    _check_target_columns(given_x, y, x_name, y_name)
    _check_target_rows(given_x, y, x_name, y_name)
    if _is_array_like(x) and not isinstance(x, list):
        y = _check_target(model, y, y_name, len(x), like=like)
        if isinstance(y, np.ndarray):
            _check_target_shape(model, x, y, y_name)
    return x, y


def _check_target_columns(x, y, x_name, y_name):
    """Refuse DataFrames ``x`` and ``y`` with the same columns in another order (``fit(df, df[reordered])``): the
    loss compares columns by position, so an autoencoder would learn to reorder them, in silence."""
    x_names, y_names = _column_names(x), _column_names(y)
    if x_names is None or y_names is None:
        return
    if x_names != y_names and sorted(x_names) == sorted(y_names):
        raise ValueError(f"{y_name} holds {x_name}'s columns in another order ({_first_eight(y_names)}, where {x_name} "
                         f"has {_first_eight(x_names)}): the loss compares columns by position, not by name, so it "
                         f"would compare each column with another (and fit would train the model to reorder them); "
                         f"pass {y_name}[{x_name}.columns]")


def _check_target_rows(x, y, x_name, y_name):
    """Refuse pandas ``x`` and ``y`` whose rows are the same index labels in another order (``fit(df,
    df.sample(frac=1))``): Keras pairs rows by position, so each row would learn another row's target."""
    if not (hasattr(x, "iloc") and hasattr(y, "iloc")):  # pandas objects only (a list's index is a method)
        return
    x_index, y_index = x.index, y.index
    if len(x_index) != len(y_index) or x_index.equals(y_index):
        return
    if x_index.is_unique and y_index.is_unique and x_index.sort_values().equals(y_index.sort_values()):
        raise ValueError(f"{y_name} holds {x_name}'s rows in another order (its index runs {list(y_index[:3])}..., "
                         f"{x_name}'s {list(x_index[:3])}...): Keras pairs rows by position, not by index, so each "
                         f"row would be trained towards another row's target; pass {y_name}.loc[{x_name}.index]")


def _check_target_shape(model, x, y, name):
    """Refuse a ``y`` whose shape differs from ``model``'s output where Keras' own loss compares the two."""
    expected = _output_shape(model, x) if _compares_y_with_output(model) else None
    if expected is None or _rows_match(y.shape[1:], expected[1:]):
        return
    raise ValueError(f"{name} must have shape {_shape_text(expected)}, the shape of {model.name}'s output; "
                     f"got shape {y.shape}")


def _compares_y_with_output(model):
    """True when a built-in Keras loss compares ``y`` with the output element by element (so shapes must agree).

    Not for a model with its own ``compute_loss`` or training step (``y`` may be anything there), a
    learner's own loss function, a sparse loss (``y`` holds class numbers) or CTC (label sequences).
    """
    if not _keras_computes_loss(model):
        return False
    loss = getattr(model, "loss", None)
    if isinstance(loss, str):
        name = loss
    elif callable(loss):
        module = type(loss).__module__ if isinstance(loss, keras.losses.Loss) else getattr(loss, "__module__", "")
        name = (getattr(loss, "name", None) or getattr(loss, "__name__", "")) if module.startswith("keras") else ""
    else:
        name = ""  # not compiled, or one loss per output
    return bool(name) and "sparse" not in name.lower() and "ctc" not in name.lower()


def _keras_computes_loss(model):
    """True unless ``model`` overrides ``compute_loss`` or a training step (then its loss is its own)."""
    return all(getattr(type(model), method, None) is getattr(keras.Model, method)
               for method in ("compute_loss", "train_step", "test_step"))


def _needs_target(model):
    """True when Keras' own ``compute_loss`` applies a loss given to ``compile``: any such loss takes ``y``.

    Broader than :func:`_compares_y_with_output`: a sparse or a learner's own loss needs ``y`` too.
    Keras given ``y=None`` there fails ("None values not supported") and leaves the model unable to
    train again, so the check must come first. A VAE (``add_loss``, ``compute_loss``) trains on ``fit(X)``.
    """
    return _keras_computes_loss(model) and getattr(model, "loss", None) is not None


def _output_shape(model, x):
    """The shape of ``model``'s single output for inputs like ``x``, or ``None`` (several outputs, or unknown)."""
    try:
        outputs = model.outputs  # functional models
    except (AttributeError, ValueError):
        outputs = None
    if outputs is None:
        return _traced_output_shape(model, (None, *x.shape[1:]), x.dtype.name)
    return _single_shape(outputs)


def _single_shape(outputs):
    if isinstance(outputs, (list, tuple)):
        outputs = outputs[0] if len(outputs) == 1 else None
    return tuple(outputs.shape) if isinstance(outputs, keras.KerasTensor) else None


_TRACED = weakref.WeakKeyDictionary()  # model -> {input shape and dtype: output shape}


def _traced_output_shape(model, shape, dtype):
    """A subclassed model's output shape, traced symbolically as Keras does before the first fit; cached,
    since DEC's loop calls ``fit`` once per epoch and each trace takes tens of milliseconds."""
    cache = _TRACED.setdefault(model, {})
    if (shape, dtype) not in cache:
        try:
            outputs = model.compute_output_spec(keras.KerasTensor(shape, dtype=dtype))
        except Exception:  # a model Keras cannot trace without data: leave the shape to Keras
            outputs = None
        cache[shape, dtype] = _single_shape(outputs)
    return cache[shape, dtype]


def _rows_match(rows, expected):
    """Equal row shapes (``None`` in ``expected`` matches any size), allowing the trailing 1 Keras adds or drops."""
    def same(a, b):
        return len(a) == len(b) and all(e is None or d == e for d, e in zip(a, b))

    return (same(rows, expected) or (expected[-1:] == (1,) and same(rows, expected[:-1]))
            or (rows[-1:] == (1,) and same(rows[:-1], expected)))


def _check_validation_data(model, data, y):
    """``validation_data`` in any of Keras' forms, each part checked like ``x`` and ``y``."""
    if _is_array_like(data) and not isinstance(data, list):
        _refuse_lone_x_val(model)
        return _check_model_input(model, data, "validation_data")
    if not isinstance(data, (tuple, list)):
        return data  # a Dataset, a PyDataset or a generator: Keras checks it
    if not 1 <= len(data) <= 3:
        raise ValueError(f"validation_data must be (x_val, y_val) or (x_val, y_val, sample_weight); "
                         f"got a {type(data).__name__} of {len(data)} items")
    if (len(data) == 1 or data[1] is None) and _is_array_like(data[0]):
        _refuse_lone_x_val(model)
    x_val, y_val = _check_pair(model, data[0], data[1] if len(data) > 1 else None,
                               "validation_data[0]", "validation_data[1]", like=y)
    if len(data) == 3 and data[2] is not None and isinstance(x_val, np.ndarray):
        if y_val is None:  # checked here, before an epoch trains; Keras would drop the weights
            raise ValueError("validation_data[2] (sample weights) needs y_val in validation_data[1]: without it "
                             "Keras drops the weights and validates unweighted, without a word")
        return x_val, y_val, _check_sample_weight(data[2], "validation_data[2]", len(x_val), y_val)
    return (x_val, y_val, *data[2:]) if len(data) > 1 else (x_val,)


def _refuse_lone_x_val(model):
    """``validation_data=x_val`` without ``y_val`` only suits a model that computes its own loss."""
    if _needs_target(model):
        raise ValueError(f"validation_data has no y_val: {model.name}'s loss compares y with its output; "
                         "pass (x_val, y_val), e.g. (X_val, X_val) for an autoencoder")
