"""Shared ending of ``demo`` and ``backtest``: print leaderboards, write the report."""

from __future__ import annotations

import os
import platform
import shlex
import sys
import time
from datetime import datetime
from pathlib import Path

from forecast._io import atomic_write_with

from ._console import CLIError, out, progress
from ._experiment import ExperimentResult, display_board, rank_metric
from ._report import Section, format_table, time_label, write_report

__all__ = ["make_out_dir", "finish"]


def make_out_dir(out: str | None, command: str) -> Path:
    """The output folder: ``--out`` or ``outputs/<command>-<YYYYmmdd-HHMMSS>`` (created)."""
    if out:
        path = Path(out)
        if path.exists() and not path.is_dir():
            raise CLIError(f"--out {out} exists and is not a folder")
    else:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path("outputs") / f"{command}-{stamp}"
        suffix = 1
        while path.exists():
            suffix += 1
            path = Path("outputs") / f"{command}-{stamp}-{suffix}"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"cannot create output folder {path}: {exc.strerror}") from exc
    return path


def _machine() -> str:
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU core(s), "
            f"Python {platform.python_version()}")


def finish(
    results: list[ExperimentResult],
    out_dir: Path,
    *,
    title: str,
    command: list[str],
    fmt: str = "markdown",
    plots: bool = True,
    started: float | None = None,
) -> Path:
    """Print every leaderboard, write CSVs, figures and the report; print its path."""
    sections = []
    for res in results:
        exp = res.experiment
        board = display_board(res.leaderboard)
        out()
        out(f"== {exp.name} [{exp.y.name}]: {len(exp.y)} observations, horizon {exp.horizon}, "
            f"season length {exp.season_length}, {exp.folds} folds ==")
        out(format_table(board))
        atomic_write_with(out_dir / f"{exp.name}_leaderboard.csv", res.leaderboard.to_csv)
        atomic_write_with(out_dir / f"{exp.name}_predictions.csv",
                          lambda p, r=res: r.predictions.to_csv(p, index=False))
        figures = []
        if plots:
            from ._plots import experiment_figures

            progress(f"{exp.name}: drawing plots")
            figures = experiment_figures(res, out_dir)
        first, last = (time_label(v) for v in (exp.y.index[0], exp.y.index[-1]))
        notes = []
        if (exp.y <= 0).any():
            notes.append("The series has values <= 0 (e.g. returns): sMAPE and OWA are "
                         "unstable near zero, compare models by MASE.")
        sections.append(Section(
            title=exp.name,
            paragraphs=[
                f"Series `{exp.y.name}`: {len(exp.y)} observations from {first} to {last}; "
                f"forecast horizon {exp.horizon}, season length {exp.season_length}, "
                f"{exp.folds} rolling-origin folds (expanding window, refit every fold).",
                "sMAPE in percent (M4), MASE scaled by the in-sample seasonal naive error "
                "before each cutoff, OWA relative to Naive2 (< 1 beats Naive2); "
                "\"fit s\" = total training time over the folds.",
                *notes,
            ],
            tables=[(f"Leaderboard (mean over folds, sorted by "
                     f"{'OWA' if rank_metric(exp) == 'owa' else 'MASE'})", board)],
            figures=figures,
        ))
    elapsed = f" in {time.perf_counter() - started:.0f} s" if started is not None else ""
    intro = [
        f"Command: `forecast {shlex.join(command)}`",
        f"Generated {datetime.now():%Y-%m-%d %H:%M}{elapsed} on {_machine()}.",
    ]
    report = write_report(out_dir, title, intro, sections, fmt=fmt)
    out()
    out(f"Report written to {report}")
    sys.stdout.flush()
    return report
