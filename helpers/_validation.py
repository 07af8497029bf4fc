"""Input checks shared by every public helper.

Each check raises early with a message that names the argument and the
problem, so a learner sees *what* is wrong instead of a traceback from deep
inside scikit-learn or Keras.
"""

from __future__ import annotations

import decimal
import math
import numbers
import warnings

import numpy as np


def check_features(X, *, name="X", min_samples=2, min_features=1, ndim=2, like=None):
    """Return ``X`` as a finite float array of the expected rank.

    Parameters
    ----------
    X : array-like
        The data to check.
    name : str, default="X"
        Name used in error messages.
    min_samples : int, default=2
        Smallest acceptable number of rows.
    min_features : int, default=1
        Smallest acceptable number of columns (only for ``ndim=2``).
    ndim : int, default=2
        Required number of dimensions.
    like : array-like, optional
        What ``X`` was converted from: a DataFrame's column names and row
        index then say where a bad value lies. By default ``X`` itself.

    Returns
    -------
    numpy.ndarray
        ``X`` converted to a floating-point array (float32 stays float32;
        integers and float16 become float64).
        A DataFrame with pandas' nullable types (``Float64``, ``Int64``) is
        converted as :func:`as_numeric_array` does, its ``NA`` counted as
        a missing value.

    Raises
    ------
    TypeError
        If ``X`` is not numeric.
    ValueError
        If ``X`` has the wrong rank, too few samples or features, or
        contains NaN or infinity.
    """
    array = as_numeric_array(X, name=name)  # pandas' nullable types as the models take them; pd.NA -> NaN
    if array.dtype == bool or not (
        np.issubdtype(array.dtype, np.number) and not np.issubdtype(array.dtype, np.complexfloating)
    ):
        hint = " (true/false values: convert them with .astype(float), 1 for true)" if array.dtype == bool else ""
        if array.dtype.kind in "US" and array.size:  # text: a list mixing numbers and text, or a csv module's rows
            text = next((i for i, value in enumerate(array.flat) if not _reads_as_number(value)), None)
            if text is None:  # every value reads as a number: numbers written as text
                hint = (f" (numbers written as text, such as {str(array.flat[0])!r}: convert them with "
                        f"np.asarray({name}, dtype=float))")
            else:
                where = _position(X if like is None else like,
                                  tuple(int(j) for j in np.unravel_index(text, array.shape)))
                hint = f" (text, such as {str(array.flat[text])!r} {where})"
        raise TypeError(f"{name} must contain real numbers; got dtype {array.dtype}{hint}")
    if array.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array (samples x features); got {array.ndim}-D "
            f"with shape {array.shape}"
        )
    if array.shape[0] < min_samples:
        raise ValueError(f"{name} needs at least {min_samples} samples; got {array.shape[0]}")
    if ndim == 2 and array.shape[1] < min_features:
        raise ValueError(f"{name} needs at least {min_features} feature(s); got {array.shape[1]}")
    if not np.issubdtype(array.dtype, np.floating) or array.dtype == np.float16:
        array = array.astype(np.float64)  # float16: NumPy's linear algebra refuses it, and its sums overflow
    if not np.all(np.isfinite(array)):
        n_bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        where = _position(X if like is None else like, tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0]))
        raise ValueError(f"{name} contains {n_bad} NaN or infinite value(s), the first {where}; clean or impute "
                         f"them first")
    return array


def _reads_as_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _label(labels, i):
    """Label ``i`` of a pandas index, as Python writes it: 102, not np.int64(102)."""
    label = labels[i]
    return label.item() if isinstance(label, np.generic) else label


def _position(values, index):
    """Where element ``index`` (a tuple) of ``values`` lies, in words: counted from 0, and for a pandas
    object its column's label and, where it differs from the position, the row's index label."""
    pandas = hasattr(values, "iloc")
    if not index:  # a single value: nowhere to point
        return "in the single value given"
    if len(index) > 2:
        return f"at index {index}"
    row = index[0]
    named = ""
    if pandas and _label(values.index, row) != row:
        named = f"; its index label is {_label(values.index, row)!r}"
    if len(index) == 1:
        return f"at position {row} (counting from 0{named})"
    if not (pandas and hasattr(values, "columns")):  # an array or a list
        return f"in row {row}, column {index[1]} (counting from 0)"
    return f"in column {_label(values.columns, index[1])!r}, row {row} (counting from 0{named})"


