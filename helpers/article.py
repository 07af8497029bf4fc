"""Train a model the way the seed article does, for notebooks 01 and 03's pitfall sections.

The series starts from a short article that clusters data "in the latent
space" of neural networks. Notebooks 01, 02 and 03 write the article's code
in their own cells, defects included, and measure what each defect costs.
Only the training loop is shared, here: the article's ``compile`` and ``fit``,
run with less overhead so the notebooks stay within their time budgets.
"""

from __future__ import annotations

import math

import numpy as np

from helpers._validation import check_features, check_int


def train_as_published(model, X, epochs):
    """``model.compile("adam", "mse")`` and ``model.fit(X, X, epochs=epochs)``, batch size 32.

    The article's training, with the same optimiser, loss, batch size and
    number of passes over the data, each pass in a new random order. The
    whole run is one Keras "epoch" over a reshuffled stream, because the
    article plots no loss curve and Keras' per-epoch set-up would otherwise
    dominate the time.

    Parameters
    ----------
    model : keras.Model
        An uncompiled autoencoder whose output has the shape of its input.
    X : array-like of shape (n_samples, n_features)
        The training data, also the target.
    epochs : int
        Passes over the data (the article's ``epochs``).

    Returns
    -------
    keras.Model
        ``model``, trained.
    """
    import tensorflow as tf

    epochs = check_int(epochs, name="epochs", minimum=1)
    X = check_features(X, min_samples=1).astype(np.float32)  # a tf.data stream reaches Keras unchecked
    batches_per_pass = math.ceil(len(X) / 32)
    model.compile(optimizer="adam", loss="mse", steps_per_execution=batches_per_pass)
    # One endless stream, reshuffled on every pass in the order TensorFlow's global seed gives
    # (keras.utils.set_random_seed sets it), instead of the new iterator Keras builds for NumPy
    # input at every epoch.
    batches = tf.data.Dataset.from_tensor_slices((X, X)).shuffle(len(X), reshuffle_each_iteration=True)
    model.fit(batches.batch(32).repeat(), epochs=1, steps_per_epoch=epochs * batches_per_pass, verbose=0,
              shuffle=False)
    return model
