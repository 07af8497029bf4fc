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

import sys
import time

import numpy as np

from helpers._tensorflow import load_keras
from helpers._validation import as_numeric_array, check_features

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
    ``(x_val, y_val, sample_weight)`` or ``x_val`` alone) are checked the
    same way whether they are NumPy arrays, lists or pandas DataFrames
    (converted with :func:`numpy.asarray`): numbers only, no NaN or
    infinity, the rank and width the model expects, at least one sample,
    and as many rows in ``y`` as in ``x``. A ``tf.data.Dataset``, a
    ``PyDataset``, a generator or a dict is passed to Keras unchecked. A
    ``batch_size`` larger than the data is left to Keras, which uses the
    whole data as one batch.
    """

    def fit(self, x=None, y=None, *args, **kwargs):
        arguments = _bind(super().fit, x, y, *args, **kwargs)
        arguments["x"], arguments["y"] = _check_pair(self, arguments.get("x"), arguments.get("y"), "x", "y")
        if arguments.get("validation_data") is not None:
            arguments["validation_data"] = _check_validation_data(self, arguments["validation_data"],
                                                                  arguments["y"])
        return super().fit(**arguments)

    def evaluate(self, x=None, y=None, *args, **kwargs):
        arguments = _bind(super().evaluate, x, y, *args, **kwargs)
        arguments["x"], arguments["y"] = _check_pair(self, arguments.get("x"), arguments.get("y"), "x", "y")
        return super().evaluate(**arguments)

    def predict(self, x, *args, **kwargs):
        arguments = _bind(super().predict, x, *args, **kwargs)
        arguments["x"] = _check_model_input(self, arguments["x"], "x")
        return super().predict(**arguments)


def _bind(method, *args, **kwargs):
    """The arguments of a call to a Keras method, by name (positional ones too)."""
    import inspect

    bound = inspect.signature(method).bind(*args, **kwargs)
    arguments = dict(bound.arguments)
    arguments.update(arguments.pop("kwargs", {}))
    return arguments


def _is_array_like(x):
    """An array, a list or a DataFrame/Series: data this module checks (a Dataset or generator it does not)."""
    if isinstance(x, (np.ndarray, list)):
        return True
    return hasattr(x, "to_numpy") and hasattr(x, "shape")  # pandas, recognised without importing it


def _expected_shape(model):
    """The shape of ``model``'s (first) input, e.g. ``(None, 4)``, or ``None`` when it cannot tell yet."""
    try:
        inputs = model.inputs  # functional models; subclassed ones raise AttributeError (some versions ValueError)
    except (AttributeError, ValueError):
        inputs = None
    if inputs:
        return tuple(inputs[0].shape)
    for layer in getattr(model, "layers", []):  # a subclassed model's first functional part
        if isinstance(layer, keras.Model):
            shape = _expected_shape(layer)
            if shape is not None:
                return shape
    return None


def _check_model_input(model, x, name):
    """``x`` as an array ``model`` can take, or one ValueError/TypeError naming the problem."""
    if not _is_array_like(x):
        return x
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
    check_features(array, name=name, min_samples=1, ndim=ndim)
    if shape is not None and shape[-1] is not None and array.ndim > 1 and array.shape[-1] != shape[-1]:
        raise ValueError(f"{name} has {array.shape[-1]} features but {model.name} expects {shape[-1]}")
    return x if isinstance(x, np.ndarray) else array


def _shape_text(shape):
    return "(" + ", ".join("n" if d is None else str(d) for d in shape) + ")"


def _check_target(y, name, n_samples, like=None):
    """``y`` (targets) as an array with ``n_samples`` rows, finite; ``None`` and datasets pass through."""
    if y is None or not _is_array_like(y):
        return y
    array = as_numeric_array(y, name=name)
    check_features(array, name=name, min_samples=1, ndim=max(array.ndim, 1))
    if array.shape[0] != n_samples:
        raise ValueError(f"{name} has {array.shape[0]} rows but there are {n_samples} samples")
    if like is not None and _is_array_like(like) and np.shape(like)[1:] != array.shape[1:]:
        raise ValueError(f"{name} has rows of shape {array.shape[1:]} but y has rows of shape "
                         f"{np.shape(like)[1:]}")
    return y if isinstance(y, np.ndarray) else array


def _check_pair(model, x, y, x_name, y_name, like=None):
    x = _check_model_input(model, x, x_name)
    if _is_array_like(x) and not isinstance(x, list):
        y = _check_target(y, y_name, len(x), like=like)
    return x, y


def _check_validation_data(model, data, y):
    """``validation_data`` in any of Keras' forms, each part checked like ``x`` and ``y``."""
    if _is_array_like(data) and not isinstance(data, list):
        return _check_model_input(model, data, "validation_data")
    if not isinstance(data, (tuple, list)):
        return data  # a Dataset, a PyDataset or a generator: Keras checks it
    if not 1 <= len(data) <= 3:
        raise ValueError(f"validation_data must be (x_val, y_val) or (x_val, y_val, sample_weight); "
                         f"got a {type(data).__name__} of {len(data)} items")
    x_val, y_val = _check_pair(model, data[0], data[1] if len(data) > 1 else None,
                               "validation_data[0]", "validation_data[1]", like=y)
    return (x_val, y_val, *data[2:]) if len(data) > 1 else (x_val,)
