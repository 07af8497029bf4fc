"""Tests for helpers._validation: the input checks every public helper relies on."""

from __future__ import annotations

import sys
import warnings
from fractions import Fraction

import numpy as np
import pytest

from helpers._validation import (
    as_numeric_array,
    check_classes,
    check_features,
    check_float,
    check_int,
    check_labels,
    check_score,
    check_seed,
)

# --------------------------------------------------------------------------- check_features


def test_check_features_converts_integers_to_float64_and_keeps_values():
    result = check_features([[1, 2], [3, 4]])
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, [[1.0, 2.0], [3.0, 4.0]])


def test_check_features_keeps_float32_as_float32():
    X = np.ones((3, 2), dtype=np.float32)
    assert check_features(X).dtype == np.float32


def test_check_features_accepts_a_1d_array_when_ndim_is_1():
    result = check_features([3, 1, 2], ndim=1, min_samples=3)
    assert result.shape == (3,)


@pytest.mark.parametrize(
    ("X", "kwargs", "match"),
    [
        ([[1.0, np.nan], [2.0, 3.0]], {}, r"X contains 1 NaN or infinite"),
        ([[1.0, np.inf], [-np.inf, 3.0]], {}, r"X contains 2 NaN or infinite"),
        ([1.0, 2.0, 3.0], {}, r"X must be a 2-D array .* got 1-D"),
        (np.zeros((2, 2, 2)), {}, r"X must be a 2-D array .* got 3-D"),
        ([[1.0, 2.0]], {}, r"X needs at least 2 samples; got 1"),
        (np.zeros((4, 2)), {"min_samples": 5}, r"needs at least 5 samples; got 4"),
        (np.zeros((3, 0)), {}, r"X needs at least 1 feature\(s\); got 0"),
        (np.zeros((3, 2)), {"min_features": 3}, r"needs at least 3 feature\(s\); got 2"),
        ([[1.0], [2.0]], {"name": "Z", "min_samples": 3}, r"^Z needs at least 3 samples"),
    ],
)
def test_check_features_rejects_bad_values_with_value_error(X, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_features(X, **kwargs)


@pytest.mark.parametrize(
    "X",
    [
        [["a", "b"], ["c", "d"]],
        np.array([[True, False], [False, True]]),
        np.array([[1 + 2j, 0], [0, 1]]),
        np.array([[1.0, "a"], [2.0, 3.0]], dtype=object),
        [[1.0, 2.0], [3.0]],  # ragged
    ],
    ids=["strings", "booleans", "complex", "object", "ragged"],
)
def test_check_features_rejects_non_numeric_input_with_type_error(X):
    with pytest.raises(TypeError, match=r"X must (contain real numbers|be a numeric array|contain numbers only)"):
        check_features(X)


# --------------------------------------------------------------------------- check_labels


def test_check_labels_converts_whole_floats_to_integers():
    result = check_labels([0.0, 1.0, -1.0])
    assert np.issubdtype(result.dtype, np.integer)
    np.testing.assert_array_equal(result, [0, 1, -1])


def test_check_labels_keeps_noise_label():
    np.testing.assert_array_equal(check_labels(np.array([-1, 0, 2])), [-1, 0, 2])


@pytest.mark.parametrize(
    ("labels", "kwargs", "match"),
    [
        ([[0, 1], [1, 0]], {}, r"labels must be a 1-D array; got shape \(2, 2\)"),
        ([], {}, r"labels is empty"),
        ([0, 1, 1], {"n_samples": 4}, r"labels has 3 entries but there are 4 samples"),
        ([0, 1], {"name": "y_true", "n_samples": 3}, r"^y_true has 2 entries"),
    ],
)
def test_check_labels_rejects_bad_shapes_with_value_error(labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_labels(labels, **kwargs)


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        (["a", "b"], r"labels must be integers"),
        ([True, False], r"labels must be integers"),
        ([0.5, 1.0], r"labels must be whole numbers"),
        (np.array([0, 1j]), r"labels must be integers; got dtype complex"),
    ],
    ids=["strings", "booleans", "fractions", "complex"],
)
def test_check_labels_rejects_non_integers_with_type_error(labels, match):
    with pytest.raises(TypeError, match=match):
        check_labels(labels)


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        ([0.0, np.nan, 1.0], r"^labels contains 1 NaN or infinite value\(s\)"),
        ([np.inf, 1.0, -np.inf], r"^labels contains 2 NaN or infinite value\(s\)"),
        (np.array([np.nan, 1.0], dtype=np.float32), r"^labels contains 1 NaN or infinite value\(s\)"),
    ],
    ids=["nan", "inf", "float32-nan"],
)
def test_check_labels_rejects_nan_and_inf_with_value_error_like_check_features(labels, match):
    with pytest.raises(ValueError, match=match):
        check_labels(labels)
    # the same problem in the features is a ValueError too: one kind of error for one kind of problem
    with pytest.raises(ValueError, match=r"NaN or infinite"):
        check_features(np.asarray(labels, dtype=float)[:, None])


