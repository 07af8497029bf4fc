"""Tests for helpers.explorers: the plain update functions, and each explorer driven through ipywidgets.

The explorers are driven exactly as a slider drives them: by setting
``explorer.controls[name].value``. Only APIs that ipywidgets 7.7.1 (Colab) and
8.x share are used here too, so the Colab twin runs the same tests.
"""

from __future__ import annotations

import base64
import warnings

import numpy as np
import pytest
from matplotlib.colors import to_hex
from sklearn.cluster import DBSCAN, OPTICS, KMeans, cluster_optics_dbscan
from sklearn.datasets import make_moons
from sklearn.metrics import adjusted_rand_score

import lesson_code

from helpers import clustering, explorers
from helpers.plotting import NOISE_COLOUR, PALETTE, point_colours

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _shown_png(explorer):
    """The PNG of the live figure, as the explorer's output shows it now."""
    (output,) = explorer.output.outputs
    return base64.b64decode(output["data"]["image/png"])


def _hex(rgba):
    return [to_hex(c, keep_alpha=False).upper() for c in rgba]


def _scatter_colours(ax, points):
    """Hex colour of every point drawn on ``ax`` (clusters and noise), keyed by the point's coordinates."""
    colours = {}
    for collection in ax.collections:
        offsets = collection.get_offsets()
        faces = collection.get_facecolors()
        if len(faces) == 0 or len(offsets) == 0:
            continue
        faces = _hex(faces)
        for i, xy in enumerate(offsets):
            colours[tuple(np.round(xy, 9))] = faces[i if len(faces) > 1 else 0]
    return [colours[tuple(np.round(p, 9))] for p in points]


@pytest.fixture(scope="module")
def blobs():
    """Three separated 2-D blobs; classes renamed so that no cluster id equals its class by chance."""
    from sklearn.datasets import make_blobs

    X, y = make_blobs(n_samples=150, centers=[[0, 0], [10, 0], [0, 10]], cluster_std=0.5, random_state=0)
    y = (y + 1) % 3  # DBSCAN numbers clusters by first appearance; y starts with a different class
    return X, y


@pytest.fixture(scope="module")
def choice(blobs):
    """Notebook 01's choice of eps on the blobs: where the DBSCAN explorer starts."""
    return lesson_code.load("01_autoencoder_dbscan.ipynb").choose_eps(blobs[0])


@pytest.fixture(scope="module")
def cut(moons):
    """Notebook 03's cut through the moons' reachability plot: where the reachability explorer starts."""
    return lesson_code.load("03_deep_autoencoder_optics.ipynb").choose_reachability_eps(moons[2])


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(n_samples=300, noise=0.06, random_state=0)
    return X, y, OPTICS(min_samples=10).fit(X)


@pytest.fixture(scope="module")
def dbscan_ex(blobs, choice):
    return explorers.dbscan_explorer(*blobs, **choice.params)


@pytest.fixture(scope="module")
def reach_ex(moons, cut):
    X, y, optics = moons
    return explorers.reachability_explorer(optics, X, y, eps=cut.eps)


@pytest.fixture(scope="module")
def k_scores(blobs):
    """Silhouette and BIC for k = 2..5, as notebook 02 computes them."""
    from sklearn.metrics import silhouette_score
    from sklearn.mixture import GaussianMixture

    X = blobs[0]
    return {
        "silhouette": [silhouette_score(X, KMeans(k, n_init=10, random_state=0).fit_predict(X)) for k in range(2, 6)],
        "bic": [GaussianMixture(k, n_init=2, random_state=0).fit(X).bic(X) for k in range(2, 6)],
    }


@pytest.fixture(scope="module")
def kmeans_ex(blobs, k_scores):
    return explorers.kmeans_explorer(*blobs, k_range=range(2, 6), scores=k_scores, random_state=0)


# --------------------------------------------------------------------------- DBSCAN's update (through the explorer)


@pytest.mark.parametrize("eps, min_samples", [(0.3, 4), (0.6, 4), (0.6, 9), (6.0, 4)])
def test_dbscan_explorer_state_is_dbscan_itself(dbscan_ex, blobs, eps, min_samples):
    X, y = blobs
    dbscan_ex.controls["min_samples"].value = min_samples
    dbscan_ex.controls["eps"].value = eps
    state = dbscan_ex.state
    model = DBSCAN(eps=state["eps"], min_samples=min_samples).fit(X)
    expected = model.labels_
    assert state["eps"] == pytest.approx(eps, rel=0.03)  # a log slider's grid
    np.testing.assert_array_equal(state["labels"], expected)
    assert state["n_clusters"] == len(set(expected) - {-1})
    assert state["n_noise"] == np.sum(expected == -1)
    assert state["noise_fraction"] == pytest.approx(np.mean(expected == -1))
    assert state["ari"] == pytest.approx(adjusted_rand_score(y, expected))
    assert state["n_core"] == len(model.core_sample_indices_)
    assert state["core_fraction"] == pytest.approx(len(model.core_sample_indices_) / len(X))
    assert sum(state["cluster_sizes"]) + state["n_noise"] == len(X)
    assert state["cluster_sizes"] == sorted(state["cluster_sizes"], reverse=True)
    assert state["min_samples"] == min_samples


