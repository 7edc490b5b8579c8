"""backtest: tidy output, scoring, refit/update, failures and bad input (sequential runs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.forecasters import Naive, Naive2, SeasonalNaive
from forecast.forecasters._base import BaseForecaster
from forecast.metrics import mase, smape
from forecast.model_selection import (
    BacktestError,
    BacktestResult,
    ExpandingWindowSplitter,
    SlidingWindowSplitter,
    backtest,
)


class LastValue(BaseForecaster):
    """Repeats the last training value."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def _fit(self, values, X):
        self.last_ = float(values[-1])

    def _predict(self, horizon, X):
        return np.full(horizon, self.last_ + self.offset)


class Updating(LastValue):
    """Has ``update``: counts updates, moves the cutoff, keeps the fitted 'weights'."""

    def _fit(self, values, X):
        super()._fit(values, X)
        self.n_updates_ = 0
        self.fit_len_ = len(values)

    def update(self, y, X=None):
        self.n_updates_ += 1
        self.index_ = y.index
        self.cutoff_ = y.index[-1]
        self.last_ = float(y.iloc[-1])
        return self


class FailsOnLength(LastValue):
    """Raises when fitted on a series of length ``bad_length``."""

    def __init__(self, bad_length: int = 0, offset: float = 0.0) -> None:
        self.bad_length = bad_length
        self.offset = offset

    def _fit(self, values, X):
        if len(values) == self.bad_length:
            raise RuntimeError("boom")
        super()._fit(values, X)


class ReturnsNaN(LastValue):
    def _predict(self, horizon, X):
        return np.full(horizon, np.nan)


class GlobalMean(BaseForecaster):
    """A global model: fit on a panel dict, predict a dict."""

    def __init__(self) -> None:
        pass

    def fit(self, y, X=None):
        assert isinstance(y, dict)
        self.means_ = {k: float(s.mean()) for k, s in y.items()}
        self.index_ = {k: s.index for k, s in y.items()}
        self.cutoff_ = {k: s.index[-1] for k, s in y.items()}
        return self

    def predict(self, horizon=None, X=None):
        from forecast.forecasters._base import future_index

        return {k: pd.Series(m, index=future_index(self.index_[k], horizon))
                for k, m in self.means_.items()}


def _series(n=60, seed=0, name=None):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return pd.Series(20 + 3 * np.sin(2 * np.pi * t / 6) + rng.normal(0, 0.5, n), name=name)


CV = ExpandingWindowSplitter(horizon=6, n_splits=3)


def test_tidy_predictions_and_leaderboard():
    y = _series()
    models = {"last": LastValue(), "snaive": SeasonalNaive(season_length=6)}
    res = backtest(models, y, cv=CV, verbose=0)
    assert isinstance(res, BacktestResult)
    p = res.predictions
    assert list(p.columns) == [
        "series", "model", "fold", "cutoff", "step", "time", "y_true", "y_pred",
        "fit_seconds", "predict_seconds", "scale", "refit",
    ]
    assert len(p) == 3 * 3 * 6  # 2 models + the added Naive2 reference
    assert res.reference == "Naive2"
    assert res.season_length == 6
    one = p[(p["model"] == "last") & (p["fold"] == 1)]
    assert one["cutoff"].iloc[0] == 47
    assert one["time"].tolist() == list(range(48, 54))
    np.testing.assert_array_equal(one["y_true"], y.iloc[48:54])
    np.testing.assert_array_equal(one["y_pred"], np.full(6, y.iloc[47]))
    # scores follow forecast.metrics on the same window
    sc = res.scores.set_index(["model", "fold"]).loc[("last", 1)]
    assert sc["smape"] == pytest.approx(smape(one["y_true"], one["y_pred"]))
    assert sc["mase"] == pytest.approx(
        mase(one["y_true"], one["y_pred"], y_train=y.iloc[:48], season_length=6)
    )
    lb = res.leaderboard
    assert lb.index[-1] == "last"
    assert lb.loc["Naive2", "owa"] == pytest.approx(1.0)
    assert {"smape", "mase", "owa", "fit_seconds", "n_windows", "n_failed"} <= set(lb.columns)
    assert (lb["owa"].diff().dropna() >= 0).all()
    assert "n_failed=0" in repr(res)


