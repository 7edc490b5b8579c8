"""Tests for SES, Holt, DampedHolt, Theta, ETS and ARIMA baselines."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.holtwinters import SimpleExpSmoothing

from forecast.forecasters import (
    ARIMA,
    ETS,
    SES,
    DampedHolt,
    Drift,
    Holt,
    Mean,
    Naive,
    Naive2,
    SeasonalNaive,
    Theta,
)

RNG = np.random.default_rng(0)
T = np.arange(72)
SEASONAL = 20 + 0.05 * T + 4 * np.sin(2 * np.pi * T / 12) + RNG.normal(scale=0.3, size=72)
WALK = 50 + np.cumsum(RNG.normal(size=80))

ALL = [SES, Holt, DampedHolt, Theta, ETS, ARIMA]


@pytest.mark.parametrize("cls", ALL)
def test_fit_predict_shapes_and_index(cls):
    y = pd.Series(SEASONAL, index=pd.date_range("2020-01", periods=72, freq="MS"))
    model = cls(season_length=12).fit(y)
    pred = model.predict(6)
    assert len(pred) == 6
    assert np.isfinite(pred).all()
    assert pred.index[0] == pd.Timestamp("2026-01-01")


@pytest.mark.parametrize("cls", ALL)
def test_no_warnings_leak_and_constant_series(cls):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = cls(season_length=12).fit(np.full(40, 7.0))
        assert model.predict(3).tolist() == pytest.approx([7.0, 7.0, 7.0])
        cls().fit(WALK).predict(3)


def test_ses_matches_statsmodels_on_adjusted_series():
    model = SES(season_length=12).fit(SEASONAL)
    assert model.seasonal_
    adjusted = SEASONAL / model.seasonal_adjustment_.indices
    ref = SimpleExpSmoothing(adjusted, initialization_method="estimated").fit()
    expected = ref.forecast(12) * model.seasonal_adjustment_.indices[-12:]
    np.testing.assert_allclose(model.predict(12).to_numpy(), expected)


def test_theta_classic_definition():
    y = WALK
    n = len(y)
    t = np.arange(1, n + 1)
    b, a = np.polyfit(t, y, 1)
    ses = SimpleExpSmoothing(2 * y - (a + b * t), initialization_method="estimated").fit()
    expected = 0.5 * ses.forecast(4) + 0.5 * (a + b * np.arange(n + 1, n + 5))
    np.testing.assert_allclose(Theta().fit(y).predict(4).to_numpy(), expected, rtol=1e-8)


def test_theta_clips_negative_forecasts_of_non_negative_data():
    y = np.maximum(np.linspace(30, 0.5, 40), 0)
    assert (Theta().fit(y).predict(40) >= 0).all()
    assert (Theta().fit(y - 10).predict(40) < 0).any()


def test_damped_trend_bounds():
    model = DampedHolt().fit(WALK)
    assert 0.8 <= model.params_["damping_trend"] <= 0.98
    assert Holt().fit(np.arange(1.0, 11.0)).predict(2).to_numpy() == pytest.approx([11.0, 12.0])


def test_ets_selects_by_aicc_and_intervals_are_deterministic():
    model = ETS(season_length=12, random_state=0).fit(SEASONAL)
    assert model.selected_ in model.aicc_
    assert model.aicc_[model.selected_] == min(model.aicc_.values())
    assert any(",A)" in k or ",M)" in k for k in model.aicc_)
    first = model.predict_interval(6, coverage=0.8)
    again = model.predict_interval(6, coverage=0.8)
    pd.testing.assert_frame_equal(first, again)
    point = model.predict(6)
    assert (first["lower"] <= point + 1e-6).all()
    assert (point <= first["upper"] + 1e-6).all()


def test_ets_fixed_components_and_errors():
    model = ETS(error="add", trend=None, seasonal=None).fit(WALK)
    assert list(model.aicc_) == ["ETS(A,N,N)"]
    with pytest.raises(ValueError, match="error"):
        ETS(error="bad").fit(WALK)
    with pytest.raises(ValueError, match="two full seasons"):
        ETS(season_length=12, seasonal="add").fit(WALK[:20])
    with pytest.raises(ValueError, match="strictly positive"):
        ETS(error="mul").fit(WALK - 100)


def test_arima_auto_and_fixed():
    walk = 50 + np.cumsum(np.random.default_rng(3).normal(size=300))
    model = ARIMA().fit(walk)
    assert model.order_[1] == 1
    assert model.aicc_
    frame = model.predict_interval(5, coverage=0.9)
    point = model.predict(5)
    assert (frame["lower"] < point).all()
    assert (point < frame["upper"]).all()
    fixed = ARIMA(order=(1, 0, 0)).fit(WALK)
    assert fixed.order_ == (1, 0, 0)
    sarima = ARIMA(order=(0, 0, 0), seasonal_order=(1, 0, 0), season_length=12).fit(SEASONAL)
    assert np.isfinite(sarima.predict(12)).all()
    assert ARIMA().fit(np.arange(1.0, 11.0)).predict(2).tolist() == pytest.approx([11.0, 12.0])


def test_arima_errors():
    with pytest.raises(TypeError, match="order"):
        ARIMA(order=(1, 1)).fit(WALK)
    with pytest.raises(ValueError, match=r"order\[0\]"):
        ARIMA(order=(-1, 1, 0)).fit(WALK)
    with pytest.raises(ValueError, match="seasonal_order"):
        ARIMA(seasonal_order=(1, 0, 0), season_length=12).fit(WALK)
    with pytest.raises(ValueError, match="max_p"):
        ARIMA(max_p=-1).fit(WALK)


def test_ses_interval_and_too_short():
    frame = SES().fit(WALK).predict_interval(3)
    assert (frame["upper"] > frame["lower"]).all()
    with pytest.raises(ValueError, match="too short"):
        DampedHolt().fit([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="horizon"):
        SES().fit(WALK).predict(-1)


@pytest.mark.parametrize("cls", [*ALL, Naive, SeasonalNaive, Drift, Naive2, Mean])
def test_covariates_raise_instead_of_being_ignored(cls):
    # ARIMA(X) users would otherwise believe their regressors were used
    y = pd.Series(SEASONAL, index=pd.date_range("2020-01", periods=72, freq="MS"))
    X = pd.DataFrame({"x": T.astype(float)}, index=y.index)
    with pytest.raises(ValueError, match=rf"{cls.__name__} takes no covariates, so `X` would "
                                         r"be ignored.*Received: X=DataFrame"):
        cls().fit(y, X)
    model = cls().fit(y)
    with pytest.raises(ValueError, match=rf"{cls.__name__} takes no covariates"):
        model.predict(3, X=X.iloc[:3])


@pytest.mark.parametrize("cls", [Holt, DampedHolt])
def test_trend_intervals_match_the_ets_state_space(cls):
    # statsmodels' smoothing_trend is Holt's beta*: the error-correction form uses
    # beta = alpha * beta*; re-running that recursion must give the fitted values
    y = 10 + np.cumsum(0.3 + np.random.default_rng(5).normal(size=72))  # walk with drift
    model = cls().fit(y)
    p = model.params_
    alpha, phi = p["smoothing_level"], p.get("damping_trend", 1.0)
    assert alpha > 0.1  # the errors must propagate for the check to mean something
    beta = alpha * p["smoothing_trend"]
    level, trend = p["initial_level"], p["initial_trend"]
    fitted = []
    for value in y:
        forecast = level + phi * trend
        fitted.append(forecast)
        error = value - forecast
        level, trend = forecast + alpha * error, phi * trend + beta * error
    # model_ is fitted in units of scale_; params_ reports the initial states in the data's
    np.testing.assert_allclose(fitted, model.model_.fittedvalues * model.scale_, rtol=1e-8)
    # the analytic band against simulated paths of the same model from its last state
    h, n_paths = 12, 40_000
    sim = np.random.default_rng(1)
    lvl = np.full(n_paths, level)
    trd = np.full(n_paths, trend)
    paths = np.empty((n_paths, h))
    for step in range(h):
        error = sim.normal(scale=model.sigma_, size=n_paths)
        paths[:, step] = lvl + phi * trd + error
        lvl, trd = lvl + phi * trd + alpha * error, phi * trd + beta * error
    band = model.predict_interval(h, coverage=0.9)
    np.testing.assert_allclose(band["lower"], np.quantile(paths, 0.05, axis=0), rtol=0.01)
    np.testing.assert_allclose(band["upper"], np.quantile(paths, 0.95, axis=0), rtol=0.01)
    width = (band["upper"] - band["lower"]).to_numpy()
    assert (np.diff(width) > 0).all()  # a trend's uncertainty grows with the lead time


def test_ses_interval_is_unchanged_by_the_generic_form():
    y = pd.Series(SEASONAL[:40])
    model = SES().fit(y)
    alpha = model.params_["smoothing_level"]
    h = np.arange(1, 7)
    half = 1.6448536269514722 * model.sigma_ * np.sqrt(1 + (h - 1) * alpha**2)
    band = model.predict_interval(6, coverage=0.9)
    np.testing.assert_allclose(band["upper"] - model.predict(6), half)


def test_theta_interval_is_half_the_ses_error_of_the_theta_line():
    # y = (theta2 + L) / 2 with the line L fixed: Theta's error is half the SES error
    y = WALK + 0.2 * np.arange(len(WALK))
    model = Theta().fit(y)
    t = np.arange(1, len(y) + 1)
    slope, intercept = np.polyfit(t, y, 1)
    theta2 = 2 * y - (intercept + slope * t)
    ses = SimpleExpSmoothing(theta2, initialization_method="estimated").fit()
    sigma = 0.5 * np.sqrt(np.mean((theta2 - ses.fittedvalues) ** 2))
    alpha = ses.params["smoothing_level"]
    np.testing.assert_allclose([model.sigma_, model.alpha_], [sigma, alpha], rtol=1e-6)
    h = np.arange(1, 9)
    band = model.predict_interval(8, coverage=0.9)
    center = model.predict(8).to_numpy()
    half = 1.6448536269514722 * sigma * np.sqrt(1 + (h - 1) * alpha**2)
    np.testing.assert_allclose(band["upper"] - center, half, rtol=1e-6)
    np.testing.assert_allclose(center - band["lower"], half, rtol=1e-6)
    wider = model.predict_interval(8, coverage=0.99)
    assert (wider["upper"] > band["upper"]).all()
    assert (wider["lower"] < band["lower"]).all()


def test_theta_interval_covers_about_the_nominal_share():
    # local level + noise (SES's own model): pooled coverage of 200 series, 12 steps
    rng = np.random.default_rng(7)
    hits = []
    for _ in range(200):
        y = 100 + np.cumsum(0.5 * rng.normal(size=112)) + rng.normal(size=112)
        band = Theta().fit(y[:100]).predict_interval(12, coverage=0.9)
        hits.append((band["lower"] <= y[100:]) & (y[100:] <= band["upper"]))
    coverage = float(np.mean(hits))
    assert 0.86 <= coverage <= 0.94, coverage  # measured 0.89; parameters are estimated


def test_theta_interval_clipped_constant_and_seasonal():
    falling = 10.0 - 0.1 * np.arange(90) + np.random.default_rng(3).normal(scale=0.5, size=90)
    falling = np.maximum(falling, 0.0)
    band = Theta().fit(falling).predict_interval(12)
    assert (band["lower"] >= 0).all()
    assert (band["lower"] == 0).any()
    assert (band["upper"] > 0).all()
    flat = Theta().fit(np.full(20, 4.0))
    np.testing.assert_allclose(flat.predict_interval(3).to_numpy(), 4.0)
    y = pd.Series(SEASONAL, index=pd.date_range("2020-01", periods=72, freq="MS"))
    model = Theta(season_length=12).fit(y)
    assert model.seasonal_
    band, center = model.predict_interval(12), model.predict(12)
    assert band.index.equals(center.index)
    assert ((band["lower"] < center) & (center < band["upper"])).all()
    # reseasonalised like the point forecast: the same relative width at every step
    # as on the adjusted scale
    lower, upper = model._interval(12, 0.9)
    adjusted = model._predict_adjusted(12)
    np.testing.assert_allclose((band["upper"] - band["lower"]) / center,
                               (upper - lower) / adjusted, rtol=1e-9)


def test_theta_interval_errors():
    model = Theta().fit(WALK)
    with pytest.raises(ValueError, match=r"`horizon` must be given. Received: horizon=None"):
        model.predict_interval()
    with pytest.raises(ValueError, match="coverage"):
        model.predict_interval(3, coverage=1.5)
    with pytest.raises(ValueError, match="horizon"):
        model.predict_interval(0)
