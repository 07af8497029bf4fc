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
    with mpl.rc_context({"figure.dpi": 72, "savefig.dpi": 72}):
        plotting.use_style()
        assert mpl.rcParams["figure.dpi"] == 120
        assert mpl.rcParams["savefig.dpi"] == 120
        assert mpl.rcParams["axes.grid"] is True
        cycle = [to_hex(c["color"]).upper() for c in mpl.rcParams["axes.prop_cycle"]]
        assert cycle == [c.upper() for c in PALETTE]


def test_use_style_defaults_to_sharp_figures_and_readable_text():
    with mpl.rc_context():
        plotting.use_style()
        assert mpl.rcParams["figure.dpi"] >= 110 and mpl.rcParams["savefig.dpi"] >= 110
        assert mpl.rcParams["legend.fontsize"] >= 9
        assert min(mpl.rcParams["xtick.labelsize"], mpl.rcParams["ytick.labelsize"]) >= 9


# Colour-vision-deficiency check: Machado, Oliveira & Fernandes (2009) matrices at full severity,
# applied to linear RGB, then CIEDE2000 differences in CIELAB (D65).
_CVD = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _lab(colour, vision="normal"):
    srgb = np.asarray(to_rgba(colour)[:3])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(_CVD[vision] @ linear, 0, 1)
    xyz = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                    [0.0193339, 0.1191920, 0.9503041]]) @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _ciede2000(lab1, lab2):
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_hue = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_bar, c_bar = (L1 + L2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_bar = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_bar = (h1 + h2) / 2
    else:
        h_bar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_bar, 1 + 0.015 * c_bar * t
    r_t = (-np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2))))
           * 2 * np.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    dl, dc, dhh = (L2 - L1) / s_l, (c2 - c1) / s_c, d_hue / s_h
    return float(np.sqrt(dl**2 + dc**2 + dhh**2 + r_t * dc * dhh))


def _closest_pair(colours, vision):
    labs = [_lab(c, vision) for c in colours]
    return min(_ciede2000(labs[i], labs[j]) for i in range(len(labs)) for j in range(i + 1, len(labs)))


def test_ciede2000_reproduces_sharma_reference_pairs():
    # Sharma, Wu & Dalal (2005), test pairs 1, 7 and 17
    assert _ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert _ciede2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert _ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)


def test_the_colour_blindness_check_catches_the_pairs_readers_complained_about():
    # the old palette's bluish green / teal and reddish purple / teal, and vermillion / olive
    assert _closest_pair(["#009E73", "#44AA99"], "normal") < 11
    assert _closest_pair(["#CC79A7", "#44AA99"], "deuteranopia") < 11
    assert _closest_pair(["#D55E00", "#999933"], "deuteranopia") < 11


@pytest.mark.parametrize(("vision", "bound"), [("normal", 20), ("protanopia", 11), ("deuteranopia", 11),
                                                ("tritanopia", 10)])
def test_palette_colours_stay_apart_for_colour_blind_readers(vision, bound):
    assert len(PALETTE) >= 10  # one colour per digit
    assert _closest_pair(PALETTE, vision) >= bound


def test_no_palette_colour_is_grey_like():
    noise = _lab(NOISE_COLOUR)
    for colour in PALETTE:
        lab = _lab(colour)
        assert np.hypot(lab[1], lab[2]) >= 30, f"{colour} is nearly grey"
        assert _ciede2000(lab, noise) >= 20, f"{colour} is too close to the noise grey"


def test_noise_colour_is_grey_and_not_in_the_palette():
    r, g, b, _ = to_rgba(NOISE_COLOUR)
    assert r == g == b
    assert NOISE_COLOUR.upper() not in {c.upper() for c in plotting.cluster_colours(35)}


@pytest.mark.parametrize("n", [0, 1, 7, 15, 35])
def test_cluster_colours_gives_n_distinct_colours_palette_first(n):
    colours = plotting.cluster_colours(n)
    assert len(colours) == n
    assert len(set(c.upper() for c in colours)) == n
    assert colours[: min(n, len(PALETTE))] == list(PALETTE[: min(n, len(PALETTE))])


def test_cluster_colours_has_no_greys_even_beyond_the_palette():
    for colour in plotting.cluster_colours(35):
        r, g, b, _ = to_rgba(colour)
        assert max(r, g, b) - min(r, g, b) > 0.05, f"{colour} is grey"


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


def test_plot_history_on_a_log_axis_refuses_losses_at_or_below_zero():
    # a Gaussian negative log-likelihood goes below 0: a log axis would drop that curve without a word
    with pytest.raises(ValueError, match=r"history\['loss'\] has values <= 0 \(smallest -3\).*log_scale=False"):
        plotting.plot_history({"loss": [-1.0, -2.0, -3.0], "kl": [0.5, 0.4, 0.3]}, log_scale=True)
    with pytest.raises(ValueError, match=r"history\['kl'\] has values <= 0 \(smallest 0\)"):
        plotting.plot_history({"loss": [2.0, 1.0], "kl": [0.5, 0.0]}, log_scale=True)
    ax = plotting.plot_history({"loss": [2.0, np.nan]}, log_scale=True)  # a diverged run still plots
    assert ax.get_yscale() == "log"
    assert plotting.plot_history({"loss": [-1.0, -2.0]}).get_yscale() == "linear"
    plt.close("all")


# --------------------------------------------------------------------------- plot_clusters


@pytest.fixture
def labelled_points():
    X = np.random.default_rng(0).normal(size=(20, 2))
    labels = np.array([0] * 8 + [1] * 6 + [-1] * 4 + [2] * 2)
    return X, labels


