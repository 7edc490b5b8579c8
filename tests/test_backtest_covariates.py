"""backtest(..., X=...): covariates reach only the models that use them, leakage-free."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge

from forecast.forecasters import EnsembleForecaster, Naive, NeuralForecaster, Theta
from forecast.forecasters._base import BaseForecaster, future_index
from forecast.model_selection import ExpandingWindowSplitter, backtest

IDX = pd.date_range("2024-01-01", periods=80, freq="h")


class Recorder(BaseForecaster):
    """Forecasts its last value and logs what ``fit``/``update``/``predict`` saw."""

    log: ClassVar[list[tuple[str, Any]]] = []

    def __init__(self, future_covariates: list[str] | None = None) -> None:
        self.future_covariates = future_covariates

    def _uses_covariates(self, method: str) -> bool:
        return method != "predict" or bool(self.future_covariates)

    def fit(self, y: Any, X: Any = None) -> Recorder:
        Recorder.log.append(("fit", y.index[-1], X))
        self.y_, self.cutoff_ = y, y.index[-1]
        return self

    def update(self, y: Any, X: Any = None) -> Recorder:
        Recorder.log.append(("update", y.index[-1], X))
        self.y_, self.cutoff_ = y, y.index[-1]
        return self

    def predict(self, horizon: int | None = None, X: Any = None) -> pd.Series:
        Recorder.log.append(("predict", self.cutoff_, X))
        return pd.Series(float(self.y_.iloc[-1]), index=future_index(self.y_.index, horizon))


@pytest.fixture
def y() -> pd.Series:
    t = np.arange(80)
    return pd.Series(10 + np.sin(2 * np.pi * t / 24) + 0.02 * t, index=IDX, name="load")


@pytest.fixture
def X() -> pd.DataFrame:
    t = np.arange(80)
    return pd.DataFrame({"temp": np.cos(t / 5.0), "hour": (t % 24) / 23.0}, index=IDX)


def test_fit_sees_rows_up_to_the_cutoff_only_and_past_covariates_never_reach_predict(y, X):
    Recorder.log.clear()
    cv = ExpandingWindowSplitter(horizon=6, n_splits=3, gap=2)
    backtest({"rec": Recorder()}, y, cv=cv, X=X, naive2=False, verbose=0)
    fits = [entry for entry in Recorder.log if entry[0] == "fit"]
    assert len(fits) == 3
    for _, cutoff, x in fits:
        assert x.index[0] == IDX[0]
        assert x.index[-1] == cutoff
        pd.testing.assert_frame_equal(x, X.loc[:cutoff])
    assert [x for kind, _, x in Recorder.log if kind == "predict"] == [None] * 3


def test_predict_gets_only_the_declared_future_columns_of_the_forecast_steps(y, X):
    Recorder.log.clear()
    cv = ExpandingWindowSplitter(horizon=6, n_splits=2, gap=2)
    backtest({"rec": Recorder(future_covariates=["hour"])}, y, cv=cv, X=X, naive2=False,
             verbose=0)
    predicts = [(cutoff, x) for kind, cutoff, x in Recorder.log if kind == "predict"]
    assert len(predicts) == 2
    for cutoff, x in predicts:
        assert list(x.columns) == ["hour"]  # "temp" is a past covariate: not its future
        assert x.index.equals(pd.date_range(cutoff + IDX.freq, periods=8, freq="h"))


def test_update_between_refits_gets_the_extended_rows(y, X):
    Recorder.log.clear()
    cv = ExpandingWindowSplitter(horizon=6, n_splits=3)
    backtest({"rec": Recorder()}, y, cv=cv, X=X, refit=3, naive2=False, verbose=0)
    kinds = [kind for kind, _, _ in Recorder.log if kind != "predict"]
    assert kinds == ["fit", "update", "update"]
    for kind, cutoff, x in Recorder.log:
        if kind == "update":
            assert x.index[-1] == cutoff


def test_neural_forecaster_with_past_covariates_matches_a_manual_fold_loop(y, X):
    nf = NeuralForecaster(Ridge(alpha=1.0), window=24, horizon=6, scaler="last",
                          validation=False)
    cv = ExpandingWindowSplitter(horizon=6, n_splits=3)
    res = backtest({"nf": nf, "theta": Theta(season_length=24)}, y, cv=cv, X=X,
                   season_length=24, verbose=0)
    assert set(res.leaderboard.index) == {"nf", "theta", "Naive2"}  # baselines get no X
    got = res.predictions.query("model == 'nf'")["y_pred"].to_numpy()
    expected = []
    for train, _ in cv.split(y):
        fitted = clone(nf).fit(y.iloc[train], X.iloc[train])
        expected.extend(fitted.predict().to_numpy())
    np.testing.assert_allclose(got, expected)
    # without X the same model gives other forecasts: the covariates were used
    plain = backtest({"nf": nf}, y, cv=cv, naive2=False, verbose=0)
    assert not np.allclose(plain.predictions["y_pred"].to_numpy(), got)


def test_global_model_on_a_panel_with_one_frame_per_series(y, X):
    panel = {"a": y, "b": (y * 2).rename("b")}
    Xs = {"a": X, "b": X * 3}
    nf = NeuralForecaster(Ridge(), window=24, horizon=6, scaler="last", validation=False)
    cv = ExpandingWindowSplitter(horizon=6, n_splits=2)
    res = backtest({"nf": nf}, panel, cv=cv, X=Xs, global_models=["nf"], naive2=False,
                   verbose=0)
    got = res.predictions.sort_values(["fold", "series", "step"])["y_pred"].to_numpy()
    expected = []
    for fold in cv.split(panel):
        spans = {k: panel[k].iloc[fold[k][0]] for k in panel}
        xs = {k: Xs[k].iloc[fold[k][0]] for k in panel}
        pred = clone(nf).fit(spans, xs).predict()
        expected.extend(np.concatenate([pred["a"].to_numpy(), pred["b"].to_numpy()]))
    np.testing.assert_allclose(got, expected)


def test_ensemble_with_a_neural_member_takes_covariates(y, X):
    nf = NeuralForecaster(Ridge(), window=24, horizon=6, validation=False)
    ens = EnsembleForecaster([("nf", nf), ("naive", Naive())])
    res = backtest({"ens": ens}, y, cv=ExpandingWindowSplitter(horizon=6, n_splits=2), X=X,
                   naive2=False, verbose=0)
    assert len(res.predictions) == 12


def test_shared_frame_may_cover_more_rows_than_the_series(y, X):
    longer = pd.concat([X, X.set_axis(IDX + pd.Timedelta(hours=80))])
    nf = NeuralForecaster(Ridge(), window=24, horizon=6, validation=False)
    cv = ExpandingWindowSplitter(horizon=6, n_splits=2)
    a = backtest({"nf": nf}, y, cv=cv, X=longer, naive2=False, verbose=0)
    b = backtest({"nf": nf}, y, cv=cv, X=X, naive2=False, verbose=0)
    np.testing.assert_allclose(a.predictions["y_pred"], b.predictions["y_pred"])


def test_bad_covariates_raise(y, X):
    cv = ExpandingWindowSplitter(horizon=6, n_splits=2)
    nf = NeuralForecaster(Ridge(), window=24, horizon=6, validation=False)
    with pytest.raises(ValueError, match=r"No model uses covariates, so `X` would be "
                                         r"ignored: \['naive', 'theta'\]"):
        backtest({"naive": Naive(), "theta": Theta()}, y, cv=cv, X=X, verbose=0)
    with pytest.raises(TypeError, match=r"`X` must be a pandas DataFrame \(shared by every "
                                        r"series\) or a dict"):
        backtest({"nf": nf}, y, cv=cv, X=X.to_numpy(), verbose=0)
    with pytest.raises(ValueError, match=r"`X` has no covariates for series \['b'\]"):
        backtest({"nf": nf}, {"a": y, "b": y}, cv=cv, X={"a": X}, verbose=0)
    with pytest.raises(ValueError, match=r"`X` must have a row for every observation of "
                                         r"series 'load'; 5 are missing"):
        backtest({"nf": nf}, y, cv=cv, X=X.iloc[:-5], verbose=0)
    with pytest.raises(ValueError, match="`X` has duplicate index labels"):
        backtest({"nf": nf}, y, cv=cv, X=pd.concat([X, X.iloc[:1]]), verbose=0)
    with pytest.raises(TypeError, match=r"`X\['a'\]` must be a pandas DataFrame"):
        backtest({"nf": nf}, {"a": y}, cv=cv, X={"a": [1, 2]}, verbose=0)
