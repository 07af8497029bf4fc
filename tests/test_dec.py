"""DEC as notebook 04 writes it (its ``lesson-code`` cells): Student-t assignments, the target, training."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lesson_code import load

import helpers
from helpers import models
from helpers._tensorflow import load_keras


def _lesson_02():
    """Notebook 02's own VAE builder (the VAE lives in the notebook's lesson-code cells)."""
    import lesson_code

    return lesson_code.load("02_vae_kmeans.ipynb")

keras = load_keras()
lesson = load("04_deep_embedded_clustering_digits.ipynb")


def _blobs(n_per=30, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0, 0.0], [4.0, 4.0, 0.0, 0.0], [0.0, 4.0, 4.0, 4.0]])
    X = np.vstack([c + 0.3 * rng.normal(size=(n_per, 4)) for c in centres]).astype(np.float32)
    return X, np.repeat(np.arange(3), n_per)


def _pretrained(X, seed=0, epochs=5):
    helpers.set_seed(seed)
    autoencoder, encoder = models.build_autoencoder(X.shape[1], hidden_units=(8,), latent_dim=2)
    autoencoder.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    autoencoder.fit(X, X, epochs=epochs, batch_size=16, verbose=0)
    return autoencoder, encoder


def _encode(encoder, X):
    return keras.ops.convert_to_numpy(encoder(X))


def _dec(encoder, centres, learning_rate=1e-2):
    model = lesson.DEC(encoder, centres)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="kld")
    return model


# ------------------------------------------------------------------ soft assignment and target


def test_clustering_layer_rows_are_positive_and_sum_to_one():
    z = np.random.default_rng(0).normal(size=(20, 3)).astype(np.float32)
    q = keras.ops.convert_to_numpy(lesson.ClusteringLayer(np.eye(4, 3, dtype="float32"))(z))
    assert q.shape == (20, 4)
    assert np.all(q > 0)
    np.testing.assert_allclose(q.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("alpha", [1.0, 3.0])
def test_soft_assignment_matches_the_student_t_formula(alpha):
    centres = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    z = np.array([[0.5, 0.0], [1.0, 2.0]], dtype=np.float32)
    q = keras.ops.convert_to_numpy(lesson.soft_assign(z, centres, alpha))
    squared = ((z[:, None, :] - centres[None]) ** 2).sum(-1)
    kernel = (1.0 + squared / alpha) ** (-(alpha + 1) / 2)
    np.testing.assert_allclose(q, kernel / kernel.sum(axis=1, keepdims=True), rtol=1e-5)
    assert q[0].argmax() == 0


def test_target_distribution_matches_the_formula_and_sharpens_balanced_clusters():
    rows = np.random.default_rng(1).dirichlet(np.ones(5), size=10)
    q = np.vstack([np.roll(rows, shift, axis=1) for shift in range(5)])  # every cluster equally large
    p = lesson.target_distribution(q)
    weight = q**2 / q.sum(axis=0)
    np.testing.assert_allclose(p, weight / weight.sum(axis=1, keepdims=True), rtol=1e-10)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-10)
    assert np.all(p.max(axis=1) > q.max(axis=1))  # confident assignments get more confident
    np.testing.assert_array_equal(p.argmax(axis=1), q.argmax(axis=1))


def test_target_distribution_discounts_large_clusters():
    # Two points sure of cluster 0, one undecided: dividing by the soft cluster size sends it to cluster 1.
    q = np.array([[0.9, 0.1], [0.9, 0.1], [0.5, 0.5]])
    p = lesson.target_distribution(q)
    assert p[2, 1] > p[2, 0]


def test_target_distribution_accepts_zero_assignments():
    # Hard (one-hot) rows are valid q: a zero is non-negative. f = (1.5, 1.5), so p equals q here.
    q = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    np.testing.assert_allclose(lesson.target_distribution(q), q)


@pytest.mark.parametrize("q", [[[0.5, 0.5], [-0.1, 1.1]], [[1.0, 0.0], [1.0, 0.0]], [0.5, 0.5], [[np.nan, 1.0]]])
def test_target_distribution_rejects_bad_input(q):
    with pytest.raises(ValueError, match="non-negative soft assignments"):
        lesson.target_distribution(q)


def test_dec_refuses_centres_of_the_wrong_width_naming_both():
    _, encoder = models.build_autoencoder(4, hidden_units=(8,), latent_dim=2)
    with pytest.raises(ValueError, match=r"centres have shape \(3, 5\), but the encoder outputs 2 features"):
        lesson.DEC(encoder, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="encoder outputs 2 features"):
        lesson.SCAN(encoder, np.zeros((3, 5)))


@pytest.mark.parametrize("centres, message", [
    (np.array([[np.nan, 0.0], [1.0, 1.0]]), "finite numbers"),  # would train to a loss of NaN
    (np.array([[1e300, 0.0], [1.0, 1.0]]), "float32's range"),  # finite here, infinite once float32
    (np.zeros((0, 2)), r"shape \(0, 2\).*at least one"),  # q would have no column
    (pd.DataFrame({"a": pd.array([0, None], dtype="Int64"), "b": [1, 2]}), "no missing values"),
    ([["a", "b"], ["c", "d"]], "must be numbers"),
])
def test_dec_and_scan_refuse_centres_that_are_not_a_usable_start(centres, message):
    """Centres a learner computes on their own data (a DataFrame of means, a KMeans with NaN input)."""
    _, encoder = models.build_autoencoder(4, hidden_units=(8,), latent_dim=2)
    for model in (lesson.DEC, lesson.SCAN):
        with pytest.raises(ValueError, match=message):
            model(encoder, centres)


def test_dec_takes_centres_from_a_nullable_dataframe_without_missing_values():
    _, encoder = models.build_autoencoder(4, hidden_units=(8,), latent_dim=2)
    frame = pd.DataFrame({"a": pd.array([0, 3], dtype="Int64"), "b": pd.array([1.5, 2.0], dtype="Float64")})
    model = lesson.DEC(encoder, frame)
    np.testing.assert_array_equal(model.clustering.centres.numpy(), np.array([[0, 1.5], [3, 2.0]], dtype="float32"))


def test_check_centres_takes_the_largest_finite_float32():
    _, encoder = models.build_autoencoder(4, hidden_units=(8,), latent_dim=2)
    largest = float(np.finfo("float32").max)
    np.testing.assert_array_equal(models.check_centres(encoder, [[largest, 0.0]]), [[largest, 0.0]])


def test_dec_refuses_data_of_the_wrong_width_in_one_line():
    _, encoder = models.build_autoencoder(4, hidden_units=(8,), latent_dim=2)
    model = _dec(encoder, np.eye(3, 2, dtype="float32"))
    with pytest.raises(ValueError, match=r"^x has 3 features but .* expects 4$"):
        model.predict(np.zeros((5, 3), np.float32), verbose=0)


# ------------------------------------------------------------------ the DEC model and its loop


def _kl(p, q):
    return float(np.mean(np.sum(p * np.log(p / q), axis=1)))


def test_dec_model_fit_lowers_the_kl_to_a_fixed_target_and_moves_the_centres():
    X, _ = _blobs()
    _, encoder = _pretrained(X)
    centres = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], np.float32)
    model = _dec(encoder, centres)
    q0 = model.predict(X, verbose=0)
    p = lesson.target_distribution(q0)
    history = model.fit(X, p, epochs=5, batch_size=30, verbose=0)
    q1 = model.predict(X, verbose=0)
    assert _kl(p, q1) < 0.9 * _kl(p, q0)
    np.testing.assert_allclose(history.history["loss"][0], _kl(p, q0), rtol=0.5)  # Keras' "kld" is KL(P || Q)
    assert np.abs(keras.ops.convert_to_numpy(model.clustering.centres) - centres).max() > 1e-3


def test_train_dec_moves_labels_from_a_poor_start_and_logs_every_epoch():
    X, _ = _blobs()
    _, encoder = _pretrained(X)
    start = _encode(encoder, X)[[0, 1, 45]]  # two centres in the first blob, one in the second
    model = _dec(encoder, start)
    labels0 = model.predict(X, verbose=0).argmax(axis=1)
    q, history = lesson.train_dec(model, X, max_epochs=15, tol=0.0, batch_size=30)
    assert len(history) == 15 and [h["epoch"] for h in history] == list(range(1, 16))  # max_epochs is a bound
    assert np.any(q.argmax(axis=1) != labels0)
    assert any(h["label_change_fraction"] > 0 for h in history)
    assert model.optimizer.iterations.numpy() == 15 * 3  # one epoch (3 batches of 30) per target update


def test_train_dec_stops_when_few_labels_change():
    X, y = _blobs()
    _, encoder = _pretrained(X)
    Z = _encode(encoder, X)
    centres = np.stack([Z[y == c].mean(axis=0) for c in range(3)])  # a good start: nothing to move
    q, history = lesson.train_dec(_dec(encoder, centres, 1e-4), X, max_epochs=50, tol=0.05, batch_size=30)
    assert len(history) < 50 and history[-1]["label_change_fraction"] < 0.05
    np.testing.assert_allclose(q.sum(axis=1), 1.0, rtol=1e-5)


def test_dec_clusters_the_z_mean_of_a_vae_encoder():
    X, _ = _blobs()
    helpers.set_seed(0)
    _, encoder, _ = _lesson_02().build_vae(input_dim=4, hidden_units=8, latent_dim=2)
    centres = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], np.float32)
    model = _dec(encoder, centres)
    z_mean = keras.ops.convert_to_numpy(encoder(X)[0])
    expected = keras.ops.convert_to_numpy(lesson.soft_assign(z_mean, centres))
    np.testing.assert_allclose(model.predict(X, verbose=0), expected, rtol=1e-4, atol=1e-6)


def test_train_dec_stops_at_the_tol_it_is_given():
    # From the poor start above labels keep moving for several epochs (see the test with tol=0): with
    # tol=1.0 any epoch that moves fewer than all labels stops the loop at once. A loop that ignored tol
    # (or compared with a fixed bound) would go on.
    X, _ = _blobs()
    _, encoder = _pretrained(X)
    model = _dec(encoder, _encode(encoder, X)[[0, 1, 45]])
    q, history = lesson.train_dec(model, X, max_epochs=6, tol=1.0, batch_size=30)
    assert len(history) == 1 and 0 < history[0]["label_change_fraction"] < 1.0


def test_dec_refuses_equal_centres_an_alpha_at_or_below_0_and_a_tol_outside_0_1():
    """A learner's probe: equal centres collapsed DEC to one cluster in silence, alpha=0 gave q of NaN and -1 a
    flat q, tol=5 stopped after one epoch and NaN or -1 never stopped early (plot_dec_history refuses them)."""
    X, _ = _blobs()
    _, encoder = models.build_autoencoder(X.shape[1], hidden_units=(8,), latent_dim=2)
    for model in (lesson.DEC, lesson.SCAN):
        with pytest.raises(ValueError, match=r"^the centres must differ from one another"):
            model(encoder, np.zeros((3, 2)))
    for alpha in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match=r"^alpha \(the Student-t's degrees of freedom\) must be above 0"):
            lesson.DEC(encoder, [[0.0, 0.0], [1.0, 1.0]], alpha=alpha)
    dec = lesson.DEC(encoder, [[0.0, 0.0], [1.0, 1.0]])
    dec.compile(optimizer="adam", loss="kld")
    for tol in (5, -1, float("nan")):
        with pytest.raises(ValueError, match=r"^tol is the share of labels that may still change, from 0 to 1"):
            lesson.train_dec(dec, X, max_epochs=2, tol=tol)
    assert len(lesson.train_dec(dec, X, max_epochs=2, tol=1.0)[1]) == 1  # 1 itself: stop after the first epoch
