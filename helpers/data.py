"""Datasets used by the notebooks, generated or loaded locally and scaled.

Nothing here downloads anything: every dataset comes from scikit-learn's
generators or from data that ships with scikit-learn.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.datasets import load_digits, make_blobs, make_moons
from sklearn.preprocessing import StandardScaler

from helpers._validation import check_features, check_float, check_int, check_seed


class Dataset(NamedTuple):
    """Features ready for a network, and the ground truth kept for evaluation.

    Attributes
    ----------
    X : numpy.ndarray of shape (n_samples, n_features), float32
        Scaled features (what the models and clustering see).
    y : numpy.ndarray of shape (n_samples,), int
        True labels, used only to *evaluate* clusterings.
    X_raw : numpy.ndarray of shape (n_samples, n_features)
        The same samples before scaling.
    """

    X: np.ndarray
    y: np.ndarray
    X_raw: np.ndarray


def standardize(X):
    """Scale every feature to zero mean and unit variance.

    Distance-based clustering (DBSCAN, OPTICS, KMeans) treats every feature
    alike, so a feature with a large range would otherwise dominate.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_features), float32
    """
    X = check_features(X, min_samples=2)
    # Each column divided first by a power of two near its largest value: exact, so ordinary columns give the
    # same numbers, while columns near 1e200 (whose squares overflow) or 1e-300 (whose variance underflows to 0,
    # read as a constant column) scale as well as any other.
    largest = np.max(np.abs(X), axis=0)
    X = X / np.exp2(np.floor(np.log2(np.where(largest > 0, largest, 1.0)))).astype(X.dtype)
    return StandardScaler().fit_transform(X).astype(np.float32)


def blobs(n_samples=500, centers=3, n_features=10, cluster_std=1.0, random_state=42):
    """Isotropic Gaussian blobs, the article's first example, standardised.

    Parameters
    ----------
    n_samples : int, default=500
        Number of points (at least ``2 * centers``).
    centers : int, default=3
        Number of blobs.
    n_features : int, default=10
        Dimensionality.
    cluster_std : float, default=1.0
        Spread of each blob (the centres lie in a box from -10 to 10); raise
        it to make the blobs overlap.
    random_state : int, default=42
        Seed; the same seed gives the same data.

    Returns
    -------
    Dataset
        ``X`` standardised float32, ``y`` the blob of each point, ``X_raw``.
    """
    centers = check_int(centers, name="centers", minimum=1)
    n_samples = check_int(n_samples, name="n_samples", minimum=2 * centers)
    n_features = check_int(n_features, name="n_features", minimum=1)
    cluster_std = check_float(cluster_std, name="cluster_std", low=0.0, low_inclusive=False)
    random_state = check_seed(random_state)
    X_raw, y = make_blobs(
        n_samples=n_samples,
        centers=centers,
        n_features=n_features,
        cluster_std=cluster_std,
        random_state=random_state,
    )
    return Dataset(standardize(X_raw), y.astype(np.int64), X_raw)


def moons(n_samples=500, noise=0.1, random_state=42):
    """Two interleaving half circles, the article's third example, standardised.

    Parameters
    ----------
    n_samples : int, default=500
        Number of points (at least 4).
    noise : float, default=0.1
        Standard deviation of the Gaussian noise added to the points.
    random_state : int, default=42
        Seed; the same seed gives the same data.

    Returns
    -------
    Dataset
        ``X`` standardised float32 of shape (n_samples, 2), ``y`` the moon
        of each point, ``X_raw``.
    """
    n_samples = check_int(n_samples, name="n_samples", minimum=4)
    noise = check_float(noise, name="noise", low=0.0)
    random_state = check_seed(random_state)
    X_raw, y = make_moons(n_samples=n_samples, noise=noise, random_state=random_state)
    return Dataset(standardize(X_raw), y.astype(np.int64), X_raw)


def embedded_moons(n_samples=500, noise=0.1, n_informative=10, n_noise=40, random_state=42):
    """Two moons bent into many dimensions and hidden among noise features.

    The 2-D moons (standardised) pass through a fixed random non-linear map,
    ``tanh(sin(m @ W1 + b1) @ W2)`` with 32 hidden units, into
    ``n_informative`` curved features; ``n_noise`` pure Gaussian features are
    appended and every feature is standardised. The map is the same for every
    ``random_state`` (its own fixed seed), so only the moons and the noise
    change with the seed. With the defaults, 80 % of every squared distance
    comes from the noise features: nearest neighbours in the raw space say
    little about the moons.

    Parameters
    ----------
    n_samples : int, default=500
        Number of points (at least 4).
    noise : float, default=0.1
        Standard deviation of the noise on the 2-D moons.
    n_informative : int, default=10
        Features computed from the moons (at least 1).
    n_noise : int, default=40
        Features of pure noise (0 or more).
    random_state : int, default=42
        Seed of the moons and of the noise features.

    Returns
    -------
    Dataset
        ``X`` standardised float32 of shape (n_samples, n_informative + n_noise),
        informative features first; ``y`` the moon of each point; ``X_raw``
        the 2-D moons before the map (standardised), to plot the truth.
    """
    n_samples = check_int(n_samples, name="n_samples", minimum=4)
    noise = check_float(noise, name="noise", low=0.0)
    n_informative = check_int(n_informative, name="n_informative", minimum=1)
    n_noise = check_int(n_noise, name="n_noise", minimum=0)
    random_state = check_seed(random_state)

    moons_2d, y = make_moons(n_samples=n_samples, noise=noise, random_state=random_state)
    moons_2d = StandardScaler().fit_transform(moons_2d)
    hidden = 32
    map_rng = np.random.default_rng(0)  # the map is fixed: the same "sensor" for every sample
    W1 = map_rng.normal(0.0, 1.0, (2, hidden))
    b1 = map_rng.uniform(-np.pi, np.pi, hidden)
    W2 = map_rng.normal(0.0, 1.0 / np.sqrt(hidden), (hidden, n_informative))
    informative = StandardScaler().fit_transform(np.tanh(np.sin(moons_2d @ W1 + b1) @ W2))
    noise_features = np.random.default_rng(random_state + 1000).normal(0.0, 1.0, (n_samples, n_noise))
    X = standardize(np.hstack([informative, noise_features]))
    return Dataset(X, y.astype(np.int64), moons_2d)


def digits():
    """scikit-learn's handwritten digits: 1797 images of 8x8 pixels, ten classes.

    The data ships with scikit-learn, so nothing is downloaded. Pixels are
    divided by 16 (their maximum), not standardised: standardising would
    blow up the near-constant border pixels and let them dominate every
    distance (KMeans' ARI drops from about 0.67 to about 0.47).

    Returns
    -------
    Dataset
        ``X`` float32 of shape (1797, 64) in [0, 1], ``y`` the digit (0-9) of
        each image, ``X_raw`` the original pixel values 0-16. Reshape a row
        to ``(8, 8)`` to draw it.
    """
    bunch = load_digits()
    X_raw = bunch.data
    X = (X_raw / 16.0).astype(np.float32)
    return Dataset(X, bunch.target.astype(np.int64), X_raw)
