"""load_ett and ett_splits: standard borders, lookback, hourly and 15-minute files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.datasets import ett_splits, load_ett

COLUMNS = ["HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"]


def _ett_csv(path, n, freq="h"):
    idx = pd.date_range("2016-07-01", periods=n, freq=freq)
    frame = pd.DataFrame(np.arange(n * 7, dtype=float).reshape(n, 7), columns=COLUMNS)
    frame.insert(0, "date", idx.strftime("%Y-%m-%d %H:%M:%S"))
    frame.to_csv(path, index=False)
    return path


def test_load_small_file(tmp_path):
    df = load_ett(_ett_csv(tmp_path / "ETTh1.csv", 50))
    assert df.shape == (50, 7)
    assert list(df.columns) == COLUMNS
    assert df.index.name == "date"
    assert df.index.freqstr == "h"
    assert (df.dtypes == "float64").all()


def test_load_shared(shared_data):
    df = load_ett(shared_data / "ett" / "ETTh1.csv")
    assert df.shape == (17420, 7)
    assert df.index.freqstr == "h"
    assert str(df.index[0]) == "2016-07-01 00:00:00"
    assert df["OT"].iloc[0] == pytest.approx(30.5310001373291)


def _frame(n, freq):
    idx = pd.date_range("2016-07-01", periods=n, freq=freq)
    return pd.DataFrame({"OT": np.arange(n, dtype=float)}, index=idx)


def test_standard_borders_hourly():
    df = _frame(17420, "h")
    train, val, test = ett_splits(df)  # lookback 96
    assert (len(train), len(val), len(test)) == (8640, 2880 + 96, 2880 + 96)
    assert train["OT"].iloc[[0, -1]].tolist() == [0, 8639]
    assert val["OT"].iloc[[0, 96, -1]].tolist() == [8640 - 96, 8640, 11519]
    assert test["OT"].iloc[[0, 96, -1]].tolist() == [11520 - 96, 11520, 14399]


def test_lookback_zero_and_minute_files():
    train, val, test = ett_splits(_frame(14400, "h"), lookback=0)
    assert (len(train), len(val), len(test)) == (8640, 2880, 2880)
    train, val, test = ett_splits(_frame(4 * 14400, "15min"), lookback=96)
    assert (len(train), len(val), len(test)) == (34560, 11520 + 96, 11520 + 96)
    assert val["OT"].iloc[96] == 34560


def test_splits_do_not_mutate():
    df = _frame(14400, "h")
    before = df.copy()
    ett_splits(df, lookback=10)
    pd.testing.assert_frame_equal(df, before)


def test_split_errors():
    with pytest.raises(ValueError, match="too short.*14400 rows"):
        ett_splits(_frame(14000, "h"))
    with pytest.raises(ValueError, match="regular hourly.*15-minute"):
        ett_splits(_frame(14400, "D"))
    with pytest.raises(ValueError, match="`lookback` must be a non-negative integer"):
        ett_splits(_frame(14400, "h"), lookback=-1)
    with pytest.raises(TypeError, match="`lookback` must be a non-negative integer"):
        ett_splits(_frame(14400, "h"), lookback=1.5)
    with pytest.raises(ValueError, match="`lookback` must be at most 8640"):
        ett_splits(_frame(14400, "h"), lookback=9000)
    with pytest.raises(TypeError, match="`df` must be a DataFrame with a DatetimeIndex"):
        ett_splits(np.zeros((14400, 7)))


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="ETT file not found.*nope.csv"):
        load_ett(tmp_path / "nope.csv")
    with pytest.raises(FileNotFoundError, match="is a directory"):
        load_ett(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("date,OT\n2016-07-01,1\n")
    with pytest.raises(ValueError, match=r"bad.csv' is not a valid ETT file: missing column"):
        load_ett(bad)
    path = _ett_csv(tmp_path / "gap.csv", 10)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:4] + lines[5:]) + "\n")
    with pytest.raises(ValueError, match="irregular time index"):
        load_ett(path)
    for rows in (lines[:1], lines[:2]):  # header only; one row (was "irregular time index")
        path.write_text("\n".join(rows) + "\n")
        with pytest.raises(ValueError, match=rf"gap.csv' has {len(rows) - 1} data row\(s\); "
                                             "an ETT file has one row per hour"):
            load_ett(path)
    lines[3], lines[4] = lines[4], lines[3]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match="non-monotonic"):
        load_ett(path)


@pytest.mark.parametrize("cell", ["", "inf"])
def test_empty_or_infinite_values_are_named_with_their_line(tmp_path, cell):
    path = _ett_csv(tmp_path / "holes.csv", 10)
    lines = path.read_text().splitlines()
    fields = lines[4].split(",")
    fields[3] = cell
    lines[4] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"holes.csv' is not a valid ETT file: 1 empty or "
                                         r"non-finite value\(s\), e\.g\. \w+ = .* on line 5"):
        load_ett(path)
