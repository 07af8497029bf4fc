"""Tests for the plots notebook 04 added to helpers.plotting."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402


def test_plot_confusion_draws_the_matched_matrix():
    ax = plotting.plot_confusion([0, 0, 1, 1], [1, 1, 0, 0])
    assert ax.images[0].get_array().tolist() == [[2, 0], [0, 2]]
    plt.close("all")


def test_plot_digit_grid_has_a_row_per_cluster():
    images = np.random.default_rng(0).random((30, 16))
    ax = plotting.plot_digit_grid(images, np.repeat([0, 1, 2], 10), per_cluster=4, image_shape=(4, 4))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0 (10)", "1 (10)", "2 (10)"]
    plt.close("all")


def test_plot_digit_grid_rejects_a_wrong_image_shape():
    with pytest.raises(ValueError, match="does not match 16 features"):
        plotting.plot_digit_grid(np.zeros((4, 16)), [0, 0, 1, 1], image_shape=(3, 3))


def test_plot_dec_history_draws_both_panels():
    history = [{"iteration": 8, "label_change_fraction": 0.1, "kl_loss": 0.5, "reconstruction_loss": 0.1},
               {"iteration": 16, "label_change_fraction": 0.0, "kl_loss": 0.4, "reconstruction_loss": 0.09}]
    axes = plotting.plot_dec_history(history)
    assert len(axes[0].lines) == 1 and len(axes[1].lines) == 2
    plt.close("all")
    with pytest.raises(ValueError, match="non-empty list"):
        plotting.plot_dec_history([])
