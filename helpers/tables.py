"""Load a table of your own (a CSV file or an array) and make it ready to cluster.

Clustering needs a finite table of numbers. Real files are rarely that: a
column of names, a text column such as a colour, a few empty cells, a
column that never changes, a typo that turns a number into text. This module
reads the table with Python's :mod:`csv` module and NumPy (no pandas), and
stops at the first such problem with a message that names the column and
says what to do. Each problem has an option that settles it on purpose:

========================  ====================  ==============================
problem                   default               options
========================  ====================  ==============================
missing values            error                 ``missing="median"`` or
                                                ``"drop-rows"``
a column of text          error                 ``categorical="drop"`` or
(categorical)                                   ``"one-hot"``; ``id_column=``
                                                for a column that names rows
a column that never       error                 ``constant="drop"``
changes
any column                kept                  ``drop=["name", ...]``
========================  ====================  ==============================

A column with no values at all, a text value among numbers (``"12,5"``,
``"n/a"``), an empty file and a table with no numeric column are always
errors: there is no safe automatic fix.
"""

from __future__ import annotations

import csv
import math
import numbers
import os
from typing import NamedTuple

import numpy as np

#: Cell texts read as "missing" (compared after stripping spaces, case-insensitive).
MISSING = ("", "na", "n/a", "nan", "null", "none", "?", "-")

_MISSING_POLICIES = ("error", "median", "drop-rows")
_CATEGORICAL_POLICIES = ("error", "drop", "one-hot")
_CONSTANT_POLICIES = ("error", "drop")


class Table(NamedTuple):
    """A numeric table ready to scale and cluster.

    Attributes
    ----------
    X : numpy.ndarray of shape (n_rows, n_columns), float64
        The values in their original units (not scaled), no missing values.
    columns : tuple of str
        The name of every column of ``X``.
    ids : numpy.ndarray of str, shape (n_rows,)
        A name for every row: the ``id_column`` if one was given, else the
        row's line number in the file (or its index in the array).
    notes : tuple of str
        What was changed on the way, one plain sentence each (empty when
        nothing was).
    """

    X: np.ndarray
    columns: tuple
    ids: np.ndarray
    notes: tuple


