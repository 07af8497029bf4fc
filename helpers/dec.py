"""Deep Embedded Clustering (DEC, Xie et al. 2016) and its IDEC variant.

DEC trains a network *for* clustering. Starting from a pretrained encoder and
KMeans centres in its latent space, it repeats two steps:

1. **Soft assignment.** Each latent point ``z_i`` belongs to cluster ``j``
   with a Student-t kernel (``alpha = 1``)::

       q_ij ∝ (1 + ||z_i - mu_j||^2 / alpha) ** (-(alpha + 1) / 2)

2. **Sharpened target.** ``p_ij ∝ q_ij^2 / f_j`` with ``f_j = sum_i q_ij``:
   confident assignments get more confident, and dividing by the cluster's
   soft size keeps large clusters from swallowing small ones.

The encoder and the centres then minimise ``KL(P || Q)``; ``P`` is held fixed
for ``update_interval`` steps and recomputed, and training stops once fewer
than a fraction ``tol`` of the labels changed between two updates.
IDEC (Guo et al. 2017) also keeps the autoencoder's reconstruction loss, so
the latent space cannot drift away from what describes the data.

The maths is written with :mod:`keras.ops`; the loop between two target
updates runs as one compiled TensorFlow function, which keeps a few hundred
small steps to a few seconds on a CPU.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.cluster import KMeans

from helpers import DEFAULT_SEED
from helpers._tensorflow import load_keras
from helpers._validation import check_features, check_float, check_int, check_seed

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


class DECResult(NamedTuple):
    """What :func:`fit_dec` found.

    Attributes
    ----------
    labels : numpy.ndarray of shape (n_samples,)
        Hard cluster of each sample (``argmax`` of the soft assignment).
    probabilities : numpy.ndarray of shape (n_samples, n_clusters)
        Final soft assignments ``q``.
    history : list of dict
        One entry per target update: ``iteration`` (gradient steps so far),
        ``label_change_fraction`` (labels that changed since the previous
        update), ``kl_loss`` (mean over the interval) and, for IDEC,
        ``reconstruction_loss``.
    stopped_early : bool
        True if the label change fell below ``tol`` before ``max_iterations``.
    initial_labels : numpy.ndarray
        Labels of the initial centres, before any DEC step.
    centres : numpy.ndarray of shape (n_clusters, n_features)
        Final cluster centres in the latent space.
    model : keras.Model
        Encoder followed by the :class:`ClusteringLayer`; ``predict`` gives ``q``.
    """

    labels: np.ndarray
    probabilities: np.ndarray
    history: list
    stopped_early: bool
    initial_labels: np.ndarray
    centres: np.ndarray
    model: object


def _check_encoder(encoder, X):
    if not isinstance(encoder, keras.Model):
        raise TypeError(f"encoder must be a keras.Model; got {type(encoder).__name__}")
    expected = encoder.inputs[0].shape[-1] if encoder.inputs else None
    if expected is not None and X.shape[1] != expected:
        raise ValueError(f"X has {X.shape[1]} features but the encoder expects {expected}")


def _initial_centres(Z, n_clusters, init, random_state):
    if isinstance(init, str):
        if init != "kmeans":
            raise ValueError(f'init must be "kmeans" or an array of centres; got {init!r}')
        return KMeans(n_clusters, n_init=20, random_state=random_state).fit(Z).cluster_centers_
    centres = check_features(init, name="init", min_samples=1)
    if centres.shape != (n_clusters, Z.shape[1]):
        raise ValueError(f"init has shape {centres.shape}; expected (n_clusters, latent_dim) = {(n_clusters, Z.shape[1])}")
    return centres


def fit_dec(
    encoder,
    X,
    n_clusters,
    *,
    random_state=DEFAULT_SEED,
    update_interval=8,
    tol=0.001,
    max_iterations=800,
    batch_size=256,
    learning_rate=1e-3,
    reconstruction_weight=0.0,
    autoencoder=None,
    init="kmeans",
):
    """Refine a pretrained encoder for clustering with DEC (or IDEC).

    Parameters
    ----------
    encoder : keras.Model
        Pretrained encoder (inputs -> latent code). **Trained in place**: save
        its weights first if you need the pretrained version again.
    X : array-like of shape (n_samples, n_features)
        The data, scaled as for pretraining.
    n_clusters : int
        Number of clusters (2 to ``n_samples``).
    random_state : int, default=42
        Seed of KMeans' initialisation and of the batch order.
    update_interval : int, default=8
        Gradient steps between two target updates (8 = one pass over 1797
        samples in batches of 256).
    tol : float, default=0.001
        Stop when fewer than this fraction of labels changed between updates.
    max_iterations : int, default=800
        Upper bound on gradient steps.
    batch_size : int, default=256
    learning_rate : float, default=1e-3
        Adam's step size.
    reconstruction_weight : float, default=0.0
        0 gives DEC. A positive value gives IDEC: the loss becomes
        ``reconstruction_weight * MSE + KL`` (the IDEC paper's ``L_r + gamma L_c``
        with ``gamma = 1 / reconstruction_weight``, up to the step size) and
        needs ``autoencoder``.
    autoencoder : keras.Model, optional
        The autoencoder whose encoder is ``encoder`` (shared layers), for IDEC.
    init : "kmeans" or array-like of shape (n_clusters, latent_dim), default="kmeans"
        Initial centres: KMeans (20 restarts) on the encoder's output, or given.

    Returns
    -------
    DECResult

    Raises
    ------
    TypeError, ValueError
        On a non-model encoder, bad data, bad parameters, or IDEC without
        an autoencoder.
    """
    import tensorflow as tf

    X = check_features(X, min_samples=2).astype(np.float32)
    _check_encoder(encoder, X)
    n_samples = len(X)
    n_clusters = check_int(n_clusters, name="n_clusters", minimum=2, maximum=n_samples)
    random_state = check_seed(random_state)
    update_interval = check_int(update_interval, name="update_interval", minimum=1)
    tol = check_float(tol, name="tol", low=0.0, high=1.0)
    max_iterations = check_int(max_iterations, name="max_iterations", minimum=1)
    batch_size = check_int(batch_size, name="batch_size", minimum=1, maximum=n_samples)
    learning_rate = check_float(learning_rate, name="learning_rate", low=0.0, low_inclusive=False)
    reconstruction_weight = check_float(reconstruction_weight, name="reconstruction_weight", low=0.0)
    if reconstruction_weight > 0:
        if not isinstance(autoencoder, keras.Model):
            raise TypeError("IDEC (reconstruction_weight > 0) needs autoencoder=<the keras.Model sharing the encoder>")
        if autoencoder.outputs[0].shape[-1] != X.shape[1]:
            raise ValueError(f"autoencoder outputs {autoencoder.outputs[0].shape[-1]} features but X has {X.shape[1]}")

    Z = ops.convert_to_numpy(encoder(X, training=False))  # one call: no predict() loop to trace
    centres0 = _initial_centres(Z, n_clusters, init, random_state)
    layer = ClusteringLayer(n_clusters, initial_centres=centres0, name="clustering")
    inputs = keras.Input(shape=(X.shape[1],))
    model = keras.Model(inputs, layer(encoder(inputs)), name="dec")

    optimizer = keras.optimizers.Adam(learning_rate)
    variables = list(encoder.trainable_variables) + [layer.centres]
    if reconstruction_weight > 0:
        known = {id(v) for v in variables}
        variables += [v for v in autoencoder.trainable_variables if id(v) not in known]
    data = tf.constant(X)
    steps_per_epoch = -(-n_samples // batch_size)

    @tf.function
    def soft_assignments():
        return model(data, training=False)

    @tf.function
    def train_interval(target, first_step):
        # ``first_step`` is a tensor, so this function is traced once, not once per update.
        kl_sum = tf.constant(0.0)
        rec_sum = tf.constant(0.0)
        for step in tf.range(first_step, first_step + update_interval):
            epoch = step // steps_per_epoch
            start = (step % steps_per_epoch) * batch_size
            order = tf.argsort(tf.random.stateless_uniform([n_samples], seed=tf.stack([epoch, random_state])))
            batch = order[start : start + batch_size]
            x, p = tf.gather(data, batch), tf.gather(target, batch)
            with tf.GradientTape() as tape:
                q = layer(encoder(x, training=True))
                kl = ops.mean(ops.sum(p * ops.log(p / q), axis=1))
                loss = kl
                rec = tf.constant(0.0)
                if reconstruction_weight > 0:
                    rec = ops.mean(ops.square(autoencoder(x, training=True) - x))
                    loss = kl + reconstruction_weight * rec
            optimizer.apply(tape.gradient(loss, variables), variables)
            kl_sum += kl
            rec_sum += rec
        return kl_sum / update_interval, rec_sum / update_interval

    q = soft_assignments().numpy()
    labels = initial_labels = q.argmax(axis=1)
    history, iteration, stopped_early = [], 0, False
    while iteration < max_iterations:
        kl, rec = train_interval(tf.constant(target_distribution(q), dtype=tf.float32), tf.constant(iteration))
        iteration += update_interval
        q = soft_assignments().numpy()
        new_labels = q.argmax(axis=1)
        entry = {
            "iteration": iteration,
            "label_change_fraction": float(np.mean(new_labels != labels)),
            "kl_loss": float(kl),
        }
        if reconstruction_weight > 0:
            entry["reconstruction_loss"] = float(rec)
        history.append(entry)
        labels = new_labels
        if entry["label_change_fraction"] < tol:
            stopped_early = True
            break
    return DECResult(
        labels.astype(np.int64),
        q,
        history,
        stopped_early,
        initial_labels.astype(np.int64),
        np.asarray(layer.centres.numpy()),
        model,
    )
