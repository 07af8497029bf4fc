"""Seeded augmentations of small square images (the 8x8 digits).

Contrastive learning needs *positive pairs*: two inputs that must land close
together. With images, the usual pair is two random distortions of the same
picture (Chen et al. 2020, SimCLR). On 8x8 digits the distortions must stay
small: a shift of one pixel is an eighth of the picture. :func:`augment_images`
draws, for every image, a small random rotation, scaling and shift (an affine
map about the centre) plus a smooth "elastic" displacement field (Simard et
al. 2003), and resamples the image with bilinear interpolation
(:func:`scipy.ndimage.map_coordinates`). Everything is NumPy/SciPy, seeded
with one ``random_state``: the same seed gives the same views, bit for bit.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from helpers._validation import check_features, check_float, check_int, check_seed


def _check_square(X, name="X"):
    X = check_features(X, name=name, min_samples=1)
    side = int(round(np.sqrt(X.shape[1])))
    if side * side != X.shape[1] or side < 2:
        raise ValueError(
            f"{name} must hold flattened square images (features = side**2, e.g. 64 for 8x8); "
            f"got {X.shape[1]} features"
        )
    if X.min() < 0.0 or X.max() > 1.0:
        raise ValueError(f"{name} must be scaled to [0, 1] (e.g. digits pixels / 16); got range "
                         f"[{X.min():.3g}, {X.max():.3g}]")
    return X, side


def augment_images(
    X,
    n_views=1,
    *,
    max_rotation=12.0,
    max_scale=0.1,
    max_shift=1.0,
    elastic_alpha=0.6,
    elastic_sigma=1.5,
    random_state=0,
):
    """Random small affine + elastic distortions of flattened square images.

    Parameters
    ----------
    X : array-like of shape (n_samples, side * side)
        Flattened images with pixels in [0, 1] (e.g. ``data.digits().X``).
    n_views : int, default=1
        Distorted copies to draw per image.
    max_rotation : float, default=12.0
        Rotation angle drawn uniformly in ``[-max_rotation, max_rotation]`` degrees.
    max_scale : float, default=0.1
        Zoom factor drawn uniformly in ``[1 - max_scale, 1 + max_scale]``.
    max_shift : float, default=1.0
        Shift in pixels, each axis uniform in ``[-max_shift, max_shift]``
        (sub-pixel shifts are interpolated).
    elastic_alpha : float, default=0.6
        Size (in pixels) of the elastic displacement after smoothing; 0 turns it off.
    elastic_sigma : float, default=1.5
        Smoothing (Gaussian sigma, in pixels) of the random displacement field.
    random_state : int, default=0
        Seed; the same seed gives the same views.

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_views, side * side), float32
        Pixels in [0, 1]. Pixels that come from outside the image are 0 (background).
    """
    X, side = _check_square(X)
    n_views = check_int(n_views, name="n_views", minimum=1)
    max_rotation = check_float(max_rotation, name="max_rotation", low=0.0, high=180.0)
    max_scale = check_float(max_scale, name="max_scale", low=0.0, high=1.0, high_inclusive=False)
    max_shift = check_float(max_shift, name="max_shift", low=0.0, high=float(side))
    elastic_alpha = check_float(elastic_alpha, name="elastic_alpha", low=0.0)
    elastic_sigma = check_float(elastic_sigma, name="elastic_sigma", low=0.0, low_inclusive=False)
    rng = np.random.default_rng(check_seed(random_state))

    n = len(X) * n_views
    images = np.repeat(X.reshape(-1, side, side), n_views, axis=0)
    angle = np.deg2rad(rng.uniform(-max_rotation, max_rotation, n))
    scale = rng.uniform(1.0 - max_scale, 1.0 + max_scale, n)
    shift = rng.uniform(-max_shift, max_shift, (n, 2))
    # Output pixel (r, c) reads the input at centre + R(angle) (p - centre) / scale - shift.
    centre = (side - 1) / 2.0
    rows, cols = np.meshgrid(np.arange(side) - centre, np.arange(side) - centre, indexing="ij")
    cos, sin = (np.cos(angle) / scale)[:, None, None], (np.sin(angle) / scale)[:, None, None]
    source_r = centre + cos * rows - sin * cols - shift[:, 0, None, None]
    source_c = centre + sin * rows + cos * cols - shift[:, 1, None, None]
    if elastic_alpha > 0:
        field = ndimage.gaussian_filter(rng.normal(size=(2, n, side, side)), sigma=(0, 0, elastic_sigma, elastic_sigma))
        field *= elastic_alpha / (field.std() + 1e-12)
        source_r = source_r + field[0]
        source_c = source_c + field[1]
    index = np.broadcast_to(np.arange(n, dtype=float)[:, None, None], source_r.shape)
    views = ndimage.map_coordinates(images, [index, source_r, source_c], order=1, mode="grid-constant", cval=0.0)
    return np.clip(views, 0.0, 1.0).astype(np.float32).reshape(len(X), n_views, side * side)