def test_dbscan_explorer_title_counts_the_core_points_exactly(dbscan_ex, blobs):
    X, _ = blobs
    dbscan_ex.controls["min_samples"].value = 4
    dbscan_ex.controls["eps"].value = 0.3
    n_core = len(DBSCAN(eps=dbscan_ex.state["eps"], min_samples=4).fit(X).core_sample_indices_)
    assert 0 < n_core < len(X)  # some points above the line: a rounded percentage could say 100 %
    assert dbscan_ex.figure.axes[0].get_title() == f"{n_core} of {len(X)} points are core points (curve ≤ eps)"


def test_dbscan_explorer_from_all_noise_to_one_cluster(dbscan_ex, blobs, choice):
    X, y = blobs
    explorer = dbscan_ex
    explorer.controls["min_samples"].value = choice.min_samples
    explorer.controls["eps"].value = choice.eps
    # the min_samples slider reaches twice the chosen value (at least 10)
    assert explorer.controls["min_samples"].max == max(10, 2 * choice.min_samples)
    assert explorer.state["n_clusters"] == 3 and explorer.state["ari"] == pytest.approx(1.0)
    assert explorer.state["accuracy"] == 1.0
    explorer.controls["eps"].value = 10 ** explorer.controls["eps"].max  # a log slider's max is an exponent
    top = explorer.state
    assert top["n_clusters"] == 1 and top["noise_fraction"] == 0.0 and top["ari"] == pytest.approx(0.0)


def test_dbscan_explorer_without_truth_has_counts_but_no_scores(blobs, choice):
    explorer = explorers.dbscan_explorer(blobs[0], None, **choice.params)
    state = explorer.state
    assert state["n_clusters"] == 3
    assert state["ari"] is None and state["nmi"] is None and state["accuracy"] is None


@pytest.mark.parametrize(
    "change, error, match",
    [
        (dict(y=np.zeros(149, dtype=int)), ValueError, "149 entries but there are 150"),
        (dict(y=-np.ones(150, dtype=int)), ValueError, "classes >= 0"),
        (dict(Z="nan"), ValueError, "NaN"),
        (dict(Z="strings"), TypeError, "real numbers"),
        (dict(eps=0.0), ValueError, "eps must be > 0"),
        (dict(eps=float("nan")), ValueError, "eps must be finite"),
        (dict(eps="big"), TypeError, "eps must be a number"),
        (dict(min_samples=1), ValueError, "min_samples must be >= 2"),
        (dict(min_samples=151), ValueError, "min_samples must be <= 150"),
        (dict(min_samples=4.5), TypeError, "min_samples must be an integer"),
    ],
)
def test_dbscan_explorer_rejects_bad_arguments(blobs, change, error, match):
    X, y = blobs
    args = {"Z": X, "y": y, "eps": 0.5, "min_samples": 4}
    if change.get("Z") == "nan":
        change = {"Z": np.where(np.arange(150)[:, None] == 0, np.nan, X)}
    elif change.get("Z") == "strings":
        change = {"Z": np.full((150, 2), "a")}
    args.update(change)
    with pytest.raises(error, match=match):
        explorers.dbscan_explorer(args.pop("Z"), **args)


