"""Tests for the reachability-plot helpers: choose_reachability_eps and plot_reachability."""

from __future__ import annotations

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.cluster import OPTICS
from sklearn.metrics import adjusted_rand_score

from helpers import clustering, plotting


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
    choice = clustering.choose_reachability_eps(blobs_optics)
    assert choice.split_found
    assert choice.peak is not None and choice.eps < choice.peak
    assert choice.n_large_clusters >= 2
    # eps lies below the biggest jump between blobs (about 10) and above the within-blob hops
    assert 0.3 < choice.eps < 10
    assert choice.labels.shape == (150,)
    assert adjusted_rand_score(y, choice.labels) > 0.5


def test_reachability_params_round_trip_to_cluster_optics_dbscan(blobs_optics):
    from sklearn.cluster import cluster_optics_dbscan

    choice = clustering.choose_reachability_eps(blobs_optics)
    assert choice.params == {"eps": choice.eps}
    labels = cluster_optics_dbscan(reachability=blobs_optics.reachability_, core_distances=blobs_optics.core_distances_,
                                   ordering=blobs_optics.ordering_, **choice.params)
    np.testing.assert_array_equal(labels, choice.labels)


def test_choose_reachability_eps_takes_the_highest_splitting_peak():
    # Two tight groups 0..1 and 100..101 of 20 points, plus one far-out pair of points:
    # the far points make higher peaks, but they do not split off 10 % of the data.
    line = np.concatenate([np.linspace(0, 1, 20), np.linspace(100, 101, 20), [300.0, 301.0]])
    X = line[:, None]
    optics = OPTICS(min_samples=3).fit(X)
    choice = clustering.choose_reachability_eps(optics, min_cluster_fraction=0.1)
    assert choice.split_found
    finite = optics.reachability_[np.isfinite(optics.reachability_)]
    assert finite.max() > 150  # the far pair's peak is higher, but it splits off only 2 points
    assert choice.peak == pytest.approx(99.0)  # the jump from 1 to 100
    sizes = sorted(np.bincount(choice.labels[choice.labels >= 0]))
    assert sizes[-2:] == [20, 20]


def test_choose_reachability_eps_warns_and_falls_back_without_a_split():
    X = np.random.default_rng(1).normal(size=(100, 2))  # one Gaussian cloud, nothing to split
    optics = OPTICS(min_samples=10).fit(X)
    with pytest.warns(UserWarning, match="no reachability peak splits the data"):
        choice = clustering.choose_reachability_eps(optics, min_cluster_fraction=0.4)
    assert not choice.split_found and choice.peak is None
    assert choice.eps == pytest.approx(np.max(optics.reachability_[np.isfinite(optics.reachability_)]))
    assert np.unique(choice.labels[choice.labels >= 0]).size == 1


@pytest.mark.parametrize(
    ("optics", "kwargs", "error", "match"),
    [
        ("not an estimator", {}, TypeError, r"optics must be a fitted sklearn.cluster.OPTICS; got str"),
        (OPTICS(min_samples=5), {}, ValueError, r"optics is not fitted: call optics.fit\(X\) first"),
    ],
)
def test_choose_reachability_eps_rejects_bad_or_unfitted_estimators(optics, kwargs, error, match):
    with pytest.raises(error, match=match):
        clustering.choose_reachability_eps(optics, **kwargs)


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
        clustering.choose_reachability_eps(blobs_optics, min_cluster_fraction=fraction)


def test_plot_reachability_draws_one_bar_per_point_and_the_eps_line(blobs_optics):
    choice = clustering.choose_reachability_eps(blobs_optics)
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
