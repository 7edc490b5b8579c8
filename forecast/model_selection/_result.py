"""The result of a backtest: tidy predictions, per-window scores and a leaderboard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..metrics import coverage as share_inside
from ..metrics import interval_score, mae, mape, rmse, smape

__all__ = ["BacktestResult", "BacktestError", "INTERVAL_COLUMNS", "METRIC_NAMES",
           "PREDICTION_COLUMNS"]

#: metric names accepted by ``backtest(metrics=...)``
METRIC_NAMES: tuple[str, ...] = ("smape", "mase", "mae", "rmse", "mape")

_POINT: dict[str, Callable[[Any, Any], float]] = {
    "smape": smape,
    "mae": mae,
    "rmse": rmse,
    "mape": mape,
}

#: columns of :attr:`BacktestResult.predictions`
PREDICTION_COLUMNS: tuple[str, ...] = (
    "series", "model", "fold", "cutoff", "step", "time", "y_true", "y_pred",
    "fit_seconds", "predict_seconds", "scale", "refit",
)

#: columns added to :attr:`BacktestResult.predictions` by ``backtest(coverage=...)``
INTERVAL_COLUMNS: tuple[str, ...] = ("lower", "upper")

_FAILURE_COLUMNS = ("model", "series", "fold", "error", "traceback")


def _interval_scores(g: pd.DataFrame, yt: np.ndarray, scale: float,
                     coverage: float) -> dict[str, float]:
    """Share of actuals inside ``[lower, upper]`` and M4's MSIS of one window (NaN: none)."""
    lower = g["lower"].to_numpy(dtype=float)
    upper = g["upper"].to_numpy(dtype=float)
    if not (np.isfinite(lower).all() and np.isfinite(upper).all()):
        return {"coverage": float("nan"), "msis": float("nan")}
    band = np.column_stack([lower, upper])
    score = interval_score(yt, band, coverage=coverage)
    return {"coverage": share_inside(yt, band),
            "msis": score / scale if np.isfinite(scale) else float("nan")}


def _score_window(name: str, func: Any, y_true: np.ndarray, y_pred: np.ndarray,
                  scale: float) -> float:
    if name == "mase":
        return float(mae(y_true, y_pred) / scale) if np.isfinite(scale) else float("nan")
    if func is not _POINT.get(name):  # the user's callable: its errors are not ours to hide
        return float(func(y_true, y_pred))
    try:
        return float(func(y_true, y_pred))
    except ValueError:  # e.g. MAPE with a zero actual: undefined for this window
        return float("nan")


