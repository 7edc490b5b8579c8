"""Bad input to the `forecast` command: exit code 2 and exactly one clear line on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from forecast.cli import main
from forecast.cli._registry import MODELS


def _one_line(capsys) -> str:
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    dates = pd.date_range("2020-01-01", periods=60, freq="D")
    frame = pd.DataFrame({"date": dates, "sales": range(60), "label": ["x"] * 60})
    path = tmp_path / "outside_repo.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("argv", [["--help"], ["demo", "--help"], ["backtest", "--help"],
                                  ["run", "--help"], ["--version"]])
def test_help_exits_zero(argv, capsys):
    assert main(argv) == 0
    assert "forecast" in capsys.readouterr().out


def test_no_command_is_usage_error(capsys):
    assert main([]) == 2
    assert "error" in _one_line(capsys)


def test_missing_file(tmp_path, capsys):
    code = main(["backtest", "--data", str(tmp_path / "nope.csv"), "--target", "y",
                 "--horizon", "3", "--models", "naive"])
    assert code == 2
    assert "not found" in _one_line(capsys)
    assert main(["backtest", "--data", str(tmp_path), "--target", "y", "--horizon", "3",
                 "--models", "naive"]) == 2
    assert "--data must be a CSV file, and" in _one_line(capsys)


def test_unknown_model_lists_valid_names(csv_file, capsys):
    code = main(["backtest", "--data", str(csv_file), "--target", "sales", "--horizon", "3",
                 "--models", "naive,prophet"])
    assert code == 2
    line = _one_line(capsys)
    assert "prophet" in line
    assert all(name in line for name in MODELS)


@pytest.mark.parametrize("horizon", ["0", "-2", "abc"])
def test_bad_horizon(csv_file, capsys, horizon):
    code = main(["backtest", "--data", str(csv_file), "--target", "sales",
                 "--horizon", horizon, "--models", "naive"])
    assert code == 2
    assert "--horizon" in _one_line(capsys)


def test_non_numeric_target(csv_file, capsys):
    code = main(["backtest", "--data", str(csv_file), "--target", "label", "--horizon", "3",
                 "--models", "naive"])
    assert code == 2
    assert "not numeric" in _one_line(capsys)


def test_unknown_target_column(csv_file, capsys):
    code = main(["backtest", "--data", str(csv_file), "--target", "price", "--horizon", "3",
                 "--models", "naive"])
    assert code == 2
    line = _one_line(capsys)
    assert "price" in line
    assert "sales" in line


def test_series_too_short(csv_file, capsys):
    code = main(["backtest", "--data", str(csv_file), "--target", "sales", "--horizon", "30",
                 "--models", "naive", "--out", str(csv_file.parent / "out")])
    assert code == 2
    assert "too few" in _one_line(capsys)


def test_unknown_demo_dataset(tmp_path, capsys):
    assert main(["demo", "--datasets", "sunspots", "--out", str(tmp_path)]) == 2
    assert "sunspots" in _one_line(capsys)


def test_unexpected_error_exits_one(monkeypatch, csv_file, capsys):
    from forecast.cli import _backtest

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(_backtest, "run_experiment", boom)
    code = main(["backtest", "--data", str(csv_file), "--target", "sales", "--horizon", "3",
                 "--models", "naive", "--out", str(csv_file.parent / "out")])
    assert code == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    errors = [line for line in captured.err.splitlines() if line.startswith("forecast:")]
    assert len(errors) == 1
    assert "kaboom" in errors[0]


def test_console_script_bad_input_subprocess(tmp_path):
    exe = Path(sys.executable).with_name("forecast")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "forecast.cli"]
    proc = subprocess.run([*cmd, "backtest", "--data", str(tmp_path / "missing.csv"),
                           "--target", "y", "--horizon", "2", "--models", "naive"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert "missing.csv" in proc.stderr


def test_python_dash_m_forecast_is_the_console_script():
    proc = subprocess.run([sys.executable, "-m", "forecast", "--help"], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "usage: forecast" in proc.stdout
    assert "backtest" in proc.stdout


def test_duplicated_target_column_is_an_error(tmp_path, capsys):
    # pandas renames the second 'sales' to 'sales.1', so --target sales silently took the
    # first of the two columns
    path = tmp_path / "twice.csv"
    rows = "".join(f"2020-01-{d:02d},{d},{2 * d}\n" for d in range(1, 29))
    path.write_text("date,sales,sales\n" + rows)
    assert main(["backtest", "--data", str(path), "--target", "sales", "--horizon", "3",
                 "--models", "naive"]) == 2
    assert "column 'sales' appears more than once in the header" in _one_line(capsys)
