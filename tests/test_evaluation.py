"""Tests for helpers.evaluation: matched confusion, accuracy, scores and the table."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from helpers import evaluation

# --------------------------------------------------------------------------- matched_confusion


def test_matched_confusion_puts_matched_counts_on_the_diagonal():
    y_true = [0, 0, 0, 1, 1, 2]
    labels = [5, 5, 7, 7, 7, 9]
    matrix, classes, clusters = evaluation.matched_confusion(y_true, labels)
    np.testing.assert_array_equal(matrix, [[2, 1, 0], [0, 2, 0], [0, 0, 1]])
    np.testing.assert_array_equal(classes, [0, 1, 2])
    np.testing.assert_array_equal(clusters, [5, 7, 9])


def test_matched_confusion_reorders_a_permuted_labelling_to_a_diagonal():
    y_true = np.repeat([0, 1, 2], 4)
    labels = np.repeat([2, 0, 1], 4)
    matrix, _, clusters = evaluation.matched_confusion(y_true, labels)
    np.testing.assert_array_equal(matrix, 4 * np.eye(3, dtype=int))
    np.testing.assert_array_equal(clusters, [2, 0, 1])


def test_matched_confusion_appends_surplus_clusters_after_the_matched_ones():
    y_true = [0, 0, 1, 1, 1]
    labels = [3, 3, 4, 4, 8]
    matrix, _, clusters = evaluation.matched_confusion(y_true, labels)
    np.testing.assert_array_equal(matrix, [[2, 0, 0], [0, 2, 1]])
    np.testing.assert_array_equal(clusters, [3, 4, 8])


def test_matched_confusion_marks_a_class_without_a_cluster_with_minus_one():
    matrix, _, clusters = evaluation.matched_confusion([0, 0, 0, 1], [5, 5, 5, 5])
    np.testing.assert_array_equal(matrix, [[3, 0], [1, 0]])
    np.testing.assert_array_equal(clusters, [5, -1])


def test_matched_confusion_leaves_noise_out_of_the_matrix():
    matrix, _, _ = evaluation.matched_confusion([0, 0, 1, 1], [0, -1, 1, -1])
    np.testing.assert_array_equal(matrix, [[1, 0], [0, 1]])
    assert matrix.sum() == 2


def test_matched_confusion_all_noise_gives_a_zero_matrix():
    matrix, classes, clusters = evaluation.matched_confusion([0, 1, 2], [-1, -1, -1])
    np.testing.assert_array_equal(matrix, np.zeros((3, 3)))
    np.testing.assert_array_equal(clusters, [-1, -1, -1])
    np.testing.assert_array_equal(classes, [0, 1, 2])


# --------------------------------------------------------------------------- accuracy (evaluate)


def cluster_accuracy(y_true, labels):
    """The accuracy :func:`evaluation.evaluate` reports (Hungarian matching, noise counts as wrong)."""
    return evaluation.evaluate(y_true, labels)["accuracy"]


def test_cluster_accuracy_of_a_relabelled_permutation_is_one():
    y_true = np.array([0, 0, 1, 1, 2, 2, 2])
    labels = np.array([2, 2, 0, 0, 1, 1, 1])
    assert cluster_accuracy(y_true, labels) == 1.0


def test_cluster_accuracy_counts_noise_as_wrong():
    assert cluster_accuracy([0, 0, 1, 1], [1, 1, 0, -1]) == 0.75
    assert cluster_accuracy([0, 0, 1, 1], [-1, -1, -1, -1]) == 0.0


def test_cluster_accuracy_counts_surplus_clusters_as_wrong():
    assert cluster_accuracy([0, 0, 0, 0], [0, 0, 1, 1]) == 0.5


def test_cluster_accuracy_matches_one_to_one_not_greedily():
    # greedy "majority class per cluster" would score 1.0 by sending both clusters to class 0
    assert cluster_accuracy([0, 0, 0, 0, 1, 1], [0, 0, 1, 1, 1, 1]) == pytest.approx(4 / 6)


def test_cluster_accuracy_with_a_single_cluster_gets_the_largest_class():
    assert cluster_accuracy([0, 0, 0, 1], [7, 7, 7, 7]) == 0.75


@pytest.mark.parametrize(
    ("y_true", "labels", "error", "match"),
    [
        ([0, 1, 1], [0, 1], ValueError, r"labels has 2 entries but there are 3 samples"),
        ([0, 1], [0, 1, 1], ValueError, r"labels has 3 entries but there are 2 samples"),
        ([[0, 1]], [0, 1], ValueError, r"y_true must be a 1-D array"),
        ([], [], ValueError, r"y_true is empty"),
        ([0, 1], [0.5, 1.0], TypeError, r"labels must be whole numbers"),
        ([0, 1], ["a", "b"], TypeError, r"labels must be integers"),  # cluster labels stay integers
        ([0, 1], [0.0, float("nan")], ValueError, r"labels"),
        ([0.0, float("nan")], [0, 1], ValueError, r"y_true has 1 missing label"),
        (["a", None], [0, 1], ValueError, r"y_true has 1 missing label"),
        ([[0], [1]], [0, 1], ValueError, r"y_true must be a 1-D array"),
    ],
)
def test_cluster_accuracy_rejects_mismatched_or_bad_labels(y_true, labels, error, match):
    with pytest.raises(error, match=match):
        cluster_accuracy(y_true, labels)


# --------------------------------------------------------------------------- evaluate


def test_evaluate_perfect_permutation_scores_one_everywhere():
    result = evaluation.evaluate([0, 0, 1, 1, 2, 2], [1, 1, 2, 2, 0, 0], name="perfect")
    assert result == {
        "name": "perfect",
        "ari": pytest.approx(1.0),
        "nmi": pytest.approx(1.0),
        "accuracy": 1.0,
        "noise_fraction": 0.0,
        "n_clusters": 3,
    }
    assert set(evaluation.METRICS) | {"name"} == set(result)


def test_evaluate_reports_noise_fraction_and_excludes_noise_from_cluster_count():
    y_true = [0, 0, 0, 1, 1, 1, 1, 1]
    labels = [0, 0, -1, 1, 1, 1, -1, -1]
    result = evaluation.evaluate(y_true, labels)
    assert result["noise_fraction"] == 3 / 8
    assert result["n_clusters"] == 2
    assert result["accuracy"] == 5 / 8
    assert result["name"] is None
    assert result["ari"] < 1.0 and result["nmi"] < 1.0  # noise is a group of its own, not ignored


def test_evaluate_returns_plain_python_types():
    result = evaluation.evaluate(np.array([0, 1, 1]), np.array([1, 0, 0]))
    assert all(type(result[key]) is float for key in ("ari", "nmi", "accuracy", "noise_fraction"))
    assert type(result["n_clusters"]) is int


def test_evaluate_accepts_text_classes_as_scikit_learn_does():
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    names = np.array(["barolo", "grignolino", "barbera"])
    codes = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    labels = np.array([1, 1, 0, 0, 0, 2, 2, -1, 2])
    as_text = evaluation.evaluate(names[codes], labels)
    assert as_text == evaluation.evaluate(codes, labels)  # same scores whatever the classes are called
    assert as_text["ari"] == pytest.approx(adjusted_rand_score(names[codes], labels))
    assert as_text["nmi"] == pytest.approx(normalized_mutual_info_score(names[codes], labels))
    assert as_text["accuracy"] == pytest.approx(7 / 9) and as_text["noise_fraction"] == pytest.approx(1 / 9)
    # Another order of the names gives other codes; the scores do not depend on it.
    assert evaluation.evaluate(names[::-1][codes].tolist(), labels) == as_text
    as_objects = np.array([("a", 1), ("a", 1), ("a", 1), "b", "b", 3, 3, 3, 3], dtype=object)
    assert evaluation.evaluate(as_objects, labels) == as_text  # any hashable labels, even mixed types


def test_matched_confusion_names_text_classes_in_sorted_order():
    matrix, classes, clusters = evaluation.matched_confusion(["b", "b", "a", "c", "c"], [4, 4, 5, 6, -1])
    assert classes.tolist() == ["a", "b", "c"]
    np.testing.assert_array_equal(matrix, [[1, 0, 0], [0, 2, 0], [0, 0, 1]])  # rows: a, b, c
    np.testing.assert_array_equal(clusters, [5, 4, 6])
    assert cluster_accuracy(["b", "b", "a", "c", "c"], [4, 4, 5, 6, -1]) == 0.8


def test_match_labels_takes_text_classes_as_evaluate_does():
    """match_labels refused text classes ("y_true must be integers; got dtype <U10") that evaluate scores."""
    y_true = np.array(["barolo", "barolo", "grignolino", "grignolino", "barbera", "barbera"])
    matched = evaluation.match_labels(y_true, [5, 5, 2, 2, 9, -1])
    assert matched.tolist() == ["barolo", "barolo", "grignolino", "grignolino", "barbera", -1]
    assert np.mean(matched == y_true) == evaluation.evaluate(y_true, [5, 5, 2, 2, 9, -1])["accuracy"]
    # surplus clusters cannot be numbered after text: they are named as plot_clusters' legend names them
    surplus = evaluation.match_labels(["a", "a", "a", "b", "b", "b"], [0, 0, 4, 1, 1, 7])
    assert surplus.tolist() == ["a", "a", "extra 1", "b", "b", "extra 2"]  # same size: lower id first


def test_match_labels_gives_the_same_result_for_integer_classes_and_their_text():
    rng = np.random.default_rng(3)
    for _ in range(5):
        y_true = rng.integers(0, 4, size=60)
        labels = np.where(rng.random(60) < 0.7, (y_true * 3 + 1) % 5, rng.integers(-1, 6, size=60))
        by_number = evaluation.match_labels(y_true, labels)
        by_text = evaluation.match_labels(np.array(["abcd"[c] for c in y_true]), labels)
        for number, text in zip(by_number, by_text):
            expected = -1 if number == -1 else "abcd"[number] if number < 4 else f"extra {number - 3}"
            assert text == expected
    np.testing.assert_array_equal(evaluation.match_labels([0.0, 0.0, 1.0, 1.0], [1, 1, 0, 0]), [0, 0, 1, 1])


def test_match_labels_keeps_whole_number_floats_as_integers_only_within_int64():
    """[0., 200., 2.**62] are whole numbers an int64 holds: int64 results, surplus numbered after them.
    2.**63 is not (the cast would wrap round to a negative class): such classes stay as they are."""
    matched = evaluation.match_labels([0.0, 200.0, 2.0**62, 2.0**62], [5, 6, 7, 8])
    assert matched.dtype == np.int64
    assert matched.tolist() == [0, 200, 2**62, 2**62 + 1]
    huge = evaluation.match_labels([0.0, 0.0, 2.0**63], [1, 1, 0])
    assert huge.dtype == object and huge.tolist() == [0.0, 0.0, 2.0**63]


def test_match_labels_names_more_surplus_clusters_than_there_are_classes():
    assert evaluation.match_labels([5, 5, 5, 5, 5], [0, 0, 1, 2, 3]).tolist() == [5, 5, 6, 7, 8]
    assert evaluation.match_labels(["a"] * 5, [0, 0, 1, 2, 3]).tolist() == ["a", "a", "extra 1", "extra 2", "extra 3"]


def test_matched_confusion_of_labels_that_are_all_noise():
    matrix, classes, clusters = evaluation.matched_confusion(["a", "b", "b"], [-1, -1, -1])
    np.testing.assert_array_equal(matrix, np.zeros((2, 2)))
    assert classes.tolist() == ["a", "b"] and clusters.tolist() == [-1, -1]
    assert evaluation.match_labels(["a", "b", "b"], [-1, -1, -1]).tolist() == [-1, -1, -1]


def test_matched_confusion_marks_a_class_left_without_a_cluster_minus_one():
    matrix, _, clusters = evaluation.matched_confusion([0, 0, 1, 1, 2, 2], [4, 4, 4, 4, 3, 3])
    np.testing.assert_array_equal(matrix, [[2, 0, 0], [2, 0, 0], [0, 0, 2]])
    assert clusters.tolist() == [4, -1, 3]


def test_evaluate_rejects_mismatched_label_lengths():
    with pytest.raises(ValueError, match=r"labels has 4 entries but there are 3 samples"):
        evaluation.evaluate([0, 1, 1], [0, 1, 1, 0])


# --------------------------------------------------------------------------- results_table


def _row(name, ari=0.123456, nmi=0.5, accuracy=0.987, noise=0.0, n_clusters=3):
    return {"name": name, "ari": ari, "nmi": nmi, "accuracy": accuracy, "noise_fraction": noise, "n_clusters": n_clusters}


def test_results_table_rounds_scores_to_the_given_digits():
    table = evaluation.results_table([_row("a")])
    cells = table.splitlines()[1].split()
    assert cells == ["a", "0.12", "0.50", "0.99", "0.00", "3"]
    cells = evaluation.results_table([_row("a")], digits=3).splitlines()[1].split()
    assert cells[1:4] == ["0.123", "0.500", "0.987"]
    assert evaluation.results_table([_row("a")], digits=0).splitlines()[1].split()[1:4] == ["0", "0", "1"]


def test_results_table_has_a_header_and_one_line_per_row():
    lines = evaluation.results_table([_row("first"), _row("second")]).splitlines()
    assert len(lines) == 3
    assert lines[0].split() == ["pipeline", "ARI", "NMI", "accuracy", "noise", "clusters"]
    assert lines[1].startswith("first") and lines[2].startswith("second")


def test_results_table_aligns_columns():
    rows = [_row("a_much_longer_pipeline_name", ari=-0.05, n_clusters=12), _row("short", ari=1.0)]
    lines = evaluation.results_table(rows).splitlines()
    assert len({len(line) for line in lines}) == 1  # every line equally wide, no trailing blanks
    spans = [[m.span() for m in re.finditer(r"\S+", line)] for line in lines]
    assert all(len(cells) == 6 for cells in spans)
    assert {cells[0][0] for cells in spans} == {0}  # names left-aligned
    for column in range(1, 6):  # numbers right-aligned under their headers
        assert len({cells[column][1] for cells in spans}) == 1, f"column {column} is ragged"
    assert lines[2].startswith("short ")


def test_results_table_layout_is_exactly_the_one_the_benchmark_parses():
    table = evaluation.results_table([_row("a long name", ari=-0.05, n_clusters=12), _row("b")])
    assert table == ("pipeline       ARI   NMI  accuracy  noise  clusters\n"
                     "a long name  -0.05  0.50      0.99   0.00        12\n"
                     "b             0.12  0.50      0.99   0.00         3")


def test_aligned_table_aligns_the_left_columns_left_and_the_others_right():
    table = evaluation.aligned_table(("name", "kind", "k", "note"), [("x", "gmm", "10", "ok"), ("long", "km", "2", "")],
                                     left=(0, 1, 3))
    assert table.splitlines() == ["name  kind   k  note", "x     gmm   10  ok", "long  km     2"]
    with pytest.raises(ValueError, match=r"row 1 has 1 cells but there are 2 headers"):
        evaluation.aligned_table(("a", "b"), [("1", "2"), ("3",)])


def test_aligned_table_puts_only_the_first_column_on_the_left_by_default():
    assert evaluation.aligned_table(("name", "k"), [("x", "10"), ("long", "2")]).splitlines() == [
        "name   k", "x     10", "long   2"]


def test_aligned_table_counts_cells_against_the_headers_even_when_every_row_agrees():
    with pytest.raises(ValueError, match=r"^row 0 has 1 cells but there are 2 headers$"):
        evaluation.aligned_table(("a", "b"), [("1",), ("2",)])
    assert evaluation.aligned_table(("name", "k"), []) == "name  k"  # headers alone


def test_results_table_takes_a_row_with_no_cluster_found():
    """DBSCAN can call every point noise: zero clusters is a result, not an error."""
    lines = evaluation.results_table([_row("all noise", n_clusters=0, noise=1.0)]).splitlines()
    assert lines[1].split()[-2:] == ["1.00", "0"]


def test_results_table_accepts_evaluate_output_and_any_iterable():
    rows = (evaluation.evaluate([0, 1, 1, 0], labels, name=name) for name, labels in [("x", [0, 1, 1, 0]), ("y", [0, 0, 0, 0])])
    lines = evaluation.results_table(rows).splitlines()
    assert lines[1].split() == ["x", "1.00", "1.00", "1.00", "0.00", "2"]
    assert lines[2].split()[0] == "y"


@pytest.mark.parametrize(
    ("results", "kwargs", "error", "match"),
    [
        ([], {}, ValueError, r"results is empty"),
        ([{"name": "a", "ari": 1.0}], {}, ValueError, r"results\[0\] lacks \['nmi', 'accuracy', 'noise_fraction', 'n_clusters'\]"),
        ([_row("a"), {k: v for k, v in _row("b").items() if k != "name"}], {}, ValueError, r"results\[1\] lacks \['name'\]"),
        ([("a", 1.0)], {}, TypeError, r"results\[0\] must be a dict from evaluate\(\); got tuple"),
        ([_row("a")], {"digits": -1}, ValueError, r"digits must be >= 0"),
        ([_row("a", n_clusters=-1)], {}, ValueError, r"results\[0\]\['n_clusters'\] must be >= 0"),
        ([_row("a")], {"digits": 7}, ValueError, r"digits must be <= 6"),
        ([_row("a")], {"digits": 2.0}, TypeError, r"digits must be an integer"),
    ],
)
def test_results_table_rejects_bad_rows_and_digits(results, kwargs, error, match):
    with pytest.raises(error, match=match):
        evaluation.results_table(results, **kwargs)


def test_results_table_of_one_row_says_to_pass_a_list():
    """It said "results[0] must be a dict from evaluate(); got str" (the dict's first key)."""
    with pytest.raises(TypeError, match=r"^results must be a list of rows from evaluate\(\); got one row \(a dict\): "
                                        r"pass a list of rows, results_table\(\[row\]\)$"):
        evaluation.results_table(_row("a"))
    with pytest.raises(TypeError, match=r"^results must be a list of rows from evaluate\(\); got NoneType$"):
        evaluation.results_table(None)


@pytest.mark.parametrize(("key", "value", "match"), [
    ("ari", None, r"^results\[0\]\['ari'\] must be a number \(NaN for a score not measured\); got None$"),
    ("nmi", "0.5", r"^results\[0\]\['nmi'\] must be a number \(NaN for a score not measured\); got '0.5'$"),
    ("n_clusters", None, r"^results\[0\]\['n_clusters'\] must be an integer; got None$"),
])
def test_results_table_names_the_field_that_is_not_a_number(key, value, match):
    with pytest.raises(TypeError, match=match):
        evaluation.results_table([{**_row("a"), key: value}])


def test_results_table_still_prints_an_unmeasured_score_as_nan():
    assert evaluation.results_table([_row("a", ari=float("nan"))]).splitlines()[1].split()[1] == "nan"


# --------------------------------------------------------------------------- match_labels


def test_match_labels_gives_the_truth_back_for_permuted_cluster_ids():
    y_true = np.repeat([0, 1, 2, 3], [5, 3, 4, 2])
    permutation = np.array([3, 0, 2, 1])  # class c was found as cluster permutation[c]
    matched = evaluation.match_labels(y_true, permutation[y_true] + 10)
    np.testing.assert_array_equal(matched, y_true)
    assert matched.dtype.kind == "i"


def test_match_labels_keeps_noise_as_minus_one():
    y_true = np.repeat([0, 1, 2], 4)
    labels = np.repeat([2, 0, 1], 4)
    labels[[1, 6, 11]] = -1
    matched = evaluation.match_labels(y_true, labels)
    expected = y_true.copy()
    expected[[1, 6, 11]] = -1
    np.testing.assert_array_equal(matched, expected)


def test_match_labels_uses_the_classes_own_values():
    y_true = np.array([3, 3, 7, 7, 9, 9])
    np.testing.assert_array_equal(evaluation.match_labels(y_true, [1, 1, 0, 0, 2, 2]), y_true)


def test_match_labels_numbers_surplus_clusters_after_the_classes_largest_first():
    y_true = np.array([0] * 6 + [1] * 6)
    # cluster 4 holds most of class 0, cluster 1 most of class 1; clusters 0 (size 1) and 7 (size 3) are surplus
    labels = np.array([4, 4, 4, 4, 0, 7, 1, 1, 1, 7, 7, -1])
    matched = evaluation.match_labels(y_true, labels)
    np.testing.assert_array_equal(matched, [0, 0, 0, 0, 3, 2, 1, 1, 1, 2, 2, -1])


@pytest.mark.parametrize("score", [evaluation.evaluate, evaluation.match_labels, evaluation.matched_confusion])
def test_hdbscans_labels_for_infinite_and_missing_rows_are_not_clusters(score):
    # scikit-learn's HDBSCAN: -2 for a row with an infinite value, -3 for one with a missing value
    y = [0, 0, 1, 1, 2, 2]
    with pytest.raises(ValueError, match=r"^labels holds -2, -3 \(3 sample\(s\)\), but cluster labels are .* "
                                         r"count them as noise with np.maximum\(labels, -1\)$"):
        score(y, [0, 0, 1, -2, -3, -3])
    with pytest.raises(ValueError, match=r"labels holds -2, -3, -4, -5, -6, \.\.\. \(6 sample\(s\)\)"):
        score(y, [-2, -3, -4, -5, -6, -7])
    with pytest.raises(ValueError, match=r"labels holds -2, -3, -4, -5, -6 \(5 sample\(s\)\), but"):  # all five
        score(y, [0, -2, -3, -4, -5, -6])
    score(y, np.maximum([0, 0, 1, -2, -3, -3], -1))  # the advice: counted as noise


def test_matched_confusion_refuses_a_measurement_passed_as_classes():
    # a continuous column as y_true: 20,000 classes made a 20,000 x 20,000 matrix (3 GB)
    rng = np.random.default_rng(0)
    measured = rng.normal(size=1001)
    with pytest.raises(ValueError, match=r"y_true has 1,001 different classes in 1,001 samples, too many for a "
                                         r"confusion matrix \(at most 1,000\): is it a measurement"), \
            pytest.warns(UserWarning, match="is a measurement"):
        evaluation.matched_confusion(measured, rng.integers(0, 3, 1001))
    with pytest.warns(UserWarning, match="is a measurement"):
        assert evaluation.evaluate(measured, rng.integers(0, 3, 1001))["ari"] < 0.01  # scored all the same
    with pytest.warns(UserWarning, match="1,000 different classes among 1,000 samples"):
        matrix, classes, _ = evaluation.matched_confusion(np.arange(1000) % 1000, np.zeros(1000, dtype=int))
    assert matrix.shape == (1000, 1000) and classes.size == 1000  # at the limit: drawn up


def test_match_labels_refuses_surplus_ids_past_int64():
    top = np.iinfo(np.int64).max
    assert evaluation.match_labels([top - 1, top - 1, 0, 0], [0, 0, 1, 2]).tolist() == [top - 1, top - 1, 0, top]
    with pytest.raises(ValueError, match=r"2 cluster\(s\) have no class.*largest class, 9223372036854775806"):
        evaluation.match_labels([top - 1, top - 1, 0, 0, 0], [0, 0, 1, 2, 3])  # ids top and top + 1 (overflow)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no surplus cluster: nothing is numbered after the largest class
        assert evaluation.match_labels([0, 0, top, top], [1, 1, 0, 0]).tolist() == [0, 0, top, top]


def test_match_labels_with_fewer_clusters_than_classes_leaves_classes_unused():
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    labels = np.array([5, 5, 5, 5, 5, 8, 8, 8, 8])  # classes 0 and 1 merged in cluster 5
    matched = evaluation.match_labels(y_true, labels)
    np.testing.assert_array_equal(matched, [0, 0, 0, 0, 0, 2, 2, 2, 2])
    assert 1 not in matched


def test_match_labels_matches_one_to_one_not_by_majority():
    # both clusters are mostly class 0; a majority vote would call both 0
    matched = evaluation.match_labels([0, 0, 0, 0, 1, 1], [0, 0, 1, 1, 1, 1])
    np.testing.assert_array_equal(matched, [0, 0, 1, 1, 1, 1])


def test_accuracy_from_match_labels_equals_cluster_accuracy():
    rng = np.random.default_rng(0)
    for n_clusters in (2, 4, 6):
        y_true = rng.integers(0, 4, size=200)
        labels = np.where(rng.random(200) < 0.6, (y_true * 7 + 3) % 5, rng.integers(-1, n_clusters, size=200))
        labels = np.where(labels >= n_clusters, -1, labels)
        matched = evaluation.match_labels(y_true, labels)
        assert np.mean(matched == y_true) == pytest.approx(cluster_accuracy(y_true, labels))
        assert 0.2 < np.mean(matched == y_true) < 1.0  # a non-trivial case


def test_match_labels_of_all_noise_is_all_noise():
    np.testing.assert_array_equal(evaluation.match_labels([0, 1, 1], [-1, -1, -1]), [-1, -1, -1])


@pytest.mark.parametrize(
    ("y_true", "labels", "error", "match"),
    [
        ([0, 1, -1], [0, 1, 1], ValueError, r"y_true must hold classes >= 0"),
        ([0, 1, 1], [0, 1], ValueError, r"labels has 2 entries but there are 3 samples"),
        ([0, 1], [0, float("nan")], ValueError, r"labels"),
        ([0, 1], ["a", "b"], TypeError, r"labels must be integers"),
        (["a", None], [0, 1], ValueError, r"^y_true has 1 missing label"),
        ([0.0, -1.0], [0, 1], ValueError, r"y_true must hold classes >= 0"),
    ],
)
def test_match_labels_rejects_bad_input(y_true, labels, error, match):
    with pytest.raises(error, match=match):
        evaluation.match_labels(y_true, labels)


def test_check_bars_is_gone():
    assert not hasattr(evaluation, "check_bars")  # bookkeeping belongs in tests, not in lessons


# --------------------------------------------------------------------------- learner labels (issue 21, item 5)


def test_evaluate_refuses_an_infinite_true_class_as_scikit_learn_does():
    """A learner's y_true with inf (a parsing slip) was scored as one more class instead of refused."""
    with pytest.raises(ValueError, match=r"^y_true has 1 infinite label\(s\) \(first at position 1\)"):
        evaluation.evaluate([0, np.inf, 1, 1], [0, 0, 1, 1])


def test_evaluate_refuses_float_cluster_ids_too_large_for_integers():
    """Cluster ids 1e19 and 2e19 overflowed to one integer: n_clusters 1 and ARI 0 for a perfect clustering."""
    with pytest.raises(ValueError, match=r"^labels must be whole numbers within the 64-bit integer range"):
        evaluation.evaluate([0, 0, 1, 1], [1e19, 1e19, 2e19, 2e19])
    assert evaluation.evaluate([0, 0, 1, 1], [1e18, 1e18, 2e18, 2e18])["ari"] == 1.0  # still integers: kept apart


# --------------------------------------------------------------------------- the matching on many classes


def _reference_matching(y_true, labels):
    """The padded square matrix the matching was once built on: (accuracy, class of each matched cluster)."""
    classes, codes = np.unique(y_true, return_inverse=True)
    found = np.unique(labels[labels != -1])
    size = max(classes.size, found.size)
    square = np.zeros((size, size), dtype=np.int64)
    for code, label in zip(codes, labels):
        if label != -1:
            square[code, np.searchsorted(found, label)] += 1
    rows, cols = linear_sum_assignment(square, maximize=True)
    pairs = {int(found[c]): classes[r] for r, c in zip(rows, cols) if r < classes.size and c < found.size
             and square[:, c].any()}
    return square[rows, cols].sum() / len(y_true), pairs


@pytest.mark.parametrize("seed", range(6))
def test_the_rectangular_matching_agrees_with_a_padded_square_reference(seed):
    rng = np.random.default_rng(seed)
    n_classes, n_clusters = rng.integers(1, 7), rng.integers(1, 9)
    y_true = rng.integers(0, n_classes, size=80) * 2 + 1  # gaps between the class values
    labels = np.where(rng.random(80) < 0.6, (y_true * 5 + 2) % n_clusters, rng.integers(-1, n_clusters, size=80))
    accuracy, pairs = _reference_matching(y_true, labels)
    assert evaluation.evaluate(y_true, labels)["accuracy"] == pytest.approx(accuracy)
    matched = evaluation.match_labels(y_true, labels)
    for cluster, cls in pairs.items():
        assert np.all(matched[labels == cluster] == cls)


def test_many_distinct_true_values_are_matched_without_a_square_matrix():
    """5,000 distinct y_true values (a continuous column passed by mistake) made evaluate build a padded
    5,000 x 5,000 matrix (200 MB; 1 GB at 8,000); the matching works on the 5,000 x 3 counts instead."""
    import tracemalloc

    y_true = np.arange(5000)
    labels = np.random.default_rng(0).integers(0, 3, size=5000)
    tracemalloc.start()
    try:
        with pytest.warns(UserWarning, match="is a measurement"):
            result = evaluation.evaluate(y_true, labels)
        with pytest.warns(UserWarning, match="is a measurement"):
            matched = evaluation.match_labels(y_true, labels)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20e6  # classes x clusters is 120 kB; the square matrix was 200 MB
    assert result["accuracy"] == pytest.approx(3 / 5000)  # one sample per matched class
    assert np.isin(matched, y_true).all() and np.unique(matched).size == 3


def test_results_table_reads_a_dataframe_of_rows_as_its_rows():
    """pd.DataFrame(rows) was iterated by its column names: "results[0] ... got str"."""
    pd = pytest.importorskip("pandas")
    rows = [evaluation.evaluate([0, 0, 1, 1], [0, 0, 1, 1], name="perfect"),
            evaluation.evaluate([0, 0, 1, 1], [0, 1, 0, 1], name="crossed")]
    assert evaluation.results_table(pd.DataFrame(rows)) == evaluation.results_table(rows)


def test_a_measurement_passed_as_classes_draws_a_warning_naming_it():
    """A continuous column as y_true was scored as hundreds of one-sample classes without a word."""
    import warnings

    rng = np.random.default_rng(0)
    alcohol = np.round(rng.normal(13, 0.8, size=178), 2)  # wine's alcohol column, say: ~150 distinct values
    labels = rng.integers(0, 3, size=178)
    n_classes = np.unique(alcohol).size
    for score in (evaluation.evaluate, evaluation.match_labels, evaluation.matched_confusion):
        with pytest.warns(UserWarning, match=rf"y_true has {n_classes} different classes among 178 samples.*"
                                             r"bin it first \(pandas.cut\)") as caught:
            score(alcohol, labels)
        assert caught[0].filename == __file__  # points at the caller's line, not into helpers
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        evaluation.evaluate(np.arange(40) % 20, np.zeros(40, dtype=int))  # 20 classes of two: half, not more
        evaluation.evaluate(np.arange(19), np.zeros(19, dtype=int))  # 19 one-sample classes: under 20
        evaluation.evaluate(rng.integers(0, 10, 1797), rng.integers(0, 10, 1797))  # the digits' ten classes
    with pytest.warns(UserWarning, match="21 different classes among 41"):
        evaluation.evaluate(np.arange(41) % 21, np.zeros(41, dtype=int))  # 21 of 41: more than half
    with pytest.warns(UserWarning, match="20 different classes among 20"):
        evaluation.evaluate(np.arange(20), np.zeros(20, dtype=int))  # the edge: 20 classes count


def test_the_readme_names_the_measurement_warning_and_its_recipe_works():
    """The troubleshooting entry quotes the warning's opening words, and its binning recipe silences it."""
    import re
    import warnings
    from pathlib import Path

    pd = pytest.importorskip("pandas")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    entry = re.search(r"- \*\*`UserWarning: y_true has … different classes among … samples`\*\*(.*?)\n- ", readme, re.S)
    assert entry, "the README's troubleshooting entry for the measurement warning is missing"
    recipe = re.search(r"`(pandas\.cut\(column, 4, labels=False\))`", entry.group(1)).group(1)
    column = np.random.default_rng(0).normal(size=200)
    with pytest.warns(UserWarning, match="y_true has 200 different classes among 200 samples"):
        evaluation.evaluate(column, np.zeros(200, dtype=int))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        binned = eval(recipe, {"pandas": pd, "column": column})
        assert evaluation.evaluate(binned, np.zeros(200, dtype=int))["n_clusters"] == 1


def test_results_table_shows_an_unnamed_row_as_such_not_as_the_text_none():
    """A learner's probe: a row from evaluate(y, labels) without a name printed as 'None'."""
    rows = [evaluation.evaluate([0, 0, 1, 1], [0, 0, 1, 1], "named"), evaluation.evaluate([0, 0, 1, 1], [1, 1, 0, 0])]
    lines = evaluation.results_table(rows).splitlines()
    assert lines[1].startswith("named ") and lines[2].startswith("(row 2, no name) ") and "None" not in lines[2]
    pd = pytest.importorskip("pandas")  # a DataFrame of the same rows turns the missing name into NaN: not "nan"
    assert evaluation.results_table(pd.DataFrame(rows)).splitlines() == lines


def test_results_table_reads_a_pandas_series_of_rows_as_its_rows():
    """A Series has to_dict but no columns: only a DataFrame is turned into records first."""
    pd = pytest.importorskip("pandas")
    rows = [evaluation.evaluate([0, 0, 1, 1], [0, 0, 1, 1], "a"), evaluation.evaluate([0, 0, 1, 1], [0, 1, 0, 1], "b")]
    assert evaluation.results_table(pd.Series(rows)) == evaluation.results_table(rows)
