"""Tests for helpers.article: the seed article's examples, defects included."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import article


def test_example_2_error_reports_the_keras_tensor_error():
    message = article.example_2_error()
    assert isinstance(message, str)
    assert re.match(r"^\w+: ", message)  # "<ExceptionType>: <message>"
    assert "KerasTensor" in message
    # Keras' whole message, not cut after its first line: it ends with the suggested fix
    assert "You are likely doing something like:" in message
    assert "What you should do instead" in message
    assert message.rstrip().endswith("```")
    assert "Traceback" not in message  # no stack trace


def test_error_text_never_leaves_a_bare_exception_name():
    try:
        raise NotImplementedError  # as Keras 3's functional Model.add_loss does
    except NotImplementedError as exc:
        text = article._error_text(exc)
    assert text == "NotImplementedError: raised without a message by test_error_text_never_leaves_a_bare_exception_name()"
    assert article._error_text(ValueError("  two\nlines  ")) == "ValueError: two\nlines"


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
    assert run.model.layers[1].get_config()["activation"] == "relu"
    assert run.model.output_shape == (None, 10)


def test_example_1_undoes_one_choice_at_a_time():
    # slow (trains 100 passes): scaled inputs and a linear bottleneck, everything else as published
    run = article.example_1(seed=0, scaled=True, bottleneck="linear")
    np.testing.assert_allclose(run.X.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(run.X.std(axis=0), 1.0, atol=1e-6)
    assert run.model.layers[1].get_config()["activation"] == "linear"
    assert run.model.layers[0].get_config()["activation"] == "relu"  # the hidden layers stay as published
    assert run.labels.shape == (500,)


def test_example_1_rejects_an_unknown_bottleneck_before_training():
    with pytest.raises(ValueError, match=r"bottleneck must be 'relu' or 'linear'; got 'tanh'"):
        article.example_1(seed=0, bottleneck="tanh")


@pytest.mark.parametrize("example", [article.example_1, article.example_3])
@pytest.mark.parametrize(("seed", "error", "match"), [(-1, ValueError, r"seed must be >= 0"), (None, TypeError, r"seed must be an integer seed")])
def test_examples_reject_bad_seeds_before_training(example, seed, error, match):
    with pytest.raises(error, match=match):
        example(seed=seed)
