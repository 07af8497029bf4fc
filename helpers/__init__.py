"""Shared helpers for the *Clustering with Neural Networks* notebook series.

One module per concern:

- :mod:`helpers.data` -- the datasets the notebooks use, scaled and seeded;
- :mod:`helpers.models` -- Keras model builders (autoencoders and friends);
- :mod:`helpers.training` -- training with a compact progress display;
- :mod:`helpers.clustering` -- data-driven clustering parameters and a thin
  wrapper around scikit-learn's clustering estimators;
- :mod:`helpers.evaluation` -- ARI, NMI, accuracy and a results table;
- :mod:`helpers.plotting` -- the figures, in one consistent style.

Importing :mod:`helpers` itself is cheap: TensorFlow is only loaded by the
modules that need it.
"""

from __future__ import annotations

__version__ = "0.1.0"

#: The seed every notebook uses unless a learner changes it.
DEFAULT_SEED = 42


def set_seed(seed=DEFAULT_SEED):
    """Seed Python, NumPy and Keras/TensorFlow in one call.

    Parameters
    ----------
    seed : int, default=42
        Non-negative integer seed.

    Returns
    -------
    int
        The seed, so a notebook can write ``SEED = set_seed(42)``.

    Notes
    -----
    On one machine this makes CPU runs repeatable. A different CPU or
    TensorFlow build can still move the last digits of a score.
    """
    from helpers._validation import check_seed

    from helpers._tensorflow import load_keras

    seed = check_seed(seed, name="seed")
    keras = load_keras()

    keras.utils.set_random_seed(seed)
    return seed
