"""helpers.tables: reading a learner's table, and a clear error for every bad one."""

from __future__ import annotations

import csv
import re
import warnings
from pathlib import Path

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
    table = tables.read_csv(write(tmp_path, "colour,x\nred,1\nblue,2\nred,3\ngreen,4\n"), categorical="one-hot")
    assert table.columns == ("x", "colour=blue", "colour=green", "colour=red")
    np.testing.assert_array_equal(table.X[:, 1:], [[0, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert table.notes[-1] == "turned the categorical column 'colour' into 3 0/1 columns"


@pytest.mark.parametrize(("levels", "kept"), [(("FALSE", "TRUE"), "TRUE"), (("yes", "no"), "yes"), (("N", "Y"), "Y"),
                                              (("blue", "red"), "red"), (("present", "absent"), "present"),
                                              (("yes", "true"), "yes")])
def test_a_two_valued_text_column_becomes_one_0_1_column(tmp_path, levels, kept):
    """A learner's probe: TRUE/FALSE one-hot made two mirror columns (one is 1 - the other), which doubles the
    column's weight in every distance. The kept column marks the value meaning yes, else the second in order
    (as scikit-learn's OneHotEncoder(drop="if_binary") keeps it)."""
    rows = [levels[i % 2] for i in range(6)]
    table = tables.read_csv(write(tmp_path, "flag,x\n" + "".join(f"{v},{i}\n" for i, v in enumerate(rows))),
                            categorical="one-hot")
    other = next(level for level in levels if level != kept)
    assert table.columns == ("x", f"flag={kept}")
    np.testing.assert_array_equal(table.X[:, 1], [float(v == kept) for v in rows])
    assert table.notes[-1] == (f"turned the two-valued column 'flag' into one 0/1 column, 'flag={kept}' (1 for "
                               f"{kept}, 0 for {other}): a column for {other} would only mirror it")
    assert tables.read_csv(write(tmp_path, "flag,x\n" + "".join(f"{v},{i}\n" for i, v in enumerate(rows))),
                           categorical="one-hot", drop=["flag"]).columns == ("x",)  # drop= names the text column


def test_one_hot_warns_of_values_that_differ_only_in_case(tmp_path):
    """A learner's probe: 'Red', 'red' and 'RED' became three 0/1 columns in silence."""
    path = write(tmp_path, "colour,x\nRed,1\nred,2\nblue,3\nRED,4\nBlue,5\ngreen,6\n")
    with pytest.warns(UserWarning, match=r"^column 'colour': one-hot told apart 'Blue', 'blue'; "
                                         r"'RED', 'Red', 'red', which differ only in upper and lower case") as caught:
        table = tables.read_csv(path, categorical="one-hot")
    assert caught[0].filename == __file__  # the warning points at the learner's call
    assert len(table.columns) == 7  # warned, not merged: only the learner knows 'Red' and 'red' are one value
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tables.read_csv(write(tmp_path, "colour,x\nred,1\nblue,2\nred,3\n"), categorical="one-hot")
    # two values that differ only in case make one 0/1 column, whose 1 and 0 split one value typed two ways
    with pytest.warns(UserWarning, match=r"^column 'smoker': one-hot told apart 'Yes', 'yes', which differ only"):
        table = tables.read_csv(write(tmp_path, "smoker,x\nYes,1\nyes,2\nYes,3\n"), categorical="one-hot")
    assert table.columns == ("x", "smoker=yes")


@pytest.mark.parametrize("values, shown", [
    ("a A b B c C", "'A', 'a'; 'B', 'b'; 'C', 'c', which"),  # three groups: all shown
    ("a A b B c C d D", "'A', 'a'; 'B', 'b'; 'C', 'c'; ..., which"),  # a fourth: left to "..."
    ("RED ReD rEd Red reD red x", "'RED', 'ReD', 'Red', 'rEd', 'reD', ..., which"),  # five spellings of six
])
def test_the_case_warning_shows_three_groups_and_five_spellings_at_most(tmp_path, values, shown):
    rows = "\n".join(f"{v},{i}" for i, v in enumerate(values.split()))
    with pytest.warns(UserWarning, match=re.escape(f"one-hot told apart {shown}")):
        tables.read_csv(write(tmp_path, f"colour,x\n{rows}\n"), categorical="one-hot")


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


def test_write_csv_writes_numbers_in_full_and_whole_floats_without_a_point(tmp_path):
    path = tables.write_csv(tmp_path / "out.csv", {"id": ["a", "b"], "cluster": np.array([2, 0]),
                                                   "confidence": np.array([0.98765432, 0.5]),
                                                   "big": [1700000000.0, 127.0], "small": np.float32([0.1, 2.5e-7])})
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["id", "cluster", "confidence", "big", "small"], ["a", "2", "0.98765432", "1700000000", "0.1"],
                    ["b", "0", "0.5", "127", "2.5e-07"]]


# -- decimal commas, encodings, delimiters ------------------------------------------------------


def test_decimal_commas_are_read_with_decimal_comma(tmp_path):
    path = write(tmp_path, "id;a;b\nr1;1,5;2\nr2;-3,25;4,5e2\nr3;,5;7\n")
    table = tables.read_csv(path, id_column="id", decimal=",")
    assert table.columns == ("a", "b")
    np.testing.assert_array_equal(table.X, [[1.5, 2.0], [-3.25, 450.0], [0.5, 7.0]])
    assert table.notes == ()


@pytest.mark.parametrize("options", [{}, {"categorical": "one-hot"}, {"categorical": "drop"}, {"delimiter": ";"}])
def test_decimal_commas_without_the_option_stop_with_the_fix_never_one_hot(tmp_path, options):
    path = write(tmp_path, "a;b\n1,5;2,5\n3,5;4,5\n2;1\n")
    with pytest.raises(ValueError) as caught:
        tables.read_csv(path, **options)
    message = str(caught.value)
    assert message.startswith("column 'a' holds numbers written with a comma ('1,5', '3,5', first at line 2)")
    assert "decimal=','" in message and "one-hot" not in message and "\n" not in message


def test_decimal_comma_refuses_a_decimal_point_it_could_misread(tmp_path):
    with pytest.raises(ValueError, match=r"column 'a' holds numbers with a decimal point \('1.234,5', first at line 3\)"):
        tables.read_csv(write(tmp_path, "a;b\n1,5;2\n1.234,5;3\n2;4\n"), decimal=",")
    with pytest.raises(ValueError, match=r"delimiter and decimal are both '\.': the values would split"):
        tables.read_csv(write(tmp_path, GOOD), delimiter=".", decimal=".")
    with pytest.raises(ValueError, match=r"holds numbers with a decimal point .* but decimal=','"):
        tables.read_csv(write(tmp_path, GOOD), delimiter=",", decimal=",")  # ',' for both: read, then refused
    with pytest.raises(ValueError, match=r"decimal must be one of"):
        tables.read_csv(write(tmp_path, GOOD), decimal=";")


def test_quoted_decimal_commas_in_a_comma_file_read_with_both_set_to_a_comma(tmp_path):
    """A learner's probe: "1,5","2,5" got 'use decimal=','', then 'save the file with ;', and delimiter=',' with
    decimal=',' was refused: no way to read the file. Unquoted, such a file cannot be read, and says why."""
    quoted = write(tmp_path, 'a,b\n"1,5","2,5"\n"3,5","4,5"\n')
    with pytest.raises(ValueError, match=r"read the file with decimal=','"):
        tables.read_csv(quoted)
    with pytest.raises(ValueError, match=r"in quotes \(\"1,5\",\"2,5\"\), read it with delimiter=',' as well$"):
        tables.read_csv(quoted, decimal=",")
    np.testing.assert_array_equal(tables.read_csv(quoted, delimiter=",", decimal=",").X, [[1.5, 2.5], [3.5, 4.5]])
    bare = write(tmp_path, "a,b\n1,5,2,5\n3,5,4,5\n")  # which comma is which? 1.5 and 2.5, or 1, 5.2 and 5?
    with pytest.raises(ValueError, match=r"comes out as one column named 'a,b': its header splits into 2 names at "
                                         r"',', and its rows into more values, because the decimal commas are not in "
                                         r"quotes.*save the file with ';' between the values"):
        tables.read_csv(bare, decimal=",")
    with pytest.raises(ValueError, match=r"line 2 of .* has 4 values but the header names 2 columns .*every number "
                                         r"with a decimal comma must be in quotes"):
        tables.read_csv(bare, delimiter=",", decimal=",")


@pytest.mark.parametrize(("text", "unreadable"), [
    ("a,b\n1,5,2,5\n3,5,4,5\n6,5\n7,5\n", True),  # half the rows split wider than the header: which comma is which?
    ("a,b,c\n1,5,2,5,3,5\n4,5,5,5,6,5\n", True),  # three names
    ("a,b\n1,5,2,5\n3,5\n4,5\n6,5\n", False),  # one row of four: a comma file of whole numbers, one row too long
    ("a,b\n1,5,2,5\n2,5,3,5\n3,5,1,5\n7,5\n8,5\n9,5\n9,5\n", False),  # 3 of 7 rows wider: under half
])
def test_decimal_commas_without_quotes_are_called_unreadable_when_half_the_rows_split_wider(tmp_path, text, unreadable):
    with pytest.raises(ValueError) as caught:
        tables.read_csv(write(tmp_path, text), decimal=",")
    assert ("No reader can tell which comma separates two values" in str(caught.value)) == unreadable
    assert unreadable or "split into 2 values at ','" in str(caught.value)


def test_a_compressed_file_is_named_as_such_and_a_home_folder_path_is_expanded(tmp_path, monkeypatch):
    """A learner's probe: a .csv.gz got 'not utf-8 text ... pass encoding=cp1252', which cannot help, and
    '~/data.csv' was not found (open() does not expand '~'; pandas.read_csv does)."""
    import bz2
    import gzip

    for name, compress in (("t.csv.gz", gzip.compress), ("t.csv.bz2", bz2.compress)):
        path = tmp_path / name
        path.write_bytes(compress(GOOD.encode()))
        for encoding in ("utf-8", "latin-1"):  # latin-1 decodes any byte: the check comes before decoding
            with pytest.raises(ValueError, match=r"is compressed \(gzip, bzip2, xz or zstd\), not a text table: "
                                                 r"decompress it first, or read it with pandas.read_csv"):
                tables.read_csv(path, id_column="name", encoding=encoding)
    zstd = tmp_path / "t.csv.zst"
    zstd.write_bytes(b"\x28\xb5\x2f\xfd" + bytes(range(128, 200)))
    with pytest.raises(ValueError, match=r"is compressed"):
        tables.read_csv(zstd)
    monkeypatch.setenv("HOME", str(tmp_path))
    write(tmp_path, GOOD, name="home.csv")
    assert tables.read_csv("~/home.csv", id_column="name").columns == ("alcohol", "acid")


def test_a_latin_1_file_names_the_encoding_option_and_reads_with_it(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("région;taux\nnord;1\nsud;2\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin\.csv is not utf-8 text \(byte b'\\xe9' at position 1\): pass the "
                                         r"file's encoding, e.g. encoding='cp1252'"):
        tables.read_csv(path)
    table = tables.read_csv(path, encoding="latin-1", id_column="région")
    assert table.columns == ("taux",) and table.ids.tolist() == ["nord", "sud"]
    with pytest.raises(ValueError, match=r"encoding 'latin-9000' is not a text encoding"):
        tables.read_csv(path, encoding="latin-9000")


def test_a_zip_archive_is_told_from_a_workbook_by_its_members(tmp_path):
    """A teacher's check: a zipped CSV (as Kaggle downloads often are) was called 'a spreadsheet workbook (Excel)'."""
    import zipfile

    archive, workbook = tmp_path / "t.csv.zip", tmp_path / "real.xlsx"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("t.csv", GOOD)
    with zipfile.ZipFile(workbook, "w") as handle:
        handle.writestr("[Content_Types].xml", "<Types/>")
        handle.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ValueError, match=r"t\.csv\.zip is a zip archive holding 't\.csv': extract the CSV file first, "
                                         r"or read it with pandas.read_csv"):
        tables.read_csv(archive)
    with pytest.raises(ValueError, match=r"real\.xlsx is a spreadsheet workbook \(Excel\), not a CSV file"):
        tables.read_csv(workbook, encoding="latin-1")


def test_a_csv_whose_first_column_is_named_pk_is_not_taken_for_a_workbook(tmp_path):
    """A header starting "PK" (a primary key column) begins with the two letters of a zip's signature, and was
    refused as an Excel workbook (hypothesis found a table with one column named PK); a zip's signature is four
    bytes, PK\\x03\\x04 (or \\x05\\x06, \\x07\\x08)."""
    path = tmp_path / "keys.csv"
    path.write_text("PK,x\n0.5,2\n1.5,3\n4.5,1\n", encoding="utf-8")
    table = tables.read_csv(path)
    assert table.columns == ("PK", "x") and table.X.tolist() == [[0.5, 2], [1.5, 3], [4.5, 1]]
    truncated = tmp_path / "broken.xlsx"
    truncated.write_bytes(b"PK\x03\x04" + bytes(range(128, 200)))
    with pytest.raises(ValueError, match="spreadsheet workbook"):
        tables.read_csv(truncated)


def test_a_workbook_or_utf16_file_is_named_as_such(tmp_path):
    workbook = tmp_path / "data.xlsx"
    workbook.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\xff\xfe" + bytes(range(128, 256)))
    with pytest.raises(ValueError, match=r"data\.xlsx is a spreadsheet workbook \(Excel\), not a CSV file"):
        tables.read_csv(workbook)
    wide = tmp_path / "wide.csv"
    wide.write_bytes("x,y\n1,2\n3,4\n".encode("utf-16-le"))
    with pytest.raises(ValueError, match=r"contains NUL bytes.*encoding='utf-16'"):
        tables.read_csv(wide)


def test_a_file_of_delimiters_only_is_a_clear_error_and_delimiter_rows_are_noted(tmp_path):
    with pytest.raises(ValueError, match=r"table\.csv holds no values: every line is empty or only delimiters"):
        tables.read_csv(write(tmp_path, ";;;\n;;;\n"))
    with pytest.raises(ValueError, match=r"header row but no data rows"):
        tables.read_csv(write(tmp_path, "x;y\n;\n;\n"))
    table = tables.read_csv(write(tmp_path, "x,y\n1,2\n,\n\n3,4\n,\n"))
    assert table.ids.tolist() == ["2", "5"]
    assert table.notes == ("skipped 2 line(s) holding only delimiters",)


def test_a_single_column_of_decimal_commas_is_ragged_with_a_hint_and_reads_with_the_option(tmp_path):
    path = write(tmp_path, "x\n0,5\n1,5\n")
    with pytest.raises(ValueError, match=r"line 2 of .* has 2 values but the header names 1 columns .*"
                                         r"If its numbers are written with a decimal comma \(1,5\), read it with "
                                         r"decimal=','\.$"):
        tables.read_csv(path)
    np.testing.assert_array_equal(tables.read_csv(path, decimal=",").X, [[0.5], [1.5]])
    # The hint only where a comma is the delimiter. (Without delimiter=';' this file was sniffed as one
    # column of text and the error was another one, so the check passed without reaching the hint.)
    with pytest.raises(ValueError, match=r"line 3 of .* has 3 values but the header names 2 columns") as caught:
        tables.read_csv(write(tmp_path, "x;y\n1;2\n3;4;5\n"), delimiter=";")
    assert "decimal" not in str(caught.value)


def test_underscores_in_numbers_are_text_not_thousands(tmp_path):
    with pytest.raises(ValueError, match=r"column 'x' holds numbers but line 3 has a value that is not a number: '1_000'"):
        tables.read_csv(write(tmp_path, "x\n1\n1_000\n3\n4\n"))


# -- data in memory: arrays and DataFrames ------------------------------------------------------


def test_from_array_names_rows_by_index_and_accepts_none_as_missing():
    table = tables.from_array([[1.0, 2.0], [2.0, None], [4.0, 3.0]], ["a", "b"], missing="drop-rows")
    assert table.ids.tolist() == ["0", "2"]
    np.testing.assert_array_equal(table.X, [[1, 2], [4, 3]])
    with pytest.raises(TypeError, match="values is a file name: read a file with read_csv"):
        tables.from_array("table.csv")
    with pytest.raises(ValueError, match=r"columns names 1 columns but values has 2"):
        tables.from_array(np.ones((3, 2)), ["a"])


class NAType:
    """Stands in for pandas' ``NA`` (recognised by its type's name), where pandas is not installed."""


class FrameLike:
    """The parts of a pandas DataFrame that tables uses: ``columns``, ``index``, ``to_numpy``."""

    def __init__(self, columns, rows, index):
        self.columns, self.index, self._rows = columns, index, rows

    def to_numpy(self, dtype=None):
        return np.array(self._rows, dtype=dtype)


def test_a_frame_keeps_its_column_names_and_index_and_na_is_missing_without_pandas():
    frame = FrameLike(["alcohol", "region", "acid"], [[12.5, "n", 3.0], [NAType(), "s", 2.5], [11.0, "n", 2.9]],
                      ["w1", "w2", "w3"])
    with pytest.raises(ValueError, match=r"column 'alcohol' has 1 missing value\(s\) \(row w2\)"):
        tables.from_array(frame, categorical="drop")
    table = tables.from_array(frame, categorical="drop", missing="median")
    assert table.columns == ("alcohol", "acid") and table.ids.tolist() == ["w1", "w2", "w3"]
    np.testing.assert_array_equal(table.X[:, 0], [12.5, 11.75, 11.0])


def test_a_dataframe_keeps_its_column_names_and_index_and_pandas_na_is_missing():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"alcohol": pd.array([12.5, pd.NA, 11.0, 14.0], dtype="Float64"),
                          "magnesium": pd.array([100, 95, pd.NA, 120], dtype="Int64"),
                          "region": ["n", "s", "n", "s"]},
                         index=["w1", "w2", "w3", "w4"])
    with pytest.raises(ValueError, match=r"column 'alcohol' has 1 missing value\(s\) \(row w2\)"):
        tables.from_array(frame, categorical="drop")
    table = tables.from_array(frame, categorical="drop", missing="median")
    assert table.columns == ("alcohol", "magnesium")
    assert table.ids.tolist() == ["w1", "w2", "w3", "w4"]
    np.testing.assert_array_equal(table.X, [[12.5, 100], [12.5, 95], [11.0, 100], [14.0, 120]])
    assert table.notes[0] == "left out the text column 'region' (2 different values)"
    with pytest.raises(TypeError, match="a DataFrame brings its own column names"):
        tables.from_array(frame, ["a", "b", "c"])
    np.testing.assert_array_equal(tables.from_array(frame.dropna(), id_column="region").X, [[12.5, 100], [14.0, 120]])


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


