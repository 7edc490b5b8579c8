"""Tests of forecast.preprocessing.make_windows (shapes, views, validation, memory)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from forecast.preprocessing import make_windows


def test_univariate_shapes_and_values():
    X, y = make_windows(np.arange(10.0), window=3, horizon=2)
    assert X.shape == (6, 3, 1)
    assert y.shape == (6, 2)
    assert X[0, :, 0].tolist() == [0.0, 1.0, 2.0]
    assert y[0].tolist() == [3.0, 4.0]
    assert X[-1, :, 0].tolist() == [5.0, 6.0, 7.0]
    assert y[-1].tolist() == [8.0, 9.0]


def test_stride_gap_and_index():
    data = np.arange(20.0)
    X, y, pos = make_windows(data, window=4, horizon=3, stride=3, gap=2, return_index=True)
    n = (20 - 4 - 2 - 3) // 3 + 1
    assert X.shape == (n, 4, 1)
    assert y.shape == (n, 3)
    assert pos.dtype == np.int64
    offset = (20 - 4 - 2 - 3) % 3  # windows counted back from the newest row
    assert offset == 2
    for i in range(n):
        assert X[i, :, 0].tolist() == data[offset + i * 3 : offset + i * 3 + 4].tolist()
        assert pos[i] == offset + i * 3 + 4 + 2
        assert y[i].tolist() == data[pos[i] : pos[i] + 3].tolist()
    assert y[-1, -1] == data[-1]  # the newest row is a target, not dropped


def test_stride_keeps_the_newest_rows():
    """With a stride the oldest rows are left out, never the newest (the audit's case)."""
    X, y = make_windows(np.arange(10.0), window=3, horizon=0, stride=2)
    assert X[-1, :, 0].tolist() == [7.0, 8.0, 9.0]
    X, y = make_windows(np.arange(10.0), window=3, horizon=2, stride=3)
    assert X[-1, :, 0].tolist() == [5.0, 6.0, 7.0]
    assert y[-1].tolist() == [8.0, 9.0]


def test_multivariate_targets():
    data = np.arange(30.0).reshape(10, 3)
    X, y = make_windows(data, window=2, horizon=2)
    assert X.shape == (7, 2, 3)
    assert y.shape == (7, 2, 3)
    np.testing.assert_array_equal(y[0], data[2:4])
    _, y1 = make_windows(data, window=2, horizon=2, target=1)
    assert y1.shape == (7, 2)
    np.testing.assert_array_equal(y1[0], data[2:4, 1])
    _, y2 = make_windows(data, window=2, horizon=2, target=[2, 0])
    assert y2.shape == (7, 2, 2)
    np.testing.assert_array_equal(y2[3], data[5:7][:, [2, 0]])
    _, y3 = make_windows(data, window=2, horizon=2, target=[-1])
    np.testing.assert_array_equal(y3[0, :, 0], data[2:4, 2])


def test_dataframe_datetime_and_integer_index():
    idx = pd.date_range("2024-01-01", periods=12, freq="h")
    df = pd.DataFrame({"load": np.arange(12.0), "temp": np.arange(12.0) * 10}, index=idx)
    X, y, pos = make_windows(df, window=5, horizon=2, target="load", return_index=True)
    assert X.shape == (6, 5, 2)
    assert y.shape == (6, 2)
    assert df.index[pos[0]] == pd.Timestamp("2024-01-01 05:00")
    np.testing.assert_array_equal(y[2], df["load"].to_numpy()[pos[2] : pos[2] + 2])
    # M4 style integer index starting at 1
    s = pd.Series(np.arange(8.0), index=pd.RangeIndex(1, 9))
    X, y, pos = make_windows(s, window=3, horizon=1, return_index=True)
    assert s.index[pos[0]] == 4
    assert y[0, 0] == s.loc[4]
    _, yl = make_windows(df, window=5, horizon=2, target=["temp"])
    assert yl.shape == (6, 2, 1)


def test_horizon_zero_gives_inference_windows():
    X, y, pos = make_windows(np.arange(6.0), window=3, horizon=0, return_index=True)
    assert y is None
    assert X.shape == (4, 3, 1)
    assert X[-1, :, 0].tolist() == [3.0, 4.0, 5.0]
    assert pos[-1] == 6  # the first future step


def test_zero_copy_views_and_float32():
    a = np.random.default_rng(0).random((50, 4)).astype(np.float32)
    X, y = make_windows(a, window=5, horizon=2)
    assert X.dtype == np.float32
    assert np.shares_memory(X, a)
    assert np.shares_memory(y, a)
    assert not X.flags.writeable
    # non-contiguous (every other column / Fortran order) input is still viewed
    X2, _ = make_windows(a[:, ::2], window=5, horizon=2)
    assert np.shares_memory(X2, a)
    Xf, _ = make_windows(np.asfortranarray(a), window=5, horizon=2)
    np.testing.assert_array_equal(Xf, X)
    # evenly spaced target columns stay a view
    _, ys = make_windows(a, window=5, horizon=2, target=[0, 2])
    assert np.shares_memory(ys, a)
    # single-dtype DataFrame: view of its block
    df = pd.DataFrame(a)
    Xd, _ = make_windows(df, window=5, horizon=2)
    np.testing.assert_array_equal(Xd, X)


def test_copies_for_integer_and_mixed_dtypes():
    ints = np.arange(10)
    X, _ = make_windows(ints, window=3, horizon=1)
    assert X.dtype == np.float64
    assert not np.shares_memory(X, ints)
    df = pd.DataFrame({"a": np.arange(10.0, dtype=np.float32), "b": np.arange(10)})
    X, _ = make_windows(df, window=3, horizon=1)
    assert X.dtype == np.float64
    nullable = pd.Series(np.arange(10.0), dtype="Float64")
    X, y = make_windows(nullable, window=3, horizon=1)
    assert y[0, 0] == 3.0


def test_input_not_mutated():
    df = pd.DataFrame({"a": np.arange(10.0), "b": np.ones(10)})
    before = df.copy()
    a = np.arange(10.0)
    a_before = a.copy()
    make_windows(df, window=3, horizon=2, target="a")
    make_windows(a, window=3, horizon=2)
    pd.testing.assert_frame_equal(df, before)
    np.testing.assert_array_equal(a, a_before)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"window": 0}, ValueError, "`window` must be a positive integer. Received: window=0"),
        ({"window": 2.5}, TypeError, "`window` must be a positive integer"),
        ({"horizon": -1}, ValueError, "`horizon` must be a non-negative integer.*horizon=-1"),
        ({"stride": 0}, ValueError, "`stride` must be a positive integer.*stride=0"),
        ({"gap": -2}, ValueError, "`gap` must be a non-negative integer.*gap=-2"),
        ({"target": 5}, ValueError, "`target` 5 is not a column"),
        ({"target": "x"}, ValueError, "`target` 'x' is not a column"),
        ({"target": []}, ValueError, "`target` must select at least one column"),
        ({"target": [0, 0]}, ValueError, "`target` selects a column twice"),
        ({"target": True}, TypeError, "`target` must be column name"),
        ({"return_index": "yes"}, TypeError, "`return_index` must be a bool"),
    ],
)
def test_argument_errors(kwargs, exc, match):
    params = {"window": 3, "horizon": 2} | kwargs
    with pytest.raises(exc, match=match):
        make_windows(np.ones((10, 2)), **params)


