"""The seed article's three examples, as published, defects included.

The series starts from a short article that clusters data "in the latent
space" of neural networks. Its code, run under today's Keras, has defects
that the notebooks fix and measure. These functions reproduce the code as
published, so the cost of each defect can be shown with real numbers:

- examples 1 and 3 call ``model.predict(X)``, which returns the
  *reconstructions*, not the latent code, and cluster unscaled data with
  fixed, hand-set parameters;
- example 1 puts a ``relu`` on the 2-D bottleneck;
- example 2's VAE adds its loss with symbolic ``model.add_loss``, which
  Keras 3 no longer supports, so it does not run.

Only the seed and the speed of training differ from the article: the same
optimiser, loss, batch size and number of passes over the data run with
less overhead, and every function takes a ``seed``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from sklearn.cluster import DBSCAN, OPTICS
from sklearn.datasets import make_blobs, make_moons
from sklearn.preprocessing import StandardScaler

from helpers._tensorflow import load_keras
from helpers._validation import check_seed

keras = load_keras()


class ArticleRun(NamedTuple):
    """What one run of an article example produced.

    Attributes
    ----------
    labels : numpy.ndarray
        The clustering the article's code returns (``-1`` is noise).
    y : numpy.ndarray
        The true labels, for scoring.
    model : keras.Sequential
        The trained model, to inspect (for example its bottleneck).
    X : numpy.ndarray
        The (unscaled) data the article trains on.
    """

    labels: np.ndarray
    y: np.ndarray
    model: keras.Model
    X: np.ndarray


def _train_as_published(model, X, epochs):
    """``compile("adam", "mse")`` and ``fit(X, X, epochs)``, batch size 32.

    The same updates as the article's ``fit``; the whole run is one Keras
    "epoch" over a reshuffled stream, because the article plots no loss
    curve and Keras' per-epoch set-up would otherwise dominate the time.
    """
    import tensorflow as tf

    batches_per_pass = math.ceil(len(X) / 32)
    model.compile(optimizer="adam", loss="mse", steps_per_execution=batches_per_pass)
    X = X.astype(np.float32)
    # One endless stream, reshuffled on every pass in the order TensorFlow's global seed gives (which
    # helpers.set_seed sets), instead of the new iterator Keras builds for NumPy input at every epoch.
    batches = tf.data.Dataset.from_tensor_slices((X, X)).shuffle(len(X), reshuffle_each_iteration=True)
    model.fit(batches.batch(32).repeat(), epochs=1, steps_per_epoch=epochs * batches_per_pass, verbose=0,
              shuffle=False)
    return model


def example_1(seed=0, *, scaled=False, bottleneck="relu"):
    """Article example 1: autoencoder + DBSCAN on 10-D blobs, as published.

    The keyword arguments undo one of the article's choices at a time, so
    the cost of each can be measured alone; their defaults are the article's.
    (The other two choices, clustering reconstructions and ``eps=0.5``, can
    be varied on the returned model without training again.)

    Parameters
    ----------
    seed : int, default=0
        Seed for weight initialisation and shuffling (the article sets none).
    scaled : bool, default=False
        Standardise the features before training (the article does not).
    bottleneck : {"relu", "linear"}, default="relu"
        Activation of the 2-unit bottleneck.

    Returns
    -------
    ArticleRun
        ``labels`` are DBSCAN's labels of the *reconstructions*; ``X`` is
        the data the model was trained on (scaled if ``scaled=True``).
    """
    seed = check_seed(seed, name="seed")
    if bottleneck not in ("relu", "linear"):
        raise ValueError(f"bottleneck must be 'relu' or 'linear'; got {bottleneck!r}")
    X, y = make_blobs(n_samples=500, centers=3, n_features=10, random_state=42)
    if scaled:
        X = StandardScaler().fit_transform(X)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(10,)),
            keras.layers.Dense(5, activation="relu"),
            keras.layers.Dense(2, activation=bottleneck),  # bottleneck (latent space)
            keras.layers.Dense(5, activation="relu"),
            keras.layers.Dense(10, activation="linear"),
        ]
    )
    _train_as_published(model, X, epochs=100)
    latent_space = model.predict(X, verbose=0)  # the defect: these are reconstructions
    labels = DBSCAN(eps=0.5, min_samples=5).fit_predict(latent_space)
    return ArticleRun(labels, y, model, X)


def example_3(seed=0):
    """Article example 3: deep autoencoder + OPTICS on two moons, as published.

    Parameters
    ----------
    seed : int, default=0
        Seed for weight initialisation and shuffling (the article sets none).

    Returns
    -------
    ArticleRun
        ``labels`` are OPTICS' labels of the *reconstructions*.
    """
    seed = check_seed(seed, name="seed")
    X, y = make_moons(n_samples=500, noise=0.1, random_state=42)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(2, activation="tanh"),  # latent space
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(2, activation="linear"),
        ]
    )
    _train_as_published(model, X, epochs=200)
    latent_space = model.predict(X, verbose=0)  # the defect: these are reconstructions
    labels = OPTICS(min_samples=5, xi=0.05, min_cluster_size=0.1).fit_predict(latent_space)
    return ArticleRun(labels, y, model, X)


def example_2_error():
    """Try to build article example 2's VAE and return the error Keras 3 raises.

    The article builds the VAE's loss from symbolic tensors with TensorFlow
    ops and ``vae.add_loss``; Keras 3 rejects TensorFlow ops on symbolic
    ``KerasTensor`` inputs (and a functional model's ``add_loss`` would
    refuse the symbolic loss next).

    Returns
    -------
    str or None
        ``"<ExceptionType>: <message>"`` with the whole message Keras gives,
        over several lines (for the ``KerasTensor`` error: what went wrong,
        the likely mistake and the fix), only without the stack trace; or
        ``None`` if the code ran, which would mean Keras accepted it again.
    """
    import tensorflow as tf

    latent_dim = 2
    encoder_inputs = keras.Input(shape=(10,))
    x = keras.layers.Dense(64, activation="relu")(encoder_inputs)
    z_mean = keras.layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = keras.layers.Dense(latent_dim, name="z_log_var")(x)

    def sampling(args):
        z_mean, z_log_var = args
        epsilon = tf.random.normal(shape=(tf.shape(z_mean)[0], latent_dim))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon

    try:
        z = keras.layers.Lambda(sampling, name="z")([z_mean, z_log_var])
        encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")
        latent_inputs = keras.Input(shape=(latent_dim,))
        x = keras.layers.Dense(64, activation="relu")(latent_inputs)
        decoder_outputs = keras.layers.Dense(10, activation="linear")(x)
        decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")
        vae = keras.Model(encoder_inputs, decoder(encoder(encoder_inputs)[2]), name="vae")
        reconstruction_loss = tf.reduce_mean(tf.reduce_sum(tf.square(encoder_inputs - vae.output), axis=-1))
        kl_loss = -0.5 * tf.reduce_mean(
            tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), axis=-1)
        )
        vae.add_loss(kl_loss + reconstruction_loss)
    except Exception as exc:  # the point of this function is to report it
        return _error_text(exc)
    return None


def _error_text(exc):
    """``"<ExceptionType>: <message>"``: the exception's whole message, without the stack trace.

    An exception raised without a message (Keras 3's functional
    ``Model.add_loss`` raises a bare ``NotImplementedError``) is described
    by the function that raised it, so the text never ends empty.
    """
    message = str(exc).strip()
    if not message:
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:  # the innermost frame is the one that raised
            tb = tb.tb_next
        code = tb.tb_frame.f_code if tb is not None else None
        where = f" by {getattr(code, 'co_qualname', code.co_name)}()" if code is not None else ""
        message = f"raised without a message{where}"
    return f"{type(exc).__name__}: {message}"
