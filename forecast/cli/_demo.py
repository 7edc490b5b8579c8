"""``forecast demo``: LSTM and GRU against every baseline on the embedded samples."""

from __future__ import annotations

import argparse
import time

from ._console import CLIError, out, progress
from ._experiment import Experiment, run_experiments
from ._output import finish, make_out_dir
from ._registry import MODELS, NeuralSettings

__all__ = ["run_demo", "DEMO_DATASETS"]

#: embedded sample -> (column, last N observations, horizon, season length), full / quick
DEMO_DATASETS = {
    "co2": {"column": None, "last": 360, "horizon": 12, "season_length": 12},
    "msft": {"column": "Close", "last": 500, "horizon": 10, "season_length": 1},
}
_QUICK_LAST = {"co2": 96, "msft": 100}


def run_demo(args: argparse.Namespace) -> int:
    """Run the demo; returns the exit code."""
    from ._data import load_frame, select_target

    started = time.perf_counter()
    names = [n.strip().lower() for n in args.datasets.split(",") if n.strip()]
    unknown = [n for n in names if n not in DEMO_DATASETS]
    if unknown or not names:
        raise CLIError(f"unknown demo dataset(s) {unknown or names}; "
                       f"choose among {', '.join(DEMO_DATASETS)}")
    quick = args.quick
    settings = NeuralSettings(
        window=args.window,
        units=(args.units or (4 if quick else 16),),
        epochs=args.epochs or (2 if quick else 20),
        random_state=args.seed,
    )
    folds = args.folds or (1 if quick else 3)
    out_dir = make_out_dir(args.out, "demo")
    progress(f"demo: {len(MODELS) - 1} models (LSTM, GRU and {len(MODELS) - 3} baselines) on "
             f"{', '.join(names)}; {folds} folds, {settings.epochs} epochs; output {out_dir}")
    exps = []
    for name in names:
        spec = DEMO_DATASETS[name]
        frame = load_frame(sample=name)
        y = select_target(frame, spec["column"] or frame.columns[0])
        y = y.iloc[-(_QUICK_LAST[name] if quick else spec["last"]):]
        y.name = name if spec["column"] is None else f"{name} {spec['column']}"
        exp = Experiment(
            name=name, y=y, horizon=spec["horizon"], season_length=spec["season_length"],
            folds=folds, models=[m for m in MODELS if m != "rnn"], settings=settings,
        )
        exps.append(exp)
    results = run_experiments(exps)
    finish(results, out_dir, title="forecast demo: recurrent networks vs statistical baselines",
           command=args.argv, fmt=args.format, plots=not args.no_plots, started=started)
    out(f"Total time {time.perf_counter() - started:.0f} s")
    return 0