def test_kmeans_explorer_state_is_kmeans_itself(blobs):
    X, y = blobs
    explorer = explorers.kmeans_explorer(X, y, k_range=range(2, 6), random_state=7)
    for k in (2, 3, 5):
        explorer.controls["k"].value = k
        state = explorer.state
        expected = KMeans(n_clusters=k, n_init=10, random_state=7).fit(X)
        np.testing.assert_array_equal(state["labels"], expected.labels_)
        assert state["k"] == k and state["n_clusters"] == k and state["noise_fraction"] == 0.0
        assert state["inertia"] == pytest.approx(expected.inertia_)
        assert state["ari"] == pytest.approx(adjusted_rand_score(y, expected.labels_))
    explorer.controls["k"].value = 3
    assert explorer.state["ari"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"k_range": [0, 1, 2]}, ValueError, "k_range value must be >= 1"),
        ({"k_range": [149, 150, 151]}, ValueError, "k_range value must be <= 150"),
        ({"k_range": [2.0, 3.0]}, TypeError, "k_range value must be an integer"),
        ({"k_range": [2, 4, 5]}, ValueError, "consecutive integers in ascending order"),
        ({"k_range": [4, 3, 2]}, ValueError, "consecutive integers in ascending order"),
        ({"k_range": range(2, 5), "scores": {"silhouette": [0.1, 0.2]}}, ValueError, "has 2 values but k_range has 3"),
        ({"k_range": range(2, 5), "scores": {"elbow": [1.0, 2.0, 3.0]}}, ValueError, "method must be one of"),
        ({"k_range": range(2, 5), "scores": [0.1, 0.2, 0.3]}, TypeError, "scores must be a dict"),
    ],
)
def test_kmeans_explorer_rejects_impossible_k_and_scores(blobs, kwargs, error, match):
    with pytest.raises(error, match=match):
        explorers.kmeans_explorer(*blobs, **kwargs)


def test_reachability_explorer_state_is_cluster_optics_dbscan_and_a_higher_cut_merges(reach_ex, moons):
    _, y, optics = moons
    counts = []
    for eps in (0.05, 0.12, 0.2, reach_ex.controls["eps"].max):  # the top: above every finite bar
        reach_ex.controls["eps"].value = eps
        state = reach_ex.state
        expected = cluster_optics_dbscan(reachability=optics.reachability_, core_distances=optics.core_distances_,
                                         ordering=optics.ordering_, eps=state["eps"])
        assert state["eps"] == pytest.approx(eps, abs=reach_ex.controls["eps"].step)
        np.testing.assert_array_equal(state["labels"], expected)
        assert state["noise_fraction"] == pytest.approx(np.mean(expected == -1))
        assert state["ari"] == pytest.approx(adjusted_rand_score(y, expected))
        counts.append((state["n_clusters"], state["n_noise"]))
    noise = [n for _, n in counts]
    assert noise == sorted(noise, reverse=True) and noise[0] > noise[-1]  # a higher cut leaves less noise
    assert counts[-1][0] == 1  # above the peak between the moons: one cluster


@pytest.mark.filterwarnings("ignore:All reachability values are inf")
def test_reachability_explorer_rejects_unfitted_wrong_or_all_infinite_estimators(moons):
    X, y, optics = moons
    with pytest.raises(ValueError, match="not fitted"):
        explorers.reachability_explorer(OPTICS(), X, y, eps=0.1)
    with pytest.raises(TypeError, match="fitted sklearn.cluster.OPTICS"):
        explorers.reachability_explorer(KMeans(2), X, y, eps=0.1)
    with pytest.raises(ValueError, match="every reachability is infinite"):
        explorers.reachability_explorer(OPTICS(min_samples=10, max_eps=1e-6).fit(X), X, y, eps=0.1)
    with pytest.raises(ValueError, match="eps must be > 0"):
        explorers.reachability_explorer(optics, X, y, eps=-0.1)
    with pytest.raises(ValueError, match="299 entries but there are 300"):
        explorers.reachability_explorer(optics, X, y[:-1], eps=0.1)


def test_the_update_functions_only_tests_used_are_gone():
    assert not hasattr(explorers, "dbscan_state") and not hasattr(explorers, "reachability_state")


# --------------------------------------------------------------------------- the DBSCAN explorer


def test_dbscan_explorer_starts_at_the_chosen_eps(dbscan_ex, choice, blobs):
    dbscan_ex.controls["eps"].value = choice.eps
    dbscan_ex.controls["min_samples"].value = choice.min_samples
    assert dbscan_ex.controls["eps"].value == pytest.approx(choice.eps)
    state = dbscan_ex.state
    assert state["n_clusters"] == 3 and state["ari"] == pytest.approx(1.0)
    np.testing.assert_array_equal(state["labels"], DBSCAN(**choice.params).fit_predict(blobs[0]))


