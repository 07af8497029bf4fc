"""Deep Embedded Clustering (DEC, Xie et al. 2016), trained with Keras' ``fit``.

DEC trains a network *for* clustering. Starting from a pretrained encoder and
KMeans centres in its latent space, it repeats two steps:

1. **Soft assignment.** Each latent point ``z_i`` belongs to cluster ``j``
   with a Student-t kernel (``alpha = 1``)::

       q_ij ∝ (1 + ||z_i - mu_j||^2 / alpha) ** (-(alpha + 1) / 2)

2. **Sharpened target.** ``p_ij ∝ q_ij^2 / f_j`` with ``f_j = sum_i q_ij``:
   confident assignments get more confident, and dividing by the cluster's
   soft size keeps large clusters from swallowing small ones.

The encoder and the centres then minimise ``KL(P || Q)``: :class:`DEC` is a
``keras.Model`` (encoder + :class:`ClusteringLayer`) compiled with
``loss="kld"`` and trained with ``fit(X, P, epochs=update_interval)``. ``P``
is held fixed for those epochs and recomputed, and training stops once fewer
than a fraction ``tol`` of the labels changed between two updates.
:func:`fit_dec` runs that loop with exactly these pieces.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.cluster import KMeans

from helpers import DEFAULT_SEED
from helpers._tensorflow import load_keras
from helpers._validation import check_features, check_float, check_int, check_seed
from helpers.training import CheckedInputs, input_width

keras = load_keras()
ops = keras.ops


def soft_assign(z, centres, alpha=1.0):
    """Student-t soft assignment of every point to every centre.

    Parameters
    ----------
    z : tensor or array of shape (n_samples, n_features)
        Latent points.
    centres : tensor or array of shape (n_clusters, n_features)
        Cluster centres.
    alpha : float, default=1.0
        Degrees of freedom of the Student-t kernel (DEC uses 1).

    Returns
    -------
    tensor of shape (n_samples, n_clusters)
        Positive, each row sums to 1.
    """
    squared = ops.sum(ops.square(ops.expand_dims(z, 1) - ops.expand_dims(centres, 0)), axis=-1)
    kernel = ops.power(1.0 + squared / alpha, -(alpha + 1.0) / 2.0)
    return kernel / ops.sum(kernel, axis=1, keepdims=True)


def target_distribution(q):
    """DEC's sharpened target: ``p_ij ∝ q_ij^2 / sum_i q_ij``, rows normalised.

    Parameters
    ----------
    q : array-like of shape (n_samples, n_clusters)
        Soft assignments (non-negative rows that sum to 1).

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_clusters)
        Rows sum to 1; each row's largest entry is at least as large as in ``q``.

    Raises
    ------
    TypeError, ValueError
        If ``q`` is not a 2-D array of non-negative finite numbers, or a
        cluster has zero total weight.
    """
    q = check_features(q, name="q", min_samples=1)
    if np.any(q < 0):
        raise ValueError("q must be non-negative (soft assignments)")
    frequency = q.sum(axis=0)
    if np.any(frequency <= 0):
        raise ValueError("q has a cluster with zero total weight; the target is undefined")
    weight = q**2 / frequency
    return weight / weight.sum(axis=1, keepdims=True)


@keras.saving.register_keras_serializable(package="helpers")
class ClusteringLayer(keras.layers.Layer):
    """Keras layer: latent points in, Student-t soft assignments out.

    The cluster centres are the layer's trainable weights, so DEC's gradient
    moves them together with the encoder.

    Parameters
    ----------
    n_clusters : int
        Number of clusters (at least 1).
    alpha : float, default=1.0
        Degrees of freedom of the Student-t kernel.
    initial_centres : array-like of shape (n_clusters, n_features), optional
        Starting centres (for example KMeans' centres); random otherwise.
    """

    def __init__(self, n_clusters, alpha=1.0, initial_centres=None, **kwargs):
        super().__init__(**kwargs)
        self.n_clusters = check_int(n_clusters, name="n_clusters", minimum=1)
        self.alpha = check_float(alpha, name="alpha", low=0.0, low_inclusive=False)
        if initial_centres is not None:
            initial_centres = check_features(initial_centres, name="initial_centres", min_samples=1)
            if initial_centres.shape[0] != self.n_clusters:
                raise ValueError(
                    f"initial_centres has {initial_centres.shape[0]} rows but n_clusters is {self.n_clusters}"
                )
            initial_centres = initial_centres.astype(np.float32)
        self.initial_centres = initial_centres

    def build(self, input_shape):
        n_features = int(input_shape[-1])
        if self.initial_centres is not None and self.initial_centres.shape[1] != n_features:
            raise ValueError(
                f"initial_centres has {self.initial_centres.shape[1]} features but the input has {n_features}"
            )
        initializer = (
            keras.initializers.Constant(self.initial_centres)
            if self.initial_centres is not None
            else "glorot_uniform"
        )
        self.centres = self.add_weight(shape=(self.n_clusters, n_features), initializer=initializer, name="centres")

    def call(self, z):
        return soft_assign(z, self.centres, self.alpha)

    def get_config(self):
        return {**super().get_config(), "n_clusters": self.n_clusters, "alpha": self.alpha}


def _first_output(outputs):
    """The encoder's latent code: its only output, or the first (``z_mean`` of a VAE encoder)."""
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


def _check_encoder(encoder, X, name="encoder"):
    """Raise a clear error unless ``encoder`` is a Keras model that accepts ``X``'s width."""
    if not isinstance(encoder, keras.Model):
        raise TypeError(f"{name} must be a keras.Model; got {type(encoder).__name__}")
    expected = input_width(encoder)
    if expected is not None and X.shape[1] != expected:
        raise ValueError(f"X has {X.shape[1]} features but the {name} expects {expected}")
    if expected is None:  # subclassed model: try it on two rows
        try:
            encoder(X[:2], training=False)
        except Exception as exc:
            raise ValueError(f"X has {X.shape[1]} features, which the {name} cannot take: {exc}") from exc


def _initial_centres(Z, n_clusters, init, random_state):
    if isinstance(init, str):
        if init != "kmeans":
            raise ValueError(f'init must be "kmeans" or an array of centres; got {init!r}')
        return KMeans(n_clusters, n_init=20, random_state=random_state).fit(Z).cluster_centers_
    centres = check_features(init, name="init", min_samples=1)
    if centres.shape != (n_clusters, Z.shape[1]):
        raise ValueError(f"init has shape {centres.shape}; expected (n_clusters, latent_dim) = {(n_clusters, Z.shape[1])}")
    return centres


class DEC(CheckedInputs, keras.Model):
    """DEC's network: an encoder followed by a :class:`ClusteringLayer`.

    ``model(x)`` (or ``model.predict(x)``) gives the soft assignments ``q``.
    Compile it with ``loss="kld"`` (Keras' ``KL(y_true || y_pred)``) and fit
    it on the target: ``model.fit(X, target_distribution(q), epochs=...)``.
    Gradients move the encoder's weights and the centres together.

    Parameters
    ----------
    encoder : keras.Model
        Pretrained encoder; **trained in place**. If it has several outputs
        (a VAE encoder's ``[z_mean, z_log_var]``) the first is the latent code.
    centres : array-like of shape (n_clusters, latent_dim)
        Starting centres, for example KMeans' ``cluster_centers_`` on the
        encoder's output.
    alpha : float, default=1.0
        Degrees of freedom of the Student-t kernel.
    """

    def __init__(self, encoder, centres, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.clustering = ClusteringLayer(len(centres), alpha, initial_centres=centres, name="clustering")

    def call(self, x, training=False):
        z = _first_output(self.encoder(x, training=training))
        return self.clustering(z)


class DECResult(NamedTuple):
    """What :func:`fit_dec` found.

    Attributes
    ----------
    labels : numpy.ndarray of shape (n_samples,)
        Hard cluster of each sample (``argmax`` of the soft assignment).
    probabilities : numpy.ndarray of shape (n_samples, n_clusters)
        Final soft assignments ``q``.
    history : list of dict
        One entry per target update: ``epoch`` (epochs trained so far),
        ``label_change_fraction`` (labels that changed since the previous
        update) and ``kl_loss`` (mean training loss over the interval).
    stopped_early : bool
        True if the label change fell below ``tol`` before ``max_epochs``.
    initial_labels : numpy.ndarray
        Labels of the initial centres, before any DEC step.
    centres : numpy.ndarray of shape (n_clusters, latent_dim)
        Final cluster centres in the latent space.
    model : DEC
        The trained model; ``predict`` gives ``q``.
    """

    labels: np.ndarray
    probabilities: np.ndarray
    history: list
    stopped_early: bool
    initial_labels: np.ndarray
    centres: np.ndarray
    model: object


def _check_fit_dec(encoder, X, n_clusters, random_state, update_interval, tol, max_epochs, batch_size, learning_rate):
    X = check_features(X, min_samples=2).astype(np.float32)
    _check_encoder(encoder, X)
    return (
        X,
        check_int(n_clusters, name="n_clusters", minimum=2, maximum=len(X)),
        check_seed(random_state),
        check_int(update_interval, name="update_interval", minimum=1),
        check_float(tol, name="tol", low=0.0, high=1.0),
        check_int(max_epochs, name="max_epochs", minimum=1),
        check_int(batch_size, name="batch_size", minimum=1, maximum=len(X)),
        check_float(learning_rate, name="learning_rate", low=0.0, low_inclusive=False),
    )


def fit_dec(
    encoder,
    X,
    n_clusters,
    *,
    random_state=DEFAULT_SEED,
    update_interval=1,
    tol=0.001,
    max_epochs=100,
    batch_size=256,
    learning_rate=1e-3,
    init="kmeans",
):
    """Refine a pretrained encoder for clustering with DEC.

    Builds a :class:`DEC` model, compiles it once (Adam, ``loss="kld"``) and
    alternates: target ``P`` from the current ``q``, ``fit`` for
    ``update_interval`` epochs, new ``q``; until fewer than ``tol`` of the
    labels change or ``max_epochs`` epochs have run.

    Parameters
    ----------
    encoder : keras.Model
        Pretrained encoder (inputs -> latent code, or ``[z_mean, ...]``).
        **Trained in place**: save its weights first if you need them again.
    X : array-like of shape (n_samples, n_features)
        The data, scaled as for pretraining.
    n_clusters : int
        Number of clusters (2 to ``n_samples``).
    random_state : int, default=42
        Seed of KMeans' initialisation. Weights and batch order follow the
        global seed (:func:`helpers.set_seed`).
    update_interval : int, default=1
        Epochs (passes over ``X``) between two target updates.
    tol : float, default=0.001
        Stop when fewer than this fraction of labels changed between updates.
    max_epochs : int, default=100
        Upper bound on the epochs trained (the last interval is cut short if needed).
    batch_size : int, default=256
    learning_rate : float, default=1e-3
        Adam's step size.
    init : "kmeans" or array-like of shape (n_clusters, latent_dim), default="kmeans"
        Initial centres: KMeans (20 restarts) on the encoder's output, or given.

    Returns
    -------
    DECResult

    Raises
    ------
    TypeError, ValueError
        On a non-model encoder, data the encoder cannot take, or bad parameters.
    """
    X, n_clusters, random_state, update_interval, tol, max_epochs, batch_size, learning_rate = _check_fit_dec(
        encoder, X, n_clusters, random_state, update_interval, tol, max_epochs, batch_size, learning_rate
    )
    Z = ops.convert_to_numpy(_first_output(encoder(X, training=False)))
    model = DEC(encoder, _initial_centres(Z, n_clusters, init, random_state))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="kld")

    q = model.predict(X, batch_size=len(X), verbose=0)
    labels = initial_labels = q.argmax(axis=1)
    history, epoch, stopped_early = [], 0, False
    while epoch < max_epochs and not stopped_early:
        epochs = min(update_interval, max_epochs - epoch)
        fitted = model.fit(X, target_distribution(q), epochs=epochs, batch_size=batch_size, verbose=0)
        epoch += epochs
        q = model.predict(X, batch_size=len(X), verbose=0)
        changed = float(np.mean(q.argmax(axis=1) != labels))
        labels = q.argmax(axis=1)
        history.append({"epoch": epoch, "label_change_fraction": changed, "kl_loss": float(np.mean(fitted.history["loss"]))})
        stopped_early = changed < tol
    centres = ops.convert_to_numpy(model.clustering.centres)
    return DECResult(labels.astype(np.int64), q, history, stopped_early, initial_labels.astype(np.int64), centres, model)
