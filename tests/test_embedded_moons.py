"""Tests for helpers.data.embedded_moons: the 50-D moons of notebook 03."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import data


def test_embedded_moons_shapes_and_types():
    ds = data.embedded_moons(n_samples=120, n_informative=6, n_noise=9, random_state=0)
    assert ds.X.shape == (120, 15) and ds.X.dtype == np.float32
    assert ds.y.shape == (120,) and set(np.unique(ds.y)) == {0, 1}
    assert ds.X_raw.shape == (120, 2)


def test_embedded_moons_default_is_500_points_in_50_dimensions():
    ds = data.embedded_moons()
    assert ds.X.shape == (500, 50)
    assert np.bincount(ds.y).tolist() == [250, 250]


def test_embedded_moons_is_standardised():
    X = data.embedded_moons(n_samples=200, random_state=3).X
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(X.std(axis=0), 1.0, atol=1e-4)


def test_embedded_moons_is_deterministic_and_the_seed_matters():
    first, second = data.embedded_moons(random_state=5), data.embedded_moons(random_state=5)
    np.testing.assert_array_equal(first.X, second.X)
    np.testing.assert_array_equal(first.y, second.y)
    other = data.embedded_moons(random_state=6)
    assert not np.allclose(first.X, other.X)


def test_embedded_moons_informative_features_follow_the_moons_and_noise_features_do_not():
    ds = data.embedded_moons(n_samples=400, random_state=0)
    # the informative block is a smooth function of the 2-D moons: a linear fit on a few
    # polynomial terms of the moons explains much of it; the noise block is unrelated
    m = ds.X_raw
    design = np.column_stack([np.ones(len(m)), m, m**2, m[:, :1] * m[:, 1:], m**3])
    def explained(block):
        coef, *_ = np.linalg.lstsq(design, block, rcond=None)
        residual = block - design @ coef
        return 1 - residual.var() / block.var()
    assert explained(ds.X[:, :10]) > 0.4
    assert explained(ds.X[:, 10:]) < 0.1


def test_embedded_moons_without_noise_features():
    ds = data.embedded_moons(n_samples=50, n_informative=3, n_noise=0)
    assert ds.X.shape == (50, 3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_samples": 3}, ValueError, r"n_samples must be >= 4; got 3"),
        ({"noise": -0.1}, ValueError, r"noise must be >= 0.0; got -0.1"),
        ({"n_informative": 0}, ValueError, r"n_informative must be >= 1; got 0"),
        ({"n_noise": -1}, ValueError, r"n_noise must be >= 0; got -1"),
        ({"n_noise": 2.5}, TypeError, r"n_noise must be an integer"),
        ({"random_state": None}, TypeError, r"random_state must be an integer seed"),
    ],
)
def test_embedded_moons_rejects_bad_inputs(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.embedded_moons(**kwargs)


def test_embedded_moons_noise_blurs_the_moons_themselves():
    # Every other test passes the default noise: one that ignored noise= would pass them all.
    clean = data.embedded_moons(n_samples=60, noise=0.0, random_state=0)
    noisy = data.embedded_moons(n_samples=60, noise=0.3, random_state=0)
    np.testing.assert_array_equal(clean.y, noisy.y)
    gap = np.linalg.norm(clean.X_raw - noisy.X_raw, axis=1)
    assert gap.mean() > 0.2  # the same points moved by the noise (X_raw is standardised)
    assert not np.allclose(clean.X[:, :10], noisy.X[:, :10])  # and so do the features computed from them
