"""Tests for helpers.augment: seeded small distortions of square images."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import augment, data


@pytest.fixture(scope="module")
def some_digits():
    X = data.digits().X[:60]
    X.setflags(write=False)
    return X


def test_shape_dtype_and_range(some_digits):
    views = augment.augment_images(some_digits, n_views=3, random_state=0)
    assert views.shape == (60, 3, 64) and views.dtype == np.float32
    assert views.min() >= 0.0 and views.max() <= 1.0


def test_same_seed_same_views_other_seed_other_views(some_digits):
    a = augment.augment_images(some_digits, n_views=2, random_state=7)
    b = augment.augment_images(some_digits, n_views=2, random_state=7)
    c = augment.augment_images(some_digits, n_views=2, random_state=8)
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).mean() > 0.05


def test_views_change_the_image_but_stay_close_to_it(some_digits):
    views = augment.augment_images(some_digits, n_views=4, random_state=0)
    change = np.abs(views - some_digits[:, None]).mean(axis=2)  # per view, mean pixel change
    assert np.all(change > 0.0)  # no view is a copy
    assert change.mean() > 0.05
    # a view stays closer to its own image than to most other images
    distances = np.linalg.norm(views[:, 0, None] - some_digits[None], axis=2)  # view i vs image j
    own = np.diag(distances)
    assert np.mean(own < np.median(distances, axis=1)) > 0.85  # views swapped between images: about 0.5
    assert np.all(views.sum(axis=2) > 0.3 * some_digits.sum(axis=1)[:, None])  # the digit does not leave the frame


def test_the_views_of_one_image_differ(some_digits):
    views = augment.augment_images(some_digits, n_views=2, random_state=0)
    assert np.all(np.abs(views[:, 0] - views[:, 1]).max(axis=1) > 0.0)


def test_no_distortion_is_the_identity(some_digits):
    views = augment.augment_images(some_digits, n_views=2, max_rotation=0.0, max_scale=0.0, max_shift=0.0,
                                   elastic_alpha=0.0, random_state=0)
    np.testing.assert_allclose(views, np.repeat(some_digits[:, None], 2, axis=1), atol=1e-6)


def test_a_shift_moves_the_ink():
    image = np.zeros((1, 64), dtype=np.float32)
    image[0, 3 * 8 + 3] = 1.0  # one lit pixel at row 3, column 3
    views = augment.augment_images(image, n_views=20, max_rotation=0.0, max_scale=0.0, max_shift=1.0,
                                   elastic_alpha=0.0, random_state=0)
    rows, cols = np.indices((8, 8))
    mass = views[0].reshape(20, 8, 8)
    centre_r = (mass * rows).sum(axis=(1, 2)) / mass.sum(axis=(1, 2))
    centre_c = (mass * cols).sum(axis=(1, 2)) / mass.sum(axis=(1, 2))
    moved = np.hypot(centre_r - 3, centre_c - 3)
    assert moved.max() > 0.3 and moved.max() <= np.sqrt(2) + 1e-6


@pytest.mark.parametrize(
    ("X", "kwargs", "error", "match"),
    [
        (np.zeros((3, 63)), {}, ValueError, "square images"),
        (np.full((3, 64), 16.0), {}, ValueError, r"\[0, 1\]"),
        (np.zeros(64), {}, ValueError, "2-D"),
        (np.array([[np.nan] * 64]), {}, ValueError, "NaN"),
        (np.zeros((3, 64)), {"n_views": 0}, ValueError, "n_views must be >= 1"),
        (np.zeros((3, 64)), {"max_scale": 1.0}, ValueError, "max_scale"),
        (np.zeros((3, 64)), {"elastic_sigma": 0.0}, ValueError, "elastic_sigma"),
        (np.zeros((3, 64)), {"random_state": None}, TypeError, "random_state"),
        (np.array([["a"] * 64]), {}, TypeError, "real numbers"),
    ],
)
def test_bad_inputs_raise_clear_errors(X, kwargs, error, match):
    with pytest.raises(error, match=match):
        augment.augment_images(X, **kwargs)
