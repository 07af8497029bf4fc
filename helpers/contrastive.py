"""A representation trained for clustering: neighbour-contrastive embedding + SCAN head.

An autoencoder learns to *rebuild* its input, which is not the same as
putting similar samples together. Here the network is trained for the
clustering directly, from one assumption that holds on the digits: a
sample's few nearest neighbours in pixel space almost always show the same
digit.

1. :func:`train_neighbour_contrastive` ("NCE"): each sample and one of its
   ``k`` nearest neighbours must be more similar (cosine, on the unit
   sphere) than the sample and every other sample in the batch: the InfoNCE
   loss of contrastive learning (van den Oord et al. 2018; Chen et al. 2020),
   with neighbours in place of image augmentations.
2. :func:`fit_scan_head`: a softmax head, started from KMeans centres on the
   embedding, fine-tuned together with the encoder so that neighbours get the
   same cluster while all clusters stay in use (the SCAN loss of
   Van Gansbeke et al. 2020).

The maths is written with :mod:`keras.ops`; each training runs as one
compiled TensorFlow function, so it takes seconds on a CPU.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.neighbors import NearestNeighbors

from helpers import DEFAULT_SEED
from helpers._tensorflow import load_keras
from helpers._validation import check_features, check_float, check_int, check_seed

keras = load_keras()
ops = keras.ops


def nearest_neighbours(X, k=5):
    """Indices of each sample's ``k`` nearest neighbours (Euclidean), itself excluded.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    k : int, default=5
        Neighbours per sample (1 to ``n_samples - 1``).

    Returns
    -------
    numpy.ndarray of shape (n_samples, k), int32
        Row ``i`` lists the neighbours of sample ``i``, nearest first.
    """
    X = check_features(X, min_samples=2)
    k = check_int(k, name="k", minimum=1, maximum=len(X) - 1)
    _, indices = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X)
    # Drop each sample's own index (usually the first column; duplicates can move it).
    own = np.arange(len(X))[:, None]
    rows = [row[row != i][:k] for row, i in zip(indices, own[:, 0])]
    return np.asarray(rows, dtype=np.int32)


def build_contrastive_encoder(input_dim, hidden_units=(256, 128), embedding_dim=16, *, name="nce_encoder"):
    """An MLP whose output lies on the unit sphere (for cosine similarities).

    Parameters
    ----------
    input_dim : int
    hidden_units : sequence of int, default=(256, 128)
        ReLU hidden layers.
    embedding_dim : int, default=16
    name : str, default="nce_encoder"

    Returns
    -------
    keras.Model
        ``input_dim`` -> hidden layers -> linear ``embedding_dim`` -> unit length.
    """
    input_dim = check_int(input_dim, name="input_dim", minimum=1)
    embedding_dim = check_int(embedding_dim, name="embedding_dim", minimum=1)
    try:
        hidden_units = tuple(check_int(u, name=f"hidden_units[{i}]", minimum=1) for i, u in enumerate(hidden_units))
    except TypeError as exc:
        raise TypeError(f"hidden_units must be a sequence of positive integers; got {hidden_units!r}") from exc
    inputs = keras.Input(shape=(input_dim,), name="features")
    x = inputs
    for i, units in enumerate(hidden_units):
        x = keras.layers.Dense(units, activation="relu", name=f"hidden_{i}")(x)
    x = keras.layers.Dense(embedding_dim, name="embedding")(x)
    outputs = keras.layers.UnitNormalization(name="unit_length")(x)
    return keras.Model(inputs, outputs, name=name)


def _check_inputs(model, X, neighbours, name="encoder"):
    X = check_features(X, min_samples=2).astype(np.float32)
    if not isinstance(model, keras.Model):
        raise TypeError(f"{name} must be a keras.Model; got {type(model).__name__}")
    expected = model.inputs[0].shape[-1] if model.inputs else None
    if expected is not None and X.shape[1] != expected:
        raise ValueError(f"X has {X.shape[1]} features but the {name} expects {expected}")
    neighbours = np.asarray(neighbours)
    if neighbours.ndim != 2 or neighbours.shape[0] != len(X) or neighbours.shape[1] < 1:
        raise ValueError(f"neighbours must have shape (n_samples, k) = ({len(X)}, k); got {neighbours.shape}")
    if not np.issubdtype(neighbours.dtype, np.integer):
        raise TypeError(f"neighbours must be integer indices; got dtype {neighbours.dtype}")
    if neighbours.min() < 0 or neighbours.max() >= len(X):
        raise ValueError(f"neighbours must be indices in [0, {len(X) - 1}]")
    return X, neighbours.astype(np.int32)


def _random_neighbour(tf, neighbour_table, batch, seed):
    """One of each batch sample's neighbours, drawn afresh at every step."""
    column = tf.random.stateless_uniform(tf.shape(batch), seed, 0, neighbour_table.shape[1], dtype=tf.int32)
    return tf.gather_nd(neighbour_table, tf.stack([batch, column], axis=1))


