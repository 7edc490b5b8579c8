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
from ..forecasters._base import uses_covariates

if TYPE_CHECKING:
    from ._tasks import Task

__all__ = ["check_covariates", "fold_covariates", "task_covariates"]


def check_covariates(X: Any, panel: dict[Any, pd.Series],
                     models: dict[str, Any]) -> dict[Any, pd.DataFrame] | None:
    """``X`` as one frame per series, row ``i`` the covariates of observation ``i``."""
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
        aligned[key] = frame.loc[index]
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
        future = {k: cov[k].iloc[train[-1] + 1 : train[-1] + 1 + steps]
                  for k, (train, _) in positions.items()}
        declared = getattr(task.model, "future_covariates", None)
        if isinstance(declared, list | tuple):
            future = {k: f[list(declared)] for k, f in future.items()}
    if not task.is_global:
        key = next(iter(positions))
        return past[key], None if future is None else future[key]
    return past, future
