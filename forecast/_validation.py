"""Input validation shared by every public entry point.

Every check raises ``ValueError`` or ``TypeError`` whose message names the
argument and shows the value received, in the style of Keras 3:
"`window` must be a positive integer. Received: window=0".

Nothing here imports TensorFlow, and nothing mutates its input.
"""

from __future__ import annotations

import contextlib
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "check_positive_int",
    "check_non_negative_int",
    "check_seed",
    "check_fraction",
    "check_option",
    "as_rectangular",
    "check_numeric_array",
    "check_series",
    "check_units",
    "describe",
]


def describe(value: Any, limit: int = 80) -> str:
    """Short ``repr`` of ``value`` for error messages (arrays show shape and dtype)."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, pd.DataFrame):
        return f"DataFrame of shape {value.shape}"
    if isinstance(value, pd.Series):
        return f"Series of length {len(value)} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_index(index: pd.Index) -> str:
    """First and last label of an index and its length, for error messages.

    Examples
    --------
    >>> describe_index(pd.RangeIndex(3))
    '0 .. 2 (3 rows)'
    """
    if len(index) == 0:
        return "by an empty index"
    return f"{index[0]} .. {index[-1]} ({len(index)} rows)"


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_bool(name: str, value: Any) -> bool:
    """``value`` as a bool (``True``/``False``, numpy booleans or 0/1), else a TypeError
    naming ``name``.

    Examples
    --------
    >>> check_bool("bidirectional", True)
    True
    """
    if not isinstance(value, bool | int | np.bool_) or value not in (0, 1):
        raise TypeError(f"`{name}` must be a bool. Received: {name}={value!r}")
    return bool(value)


def check_positive_int(name: str, value: Any) -> int:
    """Return ``value`` as ``int`` if it is an integer >= 1, else raise.

    Examples
    --------
    >>> check_positive_int("window", 3)
    3
    """
    if not _is_int(value):
        raise TypeError(f"`{name}` must be a positive integer. Received: {name}={describe(value)}")
    if value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def check_non_negative_int(name: str, value: Any) -> int:
    """Return ``value`` as ``int`` if it is an integer >= 0, else raise.

    Examples
    --------
    >>> check_non_negative_int("gap", 0)
    0
    """
    if not _is_int(value):
        raise TypeError(
            f"`{name}` must be a non-negative integer. Received: {name}={describe(value)}"
        )
    if value < 0:
        raise ValueError(f"`{name}` must be a non-negative integer. Received: {name}={value!r}")
    return int(value)


def check_seed(name: str, value: Any) -> int:
    """Return ``value`` as ``int`` if it is a seed TensorFlow accepts: 0 to 2**32 - 1.

    Examples
    --------
    >>> check_seed("random_state", 42)
    42
    """
    seed = check_non_negative_int(name, value)
    if seed >= 2**32:
        raise ValueError(
            f"`{name}` must be an integer in [0, 2**32 - 1] (TensorFlow's seed range). "
            f"Received: {name}={value!r}"
        )
    return seed


def check_fraction(
    name: str, value: Any, *, low: float = 0.0, high: float = 1.0, high_inclusive: bool = False,
    low_inclusive: bool = True,
) -> float:
    """Return ``value`` as ``float`` if ``low <= value < high`` (``<`` or ``<=`` at either
    end as asked), else raise a ValueError that shows the interval.

    Examples
    --------
    >>> check_fraction("dropout", 0.2)
    0.2
    >>> check_fraction("coverage", 0.0, low_inclusive=False)
    Traceback (most recent call last):
    ...
    ValueError: `coverage` must be in (0.0, 1.0). Received: coverage=0.0
    """
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"`{name}` must be a number. Received: {name}={describe(value)}")
    above = low <= value if low_inclusive else low < value
    below = value <= high if high_inclusive else value < high
    if not (above and below) or not np.isfinite(value):
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        raise ValueError(
            f"`{name}` must be in {left}{low}, {high}{right}. Received: {name}={value!r}"
        )
    return float(value)


def check_positive_number(name: str, value: Any) -> float:
    """Return ``value`` as ``float`` if it is a finite number above 0, else raise.

    Examples
    --------
    >>> check_positive_number("learning_rate", 1e-3)
    0.001
    """
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"`{name}` must be a number. Received: {name}={describe(value)}")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"`{name}` must be a positive number. Received: {name}={value!r}")
    return float(value)


def check_option(name: str, value: Any, options: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``options``, else raise ``ValueError``.

    Examples
    --------
    >>> check_option("cell", "lstm", ("lstm", "gru", "rnn"))
    'lstm'
    """
    options = tuple(options)
    try:
        ok = value in options
    except TypeError:  # unhashable / uncomparable
        ok = False
    if not ok:
        raise ValueError(
            f"`{name}` must be one of {list(options)}. Received: {name}={describe(value)}"
        )
    return value