def test_dbscan_explorer_tiny_eps_turns_everything_to_noise_and_redraws(dbscan_ex, choice, blobs):
    X, _ = blobs
    dbscan_ex.controls["min_samples"].value = choice.min_samples
    dbscan_ex.controls["eps"].value = choice.eps
    before_png = _shown_png(dbscan_ex)
    scatter_ax = dbscan_ex.figure.axes[1]
    assert set(_scatter_colours(scatter_ax, X)) == {PALETTE[0], PALETTE[1], PALETTE[2]}

    small = 10 ** dbscan_ex.controls["eps"].min  # a log slider's min is an exponent
    dbscan_ex.controls["eps"].value = small
    assert dbscan_ex.state["n_clusters"] == 0 and dbscan_ex.state["noise_fraction"] == 1.0
    assert set(_scatter_colours(scatter_ax, X)) == {NOISE_COLOUR.upper()}
    eps_line = dbscan_ex.figure.axes[0].lines[-1]
    assert eps_line.get_ydata()[0] == pytest.approx(small)
    assert _shown_png(dbscan_ex) != before_png and _shown_png(dbscan_ex).startswith(PNG_MAGIC)
    assert "0 clusters" in dbscan_ex.status.value


def test_dbscan_explorer_colours_clusters_by_their_matched_class(dbscan_ex, choice, blobs):
    X, y = blobs
    dbscan_ex.controls["min_samples"].value = choice.min_samples
    dbscan_ex.controls["eps"].value = choice.eps
    drawn = _scatter_colours(dbscan_ex.figure.axes[1], X)
    # class c is drawn in PALETTE[c] when the truth is drawn; a matched cluster takes its colour
    assert drawn == [PALETTE[c] for c in y]
    assert list(drawn) == [c.upper() for c in point_colours(dbscan_ex.state["labels"], truth=y)]


def test_dbscan_explorer_min_samples_slider_reclusters_and_redraws_the_k_distance_curve(dbscan_ex, choice, blobs):
    X, _ = blobs
    dbscan_ex.controls["eps"].value = 0.3
    dbscan_ex.controls["min_samples"].value = 4
    at_4 = dict(dbscan_ex.state)
    dbscan_ex.controls["min_samples"].value = 9
    at_9 = dbscan_ex.state
    assert at_9["min_samples"] == 9 and at_9["noise_fraction"] > at_4["noise_fraction"]
    model = DBSCAN(eps=0.3, min_samples=9).fit(X)
    np.testing.assert_array_equal(at_9["labels"], model.labels_)
    assert at_9["core_fraction"] == pytest.approx(len(model.core_sample_indices_) / len(X))
    curve = dbscan_ex.figure.axes[0].lines[0]
    np.testing.assert_allclose(curve.get_ydata(), lesson_code.load("01_autoencoder_dbscan.ipynb").k_distances(X, 9))


def test_dbscan_explorer_shows_the_live_figure_in_its_output(dbscan_ex):
    outputs = dbscan_ex.output.outputs
    assert len(outputs) == 1 and outputs[0]["output_type"] == "display_data"
    assert _shown_png(dbscan_ex).startswith(PNG_MAGIC)
    assert dbscan_ex.controls["eps"] in dbscan_ex.widget.children[0].children
    assert dbscan_ex.output in dbscan_ex.widget.children


def test_displaying_an_explorer_sends_one_display_data_with_widget_and_image(dbscan_ex, monkeypatch):
    import IPython.display

    sent = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kwargs: sent.append((objs, kwargs)))
    dbscan_ex._ipython_display_()
    assert len(sent) == 1
    (bundle,), kwargs = sent[0]
    assert kwargs == {"raw": True}
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"}
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == dbscan_ex.widget.model_id and view["version_major"] == 2
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)  # what GitHub and nbconvert show
    assert "clusters" in bundle["text/plain"]


def test_dbscan_explorer_figure_is_not_left_for_pyplot_to_show_again(blobs, choice):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    explorers.dbscan_explorer(*blobs, **choice.params)
    assert plt.get_fignums() == before  # the inline backend would otherwise print a second, stale copy


def test_dbscan_explorer_rejects_bad_input(blobs, choice):
    X, y = blobs
    with pytest.raises(ValueError, match="Z must have exactly 2 columns to draw; got 3"):
        explorers.dbscan_explorer(np.column_stack([X, X[:, 0]]), y, **choice.params)
    with pytest.raises(ValueError, match="149 entries"):
        explorers.dbscan_explorer(X, y[:-1], **choice.params)
    with pytest.raises(TypeError, match="eps"):
        explorers.dbscan_explorer(X, y)  # the caller chooses where the sliders start


