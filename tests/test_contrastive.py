"""Tests for helpers.contrastive: neighbours, the InfoNCE embedding and the SCAN head."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import contrastive
from helpers._tensorflow import load_keras

keras = load_keras()


def _blobs(n_per=40, seed=0):
    rng = np.random.default_rng(seed)
    centres = 3.0 * np.eye(3, 6)
    X = np.vstack([c + 0.3 * rng.normal(size=(n_per, 6)) for c in centres]).astype(np.float32)
    return X, np.repeat(np.arange(3), n_per)


def test_nearest_neighbours_excludes_self_and_finds_the_closest():
    X = np.array([[0.0], [1.0], [3.0], [10.0]])
    nn = contrastive.nearest_neighbours(X, k=2)
    assert nn.shape == (4, 2) and nn.dtype == np.int32
    assert not np.any(nn == np.arange(4)[:, None])
    np.testing.assert_array_equal(nn[:, 0], [1, 0, 1, 2])


def test_nearest_neighbours_rejects_bad_k():
    with pytest.raises(ValueError, match="k must be <= 2"):
        contrastive.nearest_neighbours(np.zeros((3, 2)), k=3)


def test_encoder_output_has_unit_length():
    encoder = contrastive.build_contrastive_encoder(6, hidden_units=(8,), embedding_dim=3)
    Z = keras.ops.convert_to_numpy(encoder(np.random.default_rng(0).normal(size=(10, 6)).astype(np.float32)))
    np.testing.assert_allclose(np.linalg.norm(Z, axis=1), 1.0, rtol=1e-5)


def test_info_nce_is_lower_when_partners_match():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(8, 4)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    matched = float(contrastive.info_nce_loss(a, a, 0.5))
    shuffled = float(contrastive.info_nce_loss(a, a[::-1].copy(), 0.5))
    assert matched < shuffled


def _train(seed):
    X, y = _blobs()
    nn = contrastive.nearest_neighbours(X, 3)
    helpers.set_seed(seed)
    encoder = contrastive.build_contrastive_encoder(6, hidden_units=(16,), embedding_dim=4)
    history = contrastive.train_neighbour_contrastive(encoder, X, nn, epochs=3, batch_size=32, random_state=seed)
    return X, y, nn, encoder, history


def test_contrastive_training_is_deterministic_and_logs_every_epoch():
    *_, enc_a, hist_a = _train(1)
    X, _, _, enc_b, hist_b = _train(1)
    assert len(hist_a["loss"]) == 3
    assert hist_a == hist_b
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(enc_a(X)), keras.ops.convert_to_numpy(enc_b(X)))


def test_scan_head_starts_from_the_centres_and_returns_probabilities():
    X, y, nn, encoder, _ = _train(0)
    Z = keras.ops.convert_to_numpy(encoder(X))
    centres = np.stack([Z[y == c].mean(axis=0) for c in range(3)])
    result = contrastive.fit_scan_head(encoder, X, nn, centres, epochs=2, batch_size=32, random_state=0)
    assert result.probabilities.shape == (120, 3)
    np.testing.assert_allclose(result.probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert len(result.history["consistency"]) == 2 and len(result.history["entropy"]) == 2
    assert result.labels.shape == (120,)


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"neighbours": np.zeros((5, 2), np.int32)}, ValueError, "neighbours must have shape"),
        ({"neighbours": np.full((120, 2), 500, np.int32)}, ValueError, "indices in"),
        ({"neighbours": np.zeros((120, 2))}, TypeError, "integer indices"),
        ({"encoder": "net"}, TypeError, "encoder must be a keras.Model"),
        ({"temperature": 0.0}, ValueError, "temperature must be > 0"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1"),
        ({"batch_size": 1}, ValueError, "batch_size must be >= 2"),
        ({"random_state": None}, TypeError, "random_state"),
    ],
)
def test_contrastive_training_rejects_bad_input(change, error, match):
    X, _ = _blobs()
    args = {"encoder": contrastive.build_contrastive_encoder(6, hidden_units=(4,), embedding_dim=2),
            "X": X, "neighbours": contrastive.nearest_neighbours(X, 2)}
    kwargs = {"batch_size": 32, **{k: v for k, v in change.items() if k not in args}}
    args.update({k: v for k, v in change.items() if k in args})
    with pytest.raises(error, match=match):
        contrastive.train_neighbour_contrastive(args["encoder"], args["X"], args["neighbours"], **kwargs)


def test_scan_head_rejects_centres_of_the_wrong_width():
    X, _ = _blobs()
    encoder = contrastive.build_contrastive_encoder(6, hidden_units=(4,), embedding_dim=2)
    with pytest.raises(ValueError, match="encoder outputs 2"):
        contrastive.fit_scan_head(encoder, X, contrastive.nearest_neighbours(X, 2), np.zeros((3, 5)))
