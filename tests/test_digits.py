"""Tests for helpers.data.digits: the real handwritten digits of notebook 04."""

from __future__ import annotations

import numpy as np

from helpers import data


def test_digits_shapes_range_and_dtype():
    digits = data.digits()
    assert digits.X.shape == (1797, 64) and digits.X.dtype == np.float32
    assert digits.y.shape == (1797,) and np.issubdtype(digits.y.dtype, np.integer)
    assert digits.X.min() == 0.0 and digits.X.max() == 1.0
    assert set(np.unique(digits.y)) == set(range(10))


def test_digits_scaling_is_raw_over_16():
    digits = data.digits()
    assert digits.X_raw.max() == 16
    np.testing.assert_allclose(digits.X, digits.X_raw / 16.0, rtol=1e-6)