def info_nce_loss(anchors, positives, temperature=0.5):
    """Symmetric InfoNCE: row ``i`` of ``anchors`` must match row ``i`` of ``positives``.

    Parameters
    ----------
    anchors, positives : tensor of shape (batch, dim)
        Unit-length embeddings of the samples and of one neighbour each.
    temperature : float, default=0.5
        Divides the cosine similarities; smaller is sharper.

    Returns
    -------
    scalar tensor
        Mean cross-entropy of picking the right partner among the batch, both ways.
    """
    logits = ops.matmul(anchors, ops.transpose(positives)) / temperature
    targets = ops.arange(ops.shape(logits)[0])
    forward = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    backward = keras.losses.sparse_categorical_crossentropy(targets, ops.transpose(logits), from_logits=True)
    return 0.5 * (ops.mean(forward) + ops.mean(backward))


def train_neighbour_contrastive(
    encoder,
    X,
    neighbours,
    *,
    epochs=50,
    batch_size=256,
    learning_rate=1e-3,
    temperature=0.5,
    random_state=DEFAULT_SEED,
):
    """Train ``encoder`` so each sample lies close to its nearest neighbours.

    Every step draws a batch of samples and, for each, one random neighbour
    from ``neighbours``; the other samples of the batch serve as negatives
    (:func:`info_nce_loss`). The last, partial batch of an epoch is dropped.

    Parameters
    ----------
    encoder : keras.Model
        Typically from :func:`build_contrastive_encoder`; trained in place.
    X : array-like of shape (n_samples, n_features)
    neighbours : array-like of int, shape (n_samples, k)
        From :func:`nearest_neighbours`.
    epochs : int, default=50
    batch_size : int, default=256
        Also the number of candidates each sample must pick its neighbour from.
    learning_rate : float, default=1e-3
        Adam's step size.
    temperature : float, default=0.5
    random_state : int, default=42
        Seed of the batch order and of the neighbour draws.

    Returns
    -------
    dict
        ``{"loss": [mean loss of every epoch]}``, for :func:`helpers.plotting.plot_history`.
    """
    import tensorflow as tf

    X, neighbours = _check_inputs(encoder, X, neighbours)
    epochs = check_int(epochs, name="epochs", minimum=1)
    batch_size = check_int(batch_size, name="batch_size", minimum=2, maximum=len(X))
    learning_rate = check_float(learning_rate, name="learning_rate", low=0.0, low_inclusive=False)
    temperature = check_float(temperature, name="temperature", low=0.0, low_inclusive=False)
    random_state = check_seed(random_state)

    optimizer = keras.optimizers.Adam(learning_rate)
    data, table, n = tf.constant(X), tf.constant(neighbours), len(X)
    variables = encoder.trainable_variables
    steps = n // batch_size

    @tf.function
    def run():
        losses = tf.TensorArray(tf.float32, size=epochs)
        for epoch in tf.range(epochs):
            order = tf.argsort(tf.random.stateless_uniform([n], seed=tf.stack([epoch, random_state])))
            total = tf.constant(0.0)
            for step in tf.range(steps):
                batch = order[step * batch_size : (step + 1) * batch_size]
                partner = _random_neighbour(tf, table, batch, tf.stack([epoch * 10000 + step, random_state + 7]))
                with tf.GradientTape() as tape:
                    loss = info_nce_loss(
                        encoder(tf.gather(data, batch), training=True),
                        encoder(tf.gather(data, partner), training=True),
                        temperature,
                    )
                optimizer.apply(tape.gradient(loss, variables), variables)
                total += loss
            losses = losses.write(epoch, total / tf.cast(steps, tf.float32))
        return losses.stack()

    return {"loss": [float(v) for v in run().numpy()]}


class ScanResult(NamedTuple):
    """What :func:`fit_scan_head` found.

    Attributes
    ----------
    labels : numpy.ndarray of shape (n_samples,)
        ``argmax`` of the head's probabilities.
    probabilities : numpy.ndarray of shape (n_samples, n_clusters)
    history : dict
        ``{"consistency": [...], "entropy": [...]}``, one value per epoch.
    model : keras.Model
        Encoder followed by the softmax head.
    """

    labels: np.ndarray
    probabilities: np.ndarray
    history: dict
    model: object


