"""One experiment = several models backtested on one series with rolling origins.

The backtest is :func:`forecast.model_selection.backtest`, run model by model so
that progress is visible; the per-model results are merged into one
:class:`~forecast.model_selection.BacktestResult`, whose leaderboard gives
sMAPE, MASE (scaled on the data before each cutoff) and OWA relative to Naive2
(always run as the reference), as in M4. One fitted copy of each neural model
(last fold) is kept for the training-curve plots.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sklearn.base import clone

from ._console import CLIError, progress
from ._registry import MODELS, NEURAL, NeuralSettings, build_model

__all__ = ["Experiment", "ExperimentResult", "run_experiment", "display_board"]

REFERENCE = "naive2"  # OWA reference (always evaluated)
METRICS = ("smape", "mase")


@dataclass
class Experiment:
    """What to backtest: a series, a horizon, a number of folds and registry names."""

    name: str
    y: pd.Series
    horizon: int
    season_length: int = 1
    folds: int = 3
    models: list[str] = field(default_factory=lambda: list(MODELS))
    settings: NeuralSettings = field(default_factory=NeuralSettings)


@dataclass
class ExperimentResult:
    """The merged backtest result, its leaderboard and the last fits of the neural models."""

    experiment: Experiment
    result: Any  # forecast.model_selection.BacktestResult
    leaderboard: pd.DataFrame
    final_fits: dict[str, Any]
    seconds: float

    @property
    def predictions(self) -> pd.DataFrame:
        """Tidy predictions (one row per model, fold and step)."""
        return self.result.predictions

    @property
    def fold_errors(self) -> pd.DataFrame:
        """sMAPE per fold (rows) and model (columns)."""
        return self.result.scores.pivot_table(index="fold", columns="model", values="smape")


def _check(exp: Experiment) -> None:
    if exp.horizon < 1:
        raise CLIError(f"--horizon must be a positive integer; received {exp.horizon}")
    if exp.season_length < 1:
        raise CLIError(f"--season-length must be a positive integer; received {exp.season_length}")
    needed = exp.horizon * exp.folds + max(2 * exp.season_length, 3 * exp.horizon, 20)
    if len(exp.y) < needed:
        raise CLIError(
            f"{exp.name}: {len(exp.y)} observations are too few for {exp.folds} fold(s) of "
            f"horizon {exp.horizon} (need at least {needed}); lower --folds or --horizon"
        )


def display_board(board: pd.DataFrame) -> pd.DataFrame:
    """The leaderboard as printed: sMAPE, MASE, OWA, fit seconds (and failures if any)."""
    cols = {"smape": "sMAPE", "mase": "MASE", "owa": "OWA", "fit_seconds": "fit s"}
    shown = board[[c for c in cols if c in board.columns]].rename(columns=cols)
    if "n_failed" in board.columns and board["n_failed"].any():
        shown["failed folds"] = board["n_failed"]
    return shown


def run_experiment(exp: Experiment, *, fit_final: bool = True) -> ExperimentResult:
    """Backtest every model of ``exp`` (plus Naive2) and build the leaderboard.

    Returns
    -------
    ExperimentResult
        ``leaderboard``: the BacktestResult leaderboard (columns smape, mase,
        owa, fit_seconds = total over folds, ...), sorted by OWA.
    """
    from forecast.model_selection import BacktestResult, ExpandingWindowSplitter, backtest

    _check(exp)
    t0 = time.perf_counter()
    names = list(dict.fromkeys([*exp.models, REFERENCE]))
    cv = ExpandingWindowSplitter(horizon=exp.horizon, n_splits=exp.folds)
    n_first = len(exp.y) - exp.horizon * exp.folds
    parts, failures, displays = [], [], []
    final_fits: dict[str, Any] = {}
    last = None
    for i, key in enumerate(names, 1):
        display, model = build_model(key, horizon=exp.horizon, season_length=exp.season_length,
                                     settings=exp.settings, n_obs=n_first)
        displays.append(display)
        start = time.perf_counter()
        last = backtest({display: model}, exp.y, cv=cv, metrics=METRICS,
                        season_length=exp.season_length, verbose=0)
        parts.append(last.predictions)
        if len(last.failures):
            failures.append(last.failures)
            first_error = str(last.failures["error"].iloc[0]).splitlines()[0][:200]
            progress(f"{exp.name}: [{i}/{len(names)}] {display}: {len(last.failures)} failed "
                     f"fold(s): {first_error}")
        else:
            score = last.leaderboard["smape"].iloc[0]
            progress(f"{exp.name}: [{i}/{len(names)}] {display}: sMAPE {score:.2f} "
                     f"({time.perf_counter() - start:.1f} s)")
        if fit_final and key in NEURAL:  # the last fold once more, keeping the fit: curves
            final_fits[display] = clone(model).fit(exp.y.iloc[: -exp.horizon])
    merged = BacktestResult(
        predictions=pd.concat(parts, ignore_index=True),
        failures=pd.concat(failures, ignore_index=True) if failures else last.failures,
        metrics=METRICS,
        season_length=exp.season_length,
        reference=displays[names.index(REFERENCE)],
        y=last.y,
        model_names=displays,
    )
    seconds = time.perf_counter() - t0
    progress(f"{exp.name}: done in {seconds:.1f} s")
    return ExperimentResult(experiment=exp, result=merged, leaderboard=merged.leaderboard,
                            final_fits=final_fits, seconds=seconds)