def test_a_decimal_comma_among_decimal_points_is_caught_not_read_as_a_category(tmp_path):
    with pytest.raises(ValueError, match=r"column 'x' mixes numbers with a decimal comma \('1,5', first at line 3\) "
                                         r"and with a decimal point \('1.0', '2.5', '3.5', first at line 2\)"):
        tables.read_csv(write(tmp_path, "x;y\n1.0;2\n\"1,5\";3\n2.5;4\n3.5;1\n"), delimiter=";")


def test_constant_column(tmp_path):
    with pytest.raises(ValueError, match=r"column 'same' is constant \(every value is 4\)"):
        tables.read_csv(write(tmp_path, "x,same\n1,4\n2,4\n3,4\n"))


def test_categorical_column(tmp_path):
    with pytest.raises(ValueError, match=r"column 'colour' is categorical \(text such as 'blue', 'red'\)"):
        tables.read_csv(write(tmp_path, "colour,x\nred,1\nblue,2\nred,3\n"))


def test_the_categorical_message_says_to_keep_a_class_aside_before_it_offers_one_hot(tmp_path):
    """A learner's probe: iris with its species column got only 'turn it into 0/1 columns with one-hot', and
    one-hot put the answer among the features (clusters with ARI 1.00 against the species)."""
    with pytest.raises(ValueError, match=r"drop=\['species'\] or categorical='drop' \(do so with a class you want "
                                         r"the clusters to find: keep it aside to compare with\), or turn it into "
                                         r"0/1 columns with categorical='one-hot'$"):
        tables.read_csv(write(tmp_path, "species,x\nsetosa,1\nvirginica,2\nsetosa,3\n"))


def test_a_text_column_with_a_new_value_in_every_row_suggests_id_column(tmp_path):
    with pytest.raises(ValueError, match=r"id_column='name'"):
        tables.read_csv(write(tmp_path, GOOD))


def test_missing_values_are_an_error_by_default_with_their_lines(tmp_path):
    with pytest.raises(ValueError, match=r"column 'y' has 2 missing value\(s\) \(line 3, line 5\)"):
        tables.read_csv(write(tmp_path, "x,y\n1,10\n2,\n3,30\n4,n/a\n"))


def test_ragged_row_names_its_line(tmp_path):
    with pytest.raises(ValueError, match=r"line 3 of .* has 3 values but the header names 2 columns"):
        tables.read_csv(write(tmp_path, "x,y\n1,2\n3,4,5\n"))


def test_a_short_line_in_a_comma_file_gets_no_decimal_comma_hint(tmp_path):
    """A value left out (fewer values than columns) cannot come from decimal commas, which add values;
    the hint would send the learner to decimal=',', which then refuses the comma file."""
    with pytest.raises(ValueError, match=r"line 3 of .* has 1 values but the header names 2 columns") as error:
        tables.read_csv(write(tmp_path, "x,y\n1,2\n3\n"))
    assert "decimal" not in str(error.value)


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


# -- edges the mutation run (benchmarks/mutation.py) showed untested ---------------------------


def test_a_header_cell_without_a_name_is_named_by_its_position(tmp_path):
    with pytest.raises(ValueError, match=r"^column 2 has no name in the header"):
        tables.read_csv(write(tmp_path, "x,,y\n1,2,3\n4,5,6\n"))


def test_drop_rows_notes_how_many_rows_it_left_out_and_which(tmp_path):
    """A learner's probe: after drop-rows, evaluate said 'labels has 147 entries but there are 150 samples', and
    nothing said which rows had gone."""
    table = tables.read_csv(write(tmp_path, "x,y\n1,10\n2,\n3,30\n4,40\n"), missing="drop-rows")
    assert table.notes == ("left out 1 row(s) with missing values (line 3)",)
    frame = np.array([[1.0, np.nan], [2.0, 5.0], [np.nan, 1.0], [4.0, 4.0], [5.0, 2.0]])
    assert tables.from_array(frame, missing="drop-rows").notes == ("left out 2 row(s) with missing values (row 0, "
                                                                   "row 2)",)


def test_decimal_comma_never_takes_the_comma_for_the_delimiter_even_in_the_header(tmp_path):
    # Column names holding a comma ("weight, kg") make the comma look like the separator to a sniffer
    # that is allowed to choose it; with decimal=',' only ';' or a tab may be the separator.
    table = tables.read_csv(write(tmp_path, "weight, kg;length, m\n1,5;2,5\n3,5;4,5\n2,5;1,5\n"), decimal=",")
    assert table.columns == ("weight, kg", "length, m")
    np.testing.assert_array_equal(table.X, [[1.5, 2.5], [3.5, 4.5], [2.5, 1.5]])


@pytest.mark.parametrize("delimiter", [";;", "", 5, "\n", '"'])
def test_a_delimiter_that_is_not_one_plain_character_is_refused_clearly(tmp_path, delimiter):
    with pytest.raises(ValueError, match=r"delimiter must be one character such as ','"):
        tables.read_csv(write(tmp_path, GOOD), delimiter=delimiter)


def test_a_series_like_object_is_an_array_not_a_frame():
    class SeriesLike:  # pandas' Series: to_numpy and an index, but no columns
        index = [0, 1, 2]

        def to_numpy(self, dtype=None):
            return np.array([1.0, 2.0, 3.0], dtype=dtype)

        def __array__(self, dtype=None, copy=None):
            return self.to_numpy(dtype)

    with pytest.raises(ValueError, match=r"values must be a 2-D table \(rows x columns\); got shape \(3,\)"):
        tables.from_array(SeriesLike())


def test_infinite_values_are_reported_in_the_first_column_that_has_them_not_the_first_row():
    values = np.array([[1.0, np.inf, 2.0], [2.0, 3.0, -np.inf], [3.0, np.inf, 5.0]])
    with pytest.raises(ValueError, match=r"^column 'b' has 2 infinite value\(s\)"):
        tables.from_array(values, ["a", "b", "c"])


def test_of_two_constant_columns_the_message_shows_the_first_ones_value(tmp_path):
    with pytest.raises(ValueError, match=r"^column 'a' is constant \(every value is 4\).* drop=\['a'\] or "):
        tables.read_csv(write(tmp_path, "x,a,b\n1,4,7\n2,4,7\n3,4,7\n"))


def test_a_missing_cell_in_a_text_column_is_no_category_and_an_all_missing_column_has_no_values():
    values = np.array([["red", 1.0], [None, 2.0], ["blue", 3.0], ["red", 4.0]], dtype=object)
    table = tables.from_array(values, ["colour", "v"], categorical="one-hot", missing="median")
    assert table.columns == ("v", "colour=red")  # two values: one 0/1 column
    np.testing.assert_array_equal(table.X[:, 1], [1, 1, 0, 1])  # the gap filled by the median of 1, 0, 1
    with pytest.raises(ValueError, match=r"^column 'b' has no values: all 3 cells are missing"):
        tables.from_array([[1.0, None], [2.0, np.nan], [3.0, None]], ["a", "b"], missing="median")


def test_an_underscore_number_is_a_typo_among_numbers_not_a_gap(tmp_path):
    # Two numbers and one "1_000": a typo in a numeric column (were it also counted missing, the
    # column would look like text, a category).
    with pytest.raises(ValueError, match=r"column 'x' holds numbers but line 3 has a value that is not a number"):
        tables.read_csv(write(tmp_path, "x,y\n1,5\n1_000,6\n3,8\n"))


def test_an_error_lists_five_lines_then_how_many_more(tmp_path):
    text = "x,y\n" + "".join(f"{i},{'' if i < 7 else i}\n" for i in range(9))
    with pytest.raises(ValueError, match=r"column 'y' has 7 missing value\(s\) \(line 2, line 3, line 4, line 5, "
                                         r"line 6 and 2 more\)"):
        tables.read_csv(write(tmp_path, text))


def test_one_data_row_is_too_few(tmp_path):
    with pytest.raises(ValueError, match=r"^the table has 1 data row\(s\); clustering needs at least 2"):
        tables.read_csv(write(tmp_path, "x,y\n1,2\n"))
    with pytest.raises(ValueError, match=r"^the table has 0 data row\(s\)"):
        tables.from_array(np.empty((0, 2)))


def test_an_array_without_columns_is_named_as_such():
    with pytest.raises(ValueError, match=r"^values has no columns$"):
        tables.from_array(np.empty((3, 0)))


def test_long_lists_of_columns_in_messages_and_notes_stop_at_twenty():
    names = [f"c{j}" for j in range(22)]
    text = np.array([[f"a{j}" for j in range(22)], [f"b{j}" for j in range(22)]], dtype=object)
    with pytest.raises(ValueError) as caught:
        tables.from_array(text, names, categorical="drop")
    message = str(caught.value)
    assert "'c19' (text)" in message and "'c20'" not in message and message.endswith(", ...")
    flat = np.column_stack([np.arange(3.0)] + [np.full(3, 7.0)] * 22)
    table = tables.from_array(flat, ["x"] + names, constant="drop")
    assert table.columns == ("x",)
    assert table.notes[-1].startswith("left out the constant column(s) 'c0', 'c1'")
    assert "'c19'" in table.notes[-1] and "'c20'" not in table.notes[-1] and table.notes[-1].endswith(", ...")


def test_constant_drop_keeps_the_values_of_the_columns_that_change(tmp_path):
    table = tables.read_csv(write(tmp_path, "a,same,b,also\n1,4,10,0\n2,4,30,0\n3,4,20,0\n"), constant="drop")
    assert table.columns == ("a", "b")
    np.testing.assert_array_equal(table.X, [[1, 10], [2, 30], [3, 20]])
    assert table.notes == ("left out the constant column(s) 'same', 'also'",)


@pytest.mark.parametrize("columns", [{}, [], None, "ab", [("a",)], [["a", [1]]], [(1, [1, 2])], {"a": [1]}.items])
def test_write_csv_wants_name_value_pairs(tmp_path, columns):
    with pytest.raises(TypeError, match=r"^columns must be a (non-empty )?dict \(column name -> values\) or a? ?list of "
                                        r"\(name, values\) pairs"):
        tables.write_csv(tmp_path / "out.csv", columns)