def fit_scan_head(
    encoder,
    X,
    neighbours,
    centres,
    *,
    epochs=20,
    batch_size=128,
    learning_rate=1e-4,
    entropy_weight=5.0,
    random_state=DEFAULT_SEED,
):
    """Fine-tune a softmax cluster head (and the encoder) with the SCAN loss.

    The head is a ``Dense(n_clusters, softmax)`` layer whose weights are
    ``10 *`` the unit-length ``centres``: on a unit-length embedding it starts
    out as a nearest-centre (cosine) rule, i.e. it reproduces the KMeans
    clustering it is given. Training then minimises::

        -mean_i log(p_i . p_j)  -  entropy_weight * H(mean_i p_i)

    where ``j`` is a random neighbour of ``i``: neighbours should get the same
    confident cluster (first term), and every cluster should stay in use
    (second term), which rules out the trivial one-cluster answer.

    Parameters
    ----------
    encoder : keras.Model
        Unit-length embedding, e.g. after :func:`train_neighbour_contrastive`.
        **Trained in place** with the head.
    X : array-like of shape (n_samples, n_features)
    neighbours : array-like of int, shape (n_samples, k)
    centres : array-like of shape (n_clusters, embedding_dim)
        Starting centres, e.g. KMeans' ``cluster_centers_`` on the embedding.
    epochs : int, default=20
    batch_size : int, default=128
    learning_rate : float, default=1e-4
    entropy_weight : float, default=5.0
    random_state : int, default=42

    Returns
    -------
    ScanResult
    """
    import tensorflow as tf

    X, neighbours = _check_inputs(encoder, X, neighbours)
    centres = check_features(centres, name="centres", min_samples=2)
    embedding_dim = encoder.outputs[0].shape[-1]
    if centres.shape[1] != embedding_dim:
        raise ValueError(f"centres have {centres.shape[1]} features but the encoder outputs {embedding_dim}")
    epochs = check_int(epochs, name="epochs", minimum=1)
    batch_size = check_int(batch_size, name="batch_size", minimum=1, maximum=len(X))
    learning_rate = check_float(learning_rate, name="learning_rate", low=0.0, low_inclusive=False)
    entropy_weight = check_float(entropy_weight, name="entropy_weight", low=0.0)
    random_state = check_seed(random_state)

    n_clusters = centres.shape[0]
    unit = centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    head = keras.layers.Dense(n_clusters, activation="softmax", name="cluster_head")
    inputs = keras.Input(shape=(X.shape[1],))
    model = keras.Model(inputs, head(encoder(inputs)), name="scan")
    head.set_weights([(10.0 * unit.T).astype(np.float32), np.zeros(n_clusters, np.float32)])

    optimizer = keras.optimizers.Adam(learning_rate)
    data, table, n = tf.constant(X), tf.constant(neighbours), len(X)
    variables = model.trainable_variables
    steps = -(-n // batch_size)

    @tf.function
    def run():
        consistency_log = tf.TensorArray(tf.float32, size=epochs)
        entropy_log = tf.TensorArray(tf.float32, size=epochs)
        for epoch in tf.range(epochs):
            order = tf.argsort(tf.random.stateless_uniform([n], seed=tf.stack([epoch, random_state])))
            consistency_sum, entropy_sum = tf.constant(0.0), tf.constant(0.0)
            for step in tf.range(steps):
                batch = order[step * batch_size : (step + 1) * batch_size]
                partner = _random_neighbour(tf, table, batch, tf.stack([epoch * 10000 + step, random_state + 7]))
                with tf.GradientTape() as tape:
                    p = model(tf.gather(data, batch), training=True)
                    p_partner = model(tf.gather(data, partner), training=True)
                    consistency = -ops.mean(ops.log(ops.sum(p * p_partner, axis=1) + 1e-8))
                    mean_p = ops.mean(ops.concatenate([p, p_partner], axis=0), axis=0)
                    entropy = -ops.sum(mean_p * ops.log(mean_p + 1e-8))
                    loss = consistency - entropy_weight * entropy
                optimizer.apply(tape.gradient(loss, variables), variables)
                consistency_sum += consistency
                entropy_sum += entropy
            consistency_log = consistency_log.write(epoch, consistency_sum / tf.cast(steps, tf.float32))
            entropy_log = entropy_log.write(epoch, entropy_sum / tf.cast(steps, tf.float32))
        return consistency_log.stack(), entropy_log.stack()

    consistency, entropy = run()
    probabilities = ops.convert_to_numpy(model(X, training=False))
    history = {"consistency": [float(v) for v in consistency.numpy()], "entropy": [float(v) for v in entropy.numpy()]}
    return ScanResult(probabilities.argmax(axis=1).astype(np.int64), probabilities, history, model)