def test_dbscan_explorer_refuses_more_points_than_its_refits_can_hold_and_its_advice_works(blobs, choice,
                                                                                          monkeypatch):
    # at a large eps DBSCAN holds every point's neighbours: 50,000 points ran out of memory on a slider move
    X, y = blobs
    assert explorers.MAX_DBSCAN_EXPLORER_ROWS == 10_000
    monkeypatch.setattr(explorers, "MAX_DBSCAN_EXPLORER_ROWS", 100)
    with pytest.raises(ValueError, match=r"^Z has 150 points, more than dbscan_explorer's 100: .* explore a random "
                                         r"sample, rows = np\.random\.default_rng\(0\)\.choice\(len\(Z\), 100, "
                                         r"replace=False\), with dbscan_explorer\(np\.asarray\(Z\)\[rows\], "
                                         r"np\.asarray\(y\)\[rows\], \.\.\.\) \(leave y out if you have none\)$"):
        explorers.dbscan_explorer(X, y, **choice.params)
    pd = pytest.importorskip("pandas")
    Z, y = pd.DataFrame(X, columns=["a", "b"]), list(y)  # a learner's containers: the advice, as written
    rows = np.random.default_rng(0).choice(len(Z), 100, replace=False)
    assert len(explorers.dbscan_explorer(np.asarray(Z)[rows], np.asarray(y)[rows], **choice.params)
               .state["labels"]) == 100
    assert len(explorers.dbscan_explorer(np.asarray(Z)[rows], **choice.params).state["labels"]) == 100


def test_a_failed_update_is_shown_and_raised(blobs, choice):
    explorer = explorers.dbscan_explorer(*blobs, **choice.params)

    def broken(**values):
        raise RuntimeError("boom")

    explorer._compute = broken
    with pytest.raises(RuntimeError, match="boom"):
        explorer.controls["min_samples"].value = 5
    assert "update failed" in explorer.status.value and "boom" in explorer.status.value


# --------------------------------------------------------------------------- the KMeans and beta explorers


def test_kmeans_explorer_k_slider_reclusters_and_moves_the_marker(kmeans_ex, k_scores, blobs):
    X, _ = blobs
    slider = kmeans_ex.controls["k"]
    assert (slider.min, slider.max) == (2, 5)
    assert slider.value == 2 + int(np.argmax(k_scores["silhouette"])) == 3  # starts at the silhouette's pick
    assert kmeans_ex.state["n_clusters"] == 3 and kmeans_ex.state["ari"] == pytest.approx(1.0)
    png_at_3 = _shown_png(kmeans_ex)
    slider.value = 5
    state = kmeans_ex.state
    assert state["k"] == 5 and state["n_clusters"] == 5 and state["ari"] < 0.9
    np.testing.assert_array_equal(state["labels"], KMeans(5, n_init=10, random_state=0).fit_predict(X))
    assert state["scores"]["silhouette"] == pytest.approx(k_scores["silhouette"][3])
    assert state["scores"]["bic"] == pytest.approx(k_scores["bic"][3])
    for ax in kmeans_ex.figure.axes[:2]:
        assert ax.lines[-1].get_xdata()[0] == 5  # the current-k marker moved
    assert [ax.get_title() for ax in kmeans_ex.figure.axes[:2]] == ["Silhouette picks k = 3", "BIC picks k = 3"]
    assert len(set(_scatter_colours(kmeans_ex.figure.axes[2], X))) == 5
    assert _shown_png(kmeans_ex) != png_at_3


def test_kmeans_explorer_without_scores_uses_k_range(blobs):
    explorer = explorers.kmeans_explorer(*blobs, k_range=range(2, 5))
    assert (explorer.controls["k"].min, explorer.controls["k"].max, explorer.controls["k"].value) == (2, 4, 2)
    explorer.controls["k"].value = 4
    assert explorer.state["n_clusters"] == 4 and len(explorer.figure.axes) == 1
    with pytest.raises(ValueError, match="at least 2 different values"):
        explorers.kmeans_explorer(*blobs, k_range=[3])


def _vae_like(X, scale, log_var):
    """A (z_mean, z_log_var) pair: the blobs scaled, and one log-variance for every sample."""
    return X * scale, np.full(X.shape, log_var)


def test_beta_explorer_switches_latent_spaces_on_shared_axes(blobs):
    X, y = blobs
    rng = np.random.default_rng(1)
    latents = {10.0: (X * 0.05 + rng.normal(scale=0.5, size=X.shape), np.zeros(X.shape)),
               1.0: _vae_like(X, 1.0, np.log(0.25)), 0.1: _vae_like(X, 3.0, np.log(0.01))}
    explorer = explorers.beta_explorer(latents, y)
    slider = explorer.controls["beta"]
    assert [value for _, value in slider.options] == [0.1, 1.0, 10.0] and slider.value == 1.0
    ax = explorer.figure.axes[0]
    limits = (ax.get_xlim(), ax.get_ylim())
    assert explorer.state["ari"] == pytest.approx(1.0)
    slider.value = 10.0
    assert explorer.state["beta"] == 10.0 and explorer.state["ari"] < 0.5
    drawn = np.concatenate([c.get_offsets() for c in ax.collections])
    np.testing.assert_allclose(np.sort(drawn, axis=0), np.sort(latents[10.0][0], axis=0))
    assert (ax.get_xlim(), ax.get_ylim()) == limits  # shared axes: the shrinking is visible
    assert limits[0][1] >= (X * 3)[:, 0].max() and limits[0][0] <= latents[10.0][0][:, 0].min()


