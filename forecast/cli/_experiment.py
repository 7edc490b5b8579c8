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
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ._console import CLIError, progress
from ._registry import MODELS, NEURAL, NeuralSettings, auto_scaler, build_model

__all__ = ["Experiment", "ExperimentResult", "run_experiment", "run_experiments", "display_board",
           "check_experiment", "rank_metric", "FLAG_NAMES", "PIPELINE_NAMES"]

REFERENCE = "naive2"  # OWA reference (always evaluated)
#: how messages name the settings: the command line's flags, or a pipeline file's keys
FLAG_NAMES = {"horizon": "--horizon", "folds": "--folds", "season_length": "--season-length",
              "window": "--window"}
PIPELINE_NAMES = {"horizon": "[backtest] horizon", "folds": "[backtest] folds",
                  "season_length": "[backtest] season_length", "window": "[neural] window"}
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
    #: covariates aligned with ``y`` (past covariates of the ``feature_models``)
    X: pd.DataFrame | None = None
    #: neural registry names also run with ``X`` (shown as e.g. "LSTM+X")
    feature_models: list[str] = field(default_factory=list)
    #: nominal coverage of the intervals scored (models with ``predict_interval``)
    coverage: float | None = None
    #: how messages name horizon, folds, season_length and window (flags or file keys)
    names: dict[str, str] = field(default_factory=lambda: dict(FLAG_NAMES))


@dataclass
class ExperimentResult:
    """The merged backtest result, its leaderboard and the last fits of the neural models."""

    experiment: Experiment
    result: Any  # forecast.model_selection.BacktestResult
    leaderboard: pd.DataFrame
    #: neural model -> one training history (dict metric -> per-epoch list) per fold fit
    histories: dict[str, list[dict[str, list[float]]]]
    seconds: float

    @property
    def predictions(self) -> pd.DataFrame:
        """Tidy predictions (one row per model, fold and step)."""
        return self.result.predictions

    @property
    def fold_errors(self) -> pd.DataFrame:
        """sMAPE per fold (rows) and model (columns)."""
        return self.result.scores.pivot_table(index="fold", columns="model", values="smape")


