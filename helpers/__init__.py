"""Shared helpers for the *Clustering with Neural Networks* notebook series.

What the notebooks share, one module per concern (each lesson writes the models,
losses and rules it teaches in its own cells):

- :mod:`helpers.data` -- the datasets the notebooks use, scaled and seeded;
- :mod:`helpers.models` -- the autoencoder builder;
- :mod:`helpers.training` -- a compact progress display and input checks for Keras models;
- :mod:`helpers.clustering` -- input checks for the notebooks' clustering rules;
- :mod:`helpers.evaluation` -- ARI, NMI, accuracy after matching, and the results table;
- :mod:`helpers.plotting` -- the figures, in one consistent style;
- :mod:`helpers.explorers` -- live widgets that re-cluster stored arrays;
- :mod:`helpers.tables` -- loading a learner's CSV file or DataFrame, with clear errors;
- :mod:`helpers.selection` -- plumbing for notebook 05's label-free choice;
- :mod:`helpers.article` -- the seed article's training loop, for the pitfall sections;
- :mod:`helpers.notebook` -- the environment check and ``show_source``.

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
