"""Shared fixtures for the helpers' unit tests."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere: no windows, no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402

#: Centres of three blobs far apart compared with their spread.
BLOB_CENTRES = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every Matplotlib figure a test opened."""
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def three_blobs():
    """Three well-separated 2-D Gaussian blobs: ``(X, y)`` with 150 points."""
    X, y = make_blobs(n_samples=150, centers=BLOB_CENTRES, cluster_std=0.5, random_state=0)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


@pytest.fixture(scope="session")
def single_blob():
    """One 2-D standard-normal blob of 200 points (no cluster structure)."""
    X = np.random.default_rng(0).normal(size=(200, 2))
    X.setflags(write=False)
    return X


@pytest.fixture(scope="session")
def eps_choice(three_blobs):
    """``choose_eps`` on the three blobs (has a stable range)."""
    from helpers.clustering import choose_eps

    return choose_eps(three_blobs[0])


@pytest.fixture(scope="session")
def tiny_features():
    """A tiny float32 dataset for fast Keras tests: 32 samples x 4 features."""
    X = np.random.default_rng(0).normal(size=(32, 4)).astype(np.float32)
    X.setflags(write=False)
    return X