def test_write_csv_takes_pairs_in_order_and_refuses_a_name_twice(tmp_path):
    """Notebook 05's export built {"sample": ..., "cluster": labels, **features}: a feature named cluster (a
    table read back from an earlier export) silently replaced the new clusters with the old ones."""
    path = tables.write_csv(tmp_path / "out.csv", [("sample", ["a", "b"]), ("cluster", [1, 0]), ("x", [0.5, 2.0])])
    assert open(path, encoding="utf-8").read().splitlines() == ["sample,cluster,x", "a,1,0.5", "b,0,2"]
    features = [("cluster", [7, 7]), ("confidence", [0.1, 0.2]), ("x", [1.0, 2.0])]
    with pytest.raises(ValueError, match=r"^column name\(s\) \['cluster', 'confidence'\] appear more than once: .*"
                                         r"drop them when loading it\)$"):
        tables.write_csv(tmp_path / "again.csv", [("cluster", [1, 0]), ("confidence", [0.9, 0.8]), *features])
    assert not (tmp_path / "again.csv").exists()  # refused before anything was written


@pytest.mark.parametrize(("values", "error", "message"), [
    ((v for v in [1, 2]), TypeError, r"column 'x' must be a sequence of values in row order \(a list, an array\); "
                                     r"got generator"),
    ({1, 2}, TypeError, r"must be a sequence of values in row order .*got set"),  # a set has no order
    (np.array(5.0), TypeError, r"must be a sequence of values in row order .*got ndarray"),  # 0-d: no len()
    (np.zeros((2, 1)), ValueError, r"column 'x' has shape \(2, 1\), one column held as a table: pass it flat, "
                                   r"values.ravel\(\)"),
    (3.5, TypeError, r"column 'x' must be a sequence of values .*got float"),
    ("ab", TypeError, r"column 'x' must be a sequence of values .*got str"),
    (np.zeros((2, 3)), ValueError, r"column 'x' has shape \(2, 3\), a table rather than one column; give each of its "
                                   r"columns a name, e.g. \*zip\(table.columns, table.X.T\)"),
])
def test_write_csv_refuses_a_column_that_is_not_one_column_of_values(tmp_path, values, error, message):
    """A learner's probe: ("X", table.X) wrote cells such as "[1. 2.]" in silence; a generator failed with
    "object of type 'generator' has no len()"."""
    with pytest.raises(error, match=message):
        tables.write_csv(tmp_path / "out.csv", [("sample", ["a", "b"]), ("x", values)])
    assert not (tmp_path / "out.csv").exists()


def test_a_pandas_categorical_of_numbers_is_not_read_as_a_measurement():
    """A learner's probe: df.assign(c=pd.Categorical([1, 2, 3, ...])) loaded c's codes as a numeric column,
    without a note, although the learner had declared the column categorical."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": np.arange(12.0) ** 1.5, "c": pd.Categorical([1, 2, 3] * 4)})
    with pytest.raises(ValueError, match=r"whose categories are numbers \(1, 2, 3, \.\.\.\): "):  # four: the first three
        tables.from_array(frame.assign(c=pd.Categorical([1, 2, 3, 4] * 3)))
    with pytest.raises(ValueError, match=r"^column 'c' is a pandas categorical column whose categories are numbers "
                                         r"\(1, 2, 3\): read as a feature, its numbers would count as measurements.*"
                                         r"df = df.astype\(\{'c': float\}\).*get_dummies\(df, columns=\['c'\]\); or "
                                         r"leave it out with drop=\['c'\]$"):
        tables.from_array(frame)
    with pytest.raises(ValueError, match=r"whose categories are numbers \(1, 2, 3\)"):  # numbers held as text
        tables.from_array(frame.assign(c=pd.Categorical(["1", "2", "3"] * 4)))
    with pytest.raises(ValueError, match=r"^column 'c' is categorical"):  # "NA" among text: a category of text
        tables.from_array(frame.assign(c=pd.Categorical(["NA", "x", "y"] * 4)))
    flags = tables.from_array(frame.assign(c=pd.Categorical([True, False] * 6)))  # booleans: read as 1 and 0
    assert flags.columns == ("a", "c") and any("true/false" in note for note in flags.notes)
    with pytest.raises(ValueError, match=r"^column 'c' looks like dates"):  # dates: their own message
        tables.from_array(frame.assign(c=pd.Categorical(pd.to_datetime(["2024-01-01", "2024-02-01"] * 6))))
    by_grade = tables.from_array(frame, id_column="c")  # naming the rows, not a feature: not refused
    assert by_grade.ids.tolist()[:3] == ["1", "2", "3"] and by_grade.columns == ("a",)
    assert tables.from_array(frame, drop=["c"]).columns == ("a",)
    assert tables.from_array(frame.astype({"c": float})).columns == ("a", "c")  # the first way on, as the message writes it
    assert tables.from_array(pd.get_dummies(frame, columns=["c"], dtype=float)).columns == ("a", "c_1", "c_2", "c_3")
    text = frame.assign(c=pd.Categorical(["x", "y", "z"] * 4))  # categories as text: the categorical= policy
    with pytest.raises(ValueError, match=r"^column 'c' is categorical \(text such as 'x', 'y', 'z'\)"):
        tables.from_array(text)
    assert tables.from_array(text, categorical="one-hot").columns == ("a", "c=x", "c=y", "c=z")


def test_row_names_that_repeat_or_are_empty_get_a_note_and_a_named_index_is_the_id_column():
    """A learner's probe: id_column with names ['x', 'x', 'y', ''] loaded without a word (the export's rows then
    share names), and from_array(df.set_index("sample"), id_column="sample") said there is no column 'sample'."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"sample": ["x", "x", "y", "", "z"], "a": [1.0, 2.0, 4.0, 8.0, 3.0], "b": [1.0, 0, 1, 5, 2]})
    table = tables.from_array(frame, id_column="sample")
    assert table.ids.tolist() == ["x", "x", "y", "", "z"]
    assert ("the names in 'sample' do not tell every row apart: 2 row(s) share a name with another, 1 have none; "
            "such rows are told apart only by their order") in table.notes
    twice_blank = tables.from_array(frame.assign(sample=["x", "", "y", "", "z"]), id_column="sample")
    assert any("0 row(s) share a name with another, 2 have none" in note for note in twice_blank.notes)
    indexed_repeats = frame.set_index("sample")  # the same names as the index: the same note
    for table in (tables.from_array(indexed_repeats), tables.from_array(indexed_repeats, id_column="sample")):
        assert ("the row names do not tell every row apart: 2 row(s) share a name with another, 1 have none; such "
                "rows are told apart only by their order") in table.notes
    unique = frame.assign(sample=["p", "q", "r", "s", "t"])
    assert not any("tell every row apart" in note for note in tables.from_array(unique, id_column="sample").notes)
    indexed = unique.set_index("sample")
    by_index = tables.from_array(indexed, id_column="sample")
    assert by_index.ids.tolist() == ["p", "q", "r", "s", "t"] and by_index.columns == ("a", "b")
    assert tables.from_array(indexed).ids.tolist() == by_index.ids.tolist()
    with pytest.raises(ValueError, match=r"there is no column 'name'"):
        tables.from_array(indexed, id_column="name")  # another name: still refused
    numbered = unique.assign(c=pd.Categorical([1, 2, 1, 2, 1]))  # drop= as one name, not a list
    assert tables.from_array(numbered, id_column="sample", drop="c").columns == ("a", "b")


def test_an_earlier_export_read_back_must_leave_its_clusters_out(tmp_path):
    """A learner's probe: read_csv("clusters.csv", id_column="sample") on notebook 05's own export loaded its
    cluster and confidence columns as features, handing the old clusters to the new clustering."""
    path = tables.write_csv(tmp_path / "clusters.csv", [("sample", list("abcd")), ("cluster", [0, 1, 0, 1]),
                                                       ("confidence", [1.0, 0.9, 0.8, 1.0]), ("x", [1.0, 5.0, 2.0, 6.0])])
    with pytest.raises(ValueError, match=r"^columns 'cluster' and 'confidence' look like an earlier clustering's "
                                         r"export .* drop=\['cluster', 'confidence'\]$"):
        tables.read_csv(path, id_column="sample")
    assert tables.read_csv(path, id_column="sample", drop=["cluster", "confidence"]).columns == ("x",)
    assert tables.read_csv(path, id_column="sample", drop=["confidence"]).columns == ("cluster", "x")  # one alone
    assert tables.read_csv(path, id_column="cluster", drop=["sample"]).columns == ("confidence", "x")  # names rows


def test_a_semicolon_file_whose_every_value_looks_like_thousands_warns(tmp_path):
    """A learner's probe: in a ';' file, a column of 57.438, 41.050, ... (every value from 1,000 up, written the
    European way) read as 57.438 in silence; the refusal needs plain values under 1,000 beside them."""
    import warnings

    rows = "".join(f"r{i};{v};{i}\n" for i, v in enumerate(["57.438", "41.050", "1.200", "3.007", "12.000"]))
    path = write(tmp_path, "id;income;n\n" + rows, name="incomes.csv")  # the cases below write table.csv
    with pytest.warns(UserWarning, match=r"^column 'income' of this ';'-separated file has a point before exactly "
                                         r"three digits in every value \('57.438', '41.050', '1.200', \.\.\.\): "
                                         r".*57.438 = 57438.*remove the points in the file") as caught:
        table = tables.read_csv(path, id_column="id")
    assert caught[0].filename == __file__ and table.X[0, 0] == pytest.approx(57.438)  # warned, read as written
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tables.read_csv(path, id_column="id", drop=["income"])
        tables.read_csv(path, id_column="id", drop="income")
        tables.read_csv(write(tmp_path, "id,income,n\n" + rows.replace(";", ",")), id_column="id")  # ',' file
        four = "".join(f"r{i};{v};{i}\n" for i, v in enumerate(["57.438", "41.050", "1.200", "3.007"]))
        tables.read_csv(write(tmp_path, "id;income;n\n" + four), id_column="id")  # under five values
        mixed = rows.replace("12.000", "12.5")  # one value with another count of decimals: decimals
        tables.read_csv(write(tmp_path, "id;income;n\n" + mixed), id_column="id")
        millions = rows.replace("57.438", "1.057.438")  # two points: no decimal reading; refused, with no warning
        with pytest.raises(ValueError):
            tables.read_csv(write(tmp_path, "id;income;n\n" + millions), id_column="id")
    with pytest.warns(UserWarning, match=r"Read as decimals they lie between 1 and 1,000: if that is their size, "
                                         r"ignore this warning$"):
        tables.read_csv(path, id_column="id")


def test_decimal_comma_names_the_first_line_with_a_decimal_point(tmp_path):
    with pytest.raises(ValueError, match=r"\('2.5', '3.5', first at line 3\) but decimal=','"):
        tables.read_csv(write(tmp_path, "a;b\n1,5;2\n2.5;3\n3.5;4\n"), decimal=",")


def test_exactly_five_lines_are_listed_without_more(tmp_path):
    text = "x,y\n" + "".join(f"{i},{'' if i < 5 else i}\n" for i in range(7))
    with pytest.raises(ValueError, match=r"\(line 2, line 3, line 4, line 5, line 6\); 1 column"):
        tables.read_csv(write(tmp_path, text))


def test_a_line_of_spaces_is_blank_not_a_line_of_delimiters(tmp_path):
    table = tables.read_csv(write(tmp_path, "x,y\n1,2\n   \n3,4\n"))
    assert table.notes == () and table.ids.tolist() == ["2", "4"]


def test_an_array_of_one_column_gets_the_default_name():
    table = tables.from_array(np.array([[1.0], [3.0], [2.0]]))
    assert table.columns == ("x0",)
    np.testing.assert_array_equal(table.X[:, 0], [1, 3, 2])
    assert tables.from_array(np.array([[1.0, 5.0], [3.0, 4.0]])).columns == ("x0", "x1")


def test_an_error_shows_three_bad_values_then_dots(tmp_path):
    text = "x,y\n" + "".join(f"{v},{i}\n" for i, v in enumerate(["1", "a", "2", "b", "3", "c", "4", "d", "5", "6",
                                                                    "7", "8", "9"]))
    with pytest.raises(ValueError, match=r"a value that is not a number: 'a', 'b', 'c', \.\.\.\. Correct it"):
        tables.read_csv(write(tmp_path, text))


def test_an_unknown_column_lists_up_to_twenty_columns(tmp_path):
    for n, end in [(20, r"'c19'$"), (21, r"'c19', \.\.\.$")]:
        header = [f"c{j}" for j in range(n)]
        path = write(tmp_path, ",".join(header) + "\n" + ",".join(str(j) for j in range(n)) + "\n"
                     + ",".join(str(2 * j) for j in range(n)) + "\n")
        with pytest.raises(ValueError, match=r"there is no column 'nope'; the columns are 'c0', .*, " + end):
            tables.read_csv(path, drop=["nope"])


def test_every_column_constant_lists_twenty_then_dots():
    names = [f"c{j}" for j in range(22)]
    with pytest.raises(ValueError, match=r"every numeric column is constant \('c0', .*'c19', \.\.\.\): nothing"):
        tables.from_array(np.full((3, 22), 2.0), names, constant="drop")


def test_a_file_csv_cannot_parse_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match=r"table\.csv cannot be read as a table: .*field limit"):
        tables.read_csv(write(tmp_path, "x,y\n1," + "9" * 140_000 + "\n"))


def test_drop_rows_needs_two_complete_rows():
    with pytest.raises(ValueError, match=r"^only 1 row\(s\) have no missing value; use missing='median'"):
        tables.from_array([[1.0, None], [2.0, 3.0], [None, 4.0]], missing="drop-rows")


def test_blocks_of_different_widths_are_refused_as_ragged():
    with pytest.raises(ValueError, match=r"^values must be a table whose rows all have the same length"):
        tables.from_array([np.zeros((2, 2)), np.zeros((2, 3))])


