"""Choosing k with the silhouette and the BIC, as notebook 02 writes it in its own cells,
and helpers.plotting.plot_k_scores / best_k, which draw and read those scores."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402
from sklearn.metrics import silhouette_score  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402

import lesson_code  # noqa: E402
from helpers import plotting  # noqa: E402

KS = range(2, 7)


@pytest.fixture(scope="module")
def lesson():
    return lesson_code.load("02_vae_kmeans.ipynb")


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    """Score as notebook 02 does, with one BLAS/OpenMP thread (its ``threadpool_limits(1)``): the small KMeans and
    mixture fits were up to 40 times slower with a thread per core beside the other test worker."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield


def _blobs(centers, seed=0):
    X, _ = make_blobs(n_samples=40 * centers, centers=centers, n_features=2, cluster_std=0.5,
                      center_box=(-20, 20), random_state=seed)
    return X


@pytest.mark.parametrize("centers", [3, 4])
def test_both_criteria_find_the_true_number_of_well_separated_blobs(lesson, centers):
    X = _blobs(centers)
    silhouettes = lesson.silhouette_scores(X, KS, 0)
    bics = lesson.bic_scores(X, KS, 0)
    assert silhouettes.shape == bics.shape == (len(KS),)
    assert KS[np.argmax(silhouettes)] == centers  # the highest silhouette
    assert KS[np.argmin(bics)] == centers  # the lowest BIC (the highest would pick the largest k)
    assert plotting.best_k(KS, silhouettes, "silhouette") == centers
    assert plotting.best_k(KS, bics, "bic") == centers


def test_scores_are_scikit_learns_own(lesson):
    X = _blobs(3)
    silhouettes = lesson.silhouette_scores(X, [2, 4], 7)
    bics = lesson.bic_scores(X, [2, 4], 7)
    for i, k in enumerate((2, 4)):
        labels = KMeans(n_clusters=k, n_init=10, random_state=7).fit_predict(X)
        assert silhouettes[i] == pytest.approx(silhouette_score(X, labels))
        mixture = GaussianMixture(n_components=k, n_init=2, random_state=7).fit(X)
        assert bics[i] == pytest.approx(mixture.bic(X))
    assert np.all((silhouettes >= -1) & (silhouettes <= 1))


def test_the_silhouette_of_a_large_code_is_measured_on_a_seeded_sample_of_5000_points(lesson):
    """It compares every pair of points: on 20,000 points the seven ks took 28 s, on a sample of 5,000 2 s."""
    X, _ = make_blobs(n_samples=6000, centers=3, n_features=2, random_state=0)
    labels = KMeans(n_clusters=3, n_init=10, random_state=7).fit_predict(X)
    sampled = lesson.silhouette_scores(X, [3], 7)[0]
    assert sampled == silhouette_score(X, labels, sample_size=5000, random_state=7)  # that sample, that seed
    assert sampled != silhouette_score(X, labels)  # not all 6,000 points
    assert lesson.silhouette_scores(X, [3], 7, sample_size=6000)[0] == pytest.approx(silhouette_score(X, labels))


def test_silhouette_scores_name_ks_that_a_silhouette_cannot_score(lesson):
    """With 5 rows and ks 2-8 scikit-learn said 'Number of labels is 5', labels the learner never passed."""
    X = _blobs(3)[:5]
    with pytest.raises(ValueError, match=r"^each k in ks must lie from 2 to 4 for Z's 5 points \(a silhouette needs "
                                         r"two clusters or more, and one point more than clusters\); ks runs from 2 to 8$"):
        lesson.silhouette_scores(X, range(2, 9), 0)
    with pytest.raises(ValueError, match=r"ks runs from 1 to 3$"):
        lesson.silhouette_scores(_blobs(3), range(1, 4), 0)
    assert lesson.silhouette_scores(X, [2, 4], 0).shape == (2,)  # up to one less than the points
    assert lesson.bic_scores(X, [1, 4], 0).shape == (2,)  # the BIC scores one component too


@pytest.mark.parametrize(("Z", "ks", "error", "match"), [
    (np.zeros((100, 2)), range(2, 9), ValueError, r"^Z has only 1 distinct point\(s\), fewer than the 8 clusters "
                                                r"ks asks for: .*; no number of clusters can split one point$"),
    (np.repeat(np.eye(3), 20, axis=0), range(2, 9), ValueError, r"^Z has only 3 distinct point\(s\).*; or lower the largest k$"),
    (_blobs(3), range(2, 2), ValueError, r"^ks is empty"),
    (_blobs(3), 8, TypeError, r"^ks must be a sequence of numbers of clusters, e.g. range\(\w, 9\); got 8"),
    (_blobs(3)[:, 0], range(2, 5), ValueError, r"^Z must be a 2-D array"),
    (np.where(np.arange(6)[:, None] == 2, np.nan, _blobs(3)[:6]), range(2, 4), ValueError, r"^Z contains 2 NaN or infinite value"),
])
@pytest.mark.parametrize("score", ["silhouette_scores", "bic_scores"])
def test_the_k_scores_refuse_what_scikit_learn_would_fail_on_deep_inside(lesson, score, Z, ks, error, match):
    """A learner's probe: identical codes failed with 'Number of labels is 1' (labels they never passed), an empty
    ks with 'min() arg is an empty sequence', ks=8 with 'not iterable', a 1-D Z with an array dump."""
    with pytest.raises(error, match=match):
        getattr(lesson, score)(Z, ks, 0)


