"""Shared helpers of the benchmark scripts: machine, versions, markdown, result files,
worker processes, argument checks."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path

from forecast._io import atomic_write_text


def _worker_init(threads: int) -> None:
    """Set a worker's TensorFlow thread count before TensorFlow loads."""
    os.environ["FORECAST_NUM_THREADS"] = str(threads)


def resolve_jobs(jobs: int, members: int) -> int:
    """Worker processes for ``members`` networks: ``jobs``, or with 0 one per core up
    to the number of members."""
    if jobs < 0:
        raise ValueError(f"`jobs` must be >= 0. Received: jobs={jobs}")
    return min(jobs or (os.cpu_count() or 1), max(members, 1))


def network_pool(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` spawned processes that share the cores, ``cores // jobs`` TensorFlow
    threads each, for fitting networks side by side (the forecasts do not depend on
    the thread count)."""
    threads = max(1, (os.cpu_count() or 1) // jobs)
    return ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=_worker_init,
                               initargs=(threads,))


HEADER = "# Benchmarks\n\nMeasured results of the scripts in `pipelines/benchmarks/`.\n"


def cpu_model() -> str:
    """The CPU's model name from ``/proc/cpuinfo``, or the platform's processor name."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """One line describing the CPU (cores) and OS."""
    return f"{cpu_model()}, {os.cpu_count()} cores (shared with other jobs), {platform.system()}"


def library_versions() -> str:
    names = ["tensorflow", "keras", "numpy", "pandas", "scikit-learn", "statsmodels"]
    out = [f"Python {platform.python_version()}"]
    for n in names:
        try:
            out.append(f"{n} {metadata.version(n)}")
        except metadata.PackageNotFoundError:
            try:
                out.append(f"{n} {metadata.version(n + '-cpu')}")
            except metadata.PackageNotFoundError:
                continue
    return ", ".join(out)


def update_markdown(path: Path, key: str, text: str) -> None:
    """Replace the text between ``<!-- key:start -->`` and ``<!-- key:end -->``."""
    path = Path(path)
    current = path.read_text() if path.exists() else HEADER
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in current and end in current:
        current = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, current,
                         flags=re.S)
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    atomic_write_text(path, current)


def check_positive(parser: argparse.ArgumentParser, args: argparse.Namespace,
                   names: tuple[str, ...]) -> None:
    """``parser.error`` naming the first of ``names`` (attribute names) below 1."""
    for name in names:
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be >= 1. "
                         f"Received: {getattr(args, name)}")


def pick(parser: argparse.ArgumentParser, flag: str, value: str | None,
         names: list[str]) -> list[str]:
    """The ``names`` chosen by ``value``, a comma list of indices (``None``: all)."""
    try:
        picks = range(len(names)) if value is None else [int(i) for i in value.split(",")]
    except ValueError:
        picks = [-1]
    if not all(0 <= i < len(names) for i in picks):
        parser.error(f"{flag} must be a comma list of indices below {len(names)}. "
                     f"Received: {value!r}")
    return [names[i] for i in picks]


def sine_windows(windows: int, T: int, horizon: int, seed: int) -> tuple:
    """``windows`` overlapping windows of a noisy daily sine: ``X`` (windows, T, 1) and
    ``y`` (windows, horizon), float32."""
    import numpy as np

    rng = np.random.default_rng(seed)
    t = np.arange(windows + T + horizon)
    series = (np.sin(2 * np.pi * t / 24) + 0.1 * rng.standard_normal(t.size)).astype("float32")
    idx = np.arange(windows)[:, None]
    return series[idx + np.arange(T)][..., None], series[idx + T + np.arange(horizon)]


def run_info(script: str, argv: list[str] | None) -> dict[str, str]:
    """The JSON fields every result records: machine, versions, UTC date and the
    command (``python pipelines/benchmarks/<script> ARGS``)."""
    return {"machine": machine(), "versions": library_versions(),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": f"python pipelines/benchmarks/{script} "
                       + " ".join(argv or sys.argv[1:])}


def frequency_section(base: str, frequency: str) -> str:
    """The BENCHMARKS.md section of an M4 script's run: ``base`` for Hourly (the tables
    already there), ``base-<frequency>`` otherwise, so no run overwrites another's."""
    return base if frequency == "Hourly" else f"{base}-{frequency.lower()}"


def write_results(result: dict, out: Path | None, markdown: Path | None, key: str,
                  render) -> None:
    """Write ``result`` as JSON to ``out`` and ``render(result)`` into the ``key`` block
    of ``markdown``, each when given."""
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, json.dumps(result, indent=2) + "\n")
    if markdown is not None:
        update_markdown(markdown, key, render(result))
