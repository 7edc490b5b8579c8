"""Settings the CLI checks before any training: a bad value is exit 2 and one line that
names the flag or the pipeline key (found by the 2026-12-07 new-user audit)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_errors_cli import _error_line

from forecast import estimators
from forecast.cli import main
from forecast.cli._config_values import SCHEMA, TASK_KEYS


def _pipeline(tmp_path: Path, extra: str = "", data: str = 'sample = "co2"\nlast = 120',
              backtest: str = "horizon = 6\nfolds = 2", task: str = "forecast") -> list[str]:
    path = tmp_path / "pipe.toml"
    path.write_text(f'[pipeline]\nname = "t"\ntask = "{task}"\n[data]\n{data}\n'
                    f'[backtest]\nmodels = ["snaive", "lstm"]\n{backtest}\n{extra}',
                    encoding="utf-8")
    return ["run", str(path), "--out", str(tmp_path / "out")]


# --- neural settings, before any fold --------------------------------------------------------

@pytest.mark.parametrize("seed", ["-1", "4294967296", "x"])
def test_seed_out_of_range_is_a_usage_error(tmp_path, capsys, seed):
    assert main(["backtest", "--sample", "co2", "--horizon", "6", "--models", "lstm",
                 "--seed", seed, "--out", str(tmp_path)]) == 2
    assert f"--seed: must be an integer in [0, 2**32 - 1], received '{seed}'" in \
        capsys.readouterr().err


def test_a_window_longer_than_the_first_fold_is_refused_up_front(tmp_path, capsys):
    assert main(["backtest", "--sample", "co2", "--horizon", "12", "--models", "lstm",
                 "--window", "600", "--out", str(tmp_path)]) == 2
    line = _error_line(capsys)
    assert "--window 600 is too long: the neural models need window + 2 x horizon = 624 " \
           "observations before the first fold" in line
    assert "it has 490" in line


def test_the_window_message_names_the_pipeline_key(tmp_path, capsys):
    assert main(_pipeline(tmp_path, extra="[neural]\nwindow = 100")) == 2
    assert "[neural] window 100 is too long" in _error_line(capsys)


@pytest.mark.parametrize(("extra", "message"), [
    ('[neural]\nscaler = "bogus"',
     '[neural] scaler must be one of "auto", "standard", "last", "mean", "log"; '
     "received 'bogus'"),
    ('[neural]\nloss = "msee"', "[neural] loss must be a loss name"),
    ('[output]\nformat = "pdf"', "[output] format must be \"markdown\" or \"html\"; "
     "received 'pdf'"),
])
def test_choices_are_checked_when_the_file_is_read(tmp_path, capsys, extra, message):
    assert main(_pipeline(tmp_path, extra=extra)) == 2
    assert message in _error_line(capsys)


def test_cell_and_level_are_choices():
    from forecast.cli._config_values import check_value
    from forecast.cli._console import CLIError

    assert check_value("neural", "cell", "gru") == "gru"
    with pytest.raises(CLIError, match=r"\[neural\] cell must be one of \"lstm\", \"gru\", "
                                       r"\"rnn\"; received 'bogus'"):
        check_value("neural", "cell", "bogus")
    with pytest.raises(CLIError, match=r"\[neural\] level must be \"char\" or \"word\""):
        check_value("neural", "level", "byte")


# --- keys the task does not read --------------------------------------------------------------

@pytest.mark.parametrize(("extra", "backtest", "message"), [
    ("", "horizon = 6\nfolds = 2\nlookback = 24",
     "[backtest] lookback is not read by task 'forecast' (its [backtest] keys: "
     "feature_models, folds, horizon, models, season_length)"),
    ("[cv]\nfolds = 3", "horizon = 6\nfolds = 2",
     "task 'forecast' reads no [cv] table (its tables: backtest, data, neural, output, "
     "pipeline)"),
    ('[neural]\ncell = "gru"', "horizon = 6\nfolds = 2",
     "[neural] cell is not read by task 'forecast'"),
])
def test_keys_of_other_tasks_are_errors(tmp_path, capsys, extra, backtest, message):
    assert main(_pipeline(tmp_path, extra=extra, backtest=backtest)) == 2
    assert message in _error_line(capsys)


def test_every_task_key_has_a_kind():
    for task, tables in TASK_KEYS.items():
        for table, keys in tables.items():
            assert set(keys) <= set(SCHEMA[table]), (task, table)


# --- --start / --end on every source ---------------------------------------------------------

def test_start_and_end_select_the_rows_of_a_sample(tmp_path, capsys):
    assert main(["backtest", "--sample", "co2", "--start", "1980-01-01", "--end", "1995-01-01",
                 "--horizon", "12", "--folds", "1", "--models", "snaive", "--no-plots",
                 "--out", str(tmp_path)]) == 0
    assert "180 observations" in capsys.readouterr().out  # 15 years of months


def test_start_and_end_apply_to_a_csv_and_to_pipeline_files(tmp_path, capsys):
    csv = tmp_path / "s.csv"
    pd.DataFrame({"date": pd.date_range("2000-01-01", periods=120, freq="MS")
                  .strftime("%Y-%m-%d"), "v": np.arange(120.0) + 1}).to_csv(csv, index=False)
    assert main(["backtest", "--data", str(csv), "--target", "v", "--start", "2002-01-01",
                 "--horizon", "3", "--folds", "1", "--models", "naive", "--no-plots",
                 "--out", str(tmp_path / "o")]) == 0
    assert "96 observations" in capsys.readouterr().out
    args = _pipeline(tmp_path, data=f'path = "{csv}"\nstart = "2002-01-01"\nend = "2008-01-01"',
                     backtest="horizon = 3\nfolds = 1")
    Path(args[1]).write_text(Path(args[1]).read_text().replace('"snaive", "lstm"', '"naive"'))
    assert main(args) == 0
    assert "72 observations" in capsys.readouterr().out


def test_an_empty_range_is_one_line(tmp_path, capsys):
    assert main(["backtest", "--sample", "co2", "--start", "2020-01-01", "--horizon", "6",
                 "--models", "naive", "--out", str(tmp_path)]) == 2
    assert _error_line(capsys) == (
        "forecast: error: no rows in the range --start asks for (2020-01-01 to the end, end "
        "excluded); the data holds 1958-03-01 to 2001-12-01")


def test_a_bad_start_date_names_the_flag(tmp_path, capsys):
    assert main(["backtest", "--sample", "co2", "--start", "1990-13-01", "--horizon", "6",
                 "--models", "naive", "--out", str(tmp_path)]) == 2
    assert _error_line(capsys) == ("forecast: error: --start must be a date (YYYY-MM-DD); "
                                   "received '1990-13-01'")


# --- length messages say what binds -----------------------------------------------------------

def test_two_seasons_bind_and_the_message_says_so(tmp_path, capsys):
    assert main(["backtest", "--sample", "co2", "--last", "22", "--horizon", "2", "--folds",
                 "1", "--models", "naive", "--out", str(tmp_path)]) == 2
    assert _error_line(capsys).endswith(
        "22 observations are too few: 1 fold(s) of horizon 2 hold out the last 2, and the "
        "first fold needs two seasons of 12 before them (at least 26 in all); lower --folds "
        "or --horizon, or --season-length")


def test_in_a_pipeline_the_length_message_names_keys(tmp_path, capsys):
    assert main(_pipeline(tmp_path, backtest="horizon = 60\nfolds = 2")) == 2
    assert _error_line(capsys).endswith("lower [backtest] folds or [backtest] horizon")


# --- messages in the CLI's words ---------------------------------------------------------------

def test_ticker_messages_name_flags(tmp_path, capsys):
    assert main(["backtest", "--ticker", "MSFT/../x", "--offline", "--target", "Close",
                 "--horizon", "5", "--out", str(tmp_path)]) == 2
    assert "--ticker must be one ticker symbol" in _error_line(capsys)
    assert main(["backtest", "--ticker", "MSFT", "--offline", "--cache-dir",
                 str(tmp_path / "empty"), "--target", "Close", "--horizon", "5",
                 "--out", str(tmp_path)]) == 2
    line = _error_line(capsys)
    assert "--sample msft" in line
    assert "load_msft" not in line


def test_text_generation_passes_the_cell(tmp_path, monkeypatch):
    seen = {}

    class Stop(Exception):
        pass

    class FakeGenerator:
        def __init__(self, **kwargs):
            seen.update(kwargs)
            raise Stop

    monkeypatch.setattr(estimators, "TextGenerator", FakeGenerator)
    from forecast.cli._text_pipelines import run_text_generation

    config = {"pipeline": {"name": "t", "task": "text_generation"},
              "neural": {"cell": "gru", "epochs": 1}, "_file": "t.toml"}
    monkeypatch.setattr("forecast.cli._text_pipelines._sentences", lambda config: pd.DataFrame(
        {"text": ["good film", "bad film", "fine"] * 4}))
    with pytest.raises(Stop):
        run_text_generation(config, tmp_path)
    assert seen["cell"] == "gru"


def test_a_fraction_out_of_range_is_refused():
    from forecast.cli._config_values import check_value
    from forecast.cli._console import CLIError

    with pytest.raises(CLIError, match=r"\[neural\] dropout must be a number in \[0, 1\); "
                                       r"received 1.5"):
        check_value("neural", "dropout", 1.5)


def test_an_ett_horizon_longer_than_a_split_names_the_keys(tmp_path, capsys):
    n = 14400
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(n, 7)),
                         columns=["HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"])
    frame.insert(0, "date", pd.date_range("2016-07-01", periods=n, freq="h")
                 .strftime("%Y-%m-%d %H:%M:%S"))
    csv = tmp_path / "ETTh1.csv"
    frame.to_csv(csv, index=False)
    path = tmp_path / "ett.toml"
    path.write_text(f'[pipeline]\nname = "e"\ntask = "ett"\n[data]\npath = "{csv}"\n'
                    "[backtest]\nhorizon = 5000\n", encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "o")]) == 2
    assert _error_line(capsys).endswith(
        "the validation split has 2976 rows, fewer than [backtest] lookback + horizon = 96 + "
        "5000; lower [backtest] horizon or lookback")


def test_a_missing_relative_data_file_shows_where_it_was_looked_for(tmp_path, capsys,
                                                                   monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["backtest", "--data", "sales.csv", "--target", "v", "--horizon", "3",
                 "--out", "o"]) == 2
    assert _error_line(capsys) == (f"forecast: error: data file not found: sales.csv (looked "
                                   f"for {tmp_path / 'sales.csv'})")