def check_labels(labels, *, name="labels", n_samples=None):
    """Return ``labels`` as a 1-D integer array.

    Parameters
    ----------
    labels : array-like of int
        Cluster or class labels; ``-1`` is allowed (noise). Integers held
        as Python objects (an object array, a pandas column) are read too.
    name : str, default="labels"
        Name used in error messages.
    n_samples : int, optional
        Required length.

    Returns
    -------
    numpy.ndarray of int

    Raises
    ------
    TypeError
        If the labels are not whole numbers.
    ValueError
        If they are not 1-D, are empty, have the wrong length, contain
        NaN, ``None`` or infinity, or numbers too large for a 64-bit integer.
    """
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array; got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if array.dtype == object:  # a list with None, a pandas column of nullable integers, ints stored as objects
        array = _object_labels(array, name)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must be integers; got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must be integers; got dtype {array.dtype}")
    if not np.issubdtype(array.dtype, np.integer):
        finite = np.isfinite(array)
        if not np.all(finite):
            n_bad = int(array.size - np.count_nonzero(finite))
            raise ValueError(f"{name} contains {n_bad} NaN or infinite value(s); every sample needs a label")
        if np.any(array != np.round(array)):
            raise TypeError(f"{name} must be whole numbers; got non-integer values")
        largest = float(np.max(np.abs(array)))
        if largest >= 2.0**63:  # beyond int64 the cast below wraps round, merging different labels
            raise ValueError(f"{name} must be whole numbers within the 64-bit integer range; got {largest:g}")
        array = array.astype(np.int64)
    if n_samples is not None and array.shape[0] != n_samples:
        raise ValueError(f"{name} has {array.shape[0]} entries but there are {n_samples} samples")
    return array


def check_two_columns(points, *, name="X", verb="plot", suggest_pca=True):
    """Refuse points that are not 2-D, with a way to draw more columns: what every scatter plot needs.

    ``suggest_pca=False`` where a projection would give wrong numbers (a VAE's ``z_log_var``, centred by
    PCA, would no longer be a log-variance)."""
    if points.shape[1] != 2:
        hint = (": draw two of them, or the first two principal components, "
                "sklearn.decomposition.PCA(n_components=2).fit_transform(...)"
                if points.shape[1] > 2 and suggest_pca else "")
        raise ValueError(f"{name} must have exactly 2 columns to {verb}; got {points.shape[1]}{hint}")
    return points


def check_cluster_labels(labels, *, name="labels", n_samples=None):
    """:func:`check_labels` for a clustering's labels: ``0, 1, ...`` and ``-1`` for noise, nothing lower.

    scikit-learn's ``HDBSCAN`` marks rows with an infinite value ``-2`` and rows with a missing value
    ``-3``; scored or drawn as clusters they would pass for two more groups, so they are refused.

    Raises
    ------
    ValueError
        Besides :func:`check_labels`' cases, if a label is below ``-1``.
    """
    labels = check_labels(labels, name=name, n_samples=n_samples)
    below = labels < -1
    if np.any(below):
        values = np.unique(labels[below])[::-1]
        shown = ", ".join(str(v) for v in values[:5]) + (", ..." if values.size > 5 else "")
        raise ValueError(
            f"{name} holds {shown} ({np.count_nonzero(below)} sample(s)), but cluster labels are 0, 1, ... with -1 "
            f"for noise: scikit-learn's HDBSCAN gives -2 to rows with an infinite value and -3 to rows with a "
            f"missing one, so clean those rows before clustering, or count them as noise with "
            f"np.maximum(labels, -1)")
    return labels


#: The text ``str()`` gives a missing value: ``str(float("nan"))``, ``str(pd.NA)`` (``str(None)`` is also a word),
#: and the empty text of a blank cell read as text.
_LOST = ("nan", "NaN", "<NA>", "")


def _object_labels(array, name):
    """An object array of labels as int64 (all integers) or float64 (all real numbers), else unchanged;
    a missing label (``None``, NaN, pandas' ``NA``) is refused by name."""
    values = array.tolist()
    missing = [i for i, value in enumerate(values) if is_missing_value(value)]
    if missing:
        raise ValueError(f"{name} has {len(missing)} missing label(s) (NaN or None, first at position "
                         f"{missing[0]}); every sample needs a label")
    if all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in values):
        if any(not -(2**63) <= int(v) < 2**63 for v in values):
            raise ValueError(f"{name} must be whole numbers within the 64-bit integer range")
        return np.array([int(v) for v in values], dtype=np.int64)
    if all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in values):
        return np.array([float(v) for v in values], dtype=np.float64)
    return array


