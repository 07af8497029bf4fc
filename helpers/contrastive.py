"""A representation trained for clustering: neighbour-contrastive embedding + SCAN head.

An autoencoder learns to *rebuild* its input, which is not the same as
putting similar samples together. Here the network is trained for the
clustering directly, from one assumption that holds on the digits: a
sample's few nearest neighbours in pixel space almost always show the same
digit.

1. :class:`NeighbourContrastive` ("NCE"): each sample and one of its
   ``k`` nearest neighbours must be more similar (cosine, on the unit
   sphere) than the sample and every other sample in the batch: the InfoNCE
   loss of contrastive learning (van den Oord et al. 2018; Chen et al. 2020),
   with neighbours in place of image augmentations.
2. :class:`SCAN`: a softmax head, started from KMeans centres on the
   embedding (it reproduces KMeans' labels at step 0), fine-tuned together
   with the encoder so that neighbours get the same cluster while all
   clusters stay in use (the SCAN loss of Van Gansbeke et al. 2020).

Both are ``keras.Model`` subclasses that carry their loss
(``compute_loss``) and train with ``compile`` and ``fit(X, X[neighbours])``:
the "target" of each sample is the set of its ``k`` nearest neighbours, and
every step draws one of them at random (:func:`random_neighbour`).
:func:`train_neighbour_contrastive` and :func:`fit_scan_head` are thin
conveniences that do exactly that.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.neighbors import NearestNeighbors

from helpers import DEFAULT_SEED
from helpers._tensorflow import load_keras
from helpers._validation import check_features, check_float, check_int, check_seed
from helpers.dec import _check_encoder, _first_output
from helpers.training import CheckedInputs

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


def _check_neighbours(neighbours, n_samples):
    """A neighbour table of shape (n_samples, k) holding row indices, or a clear error."""
    neighbours = np.asarray(neighbours)
    if neighbours.ndim != 2 or neighbours.shape[0] != n_samples or neighbours.shape[1] < 1:
        raise ValueError(f"neighbours must have shape (n_samples, k) = ({n_samples}, k); got {neighbours.shape}")
    if not np.issubdtype(neighbours.dtype, np.integer):
        raise TypeError(f"neighbours must be integer indices; got dtype {neighbours.dtype}")
    if neighbours.min() < 0 or neighbours.max() >= n_samples:
        raise ValueError(f"neighbours must be indices in [0, {n_samples - 1}]")
    return neighbours.astype(np.int32)


def _check_inputs(encoder, X, neighbours):
    X = check_features(X, min_samples=2).astype(np.float32)
    _check_encoder(encoder, X)
    return X, _check_neighbours(neighbours, len(X))


def _check_training(epochs, batch_size, learning_rate, random_state, n_samples):
    return (
        check_int(epochs, name="epochs", minimum=1),
        check_int(batch_size, name="batch_size", minimum=2, maximum=n_samples),
        check_float(learning_rate, name="learning_rate", low=0.0, low_inclusive=False),
        check_seed(random_state),
    )


def random_neighbour(neighbour_sets, seed):
    """Pick one of each sample's ``k`` neighbours at random.

    Parameters
    ----------
    neighbour_sets : tensor of shape (batch, k, n_features)
        The ``k`` neighbours of every sample of a batch (``X[neighbours]``).
    seed : keras.random.SeedGenerator or int
        A generator gives a fresh draw at every call (every training step).

    Returns
    -------
    tensor of shape (batch, n_features)
    """
    k = ops.shape(neighbour_sets)[1]
    column = keras.random.randint(ops.shape(neighbour_sets)[:1], 0, k, seed=seed)
    # A one-hot mask picks the drawn neighbour (an integer gather would print a oneDNN warning on some CPUs).
    chosen = ops.one_hot(column, k, dtype=neighbour_sets.dtype)[:, :, None]
    return ops.sum(neighbour_sets * chosen, axis=1)


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


class NeighbourContrastive(CheckedInputs, keras.Model):
    """Train an encoder so that every sample picks out its neighbour (InfoNCE).

    Fit it on ``(X, X[neighbours])``: the target of each sample is the set
    of its ``k`` nearest neighbours. Each step draws one of them at random
    and scores the batch with :func:`info_nce_loss`; the other samples of
    the batch are the negatives.

    Parameters
    ----------
    encoder : keras.Model
        Unit-length embedding, e.g. from :func:`build_contrastive_encoder`;
        **trained in place**.
    temperature : float, default=0.5
    seed : int, optional
        Seed of the neighbour draws; ``None`` follows the global seed.
    """

    def __init__(self, encoder, temperature=0.5, seed=None, **kwargs):
        super().__init__(**kwargs)
        _check_positive(temperature, "temperature")
        self.encoder = encoder
        self.temperature = temperature
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x, training=False):
        return self.encoder(x, training=training)

    def compute_loss(self, x, y, y_pred, sample_weight=None, training=True):
        positives = random_neighbour(y, self.seed_generator)  # y: each sample's k neighbours
        return info_nce_loss(y_pred, self(positives, training=training), self.temperature)


def _check_positive(value, name):
    return check_float(value, name=name, low=0.0, low_inclusive=False)


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

    Compiles a :class:`NeighbourContrastive` model with Adam and fits it on
    ``(X, X[neighbours])``.

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
        Seed of the neighbour draws; the batch order follows the global seed.

    Returns
    -------
    dict
        ``{"loss": [mean loss of every epoch]}``, for :func:`helpers.plotting.plot_history`.
    """
    X, neighbours = _check_inputs(encoder, X, neighbours)
    epochs, batch_size, learning_rate, random_state = _check_training(
        epochs, batch_size, learning_rate, random_state, len(X)
    )
    model = NeighbourContrastive(encoder, _check_positive(temperature, "temperature"), seed=random_state)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), steps_per_execution=_STEPS_PER_EXECUTION)
    history = model.fit(X, X[neighbours], epochs=epochs, batch_size=batch_size, verbose=0)
    return {"loss": history.history["loss"]}