def test_beta_explorer_counts_noise_widths_as_notebook_02_defines_them(blobs):
    X, y = blobs
    # Closest class centres: (0, 0) and (10, 0) (or (0, 10)), 10 apart, scaled by 2 -> gap about 20.
    explorer = explorers.beta_explorer({1.0: _vae_like(X, 2.0, np.log(4.0))}, y)  # noise standard deviation 2
    state = explorer.state
    centres = np.stack([2 * X[y == c].mean(axis=0) for c in np.unique(y)])
    gap = min(np.linalg.norm(a - b) for i, a in enumerate(centres) for b in centres[i + 1:])
    assert state["gap"] == pytest.approx(gap) and 19 < gap < 21
    assert state["spread"] == pytest.approx(2.0)  # the mean of exp(z_log_var / 2), not of the variance
    assert state["noise_widths"] == pytest.approx(gap / 2.0)
    assert f"{gap / 2.0:.1f} noise widths apart" in explorer.status.value
    assert state["rms"] == pytest.approx(np.sqrt(np.mean(np.sum((2 * X) ** 2, axis=1))))
    # the status line gives the distance its yardstick: the prior's, sqrt(2) in the explorer's two dimensions
    assert explorer.status.value.startswith(f"β = 1: z_mean lies {state['rms']:.2f} from 0 (root mean square; a "
                                            "standard normal in 2 dimensions: 1.41); closest classes")


@pytest.mark.parametrize(
    "latents, match",
    [
        ({}, "non-empty dict"),
        ({1.0: (np.zeros((149, 2)), np.zeros((149, 2)))}, "149 rows but y has 150"),
        ({1.0: (np.zeros((150, 3)), np.zeros((150, 3)))}, r"exactly 2 columns to draw; got 3$"),  # no PCA advice:
        # a projected z_log_var is no log-variance, and the noise widths would come out wrong
        ({1.0: np.zeros((150, 2))}, r"must be a pair \(z_mean, z_log_var\)"),
        ({-1.0: (np.zeros((150, 2)), np.zeros((150, 2)))}, "beta >= 0"),
        ({"one": (np.zeros((150, 2)), np.zeros((150, 2)))}, "beta >= 0"),
    ],
)
def test_beta_explorer_rejects_bad_latents(blobs, latents, match):
    with pytest.raises(ValueError, match=match):
        explorers.beta_explorer(latents, blobs[1])


# --------------------------------------------------------------------------- the reachability explorer


def test_reachability_explorer_raising_the_cut_merges_the_moons(reach_ex, moons, cut):
    _, _, optics = moons
    slider = reach_ex.controls["eps"]
    slider.value = cut.eps
    assert reach_ex.state["n_clusters"] == 2 and reach_ex.state["ari"] > 0.9
    split_png = _shown_png(reach_ex)
    slider.value = slider.max
    assert reach_ex.state["n_clusters"] == 1
    assert reach_ex.figure.axes[0].lines[-1].get_ydata()[0] == pytest.approx(slider.max)
    assert _shown_png(reach_ex) != split_png


def _bar_colours_in_sample_order(explorer, optics):
    """The reachability explorer's bar colours (finite bars, then the infinite ones drawn apart), per sample."""
    bars = explorer.figure.axes[0].collections
    finite = np.isfinite(optics.reachability_[optics.ordering_])
    bar_colours = np.empty(len(finite), dtype=object)
    bar_colours[finite] = _hex(bars[0].get_facecolors())
    bar_colours[~finite] = _hex(bars[1].get_facecolors())
    in_sample_order = np.empty(len(finite), dtype=object)
    in_sample_order[optics.ordering_] = bar_colours
    return in_sample_order


