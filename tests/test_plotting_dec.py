"""Tests for the plots notebook 04 uses from helpers.plotting, fed with the notebook's own DEC history."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from lesson_code import load  # noqa: E402

import helpers  # noqa: E402
from helpers import evaluation, models, plotting  # noqa: E402
from helpers._tensorflow import load_keras  # noqa: E402

keras = load_keras()


def test_plot_confusion_draws_the_matched_matrix():
    ax = plotting.plot_confusion([0, 0, 1, 1], [1, 1, 0, 0])
    assert ax.images[0].get_array().tolist() == [[2, 0], [0, 2]]
    plt.close("all")


def test_confusion_columns_named_by_matched_class_as_notebook_04_draws_them():
    y = np.array([0, 0, 1, 1, 2, 2, 2])
    clusters = np.array([5, 5, 7, 7, 3, 3, 7])  # cluster 7 holds both 1s and one 2
    ax = plotting.plot_confusion(y, evaluation.match_labels(y, clusters))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]
    assert ax.images[0].get_array().tolist() == [[2, 0, 0], [0, 2, 0], [0, 1, 2]]
    plt.close("all")


def test_plot_digit_grid_has_a_row_per_cluster():
    images = np.random.default_rng(0).random((30, 16))
    ax = plotting.plot_digit_grid(images, np.repeat([0, 1, 2], 10), per_cluster=4)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0 (10)", "1 (10)", "2 (10)"]
    plt.close("all")


def test_plot_digit_grid_rejects_images_that_are_not_square():
    with pytest.raises(ValueError, match=r"images must hold square images, one per row; 12 pixels is not a square"):
        plotting.plot_digit_grid(np.zeros((4, 12)), [0, 0, 1, 1])


def test_plot_dec_history_draws_the_notebooks_training_log():
    lesson = load("04_deep_embedded_clustering_digits.ipynb")
    X = np.random.default_rng(0).random((40, 4)).astype("float32")
    helpers.set_seed(0)
    _, encoder = models.build_autoencoder(4, hidden_units=(8,), latent_dim=2)
    model = lesson.DEC(encoder, np.array([[0, 0], [1, 0], [0, 1]], "float32"))
    model.compile(optimizer="adam", loss="kld")
    _, history = lesson.train_dec(model, X, max_epochs=3, tol=0.0, batch_size=20)
    axes = plotting.plot_dec_history(history)
    # label changes (and, for updates that changed none, hollow markers); the KL loss
    assert 1 <= len(axes[0].lines) <= 2 and len(axes[1].lines) == 1
    assert list(axes[0].lines[0].get_xdata()) == [1, 2, 3]
    plt.close("all")
    with pytest.raises(ValueError, match="non-empty list"):
        plotting.plot_dec_history([])


def test_plot_dec_history_draws_the_stopping_line_and_marks_updates_that_changed_no_label():
    history = [{"epoch": e, "label_change_fraction": f, "kl_loss": 0.2} for e, f in ((1, 0.05), (2, 0.004), (3, 0.0))]
    axes = plotting.plot_dec_history(history, tol=0.001)
    drawn, hollow, stop = axes[0].lines
    assert list(drawn.get_ydata()) == pytest.approx([5.0, 0.4, 0.05])  # in %, no change at half the threshold
    assert list(hollow.get_xdata()) == [3] and hollow.get_markerfacecolor() == "white"
    assert list(stop.get_ydata()) == [0.1, 0.1] and stop.get_linestyle() == "--"
    assert [t.get_text() for t in axes[0].get_legend().get_texts()] == ["no label changed", "stop below 0.1 %"]
    plt.close("all")
    for tol in (0, 1.5):
        with pytest.raises(ValueError, match="tol is a share of the labels"):
            plotting.plot_dec_history(history, tol=tol)