def test_plot_clusters_draws_boolean_classes_and_classes_coded_minus_one_and_one_given_as_text():
    X = np.random.default_rng(0).normal(size=(6, 2))
    malignant = np.array([True, False, True, False, True, False])
    ax = plotting.plot_clusters(X, malignant)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["False", "True"]
    coded = list(np.where(malignant, 1, -1))  # as numbers -1 is noise; the docstring's advice draws it as a class
    assert [t.get_text() for t in plotting.plot_clusters(X, coded).get_legend().get_texts()] == ["1", "noise"]
    ax = plotting.plot_clusters(X, np.asarray(coded).astype(str))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["-1", "1"]
    with pytest.raises(ValueError, match="labels holds -2 .*HDBSCAN"):
        plotting.plot_clusters(X, [0, 0, 1, 1, -2, -1])
    with pytest.raises(TypeError, match="labels must be a 1-D sequence of class labels; got list"):
        plotting.plot_clusters(X[:2], [[0, 1], [2]])  # ragged: NumPy itself refuses to make an array of it
    plt.close("all")


def test_plot_clusters_with_its_arguments_swapped_says_so():
    points, labels = np.zeros((5, 2)), np.arange(5)
    with pytest.raises(ValueError, match=r"points first, then their labels: .*shape \(5,\).*shape \(5, 2\)\); swap"):
        plotting.plot_clusters(labels, points)
    with pytest.raises(ValueError, match="must be a 2-D array"):  # a 1-D X alone is not called a swap
        plotting.plot_clusters(labels, labels)


def test_plot_clusters_without_labels_draws_the_points_in_one_colour():
    """A learner's probe: plot_clusters(z_mean, None), to look at a code before clustering it, failed with
    "labels must be a 1-D array; got shape ()" (the explorers take None)."""
    points = np.random.default_rng(0).normal(size=(40, 2))
    ax = plotting.plot_clusters(points, None, title="the code")
    (collection,) = ax.collections
    np.testing.assert_array_equal(collection.get_offsets(), points)
    assert to_hex(collection.get_facecolor()[0]) == PALETTE[0].lower() and ax.get_legend() is None
    with pytest.raises(ValueError, match=r"^truth needs cluster labels to match to it"):
        plotting.plot_clusters(points, None, truth=np.zeros(40, dtype=int))
    plt.close("all")


def test_plot_clusters_shrinks_the_markers_of_a_big_table_but_not_its_legend():
    """A learner's probe at 50,000 rows: at full size the clusters were solid blocks, and nine small clusters
    listed in the legend could not be seen."""
    rng = np.random.default_rng(0)
    sizes, legends, widths = {}, {}, {}
    for n in (500, plotting.MANY_POINTS, 50_000):
        labels = rng.integers(-1, 3, size=n)
        ax = plotting.plot_clusters(rng.normal(size=(n, 2)), labels)
        sizes[n] = [float(c.get_sizes()[0]) for c in ax.collections]
        legends[n] = [float(handle.get_sizes()[0]) for handle in ax.get_legend().legend_handles]
        widths[n] = float(ax.collections[-1].get_linewidths()[0])
        plt.close(ax.figure)
    assert sizes[500] == sizes[plotting.MANY_POINTS] == [10.0, 10.0, 10.0, 14.0]
    np.testing.assert_allclose(sizes[50_000], [1.0, 1.0, 1.0, 1.4])  # a tenth of the area at ten times the points
    np.testing.assert_allclose(legends[50_000], legends[500])  # the legend's markers as at 500 points
    np.testing.assert_allclose(legends[500], [22.5, 22.5, 22.5, 31.5])  # markerscale 1.5: 2.25 times the area
    np.testing.assert_allclose(widths[500], 0.8)  # the noise crosses' strokes, thinner with their size
    np.testing.assert_allclose(widths[50_000], 0.8 * np.sqrt(0.1))


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
    twelve = plotting.plot_clusters(np.random.default_rng(2).normal(size=(24, 2)), np.arange(12).repeat(2))
    assert len(twelve.get_legend().get_texts()) == 12  # twelve groups still get one


def test_plot_clusters_titles_the_legend_matched_class_only_beside_the_truth(labelled_points):
    X, labels = labelled_points
    assert plotting.plot_clusters(X, labels, truth=np.where(labels < 0, 0, labels)).get_legend().get_title().get_text() \
        == "cluster → matched class"  # each entry "→ 3": a cluster, and the class it is matched to
    assert plotting.plot_clusters(X, labels).get_legend().get_title().get_text() == ""


def test_plot_clusters_draws_one_point_and_refuses_none():
    assert len(plotting.plot_clusters(np.zeros((1, 2)), [0]).collections) == 1
    with pytest.raises(ValueError, match="at least 1"):
        plotting.plot_clusters(np.zeros((0, 2)), np.zeros(0, dtype=int))


def test_plot_clusters_draws_on_the_given_axes(labelled_points):
    X, labels = labelled_points
    _, ax = plt.subplots()
    assert plotting.plot_clusters(X, labels, ax=ax) is ax
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize(
    ("X", "labels", "error", "match"),
    [
        (np.zeros((4, 3)), [0, 0, 1, 1], ValueError, r"^X must have exactly 2 columns to plot; got 3: draw two of them, "
                                                     r"or the first two principal components, sklearn\.decomposition\.PCA"),
        (np.zeros((4, 1)), [0, 0, 1, 1], ValueError, r"^X must have exactly 2 columns to plot; got 1$"),
        (np.zeros((4, 2)), [0, 0, 1], ValueError, r"labels has 3 entries but there are 4 samples"),
        (np.zeros(4), [0, 0, 1, 1], ValueError, r"X must be a 2-D array"),
        ([[0.0, np.nan]] * 4, [0, 0, 1, 1], ValueError, r"NaN or infinite"),
        (np.zeros((4, 2)), [0.5, 1.5, 0.5, 1.5], TypeError, r"labels must be whole numbers"),
        (np.zeros((4, 2)), ["a", None, "c", "d"], ValueError, r"labels has 1 missing label"),
    ],
)
def test_plot_clusters_rejects_bad_input(X, labels, error, match):
    with pytest.raises(error, match=match):
        plotting.plot_clusters(X, labels)


