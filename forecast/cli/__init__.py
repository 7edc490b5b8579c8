"""The ``forecast`` command line: ``demo``, ``backtest`` and ``run``.

``main(argv)`` returns the exit code: 0 on success, 2 for bad usage or bad
input (one line on stderr, no traceback), 1 for anything else, 130 on Ctrl-C.
Nothing here imports TensorFlow until a neural model is built, and no user
string ever reaches a shell.

Examples
--------
>>> from forecast.cli import main
>>> main(["--version"])  # doctest: +ELLIPSIS
forecast ...
0
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
import warnings
from collections.abc import Sequence

from ._console import CLIError, err, one_line
from ._registry import MODELS

__all__ = ["main", "build_parser"]

_PROG = "forecast"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, received {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, received {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must be an integer in [0, 2**32 - 1], received {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are one line on stderr (exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        err(f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)")
        raise SystemExit(2)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="DIR", help="output folder (default: outputs/<command>-<time>)")
    p.add_argument("--folds", type=_positive_int, default=None, metavar="K",
                   help="number of rolling-origin folds (default: 3)")
    p.add_argument("--epochs", type=_positive_int, default=None, metavar="N",
                   help="training epochs of the neural models")
    p.add_argument("--units", type=_positive_int, default=None, metavar="N",
                   help="units of the recurrent layer")
    p.add_argument("--window", type=_positive_int, default=None, metavar="W",
                   help="input window of the neural models (default: from horizon and season)")
    p.add_argument("--seed", type=_seed, default=0, help="random seed (default: 0)")
    p.add_argument("--format", choices=("markdown", "html"), default="markdown",
                   help="report format (default: markdown with PNG plots)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``forecast`` command (every command has ``--help``).

    Returns
    -------
    argparse.ArgumentParser
        Sub-commands ``demo``, ``backtest`` and ``run``; usage errors print one
        line and exit with code 2.

    Examples
    --------
    >>> args = build_parser().parse_args(["backtest", "--sample", "co2", "--horizon", "12"])
    >>> args.command, args.horizon, args.models
    ('backtest', 12, 'lstm,gru,naive,snaive,theta,ets')
    """
    from forecast import __version__

    parser = _Parser(
        prog=_PROG,
        description="Time-series forecasting with recurrent networks: honest backtests of "
        "LSTM/GRU forecasters against statistical baselines.",
    )
    parser.add_argument("--version", action="version", version=f"forecast {__version__}")
    # not required here, so that an unknown option is reported as such: main() asks
    # for the missing COMMAND itself
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    models = ", ".join(MODELS)

    demo = sub.add_parser(
        "demo", help="backtest LSTM and GRU against the baselines on embedded data",
        description="Backtest LSTM and GRU forecasters against every statistical baseline on "
        "the embedded co2 (monthly, seasonal) and MSFT (daily close) samples; print the "
        "leaderboard (sMAPE, MASE, OWA, fit seconds) and write a report. No network needed.",
    )
    demo.add_argument("--quick", action="store_true",
                      help="tiny settings for tests (fewer folds, epochs and points)")
    demo.add_argument("--datasets", default="co2,msft", metavar="NAMES",
                      help="comma-separated embedded samples to use (default: co2,msft)")
    _add_common(demo)

    bt = sub.add_parser(
        "backtest", help="backtest models on your CSV file or a ticker",
        description="Rolling-origin backtest of the chosen models on one target column.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  forecast backtest --data sales.csv --target units --horizon 6 "
        "--models lstm,gru,snaive,theta\n"
        "  forecast backtest --ticker MSFT --start 2015-01-01 --target Close "
        "--transform log-returns --horizon 5 --models lstm,naive,drift --folds 4\n"
        "  forecast backtest --ticker MSFT --offline --target Close --horizon 5  "
        "# from the cache\n"
        "exit codes: 0 success, 2 bad usage or input (one line on stderr), 1 other errors",
    )
    src = bt.add_mutually_exclusive_group(required=True)
    src.add_argument("--data", metavar="FILE.csv", help="CSV file with a date column")
    src.add_argument("--ticker", metavar="SYMBOL",
                     help="stock ticker via yfinance (served from the local cache when offline)")
    src.add_argument("--sample", metavar="NAME", help="an embedded sample (co2, msft, sunspots)")
    bt.add_argument("--start", help="first date of the data used (YYYY-MM-DD, included)")
    bt.add_argument("--end", help="end of the data used (YYYY-MM-DD, excluded)")
    bt.add_argument("--offline", action="store_true",
                    help="never touch the network: use the ticker cache only")
    bt.add_argument("--cache-dir", metavar="DIR", help="yfinance cache folder")
    bt.add_argument("--date-column", metavar="NAME", help="date column of the CSV (default: auto)")
    order = bt.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       help="the CSV's dates are day-first (01/02/2020 is 1 February)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="the CSV's dates are month-first (01/02/2020 is 2 January)")
    bt.add_argument("--decimal-comma", action="store_true",
                    help="the CSV's numbers use a decimal comma (1,5)")
    bt.add_argument("--target", metavar="COLUMN", help="column to forecast (e.g. Close)")
    bt.add_argument("--transform", choices=("none", "returns", "log-returns"), default="none",
                    help="forecast the series itself, its returns or its log-returns")
    bt.add_argument("--horizon", type=_positive_int, required=True, metavar="H",
                    help="steps to forecast (a positive integer)")
    bt.add_argument("--models", default="lstm,gru,naive,snaive,theta,ets", metavar="NAMES",
                    help=f"comma-separated models among: {models}; 'all' or 'baselines' "
                    "(default: lstm,gru,naive,snaive,theta,ets)")
    bt.add_argument("--season-length", type=int, default=None, metavar="M",
                    help="seasonal period (default: from the data frequency, else 1)")
    bt.add_argument("--last", type=int, default=None, metavar="N",
                    help="use only the last N observations")
    bt.add_argument("--coverage", type=float, default=None, metavar="C",
                    help="also score the C prediction intervals (e.g. 0.95) of the models "
                    "that have them (every baseline; the networks show -): coverage and M4's "
                    "MSIS")
    _add_common(bt)

    run = sub.add_parser(
        "run", help="run a declared pipeline (TOML file)",
        description="Run the pipeline declared in a TOML file (see pipelines/*.toml): tasks "
        "forecast, m4, ett, sentiment, text_generation, translation. Reports go to "
        "pipelines/outputs/NAME-<time>/ unless --out is given.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  forecast run pipelines/co2.toml\n"
        "  forecast run pipelines/m4_hourly.toml --quick",
    )
    run.add_argument("config", metavar="PIPELINE.toml", help="pipeline configuration file")
    run.add_argument("--out", metavar="DIR", help="output folder (overrides the config)")
    run.add_argument("--quick", action="store_true", help="tiny settings (smoke test)")
    run.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from ._demo import run_demo

        return run_demo(args)
    if args.command == "backtest":
        from ._backtest import run_backtest_command

        return run_backtest_command(args)
    from ._run import run_pipeline_command

    return run_pipeline_command(args)


