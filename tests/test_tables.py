"""helpers.tables: reading a learner's table, and a clear error for every bad one."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from helpers import tables

GOOD = "name,alcohol,acid\na,12.5,3.0\nb,13.1,2.9\nc,11.0,2.5\n"


def write(tmp_path, text, name="table.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- tables that load ------------------------------------------------------------------------


def test_reads_numbers_in_file_order_with_ids(tmp_path):
    table = tables.read_csv(write(tmp_path, GOOD), id_column="name")
    assert table.columns == ("alcohol", "acid")
    np.testing.assert_array_equal(table.X, [[12.5, 3.0], [13.1, 2.9], [11.0, 2.5]])
    assert table.ids.tolist() == ["a", "b", "c"]
    assert table.notes == ()


def test_without_an_id_column_rows_are_named_by_their_line(tmp_path):
    table = tables.read_csv(write(tmp_path, "x,y\n1,2\n\n3,4\n5,7\n"))  # a blank line is skipped
    assert table.ids.tolist() == ["2", "4", "5"]
    np.testing.assert_array_equal(table.X[:, 1], [2, 4, 7])


def test_semicolons_and_a_byte_order_mark_are_understood(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffx;y\n1;2\n3;5\n".encode("utf-8"))
    table = tables.read_csv(path)
    assert table.columns == ("x", "y")
    np.testing.assert_array_equal(table.X, [[1, 2], [3, 5]])


def test_median_fills_each_gap_with_its_own_columns_median(tmp_path):
    table = tables.read_csv(write(tmp_path, "x,y\n1,10\n,20\n5,NA\n7,40\n"), missing="median")
    np.testing.assert_array_equal(table.X, [[1, 10], [5, 20], [5, 20], [7, 40]])
    assert any("'x'" in note and "median 5" in note for note in table.notes)


def test_drop_rows_leaves_out_exactly_the_incomplete_rows(tmp_path):
    table = tables.read_csv(write(tmp_path, "id,x,y\nr1,1,10\nr2,,20\nr3,5,?\nr4,7,40\n"), id_column="id",
                            missing="drop-rows")
    assert table.ids.tolist() == ["r1", "r4"]
    np.testing.assert_array_equal(table.X, [[1, 10], [7, 40]])


def test_one_hot_makes_one_0_1_column_per_category(tmp_path):
    table = tables.read_csv(write(tmp_path, "colour,x\nred,1\nblue,2\nred,3\n"), categorical="one-hot")
    assert table.columns == ("x", "colour=blue", "colour=red")
    np.testing.assert_array_equal(table.X[:, 1:], [[0, 1], [1, 0], [0, 1]])


def test_categorical_and_constant_columns_can_be_dropped_on_purpose(tmp_path):
    text = "colour,x,same\nred,1,4\nblue,2,4\nred,3,4\n"
    table = tables.read_csv(write(tmp_path, text), categorical="drop", constant="drop")
    assert table.columns == ("x",)
    assert len(table.notes) == 2
    assert tables.read_csv(write(tmp_path, text), drop=["colour", "same"]).columns == ("x",)


def test_from_array_takes_numbers_with_nan_as_missing():
    table = tables.from_array(np.array([[1.0, np.nan], [2.0, 4.0], [3.0, 8.0]]), ["a", "b"], missing="median")
    np.testing.assert_array_equal(table.X, [[1, 6], [2, 4], [3, 8]])
    assert table.ids.tolist() == ["0", "1", "2"]


def test_write_csv_round_trips(tmp_path):
    path = tables.write_csv(tmp_path / "out.csv", {"id": ["a", "b"], "cluster": np.array([2, 0]),
                                                   "confidence": np.array([0.98765432, 0.5])})
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["id", "cluster", "confidence"], ["a", "2", "0.987654"], ["b", "0", "0.5"]]


# -- bad tables: each error names the column (or line) and the problem -------------------------


def test_empty_file(tmp_path):
    with pytest.raises(ValueError, match=r"table\.csv is empty"):
        tables.read_csv(write(tmp_path, "  \n"))


def test_header_without_rows(tmp_path):
    with pytest.raises(ValueError, match="header row but no data rows"):
        tables.read_csv(write(tmp_path, "x,y\n"))


def test_no_numeric_column(tmp_path):
    with pytest.raises(ValueError, match=r"no numeric column.*'colour' \(text\)"):
        tables.read_csv(write(tmp_path, "colour,shape\nred,round\nblue,square\n"), categorical="drop")


def test_all_missing_column(tmp_path):
    with pytest.raises(ValueError, match=r"column 'acid' has no values: all 3 cells are missing"):
        tables.read_csv(write(tmp_path, "x,acid\n1,\n2,NA\n3,\n"))


def test_a_text_value_in_a_numeric_column_names_column_line_and_value(tmp_path):
    text = "x,alcohol\n1,12.5\n2,13.1\n3,12;7\n4,11.0\n"
    with pytest.raises(ValueError, match=r"column 'alcohol' holds numbers but line 4 has a value that is not a "
                                         r"number: '12;7'"):
        tables.read_csv(write(tmp_path, text), delimiter=",")


def test_a_decimal_comma_is_caught_not_read_as_a_category(tmp_path):
    with pytest.raises(ValueError, match=r"column 'x' holds numbers.*'1,5'"):
        tables.read_csv(write(tmp_path, "x;y\n1.0;2\n\"1,5\";3\n2.5;4\n3.5;1\n"), delimiter=";")


def test_constant_column(tmp_path):
    with pytest.raises(ValueError, match=r"column 'same' is constant \(every value is 4\)"):
        tables.read_csv(write(tmp_path, "x,same\n1,4\n2,4\n3,4\n"))


def test_categorical_column(tmp_path):
    with pytest.raises(ValueError, match=r"column 'colour' is categorical \(text such as 'blue', 'red'\)"):
        tables.read_csv(write(tmp_path, "colour,x\nred,1\nblue,2\nred,3\n"))


def test_a_text_column_with_a_new_value_in_every_row_suggests_id_column(tmp_path):
    with pytest.raises(ValueError, match=r"id_column='name'"):
        tables.read_csv(write(tmp_path, GOOD))


def test_missing_values_are_an_error_by_default_with_their_lines(tmp_path):
    with pytest.raises(ValueError, match=r"column 'y' has 2 missing value\(s\) \(line 3, line 5\)"):
        tables.read_csv(write(tmp_path, "x,y\n1,10\n2,\n3,30\n4,n/a\n"))


def test_ragged_row_names_its_line(tmp_path):
    with pytest.raises(ValueError, match=r"line 3 of .* has 3 values but the header names 2 columns"):
        tables.read_csv(write(tmp_path, "x,y\n1,2\n3,4,5\n"))


def test_unknown_column_in_options(tmp_path):
    with pytest.raises(ValueError, match=r"there is no column 'nmae'"):
        tables.read_csv(write(tmp_path, GOOD), id_column="nmae")


def test_repeated_column_name(tmp_path):
    with pytest.raises(ValueError, match=r"'x'.* more than once"):
        tables.read_csv(write(tmp_path, "x,x\n1,2\n3,4\n"))


def test_unknown_policy_is_refused(tmp_path):
    with pytest.raises(ValueError, match="missing must be one of"):
        tables.read_csv(write(tmp_path, GOOD), id_column="name", missing="mean")


def test_from_array_reports_infinite_values_by_column():
    with pytest.raises(ValueError, match=r"column 'b' has 1 infinite value"):
        tables.from_array(np.array([[1.0, 2.0], [2.0, np.inf], [3.0, 1.0]]), ["a", "b"])


def test_from_array_applies_the_same_checks_to_text():
    values = np.array([["red", "1"], ["blue", "2"], ["red", "3"]], dtype=object)
    with pytest.raises(ValueError, match=r"column 'colour' is categorical"):
        tables.from_array(values, ["colour", "v"])
    values[2, 1] = "x"
    with pytest.raises(ValueError, match=r"column 'v' holds numbers but row 2 .*'x'"):
        tables.from_array(values, ["colour", "v"], categorical="drop")