def _drawn_colours(ax, X):
    """Hex face colour drawn at every row of ``X``, read back from the axes' scatter collections."""
    where = {tuple(point): i for i, point in enumerate(np.asarray(X))}
    assert len(where) == len(X), "test points must be distinct"
    colours = np.full(len(X), None, dtype=object)
    for collection in ax.collections:
        faces = _hex(collection.get_facecolor())
        if collection.get_label() == "noise":  # crosses have no face; their colour is the edge
            faces = _hex(collection.get_edgecolor())
        if len(faces) == 1:
            faces = faces * len(collection.get_offsets())
        for point, colour in zip(collection.get_offsets(), faces):
            colours[where[tuple(point)]] = colour
    assert not any(c is None for c in colours), "some points were not drawn"
    return colours


@pytest.fixture
def digits_like():
    """Ten classes of 2-D points, distinct coordinates."""
    rng = np.random.default_rng(3)
    truth = np.repeat(np.arange(10), 12)
    X = rng.normal(scale=0.3, size=(120, 2)) + np.column_stack([truth % 5, truth // 5]) * 3.0
    return X, truth


def test_plot_clusters_with_truth_draws_permuted_clusters_in_the_truths_colours(digits_like):
    X, truth = digits_like
    permuted = np.array([7, 2, 9, 0, 4, 1, 8, 3, 6, 5])[truth]  # every class has a different cluster id
    expected = _drawn_colours(plotting.plot_clusters(X, truth), X)
    assert len(set(expected)) == 10
    drawn = _drawn_colours(plotting.plot_clusters(X, permuted, truth=truth), X)
    np.testing.assert_array_equal(drawn, expected)
    unmatched = _drawn_colours(plotting.plot_clusters(X, permuted), X)  # without truth: colours by id
    assert np.mean(unmatched == expected) < 0.5
    np.testing.assert_array_equal([c.upper() for c in plotting.point_colours(permuted, truth)], expected)


def test_plot_clusters_with_truth_keeps_noise_grey_and_gives_extra_clusters_new_colours(digits_like):
    X, truth = digits_like
    labels = truth + 20
    labels[truth == 3] = np.where(np.arange(12) < 7, 40, 41)  # class 3 split in two: 41 is surplus
    labels[::10] = -1
    truth_colours = _drawn_colours(plotting.plot_clusters(X, truth), X)
    ax = plotting.plot_clusters(X, labels, truth=truth)
    drawn = _drawn_colours(ax, X)
    assert set(drawn[labels == -1]) == {NOISE_COLOUR.upper()}
    matched = (labels != -1) & (labels != 41)
    np.testing.assert_array_equal(drawn[matched], truth_colours[matched])
    extra = set(drawn[labels == 41])
    assert len(extra) == 1 and extra.isdisjoint(set(truth_colours) | {NOISE_COLOUR.upper()})
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names == [f"→ {c}" for c in range(10)] + ["extra 1", "noise"]


def test_plot_clusters_puts_the_legend_beside_the_data_not_on_it(labelled_points):
    X, labels = labelled_points
    ax = plotting.plot_clusters(X, labels)
    ax.figure.canvas.draw()
    legend_box = ax.get_legend().get_window_extent()
    assert legend_box.x0 >= ax.get_window_extent().x1  # right of the axes
    assert all(t.get_fontsize() >= 9 for t in ax.get_legend().get_texts())


def test_plot_clusters_annotate_writes_each_name_at_its_clusters_median(labelled_points):
    X, labels = labelled_points
    ax = plotting.plot_clusters(X, labels, annotate=True)
    assert [t.get_text() for t in ax.texts] == ["0", "1", "2"]
    for text, group in zip(ax.texts, [0, 1, 2]):
        np.testing.assert_allclose(text.get_position(), np.median(X[labels == group], axis=0))
    assert len(plotting.plot_clusters(X, labels).texts) == 0


def test_plot_clusters_annotate_with_truth_names_the_matched_class(digits_like):
    X, truth = digits_like
    ax = plotting.plot_clusters(X, (truth + 3) % 10, truth=truth, annotate=True, legend=False)
    assert [t.get_text() for t in ax.texts] == [str(c) for c in range(10)]
    np.testing.assert_allclose(ax.texts[4].get_position(), np.median(X[truth == 4], axis=0))


def test_point_colours_matches_what_plot_clusters_draws(labelled_points):
    X, labels = labelled_points
    np.testing.assert_array_equal([c.upper() for c in plotting.point_colours(labels)],
                                  _drawn_colours(plotting.plot_clusters(X, labels), X))


def test_plot_clusters_rejects_truth_of_the_wrong_length(labelled_points):
    X, labels = labelled_points
    with pytest.raises(ValueError, match=r"truth has 3 entries but there are 20 samples"):
        plotting.plot_clusters(X, labels, truth=[0, 1, 2])


# --------------------------------------------------------------------------- plot_k_distance / plot_eps_scan


@pytest.fixture(scope="module")
def lesson_scan(three_blobs):
    """Notebook 01's rule on the three blobs: its choice, the k-distance curve and the knee."""
    import lesson_code

    lesson = lesson_code.load("01_autoencoder_dbscan.ipynb")
    choice = lesson.choose_eps(three_blobs[0])
    curve = lesson.k_distances(three_blobs[0], choice.min_samples)
    return choice, curve, lesson.find_knee(curve)


def test_plot_k_distance_draws_curve_knee_eps_and_stable_range(lesson_scan):
    choice, curve, knee = lesson_scan
    ax = plotting.plot_k_distance(curve, eps=choice.eps, knee_index=knee, band=choice.stable_range,
                                  min_samples=choice.min_samples)
    assert isinstance(ax, mpl.axes.Axes)
    assert len(ax.lines) == 3
    curve_line, knee_dot, eps_line = ax.lines
    np.testing.assert_allclose(curve_line.get_ydata(), curve)
    assert knee_dot.get_xdata()[0] == knee
    assert knee_dot.get_ydata()[0] == pytest.approx(curve[knee])
    np.testing.assert_allclose(eps_line.get_ydata(), choice.eps)
    assert len(ax.patches) == 1  # the stable range band
    assert ax.get_yscale() == "log"
    assert "min_samples=4" in ax.get_title() and ax.get_ylabel() == "distance to neighbour 4"
    assert len(ax.get_legend().get_texts()) == 4


def test_plot_k_distance_draws_repeated_rows_at_the_floor_of_its_log_axis():
    # 4 repeated rows have k-distance 0: a log axis would drop them, and the curve would seem to start later
    curve = np.array([0.0, 0.0, 0.0, 0.0, 0.4, 0.5, 0.8, 2.0])
    ax = plotting.plot_k_distance(curve, eps=0.6, knee_index=2)
    curve_line, knee_dot = ax.lines[:2]
    np.testing.assert_allclose(curve_line.get_ydata(), [0.2, 0.2, 0.2, 0.2, 0.4, 0.5, 0.8, 2.0])
    assert curve_line.get_label() == "k-distance (4 at 0, drawn at the bottom)"
    assert knee_dot.get_ydata()[0] == pytest.approx(0.2) and knee_dot.get_label() == "knee (0)"
    assert ax.get_ylim()[0] == pytest.approx(0.16)  # every point inside the axes
    no_zeros = plotting.plot_k_distance(curve[4:])
    assert no_zeros.lines[0].get_label() == "k-distance"
    np.testing.assert_allclose(no_zeros.lines[0].get_ydata(), curve[4:])
    all_zero = plotting.plot_k_distance(np.zeros(5), eps=0.5)
    np.testing.assert_allclose(all_zero.lines[0].get_ydata(), 0.005)
    assert plotting.plot_k_distance(np.zeros(5)).lines[0].get_ydata()[0] == pytest.approx(0.01)  # no eps either
    # an eps or a band below the floor stay in view; a band from 0 cannot (a log axis has no 0)
    curve = np.r_[np.zeros(10), np.linspace(1, 3, 90)]
    assert plotting.plot_k_distance(curve, eps=0.2, band=(0.15, 0.3)).get_ylim()[0] == pytest.approx(0.8 * 0.15)
    assert plotting.plot_k_distance(curve, eps=0.2).get_ylim()[0] == pytest.approx(0.8 * 0.2)
    assert plotting.plot_k_distance(curve, band=(0.0, 0.3)).get_ylim()[0] == pytest.approx(0.8 * 0.5)
    assert len(plotting.plot_k_distance([0.5, 1.0]).lines) == 1  # two points are a curve
    plt.close("all")


def test_plot_k_distance_draws_in_the_colours_of_the_series_eps_figures():
    ax = plotting.plot_k_distance([0.1, 0.2, 0.3, 2.0], eps=0.5, knee_index=2, band=(0.2, 1.0))
    curve, knee, eps = ax.lines
    assert [to_hex(line.get_color()) for line in (curve, knee, eps)] == [
        to_hex(plotting.PALETTE[0]), to_hex(plotting.PALETTE[1]), to_hex(plotting.PALETTE[5])]
    assert to_hex(ax.patches[0].get_facecolor()) == to_hex(plotting.PALETTE[2])  # as plot_eps_scan's band
    scan = plotting.plot_eps_scan([0.1, 0.5, 1.0], [1, 2, 1], [0.1, 0.0, 0.0], eps=0.5, band=(0.2, 1.0))
    assert to_hex(scan.patches[0].get_facecolor()) == to_hex(plotting.PALETTE[2])
    assert any(to_hex(line.get_color()) == to_hex(plotting.PALETTE[5]) for line in scan.lines)  # its eps line
    plt.close("all")


def test_plot_k_distance_draws_only_what_it_is_given(lesson_scan):
    _, curve, _ = lesson_scan
    _, ax = plt.subplots()
    assert plotting.plot_k_distance(curve, ax=ax, title="custom") is ax
    assert len(ax.patches) == 0 and len(ax.lines) == 1
    assert ax.get_title() == "custom"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (([3.0, 2.0, 1.0],), {}, ValueError, "sorted in ascending order"),
        (([1.0, 2.0, 3.0],), {"knee_index": 3}, ValueError, "knee_index must be <= 2"),
        (([1.0, 2.0, 3.0],), {"eps": -1.0}, ValueError, "eps must be > 0.0"),
        (([1.0, 2.0, 3.0],), {"knee_index": -1}, ValueError, "knee_index must be >= 0"),
        (([1.0],), {}, ValueError, "k_distances needs at least 2 samples; got 1"),
    ],
)
def test_plot_k_distance_rejects_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.plot_k_distance(*args, **kwargs)


