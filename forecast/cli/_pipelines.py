"""Pipeline tasks on time series: ``forecast`` (one series), ``m4`` (panel), ``ett``.

Each task takes the parsed config and an output folder and returns the report
path. Only the public API of ``forecast`` is used.
"""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecast._io import atomic_write_with

from ._config_values import setting
from ._console import CLIError, out, progress
from ._report import Section, format_table, write_report

__all__ = ["run_forecast", "run_m4", "run_ett"]


def _units(config: dict[str, Any], default: int) -> tuple[int, ...]:
    """``[neural] units``: one layer's units or a list of them, as a tuple."""
    units = setting(config, "neural", "units", default)
    return tuple(units) if isinstance(units, list) else (units,)


def _settings(config: dict[str, Any]) -> Any:
    from ._registry import NeuralSettings

    def nn(key: str, default: Any = None) -> Any:
        return setting(config, "neural", key, default)

    return NeuralSettings(
        window=nn("window"), units=_units(config, 16), epochs=nn("epochs", 20),
        batch_size=nn("batch_size", 32), learning_rate=float(nn("learning_rate", 3e-3)),
        loss=nn("loss", "mae"), scaler=nn("scaler", "auto"), random_state=nn("random_state", 0),
        extra=dict(nn("estimator", {})),
    )


def run_forecast(config: dict[str, Any], out_dir: Path) -> Path:
    """One series (embedded sample, CSV path or ticker): backtest models, write a report."""
    from ._data import (
        PIPELINE_KEYS,
        load_frame,
        season_length_for,
        select_features,
        select_target,
    )
    from ._experiment import PIPELINE_NAMES, Experiment, run_experiment
    from ._output import finish
    from ._registry import parse_models

    def data(key: str, default: Any = None) -> Any:
        return setting(config, "data", key, default)

    def bt(key: str, default: Any = None) -> Any:
        return setting(config, "backtest", key, default)

    meta = config["pipeline"]
    models = parse_models(bt("models", ["lstm", "gru", "naive", "snaive", "theta"]))
    horizon, folds, season_length = bt("horizon", 12), bt("folds", 3), bt("season_length")
    last, settings = data("last"), _settings(config)
    path = data("path")
    frame = load_frame(
        data=None if path is None else str(_resolve(config, path)),
        ticker=data("ticker"), sample=data("sample"), start=data("start"), end=data("end"),
        date_column=data("date_column"), cache_dir=data("cache_dir"),
        dayfirst=data("dayfirst"), decimal=data("decimal", "."),
        offline=data("offline", False), options=PIPELINE_KEYS,
    )
    transform = data("transform", "none")
    y = select_target(frame, data("target"), transform=transform, options=PIPELINE_KEYS)
    features = data("features", [])
    X = (select_features(frame, features, y, transform=transform, options=PIPELINE_KEYS)
         if features else None)
    if last is not None:
        y = y.iloc[-last:]
        X = None if X is None else X.loc[y.index]
    exp = Experiment(
        name=meta["name"], y=y, horizon=horizon,
        season_length=season_length_for(y.index) if season_length is None else season_length,
        folds=folds, models=models, settings=settings, X=X,
        feature_models=parse_models(bt("feature_models")) if X is not None and
        bt("feature_models") else [], names=dict(PIPELINE_NAMES),
    )
    result = run_experiment(exp)
    return finish([result], out_dir, title=f"pipeline {meta['name']}: "
                  f"{meta.get('description', '')}{_quick_note(config)}", command=_command(config),
                  fmt=config.get("output", {}).get("format", "markdown"),
                  plots=config.get("output", {}).get("plots", True))


def _on_terminal() -> bool:
    """Whether stderr is a terminal (not a log file, not missing as under pythonw)."""
    return bool(getattr(sys.stderr, "isatty", bool)())


def _quick_note(config: dict[str, Any]) -> str:
    """What ``--quick`` changed, for titles: the description is the full run's."""
    if not config.get("_quick"):
        return ""
    changed = ", ".join(config.get("_quick_overrides", [])) or "none"
    return f" (quick run, overriding the description's settings: {changed})"