def test_reachability_explorer_recolours_bars_like_the_points(reach_ex, moons):
    X, y, optics = moons
    reach_ex.controls["eps"].value = 0.08  # low: many points turn to noise
    state = reach_ex.state
    expected = cluster_optics_dbscan(reachability=optics.reachability_, core_distances=optics.core_distances_,
                                     ordering=optics.ordering_, eps=state["eps"])
    np.testing.assert_array_equal(state["labels"], expected)
    assert state["n_noise"] > 0
    expected = [c.upper() for c in point_colours(state["labels"], truth=y)]
    in_sample_order = _bar_colours_in_sample_order(reach_ex, optics)
    assert list(in_sample_order) == expected
    assert sum(c == NOISE_COLOUR.upper() for c in in_sample_order) == state["n_noise"]
    assert _scatter_colours(reach_ex.figure.axes[1], X) == expected


def test_reachability_explorer_rejects_bad_input(moons):
    X, y, optics = moons
    with pytest.raises(ValueError, match="299 rows but there are 300"):
        explorers.reachability_explorer(optics, X[:-1], y, eps=0.1)
    with pytest.raises(ValueError, match="slider's range"):
        explorers.reachability_explorer(optics, X, y, eps=100.0)
    with pytest.raises(TypeError, match="eps"):
        explorers.reachability_explorer(optics, X, y)  # the caller chooses where the cut starts


def test_every_update_function_leaves_the_inputs_alone(blobs, choice):
    X, y = blobs
    X_copy, y_copy = X.copy(), y.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # e.g. log of zero on the k-distance axis
        warnings.simplefilter("error", UserWarning)
        explorer = explorers.dbscan_explorer(X, y, **choice.params)
        explorer.controls["eps"].value = choice.eps * 2
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)


def test_starting_values_sit_on_the_slider_grid_so_a_browser_does_not_move_them(dbscan_ex, choice, moons, cut):
    # A browser snaps a slider to min + n * step and sends that value back to the kernel.
    X, y, optics = moons
    reach = explorers.reachability_explorer(optics, X, y, eps=cut.eps)
    for slider, value in ((dbscan_ex.controls["eps"], np.log10(choice.eps)), (reach.controls["eps"], cut.eps)):
        steps = (value - slider.min) / slider.step
        assert steps == pytest.approx(round(steps), abs=1e-6)


# --------------------------------------------------------------------------- text classes as the truth


#: The blobs' three classes as text, sorted in another order than their numbers (0 -> "zinc", 1 -> "apple",
#: 2 -> "mango"): a fix that numbered the names in some other order would colour them wrongly.
BLOB_NAMES = np.array(["zinc", "apple", "mango"])


def _state_scores(explorer):
    return {key: explorer.state[key] for key in ("ari", "nmi", "accuracy", "n_clusters", "n_noise")}


def test_dbscan_explorer_takes_text_classes_and_scores_and_colours_them_as_numbers(dbscan_ex, blobs, choice):
    """dbscan_explorer(Z, text_y, ...) raised 'y must be integers; got dtype <U...'; y is only scored and matched."""
    from helpers.evaluation import evaluate
    from helpers.plotting import plot_clusters

    X, y = blobs
    names = BLOB_NAMES[y]
    explorer = explorers.dbscan_explorer(X, names, **choice.params)
    for eps, min_samples in ((choice.eps, choice.min_samples), (0.3, 4)):  # three clusters; then much noise
        for ex in (explorer, dbscan_ex):
            ex.controls["min_samples"].value = min_samples
            ex.controls["eps"].value = eps
        labels = explorer.state["labels"]
        np.testing.assert_array_equal(labels, dbscan_ex.state["labels"])
        assert _state_scores(explorer) == pytest.approx(_state_scores(dbscan_ex))
        assert explorer.state["ari"] == pytest.approx(evaluate(names, labels)["ari"])
        scatter = explorer.figure.axes[1]
        # each cluster in the colour of its matched class (noise grey): beside plot_clusters(X, names), same colour
        # means agreement
        np.testing.assert_array_equal(_scatter_colours(scatter, X), [c.upper() for c in point_colours(labels, names)])
    assert explorer.state["accuracy"] < 1.0 and explorer.state["n_noise"] > 0  # the second setting: real noise
    explorer.controls["eps"].value = choice.eps
    explorer.controls["min_samples"].value = choice.min_samples
    assert explorer.state["accuracy"] == 1.0
    import matplotlib.pyplot as plt

    truth_colours = _scatter_colours(plot_clusters(X, names), X)
    assert _scatter_colours(explorer.figure.axes[1], X) == truth_colours
    legend = explorer.figure.axes[1].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["→ apple", "→ mango", "→ zinc"]
    plt.close("all")