def test_plot_eps_scan_draws_counts_eps_and_noise_on_a_twin_axis(lesson_scan):
    choice, _, _ = lesson_scan
    _, ax = plt.subplots()
    result = plotting.plot_eps_scan(choice.candidates, choice.n_clusters, choice.noise_fraction, eps=choice.eps,
                                    band=choice.stable_range, min_cluster_fraction=0.05, ax=ax)
    assert result is ax
    assert len(ax.lines) == 2  # cluster-count step curve and the chosen eps
    np.testing.assert_allclose(ax.lines[0].get_ydata(), choice.n_clusters)
    np.testing.assert_allclose(ax.lines[1].get_xdata(), choice.eps)
    assert ax.get_xscale() == "log" and "5%" in ax.get_ylabel()
    assert len(ax.patches) == 1
    twins = [other for other in ax.figure.axes if other is not ax]
    assert len(twins) == 1 and len(twins[0].lines) == 1
    noise_line = twins[0].lines[0]
    assert to_hex(noise_line.get_color()).upper() == NOISE_COLOUR.upper()
    np.testing.assert_allclose(noise_line.get_ydata(), choice.noise_fraction)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "clusters" and labels[-1] == "noise share" and len(labels) == 4


def test_the_rule_plots_name_small_radii_and_the_share_a_cluster_needed_as_they_are():
    """A learner's probe: on a code of small scale both legends read 'chosen eps (0.00)', and after
    choose_eps(..., min_cluster_fraction=0.01) notebook 01's cell still labelled '≥ 5% of points' (the share was
    written into the cell); min_cluster_fraction=5 labelled '≥ 500% of points'."""
    candidates, counts, noise = [0.0004, 0.0005, 0.0006], [2, 3, 1], [0.1, 0.0, 0.0]
    ax = plotting.plot_eps_scan(candidates, counts, noise, eps=0.000527, min_cluster_fraction=0.005)
    assert "chosen eps (0.000527)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert ax.get_ylabel() == "clusters (≥ 0.5% of points)"
    assert plotting.plot_eps_scan(candidates, counts, noise, min_cluster_fraction=0.05).get_ylabel() == \
        "clusters (≥ 5% of points)"
    for share in (5, 0, -0.1):
        with pytest.raises(ValueError, match="min_cluster_fraction must be"):
            plotting.plot_eps_scan(candidates, counts, noise, min_cluster_fraction=share)
    ax = plotting.plot_k_distance(np.array([0.0001, 0.0002, 0.0004, 0.0009]), eps=0.00031, knee_index=2)
    assert {"knee (0.0004)", "chosen eps (0.00031)"} <= {t.get_text() for t in ax.get_legend().get_texts()}
    plt.close("all")


