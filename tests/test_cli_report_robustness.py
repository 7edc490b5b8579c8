"""CLI reports when a model fails everywhere, and for series with values <= 0."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from forecast import forecasters
from forecast.cli import main


def _monthly_csv(tmp_path: Path, n: int = 72) -> Path:
    rng = np.random.default_rng(0)
    t = np.arange(n)
    values = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, n)
    csv = tmp_path / "sales.csv"
    pd.DataFrame({"month": pd.date_range("2015-01-01", periods=n, freq="MS")
                  .strftime("%Y-%m-%d"), "sales": values}).to_csv(csv, index=False)
    return csv


def test_a_model_failing_on_every_fold_still_gets_a_report(tmp_path, monkeypatch, capsys):
    def broken_fit(self, y, X=None):
        raise ValueError("theta broke")

    monkeypatch.setattr(forecasters.Theta, "fit", broken_fit)
    out = tmp_path / "o"
    code = main(["backtest", "--data", str(_monthly_csv(tmp_path)), "--target", "sales",
                 "--horizon", "6", "--models", "naive,theta", "--folds", "2",
                 "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = (out / "report.md").read_text()
    assert "backtest_fold_errors.png" in report
    assert "backtest_leaderboard.png" in report
    theta = next(line for line in captured.out.splitlines() if line.startswith("Theta"))
    assert theta.split()[1:4] == ["-", "-", "-"]
    assert theta.split()[-1] == "2"  # failed folds, a count
    assert "theta broke" in captured.err


def test_returns_are_ranked_by_mase(tmp_path, capsys):
    out = tmp_path / "o"
    code = main(["backtest", "--data", str(_monthly_csv(tmp_path)), "--target", "sales",
                 "--transform", "returns", "--horizon", "6", "--models", "naive,mean,drift",
                 "--folds", "2", "--out", str(out), "--no-plots"])
    assert code == 0, capsys.readouterr().err
    board = pd.read_csv(out / "backtest_leaderboard.csv", index_col=0)
    assert list(board["mase"]) == sorted(board["mase"])
    assert "sorted by MASE" in (out / "report.md").read_text()


def test_an_exact_naive2_still_gets_a_report(tmp_path, capsys):
    # the series stops moving before the folds: Naive2 is exact, OWA undefined (NaN)
    values = np.r_[np.arange(1.0, 41.0), np.full(12, 40.0)]
    csv = tmp_path / "flat.csv"
    pd.DataFrame({"month": pd.date_range("2015-01-01", periods=len(values), freq="MS")
                  .strftime("%Y-%m-%d"), "v": values}).to_csv(csv, index=False)
    out = tmp_path / "o"
    code = main(["backtest", "--data", str(csv), "--target", "v", "--season-length", "1",
                 "--horizon", "3", "--folds", "2", "--models", "naive,mean", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    board = pd.read_csv(out / "backtest_leaderboard.csv", index_col=0)
    assert board["owa"].isna().all()
    report = (out / "report.md").read_text()
    assert "Leaderboard (MASE)" in report
    assert (out / "backtest_leaderboard.png").is_file()


def test_every_model_failing_writes_a_report_without_figures(tmp_path, monkeypatch, capsys):
    def broken_fit(self, y, X=None):
        raise ValueError("broke")

    for name in ("Naive", "Naive2"):
        monkeypatch.setattr(getattr(forecasters, name), "fit", broken_fit)
    out = tmp_path / "o"
    code = main(["backtest", "--data", str(_monthly_csv(tmp_path)), "--target", "sales",
                 "--horizon", "6", "--models", "naive", "--folds", "2", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert (out / "report.md").is_file()
    assert not list(out.glob("*.png"))


def test_start_on_a_csv_with_utc_offsets(tmp_path, capsys):
    stamps = pd.date_range("2020-01-01", periods=60, freq="D", tz="UTC")
    csv = tmp_path / "zoned.csv"
    pd.DataFrame({"time": stamps.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                  "v": np.arange(60.0) + 1}).to_csv(csv, index=False)
    code = main(["backtest", "--data", str(csv), "--target", "v", "--start", "2020-01-11",
                 "--horizon", "3", "--folds", "1", "--models", "naive", "--no-plots",
                 "--out", str(tmp_path / "o")])
    assert code == 0, capsys.readouterr().err
    assert "50 observations" in capsys.readouterr().out