def test_a_true_false_column_is_one_0_1_column_not_gaps_nor_two_mirrored_columns():
    """A DataFrame's bool column was called text ("such as 'False', 'True'"), and one-hot made two columns
    that mirror each other, so the one variable counted twice in every distance."""
    values = np.array([[True, 1.0], [False, 2.0], [True, 3.0]], dtype=object)
    for categorical in ("error", "one-hot", "drop"):
        table = tables.from_array(values, ["flag", "x"], categorical=categorical)
        assert table.columns == ("flag", "x")
        np.testing.assert_array_equal(table.X, [[1, 1], [0, 2], [1, 3]])
        assert table.notes == ("read the true/false column 'flag' as 1 and 0",)
    gappy = np.array([[np.True_, 1.0], [None, 2.0], [np.False_, 3.0]], dtype=object)  # NumPy's, and a gap
    assert tables.from_array(gappy, ["flag", "x"], missing="drop-rows").X.tolist() == [[1, 1], [0, 3]]
    with pytest.raises(ValueError, match=r"^column 'flag' has 1 missing value"):
        tables.from_array(gappy, ["flag", "x"])  # a gap stays a gap, for missing= to settle
    mixed = np.array([[True, 1.0], ["maybe", 2.0], [False, 3.0]], dtype=object)  # not all true/false: text
    with pytest.raises(ValueError, match=r"^column 'flag' is categorical"):
        tables.from_array(mixed, ["flag", "x"])


def test_with_decimal_comma_a_word_with_a_point_is_a_category_not_a_gap(tmp_path):
    table = tables.read_csv(write(tmp_path, "city;x\nSt. Louis;1,5\nParis;2,5\nSt. Louis;3,5\n"), decimal=",",
                            categorical="one-hot")
    assert table.columns == ("x", "city=St. Louis")  # two values: one 0/1 column, for the second
    np.testing.assert_array_equal(table.X, [[1.5, 1], [2.5, 0], [3.5, 1]])


def test_as_many_words_as_numbers_is_a_category_not_typos(tmp_path):
    with pytest.raises(ValueError, match=r"^column 'size' is categorical"):
        tables.read_csv(write(tmp_path, "size,x\nsmall,1\n2,2\nlarge,3\n4,4\n"))


def test_categorical_drop_leaves_out_every_text_column():
    values = np.array([["red", "round", 1.0], ["blue", "square", 2.0], ["red", "round", 4.0]], dtype=object)
    table = tables.from_array(values, ["colour", "shape", "x"], categorical="drop")
    assert table.columns == ("x",)
    assert table.notes == ("left out the text column 'colour' (2 different values)",
                           "left out the text column 'shape' (2 different values)")


def test_six_lines_are_five_and_one_more(tmp_path):
    text = "x,y\n" + "".join(f"{i},{'' if i < 6 else i}\n" for i in range(8))
    with pytest.raises(ValueError, match=r"\(line 2, line 3, line 4, line 5, line 6 and 1 more\)"):
        tables.read_csv(write(tmp_path, text))


def test_an_old_excel_workbook_is_named_as_such(tmp_path):
    workbook = tmp_path / "old.xls"
    workbook.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(128, 256)))
    with pytest.raises(ValueError, match=r"old\.xls is a spreadsheet workbook \(Excel\), not a CSV file"):
        tables.read_csv(workbook)


# -- learner tables from the stress test (issue 21, item 4): a clear sentence, never a wrong table ----


def test_a_comma_file_read_with_decimal_comma_stops_instead_of_merging_its_columns(tmp_path):
    """A learner in Europe passes decimal=',' out of habit on a plain comma file of integers.

    The comma cannot be both the separator and the decimal mark; the file used to load as one column
    'height,weight' of numbers such as 170.65.
    """
    path = write(tmp_path, "height,weight\n170,65\n182,80\n165,55\n")
    with pytest.raises(ValueError, match=r"^.*table\.csv comes out as one column named 'height,weight', but its "
                                         r"header and rows split into 2 values at ',', which decimal=',' takes for "
                                         r"the decimal mark: leave decimal out if the numbers have decimal points "
                                         r"or none; if they have decimal commas in quotes .* read it with "
                                         r"delimiter=',' as well$"):
        tables.read_csv(path, decimal=",")
    np.testing.assert_array_equal(tables.read_csv(path).X, [[170, 65], [182, 80], [165, 55]])
    # A missing value (a short line) must not hide the comma: "182" alone would read as 182.0.
    with pytest.raises(ValueError, match=r"split into 2 values at ','"):
        tables.read_csv(write(tmp_path, "height,weight\n170,65\n182\n165,55\n"), decimal=",")


PIPES = "height|weight\n170|65\n182|80\n165|55\n"
SPACES = "height weight\n170 65\n182  80\n165 55\n"
TABS = "height\tweight\n170\t65\n182\t80\n165\t55\n"  # the guess finds tabs: only a wrong delimiter= fails


@pytest.mark.parametrize("text, delimiter, options", [
    (PIPES, "|", {}), (PIPES, "|", {"categorical": "one-hot"}), (PIPES, "|", {"delimiter": ";"}),
    (SPACES, " ", {}), (SPACES, " ", {"categorical": "one-hot"}), (TABS, "\t", {"delimiter": ","})])
def test_a_file_with_another_delimiter_names_it_instead_of_one_text_column(tmp_path, text, delimiter, options):
    """A learner's file separated by '|' or spaces, or read with the wrong delimiter=, loads as one column.

    It used to be called categorical, and categorical='one-hot' made 0/1 columns named 'height|weight=165|55'.
    """
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as caught:
        tables.read_csv(path, **options)
    message = str(caught.value)
    assert message.endswith(f"comes out as one column named {'height' + delimiter + 'weight'!r}, but its header "
                            f"and rows split into 2 values at {delimiter!r}: read it with delimiter={delimiter!r}")
    assert "one-hot" not in message and "\n" not in message
    table = tables.read_csv(path, delimiter=delimiter)  # the advice works (a run of spaces is one delimiter)
    assert table.columns == ("height", "weight")
    np.testing.assert_array_equal(table.X, [[170, 65], [182, 80], [165, 55]])


def test_a_quoted_comma_file_with_decimal_commas_is_named_not_read_as_one_column(tmp_path):
    """Google Sheets in a European locale writes "1,5" in quotes in a comma file; decimal=',' cannot split it."""
    path = write(tmp_path, 'a,b\n"1,5","2,5"\n"3,5","4,5"\n"5,5","1,5"\n')
    with pytest.raises(ValueError, match=r"one column named 'a,b', but its header and rows split into 2 values at "
                                         r"',', which decimal=',' takes for the decimal mark"):
        tables.read_csv(path, decimal=",", categorical="one-hot")


def test_a_single_column_file_still_loads_even_with_a_space_in_its_name(tmp_path):
    """A learner's one-column file: its name may hold a space or a comma that its numbers do not."""
    for header in ["height", "body height", "height, cm"]:
        table = tables.read_csv(write(tmp_path, f'"{header}"\n170\n182\n165\n'))
        assert table.columns == (header,)
        np.testing.assert_array_equal(table.X[:, 0], [170, 182, 165])
    np.testing.assert_array_equal(tables.read_csv(write(tmp_path, "body height\n1,5\n2,5\n"), decimal=",").X,
                                  [[1.5], [2.5]])
    # trailing spaces split every line into a value and an empty one: still one column, not "delimiter=' '"
    table = tables.read_csv(write(tmp_path, "height \n170 \n182 \n165 \n"))
    assert table.columns == ("height",) and table.X[:, 0].tolist() == [170, 182, 165]


def test_integer_column_names_of_a_dataframe_are_accepted_by_drop_and_id_column():
    """pd.DataFrame(array) names its columns 0, 1, 2: the learner writes drop=[2] and id_column=0, not '2', '0'."""
    frame = FrameLike([0, 1, 2], [[1, 2, 9], [3, 4, 8], [5, 7, 6]], [0, 1, 2])
    table = tables.from_array(frame, drop=[2])
    assert table.columns == ("0", "1")
    np.testing.assert_array_equal(table.X, [[1, 2], [3, 4], [5, 7]])
    table = tables.from_array(frame, id_column=0, drop=2)
    assert table.columns == ("1",) and table.ids.tolist() == ["1", "3", "5"]
    with pytest.raises(ValueError, match=r"^there is no column 3; the columns are '0', '1', '2'$"):
        tables.from_array(frame, drop=[3])


def test_integer_column_names_of_a_pandas_dataframe_work_in_drop():
    """The same with a real pandas DataFrame, as pd.read_csv(header=None) makes."""
    pd = pytest.importorskip("pandas")
    table = tables.from_array(pd.DataFrame([[1, 2, 9], [3, 4, 8], [5, 7, 6]]), drop=[1], id_column=0)
    assert table.columns == ("2",) and table.ids.tolist() == ["1", "3", "5"]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_a_utf8_file_with_a_byte_order_mark_reads_as_utf8_whatever_encoding_is_asked(tmp_path, encoding):
    """Excel's "CSV UTF-8" read with encoding='cp1252', as the messages suggest for Excel files.

    The mark used to become part of the first column's name ('ï»¿id').
    """
    path = tmp_path / "excel.csv"
    path.write_bytes("id,région\nr1,1\nr2,3\nr3,5\n".encode("utf-8-sig"))
    table = tables.read_csv(path, encoding=encoding, id_column="id")
    assert table.columns == ("région",) and table.ids.tolist() == ["r1", "r2", "r3"]
    assert table.notes == (f"read as UTF-8, not {encoding}: the file starts with UTF-8's byte order mark",)
    assert tables.read_csv(path, id_column="id").notes == ()  # asked for UTF-8: nothing to note
    path.write_bytes(b"\xef\xbb\xbfid,r\xe9gion\nr1,1\nr2,3\n")  # the mark, then cp1252 bytes
    with pytest.raises(ValueError, match=r"excel\.csv starts with UTF-8's byte order mark but is not UTF-8 text "
                                         r"\(byte b'\\xe9' at position 7\): save it again as UTF-8"):
        tables.read_csv(path, encoding=encoding)


def test_a_number_too_large_for_a_float_is_named_like_an_infinite_value():
    """A Python int such as 10**400 in a learner's list used to raise OverflowError from deep inside."""
    with pytest.raises(ValueError, match=r"^column 'x0' has 1 infinite value\(s\) \(or numbers too large for a "
                                         r"float, beyond about 1\.8e308\); correct them or mark them missing$"):
        tables.from_array([[10**400, 1], [2, 3], [4, 5]])
    with pytest.raises(ValueError, match=r"^column 'x1' has 1 infinite value"):
        tables.from_array([[1, 2], [2, -(10**400)], [4, 5]])


def test_a_folder_or_no_file_name_is_one_sentence(tmp_path):
    """A learner passes the folder that holds the file, or a variable that is still None."""
    with pytest.raises(ValueError, match=r"is a folder, not a file: pass the path of the CSV file inside it$"):
        tables.read_csv(tmp_path)
    with pytest.raises(TypeError, match=r"^path must be the name of a CSV file \(a str or pathlib\.Path\), not "
                                        r"NoneType; data already in memory \(an array or a DataFrame\) go through "
                                        r"from_array\(values\)$"):
        tables.read_csv(None)
    with pytest.raises(TypeError, match=r"not ndarray; data already in memory"):
        tables.read_csv(np.ones((3, 2)))


def test_a_ragged_list_says_which_row_has_another_length():
    """A list of rows typed by hand with one value missing: NumPy makes it 1-D, and 'shape (3,)' explains nothing."""
    with pytest.raises(ValueError, match=r"^values must be a table whose rows all have the same length; row 1 has "
                                         r"1 value\(s\) but row 0 has 2$"):
        tables.from_array([[1, 2], [3], [5, 7]])
    with pytest.raises(ValueError, match=r"row 2 has 1 value\(s\) but row 0 has 2$"):
        tables.from_array([[1, 2], (3, 4), 5])


# --------------------------------------------------------------------------- pandas' row index


def test_an_unnamed_first_column_is_named_as_pandas_index_and_can_be_taken_or_left_out(tmp_path):
    """A file from pandas' default DataFrame.to_csv (empty first header field) could not be read at all:
    drop=[""] and id_column="" failed with the same "column 1 has no name" message."""
    path = write(tmp_path, ",a,b\n0,1.0,4\n1,2.0,5\n2,3.0,7\n")
    with pytest.raises(ValueError, match=r'^column 1 has no name in the header, usually the row index written by '
                                         r'pandas\' DataFrame.to_csv; use id_column="" to take it as the row names, '
                                         r'or drop=\[""\] to leave it out$'):
        tables.read_csv(path)
    named = tables.read_csv(path, id_column="")
    assert named.ids.tolist() == ["0", "1", "2"] and named.X.tolist() == [[1, 4], [2, 5], [3, 7]]
    assert tables.read_csv(path, drop=[""]).X.tolist() == [[1, 4], [2, 5], [3, 7]]
    with pytest.raises(ValueError, match=r"^column 2 has no name in the header; give every column a name$"):
        tables.read_csv(write(tmp_path, "a,,b\n1,2,3\n4,5,7\n"), drop=[""])  # only the first may be unnamed


