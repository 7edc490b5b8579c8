"""M4 benchmark of the statistical baselines (official protocol), one frequency per run.

Usage (from the repository root)::

    python pipelines/benchmarks/m4_baselines.py --frequency Hourly \
        --data-dir ../shared/data/m4 --out pipelines/benchmarks/results/m4_baselines.json \
        --markdown BENCHMARKS.md --n-jobs 2

Each baseline is fit on every training series (integer index) and forecasts the
frequency's M4 horizon; sMAPE and MASE (in-sample seasonal-naive scale) are means
over series, OWA is relative to our Naive2 run. ``seconds`` is the wall time of
fitting and forecasting all series (joblib over series with ``--n-jobs``).

Writes JSON ``{"models": {name: {"smape", "mase", "owa", "seconds"}}, ...}`` and,
with ``--markdown``, a table between ``<!-- m4-baselines:start -->`` and
``<!-- m4-baselines:end -->`` (``m4-baselines-yearly`` etc. for the other frequencies)
next to the published M4 numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

from joblib import Parallel, delayed

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nf_common import cpu_model, frequency_section, run_info, update_markdown  # noqa: E402

from forecast._io import atomic_write_text  # noqa: E402
from forecast.forecasters import (
    ARIMA,
    ETS,
    SES,
    DampedHolt,
    Drift,
    Holt,
    Mean,
    Naive,
    Naive2,
    SeasonalNaive,
    Theta,
)
from forecast.metrics import owa, panel_mean

#: M4 horizon and seasonal period per frequency (as in the M4 benchmark code)
SETTINGS = {
    "Yearly": (6, 1),
    "Quarterly": (8, 4),
    "Monthly": (18, 12),
    "Weekly": (13, 1),
    "Daily": (14, 1),
    "Hourly": (48, 24),
}

#: official M4 results (Evaluation and Ranks.xlsx), sMAPE / MASE / OWA
PUBLISHED = {
    "Hourly": {
        "Naive": (43.003, 11.608, 3.593),
        "SeasonalNaive": (13.912, 1.193, 0.627),
        "Naive2": (18.383, 2.395, 1.000),
        "SES": (18.094, 2.385, 0.990),
        "Holt": (29.249, 9.356, 2.749),
        "DampedHolt": (19.265, 2.956, 1.141),
        "Theta": (18.138, 2.455, 1.006),
    }
}

MODELS = {
    "Naive": lambda m: Naive(),  # M4 Naive1: no seasonal adjustment
    "SeasonalNaive": lambda m: SeasonalNaive(season_length=m),
    "Naive2": lambda m: Naive2(season_length=m),
    "SES": lambda m: SES(season_length=m),
    "Holt": lambda m: Holt(season_length=m),
    "DampedHolt": lambda m: DampedHolt(season_length=m),
    "Theta": lambda m: Theta(season_length=m),
    "Drift": lambda m: Drift(season_length=m),
    "Mean": lambda m: Mean(season_length=m),
    "ETS": lambda m: ETS(season_length=m, random_state=0),
    "ARIMA": lambda m: ARIMA(season_length=m),
}


def load(frequency: str, data_dir: Path) -> tuple[dict, dict]:
    """Training and test values of one frequency (``forecast.datasets.load_m4``)."""
    from forecast.datasets import load_m4

    data = load_m4(frequency, data_dir)
    if data.test is None:
        raise SystemExit(
            f"error: no {frequency}-test.csv beside the training file in {str(data_dir)!r}: "
            "the baselines are scored on the M4 test set")
    return (
        {k: v.to_numpy(dtype=float) for k, v in data.train.items()},
        {k: v.to_numpy(dtype=float) for k, v in data.test.items()},
    )


def _forecast_chunk(name: str, m: int, h: int, chunk: list) -> list:
    return [(k, MODELS[name](m).fit(y).predict(h).to_numpy()) for k, y in chunk]


def run_model(name: str, train: dict, h: int, m: int, n_jobs: int) -> tuple[dict, float]:
    items = list(train.items())
    n_chunks = max(1, n_jobs) * 4
    chunks = [items[i::n_chunks] for i in range(n_chunks)]
    start = time.perf_counter()
    parts = Parallel(n_jobs=n_jobs)(delayed(_forecast_chunk)(name, m, h, c) for c in chunks)
    seconds = time.perf_counter() - start
    return {k: f for part in parts for k, f in part}, seconds


def machine() -> str:
    return (f"{cpu_model()}, {os.cpu_count()} logical cores (shared), "
            f"Python {platform.python_version()}")


def markdown(result: dict) -> str:
    freq = result["frequency"]
    published = PUBLISHED.get(freq, {})
    lines = [
        f"### M4 {freq} statistical baselines ({result['n_series']} series, h = "
        f"{result['horizon']}, m = {result['season_length']})",
        "",
        f"Measured {result['date']} on {result['machine']}, n_jobs = {result['n_jobs']}. "
        f"Command: `{result['command']}`. OWA relative to our Naive2; "
        "published = official M4 table.",
        "",
        "| model | sMAPE | MASE | OWA | seconds | published sMAPE / MASE / OWA |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in result["models"].items():
        pub = published.get(name)
        pub_txt = " / ".join(f"{v:.3f}" for v in pub) if pub else "-"
        lines.append(
            f"| {name} | {s['smape']:.3f} | {s['mase']:.3f} | {s['owa']:.3f} | "
            f"{s['seconds']:.1f} | {pub_txt} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--frequency", default="Hourly", choices=sorted(SETTINGS))
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data/m4"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="first N series only (smoke)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        parser.error(f"unknown models {unknown}; choose from {list(MODELS)}")
    if "Naive2" not in names:
        names.insert(0, "Naive2")  # OWA needs it
    h, m = SETTINGS[args.frequency]
    train, test = load(args.frequency, args.data_dir)
    if args.limit:
        keep = list(train)[: args.limit]
        train, test = {k: train[k] for k in keep}, {k: test[k] for k in keep}
    # warm the worker pool so that process start-up is not charged to the first model
    first = list(train.items())[:1]
    Parallel(n_jobs=args.n_jobs)(
        delayed(_forecast_chunk)(name, m, h, first) for name in MODELS for _ in range(2)
    )
    scores = {}
    for name in names:
        pred, seconds = run_model(name, train, h, m, args.n_jobs)
        smape = panel_mean("smape", test, pred)
        mase = panel_mean("mase", test, pred, y_train=train, season_length=m)
        scores[name] = {"smape": smape, "mase": mase, "seconds": round(seconds, 2)}
        print(f"{name:14s} sMAPE {smape:7.3f}  MASE {mase:6.3f}  {seconds:7.1f} s", flush=True)
    ref = scores["Naive2"]
    for s in scores.values():
        s["owa"] = owa(s["smape"], s["mase"], smape_naive2=ref["smape"], mase_naive2=ref["mase"])
    result = {
        "frequency": args.frequency,
        "n_series": len(train),
        "horizon": h,
        "season_length": m,
        "n_jobs": args.n_jobs,
        "command": run_info("m4_baselines.py", argv)["command"],
        "date": date.today().isoformat(),
        "machine": machine(),
        "models": scores,
        "published": {k: dict(zip(("smape", "mase", "owa"), v, strict=True))
                      for k, v in PUBLISHED.get(args.frequency, {}).items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(args.out, json.dumps(result, indent=2) + "\n")
    if args.markdown is not None:
        update_markdown(args.markdown, frequency_section("m4-baselines", args.frequency),
                        markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