def test_check_labels_names_the_argument_in_the_nan_message():
    with pytest.raises(ValueError, match=r"^y_pred contains 1 NaN"):
        check_labels([1.0, np.nan], name="y_pred")


# --------------------------------------------------------------------------- check_int / check_float / check_seed


def test_check_int_accepts_numpy_integers_and_returns_python_int():
    result = check_int(np.int64(7), name="k", minimum=1, maximum=7)
    assert result == 7 and type(result) is int


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (1.0, TypeError, r"k must be an integer; got 1\.0"),
        ("3", TypeError, r"k must be an integer"),
        (True, TypeError, r"k must be an integer; got True"),
        (0, ValueError, r"k must be >= 1; got 0"),
        (-5, ValueError, r"k must be >= 1; got -5"),
        (11, ValueError, r"k must be <= 10; got 11"),
    ],
)
def test_check_int_rejects_non_integers_and_out_of_range(value, error, match):
    with pytest.raises(error, match=match):
        check_int(value, name="k", minimum=1, maximum=10)


@pytest.mark.parametrize("value", [0.5, 1, np.float32(0.25), Fraction(1, 2)])
def test_check_float_accepts_real_numbers_and_returns_float(value):
    result = check_float(value, name="x", low=0.0, high=1.0)
    assert result == float(value) and type(result) is float


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "match"),
    [
        ("0.1", {}, TypeError, r"x must be a number"),
        (True, {}, TypeError, r"x must be a number"),
        (float("nan"), {}, ValueError, r"x must be finite; got nan"),
        (float("inf"), {}, ValueError, r"x must be finite; got inf"),
        (-0.1, {"low": 0.0}, ValueError, r"x must be >= 0\.0; got -0\.1"),
        (0.0, {"low": 0.0, "low_inclusive": False}, ValueError, r"x must be > 0\.0; got 0\.0"),
        (1.5, {"high": 1.0}, ValueError, r"x must be <= 1\.0; got 1\.5"),
        (1.0, {"high": 1.0, "high_inclusive": False}, ValueError, r"x must be < 1\.0; got 1\.0"),
    ],
)
def test_check_float_rejects_non_numbers_and_out_of_bounds(value, kwargs, error, match):
    with pytest.raises(error, match=match):
        check_float(value, name="x", **kwargs)


def test_check_float_accepts_inclusive_bounds_exactly():
    assert check_float(0.0, name="x", low=0.0) == 0.0
    assert check_float(1.0, name="x", high=1.0) == 1.0


def test_check_seed_accepts_zero_and_numpy_integers():
    assert check_seed(0) == 0
    assert check_seed(np.int32(12)) == 12
    assert check_seed(2**32 - 1) == 2**32 - 1
    np.random.default_rng(check_seed(2**32 - 1))  # every accepted seed is one NumPy takes


@pytest.mark.parametrize(
    ("seed", "error", "match"),
    [
        (None, TypeError, r"random_state must be an integer seed; None would make the result unrepeatable"),
        (-1, ValueError, r"random_state must be >= 0; got -1"),
        (1.5, TypeError, r"random_state must be an integer"),
        (2**32, ValueError, r"random_state must be <= 4294967295; got 4294967296"),  # NumPy's and Keras' limit
    ],
)
def test_check_seed_rejects_none_negative_and_non_integer(seed, error, match):
    with pytest.raises(error, match=match):
        check_seed(seed)


def test_check_k_range_is_the_one_convention_for_k_ranges():
    from helpers._validation import check_k_range

    assert check_k_range(np.array([5, 2, 3, 3])) == [2, 3, 5]  # any iterable, sorted, duplicates dropped
    assert check_k_range(range(1, 4)) == [1, 2, 3]
    with pytest.raises(ValueError, match="k_range value must be >= 2"):
        check_k_range([1, 2], minimum=2)
    with pytest.raises(ValueError, match="k_range value must be <= 9"):
        check_k_range([2, 10], maximum=9)
    with pytest.raises(ValueError, match="at least 2 different values"):
        check_k_range([4, 4])
    with pytest.raises(TypeError, match="k_range must be a sequence of integers"):
        check_k_range(7)
    with pytest.raises(TypeError, match="k_range value must be an integer"):
        check_k_range([2, 2.5])


# --------------------------------------------------------------------------- containers and classes


def test_as_numeric_array_turns_none_and_pandas_na_into_nan_and_refuses_text():
    from helpers._validation import as_numeric_array

    class NAType:  # stands in for pandas' NA, recognised by its type's name
        pass

    converted = as_numeric_array(np.array([[1, None], [NAType(), 2.5]], dtype=object))
    assert converted.dtype == np.float64
    np.testing.assert_array_equal(np.isnan(converted), [[False, True], [True, False]])
    assert as_numeric_array([[1, 2]]).dtype.kind == "i"  # numbers keep their dtype
    with pytest.raises(TypeError, match=r"x must contain numbers only; found 'a' \(str\)"):
        as_numeric_array(np.array([1.0, "a"], dtype=object))
    with pytest.raises(TypeError, match=r"X must contain numbers only; found True"):
        as_numeric_array(np.array([1.0, True], dtype=object), name="X")


