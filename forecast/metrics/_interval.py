"""Metrics for probabilistic forecasts: pinball (quantile) loss and interval coverage."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_numeric_array, describe
from ._checks import check_pair, check_same_index
from ._point import _scale

__all__ = ["pinball", "coverage", "interval_score", "msis"]


def _check_quantiles(quantile: Any) -> np.ndarray:
    q = np.atleast_1d(np.asarray(quantile, dtype=object))
    try:
        values = q.astype(np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"`quantile` must be a number or a sequence of numbers in (0, 1). "
            f"Received: quantile={describe(quantile)}"
        ) from None
    if values.ndim != 1 or values.size == 0 or not ((values > 0) & (values < 1)).all():
        raise ValueError(
            f"`quantile` must be in (0, 1) (a number or a non-empty sequence). "
            f"Received: quantile={describe(quantile)}"
        )
    return values


def pinball(y_true: Any, y_pred: Any, *, quantile: float | Any = 0.5) -> float:
    """Mean pinball (quantile) loss.

    For quantile level ``q`` and error ``e = y - f`` the loss is
    ``max(q * e, (q - 1) * e)``; at ``q = 0.5`` it is half the absolute error.

    Parameters
    ----------
    y_true : array-like of shape (h,) or (n, h)
        Observed values.
    y_pred : array-like
        Quantile forecasts: the same shape as ``y_true`` for one ``quantile``, or
        ``y_true.shape + (k,)`` (last axis = quantile level) for ``k`` levels.
        A DataFrame of shape ``(h, k)`` works for a 1-D ``y_true``.
    quantile : float or sequence of float, default=0.5
        Quantile level(s) in ``(0, 1)``.

    Returns
    -------
    float
        The loss averaged over all points (and quantile levels).

    Raises
    ------
    TypeError
        If `y_true` or `y_pred` is not numeric, or `quantile` is not a number or a
        sequence of numbers.
    ValueError
        If `quantile` is not in (0, 1) (or is an empty sequence); if `y_pred` does not
        have the shape of `y_true` (plus a last axis of ``len(quantile)`` for several
        levels); if the inputs are empty or contain NaN or infinity; or if both are
        pandas objects with different indexes.

    Examples
    --------
    >>> pinball([10.0, 10.0], [8.0, 12.0], quantile=0.9)
    1.0
    >>> round(pinball([10.0], [[8.0, 12.0]], quantile=[0.1, 0.9]), 6)
    0.2
    """
    levels = _check_quantiles(quantile)
    check_same_index(y_true, y_pred)
    true = check_numeric_array("y_true", y_true, dtype=np.float64)
    pred = check_numeric_array("y_pred", y_pred, dtype=np.float64)
    if np.ndim(quantile) == 0:
        true, pred = check_pair(true, pred)
        err = true - pred
        q = levels[0]
    else:
        if pred.shape != true.shape + (levels.size,):
            raise ValueError(
                f"`y_pred` must have shape y_true.shape + (len(quantile),) = "
                f"{true.shape + (levels.size,)}. Received: y_pred with shape {pred.shape}"
            )
        err = true[..., None] - pred
        q = levels
    return float(np.mean(np.maximum(q * err, (q - 1.0) * err)))


def _interval(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(y_true, lower, upper)`` as float arrays, checked."""
    check_same_index(y_true, y_pred)
    if isinstance(y_pred, pd.DataFrame):
        missing = {"lower", "upper"} - set(y_pred.columns)
        if missing:
            raise ValueError(
                "`y_pred` must have columns 'lower' and 'upper'. "
                f"Received columns {list(y_pred.columns)}"
            )
        y_pred = y_pred[["lower", "upper"]]
    true = check_numeric_array("y_true", y_true, dtype=np.float64)
    pred = check_numeric_array("y_pred", y_pred, dtype=np.float64)
    if pred.shape != true.shape + (2,):
        raise ValueError(
            f"`y_pred` must have shape y_true.shape + (2,) = {true.shape + (2,)} "
            f"(lower, upper). Received: y_pred with shape {pred.shape}"
        )
    lower, upper = pred[..., 0], pred[..., 1]
    if (lower > upper).any():
        pos = np.argwhere(lower > upper)[0].tolist()
        raise ValueError(
            f"`y_pred` has a lower bound above its upper bound at position {pos}."
        )
    return true, lower, upper


def _check_coverage(coverage: Any) -> float:
    if not isinstance(coverage, Real) or isinstance(coverage, bool) or not 0 < coverage < 1:
        raise ValueError(f"`coverage` must be a number in (0, 1). Received: coverage={coverage!r}")
    return float(coverage)


