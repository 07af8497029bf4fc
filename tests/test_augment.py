"""Notebook 04's augmentations (its ``lesson-code`` cells): seeded small distortions of square images."""

from __future__ import annotations

import re

import numpy as np
import pytest
from lesson_code import load

from helpers import data

lesson = load("04_deep_embedded_clustering_digits.ipynb")
OFF = {"max_rotation": 0.0, "max_scale": 0.0, "max_shift": 0.0, "elastic": 0.0}


@pytest.fixture(scope="module")
def some_digits():
    X = data.digits().X[:60]
    X.setflags(write=False)
    return X


def test_shape_dtype_and_range(some_digits):
    views = lesson.augment_images(some_digits, 3, seed=0)
    assert views.shape == (60, 3, 64) and views.dtype == np.float32
    assert views.min() >= 0.0 and views.max() <= 1.0


def test_same_seed_same_views_other_seed_other_views(some_digits):
    a = lesson.augment_images(some_digits, 2, seed=7)
    b = lesson.augment_images(some_digits, 2, seed=7)
    c = lesson.augment_images(some_digits, 2, seed=8)
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).mean() > 0.05


def test_views_change_the_image_but_stay_close_to_it(some_digits):
    views = lesson.augment_images(some_digits, 4, seed=0)
    change = np.abs(views - some_digits[:, None]).mean(axis=2)  # per view, mean pixel change
    assert np.all(change > 0.0) and change.mean() > 0.05
    distances = np.linalg.norm(views[:, 0, None] - some_digits[None], axis=2)  # view i vs image j
    assert np.mean(np.diag(distances) < np.median(distances, axis=1)) > 0.85  # swapped between images: about 0.5
    assert np.all(views.sum(axis=2) > 0.3 * some_digits.sum(axis=1)[:, None])  # the digit stays in the frame


def test_the_views_of_one_image_differ(some_digits):
    views = lesson.augment_images(some_digits, 2, seed=0)
    assert np.all(np.abs(views[:, 0] - views[:, 1]).max(axis=1) > 0.0)


def test_no_distortion_is_the_identity(some_digits):
    views = lesson.augment_images(some_digits, 2, seed=0, **OFF)
    np.testing.assert_allclose(views, np.repeat(some_digits[:, None], 2, axis=1), atol=1e-6)


def _centre_of_mass(views):
    rows, cols = np.indices((8, 8))
    mass = views.reshape(-1, 8, 8)
    total = mass.sum(axis=(1, 2))
    return (mass * rows).sum(axis=(1, 2)) / total, (mass * cols).sum(axis=(1, 2)) / total


def test_a_shift_moves_the_ink_by_at_most_max_shift():
    image = np.zeros((1, 64), dtype=np.float32)
    image[0, 3 * 8 + 3] = 1.0  # one lit pixel at row 3, column 3
    views = lesson.augment_images(image, 20, seed=0, **{**OFF, "max_shift": 1.0})
    r, c = _centre_of_mass(views[0])
    moved = np.hypot(r - 3, c - 3)
    assert moved.max() > 0.3 and moved.max() <= np.sqrt(2) + 1e-6


@pytest.mark.parametrize("step", [{"max_rotation": 30.0}, {"max_scale": 0.3}, {"elastic": 1.0}])
def test_each_distortion_step_acts_on_its_own(some_digits, step):
    # Dropping a step from augment_images (or ignoring its parameter) leaves the image unchanged here.
    views = lesson.augment_images(some_digits, 2, seed=0, **{**OFF, **step})
    assert np.abs(views - some_digits[:, None]).mean() > 0.02


