"""Tests for forecast.metrics point metrics (mae, rmse, mape, smape, mase)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast import metrics
from forecast.metrics import mae, mape, mase, mase_scale, rmse, smape


def test_mae_rmse_values():
    assert mae([1.0, 2.0, 3.0], [2.0, 2.0, 1.0]) == pytest.approx(1.0)
    assert rmse([0.0, 0.0], [3.0, 4.0]) == pytest.approx(np.sqrt(12.5))


def test_metrics_accept_2d_and_pandas():
    y = np.arange(1.0, 7.0).reshape(2, 3)
    assert mae(y, y + 1) == pytest.approx(1.0)
    assert smape(pd.Series([1.0, 2.0], index=[5, 6]), pd.Series([1.0, 2.0], index=[5, 6])) == 0.0
    assert smape(pd.Series([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0  # one side: by position


def test_mape_percent_and_zero_error():
    assert mape([100.0, 200.0], [110.0, 180.0]) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="MAPE is undefined"):
        mape([0.0, 1.0], [1.0, 1.0])


def test_smape_m4_definition_and_zero_over_zero():
    y = np.array([100.0, 50.0, 0.0])
    f = np.array([110.0, 40.0, 0.0])
    expected = np.mean([200 * 10 / 210, 200 * 10 / 90, 0.0])
    assert smape(y, f) == pytest.approx(expected)
    assert smape([0.0], [5.0]) == pytest.approx(200.0)


def test_mase_seasonal_scale_matches_m4():
    rng = np.random.default_rng(0)
    train = rng.normal(10, 1, size=50)
    m = 7
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    y, f = rng.normal(size=5), rng.normal(size=5)
    assert mase(y, f, y_train=train, season_length=m) == pytest.approx(
        np.mean(np.abs(y - f)) / scale
    )
    assert mase_scale(train, m) == pytest.approx(scale)


def test_mase_falls_back_to_lag1_when_season_too_long():
    train = [1.0, 2.0, 4.0]
    with pytest.warns(UserWarning, match="lag-1 naive scale"):
        assert mase_scale(train, season_length=12) == pytest.approx(1.5)


def test_mase_errors():
    with pytest.raises(ValueError, match="MASE is undefined"):
        mase([1.0], [2.0], y_train=[3.0, 3.0, 3.0])
    with pytest.raises(ValueError, match="at least 2 sample"):
        mase([1.0], [2.0], y_train=[3.0])
    with pytest.raises(ValueError, match="season_length"):
        mase([1.0], [2.0], y_train=[3.0, 4.0], season_length=0)
    with pytest.raises(TypeError, match="y_train"):
        mase([1.0], [2.0], y_train="abc")


@pytest.mark.parametrize("metric", [mae, rmse, mape, smape])
def test_input_errors(metric):
    with pytest.raises(ValueError, match="same shape"):
        metric([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="NaN"):
        metric([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="infinity"):
        metric([1.0, 2.0], [1.0, np.inf])
    with pytest.raises(ValueError, match="at least 1 sample"):
        metric([], [])
    with pytest.raises(TypeError, match="y_pred"):
        metric([1.0], ["a"])


def test_inputs_not_mutated():
    y = np.array([1.0, 2.0])
    f = np.array([2.0, 3.0])
    train = np.array([1.0, 3.0, 2.0])
    before = (y.copy(), f.copy(), train.copy())
    smape(y, f)
    mase(y, f, y_train=train)
    for a, b in zip((y, f, train), before, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ["mae", "rmse", "mape", "smape", "mase", "pinball",
                                  "coverage", "interval_score", "msis"])
def test_pandas_with_different_indexes_is_an_error_not_a_positional_match(name):
    # a forecast scored against the wrong stretch of actuals (off by one step here)
    # used to be compared by position without a word
    idx = pd.date_range("2024-01-01", periods=4, freq="D")
    actual = pd.Series([10.0, 11.0, 12.0, 13.0], index=idx)
    shifted = pd.Series([10.0, 11.0, 12.0, 13.0], index=idx + pd.Timedelta("1D"))
    interval = name in ("coverage", "interval_score", "msis")
    pred = (pd.DataFrame({"lower": shifted - 1, "upper": shifted + 1}) if interval
            else shifted)
    kwargs = {"y_train": np.arange(1.0, 9.0)} if name in ("mase", "msis") else {}
    func = getattr(metrics, name)
    with pytest.raises(ValueError, match=r"`y_true` and `y_pred` must have the same index.*"
                                         r"Received: y_true indexed 2024-01-01 00:00:00 \.\. "
                                         r"2024-01-04 00:00:00 \(4 rows\), y_pred indexed "
                                         r"2024-01-02"):
        func(actual, pred, **kwargs)
    aligned = pred.set_axis(idx)
    assert np.isfinite(func(actual, aligned, **kwargs))
    # arrays, or one pandas side, are matched by position as before
    assert func(actual.to_numpy(), pred.to_numpy(), **kwargs) == func(actual, aligned, **kwargs)
    assert func(actual, pred.to_numpy(), **kwargs) == func(actual, aligned, **kwargs)


def test_mase_fallback_warning_points_at_the_callers_line():
    """The lag-1 fallback's warning names the user's file, not the library's."""
    from forecast.metrics import mase, mase_scale, msis

    calls = [lambda: mase([1.0], [2.0], y_train=[1.0, 2.0, 3.0], season_length=12),
             lambda: mase_scale([1.0, 2.0, 3.0], season_length=12),
             lambda: msis([1.0], [[0.0, 2.0]], y_train=[1.0, 2.0, 3.0], season_length=12)]
    for call in calls:
        with pytest.warns(UserWarning, match="not longer than one season") as record:
            call()
        assert [w.filename for w in record] == [__file__]