def test_a_column_named_like_pandas_index_is_refused_until_it_is_named(tmp_path):
    """from_array(pd.read_csv(a file from to_csv)) clustered the column "Unnamed: 0" (0, 1, 2, ...), silently."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"Unnamed: 0": [0, 1, 2], "a": [1.0, 2.0, 3.0], "b": [4, 5, 7]})
    message = (r"^column 'Unnamed: 0' is pandas' row index \(an unnamed column read back by pandas.read_csv\), "
               r"not a feature; read with pandas.read_csv\(..., index_col=0\), or pass id_column='Unnamed: 0' "
               r"or drop=\['Unnamed: 0'\]$")
    with pytest.raises(ValueError, match=message):
        tables.from_array(frame)
    with pytest.raises(ValueError, match=message):
        tables.read_csv(write(tmp_path, "Unnamed: 0,a,b\n0,1,4\n1,2,5\n2,3,7\n"))
    assert tables.from_array(frame, drop=["Unnamed: 0"]).X.tolist() == [[1, 4], [2, 5], [3, 7]]
    assert tables.from_array(frame, id_column="Unnamed: 0").ids.tolist() == ["0", "1", "2"]
    assert tables.from_array(frame.set_index("Unnamed: 0")).X.shape == (3, 2)  # index_col=0's result


# -- numbers in disguise, one-hot advice, spreadsheet missing markers ------------------------------


@pytest.mark.parametrize(("cells", "shown", "symbol"), [
    (["5%", "6%", "7%", "8%"], "5%", "%"),
    (["12 kg", "13 kg", "15 kg", "11 kg"], "12 kg", "kg"),
    (["3.5 cm", "4 cm", "2.25 cm", "1 cm"], "3.5 cm", "cm"),
    (["€12", "€9.50", "€30", "€4"], "€12", "€"),
])
def test_numbers_written_with_a_unit_are_named_as_such_not_as_categorical(tmp_path, cells, shown, symbol):
    """They were "categorical", with advice to one-hot them: one 0/1 column per distinct measurement."""
    path = write(tmp_path, "p,a\n" + "".join(f"{c},{i}\n" for i, c in enumerate(cells)))
    message = (rf"^column 'p' holds numbers written with a unit or symbol \('{re.escape(shown)}', first at line 2\): "
               rf"remove the '{re.escape(symbol)}' in the file \(or convert the column in pandas\) so it reads as "
               rf"numbers$")
    for categorical in ("error", "one-hot"):
        with pytest.raises(ValueError, match=message):
            tables.read_csv(path, categorical=categorical)
    assert tables.read_csv(path, categorical="drop").columns == ("a",)  # leaving text out stays a choice


def test_money_with_thousands_separators_names_both_to_remove(tmp_path):
    path = write(tmp_path, 'price,a\n"$1,200",1\n"$900",2\n"$1,500",3\n')
    with pytest.raises(ValueError, match=r"^column 'price' holds numbers written with a unit or symbol "
                                         r"\('\$1,200', first at line 2\): remove the '\$' and the thousands "
                                         r"separators \(','\) in the file"):
        tables.read_csv(path)


def test_numbers_with_a_unit_in_memory_are_named_with_their_row():
    with pytest.raises(ValueError, match=r"^column 'p' holds numbers written with a unit or symbol \('5%', first at "
                                         r"row 1\): remove the '%' and convert the column to numbers first"):
        tables.from_array([[None, 1.0], ["5%", 2.0], ["7%", 3.0]], ["p", "a"])


@pytest.mark.parametrize("dates", [["2024-01-05", "2024-01-06", "2024-02-01"],
                                   ["05/01/2024", "06/01/2024", "01/02/2024"],
                                   ["2024-01-05 10:30", "2024-01-06 08:00", "2024-02-01T12:00:00"],
                                   ["1-Mar-2024", "02-mar-24", "15-Sept-2024"],  # Excel's and SQL's month names
                                   ["1 March 2024", "2 April 2024", "3 May 2024"],
                                   ["Mar 1, 2024", "April 2 2024", "Dec. 31, 2024"],
                                   ["2024-Mar-01", "2024-Apr-02", "2024-May-03"]])
def test_a_column_of_dates_is_named_as_dates(tmp_path, dates):
    path = write(tmp_path, "date,a\n" + "".join(f'"{d}",{i}\n' for i, d in enumerate(dates)))
    for categorical in ("error", "one-hot"):
        with pytest.raises(ValueError, match=rf"^column 'date' looks like dates \('{dates[0]}', first at line 2\): "
                                             r"convert it to numbers \(e.g. days since the first date\) or leave "
                                             r"it out with drop=\['date'\]$"):
            tables.read_csv(path, categorical=categorical)


def test_month_names_alone_or_beside_a_word_stay_categorical():
    # a month is a category; only a day and a year beside it make a date
    for months in (["March", "April", "May"], ["Mar 2024", "Apr 2024", "May 2024"], ["1-Marble-2024", "2-Marble-2024",
                                                                                       "3-Marble-2024"]):
        with pytest.raises(ValueError, match=r"^column 'm' is categorical \(text such as "):
            tables.from_array([[m, float(i)] for i, m in enumerate(months)], ["m", "a"])


def test_pandas_datetimes_in_memory_are_named_as_dates():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"when": pd.to_datetime(["2020-01-01", None, "2020-01-03"]), "b": [1.0, 2, 3]})
    with pytest.raises(ValueError, match=r"^column 'when' looks like dates \('2020-01-01 00:00:00', first at row 0\)"):
        tables.from_array(frame)


@pytest.mark.parametrize("levels", [["red", "blue", "red"], ["1st", "2nd", "3rd"], ["A1", "B2", "A1"],
                                    ["10 Downing St", "5 Main Road", "7 High Street"]])
def test_genuine_text_is_still_categorical(tmp_path, levels):
    path = write(tmp_path, "c,a\n" + "".join(f"{v},{i}\n" for i, v in enumerate(levels)))
    with pytest.raises(ValueError, match=r"^column 'c' is categorical"):
        tables.read_csv(path)
    assert tables.read_csv(path, categorical="one-hot").X.shape[0] == 3


def test_a_constant_one_hot_column_is_left_out_by_its_text_columns_name(tmp_path):
    """The advice was drop=['country=FR'], which then failed with "there is no column 'country=FR'"."""
    path = write(tmp_path, "country,a,b\nFR,1,2\nFR,3,4\nFR,5,7\n")
    with pytest.raises(ValueError, match=r"^column 'country=FR' is constant \(every value is 1\): .* Leave it out "
                                         r"with drop=\['country'\] \(the text column it was made from\) or "
                                         r"constant='drop'$"):
        tables.read_csv(path, categorical="one-hot")
    assert tables.read_csv(path, categorical="one-hot", drop=["country"]).columns == ("a", "b")


def test_missing_values_in_a_one_hot_column_name_the_text_column(tmp_path):
    path = write(tmp_path, "c,a,b\nx,1,2\n,3,4\ny,5,7\n")
    with pytest.raises(ValueError, match=r"^column 'c' has 1 missing value\(s\) \(line 3\); 1 column\(s\) have "
                                         r"gaps in all\."):
        tables.read_csv(path, categorical="one-hot")
    assert tables.read_csv(path, categorical="one-hot", drop=["c"]).columns == ("a", "b")


@pytest.mark.parametrize("marker", ["#N/A", "#n/a", "#N/A N/A", "#NA", "<NA>"])
def test_spreadsheet_and_pandas_missing_markers_count_as_missing(tmp_path, marker):
    """Excel's #N/A was "a value that is not a number" while N/A counted as missing."""
    table = tables.read_csv(write(tmp_path, f"a,b\n1,2\n2,{marker}\n3,4\n5,8\n"), missing="median")
    assert table.X[:, 1].tolist() == [2, 4, 4, 8]
    assert table.notes == ("filled 1 missing value(s) in 'b' with its median 4",)


# --------------------------------------------------------------------------- boundaries of the guards


def test_a_column_of_integers_too_large_for_a_float_is_named_as_infinite_not_as_empty():
    with pytest.raises(ValueError, match=r"^column 'a' has 3 infinite value\(s\) \(or numbers too large"):
        tables.from_array([[10**400, 1.0], [-(10**400), 2.0], [10**401, 3.0]], ["a", "b"])


def test_dates_or_symbols_must_be_more_than_half_of_a_columns_values_to_be_named_as_such():
    """Three dates (or three '5%') among other words is text with a few odd cells: categorical."""
    for odd in (["2024-01-05", "2024-01-06", "2024-02-01"], ["5%", "7%", "9%"]):
        for words in (["red", "blue", "green"], ["red", "blue", "green", "pink"]):  # half, then less than half
            values = odd + words
            with pytest.raises(ValueError, match=r"^column 'c' is categorical"):
                tables.from_array([[v, float(i)] for i, v in enumerate(values)], ["c", "a"])
    with pytest.raises(ValueError, match=r"^column 'c' holds numbers written with a unit or symbol"):
        tables.from_array([[v, float(i)] for i, v in enumerate(["5%", "7%", "9%", "red", "blue"])], ["c", "a"])


def test_two_columns_named_like_pandas_index_name_the_first_everywhere():
    with pytest.raises(ValueError, match=r"^column 'Unnamed: 0' is pandas' row index .* or pass "
                                         r"id_column='Unnamed: 0' or drop=\['Unnamed: 0'\]$"):
        tables.from_array([[0, 1.0, 5], [1, 2.0, 6], [2, 4.0, 7]], ["Unnamed: 0", "a", "Unnamed: 2"])


def test_the_first_constant_column_is_the_one_named_with_its_own_advice():
    """A plain constant column before a constant 0/1 column: drop the plain one by its own name."""
    rows = [[4.0, 1.0, "x"], [4.0, 2.0, "x"], [4.0, 3.0, "x"]]
    with pytest.raises(ValueError, match=r"^column 'same' is constant \(every value is 4\): .* Leave it out with "
                                         r"drop=\['same'\] or constant='drop'$"):
        tables.from_array(rows, ["same", "b", "c"], categorical="one-hot")


def test_a_line_the_csv_module_cannot_split_at_another_character_does_not_stop_the_reading(tmp_path):
    """A 140,000-character field at '|' is beyond the csv module's limit: that character is not the
    delimiter, and the learner gets the line's own message, not a bare csv.Error."""
    path = write(tmp_path, "a|b\n1|2\n3|4\n" + ",".join(["5"] * 70000) + "\n")
    with pytest.raises(ValueError, match=r"^line 4 of .* has 70000 values but the header names 1 columns"):
        tables.read_csv(path)
    # and the characters after it are still tried: here the header and most lines split at spaces
    path = write(tmp_path, "a|b c\n1 2\n3 4\n5 6\n" + ",".join(["5 5"] * 50000) + "\n")
    with pytest.raises(ValueError, match=r"one column named 'a\|b c', but its header and rows split into 2 values "
                                         r"at ' ': read it with delimiter=' '$"):
        tables.read_csv(path)


@pytest.mark.parametrize(("lines", "split"), [
    (["1|2|3", "4|5", "6|7", "8|9", "1|2|3"], True),  # the header's width counts, not the first or last line's
    (["1|2", "1|2|3", "4|5|6", "7|8"], True),  # exactly half of the lines, the first of them included
    (["1|2", "1|2|3", "4|5|6", "7|8|9", "1|2|3", "4|5", "6|7"], False),  # three of seven: fewer than half
])
def test_another_delimiter_is_named_when_the_header_and_at_least_half_of_the_lines_split_alike(
        tmp_path, lines, split):
    path = write(tmp_path, "a|b\n" + "".join(line + "\n" for line in lines))
    with pytest.raises(ValueError) as caught:
        tables.read_csv(path)
    named = "comes out as one column named 'a|b', but its header and rows split into 2 values at '|'"
    assert (named in str(caught.value)) is split


def test_rows_of_different_lengths_are_named_even_when_some_are_arrays():
    zero_d = np.empty(2, dtype=object)
    zero_d[0], zero_d[1] = np.array(5.0), [1.0, 2.0]  # a 0-d array is one value, not a row
    arrays = np.empty(2, dtype=object)
    arrays[0], arrays[1] = np.array([1.0, 2.0]), np.array([3.0])
    for values in (zero_d, arrays):
        with pytest.raises(ValueError, match=r"^values must be a table whose rows all have the same length; row 1 "
                                             r"has (2|1) value\(s\) but row 0 has (1|2)$"):
            tables.from_array(values)


def test_a_character_that_splits_only_the_header_does_not_stop_the_search_for_the_delimiter(tmp_path):
    """';' splits the header 'x;y|z' in two but no line: '|', tried after it, is the file's delimiter."""
    with pytest.raises(ValueError, match=r"one column named 'x;y\|z', but its header and rows split into 2 values "
                                         r"at '\|': read it with delimiter='\|'$"):
        tables.read_csv(write(tmp_path, "x;y|z\n1|2\n3|4\n5|6\n"))


# -- numbers as spreadsheets and typesetters write them ------------------------------------------


def test_a_typographic_minus_sign_reads_as_a_minus(tmp_path):
    """U+2212 (what Word and many web tables print) was text, so the column was called categorical."""
    table = tables.read_csv(write(tmp_path, "a,b\n\u22121.5,2\n2.5,\u22120.25\n\u22123,1e\u22122\n"))
    np.testing.assert_array_equal(table.X, [[-1.5, 2], [2.5, -0.25], [-3, 0.01]])
    assert tables.from_array([["\u22121", 2.0], ["3", 1.0]]).X[:, 0].tolist() == [-1.0, 3.0]


@pytest.mark.parametrize(("cells", "shown", "separator"), [
    (['"1,000.50"', '"2,300.25"', "950.00"], "1,000.50", ","),
    (['"12,345,678"', '"1,234,567"', '"2,345,678"'], "12,345,678", ","),
    (["1'234.5", "2'345.5", "9.5"], "1'234.5", "'"),
    (["1\u00a0234.5", "2\u00a0345.5", "3\u00a0456"], "1\u00a0234.5", "\u00a0"),
], ids=["comma", "two-commas", "apostrophe", "no-break-space"])
def test_thousands_separators_are_named_never_called_categorical(tmp_path, cells, shown, separator):
    shown, separator = repr(shown), repr(separator)  # as the message shows them
    """"1,000.50" was "categorical", and the hint offered one-hot: one 0/1 column per amount."""
    text = "amount,x\n" + "".join(f"{c},{i}\n" for i, c in enumerate(cells))
    for options in ({}, {"categorical": "one-hot"}):
        with pytest.raises(ValueError, match=rf"^column 'amount' holds numbers written with thousands separators "
                                             rf"\({re.escape(shown)}, first at line 2\): remove the separators "
                                             rf"\({re.escape(separator)}\) in the file"):
            tables.read_csv(write(tmp_path, text), **options)


def test_thousands_separators_with_a_decimal_comma_point_to_decimal_comma(tmp_path):
    text = "amount;x\n1 234,5;1\n2 345,0;2\n3 456,7;3\n"
    with pytest.raises(ValueError, match=r"remove the separators \(' '\) in the file .*; their decimal mark is "
                                         r"',', so read the file with decimal=','$"):
        tables.read_csv(write(tmp_path, text))
    with pytest.raises(ValueError, match=r"thousands separators \('1 234,5'.*remove the separators \(' '\) in the "
                                         r"file so it reads as numbers, or read the file with pandas.read_csv\(path, "
                                         r"thousands=' ', decimal=','\) and pass the DataFrame to from_array$"):
        tables.read_csv(write(tmp_path, text), decimal=",")
    # in memory: the advice names both steps, and following it loads the column
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"amt": ["1.234,5", "2.300,1", "12.345,0"], "z": [1.0, 2.0, 5.0]})
    with pytest.raises(ValueError, match=r"remove the separators \('.'\) and convert the column to numbers first "
                                         r"\(in pandas: .str.replace\('.', ''\), then from_array\(\.\.\., "
                                         r"decimal=','\) reads the decimal commas\)$"):
        tables.from_array(frame)
    frame["amt"] = frame["amt"].str.replace(".", "")
    assert tables.from_array(frame, decimal=",").X[:, 0].tolist() == [1234.5, 2300.1, 12345.0]


