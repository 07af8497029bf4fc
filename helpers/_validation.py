"""Input checks shared by every public helper.

Each check raises early with a message that names the argument and the
problem, so a learner sees *what* is wrong instead of a traceback from deep
inside scikit-learn or Keras.
"""

from __future__ import annotations

import numbers

import numpy as np


def check_features(X, *, name="X", min_samples=2, min_features=1, ndim=2):
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

    Returns
    -------
    numpy.ndarray
        ``X`` converted to a floating-point array (float32 stays float32).

    Raises
    ------
    TypeError
        If ``X`` is not numeric.
    ValueError
        If ``X`` has the wrong rank, too few samples or features, or
        contains NaN or infinity.
    """
    try:
        array = np.asarray(X)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a numeric array; got {type(X).__name__}") from exc
    if array.dtype == bool or not (
        np.issubdtype(array.dtype, np.number) and not np.issubdtype(array.dtype, np.complexfloating)
    ):
        raise TypeError(f"{name} must contain real numbers; got dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array (samples x features); got {array.ndim}-D "
            f"with shape {array.shape}"
        )
    if array.shape[0] < min_samples:
        raise ValueError(f"{name} needs at least {min_samples} samples; got {array.shape[0]}")
    if ndim == 2 and array.shape[1] < min_features:
        raise ValueError(f"{name} needs at least {min_features} feature(s); got {array.shape[1]}")
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        n_bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} contains {n_bad} NaN or infinite value(s); clean or impute them first")
    return array


def check_labels(labels, *, name="labels", n_samples=None):
    """Return ``labels`` as a 1-D integer array.

    Parameters
    ----------
    labels : array-like of int
        Cluster or class labels; ``-1`` is allowed (noise).
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
        If they are not 1-D, are empty, have the wrong length, or contain
        NaN or infinity.
    """
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array; got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
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
        array = array.astype(np.int64)
    if n_samples is not None and array.shape[0] != n_samples:
        raise ValueError(f"{name} has {array.shape[0]} entries but there are {n_samples} samples")
    return array


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
    """Return ``seed`` as a non-negative ``int`` (``None`` is not accepted).

    The series insists on explicit seeds so every result can be reproduced.
    """
    if seed is None:
        raise TypeError(f"{name} must be an integer seed; None would make the result unrepeatable")
    return check_int(seed, name=name, minimum=0)
