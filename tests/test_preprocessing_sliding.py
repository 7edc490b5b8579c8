"""Tests of forecast.preprocessing.SlidingWindow (sklearn transformer, no look-ahead)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from forecast.preprocessing import SlidingWindow, make_windows

# A transformer over time-ordered rows: row t depends on rows t-window+1..t, so permuting
# or sub-sampling the rows legitimately changes the output.
EXPECTED_FAILED = {
    "check_methods_sample_order_invariance": "rows are time steps: windows depend on order",
    "check_methods_subset_invariance": "rows are time steps: windows span several rows",
}


def test_check_estimator():
    check_estimator(SlidingWindow(window=3), expected_failed_checks=EXPECTED_FAILED)


def test_window_ending_at_each_row_no_look_ahead():
    X = np.arange(20.0).reshape(10, 2)
    Xt = SlidingWindow(window=4).fit_transform(X)
    assert Xt.shape == (10, 4, 2)
    for t in range(10):
        for j in range(4):
            src = t - 4 + 1 + j
            expected = X[src] if src >= 0 else np.zeros(2)
            np.testing.assert_array_equal(Xt[t, j], expected)
    # rows with full history equal make_windows' inputs
    Xw, _ = make_windows(X, window=4, horizon=0)
    np.testing.assert_array_equal(Xt[3:], Xw)


@pytest.mark.parametrize(
    ("padding", "first"),
    [("zero", 0.0), ("edge", 1.0), (-999.0, -999.0), (2, 2.0)],
)
def test_padding(padding, first):
    Xt = SlidingWindow(window=3, padding=padding).fit_transform([[1.0], [2.0], [3.0]])
    assert Xt[0, :, 0].tolist() == [first, first, 1.0]
    assert Xt[2, :, 0].tolist() == [1.0, 2.0, 3.0]


def test_nan_padding_and_dtype():
    X = np.ones((4, 2), dtype=np.float32)
    Xt = SlidingWindow(window=3, padding="nan").fit_transform(X)
    assert Xt.dtype == np.float32
    assert np.isnan(Xt[0, :2]).all()
    assert not np.isnan(Xt[2:]).any()


def test_window_one_and_longer_than_data():
    X = np.arange(3.0).reshape(3, 1)
    np.testing.assert_array_equal(SlidingWindow(window=1).fit_transform(X)[:, 0], X)
    Xt = SlidingWindow(window=5).fit_transform(X)
    assert Xt.shape == (3, 5, 1)
    assert Xt[2, :, 0].tolist() == [0.0, 0.0, 0.0, 1.0, 2.0]


def test_in_pipeline_with_dataframe_not_mutated():
    df = pd.DataFrame({"a": np.arange(6.0), "b": np.arange(6.0) * 2})
    before = df.copy()
    Xt = make_pipeline(StandardScaler(), SlidingWindow(window=2)).fit_transform(df)
    assert Xt.shape == (6, 2, 2)
    pd.testing.assert_frame_equal(df, before)
    sw = SlidingWindow(window=2).fit(df)
    assert list(sw.feature_names_in_) == ["a", "b"]


@pytest.mark.parametrize(
    ("params", "exc", "match"),
    [
        ({"window": 0}, ValueError, "`window` must be a positive integer. Received: window=0"),
        ({"window": "3"}, TypeError, "`window` must be a positive integer"),
        ({"window": 2, "padding": "reflect"}, ValueError, "`padding` must be one of"),
        ({"window": 2, "padding": np.inf}, ValueError, "`padding` must be finite or NaN"),
        ({"window": 2, "padding": [0]}, TypeError, "`padding` must be one of"),
    ],
)
def test_parameter_errors(params, exc, match):
    with pytest.raises(exc, match=match):
        SlidingWindow(**params).fit(np.ones((3, 1)))


def test_data_errors():
    sw = SlidingWindow(window=2).fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="X has 3 features, but SlidingWindow is expecting 2"):
        sw.transform(np.ones((3, 3)))
    with pytest.raises(ValueError, match="Expected 2D array"):
        SlidingWindow(window=2).fit(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        SlidingWindow(window=2).fit(np.array([[np.nan]]))