def test_check_classes_codes_any_hashable_labels_in_sorted_order():
    from helpers._validation import check_classes

    codes, classes = check_classes(["b", "a", "b", "c"])
    assert codes.tolist() == [1, 0, 1, 2] and classes.tolist() == ["a", "b", "c"]
    codes, classes = check_classes(np.array([2.5, 0.5, 2.5]))
    assert codes.tolist() == [1, 0, 1] and classes.tolist() == [0.5, 2.5]
    codes, classes = check_classes(np.array([3, "x", 3], dtype=object))  # mixed types: sorted by type, then text
    assert codes.tolist() == [0, 1, 0] and classes.tolist() == [3, "x"]
    with pytest.raises(ValueError, match=r"y_true has 1 missing label\(s\) \(NaN or None, first at position 1\)"):
        check_classes([1.0, np.nan])
    with pytest.raises(ValueError, match=r"labels has 2 entries but there are 3 samples"):
        check_classes(["a", "b"], name="labels", n_samples=3)
    unhashable = np.empty(3, dtype=object)
    unhashable[:] = [1, 2, [3]]
    with pytest.raises(TypeError, match=r"y_true must hold hashable class labels"):
        check_classes(unhashable)


# --------------------------------------------------------------------------- bounds exactly at the limit


def test_every_minimum_and_maximum_is_inclusive():
    assert check_features(np.zeros((5, 3)), min_samples=5, min_features=3).shape == (5, 3)
    assert check_features(np.zeros(4), ndim=1, min_samples=4, min_features=9).shape == (4,)  # no features in 1-D
    assert check_int(1, name="k", minimum=1, maximum=10) == 1
    assert check_int(10, name="k", minimum=1, maximum=10) == 10
    assert check_float(0.25, name="x", low=0.0, high=0.5, low_inclusive=False, high_inclusive=False) == 0.25
    assert check_float(-3.0, name="x", high=0.5, high_inclusive=False) == -3.0  # only the bounds given apply
    assert check_float(7.0, name="x", low=0.5, low_inclusive=False) == 7.0


def test_check_k_range_names_an_example_from_its_minimum():
    from helpers._validation import check_k_range

    with pytest.raises(ValueError, match=r"e\.g\. range\(2, 11\); got \[3\]"):
        check_k_range([3, 3], minimum=2)
    with pytest.raises(ValueError, match=r"e\.g\. range\(1, 11\); got \[5\]"):
        check_k_range([5], minimum=0)


def test_check_classes_codes_integers_and_booleans_and_keeps_their_dtype():
    from helpers._validation import check_classes

    codes, classes = check_classes(np.array([7, 3, 7, 5]))
    assert codes.tolist() == [2, 0, 2, 1] and codes.dtype == np.int64 and classes.tolist() == [3, 5, 7]
    codes, classes = check_classes(np.array([True, False, True]))
    assert codes.tolist() == [1, 0, 1] and classes.dtype == bool
    codes, classes = check_classes([2.0, 1.0, 2.0])
    assert codes.tolist() == [1, 0, 1] and classes.dtype == np.float64
    with pytest.raises(ValueError, match=r"^y_true has 3 entries but there are 2 samples"):
        check_classes([1, 2, 3], n_samples=2)
    with pytest.raises(ValueError, match=r"^y_true is empty"):
        check_classes([])
    with pytest.raises(ValueError, match=r"^y_true must be a 1-D array; got shape \(1, 2\)"):
        check_classes([[1, 2]])
    with pytest.raises(TypeError, match=r"y_true must hold class labels; got dtype complex"):
        check_classes(np.array([1j, 2j]))


def test_check_classes_gives_float_classes_as_float64_and_object_numbers_as_they_are():
    from helpers._validation import check_classes

    codes, classes = check_classes(np.array([2.5, 0.5, 2.5], dtype=np.float32))
    assert codes.tolist() == [1, 0, 1] and classes.dtype == np.float64 and classes.tolist() == [0.5, 2.5]
    _, classes = check_classes(np.array([3, 1, 3], dtype=object))
    assert classes.dtype == object and classes.tolist() == [1, 3]


def test_as_numeric_array_refuses_ragged_rows_with_a_type_error():
    from helpers._validation import as_numeric_array

    with pytest.raises(TypeError, match=r"^data must be a numeric array; got list"):
        as_numeric_array([[1.0, 2.0], [3.0]], name="data")


def test_check_classes_names_the_first_missing_label_and_refuses_ragged_input():
    from helpers._validation import check_classes

    with pytest.raises(ValueError, match=r"has 2 missing label\(s\) \(NaN or None, first at position 1\)"):
        check_classes([1.0, np.nan, 2.0, np.nan])
    with pytest.raises(TypeError, match=r"^y_true must be a 1-D sequence of class labels; got list"):
        check_classes([[1], [1, 2]])


