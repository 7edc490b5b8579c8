"""`forecast backtest` on a user CSV (outside the repository) and on a ticker while offline."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecast.cli import main


def _monthly(n: int = 96) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    t = np.arange(n)
    values = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, n)
    dates = pd.date_range("2015-01-01", periods=n, freq="MS")
    return pd.DataFrame({"month": dates.strftime("%Y-%m-%d"), "sales": values,
                         "region": "north"})


def test_backtest_csv_outside_repo(tmp_path: Path, capsys):
    csv = tmp_path / "my_sales.csv"
    frame = _monthly()
    frame.to_csv(csv, index=False)
    before = csv.read_bytes()
    out = tmp_path / "report"
    code = main(["backtest", "--data", str(csv), "--target", "sales", "--horizon", "6",
                 "--models", "naive,snaive,theta", "--folds", "2", "--out", str(out),
                 "--format", "html"])
    assert code == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    for name in ("Naive", "SeasonalNaive", "Theta", "Naive2"):
        assert name in captured.out
    assert "season length 12" in captured.out  # inferred from the monthly dates
    html = (out / "report.html").read_text()
    assert "data:image/png;base64" in html
    board = pd.read_csv(out / "backtest_leaderboard.csv", index_col=0)
    assert set(board.index) == {"Naive", "SeasonalNaive", "Theta", "Naive2"}
    assert board.loc["Naive2", "owa"] == pytest.approx(1.0)
    assert np.isfinite(board[["smape", "mase", "owa"]].to_numpy()).all()
    assert csv.read_bytes() == before  # the user's file is untouched


def test_backtest_log_returns(tmp_path: Path, capsys):
    csv = tmp_path / "prices.csv"
    _monthly().to_csv(csv, index=False)
    code = main(["backtest", "--data", str(csv), "--target", "sales", "--horizon", "3",
                 "--transform", "log-returns", "--models", "naive,mean", "--folds", "2",
                 "--out", str(tmp_path / "o"), "--no-plots"])
    assert code == 0
    assert "log-returns" in capsys.readouterr().out


def test_backtest_ticker_offline_served_from_cache(tmp_path: Path, monkeypatch, capsys):
    yf = pytest.importorskip("yfinance")
    dates = pd.bdate_range("2023-01-02", periods=120, name="Date")
    close = np.linspace(10, 20, 120) + np.sin(np.arange(120))
    data = {"Close": close, "High": close + 1, "Low": close - 1, "Open": close,
            "Volume": np.full(120, 1000.0)}
    cols = pd.MultiIndex.from_tuples([(k, "MSFT") for k in data], names=["Price", "Ticker"])
    frame = pd.DataFrame(np.column_stack(list(data.values())), index=dates, columns=cols)
    calls = []
    monkeypatch.setattr(yf, "download", lambda t, **kw: calls.append(t) or frame.copy())
    argv = ["backtest", "--ticker", "MSFT", "--cache-dir", str(tmp_path / "cache"),
            "--target", "Close", "--horizon", "5", "--models", "naive,drift", "--folds", "2",
            "--no-plots"]
    assert main([*argv, "--out", str(tmp_path / "online")]) == 0  # "online": fills the cache
    assert calls == ["MSFT"]

    def no_network(*args, **kwargs):
        raise AssertionError("yfinance.download called while offline")

    monkeypatch.setattr(yf, "download", no_network)
    capsys.readouterr()
    assert main([*argv, "--offline", "--out", str(tmp_path / "offline")]) == 0
    assert "Drift" in capsys.readouterr().out
    assert calls == ["MSFT"]


def test_backtest_ticker_offline_without_cache_one_line(tmp_path: Path, capsys):
    code = main(["backtest", "--ticker", "NOSUCHTICKER", "--offline", "--cache-dir",
                 str(tmp_path / "empty_cache"), "--target", "Close", "--horizon", "5",
                 "--models", "naive", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "Traceback" not in err
    assert "NOSUCHTICKER" in err


def test_backtest_coverage_scores_the_intervals(tmp_path: Path, capsys):
    csv = tmp_path / "sales.csv"
    _monthly().to_csv(csv, index=False)
    out = tmp_path / "o"
    code = main(["backtest", "--data", str(csv), "--target", "sales", "--horizon", "6",
                 "--models", "snaive,theta,gru", "--folds", "2", "--coverage", "0.9",
                 "--epochs", "1", "--units", "4", "--out", str(out), "--no-plots"])
    assert code == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert "coverage" in printed
    assert "MSIS" in printed
    board = pd.read_csv(out / "backtest_leaderboard.csv", index_col=0)
    for name in ("SeasonalNaive", "Theta"):
        assert 0.0 <= board.loc[name, "coverage"] <= 1.0
        assert board.loc[name, "msis"] > 0
    assert np.isnan(board.loc["GRU", "msis"])  # no predict_interval: '-' in the table
    gru_row = next(line for line in printed.splitlines() if line.startswith("GRU"))
    assert gru_row.split()[-3:-1] == ["-", "-"]  # coverage and MSIS; fit s last
    preds = pd.read_csv(out / "backtest_predictions.csv")
    assert {"lower", "upper"} <= set(preds.columns)
    assert "--coverage 0.9" in (out / "report.md").read_text()


def test_backtest_coverage_out_of_range_is_one_line(tmp_path: Path, capsys):
    csv = tmp_path / "sales.csv"
    _monthly().to_csv(csv, index=False)
    code = main(["backtest", "--data", str(csv), "--target", "sales", "--horizon", "6",
                 "--models", "snaive", "--coverage", "95", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "--coverage must be in (0, 1), e.g. 0.95; received 95.0" in err
    assert err.count("\n") == 0


def test_report_gives_the_command_as_run(tmp_path: Path, capsys):
    csv = tmp_path / "my sales.csv"  # a space: the command must quote it
    _monthly().to_csv(csv, index=False)
    out = tmp_path / "report"
    argv = ["backtest", "--data", str(csv), "--target", "sales", "--horizon", "6",
            "--models", "naive,snaive", "--folds", "2", "--season-length", "6",
            "--out", str(out), "--no-plots", "--format", "markdown"]
    assert main(argv) == 0, capsys.readouterr().err
    assert "season length 6" in capsys.readouterr().out
    report = (out / "report.md").read_text()
    command = re.search(r"Command: `forecast (.+?)`", report).group(1)
    assert shlex.split(command) == argv
