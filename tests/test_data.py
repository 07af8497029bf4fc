"""Tests for helpers.data: the seeded, scaled datasets."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers import data

# --------------------------------------------------------------------------- standardize


def test_standardize_gives_zero_mean_unit_variance_float32():
    X = np.random.default_rng(1).normal(loc=[5.0, -300.0], scale=[2.0, 40.0], size=(200, 2))
    Z = data.standardize(X)
    assert Z.dtype == np.float32 and Z.shape == X.shape
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, atol=1e-5)


def test_standardize_matches_the_formula_column_by_column():
    X = np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0]])
    expected = (X - X.mean(axis=0)) / X.std(axis=0)
    np.testing.assert_allclose(data.standardize(X), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        ([[1.0, np.nan], [2.0, 3.0]], ValueError, r"NaN or infinite"),
        ([1.0, 2.0, 3.0], ValueError, r"must be a 2-D array"),
        ([[1.0, 2.0]], ValueError, r"at least 2 samples"),
        ([["a"], ["b"]], TypeError, r"must contain real numbers"),
    ],
)
def test_standardize_rejects_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        data.standardize(X)


# --------------------------------------------------------------------------- blobs


def test_blobs_shapes_types_and_labels():
    ds = data.blobs(n_samples=60, centers=4, n_features=3)
    assert isinstance(ds, data.Dataset)
    assert ds.X.shape == (60, 3) and ds.X.dtype == np.float32
    assert ds.X_raw.shape == (60, 3)
    assert ds.y.shape == (60,) and ds.y.dtype == np.int64
    assert set(np.unique(ds.y)) == {0, 1, 2, 3}


def test_blobs_X_is_the_standardised_X_raw():
    ds = data.blobs(n_samples=80, n_features=5, random_state=3)
    np.testing.assert_allclose(ds.X, data.standardize(ds.X_raw), rtol=1e-6)
    np.testing.assert_allclose(ds.X.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(ds.X.std(axis=0), 1.0, atol=1e-5)


def test_blobs_same_seed_gives_identical_arrays():
    a, b = data.blobs(random_state=7), data.blobs(random_state=7)
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)


def test_blobs_different_seeds_give_different_data():
    assert not np.array_equal(data.blobs(random_state=1).X, data.blobs(random_state=2).X)


def test_blobs_cluster_std_controls_spread():
    tight = data.blobs(n_samples=300, cluster_std=0.5, random_state=0)
    loose = data.blobs(n_samples=300, cluster_std=3.0, random_state=0)

    def within_blob_std(ds):
        return np.mean([ds.X_raw[ds.y == k].std(axis=0).mean() for k in np.unique(ds.y)])

    assert within_blob_std(tight) == pytest.approx(0.5, rel=0.2)
    assert within_blob_std(loose) == pytest.approx(3.0, rel=0.2)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_samples": 5, "centers": 3}, ValueError, r"n_samples must be >= 6; got 5"),
        ({"n_samples": -10}, ValueError, r"n_samples must be >= 6"),
        ({"centers": 0}, ValueError, r"centers must be >= 1; got 0"),
        ({"n_features": 0}, ValueError, r"n_features must be >= 1; got 0"),
        ({"cluster_std": 0.0}, ValueError, r"cluster_std must be > 0\.0; got 0\.0"),
        ({"cluster_std": -1.0}, ValueError, r"cluster_std must be > 0\.0"),
        ({"cluster_std": float("nan")}, ValueError, r"cluster_std must be finite"),
        ({"random_state": -1}, ValueError, r"random_state must be >= 0"),
        ({"random_state": None}, TypeError, r"random_state must be an integer seed"),
        ({"n_samples": 100.0}, TypeError, r"n_samples must be an integer"),
        ({"centers": "3"}, TypeError, r"centers must be an integer"),
    ],
)
def test_blobs_rejects_impossible_parameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.blobs(**kwargs)


# --------------------------------------------------------------------------- moons


def test_moons_shapes_types_and_two_classes():
    ds = data.moons(n_samples=50)
    assert ds.X.shape == (50, 2) and ds.X.dtype == np.float32
    assert ds.X_raw.shape == (50, 2)
    assert ds.y.dtype == np.int64 and set(np.unique(ds.y)) == {0, 1}
    np.testing.assert_allclose(ds.X.std(axis=0), 1.0, atol=1e-5)


def test_moons_same_seed_gives_identical_arrays_and_other_seed_differs():
    a, b, c = data.moons(random_state=5), data.moons(random_state=5), data.moons(random_state=6)
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    assert not np.array_equal(a.X, c.X)


def test_moons_without_noise_lie_on_unit_half_circles():
    ds = data.moons(n_samples=40, noise=0.0)
    upper = ds.X_raw[ds.y == 0]  # centred at (0, 0), radius 1
    lower = ds.X_raw[ds.y == 1]  # centred at (1, 0.5), radius 1
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(lower - [1.0, 0.5], axis=1), 1.0, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_samples": 3}, ValueError, r"n_samples must be >= 4; got 3"),
        ({"n_samples": -1}, ValueError, r"n_samples must be >= 4"),
        ({"noise": -0.1}, ValueError, r"noise must be >= 0\.0; got -0\.1"),
        ({"noise": float("inf")}, ValueError, r"noise must be finite"),
        ({"noise": "0.1"}, TypeError, r"noise must be a number"),
        ({"random_state": None}, TypeError, r"random_state must be an integer seed"),
    ],
)
def test_moons_rejects_impossible_parameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.moons(**kwargs)


def test_standardize_scales_columns_of_huge_or_tiny_values_like_any_other():
    """A learner's probe: values near 1e200 came back as -inf, 0, inf (their squares overflow), values near 1e-300
    as zeros (their variance underflows); ordinary columns must give exactly StandardScaler's numbers."""
    from sklearn.preprocessing import StandardScaler

    plain = data.standardize(np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]))
    for scale in (1e200, 1e-300):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no overflow on the way
            np.testing.assert_allclose(data.standardize(np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]) * [scale, 1.0]),
                                       plain, rtol=1e-6)
    X = np.random.default_rng(0).normal(size=(200, 5)) * [1, 10, 1e3, 1e-3, 7]
    np.testing.assert_array_equal(data.standardize(X), StandardScaler().fit_transform(X).astype(np.float32))
    assert np.all(data.standardize(np.column_stack([np.ones(5), np.arange(5.0)]))[:, 0] == 0)  # constant stays 0
