"""Tests for helpers.article: the seed article's examples, defects included."""

from __future__ import annotations

import re

import numpy as np
import pytest

import helpers
from helpers import article


def test_example_2_error_reports_the_keras_tensor_error():
    message = article.example_2_error()
    assert isinstance(message, str)
    assert re.match(r"^\w+: ", message)  # "<ExceptionType>: <message>"
    assert "KerasTensor" in message
    assert "\n" not in message  # first line only


def test_example_1_returns_dbscan_labels_for_500_blobs():
    # slow (trains 100 passes): the only test that runs an article example
    run = article.example_1(seed=0)
    assert isinstance(run, article.ArticleRun)
    assert isinstance(run.model, article.keras.Model)
    assert run.X.shape == (500, 10)
    assert run.y.shape == (500,) and set(np.unique(run.y)) == {0, 1, 2}
    assert run.labels.shape == (500,)
    assert np.issubdtype(run.labels.dtype, np.integer)
    assert run.labels.min() >= -1
    found = np.unique(run.labels[run.labels != -1])
    np.testing.assert_array_equal(found, np.arange(found.size))  # DBSCAN numbers clusters 0..k-1
    # the published model: a 2-unit relu bottleneck, output the size of the input
    assert run.model.layers[1].units == 2
    assert run.model.output_shape == (None, 10)


@pytest.mark.parametrize("example", [article.example_1, article.example_3])
@pytest.mark.parametrize(("seed", "error", "match"), [(-1, ValueError, r"seed must be >= 0"), (None, TypeError, r"seed must be an integer seed")])
def test_examples_reject_bad_seeds_before_training(example, seed, error, match):
    with pytest.raises(error, match=match):
        example(seed=seed)


# --------------------------------------------------------------------------- shuffled_batches


def test_shuffled_batches_cover_every_sample_once_per_pass_and_reshuffle():
    helpers.set_seed(0)
    X = np.arange(10, dtype=np.float32)[:, None]
    y = X[:, 0] * 10.0
    batches = list(article.shuffled_batches(X, y, 4).take(6))  # two passes of 4 + 4 + 2
    assert [len(xb) for xb, _ in batches] == [4, 4, 2, 4, 4, 2]
    for xb, yb in batches:  # inputs and targets stay paired
        np.testing.assert_array_equal(np.asarray(xb)[:, 0] * 10.0, np.asarray(yb))
    first = np.concatenate([np.asarray(xb)[:, 0] for xb, _ in batches[:3]])
    second = np.concatenate([np.asarray(xb)[:, 0] for xb, _ in batches[3:]])
    assert sorted(first) == sorted(second) == list(range(10))
    assert not np.array_equal(first, second)  # reshuffled on every pass


def test_shuffled_batches_without_targets_yields_inputs_only():
    batch = next(iter(article.shuffled_batches(np.ones((6, 3), np.float32), None, 6)))
    assert tuple(batch.shape) == (6, 3)
