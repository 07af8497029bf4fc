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

Numbers written with a decimal comma (``1,5``, as Excel writes them in
much of Europe) are read with ``decimal=","``; without it, such a column is
an error that says so, never a text column. Such a file separates its
values with ``;``, or puts the numbers in quotes (``"1,5","2,5"``: add
``delimiter=","``). A file in another encoding
than UTF-8 (Excel's Latin-1 or cp1252) is read with ``encoding=``.

Empty cells and the usual markers of a missing value (``NA``, ``n/a``,
``?``, ``-``, ``null``, ...: ``MISSING`` below) are missing values. A column
with no values at all, a text value among numbers (``"12.5kg"``,
``"1.2.3"``), an empty file and a table with no numeric column are always
errors: there is no safe automatic fix. So is a text column that mostly
holds dates (``2024-01-05``), numbers written with a unit or symbol
(``5%``, ``$1,200``, ``12 kg``) or with thousands separators (``1,000.50``,
``1 234,5``), or a DataFrame column of durations or periods, unless
``categorical="drop"`` leaves text columns out: it is a measurement, not a
category, and one-hot would make one column per distinct value. Nor is a
text column one-hot encoded when it has more different values than half its
rows (and more than 10), as a date in another format or a name has: that
would make a 0/1 column for nearly every value, most of them holding one or
two rows. One-hot warns of values that differ only in case (``Red``,
``red``): each gets its own column, and only you know whether they are one. A
typographic minus sign (``−2.5``) is a minus; a delimiter at the end of
every line (``a,b,``) leaves an empty last field, which is left out with a
note. A column named like an identifier that numbers the rows (``1, 2,
3, ...`` in order: Kaggle's ``Id``, pandas' ``index``) is refused: it
belongs in ``id_column``. So is
a column whose points look like thousands separators (``950``, ``1.200``,
``2.450``: read as decimals, 1.200 would be 1.2). With
``missing="median"`` a row with no value at all is left out (with a note),
not made up of medians. Excel's ``sep=;`` first line and UTF-16 files
(recognised by their byte order mark) are read, each with a note; so is a
header line of numbers, the sign of a file without one.

Data already in memory (a NumPy array, or a pandas DataFrame, which keeps
its column names) go through :func:`from_array`, with the same checks. A
column of Python or NumPy booleans alone (a DataFrame's ``bool`` column) is
read as 1 and 0, with a note: one column, not two that mirror each other.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import math
import numbers
import os
import re
import warnings
from typing import NamedTuple

import numpy as np

from helpers._validation import is_missing_value

#: Cell texts read as "missing" (compared after stripping spaces, case-insensitive). ``#N/A`` is
#: Excel's; ``#N/A N/A``, ``#NA`` and ``<NA>`` are pandas' (``pandas.read_csv`` reads them as missing too).
MISSING = ("", "na", "n/a", "nan", "null", "none", "?", "-", "#n/a", "#n/a n/a", "#na", "<na>")

_MISSING_POLICIES = ("error", "median", "drop-rows")
#: ``missing="median"`` warns when it fills at least this share of a column's rows, and at least this many rows
#: (up to half of them; beyond, it warns that the column is mostly made up): notebook 05 counts clusters from
#: 5 % of the rows, and rows that share the median can gather into one.
FILLED_SHARE_THAT_GATHERS = 0.05
FILLED_ROWS_THAT_GATHER = 5
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


#: A number written with a comma: ``1,5``, ``-0,25``, ``1,5e3`` (no decimal point anywhere).
_COMMA_NUMBER = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
#: A number written with a decimal point: ``1.5``, ``.5``, ``2.``.
_POINT_NUMBER = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMALS = (".", ",")


def _parse(value, decimal="."):
    """``(number, is_missing)`` for one cell; ``number`` is None for text.

    With ``decimal=","`` a comma is the decimal mark and a decimal point
    makes the cell text (it may be a thousands separator: ``1.234,5``).
    """
    if is_missing_value(value):
        return math.nan, True
    if isinstance(value, (bool, np.bool_)):
        return None, False  # True/False among other values is text; a column of them alone is read as 1 and 0
    if isinstance(value, (numbers.Real, np.number)):
        if isinstance(value, np.timedelta64):  # a NumPy integer to Python, but a duration: text, refused as such
            return None, False
        try:
            number = float(value)
        except OverflowError:  # an int such as 10**400: beyond float, as the text "1e400" reads as inf,
            return math.inf, False  # and refused as infinite (its sign would not change that)
        return number, math.isnan(number)
    text = str(value).strip().replace("\u2212", "-")  # a typographic minus sign (U+2212) is a minus
    if text.lower() in MISSING:
        return math.nan, True
    if decimal == ",":
        if "." in text:
            return None, False
        text = text.replace(",", ".", 1) if _COMMA_NUMBER.fullmatch(text) else text
    if "_" in text:  # float() reads "1_000" as 1000; a table never means that
        return None, False
    try:
        number = float(text)
    except ValueError:
        return None, False
    return number, math.isnan(number)


#: A cell that :func:`_parse` reads as a plain number with a decimal point: no missing marker, no text.
_PLAIN_NUMBER = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*")


def _plain_numbers(values):
    """A column of text cells that are all plain numbers, as float64 (what :func:`_parse` gives, cell by
    cell, 20 times slower); ``None`` if any cell is something else, for :func:`_parse` to read and name."""
    try:
        plain = all(map(_PLAIN_NUMBER.fullmatch, values))
    except TypeError:  # from_array's cells: numbers and other objects, not text
        return None
    return np.array(values, dtype=np.float64) if plain else None


def _real_numbers(values):
    """A column whose cells are all Python floats and ints (what :func:`from_array` makes of a numeric array
    or DataFrame column), as float64 with NaN where a cell is missing, as :func:`_parse` reads them cell by
    cell, 10 times slower; ``None`` if any cell is something else (text, a boolean, an int beyond float)."""
    if not set(map(type, values)) <= {float, int}:
        return None
    try:
        return np.array(values, dtype=np.float64)
    except OverflowError:  # an int such as 10**400, which _parse reads as inf and the checks refuse by name
        return None


def _check_decimal_marks(name, values, is_text, row_names, where, decimal):
    """Stop with a sentence when a column's numbers use the other decimal mark than ``decimal``."""
    cells = [(i, v.strip(), bool(t)) for i, (v, t) in enumerate(zip(values, is_text)) if isinstance(v, str)]
    if decimal == ".":
        commas = [(i, c) for i, c, t in cells if t and _COMMA_NUMBER.fullmatch(c)]
        if not commas:
            return
        first, shown = commas[0][0], _show([c for _, c in commas])
        points = [(i, c) for i, c, _ in cells if _POINT_NUMBER.fullmatch(c)]
        if points:
            raise ValueError(
                f"column {name!r} mixes numbers with a decimal comma ({shown}, first at {where} "
                f"{row_names[first]}) and with a decimal point ({_show([t for _, t in points])}, first at {where} "
                f"{row_names[points[0][0]]}): write every number the same way in the file")
        raise ValueError(
            f"column {name!r} holds numbers written with a comma ({shown}, first at {where} {row_names[first]}): "
            f"if the comma is the decimal mark, read the file with decimal=','; if it separates thousands, "
            f"remove it in the file")
    points = [(i, c) for i, c, t in cells
              if t and (_POINT_NUMBER.fullmatch(c) or re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", c))]
    if points:
        raise ValueError(
            f"column {name!r} holds numbers with a decimal point ({_show([t for _, t in points])}, first at "
            f"{where} {row_names[points[0][0]]}) but decimal=',' was asked for: if the point is the decimal mark, "
            f"leave decimal out; if it separates thousands, remove it in the file")


#: A number shown with a symbol or unit, as spreadsheets display them: ``5%``, ``$1,200``, ``12 kg``, ``3.5 cm``.
#: The amount for each decimal mark (with optional thousands separators), then the symbols around it.
_AMOUNTS = {".": r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+", ",": r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?|,\d+"}
_CURRENCIES = "$€£¥₹"
_UNIT_NUMBERS = {decimal: re.compile(
    rf"[+-]?(?P<before>[{_CURRENCIES}])?[+-]?(?P<amount>{amount})"
    rf"(?:\s?(?P<symbol>[%‰{_CURRENCIES}])|\s?(?P<unit>°[CF]|[A-Za-zµ]{{1,3}}(?:/[A-Za-z]{{1,3}}|[²³])?))?")
    for decimal, amount in _AMOUNTS.items()}
#: ``1st``, ``2nd``: ordinals are ranks written as text, not measurements with a unit.
_ORDINALS = ("st", "nd", "rd", "th")
#: An English month's name or its abbreviation, in any case: ``Mar``, ``March``, ``Sept.``.
_MONTH = (r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
#: A date, with an optional time: ``2024-01-05``, ``2024/1/5``, ``05/01/2024``, ``5.1.2024 10:30``, and with
#: the month named: ``1-Mar-2024`` (Excel's and SQL's), ``1 March 2024``, ``Mar 1, 2024``, ``2024-Mar-01``.
_DATE = re.compile(r"(?:\d{4}([-/.])\d{1,2}\1\d{1,2}|\d{1,2}([-/.])\d{1,2}\2\d{2}(?:\d{2})?"
                   rf"|\d{{1,2}}([-/. ]){_MONTH}\3\d{{2}}(?:\d{{2}})?|{_MONTH} \d{{1,2}},? \d{{4}}|\d{{4}}-{_MONTH}-\d{{1,2}})"
                   r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


#: A time of day or a duration: ``10:30``, ``7:05:59``, ``0:00:01.5``, a lap time ``1:23.45``.
_TIME = re.compile(r"\d{1,3}:\d{2}(?::\d{2})?(?:\.\d+)?")
#: An accounting negative: ``(1,234.50)``, ``(12)``, ``($5)``.
_BRACKETED = re.compile(rf"\([{_CURRENCIES}]?\s?[\d.,' ]*\d\)")


def _symbol_of(text, decimal):
    """The symbol or unit around a number written like ``5%``, ``$1,200`` or ``12 kg``; None for other text."""
    match = _UNIT_NUMBERS[decimal].fullmatch(text)
    if not match:
        return None
    unit = match["unit"]
    if unit and " " not in text and unit.lower() in _ORDINALS:
        return None
    return match["before"] or match["symbol"] or unit


#: A number with thousands separators (a comma, a point, a space, an apostrophe), with or without a
#: decimal part: ``1,000.50``, ``1 234,5``, ``1'234.5``, ``12,345,678``.
_THOUSANDS = re.compile(r"[+\-\u2212]?\d{1,3}(?P<sep>[,. '\u2019\u00a0\u202f])\d{3}(?:(?P=sep)\d{3})*"
                        r"(?P<mark>[.,]\d+)?")


def _thousands_of(text):
    """``(separator, decimal mark or None)`` of a number written with thousands separators, else None."""
    match = _THOUSANDS.fullmatch(text)
    if not match or (match["mark"] and match["mark"][0] == match["sep"]):
        return None
    return match["sep"], match["mark"][0] if match["mark"] else None


def _check_not_numbers_in_disguise(name, values, is_missing, row_names, where, decimal):
    """Stop when a text column mostly holds dates or numbers with a unit or symbol (``5%``, ``12 kg``).

    Such a column is a measurement: turned into 0/1 columns (``categorical="one-hot"``) it would
    become one column per distinct value, so it gets its own message instead of "categorical".
    """
    _refuse_durations_and_periods(name, values, row_names)  # from_array's objects, text once parsed
    present = [(i, str(v).strip()) for i, (v, m) in enumerate(zip(values, is_missing)) if not m]
    for pattern, kind, unit in ((_DATE, "dates", "days since the first date"),
                                (_TIME, "times of day or durations", "minutes since midnight, or the duration in "
                                                                     "minutes")):
        matches = [(i, c) for i, c in present if pattern.fullmatch(c)]
        if 2 * len(matches) > len(present):
            i, first = matches[0]
            raise ValueError(f"column {name!r} looks like {kind} ({first!r}, first at {where} {row_names[i]}): "
                             f"convert it to numbers (e.g. {unit}) or leave it out with drop=[{name!r}]")
    grouped = [(i, c, _thousands_of(c)) for i, c in present]
    grouped = [(i, c, found) for i, c, found in grouped if found]
    if 2 * len(grouped) > len(present):
        i, first, (separator, mark) = grouped[0]
        comma = mark == ","
        if where == "line":
            fix = (f"in the file so it reads as numbers, or read the file with pandas.read_csv(path, "
                   f"thousands={separator!r}{', decimal=' + repr(mark) if comma else ''}) and pass the DataFrame "
                   f"to from_array")
        else:
            fix = (f"and convert the column to numbers first (in pandas: .str.replace({separator!r}, '')"
                   + (", then from_array(..., decimal=',') reads the decimal commas)" if comma
                      else ", then pd.to_numeric)"))
        other_mark = (f"; their decimal mark is {mark!r}, so read the file with decimal={mark!r}"
                      if comma and decimal != "," and where == "line" else "")
        raise ValueError(f"column {name!r} holds numbers written with thousands separators ({first!r}, first at "
                         f"{where} {row_names[i]}): remove the separators ({separator!r}) {fix}{other_mark}")
    bracketed = [(i, c) for i, c in present if _BRACKETED.fullmatch(c)]
    if bracketed and len(bracketed) + sum(_parse(c, decimal)[0] is not None for _, c in present) == len(present):
        # every value a number, some in parentheses
        i, first = bracketed[0]
        written = "-" + re.sub(rf"[{_CURRENCIES}\s'" + ("," if decimal == "." else ".") + "]", "", first[1:-1])
        raise ValueError(f"column {name!r} holds numbers in parentheses ({first!r}, first at {where} {row_names[i]}), "
                         f"as accounting formats write negative amounts: if these are amounts, write them with a "
                         f"minus sign and without thousands separators or currency ({written!r}) so the column "
                         f"reads as numbers")
    symbols = [(i, c, _symbol_of(c, decimal)) for i, c in present]
    symbols = [(i, c, symbol) for i, c, symbol in symbols if symbol]
    if 2 * len(symbols) <= len(present):
        return
    i, first, _ = symbols[0]
    found = [symbol for _, _, symbol in symbols]
    symbol = max(dict.fromkeys(found), key=found.count)  # the most common one, the first on a tie
    thousands = "," if decimal == "." else "."
    separators = (f" and the thousands separators ({thousands!r})"
                  if any(thousands in c for _, c, _ in symbols) else "")
    fix = (f"in the file (or convert the column in pandas) so it reads as numbers" if where == "line"
           else "and convert the column to numbers first (in pandas: .str.replace, then pd.to_numeric)")
    raise ValueError(f"column {name!r} holds numbers written with a unit or symbol ({first!r}, first at {where} "
                     f"{row_names[i]}): remove the {symbol!r}{separators} {fix}")


def _show(values, limit=3):
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (", ..." if len(values) > limit else "")


def _locations(rows, where):
    rows = [str(r) for r in rows]
    text = ", ".join(f"{where} {r}" for r in rows[:5])
    return text + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")


def _listed(drop):
    """``drop`` as a list of the names given: one name alone (``drop="id"``) or a sequence of them."""
    return [drop] if isinstance(drop, (str, numbers.Number)) else list(() if drop is None else drop)


def _as_name(label):
    """A column label as the header holds it: text, so a DataFrame's column ``2`` is found as ``"2"``."""
    return str(label).strip()


_PANDAS_INDEX = re.compile(r"Unnamed: \d+")  # the name pandas.read_csv gives a header's empty field


#: A whole number written with a point before each group of three digits: ``1.200``, ``12.345.678``.
_POINT_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")
#: One point before exactly three digits: ``57.438`` (not ``1.057.438``, which no decimal reading allows).
_ONE_THOUSANDS_POINT = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")
#: A whole number with no point: ``950``, ``-78``.
_WHOLE = re.compile(r"[+-]?\d+")


#: A whole number written with a comma before each group of three digits: ``1,200``, ``12,345,678``.
_COMMA_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+")
#: What each mark says when it looks like a thousands separator under the reading that takes it for decimals.
_THOUSANDS_ADVICE = {
    ".": ("point", _POINT_THOUSANDS, "as much of Europe writes it, and read as a decimal point it would divide those "
          "values by 1,000. If so, remove the points in the file (with decimal commas, also read it with "
          "decimal=','); if the point is the decimal mark, read the file with pandas.read_csv and pass the "
          "DataFrame to from_array, or write those numbers with another count of decimals"),
    ",": ("comma", _COMMA_THOUSANDS, "and read with decimal=',' as a decimal mark it would divide those values by "
          "1,000. If so, remove the commas in the file and read it without decimal=','; if the comma is the "
          "decimal mark, write those numbers with another count of decimals"),
}


def _refuse_thousands_separators(name, values, column, row_names, where, decimal):
    """Stop on a column whose decimal marks (``decimal``, a point or a comma) look like thousands separators,
    which would silently divide by 1,000: ``1.200`` beside ``950`` in much of Europe's writing, ``37,163``
    beside ``950`` in the US's, read with ``decimal=","``.

    The sign: two or more whole numbers from 100 to 999 written plainly (``950``) beside two or more
    numbers that have the mark followed by groups of three digits (``1.200``, ``2.450``), and nothing
    else. Read as thousands separators, they make one column of whole numbers, the grouped ones
    exactly those from 1,000 up. A decimal with another count of decimals (``12,5``) or a leading 0
    (``0,750``) is not such a sign. ``column`` holds the cells as parsed: two whole numbers under 1,000
    in size, one of them 100 or more, must be among them, a test that spares nearly every column of
    measurements the reading of its text (a third of ``read_csv``'s time otherwise).
    """
    size = np.abs(column)
    whole_and_small = (column == np.round(column)) & (size < 1000)  # NaN (missing) is neither
    if np.count_nonzero(whole_and_small) < 2 or not np.any(whole_and_small & (size >= 100)):
        return
    mark_name, pattern, advice = _THOUSANDS_ADVICE[decimal]
    texts = [v.strip() for v in values if isinstance(v, str) and v.strip().lower() not in MISSING]
    grouped = [t for t in texts if pattern.fullmatch(t)]
    if len(grouped) < 2:
        return
    plain = [t for t in texts if _WHOLE.fullmatch(t)]
    if len(plain) < 2 or len(grouped) + len(plain) != len(texts) or not 100 <= max(abs(int(t)) for t in plain) < 1000:
        return
    i = next(i for i, v in enumerate(values) if isinstance(v, str) and v.strip() == grouped[0])
    raise ValueError(f"column {name!r} mixes whole numbers below 1,000 ({_show(plain)}) with numbers such as "
                     f"{grouped[0]!r} (first at {where} {row_names[i]}) that have a {mark_name} before groups of three "
                     f"digits: the {mark_name} looks like a thousands separator ({grouped[0]} = "
                     f"{grouped[0].replace(decimal, '')}), {advice} ({grouped[0]}0)")


def _thousands_points_warning(header, cells, drop):
    """The warning for a column in a ';'-separated file whose every value has a point before exactly three
    digits (``57.438``, ``41.050``), or None. Such files come from much of Europe, which writes thousands so;
    with no value under 1,000 beside them the loader cannot tell (``_refuse_thousands_separators`` needs some),
    and read as decimal points those values would be divided by 1,000. From five values on."""
    dropped = {str(d) for d in _listed(drop)}
    for name, column in zip(header, cells):
        present = [c.strip() for c in column if c.strip().lower() not in MISSING]
        if name in dropped or len(present) < 5 or not all(_ONE_THOUSANDS_POINT.fullmatch(c) for c in present):
            continue
        return (f"column {name!r} of this ';'-separated file has a point before exactly three digits in every "
                f"value ({_show(present)}): if the point separates thousands, as much of Europe writes them "
                f"({present[0]} = {present[0].replace('.', '')}), those values are read 1,000 times too small; "
                f"remove the points in the file. Read as decimals they lie between 1 and 1,000: if that is their "
                f"size, ignore this warning")
    return None


#: How the name of a column holding identifiers ends (compared in lower case): ``customer_id``, ``Subject ID``.
_ID_SUFFIXES = ("_id", " id", "-id")
#: Names of a column that numbers rows (compared in lower case): Kaggle's ``Id``, pandas' ``index``, ``No.``.
_ROW_NUMBER_NAMES = ("id", "index", "idx", "row", "rownum", "row_number", "row number", "no", "no.", "nr", "nr.", "#",
                     "number", "unnamed: 0", "s.no", "s.no.", "s. no.", "sno", "sl.no", "sl. no.", "serial",
                     "serial_no", "serial no", "serial_number", "serial number")
#: A lower-case letter or digit followed by a capital: where camelCase joins two words (``CustomerID``, ``userId``).
_CAMEL_JOIN = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _name_as_words(name):
    """A column name in lower case with its camelCase words apart: ``CustomerID`` -> ``customer_id``,
    ``PassengerId`` -> ``passenger_id``, ``RowNumber`` -> ``row_number``, ``Id`` -> ``id``."""
    return _CAMEL_JOIN.sub("_", name.strip()).lower()


def _refuse_row_numbers(name, column):
    """Stop on a column named like an identifier (``Id``, ``index``, ``customer_id``) that numbers the rows
    in order, one by one from any whole number (0, 1, 2, ... or 1001, 1002, ...): clustered as a feature,
    it orders the clusters by row number, and in a file sorted by class it leaks the classes (Kaggle's
    Iris.csv). Also such a column whose rows each hold a different whole number, in any order (the
    ``index`` of ``dropna().reset_index()``, customer numbers), and a column named ``id`` or ``..._id``
    whose whole numbers repeat (a subject measured several times). An age or a dose that counts up is a
    measurement: the name decides. From 10 rows on."""
    n, label = len(column), _name_as_words(name)
    named = label in _ROW_NUMBER_NAMES or label.endswith(_ID_SUFFIXES)
    if not named or n < 10 or not np.all(np.isfinite(column)) or not np.all(column == np.round(column)):
        return
    advice = (f"Use id_column={name!r} to name the rows by it, or drop=[{name!r}]; if it is a real measurement, "
              "rename the column")
    if np.array_equal(column, column[0] + np.arange(n)):
        raise ValueError(f"column {name!r} looks like row numbers ({column[0]:.0f}, {column[1]:.0f}, "
                         f"{column[2]:.0f}, ... {column[-1]:.0f} in order, and its name): clustered as a feature it "
                         f"would order the clusters by row number. {advice}")
    if np.unique(column).size == n:  # every row its own whole number: the index after dropna().reset_index(), ids
        raise ValueError(f"column {name!r} looks like identifiers (a different whole number in every row: "
                         f"{column[0]:.0f}, {column[1]:.0f}, {column[2]:.0f}, ..., and its name): clustered as a "
                         f"feature it would group the rows by their number. {advice}")
    if label == "id" or label.endswith(_ID_SUFFIXES):  # repeated: one id for several rows, a subject
        values, counts = np.unique(column, return_counts=True)
        shared = values[counts > 1]  # not empty: the test above found fewer values than rows
        raise ValueError(f"column {name!r} looks like identifiers of groups of rows (whole numbers, some shared by "
                         f"several rows, such as {shared[0]:.0f}, and its name): clustered as a feature, its numbers "
                         f"would count as distances (id 7 between ids 6 and 8). Leave it out with drop=[{name!r}] "
                         f"and keep it aside to compare the clusters with; if it is a real measurement, rename the "
                         f"column")


#: Names of a column of codes that name things by number (compared in lower case, camelCase apart): postcodes,
#: area and country codes, product codes, phone numbers.
_CODE_NAMES = ("zip", "zipcode", "zip5", "postcode", "postalcode", "plz", "code", "phone", "telephone", "tel",
               "mobile", "fips")
_CODE_SUFFIXES = ("_code", " code", "-code", "_zip", " zip", "_phone", " phone", "_fips", " fips",
                  "phone_number", "phone number", "phone_no", "mobile_number", "mobile number")
#: Names that end like codes but count something: ``lines_of_code``.
_NOT_CODES = ("of_code", "of code")


def _refuse_codes(name, column):
    """Stop on a column named like codes (``zip``, ``postcode``, ``PostalCode``, ``product_code``, ``phone``) that
    holds whole numbers: the numbers name places or things, and clustered as a feature their differences would
    count as distances (postcode 10115 as far from 10117 as from 10113, and 19999 far from 20000). From 10 rows
    on, as for identifiers; the name decides, since codes look like any other whole numbers."""
    label = _name_as_words(name)
    if (label not in _CODE_NAMES and not label.endswith(_CODE_SUFFIXES)) or label.endswith(_NOT_CODES):
        return
    column = column[np.isfinite(column)]  # a postcode column with a blank cell is still codes
    if len(column) < 10 or not np.all(column == np.round(column)):
        return
    raise ValueError(f"column {name!r} looks like codes (whole numbers such as {column[0]:.0f} and {column[1]:.0f}, and "
                     f"its name): codes name places or things, and clustered as a feature their differences would "
                     f"count as distances. Leave it out with drop=[{name!r}] and keep it aside to describe the "
                     f"clusters with; if it is a real measurement, rename the column")


def _warn_if_levels_differ_in_case(name, levels):
    """Warn when one-hot would tell 'Red', 'red' and 'RED' apart (a 0/1 column each; of two values, the one column's 1
    and 0): usually one value typed several ways."""
    spellings = {}
    for level in levels:
        spellings.setdefault(level.casefold(), []).append(level)
    alike = [group for group in spellings.values() if len(group) > 1]
    if alike:
        shown = "; ".join(_show(group, 5) for group in alike[:3]) + ("; ..." if len(alike) > 3 else "")
        warnings.warn(f"column {name!r}: one-hot told apart {shown}, which differ only "
                      f"in upper and lower case; if each group is one value, write it one way in the file and load "
                      f"it again (or set df[{name!r}] = df[{name!r}].str.lower() and pass the DataFrame to "
                      f"tables.from_array)",
                      UserWarning, stacklevel=4)


def _check_column_names(header, chosen, cells):
    """Every column named once; an unnamed first column only when ``chosen`` (``drop`` or ``id_column``) names it.

    pandas' ``DataFrame.to_csv`` writes the row index as a first column with an empty name, and
    ``pandas.read_csv`` reads it back as a column ``"Unnamed: 0"`` holding ``0, 1, 2, ...``: clustered
    as a feature, it would order the clusters by row number. ``cells`` holds each column's raw values: a
    column named so that holds no value at all is named as the empty column it is (pandas names the empty
    fields that separators at the ends of the lines leave in the header so, too).
    """
    for position, name in enumerate(header):
        if name or (position == 0 and name in chosen):
            continue
        if position == 0:
            raise ValueError('column 1 has no name in the header, usually the row index written by pandas\' '
                             'DataFrame.to_csv; use id_column="" to take it as the row names, or drop=[""] '
                             "to leave it out")
        raise ValueError(f"column {position + 1} has no name in the header; give every column a name")
    unnamed = [(position, name) for position, name in enumerate(header)
               if _PANDAS_INDEX.fullmatch(name) and name not in chosen]
    empty = [name for position, name in unnamed if all(_parse(v)[1] for v in cells[position])]
    if empty:  # pandas names a header's empty field so: with no values either, an empty column, not the index
        raise ValueError(f"column(s) {_show(empty, 10)} have no name and no values: empty columns (separators at "
                         f"the ends of the lines, or formatted empty cells of a spreadsheet), not pandas' row index; "
                         f"leave them out with drop={empty!r} (in pandas: df.dropna(axis=1, how='all'))")
    if unnamed:
        index = unnamed[0][1]
        raise ValueError(f"column {index!r} is pandas' row index (an unnamed column read back by "
                         f"pandas.read_csv), not a feature; read with pandas.read_csv(..., index_col=0), "
                         f"or pass id_column={index!r} or drop=[{index!r}]")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ValueError(f"column name(s) {_show(repeated)} appear more than once in the header; rename them")


#: The level of a two-valued text column that one-hot marks with 1 (compared in lower case); else the second.
_YES_LEVELS = ("true", "yes", "y", "t", "1", "on", "positive", "present")


def _yes_of(levels):
    """Which of two sorted levels becomes the 0/1 column: the one meaning yes (``TRUE``, ``yes``), else the
    second, as scikit-learn's ``OneHotEncoder(drop="if_binary")`` keeps it."""
    yes = [level for level in levels if level.casefold() in _YES_LEVELS]
    return yes[0] if len(yes) == 1 else levels[1]


def _true_false(values):
    """True for a column of Python or NumPy booleans (missing values aside), as a DataFrame's ``bool``
    or ``boolean`` column arrives; text such as ``"TRUE"`` in a file is not taken for one."""
    present = [v for v in values if not is_missing_value(v)]
    return bool(present) and all(isinstance(v, (bool, np.bool_)) for v in present)


def _build(header, cells, row_names, where, *, id_column, drop, missing, categorical, constant, decimal=".",
           notes=()):
    """The checks shared by :func:`read_csv` and :func:`from_array`.

    ``cells`` is a list of columns, each a list of raw values; ``row_names``
    gives each row's line number (CSV) or index (array) for messages.
    """
    decimal = _check_choice(decimal, "decimal", _DECIMALS)
    missing = _check_choice(missing, "missing", _MISSING_POLICIES)
    categorical = _check_choice(categorical, "categorical", _CATEGORICAL_POLICIES)
    constant = _check_choice(constant, "constant", _CONSTANT_POLICIES)
    header = [_as_name(name) for name in header]
    drop = _listed(drop)
    named = [*drop, *([id_column] if id_column is not None else [])]  # the columns the options name
    _check_column_names(header, {_as_name(name) for name in named}, cells)
    for name in named:
        if _as_name(name) not in header:
            raise ValueError(f"there is no column {name!r}; the columns are {_show(header, 20)}")
    drop = [_as_name(name) for name in drop]
    id_column = None if id_column is None else _as_name(id_column)
    n_rows = len(row_names)
    if n_rows < 2:
        raise ValueError(f"the table has {n_rows} data row(s); clustering needs at least 2")

    notes = list(notes)
    if id_column is not None:
        ids = np.array([str(v).strip() for v in cells[header.index(id_column)]])
    else:
        ids = np.array([str(r) for r in row_names])
    sharing = np.unique(ids[ids != ""], return_counts=True)[1]  # rows under each name
    shared, blank = int(sharing[sharing > 1].sum()), int(np.count_nonzero(ids == ""))
    if shared or blank:  # allowed (repeated measurements of one subject), but the rows' names are ambiguous
        source = f"the names in {id_column!r}" if id_column is not None else "the row names"
        notes.append(f"{source} do not tell every row apart: {shared} row(s) share a name with another, {blank} "
                     f"have none; such rows are told apart only by their order")

    exported = [name for name in ("cluster", "confidence") if name in header and name not in drop and name != id_column]
    if len(exported) == 2:  # notebook 05's export read back: the old clusters would become features
        raise ValueError("columns 'cluster' and 'confidence' look like an earlier clustering's export (notebook 05 "
                         "writes them): as features they would hand the old clusters to the new clustering; leave "
                         "them out with drop=['cluster', 'confidence']")
    numeric, names, text_columns = [], [], []
    for name, values in zip(header, cells):
        if name == id_column or name in drop:
            continue
        column = _real_numbers(values)  # from_array's arrays and DataFrames, read at C speed
        if column is not None:
            is_missing, is_text = np.isnan(column), np.zeros(len(values), dtype=bool)
        else:
            if _true_false(values):  # a DataFrame's bool column: one 0/1 column, not text to one-hot into two mirrors
                values = [v if is_missing_value(v) else float(v) for v in values]
                notes.append(f"read the true/false column {name!r} as 1 and 0")
            column = _plain_numbers(values) if decimal == "." else None  # a file's common case, read at C speed
            if column is None:
                parsed = [_parse(v, decimal) for v in values]
                is_missing = np.array([m for _, m in parsed])
                is_text = np.array([n is None for n, _ in parsed])
            else:
                is_missing = is_text = np.zeros(len(values), dtype=bool)
        present = int(np.count_nonzero(~is_missing))
        if present == 0:
            raise ValueError(f"column {name!r} has no values: all {n_rows} cells are missing; "
                             f"leave it out with drop=[{name!r}]")
        if is_text.any():
            _check_decimal_marks(name, values, is_text, row_names, where, decimal)
            words = [str(v).strip() for v, t in zip(values, is_text) if t]
            if np.count_nonzero(is_text) < present - np.count_nonzero(is_text):
                # Mostly numbers: the text is a typo or an unmarked gap, not a category.
                bad = np.flatnonzero(is_text)
                grouped = ("; a number with thousands separators reads once they are removed"
                           if any(_thousands_of(w) for w in words) else
                           "; a number in parentheses is an accounting negative: write it with a minus sign"
                           if any(_BRACKETED.fullmatch(w) for w in words) else "")
                raise ValueError(
                    f"column {name!r} holds numbers but {_locations(np.asarray(row_names)[bad], where)} "
                    f"{'has' if len(bad) == 1 else 'have'} a value that is not a number: {_show(words)}{grouped}. "
                    f"Correct it, or write it as an empty cell to mark it missing")
            text_columns.append((name, values, is_missing))
            continue
        if column is None:
            column = np.array([n for n, _ in parsed], dtype=np.float64)
        _refuse_thousands_separators(name, values, column, row_names, where, decimal)
        _refuse_row_numbers(name, column)
        _refuse_codes(name, column)
        numeric.append(column)
        names.append(name)

    sources = {}  # a 0/1 column's name -> the text column it was made from, which drop= can name
    for name, values, is_missing in text_columns:
        if categorical != "drop":  # leaving text out is safe; calling it a category, or one-hot, is not
            _check_not_numbers_in_disguise(name, values, is_missing, row_names, where, decimal)
        levels = sorted({str(v).strip() for v, m in zip(values, is_missing) if not m})
        if categorical == "error":
            hint = (f"if it names the rows, use id_column={name!r}; " if len(levels) == n_rows else "")
            raise ValueError(
                f"column {name!r} is categorical (text such as {_show(levels)}), not numeric: {hint}"
                f"leave it out with drop=[{name!r}] or categorical='drop' (do so with a class you want the "
                f"clusters to find: keep it aside to compare with), or turn it into 0/1 columns with "
                f"categorical='one-hot'")
        if categorical == "drop":
            notes.append(f"left out the text column {name!r} ({len(levels)} different values)")
            continue
        present = int(np.count_nonzero(~np.asarray(is_missing)))
        if len(levels) > max(10, present / 2):  # more values than half the rows: it names or dates them
            raise ValueError(
                f"column {name!r} has {len(levels)} different values in {present} rows (such as {_show(levels)}): "
                f"one-hot would make {len(levels)} 0/1 columns for {present} rows, most of them holding one or two "
                f"rows. If it names the rows, "
                f"use id_column={name!r}; if it is a date or a measurement, convert it to a number first; or leave "
                f"it out with drop=[{name!r}] (to one-hot it anyway: pandas.get_dummies, then tables.from_array)")
        _warn_if_levels_differ_in_case(name, levels)
        # two values need one 0/1 column: a second would mirror it (1 - the first) and double the column's weight
        kept = [_yes_of(levels)] if len(levels) == 2 else levels
        for level in kept:
            column = np.array([math.nan if m else float(str(v).strip() == level)
                               for v, m in zip(values, is_missing)])
            numeric.append(column)
            names.append(f"{name}={level}")
            sources[names[-1]] = name
        if len(levels) == 2:
            other = levels[1 - levels.index(kept[0])]
            notes.append(f"turned the two-valued column {name!r} into one 0/1 column, {names[-1]!r} (1 for {kept[0]}, "
                         f"0 for {other}): a column for {other} would only mirror it")
        else:
            notes.append(f"turned the categorical column {name!r} into {len(kept)} 0/1 columns")

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
            # Name the columns of the table, not the 0/1 columns made from them (drop= knows only the former).
            gappy = {sources.get(names[j], names[j]) for j in np.flatnonzero(counts)}
            raise ValueError(
                f"column {sources.get(names[first], names[first])!r} has {counts[first]} missing value(s) "
                f"({_locations(rows_missing, where)}); {len(gappy)} column(s) have gaps in all. Use "
                f"missing='median' to fill each gap with its column's median, or missing='drop-rows' to leave "
                f"those rows out")
        if missing == "median":
            empty = holes.all(axis=1)  # a median in every column would make up a whole sample
            if empty.any():
                if np.count_nonzero(~empty) < 2:
                    raise ValueError(f"only {np.count_nonzero(~empty)} row(s) have any value; nothing to cluster")
                notes.append(f"left out {np.count_nonzero(empty)} row(s) with no value at all "
                             f"({_locations(np.asarray(row_names)[empty], where)}): a median in every column "
                             f"would make up a whole sample")
                X, ids, holes = X[~empty], ids[~empty], holes[~empty]
                counts = holes.sum(axis=0)
            medians = np.nanmedian(X, axis=0)
            X = np.where(holes, medians, X)
            gathered = []  # columns where enough rows share the made-up value to form a cluster of their own
            for j in np.flatnonzero(counts):
                notes.append(f"filled {counts[j]} missing value(s) in {names[j]!r} with its median {medians[j]:.4g}")
                if counts[j] > len(X) / 2:  # the note alone is easy to miss: most of this column is made up
                    warnings.warn(f"missing='median' filled {counts[j]} of the {len(X)} values of {names[j]!r}: most "
                                  f"of that column is now its median, the same made-up value; leave the column "
                                  f"out with drop=[{sources.get(names[j], names[j])!r}]", UserWarning, stacklevel=3)
                elif counts[j] >= max(FILLED_ROWS_THAT_GATHER, FILLED_SHARE_THAT_GATHERS * len(X)):
                    gathered.append(f"{counts[j]} in {names[j]!r} ({counts[j] / len(X):.0%})")
            if gathered:
                warnings.warn(f"missing='median' gave rows one made-up value each, the column's median: "
                              f"{', '.join(gathered)}. Rows that share a value can gather into a cluster of their own: "
                              f"compare the clusters with missing='drop-rows'",
                              UserWarning, stacklevel=3)
        else:
            keep = ~holes.any(axis=1)
            if np.count_nonzero(keep) < 2:
                raise ValueError(f"only {np.count_nonzero(keep)} row(s) have no missing value; "
                                 f"use missing='median' instead of 'drop-rows'")
            notes.append(f"left out {np.count_nonzero(~keep)} row(s) with missing values "
                         f"({_locations(np.asarray(row_names)[~keep], where)})")  # leave them out of any labels too
            if np.count_nonzero(keep) < len(X) / 2:
                gappiest = int(np.argmax(counts))
                warnings.warn(f"missing='drop-rows' left out {np.count_nonzero(~keep)} of the {len(X)} rows, more "
                              f"than half; the column with the most gaps is "
                              f"{sources.get(names[gappiest], names[gappiest])!r} ({counts[gappiest]} missing): "
                              "leave mostly empty columns out with drop=[...] first", UserWarning, stacklevel=3)
            X, ids = X[keep], ids[keep]

    infinite = ~np.isfinite(X)
    if infinite.any():
        j = int(np.flatnonzero(infinite.any(axis=0))[0])
        raise ValueError(f"column {names[j]!r} has {np.count_nonzero(infinite[:, j])} infinite value(s) (or numbers "
                         f"too large for a float, beyond about 1.8e308); correct them or mark them missing")

    flat = X.max(axis=0) == X.min(axis=0)  # (np.ptp overflows, with a warning, on huge values)
    if flat.any():
        flat_names = [names[j] for j in np.flatnonzero(flat)]
        if constant == "error":
            first = int(np.flatnonzero(flat)[0])
            source = sources.get(names[first])
            leave_out = (f"drop=[{names[first]!r}]" if source is None
                         else f"drop=[{source!r}] (the text column it was made from)")
            raise ValueError(
                f"column {names[first]!r} is constant (every value is {X[0, first]:.4g}): it "
                f"cannot separate any rows, and scaling would divide by zero. Leave it out with "
                f"{leave_out} or constant='drop'")
        if flat.all():
            raise ValueError(f"every numeric column is constant ({_show(flat_names, 20)}): nothing to cluster")
        notes.append(f"left out the constant column(s) {_show(flat_names, 20)}")
        X = X[:, ~flat]
        names = [n for n, f in zip(names, flat) if not f]
    return Table(X, tuple(names), ids, tuple(notes))


def read_csv(path, *, id_column=None, drop=(), missing="error", categorical="error", constant="error",
             delimiter=None, decimal=".", encoding="utf-8"):
    """Read a CSV file with a header row into a numeric :class:`Table`.

    Parameters
    ----------
    path : str or path-like
        The file; the first row names the columns.
    id_column : str, optional
        A column that names the rows (kept as ``table.ids``, not clustered).
        ``""`` names an unnamed first column: the row index that pandas'
        ``DataFrame.to_csv`` writes by default.
    drop : sequence of str, default=()
        Columns to leave out (``""`` for an unnamed first column). A column
        named ``"Unnamed: 0"`` (pandas' row index, read back by
        ``pandas.read_csv``) is refused unless named here or as ``id_column``.
    missing : {"error", "median", "drop-rows"}, default="error"
        What to do with empty cells (and ``NA``, ``NaN``, ``?``, Excel's ``#N/A``, ...: see ``MISSING``).
    categorical : {"error", "drop", "one-hot"}, default="error"
        What to do with text columns.
    constant : {"error", "drop"}, default="error"
        What to do with columns whose value never changes.
    delimiter : str, optional
        The separator, one character: ``","``, ``";"``, ``"\\t"`` (a tab),
        ``"|"`` or ``" "`` (a space; several in a row count as one). By
        default (None) it is guessed from the first lines among ``,``, ``;``
        and a tab (only ``;`` and a tab with ``decimal=","``). A file that
        comes out as one column although another of these characters splits
        its lines into values is an error that names the character.
    decimal : {".", ","}, default="."
        The decimal mark of the numbers. ``","`` reads ``1,5`` as 1.5 (then
        a number with a decimal point is an error, as it may be a
        thousands separator).
    encoding : str, default="utf-8"
        The file's text encoding; a byte order mark is skipped. Excel on
        Windows often saves ``"cp1252"``, older files ``"latin-1"``. A file
        that starts with UTF-8's byte order mark (Excel's "CSV UTF-8") is
        read as UTF-8 whatever ``encoding`` says, with a note.

    Returns
    -------
    Table

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    TypeError
        If ``path`` is not a file name (data in memory go through
        :func:`from_array`).
    ValueError
        If the path is a folder, the file is empty, is not text in
        ``encoding``, seems to be separated by another delimiter, rows are
        ragged, or a column has a problem the options do not settle; the
        message names the column and, where it helps, the line.
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"path must be the name of a CSV file (a str or pathlib.Path), not {type(path).__name__}; "
                        f"data already in memory (an array or a DataFrame) go through from_array(values)")
    path = os.path.expanduser(os.fspath(path))  # "~/data.csv", as pandas.read_csv reads it (open() would not)
    _check_choice(decimal, "decimal", _DECIMALS)
    text, notes = _read_text(path, encoding)
    if not text.strip():
        raise ValueError(f"{path} is empty: expected a header row with the column names, then one row per sample")
    first_line = text.split("\n", 1)[0]
    excel_hint = re.fullmatch(r"\s*sep=(.)\s*", first_line, flags=re.IGNORECASE)
    if excel_hint:  # Excel's "sep=;" line names the delimiter; blanked (not cut) so line numbers still hold
        text = text[len(first_line):]
        delimiter = excel_hint[1] if delimiter is None else delimiter
        notes.append(f"skipped line 1, {excel_hint[0].strip()!r}: Excel's line naming the delimiter")
    if delimiter is None:
        try:
            # With decimal commas, a comma inside a number must not be taken for the separator.
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=";\t" if decimal == "," else ",;\t").delimiter
        except csv.Error:
            delimiter = ";" if decimal == "," else ","
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in "\r\n\"":
        raise ValueError(f"delimiter must be one character such as ',', ';' or '\\t'; got {delimiter!r}")
    if delimiter == decimal and delimiter != ",":  # ',' for both works when the numbers are in quotes: "1,5","2,5"
        raise ValueError(f"delimiter and decimal are both {delimiter!r}: the values would split at their decimal "
                         f"marks; the delimiter is usually ',' or ';'")
    try:
        rows = _csv_rows(text, delimiter)
    except csv.Error as exc:
        raise ValueError(f"{path} cannot be read as a table: {exc}") from None
    lines = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    if not lines:
        raise ValueError(f"{path} holds no values: every line is empty or only delimiters ({delimiter!r})")
    (header_line, header), body = lines[0], lines[1:]
    if not body:
        raise ValueError(f"{path} has a header row but no data rows")
    if len(header) == 1:
        _refuse_merged_columns(path, text, header[0], delimiter, decimal)
    hollow = sum(1 for number, row in rows if number > header_line and len(row) > 1
                 and not any(cell.strip() for cell in row))
    notes += [f"skipped {hollow} line(s) holding only delimiters"] if hollow else []
    header, body, trailing = _without_trailing_delimiter(header, body)
    notes += [f"left out the empty last field: {trailing} {delimiter!r}"] if trailing else []
    if all(_parse(name, decimal)[0] is not None for name in header if name.strip()):
        if len(set(header)) < len(header):  # "rename them" would be the wrong advice
            raise ValueError(f"line {header_line} of {path} holds only numbers ({_show(header)}), some of them twice: "
                             f"the file seems to have no header line; add a line of column names first")
        notes.append(f"every name on line {header_line} is a number ({_show(header)}): if the file has no header "
                     f"line, that row of data was taken for the column names; add a line of names first")
    if len(header) == 1 and not trailing:
        _refuse_title_line(path, text, header_line, header[0], delimiter, decimal)
    for number, row in body:
        if len(row) != len(header):
            hint = (" If its numbers are written with a decimal comma (1,5), read it with decimal=','."
                    if delimiter == "," and decimal == "." and len(row) > len(header)  # 1,5 adds a value
                    else " With delimiter=',' and decimal=',', every number with a decimal comma must be in quotes "
                    "(\"1,5\"), or the file must separate its values with ';'"
                    if delimiter == decimal == "," and len(row) > len(header) else "")
            raise ValueError(f"line {number} of {path} has {len(row)} values but the header names "
                             f"{len(header)} columns (is a value missing its delimiter {delimiter!r}?).{hint}")
    hollow_columns = [j for j in range(len(header)) if not header[j].strip() and not any(row[j].strip() for _, row in body)]
    if hollow_columns:  # an export's empty fields (a;b;;c): no name and no value, nothing to lose
        keep = [j for j in range(len(header)) if j not in hollow_columns]
        header, body = [header[j] for j in keep], [(number, [row[j] for j in keep]) for number, row in body]
        notes.append(f"left out {len(hollow_columns)} column(s) with no name and no value "
                     f"(column {', '.join(str(j + 1) for j in hollow_columns)} of the file)")
    cells = [[row[j] for _, row in body] for j in range(len(header))]
    thousands = _thousands_points_warning(header, cells, drop) if delimiter == ";" and decimal == "." else None
    table = _build(header, cells, [number for number, _ in body], "line", id_column=id_column, drop=drop,
                   missing=missing, categorical=categorical, constant=constant, decimal=decimal, notes=notes)
    if thousands:  # only once the table has loaded: a refused file needs no second message
        warnings.warn(thousands, UserWarning, stacklevel=2)
    return table


def _refuse_title_line(path, text, header_line, name, delimiter, decimal):
    """Stop when the first line holds one value but the lines after it split into several: a title or a
    comment above the header (``# exported by device X``). The delimiter may be ``delimiter`` or, when the
    title kept ``csv.Sniffer`` from finding it, another one; ``1,5`` in a comma file has its own hint."""
    for candidate in dict.fromkeys((delimiter, *_SEPARATORS[:-1])):  # not a space: a title has spaces
        if candidate == decimal:
            continue
        rows = _filled_rows(text, candidate)
        if rows is None:
            continue
        rows = [row for number, row in rows if number > header_line]
        widths = {len(row) for row in rows}
        if len(widths) != 1 or widths == {1}:
            continue
        if candidate == "," and decimal == "." and all(_COMMA_NUMBER.fullmatch(",".join(row).strip()) for row in rows):
            continue  # one column of decimal commas, 0,5: the ragged-line message says so
        other = "" if candidate == delimiter else f" at {candidate!r}"
        raise ValueError(f"line {header_line} of {path} holds one value ({name!r}) but the lines after it hold "
                         f"{widths.pop()}{other}: if it is a title or a comment, delete that line, so that the first "
                         f"line holds the column names")


def _without_trailing_delimiter(header, body):
    """``(header, body, how)`` without the empty field that a delimiter at the end of every data line
    leaves (some exports write ``a,b,``), or at the end of the header line alone; ``how`` says which,
    and is False when there is none.

    The header may end with the delimiter too, or not; a last field that holds a value on any
    line, or a header that names the last column, leaves the table as it is.
    """
    widths = {len(row) for _, row in body}
    if len(header) > 1 and not header[-1].strip() and widths == {len(header) - 1}:
        return header[:-1], body, "the header line ends with the delimiter"  # and no data line does
    if not body or any(not row or row[-1].strip() for _, row in body):
        return header, body, False
    if widths == {len(header)} and len(header) > 1 and not header[-1].strip():
        header = header[:-1]
    elif widths != {len(header) + 1}:
        return header, body, False
    return header, [(number, row[:-1]) for number, row in body], "each line ends with the delimiter"


#: Characters that separate the values of a table in files people save.
_SEPARATORS = (",", ";", "\t", "|", " ")


def _csv_rows(text, delimiter):
    """``(line, row)`` for every row of ``text`` split at ``delimiter`` (a run of spaces counts as one space).

    ``line`` is the line of the file where the row starts: a quoted cell may hold a line break. Only
    ``\\n``, ``\\r`` and ``\\r\\n`` end a line (``str.splitlines`` would also break at U+0085, which a
    cp1252 file read as latin-1 holds for its "...", and at U+2028 and form feeds).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=delimiter == " ")
    rows, line = [], 1
    for row in reader:
        rows.append((line, row))
        line = reader.line_num + 1
    return rows


def _filled_rows(text, delimiter):
    """``(line, row)`` for the rows of ``text`` split at ``delimiter`` that hold a value, or None when the
    csv module cannot split it there (a field beyond its size limit): then that is not the delimiter."""
    try:
        return [(number, row) for number, row in _csv_rows(text, delimiter) if any(cell.strip() for cell in row)]
    except csv.Error:
        return None


def _refuse_merged_columns(path, text, name, delimiter, decimal):
    """Stop when a table read as one column is really split by another character.

    A file separated by ``|`` or spaces, or by commas while ``decimal=","``,
    otherwise comes out as one column named like ``"height|weight"``: text
    that ``categorical="one-hot"`` would turn into nonsense, or with decimal
    commas numbers such as 170.65 made of two values. The sign is that the
    header and at least half of the data lines split into the same number
    (more than one) of values at that character; a one-column file whose
    name has a space (``body height``) has no spaces in its numbers.
    """
    for candidate in _SEPARATORS:
        if candidate == delimiter or candidate not in name.strip():
            continue
        rows = _filled_rows(text, candidate)
        if rows is None:
            continue
        width, body = len(rows[0][1]), [row for _, row in rows[1:]]
        if candidate == decimal and width >= 2 and body and 2 * sum(len(row) > width for row in body) >= len(body):
            raise ValueError(  # 1,5,2,5 under a,b: which commas are decimal marks cannot be told
                f"{path} comes out as one column named {name!r}: its header splits into {width} names at ',', and "
                f"its rows into more values, because the decimal commas are not in quotes. No reader can tell which "
                f"comma separates two values; save the file with ';' between the values (or with the numbers in "
                f"quotes, \"1,5\", then read it with delimiter=',' and decimal=',')")
        if width < 2 or 2 * sum(len(row) == width for row in body) < len(body):
            continue
        if candidate == decimal:
            raise ValueError(
                f"{path} comes out as one column named {name!r}, but its header and rows split into {width} values "
                f"at ',', which decimal=',' takes for the decimal mark: leave decimal out if the numbers have "
                f"decimal points or none; if they have decimal commas in quotes (\"1,5\",\"2,5\"), read it with "
                f"delimiter=',' as well")
        raise ValueError(f"{path} comes out as one column named {name!r}, but its header and rows split into "
                         f"{width} values at {candidate!r}: read it with delimiter={candidate!r}")


def _refuse_archives(path, data):
    """Stop on a compressed file, a zip archive or a workbook, recognised by its first bytes, before any
    decoding: read as text they fail with advice about encodings that cannot help."""
    if data.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"\x28\xb5\x2f\xfd")):  # gzip, bzip2, xz, zstd
        raise ValueError(f"{path} is compressed (gzip, bzip2, xz or zstd), not a text table: decompress it first, "
                         f"or read it with pandas.read_csv and pass the DataFrame to tables.from_array")
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the old .xls format
        raise ValueError(f"{path} is a spreadsheet workbook (Excel), not a CSV file: save it as CSV first "
                         f"(File > Save As > CSV)")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):  # a zip's signatures, not a header "PK,..."
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = archive.namelist()
        except zipfile.BadZipFile:  # a damaged workbook, most likely, as Excel's files are zips
            members = None
        if members is None or "[Content_Types].xml" in members or any(name.startswith("xl/") for name in members):
            raise ValueError(f"{path} is a spreadsheet workbook (Excel), not a CSV file: save it as CSV first "
                             f"(File > Save As > CSV)")
        if members:
            raise ValueError(f"{path} is a zip archive holding {_show(members)}: extract the CSV file first, or read "
                             f"it with pandas.read_csv (which opens a zip of one CSV) and pass the DataFrame to "
                             f"tables.from_array")


def _read_text(path, encoding):
    """The file's text and notes, or one sentence saying why it is not text in ``encoding``.

    A file that starts with UTF-8's byte order mark is UTF-8 (Excel's "CSV
    UTF-8"): read as cp1252 or latin-1, the mark would become the first
    column's name (``ï»¿id``), so it is read as UTF-8 with a note.
    """
    if not isinstance(encoding, str):
        raise TypeError(f"encoding must be a name such as 'utf-8' or 'latin-1'; got {encoding!r}")
    try:
        asked = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"encoding {encoding!r} is not a text encoding Python knows; "
                         f"try 'utf-8', 'cp1252' or 'latin-1'") from None
    if os.path.isdir(path):
        raise ValueError(f"{path} is a folder, not a file: pass the path of the CSV file inside it")

    with open(path, "rb") as handle:
        data = handle.read()
    _refuse_archives(path, data)
    marked = data.startswith(codecs.BOM_UTF8)
    notes = ([f"read as UTF-8, not {encoding}: the file starts with UTF-8's byte order mark"]
             if marked and asked not in ("utf-8", "utf-8-sig") else [])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not asked.startswith("utf-16"):
        # Excel's "Unicode text" and PowerShell write UTF-16 with its byte order mark, which says so
        notes.append(f"read as UTF-16, not {encoding}: the file starts with UTF-16's byte order mark")
        encoding = asked = "utf-16"
    try:
        text = data.decode("utf-8-sig" if marked else encoding)
    except LookupError:  # a codec that is not for text, such as 'rot13'
        raise ValueError(f"encoding {encoding!r} is not a text encoding Python knows; "
                         f"try 'utf-8', 'cp1252' or 'latin-1'") from None
    except UnicodeDecodeError as exc:
        if marked:
            position = exc.start + len(codecs.BOM_UTF8)  # utf-8-sig counts from after the mark
            raise ValueError(f"{path} starts with UTF-8's byte order mark but is not UTF-8 text (byte "
                             f"{exc.object[exc.start:exc.start + 1]!r} at position {position}): save it again "
                             f"as UTF-8 (in Excel, CSV UTF-8)") from None
        raise ValueError(
            f"{path} is not {encoding} text (byte {exc.object[exc.start:exc.start + 1]!r} at position {exc.start}): "
            f"pass the file's encoding, e.g. encoding='cp1252' (Excel on Windows) or encoding='latin-1'") from None
    if "\x00" in text:
        raise ValueError(f"{path} contains NUL bytes: it is not a text table (a UTF-16 file needs "
                         f"encoding='utf-16'; a workbook must be saved as CSV first)")
    return text.removeprefix("\ufeff"), notes


def from_array(values, columns=None, *, id_column=None, drop=(), missing="error", categorical="error",
               constant="error", decimal="."):
    """Check data already in memory (an array or a pandas DataFrame) into a numeric :class:`Table`.

    The same checks and options as :func:`read_csv`, for data you already
    hold: ``sklearn.datasets.load_wine().data``, or a DataFrame from
    ``pandas.read_excel``. A DataFrame keeps its column names, and its
    index names the rows. ``NaN``, ``None`` and pandas' ``NA`` count as
    missing. (pandas is not needed: a DataFrame is recognised by its
    ``columns`` and ``to_numpy``.)

    Parameters
    ----------
    values : array-like or pandas.DataFrame of shape (n_rows, n_columns)
        Or a dict of columns (name -> values), or a NumPy structured array
        (``np.genfromtxt(path, delimiter=",", names=True)``).
    columns : sequence of str, optional
        Column names for an array; default ``"x0", "x1", ...``. A DataFrame,
        a dict or a structured array brings its own.
    id_column, drop, missing, categorical, constant, decimal
        As for :func:`read_csv` (``decimal`` matters only for numbers held
        as text).

    Returns
    -------
    Table

    Examples
    --------
    >>> table = from_array([[1.0, 2.0], [2.0, None], [4.0, 3.0]], ["a", "b"], missing="median")
    >>> table.X.tolist(), table.notes
    ([[1.0, 2.0], [2.0, 2.5], [4.0, 3.0]], ("filled 1 missing value(s) in 'b' with its median 2.5",))
    """
    if _is_dataframe(values):
        if columns is not None:
            raise TypeError("columns is for arrays: a DataFrame brings its own column names "
                            "(rename them with DataFrame.rename)")
        columns = [str(c) for c in values.columns]
        row_names = [str(r) for r in values.index]
        array = values.to_numpy(dtype=object)
        _refuse_numbered_categories(values, columns, drop, None if id_column is None else str(id_column))
        index_name = getattr(getattr(values, "index", None), "name", None)
        if id_column is not None and str(id_column) not in columns and index_name is not None \
                and str(id_column) == str(index_name):
            id_column = None  # df.set_index("sample"): its index names the rows already
    elif isinstance(values, dict) or getattr(getattr(values, "dtype", None), "names", None):
        columns, array = _named_columns(values, columns)
        row_names = None
    else:
        if isinstance(values, (str, bytes, os.PathLike)):
            raise TypeError("values is a file name: read a file with read_csv(path)")
        if np.ma.isMaskedArray(values):  # a masked value is a missing one, not the number stored under the mask
            values = np.ma.asarray(values).astype(object).filled(None)
        try:
            array = np.asarray(values, dtype=object)
        except ValueError as exc:  # ragged rows
            raise ValueError(f"values must be a table whose rows all have the same length: {exc}") from None
        row_names = None
        _check_rows_have_one_length(array)
    if array.ndim != 2:
        raise ValueError(f"values must be a 2-D table (rows x columns); got shape {array.shape}")
    if array.shape[1] == 0:
        raise ValueError("values has no columns")
    if columns is None:
        columns = [f"x{j}" for j in range(array.shape[1])]
    if isinstance(columns, str):
        raise TypeError(f"columns must be a sequence of names, one per column; got the string {columns!r}")
    columns = [str(c) for c in columns]
    if len(columns) != array.shape[1]:
        raise ValueError(f"columns names {len(columns)} columns but values has {array.shape[1]}")
    if row_names is None:
        row_names = [str(r) for r in range(array.shape[0])]
    cells = [list(array[:, j]) for j in range(array.shape[1])]
    return _build(columns, cells, row_names, "row", id_column=id_column, drop=drop, missing=missing,
                  categorical=categorical, constant=constant, decimal=decimal)


def _a_number(category):
    """True for a category that is a number, or text that reads as one ("1"; not "NA", a missing value)."""
    if isinstance(category, str):
        number, missing = _parse(category, ".")
        return number is not None and not missing
    return isinstance(category, numbers.Number) and not isinstance(category, bool)


def _refuse_numbered_categories(frame, columns, drop, id_column=None):
    """Stop on a DataFrame column of pandas' ``category`` dtype whose categories are numbers (``1, 2, 3``
    as codes for kinds): declared categorical, it would be read as a measurement."""
    dropped = {str(d) for d in _listed(drop)}
    for name, dtype in zip(columns, getattr(frame, "dtypes", [None] * len(columns))):  # a frame-like without dtypes
        categories = getattr(dtype, "categories", None)
        if str(dtype) != "category" or categories is None or name in dropped or name == id_column or not len(categories):
            continue
        if all(_a_number(c) for c in categories):
            shown = ", ".join(str(c) for c in list(categories)[:3]) + (", ..." if len(categories) > 3 else "")
            raise ValueError(f"column {name!r} is a pandas categorical column whose categories are numbers ({shown}): "
                             f"read as a feature, its numbers would count as measurements. If they are measurements, "
                             f"convert it: df = df.astype({{{name!r}: float}}); if they name kinds, one-hot it first, "
                             f"pandas.get_dummies(df, columns=[{name!r}]); or leave it out with drop=[{name!r}]")


def _named_columns(values, columns):
    """``(names, object array of rows x columns)`` from a dict of columns or a NumPy structured array
    (``np.genfromtxt(..., names=True)``), whose names are the column names."""
    if columns is not None:
        raise TypeError("columns is for plain arrays: a dict or a structured array brings its own column names")
    names = list(values) if isinstance(values, dict) else list(values.dtype.names)
    if not names:
        raise ValueError("values has no columns")
    if not isinstance(values, dict) and values.ndim != 1:
        raise ValueError(f"a structured array must be 1-D, one record per row; got shape {values.shape}")
    cells = [np.asarray(values[name], dtype=object) for name in names]
    shapes = {name: cell.shape for name, cell in zip(names, cells)}
    if any(len(shape) != 1 for shape in shapes.values()) or len(set(shapes.values())) != 1:
        raise ValueError(f"every column must be a 1-D sequence of the same length; got {shapes}")
    return [str(name) for name in names], np.column_stack(cells)


def _refuse_durations_and_periods(name, values, row_names):
    """Stop on a column of durations (``timedelta``) or of pandas periods (``2024-01`` as a month).

    They are measurements, but as text (``"1 days 02:00:00"``) they would be called categorical and
    one-hot would make a column per distinct value; the learner picks the unit of the number.
    """
    for i, value in enumerate(values):
        if isinstance(value, (datetime.timedelta, np.timedelta64)) and not is_missing_value(value):
            raise ValueError(f"column {name!r} holds durations ({value!s}, first at row {row_names[i]}): convert "
                             f"it to numbers in the unit you mean (hours: in pandas "
                             f"df[{name!r}].dt.total_seconds() / 3600), or leave it out with drop=[{name!r}]")
        if type(value).__name__ == "Period":
            raise ValueError(f"column {name!r} holds periods ({value!s}, first at row {row_names[i]}): convert it "
                             f"to numbers in the unit you mean (months: in pandas df[{name!r}].dt.year * 12 + "
                             f"df[{name!r}].dt.month), or leave it out with drop=[{name!r}]")


def _check_rows_have_one_length(array):
    """Stop when NumPy made a 1-D array of rows because the rows differ in length (``[[1, 2], [3]]``)."""
    if array.ndim != 1:  # a proper table (2-D), or a shape from_array refuses next
        return
    is_row = [isinstance(row, (list, tuple)) or (isinstance(row, np.ndarray) and row.ndim > 0) for row in array]
    if not any(is_row):
        return
    lengths = [len(row) if row_like else 1 for row, row_like in zip(array, is_row)]
    other = next((i for i, n in enumerate(lengths) if n != lengths[0]), None)
    if other is not None:
        raise ValueError(f"values must be a table whose rows all have the same length; row {other} has "
                         f"{lengths[other]} value(s) but row 0 has {lengths[0]}")


def _is_dataframe(values):
    """A pandas (or pandas-like) DataFrame, recognised without importing pandas."""
    return (not isinstance(values, np.ndarray) and hasattr(values, "columns") and hasattr(values, "to_numpy")
            and hasattr(values, "index"))


def write_csv(path, columns):
    """Write named columns of equal length to a CSV file (a header row, then one row per sample).

    Parameters
    ----------
    path : str or path-like
    columns : dict of str -> sequence, or sequence of (str, sequence) pairs
        Column name -> values, in order. Floats are written in full (the shortest text
        that reads back as the same number; ``127`` for 127.0), so
        :func:`read_csv` gets back exactly what was written. Pairs let a name
        that appears twice be caught: a dict built as ``{"cluster": labels,
        **features}`` keeps only the last of two columns named ``cluster``.

    Returns
    -------
    str
        The path written.

    Raises
    ------
    TypeError, ValueError
        If ``columns`` is empty or not name-value pairs, a name appears twice, a
        column is not a sequence or has more than one dimension, or the columns
        differ in length.
    """
    pairs = list(columns.items()) if isinstance(columns, dict) else columns
    if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__iter__"):
        raise TypeError("columns must be a dict (column name -> values) or a list of (name, values) pairs")
    pairs = list(pairs)
    if not pairs or not all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in pairs):
        raise TypeError("columns must be a non-empty dict (column name -> values) or list of (name, values) pairs, "
                        "each name a str")
    names = [name for name, _ in pairs]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"column name(s) {twice} appear more than once: one column would hide the other in the "
                         "file; rename one (a table read back from an earlier export already holds its added "
                         "columns: drop them when loading it)")
    columns = {}
    for name, values in pairs:
        if not hasattr(values, "__len__") or np.ndim(values) == 0:  # a generator, a number, a text, a set (no order)
            raise TypeError(f"column {name!r} must be a sequence of values in row order (a list, an array); got "
                            f"{type(values).__name__}")
        if np.ndim(values) > 1:  # csv would write each row's array as one cell, "[1. 2.]"
            one = np.ndim(values) == 2 and np.shape(values)[1] == 1
            raise ValueError(f"column {name!r} has shape {np.shape(values)}, " + (
                "one column held as a table: pass it flat, values.ravel()" if one else
                "a table rather than one column; give each of its columns a name, e.g. "
                "*zip(table.columns, table.X.T)"))
        columns[name] = values
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"every column needs the same number of values; got {lengths}")

    def cell(value):
        if isinstance(value, (float, np.floating)):
            text = str(value) if isinstance(value, np.floating) else repr(float(value))
            return text[:-2] if text.endswith(".0") else text
        return str(value.item() if isinstance(value, np.generic) else value)

    path = os.fspath(path)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(columns))
        for row in zip(*columns.values()):
            writer.writerow([cell(v) for v in row])
    return path
