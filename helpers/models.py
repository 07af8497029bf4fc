"""Keras model builders for the series.

Every builder returns the full model *and* the encoder sub-model that shares
its layers. The encoder's output is the latent space we cluster;
``autoencoder.predict`` would return reconstructions instead.
"""

from __future__ import annotations

from helpers import DEFAULT_SEED
from helpers._tensorflow import load_keras
from helpers._validation import check_float, check_int, check_seed
from helpers.training import CheckedInputs

keras = load_keras()
ops = keras.ops

_ACTIVATIONS = {None, "linear", "relu", "tanh", "elu", "selu", "gelu", "sigmoid", "softplus"}


def _check_units(units, name):
    try:
        units = tuple(units)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of layer sizes, e.g. (64, 32); got {units!r}") from None
    return tuple(check_int(u, name=f"{name}[{i}]", minimum=1) for i, u in enumerate(units))


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
    autoencoder : keras.Model
        Maps inputs to reconstructions; train it on ``(X, X)``.
    encoder : keras.Model
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

    autoencoder = keras.Model(inputs, reconstruction, name=name)
    encoder = keras.Model(inputs, latent, name=f"{name}_encoder")
    return autoencoder, encoder


def kl_divergence(z_mean, z_log_var):
    """KL divergence from each sample's latent Gaussian to N(0, I), averaged over the batch.

    ``KL = -1/2 * sum(1 + log var - mean^2 - var)`` over the latent
    dimensions: zero when the encoder outputs ``z_mean = 0`` and
    ``z_log_var = 0`` (the prior itself), positive otherwise.

    Parameters
    ----------
    z_mean, z_log_var : tensor of shape (batch, latent_dim)

    Returns
    -------
    scalar tensor
    """
    per_sample = -0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
    return ops.mean(per_sample)


def reconstruction_error(inputs, reconstructions):
    """Squared error summed over the features, averaged over the batch (the article's choice)."""
    return ops.mean(ops.sum(ops.square(inputs - reconstructions), axis=-1))


