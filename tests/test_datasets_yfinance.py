"""load_yfinance with a FAKE yfinance.download: cache, fallbacks, validation. No network."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

yf = pytest.importorskip("yfinance")

from forecast.datasets import DataUnavailableError, load_yfinance  # noqa: E402
from forecast.datasets._cache import cache_file, read_cache  # noqa: E402


def _yf_frame(ticker: str, n: int = 5, start: str = "2024-01-02", scale: float = 1.0):
    """What yfinance 1.x returns for one ticker: MultiIndex columns (Price, Ticker)."""
    dates = pd.bdate_range(start, periods=n, name="Date")
    close = scale * (100 + np.arange(n, dtype=float))
    data = {"Close": close, "High": close + 1, "Low": close - 1, "Open": close - 0.5,
            "Volume": np.arange(n) * 1000 + 7}
    cols = pd.MultiIndex.from_tuples([(k, ticker) for k in data], names=["Price", "Ticker"])
    return pd.DataFrame(np.column_stack(list(data.values())), index=dates, columns=cols)


@pytest.fixture
def fake(monkeypatch):
    """Replace yfinance.download; record calls; behaviour set through `state`."""
    state = {"calls": [], "mode": "ok", "scale": 1.0}

    def download(tickers, **kwargs):
        state["calls"].append((tickers, kwargs))
        if state["mode"] == "raise":
            raise ConnectionError("DNS lookup failed")
        if state["mode"] == "empty":
            return pd.DataFrame()
        if state["mode"] == "nan":
            frame = _yf_frame(tickers)
            return frame * np.nan
        return _yf_frame(tickers, scale=state["scale"])

    monkeypatch.setattr(yf, "download", download)
    return state


def test_single_ticker_flat_columns_and_cache(tmp_path, fake):
    warnings.simplefilter("error")  # the download covers the whole range: no warning
    df = load_yfinance("msft", start="2024-01-01", end="2024-01-09", cache_dir=tmp_path)
    assert list(df.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index.name == "Date"
    assert df.index.is_monotonic_increasing
    assert len(df) == 5
    assert (df.dtypes == "float64").all()
    tickers, kwargs = fake["calls"][0]
    assert tickers == "MSFT"  # validated and upper-cased before reaching yfinance
    assert kwargs["start"] == "2024-01-01"
    assert kwargs["end"] == "2024-01-09"
    assert kwargs["interval"] == "1d"
    assert kwargs["progress"] is False
    path = cache_file(tmp_path, "MSFT", "1d", "2024-01-01", "2024-01-09")
    assert path.is_file()
    pd.testing.assert_frame_equal(read_cache(path, "MSFT"), df, check_freq=False)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp files left


def test_download_covering_part_of_the_range_warns_at_the_caller(tmp_path, fake):
    # yfinance answers 2024-01-02..2024-01-08 for January: the same warning a cache read
    # of that file gives, so the first (online) call and later offline calls agree
    with pytest.warns(UserWarning, match=r"the download of ticker 'MSFT' covers only "
                      r"2024-01-02 to 2024-01-08 of the requested range 2024-01-01 to "
                      r"2024-02-01 \(end excluded\) \(fine if the ticker did not trade over "
                      r"the whole range; it is cached as it is\)") as record:
        df = load_yfinance("MSFT", start="2024-01-01", end="2024-02-01", cache_dir=tmp_path)
    assert record[0].filename == __file__
    assert len(df) == 5
    with pytest.warns(UserWarning, match="the cached data for ticker 'MSFT' .* covers only"):
        load_yfinance("MSFT", start="2024-01-01", end="2024-02-01", cache_dir=tmp_path,
                      offline=True)


def test_whole_history_uses_period_max(tmp_path, fake):
    load_yfinance("MSFT", cache_dir=tmp_path)
    assert fake["calls"][0][1]["period"] == "max"
    assert cache_file(tmp_path, "MSFT", "1d", "min", "latest").is_file()


def test_several_tickers_multiindex_field_ticker(tmp_path, fake):
    df = load_yfinance(["MSFT", "AAPL", "msft"], start="2024-01-01", cache_dir=tmp_path)
    assert isinstance(df.columns, pd.MultiIndex)
    assert df.columns.names == ["Price", "Ticker"]
    assert list(df["Close"].columns) == ["MSFT", "AAPL"]  # order kept, duplicates dropped
    assert df.columns.get_level_values(0).unique().tolist() == [
        "Open", "High", "Low", "Close", "Volume"]
    assert len(fake["calls"]) == 2  # one download (and one cache file) per ticker


def test_list_of_one_ticker_is_multiindex(tmp_path, fake):
    df = load_yfinance(["MSFT"], cache_dir=tmp_path)
    assert isinstance(df.columns, pd.MultiIndex)
    assert df[("Close", "MSFT")].iloc[0] == 100.0


@pytest.mark.parametrize("mode", ["raise", "empty", "nan"])
def test_failure_serves_cache_with_warning(tmp_path, fake, mode):
    first = load_yfinance("MSFT", start="2024-01-01", cache_dir=tmp_path)
    fake["mode"] = mode
    with pytest.warns(UserWarning, match="MSFT.*serving the cached copy"):
        again = load_yfinance("MSFT", start="2024-01-01", cache_dir=tmp_path)
    pd.testing.assert_frame_equal(again, first, check_freq=False)


@pytest.mark.parametrize("mode", ["raise", "empty"])
def test_failure_without_cache_names_ticker_and_path(tmp_path, fake, mode):
    fake["mode"] = mode
    with pytest.raises(DataUnavailableError, match=r"'MSFT'.*nothing is cached at") as info:
        load_yfinance("MSFT", start="2024-01-01", cache_dir=tmp_path)
    assert str(tmp_path) in str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert "load_msft()" in str(info.value)


def test_a_csv_placed_at_the_named_path_is_read_offline(tmp_path, fake):
    # the error's advice for machines without a network must work as written
    fake["mode"] = "empty"
    with pytest.raises(DataUnavailableError) as info:
        load_yfinance("MSFT", start="2024-01-01", end="2024-01-05", cache_dir=tmp_path)
    path = re.search(r"nothing is cached at '([^']+)'", str(info.value)).group(1)
    pd.DataFrame({"Date": ["2024-01-02", "2024-01-03", "2024-01-04"],
                  "Open": [1.0, 2.0, 3.0], "High": [1.5, 2.5, 3.5], "Low": [0.5, 1.5, 2.5],
                  "Close": [1.2, 2.2, 3.2], "Volume": [10, 20, 30]}).to_csv(path, index=False)
    df = load_yfinance("MSFT", start="2024-01-01", end="2024-01-05", cache_dir=tmp_path,
                       offline=True)
    assert df["Close"].tolist() == [1.2, 2.2, 3.2]
    assert df.index.name == "Date"


def test_offline_never_calls_yfinance(tmp_path, fake):
    with pytest.raises(DataUnavailableError, match="offline=True"):
        load_yfinance("MSFT", cache_dir=tmp_path, offline=True)
    assert fake["calls"] == []
    online = load_yfinance("MSFT", cache_dir=tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # offline reads of the cache do not warn
        offline = load_yfinance("MSFT", cache_dir=tmp_path, offline=True)
    pd.testing.assert_frame_equal(offline, online, check_freq=False)
    assert len(fake["calls"]) == 1


def test_cache_key_includes_range_and_interval(tmp_path, fake):
    load_yfinance("MSFT", start="2024-01-01", cache_dir=tmp_path)
    with pytest.raises(DataUnavailableError):
        load_yfinance("MSFT", start="2023-01-01", cache_dir=tmp_path, offline=True)
    with pytest.raises(DataUnavailableError):
        load_yfinance("MSFT", start="2024-01-01", interval="1wk", cache_dir=tmp_path,
                      offline=True)


def test_partial_failure_among_tickers_fails_cleanly(tmp_path, fake, monkeypatch):
    real = yf.download

    def flaky(tickers, **kwargs):
        if tickers == "AAPL":
            raise OSError("connection reset")
        return real(tickers, **kwargs)

    monkeypatch.setattr(yf, "download", flaky)
    with pytest.raises(DataUnavailableError, match="'AAPL'"):
        load_yfinance(["MSFT", "AAPL"], cache_dir=tmp_path)


def test_default_cache_dir_from_environment(tmp_path, fake, monkeypatch):
    monkeypatch.setenv("FORECAST_CACHE_DIR", str(tmp_path / "env"))
    load_yfinance("MSFT")
    assert cache_file(tmp_path / "env", "MSFT", "1d", "min", "latest").is_file()


def test_yfinance_flat_columns_are_accepted(tmp_path, monkeypatch):
    flat = _yf_frame("MSFT").droplevel(1, axis=1)
    flat.index = flat.index.tz_localize("America/New_York")
    monkeypatch.setattr(yf, "download", lambda tickers, **kw: flat)
    df = load_yfinance("MSFT", cache_dir=tmp_path)
    assert df.index.tz is None
    assert list(df.columns)[3] == "Close"


@pytest.mark.parametrize(
    "bad", ["../etc", "a/b", "a\\b", "MS FT", "MSFT,AAPL", "", "x" * 16, "..", ".", "A..B"]
)
def test_bad_ticker_rejected_before_yfinance(tmp_path, fake, bad):
    with pytest.raises(ValueError, match="`tickers` must be ticker symbols"):
        load_yfinance(bad, cache_dir=tmp_path)
    assert fake["calls"] == []
    assert list(tmp_path.iterdir()) == []


def test_argument_errors(tmp_path, fake):
    with pytest.raises(TypeError, match="`tickers` must be a ticker symbol"):
        load_yfinance(42, cache_dir=tmp_path)
    with pytest.raises(TypeError, match="`tickers` must hold strings"):
        load_yfinance(["MSFT", 3], cache_dir=tmp_path)
    with pytest.raises(ValueError, match="`tickers` must not be empty"):
        load_yfinance([], cache_dir=tmp_path)
    with pytest.raises(ValueError, match="`interval` must be one of"):
        load_yfinance("MSFT", interval="2d", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="`start` must be a date"):
        load_yfinance("MSFT", start="yesterday-ish", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="`start` must be before `end`"):
        load_yfinance("MSFT", start="2024-02-01", end="2024-01-01", cache_dir=tmp_path)
    with pytest.raises(TypeError, match="`cache_dir` must be a path"):
        load_yfinance("MSFT", cache_dir=3)
    with pytest.raises(TypeError, match="`offline` must be a bool"):
        load_yfinance("MSFT", offline="yes", cache_dir=tmp_path)
    assert fake["calls"] == []


def test_corrupt_cache_is_a_clear_error(tmp_path, fake):
    path = cache_file(tmp_path, "MSFT", "1d", "min", "latest")
    path.write_text("garbage\n1,2\n")
    with pytest.raises(DataUnavailableError, match="delete the file"):
        load_yfinance("MSFT", cache_dir=tmp_path, offline=True)


def test_failed_writer_never_leaves_a_torn_cache_file(tmp_path, fake, monkeypatch):
    first = load_yfinance("MSFT", cache_dir=tmp_path)
    path = cache_file(tmp_path, "MSFT", "1d", "min", "latest")
    before = path.read_bytes()
    real_to_csv = pd.DataFrame.to_csv

    def broken_to_csv(self, target, *args, **kwargs):
        Path(target).write_text("Date,Open\n2024-01-0")  # half a file, then the crash
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken_to_csv)
    fake["scale"] = 2.0
    with pytest.warns(UserWarning, match="could not write the cache file"):
        fresh = load_yfinance("MSFT", cache_dir=tmp_path)
    monkeypatch.setattr(pd.DataFrame, "to_csv", real_to_csv)
    assert fresh["Close"].iloc[0] == 200.0  # fresh data still returned
    assert path.read_bytes() == before  # old cache intact
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # temp file cleaned up
    pd.testing.assert_frame_equal(
        load_yfinance("MSFT", cache_dir=tmp_path, offline=True), first, check_freq=False)


def test_killed_writer_never_leaves_a_torn_cache_file(tmp_path, fake):
    load_yfinance("MSFT", cache_dir=tmp_path)
    path = cache_file(tmp_path, "MSFT", "1d", "min", "latest")
    before = path.read_bytes()
    script = f"""
