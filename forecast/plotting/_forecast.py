"""Forecasts against actuals: one forecast (``plot_forecast``) or every backtest fold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_numeric_array, check_positive_int, describe, describe_index
from ..forecasters._base import future_index
from ._axes import as_series, get_ax

__all__ = ["plot_forecast", "plot_backtest"]


def _interval_bounds(interval: Any, index: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(interval, pd.DataFrame):
        missing = [c for c in ("lower", "upper") if c not in interval.columns]
        if missing:
            raise ValueError(
                f"`interval` must have columns 'lower' and 'upper' (as predict_interval "
                f"returns). Received columns {list(interval.columns)}"
            )
        lower, upper = interval["lower"], interval["upper"]
    elif isinstance(interval, tuple | list) and len(interval) == 2:
        lower, upper = interval
    else:
        raise TypeError(
            "`interval` must be a DataFrame with lower/upper columns or a (lower, upper) "
            f"pair. Received: interval={describe(interval)}"
        )
    lo = as_series("interval lower", lower, index).to_numpy(dtype=float)
    hi = as_series("interval upper", upper, index).to_numpy(dtype=float)
    if len(lo) != len(index) or len(hi) != len(index):
        raise ValueError(
            f"`interval` must have {len(index)} rows like `y_pred`. "
            f"Received lower/upper of length {len(lo)}/{len(hi)}"
        )
    return lo, hi


def _pred_values(y_pred: Any) -> np.ndarray:
    """The values of an array-like ``y_pred`` as a 1-D float array.

    Parameters
    ----------
    y_pred : array-like of shape (h,) or (h, 1)
        Forecast values (not a Series or DataFrame: those keep their own index).

    Returns
    -------
    numpy.ndarray of shape (h,)

    Raises
    ------
    TypeError
        If `y_pred` is a dict (a panel forecast) or does not hold numbers.
    ValueError
        If `y_pred` is not 1-D or (h, 1), is empty, or contains infinity.
    """
    if isinstance(y_pred, Mapping):
        keys = list(y_pred)
        example = repr(keys[0]) if keys else "key"
        raise TypeError(
            "`y_pred` must be one series, not a dict of series (a panel forecast): pass "
            f"one series, e.g. y_pred[{example}]. "
            f"Received: y_pred={type(y_pred).__name__} with keys {describe(keys)}"
        )
    try:
        arr = np.asarray(y_pred)
    except ValueError:  # a ragged nested list
        raise ValueError(
            "`y_pred` must be one series of numbers; its rows have different lengths. "
            f"Received: y_pred={describe(y_pred)}"
        ) from None
    arr = check_numeric_array("y_pred", arr, ndim=(1, 2), allow_nan=True)
    if arr.ndim == 2 and arr.shape[1] != 1:
        raise ValueError(
            "`y_pred` must be one series: 1-D of shape (h,) or (h, 1), not one column per "
            f"target. Received: y_pred with shape {arr.shape}"
        )
    return arr.reshape(-1)


def plot_forecast(
    y_history: Any,
    y_pred: Any,
    y_true: Any = None,
    interval: Any = None,
    ax: Any = None,
    *,
    history_tail: int | None = None,
    label: str = "forecast",
) -> Any:
    """Plot the history, a forecast, optional actuals and a prediction interval.

    Parameters
    ----------
    y_history : pandas.Series or array-like of shape (n,)
        Observed series up to the forecast origin.
    y_pred : pandas.Series, one-column DataFrame or array-like of shape (h,) or (h, 1)
        One forecast; an array is placed right after ``y_history``. For a panel
        forecast (a dict of series) pass one series, e.g. ``y_pred[key]``.
    y_true : pandas.Series or array-like of shape (h,), optional
        Actual values over the forecast horizon. A Series is drawn at its own
        index, which must share a point with the forecast's; an array is
        placed at the forecast's index.
    interval : pandas.DataFrame with ``lower``/``upper`` columns, or (lower, upper), optional
        Prediction interval (e.g. from ``predict_interval``), shaded.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: a new figure).
    history_tail : int, optional
        Show only the last ``history_tail`` points of the history.
    label : str, default="forecast"
        Legend label of the forecast line.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If `y_pred` is a dict (a panel forecast) or is not numeric.
    ValueError
        If `y_pred` is not one series (a 2-D array with more than one column, a
        DataFrame with several columns), is empty or contains infinity; or if a
        ``y_true`` Series shares no index point with the forecast (e.g. a test set
        whose index was reset to 0, 1, ...), which would draw it far from the
        forecast.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from forecast.plotting import plot_forecast
    >>> y = pd.Series(np.arange(20.0))
    >>> ax = plot_forecast(y, [20.0, 21.0], y_true=[20.5, 20.8], interval=([19, 20], [21, 22]))
    >>> len(ax.lines)  # history, actual, forecast and the origin marker
    4
    """
    hist = as_series("y_history", y_history)
    if history_tail is not None:
        hist = hist.iloc[-check_positive_int("history_tail", history_tail):]
    if isinstance(y_pred, pd.Series | pd.DataFrame):
        pred = as_series("y_pred", y_pred)
    else:
        arr = _pred_values(y_pred)
        pred = as_series("y_pred", arr, future_index(hist.index, max(len(arr), 1)))
    actual = None
    if y_true is not None:  # checked before anything is drawn
        actual = as_series("y_true", y_true, None if isinstance(y_true, pd.Series) else pred.index)
        if len(actual) and not len(actual.index.intersection(pred.index)):
            raise ValueError(
                "`y_true` is drawn at its own index, and it shares no point with the "
                f"forecast's ({describe_index(pred.index)}). Align it, or pass y_true.to_numpy() "
                f"to place it by position. Received: y_true indexed {describe_index(actual.index)}"
            )
    bounds = None if interval is None else _interval_bounds(interval, pred.index)
    ax = get_ax(ax)
    ax.plot(hist.index, hist.to_numpy(), color="0.3", lw=1.2, label="history")
    if actual is not None:
        ax.plot(actual.index, actual.to_numpy(), color="black", lw=1.2, ls="--", label="actual")
    line = ax.plot(pred.index, pred.to_numpy(), lw=1.8, label=label)[0]
    if bounds is not None:
        lo, hi = bounds
        ax.fill_between(pred.index, lo, hi, color=line.get_color(), alpha=0.2, label="interval")
    ax.axvline(hist.index[-1], color="0.6", lw=0.8, ls=":")
    ax.legend(loc="best", fontsize="small")
    ax.set_xlabel(str(hist.index.name) if hist.index.name is not None else "time")
    return ax


def plot_backtest(
    result: Any,
    series: Any = None,
    model: str | list[str] | None = None,
    ax: Any = None,
    *,
    history_tail: int | None = None,
) -> Any:
    """Plot every fold of a backtest for one series: actuals, forecasts and cutoffs.

    Parameters
    ----------
    result : BacktestResult
        Output of :func:`forecast.model_selection.backtest`.
    series : str, optional
        Series id (default: the first one).
    model : str or list of str, optional
        Model(s) to draw (default: all).
    ax : matplotlib.axes.Axes, optional
    history_tail : int, optional
        Start the actuals this many points before the first cutoff (default: all).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If `result` is not a BacktestResult (no ``predictions`` DataFrame and ``y``
        dict), `history_tail` is not an integer, or `ax` is not a matplotlib Axes.
    ValueError
        If `result` holds no series, `series` is not one of its series, `model` names
        a model that was not backtested, or `history_tail` < 1.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from forecast.forecasters import Naive
    >>> from forecast.model_selection import ExpandingWindowSplitter, backtest
    >>> from forecast.plotting import plot_backtest
    >>> y = pd.Series(np.random.default_rng(0).normal(size=50).cumsum())
    >>> res = backtest([Naive()], y, cv=ExpandingWindowSplitter(horizon=5, n_splits=3),
    ...                verbose=0)
    >>> ax = plot_backtest(res, model="Naive")
    >>> len(ax.lines)  # actuals + 3 folds + 3 cutoff lines
    7
    """
    preds = getattr(result, "predictions", None)
    data = getattr(result, "y", None)
    if not isinstance(preds, pd.DataFrame) or not isinstance(data, dict):
        raise TypeError(
            f"`result` must be a BacktestResult. Received: result={describe(result)}"
        )
    if not data:
        raise ValueError("`result` holds no series. Received: an empty BacktestResult")
    key = next(iter(data)) if series is None else series
    if key not in data:
        raise ValueError(
            f"`series` must be one of the backtested series {list(data)[:10]}. "
            f"Received: series={series!r}"
        )
    names = list(getattr(result, "model_names", [])) or sorted(preds["model"].unique())
    if model is not None:
        wanted = [model] if isinstance(model, str) else list(model)
        unknown = [m for m in wanted if m not in names]
        if unknown:
            raise ValueError(
                f"`model` must name backtested models {names}. Received: model={model!r}"
            )
        names = wanted
    sub = preds[(preds["series"] == key) & preds["model"].isin(names)]
    y = data[key]
    cutoffs = list(dict.fromkeys(sub["cutoff"]))
    if history_tail is not None and cutoffs:
        start = max(0, y.index.get_loc(cutoffs[0]) - check_positive_int("history_tail",
                                                                          history_tail) + 1)
        y = y.iloc[start:]
    ax = get_ax(ax)
    ax.plot(y.index, y.to_numpy(dtype=float), color="black", lw=1.0, label="actual")
    import matplotlib as mpl

    colors = mpl.rcParams["axes.prop_cycle"].by_key().get("color", ["C0"])
    for i, name in enumerate(names):
        color = colors[i % len(colors)]
        for j, (_, g) in enumerate(sub[sub["model"] == name].groupby("fold")):
            ax.plot(list(g["time"]), g["y_pred"].to_numpy(), color=color, lw=1.5,
                    label=name if j == 0 else None)
    for c in cutoffs:
        ax.axvline(c, color="0.6", lw=0.8, ls=":")
    ax.set_title(f"Backtest: series {key!r} ({len(cutoffs)} folds)")
    ax.legend(loc="best", fontsize="small")
    return ax