def dtype_kind(values):
    """NumPy's dtype kind of ``values`` as one array; ``"O"`` when NumPy cannot make one (ragged input),
    which the checks then name."""
    try:
        return np.asarray(values).dtype.kind
    except Exception:
        return "O"


def is_plain_number(value):
    """True for a real number that is not a boolean (Python's or NumPy's): a number among class labels."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def is_noise_label(value):
    """True for the integer ``-1`` (a Python or NumPy integer, not a boolean): noise among text class labels,
    as :func:`helpers.evaluation.match_labels` gives it; the text ``"-1"`` and the float ``-1.0`` are classes."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)) and value == -1


def is_missing_value(value):
    """True for ``None``, a float NaN, and pandas' ``NA``/``NaT`` (recognised without importing pandas)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(value, (float, np.floating)) and bool(np.isnan(value))


def as_numeric_array(values, *, name="x"):
    """``values`` (an array, a list, a pandas DataFrame or Series) as a NumPy array of numbers.

    Converted with :func:`numpy.asarray`; an object array (what a DataFrame
    with pandas' nullable types or mixed columns gives) is converted element
    by element, with ``None`` and pandas' ``NA`` becoming ``NaN`` so that
    :func:`check_features` reports them as missing values, the same as for
    an array.

    Raises
    ------
    TypeError
        If an element is not a number (text, a date, ...).
    ValueError
        If an integer is too large for a float (``10**400``).
    """
    nullable = _nullable_numbers(values)
    if nullable is not None:
        return nullable
    try:
        array = np.asarray(values)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a numeric array; got {type(values).__name__}") from exc
    if array.dtype != object:
        return array
    flat = array.ravel()
    converted = np.empty(flat.shape, dtype=np.float64)
    for i, value in enumerate(flat):
        if is_missing_value(value):
            converted[i] = np.nan
        elif isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.number, decimal.Decimal)):
            where = _position(values, tuple(int(j) for j in np.unravel_index(i, array.shape)))
            boolean = isinstance(value, (bool, np.bool_))
            hint = "; convert true/false columns with .astype(float), 1 for true" if boolean else ""
            raise TypeError(f"{name} must contain numbers only; found {value!r} ({type(value).__name__}) {where}{hint}")
        else:
            converted[i] = _to_float(value, name)
    return converted.reshape(array.shape)


def _nullable_numbers(values):
    """A pandas DataFrame of numbers with a nullable column (``Int64``, ``Float64``) as floats, ``NA`` as
    NaN, converted column by column; ``None`` for anything else (NumPy reads a nullable Series itself).

    NumPy would make it an object array and :func:`as_numeric_array` convert that element by element,
    13 s for 50,000 x 200 values against a fraction of a second here.
    """
    if not type(values).__module__.startswith("pandas") or getattr(values, "ndim", None) != 2:
        return None  # not a DataFrame: pd.NA or a Timestamp alone is named further on
    columns = [values.iloc[:, i] for i in range(values.shape[1])]
    dtypes = [column.dtype for column in columns]
    # pandas' own dtypes are not NumPy's; .kind is "i", "u" or "f" for numbers, as NumPy's is
    if all(isinstance(d, np.dtype) for d in dtypes) or not all(getattr(d, "kind", "O") in "iuf" for d in dtypes):
        return None  # plain NumPy columns convert fast already; text and booleans are named further on
    common = np.result_type(*(getattr(d, "numpy_dtype", d) for d in dtypes))  # Float32 columns stay float32
    dtype = common if common.kind == "f" else np.float64
    converted = [column.to_numpy(dtype=dtype, na_value=np.nan) for column in columns]
    return np.column_stack(converted)  # at least one column: a frame without any returned None above


def _to_float(value, name):
    try:
        return float(value)
    except OverflowError:  # a Python int beyond float64, e.g. 10**400
        raise ValueError(f"{name} holds a number too large for a float ({len(str(value))} digits); "
                         "scale the data first") from None


def check_classes(y, *, name="y_true", n_samples=None):
    """Return ground-truth classes as integer codes, and the class of each code.

    Any hashable class labels are accepted, as scikit-learn's metrics accept
    them: integers, strings, booleans, floats. Only a missing label (``None``,
    ``NaN``, pandas' ``NA``) or an infinite one is refused: every sample needs
    a class, and scikit-learn's metrics refuse infinity.

    Returns
    -------
    codes : numpy.ndarray of int64, shape (n_samples,)
        ``classes[codes]`` gives the labels back.
    classes : numpy.ndarray
        The distinct labels, sorted (by their text when they cannot be compared).

    Raises
    ------
    TypeError
        If a label is not hashable.
    ValueError
        If ``y`` is not 1-D, is empty, has the wrong length, a missing label
        or an infinite one.
    """
    try:
        array = np.asarray(y)
        if array.dtype.kind in "US" and isinstance(y, (list, tuple)) and not all(isinstance(v, str) for v in y):
            # NumPy writes a NaN among text as the text 'nan' (hiding a missing label) and 1 as '1'
            # (merging it with the class "1"): keep a list's labels as they are
            array = np.asarray(y, dtype=object)
    except Exception as exc:
        raise TypeError(f"{name} must be a 1-D sequence of class labels; got {type(y).__name__}") from exc
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array; got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if n_samples is not None and array.shape[0] != n_samples:
        raise ValueError(f"{name} has {array.shape[0]} entries but there are {n_samples} samples")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold class labels; got dtype {array.dtype}")
    if array.dtype.kind in "US" or array.dtype == object:
        texts = [i for i, value in enumerate(array.tolist()) if isinstance(value, str) and value.strip() in _LOST]
        if texts:  # what str() makes of NaN and pandas' NA: a label that went missing, turned into text
            raise ValueError(f"{name} has {len(texts)} label(s) written as {str(array[texts[0]]).strip()!r} "
                             f"(first at position {texts[0]}): the text NumPy or pandas write for a missing "
                             "value (or a blank cell), not a class; every sample needs a class (if it is a real "
                             "class, rename it)")
    if np.issubdtype(array.dtype, np.integer) or array.dtype == bool or array.dtype.kind in "US":
        classes, codes = np.unique(array, return_inverse=True)
        return codes.ravel().astype(np.int64), classes
    missing = [i for i, value in enumerate(array.tolist()) if is_missing_value(value)]
    if missing:
        raise ValueError(f"{name} has {len(missing)} missing label(s) (NaN or None, first at position "
                         f"{missing[0]}); every sample needs a class")
    values = array.tolist()
    infinite = [i for i, value in enumerate(values) if isinstance(value, numbers.Real) and math.isinf(value)]
    if infinite:  # scikit-learn's metrics refuse them too
        raise ValueError(f"{name} has {len(infinite)} infinite label(s) (first at position {infinite[0]}); "
                         "a class must be a finite number or text")
    try:
        distinct = sorted(set(values))
    except TypeError as exc:
        if "unhashable" in str(exc):
            raise TypeError(f"{name} must hold hashable class labels (numbers or text); {exc}") from None
        distinct = sorted(set(values), key=lambda v: (type(v).__name__, str(v)))
    index = {value: code for code, value in enumerate(distinct)}
    classes = np.empty(len(distinct), dtype=object)
    classes[:] = distinct
    if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in distinct):
        classes = classes.astype(np.float64 if array.dtype.kind == "f" else array.dtype)
    return np.array([index[value] for value in values], dtype=np.int64), classes


def check_int(value, *, name, minimum=None, maximum=None):
    """Return ``value`` as an ``int`` within ``[minimum, maximum]``.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (booleans are rejected).
    ValueError
        If it lies outside the allowed range.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}; got {value}")
    return value


def check_float(value, *, name, low=None, high=None, low_inclusive=True, high_inclusive=True):
    """Return ``value`` as a finite ``float`` within the given bounds.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is not finite or lies outside the bounds.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number; got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    if low is not None and (value < low or (value == low and not low_inclusive)):
        bound = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {bound} {low}; got {value}")
    if high is not None and (value > high or (value == high and not high_inclusive)):
        bound = "<=" if high_inclusive else "<"
        raise ValueError(f"{name} must be {bound} {high}; got {value}")
    return value


def check_score(value, *, name):
    """Return a score for a printed table as a ``float``; NaN and infinity pass (they mark a score not measured).

    Raises
    ------
    TypeError
        If ``value`` is not a real number (``None``, text, a boolean).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number (NaN for a score not measured); got {value!r}")
    return float(value)


def check_k_range(k_range, *, minimum=1, maximum=None, name="k_range"):
    """Return the distinct numbers of clusters in ``k_range``, sorted, as a list of ``int``.

    The one convention for k ranges across the package: any iterable of integers
    (``range(2, 9)``, a list, a NumPy array), duplicates dropped, at least two
    different values (one value leaves nothing to compare).

    Raises
    ------
    TypeError
        If ``k_range`` is not an iterable of integers.
    ValueError
        If a value lies outside ``[minimum, maximum]`` or fewer than two remain.
    """
    example = f"range({max(minimum, 1)}, 11)"
    try:
        values = list(k_range)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of integers, e.g. {example}; got {k_range!r}") from None
    ks = sorted({check_int(k, name=f"{name} value", minimum=minimum, maximum=maximum) for k in values})
    if len(ks) < 2:
        raise ValueError(f"{name} must hold at least 2 different values to compare, e.g. {example}; got {ks}")
    return ks


def check_seed(seed, *, name="random_state"):
    """Return ``seed`` as an ``int`` in ``[0, 2**32 - 1]`` (``None`` is not accepted).

    The one seed check of the package. The series insists on explicit seeds
    so every result can be reproduced. The upper bound is NumPy's and
    Keras' (``keras.utils.set_random_seed``): a larger seed would fail deep
    inside them.

    Convention: a function whose randomness is NumPy's or scikit-learn's
    names it ``random_state``, as scikit-learn does; a Keras layer or model
    (and :func:`helpers.set_seed`) names it ``seed``, as Keras does.
    """
    if seed is None:
        raise TypeError(f"{name} must be an integer seed; None would make the result unrepeatable")
    return check_int(seed, name=name, minimum=0, maximum=2**32 - 1)


#: Columns whose standard deviations differ by more than this factor draw a warning: unscaled, most likely
#: (a raw table such as the wines' spans 2,530; the digits' pixels, scaled as one unit, 277).
UNSCALED_RATIO = 1000

#: How to scale columns that share one unit, said beside every "scale the columns" advice: standardising
#: pixels one by one makes a rarely inked pixel's strokes outliers (notebooks 04 and 05 measure the cost).
ONE_UNIT_HINT = "columns in one unit, such as pixels: divide them all by one value, e.g. 255 for 8-bit images"


def warn_if_unscaled(X, *, name, consequence, hint, stacklevel):
    """Warn when one column's standard deviation is more than ``UNSCALED_RATIO`` times another's.

    Parameters
    ----------
    X : numpy.ndarray of shape (n_samples, n_features)
        Checked, finite numbers. Columns that do not vary are left out; with
        fewer than two that vary there is nothing to compare. A table whose
        every value lies in [0, 1] (pixels divided by their largest possible
        value, shares) already shares one range and is not warned about.
    name : str
        What the learner called it (``"X"``, ``"x"``).
    consequence : str
        What the widest columns then dominate, as a clause after "so".
    hint : str
        How to scale, in the learner's context.
    stacklevel : int
        As :func:`warnings.warn`'s, counted from this function: the frame of the learner's call.

    Returns
    -------
    bool
        Whether it warned.
    """
    X = np.asarray(X, dtype=np.float64)  # float64: float32 squares of large values lose digits
    if X.size and X.min() >= 0 and X.max() <= 1:
        # One range already (pixels divided by their largest possible value, shares): a pixel that is nearly
        # always blank spreads little by nature, and standardising it would make its rare strokes outliers.
        return False
    spreads = X.std(axis=0)
    varying = np.flatnonzero(spreads > 0)
    if len(varying) < 2:
        return False
    widest, narrowest = varying[np.argmax(spreads[varying])], varying[np.argmin(spreads[varying])]
    ratio = spreads[widest] / spreads[narrowest]
    if ratio > UNSCALED_RATIO:
        warnings.warn(f"the columns of {name} are on very different scales: column {widest} spreads {ratio:,.0f} "
                      f"times as widely as column {narrowest} (counting from 0), so {consequence}; scale the "
                      f"columns first ({hint}; {ONE_UNIT_HINT}) unless they are meant to weigh like that, as columns "
                      f"in one unit already divided by one value are",
                      UserWarning,
                      stacklevel=stacklevel)
        return True
    return False


#: How far beyond the column's quartiles, in interquartile ranges (IQRs), a value lies before it may be a typo.
FAR_OUT_IQRS = 20
#: The share of the column's squared deviations (from its median) that those values must hold together: then the
#: column's spread, and so its scale, comes from them.
FAR_OUT_SHARE = 0.5
#: A value repeated in this share of the rows or more (and at least 5 rows), separated from every other value of
#: its column by more than :data:`CODE_GAP_IQRS` IQRs, looks like a code for a missing value (-999, 9999).
CODE_SHARE = 0.01
#: How far, in IQRs, such a value must lie from the column's other values: -999 beside values of 0-100 lies about
#: 25 away; the top of a skewed column of few values (1.5 ** k, k = 0-10) about 3.
CODE_GAP_IQRS = 10


def warn_if_far_out(X, *, name, stacklevel):
    """Warn of values that lie far outside the rest of their column: a typo, or a code for a missing value.

    Scaled together with them, a column's other values squeeze into a sliver (its standard deviation comes from
    a few rows), and a clustering can split those rows off, or nothing else. The robust yardsticks, the
    quartiles and the interquartile range (IQR), move with the column when it is scaled, so ``X`` may be scaled
    or not. A long tail draws it too when a few of its values make most of the column's spread (log-normal
    columns of sigma 1.5 often do, of sigma 1 rarely); the message names that case and its remedy, the
    logarithm. A value at a natural bound (a pixel's 16) is not called a code: it lies next to other values.

    Parameters
    ----------
    X : numpy.ndarray of shape (n_samples, n_features)
        Checked, finite numbers.
    name : str
        What the learner called it (``"X"``).
    stacklevel : int
        As :func:`warnings.warn`'s, counted from this function: the frame of the learner's call.

    Returns
    -------
    bool
        Whether it warned, for the first column whose values more than :data:`FAR_OUT_IQRS` IQRs beyond its
        quartiles hold :data:`FAR_OUT_SHARE` of its squared deviations from the median, or whose smallest or
        largest value is held by at least :data:`CODE_SHARE` of the rows (5 or more) and lies more than
        :data:`CODE_GAP_IQRS` IQRs from every other value (the top of a skewed column of few values lies closer).
    """
    X = np.asarray(X, dtype=np.float64)
    if len(X) < 20:
        return False
    low, median, high = np.percentile(X, [25, 50, 75], axis=0)
    spread = high - low
    for j in np.flatnonzero(spread > 0):  # a column that is mostly one value has no IQR to measure by
        column = X[:, j]
        beyond = np.maximum(low[j] - column, column - high[j]) / spread[j]  # IQRs beyond the middle half
        far = np.flatnonzero(beyond > FAR_OUT_IQRS)
        squares = (column - median[j]) ** 2
        if far.size and squares[far].sum() > FAR_OUT_SHARE * squares.sum():
            rows = ", ".join(str(i) for i in far[:5]) + (f" and {far.size - 5} more" if far.size > 5 else "")
            warnings.warn(f"column {j} of {name} (counting from 0) has {far.size} value(s) far outside the rest "
                          f"(row(s) {rows}: {column[far[0]]:.6g}, {beyond[far[0]]:,.0f} times the spread of the "
                          f"column's middle half beyond it), which make most of its spread: a typo, a code for a missing "
                          f"value, or a long tail? Scaled with them, the column's other values squeeze together, and "
                          f"the clusters may split off those rows and little else. Correct a typo, mark a code "
                          f"missing or leave those rows out; for a long tail of positive amounts, cluster the "
                          f"logarithm of the column (np.log1p)", UserWarning, stacklevel=stacklevel)
            return True
        # the smallest and the largest value, each with the nearest other value (an IQR above 0 means there is one);
        # found in one pass each, where sorting every column would cost n log n on this hot path
        lowest, highest = column.min(), column.max()
        for value, nearest in ((lowest, column[column > lowest].min()), (highest, column[column < highest].max())):
            held = np.count_nonzero(column == value)
            if held >= max(5, CODE_SHARE * len(X)) and abs(value - nearest) > CODE_GAP_IQRS * spread[j]:
                warnings.warn(f"column {j} of {name} (counting from 0) holds {value:.6g} in {held} rows "
                              f"({held / len(X):.0%}), far from all its other values: a code for a missing value, "
                              f"such as -999? Mark those cells missing (an empty cell in a CSV file) or leave those "
                              f"rows out; kept, the rows that share it can become a cluster of their own",
                              UserWarning, stacklevel=stacklevel)
                return True
    return False


def warn_if_far_out_or_unscaled(X, *, name, consequence, hint, stacklevel):
    """:func:`warn_if_far_out`, and only if it stays quiet, :func:`warn_if_unscaled` (same arguments).

    A column whose spread comes from a typo or a missing-value code looks unscaled too, and the scaling
    advice (StandardScaler) would hide the typo: the cause is said instead. ``stacklevel`` is counted from
    this function, as in the other two.
    """
    if not warn_if_far_out(X, name=name, stacklevel=stacklevel + 1):
        warn_if_unscaled(X, name=name, consequence=consequence, hint=hint, stacklevel=stacklevel + 1)
