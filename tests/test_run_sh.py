"""`run.sh`: set-up happens in the repository, `demo` and `forecast` run in the caller's folder.

The tests point ``FORECAST_VENV`` at a small stand-in environment (already "installed",
so run.sh neither creates a venv nor calls pip) whose ``bin/forecast`` runs this
interpreter's ``python -m forecast``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN_SH = ROOT / "run.sh"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="run.sh needs bash")


def _venv(path: Path, forecast: str, python: str | None = None) -> Path:
    """A stand-in for ``.venv``: executable bin/python and bin/forecast, stamp up to date."""
    bin_dir = path / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in (("forecast", forecast), ("python", python or forecast)):
        script = bin_dir / name
        script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
        script.chmod(0o755)
    stamp = path / ".forecast-installed"
    stamp.touch()
    future = (ROOT / "pyproject.toml").stat().st_mtime + 3600
    os.utime(stamp, (future, future))  # newer than pyproject.toml: no reinstall
    return path


def _run(args: list[str], cwd: Path, venv: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "FORECAST_VENV": str(venv), "PYTHONPATH": str(ROOT)}
    return subprocess.run(["bash", str(RUN_SH), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_forecast_resolves_relative_paths_against_the_callers_folder(tmp_path):
    venv = _venv(tmp_path / "venv", f'exec "{sys.executable}" -m forecast "$@"')
    work = tmp_path / "work"
    work.mkdir()
    n = 48
    t = np.arange(n)
    pd.DataFrame({
        "date": pd.date_range("2015-01-01", periods=n, freq="MS").strftime("%Y-%m-%d"),
        "units": 100 + t + 10 * np.sin(2 * np.pi * t / 12),
    }).to_csv(work / "sales.csv", index=False)

    done = _run(["forecast", "backtest", "--data", "sales.csv", "--target", "units",
                 "--horizon", "6", "--models", "naive", "--folds", "2", "--no-plots",
                 "--out", "o"], cwd=work, venv=venv)

    assert done.returncode == 0, done.stderr
    assert (work / "o" / "backtest_leaderboard.csv").is_file()
    assert not (ROOT / "o").exists()


def test_demo_runs_in_the_callers_folder_and_test_in_the_repository(tmp_path):
    venv = _venv(tmp_path / "venv", forecast='pwd; echo "$@"', python='pwd')
    work = tmp_path / "work"
    work.mkdir()

    demo = _run(["demo", "--quick"], cwd=work, venv=venv)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.splitlines() == [str(work.resolve()), "demo --quick"]

    tests = _run(["test"], cwd=work, venv=venv)
    assert tests.returncode == 0, tests.stderr
    assert tests.stdout.splitlines() == [str(ROOT)]


def test_default_venv_is_found_from_another_folder(tmp_path):
    stamp = ROOT / ".venv" / ".forecast-installed"
    if not (stamp.is_file() and stamp.stat().st_mtime >= (ROOT / "pyproject.toml").stat().st_mtime):
        pytest.skip("the repository's .venv is not set up (run.sh would install it)")
    env = {k: v for k, v in os.environ.items() if k != "FORECAST_VENV"}
    done = subprocess.run(["bash", str(RUN_SH), "forecast", "--help"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "usage: forecast" in done.stdout