def test_a_few_amounts_with_separators_among_numbers_are_named_in_the_typo_message(tmp_path):
    with pytest.raises(ValueError, match=r"^column 'a' holds numbers but line 3 has a value that is not a number: "
                                         r"'1,000.50'; a number with thousands separators reads once they are "
                                         r"removed\."):
        tables.read_csv(write(tmp_path, 'a,b\n950.00,1\n"1,000.50",2\n800,3\n'))


def test_codes_with_digit_groups_are_not_taken_for_thousands(tmp_path):
    # 1.234.5 (a version: its last group is a decimal part after the same mark) is text, still refused as categorical by default
    with pytest.raises(ValueError, match=r"^column 'v' is categorical"):
        tables.read_csv(write(tmp_path, "v;x\n1.234.5;1\n3.1.4;2\n2.0.1;3\n"))


# -- files that end every line with the delimiter ---------------------------------------------------


@pytest.mark.parametrize("header", ["a,b,", "a,b"], ids=["header-too", "data-only"])
def test_a_delimiter_at_the_end_of_every_line_is_left_out_with_a_note(tmp_path, header):
    """Some exports write "a,b," on every line: it was refused as "column 3 has no name", with no option."""
    table = tables.read_csv(write(tmp_path, f"{header}\n1,2,\n3,5,\n4,4,\n"))
    assert table.columns == ("a", "b")
    np.testing.assert_array_equal(table.X, [[1, 2], [3, 5], [4, 4]])
    assert table.notes == ("left out the empty last field: each line ends with the delimiter ','",)


def test_a_last_field_with_a_value_on_any_line_is_not_taken_for_a_trailing_delimiter(tmp_path):
    with pytest.raises(ValueError, match=r"^column 3 has no name in the header"):
        tables.read_csv(write(tmp_path, "a,b,\n1,2,\n3,5,7\n4,4,\n"))
    with pytest.raises(ValueError, match=r"^column 'c' has no values"):  # a named column stays a column
        tables.read_csv(write(tmp_path, "a,b,c\n1,2,\n3,5,\n4,4,\n"))
    with pytest.raises(ValueError, match=r"^line 2 of .* has 3 values but the header names 2 columns"):
        tables.read_csv(write(tmp_path, "a,b\n1,2,\n3,5,7\n4,4,\n"))


# -- durations and periods ---------------------------------------------------------------------------


def test_durations_and_periods_are_named_never_called_categorical():
    pd = pytest.importorskip("pandas")
    hours = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0], "d": pd.to_timedelta([1, 2, 3], unit="h")})
    with pytest.raises(ValueError, match=r"^column 'd' holds durations \(0 days 01:00:00, first at row 0\): "
                                         r"convert it to numbers in the unit you mean"):
        tables.from_array(hours)
    with pytest.raises(ValueError, match=r"^column 'x1' holds durations"):
        tables.from_array([[1.0, np.timedelta64(5, "s")], [2.0, np.timedelta64(7, "s")]])
    months = pd.DataFrame({"a": [1.0, 2.0, 3.0], "p": pd.period_range("2024-01", periods=3, freq="M")})
    with pytest.raises(ValueError, match=r"^column 'p' holds periods \(2024-01, first at row 0\)"):
        tables.from_array(months)
    # leaving them out on purpose still works
    assert tables.from_array(hours, drop=["d"]).columns == ("a", "b")
    assert tables.from_array(hours, categorical="drop").columns == ("a", "b")


# -- a second learner's-data probe ---------------------------------------------------------------


def test_a_column_that_numbers_the_rows_is_refused_and_points_to_id_column(tmp_path):
    """Kaggle's Iris.csv starts with Id = 1..150 in class order: clustered, it leaked the species (ARI 1.0)."""
    rows = "".join(f"{i},{np.sin(i):.3f},{np.cos(i):.3f}\n" for i in range(1, 13))
    path = write(tmp_path, "Id,a,b\n" + rows)
    with pytest.raises(ValueError, match=r"^column 'Id' looks like row numbers \(1, 2, 3, \.\.\. 12 in order, and "
                                         r"its name\): .* Use id_column='Id' to name the rows by it, or "
                                         r"drop=\['Id'\]; if it is a real measurement, rename the column$"):
        tables.read_csv(path)
    assert tables.read_csv(path, id_column="Id").columns == ("a", "b")
    assert tables.read_csv(path, drop=["Id"]).columns == ("a", "b")
    index = np.column_stack([np.arange(12), np.sin(np.arange(12)), np.cos(np.arange(12))])
    with pytest.raises(ValueError, match=r"^column 'index' looks like row numbers \(0, 1, 2, \.\.\. 11 in order"):
        tables.from_array(index, ["index", "a", "b"])  # what DataFrame.reset_index() adds
    with pytest.raises(ValueError, match=r"^column 'customer_id' looks like row numbers"):
        tables.from_array(index, ["customer_id", "a", "b"])
    customers = index.copy()
    customers[:, 0] += 1001  # numbered from 1001: on iris sorted by species it faked a perfect clustering (ARI 1.00)
    with pytest.raises(ValueError, match=r"^column 'customer_id' looks like row numbers \(1001, 1002, 1003, \.\.\. 1012"):
        tables.from_array(customers, ["customer_id", "a", "b"])
    customers[:, 0] += 0.5  # 1001.5, 1002.5, ...: not whole numbers, so not a count
    assert tables.from_array(customers, ["customer_id", "a", "b"]).columns == ("customer_id", "a", "b")
    assert tables.from_array(index, ["age", "a", "b"]).columns == ("age", "a", "b")  # a measurement counting up
    # not a row count: another start, a gap, another order, or fewer than 10 rows
    for column in (np.arange(2, 14), np.r_[np.arange(11), 12], np.arange(12)[::-1], None):
        values = index.copy() if column is not None else index[:9].copy()
        if column is not None:
            values[:, 0] = column
        assert tables.from_array(values, ["n", "a", "b"]).columns == ("n", "a", "b")


def _refused_under_each_name(column, names, message):
    """Twelve rows: ``column`` beside two measurements; loading them with ``column`` under each of ``names`` is
    refused with ``message(name)``. Returns the rows."""
    values = np.column_stack([column, np.sin(np.arange(12)), np.cos(np.arange(12))])
    for name in names:
        with pytest.raises(ValueError, match=message(name)):
            tables.from_array(values, [name, "a", "b"])
    return values


@pytest.mark.parametrize("column", [np.arange(0, 24, 2), np.random.default_rng(0).permutation(12),
                                    np.arange(12)[::-1], np.array([7, 93, 12, 5004, 33, 8, 61, 70, 2, 19, 400, 1])])
def test_an_identifier_column_out_of_order_or_with_gaps_is_refused_too(column):
    """A learner's probe: the index of df.iloc[::2].reset_index() (0, 2, 4, ...), shuffled or descending ids
    and arbitrary customer numbers loaded as features in silence; only 1, 2, 3, ... in order was refused."""
    values = _refused_under_each_name(column, ("index", "customer_id", "Id"), lambda name: (
        rf"^column '{name}' looks like identifiers \(a different whole number in every row: {column[0]}, "
        rf"{column[1]}, {column[2]}, \.\.\., and its name\): .* Use id_column='{name}'"))
    assert tables.from_array(values, ["n", "a", "b"]).columns == ("n", "a", "b")  # the name decides
    repeated = values.copy()
    repeated[1, 0] = repeated[0, 0]  # one value twice: an id shared by two rows, still an identifier
    with pytest.raises(ValueError, match=r"^column 'customer_id' looks like identifiers of groups of rows"):
        tables.from_array(repeated, ["customer_id", "a", "b"])
    assert tables.from_array(repeated, ["index", "a", "b"]).columns == ("index", "a", "b")  # index: not repeated ids
    assert tables.from_array(values[:9], ["index", "a", "b"]).columns == ("index", "a", "b")  # under 10 rows


def test_an_id_column_whose_numbers_repeat_is_refused_as_a_feature():
    """A teacher's check: patient_id 0, 0, 1, 1, ... (a subject measured twice) was clustered as a feature, its
    numbers counting as distances; only ids that differ in every row were refused."""
    ids = [1, 3, 3, 8, 8, 9, 9, 4, 4, 7, 7, 6]  # 1 and 6 once, the others twice: the first shared id is 3
    values = _refused_under_each_name(ids, ("patient_id", "ID", "subject id"), lambda name: (
        rf"^column '{name}' looks like identifiers of groups of rows \(whole numbers, some shared by several rows, "
        rf"such as 3, and its name\).*drop=\['{name}'\] and keep it aside"))
    for name in ("index", "number", "visits"):  # not named as an id of a subject: a count may repeat
        assert tables.from_array(values, [name, "a", "b"]).columns == (name, "a", "b")
    assert tables.from_array(values, ["patient_id", "a", "b"], drop=["patient_id"]).columns == ("a", "b")
    halves = values.copy()
    halves[:, 0] += 0.5  # not whole numbers: a measurement
    assert tables.from_array(halves, ["patient_id", "a", "b"]).columns == ("patient_id", "a", "b")


def test_median_filling_leaves_out_a_row_with_no_value_at_all_with_a_note(tmp_path):
    """A row of NA (or np.genfromtxt's header row of NaN) became a sample of medians: a made-up wine."""
    table = tables.read_csv(write(tmp_path, "id,a,b\nw1,1,2\nw2,NA,NA\nw3,4,\nw4,5,9\n"), id_column="id",
                            missing="median")
    assert table.ids.tolist() == ["w1", "w3", "w4"]
    np.testing.assert_array_equal(table.X, [[1, 2], [4, 5.5], [5, 9]])
    assert table.notes == ("left out 1 row(s) with no value at all (line 3): a median in every column would make "
                           "up a whole sample", "filled 1 missing value(s) in 'b' with its median 5.5")
    with pytest.raises(ValueError, match=r"^only 1 row\(s\) have any value; nothing to cluster$"):
        tables.from_array([[1.0, 2.0], [np.nan, np.nan], [np.nan, np.nan]], missing="median")


def test_a_header_of_numbers_is_noted_as_a_possible_first_row_of_data(tmp_path):
    table = tables.read_csv(write(tmp_path, "170,65\n180,80\n165,55\n"))
    assert table.columns == ("170", "65") and len(table.X) == 2
    assert table.notes == ("every name on line 1 is a number ('170', '65'): if the file has no header line, that "
                           "row of data was taken for the column names; add a line of names first",)
    assert tables.read_csv(write(tmp_path, "h2019,w\n170,65\n180,80\n")).notes == ()


def test_a_masked_array_reads_its_masked_values_as_missing():
    masked = np.ma.masked_array([[1.0, 2.0], [999.0, 4.0], [5.0, 7.0]], mask=[[0, 0], [1, 0], [0, 0]])
    with pytest.raises(ValueError, match=r"^column 'x0' has 1 missing value\(s\) \(row 1\)"):
        tables.from_array(masked)
    np.testing.assert_array_equal(tables.from_array(masked, missing="median").X, [[1, 2], [3, 4], [5, 7]])


def test_excel_sep_line_title_lines_utf16_and_line_breaks_inside_cells(tmp_path):
    table = tables.read_csv(write(tmp_path, "sep=;\nheight;weight\n170;65\n180;80\n"))
    assert table.columns == ("height", "weight") and table.ids.tolist() == ["3", "4"]
    assert table.notes == ("skipped line 1, 'sep=;': Excel's line naming the delimiter",)
    with pytest.raises(ValueError, match=r"^line 1 of .* holds one value \('# exported by device X'\) but the lines "
                                         r"after it hold 2: if it is a title or a comment, delete that line"):
        tables.read_csv(write(tmp_path, "# exported by device X\nheight,weight\n170,65\n180,80\n"))
    utf16 = tmp_path / "u16.csv"
    utf16.write_bytes("h,w\n170,65\n180,80\n".encode("utf-16"))
    table = tables.read_csv(utf16)
    assert table.columns == ("h", "w") and table.notes == (
        "read as UTF-16, not utf-8: the file starts with UTF-16's byte order mark",)
    # cp1252's "…" read as latin-1 is U+0085, which str.splitlines took for a line break
    cp = tmp_path / "cp.csv"
    cp.write_bytes("name,h,w\nCaf\u00e9 A\u2026,170,65\nB,180,80\nC,165,55\n".encode("cp1252"))
    assert tables.read_csv(cp, id_column="name", encoding="latin-1").X.shape == (3, 2)
    # a quoted cell across two lines: later rows keep their own line numbers
    with pytest.raises(ValueError, match=r"^column 'w' holds numbers but line 4 has a value that is not a number"):
        tables.read_csv(write(tmp_path, 'name,h,w\n"two\nlines",170,65\nB,180,x\nC,165,55\nD,150,50\n'),
                        id_column="name")


def test_a_header_alone_ending_with_the_delimiter_is_read_with_a_note(tmp_path):
    """"a,b," over "1,2" rows was blamed on line 2 ("has 2 values but the header names 3 columns")."""
    table = tables.read_csv(write(tmp_path, "a,b,\n1,2\n3,5\n4,4\n"))
    assert table.columns == ("a", "b") and table.X.shape == (3, 2)
    assert table.notes == ("left out the empty last field: the header line ends with the delimiter ','",)


@pytest.mark.parametrize(("cells", "match"), [
    (["10:30", "11:45", "9:05", "7:00:30"], r"^column 'x0' looks like times of day or durations \('10:30', first at "
                                             r"row 0\): convert it to numbers"),
    (["(1,234.50)", "200", "(12)", "5"], r"^column 'x0' holds numbers in parentheses \('\(1,234.50\)', first at "
                                         r"row 0\), as accounting formats write negative amounts: if these are "
                                         r"amounts, write them with a minus sign and without thousands separators or "
                                         r"currency \('-1234.50'\)"),
    (["(12)", "200", "7", "5"], r"^column 'x0' holds numbers but row 0 has a value that is not a number: '\(12\)'; "
                                r"a number in parentheses is an accounting negative: write it with a minus sign\."),
], ids=["times", "accounting", "one-accounting"])
def test_times_and_accounting_negatives_are_named_never_called_categorical(cells, match):
    values = [[c, float(i)] for i, c in enumerate(cells)]
    for options in ({}, {"categorical": "one-hot"}):
        with pytest.raises(ValueError, match=match):
            tables.from_array(values, **options)
    # text in parentheses is still a category
    assert tables.from_array([["(a)", 1.0], ["(b)", 2.0], ["c", 3.0]], categorical="one-hot").X.shape == (3, 4)


