"""Property-based tests of helpers.tables (hypothesis): round trips, and no traceback from deep inside.

Each property is checked on many generated tables: a table that ``write_csv`` wrote reads back
exactly; the same numbers written with decimal commas read back exactly with ``decimal=","``; and
any text at all either loads as a finite table or stops with one ValueError/TypeError sentence.
"""

from __future__ import annotations

import string

import numpy as np
import pytest

pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers import tables  # noqa: E402

SETTINGS = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

names = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=8)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def numeric_tables(draw):
    n_columns = draw(st.integers(1, 4))
    n_rows = draw(st.integers(2, 7))
    columns = draw(st.lists(names, min_size=n_columns, max_size=n_columns, unique=True))
    values = draw(st.lists(st.lists(finite, min_size=n_rows, max_size=n_rows), min_size=n_columns,
                           max_size=n_columns))
    return columns, np.array(values, dtype=np.float64).T


def _expected(columns, X):
    """What a correct reader returns with constant="drop": the columns that change."""
    changing = X.max(axis=0) != X.min(axis=0)
    return tuple(c for c, keep in zip(columns, changing) if keep), X[:, changing]


def _check_read(read, columns, X):
    kept, expected = _expected(columns, X)
    if not kept:
        with pytest.raises(ValueError, match="constant"):
            read()
        return
    table = read()
    assert table.columns == kept
    np.testing.assert_array_equal(table.X, expected)
    assert table.ids.tolist() == [str(line) for line in range(2, 2 + len(X))]


@SETTINGS
@given(numeric_tables())
def test_any_numeric_table_written_with_write_csv_reads_back_exactly(tmp_path, table):
    columns, X = table
    path = tables.write_csv(tmp_path / "t.csv", {c: X[:, j] for j, c in enumerate(columns)})
    _check_read(lambda: tables.read_csv(path, constant="drop"), columns, X)


@SETTINGS
@given(numeric_tables())
def test_decimal_comma_files_read_back_exactly_with_decimal_comma(tmp_path, table):
    columns, X = table
    path = tmp_path / "comma.csv"
    lines = [";".join(columns)] + [";".join(repr(float(v)).replace(".", ",") for v in row) for row in X]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _check_read(lambda: tables.read_csv(path, constant="drop", decimal=","), columns, X)
    # Without the option, a column with a comma never loads as text: it stops and names the fix.
    if any("," in line for line in lines[1:]):
        with pytest.raises(ValueError, match=r"decimal=','"):
            tables.read_csv(path, constant="drop", categorical="one-hot")


cell_text = st.text(alphabet=string.ascii_letters[:4] + string.digits + " ,;\t\n\r\".-+eE_?", max_size=200)
options = st.fixed_dictionaries({}, optional={
    "missing": st.sampled_from(["error", "median", "drop-rows"]),
    "categorical": st.sampled_from(["error", "drop", "one-hot"]),
    "constant": st.sampled_from(["error", "drop"]),
    "decimal": st.sampled_from([".", ","]),
    "delimiter": st.sampled_from([None, ",", ";"]),
})


def _loaded_or_clear_error(load):
    try:
        table = load()
    except (ValueError, TypeError) as problem:
        message = str(problem)
        assert message and "\n" not in message
        return None
    # Ready to cluster: at least 2 rows (fewer is an error, also after drop-rows), finite, no constant column.
    assert table.X.ndim == 2 and table.X.shape[0] >= 2 and table.X.shape[1] >= 1
    assert np.all(np.isfinite(table.X))
    assert np.all(table.X.max(axis=0) > table.X.min(axis=0))
    assert len(table.columns) == table.X.shape[1] and len(table.ids) == table.X.shape[0]
    return table


@SETTINGS
@given(cell_text, options, st.sampled_from(["utf-8", "latin-1"]))
def test_any_text_file_loads_as_a_finite_table_or_stops_with_one_sentence(tmp_path, text, kwargs, encoding):
    path = tmp_path / "any.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _loaded_or_clear_error(lambda: tables.read_csv(path, **kwargs))


cells = st.one_of(st.none(), st.floats(), st.integers(-5, 5), st.booleans(), st.text(max_size=4),
                  st.sampled_from(["1,5", "NA", "", "inf", "1.5"]))