def test_check_k_range_accepts_exactly_two_values():
    from helpers._validation import check_k_range

    assert check_k_range([3, 2]) == [2, 3]
    with pytest.raises(ValueError, match=r"k_range value must be >= 1; got 0"):  # no zero clusters by default
        check_k_range([0, 2])


# --------------------------------------------------------------------------- learner data (issue 21, item 5)


@pytest.mark.parametrize("dtype", ["Float64", "Int64"])
def test_check_features_takes_a_nullable_pandas_frame_as_the_models_do(dtype):
    """A learner's table read with pandas' nullable types (no value missing) is numbers, not 'dtype object'."""
    pd = pytest.importorskip("pandas")
    values = np.arange(12.0).reshape(6, 2)
    result = check_features(pd.DataFrame(values).astype(dtype))
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, values)


def test_check_features_counts_pandas_na_as_a_missing_value():
    """pd.NA in a learner's nullable column is a missing value, reported like NaN, not a wrong dtype."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(np.arange(12.0).reshape(6, 2)).astype("Float64")
    frame.iloc[2, 1] = pd.NA
    with pytest.raises(ValueError, match=r"^X contains 1 NaN or infinite value\(s\), the first in column 1, row 2 "
                                         r"\(counting from 0\); clean or impute them first$"):
        check_features(frame)


def test_a_bad_value_is_located_by_row_and_column_name():
    """A learner's probe: a DataFrame with one boolean, text or NaN cell among numbers got "found True (bool)" or
    "contains 1 NaN" with no word of where; the message names the row and the column (a DataFrame's name, else its
    number), and says how to turn true/false into numbers."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"age": [31.0, 45.0, 27.0], "member": [True, False, True], "city": ["Oslo", "Rome", "Lima"]})
    with pytest.raises(TypeError, match=r"^X must contain numbers only; found True \(bool\) in column 'member', row 0 "
                                        r"\(counting from 0\); convert true/false columns with \.astype\(float\), 1 for true$"):
        check_features(frame[["age", "member"]])
    with pytest.raises(TypeError, match=r"^X must contain numbers only; found 'Oslo' \(str\) in column 'city', row 0 "
                                        r"\(counting from 0\)$"):
        check_features(frame[["age", "city"]])
    values = np.arange(12.0).reshape(4, 3)
    values[2, 1], values[3, 0] = np.inf, np.nan
    with pytest.raises(ValueError, match=r"^X contains 2 NaN or infinite value\(s\), the first in row 2, column 1 "
                                         r"\(counting from 0\); clean"):
        check_features(values)
    with pytest.raises(ValueError, match=r"the first in column 'b', row 2 \(counting from 0\); clean"):
        check_features(pd.DataFrame(values, columns=["a", "b", "c"]))
    filtered = pd.DataFrame(values, columns=["a", "b", "c"], index=[101, 102, 103, 104]).iloc[1:]  # rows 102-104
    with pytest.raises(ValueError, match=r"the first in column 'b', row 1 \(counting from 0; its index label is 103\); "):
        check_features(filtered)  # df.loc[1] would not find it: the label is named too
    with pytest.raises(TypeError, match=r"in column 'member', row 0 \(counting from 0; its index label is 'ann'\)"):
        check_features(frame[["age", "member"]].set_axis(["ann", "bo", "cy"]))
    with pytest.raises(ValueError, match=r"the first in column 1, row 2 \(counting from 0\); "):  # a label, not text
        check_features(pd.DataFrame(values).iloc[:, [1, 2, 0]])  # at position 0 now, the label 1 named
    with pytest.raises(ValueError, match=r"the first at position 1 \(counting from 0; its index label is 'bo'\); "):
        check_features(pd.Series([1.0, np.nan, 2.0], index=["ann", "bo", "cy"]), ndim=1)
    with pytest.raises(TypeError, match=r"^X must contain real numbers; got dtype <U\d+ \(text, such as 'n/a' in row 1, "
                                        r"column 0 \(counting from 0\)\)$"):
        check_features([[1.0, 2.0], ["n/a", "3.5"]])  # NumPy made every value text: the first that is not a number
    with pytest.raises(ValueError, match=r"^w contains 1 NaN or infinite value\(s\), the first at position 4 "
                                         r"\(counting from 0\); clean"):
        check_features([0.0, 1.0, 2.0, 3.0, np.nan], name="w", ndim=1)