def test_panel_dataframe_and_list_of_models():
    panel = {"a": _series(60, 1), "b": _series(45, 2)}
    models = [LastValue(), LastValue(offset=1.0), Naive2(season_length=6)]
    res = backtest(models, panel, cv=CV, metrics=["mae", "smape", "mase"], verbose=0)
    assert res.model_names == ["LastValue_1", "LastValue_2", "Naive2"]
    assert res.reference == "Naive2"  # the user's Naive2 is the reference: nothing added
    assert set(res.predictions["series"]) == {"a", "b"}
    # same cutoffs relative to each end
    last = res.predictions[res.predictions["fold"] == 2].groupby("series")["cutoff"].first()
    assert last["a"] == 53
    assert last["b"] == 38
    df = pd.DataFrame({"a": _series(50, 3), "b": _series(50, 4)})
    res2 = backtest(Naive(), df, cv=CV, metrics="mae", verbose=0)
    assert res2.model_names == ["Naive"]
    assert res2.reference is None
    assert list(res2.leaderboard.columns[:1]) == ["mae"]


def test_models_are_not_fitted_or_mutated():
    model = LastValue()
    y = _series()
    before = y.copy()
    backtest({"m": model}, y, cv=CV, naive2=False, verbose=0)
    assert not hasattr(model, "cutoff_")
    pd.testing.assert_series_equal(y, before)


def test_refit_every_k_uses_update():
    y = _series(80)
    cv = ExpandingWindowSplitter(horizon=4, n_splits=5)
    res = backtest({"u": Updating(), "plain": LastValue()}, y, cv=cv, refit=2, naive2=False,
                   verbose=0)
    refit = res.predictions.groupby(["model", "fold"])["refit"].first()
    assert refit["u"].tolist() == [True, False, True, False, True]
    assert refit["plain"].all()  # no update method: always refit
    # an updated model forecasts from its new cutoff
    p = res.predictions[(res.predictions["model"] == "u") & (res.predictions["fold"] == 1)]
    assert p["y_pred"].iloc[0] == y.iloc[p["cutoff"].iloc[0]]
    never = backtest({"u": Updating()}, y, cv=cv, refit=False, naive2=False, verbose=0)
    assert never.predictions.groupby("fold")["refit"].first().tolist() == [True] + [False] * 4


def test_gap_and_sliding():
    y = _series(40)
    cv = SlidingWindowSplitter(horizon=3, train_size=10, n_splits=2, gap=2)
    res = backtest({"last": LastValue()}, y, cv=cv, naive2=False, verbose=0)
    p = res.predictions
    assert p.groupby("fold")["time"].first().tolist() == [34, 37]
    assert p.groupby("fold")["cutoff"].first().tolist() == [31, 34]


def test_global_model_gets_the_panel():
    panel = {"a": _series(40, 1), "b": _series(30, 2)}
    res = backtest({"g": GlobalMean()}, panel, cv=CV, global_models=["g"], naive2=False,
                   verbose=0)
    p = res.predictions[(res.predictions["series"] == "b") & (res.predictions["fold"] == 0)]
    np.testing.assert_allclose(p["y_pred"], panel["b"].iloc[:12].mean())


def test_errors_raise_names_model_series_fold_and_keeps_results():
    panel = {"a": _series(60, 1), "b": _series(60, 2)}
    models = {"ok": LastValue(), "bad": FailsOnLength(bad_length=48)}
    with pytest.raises(BacktestError, match=r"model 'bad' on series '(a|b)', fold 1") as info:
        backtest(models, panel, cv=CV, naive2=False, verbose=0)
    partial = info.value.result
    assert len(info.value.failures) >= 1
    assert "RuntimeError: boom" in info.value.failures["error"].iloc[0]
    assert (partial.predictions["model"] == "ok").any()