#: Training steps per compiled call in the conveniences: fewer Python round trips, same numbers.
_STEPS_PER_EXECUTION = 8


class SCAN(CheckedInputs, keras.Model):
    """An encoder with a softmax cluster head, trained with the SCAN loss.

    The head starts as KMeans' nearest-centre rule: with kernel ``2 c_j``
    and bias ``-||c_j||^2`` its logits are ``||z||^2 - ||z - c_j||^2``, so
    the most probable cluster is the nearest centre. Fit it on
    ``(X, X[neighbours])``; each step draws a neighbour ``j`` of every
    sample ``i`` and minimises::

        -mean_i log(p_i . p_j)  -  entropy_weight * H(mean_i p_i)

    Neighbours should get the same confident cluster (first term) and every
    cluster should stay in use (second term). ``consistency`` and
    ``entropy`` are logged in the history.

    Parameters
    ----------
    encoder : keras.Model
        The embedding (e.g. a trained :class:`NeighbourContrastive` encoder);
        **trained in place** with the head.
    centres : array-like of shape (n_clusters, embedding_dim)
        Starting centres, e.g. KMeans' ``cluster_centers_`` on the embedding.
    entropy_weight : float, default=5.0
    sharpness : float, default=10.0
        Scales the starting logits (argmax unchanged); larger is more confident.
    seed : int, optional
        Seed of the neighbour draws; ``None`` follows the global seed.
    """

    def __init__(self, encoder, centres, entropy_weight=5.0, sharpness=10.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        centres = _check_centres(centres, entropy_weight, sharpness)
        self.encoder = encoder
        self.head = keras.layers.Dense(
            len(centres),
            activation="softmax",
            kernel_initializer=keras.initializers.Constant(sharpness * 2 * centres.T),
            bias_initializer=keras.initializers.Constant(-sharpness * np.sum(centres**2, axis=1)),
            name="cluster_head",
        )
        self.entropy_weight = entropy_weight
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.consistency_tracker = keras.metrics.Mean(name="consistency")
        self.entropy_tracker = keras.metrics.Mean(name="entropy")

    def call(self, x, training=False):
        return self.head(_first_output(self.encoder(x, training=training)))

    def compute_loss(self, x, y, y_pred, sample_weight=None, training=True):
        p_neighbour = self(random_neighbour(y, self.seed_generator), training=training)
        consistency = -ops.mean(ops.log(ops.sum(y_pred * p_neighbour, axis=1) + 1e-8))
        mean_p = ops.mean(y_pred, axis=0)
        entropy = -ops.sum(mean_p * ops.log(mean_p + 1e-8))
        self.consistency_tracker.update_state(consistency)
        self.entropy_tracker.update_state(entropy)
        return consistency - self.entropy_weight * entropy


def _check_centres(centres, entropy_weight, sharpness):
    check_float(entropy_weight, name="entropy_weight", low=0.0)
    _check_positive(sharpness, "sharpness")
    return check_features(centres, name="centres", min_samples=2).astype(np.float32)


class ScanResult(NamedTuple):
    """What :func:`fit_scan_head` found.

    Attributes
    ----------
    labels : numpy.ndarray of shape (n_samples,)
        ``argmax`` of the head's probabilities.
    probabilities : numpy.ndarray of shape (n_samples, n_clusters)
    history : dict
        ``{"consistency": [...], "entropy": [...]}``, one value per epoch.
    model : SCAN
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

    Compiles a :class:`SCAN` model with Adam and fits it on
    ``(X, X[neighbours])``.

    Parameters
    ----------
    encoder : keras.Model
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
        Seed of the neighbour draws; the batch order follows the global seed.

    Returns
    -------
    ScanResult
    """
    X, neighbours = _check_inputs(encoder, X, neighbours)
    epochs, batch_size, learning_rate, random_state = _check_training(
        epochs, batch_size, learning_rate, random_state, len(X)
    )
    centres = check_features(centres, name="centres", min_samples=2)
    embedding_dim = ops.shape(_first_output(encoder(X[:1], training=False)))[-1]
    if centres.shape[1] != embedding_dim:
        raise ValueError(f"centres have {centres.shape[1]} features but the encoder outputs {embedding_dim}")
    if len(centres) > len(X):
        raise ValueError(f"{len(centres)} centres (clusters) but only {len(X)} samples")
    model = SCAN(encoder, centres, entropy_weight=entropy_weight, seed=random_state)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), steps_per_execution=_STEPS_PER_EXECUTION)
    fitted = model.fit(X, X[neighbours], epochs=epochs, batch_size=batch_size, verbose=0)
    probabilities = model.predict(X, batch_size=len(X), verbose=0)
    history = {key: fitted.history[key] for key in ("consistency", "entropy")}
    return ScanResult(probabilities.argmax(axis=1).astype(np.int64), probabilities, history, model)
