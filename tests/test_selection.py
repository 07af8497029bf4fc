"""helpers.selection: label-free scoring and choice, on data whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from helpers import selection


@pytest.fixture(scope="module")
def four_blobs():
    """Four well-separated blobs in 5-D (not 2 or 3 clusters: a rule stuck on small k fails)."""
    X, y = make_blobs(n_samples=200, centers=4, n_features=5, cluster_std=1.0, center_box=(-8, 8),
                      random_state=3)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def uniform():
    """Uniform random points in a 5-D cube: no cluster structure at all."""
    return StandardScaler().fit_transform(np.random.default_rng(0).uniform(size=(200, 5)))


def score(X, **kwargs):
    pca = PCA(n_components=2, random_state=0).fit(X)
    return selection.score_candidates(X, {"scaled": None, "PCA-2": pca.transform}, k_range=range(1, 8),
                                      n_references=4, n_resamples=3, random_state=0, **kwargs)


@pytest.fixture(scope="module")
def blob_candidates(four_blobs):
    return score(four_blobs[0])


@pytest.fixture(scope="module")
def uniform_candidates(uniform):
    return score(uniform)


# -- the building blocks ------------------------------------------------------------------------


def test_within_dispersion_by_hand():
    X = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 10.0], [10.0, 12.0]])
    assert selection.within_dispersion(X, [0, 0, 1, 1]) == pytest.approx(1 + 1 + 1 + 1)
    assert selection.within_dispersion(X, [0, 1, 2, 3]) == 0.0
    # a worse split has a larger W
    assert selection.within_dispersion(X, [0, 1, 0, 1]) > selection.within_dispersion(X, [0, 0, 1, 1])


def test_uniform_reference_fills_the_pca_box_of_the_data():
    rng = np.random.default_rng(1)
    angle = np.pi / 6
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    X = (rng.uniform([-5, -1], [5, 1], size=(400, 2)) @ rotation.T) + [3.0, -2.0]
    reference = selection.uniform_reference(X, n_samples=4000, random_state=0)
    assert reference.shape == (4000, 2)
    np.testing.assert_allclose(reference.mean(axis=0), [3.0, -2.0], atol=0.15)
    # along the data's long axis the reference spans about 10, across it about 2
    along = (reference - [3.0, -2.0]) @ rotation[:, 0]
    across = (reference - [3.0, -2.0]) @ rotation[:, 1]
    assert 9.0 < np.ptp(along) < 10.5 and 1.8 < np.ptp(across) < 2.1
    # same seed, same points; another seed, other points
    np.testing.assert_array_equal(selection.uniform_reference(X, random_state=5),
                                  selection.uniform_reference(X, random_state=5))
    assert not np.allclose(selection.uniform_reference(X, random_state=5),
                           selection.uniform_reference(X, random_state=6))


def test_stability_is_high_for_real_clusters_and_low_for_a_shuffled_clustering(four_blobs):
    X, y = four_blobs
    labels = selection.fit_clustering(X, "kmeans", 4, random_state=0).predict(X)
    assert selection.stability(X, "kmeans", 4, labels, random_state=0) > 0.95
    shuffled = np.random.default_rng(0).permutation(labels)
    assert selection.stability(X, "kmeans", 4, shuffled, random_state=0) < 0.1
    assert selection.stability(X, "kmeans", 1, np.zeros(len(X), dtype=int)) == 1.0


def test_fit_clustering_methods_and_errors(four_blobs):
    X, y = four_blobs
    for method in selection.METHODS:
        labels = selection.fit_clustering(X, method, 4, random_state=0).predict(X)
        assert adjusted_rand_score(y, labels) > 0.95
    with pytest.raises(ValueError, match="method must be one of"):
        selection.fit_clustering(X, "dbscan", 4)
    with pytest.raises(ValueError, match="k must be >= 1"):
        selection.fit_clustering(X, "kmeans", 0)


def test_gap_choice_is_tibshiranis_one_standard_error_rule():
    def family(gaps, se=0.05):
        return [selection.Candidate("r", "kmeans", k, np.zeros(3, dtype=int), g, se, np.nan, np.nan)
                for k, g in enumerate(gaps, start=1)]

    assert selection.gap_choice(family([0.1, 0.5, 0.9, 0.92, 0.95])).k == 3  # 0.9 >= 0.92 - 0.05
    assert selection.gap_choice(family([0.1, 0.5, 0.9, 1.2, 1.21])).k == 4
    assert selection.gap_choice(family([0.5, 0.52, 0.4])).k == 1  # no split beats one cluster
    assert selection.gap_choice(family([0.1, 0.3, 0.5, 0.7])).k == 4  # still rising: the largest k
    with pytest.raises(ValueError, match="k = 1, 2"):
        selection.gap_choice(family([0.1, 0.5])[1:])


# -- scoring and choosing -----------------------------------------------------------------------


def test_candidates_cover_every_representation_method_and_k(blob_candidates, four_blobs):
    assert len(blob_candidates) == 2 * 2 * 7
    assert {(c.representation, c.method) for c in blob_candidates} == {
        (r, m) for r in ("scaled", "PCA-2") for m in ("kmeans", "gmm")}
    assert [c.k for c in blob_candidates[:7]] == list(range(1, 8))
    one = blob_candidates[0]
    assert np.all(one.labels == 0) and np.isnan(one.silhouette)
    # the scores rank the true k first: the silhouette peaks and the gap jumps at k = 4
    family = blob_candidates[:7]
    assert max(family[1:], key=lambda c: c.silhouette).k == 4
    assert family[3].gap - family[2].gap > 0.3
    # stability is measured at each family's gap pick only
    measured = [c for c in blob_candidates if not np.isnan(c.stability)]
    assert len(measured) == 4 and all(c.k == 4 for c in measured)


def test_choice_finds_all_four_blobs(blob_candidates, four_blobs):
    choice = selection.choose(blob_candidates)
    assert choice.structure
    assert choice.chosen.k == 4  # a rule that always picks 2 (or 3) fails here
    assert adjusted_rand_score(four_blobs[1], choice.labels) > 0.99
    assert choice.verdicts.count("chosen") == 1
    assert "k=4" in choice.reason


def test_uniform_data_has_no_structure(uniform_candidates):
    choice = selection.choose(uniform_candidates)
    assert not choice.structure and choice.chosen is None
    assert "no cluster structure" in choice.reason
    assert np.all(choice.labels == 0)


def test_unstable_picks_are_refused_and_said_so(blob_candidates):
    shaky = [c._replace(stability=0.5) if not np.isnan(c.stability) else c for c in blob_candidates]
    choice = selection.choose(shaky)
    assert not choice.structure
    assert "no stable cluster structure" in choice.reason
    assert set(choice.verdicts) == {"not stable"}


def test_a_small_gain_over_one_cluster_is_not_structure(blob_candidates):
    family = [c for c in blob_candidates if (c.representation, c.method) == ("scaled", "kmeans")]
    gain = family[3].gap - family[0].gap
    assert selection.choose(family, min_gain=gain - 0.01).structure
    refused = selection.choose(family, min_gain=gain + 0.01)
    assert not refused.structure and refused.verdicts == ["not clearly better than one cluster"]


def test_separation_decides_between_stable_picks(blob_candidates):
    picks = selection.choose(blob_candidates).picks
    # make one pick clearly the best separated: it must win, whatever its order
    boosted = picks[-1]._replace(silhouette=0.99)
    others = [c for c in blob_candidates if c is not picks[-1]]
    assert selection.choose(others + [boosted]).chosen is boosted


def test_select_clustering_runs_both_steps(four_blobs):
    X, y = four_blobs
    candidates, choice = selection.select_clustering(X, {"scaled": None}, k_range=range(1, 6), methods=("kmeans",),
                                                     n_references=3, n_resamples=2, random_state=1)
    assert len(candidates) == 5 and choice.chosen.k == 4


def test_representations_are_applied_to_the_references_too(four_blobs):
    X, _ = four_blobs
    seen = []

    def spy(rows):
        seen.append(len(rows))
        return rows[:, :2]

    selection.score_candidates(X, {"spy": spy}, k_range=range(1, 3), methods=("kmeans",), n_references=3,
                               n_resamples=1)
    assert seen == [len(X)] * 4  # the data, then each of 3 references


def test_assignment_confidence_is_low_only_between_clusters():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-4, 0.5, (60, 2)), rng.normal(4, 0.5, (60, 2)), [[0.0, 0.0]]])
    labels = selection.fit_clustering(X, "kmeans", 2, random_state=0).predict(X)
    confidence = selection.assignment_confidence(X, "kmeans", 2, labels, n_resamples=10, random_state=0)
    assert confidence.shape == (121,) and confidence.min() >= 0 and confidence.max() <= 1
    assert np.all(confidence[:120] == 1.0)
    # relabelling the clusters does not change anything (clusters are matched, not compared by name)
    np.testing.assert_array_equal(
        selection.assignment_confidence(X, "kmeans", 2, 1 - labels, n_resamples=10, random_state=0), confidence)
    # a clustering that is not what the method finds gets low confidence
    wrong = np.random.default_rng(1).integers(0, 2, len(X))
    assert selection.assignment_confidence(X, "kmeans", 2, wrong, n_resamples=5, random_state=0).mean() < 0.7


def test_candidates_table_lists_every_candidate(blob_candidates):
    choice = selection.choose(blob_candidates)
    text = selection.candidates_table(choice.picks, verdicts=choice.verdicts)
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["representation", "method", "k"]
    assert len(lines) == 1 + len(choice.picks)
    assert sum("chosen" in line for line in lines) == 1
    assert "-" in selection.candidates_table(blob_candidates[:1])  # unmeasured scores show as -


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"representations": {}}, TypeError, "non-empty dict"),
        ({"representations": {"bad": 3}}, TypeError, "must be a function"),
        ({"k_range": range(2, 6)}, ValueError, "k = 1 is the no-structure"),
        ({"k_range": [1]}, ValueError, "at least 2 different values"),
        ({"methods": ("dbscan",)}, ValueError, "methods must be taken from"),
        ({"n_references": 1}, ValueError, "n_references must be >= 2"),
        ({"representations": {"short": lambda rows: rows[:5]}}, ValueError, "at least"),
    ],
)
def test_score_candidates_refuses_bad_arguments(four_blobs, kwargs, error, match):
    arguments = {"representations": {"scaled": None}, **kwargs}
    with pytest.raises(error, match=match):
        selection.score_candidates(four_blobs[0][:40], **arguments)


def test_choose_refuses_bad_arguments(blob_candidates):
    with pytest.raises(TypeError, match="candidates"):
        selection.choose([])
    with pytest.raises(ValueError, match="min_stability"):
        selection.choose(blob_candidates, min_stability=1.5)
