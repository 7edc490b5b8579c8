"""M4 prediction intervals: coverage and MSIS of 95% intervals, one frequency per run.

Usage (from the repository root)::

    python pipelines/benchmarks/m4_intervals.py --frequency Hourly \
        --data-dir ../shared/data/m4 --out pipelines/benchmarks/results/m4_intervals.json \
        --markdown BENCHMARKS.md

M4's interval track scored 95% intervals over the test horizon with MSIS (the interval
score over the MASE scale; ``forecast.metrics.msis``) and the absolute coverage
difference ACD = |coverage - 0.95|. Models:

* the baselines' own intervals: normal for ``naive``, ``snaive``, ``naive2``, ``ses``
  and ``theta`` (SES with drift, the h-step formula of R's ``forecast::thetaf``);
  statsmodels' for ``ets`` (simulated for multiplicative models, with
  ``random_state=0``; ``--skip-slow`` leaves ETS out);
* ``conformal-*``: :class:`forecast.model_selection.ConformalIntervals` around a point
  forecaster, calibrated on the absolute errors of each series' last ``--windows``
  rolling origins of its training data (19, the least 95% allows), ``--step`` apart
  (default: one season, ``m``, so every origin has the forecast origin's phase); a
  series too short for that (``3 + h + (windows - 1) * step`` points: many Yearly,
  Quarterly and Monthly ones) gets its point model's own interval, and the JSON counts
  them (``fallback_series``);
* ``--neural``: the same around one network of ``m4.py`` (its defaults: GRU 2x128,
  seed 0), global over the panel with ``refit=False`` (trained at the first
  calibration origin, moved along the others with ``update``, then trained again on
  all the data for the forecast): two trainings.

``--holdout`` scores on the last horizon of each training series instead (trained on
the rest): compare settings there, not on the test set.

Per series: coverage of its ``h`` test points and MSIS (scale: the seasonal-naive MAE
of its training series, season ``m``); the table shows means over series.
Writes JSON ``{"models": {name: {"coverage", "acd", "msis", "seconds"}}, ...}``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nf_common import frequency_section, run_info, write_results  # noqa: E402
from m4 import build_neural, load, select  # noqa: E402
from m4 import build_parser as m4_parser  # noqa: E402

from forecast.datasets import M4_INFO  # noqa: E402
from forecast.metrics import coverage, msis  # noqa: E402

LEVEL = 0.95


def _native(name: str, m: int):
    from forecast.forecasters import ETS, SES, Naive, Naive2, SeasonalNaive, Theta

    return {"naive": lambda: Naive(), "snaive": lambda: SeasonalNaive(season_length=m),
            "naive2": lambda: Naive2(season_length=m), "ses": lambda: SES(season_length=m),
            "theta": lambda: Theta(season_length=m),
            "ets": lambda: ETS(season_length=m, random_state=0)}[name]()


def _conformal(name: str, h: int, m: int, windows: int, step: int):
    from forecast.forecasters import Naive2, SeasonalNaive, Theta
    from forecast.model_selection import ConformalIntervals

    point = {"conformal-naive2": Naive2, "conformal-snaive": SeasonalNaive,
             "conformal-theta": Theta}[name](season_length=m)
    return ConformalIntervals(point, horizon=h, n_windows=windows, step=step)


def calibration_length(h: int, windows: int, step: int) -> int:
    """Shortest series a conformal model calibrates on: ``windows`` origins ``step`` apart,
    each followed by ``h`` points, and 3 training points before the first (Theta's least)."""
    return 3 + h + (windows - 1) * step


def _bands(name: str, h: int, m: int, windows: int, step: int, chunk: list) -> list:
    """``(key, lower, upper, fell_back)`` for a list of ``(key, series)``: a series too
    short for the conformal calibration gets its point model's own interval."""
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k, y in chunk:
            conformal = name.startswith("conformal")
            fell_back = conformal and len(y) < calibration_length(h, windows, step)
            if fell_back:
                model = _native(name.removeprefix("conformal-"), m)
            else:
                model = _conformal(name, h, m, windows, step) if conformal else _native(name, m)
            band = model.fit(y).predict_interval(h, coverage=LEVEL)
            out.append((k, band["lower"].to_numpy(), band["upper"].to_numpy(), fell_back))
    return out


def run_model(name: str, train: dict, h: int, m: int, windows: int, step: int,
              n_jobs: int) -> tuple[dict, float, int]:
    """Intervals of one model for every series (joblib over chunks of series), the
    seconds and the number of series too short for conformal calibration."""
    from joblib import Parallel, delayed, effective_n_jobs

    items = list(train.items())
    jobs = effective_n_jobs(n_jobs)
    chunks = [items[i::jobs] for i in range(jobs)]
    t0 = time.perf_counter()
    parts = Parallel(n_jobs=jobs)(delayed(_bands)(name, h, m, windows, step, c)
                                  for c in chunks)
    bands = {k: (lo, up) for part in parts for k, lo, up, _ in part}
    fallbacks = sum(fell for part in parts for *_, fell in part)
    return bands, time.perf_counter() - t0, fallbacks


def run_neural(train: dict, h: int, m: int, windows: int, step: int) -> tuple[dict, float]:
    """95% conformal intervals of ``m4.py``'s default network (GRU 2x128, seed 0)."""
    from forecast.model_selection import ConformalIntervals

    d = m4_parser().parse_args([])
    units = tuple(int(u) for u in d.units.split(","))
    net, _ = build_neural(train, h, m, cell="gru", seed=d.seed, budget=d.budget, units=units,
                          epochs=d.epochs, batch_size=d.batch_size,
                          learning_rate=d.learning_rate, loss=d.loss,
                          lr_schedule=d.lr_schedule, clock=d.budget_clock, decoder=d.decoder,
                          dropout=d.dropout, ema=d.ema, validation=d.validation,
                          lookback=int(d.lookbacks.split(",")[0]))
    t0 = time.perf_counter()
    ci = ConformalIntervals(net, horizon=h, n_windows=windows, step=step, refit=False,
                            global_model=True).fit(train)
    bands = ci.predict_interval(coverage=LEVEL)
    out = {k: (b["lower"].to_numpy(), b["upper"].to_numpy()) for k, b in bands.items()}
    return out, time.perf_counter() - t0


def score(train: dict, test: dict, bands: dict, m: int) -> dict:
    """Mean over series of coverage and MSIS, and ACD = |mean coverage - 0.95|."""
    cov, scores = [], []
    for k, y in test.items():
        t = y.to_numpy(float)
        band = np.column_stack(bands[k])
        cov.append(coverage(t, band))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                scores.append(msis(t, band, y_train=train[k].to_numpy(), season_length=m,
                                   coverage=LEVEL))
            except ValueError:  # constant training series: MSIS undefined
                continue
    c = float(np.mean(cov))
    return {"coverage": c, "acd": abs(c - LEVEL), "msis": float(np.mean(scores))}


def render(result: dict) -> str:
    where = "training series' last horizon (--holdout)" if result["holdout"] else "test set"
    lines = [f"### M4 {result['frequency']}: 95% prediction intervals ({result['n_series']} "
             f"series, h = {result['horizon']}, m = {result['season_length']}, {where})", "",
             "| model | coverage | ACD | MSIS | seconds |", "|---|---:|---:|---:|---:|"]
    for name, r in sorted(result["models"].items(), key=lambda kv: kv[1]["msis"]):
        lines.append(f"| {name} | {r['coverage']:.3f} | {r['acd']:.3f} | {r['msis']:.3f} | "
                     f"{r['seconds']:.1f} |")
    short = {n: r["fallback_series"] for n, r in result["models"].items()
             if r.get("fallback_series")}
    lines += ["", f"Calibration windows of the conformal models: {result['windows']}, "
              f"{result['step']} step(s) apart"
              + (f"; series too short for them get their point model's own interval "
                 f"({', '.join(f'{n}: {c}' for n, c in short.items())})" if short else "")
              + ". "
              f"Machine: {result['machine']}; {result['versions']}. Date: {result['date']}. "
              f"Command: `{result['command']}`."]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--frequency", default="Hourly", choices=list(M4_INFO))
    p.add_argument("--data-dir", default="../shared/data/m4", type=Path)
    p.add_argument("--windows", type=int, default=19,
                   help="calibration origins of the conformal models (>= 19 for 95%%)")
    p.add_argument("--step", type=int, default=None,
                   help="steps between calibration origins (default: the season m, which "
                        "the training series' last horizon preferred to 1 on Hourly; 1 where "
                        "there is no season)")
    p.add_argument("--holdout", action="store_true",
                   help="score on the last horizon of each training series (trained on the "
                        "rest) instead of the test set: compare settings here")
    p.add_argument("--models", default=None,
                   help="comma list of models to run (default: all but the network)")
    p.add_argument("--skip-slow", action="store_true", help="leave ETS out")
    p.add_argument("--neural", action="store_true",
                   help="add conformal intervals of m4.py's default network (two trainings)")
    p.add_argument("--limit", type=int, default=None, help="first N series only (smoke runs)")
    p.add_argument("--n-jobs", type=int, default=-1, help="processes (joblib; -1: all cores)")
    p.add_argument("--out", default=None, type=Path)
    p.add_argument("--markdown", default=None, type=Path)
    return p


def main(argv: list[str] | None = None) -> int:
    p = build_parser()
    a = p.parse_args(argv)
    if a.windows < 19:
        p.error(f"--windows must be >= 19 for 95% intervals. Received: --windows {a.windows}")
    h, m = M4_INFO[a.frequency]
    if a.step is None:
        a.step = m
    if a.step < 1:
        p.error(f"--step must be >= 1. Received: --step {a.step}")
    train, test = select(*load(a.data_dir, a.frequency), h, limit=a.limit,
                         holdout=a.holdout)
    names = ["naive", "snaive", "naive2", "ses", "theta", *([] if a.skip_slow else ["ets"]),
             "conformal-naive2", "conformal-snaive", "conformal-theta"]
    if a.models:
        unknown = sorted(set(a.models.split(",")) - set(names))
        if unknown:
            p.error(f"--models: unknown {unknown}; choose among {names}")
        names = [n for n in names if n in a.models.split(",")]
    result = {"benchmark": "m4-intervals", "frequency": a.frequency, "horizon": h,
              "season_length": m, "n_series": len(train), "level": LEVEL,
              "windows": a.windows, "step": a.step, "holdout": a.holdout,
              **run_info("m4_intervals.py", argv), "models": {}}
    section = frequency_section("m4-intervals", a.frequency)
    for name in names:
        bands, secs, fallbacks = run_model(name, train, h, m, a.windows, a.step, a.n_jobs)
        result["models"][name] = {**score(train, test, bands, m), "seconds": round(secs, 1)}
        if name.startswith("conformal"):
            result["models"][name]["fallback_series"] = int(fallbacks)
        r = result["models"][name]
        print(f"{name:18s} coverage {r['coverage']:.3f}  MSIS {r['msis']:7.3f}  {secs:6.1f}s"
              + (f"  ({fallbacks} series too short: own interval)" if fallbacks else ""),
              flush=True)
        write_results(result, a.out, a.markdown, section, render)
    if a.neural:
        bands, secs = run_neural(train, h, m, a.windows, a.step)
        result["models"]["conformal-gru-global"] = {**score(train, test, bands, m),
                                                    "seconds": round(secs, 1)}
        r = result["models"]["conformal-gru-global"]
        print(f"conformal-gru-global coverage {r['coverage']:.3f}  MSIS {r['msis']:7.3f}  "
              f"{secs:6.1f}s", flush=True)
        write_results(result, a.out, a.markdown, section, render)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
