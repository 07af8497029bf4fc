"""Positive sets for contrastive training: augmented views and neighbours.

The models of :mod:`helpers.contrastive` draw, at every training step, one
partner at random from a *set* of positives per sample (``fit(X, sets)``).
:func:`positive_sets` builds those sets from augmented views
(:func:`helpers.augment.augment_images`) and from nearest neighbours, so the
same ``NeighbourContrastive`` and ``SCAN`` models train on augmentations, on
neighbours, or on both (Van Gansbeke et al. 2020, SCAN, mine neighbours in
a learned embedding; Chen et al. 2020, SimCLR, pair distorted views).
"""

from __future__ import annotations

import numpy as np

from helpers._validation import check_features
from helpers.contrastive import _check_neighbours


def positive_sets(X, neighbours=None, views=None):
    """Stack every sample's positives: its augmented views, then its neighbours.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    neighbours : array-like of int, shape (n_samples, k), optional
        Indices into ``X`` (e.g. from :func:`helpers.contrastive.nearest_neighbours`).
    views : array-like of shape (n_samples, n_views, n_features), optional
        Augmented copies of every sample (e.g. from :func:`helpers.augment.augment_images`).

    Returns
    -------
    numpy.ndarray of shape (n_samples, n_views + k, n_features), float32
        Row ``i`` holds the candidates one of which is drawn at each training
        step as the partner of sample ``i``.
    """
    X = check_features(X, min_samples=2).astype(np.float32)
    if neighbours is None and views is None:
        raise ValueError("give neighbours, views or both: a sample needs at least one positive")
    parts = []
    if views is not None:
        views = np.asarray(views)
        if views.ndim != 3 or views.shape[0] != len(X) or views.shape[2] != X.shape[1] or views.shape[1] < 1:
            raise ValueError(
                f"views must have shape (n_samples, n_views, n_features) = ({len(X)}, n_views, {X.shape[1]}); "
                f"got {views.shape}"
            )
        views = check_features(views.reshape(-1, X.shape[1]), name="views").reshape(views.shape)
        parts.append(views.astype(np.float32))
    if neighbours is not None:
        parts.append(X[_check_neighbours(neighbours, len(X))])
    return np.concatenate(parts, axis=1)
