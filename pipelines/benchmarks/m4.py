"""M4 benchmark: global recurrent forecasters vs the M4 baselines, one frequency per run.

Usage (from the repository root)::

    python pipelines/benchmarks/m4.py --frequency Hourly --data-dir ../shared/data/m4 \
        --out pipelines/benchmarks/results/m4_hourly.json --markdown BENCHMARKS.md

Reads ``{data-dir}/{Frequency}-train.csv`` and ``-test.csv`` (the M4 wide format).
Everything neural goes through the public API: one ``NeuralForecaster`` over the
whole panel with a ``GRURegressor``/``LSTMRegressor`` (2 x 128 units, input
segments of ``seg`` steps, per-window log-level normalisation ``log(x / mean of the
last m inputs)``). The settings are derived from the frequency's horizon ``h`` and
season ``m`` only, never tuned per frequency: ``seg = m`` (24 for Hourly), or
``seg = ceil(h / 2)`` where there is no season (``m = 1``: Yearly, Weekly, Daily),
and ``window = ceil(7 h / seg) * seg``, so every frequency runs 11-14 recurrent steps
and costs about what Hourly costs per training window; the training windows are
thinned by a stride to about ``MAX_WINDOWS``. Naive2, sNaive, Theta, ETS and
ARIMA run on the same series in the same run, over ``--n-jobs`` processes
(``--skip-slow-baselines`` drops ETS/ARIMA, whose statsmodels fits take 0.02-0.5 s
per series each, longest on long series: up to an hour on Monthly's 48,000 or
Daily's long series).

The defaults are the best configuration measured, chosen on ``--holdout`` (the last
horizon of the training series), not on the test set (see BENCHMARKS.md):

- ``--loss owa_log``: the OWA surrogate of ``forecast.networks._losses`` (sMAPE +
  MASE-weighted absolute error of the exponentiated log-ratio outputs); ``mae`` is an
  absolute error on the log-ratios weighted by level / in-sample seasonal-naive
  scale, which approximates the MASE only;
- ``--learning-rate 4e-3 --lr-schedule cosine``: the regressor's
  ``learning_rate_schedule="cosine"``, a half cosine from 4e-3 to 0 over the steps
  of the 9 epochs (holdout: single models OWA 0.402-0.412 against 0.419-0.427 at a
  constant 2e-3, the previous default); batch 512;
- ``--epochs 9``: a fixed number of epochs, so the result does not depend on the
  machine's speed or thread count. The count is what the first search's budget
  allowed (180 s of CPU time per core per model, one thread: 9 epochs on Hourly).
  ``--budget S`` caps the training time instead (stop after the epoch that passes
  ``S`` seconds on ``--budget-clock``: ``cpu``, this process's CPU time divided by
  the number of cores, or ``wall``), but the epochs it allows vary with the thread
  count: 2 threads under load reached 7 epochs in the same 180 CPU-seconds;
- ``--no-validation``: every window trains, including those whose targets are the
  last ``horizon`` points of each series, and the epoch count ends training
  (``NeuralForecaster(validation=False)``); ``--validation`` holds those windows out
  for early stopping (patience 6, best weights restored);
- ``--ensemble 2``: seeds 0-1, each model scored alone and the mean of their
  forecasts (and the median, from 3 members). Two members are the best on the holdout
  of the configurations that train within 15 minutes on a 2-core AMD EPYC (mean of 2
  OWA 0.4002; 4 x 6 epochs 0.4012); ``--ensemble 4`` is better (0.3976, the same as
  the mean of 5) but takes 14 minutes on the Intel Xeon of the tables and 22 on the
  AMD EPYC;
- ``--jobs 0``: the networks train side by side in worker processes, one per core
  (at most one per member), each with ``cores / jobs`` TensorFlow threads; the
  forecasts are the same as one after the other (``--jobs 1``) up to float32
  rounding. On Hourly the two networks take 9.6-9.8 minutes of wall time on the
  2-core AMD EPYC (whole command 11-11.5 minutes at 191-194% CPU).

``--holdout`` trains on each training series but its last horizon and scores there:
compare settings with it, never on the test set. ``--lookbacks 7,5,...`` gives
ensemble member ``i`` an input of the ``(i mod count)``-th number of horizons.

Model names carry a suffix for every network setting that differs from these
defaults (e.g. ``gru-global-mae-lr0.001-seed0``).

Writes JSON ``{"models": {name: {"smape", "mase", "owa", "seconds"}}, ...}`` and,
with ``--markdown``, a table between ``<!-- m4:start -->`` and ``<!-- m4:end -->``
(``<!-- m4-yearly:start -->`` etc. for the other frequencies).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nf_common import (  # noqa: E402
    frequency_section,
    library_versions,
    machine,
    network_pool,
    resolve_jobs,
    update_markdown,
)

from forecast._io import atomic_write_text  # noqa: E402
from forecast.datasets import M4_INFO, load_m4  # noqa: E402
from forecast.metrics import mase_scale, owa, smape  # noqa: E402

#: cap on training windows (stride grows above it) so every frequency fits the budget
MAX_WINDOWS = 250_000


def load(data_dir: Path, frequency: str) -> tuple[dict, dict | None]:
    """Training and test series of one frequency (``forecast.datasets.load_m4``); the
    test series are ``None`` when there is no ``{frequency}-test.csv`` beside the
    training file (``select(..., holdout=True)`` needs none)."""
    try:
        ds = load_m4(frequency, data_dir)
    except (OSError, ValueError) as exc:  # a missing or malformed file: one error line
        raise SystemExit(f"error: {exc}") from None
    return ds.train, ds.test


def select(train: dict, test: dict, h: int, *, limit: int | None = None,
           holdout: bool = False) -> tuple[dict, dict]:
    """The series a run scores: the first ``limit`` (all by default), with the first ``h``
    test points, or with ``holdout`` each training series' last ``h`` points as test (the
    rest as training)."""
    if test is None and not holdout:
        raise SystemExit(
            "error: no M4 test file found beside the training file (e.g. Yearly-test.csv "
            "next to Yearly-train.csv): add it, or pass --holdout to score the last "
            "horizon of each training series instead")
    if limit:
        keys = list(train)[:limit]
        train = {k: train[k] for k in keys}
        test = None if test is None else {k: test[k] for k in keys}
    if holdout:  # the training series' last horizon plays the test set
        test = {k: y.iloc[-h:] for k, y in train.items()}
        train = {k: y.iloc[:-h] for k, y in train.items()}
    return train, {k: y.iloc[:h] for k, y in test.items()}


def score(train: dict, test: dict, fc: dict, m: int) -> tuple[float, float]:
    """M4 sMAPE (%) and MASE, averaged over series."""
    sm, ma = [], []
    for k, y in test.items():
        t, f = y.to_numpy(float), np.asarray(fc[k], float)
        sm.append(smape(t, f))
        tr = train[k].to_numpy(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                scale = mase_scale(tr, season_length=m)
            except ValueError:  # constant series: MASE undefined, use lag-1 fallback of 1
                scale = 1.0
        ma.append(np.mean(np.abs(t - f)) / scale)
    return float(np.mean(sm)), float(np.mean(ma))


def neural_config(h: int, m: int, lookback: int = 7) -> dict:
    """Segment length and window of a frequency.

    Segments of one season (``m``), or of half a horizon where there is no season
    (``m = 1``: Yearly, Weekly, Daily), as Hourly's 24 = 48 / 2 and Quarterly's
    4 = 8 / 2; about ``lookback`` horizons of history, a whole number of segments.
    With 7 horizons every M4 frequency runs 11-14 recurrent steps, so a training
    window costs about what it costs on Hourly.
    """
    seg = m if m > 1 else math.ceil(h / 2)
    window = math.ceil(lookback * h / seg) * seg
    return {"segment_length": seg, "window": window}


def cpu_seconds() -> float:
    """CPU seconds of this process (all threads) divided by the number of cores.

    On an idle machine this advances like the wall clock while training uses every
    core; on a machine shared with other jobs it counts only the compute this run
    got, i.e. the training time the same run would take on an idle machine.
    """
    return time.process_time() / (os.cpu_count() or 1)


CLOCKS = {"wall": time.perf_counter, "cpu": cpu_seconds}


class TimeBudget:
    """Keras callback factory: stop training after ``seconds`` of ``clock`` (per epoch)."""

    def __new__(cls, seconds: float, clock: str = "wall"):
        from forecast._tf import keras

        k = keras()
        now = CLOCKS[clock]

        class _Budget(k.callbacks.Callback):
            def on_train_begin(self, logs=None):
                self.t0 = now()

            def on_epoch_end(self, epoch, logs=None):
                if now() - self.t0 > seconds:
                    self.model.stop_training = True

        return _Budget()


class BudgetCosine:
    """Keras callback factory: cosine learning-rate decay over the time budget.

    At the start of every epoch the rate is set to
    ``floor + (lr - floor) * (1 + cos(pi * min(f, 1))) / 2`` with ``f`` the fraction of
    ``seconds`` (on ``clock``) used so far and ``floor = lr / 20``: the schedule
    anneals by the end of the budget whatever the number of epochs that fits in it.
    """

    def __new__(cls, seconds: float, lr: float, clock: str = "wall"):
        from forecast._tf import keras

        k = keras()
        now = CLOCKS[clock]
        floor = lr / 20

        class _Cosine(k.callbacks.Callback):
            def on_train_begin(self, logs=None):
                self.t0 = now()

            def on_epoch_begin(self, epoch, logs=None):
                f = min((now() - self.t0) / seconds, 1.0)
                self.model.optimizer.learning_rate.assign(
                    floor + (lr - floor) * 0.5 * (1 + math.cos(math.pi * f)))

        return _Cosine()


def build_neural(train: dict, h: int, m: int, *, cell: str, seed: int, budget: float | None,
                 units: tuple, epochs: int, batch_size: int, learning_rate: float,
                 loss: str = "mae", lr_schedule: str = "none", clock: str = "wall",
                 decoder: str = "dense", dropout: float = 0.0,
                 ema: float | None = None, validation: bool = True,
                 lookback: int = 7) -> tuple:
    """The unfitted global ``NeuralForecaster`` of one member, and its window settings."""
    from forecast._tf import keras
    from forecast.estimators import GRURegressor, LSTMRegressor
    from forecast.forecasters import NeuralForecaster

    cfg = neural_config(h, m, lookback)
    w = cfg["window"]
    possible = sum(max(len(y) - w - 2 * h + 1, 1) for y in train.values())
    stride = max(1, math.ceil(possible / MAX_WINDOWS))
    est_cls = GRURegressor if cell == "gru" else LSTMRegressor
    callbacks = [] if budget is None else [TimeBudget(budget, clock)]
    if lr_schedule == "plateau":  # halve the learning rate after 2 epochs without progress
        callbacks.append(keras().callbacks.ReduceLROnPlateau(
            monitor="val_loss", factor=0.5, patience=2, min_lr=learning_rate / 32))
    elif lr_schedule == "cosine" and budget is not None:
        callbacks.append(BudgetCosine(budget, learning_rate, clock))
    # without a budget: the regressor's half cosine over the steps of its epochs
    schedule = "cosine" if lr_schedule == "cosine" and budget is None else "constant"
    est = est_cls(units=units, segment_length=cfg["segment_length"], loss=loss,
                  decoder=decoder, dropout=dropout, ema_momentum=ema,
                  learning_rate_schedule=schedule,
                  epochs=epochs, batch_size=batch_size, learning_rate=learning_rate,
                  early_stopping=True, patience=6, callbacks=callbacks)
    f = NeuralForecaster(est, window=w, horizon=h, scaler="log", season_length=m,
                         weighting="mase", validation=validation, stride=stride, pad=True,
                         random_state=seed)
    return f, {"window": w, "segment_length": cfg["segment_length"], "stride": stride}


def run_neural(train: dict, h: int, m: int, **kwargs) -> tuple:
    """Fit :func:`build_neural`'s forecaster on ``train``; its forecasts, seconds, info."""
    f, info = build_neural(train, h, m, **kwargs)
    t0, c0 = time.perf_counter(), cpu_seconds()
    f.fit(train)
    fc = f.predict()
    secs = time.perf_counter() - t0
    cpu = cpu_seconds() - c0
    info.update({"train_windows": f.n_train_windows_,
                 "epochs_run": len(f.history_.get("loss", [])),
                 "best_epoch": f.estimator_.best_epoch_, "cpu_seconds_per_core": round(cpu, 1),
                 "best_val_loss": float(min(f.history_.get("val_loss", [np.nan])))})
    return {k: v.to_numpy() for k, v in fc.items()}, secs, info


