"""Typed pipeline settings (``forecast.cli._config_values``) and gaps in dated CSV files.

A wrong value in a pipeline file is exit code 2 and one line naming ``[table] key``;
a monthly CSV with a missing month keeps its frequency and season length.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_errors_cli import _error_line  # the one `forecast: error:` line on stderr

from forecast.cli import main
from forecast.cli._config_values import SCHEMA, check_value, setting
from forecast.cli._console import CLIError
from forecast.cli._data import _regularise, season_length_for, select_target
from forecast.cli._run import KEYS


def _run(tmp_path: Path, data: str = "", backtest: str = "", extra: str = "") -> list[str]:
    """``forecast run`` of a co2 pipeline; ``data``/``backtest`` lines replace the defaults."""
    data = data or "last = 120"
    backtest = backtest or "horizon = 6\nfolds = 2"
    body = (f'[pipeline]\nname = "t"\ntask = "forecast"\n[data]\nsample = "co2"\n{data}\n'
            f'[backtest]\nmodels = ["snaive"]\n{backtest}\n{extra}')
    path = tmp_path / "pipe.toml"
    path.write_text(body, encoding="utf-8")
    return ["run", str(path), "--out", str(tmp_path / "out")]


@pytest.mark.parametrize(("data", "backtest", "message"), [
    ("last = -100", "", "[data] last must be a positive integer; received -100"),
    ("last = 0", "", "[data] last must be a positive integer; received 0"),
    ("", "horizon = 6\nfolds = 2.5", "[backtest] folds must be a positive integer; received 2.5"),
    ("", "horizon = 6.9", "[backtest] horizon must be a positive integer; received 6.9"),
    ("", "horizon = true", "[backtest] horizon must be a positive integer; received true"),
    ("", 'horizon = "six"', "[backtest] horizon must be a positive integer; received 'six'"),
    ("", 'horizon = 6\nfolds = "3"', "[backtest] folds must be a positive integer; received '3'"),
    ("", "horizon = 6\nfolds = -1", "[backtest] folds must be a positive integer; received -1"),
    ('last = 120\nfeatures = "x"', "",
     "[data] features must be a list of strings; received 'x'"),
])
def test_bad_pipeline_value_names_the_key(tmp_path, capsys, data, backtest, message):
    assert main(_run(tmp_path, data, backtest)) == 2
    assert _error_line(capsys) == f"forecast: error: {tmp_path / 'pipe.toml'}: {message}"


def test_models_must_be_names(tmp_path, capsys):
    args = _run(tmp_path)
    path = Path(args[1])
    path.write_text(path.read_text().replace('models = ["snaive"]', "models = 5"))
    assert main(args) == 2
    assert _error_line(capsys).endswith(
        "pipe.toml: [backtest] models must be a list of names (or one comma-separated string); "
        "received 5")


@pytest.mark.parametrize(("extra", "message"), [
    ("[neural]\nunits = 0", "[neural] units must be a positive integer or a list of them; "
     "received 0"),
    ("[neural]\nlearning_rate = -0.1", "[neural] learning_rate must be a positive number; "
     "received -0.1"),
    ("[neural]\nbatch_size = 0", "[neural] batch_size must be a positive integer; received 0"),
    ("[neural]\nrandom_state = -1", "[neural] random_state must be an integer in "
     "[0, 2**32 - 1]; received -1"),
    ("[output]\nplots = 1", "[output] plots must be true or false; received 1"),
    ("[quick]\nbacktest = { horizon = 2.5 }",
     "[quick.backtest] horizon must be a positive integer; received 2.5"),
])
def test_bad_value_in_other_tables(tmp_path, capsys, extra, message):
    """Every table is checked when the file is read, ``[quick]`` too (without --quick)."""
    assert main(_run(tmp_path, extra=extra)) == 2
    assert _error_line(capsys).endswith(f"pipe.toml: {message}")


def test_good_values_still_run(tmp_path, capsys):
    """A comma-separated ``models`` string and an explicit ``last`` keep working."""
    args = _run(tmp_path, backtest='horizon = 6\nfolds = 2\nmodels = "snaive,naive2"')
    path = Path(args[1])
    path.write_text(path.read_text().replace('models = ["snaive"]\n', ""))
    assert main([*args, "--quick"]) == 0
    out = capsys.readouterr().out
    assert "120 observations, horizon 6, season length 12, 2 folds" in out
    assert "Naive2" in out


def test_check_value_and_setting():
    assert check_value("backtest", "horizon", 6) == 6
    assert check_value("neural", "units", [8, 4]) == [8, 4]
    assert check_value("neural", "learning_rate", 1) == 1
    assert check_value("data", "start", "2015-01-01") == "2015-01-01"
    for value in (True, 6.0, 0, "6", None):
        with pytest.raises(CLIError, match=r"^\[backtest\] horizon must be a positive integer"):
            check_value("backtest", "horizon", value)
    with pytest.raises(CLIError, match=r"must be a positive number; received inf"):
        check_value("neural", "learning_rate", float("inf"))
    config = {"backtest": {"folds": 2}}
    assert setting(config, "backtest", "folds", 3) == 2
    assert setting(config, "backtest", "horizon", 12) == 12
    assert setting(config, "backtest", "season_length") is None
    assert KEYS == {table: set(kinds) for table, kinds in SCHEMA.items()}


def test_ett_models_are_checked(tmp_path, capsys):
    path = tmp_path / "ett.toml"
    path.write_text('[pipeline]\nname = "e"\ntask = "ett"\n[data]\n'
                    f'path = {json.dumps(str(tmp_path))}\n[backtest]\nmodels = ["rnn"]\n')
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    assert _error_line(capsys) == ("forecast: error: [backtest] models of the ett task must be "
                                   "among lstm, gru; received 'rnn'")


# --- gaps in the timestamps (_data._regularise) ----------------------------------------------

def _monthly(n: int = 60) -> pd.Series:
    index = pd.date_range("2015-01-01", periods=n, freq="MS")
    return pd.Series(10 + np.sin(np.arange(n) * 2 * np.pi / 12), index=index, name="units")


def test_missing_month_is_filled_and_keeps_the_season(capsys):
    y = _monthly()
    gap = y.drop(y.index[10])
    filled = _regularise(gap)
    assert filled.index.freqstr in ("MS", "M", "ME")
    assert len(filled) == len(y)
    assert filled.iloc[10] == y.iloc[9]  # the previous value
    assert filled.drop(y.index[10]).equals(gap)
    assert season_length_for(filled.index) == 12
    assert ("1 missing timestamp(s) filled with the previous value (frequency MS; first "
            "2015-11-01)") in capsys.readouterr().err


def test_csv_with_missing_month_keeps_season_length_12(tmp_path, capsys):
    y = _monthly(90)
    path = tmp_path / "sales.csv"
    y.drop(y.index[10]).rename_axis("date").reset_index().to_csv(path, index=False)
    args = ["backtest", "--data", str(path), "--target", "units", "--horizon", "6",
            "--models", "snaive", "--no-plots", "--out", str(tmp_path / "out")]
    assert main(args) == 0
    assert "90 observations, horizon 6, season length 12" in capsys.readouterr().out


def test_blank_cells_in_a_gapped_series_are_still_reported(capsys):
    gap = _monthly().drop(_monthly().index[10])
    gap.iloc[20] = np.nan
    frame = gap.to_frame()
    y = select_target(frame, "units")
    assert y.notna().all()
    assert len(y) == 60
    err = capsys.readouterr().err
    assert "1 missing timestamp(s) filled" in err
    assert "1 missing value(s) in 'units' filled with the previous value" in err


def test_too_many_gaps_fall_back_to_row_numbers(capsys):
    y = _monthly()
    sparse = y.drop(y.index[[3, 10, 17, 25, 33, 41, 50]])  # 7 of 60 (> 10%) missing
    out = _regularise(sparse)
    assert isinstance(out.index, pd.RangeIndex)
    assert "irregular timestamps" in capsys.readouterr().err


def test_business_days_keep_their_own_message(capsys):
    days = pd.bdate_range("2020-01-01", periods=80)
    y = pd.Series(np.arange(80.0), index=days).drop(days[[5, 30]])
    out = _regularise(y)
    assert out.index.freqstr == "B"
    assert len(out) == 80
    assert "2 missing business days filled" in capsys.readouterr().err


def test_cli_messages_name_the_option(capsys):
    assert main(["backtest", "--sample", "nope", "--horizon", "3"]) == 2
    assert _error_line(capsys) == ("forecast: error: --sample must be one of co2, msft, "
                                   "sunspots; received 'nope'")
    assert main(["--bogus"]) == 2
    assert "unrecognized arguments: --bogus" in _error_line(capsys)
    assert main([]) == 2
    assert "the following arguments are required: COMMAND" in _error_line(capsys)


def test_pipeline_sample_is_named_by_its_key(tmp_path, capsys):
    args = _run(tmp_path)
    path = Path(args[1])
    path.write_text(path.read_text().replace('sample = "co2"', 'sample = "co3"'))
    assert main(args) == 2
    assert _error_line(capsys) == ("forecast: error: [data] sample must be one of co2, msft, "
                                   "sunspots; received 'co3'")


def test_run_on_a_folder_names_a_pipeline_file_in_it(tmp_path, capsys):
    (tmp_path / "a.toml").write_text('[pipeline]\ntask = "forecast"\n', encoding="utf-8")
    assert main(["run", str(tmp_path)]) == 2
    line = _error_line(capsys)
    assert f"{tmp_path} is a folder, not a pipeline file; pass one .toml file in it, e.g. " \
           f"{tmp_path / 'a.toml'}" in line


# --- day-first dates and decimal commas from the command line and pipeline files ----------

#: days 1-12 of January and February written day-first: read month-first they are not in
#: order, read day-first they are not regular, so only the user can say which it is
EU_DAYS = "date,close\n" + "".join(
    f"{day:02d}/{month:02d}/2020,{10 * month + day}\n" for month in (1, 2) for day in range(1, 13))


def test_ambiguous_dates_name_the_cli_flags(tmp_path, capsys):
    path = tmp_path / "eu.csv"
    path.write_text(EU_DAYS, encoding="utf-8")
    assert main(["backtest", "--data", str(path), "--horizon", "1", "--folds", "1",
                 "--models", "naive"]) == 2
    line = _error_line(capsys)
    assert "pass --dayfirst (01/02/2020 is 1 February) or --monthfirst (2 January)" in line
    assert "dayfirst=True" not in line


def test_dayfirst_flag_reads_the_dates(tmp_path, capsys):
    from forecast.cli._data import load_frame

    path = tmp_path / "eu.csv"
    path.write_text(EU_DAYS, encoding="utf-8")
    frame = load_frame(data=str(path), dayfirst=True)
    assert frame.index[12] == pd.Timestamp("2020-02-01")
    assert main(["backtest", "--data", str(path), "--dayfirst", "--horizon", "1", "--folds",
                 "1", "--models", "naive", "--out", str(tmp_path / "out"), "--no-plots"]) == 0


def test_decimal_comma_flag(tmp_path):
    path = tmp_path / "comma.csv"
    rows = "".join(f'{d:%Y-%m-%d},"{i},5"\n' for i, d in enumerate(
        pd.date_range("2020-01-01", periods=30, freq="D")))
    path.write_text("date,value\n" + rows, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["backtest", "--data", str(path), "--decimal-comma", "--horizon", "1",
                 "--folds", "1", "--models", "naive", "--out", str(out), "--no-plots"]) == 0
    (predictions,) = out.glob("*_predictions.csv")
    assert "29.5" in predictions.read_text(encoding="utf-8")


def test_pipeline_dayfirst_key(tmp_path, capsys):
    path = tmp_path / "eu.csv"
    path.write_text(EU_DAYS, encoding="utf-8")
    body = (f'[pipeline]\nname = "eu"\ntask = "forecast"\n\n[data]\npath = '
            f'{json.dumps(str(path))}\ntarget = "close"\n\n[backtest]\nmodels = ["naive"]\n'
            'folds = 1\nhorizon = 1\n')
    pipe = tmp_path / "eu.toml"
    pipe.write_text(body, encoding="utf-8")
    assert main(["run", str(pipe), "--out", str(tmp_path / "o1")]) == 2
    assert "pass [data] dayfirst = true (01/02/2020 is 1 February)" in _error_line(capsys)
    pipe.write_text(body.replace('target = "close"', 'target = "close"\ndayfirst = true'),
                    encoding="utf-8")
    assert main(["run", str(pipe), "--out", str(tmp_path / "o2")]) == 0


def test_pipeline_decimal_key_is_checked(tmp_path, capsys):
    assert check_value("data", "decimal", ",") == ","
    with pytest.raises(CLIError, match=r'\[data\] decimal must be "\." or ","; received'):
        check_value("data", "decimal", ";")