def test_a_nullable_pandas_table_is_converted_column_by_column_not_value_by_value(monkeypatch):
    """Element by element, 50,000 x 200 nullable values took 13 s in every fit, predict and standardize."""
    pd = pytest.importorskip("pandas")
    from helpers import _validation

    def one_by_one(value, name):
        raise AssertionError("converted value by value")

    monkeypatch.setattr(_validation, "_to_float", one_by_one)
    frame = pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "b": [0.5, 1.5, 2.5],
                          "c": pd.array([2.0, 1.0, None], dtype="Float64"), "d": np.array([7, 8, 9], np.uint8)})
    frame.columns = ["a", "b", "a", "d"]  # repeated names: still one column each
    np.testing.assert_array_equal(as_numeric_array(frame), [[1, 0.5, 2, 7], [np.nan, 1.5, 1, 8], [3, 2.5, np.nan, 9]])
    np.testing.assert_array_equal(as_numeric_array(frame.iloc[:, 0]), [1, np.nan, 3])  # a Series
    with pytest.raises(ValueError, match=r"^X contains 2 NaN or infinite value\(s\)"):
        check_features(frame)
    floats = pd.DataFrame({"a": pd.array([1.5, None], dtype="Float32"), "b": np.array([2.5, 3.5], np.float32)})
    assert as_numeric_array(floats).dtype == np.float32  # float32 stays float32, as for an array
    with pytest.raises(TypeError, match="must contain numbers only; found Timestamp"):
        as_numeric_array(pd.Timestamp("2024-01-01"))  # a pandas value alone, not a table
    assert np.isnan(as_numeric_array(pd.NA))
    booleans = pd.DataFrame({"a": pd.array([1, 2], dtype="Int64"), "flag": pd.array([True, None], dtype="boolean")})
    monkeypatch.undo()
    with pytest.raises(TypeError, match="must contain numbers only; found True"):  # booleans are not measurements
        as_numeric_array(booleans)


def test_as_numeric_array_refuses_an_integer_too_large_for_a_float_in_one_sentence():
    """A cell like 10**400 in a learner's list raised a bare OverflowError from float()."""
    with pytest.raises(ValueError, match=r"^x holds a number too large for a float \(401 digits\); "
                                         r"scale the data first$"):
        as_numeric_array([[10**400, 1], [2, 3]])


def test_check_labels_refuses_float_labels_beyond_the_int64_range():
    """Float cluster ids like 1e19 and 2e19 wrapped round to one int64 value: two clusters silently merged."""
    with pytest.raises(ValueError, match=r"^labels must be whole numbers within the 64-bit integer range; "
                                         r"got 2e\+19$"):
        check_labels([1e19, 1e19, 2e19, 2e19])
    assert check_labels([2.0**62, -(2.0**62)]).tolist() == [2**62, -(2**62)]  # large but exact: kept


def test_check_labels_refuses_two_to_the_63_the_first_float_an_int64_cannot_hold():
    with pytest.raises(ValueError, match=r"^labels must be whole numbers within the 64-bit integer range; "
                                         r"got 9\.22337e\+18$"):
        check_labels([0.0, 2.0**63])


def test_check_classes_names_the_first_of_several_infinite_labels():
    with pytest.raises(ValueError, match=r"^y_true has 2 infinite label\(s\) \(first at position 1\)"):
        check_classes([0.0, np.inf, 1.0, -np.inf])


@pytest.mark.parametrize(
    "y",
    [[0, np.inf, 1, 1], np.array([0.0, 1.0, -np.inf, 1.0]), np.array([0, 1, float("inf"), "a"], dtype=object)],
    ids=["list", "array", "mixed"],
)
def test_check_classes_refuses_infinite_class_labels(y):
    """scikit-learn's metrics refuse infinity as a class; check_classes used to count it as one more class."""
    with pytest.raises(ValueError, match=r"^y_true has 1 infinite label\(s\) \(first at position [12]\); "
                                         r"a class must be a finite number or text$"):
        check_classes(y)


# -- check_score -----------------------------------------------------------------------------------


def test_check_score_takes_any_real_number_including_nan_and_infinity():
    assert check_score(np.float32(0.5), name="s") == 0.5
    assert type(check_score(1, name="s")) is float
    assert np.isnan(check_score(float("nan"), name="s"))
    assert check_score(-np.inf, name="s") == -np.inf


@pytest.mark.parametrize("value", [None, "0.5", True, 1 + 2j])
def test_check_score_names_a_value_that_is_not_a_number(value):
    with pytest.raises(TypeError, match=rf"^row\['ari'\] must be a number \(NaN for a score not measured\); got "):
        check_score(value, name="row['ari']")


# --------------------------------------------------------------------------- labels held as Python objects


@pytest.mark.parametrize("y", [["barolo", np.nan, "grignolino"], ("barolo", None, "grignolino"),
                               ["barolo", float("nan"), "grignolino"]], ids=["nan", "none-tuple", "float-nan"])
def test_check_classes_finds_a_missing_label_among_text_in_a_list(y):
    """NumPy turned the NaN of ["barolo", nan, ...] into the text 'nan': a class of its own, not a gap."""
    with pytest.raises(ValueError, match=r"^y_true has 1 missing label\(s\) \(NaN or None, first at position 1\)"):
        check_classes(y)


def test_check_classes_keeps_the_number_1_and_the_text_1_apart_in_a_list():
    codes, classes = check_classes(["1", 1, "1", 2])
    assert codes.tolist() == [2, 0, 2, 1] and classes.tolist() == [1, 2, "1"]
    codes, classes = check_classes(["b", "a", "b"])  # plain text still comes back as NumPy text
    assert codes.tolist() == [1, 0, 1] and classes.dtype.kind == "U"