def fit_members(train: dict, h: int, m: int, members: list[dict],
                jobs: int = 1) -> Iterator[tuple]:
    """``run_neural`` for each member's keyword arguments, its results yielded in the
    members' order; with ``jobs`` > 1 (or 0: one per core) the members train in that
    many spawned processes sharing the cores (``cores // jobs`` TensorFlow threads
    each; the forecasts do not depend on the thread count)."""
    jobs = resolve_jobs(jobs, len(members))
    if jobs == 1:
        for kw in members:
            yield run_neural(train, h, m, **kw)
        return
    with network_pool(jobs) as pool:
        futures = [pool.submit(run_neural, train, h, m, **kw) for kw in members]
        for fut in futures:
            yield fut.result()


def _baseline(name: str, m: int):
    """An unfitted baseline of the run (``naive2``, ``snaive``, ``theta``, ``ets``,
    ``arima``) with season ``m``."""
    from forecast.forecasters import ARIMA, ETS, Naive2, SeasonalNaive, Theta

    classes = {"naive2": Naive2, "snaive": SeasonalNaive, "theta": Theta, "ets": ETS,
               "arima": ARIMA}
    return classes[name](season_length=m)


def _baseline_chunk(name: str, h: int, m: int, chunk: list) -> list:
    """Forecasts of one baseline for a list of ``(key, series)`` (a failing fit falls
    back to Naive2)."""
    from forecast.forecasters import Naive2

    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k, y in chunk:
            try:
                out.append((k, _baseline(name, m).fit(y).predict(h).to_numpy()))
            except Exception:  # noqa: BLE001 - a failing fit falls back to Naive2
                out.append((k, Naive2(season_length=m).fit(y).predict(h).to_numpy()))
    return out


