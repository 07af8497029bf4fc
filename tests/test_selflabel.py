"""Tests for helpers.selflabel: positive sets of augmented views and neighbours."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import contrastive, selflabel
from helpers._tensorflow import load_keras
from test_contrastive import _blobs  # the same three separated 6-D blobs

keras = load_keras()


def test_positive_sets_puts_views_first_then_neighbours():
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    views = X[:, None] + np.array([0.5, 0.25])[None, :, None]
    neighbours = np.array([[1], [0], [3], [2]])
    sets = selflabel.positive_sets(X, neighbours, views)
    assert sets.shape == (4, 3, 3) and sets.dtype == np.float32
    np.testing.assert_array_equal(sets[:, :2], views)
    np.testing.assert_array_equal(sets[:, 2], X[[1, 0, 3, 2]])
    np.testing.assert_array_equal(selflabel.positive_sets(X, neighbours=neighbours)[:, 0], X[[1, 0, 3, 2]])
    np.testing.assert_array_equal(selflabel.positive_sets(X, views=views), views)


@pytest.mark.parametrize(
    ("neighbours", "views", "error", "match"),
    [
        (None, None, ValueError, "at least one positive"),
        (np.array([[1], [0], [5], [2]]), None, ValueError, r"indices in \[0, 3\]"),
        (np.array([1, 0, 3, 2]), None, ValueError, r"shape \(n_samples, k\)"),
        (np.array([[1.0], [0.0], [3.0], [2.0]]), None, TypeError, "integer"),
        (None, np.zeros((4, 2, 5)), ValueError, "n_views, n_features"),
        (None, np.zeros((3, 2, 3)), ValueError, "n_views, n_features"),
        (None, np.full((4, 1, 3), np.inf), ValueError, "NaN or infinite"),
    ],
)
def test_positive_sets_rejects_bad_inputs(neighbours, views, error, match):
    X = np.zeros((4, 3), dtype=np.float32)
    with pytest.raises(error, match=match):
        selflabel.positive_sets(X, neighbours, views)


def test_contrastive_training_on_positive_sets_lowers_the_loss_and_pulls_views_together():
    X, y = _blobs()
    rng = np.random.default_rng(0)
    views = X[:, None] + 0.05 * rng.normal(size=(len(X), 3, X.shape[1])).astype(np.float32)
    sets = selflabel.positive_sets(X, contrastive.nearest_neighbours(X, 3), views)
    helpers.set_seed(0)
    encoder = contrastive.build_contrastive_encoder(6, hidden_units=(16,), embedding_dim=4)
    model = contrastive.NeighbourContrastive(encoder, temperature=0.5, seed=0)
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    history = model.fit(X, sets, epochs=10, batch_size=40, verbose=0).history
    assert history["loss"][-1] < history["loss"][0] - 0.2
    Z = keras.ops.convert_to_numpy(encoder(X))
    same = (y[:, None] == y[None]) & ~np.eye(len(y), dtype=bool)
    cosine = Z @ Z.T
    assert cosine[same].mean() > cosine[y[:, None] != y[None]].mean() + 0.5