def check_units(name: str, value: Any) -> tuple[int, ...]:
    """Normalise layer sizes: an int or a non-empty sequence of positive ints -> tuple.

    Examples
    --------
    >>> check_units("units", (32, 16))
    (32, 16)
    >>> check_units("units", 8)
    (8,)
    """
    items = (value,) if _is_int(value) else value
    try:
        items = tuple(items)
    except TypeError:
        raise TypeError(
            f"`{name}` must be a positive int or a sequence of them. "
            f"Received: {name}={describe(value)}"
        ) from None
    if not items or not all(_is_int(u) and u >= 1 for u in items):
        raise ValueError(
            f"`{name}` must be a positive int or a non-empty sequence of positive ints. "
            f"Received: {name}={describe(value)}"
        )
    return tuple(int(u) for u in items)


def as_rectangular(name: str, value: Any) -> np.ndarray:
    """``np.asarray(value)``, with a clear error for ragged nested lists.

    Examples
    --------
    >>> as_rectangular("X", [[1.0, 2.0], [3.0, 4.0]]).shape
    (2, 2)
    """
    try:
        return np.asarray(value)
    except ValueError as exc:
        if "inhomogeneous" not in str(exc) and "sequence" not in str(exc):
            raise
        raise ValueError(
            f"`{name}` must be a rectangular array: its rows have different lengths "
            f"(ragged); pad them to one length. Received: {name} of "
            f"type {type(value).__name__} ({exc})"
        ) from None