def run_baseline(name: str, train: dict, h: int, m: int, n_jobs: int = 1) -> tuple[dict, float]:
    """Forecasts of one baseline for every series, over ``n_jobs`` processes (joblib)."""
    from joblib import Parallel, delayed, effective_n_jobs

    items = list(train.items())
    jobs = effective_n_jobs(n_jobs)
    t0 = time.perf_counter()
    if jobs == 1:
        parts = [_baseline_chunk(name, h, m, items)]
    else:  # a few chunks per process: even load, little pickling
        chunks = [items[i::4 * jobs] for i in range(4 * jobs)]
        parts = Parallel(n_jobs=jobs)(delayed(_baseline_chunk)(name, h, m, c) for c in chunks)
    out = dict(kv for part in parts for kv in part)
    return {k: out[k] for k in train}, time.perf_counter() - t0


def render(payload: dict, label: str = "") -> str:
    """The BENCHMARKS.md section for every model of a results file (``label`` is
    appended to the heading)."""
    results = payload["models"]
    cmds = ", ".join(f"`{c}`" for c in dict.fromkeys(
        r.get("command", payload["command"]) for r in results.values()))
    rows = ["| model | sMAPE | MASE | OWA | seconds | CPU s / core | epochs | date |",
            "|---|---|---|---|---|---|---|---|"]
    machines: dict[str, list[str]] = {}
    for name, r in results.items():
        cpu = r.get("cpu_seconds_per_core")
        rows.append(f"| {name} | {r['smape']:.3f} | {r['mase']:.3f} | {r['owa']:.3f} "
                    f"| {r['seconds']:.0f} | {'' if cpu is None else f'{cpu:.0f}'} "
                    f"| {r.get('epochs_run', '')} | {r.get('date', '')} |")
        machines.setdefault(r.get("machine", "unknown"), []).append(r.get("date", ""))
    where = "; ".join(f"{mach} ({', '.join(sorted(set(ds)))})" for mach, ds in machines.items())
    scored = ", scored on the training series' last horizon" if payload.get("holdout") else ""
    return (f"### M4 {payload['frequency']}{label} ({payload['n_series']} series{scored}, "
            f"h={payload['horizon']}, m={payload['season_length']})\n\n"
            + "\n".join(rows) + "\n\n"
            + f"Machines (dates): {where}; {payload['versions']}; "
            f"last run's wall time {payload['wall_seconds']:.0f} s (seconds = wall fit + "
            f"predict of each model, and for an ensemble the wall time of all its members: "
            f"side by side in `--jobs` workers since 2026-12-01 midday, one after the other "
            f"before; CPU s / core = the process's CPU time over the "
            f"machine's cores, i.e. the time on an idle machine; neural training runs "
            f"the epochs of the settings, unless `--budget` caps its seconds of wall time "
            f"or, with `--budget-clock cpu`, of CPU time per core). Commands: {cmds}. "
            f"Settings of the last run: {payload['settings']}.\n")