def _check_choice(value, name, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def _parse(value):
    """``(number, is_missing)`` for one cell; ``number`` is None for text."""
    if value is None:
        return math.nan, True
    if isinstance(value, (bool, np.bool_)):
        return None, False  # True/False is a category, not a measurement
    if isinstance(value, numbers.Real):
        number = float(value)
        return number, math.isnan(number)
    text = str(value).strip()
    if text.lower() in MISSING:
        return math.nan, True
    try:
        return float(text), False
    except ValueError:
        return None, False


def _show(values, limit=3):
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (", ..." if len(values) > limit else "")


def _locations(rows, where):
    rows = [int(r) for r in rows]
    text = ", ".join(f"{where} {r}" for r in rows[:5])
    return text + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")


def _build(header, cells, row_names, where, *, id_column, drop, missing, categorical, constant):
    """The checks shared by :func:`read_csv` and :func:`from_array`.

    ``cells`` is a list of columns, each a list of raw values; ``row_names``
    gives each row's line number (CSV) or index (array) for messages.
    """
    missing = _check_choice(missing, "missing", _MISSING_POLICIES)
    categorical = _check_choice(categorical, "categorical", _CATEGORICAL_POLICIES)
    constant = _check_choice(constant, "constant", _CONSTANT_POLICIES)
    header = [str(name).strip() for name in header]
    for position, name in enumerate(header):
        if not name:
            raise ValueError(f"column {position + 1} has no name in the header; give every column a name")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ValueError(f"column name(s) {_show(repeated)} appear more than once in the header; rename them")
    drop = [drop] if isinstance(drop, str) else list(drop or ())
    for name in [*drop, *([id_column] if id_column is not None else [])]:
        if name not in header:
            raise ValueError(f"there is no column {name!r}; the columns are {_show(header, 20)}")
    n_rows = len(row_names)
    if n_rows < 2:
        raise ValueError(f"the table has {n_rows} data row(s); clustering needs at least 2")

    notes = []
    if id_column is not None:
        ids = np.array([str(v).strip() for v in cells[header.index(id_column)]])
    else:
        ids = np.array([str(r) for r in row_names])

    numeric, names, text_columns = [], [], []
    for name, values in zip(header, cells):
        if name == id_column or name in drop:
            continue
        parsed = [_parse(v) for v in values]
        is_missing = np.array([m for _, m in parsed])
        is_text = np.array([n is None for n, _ in parsed])
        present = int(np.count_nonzero(~is_missing))
        if present == 0:
            raise ValueError(f"column {name!r} has no values: all {n_rows} cells are missing; "
                             f"leave it out with drop=[{name!r}]")
        if is_text.any():
            words = [str(v).strip() for v, t in zip(values, is_text) if t]
            if np.count_nonzero(is_text) < present - np.count_nonzero(is_text):
                # Mostly numbers: the text is a typo or an unmarked gap, not a category.
                bad = np.flatnonzero(is_text)
                raise ValueError(
                    f"column {name!r} holds numbers but {_locations(np.asarray(row_names)[bad], where)} "
                    f"{'has' if len(bad) == 1 else 'have'} a value that is not a number: {_show(words)}. "
                    f"Correct it, or write it as an empty cell to mark it missing")
            text_columns.append((name, values, is_missing))
            continue
        numeric.append(np.array([n for n, _ in parsed], dtype=np.float64))
        names.append(name)

    for name, values, is_missing in text_columns:
        levels = sorted({str(v).strip() for v, m in zip(values, is_missing) if not m})
        if categorical == "error":
            hint = (f"if it names the rows, use id_column={name!r}; " if len(levels) == n_rows else "")
            raise ValueError(
                f"column {name!r} is categorical (text such as {_show(levels)}), not numeric: {hint}"
                f"leave it out with drop=[{name!r}] or categorical='drop', or turn it into 0/1 columns "
                f"with categorical='one-hot'")
        if categorical == "drop":
            notes.append(f"left out the categorical column {name!r} ({len(levels)} different values)")
            continue
        for level in levels:
            column = np.array([math.nan if m else float(str(v).strip() == level)
                               for v, m in zip(values, is_missing)])
            numeric.append(column)
            names.append(f"{name}={level}")
        notes.append(f"turned the categorical column {name!r} into {len(levels)} 0/1 columns")

    if not numeric:
        kinds = [f"{n!r} (text)" for n, _, _ in text_columns]
        raise ValueError(f"the table has no numeric column to cluster; its columns are "
                         f"{_show(kinds + [repr(d) for d in drop], 20) if kinds or drop else 'none'}")
    X = np.column_stack(numeric)

    holes = np.isnan(X)
    if holes.any():
        counts = holes.sum(axis=0)
        if missing == "error":
            first = int(np.flatnonzero(counts)[0])
            rows_missing = np.asarray(row_names)[holes[:, first]]
            raise ValueError(
                f"column {names[first]!r} has {counts[first]} missing value(s) ({_locations(rows_missing, where)}); "
                f"{np.count_nonzero(counts)} column(s) have gaps in all. Use missing='median' to fill each gap "
                f"with its column's median, or missing='drop-rows' to leave those rows out")
        if missing == "median":
            medians = np.nanmedian(X, axis=0)
            X = np.where(holes, medians, X)
            for j in np.flatnonzero(counts):
                notes.append(f"filled {counts[j]} missing value(s) in {names[j]!r} with its median {medians[j]:.4g}")
        else:
            keep = ~holes.any(axis=1)
            if np.count_nonzero(keep) < 2:
                raise ValueError(f"only {np.count_nonzero(keep)} row(s) have no missing value; "
                                 f"use missing='median' instead of 'drop-rows'")
            notes.append(f"left out {np.count_nonzero(~keep)} row(s) with missing values")
            X, ids = X[keep], ids[keep]

    infinite = ~np.isfinite(X)
    if infinite.any():
        j = int(np.flatnonzero(infinite.any(axis=0))[0])
        raise ValueError(f"column {names[j]!r} has {np.count_nonzero(infinite[:, j])} infinite value(s); "
                         f"correct them or mark them missing")

    flat = np.ptp(X, axis=0) == 0
    if flat.any():
        flat_names = [names[j] for j in np.flatnonzero(flat)]
        if constant == "error":
            raise ValueError(
                f"column {flat_names[0]!r} is constant (every value is {X[0, np.flatnonzero(flat)[0]]:.4g}): it "
                f"cannot separate any rows, and scaling would divide by zero. Leave it out with "
                f"drop=[{flat_names[0]!r}] or constant='drop'")
        if flat.all():
            raise ValueError(f"every numeric column is constant ({_show(flat_names, 20)}): nothing to cluster")
        notes.append(f"left out the constant column(s) {_show(flat_names, 20)}")
        X = X[:, ~flat]
        names = [n for n, f in zip(names, flat) if not f]
    return Table(X, tuple(names), ids, tuple(notes))


def read_csv(path, *, id_column=None, drop=(), missing="error", categorical="error", constant="error",
             delimiter=None):
    """Read a CSV file with a header row into a numeric :class:`Table`.

    Parameters
    ----------
    path : str or path-like
        The file; the first row names the columns.
    id_column : str, optional
        A column that names the rows (kept as ``table.ids``, not clustered).
    drop : sequence of str, default=()
        Columns to leave out.
    missing : {"error", "median", "drop-rows"}, default="error"
        What to do with empty cells (and ``NA``, ``NaN``, ``?``, ...).
    categorical : {"error", "drop", "one-hot"}, default="error"
        What to do with text columns.
    constant : {"error", "drop"}, default="error"
        What to do with columns whose value never changes.
    delimiter : str, optional
        The separator; by default guessed from the first lines (``,``, ``;``
        or a tab).

    Returns
    -------
    Table

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If the file is empty, rows are ragged, or a column has a problem
        the options do not settle; the message names the column and, where
        it helps, the line.
    """
    path = os.fspath(path)
    with open(path, newline="", encoding="utf-8-sig") as handle:
        text = handle.read()
    if not text.strip():
        raise ValueError(f"{path} is empty: expected a header row with the column names, then one row per sample")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    lines = [(number, row) for number, row in enumerate(csv.reader(text.splitlines(), delimiter=delimiter), start=1)
             if any(cell.strip() for cell in row)]
    (_, header), body = lines[0], lines[1:]
    if not body:
        raise ValueError(f"{path} has a header row but no data rows")
    for number, row in body:
        if len(row) != len(header):
            raise ValueError(f"line {number} of {path} has {len(row)} values but the header names "
                             f"{len(header)} columns (is a value missing its delimiter {delimiter!r}?)")
    cells = [[row[j] for _, row in body] for j in range(len(header))]
    return _build(header, cells, [number for number, _ in body], "line", id_column=id_column, drop=drop,
                  missing=missing, categorical=categorical, constant=constant)


def from_array(values, columns=None, *, id_column=None, drop=(), missing="error", categorical="error",
               constant="error"):
    """Check an array (numbers, or text read some other way) into a numeric :class:`Table`.

    The same checks and options as :func:`read_csv`, for data already in
    memory, e.g. ``sklearn.datasets.load_wine().data``. ``NaN`` and ``None``
    count as missing.

    Parameters
    ----------
    values : array-like of shape (n_rows, n_columns)
    columns : sequence of str, optional
        Column names; default ``"x0", "x1", ...``.
    id_column, drop, missing, categorical, constant
        As for :func:`read_csv`.

    Returns
    -------
    Table
    """
    array = np.asarray(values, dtype=object)
    if array.ndim != 2:
        raise ValueError(f"values must be a 2-D table (rows x columns); got shape {array.shape}")
    if array.shape[1] == 0:
        raise ValueError("values has no columns")
    if columns is None:
        columns = [f"x{j}" for j in range(array.shape[1])]
    columns = [str(c) for c in columns]
    if len(columns) != array.shape[1]:
        raise ValueError(f"columns names {len(columns)} columns but values has {array.shape[1]}")
    cells = [list(array[:, j]) for j in range(array.shape[1])]
    return _build(columns, cells, list(range(array.shape[0])), "row", id_column=id_column, drop=drop,
                  missing=missing, categorical=categorical, constant=constant)


def write_csv(path, columns):
    """Write named columns of equal length to a CSV file (a header row, then one row per sample).

    Parameters
    ----------
    path : str or path-like
    columns : dict of str -> sequence
        Column name -> values. Floats are written with up to 6 significant
        digits.

    Returns
    -------
    str
        The path written.
    """
    if not isinstance(columns, dict) or not columns:
        raise TypeError("columns must be a non-empty dict: column name -> values")
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"every column needs the same number of values; got {lengths}")

    def cell(value):
        if isinstance(value, (float, np.floating)):
            return f"{float(value):.6g}"
        return str(value.item() if isinstance(value, np.generic) else value)

    path = os.fspath(path)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(columns))
        for row in zip(*columns.values()):
            writer.writerow([cell(v) for v in row])
    return path