@st.composite
def mixed_rows(draw):
    n_columns, n_rows = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    return [[draw(cells) for _ in range(n_columns)] for _ in range(n_rows)]


@settings(SETTINGS, max_examples=30)
@given(mixed_rows(), options.map(lambda kw: {k: v for k, v in kw.items() if k != "delimiter"}))
def test_any_array_of_mixed_cells_loads_as_a_finite_table_or_stops_with_one_sentence(rows, kwargs):
    table = _loaded_or_clear_error(lambda: tables.from_array(np.array(rows, dtype=object), **kwargs))
    if table is not None:  # a loaded table is never silently wrong about its size
        assert table.X.shape[0] <= len(rows)


number_like = st.text(alphabet="0123456789+-.eE _,\u2212\u0663 \t", min_size=0, max_size=8)


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(number_like, min_size=1, max_size=6))
def test_the_fast_reading_of_plain_numbers_agrees_with_reading_cell_by_cell(cells):
    """read_csv reads a column of plain numbers at C speed; it must give what _parse gives cell by cell,
    and leave every other column (missing, text, '1_000', a typographic minus) to _parse."""
    fast = tables._plain_numbers(cells)
    parsed = [tables._parse(cell) for cell in cells]
    if fast is None:
        return
    assert all(number is not None and not missing for number, missing in parsed)
    np.testing.assert_array_equal(fast, [number for number, _ in parsed])


def test_the_fast_reading_takes_plain_numbers_and_nothing_else():
    assert tables._plain_numbers(["1", " -2.5 ", "+.5", "5.", "1e3", "1E-2"]).tolist() == [1, -2.5, 0.5, 5, 1000, 0.01]
    for other in (["1", ""], ["1", "NA"], ["1", "nan"], ["1_000"], ["\u22121"], ["1,5"], ["1", 2.0], ["inf"]):
        assert tables._plain_numbers(other) is None, other


real_cells = st.one_of(finite, st.just(float("nan")), st.just(float("inf")), st.integers(-10**20, 10**20),
                       st.booleans(), st.none(), st.just("1.5"), st.just(10**400),
                       st.builds(np.float32, finite.filter(lambda x: abs(x) < 1e30)), st.builds(np.int64, st.integers(-9, 9)))


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(real_cells, min_size=1, max_size=6))
def test_the_fast_reading_of_an_arrays_numbers_agrees_with_reading_cell_by_cell(cells):
    """from_array reads a column of Python floats and ints (what a numeric array or DataFrame gives) at C
    speed; it must give what _parse gives cell by cell, NaN as missing, and leave every other cell (a
    boolean, None, text, NumPy scalars, an int beyond float) to _parse."""
    fast = tables._real_numbers(cells)
    if fast is None:
        assert not all(type(cell) in (float, int) for cell in cells) or any(abs(c) > 1e308 for c in cells)
        return
    parsed = [tables._parse(cell) for cell in cells]
    assert all(number is not None for number, _ in parsed)
    np.testing.assert_array_equal(fast, [number for number, _ in parsed])
    np.testing.assert_array_equal(np.isnan(fast), [missing for _, missing in parsed])


def test_a_numeric_array_is_read_without_parsing_each_cell(monkeypatch):
    """50,000 x 200 took a minute when every cell went through _parse; a numeric array or DataFrame does
    not need it (a NaN still counts as missing, and booleans still make a 0/1 column with a note)."""
    monkeypatch.setattr(tables, "_parse", lambda *a, **k: pytest.fail("a numeric cell was parsed one by one"))
    values = np.array([[1.0, 2], [np.nan, 3], [2.5, 4]])
    table = tables.from_array(values, missing="median")
    assert table.X.tolist() == [[1.0, 2.0], [1.75, 3.0], [2.5, 4.0]]
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1, 5, 2], "c": np.array([1, 2, 4], dtype=np.float32)})
    assert tables.from_array(frame).X.tolist() == [[1, 1, 1], [2, 5, 2], [3, 2, 4]]
    with pytest.raises(ValueError, match="'x0' has 1 missing value"):
        tables.from_array(values)
