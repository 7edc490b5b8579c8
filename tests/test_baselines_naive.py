"""Tests for the naive-family baselines and the M4 seasonal adjustment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.forecasters import (
    Drift,
    Mean,
    Naive,
    Naive2,
    SeasonalAdjustment,
    SeasonalNaive,
    seasonal_indices,
    seasonality_test,
)

T = np.arange(96)
SEASONAL = 10 + 3 * np.sin(2 * np.pi * T / 24) + 0.01 * T


def test_naive_family_point_forecasts():
    y = [1.0, 2.0, 4.0]
    assert Naive().fit(y).predict(2).tolist() == [4.0, 4.0]
    assert Drift().fit(y).predict(2).tolist() == [5.5, 7.0]
    assert Mean().fit(y).predict(1).tolist() == pytest.approx([7 / 3])
    assert SeasonalNaive(2).fit([1.0, 2.0, 3.0, 4.0, 5.0]).predict(3).tolist() == [4.0, 5.0, 4.0]


def test_output_index_integer_and_datetime():
    y = pd.Series([1.0, 2.0, 3.0], index=[10, 12, 14], name="sales")
    pred = Naive().fit(y).predict(2)
    assert pred.index.tolist() == [16, 18]
    assert pred.name == "sales"
    ts = pd.Series(SEASONAL, index=pd.date_range("2021-01-01", periods=96, freq="h"))
    pred = Naive2(season_length=24).fit(ts).predict(3)
    assert pred.index[0] == pd.Timestamp("2021-01-05 00:00")
    assert pred.index.freq == "h"


def test_acf_test_matches_definition():
    rng = np.random.default_rng(0)
    x = rng.normal(size=100)
    m = 4
    xc = x - x.mean()
    r = np.array([np.dot(xc[:-k], xc[k:]) for k in range(1, m + 1)]) / np.dot(xc, xc)
    limit = 1.645 / np.sqrt(100) * np.sqrt(1 + 2 * np.sum(r[:3] ** 2))
    assert seasonality_test(x, m) == bool(abs(r[3]) > limit)
    assert seasonality_test(SEASONAL, 24)
    assert not seasonality_test(SEASONAL[:71], 24)  # n < 3m
    assert not seasonality_test(np.ones(100), 4)  # constant: undefined acf


def test_decomposition_matches_r_decompose():
    # R: decompose(ts(c(1,2,3,2)*rep(1:4, each=4) ... )); figure normalised to mean 1
    x = np.tile([1.0, 2.0, 3.0, 2.0], 4)
    idx = seasonal_indices(x, 4, "multiplicative")
    np.testing.assert_allclose(idx[:4], [0.5, 1.0, 1.5, 1.0])
    np.testing.assert_allclose(idx[4:8], idx[:4])
    add = seasonal_indices(x, 4, "additive")
    np.testing.assert_allclose(add[:4], [-1.0, 0.0, 1.0, 0.0])


def test_naive2_reseasonalises_with_last_season():
    model = Naive2(season_length=24).fit(SEASONAL)
    adj = model.seasonal_adjustment_
    assert model.seasonal_
    assert adj.kind == "multiplicative"
    deseason = SEASONAL / adj.indices
    expected = deseason[-1] * np.resize(adj.indices[-24:], 30)
    np.testing.assert_allclose(model.predict(30).to_numpy(), expected)


def test_naive2_falls_back_without_seasonality():
    short = SEASONAL[:60]  # n < 3m: no adjustment
    model = Naive2(season_length=24).fit(short)
    assert not model.seasonal_
    assert model.predict(2).tolist() == [short[-1]] * 2


def test_naive2_additive_fallback_for_non_positive_data():
    y = SEASONAL - 10.0  # crosses zero
    adj = SeasonalAdjustment.fit(y, 24)
    assert adj.kind == "additive"
    assert np.isfinite(Naive2(season_length=24).fit(y).predict(5)).all()


@pytest.mark.parametrize("cls", [Naive, Naive2, SeasonalNaive, Drift, Mean])
def test_intervals(cls):
    rng = np.random.default_rng(1)
    y = 50 + np.cumsum(rng.normal(size=60))
    model = cls(season_length=1).fit(y)
    frame = model.predict_interval(5, coverage=0.8)
    point = model.predict(5)
    assert list(frame.columns) == ["lower", "upper"]
    assert frame.index.equals(point.index)
    assert (frame["lower"] <= point).all()
    assert (point <= frame["upper"]).all()
    wider = model.predict_interval(5, coverage=0.95)
    assert (wider["upper"] - wider["lower"] >= frame["upper"] - frame["lower"]).all()


def test_interval_widths_follow_formulas():
    y = np.array([1.0, 3.0, 2.0, 5.0, 4.0])
    sigma = np.sqrt(np.mean(np.diff(y) ** 2))
    frame = Naive().fit(y).predict_interval(4, coverage=0.9)
    half = (frame["upper"] - frame["lower"]).to_numpy() / 2
    np.testing.assert_allclose(half, 1.6448536 * sigma * np.sqrt([1, 2, 3, 4]), rtol=1e-6)
    snaive = SeasonalNaive(2).fit(y).predict_interval(4)
    width = (snaive["upper"] - snaive["lower"]).to_numpy()
    np.testing.assert_allclose(width[2:], width[:2] * np.sqrt(2))


def test_errors():
    with pytest.raises(ValueError, match="season_length"):
        Naive2(season_length=0).fit([1.0, 2.0])
    with pytest.raises(TypeError, match="season_length"):
        SeasonalNaive(season_length=2.5).fit([1.0, 2.0])
    with pytest.raises(ValueError, match="at least season_length=12"):
        SeasonalNaive(12).fit(np.arange(5.0))
    with pytest.raises(ValueError, match="horizon"):
        Naive().fit([1.0, 2.0]).predict(0)
    with pytest.raises(ValueError, match="NaN"):
        Naive().fit([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="too short"):
        Drift().fit([1.0])
    with pytest.raises(ValueError, match="at least 2 training observations"):
        Naive().fit([1.0]).predict_interval(2)
    with pytest.raises(ValueError, match="at least 3 training observations"):
        Drift().fit([1.0, 2.0]).predict_interval(2)
    with pytest.raises(ValueError, match="at least 13 training observations"):
        SeasonalNaive(12).fit(np.arange(12.0)).predict_interval(2)
    with pytest.raises(ValueError, match="coverage"):
        Naive().fit([1.0, 2.0]).predict_interval(2, coverage=1.0)
    with pytest.raises(ValueError, match="coverage"):
        Naive().fit([1.0, 2.0]).predict_interval(2, coverage=0.0)
    with pytest.raises(ValueError, match="one series"):
        Naive().fit(pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, 2.0]}))


def test_constant_series_and_no_mutation():
    y = pd.Series(np.full(80, 3.0))
    before = y.copy()
    for cls in (Naive, Naive2, SeasonalNaive, Drift, Mean):
        model = cls(season_length=24).fit(y)
        assert model.predict(3).tolist() == [3.0, 3.0, 3.0]
    pd.testing.assert_series_equal(y, before)


def test_not_fitted():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        Naive().predict(2)
    with pytest.raises(NotFittedError):
        Naive().predict_interval(2)