def _bad_input_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [ValueError, TypeError, FileNotFoundError]
    try:  # documented errors of the data loaders, when they define their own
        from forecast import datasets

        for name in getattr(datasets, "__all__", ()):
            obj = getattr(datasets, name, None)
            if isinstance(obj, type) and issubclass(obj, Exception):
                errors.append(obj)
    except ImportError:  # pragma: no cover - datasets always present in releases
        pass
    return tuple(errors)


def _drop_warning(*args: object, **kwargs: object) -> None:
    """``warnings.showwarning`` replacement: warnings are not shown without --debug."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``forecast`` command with ``argv`` (default ``sys.argv[1:]``).

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments without the program name.

    Returns
    -------
    int
        Exit code: 0 success, 2 bad usage or input, 1 unexpected error, 130 interrupted.

    Examples
    --------
    The error goes to stderr ("forecast: error: data file not found: missing.csv");
    the exit code is returned:

    >>> main(["backtest", "--data", "missing.csv", "--horizon", "3"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(None if argv is None else list(argv))
        if args.command is None:
            parser.error("the following arguments are required: COMMAND (demo, backtest, run)")
    except SystemExit as exc:  # --help / --version (0) or a usage error (2)
        return int(exc.code) if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # the report's command line
    if not getattr(args, "debug", False):  # TF's C++ INFO/WARNING/ERROR lines drown progress
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # deterministic, and one line fewer
    os.environ.setdefault("MPLBACKEND", "Agg")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not args.debug:  # TF retracing notices, yfinance's DNS errors: noise for a CLI user
        logging.getLogger("tensorflow").setLevel(logging.ERROR)
        logging.getLogger("yfinance").setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            if not args.debug:  # libraries may add their own filters: drop the output too
                warnings.simplefilter("ignore")
                warnings.showwarning = _drop_warning
            return _dispatch(args)
    except KeyboardInterrupt:
        err(f"{_PROG}: interrupted")
        return 130
    except CLIError as exc:
        err(f"{_PROG}: error: {one_line(exc)}")
        return 2
    except _bad_input_errors() as exc:
        if args.debug:
            traceback.print_exc()
        err(f"{_PROG}: error: {one_line(exc)}")
        return 2
    except Exception as exc:  # noqa: BLE001 - last line of defence: exit 1, one line
        if args.debug:
            traceback.print_exc()
        err(f"{_PROG}: unexpected {type(exc).__name__}: {one_line(exc)} (rerun with --debug)")
        return 1