import os, pandas as pd
from forecast.datasets import _cache
def dying_to_csv(self, target, *a, **k):
    open(target, "w").write("Date,Open\\n2024-01-0")
    os._exit(9)  # killed mid-write: no cleanup runs
pd.DataFrame.to_csv = dying_to_csv
_cache.write_cache(_cache.Path({str(path)!r}), pd.DataFrame({{"Close": [1.0]}}))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == 9, proc.stderr.decode()
    assert path.read_bytes() == before  # the target is never the torn file
    leftovers = [p for p in tmp_path.iterdir() if p != path]
    assert all(p.name.startswith(".") for p in leftovers)  # hidden temp file, never read
    assert len(load_yfinance("MSFT", cache_dir=tmp_path, offline=True)) == 5


@pytest.mark.parametrize(("body", "match"), [
    ("Date,Open,High,Low,Close,Volume\n2015-01-02,a,b,c,d,e\n", "is unreadable"),
    ("Date,Open,High,Low,Close,Volume\n2015-01-02,1,2,0.5,,10\n2015-01-05,1,2,0.5,,10\n",
     "has no 'Close' prices"),
])
def test_a_bad_cache_file_names_the_ticker_and_the_file(tmp_path, body, match):
    path = tmp_path / "TXT.csv"
    path.write_text(body)
    with pytest.raises(DataUnavailableError, match=rf"ticker 'TXT' at .*TXT\.csv.* {match}|"
                                                   rf"ticker 'TXT' at .*TXT\.csv' {match}"):
        read_cache(path, "TXT")