def test_data_errors():
    with pytest.raises(ValueError, match=r"`data` contains NaN at position \[4, 1\]"):
        make_windows(np.c_[np.ones(10), np.r_[np.ones(4), np.nan, np.ones(5)]], window=2, horizon=1)
    with pytest.raises(ValueError, match="`data` contains infinity"):
        make_windows(np.r_[np.ones(5), np.inf], window=2, horizon=1)
    with pytest.raises(ValueError, match="`data` must be 1-D .* Received: data with shape"):
        make_windows(np.ones((4, 2, 2)), window=2, horizon=1)
    with pytest.raises(TypeError, match="`data` must hold numeric data"):
        make_windows(np.array(["a", "b", "c"]), window=1, horizon=1)
    with pytest.raises(TypeError, match=r"non-numeric column\(s\) \['c'\]"):
        make_windows(pd.DataFrame({"a": [1.0, 2.0, 3.0], "c": list("xyz")}), window=1, horizon=1)
    with pytest.raises(TypeError, match="`data` must be numeric array-like"):
        make_windows(None, window=1, horizon=1)
    with pytest.raises(
        ValueError, match=r"`data` is too short: window \+ gap \+ horizon = 4 \+ 1 \+ 2 = 7"
    ):
        make_windows(np.ones(6), window=4, horizon=2, gap=1)
    unsorted = pd.Series(np.ones(4), index=pd.to_datetime(["2024-01-02", "2024-01-01"] * 2))
    with pytest.raises(ValueError, match="`data` has duplicate timestamps"):
        make_windows(unsorted, window=1, horizon=1)


def test_huge_finite_values_are_not_mistaken_for_inf():
    big = np.full(4, np.finfo(np.float64).max)
    X, y = make_windows(big, window=2, horizon=1)  # the checksum overflows, values are fine
    assert np.isfinite(X).all()


def test_memory_is_views_not_copies():
    """1,000,000 x 8 float32 with window=168, horizon=24 grows memory by < 10% of input."""
    data = np.random.default_rng(0).random((1_000_000, 8), dtype=np.float32)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        X, y = make_windows(data, window=168, horizon=24)
        X0, y0 = make_windows(data, window=168, horizon=24, target=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert X.shape == (1_000_000 - 168 - 24 + 1, 168, 8)
    assert y.shape == (X.shape[0], 24, 8)
    assert y0.shape == (X.shape[0], 24)
    assert peak - base < 0.10 * data.nbytes
    assert np.shares_memory(X, data)
    assert np.shares_memory(y0, data)

