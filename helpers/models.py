"""The autoencoder builder the notebooks share.

:func:`build_autoencoder` returns the full model *and* the encoder sub-model
that shares its layers. The encoder's output is the latent space we cluster;
``autoencoder.predict`` would return reconstructions instead. (Notebook 02
writes its variational autoencoder, and notebook 04 its encoder, in their own cells;
:func:`check_sizes` checks the layer sizes they are given, and :func:`check_centres` the
cluster centres notebook 04's DEC and SCAN start from.)
"""

from __future__ import annotations

import numpy as np

from helpers._tensorflow import load_keras
from helpers._validation import check_float, check_int
from helpers.training import CheckedModel

keras = load_keras()

_ACTIVATIONS = {None, "linear", "relu", "tanh", "elu", "selu", "gelu", "sigmoid", "softplus"}


def _check_units(units, name):
    try:
        units = tuple(units)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of layer sizes, e.g. (64, 32); got {units!r}") from None
    return tuple(check_int(u, name=f"{name}[{i}]", minimum=1) for i, u in enumerate(units))


def check_sizes(**sizes):
    """Check the layer sizes of a model the notebooks write themselves, by the names the learner passed.

    Parameters
    ----------
    **sizes : int or sequence of int
        Each a positive integer (``input_dim=13``), or a sequence of them for
        several hidden layers (``hidden_units=(256, 128)``); a name ending in
        ``_dim`` takes one integer only.

    Returns
    -------
    list
        The sizes in the order given, as ``int`` or ``tuple`` of ``int``.

    Raises
    ------
    TypeError, ValueError
        Naming the size: without this, ``input_dim=X.shape`` fails deep
        inside Keras ("Cannot convert '((300, 10),)' to a shape") and
        ``latent_dim=0`` with a message about ``units``.
    """
    checked = []
    for name, size in sizes.items():
        sequence = hasattr(size, "__len__") and not isinstance(size, str)
        if name == "input_dim" and sequence:  # the table's shape, not its number of columns
            raise TypeError(f"input_dim must be the number of columns, e.g. X.shape[1]; got the shape {tuple(size)}")
        if sequence and not name.endswith("_dim"):  # several layers' sizes, e.g. hidden_units=(256, 128)
            checked.append(_check_units(size, name))
        else:
            checked.append(check_int(size, name=name, minimum=1))
    return checked


def _check_activation(activation, name):
    if activation not in _ACTIVATIONS:
        raise ValueError(f"{name} must be one of {sorted(a for a in _ACTIVATIONS if a)} or None; got {activation!r}")
    return activation


def build_autoencoder(
    input_dim,
    hidden_units=(5,),
    latent_dim=2,
    *,
    activation="relu",
    latent_activation=None,
    input_noise=0.0,
    name="autoencoder",
):
    """Build a fully connected autoencoder and its encoder.

    The decoder mirrors the encoder: ``input_dim -> hidden_units -> latent_dim
    -> reversed(hidden_units) -> input_dim``.

    Parameters
    ----------
    input_dim : int
        Number of input features.
    hidden_units : sequence of int, default=(5,)
        Sizes of the encoder's hidden layers, outermost first. May be empty.
    latent_dim : int, default=2
        Size of the bottleneck (the latent space).
    activation : str, default="relu"
        Activation of the hidden layers.
    latent_activation : str or None, default=None
        Activation of the bottleneck. ``None`` (linear) is the norm: a
        ``relu`` bottleneck can switch latent units off for good.
    input_noise : float, default=0.0
        Standard deviation of Gaussian noise added to the inputs during
        training only (a *denoising* autoencoder); 0 adds no noise layer.
        Rebuilding clean points from jittered ones makes the encoder
        contract directions that leave the data, so thin structures stay
        thin in the latent space and the gaps between them stay open.
        Keras applies the noise only when ``training=True``: ``predict``
        and the encoder see clean inputs.
    name : str, default="autoencoder"
        Name of the model; the encoder is called ``"<name>_encoder"``.

    Returns
    -------
    autoencoder : helpers.training.CheckedModel
        A functional ``keras.Model`` that maps inputs to reconstructions;
        train it on ``(X, X)``. Its ``fit``, ``predict`` and ``evaluate``
        check array data first (see :class:`helpers.training.CheckedInputs`).
    encoder : helpers.training.CheckedModel
        Maps inputs to the latent code; shares its weights with ``autoencoder``.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer, an activation is unknown or
        ``input_noise`` is negative.
    """
    input_dim = check_int(input_dim, name="input_dim", minimum=1)
    latent_dim = check_int(latent_dim, name="latent_dim", minimum=1)
    hidden_units = _check_units(hidden_units, "hidden_units")
    activation = _check_activation(activation, "activation")
    latent_activation = _check_activation(latent_activation, "latent_activation")
    input_noise = check_float(input_noise, name="input_noise", low=0.0)

    inputs = keras.Input(shape=(input_dim,), name="features")
    x = inputs
    if input_noise > 0:  # active in training only; inference sees the clean inputs
        x = keras.layers.GaussianNoise(input_noise, name="input_noise")(x)
    for i, units in enumerate(hidden_units):
        x = keras.layers.Dense(units, activation=activation, name=f"encoder_{i}")(x)
    latent = keras.layers.Dense(latent_dim, activation=latent_activation, name="latent")(x)
    x = latent
    for i, units in enumerate(reversed(hidden_units)):
        x = keras.layers.Dense(units, activation=activation, name=f"decoder_{i}")(x)
    reconstruction = keras.layers.Dense(input_dim, name="reconstruction")(x)

    # CheckedModel(inputs, outputs) is keras.Model(inputs, outputs) whose fit, predict and evaluate stop bad data in one line
    autoencoder = CheckedModel(inputs, reconstruction, name=name)
    encoder = CheckedModel(inputs, latent, name=f"{name}_encoder")
    return autoencoder, encoder


def check_centres(encoder, centres):
    """Cluster centres for a model on top of ``encoder`` (notebook 04's DEC and SCAN), checked.

    Parameters
    ----------
    encoder : keras.Model
        The encoder whose first output the centres live in.
    centres : array-like of shape (n_clusters, width)
        One row per cluster, for example ``KMeans(...).cluster_centers_``; a DataFrame too.

    Returns
    -------
    numpy.ndarray of float32, shape (n_clusters, width)

    Raises
    ------
    ValueError
        Text or missing values; another width than the encoder's output, or no row; NaN, infinity or a
        value beyond float32's range (it would spread NaN to the encoder's weights); two rows equal once
        stored as float32 (two equal centres split the same points: one cluster, not two).
    """
    width = encoder.outputs[0].shape[-1]
    try:
        centres = np.asarray(centres, dtype="float64")
    except (TypeError, ValueError):  # text, or pandas' missing value pd.NA
        raise ValueError("the centres must be numbers, with no missing values") from None
    if centres.ndim != 2 or centres.shape[1] != width or len(centres) == 0:
        raise ValueError(f"the centres have shape {centres.shape}, but the encoder outputs {width} features "
                         "(one row per cluster, at least one)")
    if not np.all(np.abs(centres) <= np.finfo("float32").max):  # NaN would spread to the encoder's weights
        raise ValueError("the centres must be finite numbers within float32's range (no NaN or infinity)")
    centres = centres.astype("float32")  # compared as the layer will hold them
    if len(np.unique(centres, axis=0)) < len(centres):  # equal centres share their points: one cluster, not two
        raise ValueError("the centres must differ from one another: two equal centres split the same points")
    return centres
