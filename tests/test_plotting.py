"""Tests for helpers.plotting: every figure returns its Axes with the expected artists."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgba

from helpers import plotting
from helpers.plotting import NOISE_COLOUR, PALETTE


def _hex(rgba_array):
    """Hex colour (alpha dropped) of every row of a collection's colour array."""
    return [to_hex(c, keep_alpha=False).upper() for c in rgba_array]


# --------------------------------------------------------------------------- use_style / cluster_colours


def test_use_style_sets_dpi_and_palette():
    with mpl.rc_context():
        plotting.use_style(dpi=72)
        assert mpl.rcParams["figure.dpi"] == 72
        assert mpl.rcParams["savefig.dpi"] == 72
        assert mpl.rcParams["axes.grid"] is True
        cycle = [to_hex(c["color"]).upper() for c in mpl.rcParams["axes.prop_cycle"]]
        assert cycle == [c.upper() for c in PALETTE]


def test_noise_colour_is_grey_and_not_in_the_palette():
    r, g, b, _ = to_rgba(NOISE_COLOUR)
    assert r == g == b
    assert NOISE_COLOUR.upper() not in {c.upper() for c in plotting.cluster_colours(35)}


@pytest.mark.parametrize("n", [0, 1, 7, 15, 35])
def test_cluster_colours_gives_n_distinct_colours_palette_first(n):
    colours = plotting.cluster_colours(n)
    assert len(colours) == n
    assert len(set(c.upper() for c in colours)) == n
    assert colours[: min(n, 7)] == list(PALETTE[: min(n, 7)])


def test_cluster_colours_still_gives_n_colours_beyond_the_extras():
    assert len(plotting.cluster_colours(50)) == 50


# --------------------------------------------------------------------------- plot_history


def test_plot_history_draws_one_line_per_loss_against_epoch_from_one():
    history = {"loss": [3.0, 2.0, 1.0], "val_loss": [3.5, 2.5, 2.0]}
    ax = plotting.plot_history(history)
    assert isinstance(ax, mpl.axes.Axes)
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [3.0, 2.0, 1.0])
    assert [line.get_label() for line in ax.lines] == ["loss", "val_loss"]
    assert ax.get_legend() is not None
    assert ax.get_xlabel() == "epoch" and ax.get_title() == "Training loss"
    assert ax.get_yscale() == "linear"


def test_plot_history_accepts_a_history_object_and_draws_on_the_given_axes():
    class FakeHistory:
        history = {"loss": [1.0, 0.5]}

    _, ax = plt.subplots()
    result = plotting.plot_history(FakeHistory(), ax=ax, title="mine", log_scale=True)
    assert result is ax
    assert len(ax.lines) == 1
    assert ax.get_legend() is None  # a single curve needs no legend
    assert ax.get_yscale() == "log"
    assert ax.get_title() == "mine"


@pytest.mark.parametrize(
    ("history", "match"),
    [
        ({}, r"history must be a Keras History or a non-empty dict"),
        ([1.0, 2.0], r"history must be a Keras History or a non-empty dict"),
        ({"loss": [[1.0, 2.0]]}, r"history\['loss'\] must be a non-empty list of numbers per epoch"),
        ({"loss": []}, r"history\['loss'\] must be a non-empty list of numbers per epoch"),
    ],
)
def test_plot_history_rejects_bad_histories(history, match):
    with pytest.raises(ValueError, match=match):
        plotting.plot_history(history)


# --------------------------------------------------------------------------- plot_clusters


@pytest.fixture
def labelled_points():
    X = np.random.default_rng(0).normal(size=(20, 2))
    labels = np.array([0] * 8 + [1] * 6 + [-1] * 4 + [2] * 2)
    return X, labels


def test_plot_clusters_draws_one_collection_per_cluster_plus_noise(labelled_points):
    X, labels = labelled_points
    ax = plotting.plot_clusters(X, labels, title="t")
    assert isinstance(ax, mpl.axes.Axes)
    assert len(ax.collections) == 4
    assert [c.get_label() for c in ax.collections] == ["0", "1", "2", "noise"]
    assert [len(c.get_offsets()) for c in ax.collections] == [8, 6, 2, 4]
    assert ax.get_title() == "t" and ax.get_xlabel() == "latent 1"


def test_plot_clusters_draws_noise_in_grey_and_clusters_in_the_palette(labelled_points):
    X, labels = labelled_points
    ax = plotting.plot_clusters(X, labels)
    *clusters, noise = ax.collections
    assert set(_hex(noise.get_edgecolor())) == {NOISE_COLOUR.upper()}
    np.testing.assert_allclose(noise.get_offsets(), X[labels == -1])
    for colour, collection in zip(PALETTE, clusters):
        assert set(_hex(collection.get_facecolor())) == {colour.upper()}
    assert NOISE_COLOUR.upper() not in {h for c in clusters for h in _hex(c.get_facecolor())}


