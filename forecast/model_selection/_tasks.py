"""The unit of parallel work of :func:`~forecast.model_selection.backtest`.

One task = one model on one series (or, for a global model, on the whole panel),
running all folds sequentially so a model can ``update`` between refits. Every
refit starts from ``sklearn.base.clone`` of the unfitted model, except for models
that declare ``_fit_resets_weights = True`` (their ``fit`` redraws every weight and
resets the optimizer, so the task refits its own clone in place and keeps the
compiled network); the model only ever sees the training span of the fold
(positions up to its cutoff).

Tasks never raise: a failure is returned as a record (model, series, fold, error
and traceback text) so finished work survives and the caller decides what to do.
"""

from __future__ import annotations

import gc
import sys
import time
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from ..metrics import mase_scale
from ._covariates import fold_covariates

__all__ = ["Task", "TaskOutput", "may_use_keras", "run_task", "release_tensorflow"]


@dataclass
class Task:
    """What a worker needs: the model, the data and the fold positions."""

    model_name: str
    model: Any
    #: ``{series_id: Series}``: one series for a local model, the panel for a global one
    data: dict[Any, pd.Series]
    #: per fold, ``{series_id: (train_positions, test_positions)}``
    folds: list[dict[Any, tuple[np.ndarray, np.ndarray]]]
    refit_every: int  # 1: every fold, k: every k folds, 0: first fold only
    gap: int
    horizon: int
    season_length: int
    is_global: bool
    stop_on_error: bool
    #: ``{series_id: DataFrame}`` aligned with ``data`` by position, or ``None``
    covariates: dict[Any, pd.DataFrame] | None = None
    #: nominal coverage of the intervals to record (``predict_interval``), or ``None``
    coverage: float | None = None


