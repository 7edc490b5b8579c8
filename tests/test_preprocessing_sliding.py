"""Tests of forecast.preprocessing.SlidingWindow (windows inside each sample's history)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import check_estimator

from forecast.preprocessing import SequenceScaler, SlidingWindow, make_windows


@pytest.mark.parametrize(
    "estimator",
    [SlidingWindow(window=3), SlidingWindow(window=1), SlidingWindow(window=2, stride=3)],
    ids=repr,
)
def test_check_estimator(estimator):
    check_estimator(estimator)  # no expected failures: rows are independent samples


def test_overlapping_windows_are_views():
    X = np.arange(12.0).reshape(2, 6)
    sw = SlidingWindow(window=3).fit(X)
    Xt = sw.transform(X)
    assert Xt.shape == (2, 4, 3)
    assert sw.n_windows_ == 4
    assert sw.n_channels_ == 1
    for i in range(2):
        for j in range(4):
            np.testing.assert_array_equal(Xt[i, j], X[i, j : j + 3])
    assert np.shares_memory(Xt, X)
    assert not Xt.flags.writeable
    np.testing.assert_array_equal(SlidingWindow(window=1).fit_transform(X)[..., 0], X)


def test_segments_aligned_to_newest_step_and_filled():
    X = np.arange(1.0, 8.0)[None, :]  # one row, 7 steps
    Xt = SlidingWindow(window=3, stride=3).fit_transform(X)
    assert Xt[0].tolist() == [[0.0, 0.0, 1.0], [2.0, 3.0, 4.0], [5.0, 6.0, 7.0]]
    Xt = SlidingWindow(window=3, stride=2, fill_value=-9.0).fit_transform(X)
    assert Xt[0].tolist() == [[1.0, 2.0, 3.0], [3.0, 4.0, 5.0], [5.0, 6.0, 7.0]]
    Xt = SlidingWindow(window=1, stride=3).fit_transform(X)  # dilated: skips steps
    assert Xt[0, :, 0].tolist() == [1.0, 4.0, 7.0]
    Xt = SlidingWindow(window=2, stride=4).fit_transform(X)
    assert Xt[0].tolist() == [[2.0, 3.0], [6.0, 7.0]]
    Xt = SlidingWindow(window=10, fill_value=np.nan).fit_transform(X)
    assert Xt.shape == (1, 1, 10)
    assert np.isnan(Xt[0, 0, :3]).all()
    assert Xt[0, 0, 3:].tolist() == X[0].tolist()


def test_three_d_rows_flattened_time_major_and_dtype():
    X = np.arange(24, dtype=np.float32).reshape(2, 6, 2)
    sw = SlidingWindow(window=2, stride=2).fit(X)
    Xt = sw.transform(X)
    assert Xt.dtype == np.float32
    assert Xt.shape == (2, 3, 4)
    assert sw.n_channels_ == 2
    np.testing.assert_array_equal(Xt[1, 2], X[1, 4:6].reshape(-1))
    assert SlidingWindow(window=2).fit_transform(X[:, :, :1]).shape == (2, 5, 2)


def test_rows_are_independent():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(9, 7, 2))
    sw = SlidingWindow(window=3, stride=2).fit(X)
    perm = rng.permutation(9)
    np.testing.assert_array_equal(sw.transform(X[perm]), sw.transform(X)[perm])
    np.testing.assert_array_equal(sw.transform(X[4:5]), sw.transform(X)[4:5])


def test_in_pipeline_after_make_windows_and_scaler():
    series = np.sin(np.arange(300.0) / 5.0) + 2.0
    X, y = make_windows(series, window=24, horizon=3)
    pipe = make_pipeline(SequenceScaler(per="window"), SlidingWindow(window=6, stride=6))
    Xt = pipe.fit_transform(X)
    assert Xt.shape == (len(X), 4, 6)
    np.testing.assert_allclose(Xt.reshape(len(X), 24), SequenceScaler(per="window")
                               .fit_transform(X)[:, :, 0])
    assert clone(pipe).fit(X[:10]).transform(X[:10]).shape == (10, 4, 6)


def test_dataframe_not_mutated_and_feature_names():
    df = pd.DataFrame({f"lag_{k}": np.arange(5.0) + k for k in range(4)})
    before = df.copy()
    sw = SlidingWindow(window=2).fit(df)
    assert sw.transform(df).shape == (5, 3, 2)
    assert list(sw.feature_names_in_) == list(df.columns)
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize(
    ("params", "exc", "match"),
    [
        ({"window": 0}, ValueError, "`window` must be a positive integer. Received: window=0"),
        ({"window": "3"}, TypeError, "`window` must be a positive integer"),
        ({"window": 2, "stride": 0}, ValueError, "`stride` must be a positive integer. "
                                                 "Received: stride=0"),
        ({"window": 2, "stride": 1.5}, TypeError, "`stride` must be a positive integer"),
        ({"window": 2, "fill_value": np.inf}, ValueError, "`fill_value` must be finite or NaN"),
        ({"window": 2, "fill_value": "zero"}, TypeError, "`fill_value` must be a number"),
        ({"window": 2, "fill_value": True}, TypeError, "`fill_value` must be a number"),
    ],
)
def test_parameter_errors(params, exc, match):
    with pytest.raises(exc, match=match):
        SlidingWindow(**params).fit(np.ones((3, 4)))


def test_data_errors():
    sw = SlidingWindow(window=2).fit(np.ones((3, 4)))
    with pytest.raises(ValueError, match="X has 3 features, but SlidingWindow is expecting 4"):
        sw.transform(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"1 feature\(s\) per time step.*shape \(3, 4, 2\)"):
        sw.transform(np.ones((3, 4, 2)))
    with pytest.raises(ValueError, match="Expected 2D array"):
        SlidingWindow(window=2).fit(np.ones(3))
    with pytest.raises(ValueError, match=r"`X` must be 2-D.*shape \(2, 3, 4, 5\)"):
        SlidingWindow(window=2).fit(np.ones((2, 3, 4, 5)))
    with pytest.raises(ValueError, match="NaN"):
        SlidingWindow(window=2).fit(np.array([[np.nan, 1.0]]))
