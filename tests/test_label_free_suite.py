"""benchmarks/label_free.py's tables: each is scaled as notebook 05 scales a learner's table."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import label_free  # noqa: E402


def test_tables_in_different_units_are_standardised_column_by_column():
    for name in label_free.MIXED_UNITS:
        X, _ = label_free.load(name, "full", 0)
        np.testing.assert_allclose(X.std(axis=0), 1.0)


def test_tables_in_one_unit_keep_their_columns_relative_spread():
    # the elongated cloud is 5 times longer than wide; standardising each column would make it round
    X, y = label_free.load("elongated Gaussian 8-D", 1000, 0)
    spread = X.std(axis=0)
    assert y is None and spread[0] / spread[-1] == pytest.approx(5.0, rel=0.15)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(np.sqrt(np.mean(X**2)), 1.0)
    # the digits' pixels: one scale, so a stroke in a mostly blank pixel stays a few units from 0
    pixels, labels = label_free.load("digits", "full", 0)
    assert pixels.shape == (1797, 61) and np.abs(pixels).max() < 4 and len(labels) == 1797


def test_every_real_table_is_declared_one_unit_or_mixed_on_purpose():
    # iris: four lengths in cm; digits: pixel intensities 0-16; wine and breast cancer: mixed units
    assert set(label_free.MIXED_UNITS) == {"wine", "breast cancer"}
    X, _ = label_free.load("iris", "full", 0)
    assert X.std(axis=0).max() / X.std(axis=0).min() > 3  # petal length varies far more than sepal width
