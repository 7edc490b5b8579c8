"""Every pipelines/*.toml loads, and runs end to end with its [quick] settings."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from forecast.cli import main
from forecast.cli._run import TASKS, load_config

PIPELINES = Path(__file__).resolve().parent.parent / "pipelines"
CONFIGS = sorted(PIPELINES.glob("*.toml"))
NEEDS_SHARED = {"stocks", "m4_hourly", "etth1", "sentiment", "text_generation"}


def test_expected_pipelines_exist():
    names = {p.stem for p in CONFIGS}
    assert names >= {"co2", "stocks", "m4_hourly", "etth1", "sentiment", "text_generation",
                     "date_translation"}
    assert (PIPELINES / "run.py").is_file()


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_config_is_valid(path):
    for quick in (False, True):
        config = load_config(path, quick=quick)
        assert config["pipeline"]["task"] in TASKS
        assert config["pipeline"].get("description")
        assert "quick" not in config


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_pipeline_runs_quick(path, tmp_path, request, monkeypatch, capsys):
    if path.stem in NEEDS_SHARED:
        shared = request.getfixturevalue("shared_data")
        monkeypatch.setenv("FORECAST_SHARED_DATA", str(shared))
    out = tmp_path / path.stem
    assert main(["run", str(path), "--quick", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert (out / "report.md").is_file()
    argv = ["run", str(path), "--quick", "--out", str(out)]
    report = (out / "report.md").read_text()
    assert f"`forecast {shlex.join(argv)}`" in report  # as run
    # the description is the full run's ("3 rolling folds"): the report says what changed
    overrides = load_config(path, quick=True)["_quick_overrides"]
    assert overrides
    assert "quick run, overriding the description's settings: " + ", ".join(overrides) in report
    assert f"Report written to {out / 'report.md'}" in captured.out
    assert f"Pipeline {path.stem} finished" in captured.out


def test_missing_shared_data_is_one_clear_line(tmp_path, capsys):
    config = tmp_path / "m4_elsewhere.toml"
    config.write_text('[pipeline]\nname = "m4x"\ntask = "m4"\ndescription = "x"\n'
                      '[data]\npath = "../shared/data/does-not-exist"\n')
    assert main(["run", str(config), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "not found" in err
    assert "does-not-exist" in err


@pytest.mark.parametrize(("text", "message"), [
    ("[pipeline]\nname = 'x'\n", "needs a [pipeline] table"),
    ("[pipeline]\ntask = 'forecast_everything'\n", "unknown task"),
    ("[pipeline\n", "not valid TOML"),
    ("[pipeline]\ntask = 'forecast'\n[backtest]\nfold = 1\n",
     "unknown key in [backtest] 'fold'; did you mean 'folds'?"),
    ("[pipeline]\ntask = 'forecast'\n[quick.backtest]\nmodles = ['naive']\n",
     "unknown key in [quick.backtest] 'modles'; did you mean 'models'?"),
    ("[pipeline]\ntask = 'forecast'\n[backtset]\nfolds = 1\n",
     "unknown table 'backtset'; did you mean 'backtest'?"),
    # a [data] table without its source used to get the CLI's "--data/--ticker" message
    # (forecast) or a KeyError (m4, ett, sentiment)
    ("[pipeline]\ntask = 'forecast'\n[data]\nlast = 10\n",
     "[data] needs one of `path`, `ticker`, `sample` (task 'forecast'). Received: none"),
    ("[pipeline]\ntask = 'forecast'\n[data]\nsample = 'co2'\nticker = 'MSFT'\n",
     "[data] needs one of `path`, `ticker`, `sample` (task 'forecast'). Received: ticker, "
     "sample"),
    ("[pipeline]\ntask = 'm4'\n[data]\nfrequency = 'Hourly'\n",
     "[data] needs `path` (task 'm4'). Received: none"),
    ("[pipeline]\ntask = 'ett'\n", "[data] needs `path` (task 'ett'). Received: none"),
])
def test_bad_config_exit_two(tmp_path, capsys, text, message):
    config = tmp_path / "bad.toml"
    config.write_text(text)
    assert main(["run", str(config)]) == 2
    assert message in capsys.readouterr().err


def test_missing_config_file(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.toml")]) == 2
    assert "not found" in capsys.readouterr().err


def test_m4_pipeline_without_a_test_file_is_one_clear_line(tmp_path, capsys, monkeypatch):
    data = tmp_path / "m4"
    data.mkdir()
    (data / "Hourly-train.csv").write_text('"V1","V2","V3"\n"H1","1","2"\n')
    config = tmp_path / "m4.toml"
    config.write_text(f"[pipeline]\ntask = 'm4'\n[data]\npath = '{data}'\n")
    assert main(["run", str(config)]) == 2
    assert "no Hourly-test.csv beside the training file" in capsys.readouterr().err
