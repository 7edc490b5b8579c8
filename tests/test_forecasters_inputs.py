"""Forecasters keep no reference to the caller's data, reject misaligned or malformed
inputs before any statsmodels/TensorFlow error, and stay usable after a failed update."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from forecast.forecasters import (
    ARIMA,
    ETS,
    SES,
    DampedHolt,
    Drift,
    EnsembleForecaster,
    Holt,
    Naive,
    NeuralForecaster,
    Theta,
)


def _monthly(n: int = 48, name: str = "sales") -> pd.Series:
    rng = np.random.default_rng(0)
    idx = pd.date_range("2020-01-31", periods=n, freq="ME", name="month")
    return pd.Series(20 + np.cumsum(rng.normal(0, 1, n)), index=idx, name=name)


@pytest.mark.parametrize("make", [SES, Holt, DampedHolt, Naive, Theta, ETS, ARIMA,
                                  lambda: NeuralForecaster(Ridge(), window=6, horizon=3)])
def test_editing_the_series_after_fit_does_not_change_the_forecast(make):
    y = _monthly()
    model = make().fit(y)
    before = model.predict(3)
    y.iloc[:] = 0.0  # the caller reuses their own object
    pd.testing.assert_series_equal(model.predict(3), before)


def test_forecasts_keep_the_index_name():
    y = _monthly()
    assert Naive().fit(y).predict(2).index.name == "month"
    assert NeuralForecaster(Ridge(), window=6, horizon=2).fit(y).predict().index.name == "month"
    ints = pd.Series(np.arange(10.0), index=pd.RangeIndex(10, name="step"))
    assert Drift().fit(ints).predict(2).index.name == "step"


def test_period_index_with_gaps_is_rejected_like_a_datetime_index():
    pi = pd.PeriodIndex(["2000-01", "2000-02", "2000-04", "2000-05"], freq="M")
    y = pd.Series([1.0, 2.0, 4.0, 5.0], index=pi)
    with pytest.raises(ValueError, match=r"`y` has a PeriodIndex with gaps: 2000-02 is "
                                         r"followed by 2000-04"):
        Drift().fit(y)
    with pytest.raises(ValueError, match="PeriodIndex with gaps"):
        NeuralForecaster(Ridge(), window=2, horizon=1).fit(y)
    regular = pd.Series([1.0, 2.0, 3.0], index=pd.period_range("2000-01", periods=3, freq="2M"))
    assert Drift().fit(regular).predict(1).index[0] == pd.Period("2000-07", "2M")


def test_too_few_timestamps_without_freq_fail_at_fit_not_at_predict():
    y = pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2020-01-01", "2020-01-02"]))
    with pytest.raises(ValueError, match=r"`y` has 2 timestamp\(s\) and no `freq`"):
        Naive().fit(y)
    assert Naive().fit(y.asfreq("D")).predict(1).index[0] == pd.Timestamp("2020-01-03")


def test_arima_on_a_series_constant_up_to_rounding_forecasts_the_constant():
    # the seasonal adjustment leaves ~1e-16 of spread: KPSS used to overflow on it
    model = ARIMA(season_length=12).fit(np.tile([0.0, 0.0, 0.0, 5.0], 12))
    forecast = model.predict(4).to_numpy()
    np.testing.assert_allclose(forecast, [0.0, 0.0, 0.0, 5.0], atol=1e-9)


def test_ets_random_state_is_checked_at_fit():
    with pytest.raises(TypeError, match=r"`random_state` must be a non-negative integer. "
                                        r"Received: random_state='x'"):
        ETS(random_state="x").fit(_monthly())


# ------------------------------------------------------------------ covariates
def _hourly_with_calendar(n: int = 60, extra: int = 4):
    full = pd.date_range("2024-01-01", periods=n + extra, freq="h")
    cal = pd.DataFrame({"cal": np.sin(np.arange(n + extra) / 3.0)}, index=full)
    y = pd.Series(10 + cal["cal"].to_numpy()[:n], index=full[:n])
    return y, cal


def test_future_covariates_with_wrong_timestamps_are_an_error_not_a_positional_read():
    y, cal = _hourly_with_calendar()
    f = NeuralForecaster(Ridge(), window=12, horizon=4, future_covariates=["cal"]).fit(y, cal)
    good = f.predict(X=cal)
    # an unlabelled frame is read by position
    pd.testing.assert_series_equal(f.predict(X=cal.iloc[60:].reset_index(drop=True)), good)
    shifted = cal.iloc[61:64 + 1]  # starts one hour after the first forecast step
    with pytest.raises(ValueError, match=r"must cover the 4 steps after the cutoff .* or be an "
                                         r"unlabelled frame"):
        f.predict(X=shifted)
    elsewhere = cal.iloc[60:].set_axis(pd.date_range("2030-01-01", periods=4, freq="h"))
    with pytest.raises(ValueError, match="must cover the 4 steps after the cutoff"):
        f.predict(X=elsewhere)


def test_non_numeric_or_duplicated_covariates_are_named():
    y, cal = _hourly_with_calendar()
    f = NeuralForecaster(Ridge(), window=6, horizon=2)
    with pytest.raises(ValueError, match=r"`X\['s'\]` must be numeric .* dtype"):
        f.fit(y, cal.assign(s="x"))
    dup = pd.concat([cal, cal.iloc[[5]]]).sort_index()
    with pytest.raises(ValueError, match=r"`X` has duplicate index labels, e.g. Timestamp"):
        f.fit(y, dup)
    flags = cal.assign(flag=cal["cal"] > 0)  # booleans are numbers
    assert len(f.fit(y, flags).predict()) == 2


# ------------------------------------------------------------------ updates
def _ensemble() -> EnsembleForecaster:
    return EnsembleForecaster([("nn", NeuralForecaster(Ridge(), window=6, horizon=3)),
                               ("naive", Naive())])


def test_a_failed_ensemble_update_leaves_it_usable():
    y = _monthly()
    ens = _ensemble().fit(y)
    before = ens.predict(3)
    gap = pd.Series([20.0], index=[pd.Timestamp("2030-01-31")])
    with pytest.raises(ValueError, match=r"`y` must continue the series after .* without gaps"):
        ens.update(gap)
    pd.testing.assert_series_equal(ens.predict(3), before)
    nxt = pd.Series([15.0], index=[y.index[-1] + pd.offsets.MonthEnd()])
    ens.update(nxt)
    assert ens.cutoff_ == nxt.index[0]
    assert all(f.cutoff_ == nxt.index[0] for _, f in ens.forecasters_)
    forecast = ens.predict(3)
    assert forecast.name == "sales"
    assert forecast.index[0] == nxt.index[0] + pd.offsets.MonthEnd()


def test_a_failed_panel_update_changes_no_series():
    panel = {"a": _monthly(30), "b": _monthly(30)}
    f = NeuralForecaster(Ridge(), window=6, horizon=2).fit(panel)
    before = f.predict()
    step = panel["a"].index[-1] + pd.offsets.MonthEnd()
    good = pd.Series([1.0], index=[step])
    bad = pd.Series([1.0], index=[step + pd.offsets.MonthEnd()])
    with pytest.raises(ValueError, match=r"`y\['b'\]` must continue the series"):
        f.update({"a": good, "b": bad})
    assert f.cutoff_ == {"a": panel["a"].index[-1], "b": panel["b"].index[-1]}
    for key in panel:
        pd.testing.assert_series_equal(f.predict()[key], before[key])
