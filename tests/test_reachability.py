"""Tests for notebook 03's top-down rule (run from the notebook's own ``lesson-code`` cells), the one
OPTICS check in helpers.clustering, and plot_reachability."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import lesson_code
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.cluster import OPTICS, KMeans, cluster_optics_dbscan
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from helpers import clustering, plotting

lesson = lesson_code.load("03_deep_autoencoder_optics.ipynb")


@pytest.fixture(scope="module")
def blobs_optics(three_blobs_module):
    X, _ = three_blobs_module
    return OPTICS(min_samples=5).fit(X)


@pytest.fixture(scope="module")
def three_blobs_module():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    y = np.repeat(np.arange(3), 50)
    X = centres[y] + rng.normal(0.0, 0.5, (150, 2))
    return X, y


def test_choose_reachability_eps_splits_separated_blobs(blobs_optics, three_blobs_module):
    _, y = three_blobs_module
    choice = lesson.choose_reachability_eps(blobs_optics)
    assert choice.peak is not None and choice.eps < choice.peak
    assert choice.n_large_clusters >= 2
    # eps lies below the biggest jump between blobs (about 10) and above the within-blob hops
    assert 0.3 < choice.eps < 10
    assert choice.labels.shape == (150,)
    assert adjusted_rand_score(y, choice.labels) > 0.5


def test_the_rule_finds_the_first_split_not_every_valley_as_the_notebook_says():
    # notebook 03, section 4: on 500 points in three 10-D blobs the highest peak that splits off large
    # clusters parts one blob from the other two; the xi method finds all three
    from helpers import data

    blobs = data.blobs(n_samples=500, centers=3, n_features=10, random_state=42)
    cut = lesson.choose_reachability_eps(OPTICS(min_samples=10).fit(blobs.X))
    assert cut.n_large_clusters == 2 and round(adjusted_rand_score(blobs.y, cut.labels), 2) == 0.57
    text = "".join("".join(cell["source"]) for cell in json.loads(
        (Path(__file__).parent.parent / "notebooks" / "03_deep_autoencoder_optics.ipynb").read_text())["cells"])
    assert "on three well-separated\ngroups the highest such peak parts one group from the other two" in text
    xi = OPTICS(min_samples=10, cluster_method="xi").fit(blobs.X).labels_
    assert set(xi) == {0, 1, 2} and adjusted_rand_score(blobs.y, xi) == 1.0


def test_the_rule_splits_uniform_noise_as_the_notebook_warns():
    # notebook 03, section 4: the rule never asks whether the peak stands out, so a uniform square is cut
    # into two large clusters; its splitting peak is barely above the median bar, the moons' about twice it
    from helpers import data

    for seed in (0, 1, 2):
        square = data.standardize(np.random.default_rng(seed).uniform(size=(500, 2)))
        optics = OPTICS(min_samples=10).fit(square)
        cut = lesson.choose_reachability_eps(optics)
        median = np.median(optics.reachability_[np.isfinite(optics.reachability_)])
        assert cut.n_large_clusters >= 2 and cut.peak / median < 1.5
        moons = OPTICS(min_samples=10).fit(data.moons(500, noise=0.1, random_state=seed).X)
        moons_cut = lesson.choose_reachability_eps(moons)
        assert moons_cut.peak / np.median(moons.reachability_[np.isfinite(moons.reachability_)]) > 1.8


def test_the_labels_are_cluster_optics_dbscan_at_eps(blobs_optics):
    choice = lesson.choose_reachability_eps(blobs_optics)
    labels = cluster_optics_dbscan(reachability=blobs_optics.reachability_, core_distances=blobs_optics.core_distances_,
                                   ordering=blobs_optics.ordering_, eps=choice.eps)
    np.testing.assert_array_equal(labels, choice.labels)
    np.testing.assert_array_equal(lesson.dbscan_cut(blobs_optics, choice.eps), labels)


def _line_with_a_far_group():
    # Three tight groups 0..1, 100..101 and 150..151 of 20 points each, and a far group of 4 points at
    # 400..400.3. With min_samples=3 the far group is a cluster of its own (not noise) below the peak of
    # about 249 that separates it, but it holds only 4 of 64 points: less than 10 %. Two lower peaks
    # (99 and 49) both split off large clusters; the highest of them is the one to take.
    line = np.concatenate([np.linspace(0, 1, 20), np.linspace(100, 101, 20), np.linspace(150, 151, 20),
                           np.linspace(400, 400.3, 4)])
    return OPTICS(min_samples=3).fit(line[:, None])


def _sizes(labels):
    return sorted(np.bincount(labels[labels >= 0]).tolist())


def test_choose_reachability_eps_takes_the_highest_peak_that_splits_off_large_clusters():
    optics = _line_with_a_far_group()
    heights = np.unique(optics.reachability_[np.isfinite(optics.reachability_)])[::-1]
    np.testing.assert_allclose(heights[:3], [249.0, 99.0, 49.0])
    assert _sizes(lesson.dbscan_cut(optics, 248.0)) == [4, 60]  # below 249 the far group is a cluster, too small
    assert _sizes(lesson.dbscan_cut(optics, 48.0)) == [4, 20, 20, 20]  # the lower peak 49 also splits
    choice = lesson.choose_reachability_eps(optics, min_cluster_fraction=0.1)
    # Not the highest peak (249: one large cluster), not the lowest splitting one (49): 99.
    assert choice.peak == pytest.approx(99.0)
    assert _sizes(choice.labels) == [4, 20, 40] and choice.n_large_clusters == 2
    assert 98.0 < choice.eps < 99.0  # just below the peak: the peak itself splits


def test_choose_reachability_eps_counts_the_far_group_when_it_is_large_enough():
    # The same data: with min_cluster_fraction=0.05 (4 of 64 points) the far group counts, so the highest peak splits.
    choice = lesson.choose_reachability_eps(_line_with_a_far_group(), min_cluster_fraction=0.05)
    assert choice.peak == pytest.approx(249.0)
    assert _sizes(choice.labels) == [4, 60] and choice.n_large_clusters == 2


def test_choose_reachability_eps_refuses_points_that_all_coincide():
    # 50 copies of one point: every reachability is 0, and the cut was eps=0.0, which DBSCAN refuses
    optics = OPTICS(min_samples=5).fit(np.zeros((50, 2)))
    with pytest.raises(ValueError, match=r"^every finite reachability is 0: the points coincide .* no height above 0"):
        lesson.choose_reachability_eps(optics)


def test_choose_reachability_eps_warns_and_falls_back_without_a_split():
    # One Gaussian cloud, nothing to split, and one far point that max_eps leaves unreachable: noise.
    X = np.vstack([np.random.default_rng(1).normal(size=(100, 2)), [[100.0, 100.0]]])
    optics = OPTICS(min_samples=10, max_eps=5.0).fit(X)
    with pytest.warns(UserWarning, match="no reachability peak splits the data") as caught:
        choice = lesson.choose_reachability_eps(optics, min_cluster_fraction=0.4)
    assert [w.filename for w in caught] == [__file__] * len(caught)  # the learner's call, not a line in the rule
    assert len(caught) == 2  # max_eps=5 left the far point unreachable: named too
    assert np.isnan(choice.peak)  # a number, so the notebook's f"{cut.peak:.3f}" prints nan instead of failing
    assert choice.eps == pytest.approx(np.max(optics.reachability_[np.isfinite(optics.reachability_)]))
    assert np.unique(choice.labels[choice.labels >= 0]).size == 1 and choice.labels[-1] == -1
    assert choice.n_large_clusters == 1  # the one cluster, noise not counted


def test_a_short_max_eps_is_named_and_the_fallback_does_not_claim_one_cluster():
    # OPTICS(max_eps=...) leaves points farther than max_eps unreachable (infinite): no cut rises above max_eps,
    # so nothing across such a hop is joined. With max_eps 0.2 the moons come back in fragments, with 0.1 as noise.
    from helpers import data

    moons = data.moons(500, noise=0.1, random_state=0).X
    with pytest.warns(UserWarning, match=r"^45 points besides the first could not be reached within max_eps=0\.2: "
                                         r"the cut can never rise above"):
        lesson.choose_reachability_eps(OPTICS(min_samples=10, max_eps=0.2).fit(moons))
    with pytest.warns(UserWarning) as caught:
        lesson.choose_reachability_eps(OPTICS(min_samples=10, max_eps=0.1).fit(moons))
    messages = [str(w.message) for w in caught]
    assert "refit OPTICS with the default max_eps=np.inf" in messages[0]
    assert caught[0].filename == __file__  # the learner's call is named, not a line inside the rule
    assert messages[1].endswith("the cut is at the highest finite reachability")  # not "(one cluster)": 92 % noise
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the default max_eps: no warning on the moons
        assert lesson.choose_reachability_eps(OPTICS(min_samples=10).fit(moons)).n_large_clusters == 2


def test_choose_reachability_eps_counts_a_pair_as_a_cluster_when_the_fraction_allows_it():
    # 20 points: two groups of 9 and a far pair. With min_cluster_fraction=0.05 a cluster needs
    # max(2, ceil(0.05 * 20)) = 2 points, so the pair counts and the highest peak (about 39) splits.
    line = np.concatenate([np.linspace(0, 1, 9), np.linspace(10, 11, 9), [50.0, 50.1]])
    choice = lesson.choose_reachability_eps(OPTICS(min_samples=2).fit(line[:, None]), min_cluster_fraction=0.05)
    assert choice.peak == pytest.approx(39.0)
    assert _sizes(choice.labels) == [2, 18] and choice.n_large_clusters == 2


@pytest.mark.parametrize(
    ("optics", "error", "match"),
    [
        ("not an estimator", TypeError, r"optics must be a fitted sklearn.cluster.OPTICS; got str"),
        (KMeans(2), TypeError, r"got KMeans"),
        (OPTICS(min_samples=5), ValueError, r"optics is not fitted: call optics.fit\(X\) first"),
    ],
)
def test_choose_reachability_eps_rejects_bad_or_unfitted_estimators(optics, error, match):
    with pytest.raises(error, match=match):
        lesson.choose_reachability_eps(optics)


@pytest.mark.filterwarnings("ignore:All reachability values are inf")
def test_one_check_refuses_an_all_infinite_reachability_everywhere(three_blobs_module):
    X, y = three_blobs_module
    optics = OPTICS(min_samples=5, max_eps=1e-6).fit(X)  # nothing within reach: every reachability infinite
    assert not np.any(np.isfinite(optics.reachability_))
    for call in (lambda: clustering.check_fitted_optics(optics), lambda: lesson.choose_reachability_eps(optics),
                 lambda: plotting.plot_reachability(optics)):
        with pytest.raises(ValueError, match="every reachability is infinite: raise OPTICS' max_eps"):
            call()


def test_check_fitted_optics_returns_a_good_estimator(blobs_optics):
    assert clustering.check_fitted_optics(blobs_optics) is blobs_optics


@pytest.mark.parametrize(
    ("fraction", "error", "match"),
    [
        (0.0, ValueError, r"min_cluster_fraction must be > 0.0; got 0.0"),
        (0.6, ValueError, r"min_cluster_fraction must be <= 0.5; got 0.6"),
        ("0.1", TypeError, r"min_cluster_fraction must be a number"),
    ],
)
def test_choose_reachability_eps_rejects_bad_fractions(blobs_optics, fraction, error, match):
    with pytest.raises(error, match=match):
        lesson.choose_reachability_eps(blobs_optics, min_cluster_fraction=fraction)


def test_plot_reachability_draws_one_bar_per_point_and_the_eps_line(blobs_optics):
    choice = lesson.choose_reachability_eps(blobs_optics)
    ax = plotting.plot_reachability(blobs_optics, eps=choice.eps, labels=choice.labels, title="test")
    finite_bars, infinite_bars = ax.collections[:2]
    assert len(finite_bars.get_paths()) + len(infinite_bars.get_paths()) == 150  # one bar per point
    assert len(infinite_bars.get_paths()) == int(np.sum(~np.isfinite(blobs_optics.reachability_)))
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and dashed[0].get_ydata()[0] == pytest.approx(choice.eps)
    assert ax.get_title() == "test"
    # bars follow OPTICS' order: the n-th finite bar has the height and colour of the n-th point
    order = blobs_optics.ordering_
    finite_order = order[np.isfinite(blobs_optics.reachability_[order])]
    first = finite_order[0]
    assert finite_bars.get_paths()[0].vertices[:, 1].max() == pytest.approx(blobs_optics.reachability_[first])
    group = choice.labels[first]
    groups = sorted(g for g in set(choice.labels.tolist()) if g != -1)
    expected = plotting.NOISE_COLOUR if group == -1 else plotting.cluster_colours(len(groups))[groups.index(group)]
    assert mcolors.to_hex(finite_bars.get_facecolors()[0]) == expected.lower()


def test_plot_reachability_names_each_colour_in_its_legend(blobs_optics):
    """A learner's read of notebook 03: the bars' colours need a key. The legend lists the eps line, each group
    in the colour of its bars (as plot_clusters names them: text classes by name) and noise, under a title."""
    n = len(blobs_optics.reachability_)
    labels = np.where(np.arange(n) % 10 == 0, -1, np.arange(n) % 3)
    matched = np.array(["a", "b", "extra 1"], dtype=object)[labels]
    matched[labels == -1] = -1
    ax = plotting.plot_reachability(blobs_optics, eps=0.5, labels=matched, legend_title="matched class")
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["eps = 0.500", "a", "b", "extra 1", "noise"]
    assert legend.get_title().get_text() == "matched class"
    colours = [mcolors.to_hex(h.get_facecolor()) for h in legend.legend_handles[1:]]
    assert colours == [c.lower() for c in plotting.cluster_colours(3)] + [plotting.NOISE_COLOUR.lower()]
    first = blobs_optics.ordering_[np.isfinite(blobs_optics.reachability_[blobs_optics.ordering_])][0]
    drawn = mcolors.to_hex(ax.collections[0].get_facecolors()[0])
    assert drawn == colours[4 if labels[first] == -1 else labels[first]]  # the key matches the bars
    plt.close("all")
    # without noise no noise entry; without eps the colours alone; beyond 12 groups no key; no labels, no legend
    assert [t.get_text() for t in plotting.plot_reachability(blobs_optics, labels=np.arange(n) % 2)
            .get_legend().get_texts()] == ["0", "1"]
    many = plotting.plot_reachability(blobs_optics, eps=0.5, labels=np.where(np.arange(n) < 3, -1, np.arange(n) % 13),
                                      legend_title="true moon").get_legend()
    assert [t.get_text() for t in many.get_texts()] == ["eps = 0.500", "noise"] and many.get_title().get_text() == ""
    assert plotting.plot_reachability(blobs_optics).get_legend() is None
    plt.close("all")


def test_plot_reachability_with_truth_colours_and_names_the_clusters_as_plot_clusters_does(blobs_optics):
    """truth= matches each cluster to a class, as plot_clusters(points, labels, truth=...) does: the same colour
    for each point in both figures, and the same names ("→ class", "extra 1") in both legends."""
    n = len(blobs_optics.reachability_)
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, n)
    labels = np.where(rng.random(n) < 0.8, truth, 2)  # two clusters that follow the classes, and a third
    labels[:5] = -1
    points = rng.normal(size=(n, 2))
    scatter = plotting.plot_clusters(points, labels, truth=truth)
    bars = plotting.plot_reachability(blobs_optics, eps=0.5, labels=labels, truth=truth)
    names = [t.get_text() for t in bars.get_legend().get_texts()]
    assert names == ["eps = 0.500", "→ 0", "→ 1", "extra 1", "noise"]
    assert names[1:] == [t.get_text() for t in scatter.get_legend().get_texts()]
    assert bars.get_legend().get_title().get_text() == "cluster → matched class"
    order = blobs_optics.ordering_
    finite = np.isfinite(blobs_optics.reachability_[order])
    drawn = [mcolors.to_hex(c) for c in bars.collections[0].get_facecolors()]
    assert drawn == [c.lower() for c in np.asarray(plotting.point_colours(labels, truth=truth))[order][finite]]
    with pytest.raises(ValueError, match="truth needs cluster labels"):
        plotting.plot_reachability(blobs_optics, truth=truth)
    plt.close("all")


def test_plot_reachability_puts_each_bar_over_its_place_in_the_order_and_every_bar_inside_the_axes(blobs_optics):
    """The geometry a reader relies on: the i-th point of OPTICS' order is the bar from i - 0.5 to i + 0.5, as tall
    as its reachability (an infinite one hatched up to the top); the axes show every bar and the eps line, 8 %
    of headroom above the taller; without labels every bar is the first colour of the palette."""
    order = blobs_optics.ordering_
    heights = blobs_optics.reachability_[order]
    finite = np.isfinite(heights)
    for eps in (None, 0.5 * heights[finite].max(), 3.0 * heights[finite].max()):
        ax = plotting.plot_reachability(blobs_optics, eps=eps)
        top = 1.08 * max(heights[finite].max(), eps or 0.0)
        assert ax.get_xlim() == (-0.5, len(order) - 0.5) and ax.get_ylim() == pytest.approx((0.0, top))
        bars = [path.vertices for path in ax.collections[0].get_paths()]
        for position, corners in zip(np.flatnonzero(finite), bars):  # bottom left, top left, top right, bottom right
            left, right, height = position - 0.5, position + 0.5, heights[position]
            np.testing.assert_allclose(corners[:4], [[left, 0.0], [left, height], [right, height], [right, 0.0]])
        for position, path in zip(np.flatnonzero(~finite), ax.collections[1].get_paths()):
            np.testing.assert_allclose(sorted(set(path.vertices[:, 0])), [position - 0.5, position + 0.5])
            assert path.vertices[:, 1].max() == pytest.approx(top)
        assert {mcolors.to_hex(c) for c in ax.collections[0].get_facecolors()} == {plotting.PALETTE[0].lower()}
        if eps is not None:  # the cut line is drawn where it is, and visibly
            line = next(line for line in ax.get_lines() if line.get_linestyle() == "--")
            assert line.get_ydata()[0] == pytest.approx(eps) and line.get_linewidth() >= 1
        plt.close("all")
    # twelve groups are named, thirteen are not; a legend_title given with truth is kept
    n = len(order)
    twelve = plotting.plot_reachability(blobs_optics, labels=np.arange(n) % 12).get_legend().get_texts()
    assert [t.get_text() for t in twelve] == [str(g) for g in range(12)]
    truth = np.arange(n) % 2
    titled = plotting.plot_reachability(blobs_optics, labels=truth, truth=truth, legend_title="true moon")
    assert titled.get_legend().get_title().get_text() == "true moon"
    plt.close("all")


def test_plot_reachability_works_without_labels_and_on_given_axes(blobs_optics):
    _, given = plt.subplots()
    ax = plotting.plot_reachability(blobs_optics, ax=given)
    assert ax is given
    assert not [line for line in ax.get_lines() if line.get_linestyle() == "--"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"labels": [0, 1]}, ValueError, r"labels has 2 entries but there are 150 samples"),
        ({"eps": -1.0}, ValueError, r"eps must be > 0.0; got -1.0"),
        ({"eps": "big"}, TypeError, r"eps must be a number"),
    ],
)
def test_plot_reachability_rejects_bad_labels_and_eps(blobs_optics, kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.plot_reachability(blobs_optics, **kwargs)


def test_plot_reachability_rejects_an_unfitted_estimator():
    with pytest.raises(ValueError, match=r"optics is not fitted"):
        plotting.plot_reachability(OPTICS())


def test_choose_reachability_eps_cuts_just_below_the_peak_in_any_units():
    # The same line in kilometres instead of metres: every height is 1000 times smaller (peaks below 1),
    # and the cut still sits just below the peak that splits.
    line = np.concatenate([np.linspace(0, 1, 20), np.linspace(100, 101, 20), np.linspace(150, 151, 20),
                           np.linspace(400, 400.3, 4)])
    optics = OPTICS(min_samples=3).fit(line[:, None] / 1000.0)
    choice = lesson.choose_reachability_eps(optics, min_cluster_fraction=0.1)
    assert choice.peak == pytest.approx(0.099)
    assert 0.098 < choice.eps < 0.099
    assert _sizes(choice.labels) == [4, 20, 40]


def test_the_fallback_counts_a_cluster_of_exactly_the_smallest_large_size():
    # 10 points in a cloud and 10 far points that max_eps leaves as noise: with min_cluster_fraction=0.5 a
    # large cluster needs 10 points, and the one cloud has exactly 10.
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(10, 2)), 1000.0 * np.arange(1, 11)[:, None] * np.ones((1, 2))])
    optics = OPTICS(min_samples=3, max_eps=10.0).fit(X)
    with pytest.warns(UserWarning, match="no reachability peak splits"):
        choice = lesson.choose_reachability_eps(optics, min_cluster_fraction=0.5)
    assert _sizes(choice.labels) == [10] and choice.n_large_clusters == 1


def test_a_lower_min_cluster_fraction_can_join_the_large_clusters():
    # notebook 03, section 4: "on groups of 600, 370 and 30 points, far apart, with the 30 farthest out (its peak the
    # highest), the default 10 % ... keeps all
    # three apart; at 2 % the rule stops at the first of these peaks and leaves the 600 and the 370 joined"
    X, y = make_blobs(n_samples=[600, 370, 30], centers=[[0, 0], [8, 0], [0, 8]], random_state=0)
    optics = OPTICS(min_samples=10).fit((X - X.mean(axis=0)) / X.std())
    default, low = (lesson.choose_reachability_eps(optics, min_cluster_fraction=f) for f in (0.1, 0.02))
    assert adjusted_rand_score(y, default.labels) > 0.99 and default.n_large_clusters == 2  # the 30 are not "large"
    assert low.peak > default.peak and low.n_large_clusters == 2
    reach = optics.reachability_[np.isfinite(optics.reachability_)]
    assert low.peak == reach.max()  # "with the 30 farthest out (its peak the highest)"
    assert sorted(np.bincount(low.labels[low.labels >= 0])) == [30, 970]  # the 600 and the 370 in one cluster


def test_reachability_heights_are_the_finite_bars_and_count_the_unreachable_points():
    from helpers import data

    moons = data.moons(500, noise=0.1, random_state=0).X
    optics = OPTICS(min_samples=10, max_eps=0.2).fit(moons)
    with pytest.warns(UserWarning, match=r"^45 points besides the first"):
        heights, unreachable = clustering.reachability_heights(optics)
    assert unreachable == 45 and len(heights) == 500 - 46 and np.all(np.isfinite(heights))
    assert sorted(heights) == sorted(optics.reachability_[np.isfinite(optics.reachability_)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the default max_eps: every point reachable, no warning
        heights, unreachable = clustering.reachability_heights(OPTICS(min_samples=10).fit(moons))
    assert unreachable == 0 and len(heights) == 499
