"""Covariates in a backtest: checked and aligned once, then sliced per fold leakage-free.

``fit``/``update`` get the rows up to each fold's cutoff; ``predict`` gets the rows of the
forecast steps only for a model with future covariates, restricted to the columns it
declares; models that use no covariates (the statistical baselines) get none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._validation import describe
from ..forecasters._base import future_index, uses_covariates

if TYPE_CHECKING:
    from ._tasks import Task

__all__ = ["check_covariates", "fold_covariates", "task_covariates"]


def check_covariates(X: Any, panel: dict[Any, pd.Series],
                     models: dict[str, Any]) -> dict[Any, pd.DataFrame] | None:
    """``X`` as one frame per series, row ``i`` the covariates of observation ``i`` (then
    the rows of ``X`` that continue past the series' end, for future covariates)."""
    if X is None:
        return None
    if not any(uses_covariates(m, "fit") for m in models.values()):
        raise ValueError(
            f"No model uses covariates, so `X` would be ignored: {list(models)} (the "
            "statistical baselines take none). Received: X=" + describe(X))
    if isinstance(X, Mapping):
        missing = [k for k in panel if k not in X]
        if missing:
            raise ValueError(
                f"`X` has no covariates for series {missing[:5]}: a dict `X` needs one "
                f"DataFrame per series id of `y`. Received: X with keys {list(X)[:5]}")
        frames = {k: (f"X[{k!r}]", X[k]) for k in panel}
    elif isinstance(X, pd.DataFrame):
        frames = {k: ("X", X) for k in panel}
    else:
        raise TypeError(
            "`X` must be a pandas DataFrame (shared by every series) or a dict "
            f"{{series_id: DataFrame}}. Received: X={describe(X)}")
    aligned = {}
    for key, (name, frame) in frames.items():
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"`{name}` must be a pandas DataFrame. Received: {name}="
                            f"{describe(frame)}")
        if frame.index.has_duplicates:
            raise ValueError(f"`{name}` has duplicate index labels, e.g. "
                             f"{list(frame.index[frame.index.duplicated()][:3])}.")
        index = panel[key].index
        absent = index[~index.isin(frame.index)]
        if len(absent):
            raise ValueError(
                f"`{name}` must have a row for every observation of series {key!r}; "
                f"{len(absent)} are missing, e.g. {list(absent[:3])}. Received: {name}="
                f"{describe(frame)}")
        # rows continuing past the series' end stay: future covariates of the last folds
        after = frame[frame.index > index[-1]].sort_index()
        ahead = future_index(index, max(len(after), 1))[: len(after)]
        n_ahead = int(np.argmin(np.append(after.index == ahead, False)))
        aligned[key] = pd.concat([frame.loc[index], after.iloc[:n_ahead]])
    return aligned


def task_covariates(model: Any, covariates: dict[Any, pd.DataFrame] | None
                    ) -> dict[Any, pd.DataFrame] | None:
    """The covariates a task carries: none for a model that does not use them."""
    if covariates is None or not uses_covariates(model, "fit"):
        return None
    return covariates


def fold_covariates(task: Task, positions: dict[Any, tuple[np.ndarray, np.ndarray]]
                    ) -> tuple[Any, Any]:
    """``X`` for the fold's ``fit``/``update`` (rows up to the cutoff) and ``predict``.

    ``predict`` gets the rows of the ``gap + horizon`` forecast steps only when the
    model uses future covariates, restricted to the columns it declares in
    ``future_covariates`` (when it has that parameter): a past covariate's future
    value never reaches a model.
    """
    cov = task.covariates
    if cov is None:
        return None, None
    past = {k: cov[k].iloc[train] for k, (train, _) in positions.items()}
    future = None
    if uses_covariates(task.model, "predict"):
        steps = task.gap + task.horizon
        rows = getattr(task.model, "_future_rows", None)  # a model may read more rows
        if callable(rows):
            steps = max(steps, int(rows(steps)))
        future = {}
        for k, (train, _) in positions.items():
            future[k] = cov[k].iloc[train[-1] + 1 : train[-1] + 1 + steps]
            if len(future[k]) < steps:
                name = "X" if not task.is_global else f"X[{k!r}]"
                raise ValueError(
                    f"`{name}` must give the future covariates of the {steps} steps after "
                    f"the fold's cutoff {cov[k].index[train[-1]]!r} (the model reads whole "
                    f"blocks of its own horizon), but has {len(future[k])} rows there: "
                    "extend X beyond the end of y, or backtest with fewer steps.")
        declared = getattr(task.model, "future_covariates", None)
        if isinstance(declared, list | tuple):
            future = {k: f[list(declared)] for k, f in future.items()}
    if not task.is_global:
        key = next(iter(positions))
        return past[key], None if future is None else future[key]
    return past, future