def _command(config: dict[str, Any]) -> list[str]:
    """The ``forecast`` command line of the run (set by ``run_pipeline``)."""
    return config.get("_command", ["run", config["_file"]])


def _resolve(config: dict[str, Any], value: str) -> Path:
    from ._run import resolve_path

    return resolve_path(config, value)


def _finish_tables(config: dict[str, Any], out_dir: Path, tables: list[tuple[str, pd.DataFrame]],
                   paragraphs: list[str], figures: list[tuple[str, Path]] | None = None) -> Path:
    meta = config["pipeline"]
    for caption, table in tables:
        out()
        out(f"== {caption} ==")
        out(format_table(table))
        stem = caption.lower().split(":")[0].replace(" ", "_")
        atomic_write_with(out_dir / f"{stem}.csv", table.to_csv)
    section = Section(title=meta["name"], paragraphs=paragraphs, tables=tables,
                      figures=figures or [])
    intro = [f"Pipeline `{config['_file']}` (task `{meta['task']}`)"
             f"{_quick_note(config)}. Command: "
             f"`forecast {shlex.join(_command(config))}`.",
             meta.get("description", "")]
    report = write_report(out_dir, f"pipeline {meta['name']}", intro, [section],
                          fmt=config.get("output", {}).get("format", "markdown"))
    out()
    out(f"Report written to {report}")
    return report


def run_m4(config: dict[str, Any], out_dir: Path) -> Path:
    """M4 (e.g. Hourly): one global recurrent model on the panel vs per-series baselines.

    The M4 protocol: train on each training series, forecast its test horizon,
    sMAPE/MASE averaged over series, OWA relative to Naive2. Implemented as a
    one-fold backtest on train + test.
    """
    from forecast.datasets import load_m4
    from forecast.model_selection import ExpandingWindowSplitter, backtest

    from ._registry import NEURAL, build_model, parse_models

    path, frequency = setting(config, "data", "path"), setting(config, "data", "frequency",
                                                                 "Hourly")
    max_series = setting(config, "data", "max_series")
    model_names = setting(config, "backtest", "models",
                          ["gru", "naive", "snaive", "naive2", "ses", "theta"])
    n_jobs = setting(config, "backtest", "n_jobs")
    m4 = load_m4(frequency, _resolve(config, path))
    if m4.test is None:
        raise CLIError(f"{config['_file']}: no {m4.frequency}-test.csv beside the training "
                       f"file in {path!r}; the M4 task scores the test set")
    ids = list(m4.train)[:max_series]
    panel = {k: pd.concat([m4.train[k], m4.test[k]]) for k in ids}
    horizon, m = int(m4.horizon), int(m4.season_length)
    settings = _settings(config)
    models, global_names = {}, []
    for key in parse_models(model_names):
        display, model = build_model(key, horizon=horizon, season_length=m, settings=settings,
                                     n_obs=min(len(s) for s in m4.train.values()))
        models[display] = model
        if key in NEURAL:
            global_names.append(display)
    progress(f"m4: {len(ids)} series, horizon {horizon}, models {list(models)}")
    start = time.perf_counter()
    result = backtest(models, panel, cv=ExpandingWindowSplitter(horizon=horizon, n_splits=1),
                      season_length=m, global_models=global_names, errors="warn",
                      n_jobs=n_jobs, verbose=int(_on_terminal()))  # no bar in logs
    from ._experiment import display_board

    board = display_board(result.leaderboard)
    return _finish_tables(config, out_dir, [("M4 leaderboard", board)], [
        f"{len(ids)} series of M4 {frequency}, horizon {horizon}, "
        f"season length {m}; {time.perf_counter() - start:.0f} s. Published M4 Hourly "
        "(all 414 series): Naive2 sMAPE 18.383 / MASE 2.395; sNaive OWA 0.627; "
        "Theta OWA 1.006; RNN benchmark OWA 1.036.",
    ])


