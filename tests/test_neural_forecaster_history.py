"""NeuralForecaster.historical_forecasts: the backtest without refit in one batched predict."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge

from forecast.forecasters import NeuralForecaster

N, ROWS, H = 300, 30, 8


def _frame(columns=("a", "b"), seed=1):
    rng = np.random.default_rng(seed)
    t = np.arange(N + ROWS)
    index = pd.date_range("2020-01-01", periods=N + ROWS, freq="h")
    return pd.DataFrame({c: 3 + np.sin(2 * np.pi * (t + j) / 24) + 0.3 * rng.normal(size=len(t))
                         for j, c in enumerate(columns)}, index=index)


def _row_by_row(f, new_y, new_X=None, X_future=None):
    """predict(), then update with the next row: the forecasts of every origin."""
    out = []
    for i in range(ROWS - H + 1):
        if i:
            y_row = ({k: s.iloc[i - 1 : i] for k, s in new_y.items()}
                     if isinstance(new_y, dict) else new_y.iloc[i - 1 : i])
            f.update(y_row, None if new_X is None else new_X.iloc[i - 1 : i])
        out.append(f.predict(X=X_future))
    return out


def _gru_panel():
    from forecast.estimators import GRURegressor

    return NeuralForecaster(GRURegressor(units=4, segment_length=8, decoder="shared_segments",
                                         epochs=1, batch_size=64),
                            window=24, horizon=H, series_features="embedding", random_state=0)


@pytest.mark.parametrize("make", [
    lambda: NeuralForecaster(Ridge(), window=24, horizon=H, scaler="last", cycle_length=24),
    _gru_panel,
], ids=["ridge-cycle", "gru-embedding"])
def test_panel_forecasts_equal_predict_and_update_row_by_row(make):
    full = _frame()
    panel = {c: full[c].iloc[:N] for c in full}
    new = {c: full[c].iloc[N:] for c in full}
    f = make().fit(panel)
    g = copy.deepcopy(f).update(new)
    got = g.historical_forecasts(ROWS - H + 1)
    assert list(got) == ["a", "b"]
    expected = _row_by_row(f, new)
    for c in full:
        assert got[c].shape == (ROWS - H + 1, H)
        np.testing.assert_allclose(got[c], [p[c].to_numpy() for p in expected],
                                   rtol=1e-6, atol=1e-9)


def test_right_after_fit_the_windows_end_in_the_fitted_rows():
    y = _frame(("y",))["y"]
    f = NeuralForecaster(Ridge(), window=24, horizon=H).fit(y.iloc[: N - ROWS])
    expected = _row_by_row(copy.deepcopy(f), y.iloc[N - ROWS : N])
    # the same weights, fitted on the longer series' first N - ROWS rows only
    g = copy.deepcopy(f).update(y.iloc[:N])
    np.testing.assert_allclose(g.historical_forecasts(ROWS - H + 1),
                               [p.to_numpy() for p in expected], rtol=1e-6, atol=1e-9)


def test_multiple_targets_and_past_covariates():
    full = _frame(("u", "v", "w"))
    y, X = full[["u", "v"]], full[["w"]]
    f = NeuralForecaster(Ridge(), window=24, horizon=H).fit(y.iloc[:N], X.iloc[:N])
    expected = _row_by_row(copy.deepcopy(f), y.iloc[N:], X.iloc[N:])
    got = f.update(y.iloc[N:], X.iloc[N:]).historical_forecasts(ROWS - H + 1)
    assert got.shape == (ROWS - H + 1, H, 2)  # targets last, in the columns' order
    np.testing.assert_allclose(got, [p[["u", "v"]].to_numpy() for p in expected],
                               rtol=1e-6, atol=1e-9)


def test_known_future_covariates_come_from_the_rows_held():
    full = _frame(("y",))
    cal = pd.DataFrame({"sin": np.sin(2 * np.pi * full.index.hour / 24)}, index=full.index)
    y = full["y"]
    f = NeuralForecaster(Ridge(), window=24, horizon=H, future_covariates=["sin"])
    f.fit(y.iloc[:N], cal.iloc[:N])
    expected = _row_by_row(copy.deepcopy(f), y.iloc[N:], cal.iloc[N:], X_future=cal)
    got = f.update(y.iloc[N:], cal.iloc[N:]).historical_forecasts(ROWS - H + 1)
    np.testing.assert_allclose(got, [p.to_numpy() for p in expected], rtol=1e-6,
                               atol=1e-9)


def test_bad_n_windows_and_unfitted():
    y = _frame(("y",))["y"].iloc[:100]
    with pytest.raises(NotFittedError):
        NeuralForecaster(Ridge(), window=24, horizon=H).historical_forecasts(1)
    f = NeuralForecaster(Ridge(), window=24, horizon=H).fit(y)
    assert f.historical_forecasts(100 - 24 - H + 1).shape == (69, H)
    with pytest.raises(ValueError, match=r"`n_windows` must be <= 69 for the series \(100 "
                                         r"observations, window=24, horizon=8\). Received: "
                                         r"n_windows=70"):
        f.historical_forecasts(70)
    with pytest.raises(ValueError, match="`n_windows` must be a positive integer. Received: "
                                         "n_windows=0"):
        f.historical_forecasts(0)
    with pytest.raises(TypeError, match="`n_windows` must be a positive integer. Received: "
                                        "n_windows="):
        f.historical_forecasts(2.0)
    panel = NeuralForecaster(Ridge(), window=24, horizon=H).fit({"a": y, "b": y.iloc[:50]})
    with pytest.raises(ValueError, match=r"for series 'b' \(50 observations"):
        panel.historical_forecasts(20)