@dataclass
class BacktestResult:
    """Forecasts of every model on every fold of every series, and their scores.

    :func:`~forecast.model_selection.backtest` builds it; every constructor field is
    kept as an attribute of the same name, and :attr:`scores` and :attr:`leaderboard`
    are computed from them on first access.

    Parameters
    ----------
    predictions : pandas.DataFrame
        One row per forecast point: ``series``, ``model``, ``fold`` (0 = oldest),
        ``cutoff`` (label of the last training observation), ``step`` (1..horizon),
        ``time`` (label forecast), ``y_true``, ``y_pred``, ``fit_seconds`` and
        ``predict_seconds`` (of that fold's fit/update and predict; for a global
        model, its share: fold time / number of series), ``scale`` (in-sample
        seasonal-naive MAE of the fold's training span: the MASE denominator, M4
        definition with ``season_length``; NaN where undefined) and ``refit``
        (False when the fold used ``update``).
    failures : pandas.DataFrame
        ``model``, ``series``, ``fold``, ``error``, ``traceback`` of failed folds.
    metrics : tuple
        Metric names (or callables) scored per window.
    season_length : int
        Seasonal period used for the MASE scale.
    reference : str or None
        Name of the Naive2 model OWA is relative to (``None``: no OWA).
    y : dict
        The panel that was backtested (``{series_id: Series}``), for plotting.
    model_names : list of str
        Models in the order given.
    coverage : float or None
        Nominal coverage of the intervals in ``lower``/``upper`` (``backtest(coverage=
        ...)``); then ``scores`` and ``leaderboard`` have ``coverage`` and ``msis``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from forecast.forecasters import Naive
    >>> from forecast.model_selection import ExpandingWindowSplitter, backtest
    >>> res = backtest([Naive()], pd.Series(np.arange(20.0)),
    ...                cv=ExpandingWindowSplitter(horizon=3, n_splits=2), verbose=0)
    >>> res
    BacktestResult(models=['Naive', 'Naive2'], n_series=1, n_folds=2, n_failed=0)
    >>> res.scores[["model", "fold"]].values.tolist()
    [['Naive', 0], ['Naive', 1], ['Naive2', 0], ['Naive2', 1]]
    >>> res.leaderboard.index.tolist()
    ['Naive', 'Naive2']
    """

    predictions: pd.DataFrame
    failures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_FAILURE_COLUMNS))
    metrics: tuple[Any, ...] = ("smape", "mase")
    season_length: int = 1
    reference: str | None = None
    y: dict[Any, pd.Series] = field(default_factory=dict, repr=False)
    model_names: list[str] = field(default_factory=list)
    coverage: float | None = None

    def _interval_names(self) -> list[str]:
        if self.coverage is None or "lower" not in self.predictions.columns:
            return []
        return ["coverage", "msis"]

    def _metric_items(self) -> list[tuple[str, Any]]:
        items = []
        for m in self.metrics:
            if isinstance(m, str):
                items.append((m, _POINT.get(m)))
            else:
                items.append((getattr(m, "__name__", "metric"), m))
        return items

    @cached_property
    def scores(self) -> pd.DataFrame:
        """Per-window scores: one row per (model, series, fold), one column per metric.

        Returns
        -------
        pandas.DataFrame
            Columns ``model, series, fold, cutoff``, the metrics, (with ``coverage``)
            ``coverage`` and ``msis`` of the window's interval, ``fit_seconds``,
            ``predict_seconds``.
        """
        items = self._metric_items()
        intervals = self._interval_names()
        rows = []
        keys = ["model", "series", "fold"]
        if self.predictions.empty:
            cols = [*keys, "cutoff"] + [n for n, _ in items] + intervals + [
                "fit_seconds", "predict_seconds"]
            return pd.DataFrame(columns=cols)
        for (model, series, fold), g in self.predictions.groupby(keys, sort=False):
            yt = g["y_true"].to_numpy(dtype=float)
            yp = g["y_pred"].to_numpy(dtype=float)
            scale = float(g["scale"].iloc[0])
            row = {"model": model, "series": series, "fold": fold, "cutoff": g["cutoff"].iloc[0]}
            for name, func in items:
                row[name] = _score_window(name, func, yt, yp, scale)
            if intervals:
                row.update(_interval_scores(g, yt, scale, self.coverage))
            row["fit_seconds"] = float(g["fit_seconds"].iloc[0])
            row["predict_seconds"] = float(g["predict_seconds"].iloc[0])
            rows.append(row)
        return pd.DataFrame(rows)

    @cached_property
    def leaderboard(self) -> pd.DataFrame:
        """Mean score per model over all (series, fold) windows, best first.

        sMAPE and MASE are averaged over windows with equal weight (the M4
        protocol, with each fold counted like a series). OWA, when a Naive2
        reference ran, is ``0.5 * (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2)``
        with the Naive2 means taken over the same windows as the model's (so a
        model that failed on some windows is compared fairly); NaN where a Naive2
        mean is zero (a perfect reference) or missing. Sorted by OWA if
        present, else by the first metric. ``fit_seconds``/``predict_seconds`` are
        totals; ``n_windows`` the windows scored; ``n_failed`` the failed folds. With
        ``coverage``, ``coverage`` (share of actuals inside the intervals) and ``msis``
        are means over the windows where the model gave an interval (NaN: none).

        Returns
        -------
        pandas.DataFrame
            Indexed by model name.
        """
        scores = self.scores
        names = [n for n, _ in self._metric_items()]
        intervals = self._interval_names()
        rows = []
        ref = None
        if self.reference is not None and not scores.empty:
            ref = scores[scores["model"] == self.reference].set_index(["series", "fold"])
        fail_counts = (
            self.failures.groupby("model").size() if not self.failures.empty else pd.Series()
        )
        for model in self.model_names:
            s = scores[scores["model"] == model]
            row: dict[str, Any] = {"model": model}
            for n in names:
                row[n] = float(s[n].mean()) if len(s) else float("nan")
            if ref is not None and "smape" in names and "mase" in names:
                idx = pd.MultiIndex.from_frame(s[["series", "fold"]])
                r = ref.reindex(idx)
                ok = r["smape"].notna().to_numpy()
                ref_smape = r["smape"][ok].mean() if ok.any() else np.nan
                ref_mase = r["mase"][ok].mean() if ok.any() else np.nan
                if ref_smape > 0 and ref_mase > 0:  # else undefined: NaN, not inf
                    s_ok = s[ok]
                    row["owa"] = 0.5 * (float(s_ok["smape"].mean()) / ref_smape
                                        + float(s_ok["mase"].mean()) / ref_mase)
                else:
                    row["owa"] = float("nan")
            for n in intervals:  # mean over the windows the model has an interval for
                row[n] = float(s[n].mean()) if s[n].notna().any() else float("nan")
            row["fit_seconds"] = float(s["fit_seconds"].sum())
            row["predict_seconds"] = float(s["predict_seconds"].sum())
            row["n_windows"] = len(s)
            row["n_failed"] = int(fail_counts.get(model, 0))
            rows.append(row)
        board = pd.DataFrame(rows).set_index("model")
        sort_by = "owa" if "owa" in board.columns else names[0]
        return board.sort_values(sort_by, kind="stable", na_position="last")

    def __repr__(self) -> str:
        n_series = self.predictions["series"].nunique() if len(self.predictions) else 0
        n_folds = self.predictions["fold"].nunique() if len(self.predictions) else 0
        return (
            f"BacktestResult(models={self.model_names}, n_series={n_series}, "
            f"n_folds={n_folds}, n_failed={len(self.failures)})"
        )


class BacktestError(RuntimeError):
    """A backtest task failed (``errors="raise"``).

    The message names the model, the series and the fold. The work finished before
    the failure is kept on the exception.

    Parameters
    ----------
    message : str
        The error message (model, series, fold and the original error).
    result : BacktestResult
        Partial result (finished tasks only) with the failure(s) in ``failures``.

    Attributes
    ----------
    result : BacktestResult
        The ``result`` passed in.
    failures : pandas.DataFrame
        The failures (model, series, fold, error, traceback): ``result.failures``.

    Examples
    --------
    >>> import pandas as pd
    >>> from forecast.model_selection import BacktestError, BacktestResult
    >>> partial = BacktestResult(pd.DataFrame())
    >>> try:
    ...     raise BacktestError("backtest failed: model 'Naive' on series 'y', fold 0", partial)
    ... except BacktestError as exc:
    ...     print(exc.result is partial, exc.failures.columns.tolist())
    True ['model', 'series', 'fold', 'error', 'traceback']
    """

    def __init__(self, message: str, result: BacktestResult) -> None:
        super().__init__(message)
        self.result = result
        self.failures = result.failures