def test_a_rotation_turns_ink_about_the_centre_and_a_zoom_moves_it_out():
    image = np.zeros((1, 64), dtype=np.float32)
    image[0, 1 * 8 + 3:1 * 8 + 5] = 1.0  # ink near the top, centred left-right
    turned = lesson.augment_images(image, 20, seed=0, **{**OFF, "max_rotation": 30.0})[0]
    r, c = _centre_of_mass(turned)
    radius = np.hypot(r - 3.5, c - 3.5)
    assert np.abs(c - 3.5).max() > 0.5  # the ink swings sideways
    assert np.all(np.abs(radius - 2.5) < 0.6)  # at about the same distance from the centre
    zoomed = lesson.augment_images(image, 20, seed=0, **{**OFF, "max_scale": 0.3})[0]
    r, c = _centre_of_mass(zoomed)
    assert np.ptp(np.hypot(r - 3.5, c - 3.5)) > 0.3 and np.allclose(c, 3.5, atol=1e-4)


@pytest.mark.parametrize("X, match", [
    (np.zeros((3, 63)), r"^X must be a 2-D array of flattened square images \(64 pixels for 8 x 8\); got shape \(3, 63\)$"),
    (np.zeros(64), r"flattened square images .*; got shape \(64,\)$"),
    (np.full((3, 64), 16.0), r"^pixels must lie in \[0, 1\]: divide them all by the largest possible value \(16 for "
                             r"these digits, 255 for 8-bit images\); got values from 16 to 16$"),
    (np.full((3, 64), 255.0) / 16, r"255 for 8-bit images\); got values from 15.9375 to 15.9375$"),
    (np.r_[[np.zeros(64)], [[np.nan] * 2 + [0.5] * 62]], r"^X holds 2 NaN pixel\(s\); fill or drop those images first$"),
    (np.r_[[np.full(64, 16.0)], [[np.nan] * 64]], r"^X holds 64 NaN pixel\(s\)"),  # the NaN first: dividing cannot mend it
])
def test_bad_inputs_raise_one_clear_error_per_cause(X, match):
    """One message for four causes named none of them: a NaN, raw 0-16 pixels and a wrong shape all read
    'flattened square images, pixels in [0, 1]; got shape (300, 64)', a shape that was right. Then a learner's
    probe: 0-255 images divided by 16, as the message said, were refused again, and a NaN was told to divide."""
    with pytest.raises(ValueError, match=match):
        lesson.augment_images(X, 1, seed=0)


def test_positive_sets_take_a_dataframe_as_an_array():
    pandas = pytest.importorskip("pandas")
    X = np.arange(12.0).reshape(4, 3)
    neighbours, views = np.array([[1], [0], [3], [2]]), np.zeros((4, 1, 3))
    np.testing.assert_array_equal(lesson.positive_sets(pandas.DataFrame(X), neighbours, views),
                                  lesson.positive_sets(X, neighbours, views))


@pytest.mark.parametrize("n_views", [0, -1, 1.5, 2.0, True, "2", None])
def test_augment_refuses_a_number_of_views_that_is_not_an_int_from_one(n_views):
    """n_views=0 drew noise from empty arrays (NumPy's 'mean of empty slice' warnings); 1.5 failed in rng.uniform,
    True with 'an integer is required'."""
    with pytest.raises(ValueError, match=rf"n_views must be an int, at least 1; got {re.escape(repr(n_views))}"):
        lesson.augment_images(np.zeros((3, 64)), n_views, seed=0)
    assert lesson.augment_images(np.zeros((3, 64)), np.int64(2), seed=0).shape == (3, 2, 64)  # NumPy's ints work


@pytest.mark.parametrize("views", [np.zeros((4, 1, 2)), np.zeros((3, 1, 3)), np.zeros((4, 3))])
def test_positive_sets_name_views_of_the_wrong_shape(views):
    """Views of another width or row count gave NumPy's 'all the input array dimensions except for the
    concatenation axis must match exactly'; 2-D views 'must have same number of dimensions'."""
    X, neighbours = np.arange(12.0).reshape(4, 3), np.array([[1], [0], [3], [2]])
    with pytest.raises(ValueError, match=re.escape(f"views must have shape (len(X), n_views, n_features) = "
                                                   f"(4, n_views, 3); got {views.shape}")):
        lesson.positive_sets(X, neighbours, views)
    assert lesson.positive_sets(X, neighbours, np.zeros((4, 0, 3))).shape == (4, 1, 3)  # no views: neighbours only
