"""Forecasters under a failed refit, units far from 1, noise, and misplaced covariates.

Found by an audit of the series-level API (2026-12-07): each test failed before the fix
it names.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
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
    SeasonalNaive,
    Theta,
)


def _seasonal_walk(n: int = 60, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 50 + np.cumsum(rng.normal(size=n)) + 3 * np.sin(np.arange(n) * np.pi / 2)


# --- a failed refit leaves the model as it was ---------------------------------------

def test_failed_refit_keeps_the_fitted_baseline():
    y = pd.Series(np.arange(1.0, 49.0), pd.date_range("2020-01-01", periods=48, freq="MS"))
    model = SeasonalNaive(12).fit(y)
    before = model.predict(3)
    short = pd.Series([100.0, 200.0, 300.0], pd.date_range("2030-01-01", periods=3, freq="D"))
    with pytest.raises(ValueError, match="needs at least season_length=12 observations"):
        model.fit(short)
    pd.testing.assert_series_equal(model.predict(3), before)  # not the new daily index
    assert model.cutoff_ == y.index[-1]


def test_failed_first_fit_leaves_the_baseline_unfitted():
    model = SeasonalNaive(12)
    with pytest.raises(ValueError, match="needs at least season_length=12"):
        model.fit(np.arange(3.0))
    with pytest.raises(NotFittedError):
        model.predict(3)


def test_failed_refit_keeps_the_neural_forecaster_and_the_ensemble():
    y = pd.Series(np.sin(np.arange(80) / 3) + 5)
    neural = NeuralForecaster(Ridge(), window=12, horizon=4, validation=False).fit(y)
    ensemble = EnsembleForecaster([("ridge", NeuralForecaster(Ridge(), window=12, horizon=4,
                                                              validation=False)),
                                   ("naive", Naive())]).fit(y)
    bad = y.copy()
    bad.iloc[40] = np.nan
    for model in (neural, ensemble):
        before = model.predict(4)
        with pytest.raises(ValueError, match="NaN"):
            model.fit(bad)
        pd.testing.assert_series_equal(model.predict(4), before)


# --- covariates that would be dropped -------------------------------------------------

def _with_promo(n: int = 100) -> tuple[pd.Series, pd.DataFrame]:
    idx = pd.date_range("2020-01-01", periods=n, freq="D")
    y = pd.Series(np.sin(np.arange(n) / 3) + 5, idx)
    X = pd.DataFrame({"promo": np.random.default_rng(0).normal(size=n)}, idx)
    return y, X


def test_update_refuses_covariates_of_a_model_fitted_without():
    y, X = _with_promo()
    model = NeuralForecaster(Ridge(), window=12, horizon=4, validation=False).fit(y.iloc[:90])
    with pytest.raises(ValueError, match=r"NeuralForecaster was fitted without covariates, "
                                         r"so `X` would be ignored: update without `X`"):
        model.update(y, X=X)
    assert model.cutoff_ == y.index[89]
    assert model.update(y).cutoff_ == y.index[-1]


def test_ensemble_update_refuses_covariates_no_member_uses():
    y, X = _with_promo()
    ensemble = EnsembleForecaster([
        ("ridge", NeuralForecaster(Ridge(), window=12, horizon=4, validation=False)),
        ("theta", Theta())]).fit(y.iloc[:90])
    with pytest.raises(ValueError, match="No member's update uses covariates"):
        ensemble.update(y, X=X)
    assert ensemble.cutoff_ == y.index[89]


def test_ensemble_update_with_covariates_fitted_with_them():
    y, X = _with_promo()
    ensemble = EnsembleForecaster([
        ("ridge", NeuralForecaster(Ridge(), window=12, horizon=4, validation=False)),
        ("naive", Naive())]).fit(y.iloc[:90], X.iloc[:90])
    assert ensemble.update(y, X=X).cutoff_ == y.index[-1]


# --- EnsembleForecaster.update reads arrays as fit does ---------------------------------

def test_ensemble_update_with_the_extended_array():
    values = 10 + np.sin(np.arange(120) * 2 * np.pi / 12)
    members = [("naive", Naive()), ("drift", Drift())]
    updated = EnsembleForecaster(members).fit(values[:100]).update(values)
    refitted = EnsembleForecaster(members).fit(values)
    assert updated.cutoff_ == 119
    pd.testing.assert_series_equal(updated.predict(3), refitted.predict(3))


def test_ensemble_fitted_on_timestamps_needs_pandas_to_update():
    y, _ = _with_promo()
    ensemble = EnsembleForecaster([("naive", Naive())]).fit(y.iloc[:90])
    with pytest.raises(TypeError, match="must be a pandas Series or DataFrame with the labels "
                                        "after the cutoff"):
        ensemble.update(y.to_numpy())


# --- messages --------------------------------------------------------------------------

@pytest.mark.parametrize("coverage", [0.0, 1.0, -0.5])
def test_interval_coverage_message_states_the_open_interval(coverage):
    model = SES().fit([1.0, 2.0, 1.5, 2.5, 2.0])
    with pytest.raises(ValueError, match=r"`coverage` must be in \(0\.0, 1\.0\)\. "
                                         rf"Received: coverage={coverage}"):
        model.predict_interval(2, coverage=coverage)


def test_ets_damping_without_a_trend_is_refused():
    with pytest.raises(ValueError, match=r"`damped_trend=True` needs a trend .* Received: "
                                         r"trend=None, damped_trend=True"):
        ETS(trend=None, damped_trend=True).fit(_seasonal_walk())


# --- ETS selects seasonality by an AICc that counts the initial states ------------------

def test_ets_picks_no_season_on_white_noise():
    rng = np.random.default_rng(0)
    picks = [ETS(season_length=12).fit(100 + rng.normal(size=48)).selected_
             for _ in range(8)]
    assert all(p.endswith(",N)") for p in picks), picks


def test_ets_still_picks_the_season_of_a_seasonal_series():
    rng = np.random.default_rng(1)
    t = np.arange(48)
    y = 100 + 5 * np.sin(2 * np.pi * t / 12) + rng.normal(size=48)
    assert not ETS(season_length=12).fit(y).selected_.endswith(",N)")


def test_ets_aicc_counts_level_trend_and_m_minus_1_seasonal_states():
    rng = np.random.default_rng(2)
    model = ETS(season_length=12, error="add", trend="add", damped_trend=False,
                seasonal="add").fit(100 + rng.normal(size=48))
    res, n = model.model_, 48
    k = res.df_model + 1 + 1 + 11  # statsmodels' parameters + level, trend, 11 seasonal
    expected = -2 * res.llf + 2 * k + 2 * k * (k + 1) / (n - k - 1)
    assert model.aicc_["ETS(A,A,A)"] == pytest.approx(expected)
    assert model.aicc_["ETS(A,A,A)"] > res.aicc  # statsmodels' own leaves the states out


# --- ARIMA does not depend on the unit of the data ----------------------------------------

@pytest.mark.parametrize("unit", [1e-100, 1e-6, 1e3, 1e100])
def test_arima_forecasts_scale_with_the_data(unit):
    y = _seasonal_walk()
    base = ARIMA(season_length=4).fit(y)
    scaled = ARIMA(season_length=4).fit(y * unit)
    assert scaled.order_ == base.order_
    np.testing.assert_allclose(scaled.predict(6).to_numpy() / unit, base.predict(6).to_numpy(),
                               rtol=1e-6)
    np.testing.assert_allclose(scaled.predict_interval(6).to_numpy() / unit,
                               base.predict_interval(6).to_numpy(), rtol=1e-6)


def test_arima_fits_values_whose_squares_overflow():
    y = _seasonal_walk() * 1e200
    forecast = ARIMA(season_length=4).fit(y).predict(3).to_numpy()
    assert np.isfinite(forecast).all()
    np.testing.assert_allclose(forecast / 1e200, ARIMA(season_length=4).fit(
        _seasonal_walk()).predict(3).to_numpy(), rtol=1e-6)


# --- SES, Holt and DampedHolt do not depend on the unit of the data (audit 2026-12-08) ------

def _trend_season(n: int = 120) -> np.ndarray:
    # the audit's series: in millions of units Holt's least-squares fit stopped at a 2.5 %
    # worse optimum and its 12-step forecast moved by about one noise standard deviation
    rng = np.random.default_rng(2)
    return 100 + np.cumsum(rng.normal(size=n)) + 5 * np.sin(2 * np.pi * np.arange(n) / 12)


@pytest.mark.parametrize("model", [SES, Holt, DampedHolt])
@pytest.mark.parametrize("unit", [1e-100, 1e-6, 1e6, 1e100])
def test_smoothing_forecasts_and_intervals_scale_with_the_data(model, unit):
    y = _trend_season()
    base = model(season_length=12).fit(y)
    scaled = model(season_length=12).fit(y * unit)
    np.testing.assert_allclose(scaled.predict(12).to_numpy() / unit, base.predict(12).to_numpy(),
                               rtol=1e-6)
    np.testing.assert_allclose(scaled.predict_interval(12).to_numpy() / unit,
                               base.predict_interval(12).to_numpy(), rtol=1e-6)
    assert scaled.sigma_ / unit == pytest.approx(base.sigma_, rel=1e-6)
    assert scaled.params_["initial_level"] / unit == pytest.approx(
        base.params_["initial_level"], rel=1e-6)
    assert scaled.params_["smoothing_level"] == pytest.approx(
        base.params_["smoothing_level"], rel=1e-6)


def test_holt_in_millions_finds_the_least_squares_optimum_of_units():
    y = _trend_season()
    for unit in (1.0, 1e6):
        model = Holt(season_length=12).fit(y * unit)
        sse = len(y) * (model.sigma_ / unit) ** 2  # sigma_: RMS of the one-step residuals
        assert sse == pytest.approx(100.29, abs=0.01)  # 102.83 in millions before the fix


@pytest.mark.parametrize("model", [SES, Holt, DampedHolt])
@pytest.mark.parametrize("unit", [1e-9, 1.0, 1e9])
def test_smoothing_on_constant_near_constant_and_linear_series(model, unit):
    constant = model().fit(np.full(30, 7.0 * unit))
    assert constant.scale_ == 1.0
    np.testing.assert_array_equal(constant.predict(3).to_numpy(), 7.0 * unit)
    np.testing.assert_array_equal(constant.predict_interval(3).to_numpy(), 7.0 * unit)
    # one step of ~1e-15 relative: the changes' spread is tiny, the fit still works
    near = np.full(60, 100.0 * unit)
    near[-1] += 1e-13 * unit
    fitted = model().fit(near)
    assert 0 < fitted.scale_ < 1e-12 * unit
    np.testing.assert_allclose(fitted.predict(3).to_numpy(), 100.0 * unit, rtol=1e-12)
    assert np.isfinite(fitted.predict_interval(3).to_numpy()).all()
    # a line's changes are constant up to rounding (steps of 3e-9 keep ~1e-25 of spread):
    # the values' spread is the unit, and the forecasts scale with it too
    line = 5.0 + 3.0 * np.arange(10.0)
    base, fitted = model().fit(line), model().fit(line * unit)
    assert fitted.scale_ == pytest.approx(np.std(line * unit), rel=1e-12)
    np.testing.assert_allclose(fitted.predict(3).to_numpy() / unit, base.predict(3).to_numpy(),
                               rtol=1e-6)
    if model is Holt:
        np.testing.assert_allclose(fitted.predict(3).to_numpy(), [35 * unit, 38 * unit, 41 * unit],
                                   rtol=1e-9)


def test_a_series_in_tiny_units_is_not_constant():
    y = _seasonal_walk()
    np.testing.assert_allclose(Theta(season_length=4).fit(y * 1e-9).predict(3).to_numpy(),
                               Theta(season_length=4).fit(y).predict(3).to_numpy() * 1e-9,
                               rtol=1e-3)


def test_ensemble_update_with_only_the_new_values_of_an_array_is_refused():
    values = np.arange(20.0)
    ensemble = EnsembleForecaster([("naive", Naive())]).fit(values)
    with pytest.raises(ValueError, match=r"`y` given as an array has no index, so it must be "
                                         r"the whole extended series, longer than the 20"):
        ensemble.update(np.array([20.0, 21.0]))
    assert ensemble.cutoff_ == 19


def test_a_smoother_pickled_before_fits_were_scaled_still_predicts():
    import pickle

    from forecast.forecasters import Holt

    y = pd.Series(np.arange(40.0) + np.sin(np.arange(40.0)))
    model = Holt().fit(y)
    expected = model.predict(3)
    del model.__dict__["scale_"]  # a pickle from before: no scale_ (its fit was in raw units)
    again = pickle.loads(pickle.dumps(model))
    assert again.scale_ == 1.0  # the unit such a fit was made in
    forecast = again.predict(3)  # no AttributeError
    assert forecast.shape == expected.shape
    assert np.isfinite(forecast).all()
    assert again.predict_interval(3).shape == (3, 2)
