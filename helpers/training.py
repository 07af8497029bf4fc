"""Training with a compact, self-updating progress line.

Keras' default progress bar prints one line per epoch; in a notebook that is
hundreds of lines of committed output. :class:`CompactProgress` shows a single
line that updates in place while the cell runs and leaves only the last
state behind.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from helpers._tensorflow import load_keras
from helpers._validation import check_features, check_float, check_int

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


def train(
    model,
    X,
    target="reconstruct",
    *,
    epochs=40,
    batch_size=16,
    learning_rate=1e-3,
    loss="mse",
    progress=True,
):
    """Compile and fit ``model`` on ``X`` with Adam, quickly and quietly.

    Parameters
    ----------
    model : keras.Model
        The model to train (for an autoencoder, the full autoencoder).
    X : array-like of shape (n_samples, n_features)
        Training inputs (already scaled).
    target : "reconstruct", array-like or None, default="reconstruct"
        What the model should output: ``"reconstruct"`` trains on ``(X, X)``
        (an autoencoder); an array gives explicit targets; ``None`` means the
        model computes its own loss (for example a VAE).
    epochs : int, default=40
        Passes over the data.
    batch_size : int, default=16
        Samples per gradient step.
    learning_rate : float, default=1e-3
        Adam's step size.
    loss : str or callable or None, default="mse"
        Loss passed to ``compile``; ignored when ``target`` is ``None``.
    progress : bool, default=True
        Show a :class:`CompactProgress` line while training.

    Returns
    -------
    keras.callbacks.History
        ``history.history`` holds one list per logged loss; plot it with
        :func:`helpers.plotting.plot_history`.

    Notes
    -----
    Two settings make small models several times faster on a CPU without
    changing what is learned: the data stream is built once for the whole
    fit (and reshuffled on every pass), and ``steps_per_execution`` equals
    the batches in an epoch, so TensorFlow is called once per epoch instead
    of once per batch. Weights and shuffling follow the global seed, so call
    :func:`helpers.set_seed` first.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    X = check_features(X, min_samples=2).astype(np.float32)
    epochs = check_int(epochs, name="epochs", minimum=1)
    batch_size = check_int(batch_size, name="batch_size", minimum=1)
    learning_rate = check_float(learning_rate, name="learning_rate", low=0.0, low_inclusive=False)
    if isinstance(target, str):
        if target != "reconstruct":
            raise ValueError(f'target must be "reconstruct", an array or None; got {target!r}')
        y, compile_loss = X, loss
    elif target is None:
        y, compile_loss = None, None
    else:
        rank = np.ndim(target)
        if rank not in (1, 2):
            raise ValueError(f"target must be a 1-D or 2-D array; got {rank}-D")
        y = check_features(target, name="target", min_samples=1, ndim=rank)
        if len(y) != len(X):
            raise ValueError(f"target has {len(y)} rows but X has {len(X)}")
        y, compile_loss = y.astype(np.float32), loss
    if batch_size > len(X):
        raise ValueError(f"batch_size ({batch_size}) is larger than the number of samples ({len(X)})")

    steps_per_epoch = math.ceil(len(X) / batch_size)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=compile_loss,
        steps_per_execution=steps_per_epoch,
    )
    callbacks = [CompactProgress()] if progress else []
    return model.fit(
        shuffled_batches(X, y, batch_size),
        epochs=epochs,
        steps_per_epoch=steps_per_epoch,
        verbose=0,
        callbacks=callbacks,
        shuffle=False,  # the stream shuffles itself
    )


def shuffled_batches(X, y, batch_size):
    """An endless stream of batches, reshuffled on every pass over the data.

    Parameters
    ----------
    X : numpy.ndarray of shape (n_samples, n_features)
    y : numpy.ndarray or None
        Targets, or ``None`` for models that compute their own loss.
    batch_size : int

    Returns
    -------
    tf.data.Dataset

    One stream for the whole fit, instead of the new iterator Keras builds
    for NumPy input at every epoch: that per-epoch set-up, not the maths,
    dominates the time of small models. The order of the shuffles follows
    TensorFlow's global seed, which :func:`helpers.set_seed` sets.
    """
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices(X if y is None else (X, y))
    return dataset.shuffle(len(X), reshuffle_each_iteration=True).batch(batch_size).repeat()


def encode(encoder, X, batch_size=1024):
    """Return the encoder's output for ``X`` as a NumPy array.

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
    expected = encoder.inputs[0].shape[-1] if encoder.inputs else None
    if expected is not None and X.shape[1] != expected:
        raise ValueError(f"X has {X.shape[1]} features but the encoder expects {expected}")
    batch_size = check_int(batch_size, name="batch_size", minimum=1)
    output = encoder.predict(X, batch_size=batch_size, verbose=0)
    if isinstance(output, (list, tuple)):
        output = output[0]
    return np.asarray(output)