@dataclass
class TaskOutput:
    """Rows of the tidy predictions frame (as column arrays) and failures."""

    columns: dict[str, list[Any]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    n_folds_done: int = 0


_KERAS_MODULES = ("keras", "tensorflow", "forecast.estimators", "forecast.networks",
                  "forecast.forecasters._neural")


def may_use_keras(model: Any) -> bool:
    """Whether ``model`` may build Keras models (its class or a parameter is Keras-based).

    A custom forecaster that builds Keras models internally without such a
    parameter can say so with a class attribute ``_uses_keras = True``.
    """
    flag = getattr(model, "_uses_keras", None)
    if flag is not None:
        return bool(flag)
    try:
        params = list(model.get_params(deep=True).values())
    except Exception:  # noqa: BLE001 - not sklearn-like: be conservative
        return True
    return any(type(o).__module__.startswith(_KERAS_MODULES) for o in [model, *params])


def release_tensorflow() -> None:
    """Free Keras graph state and garbage-collect if TensorFlow was imported.

    Called after every task that may have built Keras models, in every worker: a
    long-lived worker otherwise grows by ~13 MB per Keras model built (see
    ``shared/notes/stack.md``). Skipped for other models, since ``gc.collect()``
    costs ~0.4 s in a process with TensorFlow loaded.
    """
    if "tensorflow" in sys.modules:
        from .._tf import keras

        keras().backend.clear_session()
        gc.collect()


def _scale(train: np.ndarray, season_length: int) -> float:
    """In-sample seasonal-naive MAE of a training span (NaN where undefined)."""
    if train.shape[0] < 2:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            return mase_scale(train, season_length)
        except ValueError:  # constant series: MASE undefined
            return float("nan")


def _as_values(pred: Any, name: str) -> np.ndarray:
    if isinstance(pred, pd.DataFrame):
        if pred.shape[1] != 1:
            raise ValueError(
                f"backtest scores univariate forecasts; the model returned {pred.shape[1]} "
                f"columns {list(pred.columns)[:5]} for series {name!r}"
            )
        pred = pred.iloc[:, 0]
    return np.asarray(pred, dtype=float).reshape(-1)


def _bounds(band: Any, need: int, gap: int) -> tuple[np.ndarray, np.ndarray]:
    """``(lower, upper)`` of the scored steps from a ``predict_interval`` frame (NaN: none)."""
    if band is None:
        return np.full(need - gap, np.nan), np.full(need - gap, np.nan)
    if not isinstance(band, pd.DataFrame) or not {"lower", "upper"} <= set(band.columns):
        raise ValueError("predict_interval must return a DataFrame with columns 'lower' and "
                         f"'upper'; it returned {type(band).__name__}")
    if len(band) != need:
        raise ValueError(f"predict_interval returned {len(band)} rows; {need} were asked")
    lower = band["lower"].to_numpy(dtype=float)[gap:]
    upper = band["upper"].to_numpy(dtype=float)[gap:]
    return lower, upper


def _append(out: TaskOutput, **cols: Any) -> None:
    for key, value in cols.items():
        out.columns.setdefault(key, []).append(value)


def _record_fold(
    out: TaskOutput,
    task: Task,
    fold: int,
    key: Any,
    train: np.ndarray,
    test: np.ndarray,
    pred: Any,
    fit_seconds: float,
    predict_seconds: float,
    refitted: bool,
    band: Any = None,
) -> None:
    series = task.data[key]
    values = _as_values(pred, key)
    need = task.gap + task.horizon
    if values.shape[0] != need:
        raise ValueError(
            f"the model returned {values.shape[0]} forecasts; {need} were asked "
            f"(gap={task.gap} + horizon={task.horizon})"
        )
    values = values[task.gap :]
    if not np.isfinite(values).all():
        bad = int(np.argmax(~np.isfinite(values)))
        raise ValueError(f"the model returned a non-finite forecast at step {bad + 1}")
    y_all = series.to_numpy(dtype=float)
    h = task.horizon
    _append(
        out,
        series=[key] * h,
        model=[task.model_name] * h,
        fold=[fold] * h,
        cutoff=[series.index[train[-1]]] * h,
        step=np.arange(1, h + 1),
        time=np.asarray(series.index[test], dtype=object),
        y_true=y_all[test],
        y_pred=values,
        fit_seconds=[fit_seconds] * h,
        predict_seconds=[predict_seconds] * h,
        scale=[_scale(y_all[train], task.season_length)] * h,
        refit=[refitted] * h,
    )
    if task.coverage is not None:
        lower, upper = _bounds(band, need, task.gap)
        _append(out, lower=lower, upper=upper)


def _failure(task: Task, key: Any, fold: int, exc: BaseException) -> dict[str, Any]:
    return {
        "model": task.model_name,
        "series": key,
        "fold": fold,
        "error": f"{type(exc).__name__}: {exc}",
        "traceback": "".join(traceback.format_exception(exc)),
    }


def _call(method: Any, first: Any, X: Any) -> Any:
    return method(first) if X is None else method(first, X=X)


def _interval(fitted: Any, steps: int, coverage: float, X: Any) -> Any:
    if X is None:
        return fitted.predict_interval(steps, coverage=coverage)
    return fitted.predict_interval(steps, coverage=coverage, X=X)


def run_task(task: Task) -> TaskOutput:
    """Run every fold of one task; never raises (failures are recorded).

    Returns
    -------
    TaskOutput
    """
    out = TaskOutput()
    fitted: Any = None
    # a model whose ``fit`` provably redraws all weights (e.g. NeuralForecaster reusing
    # its compiled network) may be refitted in place: same guarantee, ~5x cheaper
    reuse = bool(getattr(task.model, "_fit_resets_weights", False))
    keys = list(task.data)
    try:
        for fold, positions in enumerate(task.folds):
            # the model sees the training span only: nothing after the cutoff
            spans = {k: task.data[k].iloc[positions[k][0]] for k in keys}
            y_fit = spans if task.is_global else spans[keys[0]]
            failed_key = keys[0] if not task.is_global else "<panel>"
            try:
                x_fit, x_future = fold_covariates(task, positions)
                refit = (
                    fitted is None
                    or not hasattr(fitted, "update")
                    or (task.refit_every > 0 and fold % task.refit_every == 0)
                )
                t0 = time.perf_counter()
                if refit:
                    if fitted is None or not reuse:
                        fitted = clone(task.model)
                    _call(fitted.fit, y_fit, x_fit)
                else:
                    _call(fitted.update, y_fit, x_fit)
                t1 = time.perf_counter()
                pred = _call(fitted.predict, task.gap + task.horizon, x_future)
                band = None
                if task.coverage is not None and hasattr(fitted, "predict_interval"):
                    band = _interval(fitted, task.gap + task.horizon, task.coverage, x_future)
                t2 = time.perf_counter()
                share = 1.0 / len(keys)  # a global fit's time is shared by its series
                for k in keys:
                    failed_key = k
                    p = pred[k] if task.is_global else pred
                    b = band[k] if task.is_global and band is not None else band
                    _record_fold(
                        out, task, fold, k, positions[k][0], positions[k][1], p,
                        (t1 - t0) * share, (t2 - t1) * share, refit, b,
                    )
                out.n_folds_done += 1
            except Exception as exc:  # noqa: BLE001 - recorded, re-raised by the caller
                out.failures.append(_failure(task, failed_key, fold, exc))
                fitted = None  # the next fold refits from scratch
                if task.stop_on_error:
                    break
    finally:
        if may_use_keras(task.model):
            release_tensorflow()
    return out