def test_a_dict_of_columns_or_a_structured_array_keeps_its_column_names(tmp_path):
    """Both failed with "values must be a 2-D table; got shape ()" (or "(3,)")."""
    table = tables.from_array({"height": [170, 180, 165], "weight": [65.0, np.nan, 55.0]}, missing="median")
    assert table.columns == ("height", "weight") and table.X.tolist() == [[170, 65], [180, 60], [165, 55]]
    path = write(tmp_path, "height,weight\n170,65\n180,80\n165,55\n")
    records = np.genfromtxt(path, delimiter=",", names=True)
    table = tables.from_array(records)
    assert table.columns == ("height", "weight") and table.X.tolist() == [[170, 65], [180, 80], [165, 55]]
    with pytest.raises(ValueError, match=r"^every column must be a 1-D sequence of the same length; got "
                                         r"\{'a': \(3,\), 'b': \(2,\)\}$"):
        tables.from_array({"a": [1, 2, 3], "b": [1, 2]})
    with pytest.raises(TypeError, match=r"^columns is for plain arrays"):
        tables.from_array({"a": [1, 2, 3]}, ["x"])
    with pytest.raises(ValueError, match=r"^values has no columns$"):
        tables.from_array({})


def test_points_that_look_like_thousands_separators_are_named_not_divided_by_1000(tmp_path):
    """A German price list (950; 1.200; 2.450; 780) read 1.200 as 1.2: a silent division by 1,000."""
    path = write(tmp_path, "Artikel;Preis;Menge\nA;950;3\nB;1.200;5\nC;2.450;2\nD;780;4\n")
    with pytest.raises(ValueError, match=r"^column 'Preis' mixes whole numbers below 1,000 \('950', '780'\) with "
                                         r"numbers such as '1.200' \(first at line 3\) that have a point before "
                                         r"groups of three digits: the point looks like a thousands separator "
                                         r"\(1.200 = 1200\)"):
        tables.read_csv(path, id_column="Artikel")
    with pytest.raises(ValueError, match=r"^column 'x0' mixes whole numbers below 1,000"):
        tables.from_array([["950", 1.0], ["1.200", 2.0], ["2.450", 3.0], ["780", 4.0]])
    # decimals that are decimals: no whole numbers beside them, or too few of either kind, or one of another form
    for column in (["1.250", "2.500", "3.125", "4.750"], ["1.250", "950", "3.125"], ["1.200", "950", "2.45", "780"],
                   ["1.200", "95", "2.450", "78"]):
        text = "a;b\n" + "".join(f"{v};{i}\n" for i, v in enumerate(column))
        assert len(tables.read_csv(write(tmp_path, text)).X) == len(column)


@pytest.mark.parametrize(("text", "at"), [("My measurements\na;b;c\n1;1;2\n3;4;5\n5;7;1\n", " at ';'"),
                                          ("My measurements\na\tb\n1\t2\n3\t4\n", " at '\\\\t'")],
                         ids=["semicolons", "tabs"])
def test_a_title_line_is_named_whatever_the_delimiter(tmp_path, text, at):
    """With ';' or tabs the title kept csv.Sniffer from the delimiter: "categorical", with a one-hot hint."""
    with pytest.raises(ValueError, match=rf"^line 1 of .* holds one value \('My measurements'\) but the lines after "
                                         rf"it hold [23]{at}: if it is a title or a comment, delete that line"):
        tables.read_csv(write(tmp_path, text))


def test_a_headerless_file_whose_first_row_repeats_a_number_is_named_as_headerless(tmp_path):
    """"1,1,2" as a header was refused with "column name(s) '1' appear more than once; rename them"."""
    with pytest.raises(ValueError, match=r"^line 1 of .* holds only numbers \('1', '1', '2'\), some of them twice: "
                                         r"the file seems to have no header line; add a line of column names first$"):
        tables.read_csv(write(tmp_path, "1,1,2\n3,4,5\n5,7,1\n"))
    # one column whose lines end with the delimiter is a trailing delimiter, not a title
    table = tables.read_csv(write(tmp_path, "a\n1,\n2,\n3,\n"))
    assert table.columns == ("a",) and table.X[:, 0].tolist() == [1, 2, 3]


# -- the edges of the new rules (from a mutation run of their functions) ------------------------------


@pytest.mark.parametrize(("plain", "refused"), [(("999", "640"), True), (("100", "50"), True), (("1000", "500"), False),
                                                (("99", "50"), False)], ids=["999", "100", "1000", "99"])
def test_the_thousands_point_rule_needs_whole_numbers_from_100_to_999(tmp_path, plain, refused):
    """Read as thousands, the grouped values are the ones from 1,000 up: a plain 1000 breaks that reading,
    and whole numbers all below 100 beside 1.200 look like anything but prices."""
    text = "a;b\n" + "".join(f"{v};{i}\n" for i, v in enumerate([plain[0], "1.200", "2.450", plain[1]]))
    if refused:
        with pytest.raises(ValueError, match=r"^column 'a' mixes whole numbers below 1,000 .* or write those numbers "
                                             r"with another count of decimals \(1.2000\)$"):
            tables.read_csv(write(tmp_path, text))
    else:
        assert tables.read_csv(write(tmp_path, text)).X.shape == (4, 2)
    # one grouped value is not enough to call the point a separator
    one = "a;b\n950;1\n1.200;2\n780;3\n640;4\n"
    assert tables.read_csv(write(tmp_path, one)).X[:, 0].tolist() == [950, 1.2, 780, 640]


def test_a_version_number_is_not_a_number_with_thousands_separators(tmp_path):
    # "1.234.5": a point before groups of three, then a decimal part after the same mark: text, not thousands
    with pytest.raises(ValueError, match=r"^column 'v' is categorical"):
        tables.read_csv(write(tmp_path, "v;x\n1.234.5;1\n2.345.6;2\n3.456.7;3\n"))


@pytest.mark.parametrize(("n", "refused"), [(10, True), (9, False)])
def test_row_numbers_are_refused_from_ten_rows(n, refused):
    values = np.column_stack([np.arange(1, n + 1), np.sin(np.arange(n)), np.cos(np.arange(n))])
    if refused:
        with pytest.raises(ValueError, match=r"^column 'Id' looks like row numbers"):
            tables.from_array(values, ["Id", "a", "b"])
    else:
        assert tables.from_array(values, ["Id", "a", "b"]).columns == ("Id", "a", "b")


def test_the_title_line_check_tries_every_separator_and_survives_an_unsplittable_one(tmp_path):
    with pytest.raises(ValueError, match=r"holds one value \('Measurements'\) but the lines after it hold 2 at '\|'"):
        tables.read_csv(write(tmp_path, "Measurements\na|b\n1|2\n3|4\n"))
    # decimal commas: ',' is the decimal mark, never a candidate separator, and the tab after it is still tried
    with pytest.raises(ValueError, match=r"holds one value \('Measurements'\) but the lines after it hold 2 at '\\t'"):
        tables.read_csv(write(tmp_path, "Measurements\na\tb\n1,5\t2\n3\t4,5\n"), decimal=",")
    # a line too long for the csv module at ';' and tabs (one field) does not stop the search before '|'
    long_line = "5," * 40000 + "5|" + "6," * 40000 + "6"  # 160,000 characters; each side of '|' half of it
    with pytest.raises(ValueError, match=r"holds one value \('Measurements'\) but the lines after it hold 2 at '\|'"):
        tables.read_csv(write(tmp_path, f"Measurements\na|b\n1|2\n3,3|4\n{long_line}\n"))


def test_a_two_column_header_with_a_trailing_delimiter_over_one_column_rows(tmp_path):
    table = tables.read_csv(write(tmp_path, "a,\n1\n2\n3\n"))
    assert table.columns == ("a",) and table.notes == (
        "left out the empty last field: the header line ends with the delimiter ','",)
    table = tables.read_csv(write(tmp_path, "a,\n1,\n2,\n3,\n"))
    assert table.columns == ("a",) and table.notes == ("left out the empty last field: each line ends with the "
                                                       "delimiter ','",)
    # a named last column that is empty on every line is the learner's to drop, and no delimiter was trailing
    table = tables.read_csv(write(tmp_path, "a,b,c\n1,2,\n3,4,\n"), drop=["c"])
    assert table.columns == ("a", "b") and table.notes == ()


@pytest.mark.parametrize(("column", "refused"), [
    (("100", "50", "100.000", "2.000"), True),
    (("950", "780", "640", "100.000", "2.000"), True),  # more than two whole numbers under 1,000
    (("1000", "500", "100.000", "2.000"), False),       # a plain 1000: the thousands reading breaks
    (("99", "50", "100.000", "2.000"), False),          # plain numbers all below 100
    (("950", "100.000", "2.000", "3.000"), False),      # one plain number
    (("950", "780", "100.000", "2.000", "1.5"), False),  # a decimal of another form
], ids=["100", "three-plain", "1000", "99", "one-plain", "other-decimal"])
def test_the_thousands_point_rule_reads_the_text_when_the_grouped_values_are_whole(tmp_path, column, refused):
    """1.000 and 100.000 parse to whole numbers under 1,000, so these columns reach the rule on the text
    itself, past the quick test on the parsed numbers."""
    text = "a;b\n" + "".join(f"{v};{i}\n" for i, v in enumerate(column))
    if refused:
        with pytest.raises(ValueError, match=r"^column 'a' mixes whole numbers below 1,000"):
            tables.read_csv(write(tmp_path, text))
    else:
        assert tables.read_csv(write(tmp_path, text)).X.shape == (len(column), 2)


def test_one_hot_refuses_a_column_with_more_values_than_half_its_rows(tmp_path):
    """A code for each row is text to the loader: one-hot turned a harvest's lot code (once, its date written
    '05-Jan-2024', which now has its own message) into one 0/1 column per wine (193 columns from 15), with only
    a note."""
    lots = [f"lot-{d:02d}A" for d in range(1, 31)]
    rows = "".join(f"{lot},{i % 3},{np.sin(i):.3f}\n" for i, lot in enumerate(lots))
    path = write(tmp_path, "harvest,kind,x\n" + rows)
    with pytest.raises(ValueError, match=r"^column 'harvest' has 30 different values in 30 rows \(such as .*\): "
                                         r"one-hot would make 30 0/1 columns for 30 rows.* drop=\['harvest'\]"):
        tables.read_csv(path, categorical="one-hot")
    assert tables.read_csv(path, categorical="one-hot", drop=["harvest"]).columns == ("kind", "x")
    # a real category keeps working, at the edge too: 10 values (not more than 10), or half the rows exactly
    for n_rows, n_levels in ((30, 10), (24, 12), (12, 6)):
        rows = "".join(f"c{i % n_levels},{np.sin(i):.3f}\n" for i in range(n_rows))
        table = tables.read_csv(write(tmp_path, "colour,x\n" + rows), categorical="one-hot")
        assert table.X.shape == (n_rows, n_levels + 1)
    rows = "".join(f"c{i % 13},{np.sin(i):.3f}\n" for i in range(24))  # 13 values in 24 rows: past half
    with pytest.raises(ValueError, match=r"^column 'colour' has 13 different values in 24 rows"):
        tables.read_csv(write(tmp_path, "colour,x\n" + rows), categorical="one-hot")


def test_columns_with_no_name_and_no_value_are_left_out_with_a_note(tmp_path):
    """Excel's ';;' at the end of every line, or an empty column in the middle: 'column 5 has no name in the
    header; give every column a name' was a dead end (naming it led to 'has no values')."""
    path = write(tmp_path, "\ufeffsample;alcohol;ash;;\r\nw1;13,2;2,4;;\r\nw2;13,5;2,1;;\r\nw3;12,9;2,6;;\r\n")
    table = tables.read_csv(path, id_column="sample", decimal=",")
    assert table.columns == ("alcohol", "ash") and table.X.tolist()[0] == [13.2, 2.4]
    assert table.notes[-1] == "left out 1 column(s) with no name and no value (column 4 of the file)"
    table = tables.read_csv(write(tmp_path, "sample,x,,y,\nw1,1,,2,\nw2,2,,3,\nw3,3,,1,\n"), id_column="sample")
    assert table.columns == ("x", "y") and table.X.tolist() == [[1, 2], [2, 3], [3, 1]]
    # a column with values but no name, or a name but no values, still stops: there is something to decide
    with pytest.raises(ValueError, match=r"^column 3 has no name in the header"):
        tables.read_csv(write(tmp_path, "sample,x,,y\nw1,1,5,2\nw2,2,,3\nw3,3,,1\n"), id_column="sample")
    with pytest.raises(ValueError, match=r"'empty'"):
        tables.read_csv(write(tmp_path, "sample,x,empty,y\nw1,1,,2\nw2,2,,3\nw3,3,,1\n"), id_column="sample")