def run_ett(config: dict[str, Any], out_dir: Path) -> Path:
    """ETTh1, standard protocol: standardised with train statistics, MSE/MAE on all test windows.

    A recurrent regressor on windows of all 7 variables vs "repeat the last value".
    """
    from forecast import estimators
    from forecast.datasets import ett_splits, load_ett
    from forecast.metrics import mae
    from forecast.preprocessing import make_windows

    def bt(key: str, default: Any = None) -> Any:
        return setting(config, "backtest", key, default)

    def nn(key: str, default: Any = None) -> Any:
        return setting(config, "neural", key, default)

    lookback, horizon, stride = bt("lookback", 96), bt("horizon", 96), bt("stride", 1)
    max_train, names = bt("max_train_windows"), bt("models", ["gru"])
    names = names.split(",") if isinstance(names, str) else names
    cells = {"lstm": estimators.LSTMRegressor, "gru": estimators.GRURegressor}
    unknown = [name for name in names if name not in cells]
    if unknown:
        raise CLIError(f"[backtest] models of the ett task must be among lstm, gru; "
                       f"received {unknown[0]!r}")
    units, epochs, batch_size = _units(config, 32), nn("epochs", 5), nn("batch_size", 64)
    learning_rate, segment_length = float(nn("learning_rate", 1e-3)), nn("segment_length")
    random_state = nn("random_state", 0)
    frame = load_ett(_resolve(config, setting(config, "data", "path")))
    try:
        train, val, test = ett_splits(frame, lookback=lookback)
    except ValueError as exc:
        raise CLIError(f"{config['_file']}: [backtest] lookback {lookback} does not fit the "
                       f"data's splits: {exc}") from exc
    mean, std = train.mean(), train.std(ddof=0).replace(0, 1.0)
    scaled = [(part - mean) / std for part in (train, val, test)]
    windows = []
    for split, part in zip(("train", "validation", "test"), scaled, strict=True):
        if len(part) < lookback + horizon:
            raise CLIError(f"{config['_file']}: the {split} split has {len(part)} rows, fewer "
                           f"than [backtest] lookback + horizon = {lookback} + {horizon}; "
                           "lower [backtest] horizon or lookback")
        X, y = make_windows(part.to_numpy(dtype=np.float32), window=lookback, horizon=horizon,
                            stride=stride)
        windows.append((X, y))
    (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = windows
    if max_train is not None:
        X_tr, y_tr = X_tr[-max_train:], y_tr[-max_train:]
    rows = {}
    last = np.repeat(X_te[:, -1:, :], horizon, axis=1)
    rows["Repeat last value"] = {"MSE": float(np.mean((y_te - last) ** 2)),
                                 "MAE": mae(y_te.reshape(-1), last.reshape(-1)), "fit s": 0.0}
    for name in names:
        est = cells[name](units=units if len(units) > 1 else units[0],
                          segment_length=segment_length, epochs=epochs, batch_size=batch_size,
                          learning_rate=learning_rate, random_state=random_state)
        progress(f"ett: {name.upper()} on {len(X_tr)} windows ({X_tr.shape[1]} x {X_tr.shape[2]})")
        start = time.perf_counter()
        est.fit(np.concatenate([X_tr, X_va]), np.concatenate([y_tr, y_va]))
        fit_s = time.perf_counter() - start
        pred = est.predict(X_te).reshape(y_te.shape)
        rows[name.upper()] = {"MSE": float(np.mean((y_te - pred) ** 2)),
                              "MAE": mae(y_te.reshape(-1), pred.reshape(-1)), "fit s": fit_s}
    board = pd.DataFrame(rows).T
    board.index.name = "model"
    return _finish_tables(config, out_dir, [(f"ETTh1 h={horizon}", board)], [
        f"ETTh1 standard split (train/val/test = {len(train)}/{len(val)}/{len(test)} rows incl. "
        f"look-back), look-back {lookback}, horizon {horizon}, {len(X_te)} test windows, "
        "standardised with train statistics; MSE/MAE over all 7 variables. Published h=96 "
        "(L=96): SegRNN 0.368/0.395, DLinear 0.386/0.400; repeat-last 1.295/0.713 (L=336).",
    ])