def check_numeric_array(
    name: str,
    value: Any,
    *,
    ndim: int | tuple[int, ...] | None = None,
    allow_nan: bool = False,
    min_samples: int = 1,
    dtype: Any = None,
) -> np.ndarray:
    """Convert ``value`` to a numeric ndarray and check its shape and values.

    The input is never modified; a view is returned when no conversion is needed.

    Parameters
    ----------
    name : str
        Argument name used in messages.
    value : array-like
        Data to check.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    allow_nan : bool, default=False
        Whether NaN is accepted (infinity never is).
    min_samples : int, default=1
        Minimum length of the first axis.
    dtype : numpy dtype, optional
        Target dtype (default: keep a floating dtype, otherwise float64).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> check_numeric_array("X", [[1.0, 2.0]], ndim=2).shape
    (1, 2)
    """
    if isinstance(value, str | bytes) or value is None:
        raise TypeError(f"`{name}` must be numeric array-like. Received: {name}={describe(value)}")
    if isinstance(value, pd.DataFrame | pd.Series):
        dtypes = (
            value.dtypes.items()
            if isinstance(value, pd.DataFrame)
            else [(value.name, value.dtype)]
        )
        bad = [
            c
            for c, dt in dtypes
            if not (pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt))
        ]
        if bad:
            columns = f"; non-numeric column(s) {bad}" if isinstance(value, pd.DataFrame) else ""
            raise TypeError(
                f"`{name}` must hold numeric data{columns}. Received: {name}={describe(value)}"
            )
        # pandas' nullable dtypes (Float64, Int64: convert_dtypes()) give an object array
        # by default; as floats, a missing value is NaN and is reported as one below
        nullable = any(isinstance(dt, pd.api.extensions.ExtensionDtype)
                       for dt in (value.dtypes if isinstance(value, pd.DataFrame)
                                  else [value.dtype]))
        arr = value.to_numpy(dtype=np.float64, na_value=np.nan) if nullable else value.to_numpy()
    else:
        arr = as_rectangular(name, value)
    if arr.dtype.kind not in "fiu":
        raise TypeError(
            f"`{name}` must hold numeric data. Received: {name}={describe(arr)}"
        )
    target = dtype if dtype is not None else (arr.dtype if arr.dtype.kind == "f" else np.float64)
    arr = arr.astype(target, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            raise ValueError(
                f"`{name}` must have ndim in {list(allowed)}. "
                f"Received: {name} with shape {arr.shape}"
            )
    if arr.ndim == 0 or arr.shape[0] < min_samples:
        raise ValueError(
            f"`{name}` must have at least {min_samples} sample(s). "
            f"Received: {name} with shape {arr.shape}"
        )
    if arr.size and not allow_nan and np.isnan(arr).any():
        raise ValueError(
            f"`{name}` contains NaN at position {np.argwhere(np.isnan(arr))[0].tolist()}. "
            f"Received: {name}={describe(arr)}"
        )
    if arr.size and np.isinf(arr).any():
        raise ValueError(
            f"`{name}` contains infinity at position {np.argwhere(np.isinf(arr))[0].tolist()}. "
            f"Received: {name}={describe(arr)}"
        )
    return arr


def check_series(
    name: str,
    value: Any,
    *,
    min_length: int = 1,
    allow_nan: bool = False,
    require_freq: bool = True,
) -> pd.Series | pd.DataFrame:
    """Check a time series (Series or DataFrame) and its index.

    Accepts a ``DatetimeIndex`` (monotonic increasing, no duplicates, regular:
    a frequency can be inferred) or an integer index (strictly increasing with a
    constant step, as in M4). Arrays and lists are wrapped in a ``Series`` with a
    ``RangeIndex``. The caller's object is never modified; the returned object may
    be the same object (unchanged) or a new one.

    Examples
    --------
    >>> check_series("y", [1.0, 2.0, 3.0]).index.tolist()
    [0, 1, 2]
    """
    if isinstance(value, pd.Series | pd.DataFrame):
        data = value
    elif isinstance(value, Mapping):
        raise TypeError(
            f"`{name}` must be one series; a dict of series is a panel, which a global "
            "NeuralForecaster fits as a whole. Fit one model per series, or compare models "
            f"on the panel with backtest(models, panel). Received: {name}=dict of "
            f"{len(value)} series"
        )
    elif isinstance(value, str | bytes) or value is None:
        raise TypeError(
            f"`{name}` must be a pandas Series/DataFrame or numeric array-like. "
            f"Received: {name}={describe(value)}"
        )
    else:
        arr = check_numeric_array(name, value, ndim=(1, 2), allow_nan=allow_nan)
        data = pd.Series(arr) if arr.ndim == 1 else pd.DataFrame(arr)
    check_numeric_array(name, data, ndim=(1, 2), allow_nan=allow_nan, min_samples=0)
    if len(data) < min_length:
        raise ValueError(
            f"`{name}` is too short: it needs at least {min_length} observations. "
            f"Received: {name} of length {len(data)}"
        )
    check_index(name, data.index, require_freq=require_freq)
    return data


def check_index(name: str, index: pd.Index, *, require_freq: bool = True) -> None:
    """Check that a time index is increasing, unique and regular.

    Examples
    --------
    >>> check_index("y", pd.RangeIndex(5))
    """
    if isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
        if index.has_duplicates:
            dup = index[index.duplicated()][0]
            raise ValueError(
                f"`{name}` has duplicate timestamps, e.g. {dup} appears "
                f"{int((index == dup).sum())} times. Drop or aggregate them first "
                "(e.g. y.groupby(level=0).mean())"
            )
        if not index.is_monotonic_increasing:
            pos = int(np.argmax(np.diff(index.asi8) < 0)) + 1
            raise ValueError(
                f"`{name}` has non-monotonic timestamps: {index[pos]} comes after "
                f"{index[pos - 1]}. Sort it first (e.g. y.sort_index())."
            )
        if require_freq and isinstance(index, pd.PeriodIndex) and len(index) >= 2:
            steps = np.diff(index.asi8)
            if (steps != index.freq.n).any():
                pos = int(np.argmax(steps != index.freq.n)) + 1
                raise ValueError(
                    f"`{name}` has a PeriodIndex with gaps: {index[pos - 1]} is followed by "
                    f"{index[pos]}. Fill the missing periods first (e.g. "
                    f"{name}.reindex(pd.period_range({name}.index[0], {name}.index[-1], "
                    f"freq={index.freqstr!r})) and then interpolate)."
                )
        if require_freq and len(index) >= 3 and infer_freq(index) is None:
            raise ValueError(
                f"`{name}` has an irregular DatetimeIndex (no frequency can be inferred). "
                f"Resample it to a regular frequency (e.g. y.asfreq('D')). "
                f"Received index starting {list(index[:3].astype(str))}"
            )
        return
    if pd.api.types.is_integer_dtype(index.dtype):
        values = np.asarray(index, dtype=np.int64)
        if len(values) >= 2:
            steps = np.diff(values)
            if (steps <= 0).any():
                raise ValueError(
                    f"`{name}` has an integer index that is not strictly increasing. "
                    f"Received index starting {values[:5].tolist()}"
                )
            if require_freq and (steps != steps[0]).any():
                raise ValueError(
                    f"`{name}` has an irregular integer index "
                    f"(steps {sorted(set(steps.tolist()))[:5]}). "
                    f"Received index starting {values[:5].tolist()}"
                )
        return
    raise TypeError(
        f"`{name}` must be indexed by a DatetimeIndex, PeriodIndex or an integer index. "
        f"Received index of dtype {index.dtype}"
    )


def infer_freq(index: pd.DatetimeIndex | pd.PeriodIndex) -> Any:
    """Return the index frequency (``index.freq`` or inferred), or ``None``.

    Examples
    --------
    >>> infer_freq(pd.date_range("2020", periods=4, freq="D"))
    <Day>
    """
    if index.freq is not None:
        return index.freq
    if len(index) < 3:
        return None
    try:
        with _offset_inference():
            inferred = pd.infer_freq(index)
    except (TypeError, ValueError):
        return None
    return pd.tseries.frequencies.to_offset(inferred) if inferred else None


def regular_with_gaps(index: pd.DatetimeIndex, *, max_missing: float = 0.1) -> Any:
    """The regular range of ``index``'s usual step that holds all of it, or ``None``.

    The step is the frequency most often inferred on short runs of consecutive
    timestamps (a few gaps leave most runs regular); the range must hold every
    timestamp with at most ``max_missing`` of its own timestamps absent. Needs at
    least 12 increasing, unique timestamps.

    Examples
    --------
    >>> months = pd.date_range("2020-01-01", periods=24, freq="MS")
    >>> regular_with_gaps(months.delete(5)).freqstr, len(regular_with_gaps(months.delete(5)))
    ('MS', 24)
    >>> regular_with_gaps(months[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 23]]) is None
    True
    """
    run = 6
    if len(index) < 2 * run or not index.is_monotonic_increasing or not index.is_unique:
        return None
    starts = np.unique(np.linspace(0, len(index) - run, num=min(25, len(index) - run + 1))
                       .astype(int))
    counts: dict[Any, int] = {}
    for i in starts:
        step = infer_freq(index[i:i + run])
        if step is not None:
            counts[step] = counts.get(step, 0) + 1
    for step in sorted(counts, key=counts.get, reverse=True):
        full = pd.date_range(index[0], index[-1], freq=step)
        if index.isin(full).all() and len(full) - len(index) <= max_missing * len(full):
            return full
    return None


def _offset_inference() -> Any:
    """pandas >= 3.1 warns that ``infer_freq`` will return an offset: opt in (we convert
    either way); older pandas has no such option."""
    try:
        return pd.option_context("future.infer_freq_returns_offset", True)
    except (KeyError, pd.errors.OptionError):
        return contextlib.nullcontext()
