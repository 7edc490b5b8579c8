"""NeuralForecaster after an interrupted refit, with misplaced panel covariates, and with
values that do not scale (found by an audit, 2026-12-07; each failed before its fix)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from forecast.forecasters import NeuralForecaster


def _daily(n: int = 120) -> pd.Series:
    return pd.Series(10 + np.sin(np.arange(n) / 4),
                     index=pd.date_range("2020-01-01", periods=n, freq="D"))


def test_an_interrupted_refit_keeps_the_networks_weights(monkeypatch):
    import keras

    from forecast.estimators import GRURegressor

    y = _daily()
    f = NeuralForecaster(GRURegressor(units=4, epochs=2), window=12, horizon=3,
                         random_state=0).fit(y)
    before = f.predict()
    network = f.estimator_.model_
    original = keras.Model.fit

    def interrupted(self, *args, **kwargs):  # Ctrl-C during the refit's training
        original(self, *args, **{**kwargs, "epochs": 1})
        raise KeyboardInterrupt

    monkeypatch.setattr(keras.Model, "fit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        f.fit(y.iloc[:100] * 3)
    monkeypatch.setattr(keras.Model, "fit", original)
    assert f.estimator_.model_ is network  # the refit reused it in place...
    pd.testing.assert_series_equal(f.predict(), before)  # ...and its weights are back
    assert f.cutoff_ == y.index[-1]


def test_a_failed_refit_keeps_a_reused_sklearn_estimator():
    y = _daily()
    f = NeuralForecaster(Ridge(), window=12, horizon=3, validation=False).fit(y)
    before, estimator = f.predict(), f.estimator_
    bad = y.copy()
    bad.iloc[50] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        f.fit(bad)
    assert f.estimator_ is estimator
    pd.testing.assert_series_equal(f.predict(), before)


def _panel_with_covariates() -> tuple[NeuralForecaster, pd.Series, pd.DataFrame]:
    idx = pd.date_range("2020-01-01", periods=40, freq="D")
    y = pd.Series(np.arange(40.0) + 1, index=idx)
    X = pd.DataFrame({"a": np.sin(np.arange(40.0))}, index=idx)
    f = NeuralForecaster(Ridge(), window=5, horizon=2).fit({"p": y, "q": y * 2},
                                                         X={"p": X, "q": X})
    new = pd.date_range(idx[-1] + pd.Timedelta("1D"), periods=1, freq="D")
    return f, pd.Series([41.0], index=new), pd.DataFrame({"a": [0.5]}, index=new)


def test_panel_update_with_a_frame_instead_of_a_dict():
    f, new_y, new_X = _panel_with_covariates()
    with pytest.raises(TypeError, match=r"`X` must be a dict exactly when the model was fitted "
                                        r"on a panel \(it was\)\. Received: X=DataFrame"):
        f.update({"p": new_y}, X=new_X)


def test_panel_update_names_the_series_whose_covariates_are_missing():
    f, new_y, new_X = _panel_with_covariates()
    with pytest.raises(ValueError, match=r"`X\['p'\]` must hold the covariates \['a'\] the "
                                         r"model was fitted with\. Received: X\['p'\]=None"):
        f.update({"p": new_y}, X={"q": new_X})


def test_single_series_predict_refuses_a_dict_of_future_covariates():
    idx = pd.date_range("2020-01-01", periods=40, freq="D")
    y = pd.Series(np.arange(40.0) + 1, index=idx)
    X = pd.DataFrame({"a": np.sin(np.arange(40.0))}, index=idx)
    f = NeuralForecaster(Ridge(), window=5, horizon=2, future_covariates=["a"]).fit(y, X=X)
    with pytest.raises(TypeError, match=r"fitted on a panel \(it was not\)\. Received: X=dict "
                                        r"with keys \['p'\]"):
        f.predict(X={"p": X})


def test_a_value_too_large_for_float32_in_the_validation_block():
    y = pd.Series(np.arange(60.0) + 1)
    y.iloc[-1] = 1e39
    with pytest.raises(ValueError, match="Validation windows contain NaN or infinity after "
                                         "scaling"):
        NeuralForecaster(Ridge(), window=5, horizon=2, scaler=None).fit(y)


def test_historical_forecasts_of_a_series_shorter_than_a_window():
    long = pd.Series(10 + np.cumsum(np.random.default_rng(3).normal(size=60)),
                     index=pd.date_range("2020-01-01", periods=60, freq="D"))
    short = pd.Series([5.0, 6, 7, 8, 9], index=pd.date_range("2020-01-01", periods=5, freq="D"))
    f = NeuralForecaster(Ridge(), window=10, horizon=3).fit({"a": long, "s": short})
    with pytest.raises(ValueError, match=r"Series 's' has 5 observations: no window of "
                                         r"window=10 inputs and horizon=3 targets fits"):
        f.historical_forecasts(2)


def test_a_panel_refit_drops_the_single_series_attributes():
    y = _daily(60)
    f = NeuralForecaster(Ridge(), window=5, horizon=2, validation=False).fit(y)
    assert f.n_obs_ == 60
    f.fit({"a": y, "b": y * 2})
    assert not hasattr(f, "index_")
    assert not hasattr(f, "n_obs_")
    assert set(f.predict()) == {"a", "b"}