@keras.saving.register_keras_serializable(package="helpers")
class Sampling(keras.layers.Layer):
    """Draw ``z = z_mean + exp(z_log_var / 2) * epsilon`` with ``epsilon ~ N(0, I)``.

    The "reparameterisation trick": the randomness sits in ``epsilon``, so
    gradients flow through ``z_mean`` and ``z_log_var``. The layer owns a
    :class:`keras.random.SeedGenerator`, so its noise is repeatable, and it
    uses only ``keras.random`` and ``keras.ops``, so it is not tied to one
    Keras backend.

    Parameters
    ----------
    seed : int, default=42
        Seed of the layer's noise.
    """

    def __init__(self, seed=DEFAULT_SEED, **kwargs):
        super().__init__(**kwargs)
        self.seed = check_seed(seed, name="seed")
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="helpers")
class VAE(CheckedInputs, keras.Model):
    """A variational autoencoder that computes its own loss.

    ``call`` encodes the inputs to ``z_mean`` and ``z_log_var``, samples
    ``z`` and decodes it. The KL term is computed there, from real tensors,
    and handed to Keras with ``self.add_loss`` (Keras 3 no longer accepts
    the symbolic ``model.add_loss(tensor)`` of Keras 2). ``compute_loss``
    adds the reconstruction error, so the model trains on the inputs
    alone: ``vae.compile(optimizer="adam")`` then ``vae.fit(X, epochs=...)``.

    Parameters
    ----------
    encoder : keras.Model
        Maps inputs to ``[z_mean, z_log_var]``.
    decoder : keras.Model
        Maps a latent vector ``z`` back to the input space.
    beta : float, default=1.0
        Weight of the KL term (``beta = 1`` is the classic VAE; larger
        values pull every code harder towards ``N(0, I)``).
    seed : int, default=42
        Seed of the sampling layer's noise.

    Notes
    -----
    The training history logs ``loss`` (``reconstruction_loss + beta *
    kl_loss``), ``reconstruction_loss`` and ``kl_loss`` (unweighted), each
    averaged over the epoch. ``kl_loss`` is the sum of ``self.losses``: the
    KL term, plus any weight regularisation you add to the encoder or
    decoder (:func:`build_vae` adds none). Sample weights are not supported.
    """

    def __init__(self, encoder, decoder, beta=1.0, seed=DEFAULT_SEED, **kwargs):
        super().__init__(**kwargs)
        _check_vae_parts(encoder, decoder)
        self.encoder = encoder
        self.decoder = decoder
        self.beta = check_float(beta, name="beta", low=0.0)
        self.seed = check_seed(seed, name="seed")
        self.sampler = Sampling(self.seed, name="sampling")
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    def call(self, inputs, training=None):
        z_mean, z_log_var = self.encoder(inputs, training=training)
        z = self.sampler([z_mean, z_log_var])
        self.add_loss(kl_divergence(z_mean, z_log_var))  # inside call: a real tensor, not a symbolic one
        return self.decoder(z, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if sample_weight is not None:
            raise ValueError("VAE does not support sample weights")
        reconstruction_loss = reconstruction_error(x if y is None else y, y_pred)
        kl_loss = sum(self.losses)  # the KL term added in call (the builder adds no other losses)
        loss = reconstruction_loss + self.beta * kl_loss
        self.loss_tracker.update_state(loss)
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.kl_loss_tracker.update_state(kl_loss)
        return loss

    @property
    def metrics(self):
        # Listed here so that Keras logs them in the history and resets them every epoch.
        return [self.loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

    def build(self, input_shape):
        # The encoder and decoder arrive built; nothing else has weights.
        self.built = True

    def compute_output_shape(self, input_shape):
        return self.decoder.compute_output_shape(self.encoder.compute_output_shape(input_shape)[0])

    def get_config(self):
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "beta": self.beta,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        encoder = keras.saving.deserialize_keras_object(config.pop("encoder"))
        decoder = keras.saving.deserialize_keras_object(config.pop("decoder"))
        return cls(encoder, decoder, **config)


def _functional_io(part, name):
    """``(inputs, outputs)`` of a functional model, or a clear error for any other model."""
    if not isinstance(part, keras.Model):
        raise TypeError(f"{name} must be a keras.Model; got {type(part).__name__}")
    try:
        inputs, outputs = part.inputs, part.outputs  # subclassed models have neither
    except AttributeError:
        inputs = outputs = None
    if not inputs or not outputs:
        raise ValueError(f"{name} must be a functional keras.Model (built from keras.Input); got a subclassed or unbuilt model")
    return inputs, outputs


def _check_vae_parts(encoder, decoder):
    """Raise a clear error unless the encoder and decoder fit together."""
    encoder_inputs, encoder_outputs = _functional_io(encoder, "encoder")
    decoder_inputs, decoder_outputs = _functional_io(decoder, "decoder")
    for name, inputs in (("encoder", encoder_inputs), ("decoder", decoder_inputs)):
        if len(inputs) != 1:
            raise ValueError(f"{name} must be a functional model with one input")
    if len(encoder_outputs) != 2:
        raise ValueError(f"encoder must output [z_mean, z_log_var] (2 outputs); got {len(encoder_outputs)}")
    latent_dim = encoder_outputs[0].shape[-1]
    if encoder_outputs[1].shape[-1] != latent_dim:
        raise ValueError("encoder's z_mean and z_log_var must have the same size")
    if decoder_inputs[0].shape[-1] != latent_dim:
        raise ValueError(f"decoder expects {decoder_inputs[0].shape[-1]} latent inputs; the encoder makes {latent_dim}")
    if decoder_outputs[0].shape[-1] != encoder_inputs[0].shape[-1]:
        raise ValueError(
            f"decoder outputs {decoder_outputs[0].shape[-1]} features; the encoder takes {encoder_inputs[0].shape[-1]}"
        )


def build_vae(
    input_dim,
    hidden_units=(64,),
    latent_dim=2,
    *,
    beta=1.0,
    activation="relu",
    seed=DEFAULT_SEED,
    name="vae",
):
    """Build a variational autoencoder, its encoder and its decoder.

    ``input_dim -> hidden_units -> (z_mean, z_log_var)``, a sample
    ``z`` of size ``latent_dim``, then ``reversed(hidden_units) -> input_dim``.

    Parameters
    ----------
    input_dim : int
        Number of input features.
    hidden_units : sequence of int, default=(64,)
        Sizes of the encoder's hidden layers, outermost first (the decoder
        mirrors them). May be empty.
    latent_dim : int, default=2
        Size of the latent space.
    beta : float, default=1.0
        Weight of the KL term, at least 0.
    activation : str, default="relu"
        Activation of the hidden layers.
    seed : int, default=42
        Seed of the sampling noise. Weights and shuffling follow the global
        seed: call :func:`helpers.set_seed` first.
    name : str, default="vae"
        Name of the model; the parts are ``"<name>_encoder"`` and ``"<name>_decoder"``.

    Returns
    -------
    vae : VAE
        Train it with ``vae.compile(optimizer=...)`` and ``vae.fit(X, ...)``:
        it computes its own loss, so ``fit`` needs no targets.
    encoder : keras.Model
        Maps inputs to ``[z_mean, z_log_var]``; cluster ``z_mean``
        (``encoder.predict(X)[0]``).
    decoder : keras.Model
        Maps a latent vector to a reconstruction.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive integer, ``beta`` is negative, the seed
        is invalid or the activation is unknown.
    """
    input_dim = check_int(input_dim, name="input_dim", minimum=1)
    latent_dim = check_int(latent_dim, name="latent_dim", minimum=1)
    hidden_units = _check_units(hidden_units, "hidden_units")
    activation = _check_activation(activation, "activation")
    beta = check_float(beta, name="beta", low=0.0)
    seed = check_seed(seed, name="seed")

    inputs = keras.Input(shape=(input_dim,), name="features")
    x = inputs
    for i, units in enumerate(hidden_units):
        x = keras.layers.Dense(units, activation=activation, name=f"encoder_{i}")(x)
    z_mean = keras.layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = keras.layers.Dense(latent_dim, name="z_log_var")(x)
    encoder = keras.Model(inputs, [z_mean, z_log_var], name=f"{name}_encoder")

    latent_inputs = keras.Input(shape=(latent_dim,), name="z")
    x = latent_inputs
    for i, units in enumerate(reversed(hidden_units)):
        x = keras.layers.Dense(units, activation=activation, name=f"decoder_{i}")(x)
    reconstruction = keras.layers.Dense(input_dim, name="reconstruction")(x)
    decoder = keras.Model(latent_inputs, reconstruction, name=f"{name}_decoder")

    vae = VAE(encoder, decoder, beta=beta, seed=seed, name=name)
    vae.build((None, input_dim))
    return vae, encoder, decoder
