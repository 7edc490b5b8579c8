"""`forecast` CLI input errors not covered elsewhere: exit code 2 and one clear error line.

Every case fails before any model is trained; ticker cases use ``--offline`` and a cache
folder in ``tmp_path`` (no download is attempted).
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pandas as pd
import pytest

from forecast.cli import main

N_ROWS = 60


def _error_line(capsys) -> str:
    """The one ``forecast: error:`` line on stderr (progress lines may precede it)."""
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    errors = [line for line in captured.err.splitlines() if line.startswith("forecast: error:")]
    assert len(errors) == 1, captured.err
    return errors[0]


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    """60 daily rows: `sales` (1..60), a 0/1 `promo` dummy, an all-empty `blank`, text `label`."""
    dates = pd.date_range("2020-01-01", periods=N_ROWS, freq="D")
    frame = pd.DataFrame({"date": dates, "sales": range(1, N_ROWS + 1),
                          "promo": [i % 2 for i in range(N_ROWS)], "blank": [None] * N_ROWS,
                          "label": ["x"] * N_ROWS})
    path = tmp_path / "series.csv"
    frame.to_csv(path, index=False)
    return path


def _backtest(csv: Path, *extra: str) -> list[str]:
    return ["backtest", "--data", str(csv), "--horizon", "3", "--models", "naive", *extra]


def _pipeline(tmp_path: Path, body: str) -> list[str]:
    """``forecast run`` of a pipeline file holding ``body``, output under ``tmp_path``."""
    path = tmp_path / "pipe.toml"
    path.write_text(body, encoding="utf-8")
    return ["run", str(path), "--out", str(tmp_path / "out")]


def _forecast_pipeline(csv: Path, data: str = "", backtest: str = "") -> str:
    return (f'[pipeline]\nname = "bad"\ntask = "forecast"\n\n'
            f'[data]\npath = {json.dumps(str(csv))}\ntarget = "sales"\n{data}\n'
            f'[backtest]\nmodels = ["naive"]\nfolds = 1\n{backtest}\n')


# --- forecast backtest: options checked before loading (_backtest.py) ----------------------

@pytest.mark.parametrize(("option", "value"), [("--season-length", "0"),
                                               ("--season-length", "-3"),
                                               ("--last", "0"), ("--last", "-1")])
def test_backtest_non_positive_option(csv_file, capsys, option, value):
    assert main(_backtest(csv_file, "--target", "sales", option, value)) == 2
    assert f"{option} must be a positive integer; received {value}" in _error_line(capsys)


# --- loading the data (_data.load_frame, _load_ticker) --------------------------------------

@pytest.mark.parametrize("source", ["--data", "--ticker", "--sample"])
def test_empty_source_argument(capsys, source):
    code = main(["backtest", source, "", "--target", "y", "--horizon", "3", "--models", "naive"])
    assert code == 2
    assert ("give exactly one of --data FILE.csv, --ticker SYMBOL or --sample NAME "
            f"(received: {source} with an empty value)") in _error_line(capsys)


def _offline_ticker(cache_dir: Path) -> list[str]:
    return ["backtest", "--ticker", "MSFT", "--offline", "--cache-dir", str(cache_dir),
            "--target", "Close", "--horizon", "3", "--models", "naive"]


def test_ticker_cache_with_duplicate_dates(tmp_path, capsys):
    # the cache reader keeps every row; a hand-placed cache file can repeat a date
    rows = [f"2024-01-{d:02d},1,1,1,{d},100" for d in (2, 3, 3, 4, 5)]
    (tmp_path / "MSFT__1d__min__latest.csv").write_text(
        "Date,Open,High,Low,Close,Volume\n" + "\n".join(rows) + "\n")
    assert main(_offline_ticker(tmp_path)) == 2
    assert "the date index has duplicate timestamps, e.g. 2024-01-03" in _error_line(capsys)


def test_ticker_cache_lookup_os_error(tmp_path, capsys):
    # a cache folder whose name is too long: looking for the cache file is an OSError
    # (Path.is_file ignores only ENOENT/ENOTDIR/EBADF/ELOOP, up to Python 3.13 at least)
    cache_dir = tmp_path / ("c" * 300)
    try:
        (cache_dir / "probe.csv").is_file()
    except OSError:
        pass
    else:
        pytest.skip("this Python's Path.is_file does not raise for a too-long name")
    assert main(_offline_ticker(cache_dir)) == 2
    line = _error_line(capsys)
    assert "could not read the cache or download 'MSFT'" in line
    assert f"[Errno {errno.ENAMETOOLONG}]" in line


# --- choosing and cleaning the target (_data.select_target) ---------------------------------

def test_target_required_with_several_numeric_columns(csv_file, capsys):
    assert main(_backtest(csv_file)) == 2
    assert ("--target is required: choose one of the columns ['sales', 'promo', 'blank', "
            "'label']") in _error_line(capsys)


def test_target_without_values(csv_file, capsys):
    assert main(_backtest(csv_file, "--target", "blank")) == 2
    assert "target column 'blank' has no values" in _error_line(capsys)


def test_returns_of_a_series_with_zeros(csv_file, capsys):
    assert main(_backtest(csv_file, "--target", "promo", "--transform", "returns")) == 2
    assert ("--transform returns produced non-finite values (zeros in 'promo'?)"
            in _error_line(capsys))


# --- the output folder (_output.make_out_dir) -----------------------------------------------

@pytest.mark.parametrize(("out", "message"), [
    ("a_file", "--out {out} exists and is not a folder"),
    ("a_file/sub", "cannot create output folder {out}: Not a directory"),
])
def test_bad_out_folder(csv_file, capsys, out, message):
    (csv_file.parent / "a_file").write_text("not a folder")
    target = csv_file.parent / out
    assert main(_backtest(csv_file, "--target", "sales", "--out", str(target))) == 2
    assert message.format(out=target) in _error_line(capsys)
    assert not (csv_file.parent / "a_file").is_dir()


# --- forecast run: pipeline files (_run.check_keys, _experiment, _data.select_features) -----

@pytest.mark.parametrize(("body", "table"), [
    ('data = 1\n[pipeline]\ntask = "forecast"\n', "data"),
    ('[pipeline]\ntask = "forecast"\n[data]\nsample = "co2"\n[quick]\nneural = 3\n',
     "quick.neural"),
])
def test_pipeline_table_that_is_a_value(tmp_path, capsys, body, table):
    assert main(_pipeline(tmp_path, body)) == 2
    assert f"pipe.toml: [{table}] must be a table of settings" in _error_line(capsys)


@pytest.mark.parametrize(("setting", "message"), [
    ("horizon = 0", "pipe.toml: [backtest] horizon must be a positive integer; received 0"),
    ("horizon = 3\nseason_length = -1",
     "pipe.toml: [backtest] season_length must be a positive integer; received -1"),
    ("horizon = 3\nseason_length = 0",  # 0 is an error, not "infer it"
     "pipe.toml: [backtest] season_length must be a positive integer; received 0"),
])
def test_pipeline_non_positive_backtest_setting(tmp_path, csv_file, capsys, setting, message):
    assert main(_pipeline(tmp_path, _forecast_pipeline(csv_file, backtest=setting))) == 2
    assert message in _error_line(capsys)


@pytest.mark.parametrize(("data", "message"), [
    ('features = ["label"]', "feature column 'label' is not numeric"),
    ('features = ["promo"]\ntransform = "returns"',  # 0 -> 1 is an infinite return
     "feature column 'promo' has a non-finite value after [data] transform returns (zeros?): "
     "inf"),
])
def test_pipeline_unusable_feature(tmp_path, csv_file, capsys, data, message):
    body = _forecast_pipeline(csv_file, data=data, backtest="horizon = 3")
    assert main(_pipeline(tmp_path, body)) == 2
    assert message in _error_line(capsys)


@pytest.mark.parametrize(("target", "transform", "message"), [
    ("sales", "diff",
     "[data] transform must be one of none, returns, log-returns; received 'diff'"),
    ("promo", "log-returns", "[data] transform log-returns needs positive values in 'promo'"),
    ("promo", "returns",
     "[data] transform returns produced non-finite values (zeros in 'promo'?)"),
])
def test_pipeline_messages_name_the_data_key(tmp_path, csv_file, capsys, target, transform,
                                             message):
    """A setting from a pipeline file is named by its ``[data]`` key, not by a flag."""
    body = _forecast_pipeline(csv_file, data=f'transform = "{transform}"',
                              backtest="horizon = 3").replace('"sales"', f'"{target}"')
    assert main(_pipeline(tmp_path, body)) == 2
    line = _error_line(capsys)
    assert message in line
    assert "--transform" not in line


def test_pipeline_target_required(tmp_path, csv_file, capsys):
    body = _forecast_pipeline(csv_file, backtest="horizon = 3").replace('target = "sales"\n', "")
    assert main(_pipeline(tmp_path, body)) == 2
    assert "[data] target is required: choose one of the columns" in _error_line(capsys)
