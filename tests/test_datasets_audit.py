"""Audit E fixes in forecast.datasets: ticker newline, checked yfinance cache files,
ambiguous day/month dates in load_csv, CSV messages, sample metadata. No network."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from forecast.datasets import (
    DataUnavailableError,
    load_csv,
    load_sample,
    load_yfinance,
)
from forecast.datasets import _yfinance as yfm
from forecast.datasets._cache import cache_file, read_cache

HEADER = "Date,Open,High,Low,Close,Volume\n"
START, END = "2024-01-01", "2024-02-01"


@pytest.fixture
def no_download(monkeypatch):
    """Fail the test if anything tries to download."""
    calls: list[str] = []

    def download(ticker, start, end, interval):
        calls.append(ticker)
        raise AssertionError("no download expected")

    monkeypatch.setattr(yfm, "_download", download)
    return calls


def _rows(days, close=None):
    close = close or [100.0 + i for i in range(len(days))]
    rows = zip(days, close, strict=True)
    return "".join(f"2024-01-{d:02d},1.5,2.5,0.5,{c},1000\n" for d, c in rows)


def _cache(tmp_path, body, start=START, end=END, interval="1d"):
    path = cache_file(tmp_path, "MSFT", interval, start, end)
    path.write_text(body)
    return path


def _offline(tmp_path, start=START, end=END, **kw):
    return load_yfinance("MSFT", start=start, end=end, cache_dir=tmp_path, offline=True, **kw)


# --- 5. ticker validation ------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["MSFT\n", "x" * 15 + "\n", ["AAPL", "MSFT\n"], "MSFT\r\n"])
def test_ticker_with_a_trailing_newline_is_rejected(tmp_path, no_download, bad):
    with pytest.raises(ValueError, match="`tickers` must be ticker symbols"):
        load_yfinance(bad, start=START, end=END, cache_dir=tmp_path)
    with pytest.raises(ValueError, match="`tickers` must be ticker symbols"):
        load_yfinance(bad, start=START, end=END, cache_dir=tmp_path, offline=True)
    assert no_download == []
    assert list(tmp_path.iterdir()) == []


def test_cache_file_refuses_a_bad_ticker(tmp_path):
    with pytest.raises(ValueError, match=r"invalid ticker symbol for a cache file name: "
                                         r"'MSFT\\n'"):
        cache_file(tmp_path, "MSFT\n", "1d", START, END)


# --- 6. cache files are checked when read -------------------------------------------------

def test_valid_cache_round_trip_without_warning(tmp_path, no_download):
    _cache(tmp_path, HEADER + _rows([2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 22, 23,
                                     24, 25, 26, 29, 30, 31]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = _offline(tmp_path)
    assert list(df.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert len(df) == 22
    assert df.index.name == "Date"
    assert (df.dtypes == "float64").all()


def test_torn_last_line_is_dropped_with_a_warning(tmp_path, no_download):
    full = HEADER + _rows([2, 3, 4, 5]) + "2024-01-08,1.5,2.5,0.5,104.0,38000000\n"
    path = _cache(tmp_path, full[:-6], end="2024-01-09")  # cut inside the last Volume
    with pytest.warns(UserWarning, match=r"the last line \(6, '2024-01-08'\) of the cached data "
                                         r"for ticker 'MSFT' at '.*MSFT__1d__2024-01-01__"
                                         r"2024-01-09\.csv' is incomplete"):
        df = _offline(tmp_path, end="2024-01-09")
    assert df.index[-1] == pd.Timestamp("2024-01-05")
    # a row with missing fields at the end, with its newline, is dropped too
    path.write_text(HEADER + _rows([2, 3, 4, 5]) + "2024-01-08,1.5,2.5\n")
    with pytest.warns(UserWarning, match="is incomplete"):
        assert len(_offline(tmp_path, end="2024-01-09")) == 4


def test_short_row_in_the_middle_is_an_error(tmp_path, no_download):
    _cache(tmp_path, HEADER + _rows([2]) + "2024-01-03,1.5,2.5\n" + _rows([4]))
    with pytest.raises(DataUnavailableError, match=r"'MSFT' at '.*\.csv' is unreadable \(line 3 "
                                                   r"has 3 fields, the header has 6\)"):
        _offline(tmp_path)


@pytest.mark.parametrize(("days", "match"), [
    ([2, 4, 3, 5], r"is unusable: the date index is not sorted, 2024-01-03 comes after "
                   r"2024-01-04 \(sort the file by date"),
    ([2, 3, 3, 4], r"is unusable: the date index has duplicate timestamps, e.g. 2024-01-03 "
                   r"appears 2 times"),
])
def test_unsorted_or_duplicate_dates_are_refused(tmp_path, no_download, days, match):
    _cache(tmp_path, HEADER + _rows(days))
    with pytest.raises(DataUnavailableError, match=r"ticker 'MSFT' at '.*MSFT__1d__.*\.csv' "
                                                   + match):
        _offline(tmp_path)


@pytest.mark.parametrize("close", ["inf", "-inf"])
def test_prices_must_be_finite(tmp_path, no_download, close):
    _cache(tmp_path, HEADER + _rows([2, 3, 4], close=["100", close, "101"]))
    with pytest.raises(DataUnavailableError, match=r"at '.*\.csv' is unusable: Close = -?inf "
                                                   r"on 2024-01-03; Close values must be "
                                                   r"finite"):
        _offline(tmp_path)


@pytest.mark.parametrize("close", ["-37.63", "0"])
def test_zero_or_negative_prices_are_served_as_downloaded(tmp_path, no_download, close):
    """A negative oil-futures close (2020-04-20) or Yahoo's Open = 0 rows are real data:
    the cache serves them as a download does (the review found them refused offline)."""
    _cache(tmp_path, HEADER + _rows([2, 3, 4], close=["100", close, "101"]))
    frame = _offline(tmp_path)
    assert frame["Close"].iloc[1] == float(close)


def test_negative_volume_is_refused_and_nan_kept(tmp_path, no_download):
    path = _cache(tmp_path, HEADER + "2024-01-02,1,2,0.5,1.5,-5\n2024-01-03,1,2,0.5,1.6,7\n")
    with pytest.raises(DataUnavailableError, match=r"Volume = -5.0 on 2024-01-02; Volume "
                                                   r"values must be finite and not negative"):
        read_cache(path, "MSFT")
    path.write_text(HEADER + "2024-01-02,1,2,0.5,1.5,\n2024-01-03,,2,0.5,1.6,7\n")
    df = read_cache(path, "MSFT")
    assert df.isna().sum().sum() == 2  # empty cells stay NaN


def test_rows_outside_the_range_are_dropped(tmp_path, no_download):
    body = HEADER + "2023-12-29,1,2,0.5,9,1\n" + _rows(range(2, 32)) + "2024-02-01,1,2,0.5,9,1\n"
    _cache(tmp_path, body)
    df = _offline(tmp_path)
    assert df.index[0] == pd.Timestamp("2024-01-02")
    assert df.index[-1] == pd.Timestamp("2024-01-31")  # end is excluded


def test_cache_with_nothing_in_the_range_is_an_error(tmp_path, no_download):
    _cache(tmp_path, HEADER + "1990-01-05,1,2,0.5,1,100\n1990-01-08,1,2,0.5,1,100\n")
    with pytest.raises(DataUnavailableError, match=r"'MSFT' at '.*\.csv' holds 1990-01-05 to "
                                                   r"1990-01-08, nothing in the requested range "
                                                   r"2024-01-01 to 2024-02-01 \(end excluded\)"):
        _offline(tmp_path)


def test_cache_covering_part_of_the_range_warns(tmp_path, no_download):
    _cache(tmp_path, HEADER + _rows([2, 3, 4]))
    with pytest.warns(UserWarning, match=r"'MSFT' at '.*\.csv' covers only 2024-01-02 to "
                                         r"2024-01-04 of the requested range 2024-01-01 to "
                                         r"2024-02-01 \(end excluded\)"):
        assert len(_offline(tmp_path)) == 3


def test_another_range_is_still_not_served(tmp_path, no_download):
    _cache(tmp_path, HEADER + _rows([2, 3, 4]), end="2024-01-05")
    with pytest.raises(DataUnavailableError, match="nothing is cached at"):
        _offline(tmp_path, end="2024-01-06")


def test_monthly_row_starting_before_start_is_kept(tmp_path, no_download):
    # a 1mo row dated 2024-01-01 covers the requested start 2024-01-15
    _cache(tmp_path, HEADER + "2024-01-01,1,2,0.5,3,1\n2024-02-01,1,2,0.5,4,1\n",
           start="2024-01-15", end="2024-03-01", interval="1mo")
    df = _offline(tmp_path, start="2024-01-15", end="2024-03-01", interval="1mo")
    assert df["Close"].tolist() == [3.0, 4.0]


def test_extra_columns_are_dropped(tmp_path, no_download):
    _cache(tmp_path, "Date,Open,High,Low,Close,Volume,OpenInt\n"
           + "".join(f"2024-01-{d:02d},1,2,0.5,{d},10,0\n" for d in range(2, 32)))
    df = _offline(tmp_path)
    assert list(df.columns) == ["Open", "High", "Low", "Close", "Volume"]


# --- 7. ambiguous day/month dates -----------------------------------------------------------

EU_HOLIDAY = ("date,close\n03/02/2020,1\n04/02/2020,2\n05/02/2020,3\n06/02/2020,4\n"
              "07/02/2020,5\n11/02/2020,6\n12/02/2020,7\n")


@pytest.mark.parametrize(("body", "first", "month", "day"), [
    (EU_HOLIDAY, "03/02/2020", "2020-03-02", "2020-02-03"),
    ("date,close\n01/02/2020,1\n02/02/2020,2\n", "01/02/2020", "2020-01-02", "2020-02-01"),
])
def test_dates_that_read_both_ways_irregularly_are_refused(tmp_path, body, first, month, day):
    path = tmp_path / "eu.csv"
    path.write_text(body)
    with pytest.raises(ValueError, match=(
            rf"^'.*eu\.csv': bad date column 'date': its dates read both month-first "
            rf"\('{first}' = {month}\) and day-first \({day}\), and neither reading gives a "
            rf"regular series; pass dayfirst=True \(01/02/2020 is 1 February\) or "
            rf"dayfirst=False \(2 January\), or write them as YYYY-MM-DD$")):
        load_csv(path)


def test_dayfirst_decides_the_reading(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_text(EU_HOLIDAY)
    day = load_csv(path, dayfirst=True)
    assert day.index[0] == pd.Timestamp("2020-02-03")
    assert day.index[-1] == pd.Timestamp("2020-02-12")
    month = load_csv(path, dayfirst=False)
    assert month.index[0] == pd.Timestamp("2020-03-02")
    iso = tmp_path / "iso.csv"
    iso.write_text("date,close\n2020-01-02,1\n2020-01-03,2\n")
    assert load_csv(iso, dayfirst=True).index[0] == pd.Timestamp("2020-01-02")  # ISO stays ISO


def test_ambiguous_first_column_is_still_found_as_dates(tmp_path):
    path = tmp_path / "when.csv"
    path.write_text("when,close\n01/02/2020,1\n02/02/2020,2\n")
    with pytest.raises(ValueError, match="bad date column 'when': its dates read both"):
        load_csv(path)
    assert load_csv(path, dayfirst=True).index.name == "when"


def test_both_regular_message_mentions_dayfirst(tmp_path):
    path = tmp_path / "both.csv"
    days = pd.date_range("2020-01-01", periods=12, freq="D")
    path.write_text("date,y\n" + "".join(f"{d:%m/%d/%Y},1\n" for d in days))
    with pytest.raises(ValueError, match=r"as a regular series; write them as YYYY-MM-DD, or "
                                         r"pass dayfirst=True or dayfirst=False$"):
        load_csv(path)
    assert load_csv(path, dayfirst=False).index.freqstr is None  # no freq kept by load_csv
    assert load_csv(path, dayfirst=False).index[1] == pd.Timestamp("2020-01-02")


def test_dayfirst_type_is_checked(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("date,y\n2020-01-01,1\n")
    with pytest.raises(TypeError, match=r"`dayfirst` must be True, False or None. Received: "
                                        r"dayfirst='yes'"):
        load_csv(path, dayfirst="yes")


# --- 9. CSV messages ------------------------------------------------------------------------

def test_decimal_comma_hint_names_row_and_value(tmp_path):
    path = tmp_path / "dc.csv"
    path.write_text('date,v\n2020-01-01,"1,5"\n2020-01-02,"2,5"\n')
    with pytest.raises(ValueError, match=r"no numeric column \(columns are \['date', 'v'\]\); "
                                         r"column 'v' holds a non-numeric value at data row 1 "
                                         r"\(decimal commas\? pass decimal=','\). "
                                         r"Received: '1,5'$"):
        load_csv(path)
    with pytest.raises(ValueError, match=r"column 'v' is not numeric \(e.g. value '1,5' at data "
                                         r"row 1\) \(decimal commas\? pass decimal=','\)$"):
        load_csv(path, columns=["v"])
    df = load_csv(path, decimal=",")
    assert df["v"].tolist() == [1.5, 2.5]


def test_decimal_must_be_point_or_comma(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("date,y\n2020-01-01,1\n")
    with pytest.raises(ValueError, match=r"`decimal` must be '.' or ','. Received: "
                                         r"decimal=';'"):
        load_csv(path, decimal=";")


def test_extra_field_on_the_first_data_row_is_reported(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("date,v\n2020-01-01,1,9\n2020-01-02,2\n")
    with pytest.raises(ValueError, match=r"^could not read '.*ragged\.csv' as a CSV file: data "
                                         r"row 1 has 3 fields but the header has 2 \(a stray ',' "
                                         r"or an unquoted decimal comma\?\). Received: "
                                         r"'2020-01-01,1,9'$"):
        load_csv(path)


# --- 10. samples -----------------------------------------------------------------------------

def test_samples_index_names_and_sources():
    assert load_sample("sunspots").index.name is None
    assert load_sample("co2").index.name is None
    assert load_sample("msft").index.name == "Date"
    sources = {n: load_sample(n).attrs["source"] for n in ("co2", "msft", "sunspots")}
    assert sources == {"co2": "statsmodels.datasets.co2 (public domain)",
                       "msft": "pmdarima (MIT)",
                       "sunspots": "statsmodels.datasets.sunspots (public domain)"}
    assert np.isfinite(load_sample("sunspots").to_numpy()).all()


def test_us_monthly_dates_with_a_missing_month_read_month_first(tmp_path):
    """Read day-first, MM/01/YYYY dates scramble; month-first they are monthly but for
    one gap: that reading wins, as the CLI then fills the gap (found by review)."""
    months = pd.date_range("2020-01-01", periods=24, freq="MS").delete(5)
    path = tmp_path / "us.csv"
    path.write_text("date,v\n" + "".join(f"{d:%m/%d/%Y},{i}\n" for i, d in enumerate(months)))
    frame = load_csv(path)
    assert frame.index.equals(pd.DatetimeIndex(months, name="date"))


def test_regular_with_gaps():
    from forecast._validation import regular_with_gaps

    months = pd.date_range("2020-01-01", periods=24, freq="MS")
    assert regular_with_gaps(months.delete([3, 9])).equals(months)
    assert regular_with_gaps(months.delete([1, 2, 3])) is None  # 3 of 24 missing: > 10%
    assert regular_with_gaps(months[::-1]) is None  # not increasing
    assert regular_with_gaps(months[:11]) is None  # too short to tell
