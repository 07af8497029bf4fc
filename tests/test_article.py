"""The seed article's code as notebooks 01 and 03 write it (cells tagged ``article-code``), and the
shared training loop ``helpers.article.train_as_published``."""

from __future__ import annotations

import math
import types

import numpy as np
import pytest

import lesson_code
from helpers import article

from helpers._tensorflow import load_keras  # noqa: E402

keras = load_keras()


def _autoencoder(width=4):
    return keras.Sequential([keras.Input(shape=(width,)), keras.layers.Dense(2), keras.layers.Dense(width)])


def test_train_as_published_runs_adam_on_mse_for_every_batch_of_32_of_every_pass():
    X = np.random.default_rng(0).normal(size=(70, 4))
    model = article.train_as_published(_autoencoder(), X, epochs=3)
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert model.loss == "mse"
    assert int(model.optimizer.iterations.numpy()) == 3 * math.ceil(70 / 32)  # 3 passes of 3 batches


@pytest.mark.parametrize(("n_rows", "batches"), [(33, 2), (63, 2), (64, 2), (65, 3)])
def test_train_as_published_counts_a_last_short_batch_in_every_pass(n_rows, batches):
    model = article.train_as_published(_autoencoder(), np.random.default_rng(0).normal(size=(n_rows, 4)), epochs=2)
    assert int(model.optimizer.iterations.numpy()) == 2 * batches  # ceil(n / 32) batches of 32 per pass


def test_train_as_published_fits_the_input_itself_and_lowers_the_error():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(64, 2)) @ rng.normal(size=(2, 4))  # 4-D data on a plane: a 2-D code can hold it
    keras.utils.set_random_seed(0)
    model = _autoencoder()
    before = float(np.mean((model.predict(X, verbose=0) - X) ** 2))
    article.train_as_published(model, X, epochs=300)
    after = float(np.mean((model.predict(X, verbose=0) - X) ** 2))
    assert after < 0.5 * before


def test_train_as_published_is_deterministic_under_one_seed():
    X = np.random.default_rng(2).normal(size=(50, 4))
    weights = []
    for _ in range(2):
        keras.utils.set_random_seed(7)
        weights.append(article.train_as_published(_autoencoder(), X, epochs=2).get_weights())
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(("epochs", "error"), [(0, ValueError), (1.5, TypeError)])
def test_train_as_published_refuses_impossible_epochs(epochs, error):
    with pytest.raises(error, match="epochs"):
        article.train_as_published(_autoencoder(), np.zeros((4, 4)), epochs=epochs)


@pytest.mark.parametrize(("X", "match"), [(np.array([[0.0, 1.0, np.nan, 2.0]] + [[1.0] * 4] * 3), "X contains 1 NaN"),
                                          (np.zeros((4, 4, 1)), "X must be a 2-D array"),
                                          (np.zeros((0, 4)), "at least 1 samples")])
def test_train_as_published_checks_x_before_it_reaches_keras_as_a_stream(X, match):
    # as a tf.data stream, X reached Keras unchecked and a NaN trained to a loss of NaN
    model = _autoencoder()
    with pytest.raises(ValueError, match=match):
        article.train_as_published(model, X, epochs=1)
    assert not model.compiled  # refused before anything was compiled or trained


def _with_recorded_training(name):
    """The notebook's article code, with training replaced by a recorder (no weights change)."""
    lesson_code.load.cache_clear()
    module = lesson_code.load(name, tag="article-code")
    calls = []
    module.article = types.SimpleNamespace(train_as_published=lambda model, X, epochs: calls.append((X, epochs)))
    return module, calls


def test_notebook_01_writes_example_1_as_published():
    module, calls = _with_recorded_training("01_autoencoder_dbscan.ipynb")
    labels, model, X, y = module.article_example_1(seed=0)
    (trained_on, epochs), = calls
    assert epochs == 100 and trained_on is X
    assert X.shape == (500, 10) and abs(X.mean()) > 0.5  # the article's blobs, unscaled
    assert sorted(np.unique(y)) == [0, 1, 2]
    widths = [layer.units for layer in model.layers]
    activations = [layer.get_config()["activation"] for layer in model.layers]
    assert widths == [5, 2, 5, 10] and activations == ["relu", "relu", "relu", "linear"]
    # the defect kept: DBSCAN(eps=0.5, min_samples=5) on the reconstructions, not on the 2-D code
    from sklearn.cluster import DBSCAN

    np.testing.assert_array_equal(labels, DBSCAN(eps=0.5, min_samples=5).fit_predict(model.predict(X, verbose=0)))


def test_notebook_01_example_1_undoes_one_choice_at_a_time():
    module, calls = _with_recorded_training("01_autoencoder_dbscan.ipynb")
    _, model, X, _ = module.article_example_1(seed=0, scaled=True)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(X.std(axis=0), 1.0, atol=1e-9)
    assert model.layers[1].get_config()["activation"] == "relu"  # only the scaling changed
    _, model, X, _ = module.article_example_1(seed=0, bottleneck="linear")
    assert model.layers[1].get_config()["activation"] == "linear"
    assert model.layers[0].get_config()["activation"] == "relu" and abs(X.mean()) > 0.5


def test_notebook_03_writes_example_3_as_published():
    module, calls = _with_recorded_training("03_deep_autoencoder_optics.ipynb")
    labels, model, X, y = module.article_example_3(seed=0)
    (trained_on, epochs), = calls
    assert epochs == 200 and trained_on is X
    assert X.shape == (500, 2) and sorted(np.unique(y)) == [0, 1]
    widths = [layer.units for layer in model.layers]
    activations = [layer.get_config()["activation"] for layer in model.layers]
    assert widths == [64, 32, 16, 2, 16, 32, 64, 2]
    assert activations == ["relu"] * 3 + ["tanh"] + ["relu"] * 3 + ["linear"]
    from sklearn.cluster import OPTICS

    expected = OPTICS(min_samples=5, xi=0.05, min_cluster_size=0.1).fit_predict(model.predict(X, verbose=0))
    np.testing.assert_array_equal(labels, expected)


def test_notebook_01_example_1_trained_as_published_merges_blobs():
    # slow (trains 100 passes): the only test that trains an article example for real
    lesson_code.load.cache_clear()
    module = lesson_code.load("01_autoencoder_dbscan.ipynb", tag="article-code")
    labels, model, X, y = module.article_example_1(seed=42)
    assert labels.shape == (500,) and labels.min() >= -1
    found = np.unique(labels[labels != -1])
    np.testing.assert_array_equal(found, np.arange(found.size))  # DBSCAN numbers clusters 0..k-1
    # notebook 01's table: as published, the relu bottleneck leaves two clusters for three blobs
    assert found.size == 2
