"""ConformalIntervals: split-conformal intervals from rolling-origin errors."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge

from forecast.forecasters import Drift, Naive, NeuralForecaster
from forecast.model_selection import ConformalIntervals, ExpandingWindowSplitter, backtest


def _walk(seed: int, n: int = 80) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(100 + np.cumsum(rng.normal(size=n)),
                     index=pd.date_range("2024-01-01", periods=n, freq="D"), name="y")


def test_coverage_of_random_walks_is_near_the_nominal_one():
    # Naive on random walks: with step=1 the calibration windows overlap, so their errors
    # are correlated, not exchangeable, and coverage falls a little short of 0.9: 0.879
    # (standard error 0.007) over seeds 150-1349, 0.888 over the 150 seeds here
    hits = []
    for seed in range(150):
        y = _walk(seed, 66)
        ci = ConformalIntervals(Naive(), horizon=6, n_windows=19).fit(y.iloc[:60])
        band = ci.predict_interval(coverage=0.9)
        future = y.iloc[60:].to_numpy()
        hits.append((band["lower"].to_numpy() <= future) & (future <= band["upper"].to_numpy()))
    coverage = np.mean(hits)
    assert 0.85 <= coverage <= 0.96, coverage
    per_step = np.mean(hits, axis=0)
    assert per_step.min() >= 0.8


def test_quantile_is_the_conformal_rank_of_the_backtest_errors():
    y = _walk(1)
    ci = ConformalIntervals(Drift(), horizon=4, n_windows=9, step=2).fit(y)
    res = backtest({"d": Drift()}, y, cv=ExpandingWindowSplitter(horizon=4, step=2, n_splits=9),
                   naive2=False, verbose=0).predictions
    errors = np.abs(res["y_true"] - res["y_pred"]).to_numpy().reshape(9, 4)
    np.testing.assert_allclose(ci.errors_, errors)
    band = ci.predict_interval(coverage=0.9)  # rank ceil(10 * 0.9) = 9: the largest error
    point = Drift().fit(y).predict(4)
    np.testing.assert_allclose(band["upper"] - point, errors.max(axis=0))
    np.testing.assert_allclose(point - band["lower"], errors.max(axis=0))
    band = ci.predict_interval(coverage=0.5)  # rank 5 of 9
    np.testing.assert_allclose(band["upper"] - point, np.sort(errors, axis=0)[4])
    assert band.index.equals(point.index)
    short = ci.predict_interval(2, coverage=0.5)
    pd.testing.assert_frame_equal(short, band.iloc[:2])


def test_neural_forecaster_gets_intervals_with_cheap_updates():
    y = _walk(2, 150)
    nf = NeuralForecaster(Ridge(), window=20, horizon=5, scaler="last", validation=False)
    ci = ConformalIntervals(nf, horizon=5, n_windows=19, refit=False).fit(y)
    assert ci.errors_.shape == (19, 5)
    band = ci.predict_interval(coverage=0.9)
    point = ci.predict()
    pd.testing.assert_series_equal(point, clone(nf).fit(y).predict())
    assert (band["upper"] > point).all()
    assert (band["lower"] < point).all()
    assert pickle.loads(pickle.dumps(ci)).predict_interval().equals(band)


def test_panel_per_series_and_global():
    panel = {"a": _walk(3), "b": _walk(4) * 10}
    local = ConformalIntervals(Naive(), horizon=3, n_windows=9).fit(panel)
    bands = local.predict_interval(coverage=0.9)
    assert set(bands) == {"a", "b"}
    width = {k: (b["upper"] - b["lower"]).mean() for k, b in bands.items()}
    assert width["b"] > 3 * width["a"]  # each series gets its own error scale
    nf = NeuralForecaster(Ridge(), window=10, horizon=3, validation=False)
    glob = ConformalIntervals(nf, horizon=3, n_windows=9, global_model=True).fit(panel)
    assert set(glob.errors_) == {"a", "b"}
    assert set(glob.predict_interval()) == {"a", "b"}


def test_covariates_reach_the_forecaster():
    y = _walk(5, 120)
    idx = pd.date_range(y.index[0], periods=126, freq="D")
    X = pd.DataFrame({"dow": idx.day_of_week / 6.0}, index=idx)
    nf = NeuralForecaster(Ridge(), window=14, horizon=6, validation=False,
                          future_covariates=["dow"])
    ci = ConformalIntervals(nf, horizon=6, n_windows=9).fit(y, X)
    band = ci.predict_interval(X=X)
    np.testing.assert_allclose((band["upper"] + band["lower"]) / 2,
                               clone(nf).fit(y, X).predict(X=X))
    # backtest restricts predict's X to the declared future columns, through the wrapper
    assert ci.future_covariates == ["dow"]
    wide = X.assign(past=np.arange(126.0))
    nf_past = clone(nf)
    res = backtest({"ci": ConformalIntervals(nf_past, horizon=6, n_windows=9)}, y,
                   cv=ExpandingWindowSplitter(horizon=6, n_splits=2), X=wide, coverage=0.9,
                   naive2=False, verbose=0)
    assert res.predictions[["lower", "upper"]].notna().all().all()


def test_clone_and_nested_params():
    ci = ConformalIntervals(Naive(season_length=7), horizon=3)
    assert ci.get_params()["forecaster__season_length"] == 7
    other = clone(ci).set_params(forecaster__season_length=1, n_windows=5)
    assert other.forecaster.season_length == 1
    assert ci.forecaster.season_length == 7


def test_an_array_is_a_series_indexed_from_zero():
    y = _walk(4)
    from_array = ConformalIntervals(Naive(), horizon=3, n_windows=9).fit(list(y.to_numpy()))
    from_series = ConformalIntervals(Naive(), horizon=3, n_windows=9).fit(
        y.reset_index(drop=True))
    assert from_array.cutoff_ == len(y) - 1
    pd.testing.assert_frame_equal(from_array.predict_interval(), from_series.predict_interval())


def test_errors():
    y = _walk(6)
    ci = ConformalIntervals(Naive(), horizon=3, n_windows=9).fit(y)
    with pytest.raises(ValueError, match=r"`coverage`=0.95 needs at least 19 calibration "
                                         r"windows; there are 9 errors per lead time"):
        ci.predict_interval(coverage=0.95)
    with pytest.raises(ValueError, match="needs at least 11"):
        ci.predict_interval(coverage=0.91)
    for bad in (0.0, 1.0):
        with pytest.raises(ValueError, match="`coverage` must be in"):
            ci.predict_interval(coverage=bad)
    with pytest.raises(ValueError, match=r"at most the calibrated horizon \(3\). "
                                         r"Received: horizon=4"):
        ci.predict(4)
    with pytest.raises(TypeError, match=r"`y` must be a pandas Series, a 1-D array or list"):
        ConformalIntervals(Naive(), horizon=3).fit(np.ones((80, 2)))
    with pytest.raises(ValueError, match=r"`n_windows` must be a positive integer"):
        ConformalIntervals(Naive(), horizon=3, n_windows=0).fit(y)
    with pytest.raises(TypeError, match=r"`global_model` must be a bool"):
        ConformalIntervals(Naive(), horizon=3, global_model="yes").fit(y)
    with pytest.raises(ValueError, match="too short"):
        ConformalIntervals(Naive(), horizon=3, n_windows=90).fit(y)
    with pytest.raises(NotFittedError):
        ConformalIntervals(Naive(), horizon=3).predict_interval()


# ------------------------------------------------------- intervals in backtest
def test_backtest_scores_intervals_of_the_models_that_have_them():
    from forecast.metrics import msis

    panel = {"a": _walk(7, 100), "b": _walk(8, 100)}
    models = {"naive": Naive(), "conformal": ConformalIntervals(Drift(), horizon=4, n_windows=9),
              "nf": NeuralForecaster(Ridge(), window=10, horizon=4, validation=False)}
    cv = ExpandingWindowSplitter(horizon=4, n_splits=3)
    res = backtest(models, panel, cv=cv, coverage=0.9, verbose=0)
    pred = res.predictions
    assert {"lower", "upper"} <= set(pred.columns)
    assert pred.loc[pred["model"] == "nf", ["lower", "upper"]].isna().all().all()
    # a window's scores are the metrics of its rows
    row = pred[(pred["model"] == "naive") & (pred["series"] == "b") & (pred["fold"] == 1)]
    score = res.scores.set_index(["model", "series", "fold"]).loc[("naive", "b", 1)]
    yt = row["y_true"].to_numpy()
    inside = (row["lower"] <= row["y_true"]) & (row["y_true"] <= row["upper"])
    assert score["coverage"] == pytest.approx(inside.mean())
    train = panel["b"].iloc[: len(panel["b"]) - 4 * 2]  # fold 1 of 3: two horizons held out
    assert score["msis"] == pytest.approx(
        msis(yt, row[["lower", "upper"]], y_train=train, coverage=0.9))
    # the same band as the model's own predict_interval on that fold's past
    band = Naive().fit(train).predict_interval(4, coverage=0.9)
    np.testing.assert_allclose(row["lower"], band["lower"])
    board = res.leaderboard
    assert {"coverage", "msis"} <= set(board.columns)
    assert np.isnan(board.loc["nf", "msis"])
    assert 0 <= board.loc["conformal", "coverage"] <= 1
    plain = backtest(models, panel, cv=cv, verbose=0)
    assert "lower" not in plain.predictions.columns
    assert "msis" not in plain.leaderboard.columns
    np.testing.assert_allclose(plain.predictions["y_pred"], pred["y_pred"])


def test_backtest_intervals_of_a_global_conformal_model():
    panel = {"a": _walk(9, 100), "b": _walk(10, 100)}
    nf = NeuralForecaster(Ridge(), window=10, horizon=4, validation=False)
    ci = ConformalIntervals(nf, horizon=4, n_windows=9, global_model=True)
    res = backtest({"ci": ci}, panel, cv=ExpandingWindowSplitter(horizon=4, n_splits=2),
                   global_models=["ci"], coverage=0.9, naive2=False, verbose=0)
    assert res.predictions[["lower", "upper"]].notna().all().all()
    assert (res.predictions["lower"] <= res.predictions["y_pred"]).all()


def test_backtest_coverage_must_be_a_fraction():
    for bad in (0.0, 1.0, 95, "0.9", True):
        with pytest.raises(ValueError, match=r"`coverage` must be None or a number in \(0, 1\)"):
            backtest({"naive": Naive()}, _walk(11), coverage=bad,
                     cv=ExpandingWindowSplitter(horizon=4, n_splits=2), verbose=0)