def _history_recorder(label: str) -> Any:
    """A Keras callback that records the per-epoch logs of every fit it is attached to.

    ``sklearn.base.clone`` deep-copies estimator parameters; the recorder returns
    itself from ``__deepcopy__`` so the clones made by ``backtest`` (run
    in-process) all report to it: the training curves of every fold without
    refitting anything.
    """
    from forecast._tf import keras

    class HistoryRecorder(keras().callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.histories: list[dict[str, list[float]]] = []

        def __deepcopy__(self, memo: dict) -> HistoryRecorder:
            return self

        def on_train_begin(self, logs: dict | None = None) -> None:
            self.histories.append({})

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            for key, value in (logs or {}).items():
                self.histories[-1].setdefault(key, []).append(float(value))

        def on_train_end(self, logs: dict | None = None) -> None:
            hist = self.histories[-1] if self.histories else {}
            loss = hist.get("loss", [float("nan")])[-1]
            val = f", val_loss {hist['val_loss'][-1]:.4f}" if hist.get("val_loss") else ""
            progress(f"{label}: fit {len(self.histories)} done, "
                     f"{len(hist.get('loss', []))} epochs, loss {loss:.4f}{val}")

    return HistoryRecorder()


def check_experiment(exp: Experiment) -> None:
    """Raise ``CLIError`` when the series is too short for the folds, horizon and window.

    Messages name the settings as :attr:`Experiment.names` says (flags or pipeline keys)
    and say which need binds: the folds' test blocks plus the longest of 20
    observations, two seasons and three horizons before the first cutoff, and, for a
    given neural window, ``window + 2 * horizon`` (inputs, targets and the validation
    block) before it.
    """
    names = exp.names
    if exp.horizon < 1:
        raise CLIError(f"{names['horizon']} must be a positive integer; received {exp.horizon}")
    if exp.season_length < 1:
        raise CLIError(f"{names['season_length']} must be a positive integer; received "
                       f"{exp.season_length}")
    tests = exp.horizon * exp.folds
    floors = {"20 observations": 20,
              f"two seasons of {exp.season_length}": 2 * exp.season_length,
              f"three horizons of {exp.horizon}": 3 * exp.horizon}
    binding = max(floors, key=floors.get)
    needed = tests + floors[binding]
    if len(exp.y) < needed:
        raise CLIError(
            f"{exp.name}: {len(exp.y)} observations are too few: {exp.folds} fold(s) of "
            f"horizon {exp.horizon} hold out the last {tests}, and the first fold needs "
            f"{binding} before them (at least {needed} in all); lower {names['folds']} or "
            f"{names['horizon']}" + (f", or {names['season_length']}" if binding.startswith(
                "two seasons") else "")
        )
    neural = [m for m in [*exp.models, *exp.feature_models] if m in NEURAL]
    window = exp.settings.window
    if neural and window is not None and len(exp.y) - tests < window + 2 * exp.horizon:
        raise CLIError(
            f"{exp.name}: {names['window']} {window} is too long: the neural models need "
            f"window + 2 x horizon = {window + 2 * exp.horizon} observations before the first "
            f"fold (inputs, targets and a validation block), and it has "
            f"{len(exp.y) - tests}; lower {names['window']} or leave it out (a window is "
            "then chosen from the data)"
        )


def rank_metric(exp: Experiment) -> str:
    """The leaderboard's sort key: ``"owa"``, or ``"mase"`` for a series with values <= 0
    (returns), where sMAPE, and so OWA, are unstable near zero."""
    return "mase" if (exp.y <= 0).any() else "owa"


def display_board(board: pd.DataFrame) -> pd.DataFrame:
    """The leaderboard as printed: sMAPE, MASE, OWA, (with intervals) coverage and MSIS, fit
    seconds (and failures if any)."""
    cols = {"smape": "sMAPE", "mase": "MASE", "owa": "OWA", "coverage": "coverage",
            "msis": "MSIS", "fit_seconds": "fit s"}
    shown = board[[c for c in cols if c in board.columns]].rename(columns=cols)
    if "n_failed" in board.columns and board["n_failed"].any():
        shown["failed folds"] = board["n_failed"]
    return shown


def _run_models(exp: Experiment, keys: list[str], state: dict[str, Any]) -> None:
    """Backtest the registry models ``keys`` on ``exp``, appending to ``state``."""
    from forecast.model_selection import ExpandingWindowSplitter, backtest

    cv = ExpandingWindowSplitter(horizon=exp.horizon, n_splits=exp.folds)
    n_first = len(exp.y) - exp.horizon * exp.folds
    total = len(state["order"])
    for key in keys:
        i = state["order"].index(key) + 1
        recorder = _history_recorder(f"{exp.name}: {MODELS[key][0]}") if key in NEURAL else None
        settings = exp.settings
        if settings.scaler == "auto":
            settings = replace(settings, scaler=auto_scaler(exp.y, exp.season_length))
        if recorder is not None:
            settings = replace(settings, callbacks=(recorder,))
        display, model = build_model(key, horizon=exp.horizon, season_length=exp.season_length,
                                     settings=settings, n_obs=n_first)
        state["displays"][key] = display
        if key in NEURAL:
            progress(f"{exp.name}: [{i}/{total}] {display}: training on {exp.folds} fold(s) "
                     f"(window {model.window}, {settings.epochs} epochs, scaler "
                     f"{model.scaler!r})")
        start = time.perf_counter()
        result = backtest({display: model}, exp.y, cv=cv, metrics=METRICS,
                          season_length=exp.season_length, naive2=False, errors="warn",
                          coverage=exp.coverage, verbose=0)
        state["parts"].append(result.predictions)
        state["last"] = result
        if len(result.failures):
            state["failures"].append(result.failures)
            first_error = str(result.failures["error"].iloc[0]).splitlines()[0][:200]
            progress(f"{exp.name}: [{i}/{total}] {display}: {len(result.failures)} failed "
                     f"fold(s): {first_error}")
        else:
            score = result.leaderboard["smape"].iloc[0]
            progress(f"{exp.name}: [{i}/{total}] {display}: sMAPE {score:.3f} "
                     f"({time.perf_counter() - start:.1f} s)")
        if recorder is not None and recorder.histories:
            state["histories"][display] = recorder.histories
        state["seconds"] += time.perf_counter() - start


def run_experiments(exps: list[Experiment]) -> list[ExperimentResult]:
    """Backtest several experiments: every baseline first, then the neural models.

    Baselines run before Keras is loaded: once it is, every backtest task pays
    ~1-2 s of ``clear_session`` + garbage collection.
    """
    from forecast.model_selection import BacktestResult

    states = []
    for exp in exps:
        check_experiment(exp)
        order = list(dict.fromkeys([*exp.models, REFERENCE]))
        states.append({"order": order, "displays": {}, "parts": [], "failures": [],
                       "histories": {}, "last": None, "seconds": 0.0})
    for exp, state in zip(exps, states, strict=True):
        _run_models(exp, [k for k in state["order"] if k not in NEURAL], state)
    for exp, state in zip(exps, states, strict=True):
        _run_models(exp, [k for k in state["order"] if k in NEURAL], state)
        _run_feature_models(exp, state)
    results = []
    for exp, state in zip(exps, states, strict=True):
        displays = [state["displays"][k] for k in state["order"]] + state.get("extra", [])
        parts = state["parts"]
        last = state["last"]
        merged = BacktestResult(
            predictions=pd.concat(parts, ignore_index=True),
            failures=(pd.concat(state["failures"], ignore_index=True) if state["failures"]
                      else last.failures),
            metrics=METRICS,
            season_length=exp.season_length,
            reference=state["displays"][REFERENCE],
            y=last.y,
            model_names=displays,
            coverage=exp.coverage,
        )
        progress(f"{exp.name}: backtests done in {state['seconds']:.1f} s")
        board, metric = merged.leaderboard, rank_metric(exp)
        if metric in board.columns:  # no OWA column when Naive2 failed everywhere
            board = board.sort_values(metric, kind="stable", na_position="last")
        results.append(ExperimentResult(
            experiment=exp, result=merged, leaderboard=board,
            histories=state["histories"], seconds=state["seconds"],
        ))
    return results


def _run_feature_models(exp: Experiment, state: dict[str, Any]) -> None:
    """Backtest the ``feature_models`` with ``exp.X`` as past covariates (``NAME+X``)."""
    from forecast.model_selection import ExpandingWindowSplitter, backtest

    if exp.X is None:
        return
    cv = ExpandingWindowSplitter(horizon=exp.horizon, n_splits=exp.folds)
    n_first = len(exp.y) - exp.horizon * exp.folds
    state.setdefault("extra", [])
    settings = exp.settings
    if settings.scaler == "auto":
        settings = replace(settings, scaler=auto_scaler(exp.y, exp.season_length))
    for key in exp.feature_models:
        display, model = build_model(key, horizon=exp.horizon, season_length=exp.season_length,
                                     settings=settings, n_obs=n_first)
        display = f"{display}+X"
        start = time.perf_counter()
        result = backtest({display: model}, exp.y, cv=cv, X=exp.X, metrics=METRICS,
                          season_length=exp.season_length, naive2=False, errors="warn",
                          coverage=exp.coverage, verbose=0)
        state["parts"].append(result.predictions)
        if len(result.failures):
            state["failures"].append(result.failures)
        state["extra"].append(display)
        elapsed = time.perf_counter() - start
        state["seconds"] += elapsed
        progress(f"{exp.name}: {display} (past covariates {list(exp.X.columns)}): "
                 f"{elapsed:.1f} s")


def run_experiment(exp: Experiment) -> ExperimentResult:
    """Backtest every model of ``exp`` (plus Naive2, the OWA reference).

    Returns
    -------
    ExperimentResult
        ``leaderboard``: the BacktestResult leaderboard (columns smape, mase,
        owa, fit_seconds = total over folds, ...), sorted by OWA (by MASE for a
        series with values <= 0, see :func:`rank_metric`).
    """
    return run_experiments([exp])[0]
