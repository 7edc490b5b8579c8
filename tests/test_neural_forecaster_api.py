"""Tests of NeuralForecaster (series level, panels, covariates, leakage, errors)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge

from forecast.forecasters import NeuralForecaster


class Recorder(RegressorMixin, BaseEstimator):
    """Keeps what fit receives; predicts the mean target."""

    def __init__(self, validation_fraction=0.0, random_state=None):
        self.validation_fraction = validation_fraction
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        self.X_, self.y_, self.sw_ = X, y, sample_weight
        self.mean_ = np.asarray(y).mean(axis=0)
        return self

    def predict(self, X):
        return np.repeat(self.mean_[None], len(X), axis=0)


def _series(n=120, start=None, level=10.0):
    t = np.arange(n)
    values = level + np.sin(2 * np.pi * t / 12) + 0.01 * t
    index = pd.date_range(start, periods=n, freq="D") if start else pd.RangeIndex(n)
    return pd.Series(values, index=index, name="y")


def _gru(**kw):
    from forecast.estimators import GRURegressor

    return GRURegressor(units=4, epochs=1, batch_size=64, **kw)


# ------------------------------------------------------------------ happy paths
def test_integer_index_continues_and_input_not_mutated():
    y = _series()
    before = y.copy()
    f = NeuralForecaster(Ridge(), window=24, horizon=6).fit(y)
    pred = f.predict()
    assert pred.index.tolist() == list(range(120, 126))
    assert pred.name == "y"
    pd.testing.assert_series_equal(y, before)
    assert f.predict(3).index.tolist() == [120, 121, 122]
    # a linear model on a seasonal sine recovers it closely
    truth = _series(126).iloc[-6:].to_numpy()
    assert np.abs(pred.to_numpy() - truth).max() < 0.2


def test_datetime_index_gives_future_timestamps_with_gru():
    y = _series(start="2024-01-01")
    f = NeuralForecaster(_gru(early_stopping=True), window=24, horizon=6, scaler="log",
                         weighting="mase", season_length=12, random_state=0).fit(y)
    pred = f.predict()
    assert pred.index[0] == pd.Timestamp("2024-04-30")
    assert len(pred) == 6
    assert np.isfinite(pred).all()
    assert set(f.history_) >= {"loss", "val_loss"}
    assert f.n_val_windows_ == 1
    # every fit starts from fresh weights: a refit gives the same forecast
    again = f.fit(y).predict()
    np.testing.assert_allclose(pred.to_numpy(), again.to_numpy(), rtol=1e-6)


def test_recursive_strategy_reaches_longer_horizons():
    y = _series()
    f = NeuralForecaster(Ridge(), window=24, horizon=6, strategy="recursive").fit(y)
    pred = f.predict(15)
    assert pred.index.tolist() == list(range(120, 135))
    with pytest.raises(ValueError, match=r"`horizon` exceeds the model's horizon \(6\)"):
        NeuralForecaster(Ridge(), window=24, horizon=6).fit(y).predict(7)


@pytest.mark.parametrize("scaler", [None, "standard", "last", "mean", "log"])
def test_every_scaler_forecasts_level_shifted_series(scaler):
    y = _series(level=1000.0)
    pred = NeuralForecaster(Ridge(alpha=1e-3), window=24, horizon=6, scaler=scaler).fit(y).predict()
    truth = _series(126, level=1000.0).iloc[-6:].to_numpy()
    assert np.abs(pred.to_numpy() - truth).max() < 1.0


def test_multivariate_target_returns_dataframe():
    y = pd.DataFrame({"a": _series().to_numpy(), "b": 2 * _series().to_numpy()})
    f = NeuralForecaster(_gru(), window=24, horizon=4, random_state=0).fit(y)
    pred = f.predict()
    assert list(pred.columns) == ["a", "b"]
    assert pred.shape == (4, 2)
    assert f.estimator_.model_.output_shape[1:] == (4, 2)


# -------------------------------------------------------------------- panels
def test_panel_of_different_lengths_one_global_model(caplog):
    panel = {"a": _series(120), "b": _series(80, level=500.0), "tiny": _series(20)}
    f = NeuralForecaster(Ridge(), window=24, horizon=6, scaler="mean")
    with caplog.at_level(logging.WARNING):
        f.fit(panel)
    assert "1 series shorter" in caplog.text
    with pytest.raises(ValueError, match="Series 'tiny' has 20 observations"):
        f.predict()
    f = NeuralForecaster(Ridge(), window=24, horizon=6, scaler="mean", pad=True).fit(panel)
    out = f.predict()
    assert set(out) == {"a", "b", "tiny"}
    assert f.series_ids_ == ["a", "b", "tiny"]
    assert out["b"].index.tolist() == list(range(80, 86))
    assert 480 < out["b"].mean() < 520
    assert 8 < out["a"].mean() < 12
    f.update({"b": _series(82, level=500.0)})
    assert f.predict()["b"].index[0] == 82
    assert f.predict()["a"].index[0] == 120


def test_series_features_onehot_codes_each_series():
    panel = {"a": _series(60), "b": _series(50, level=3.0), "c": _series(40, level=7.0)}
    rec = NeuralForecaster(Recorder(), window=8, horizon=2, validation=False,
                           series_features="onehot").fit(panel)
    X = rec.estimator_.X_.reshape(-1, 8, 1 + 3)  # non-Keras estimators get flat windows
    codes = X[:, :, 1:]
    assert np.all(codes == codes[:, :1])  # constant over each window
    assert np.array_equal(codes[:, 0].sum(axis=1), np.ones(len(X)))
    counts = codes[:, 0].sum(axis=0)  # windows per series, in panel order
    assert counts.tolist() == [60 - 9, 50 - 9, 40 - 9]
    assert np.array_equal(codes[0, 0], [1, 0, 0])
    assert np.array_equal(codes[-1, 0], [0, 0, 1])
    # the codes also reach predict, and a model can use them
    f = NeuralForecaster(Ridge(alpha=1e-6), window=8, horizon=2, scaler="last",
                         series_features="onehot").fit(
        {"up": pd.Series(np.arange(60.0)), "down": pd.Series(-np.arange(60.0))})
    out = f.predict()
    assert out["up"].tolist() == pytest.approx([60.0, 61.0], abs=1e-3)
    assert out["down"].tolist() == pytest.approx([-60.0, -61.0], abs=1e-3)


# ---------------------------------------------------------------- covariates
def test_past_covariates_are_inputs():
    idx = pd.date_range("2024-01-01", periods=150, freq="B")
    rng = np.random.default_rng(0)
    close = pd.Series(100 + rng.normal(size=150).cumsum(), index=idx, name="Close")
    X = pd.DataFrame({"Volume": rng.uniform(1e6, 2e6, 150), "High": close + 1}, index=idx)
    rec = Recorder()
    f = NeuralForecaster(rec, window=10, horizon=3).fit(close, X)
    assert f.estimator_.X_.shape[1:] == (30,)  # flattened (10 steps x 3 channels)
    assert f.predict().index[0] == idx[-1] + idx.freq
    with pytest.raises(ValueError, match=r"must hold the covariates \['Volume', 'High'\]"):
        f.update(pd.Series([1.0], index=[idx[-1] + idx.freq]))
    with pytest.raises(ValueError, match="Past covariates cannot be forecast"):
        NeuralForecaster(rec, window=10, horizon=3, strategy="recursive").fit(close, X).predict(4)
    # future rows of past covariates are not inputs: predict(X=...) says so, not ignores it
    future = pd.DataFrame({"Volume": [1.5e6] * 3, "High": [101.0] * 3},
                          index=pd.date_range(idx[-1] + idx.freq, periods=3, freq="B"))
    with pytest.raises(ValueError, match=r"this model has none \(future_covariates=None\)"
                                         r".*Received: X=DataFrame"):
        f.predict(X=future)


def test_known_future_covariates_are_passed_to_predict():
    idx = pd.date_range("2024-01-01", periods=200, freq="h")
    full = pd.date_range("2024-01-01", periods=206, freq="h")
    cal = pd.DataFrame({"sin": np.sin(2 * np.pi * full.hour / 24),
                        "cos": np.cos(2 * np.pi * full.hour / 24)}, index=full)
    y = pd.Series(5 + cal["sin"].to_numpy()[:200], index=idx)
    f = NeuralForecaster(Ridge(alpha=1e-6), window=12, horizon=6, scaler=None,
                         future_covariates=["sin", "cos"]).fit(y, cal)
    pred = f.predict(X=cal)  # the calendar may cover history and future
    np.testing.assert_allclose(pred.to_numpy(), 5 + cal["sin"].to_numpy()[200:], atol=1e-3)
    np.testing.assert_allclose(f.predict(X=cal.iloc[200:].reset_index(drop=True)), pred)
    with pytest.raises(ValueError, match=r"must give the future covariates \['sin', 'cos'\]"):
        f.predict()
    with pytest.raises(ValueError, match="must cover the 6 steps after the cutoff"):
        f.predict(X=cal.iloc[:203])
    with pytest.raises(ValueError, match=r"`future_covariates` need window >= horizon"):
        NeuralForecaster(Ridge(), window=4, horizon=6, future_covariates=["sin"]).fit(y, cal)
    with pytest.raises(ValueError, match=r"`future_covariates` \['dow'\] are not columns"):
        NeuralForecaster(Ridge(), window=12, horizon=6, future_covariates=["dow"]).fit(y, cal)


# ------------------------------------------------------------------ leakage
def test_validation_windows_are_the_tail_and_never_in_training():
    y = pd.Series(np.arange(100, dtype=float) + 1.0)
    f = NeuralForecaster(Recorder(), window=10, horizon=5, scaler=None,
                         validation_steps=8).fit(y)
    est = f.estimator_
    n_val = int(np.floor(len(est.X_) * est.validation_fraction))
    assert n_val == f.n_val_windows_ == 4  # targets starting at 92..95
    X, Y = est.X_.reshape(len(est.X_), 10), est.y_
    assert Y[:-n_val].max() <= 92.0  # training targets end before the last 8 points
    assert X[:-n_val].max() < 92.0
    assert Y[-n_val:].min() == 93.0
    assert Y[-n_val:].max() == 100.0


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("validation", [True, False])
def test_sklearn_estimators_keep_their_random_validation_fraction(validation):
    # scikit-learn's MLPRegressor draws validation_fraction at random, not from the
    # tail: the forecaster must leave it as given (it set 0.0 with validation=False,
    # and early_stopping=True then failed inside scikit-learn)
    from sklearn.neural_network import MLPRegressor

    mlp = MLPRegressor(hidden_layer_sizes=(8,), early_stopping=True, validation_fraction=0.2,
                       max_iter=5, random_state=0)
    f = NeuralForecaster(mlp, window=12, horizon=3, validation=validation,
                         validation_steps=6).fit(_series())
    assert f.estimator_.validation_fraction == 0.2
    assert mlp.validation_fraction == 0.2  # the user's estimator is untouched
    assert f.estimator_.n_features_in_ == 12
    assert np.isfinite(f.predict().to_numpy()).all()


@pytest.mark.filterwarnings("error::sklearn.exceptions.DataConversionWarning")
def test_single_output_sklearn_estimators_get_a_clear_error_or_one_column():
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.multioutput import MultiOutputRegressor

    hgb = HistGradientBoostingRegressor(max_iter=10)
    with pytest.raises(ValueError, match=r"HistGradientBoostingRegressor predicts one output, "
                                         r"but horizon=6 .*MultiOutputRegressor"):
        NeuralForecaster(hgb, window=12, horizon=6).fit(_series())
    # one output per window: a 1-D target, no DataConversionWarning
    f = NeuralForecaster(hgb, window=12, horizon=1, strategy="recursive").fit(_series())
    assert f.predict(4).shape == (4,)
    wrapped = NeuralForecaster(MultiOutputRegressor(hgb), window=12, horizon=6).fit(_series())
    assert len(wrapped.estimator_.estimators_) == 6
    assert np.isfinite(wrapped.predict().to_numpy()).all()
    # a Ridge with one output is fitted on a 1-D target and still forecasts one step
    one = NeuralForecaster(Ridge(), window=12, horizon=1).fit(_series())
    assert one.estimator_.coef_.shape == (12,)
    assert one.predict().shape == (1,)


def test_changing_values_after_the_cutoff_does_not_change_the_forecast():
    y = _series(140)
    cut = 110
    other = y.copy()
    other.iloc[cut:] = -50.0
    a = NeuralForecaster(Ridge(), window=24, horizon=6).fit(y.iloc[:cut])
    b = NeuralForecaster(Ridge(), window=24, horizon=6).fit(other.iloc[:cut])
    pd.testing.assert_series_equal(a.predict(), b.predict())
    # update() with the first 5 new points: later values play no role either
    a.update(y.iloc[: cut + 5])  # the whole series up to the new cutoff
    b.update(y.iloc[cut : cut + 5])  # only the new points
    pd.testing.assert_series_equal(a.predict(), b.predict())
    assert a.cutoff_ == cut + 4


def test_mase_weights_scale_by_level_over_seasonal_scale():
    panel = {"small": _series(80, level=10.0), "big": 100 * _series(80, level=10.0)}
    f = NeuralForecaster(Recorder(), window=12, horizon=4, scaler="mean", weighting="mase",
                         season_length=12).fit(panel)
    sw = f.estimator_.sw_
    assert sw.shape == (len(f.estimator_.X_),)
    # same shape at 100x the level and 100x the scale: equal weights
    np.testing.assert_allclose(sw[: len(sw) // 2].mean(), sw[len(sw) // 2 :].mean(), rtol=0.05)


def test_owa_log_loss_trains_on_weighted_log_ratios():
    panel = {"small": _series(80, level=10.0), "big": 100 * _series(80, level=10.0)}
    f = NeuralForecaster(_gru(loss="owa_log", early_stopping=True), window=12, horizon=4,
                         scaler="log", weighting="mase", season_length=12,
                         random_state=0).fit(panel)
    assert np.isfinite(f.history_["loss"]).all()
    assert np.isfinite(f.history_["val_loss"]).all()
    fc = f.predict()
    assert (fc["small"] > 0).all()
    assert (fc["big"] > 0).all()


def test_learning_rate_schedule_callback_is_reset_by_refit():
    from forecast._tf import keras
    from forecast.estimators import GRURegressor

    k = keras()

    class StartRate(k.callbacks.Callback):
        seen: list = []  # class attribute: shared by the clones of the estimator

        def on_train_begin(self, logs=None):
            StartRate.seen.append(float(k.ops.convert_to_numpy(
                self.model.optimizer.learning_rate)))

    plateau = k.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0,
                                            min_delta=1e9)  # halves after every epoch
    est = GRURegressor(units=4, epochs=3, batch_size=64, learning_rate=0.01,
                       callbacks=[StartRate(), plateau])
    f = NeuralForecaster(est, window=12, horizon=4, random_state=0).fit(_series())
    lr_end = float(k.ops.convert_to_numpy(f.estimator_.model_.optimizer.learning_rate))
    assert lr_end < 0.01
    f.fit(_series(n=130))  # the refit reuses the built model: the schedule starts again
    assert StartRate.seen == pytest.approx([0.01, 0.01])


def test_random_state_is_passed_to_the_estimator():
    f = NeuralForecaster(Recorder(), window=10, horizon=2, random_state=7).fit(_series())
    assert f.estimator_.random_state == 7
    assert f.estimator.random_state is None


# --------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"window": 0}, ValueError, r"`window` must be a positive integer. Received: window=0"),
        ({"horizon": "3"}, TypeError, r"`horizon` must be a positive integer"),
        ({"strategy": "direct"}, ValueError, r"`strategy` must be one of"),
        ({"scaler": "minmax"}, ValueError, r"`scaler` must be one of"),
        ({"weighting": "mape"}, ValueError, r"`weighting` must be one of"),
        ({"validation_steps": 2}, ValueError, r"`validation_steps` must be >= horizon"),
        ({"validation": "yes"}, TypeError, r"`validation` must be a bool"),
        ({"future_covariates": "sin"}, TypeError, r"`future_covariates` must be a list"),
        ({"stride": 0}, ValueError, r"`stride` must be a positive integer"),
        ({"series_features": "id"}, ValueError, r"`series_features` must be one of"),
    ],
)
def test_invalid_parameters(kwargs, exc, match):
    params = {"window": 12, "horizon": 3, **kwargs}
    with pytest.raises(exc, match=match):
        NeuralForecaster(Ridge(), **params).fit(_series())


def test_invalid_data():
    with pytest.raises(TypeError, match="`estimator` must have fit and predict"):
        NeuralForecaster("gru", window=3, horizon=1).fit(_series())
    with pytest.raises(ValueError, match=r"scaler='log' needs a positive series"):
        NeuralForecaster(Ridge(), window=3, horizon=1, scaler="log").fit(_series() - 20)
    msg = r"No training window: every series needs at least .* = 45 observations"
    with pytest.raises(ValueError, match=msg):
        NeuralForecaster(Ridge(), window=40, horizon=1, validation_steps=4).fit(_series(30))
    with pytest.raises(ValueError, match=r"`y` is an empty panel"):
        NeuralForecaster(Ridge(), window=3, horizon=1).fit({})
    with pytest.raises(TypeError, match=r"`X` must be a pandas DataFrame"):
        NeuralForecaster(Ridge(), window=3, horizon=1).fit(_series(), np.ones((120, 2)))
    f = NeuralForecaster(Ridge(), window=12, horizon=3).fit(_series())
    with pytest.raises(ValueError, match="must continue the series after 119"):
        f.update(pd.Series([1.0], index=[125]))
    with pytest.raises(TypeError, match="`y` must be a dict exactly when"):
        f.update({"a": _series()})
    with pytest.raises(ValueError, match=r"`y\['a'\]` is too short|contains NaN"):
        NeuralForecaster(Ridge(), window=3, horizon=1).fit({"a": pd.Series([1.0, np.nan])})


def test_refit_reuses_the_estimator_when_parameters_are_unchanged():
    f = NeuralForecaster(Recorder(), window=10, horizon=2, random_state=1).fit(_series(100))
    first = f.estimator_
    f.fit(_series(110))  # more windows: a new validation_fraction, same estimator object
    assert f.estimator_ is first
    n = len(first.X_)
    assert int(np.floor(n * first.validation_fraction)) == 1
    f.set_params(estimator=Ridge())
    f.fit(_series(100))
    assert isinstance(f.estimator_, Ridge)


def test_update_with_an_array_reads_it_from_the_first_position_or_says_why_not():
    y = _series(130).to_numpy()
    a = NeuralForecaster(Ridge(), window=12, horizon=3).fit(y[:120])
    b = NeuralForecaster(Ridge(), window=12, horizon=3).fit(y[:120])
    a.update(y)  # the whole extended array, as fit read it
    b.update(pd.Series(y[120:], index=pd.RangeIndex(120, 130)))
    assert a.cutoff_ == b.cutoff_ == 129
    pd.testing.assert_series_equal(a.predict(), b.predict())
    # the new values alone used to be read as positions 0-4 and silently ignored
    with pytest.raises(ValueError, match=r"`y` adds no observation after the cutoff \(129\): "
                                         r"an array is read from the series' first position"):
        a.update(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert a.cutoff_ == 129
    dated = NeuralForecaster(Ridge(), window=12, horizon=3).fit(_series(120, start="2024-01-01"))
    with pytest.raises(TypeError, match=r"`y` must be indexed like the fitted series "
                                        r"\(DatetimeIndex ending at the cutoff"):
        dated.update([1.0, 2.0])
    with pytest.raises(TypeError, match=r"Received: a pandas object indexed with a RangeIndex"):
        dated.update(pd.Series([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"without gaps \(expected Timestamp\('2024-04-30.*"
                                         r"Received: y with new rows from Timestamp\('2024-05-02"):
        dated.update(pd.Series([1.0], index=pd.DatetimeIndex(["2024-05-02"])))