def test_check_labels_reads_integers_held_as_objects_and_names_a_missing_one():
    """An object array of ints (a pandas column of mixed or nullable type) was called "not integers"."""
    as_objects = np.array([0, 2, np.int64(1), -1], dtype=object)
    result = check_labels(as_objects)
    assert result.dtype == np.int64 and result.tolist() == [0, 2, 1, -1]
    assert check_labels(np.array([0.0, 1.0], dtype=object)).tolist() == [0, 1]
    with pytest.raises(ValueError, match=r"^labels has 1 missing label\(s\) \(NaN or None, first at position 2\)"):
        check_labels(np.array([0, 1, None], dtype=object))
    with pytest.raises(TypeError, match=r"^labels must be integers; got dtype object"):
        check_labels(np.array([0, "a"], dtype=object))
    with pytest.raises(TypeError, match=r"^labels must be integers; got dtype object"):
        check_labels(np.array([True, 1], dtype=object))
    with pytest.raises(TypeError, match=r"^labels must be whole numbers"):
        check_labels(np.array([0, 0.5], dtype=object))
    assert check_labels(np.array([-(2**63), 1], dtype=object)).tolist() == [-(2**63), 1]  # the int64 range's end
    with pytest.raises(ValueError, match=r"^labels must be whole numbers within the 64-bit integer range"):
        check_labels(np.array([2**63, 1], dtype=object))


@pytest.mark.parametrize("y", [np.array(["a", "a", "b", np.nan, "c"]), np.array(["a", "<NA>", "b", "b", "c"]),
                               np.array(["a", "b", " nan", "b", "c"]), np.array(["a", "b", "nan", 1], dtype=object)],
                         ids=["nan", "pandas-NA", "padded", "object"])
def test_check_classes_refuses_text_that_was_a_missing_value(y):
    """np.array(["a", nan]) holds the text 'nan': it became a class of its own and accuracy was scored on it."""
    with pytest.raises(ValueError, match=r"^y_true has 1 label\(s\) written as '(nan|<NA>)' \(first at position "
                                         r"[1-3]\): the text NumPy or pandas write for a missing value"):
        check_classes(y)
    with pytest.raises(ValueError, match=r"^y_true has 2 label\(s\) written as '' \(first at position 1\): the text "
                                         r"NumPy or pandas write for a missing value \(or a blank cell\)"):
        check_classes(np.array(["a", "", "b", "  ", "c"]))  # a blank cell read as text: scored as a class before
    # real classes, "None" among them (a severity, an answer)
    assert check_classes(np.array(["nano", "none", "NA", "None"]))[1].tolist() == ["NA", "None", "nano", "none"]


def test_check_features_gives_float16_as_float64_and_keeps_float32():
    """float16 reached NumPy's SVD ("array type float16 is unsupported in linalg") and overflowed sums."""
    half = np.array([[800.0, 1.0], [900.0, 2.0], [1000.0, 3.0]], dtype=np.float16)
    assert check_features(half).dtype == np.float64
    assert check_features(half.astype(np.float32)).dtype == np.float32
    np.linalg.svd(check_features(half) - check_features(half).mean(axis=0))  # runs


def test_labels_held_as_objects_are_checked_at_the_int64_ends_and_name_the_first_missing_one():
    as_objects = lambda *values: np.array(values, dtype=object)  # noqa: E731
    assert check_labels(as_objects(2**63 - 1, 0)).tolist() == [2**63 - 1, 0]
    for beyond in (2**63, -(2**63) - 1):
        with pytest.raises(ValueError, match=r"^labels must be whole numbers within the 64-bit integer range"):
            check_labels(as_objects(beyond, 0))
    with pytest.raises(ValueError, match=r"^labels has 2 missing label\(s\) \(NaN or None, first at position 1\)"):
        check_labels(as_objects(0, None, 1, None))
    with pytest.raises(ValueError, match=r"^y_true has 2 label\(s\) written as 'nan' \(first at position 1\)"):
        check_classes(np.array(["a", "nan", "b", "<NA>", "c"]))


def test_boolean_features_are_refused_with_the_conversion_that_works():
    """A learner's probe: 'X must contain real numbers; got dtype bool' left the learner to find the fix."""
    flags = np.array([[True, False], [False, True], [True, True]])
    with pytest.raises(TypeError, match=r"^X must contain real numbers; got dtype bool \(true/false values: convert "
                                        r"them with \.astype\(float\), 1 for true\)$"):
        check_features(flags)
    np.testing.assert_array_equal(check_features(flags.astype(float)), [[1, 0], [0, 1], [1, 1]])
    with pytest.raises(TypeError, match=r"got dtype <U1 \(text, such as 'a' in row 0, column 0 \(counting from 0\)\)$"):
        check_features(np.array([["a", "b"]] * 3))  # no true/false hint where it would not help


