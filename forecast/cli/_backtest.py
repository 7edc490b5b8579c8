"""``forecast backtest``: the demo's backtest on the user's CSV file or ticker."""

from __future__ import annotations

import argparse
import time

from ._console import CLIError, progress
from ._data import load_frame, season_length_for, select_target
from ._experiment import Experiment, check_experiment, run_experiment
from ._output import finish, make_out_dir
from ._registry import NeuralSettings, parse_models

__all__ = ["run_backtest_command"]


def run_backtest_command(args: argparse.Namespace) -> int:
    """Run ``forecast backtest``; returns the exit code."""
    started = time.perf_counter()
    models = parse_models(args.models)  # before any loading: unknown names fail fast
    if args.season_length is not None and args.season_length < 1:
        raise CLIError(f"--season-length must be a positive integer; received {args.season_length}")
    if args.last is not None and args.last < 1:
        raise CLIError(f"--last must be a positive integer; received {args.last}")
    if args.coverage is not None and not 0 < args.coverage < 1:
        raise CLIError(f"--coverage must be in (0, 1), e.g. 0.95; received {args.coverage}")
    frame = load_frame(data=args.data, ticker=args.ticker, sample=args.sample, start=args.start,
                       end=args.end, date_column=args.date_column, cache_dir=args.cache_dir,
                       offline=args.offline, dayfirst=args.dayfirst,
                       decimal="," if args.decimal_comma else ".")
    y = select_target(frame, args.target, transform=args.transform)
    if args.last is not None:
        y = y.iloc[-args.last:]
    season_length = args.season_length or season_length_for(y.index)
    source = args.data or args.ticker or args.sample
    exp = Experiment(
        name="backtest", y=y, horizon=args.horizon, season_length=season_length,
        folds=args.folds or 3, models=models, coverage=args.coverage,
        settings=NeuralSettings(window=args.window, units=(args.units or 16,),
                                epochs=args.epochs or 30, random_state=args.seed),
    )
    check_experiment(exp)
    progress(f"backtest: {source} [{y.name}], {len(y)} observations, "
             f"season length {season_length}, models {', '.join(models)}")
    out_dir = make_out_dir(args.out, "backtest")
    result = run_experiment(exp)
    finish([result], out_dir, title=f"forecast backtest: {source}", command=args.argv,
           fmt=args.format, plots=not args.no_plots, started=started)
    return 0