def interval_score(y_true: Any, y_pred: Any, *, coverage: float = 0.95) -> float:
    """Mean interval (Winkler) score of central prediction intervals.

    ``(U - L) + (2 / a) (L - y) 1{y < L} + (2 / a) (y - U) 1{y > U}`` with
    ``a = 1 - coverage``, averaged over all points (Gneiting and Raftery 2007): the
    width, plus a penalty for every miss that grows with its distance. Lower is better.

    Parameters
    ----------
    y_true : array-like of shape (h,)
        Observed values.
    y_pred : pandas.DataFrame or array-like of shape (h, 2)
        The interval (columns ``lower``/``upper``, or last axis ``(lower, upper)``).
    coverage : float, default=0.95
        Nominal coverage of the interval, in (0, 1).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If `y_true` or `y_pred` is not numeric.
    ValueError
        If `coverage` is not a number in (0, 1); if `y_pred` does not have shape
        ``y_true.shape + (2,)`` (or, as a DataFrame, lacks the columns
        ``lower``/``upper``) or a lower bound exceeds its upper bound; if the inputs
        are empty or contain NaN or infinity; or if both are pandas objects with
        different indexes.

    Examples
    --------
    >>> interval_score([1.0, 5.0], [[0.0, 2.0], [0.0, 4.0]], coverage=0.8)  # (2 + 4 + 10) / 2
    8.0
    """
    a = 1.0 - _check_coverage(coverage)
    true, lower, upper = _interval(y_true, y_pred)
    penalty = (2.0 / a) * ((lower - true) * (true < lower) + (true - upper) * (true > upper))
    return float(np.mean(upper - lower + penalty))


def msis(y_true: Any, y_pred: Any, *, y_train: Any, season_length: int = 1,
         coverage: float = 0.95) -> float:
    """Mean scaled interval score, the measure of M4's prediction-interval track.

    :func:`interval_score` divided by the in-sample seasonal-naive MAE of
    ``y_train`` (the MASE scale, :func:`mase_scale`); M4 scored 95% intervals.

    Parameters
    ----------
    y_true : array-like of shape (h,)
        Observed future values.
    y_pred : pandas.DataFrame or array-like of shape (h, 2)
        The interval (columns ``lower``/``upper``, or last axis ``(lower, upper)``).
    y_train : array-like of shape (n_train,)
        The training series the interval was forecast from.
    season_length : int, default=1
        Seasonal period ``m`` of the scale.
    coverage : float, default=0.95
        Nominal coverage of the interval.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If `y_true`, `y_pred` or `y_train` is not numeric, or `season_length` is not
        an integer.
    ValueError
        If `coverage` is not a number in (0, 1); if `y_pred` does not have shape
        ``y_true.shape + (2,)`` (or, as a DataFrame, lacks the columns
        ``lower``/``upper``) or a lower bound exceeds its upper bound; if an input is
        empty or contains NaN or infinity; if `season_length` < 1; or if `y_train` has
        fewer than 2 values or its seasonal-naive errors are all zero.

    Examples
    --------
    >>> msis([1.0, 5.0], [[0.0, 2.0], [0.0, 4.0]], y_train=[0.0, 1.0, 2.0], coverage=0.8)
    8.0
    """
    scale = _scale(y_train, season_length, stacklevel=3)  # its warning: the caller's line
    return interval_score(y_true, y_pred, coverage=coverage) / scale


def coverage(y_true: Any, y_pred: Any) -> float:
    """Fraction of observations inside their prediction interval (bounds included).

    Parameters
    ----------
    y_true : array-like of shape (h,)
        Observed values.
    y_pred : pandas.DataFrame or array-like of shape (h, 2)
        The interval: a DataFrame with columns ``lower`` and ``upper`` (as returned
        by ``predict_interval`` of the forecasters) or an array whose last axis
        holds ``(lower, upper)``.

    Returns
    -------
    float
        In ``[0, 1]``; compare it with the nominal coverage of the interval.

    Raises
    ------
    TypeError
        If `y_true` or `y_pred` is not numeric.
    ValueError
        If shapes do not match, a lower bound exceeds its upper bound, or the inputs
        are empty or contain NaN or infinity.

    Examples
    --------
    >>> coverage([1.0, 5.0], [[0.0, 2.0], [0.0, 4.0]])
    0.5
    """
    true, lower, upper = _interval(y_true, y_pred)
    return float(np.mean((true >= lower) & (true <= upper)))