def test_a_typo_or_a_missing_value_code_is_named_before_scaling_hides_it():
    """A learner's probe of notebooks 01 and 03: one typo (100000 among values 60-140) scaled with the rest gave
    16 DBSCAN clusters at ARI 0.00, and the unscaled-columns warning sent the learner to StandardScaler, which is
    what broke it; a -999 code in 8 % of a column became a cluster. Both are named, scaled or not."""
    from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
    from sklearn.preprocessing import StandardScaler

    from helpers._validation import warn_if_far_out

    def said(X):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warned = warn_if_far_out(X, name="X", stacklevel=2)
        assert warned == bool(caught)
        return [str(w.message) for w in caught]

    rng = np.random.default_rng(4)
    y = np.repeat([0, 1, 2], 200)
    X = np.column_stack([np.array([60.0, 100.0, 140.0])[y] + rng.normal(0, 3, 600), rng.normal(170, 8, 600)])
    X[17, 0] = 100000.0
    raw, scaled = said(X), said(StandardScaler().fit_transform(X))
    assert len(raw) == 1 and raw[0].startswith("column 0 of X (counting from 0) has 1 value(s) far outside the rest "
                                               "(row(s) 17: 100000, 1,324 times the spread of the column's middle half "
                                               "beyond it), which make most of its spread: a typo, a code")
    assert scaled[0].split(": ", 1)[0] == raw[0].split(": ", 1)[0] and "1,324 times" in scaled[0]  # scaling keeps it
    X[17, 0] = 1000.0  # ten times too large: 11 IQRs out, within a plausible spread
    assert said(X) == []
    # a code held by 5 % of the rows, 13 IQRs beyond the quartiles (under 20) but 600 from every other value
    uniform = rng.uniform(0, 100, (400, 2))
    uniform[:20, 1] = -600.0
    assert said(uniform) == ["column 1 of X (counting from 0) holds -600 in 20 rows (5%), far from all its other "
                             "values: a code for a missing value, such as -999? Mark those cells missing (an empty "
                             "cell in a CSV file) or leave those rows out; kept, the rows that share it can become "
                             "a cluster of their own"]
    uniform[:20, 1] = -400.0  # 8 IQRs from the others: no code
    assert said(uniform) == []
    uniform[:4, 1] = -600.0  # 4 rows: 5 or more make a code
    uniform[4:20, 1] = rng.uniform(0, 100, 16)
    assert said(uniform) == []
    # long tails that are data, values at a natural bound (a pixel's 16), the top of a skewed column of few values,
    # the real tables: nothing
    assert said(np.exp(rng.normal(0, 1, (50000, 3)))) == []
    steps = 1.5 ** np.repeat(np.arange(11), [44, 35, 28, 22, 18, 14, 11, 9, 7, 6, 6])  # top value in 6 rows, 3 IQRs up
    assert said(np.column_stack([rng.normal(size=(200, 2)), steps])) == []
    for load in (load_digits, load_wine, load_breast_cancer, load_iris):
        assert said(load().data) == [], load.__name__
    assert said(X[:19]) == []  # under 20 rows there are no quartiles to trust



def test_the_far_out_warning_at_its_edges():
    """warn_if_far_out's bounds, each on a column whose quartiles are known exactly (found by a mutation run)."""
    from helpers._validation import warn_if_far_out

    def said(X):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warn_if_far_out(X, name="X", stacklevel=2)
        return [str(w.message) for w in caught]

    # arange(100) with its largest value moved out: quartiles 24.75 and 74.25 (IQR 49.5) whatever the largest is
    column = np.arange(100.0)
    column[-1] = 74.25 + 20 * 49.5  # exactly 20 IQRs beyond: not far
    assert said(column[:, None]) == []
    column[-1] += 1.0
    assert said(column[:, None])[0].startswith("column 0 of X (counting from 0) has 1 value(s) far outside the rest "
                                              "(row(s) 99: 1065.25, 20 times the spread")
    # twenty rows are enough, nineteen are not: the same far value among 0-18
    short = np.append(np.arange(19.0), 1e6)
    assert len(said(short[:, None])) == 1 and said(short[1:, None]) == []
    # far values that hold less than half of the column's squared deviations from its median: a tail, not a typo
    # (seed 5: the other rows' deviations from the median sum to -100, so a share of plain deviations would be more
    # than half; centred on 100, so that deviations from 0 would hold no share at all)
    rng = np.random.default_rng(5)
    tail = rng.normal(size=5000)
    tail[0] = 40.0  # about 29 IQRs out, but 1,600 of about 6,600 in squares
    assert said(100 + tail[:, None]) == []
    tail[:5] = 40.0 + np.arange(5)  # five such rows hold most of it; the first is shown
    assert "has 5 value(s) far outside the rest (row(s) 0, 1, 2, 3, 4: 140, 29 times" in said(100 + tail[:, None])[0]
    tail[:6] = 40.0  # more than five rows are counted, not listed
    assert "(row(s) 0, 1, 2, 3, 4 and 1 more: 140" in said(100 + tail[:, None])[0]
    # exactly half of the squares is not most of them: 1,250 rows at -1 and at +1, 99 at 0, one at 50 (2,500 of 5,000)
    half = np.concatenate([np.full(1250, -1.0), np.zeros(99), np.full(1250, 1.0), [50.0]])
    assert said(half[:, None]) == []
    half[-1] = 50.01
    assert len(said(half[:, None])) == 1
    # a column mostly of one value has no IQR: a few 1s among 0s are a flag, not far-out values
    flags = np.zeros(400)
    flags[:12] = 1.0
    assert said(np.column_stack([rng.normal(size=400), flags])) == []


