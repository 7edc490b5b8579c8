"""Shared helpers: lazy pyplot, axes creation and input coercion (never calls ``plt.show``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_numeric_array, describe

__all__ = ["get_ax", "as_series"]


def get_ax(ax: Any = None, figsize: tuple[float, float] = (8.0, 4.0)) -> Any:
    """Return ``ax`` or a new Axes on a new pyplot figure.

    pyplot is imported here, not at module import, so importing
    ``forecast.plotting`` stays cheap and respects ``MPLBACKEND`` (Agg in tests).
    """
    if ax is not None:
        if not hasattr(ax, "plot") or not hasattr(ax, "figure"):
            raise TypeError(f"`ax` must be a matplotlib Axes or None. Received: ax={describe(ax)}")
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


def as_series(name: str, value: Any, index: pd.Index | None = None) -> pd.Series:
    """A 1-D numeric ``Series`` from a Series, a one-column DataFrame or array-like."""
    if isinstance(value, pd.DataFrame):
        if value.shape[1] != 1:
            raise ValueError(
                f"`{name}` must be one series; got {value.shape[1]} columns. "
                f"Received: {name}={describe(value)}"
            )
        value = value.iloc[:, 0]
    if isinstance(value, pd.Series):
        check_numeric_array(name, value, ndim=1, allow_nan=True, min_samples=1)
        return value
    arr = check_numeric_array(name, value, ndim=1, allow_nan=True, min_samples=1)
    if index is not None and len(index) != len(arr):
        raise ValueError(
            f"`{name}` has {len(arr)} values but {len(index)} positions were expected. "
            f"Received: {name}={describe(arr)}"
        )
    return pd.Series(arr, index=index)


def check_matrix(name: str, value: Any) -> np.ndarray:
    """A 2-D array from ``(T, units)`` or the first sample of ``(n, T, units)``.

    Raises a TypeError naming ``name`` if ``value`` is not numeric, and a ValueError if
    it is not 2-D or 3-D, has an empty axis (e.g. shape ``(1, 0, 3)``) or holds infinity.
    """
    arr = check_numeric_array(name, value, ndim=(2, 3), allow_nan=True)
    if arr.size == 0:
        raise ValueError(
            f"`{name}` is empty: every axis needs at least one entry. "
            f"Received: {name} with shape {arr.shape}"
        )
    return arr[0] if arr.ndim == 3 else arr
