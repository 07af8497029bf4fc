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


def _train(seed, epochs=3):
    X, y = _blobs()
    nn = contrastive.nearest_neighbours(X, 3)
    helpers.set_seed(seed)
    encoder = contrastive.build_contrastive_encoder(6, hidden_units=(16,), embedding_dim=4)
    history = contrastive.train_neighbour_contrastive(encoder, X, nn, epochs=epochs, batch_size=32, random_state=seed)
    return X, y, nn, encoder, history


def _cosine_gap(Z, nn):
    """Mean cosine of neighbour pairs minus that of random pairs."""
    Z = Z / np.linalg.norm(Z, axis=1, keepdims=True)
    random_pairs = np.random.default_rng(0).permutation(len(Z))
    return float(np.mean(np.sum(Z * Z[nn[:, 0]], axis=1)) - np.mean(np.sum(Z * Z[random_pairs], axis=1)))


def test_contrastive_training_lowers_the_loss_and_pulls_neighbours_together():
    X, y = _blobs()
    nn = contrastive.nearest_neighbours(X, 3)
    helpers.set_seed(0)
    encoder = contrastive.build_contrastive_encoder(6, hidden_units=(16,), embedding_dim=4)
    gap_before = _cosine_gap(keras.ops.convert_to_numpy(encoder(X)), nn)
    history = contrastive.train_neighbour_contrastive(encoder, X, nn, epochs=30, batch_size=32, random_state=0)
    gap_after = _cosine_gap(keras.ops.convert_to_numpy(encoder(X)), nn)
    assert len(history["loss"]) == 30
    assert history["loss"][-1] < history["loss"][0] - 0.1
    assert gap_after > gap_before + 0.2


def test_contrastive_training_is_deterministic_under_a_seed():
    *_, enc_a, hist_a = _train(1)
    X, _, _, enc_b, hist_b = _train(1)
    assert hist_a == hist_b
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(enc_a(X)), keras.ops.convert_to_numpy(enc_b(X)))


def test_random_neighbour_draws_afresh_and_only_among_the_neighbours():
    X, _ = _blobs()
    nn = contrastive.nearest_neighbours(X, 4)
    seed = keras.random.SeedGenerator(0)
    draws = [keras.ops.convert_to_numpy(contrastive.random_neighbour(X[nn], seed)) for _ in range(2)]
    assert not np.array_equal(draws[0], draws[1])
    for draw in draws:
        picked = np.argmin(np.abs(X[nn] - draw[:, None, :]).sum(axis=-1), axis=1)
        np.testing.assert_allclose(draw, X[nn[np.arange(len(X)), picked]])
    assert len(set(picked)) == 4  # every column gets drawn


def test_fit_draws_new_positive_pairs_every_epoch(monkeypatch):
    X, _ = _blobs()
    nn = contrastive.nearest_neighbours(X, 3)
    seen = keras.Variable(np.zeros_like(X), trainable=False)
    draw = contrastive.random_neighbour

    def recording_draw(neighbour_sets, seed):
        positives = draw(neighbour_sets, seed)
        seen.assign(positives)
        return positives

    monkeypatch.setattr(contrastive, "random_neighbour", recording_draw)
    epochs = []
    record = keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: epochs.append(keras.ops.convert_to_numpy(seen)))
    helpers.set_seed(0)
    model = contrastive.NeighbourContrastive(contrastive.build_contrastive_encoder(6, (8,), 3), seed=0)
    model.compile(optimizer="adam")
    model.fit(X, X[nn], epochs=2, batch_size=len(X), shuffle=False, verbose=0, callbacks=[record])
    assert not np.array_equal(epochs[0], epochs[1])
    for positives in epochs:  # each positive is one of its anchor's neighbours
        assert np.all(np.min(np.abs(X[nn] - positives[:, None, :]).sum(axis=-1), axis=1) < 1e-6)


def test_scan_head_at_step_zero_reproduces_kmeans_labels():
    from sklearn.cluster import KMeans

    X, _ = _blobs()
    helpers.set_seed(0)
    encoder = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3)])  # not unit length: cosine rule would differ
    Z = keras.ops.convert_to_numpy(encoder(X))
    kmeans = KMeans(5, n_init=5, random_state=0).fit(Z)
    model = contrastive.SCAN(encoder, kmeans.cluster_centers_)
    np.testing.assert_array_equal(model.predict(X, verbose=0).argmax(axis=1), kmeans.predict(Z))


def test_scan_head_trains_and_logs_both_terms():
    X, y, nn, encoder, _ = _train(0)
    Z = keras.ops.convert_to_numpy(encoder(X))
    centres = np.stack([Z[y == c].mean(axis=0) for c in range(3)])
    result = contrastive.fit_scan_head(encoder, X, nn, centres, epochs=3, batch_size=32, learning_rate=1e-2,
                                       random_state=0)
    assert result.probabilities.shape == (120, 3)
    np.testing.assert_allclose(result.probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert len(result.history["consistency"]) == 3 and len(result.history["entropy"]) == 3
    assert result.history["consistency"][-1] < result.history["consistency"][0]
    assert 0 < result.history["entropy"][-1] <= np.log(3) + 1e-6


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"neighbours": np.zeros((5, 2), np.int32)}, ValueError, "neighbours must have shape"),
        ({"neighbours": np.zeros((120,), np.int32)}, ValueError, "neighbours must have shape"),
        ({"neighbours": np.full((120, 2), 500, np.int32)}, ValueError, "indices in"),
        ({"neighbours": np.zeros((120, 2))}, TypeError, "integer indices"),
        ({"encoder": "net"}, TypeError, "encoder must be a keras.Model"),
        ({"X": np.zeros((120, 5), np.float32)}, ValueError, "X has 5 features but the encoder expects 6"),
        ({"X": np.full((120, 6), np.nan)}, ValueError, "NaN"),
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


def test_scan_head_rejects_bad_centres():
    X, _ = _blobs()
    encoder = contrastive.build_contrastive_encoder(6, hidden_units=(4,), embedding_dim=2)
    nn = contrastive.nearest_neighbours(X, 2)
    with pytest.raises(ValueError, match="centres have 5 features but the encoder outputs 2"):
        contrastive.fit_scan_head(encoder, X, nn, np.zeros((3, 5)), batch_size=32)
    with pytest.raises(ValueError, match="121 centres"):
        contrastive.fit_scan_head(encoder, X, nn, np.zeros((121, 2)), batch_size=32)
    with pytest.raises(ValueError, match="NaN"):
        contrastive.fit_scan_head(encoder, X, nn, np.full((3, 2), np.nan), batch_size=32)