def model_suffix(a: argparse.Namespace, p: argparse.ArgumentParser) -> str:
    """Model-name suffix naming every network setting that differs from the defaults."""
    tags = {"loss": lambda v: v.replace("_", ""), "lr_schedule": str,
            "epochs": lambda v: f"ep{v}", "budget": lambda v: f"budget{v:g}",
            "budget_clock": str,
            "learning_rate": lambda v: f"lr{v:g}", "batch_size": lambda v: f"bs{v}",
            "units": lambda v: f"u{v.replace(',', 'x')}", "decoder": str,
            "dropout": lambda v: f"do{v:g}", "ema": lambda v: f"ema{v:g}",
            "validation": lambda v: "val" if v else "noval",
            "lookbacks": lambda v: f"lb{v.replace(',', 'x')}"}
    return "".join(f"-{tag(getattr(a, k))}" for k, tag in tags.items()
                   if getattr(a, k) != p.get_default(k))


def build_parser() -> argparse.ArgumentParser:
    """The command line; its defaults are the configuration of the published table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--frequency", default="Hourly", choices=list(M4_INFO))
    p.add_argument("--data-dir", default="../shared/data/m4", type=Path)
    p.add_argument("--out", default=None, type=Path)
    p.add_argument("--markdown", default=None, type=Path, help="update this BENCHMARKS.md")
    p.add_argument("--cells", default="gru", help="comma list of gru,lstm")
    p.add_argument("--ensemble", type=int, default=2, help="seeds per cell (mean forecast)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--units", default="128,128")
    p.add_argument("--lookbacks", default="7",
                   help="comma list of input lengths in horizons; ensemble member i uses "
                        "the (i mod count)-th")
    p.add_argument("--epochs", type=int, default=9,
                   help="training epochs per model (with --no-validation: all of them)")
    p.add_argument("--batch-size", type=int, default=512)
    p.add_argument("--learning-rate", type=float, default=4e-3)
    p.add_argument("--budget", type=float, default=None,
                   help="cap on the training seconds per model (after the epoch that passes "
                        "it), counted on --budget-clock; none by default")
    p.add_argument("--budget-clock", default="cpu", choices=list(CLOCKS),
                   help="what --budget counts: wall seconds, or cpu = this process's CPU "
                        "seconds / cores (the same compute however busy the machine is)")
    p.add_argument("--loss", default="owa_log",
                   help="network loss on the log-ratio targets: mae (weighted: ~MASE only) or "
                        "owa_log (sMAPE + MASE-weighted error of the exponentiated outputs); "
                        "a non-default value is appended to the model name")
    p.add_argument("--lr-schedule", default="cosine", choices=["none", "plateau", "cosine"],
                   help="plateau: ReduceLROnPlateau(val_loss, factor 0.5, patience 2); "
                        "cosine (default): without --budget, the regressor's half cosine from "
                        "the rate to 0 over the steps of --epochs; with --budget, to lr/20 over "
                        "the budget (set per epoch)")
    p.add_argument("--decoder", default="dense", choices=["dense", "segments"],
                   help="segments: SegRNN parallel segment decoding (needs seasonal segments)")
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--ema", type=float, default=None,
                   help="ema_momentum of the regressor (moving average of the weights)")
    p.add_argument("--validation", action=argparse.BooleanOptionalAction, default=False,
                   help="--validation holds out the windows whose targets are the last "
                        "`horizon` points of each series for early stopping; by default "
                        "(--no-validation) every window trains and the budget/epochs end "
                        "training")
    p.add_argument("--n-jobs", type=int, default=-1,
                   help="processes for the baselines (joblib; -1: every core)")
    p.add_argument("--jobs", type=int, default=0,
                   help="processes training the ensemble's networks side by side (cores / "
                        "jobs TensorFlow threads each; 0, the default: one per core, at most "
                        "one per member; 1: one after the other in this process); the "
                        "forecasts are the same whatever the value, up to float32 rounding")
    p.add_argument("--skip-slow-baselines", action="store_true", help="skip ETS and ARIMA")
    p.add_argument("--no-baselines", action="store_true")
    p.add_argument("--limit", type=int, default=None, help="first N series only (smoke runs)")
    p.add_argument("--holdout", action="store_true",
                   help="score on the last horizon of each training series (trained on the "
                        "rest) instead of the test set: compare settings here, not on test")
    p.add_argument("--merge", action="store_true",
                   help="keep the models already in --out (e.g. add an ensemble run)")
    p.add_argument("--section", default=None,
                   help="the BENCHMARKS.md section (between <!-- SECTION:start/end -->); "
                        "default 'm4' for Hourly, 'm4-<frequency>' otherwise")
    p.add_argument("--render-only", action="store_true",
                   help="only rewrite --markdown from the results in --out")
    return p


def main(argv: list[str] | None = None) -> int:
    p = build_parser()
    a = p.parse_args(argv)
    if a.section is None:  # never overwrite the Hourly table with another frequency's
        a.section = frequency_section("m4", a.frequency)
    label = "" if a.section == "m4" else f": {a.section}"
    if a.render_only:
        if not (a.out and a.markdown):
            p.error("--render-only needs --out (the results) and --markdown")
        update_markdown(a.markdown, a.section, render(json.loads(a.out.read_text()), label))
        return 0

    if a.jobs < 0:
        p.error(f"--jobs must be >= 0. Received: --jobs {a.jobs}")
    h, m = M4_INFO[a.frequency]
    train, test = select(*load(a.data_dir, a.frequency), h, limit=a.limit,
                         holdout=a.holdout)
    started = time.perf_counter()
    mine: dict[str, dict] = {}  # the models of this run
    forecasts: dict[str, dict] = {}

    units = tuple(int(u) for u in a.units.split(","))
    lookbacks = [int(k) for k in a.lookbacks.split(",")]
    command = "python " + " ".join([sys.argv[0], *(argv or sys.argv[1:])])

    def merged() -> dict[str, dict]:
        """Models of this run over those already in ``--out`` (re-read at every write, so
        concurrent ``--merge`` runs keep each other's rows)."""
        out: dict[str, dict] = {}
        if a.merge and a.out and a.out.exists():
            old = json.loads(a.out.read_text())
            if (old.get("frequency"), old.get("n_series"), old.get("holdout", False)) == (
                    a.frequency, len(train), a.holdout):
                out = {k: v for k, v in old["models"].items() if k not in mine}
        return {**out, **mine}

    def write() -> None:
        """Write JSON and markdown with the models finished so far (after each one)."""
        results = merged()
        ref = results["naive2"]
        for r in results.values():
            r["owa"] = owa(r["smape"], r["mase"], smape_naive2=ref["smape"],
                           mase_naive2=ref["mase"])
        payload = {
            "benchmark": "m4", "frequency": a.frequency, "horizon": h, "season_length": m,
            "n_series": len(train), "holdout": a.holdout,
            "date": date.today().isoformat(), "machine": machine(),
            "versions": library_versions(),
            "wall_seconds": round(time.perf_counter() - started, 1), "command": command,
            "settings": {"units": list(units), "epochs": a.epochs, "batch_size": a.batch_size,
                         "learning_rate": a.learning_rate, "budget_s": a.budget,
                         "budget_clock": a.budget_clock,
                         "loss": a.loss, "lr_schedule": a.lr_schedule,
                         "ensemble": a.ensemble, "seed": a.seed, "decoder": a.decoder,
                         "dropout": a.dropout, "ema": a.ema,
                         "validation": a.validation, "lookbacks": lookbacks,
                         **neural_config(h, m, lookbacks[0]),
                         "windows": [neural_config(h, m, k)["window"] for k in lookbacks]},
            "models": results,
        }
        if a.out:
            a.out.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(a.out, json.dumps(payload, indent=2))
        if a.markdown:
            update_markdown(a.markdown, a.section, render(payload, label))

    def record(name, fc, secs, **extra):
        s, q = score(train, test, fc, m)
        mine.pop(name, None)
        mine[name] = {"smape": s, "mase": q, "seconds": round(secs, 1), **extra,
                      "command": command, "date": date.today().isoformat(),
                      "machine": machine()}
        forecasts[name] = fc
        print(f"{name:18s} sMAPE {s:7.3f}  MASE {q:6.3f}  {secs:7.1f}s", flush=True)
        write()

    # fast baselines, then the networks, then the slow baselines (results are written
    # after every model, so a long ETS/ARIMA run never costs the neural results)
    for name in ["naive2"] + ([] if a.no_baselines else ["snaive", "theta"]):
        fc, secs = run_baseline(name, train, h, m, a.n_jobs)
        record(name, fc, secs)
    suffix = model_suffix(a, p)
    for cell in a.cells.split(","):
        members = [dict(cell=cell, seed=a.seed + i, budget=a.budget, units=units,
                        epochs=a.epochs, batch_size=a.batch_size,
                        learning_rate=a.learning_rate, loss=a.loss,
                        lr_schedule=a.lr_schedule, clock=a.budget_clock, decoder=a.decoder,
                        dropout=a.dropout, ema=a.ema, validation=a.validation,
                        lookback=lookbacks[i % len(lookbacks)]) for i in range(a.ensemble)]
        t_cell = time.perf_counter()
        runs = []
        for kw, (fc, secs, info) in zip(members, fit_members(train, h, m, members, a.jobs),
                                        strict=True):
            runs.append((fc, secs, info["cpu_seconds_per_core"], info["epochs_run"]))
            record(f"{cell}-global{suffix}" + (f"-seed{kw['seed']}" if a.ensemble > 1 else ""),
                   fc, secs, **info)
        cell_wall = time.perf_counter() - t_cell
        if a.ensemble > 1:
            total = {"cpu_seconds_per_core": round(sum(r[2] for r in runs), 1),
                     "epochs_run": sum(r[3] for r in runs)}
            mean = {k: np.mean([r[0][k] for r in runs], axis=0) for k in train}
            record(f"{cell}-global{suffix}-ens{a.ensemble}", mean, cell_wall, **total)
            if a.ensemble > 2:  # the median combination, robust to one poor member
                med = {k: np.median([r[0][k] for r in runs], axis=0) for k in train}
                record(f"{cell}-global{suffix}-ens{a.ensemble}-median", med, cell_wall,
                       **total)
    if not (a.skip_slow_baselines or a.no_baselines):
        for name in ["arima", "ets"]:
            fc, secs = run_baseline(name, train, h, m, a.n_jobs)
            record(name, fc, secs)
    for name, r in merged().items():
        if "owa" in r:
            print(f"{name:18s} OWA {r['owa']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
