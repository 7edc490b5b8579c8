"""``forecast run PIPELINE.toml``: load a declared pipeline and run its task.

A pipeline file has a ``[pipeline]`` table (``name``, ``task``, ``description``)
and task-specific tables (``[data]``, ``[backtest]``, ``[neural]``...). A
``[quick]`` table holds overrides applied with ``--quick`` or ``FORECAST_QUICK=1``
(e.g. ``[quick.neural] epochs = 1``). Relative paths in ``[data]`` are relative to
the repository root (the nearest folder above the file with a ``pyproject.toml``);
``../shared/data/...`` honours ``FORECAST_SHARED_DATA``.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import os
import time
import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from ._config_values import SCHEMA, TASK_KEYS, check_value
from ._console import CLIError, progress
from ._console import out as _say

__all__ = ["load_config", "run_pipeline", "run_pipeline_command", "TASKS", "resolve_path",
           "check_keys", "check_source", "quick_overrides"]


def _tasks() -> dict[str, Callable[[dict[str, Any], Path], Path]]:
    from . import _pipelines, _text_pipelines

    return {
        "forecast": _pipelines.run_forecast,
        "m4": _pipelines.run_m4,
        "ett": _pipelines.run_ett,
        "sentiment": _text_pipelines.run_sentiment,
        "text_generation": _text_pipelines.run_text_generation,
        "translation": _text_pipelines.run_translation,
    }


TASKS = ("forecast", "m4", "ett", "sentiment", "text_generation", "translation")


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _repo_root(start: Path) -> Path:
    for folder in [start, *start.parents]:
        if (folder / "pyproject.toml").is_file():
            return folder
    return start


#: the keys each table of a pipeline file may hold (any task); a typo is an error, not
#: a silently ignored setting, and so is a key the file's task does not read
KEYS: dict[str, set[str]] = {table: set(kinds) for table, kinds in SCHEMA.items()}


def check_keys(config: dict[str, Any], file: Path) -> None:
    """Raise a CLIError naming the first unknown table or key (``[quick]`` included), or
    the first value of the wrong kind (see :data:`SCHEMA`)."""
    def unknown(name: str, known: set[str], where: str) -> None:
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(known))}"
        raise CLIError(f"{file}: unknown {where} {name!r}{hint}")

    task = config["pipeline"]["task"]
    reads = TASK_KEYS[task]
    for prefix, tables in (("", config), ("quick.", config.get("quick", {}))):
        for table, body in tables.items():
            if not prefix and table == "quick":
                continue
            if table not in KEYS:
                unknown(prefix + table, {prefix + k for k in reads}, "table")
            if table not in reads:
                raise CLIError(f"{file}: task {task!r} reads no [{prefix}{table}] table "
                               f"(its tables: {', '.join(sorted(reads))})")
            if not isinstance(body, dict):
                raise CLIError(f"{file}: [{prefix}{table}] must be a table of settings")
            for key in body:
                if key not in KEYS[table]:
                    unknown(key, set(reads[table]), f"key in [{prefix}{table}]")
                if key not in reads[table]:
                    raise CLIError(f"{file}: [{prefix}{table}] {key} is not read by task "
                                   f"{task!r} (its [{table}] keys: "
                                   f"{', '.join(reads[table])})")
                check_value(prefix + table, key, body[key], where=f"{file}: ")


#: the [data] keys that name where a task's data comes from (tasks not listed need none)
SOURCES: dict[str, tuple[str, ...]] = {
    "forecast": ("path", "ticker", "sample"),
    "m4": ("path",),
    "ett": ("path",),
    "sentiment": ("path",),
}


def check_source(config: dict[str, Any], file: Path) -> None:
    """Raise a CLIError unless ``[data]`` names exactly one source the task reads."""
    keys = SOURCES.get(config["pipeline"]["task"])
    if keys is None:
        return
    given = [k for k in keys if config.get("data", {}).get(k)]
    if len(given) != 1:
        options = ", ".join(f"`{k}`" for k in keys)
        what = f"one of {options}" if len(keys) > 1 else options
        raise CLIError(f"{file}: [data] needs {what} (task {config['pipeline']['task']!r}). "
                       f"Received: {', '.join(given) or 'none'}")


def quick_overrides(config: dict[str, Any]) -> list[str]:
    """The ``[quick]`` settings as ``table.key=value`` (what ``--quick`` changed)."""
    return [f"{table}.{key}={value!r}" for table, body in config.get("quick", {}).items()
            for key, value in body.items()]


def load_config(path: str | os.PathLike, *, quick: bool = False) -> dict[str, Any]:
    """Read and check a pipeline TOML file; apply ``[quick]`` overrides when asked.

    The returned dict gains ``_root`` (repository root) and ``_file`` entries.

    Raises
    ------
    CLIError
        Missing file, invalid TOML, missing ``[pipeline]``, unknown task, table or key,
        a value of the wrong kind, or a ``[data]`` table without the one source the task
        reads.
    """
    file = Path(path)
    if file.is_dir():
        found = sorted(f.name for f in file.glob("*.toml"))[:5]
        raise CLIError(f"{file} is a folder, not a pipeline file; pass one .toml file"
                       + (f" in it, e.g. {file / found[0]} (of {', '.join(found)})" if found
                          else ""))
    if not file.is_file():
        raise CLIError(f"pipeline file not found: {file}")
    try:
        config = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CLIError(f"{file} is not valid TOML: {exc}") from exc
    meta = config.get("pipeline")
    if not isinstance(meta, dict) or "task" not in meta:
        raise CLIError(f"{file} needs a [pipeline] table with `task` (one of {', '.join(TASKS)})")
    if meta["task"] not in TASKS:
        raise CLIError(f"{file}: unknown task {meta['task']!r}; valid tasks: {', '.join(TASKS)}")
    meta.setdefault("name", file.stem)
    check_keys(config, file)
    overrides = quick_overrides(config) if quick else []
    if quick:
        config = _merge(config, config.get("quick", {}))
    config.pop("quick", None)
    check_source(config, file)
    config["_root"] = str(_repo_root(file.resolve().parent))
    config["_file"] = str(file)
    config["_quick"] = quick
    config["_quick_overrides"] = overrides
    return config


def resolve_path(config: dict[str, Any], value: str, *, what: str = "data") -> Path:
    """Resolve a config path (relative to the repository root) and check that it exists."""
    shared = os.environ.get("FORECAST_SHARED_DATA")
    text = str(value)
    if shared and text.startswith("../shared/data"):
        path = Path(shared) / text.removeprefix("../shared/data").lstrip("/")
    else:
        path = Path(text)
        if not path.is_absolute():
            path = Path(config["_root"]) / path
    if not path.exists():
        raise CLIError(
            f"{config['pipeline']['name']}: {what} not found at {path} (from {value!r} in "
            f"{config['_file']}); put the reference data there or edit the path"
        )
    return path


def _out_dir(config: dict[str, Any], out: str | None) -> Path:
    if out:
        path = Path(out)
    else:
        base = config.get("output", {}).get("dir", "pipelines/outputs")
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(config["_root"]) / base / f"{config['pipeline']['name']}-{stamp}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_pipeline(
    path: str | os.PathLike, *, out: str | os.PathLike | None = None, quick: bool = False,
    command: list[str] | None = None,
) -> Path:
    """Run the pipeline declared in ``path``; returns the report written.

    ``command`` is the ``forecast`` command line the report records (default
    ``run PATH`` with ``--quick``/``--out`` as given).

    Examples
    --------
    >>> run_pipeline("pipelines/co2.toml", quick=True)  # doctest: +SKIP
    PosixPath('pipelines/outputs/co2-.../report.md')
    """
    quick = quick or os.environ.get("FORECAST_QUICK", "") not in ("", "0")
    config = load_config(path, quick=quick)
    config["_command"] = list(command) if command is not None else [
        "run", str(path), *(["--quick"] if quick else []),
        *(["--out", str(out)] if out is not None else [])]
    meta = config["pipeline"]
    if config.get("data", {}).get("path"):  # fail before any work when the data is absent
        resolve_path(config, config["data"]["path"])
    out_dir = _out_dir(config, None if out is None else str(out))
    progress(f"pipeline {meta['name']} ({meta['task']}){' [quick]' if quick else ''}: "
             f"{meta.get('description', '')}")
    started = time.perf_counter()
    report = _tasks()[meta["task"]](config, out_dir)
    _say(f"Pipeline {meta['name']} finished in {time.perf_counter() - started:.0f} s")
    return report


def run_pipeline_command(args: argparse.Namespace) -> int:
    """``forecast run``; returns the exit code."""
    run_pipeline(args.config, out=args.out, quick=args.quick, command=getattr(args, "argv", None))
    return 0
