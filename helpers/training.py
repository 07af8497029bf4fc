"""Training small Keras models fast, with a compact, self-updating progress line.

:func:`train` runs the loop ``model.fit`` would run, but compiles a whole
pass over the data into one TensorFlow function, which is what makes the
small networks of this series train in a second or two on a CPU.

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
    """Train ``model`` on ``X`` with Adam, quickly and quietly.

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
        Samples per gradient step (the last step of a pass takes what is left).
    learning_rate : float, default=1e-3
        Adam's step size.
    loss : str or callable, default="mse"
        A Keras loss (``"mse"``, ``"mae"``, a ``keras.losses.Loss`` or a
        function of ``(y_true, y_pred)``); ignored when ``target`` is ``None``.
    progress : bool, default=True
        Show a :class:`CompactProgress` line while training.

    Returns
    -------
    keras.callbacks.History
        ``history.history`` holds one list per logged loss, averaged over
        each epoch; plot it with :func:`helpers.plotting.plot_history`.
        It always has ``"loss"``; a model that tracks more (a VAE's
        ``reconstruction_loss`` and ``kl_loss``) adds its own entries.

    Raises
    ------
    TypeError, ValueError
        For bad data or parameters, and when ``target=None`` is given a
        model that adds no loss of its own.

    Notes
    -----
    This is the loop ``model.fit`` runs (forward pass, loss, gradients,
    Adam step), written out so that one pass over the data is a single
    compiled TensorFlow function: the shuffling, batching and all the
    steps of an epoch happen inside it. For the small models of this
    series that is two to three times faster than ``fit``, whose time goes
    into per-step bookkeeping rather than arithmetic. With ``target=None``
    the loss is the model's ``compute_loss`` (which by default sums the
    terms the model adds with ``add_loss``). A model that overrides the
    ``metrics`` property has those metrics logged too.

    Weights and shuffling follow the global seed, so call
    :func:`helpers.set_seed` first. The model is not compiled; compile it
    yourself before calling ``model.fit`` or ``model.evaluate``.
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
        y = X
    elif target is None:
        y = None
    else:
        rank = np.ndim(target)
        if rank not in (1, 2):
            raise ValueError(f"target must be a 1-D or 2-D array; got {rank}-D")
        y = check_features(target, name="target", min_samples=1, ndim=rank)
        if len(y) != len(X):
            raise ValueError(f"target has {len(y)} rows but X has {len(X)}")
        y = y.astype(np.float32)
    if batch_size > len(X):
        raise ValueError(f"batch_size ({batch_size}) is larger than the number of samples ({len(X)})")
    loss_function = None if y is None else _loss_function(loss)

    run_epoch = _epoch_function(model, X, y, batch_size, loss_function, keras.optimizers.Adam(learning_rate))
    history = keras.callbacks.History()
    callbacks = keras.callbacks.CallbackList(
        [history, CompactProgress()] if progress else [history],
        model=model,
        epochs=epochs,
        verbose=0,
    )
    callbacks.on_train_begin()
    logs = {}
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        try:
            logs = {name: float(value) for name, value in run_epoch().items()}
        except ValueError as error:
            if y is None and "No loss to compute" in str(error):
                raise ValueError(
                    "target=None needs a model that computes its own loss (such as build_vae's VAE, "
                    "or layers that call add_loss); this model adds none. "
                    'For an autoencoder use target="reconstruct".'
                ) from None
            raise
        callbacks.on_epoch_end(epoch, logs)
    callbacks.on_train_end(logs)
    return history


def _loss_function(loss):
    """Return ``loss`` as a function of ``(y_true, y_pred)`` giving one number per batch."""
    try:
        function = keras.losses.get(loss)
    except (ValueError, TypeError):
        function = None
    if function is None or not callable(function):
        raise ValueError(f'loss must be a Keras loss name such as "mse", or a callable; got {loss!r}')
    return lambda y_true, y_pred: keras.ops.mean(function(y_true, y_pred))


def _epoch_function(model, X, y, batch_size, loss_function, optimizer):
    """Build a compiled function that runs one shuffled pass over ``(X, y)`` and returns its mean losses.

    Everything of an epoch, the shuffle included, runs inside one
    ``tf.function``, so Python is visited once per epoch, not once per
    batch. The data live in the graph as constants; a batch is a gather
    of shuffled row indices.
    """
    import tensorflow as tf

    n_samples = len(X)
    steps = math.ceil(n_samples / batch_size)
    inputs = tf.constant(X)
    targets = None if y is None else tf.constant(y)
    variables = model.trainable_variables
    optimizer.build(variables)
    shuffle_seed = keras.random.SeedGenerator()  # drawn from the global seed; advances every epoch
    # Trackers a model defines itself (a VAE's reconstruction and KL losses) are logged too.
    own_metrics = list(model.metrics) if type(model).metrics is not keras.Model.metrics else []

    @tf.function
    def run_steps():
        order = keras.random.shuffle(tf.range(n_samples), seed=shuffle_seed)
        weighted_sum = tf.constant(0.0)
        for step in tf.range(steps):
            batch = order[step * batch_size : (step + 1) * batch_size]
            x = tf.gather(inputs, batch)
            with tf.GradientTape() as tape:
                prediction = model(x, training=True)
                if targets is None:
                    loss = model.compute_loss(x=x, y=None, y_pred=prediction, training=True)
                else:
                    loss = loss_function(tf.gather(targets, batch), prediction)
                    if model.losses:  # weight regularisers and add_loss terms, as fit adds them
                        loss += tf.add_n(model.losses)
            optimizer.apply(tape.gradient(loss, variables), variables)
            weighted_sum += loss * tf.cast(tf.shape(batch)[0], tf.float32)
        return weighted_sum / n_samples

    def run_epoch():
        for metric in own_metrics:
            metric.reset_state()  # here, not in the graph, where the reset could race the first update
        logs = {"loss": run_steps()}
        logs.update({metric.name: metric.result() for metric in own_metrics})  # a model's own "loss" wins
        return logs

    return run_epoch


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
    # Calling the model directly, a chunk at a time, gives what predict() gives without
    # the tracing predict() pays on every new model (a noticeable share of a small notebook).
    chunks = []
    for start in range(0, len(X), batch_size):
        output = encoder(X[start : start + batch_size], training=False)
        if isinstance(output, (list, tuple)):
            output = output[0]
        chunks.append(keras.ops.convert_to_numpy(output))
    return np.concatenate(chunks)