def test_a_missing_value_code_at_its_edges():
    """Codes at the low and the high end, how many rows make one, and how far from the other values (exact
    quartiles: arange(400) / 4 with its lowest or highest rows replaced keeps quartiles 24.9375 and 74.8125)."""
    from helpers._validation import warn_if_far_out

    def said(column):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warn_if_far_out(column[:, None], name="X", stacklevel=2)
        return [str(w.message) for w in caught]

    iqr = 74.8125 - 24.9375
    low = np.arange(400.0) / 4
    low[:20] = 5.0 - 10 * iqr  # exactly 10 IQRs below the next value (5.0): not a code
    assert said(low) == []
    low[:20] -= 0.25
    assert said(low) == ["column 0 of X (counting from 0) holds -494 in 20 rows (5%), far from all its other values: "
                         "a code for a missing value, such as -999? Mark those cells missing (an empty cell in a CSV "
                         "file) or leave those rows out; kept, the rows that share it can become a cluster of their "
                         "own"]
    high = np.arange(400.0) / 4
    high[-20:] = 94.75 + 10 * iqr  # the same above the largest other value, 94.75
    assert said(high) == []
    high[-20:] += 0.25
    assert said(high)[0].startswith("column 0 of X (counting from 0) holds 593.75 in 20 rows (5%)")
    for rows, n, code in ((5, 400, True), (4, 400, False), (10, 1000, True), (9, 1000, False)):  # 5 rows and 1 %
        column = np.arange(float(n)) / (n / 100)
        column[:rows] = -600.0
        assert bool(said(column)) == code, (rows, n)


def test_far_out_values_are_said_instead_of_the_scaling_advice_at_the_callers_line():
    """warn_if_far_out_or_unscaled, the order choose_eps' and score_candidates' column checks share: a typo's
    column is named, not sent to StandardScaler; an unscaled table without one gets the scaling advice; each
    warning points at the line that called the checks' caller (stacklevel=2 here: this test's own line)."""
    from helpers._validation import warn_if_far_out_or_unscaled

    def said(X):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            line = sys._getframe().f_lineno + 1
            warn_if_far_out_or_unscaled(X, name="X", consequence="c", hint="h", stacklevel=2)
        assert all((w.filename, w.lineno) == (__file__, line) for w in caught)
        return [str(w.message).split(":")[0] for w in caught]

    rng = np.random.default_rng(0)
    typo = rng.normal(size=(300, 2))
    typo[5, 0] = 1e6  # also 1,000 times wider than column 1
    assert said(typo) == ["column 0 of X (counting from 0) has 1 value(s) far outside the rest (row(s) 5"]
    assert said(rng.normal(size=(300, 2)) * [1.0, 5000.0]) == ["the columns of X are on very different scales"]
    assert said(rng.normal(size=(300, 2))) == []


def test_numbers_written_as_text_are_named_as_such_not_a_bare_stopiteration():
    """A learner's probe: rows from the csv module, or np.loadtxt(dtype=str), are text that all reads as numbers;
    the search for the first non-number found none and raised a bare StopIteration."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO("1.5,2\n3,4\n5,7\n")))
    for given in (rows, np.array(rows), np.array(rows, dtype=bytes)):
        with pytest.raises(TypeError, match=r"^X must contain real numbers; got dtype [<|][US]\d \(numbers written as "
                                            r"text, such as .*1\.5.*: convert them with np\.asarray\(X, dtype=float\)\)$"):
            check_features(given)
    assert check_features(np.asarray(rows, dtype=float)).shape == (3, 2)  # the advice works


def test_decimal_values_are_numbers_as_tables_reads_them():
    """A learner's probe: a SQL numeric column arrives as decimal.Decimal; tables.from_array read it, while
    standardize and fit refused it as 'not numbers'."""
    from decimal import Decimal

    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [Decimal("1.5"), Decimal("2.5"), Decimal("4")], "b": [1.0, 2.0, 4.0]})
    np.testing.assert_array_equal(check_features(frame), [[1.5, 1.0], [2.5, 2.0], [4.0, 4.0]])
    with pytest.raises(ValueError, match=r"^X contains 1 NaN or infinite value\(s\), the first in column 'a', row 1"):
        check_features(frame.assign(a=[Decimal("1.5"), Decimal("NaN"), Decimal("4")]))