def test_plot_eps_scan_rejects_arrays_of_different_lengths():
    with pytest.raises(ValueError, match="n_clusters has 2 entries but there are 3"):
        plotting.plot_eps_scan([0.1, 0.2, 0.3], [3, 2], [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="noise_fraction has 4 entries but there are 3"):
        plotting.plot_eps_scan([0.1, 0.2, 0.3], [3, 2, 1], [0.0, 0.0, 0.0, 0.0])


def test_plot_history_draws_a_diverged_run_with_nan():
    ax = plotting.plot_history({"loss": [1.0, 0.5, float("nan")]})
    assert len(ax.lines) == 1 and np.isnan(ax.lines[0].get_ydata()[-1])


def test_plot_history_draws_a_keras_history_with_several_losses():
    import types

    from helpers import training

    # The History object model.fit returns, filled as fit fills it (epoch by epoch), without training.
    history = training.keras.callbacks.History()
    history.set_model(types.SimpleNamespace())
    history.on_train_begin()
    for epoch, loss in enumerate([0.9, 0.6, 0.5]):
        history.on_epoch_end(epoch, {"loss": loss, "mae": loss / 2, "val_loss": loss + 0.1, "val_mae": loss / 2 + 0.1})
    ax = plotting.plot_history(history)
    assert sorted(line.get_label() for line in ax.lines) == sorted(history.history)
    assert len(ax.lines) == 4  # loss, mae, val_loss, val_mae
    loss = next(line for line in ax.lines if line.get_label() == "loss")
    np.testing.assert_allclose(loss.get_ydata(), history.history["loss"])
    np.testing.assert_array_equal(loss.get_xdata(), [1, 2, 3])


def test_plot_history_draws_a_vaes_three_losses_in_one_figure_with_the_legend_outside():
    history = {"loss": [5.0, 4.0, 3.5], "reconstruction_loss": [4.8, 3.7, 3.1], "kl_loss": [0.2, 0.3, 0.4]}
    ax = plotting.plot_history(history, title="VAE")
    assert len(plt.get_fignums()) == 1 and len(ax.figure.axes) == 1
    assert [line.get_label() for line in ax.lines] == list(history)
    np.testing.assert_allclose(ax.lines[2].get_ydata(), history["kl_loss"])
    ax.figure.canvas.draw()
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1


# --------------------------------------------------------------------------- plot_digit_grid / plot_cluster_means


def _constant_images(truth, width=4):
    """One flat image per sample whose every pixel is its class (so a row shows what it holds)."""
    return np.repeat(np.asarray(truth, dtype=float)[:, None], width * width, axis=1)


def test_plot_digit_grid_with_truth_orders_and_names_rows_by_matched_class():
    truth = np.repeat([0, 1, 2, 3], [6, 5, 4, 3])
    labels = np.array([2, 0, 3, 1])[truth]  # class c found as cluster [2, 0, 3, 1][c]
    labels[-1] = -1
    ax = plotting.plot_digit_grid(_constant_images(truth), labels, per_cluster=3, truth=truth)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["→ 0 (6)", "→ 1 (5)", "→ 2 (4)", "→ 3 (2)", "noise (1)"]
    assert ax.get_ylabel() == "cluster → matched class (size)"  # the rows read as the legends beside a truth do
    mosaic = ax.images[0].get_array()
    for row, cls in enumerate([0, 1, 2, 3]):  # row r holds images of the class it is labelled with
        cells = mosaic[row * 5 : row * 5 + 4]
        assert set(np.unique(cells[np.isfinite(cells)])) == {float(cls)}


def test_plot_digit_grid_with_truth_lists_extra_clusters_after_the_classes():
    truth = np.repeat([0, 1], 6)
    labels = np.array([5] * 6 + [7] * 4 + [9] * 2)
    ax = plotting.plot_digit_grid(_constant_images(truth), labels, truth=truth)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["→ 0 (6)", "→ 1 (4)", "extra 1 (2)"]


def test_plot_digit_grid_frames_exactly_the_images_of_another_class_than_their_rows():
    """With truth, an image whose class is not its cluster's matched class is framed, where it is drawn; noise
    and images in their own class's row are not. Every member is shown (per_cluster covers the largest)."""
    from matplotlib.patches import Rectangle

    truth = np.repeat([0, 1, 2], 5)
    labels = truth.copy()
    labels[[3, 4]] = 1  # two 0s in the cluster matched to 1 (it keeps 5 1s: still matched to 1)
    labels[14] = -1  # a 2 left as noise
    ax = plotting.plot_digit_grid(_constant_images(truth), labels, per_cluster=7, truth=truth)
    frames = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(frames) == 2
    mosaic = ax.images[0].get_array()
    for frame in frames:  # each frame surrounds one whole image, a 0, in the row labelled "→ 1"
        x, y = frame.get_xy()
        assert (frame.get_width(), frame.get_height()) == (4, 4) and y == 5 - 0.5  # row 1 of 4 + 1 pixels
        assert np.all(mosaic[int(y + 0.5) : int(y + 0.5) + 4, int(x + 0.5) : int(x + 0.5) + 4] == 0.0)
    assert ax.get_xlabel() == "framed: an image of another class than its row's"
    clean = plotting.plot_digit_grid(_constant_images(truth), truth, per_cluster=7, truth=truth)
    assert not clean.patches  # every image in its own class's row: nothing framed
    assert not plotting.plot_digit_grid(_constant_images(truth), labels, per_cluster=7).patches  # no truth, no frames


def test_plot_cluster_means_draws_each_clusters_mean_in_matched_order():
    rng = np.random.default_rng(0)
    truth = np.repeat([0, 1, 2], 5)
    X = rng.random((15, 16)) + truth[:, None]
    labels = np.array([1, 2, 0])[truth]
    ax = plotting.plot_cluster_means(X, labels, truth=truth)
    mosaic = ax.images[0].get_array()
    assert mosaic.shape == (4, 3 * 5 - 1)
    for i, cls in enumerate([0, 1, 2]):
        np.testing.assert_allclose(mosaic[:, i * 5 : i * 5 + 4], X[truth == cls].mean(axis=0).reshape(4, 4))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["→ 0\n(5)", "→ 1\n(5)", "→ 2\n(5)"]


def test_plot_cluster_means_without_truth_follows_cluster_ids_and_skips_noise():
    X = np.arange(5 * 4, dtype=float).reshape(5, 4)
    ax = plotting.plot_cluster_means(X, [1, 1, 0, -1, 0])
    mosaic = ax.images[0].get_array()
    np.testing.assert_allclose(mosaic[:, :2], X[[2, 4]].mean(axis=0).reshape(2, 2))
    np.testing.assert_allclose(mosaic[:, 3:], X[[0, 1]].mean(axis=0).reshape(2, 2))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0\n(2)", "1\n(2)"]


@pytest.mark.parametrize(
    ("X", "labels", "kwargs", "error", "match"),
    [
        (np.zeros((4, 15)), [0, 0, 1, 1], {}, ValueError, r"X must hold square images, one per row; 15 pixels"),
        (np.zeros((4, 4)), [-1, -1, -1, -1], {}, ValueError, r"all noise"),
        (np.zeros((4, 4)), [0, 0, 1], {}, ValueError, r"labels has 3 entries"),
        ([[0.0, np.nan, 0, 0]] * 4, [0, 0, 1, 1], {}, ValueError, r"NaN or infinite"),
    ],
)
def test_plot_cluster_means_rejects_bad_input(X, labels, kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.plot_cluster_means(X, labels, **kwargs)


# --------------------------------------------------------------------------- best_k's ks (issue 21, item 5)


@pytest.mark.parametrize(
    ("ks", "error", "match"),
    [
        ([2.5, 3.5, 4.5], TypeError, r"^ks value must be an integer; got 2\.5$"),
        ([-1, 0, 1], ValueError, r"^ks value must be >= 1; got -1$"),
        ([2, 2, 3], ValueError, r"^ks must not repeat a value; got \[2, 2, 3\]$"),
        ([3], ValueError, r"^ks must hold at least 2 different values"),
    ],
    ids=["floats", "negative", "repeated", "one"],
)
def test_best_k_and_plot_k_scores_follow_the_packages_k_convention(ks, error, match):
    """best_k([2.5, 3.5, 4.5], ...) returned 3, a k the learner never tried; the package's k check refuses it."""
    scores = [0.1, 0.5, 0.3][: len(ks)]
    for draw in (plotting.best_k, plotting.plot_k_scores):
        with pytest.raises(error, match=match):
            draw(ks, scores, "silhouette")


def test_best_k_keeps_the_order_of_the_ks_given():
    """ks need not be sorted (numpy integers too): each score stays with its own k."""
    assert plotting.best_k(np.array([5, 3, 4]), [0.1, 0.5, 0.3], "silhouette") == 3
    assert plotting.best_k((k for k in (5, 3, 4)), [0.1, 0.5, 0.3], "bic") == 5


# --------------------------------------------------------------------------- text classes


def test_plot_clusters_takes_text_classes_as_labels_and_as_truth(digits_like):
    """plot_clusters refused text classes ("truth must be integers; got dtype <U10") that evaluate scores."""
    X, truth = digits_like
    names = np.array([f"class {c:02d}" for c in range(10)])[truth]  # sorted as text in the same order
    permuted = np.array([7, 2, 9, 0, 4, 1, 8, 3, 6, 5])[truth]
    by_number = _drawn_colours(plotting.plot_clusters(X, truth), X)
    np.testing.assert_array_equal(_drawn_colours(plotting.plot_clusters(X, names), X), by_number)
    ax = plotting.plot_clusters(X, permuted, truth=names)
    np.testing.assert_array_equal(_drawn_colours(ax, X), by_number)
    assert ax.get_legend().get_texts()[0].get_text() == "→ class 00"
    np.testing.assert_array_equal(plotting.point_colours(permuted, names), plotting.point_colours(permuted, truth))
    with pytest.raises(ValueError, match=r"^truth has 1 missing label"):
        plotting.plot_clusters(X[:3], [0, 1, 1], truth=["a", None, "b"])


# --------------------------------------------------------------------------- text labels with noise (match_labels)


#: Ten class names whose sorted order is the order of their numbers, and which all sort after "extra 1":
#: a sort that put match_labels' "extra 1" among them would shift every colour.
TYPE_NAMES = np.array([f"type {c}" for c in range(10)])


@pytest.fixture
def matched_pair(digits_like):
    """The same clustering matched to integer classes and to text classes: ``(X, by_number, by_name)``.

    Class 3 is split in two (one part surplus: ``10`` / ``"extra 1"``), every tenth point is noise, and
    the cluster ids are permuted, so only the matching makes the names agree with the classes."""
    from helpers.evaluation import match_labels

    X, truth = digits_like
    labels = np.array([7, 2, 9, 0, 4, 1, 8, 3, 6, 5])[truth] + 20
    labels[truth == 3] = np.where(np.arange(12) < 7, 40, 41)
    labels[::10] = -1
    by_number, by_name = match_labels(truth, labels), match_labels(TYPE_NAMES[truth], labels)
    assert by_name.dtype == object and {-1, "extra 1"} <= set(by_name.tolist())  # what the learner passes
    return X, by_number, by_name


def test_plot_clusters_draws_match_labels_noise_among_text_as_noise_and_colours_names_as_numbers(matched_pair):
    """plot_clusters(Z, match_labels(text_y, labels)) drew noise as a coloured class called "-1"."""
    X, by_number, by_name = matched_pair
    ax = plotting.plot_clusters(X, by_name)
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names == [f"type {c}" for c in range(10)] + ["extra 1", "noise"]
    noise = ax.collections[-1]
    assert noise.get_label() == "noise" and set(_hex(noise.get_edgecolor())) == {NOISE_COLOUR.upper()}
    np.testing.assert_allclose(noise.get_offsets(), X[by_number == -1])
    # point for point the colours of the integer labels: noise grey, "extra 1" after the classes
    drawn = _drawn_colours(ax, X)
    np.testing.assert_array_equal(drawn, _drawn_colours(plotting.plot_clusters(X, by_number), X))
    np.testing.assert_array_equal([c.upper() for c in plotting.point_colours(by_name)], drawn)
    assert set(drawn[by_number == -1]) == {NOISE_COLOUR.upper()} and NOISE_COLOUR.upper() not in drawn[by_number != -1]
    plt.close("all")


def test_text_labels_order_sorted_names_then_extras_and_read_noise_only_as_the_integer_minus_one():
    X = np.random.default_rng(4).normal(size=(7, 2))
    labels = np.array(["x", "extra 2", np.int64(-1), "a", "extra 1", -1, "-1"], dtype=object)
    ax = plotting.plot_clusters(X, labels)
    assert [c.get_label() for c in ax.collections] == ["-1", "a", "x", "extra 1", "extra 2", "noise"]
    assert [len(c.get_offsets()) for c in ax.collections] == [1, 1, 1, 1, 1, 2]  # NumPy's -1 is noise too
    colours = plotting.point_colours(labels)
    assert list(colours) == [PALETTE[2], PALETTE[4], NOISE_COLOUR, PALETTE[1], PALETTE[3], NOISE_COLOUR, PALETTE[0]]
    assert list(plotting.point_colours(np.array(["b", np.int64(-1), "a"], dtype=object))) == [
        PALETTE[1], NOISE_COLOUR, PALETTE[0]]
    # a list works as an array does (NumPy alone would turn its -1 into the text "-1")
    assert list(plotting.point_colours(["b", -1, "a"])) == [PALETTE[1], NOISE_COLOUR, PALETTE[0]]
    # integers held as objects are numbers: -1 is noise, as in an integer array
    assert list(plotting.point_colours(np.array([1, -1, 0], dtype=object))) == [PALETTE[1], NOISE_COLOUR, PALETTE[0]]
    # the extras by their number, not as text ("extra 10" after "extra 2"); a float -1.0 is not the integer -1
    more = np.array(["b", "extra 10", "extra 2", -1.0, "a"], dtype=object)
    ax = plotting.plot_clusters(np.random.default_rng(0).normal(size=(5, 2)), more)
    assert [c.get_label() for c in ax.collections] == ["-1.0", "a", "b", "extra 2", "extra 10"]
    plt.close("all")


@pytest.mark.parametrize(
    ("labels", "error", "match"),
    [
        (np.array(["a", -1, "b"], dtype=object), ValueError, r"labels has 3 entries but there are 4 samples"),
        (np.array(["a", -1, None, "b"], dtype=object), ValueError, r"labels has 1 missing label"),
        (np.array(["a", -1, float("nan"), "b"], dtype=object), ValueError, r"labels has 1 missing label"),
        (np.array([0.5, -1, 1.5, 0.5], dtype=object), TypeError, r"labels must be whole numbers"),
        ([0, -1, float("nan"), 1], ValueError, r"labels contains 1 NaN"),
    ],
    ids=["length", "None", "NaN-among-text", "fractions-as-objects", "NaN-float"],
)
def test_text_labels_with_noise_still_refuse_what_is_wrong(labels, error, match):
    X = np.zeros((4, 2))
    with pytest.raises(error, match=match):
        plotting.plot_clusters(X, labels)


@pytest.fixture(scope="module")
def optics_120():
    """OPTICS fitted to 120 points (the ``digits_like`` layout)."""
    from sklearn.cluster import OPTICS

    rng = np.random.default_rng(3)
    truth = np.repeat(np.arange(10), 12)
    X = rng.normal(scale=0.3, size=(120, 2)) + np.column_stack([truth % 5, truth // 5]) * 3.0
    return OPTICS(min_samples=5).fit(X)


def _bar_colours(ax, optics):
    """Hex colour of every sample's bar, in the order of the samples."""
    finite = np.isfinite(optics.reachability_[optics.ordering_])
    in_order = np.empty(len(finite), dtype=object)
    in_order[finite] = _hex(ax.collections[0].get_facecolors())
    in_order[~finite] = _hex(ax.collections[1].get_facecolors())
    colours = np.empty(len(finite), dtype=object)
    colours[optics.ordering_] = in_order
    return colours


def test_plot_reachability_takes_match_labels_of_text_classes(optics_120, matched_pair):
    """plot_reachability(optics, labels=match_labels(text_y, labels)) raised 'labels must be integers; got dtype
    object', the pattern notebook 03 teaches."""
    X, by_number, by_name = matched_pair
    ax = plotting.plot_reachability(optics_120, eps=0.5, labels=by_name)
    colours = _bar_colours(ax, optics_120)
    # each bar in its point's colour in plot_clusters, noise grey: the same as for the integer classes
    np.testing.assert_array_equal(colours, _drawn_colours(plotting.plot_clusters(X, by_name), X))
    np.testing.assert_array_equal(colours, _bar_colours(plotting.plot_reachability(optics_120, labels=by_number),
                                                        optics_120))
    assert set(colours[by_number == -1]) == {NOISE_COLOUR.upper()}
    with pytest.raises(ValueError, match=r"labels has 119 entries but there are 120 samples"):
        plotting.plot_reachability(optics_120, labels=by_name[:-1])
    with pytest.raises(ValueError, match=r"labels contains 1 NaN"):
        plotting.plot_reachability(optics_120, labels=np.where(np.arange(120) == 5, np.nan, by_number))
    with pytest.raises(TypeError, match=r"labels must be whole numbers"):
        plotting.plot_reachability(optics_120, labels=by_number + 0.5)
    plt.close("all")


def test_plot_digit_grid_and_cluster_means_take_match_labels_of_text_classes():
    from helpers.evaluation import match_labels

    truth = np.repeat([0, 1, 2], [6, 5, 4])
    names = np.array(["zebra", "ant", "moth"])[truth]  # sorted: ant, moth, zebra
    labels = np.array([2, 0, 1])[truth]
    labels[[0, 7]] = -1
    matched = match_labels(names, labels)
    ax = plotting.plot_digit_grid(_constant_images(truth), matched, per_cluster=3)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ant (4)", "moth (4)", "zebra (5)", "noise (2)"]
    mosaic = ax.images[0].get_array()
    for row, cls in enumerate([1, 2, 0]):  # each row holds the images of the class it is named after
        cells = mosaic[row * 5 : row * 5 + 4]
        assert set(np.unique(cells[np.isfinite(cells)])) == {float(cls)}
    ax = plotting.plot_cluster_means(_constant_images(truth), matched)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ant\n(4)", "moth\n(4)", "zebra\n(5)"]
    np.testing.assert_allclose(ax.images[0].get_array()[:, :4], 1.0)  # ant is class 1: its mean image is 1
    plt.close("all")


def test_confusion_draws_match_labels_text_output_as_its_integer_input_with_names():
    """A learner's probe: with text classes, notebook 04's plot_confusion(y, match_labels(y, labels)) refused
    match_labels' own output ('labels must be integers; got dtype object'). Drawn now: the same counts as for the
    integer clusters, each column named by its matched class, a class left without a cluster as -1."""
    from helpers import evaluation

    y = np.array(["ant", "bee", "cat"] * 20)
    clusters = np.where(y == "ant", 2, np.where(y == "bee", 0, 1))
    clusters[:3] = [1, 1, 0]  # a few in the wrong cluster
    text = evaluation.match_labels(y, clusters)
    assert text.dtype == object
    ax_int, ax_text = plotting.plot_confusion(y, clusters), plotting.plot_confusion(y, text)
    counts = [[t.get_text() for t in ax.texts] for ax in (ax_int, ax_text)]
    assert counts[0] == counts[1] and counts[0]
    assert [t.get_text() for t in ax_text.get_xticklabels()] == ["ant", "bee", "cat"]
    two = np.where(y == "cat", "bee", y).astype(object)  # no cluster for "cat"
    ax = plotting.plot_confusion(y, two)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ant", "bee", "-1"]
    plt.close("all")


def test_the_eps_plots_refuse_a_band_that_is_not_a_pair_and_a_noise_share_in_percent():
    """A learner's probe: band=(0.1, 0.4, 0.5) shaded from 0.5 on, band=0.4 failed inside matplotlib, a noise
    share given in percent drew an axis to 55 'share', and negative cluster counts were drawn."""
    candidates, counts, noise = [0.1, 0.2, 0.4, 0.8, 1.6], [4, 3, 2, 1, 1], [0.5, 0.3, 0.1, 0.05, 0.0]
    for band, message in (((0.1, 0.4, 0.5), r"^band must be a \(low, high\) pair of radii"),
                          (0.4, r"^band must be a \(low, high\) pair of radii"),
                          ((0.4, 0.1), r"^band must be \(low, high\) with low <= high; got \(0\.4, 0\.1\)$")):
        with pytest.raises(ValueError, match=message):
            plotting.plot_eps_scan(candidates, counts, noise, band=band)
        with pytest.raises(ValueError, match=message):
            plotting.plot_k_distance(np.linspace(0.1, 1.0, 10), band=band)
    with pytest.raises(ValueError, match=r"^noise_fraction holds shares of the points, in \[0, 1\]; got values from 0 "
                                         r"to 50 \(percentages\? divide by 100\)$"):
        plotting.plot_eps_scan(candidates, counts, [50, 30, 10, 5, 0])
    with pytest.raises(ValueError, match=r"^n_clusters counts clusters, 0 or more; got -4$"):
        plotting.plot_eps_scan(candidates, [-4, -3, -2, 1, 1], noise)
    with pytest.raises(ValueError, match=r"^noise_fraction has 2 entries but there are 3 candidates$"):
        plotting.plot_eps_scan([0.1, 0.2, 0.4], [3, 2, 1], [0.2, 0.1])
    ax = plotting.plot_eps_scan(candidates, counts, noise, band=(0.2, 0.8))  # a good band is drawn where it says
    shaded = [p for p in ax.patches if p.get_label() == "stable range"]
    corners = shaded[0].get_patch_transform().transform(shaded[0].get_path().vertices)  # Rectangle or Polygon
    assert len(shaded) == 1 and np.allclose(sorted({round(x, 9) for x in corners[:, 0]}), [0.2, 0.8])
    plt.close("all")