def test_plot_clusters_without_noise_has_no_grey_collection():
    X = np.random.default_rng(1).normal(size=(6, 2))
    ax = plotting.plot_clusters(X, [0, 0, 0, 1, 1, 1])
    assert len(ax.collections) == 2
    assert "noise" not in [c.get_label() for c in ax.collections]


def test_plot_clusters_legend_only_up_to_twelve_groups_and_only_if_asked(labelled_points):
    X, labels = labelled_points
    assert plotting.plot_clusters(X, labels).get_legend() is not None
    assert plotting.plot_clusters(X, labels, legend=False).get_legend() is None
    many = np.arange(13).repeat(2)
    ax = plotting.plot_clusters(np.random.default_rng(2).normal(size=(26, 2)), many)
    assert len(ax.collections) == 13
    assert ax.get_legend() is None


def test_plot_clusters_draws_on_the_given_axes(labelled_points):
    X, labels = labelled_points
    _, ax = plt.subplots()
    assert plotting.plot_clusters(X, labels, ax=ax) is ax
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize(
    ("X", "labels", "error", "match"),
    [
        (np.zeros((4, 3)), [0, 0, 1, 1], ValueError, r"X must have exactly 2 columns to plot; got 3"),
        (np.zeros((4, 2)), [0, 0, 1], ValueError, r"labels has 3 entries but there are 4 samples"),
        (np.zeros(4), [0, 0, 1, 1], ValueError, r"X must be a 2-D array"),
        ([[0.0, np.nan]] * 4, [0, 0, 1, 1], ValueError, r"NaN or infinite"),
        (np.zeros((4, 2)), ["a", "b", "c", "d"], TypeError, r"labels must be integers"),
    ],
)
def test_plot_clusters_rejects_bad_input(X, labels, error, match):
    with pytest.raises(error, match=match):
        plotting.plot_clusters(X, labels)


# --------------------------------------------------------------------------- plot_k_distance / plot_eps_scan


def test_plot_k_distance_draws_curve_knee_eps_and_stable_range(eps_choice):
    ax = plotting.plot_k_distance(eps_choice)
    assert isinstance(ax, mpl.axes.Axes)
    assert len(ax.lines) == 3
    curve, knee, eps_line = ax.lines
    np.testing.assert_allclose(curve.get_ydata(), eps_choice.k_distances)
    assert knee.get_xdata()[0] == eps_choice.knee_index
    assert knee.get_ydata()[0] == pytest.approx(eps_choice.knee_eps)
    np.testing.assert_allclose(eps_line.get_ydata(), eps_choice.eps)
    assert len(ax.patches) == 1  # the stable range band
    assert ax.get_yscale() == "log"
    assert "min_samples=4" in ax.get_title()
    assert len(ax.get_legend().get_texts()) == 4


def test_plot_k_distance_without_stable_range_draws_no_band(single_blob):
    from helpers.clustering import choose_eps

    with pytest.warns(UserWarning):
        choice = choose_eps(single_blob)
    _, ax = plt.subplots()
    assert plotting.plot_k_distance(choice, ax=ax, title="custom") is ax
    assert len(ax.patches) == 0
    assert len(ax.lines) == 3
    assert ax.get_title() == "custom"


def test_plot_eps_scan_draws_counts_eps_and_noise_on_a_twin_axis(eps_choice):
    _, ax = plt.subplots()
    result = plotting.plot_eps_scan(eps_choice, ax=ax)
    assert result is ax
    assert len(ax.lines) == 2  # cluster-count step curve and the chosen eps
    np.testing.assert_allclose(ax.lines[1].get_xdata(), eps_choice.eps)
    assert ax.get_xscale() == "log"
    assert len(ax.patches) == 1
    twins = [other for other in ax.figure.axes if other is not ax]
    assert len(twins) == 1 and len(twins[0].lines) == 1
    noise_line = twins[0].lines[0]
    assert to_hex(noise_line.get_color()).upper() == NOISE_COLOUR.upper()
    np.testing.assert_allclose(noise_line.get_ydata(), eps_choice.noise_fraction)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "clusters" and labels[-1] == "noise share" and len(labels) == 4


def test_plot_history_draws_a_diverged_run_with_nan():
    ax = plotting.plot_history({"loss": [1.0, 0.5, float("nan")]})
    assert len(ax.lines) == 1 and np.isnan(ax.lines[0].get_ydata()[-1])
