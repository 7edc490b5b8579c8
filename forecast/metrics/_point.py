"""Point-forecast error metrics: MAE, RMSE, MAPE, sMAPE (M4) and MASE (M4).

Every function takes ``y_true`` and ``y_pred`` of the same shape (any number of
dimensions, e.g. ``(h,)`` for one forecast or ``(n_windows, h)``) and returns the
mean over all elements as a Python ``float``. Inputs must be finite: NaN or
infinity raises ``ValueError``. Nothing is modified in place.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._validation import check_numeric_array, check_positive_int
from ._checks import check_pair

__all__ = ["mae", "rmse", "mape", "smape", "mase", "mase_scale"]


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error, ``mean(|y - f|)``.

    Parameters
    ----------
    y_true : array-like of shape (h,) or (n, h)
        Observed values.
    y_pred : array-like of the same shape
        Forecasts.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If `y_true` or `y_pred` is not numeric.
    ValueError
        If `y_true` and `y_pred` differ in shape (or, as pandas objects, in index),
        are empty, or contain NaN or infinity.

    Examples
    --------
    >>> mae([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    0.6666666666666666
    """
    true, pred = check_pair(y_true, y_pred)
    return float(np.mean(np.abs(true - pred)))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error, ``sqrt(mean((y - f)**2))``.

    Parameters
    ----------
    y_true : array-like of shape (h,) or (n, h)
        Observed values.
    y_pred : array-like of the same shape
        Forecasts.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If `y_true` or `y_pred` is not numeric.
    ValueError
        If `y_true` and `y_pred` differ in shape (or, as pandas objects, in index),
        are empty, or contain NaN or infinity.

    Examples
    --------
    >>> rmse([0.0, 0.0], [3.0, 4.0])
    3.5355339059327378
    """
    true, pred = check_pair(y_true, y_pred)
    return float(np.sqrt(np.mean((true - pred) ** 2)))


def mape(y_true: Any, y_pred: Any) -> float:
    """Mean absolute percentage error in percent, ``100 * mean(|y - f| / |y|)``.

    Parameters
    ----------
    y_true : array-like of shape (h,) or (n, h)
        Observed values; must not contain zeros (MAPE is undefined there).
    y_pred : array-like of the same shape
        Forecasts.

    Returns
    -------
    float
        In percent (``10.0`` means 10 %).

    Raises
    ------
    TypeError
        If `y_true` or `y_pred` is not numeric.
    ValueError
        If ``y_true`` contains a zero (use :func:`smape` or :func:`mase` instead), or
        `y_true` and `y_pred` differ in shape (or, as pandas objects, in index), are
        empty, or contain NaN or infinity.

    Examples
    --------
    >>> mape([100.0, 200.0], [110.0, 180.0])
    10.0
    """
    true, pred = check_pair(y_true, y_pred)
    if (true == 0).any():
        pos = np.argwhere(true == 0)[0].tolist()
        raise ValueError(
            f"MAPE is undefined when `y_true` contains zeros (first zero at position {pos}). "
            "Use smape or mase instead."
        )
    return float(100.0 * np.mean(np.abs(true - pred) / np.abs(true)))


def smape(y_true: Any, y_pred: Any) -> float:
    """Symmetric MAPE in percent, as in M4: ``mean(200 |y - f| / (|y| + |f|))``.

    The value lies in ``[0, 200]``. A term with ``y = f = 0`` counts as 0 (the
    forecast is exact).

    Parameters
    ----------
    y_true : array-like of shape (h,) or (n, h)
        Observed values.
    y_pred : array-like of the same shape
        Forecasts.

    Returns
    -------
    float
        In percent.

    Raises
    ------
    TypeError
        If `y_true` or `y_pred` is not numeric.
    ValueError
        If `y_true` and `y_pred` differ in shape (or, as pandas objects, in index),
        are empty, or contain NaN or infinity.

    Examples
    --------
    >>> smape([100.0, 0.0], [300.0, 0.0])
    50.0
    """
    true, pred = check_pair(y_true, y_pred)
    num = 2.0 * np.abs(true - pred)
    den = np.abs(true) + np.abs(pred)
    ratio = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return float(100.0 * np.mean(ratio))


def mase_scale(y_train: Any, season_length: int = 1) -> float:
    """In-sample seasonal-naive MAE, the MASE denominator of M4.

    ``mean(|y_t - y_{t-m}|)`` over ``t = m .. n-1`` of the training series.

    Fallback rule: when the training series is not longer than one season
    (``n <= m``) no seasonal difference exists, and the lag-1 (naive) scale is used
    instead, with a ``UserWarning``.

    Parameters
    ----------
    y_train : array-like of shape (n,)
        Training (in-sample) series, at least 2 finite values.
    season_length : int, default=1
        Seasonal period ``m``.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``y_train`` is not numeric or ``season_length`` is not an integer.
    ValueError
        If ``y_train`` has fewer than 2 values or its naive errors are all zero (a
        constant series): MASE is undefined then. Also if ``y_train`` is not 1-D or
        contains NaN or infinity, or ``season_length`` < 1.

    Examples
    --------
    >>> mase_scale([1.0, 2.0, 4.0, 7.0])
    2.0
    >>> mase_scale([1.0, 5.0, 2.0, 6.0], season_length=2)
    1.0
    """
    return _scale(y_train, season_length, stacklevel=3)


def _scale(y_train: Any, season_length: Any, *, stacklevel: int) -> float:
    """:func:`mase_scale`, its warning pointing ``stacklevel`` frames up (the user's call)."""
    m = check_positive_int("season_length", season_length)
    train = check_numeric_array("y_train", y_train, ndim=1, min_samples=2, dtype=np.float64)
    n = train.shape[0]
    if n <= m:
        warnings.warn(
            f"`y_train` (length {n}) is not longer than one season (season_length={m}); "
            "MASE uses the lag-1 naive scale instead.",
            UserWarning,
            stacklevel=stacklevel,
        )
        m = 1
    scale = float(np.mean(np.abs(train[m:] - train[:-m])))
    if scale == 0.0:
        raise ValueError(
            "MASE is undefined: the in-sample seasonal-naive errors of `y_train` are all zero "
            f"(a constant or exactly periodic series). Received: y_train of length {n}, "
            f"season_length={season_length}"
        )
    return scale


def mase(y_true: Any, y_pred: Any, *, y_train: Any, season_length: int = 1) -> float:
    """Mean absolute scaled error as in M4.

    ``mean(|y - f|) / mean(|y_t - y_{t-m}|)``, the denominator taken in-sample on
    ``y_train`` (see :func:`mase_scale`, including its fallback to lag 1 when
    ``y_train`` is not longer than one season).

    Parameters
    ----------
    y_true : array-like of shape (h,) or (n, h)
        Observed future values.
    y_pred : array-like of the same shape
        Forecasts.
    y_train : array-like of shape (n_train,)
        The training series the forecasts were made from.
    season_length : int, default=1
        Seasonal period ``m`` (24 for M4 Hourly).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If `y_true`, `y_pred` or `y_train` is not numeric, or `season_length` is not
        an integer.
    ValueError
        If `y_true` and `y_pred` differ in shape (or, as pandas objects, in index),
        any input is empty or contains NaN or infinity, `season_length` < 1,
        `y_train` has fewer than 2 values or its seasonal-naive errors are all zero.

    Examples
    --------
    >>> mase([3.0, 4.0], [3.0, 6.0], y_train=[0.0, 1.0, 2.0])
    1.0
    """
    true, pred = check_pair(y_true, y_pred)
    scale = _scale(y_train, season_length, stacklevel=3)
    return float(np.mean(np.abs(true - pred)) / scale)
