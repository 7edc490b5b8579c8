"""Panel-level scoring: mean of a metric over many series (M4 style) and OWA."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import describe
from ._checks import check_finite_number, check_positive_number
from ._interval import coverage, pinball
from ._point import mae, mape, mase, rmse, smape

__all__ = ["owa", "panel_mean", "METRICS"]

#: metric functions by name, accepted by :func:`panel_mean`
METRICS: dict[str, Callable[..., float]] = {
    "mae": mae,
    "rmse": rmse,
    "mape": mape,
    "smape": smape,
    "mase": mase,
    "pinball": pinball,
    "coverage": coverage,
}


def owa(
    smape_value: float, mase_value: float, *, smape_naive2: float, mase_naive2: float
) -> float:
    """Overall weighted average relative to Naive2, as in M4.

    ``OWA = 0.5 * (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2)``. In M4 each input
    is the mean over all series of a frequency (see :func:`panel_mean`); OWA < 1
    beats Naive2.

    Parameters
    ----------
    smape_value, mase_value : float
        Scores of the method.
    smape_naive2, mase_naive2 : float
        Scores of Naive2 on the same series and horizon (positive).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If any score is not a number (bools are rejected).
    ValueError
        If `smape_value` or `mase_value` is not finite, or `smape_naive2` or
        `mase_naive2` is not a positive finite number.

    Examples
    --------
    >>> round(owa(13.912, 1.193, smape_naive2=18.383, mase_naive2=2.395), 3)  # M4 Hourly sNaive
    0.627
    """
    s = check_finite_number("smape_value", smape_value)
    m = check_finite_number("mase_value", mase_value)
    s2 = check_positive_number("smape_naive2", smape_naive2)
    m2 = check_positive_number("mase_naive2", mase_naive2)
    return float(0.5 * (s / s2 + m / m2))


def _as_mapping(name: str, value: Any) -> Mapping[Any, Any]:
    if isinstance(value, Mapping):
        return value
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return dict(enumerate(value))
    raise TypeError(
        f"`{name}` must be a dict of series (id -> array-like) or a list of them. "
        f"Received: {name}={describe(value)}"
    )


def _resolve_metric(metric: Any) -> tuple[str, Callable[..., float]]:
    if isinstance(metric, str):
        if metric.lower() not in METRICS:
            raise ValueError(
                f"`metric` must be a callable or one of {list(METRICS)}. "
                f"Received: metric={metric!r}"
            )
        return metric.lower(), METRICS[metric.lower()]
    if callable(metric):
        return getattr(metric, "__name__", "metric"), metric
    raise TypeError(
        f"`metric` must be a callable or one of {list(METRICS)}. "
        f"Received: metric={describe(metric)}"
    )


def panel_mean(
    metric: str | Callable[..., float],
    y_true: Mapping[Any, Any] | Sequence[Any],
    y_pred: Mapping[Any, Any] | Sequence[Any],
    *,
    y_train: Mapping[Any, Any] | Sequence[Any] | None = None,
    per_series: bool = False,
    **kwargs: Any,
) -> float | pd.Series:
    """Score every series of a panel and average over series (the M4 protocol).

    The metric is computed on each series separately and the per-series values are
    averaged with equal weight, so ``panel_mean("smape", ...)`` is the M4 sMAPE of a
    frequency. Series may have different lengths.

    Parameters
    ----------
    metric : str or callable
        A name in :data:`METRICS` (``"mae"``, ``"rmse"``, ``"mape"``, ``"smape"``,
        ``"mase"``, ``"pinball"``, ``"coverage"``) or a callable
        ``metric(y_true, y_pred, **kwargs) -> float``.
    y_true : dict of array-like, or list of array-like
        Observed values per series (``dict[str, pandas.Series]``, the panel format).
    y_pred : dict or list, same keys/length as ``y_true``
        Forecasts per series. When both sides of a series are pandas objects their
        indexes must be equal; otherwise values are matched by position.
    y_train : dict or list, optional
        Training series per id, passed to the metric as ``y_train=`` (required for
        ``"mase"``).
    per_series : bool, default=False
        Return the per-series scores (a ``pandas.Series`` indexed by id) instead of
        their mean.
    **kwargs
        Passed to the metric for every series, e.g. ``season_length=24`` for MASE
        or ``quantile=0.9`` for pinball.

    Returns
    -------
    float or pandas.Series

    Raises
    ------
    TypeError
        If `per_series` is not a bool; if `metric` is neither a callable nor a
        string; if `y_true`, `y_pred` or `y_train` is not a dict or a list of series;
        or if the metric raises ``TypeError`` on a series (re-raised with the series
        id in the message).
    ValueError
        If `metric` is an unknown name; if `y_true` is empty; if `y_true` and
        `y_pred` have different series ids; if `y_train` is missing for
        ``metric="mase"`` or lacks an id of `y_true`; if a series' `y_true` and
        `y_pred` are pandas objects with different indexes; or if the metric raises
        ``ValueError`` on a series (re-raised with the series id in the message).

    Examples
    --------
    >>> y_true = {"a": [1.0, 2.0], "b": [10.0, 10.0]}
    >>> y_pred = {"a": [1.0, 4.0], "b": [10.0, 12.0]}
    >>> panel_mean("mae", y_true, y_pred)
    1.0
    >>> panel_mean("mase", y_true, y_pred, y_train={"a": [0.0, 1.0], "b": [8.0, 9.0]})
    1.0
    """
    if not isinstance(per_series, bool):
        raise TypeError(f"`per_series` must be a bool. Received: per_series={describe(per_series)}")
    name, func = _resolve_metric(metric)
    true = _as_mapping("y_true", y_true)
    pred = _as_mapping("y_pred", y_pred)
    train = None if y_train is None else _as_mapping("y_train", y_train)
    if not true:
        raise ValueError("`y_true` must contain at least one series. Received: an empty panel")
    missing = [k for k in true if k not in pred]
    extra = [k for k in pred if k not in true]
    if missing or extra:
        raise ValueError(
            "`y_true` and `y_pred` must have the same series ids. "
            f"Missing in y_pred: {missing[:5]}; not in y_true: {extra[:5]}"
        )
    if name == "mase" and train is None:
        raise ValueError("`y_train` is required for metric='mase'. Received: y_train=None")
    if train is not None:
        missing = [k for k in true if k not in train]
        if missing:
            raise ValueError(f"`y_train` has no series for ids {missing[:5]}")
    scores = {}
    for key, t in true.items():
        p = pred[key]
        if isinstance(t, pd.Series | pd.DataFrame) and isinstance(p, pd.Series | pd.DataFrame):
            if not t.index.equals(p.index):
                raise ValueError(
                    f"Series {key!r}: `y_true` and `y_pred` have different indexes "
                    f"({list(t.index[:2])}... vs {list(p.index[:2])}...). Align them first."
                )
        extra_kwargs = dict(kwargs)
        if train is not None:
            extra_kwargs["y_train"] = train[key]
        try:
            scores[key] = func(t, p, **extra_kwargs)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"Series {key!r}: {exc}") from None
    result = pd.Series(scores, dtype=np.float64, name=name)
    return result if per_series else float(result.mean())
