"""EnsembleForecaster: forecast combination over any forecasters."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge

from forecast.forecasters import (
    ARIMA,
    Drift,
    EnsembleForecaster,
    Naive,
    NeuralForecaster,
    SeasonalNaive,
)


@pytest.fixture
def y() -> pd.Series:
    t = np.arange(60)
    idx = pd.date_range("2024-01-01", periods=60, freq="h")
    return pd.Series(np.sin(2 * np.pi * t / 12) + 0.05 * t, index=idx, name="load")


def test_mean_is_the_average_of_the_members(y):
    ens = EnsembleForecaster([("naive", Naive()), ("drift", Drift())]).fit(y)
    got = ens.predict(5)
    expected = (Naive().fit(y).predict(5) + Drift().fit(y).predict(5)) / 2
    pd.testing.assert_series_equal(got, expected)
    assert got.index[0] == y.index[-1] + pd.Timedelta(hours=1)
    assert ens.cutoff_ == y.index[-1]
    np.testing.assert_allclose(ens.weights_, [0.5, 0.5])


def test_weights_are_normalised(y):
    ens = EnsembleForecaster([("naive", Naive()), ("drift", Drift())], weights=[3, 1]).fit(y)
    expected = 0.75 * Naive().fit(y).predict(4) + 0.25 * Drift().fit(y).predict(4)
    np.testing.assert_allclose(ens.predict(4).to_numpy(), expected.to_numpy())


def test_median_of_three(y):
    members = [("naive", Naive()), ("drift", Drift()), ("snaive", SeasonalNaive(12))]
    got = EnsembleForecaster(members, aggregation="median").fit(y).predict(6)
    each = np.stack([clone(f).fit(y).predict(6).to_numpy() for _, f in members])
    np.testing.assert_allclose(got.to_numpy(), np.median(each, axis=0))


def test_panel_of_neural_forecasters_and_update():
    rng = np.random.default_rng(0)
    idx = pd.date_range("2024-01-01", periods=120, freq="h")
    panel = {k: pd.Series(np.sin(np.arange(120) / 4 + j) + 0.1 * rng.normal(size=120), index=idx)
             for j, k in enumerate(["a", "b"])}
    a = NeuralForecaster(Ridge(alpha=1.0), window=12, horizon=4, scaler="last",
                         validation=False)
    b = NeuralForecaster(Ridge(alpha=10.0), window=24, horizon=4, scaler="standard",
                         validation=False)
    ens = EnsembleForecaster([("short", a), ("long", b)]).fit(panel)
    got = ens.predict()
    fa, fb = clone(a).fit(panel), clone(b).fit(panel)
    pa, pb = fa.predict(), fb.predict()
    assert set(got) == {"a", "b"}
    for k in got:
        np.testing.assert_allclose(got[k].to_numpy(), (pa[k] + pb[k]).to_numpy() / 2)
    # update: same weights, new rows
    more = {k: pd.Series([0.5, 0.6], index=pd.date_range(idx[-1], periods=3, freq="h")[1:])
            for k in panel}
    ens.update(more)
    fa.update(more)
    fb.update(more)
    pa, pb = fa.predict(), fb.predict()
    assert ens.cutoff_ == {"a": more["a"].index[-1], "b": more["b"].index[-1]}
    for k in got:
        np.testing.assert_allclose(ens.predict()[k].to_numpy(), (pa[k] + pb[k]).to_numpy() / 2)


def test_update_refits_members_without_update(y):
    nf = NeuralForecaster(Ridge(), window=12, horizon=3, scaler="last", validation=False)
    ens = EnsembleForecaster([("nf", nf), ("drift", Drift())]).fit(y[:50])
    fitted_nf = clone(nf).fit(y[:50])
    ens.update(y)  # the extended series: rows up to the cutoff are ignored
    fitted_nf.update(y)
    expected = (fitted_nf.predict(3) + Drift().fit(y).predict(3)) / 2
    np.testing.assert_allclose(ens.predict(3).to_numpy(), expected.to_numpy())
    assert ens.cutoff_ == y.index[-1]


def test_nested_params_clone_and_pickle(y):
    ens = EnsembleForecaster([("s", SeasonalNaive(season_length=12)), ("n", Naive())])
    assert ens.get_params()["s__season_length"] == 12
    ens.set_params(s__season_length=6)
    assert ens.forecasters[0][1].season_length == 6
    twin = clone(ens)
    assert twin.get_params()["s__season_length"] == 6
    fitted = pickle.loads(pickle.dumps(ens.fit(y)))
    pd.testing.assert_series_equal(fitted.predict(3), ens.predict(3))


def test_user_members_are_not_fitted(y):
    naive = Naive()
    EnsembleForecaster([("n", naive)]).fit(y)
    assert not hasattr(naive, "cutoff_")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"forecasters": []}, "non-empty list of \\(name, forecaster\\)"),
        ({"forecasters": [Naive()]}, "non-empty list of \\(name, forecaster\\)"),
        ({"forecasters": [("a", Naive()), ("a", Drift())]}, "unique"),
        ({"forecasters": [("a__b", Naive())]}, "free of '__'"),
        ({"forecasters": [("a", Naive())], "weights": [1, 2]}, "`weights` must be 1"),
        ({"forecasters": [("a", Naive()), ("b", Drift())], "weights": [-1, 2]}, "non-negative"),
        ({"forecasters": [("a", Naive()), ("b", Drift())], "weights": [0, 0]}, "positive sum"),
        ({"forecasters": [("a", Naive()), ("b", Drift())], "weights": [np.nan, 1]}, "finite"),
        ({"forecasters": [("a", Naive()), ("b", Drift())], "weights": ["x", 1]}, "finite"),
        ({"forecasters": [("a", Naive())], "aggregation": "mode"}, "aggregation"),
        ({"forecasters": [("a", Naive())], "aggregation": "median", "weights": [1]},
         "takes no `weights`"),
    ],
)
def test_bad_parameters_raise_at_fit(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        EnsembleForecaster(**kwargs).fit(y)


def test_member_without_fit_and_predict_raises(y):
    with pytest.raises(TypeError, match="Member 'x' must have fit and predict"):
        EnsembleForecaster([("x", object())]).fit(y)


def test_members_with_different_horizons_raise(y):
    nf = NeuralForecaster(Ridge(), window=12, horizon=3, validation=False)
    nf2 = NeuralForecaster(Ridge(), window=12, horizon=5, validation=False)
    ens = EnsembleForecaster([("h3", nf), ("h5", nf2)]).fit(y)
    with pytest.raises(ValueError, match="same `horizon`"):
        ens.predict()
    assert len(ens.predict(3)) == 3  # an explicit horizon is fine


def test_predict_and_update_before_fit_raise(y):
    ens = EnsembleForecaster([("n", Naive())])
    with pytest.raises(NotFittedError):
        ens.predict(3)
    with pytest.raises(NotFittedError):
        ens.update(y)


def test_update_checks_its_input(y):
    ens = EnsembleForecaster([("n", Naive())]).fit(y[:50])
    with pytest.raises(TypeError, match="`y` must be a pandas Series"):
        ens.update(y.to_numpy())
    nf = NeuralForecaster(Ridge(), window=12, horizon=3, validation=False)
    panel = {"a": y, "b": y}
    pe = EnsembleForecaster([("nf", nf)]).fit(panel)
    with pytest.raises(ValueError, match="Unknown series id"):
        pe.update({"c": y})
    with pytest.raises(TypeError, match="must be a dict for a panel"):
        pe.update(y)


def test_backtests_like_any_forecaster(y):
    from forecast.model_selection import ExpandingWindowSplitter, backtest

    cv = ExpandingWindowSplitter(horizon=6, n_splits=3)
    ens = EnsembleForecaster([("naive", Naive()), ("drift", Drift())])
    res = backtest({"ens": ens, "naive": Naive(), "drift": Drift()}, y, cv=cv, metrics="mae",
                   naive2=False, verbose=0)
    pred = res.predictions.pivot_table(index=["fold", "step"], columns="model",
                                       values="y_pred")
    np.testing.assert_allclose(pred["ens"], (pred["naive"] + pred["drift"]) / 2)


# ---------------------------------------------------------------- covariates
def test_covariates_go_only_to_the_members_that_use_them(y):
    # a neural member with past covariates beside a baseline, which takes none
    X = pd.DataFrame({"x": np.cos(np.arange(60) / 3)}, index=y.index)
    neural = NeuralForecaster(Ridge(), window=12, horizon=4, scaler=None, validation=False)
    ens = EnsembleForecaster([("nn", neural), ("naive", Naive())]).fit(y, X)
    expected = (clone(neural).fit(y, X).predict() + Naive().fit(y).predict(4)) / 2
    pd.testing.assert_series_equal(ens.predict(4), expected)
    new_idx = pd.date_range(y.index[-1] + y.index.freq, periods=2, freq="h")
    ens.update(pd.Series([1.0, 1.1], index=new_idx, name="load"),
               pd.DataFrame({"x": [0.5, 0.4]}, index=new_idx))
    assert ens.predict(4).index[0] == new_idx[-1] + y.index.freq


def test_future_covariates_reach_only_the_neural_member():
    full = pd.date_range("2024-01-01", periods=106, freq="h")
    cal = pd.DataFrame({"sin": np.sin(2 * np.pi * full.hour / 24)}, index=full)
    y = pd.Series(5 + cal["sin"].to_numpy()[:100], index=full[:100])
    neural = NeuralForecaster(Ridge(alpha=1e-6), window=12, horizon=6, scaler=None,
                              future_covariates=["sin"])
    ens = EnsembleForecaster([("nn", neural), ("naive", Naive())]).fit(y, cal)
    expected = (clone(neural).fit(y, cal).predict(X=cal) + Naive().fit(y).predict(6)) / 2
    pd.testing.assert_series_equal(ens.predict(6, X=cal), expected)


def test_covariates_no_member_uses_raise(y):
    X = pd.DataFrame({"x": np.arange(60.0)}, index=y.index)
    members = [("naive", Naive()), ("arima", ARIMA(order=(1, 0, 0)))]
    with pytest.raises(ValueError, match=r"No member's fit uses covariates, so `X` would be "
                                         r"ignored: \['naive', 'arima'\]"):
        EnsembleForecaster(members).fit(y, X)
    ens = EnsembleForecaster(members).fit(y)
    with pytest.raises(ValueError, match=r"No member's predict uses covariates"):
        ens.predict(3, X=X)
    with pytest.raises(ValueError, match=r"No member's update uses covariates"):
        ens.update(y, X)
    # a neural member with past covariates only does not take future ones either
    neural = NeuralForecaster(Ridge(), window=12, horizon=4, validation=False)
    fitted = EnsembleForecaster([("nn", neural), ("naive", Naive())]).fit(y, X)
    with pytest.raises(ValueError, match=r"No member's predict uses covariates"):
        fitted.predict(4, X=X)
