"""Input checks shared by the metric functions (private)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_numeric_array, describe, describe_index


def check_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return ``y_true`` and ``y_pred`` as float arrays of the same shape.

    Both must be numeric, finite (no NaN, no infinity) and non-empty. Values are
    compared by position; two pandas objects must therefore have the same index
    (a forecast scored against the wrong stretch of actuals is a ValueError).
    """
    check_same_index(y_true, y_pred)
    true = check_numeric_array("y_true", y_true, dtype=np.float64)
    pred = check_numeric_array("y_pred", y_pred, dtype=np.float64)
    if true.shape != pred.shape:
        raise ValueError(
            "`y_true` and `y_pred` must have the same shape. "
            f"Received: y_true with shape {true.shape}, y_pred with shape {pred.shape}"
        )
    return true, pred


def check_same_index(y_true: Any, y_pred: Any) -> None:
    """Raise if both are pandas objects whose indexes differ (position would lie)."""
    if not (isinstance(y_true, pd.Series | pd.DataFrame)
            and isinstance(y_pred, pd.Series | pd.DataFrame)):
        return
    if y_true.index.equals(y_pred.index):
        return
    raise ValueError(
        "`y_true` and `y_pred` must have the same index: the metric compares values by "
        "position. Align them first (e.g. y_pred.reindex(y_true.index)) or pass arrays. "
        f"Received: y_true indexed {describe_index(y_true.index)}, "
        f"y_pred indexed {describe_index(y_pred.index)}"
    )


def check_positive_number(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite number > 0, else raise."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise TypeError(f"`{name}` must be a positive number. Received: {name}={describe(value)}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"`{name}` must be a positive finite number. Received: {name}={value!r}")
    return value


def check_finite_number(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite number, else raise."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise TypeError(f"`{name}` must be a number. Received: {name}={describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number. Received: {name}={value!r}")
    return value
