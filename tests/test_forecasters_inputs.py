"""Forecasters keep no reference to the caller's data, reject misaligned or malformed
inputs before any statsmodels/TensorFlow error, and stay usable after a failed update."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
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


def test_a_member_failing_after_another_updated_leaves_the_ensemble_as_it_was():
    # the gap check runs before any member; here the second member's own check fails
    # (a log scaler cannot take a negative value) after the first member has updated
    y = _monthly()
    ens = EnsembleForecaster([
        ("a", NeuralForecaster(Ridge(), window=6, horizon=3, scaler="standard")),
        ("b", NeuralForecaster(Ridge(), window=6, horizon=3, scaler="log")),
    ]).fit(y)
    before = {name: f.predict() for name, f in ens.forecasters_}
    ensemble_before = ens.predict()
    members = [f for _, f in ens.forecasters_]
    bad = pd.Series([-5.0], index=[y.index[-1] + pd.offsets.MonthEnd()])
    with pytest.raises(ValueError, match="log"):
        ens.update(bad)
    assert [f for _, f in ens.forecasters_] == members  # the same objects, unchanged
    for name, f in ens.forecasters_:
        assert f.cutoff_ == y.index[-1]
        pd.testing.assert_series_equal(f.predict(), before[name])
    pd.testing.assert_series_equal(ens.predict(), ensemble_before)
    good = pd.Series([15.0], index=bad.index)
    ens.update(good)
    assert [f.cutoff_ for _, f in ens.forecasters_] == [good.index[0]] * 2
    assert members[0].cutoff_ == y.index[-1]  # updated as copies


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


# ------------------------------------------------------------------ NeuralForecaster
def test_update_matches_target_columns_by_name():
    from sklearn.linear_model import LinearRegression

    t = np.arange(100)
    frame = pd.DataFrame({"zeta": 3 + 0.2 * t, "alpha": 50 + np.tile([1.0, 4.0, 2.0, 7.0], 25)})
    model = NeuralForecaster(LinearRegression(), window=8, horizon=4, scaler="last")
    in_order = clone(model).fit(frame.iloc[:90]).update(frame.iloc[90:]).predict()
    swapped = clone(model).fit(frame.iloc[:90]).update(frame.iloc[90:][["alpha", "zeta"]])
    pd.testing.assert_frame_equal(swapped.predict(), in_order)
    np.testing.assert_allclose(in_order["zeta"], 3 + 0.2 * np.arange(100, 104), atol=1e-4)
    with pytest.raises(ValueError, match=r"must have the target columns \['zeta', 'alpha'\] "
                                         r"of fit \(in any order\)"):
        clone(model).fit(frame.iloc[:90]).update(
            frame.iloc[90:].rename(columns={"zeta": "foo"}))


def test_backtest_gives_a_future_covariate_model_its_whole_horizon_of_rows():
    from forecast.model_selection import ConformalIntervals, ExpandingWindowSplitter, backtest

    rng = np.random.default_rng(0)
    idx = pd.date_range("2024-01-01", periods=80, freq="D")
    y = pd.Series(10 + np.cumsum(rng.normal(0, 1, 80)), index=idx)
    X = pd.DataFrame({"dow": idx.day_of_week.astype(float)}, index=idx)
    model = NeuralForecaster(Ridge(), window=7, horizon=5, future_covariates=["dow"])
    # the folds test 3 steps; the model reads 5 rows of future covariates
    result = backtest({"m": model}, y.iloc[:-5], X=X, naive2=False, verbose=0,
                      cv=ExpandingWindowSplitter(horizon=3, n_splits=2))
    assert len(result.predictions) == 6
    assert np.isfinite(result.predictions["y_pred"]).all()
    ConformalIntervals(model, horizon=3, n_windows=9).fit(y.iloc[:-5], X)
    with pytest.raises(Exception, match=r"must give the future covariates of the 5 steps after "
                                        r"the fold's cutoff"):
        backtest({"m": model}, y, X=X, naive2=False, verbose=0, errors="raise",
                 cv=ExpandingWindowSplitter(horizon=3, n_splits=1))


def test_mase_weights_ignore_the_padding_of_short_series():
    from sklearn.base import BaseEstimator, RegressorMixin

    class Weights(RegressorMixin, BaseEstimator):
        def fit(self, X, y, sample_weight=None):
            self.sw_ = sample_weight
            return self

        def predict(self, X):
            return np.zeros((len(X), 2))

    rng = np.random.default_rng(0)
    steps = rng.choice([-1.0, 1.0], size=60)  # one-step MAE exactly 1 in both series
    panel = {"long": pd.Series(50 + np.cumsum(steps)), "short": pd.Series([5.0, 6.0, 5.0, 4.0])}
    f = NeuralForecaster(Weights(), window=6, horizon=2, scaler=None, weighting="mase",
                         pad=True, validation=False).fit(panel)
    weights = f.estimator_.sw_
    np.testing.assert_allclose(weights, weights[0])  # the same scale, so the same weight


def test_backtest_refits_a_neural_forecaster_in_place_unless_it_warm_starts():
    from sklearn.linear_model import SGDRegressor

    from forecast.model_selection import ExpandingWindowSplitter, backtest

    assert NeuralForecaster(Ridge(), window=6, horizon=2)._fit_resets_weights is True
    warm = NeuralForecaster(SGDRegressor(warm_start=True), window=6, horizon=2)
    assert warm._fit_resets_weights is False
    y = _monthly(60)
    model = NeuralForecaster(Ridge(), window=6, horizon=3)
    cv = ExpandingWindowSplitter(horizon=3, n_splits=3)
    result = backtest({"m": model}, y, cv=cv, naive2=False, verbose=0)
    for fold, (train, _) in enumerate(cv.split(y)):  # each fold as a fresh fit
        expected = clone(model).fit(y.iloc[train]).predict()
        got = result.predictions[result.predictions["fold"] == fold]["y_pred"].to_numpy()
        np.testing.assert_allclose(got, expected.to_numpy())
