"""NeuralForecaster(cycle_length=...): a fixed phase-mean cycle removed before windowing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, Ridge

from forecast.forecasters import NeuralForecaster
from forecast.forecasters._cycle import cycle_profile, profile_at

PERIOD = 6
SHAPE = np.array([0.0, 3.0, 5.0, 4.0, 1.0, -2.0])


def _cycle(n: int, start: int = 0) -> np.ndarray:
    return SHAPE[(start + np.arange(n)) % PERIOD]


def test_cycle_profile_and_profile_at():
    values = np.array([[1.0, 10.0], [5.0, 50.0], [3.0, 30.0], [7.0, 70.0], [2.0, 20.0]])
    prof = cycle_profile(values, 2)
    np.testing.assert_allclose(prof, [[2.0, 20.0], [6.0, 60.0]])
    np.testing.assert_allclose(profile_at(prof, np.array([[5, 6]]))[..., 0], [[6.0, 2.0]])


def test_cycle_profile_needs_one_cycle():
    with pytest.raises(ValueError, match="cycle_length=4 with 3 values"):
        cycle_profile(np.ones((3, 1)), 4)


def test_pure_cycle_is_forecast_exactly_with_its_phase():
    # 51 points: the series ends mid-cycle, so the forecast must start at phase 3
    y = pd.Series(_cycle(51) + 10.0)
    f = NeuralForecaster(LinearRegression(), window=12, horizon=8, scaler="last",
                         cycle_length=PERIOD, validation=False).fit(y)
    np.testing.assert_allclose(f.predict().to_numpy(), _cycle(8, start=51) + 10.0, atol=1e-9)
    np.testing.assert_allclose(f.cycle_profile_[:, 0], SHAPE + 10.0)
    # the regressor saw residuals only: nothing is left of the cycle
    np.testing.assert_allclose(f._series[None].values, 0.0, atol=1e-12)


def test_update_and_recursive_forecasts_keep_the_phase():
    y = pd.Series(_cycle(60) + 0.1 * np.arange(60))
    f = NeuralForecaster(Ridge(alpha=1e-6), window=12, horizon=4, scaler="last",
                         strategy="recursive", cycle_length=PERIOD, validation=False).fit(y)
    full = pd.Series(_cycle(63) + 0.1 * np.arange(63))
    f.update(full)
    expected = _cycle(10, start=63) + 0.1 * np.arange(63, 73)
    np.testing.assert_allclose(f.predict(10).to_numpy(), expected, atol=1e-3)
    assert f.predict(10).index[0] == 63


def test_profile_leaves_out_the_validation_block():
    values = _cycle(48).copy()
    values[-12:] += 100.0  # the validation block must not move the profile
    f = NeuralForecaster(Ridge(), window=12, horizon=6, scaler="last", cycle_length=PERIOD,
                         validation_steps=12).fit(pd.Series(values))
    np.testing.assert_allclose(f.cycle_profile_[:, 0], SHAPE)


def test_panel_has_one_profile_per_series():
    panel = {"a": pd.Series(_cycle(40)), "b": pd.Series(2.0 * _cycle(45, start=2))}
    f = NeuralForecaster(Ridge(), window=12, horizon=4, scaler="standard",
                         cycle_length=PERIOD, validation=False).fit(panel)
    assert set(f.cycle_profile_) == {"a", "b"}
    np.testing.assert_allclose(f.cycle_profile_["a"][:, 0], SHAPE)
    np.testing.assert_allclose(f.cycle_profile_["b"][:, 0], 2.0 * np.roll(SHAPE, -2))


def test_mase_weights_use_the_series_not_its_residuals():
    y = pd.Series(_cycle(40) + np.linspace(0, 1, 40))
    f = NeuralForecaster(Ridge(), window=12, horizon=4, scaler="last", season_length=1,
                         weighting="mase", cycle_length=PERIOD, validation=False)
    f.fit(y)
    out = f._training_windows(f._series)
    raw = y.to_numpy()
    np.testing.assert_allclose(out[2], 1.0 / np.mean(np.abs(np.diff(raw))))


def test_without_cycle_the_attribute_is_none():
    f = NeuralForecaster(Ridge(), window=12, horizon=4, validation=False)
    assert f.fit(pd.Series(_cycle(40))).cycle_profile_ is None


@pytest.mark.parametrize(
    ("kwargs", "err", "match"),
    [
        ({"cycle_length": 0}, ValueError, "cycle_length=0"),
        ({"cycle_length": "24"}, TypeError, "cycle_length"),
        ({"cycle_length": 6, "scaler": "log"}, ValueError, "scaler='log'"),
        ({"cycle_length": 6, "scaler": "mean"}, ValueError, "additive cycle"),
        ({"cycle_length": 40}, ValueError, "has 36 before the validation block"),
    ],
)
def test_cycle_errors(kwargs, err, match):
    y = pd.Series(_cycle(48) + 10.0)
    with pytest.raises(err, match=match):
        NeuralForecaster(Ridge(), window=12, horizon=4, validation_steps=12, **kwargs).fit(y)
