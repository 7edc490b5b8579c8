"""`forecast demo --quick` end to end (in-process): every model named, report written."""

from __future__ import annotations

from forecast.cli import main
from forecast.cli._registry import MODELS


def test_demo_quick_names_every_model_and_writes_report(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--quick", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    expected = [display for key, (display, _) in MODELS.items() if key != "rnn"]
    for name in expected:  # LSTM, GRU and every baseline, on both datasets
        assert captured.out.count(name) >= 2, name
    assert "OWA" in captured.out
    assert "sMAPE" in captured.out
    report = out / "report.md"
    assert report.is_file()
    assert str(report) in captured.out.splitlines()[-2] + captured.out.splitlines()[-1]
    text = report.read_text()
    for dataset in ("co2", "msft"):
        assert (out / f"{dataset}_leaderboard.csv").is_file()
        for stem in ("forecasts", "fold_errors", "leaderboard", "training"):
            png = out / f"{dataset}_{stem}.png"
            assert png.is_file()
            assert png.stat().st_size > 1000
            assert png.name in text
    assert "[forecast" in captured.err  # progress lines on stderr
    assert not list(out.glob(".*"))  # no temporary files left behind (atomic writes)
