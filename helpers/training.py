"""A compact progress line for ``model.fit``, and the encoder's output as a NumPy array.

The notebooks train every network with Keras itself (``model.compile`` and
``model.fit``). Keras' own progress display prints one line per epoch; in a
notebook that is hundreds of lines of committed output. Pass
``callbacks=[CompactProgress()]`` and ``verbose=0`` to ``fit`` instead: a
single line updates in place while the cell runs and leaves only the last
state behind.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from helpers._tensorflow import load_keras
from helpers._validation import check_features, check_int

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

    Parameters
    ----------
    every : int, default=1
        Update the line every ``every`` epochs (the last epoch always shows).
    stream : file-like, optional
        Where to write outside a notebook; defaults to ``sys.stdout``.
    """

    def __init__(self, every=1, stream=None):
        super().__init__()
        self.every = check_int(every, name="every", minimum=1)
        self.stream = stream
        self._handle = None
        self._start = None
        self._epochs = None
        self._done, self._logs = 0, {}

    def _show(self, text, final=False):
        if self._handle is not None:
            from IPython.display import Pretty

            self._handle.update(Pretty(text))
            return
        stream = self.stream or sys.stdout
        stream.write("\r" + text + ("\n" if final else ""))
        stream.flush()

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()
        self._epochs = self.params.get("epochs")
        self._done, self._logs = 0, {}
        if self.stream is None and _in_notebook():
            from IPython.display import Pretty, display

            self._handle = display(Pretty("training..."), display_id=True)

    def _metrics(self):
        return "  ".join(f"{key} {value:.4f}" for key, value in self._logs.items())

    def on_epoch_end(self, epoch, logs=None):
        self._done, self._logs = epoch + 1, dict(logs or {})
        if self._done % self.every == 0 or self._done == self._epochs:
            self._show(f"epoch {self._done}/{self._epochs}  {self._metrics()}")

    def on_train_end(self, logs=None):
        seconds = time.perf_counter() - self._start
        self._show(f"trained {self._done} epochs in {seconds:.1f} s  {self._metrics()}", final=True)


def input_width(model):
    """Number of input features ``model`` expects, or ``None`` when it cannot tell yet.

    Works for functional models and for subclassed ones (which have no
    ``inputs`` attribute) that wrap a functional part, such as a VAE.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    int or None
    """
    try:
        inputs = model.inputs  # functional models; subclassed ones raise AttributeError (some versions ValueError)
    except (AttributeError, ValueError):
        inputs = None
    if inputs:
        return inputs[0].shape[-1]
    for layer in getattr(model, "layers", []):  # a subclassed model's first functional part
        if isinstance(layer, keras.Model):
            width = input_width(layer)
            if width is not None:
                return width
    return None


class CheckedInputs:
    """Mixin for a model class: ``fit`` and ``predict`` refuse a bad array in one line.

    Without it, data of the wrong width reaches Keras inside a traced
    function and fails with a message several lines long. Put it before
    ``keras.Model`` in the bases: ``class DEC(CheckedInputs, keras.Model)``.
    """

    def fit(self, x=None, y=None, **kwargs):
        return super().fit(check_model_input(self, x), y, **kwargs)

    def predict(self, x, **kwargs):
        return super().predict(check_model_input(self, x), **kwargs)


def check_model_input(model, x):
    """Return ``x`` unchanged, or raise a one-line error if it is an array ``model`` cannot take.

    Arrays (and lists) are checked for NaN/inf, rank and width; anything else
    (a ``tf.data.Dataset``, a ``PyDataset``) is passed through for Keras to handle.
    """
    if not isinstance(x, (np.ndarray, list)):
        return x
    checked = check_features(x, name="x", min_samples=1)
    expected = input_width(model)
    if expected is not None and checked.shape[1] != expected:
        raise ValueError(f"x has {checked.shape[1]} features but {model.name} expects {expected}")
    return x


def encode(encoder, X, batch_size=1024):
    """Return the encoder's output for ``X`` as a NumPy array.

    The same numbers as ``encoder.predict(X)``, without the tracing
    ``predict`` pays on every new model. The notebooks show ``predict``;
    the benchmark and other helpers use this.

    Parameters
    ----------
    encoder : keras.Model
        An encoder returned by a builder in :mod:`helpers.models`.
    X : array-like of shape (n_samples, n_features)
    batch_size : int, default=1024

    Returns
    -------
    numpy.ndarray of shape (n_samples, latent_dim)
        For models with several outputs (a VAE's encoder), the first one.
    """
    if not isinstance(encoder, keras.Model):
        raise TypeError(f"encoder must be a keras.Model; got {type(encoder).__name__}")
    X = check_features(X, min_samples=1).astype(np.float32)
    expected = input_width(encoder)
    if expected is not None and X.shape[1] != expected:
        raise ValueError(f"X has {X.shape[1]} features but the encoder expects {expected}")
    batch_size = check_int(batch_size, name="batch_size", minimum=1)
    # Calling the model directly, a chunk at a time, gives what predict() gives without
    # the tracing predict() pays on every new model (a noticeable share of a small notebook).
    chunks = []
    for start in range(0, len(X), batch_size):
        output = encoder(X[start : start + batch_size], training=False)
        if isinstance(output, (list, tuple)):
            output = output[0]
        chunks.append(keras.ops.convert_to_numpy(output))
    return np.concatenate(chunks)
