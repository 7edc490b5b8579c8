"""Embedded samples: no network, documented shapes, frequencies and season lengths."""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from forecast.datasets import list_samples, load_co2, load_msft, load_sample, load_sunspots


def test_list_samples():
    assert list_samples() == ["co2", "msft", "sunspots"]


def test_msft():
    df = load_sample("msft")
    assert list(df.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert df.shape == (7983, 5)
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index.name == "Date"
    assert df.index.is_monotonic_increasing
    assert df.index.is_unique
    assert str(df.index[0].date()) == "1986-03-13"
    assert str(df.index[-1].date()) == "2017-11-10"
    assert df.index.day_of_week.max() <= 4  # trading days only
    assert df.attrs["season_length"] == 1
    assert df["Close"].iloc[-1] == pytest.approx(83.87)


def test_msft_shipped_file_and_licence_note():
    data = resources.files("forecast.datasets").joinpath("data")
    raw = gzip.decompress(data.joinpath("msft.csv.gz").read_bytes())
    assert raw.startswith(b"Date,Open,High,Low,Close,Volume,OpenInt\n")
    note = data.joinpath("msft.SOURCE.txt").read_text()
    assert "pmdarima" in note
    assert "MIT License" in note
    assert "Taylor G Smith" in note


def test_msft_matches_shared_copy(shared_data):
    ref = pd.read_csv(shared_data / "stocks" / "MSFT.csv", parse_dates=["Date"], index_col="Date")
    pd.testing.assert_frame_equal(load_msft(), ref.drop(columns="OpenInt"))


def test_co2_is_regular_monthly_and_seasonal():
    y = load_sample("co2")
    assert isinstance(y, pd.Series)
    assert y.name == "co2"
    assert y.index.freqstr == "MS"
    assert len(y) == 526
    assert str(y.index[0].date()) == "1958-03-01"
    assert str(y.index[-1].date()) == "2001-12-01"
    assert not y.isna().any()
    assert y.attrs["season_length"] == 12
    detrended = y - y.rolling(12, center=True).mean()
    lag12 = detrended.autocorr(12)
    assert lag12 > 0.9  # clearly seasonal with period 12


def test_sunspots():
    y = load_sunspots()
    assert len(y) == 309
    assert y.index.freqstr == "YS-JAN"
    assert y.attrs["season_length"] == 1
    assert y.index[0].year == 1700
    assert y.index[-1].year == 2008
    assert np.isfinite(y.to_numpy()).all()


def test_each_call_returns_a_fresh_copy():
    y = load_co2()
    y.iloc[0] = -1.0
    assert load_co2().iloc[0] != -1.0
    df = load_msft()
    df["Close"] = 0.0
    assert load_msft()["Close"].iloc[-1] != 0.0


def test_name_is_case_insensitive():
    assert load_sample("CO2").attrs["name"] == "co2"


@pytest.mark.parametrize("bad", ["airline", "", None, 3, ["co2"]])
def test_unknown_sample(bad):
    with pytest.raises(ValueError, match=r"`name` must be one of \['co2', 'msft', 'sunspots'\]"):
        load_sample(bad)