@pytest.mark.parametrize(
    ("y", "error", "match"),
    [
        ("matched", ValueError, r"y holds the integer -1 \(\d+ sample\(s\)\), the noise of cluster labels"),
        ("short", ValueError, r"y has 149 entries but there are 150 samples"),
        ("None", ValueError, r"y has 1 missing label"),
        ("fractions", TypeError, r"y must be whole numbers"),
        ("NaN", ValueError, r"y contains 1 NaN"),
    ],
    ids=["match_labels-output", "short", "None", "fractions", "NaN"],
)
def test_explorers_still_refuse_truths_that_are_wrong(blobs, choice, y, error, match):
    from helpers.evaluation import match_labels

    X, numbers = blobs
    names = BLOB_NAMES[numbers].astype(object)
    if y == "matched":  # match_labels' output holds noise (-1): it is no truth
        y = match_labels(names, DBSCAN(eps=0.3, min_samples=4).fit_predict(X))
    elif y == "short":
        y = names[:-1]
    elif y == "None":
        y = np.where(np.arange(150) == 3, None, names)
    elif y == "fractions":
        y = numbers + 0.5
    else:
        y = np.where(np.arange(150) == 3, np.nan, numbers)
    with pytest.raises(error, match=match):
        explorers.dbscan_explorer(X, y, **choice.params)


def test_reachability_explorer_takes_text_classes_and_colours_bars_like_the_points(reach_ex, moons, cut):
    X, y, optics = moons
    names = np.array(["upper", "lower"])[y]  # "lower" sorts first: class 1
    explorer = explorers.reachability_explorer(optics, X, names, eps=cut.eps)
    for eps in (cut.eps, 0.08):  # two moons; then many points noise
        explorer.controls["eps"].value = reach_ex.controls["eps"].value = eps
        assert _state_scores(explorer) == pytest.approx(_state_scores(reach_ex))
        labels = explorer.state["labels"]
        expected = [c.upper() for c in point_colours(labels, truth=names)]
        in_sample_order = _bar_colours_in_sample_order(explorer, optics)
        assert list(in_sample_order) == expected == _scatter_colours(explorer.figure.axes[1], X)
    assert explorer.state["n_noise"] > 0
    assert set(np.asarray(expected)[explorer.state["labels"] == -1]) == {NOISE_COLOUR.upper()}


def test_kmeans_and_beta_explorers_take_text_classes(blobs):
    X, y = blobs
    names = BLOB_NAMES[y]
    by_name = explorers.kmeans_explorer(X, names, k_range=range(2, 5), random_state=0)
    by_number = explorers.kmeans_explorer(X, y, k_range=range(2, 5), random_state=0)
    for k in (2, 3):
        by_name.controls["k"].value = by_number.controls["k"].value = k
        assert _state_scores(by_name) == pytest.approx(_state_scores(by_number))
    assert by_name.state["accuracy"] == 1.0
    latents = {1.0: _vae_like(X, 2.0, np.log(4.0)), 0.1: _vae_like(X, 0.05, 0.0)}
    by_name = explorers.beta_explorer(latents, names)
    by_number = explorers.beta_explorer(latents, y)
    for beta in (1.0, 0.1):
        by_name.controls["beta"].value = by_number.controls["beta"].value = beta
        for key in ("ari", "nmi", "accuracy", "n_clusters", "gap", "spread", "noise_widths", "rms"):
            assert by_name.state[key] == pytest.approx(by_number.state[key]), key
    ax = by_name.figure.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["apple", "mango", "zinc"]
    # drawn by name, in sorted order: apple wears the first colour, zinc the third, whatever their numbers
    shown = latents[0.1][0]
    assert _scatter_colours(ax, shown) == [PALETTE[["apple", "mango", "zinc"].index(n)].upper() for n in names]
    with pytest.raises(ValueError, match="y must hold at least 2 classes"):
        explorers.beta_explorer(latents, np.full(150, "zinc"))


def test_a_truth_of_text_names_its_noise_count_and_keeps_other_numbers_as_classes():
    """The integer -1 among text classes is match_labels' noise, refused with its count; other numbers among
    text (2, or the float -1.0) are classes like any other; a ragged y is named, not a NumPy error."""
    with pytest.raises(ValueError, match=r"^y holds the integer -1 \(2 sample\(s\)\)"):
        explorers._check_truth(np.array(["a", -1, "b", np.int64(-1), "a"], dtype=object), 5)
    mixed = np.array(["a", -1.0, "b", 2, 2.5], dtype=object)
    assert explorers._check_truth(mixed, 5).tolist() == mixed.tolist()
    with pytest.raises(TypeError, match=r"^y must be a 1-D sequence of class labels; got list"):
        explorers._check_truth([[1, 2], [3]], 2)