def test_errors_warn_records_and_continues():
    models = {"ok": LastValue(), "bad": FailsOnLength(bad_length=48)}
    with pytest.warns(UserWarning, match="'bad' failed on series 'y' fold 1"):
        res = backtest(models, _series(), cv=CV, errors="warn", naive2=False, verbose=0)
    assert res.failures[["model", "fold"]].values.tolist() == [["bad", 1]]
    assert sorted(res.predictions.query("model == 'bad'")["fold"].unique()) == [0, 2]
    assert res.leaderboard.loc["bad", "n_failed"] == 1


def test_nan_forecast_is_a_failure():
    with pytest.raises(BacktestError, match="non-finite forecast"):
        backtest({"nan": ReturnsNaN()}, _series(), cv=CV, naive2=False, verbose=0)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"models": {}}, ValueError, "`models` must contain"),
        ({"models": []}, ValueError, "`models` must contain"),
        ({"models": {"x": object()}}, TypeError, r"`models\['x'\]`"),
        ({"models": {"x": LastValue}}, TypeError,
         r"`models\['x'\]` must be a forecaster instance, not the class LastValue: write "
         r"LastValue\(\.\.\.\)"),
        ({"metrics": ("smape", "nope")}, ValueError, "unknown metric 'nope'"),
        ({"metrics": ()}, ValueError, "`metrics`"),
        ({"refit": 0}, ValueError, "`refit`"),
        ({"refit": 1.5}, ValueError, "`refit`"),
        ({"errors": "ignore"}, ValueError, "`errors`"),
        ({"cv": 3}, TypeError, "`cv`"),
        ({"global_models": ["zzz"]}, ValueError, "`global_models`"),
        ({"season_length": 0}, ValueError, "`season_length`"),
        ({"y": {}}, ValueError, "empty panel"),
        ({"y": _series(10)}, ValueError, "too short"),
        ({"cv": ExpandingWindowSplitter(horizon=0)}, ValueError, "`horizon`"),
        ({"cv": ExpandingWindowSplitter(horizon=2, step=0)}, ValueError, "`step`"),
    ],
)
def test_bad_input(kwargs, exc, match):
    args = {"models": {"m": LastValue()}, "y": _series(), "cv": CV, "verbose": 0, **kwargs}
    with pytest.raises(exc, match=match):
        backtest(args.pop("models"), args.pop("y"), **args)


def test_season_length_disagreement():
    models = {"a": SeasonalNaive(season_length=6), "b": SeasonalNaive(season_length=12)}
    with pytest.raises(ValueError, match="disagree on season_length"):
        backtest(models, _series(), cv=CV, verbose=0)
    res = backtest(models, _series(), cv=CV, season_length=6, verbose=0)
    assert res.season_length == 6


def test_callable_metric():
    def bias(y_true, y_pred):
        return float(np.mean(np.asarray(y_pred) - np.asarray(y_true)))

    res = backtest({"m": LastValue(offset=2.0)}, pd.Series(np.ones(30) * 5), cv=CV,
                   metrics=[bias], verbose=0)
    assert res.leaderboard.loc["m", "bias"] == pytest.approx(2.0)


class CountsFits(LastValue):
    """Declares that fit redraws all state: the task may refit the same object."""

    _fit_resets_weights = True

    def _fit(self, values, X):
        super()._fit(values, X)
        self.n_fits_ = getattr(self, "n_fits_", 0) + 1


def test_fresh_clone_per_refit_unless_fit_resets_weights():
    res = backtest({"plain": LastValue(), "reuse": CountsFits()}, _series(), cv=CV,
                   naive2=False, verbose=0)
    assert res.predictions["refit"].all()
    ids = []

    class Spy(CountsFits):
        def fit(self, y, X=None):
            ids.append((id(self), getattr(self, "n_fits_", 0)))
            return super().fit(y, X)

    backtest({"spy": Spy()}, _series(), cv=CV, naive2=False, verbose=0)
    assert len({i for i, _ in ids}) == 1  # one clone refitted in place
    assert [n for _, n in ids] == [0, 1, 2]
    ids.clear()
    Spy._fit_resets_weights = False
    backtest({"spy": Spy()}, _series(), cv=CV, naive2=False, verbose=0)
    assert [n for _, n in ids] == [0, 0, 0]  # a fresh clone every fold