def test_filling_or_dropping_most_of_a_table_draws_a_warning_at_the_learners_call(tmp_path):
    """A learner's probe: a column 94 % empty was filled with its median (188 of 200 values), or cut the table to
    12 of 200 rows, with only a note in table.notes."""
    import warnings

    rows = "".join(f"r{i},{i % 7},{'' if i % 17 else i}\n" for i in range(40))  # 'gappy' holds 3 of 40 values
    path = write(tmp_path, "id,a,gappy\n" + rows)
    with pytest.warns(UserWarning, match=r"^missing='median' filled 37 of the 40 values of 'gappy': most of that "
                                         r"column is now its median.*drop=\['gappy'\]$") as caught:
        tables.read_csv(path, id_column="id", missing="median")
    assert caught[0].filename == __file__
    with pytest.warns(UserWarning, match=r"^missing='drop-rows' left out 37 of the 40 rows, more than half; the "
                                         r"column with the most gaps is 'gappy' \(37 missing\)") as caught:
        table = tables.read_csv(path, id_column="id", missing="drop-rows")
    assert caught[0].filename == __file__ and len(table.ids) == 3
    half = "".join(f"r{i},{i % 7},{'' if i % 2 else i}\n" for i in range(40))  # exactly half missing
    with pytest.warns(UserWarning, match=r"gather into a cluster of their own") as caught:  # not 'most of that column'
        tables.read_csv(write(tmp_path, "id,a,b\n" + half), id_column="id", missing="median")
    assert not any("most of that column" in str(w.message) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tables.read_csv(write(tmp_path, "id,a,b\n" + half), id_column="id", missing="drop-rows")
    frame = np.column_stack([np.arange(40) % 7, np.where(np.arange(40) % 17, np.nan, np.arange(40.0))])
    with pytest.warns(UserWarning, match="filled 37 of the 40 values of 'b'") as caught:
        tables.from_array(frame, ["a", "b"], missing="median")
    assert caught[0].filename == __file__


@pytest.mark.parametrize("name", ["CustomerID", "CustomerId", "PassengerId", "SampleID", "userId", "RowNumber",
                                  "Nr.", "S.No", "Serial"])
def test_camel_case_and_abbreviated_row_number_names_are_refused_too(name):
    """A learner's probe of notebook 05: Mall_Customers' CustomerID (1..200, the most common Kaggle clustering
    table), Titanic's PassengerId, SampleID beside iris sorted by species (ARI 1.00 from row blocks) loaded as
    features: the name check knew customer_id and Id, not camelCase or 'S.No'."""
    _refused_under_each_name(np.arange(1, 13), (name,), lambda label: rf"^column '{re.escape(label)}' looks like row numbers")
    _refused_under_each_name(np.random.default_rng(1).permutation(12) + 500, (name,),
                             lambda label: rf"^column '{re.escape(label)}' looks like identifiers \(a different")


@pytest.mark.parametrize("name", ["pH", "HbA1c", "BMI", "Age", "nOfChildren", "IDH", "Video", "Solid"])
def test_measurement_names_with_capitals_or_id_inside_them_are_not_identifiers(name):
    values = np.column_stack([np.arange(1, 13), np.sin(np.arange(12)), np.cos(np.arange(12))])
    assert tables.from_array(values, [name, "a", "b"]).columns == (name, "a", "b")


def test_median_filled_rows_that_could_gather_into_a_cluster_draw_a_warning(tmp_path):
    """A learner's probe of notebook 05: 30 of 200 spending scores (15 %) filled with the median made a sixth
    cluster of 11 filled rows and 1 other on a table of five groups (with missing='drop-rows': five, ARI 1.00);
    the loader warned only above half a column. From 5 % of the rows, and 5 rows, it warns, naming each column."""
    import warnings

    def table(n, gaps):  # n rows; column b empty in the first gaps[0] rows, c in the first gaps[1]
        rows = "".join(f"r{i},{i % 7},{'' if i < gaps[0] else i},{'' if i < gaps[1] else i % 5}\n" for i in range(n))
        return write(tmp_path, "id,a,b,c\n" + rows)

    with pytest.warns(UserWarning, match=r"^missing='median' gave rows one made-up value each, the column's median: "
                                         r"10 in 'b' \(5%\), 30 in 'c' \(15%\)\. Rows that share a value can gather "
                                         r"into a cluster of their own: compare the clusters with missing='drop-rows'$"
                      ) as caught:
        tables.read_csv(table(200, (10, 30)), id_column="id", missing="median")
    assert len(caught) == 1 and caught[0].filename == __file__  # one warning for both columns, at the call
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tables.read_csv(table(200, (9, 4)), id_column="id", missing="median")  # 4.5 %, and 4 rows: quiet
        tables.read_csv(table(40, (4, 0)), id_column="id", missing="median")  # 10 %, but 4 rows: quiet
        tables.read_csv(table(200, (30, 30)), id_column="id", missing="drop-rows")  # rows left out: nothing made up


def test_a_dataframes_empty_unnamed_columns_are_named_as_empty_columns_not_as_its_index():
    """A learner's probe of notebook 05: pandas.read_csv of lines ending in ',,' (or read_excel of formatted empty
    cells) adds empty columns 'Unnamed: 2', 'Unnamed: 3'; the message called them pandas' row index and advised
    index_col=0, which made the feature 'a' the index and brought the same error back."""
    import io

    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(io.StringIO("a,b,,\n1,2,,\n3,4,,\n5,6,,\n"))
    assert list(frame.columns) == ["a", "b", "Unnamed: 2", "Unnamed: 3"]
    with pytest.raises(ValueError, match=r"^column\(s\) 'Unnamed: 2', 'Unnamed: 3' have no name and no values: empty "
                                         r"columns .*not pandas' row index; leave them out with "
                                         r"drop=\['Unnamed: 2', 'Unnamed: 3'\] \(in pandas: "
                                         r"df\.dropna\(axis=1, how='all'\)\)$"):
        tables.from_array(frame)
    assert tables.from_array(frame, drop=["Unnamed: 2", "Unnamed: 3"]).columns == ("a", "b")
    wide = pd.read_csv(io.StringIO("a,b" + "," * 11 + "\n" + "".join(f"{i},{i + 1}" + "," * 11 + "\n" for i in range(3))))
    with pytest.raises(ValueError, match=r"^column\(s\) 'Unnamed: 2', .*'Unnamed: 11', \.\.\. have no name"):
        tables.from_array(wide)  # ten named, the eleventh left to the drop= list that follows
    assert tables.from_array(frame.dropna(axis=1, how="all")).columns == ("a", "b")
    with pytest.raises(ValueError, match=r"^column 'Unnamed: 0' is pandas' row index"):  # a real index: as before
        tables.from_array(pd.read_csv(io.StringIO(",a,b\n0,1,2\n1,3,4\n2,5,6\n")))
    half = frame.copy()
    half.loc[0, "Unnamed: 3"] = 7.0  # one value: not empty, so an unnamed column with data, refused as before
    with pytest.raises(ValueError, match=r"^column\(s\) 'Unnamed: 2' have no name and no values"):
        tables.from_array(half)
    with pytest.raises(ValueError, match=r"^column 'Unnamed: 3' is pandas' row index"):
        tables.from_array(half, drop=["Unnamed: 2"])


def test_commas_that_look_like_thousands_separators_are_named_with_a_decimal_comma_too(tmp_path):
    """A learner's probe of notebook 05: amounts written 37,163 / 3,900 / 950 (US thousands) were refused by
    default with "read with decimal=','"; read so, 37,163 became 37.163 and 3,900 3.9 beside 950, in silence."""
    path = write(tmp_path, "order\tamount\titems\no0\t37,163\t3\no1\t3,900\t13\no2\t950\t2\no3\t780\t5\n")
    with pytest.raises(ValueError, match=r"^column 'amount' holds numbers written with a comma"):
        tables.read_csv(path, id_column="order")  # as before: decimal mark or thousands?
    with pytest.raises(ValueError, match=r"^column 'amount' mixes whole numbers below 1,000 \('950', '780'\) with "
                                         r"numbers such as '37,163' \(first at line 2\) that have a comma before groups "
                                         r"of three digits: the comma looks like a thousands separator \(37,163 = "
                                         r"37163\), and read with decimal=',' as a decimal mark it would divide those "
                                         r"values by 1,000\. If so, remove the commas in the file and read it without "
                                         r"decimal=','; .*\(37,1630\)$"):
        tables.read_csv(path, id_column="order", decimal=",")
    with pytest.raises(ValueError, match=r"^column 'x0' mixes whole numbers below 1,000"):
        tables.from_array([["950", 1.0], ["1,200", 2.0], ["2,450", 3.0], ["780", 4.0]], decimal=",")
    # decimal commas that are decimals: another count of decimals, a leading 0, too few of either kind, 1000 plainly
    for column in (["1,250", "2,500", "3,125", "4,750"], ["1,250", "950", "3,125"], ["1,200", "950", "2,45", "780"],
                   ["0,750", "950", "0,250", "780"], ["1,200", "1000", "2,450", "500"], ["1,200", "95", "2,450", "78"]):
        text = "a;b\n" + "".join(f"{v};{i}\n" for i, v in enumerate(column))
        assert len(tables.read_csv(write(tmp_path, text), decimal=",").X) == len(column), column


@pytest.mark.parametrize(("plain", "refused"), [(("999", "640"), True), (("100", "50"), True), (("1000", "500"), False),
                                                (("99", "50"), False), (("101", "50"), True), (("998", "100"), True)],
                         ids=["999", "100", "1000", "99", "101", "998"])
def test_the_thousands_comma_rule_needs_whole_numbers_from_100_to_999(tmp_path, plain, refused):
    """The edges of the comma rule (decimal=','), as of the point rule: the plain values must be whole numbers
    from 100 to 999, at least two of them, beside at least two grouped values, with missing cells left aside."""
    for cells in ([plain[0], "1,200", "2,450", plain[1]], [plain[0], "1,200", "", "2,450", "NA", plain[1]]):
        text = "a;b\n" + "".join(f"{v};{i}\n" for i, v in enumerate(cells))
        if refused:
            with pytest.raises(ValueError, match=r"^column 'a' mixes whole numbers below 1,000 .*\(1,2000\)$"):
                tables.read_csv(write(tmp_path, text), decimal=",", missing="median")
        else:
            assert tables.read_csv(write(tmp_path, text), decimal=",", missing="median").X.shape == (len(cells), 2)
    one = "a;b\n950;1\n1,200;2\n780;3\n640;4\n"  # one grouped value is not enough to call the comma a separator
    assert tables.read_csv(write(tmp_path, one), decimal=",").X[:, 0].tolist() == [950, 1.2, 780, 640]
    three_plain = "a;b\n950;1\n1,200;2\n2,450;3\n780;4\n640;5\n"  # more plain values than two: still refused
    with pytest.raises(ValueError, match=r"^column 'a' mixes whole numbers below 1,000 \('950', '780', '640'\)"):
        tables.read_csv(write(tmp_path, three_plain), decimal=",")
    one_plain = "a;b\n950;1\n1,200;2\n2,450;3\n"  # one plain value: not enough
    assert tables.read_csv(write(tmp_path, one_plain), decimal=",").X.shape == (3, 2)


def test_the_thousands_comma_rule_reads_the_text_where_the_parsed_numbers_cannot_tell(tmp_path):
    """Grouped values such as '100,000' read as whole numbers (100.0) with decimal=',', so the quick test on the
    parsed numbers lets them through: the rule on the text must still ask for two plain whole numbers from 100 to
    999 and nothing else."""
    def load(*cells):
        return tables.read_csv(write(tmp_path, "a;b\n" + "".join(f"{v};{i}\n" for i, v in enumerate(cells))),
                               decimal=",")

    assert load("950", "1,000", "2,000", "3,000").X[:, 0].tolist() == [950, 1, 2, 3]  # one plain value only
    assert load("99", "50", "100,000", "200,000").X.shape == (4, 2)  # plain values under 100
    assert load("1000", "500", "100,000", "2,450").X.shape == (4, 2)  # a plain 1000 breaks the thousands reading
    assert load("950", "780", "1,200", "2,450", "12,5").X.shape == (5, 2)  # a decimal of another form among them
    with pytest.raises(ValueError, match=r"such as '1,200' \(first at line 3\)"):  # the line of the grouped value
        load("950", "1,200", "780", "2,450")


@pytest.mark.parametrize("name", ["zip", "ZipCode", "postcode", "PostalCode", "post_code", "PLZ", "product_code",
                                  "Area Code", "phone", "customer_phone", "code", "phone_number", "PhoneNumber",
                                  "mobile", "tel", "county_fips", "StateFIPS", "Zip5"])
def test_whole_numbers_under_a_codes_name_are_refused_as_codes(tmp_path, name):
    """A learner's probe of notebook 05: a postcode column loaded as a measurement, and the rule split the
    customers by postcode. Codes name things; their differences are not distances."""
    zips = np.random.default_rng(0).integers(10000, 99999, 12)
    values = np.column_stack([zips, np.sin(np.arange(12))])
    with pytest.raises(ValueError, match=rf"^column '{re.escape(name)}' looks like codes \(whole numbers such as "
                                         rf"{zips[0]} and {zips[1]}, and its name\): .* drop=\['{re.escape(name)}'\] "
                                         r"and keep it aside to describe the clusters with; if it is a real "
                                         r"measurement, rename the column$"):
        tables.from_array(values, [name, "a"])
    text = f"{name},a\n" + "".join(f"{z:.0f},{v:.3f}\n" for z, v in values)
    with pytest.raises(ValueError, match=rf"^column '{re.escape(name)}' looks like codes"):
        tables.read_csv(write(tmp_path, text))
    assert tables.read_csv(write(tmp_path, text), drop=[name]).columns == ("a",)
    assert tables.read_csv(write(tmp_path, text.replace(f"{zips[3]},", f"{zips[3]}.5,"))).X.shape == (12, 2)  # not whole
    with pytest.raises(ValueError, match="looks like codes"):
        tables.from_array(values[:10], [name, "a"])
    assert tables.from_array(values[:9], [name, "a"]).X.shape == (9, 2)  # from 10 rows on, as identifiers
    blank = text.replace(f"\n{zips[4]:.0f},", "\n,")  # a postcode column with one empty cell is still codes
    for missing in ("median", "drop-rows"):
        with pytest.raises(ValueError, match=rf"^column '{re.escape(name)}' looks like codes"):
            tables.read_csv(write(tmp_path, blank), missing=missing)


@pytest.mark.parametrize("name", ["zipped", "barcode_length", "codes_per_line", "encoder", "zip_plus", "Phoneme",
                                  "lines_of_code", "LinesOfCode", "lines of code"])
def test_names_that_only_contain_a_codes_word_are_measurements(name):
    values = np.column_stack([np.arange(1, 13) * 7, np.sin(np.arange(12))])
    assert tables.from_array(values, [name, "a"]).columns == (name, "a")


def test_every_codes_name_notebook_05_lists_is_refused():
    """Notebook 05's settings list names the codes the loader refuses: each is refused, and a plain name is not."""
    import nbformat

    notebook = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "05_your_own_data.ipynb", 4)
    text = " ".join(" ".join(c.source for c in notebook.cells if c.cell_type == "markdown").split())
    sentence = re.search(r"So is a column of whole numbers named like codes \(([^)]*)\): its numbers name places or "
                         r"things, and their differences are not distances", text)
    names = re.findall(r"`([^`]+)`", sentence[1])
    assert len(names) >= 4
    values = np.column_stack([np.arange(12) * 37 + 10000, np.sin(np.arange(12))])
    for name in names:
        with pytest.raises(ValueError, match=rf"^column '{name}' looks like codes"):
            tables.from_array(values, [name, "a"])
    assert tables.from_array(values, ["weight", "a"]).X.shape == (12, 2)