def test_the_bic_prefers_one_component_for_one_gaussian_cloud(lesson):
    X = np.random.default_rng(0).normal(size=(300, 2))
    bics = lesson.bic_scores(X, [1, 2, 3], 0)
    assert np.argmin(bics) == 0


@pytest.mark.parametrize("name", ["silhouette_scores", "bic_scores"])
def test_same_seed_same_scores(lesson, name):
    X = _blobs(3, seed=1)
    first = getattr(lesson, name)(X, KS, 7)
    second = getattr(lesson, name)(X, KS, 7)
    np.testing.assert_array_equal(first, second)


def test_plot_k_scores_marks_the_best_k():
    ks, bics = [2, 3, 4, 5], [10.0, -5.0, 0.0, 3.0]
    ax = plotting.plot_k_scores(ks, bics, "bic")
    assert "BIC" in ax.get_ylabel()
    assert ax.get_title() == "BIC picks k = 3"
    assert any(line.get_label() == "chosen k = 3" for line in ax.get_lines())
    plt.close(ax.figure)
    ax = plotting.plot_k_scores(ks, [0.1, 0.2, 0.6, 0.3], "silhouette")
    assert ax.get_title() == "Silhouette picks k = 4"
    plt.close(ax.figure)


def test_k_scores_pass_over_a_k_not_measured_and_are_drawn_in_order_of_k():
    # notebook 05's candidates hold NaN as the silhouette of one cluster
    assert plotting.best_k([1, 2, 3, 4], [np.nan, 0.3, 0.5, 0.4], "silhouette") == 3
    assert plotting.best_k([1, 2, 3], [np.nan, 40.0, 50.0], "bic") == 2
    assert plotting.best_k([5, 2, 8, 3], [0.4, 0.6, 0.1, 0.6], "silhouette") == 2  # a tie: the smaller k
    ax = plotting.plot_k_scores([5, 2, 8, 1, 3], [0.4, 0.6, 0.1, np.nan, 0.5], "silhouette")
    x, y = ax.get_lines()[0].get_data()
    np.testing.assert_array_equal(x, [1, 2, 3, 5, 8])  # from left to right, not in the order tried
    np.testing.assert_array_equal(y, [np.nan, 0.6, 0.5, 0.4, 0.1])
    assert ax.get_title() == "Silhouette picks k = 2"
    plt.close(ax.figure)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (([2, 3], [0.1, 0.2], "elbow"), ValueError, "method must be one of"),
        (([2, 3, 4], [0.1, 0.2], "bic"), ValueError, "same length"),
        (([2, 3], [np.nan, np.nan], "silhouette"), ValueError, "all NaN, so no k was measured: score at least one k"),
        (([2, 3], [0.1, np.inf], "silhouette"), ValueError, r"^scores has an infinite value at k = 3: a score is a "
                                                           r"finite number, or NaN for a k not measured$"),
        (([4, 2, 3], [np.inf, 0.1, -np.inf], "bic"), ValueError, r"infinite value at k = 4:"),  # the first given
        (([2, 3], [0.1], "bic"), ValueError, "same length"),
        (([2, 3], [[0.1], [0.2, 0.3]], "bic"), TypeError, "scores must be a numeric array; got list"),  # ragged
        (([2, 3], [None, 0.2], "bic"), ValueError, r"scores contains 1 NaN"),  # None is not NaN: refused
        (([2, 3], ["a", "b"], "silhouette"), TypeError, "real numbers"),
    ],
)
def test_plot_k_scores_rejects_bad_scores(args, error, match):
    with pytest.raises(error, match=match):
        plotting.plot_k_scores(*args)


def test_a_bic_lowest_at_the_smallest_k_tried_can_mean_one_cluster(lesson):
    """Notebook 02's advice on a choice at the edge of ks: on a cloud with no clusters the BIC scored from k = 2
    is lowest at 2, the edge; scored from k = 1, as bic_scores allows, it is lowest at 1."""
    import json
    from pathlib import Path

    notebook = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "02_vae_kmeans.ipynb").read_text())
    text = " ".join(" ".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown").split())
    assert ("A BIC lowest at k = 2, the smallest k tried, may mean that one cluster fits best: `bic_scores` can "
            "score k = 1, so give it its own range, `bic_scores(z_mean, range(1, 9), SEED)` (the silhouette keeps "
            "`ks`: it refuses k = 1)") in text
    with pytest.raises(ValueError, match=r"^each k in ks must lie from 2"):  # why the two ranges differ (a probe:
        lesson.silhouette_scores(np.random.default_rng(0).normal(size=(50, 2)), range(1, 9), 42)  # one ks for both)
    cloud = np.random.default_rng(0).normal(size=(500, 2))
    from_two, from_one = range(2, 9), range(1, 9)
    assert from_two[np.argmin(lesson.bic_scores(cloud, from_two, 42))] == 2
    assert from_one[np.argmin(lesson.bic_scores(cloud, from_one, 42))] == 1
