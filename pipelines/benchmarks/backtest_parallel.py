"""Wall time of ``forecast.model_selection.backtest`` over the 414 M4 Hourly series.

Runs the same backtest sequentially (n_jobs=1), with loky processes (n_jobs=2) and
on a ``dask.distributed.LocalCluster`` (2 single-threaded worker processes), checks
that the three give identical forecasts, scores the last fold against the
published M4 Hourly table (the last fold IS the official M4 test window), and
writes a JSON file plus the backtest section of ``BENCHMARKS.md``.

Usage (from the repository root)::

    python pipelines/benchmarks/backtest_parallel.py --data-dir ../shared/data/m4
    python pipelines/benchmarks/backtest_parallel.py --data-dir ../shared/data/m4 \
        --models Naive,SeasonalNaive,Naive2,SES,Theta --max-series 40 --no-markdown \
        --out /tmp/backtest_parallel_quick.json

(the default ``--out`` is the committed results file that BENCHMARKS.md cites: give a
quick run its own).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from forecast import forecasters as fc  # noqa: E402
from forecast._io import atomic_write_text  # noqa: E402
from forecast.datasets import load_m4  # noqa: E402
from forecast.model_selection import ExpandingWindowSplitter, backtest  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nf_common import cpu_model, update_markdown  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
KEY = "backtest"
M = 24  # M4 Hourly season length

#: M4 Hourly published sMAPE / MASE / OWA (shared/data/README.md)
PUBLISHED = {
    "Naive": (43.003, 11.608, 3.593),  # Naive1
    "SeasonalNaive": (13.912, 1.193, 0.627),
    "Naive2": (18.383, 2.395, 1.000),
    "SES": (18.094, 2.385, 0.990),
    "Holt": (29.249, 9.356, 2.749),
    "DampedHolt": (19.265, 2.956, 1.141),
    "Theta": (18.138, 2.455, 1.006),
}

FACTORIES = {
    "Naive": lambda: fc.Naive(),  # season_length=1: the M4 "Naive1"
    "SeasonalNaive": lambda: fc.SeasonalNaive(season_length=M),
    "Naive2": lambda: fc.Naive2(season_length=M),
    "SES": lambda: fc.SES(season_length=M),
    "Holt": lambda: fc.Holt(season_length=M),
    "DampedHolt": lambda: fc.DampedHolt(season_length=M),
    "Theta": lambda: fc.Theta(season_length=M),
    "Drift": lambda: fc.Drift(season_length=M),
    "Mean": lambda: fc.Mean(season_length=M),
    "ETS": lambda: fc.ETS(season_length=M),
    "ARIMA": lambda: fc.ARIMA(season_length=M),
}
CHEAP = "Naive,SeasonalNaive,Naive2,SES,Theta,Drift"


def _machine() -> dict:
    return {
        "cpu": cpu_model(), "cores": os.cpu_count(), "python": sys.version.split()[0],
        "platform": platform.platform(), "load_avg_1m_before": os.getloadavg()[0],
    }


def _panel(data_dir: str, max_series: int | None) -> dict[str, pd.Series]:
    ds = load_m4("Hourly", data_dir)
    keys = list(ds.train)[:max_series] if max_series else list(ds.train)
    return {k: pd.concat([ds.train[k], ds.test[k]]) for k in keys}


#: the dask mode's name in ``--modes`` and in the results
DASK_MODE = "dask LocalCluster(2x1)"


def _run(mode: str, models: dict, panel: dict, cv, verbose: int) -> tuple[float, float, object]:
    """Start-up (pool/cluster + a 4-series warm-up backtest) and the timed full backtest."""
    warm = dict(list(panel.items())[:4])
    kwargs = {"cv": cv, "season_length": M, "verbose": verbose}
    if mode.startswith("n_jobs="):
        kwargs["n_jobs"] = int(mode.split("=", 1)[1])
        s0 = time.perf_counter()
        backtest(models, warm, **kwargs)  # imports, loky worker spawn (reused afterwards)
        startup = time.perf_counter() - s0
        t0 = time.perf_counter()
        res = backtest(models, panel, **kwargs)
        return time.perf_counter() - t0, startup, res
    if mode == DASK_MODE:
        from distributed import Client, LocalCluster

        s0 = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            backtest(models, warm, backend="dask", **kwargs)
            startup = time.perf_counter() - s0
            t0 = time.perf_counter()
            res = backtest(models, panel, backend="dask", **kwargs)
            wall = time.perf_counter() - t0
        return wall, startup, res
    raise ValueError(f"unknown mode {mode!r}")


def _markdown(report: dict) -> str:
    mc = report["machine"]
    lines = [
        f"## Backtest: parallel wall time (M4 Hourly, {report['n_series']} series)",
        "",
        f"`{report['command']}`",
        "",
        f"Models: {', '.join(report['models'])} (season_length 24"
        + ("; Holt, DampedHolt, ETS and ARIMA left out of the timing run: 0.2-4 s per fit "
           "each, > 10 min per fold single-threaded on this machine; they complete in the "
           "all-baselines run below). " if "ETS" not in report["models"] else "). ")
        +
        f"Folds: {report['n_splits']} x horizon 48 (the last fold is the official M4 test "
        f"window); {report['n_series']} series, {report['n_tasks']} tasks "
        "(one per model x series, all folds inside).",
        "",
        f"Machine: {mc['cpu']}, {mc['cores']} cores shared with other jobs "
        f"(1-min load average {mc['load_avg_1m_before']:.1f} before the run), Python "
        f"{mc['python']}. Timings on a shared machine are noisy (+-30% or worse), and "
        "with other jobs competing, more worker processes also win a larger share of the "
        "CPU, so a speed-up can exceed the core count.",
        "",
        "| mode | wall s | speed-up vs n_jobs=1 | start-up + warm-up s (not in wall) "
        "| identical forecasts |",
        "|---|---|---|---|---|",
    ]
    base = report["runs"][0]["wall_s"]
    for r in report["runs"]:
        lines.append(
            f"| {r['mode']} | {r['wall_s']:.1f} | {base / r['wall_s']:.2f}x | "
            f"{r['startup_s']:.1f} | {'yes' if r['identical'] else 'NO'} |"
        )
    lines += [
        "",
        "Accuracy of the last fold (= M4 test) vs the published M4 Hourly table:",
        "",
        "| model | sMAPE | published | MASE | published | OWA | published |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in report["leaderboard_last_fold"].items():
        pub = PUBLISHED.get(name)
        p = [f"{v:.3f}" for v in pub] if pub else ["-", "-", "-"]
        lines.append(
            f"| {name} | {row['smape']:.3f} | {p[0]} | {row['mase']:.3f} | {p[1]} | "
            f"{row['owa']:.3f} | {p[2]} |"
        )
    others = sorted(p for p in (ROOT / "pipelines/benchmarks/results").glob(
        "backtest_parallel_*.json"))
    if others:
        lines += ["", "Other runs of the same script (all baselines, M4 test fold only):",
                  "",
                  "| command | series | models | mode | wall s | failed tasks |",
                  "|---|---|---|---|---|---|"]
        for path in others:
            r = json.loads(path.read_text(encoding="utf-8"))
            for run in r["runs"]:
                lines.append(
                    f"| `{r['command']}` | {r['n_series']} | {', '.join(r['models'])} | "
                    f"{run['mode']} | {run['wall_s']:.1f} | {run['n_failed']} |"
                )
    lines += ["", f"Raw numbers: `{report['json']}`."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data" / "m4"))
    ap.add_argument("--models", default=CHEAP, help=f"comma list of {list(FACTORIES)}")
    ap.add_argument("--n-splits", type=int, default=1)
    ap.add_argument("--max-series", type=int, default=None)
    ap.add_argument("--modes", default="n_jobs=1,n_jobs=2,dask LocalCluster(2x1)")
    ap.add_argument("--out",
                    default=str(ROOT / "pipelines/benchmarks/results/backtest_parallel.json"))
    ap.add_argument("--no-markdown", action="store_true")
    ap.add_argument("--verbose", type=int, default=0)
    ap.add_argument("--markdown-only", action="store_true",
                    help="rebuild the BENCHMARKS.md section from the JSON at --out; run nothing")
    args = ap.parse_args(argv)
    if args.markdown_only:
        report = json.loads(Path(args.out).read_text(encoding="utf-8"))
        update_markdown(ROOT / "BENCHMARKS.md", KEY, _markdown(report))
        return 0
    warnings.simplefilter("ignore")  # statsmodels convergence chatter

    if args.n_splits < 1:
        ap.error(f"--n-splits must be >= 1. Received: {args.n_splits}")
    if args.max_series is not None and args.max_series < 1:
        ap.error(f"--max-series must be >= 1 (leave it out for every series). "
                 f"Received: {args.max_series}")
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    bad_modes = [m for m in modes if m != DASK_MODE and not re.fullmatch(r"n_jobs=-?\d+", m)]
    if bad_modes:
        ap.error(f"unknown --modes {bad_modes}; use 'n_jobs=N' or {DASK_MODE!r}")
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    unknown = [n for n in names if n not in FACTORIES]
    if unknown:
        ap.error(f"unknown models {unknown}; choose from {list(FACTORIES)}")
    models = {n: FACTORIES[n]() for n in names}
    panel = _panel(args.data_dir, args.max_series)
    cv = ExpandingWindowSplitter(horizon=48, n_splits=args.n_splits)
    machine = _machine()
    runs, ref = [], None
    for mode in modes:
        wall, startup, res = _run(mode, models, panel, cv, args.verbose)
        pred = res.predictions.drop(columns=["fit_seconds", "predict_seconds"])
        identical = True if ref is None else bool(pred.equals(ref.predictions.drop(
            columns=["fit_seconds", "predict_seconds"])))
        ref = ref or res
        fit_cpu = float(res.predictions.groupby(["model", "series", "fold"])["fit_seconds"]
                        .first().sum())
        runs.append({"mode": mode, "wall_s": round(wall, 2), "startup_s": round(startup, 2),
                     "identical": identical, "sum_fit_seconds": round(fit_cpu, 2),
                     "n_failed": len(res.failures)})
        print(f"{mode}: {wall:.1f} s (start-up {startup:.1f} s), identical={identical}",
              flush=True)
    last = ref.scores[ref.scores["fold"] == ref.scores["fold"].max()]
    last_board = {}
    n2 = last[last["model"] == ref.reference][["smape", "mase"]].mean()
    for name, g in last.groupby("model", sort=False):
        s, m = float(g["smape"].mean()), float(g["mase"].mean())
        last_board[name] = {"smape": s, "mase": m,
                            "owa": 0.5 * (s / n2["smape"] + m / n2["mase"])}
    out = Path(args.out)
    rel = out.resolve().relative_to(ROOT) if out.resolve().is_relative_to(ROOT) else out
    report = {
        "benchmark": "backtest_parallel",
        "command": "python pipelines/benchmarks/backtest_parallel.py "
                   + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": {**machine, "load_avg_1m_after": os.getloadavg()[0]},
        "models": list(res.model_names),
        "n_series": len(panel),
        "n_splits": args.n_splits,
        "n_tasks": len(res.model_names) * len(panel),
        "runs": runs,
        "leaderboard_all_folds": json.loads(ref.leaderboard.to_json(orient="index")),
        "leaderboard_last_fold": last_board,
        "json": str(rel),
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, json.dumps(report, indent=2) + "\n")
    print(ref.leaderboard.round(3).to_string())
    if not args.no_markdown:
        update_markdown(ROOT / "BENCHMARKS.md", KEY, _markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
