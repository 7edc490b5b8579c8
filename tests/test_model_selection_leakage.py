"""No look-ahead: values after a fold's cutoff never change that fold's forecasts.

Adding a model to the check is one line in ``MODELS``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast import forecasters as fc
from forecast.model_selection import ExpandingWindowSplitter, backtest

M = 6  # season length of the test series


def _neural():
    from forecast.estimators import GRURegressor

    # eager: each backtest fold builds a fresh network for one batch, where tracing a
    # graph would cost most of the time; what is under test is which rows reach it
    return fc.NeuralForecaster(
        GRURegressor(units=4, epochs=1, batch_size=64, random_state=0, run_eagerly=True),
        window=12, horizon=M, random_state=0,
    )


MODELS = [
    pytest.param(lambda: fc.Naive(), id="Naive"),
    pytest.param(lambda: fc.SeasonalNaive(season_length=M), id="SeasonalNaive"),
    pytest.param(lambda: fc.Naive2(season_length=M), id="Naive2"),
    pytest.param(lambda: fc.Drift(season_length=M), id="Drift"),
    pytest.param(lambda: fc.Mean(season_length=M), id="Mean"),
    pytest.param(lambda: fc.SES(season_length=M), id="SES"),
    pytest.param(lambda: fc.Holt(season_length=M), id="Holt"),
    pytest.param(lambda: fc.DampedHolt(season_length=M), id="DampedHolt"),
    pytest.param(lambda: fc.Theta(season_length=M), id="Theta"),
    pytest.param(lambda: fc.ETS(season_length=M), id="ETS"),
    pytest.param(lambda: fc.ARIMA(order=(1, 1, 0)), id="ARIMA"),
    pytest.param(_neural, id="NeuralForecaster"),
]
#: models with ``update``: also checked with refit every 2 folds (update in between)
UPDATING = [pytest.param(_neural, id="NeuralForecaster")]


def _series(n: int = 48) -> pd.Series:
    rng = np.random.default_rng(42)
    t = np.arange(n)
    return pd.Series(50 + 0.2 * t + 5 * np.sin(2 * np.pi * t / M) + rng.normal(0, 1, n))


def _check_no_leak(make_model, refit):
    """Perturb after the first and after the last cutoff: no earlier fold may move."""
    y = _series()
    cv = ExpandingWindowSplitter(horizon=M, n_splits=2)
    kwargs = {"cv": cv, "refit": refit, "naive2": False, "verbose": 0, "season_length": M}
    base = backtest({"m": make_model()}, y, **kwargs).predictions
    for k, cutoff in enumerate(cv.get_cutoffs(y)):
        y2 = y.copy()
        y2.iloc[cutoff + 1 :] = y2.iloc[cutoff + 1 :] * 3.0 + 100.0  # wild future
        other = backtest({"m": make_model()}, y2, **kwargs).predictions
        for fold in range(k + 1):
            np.testing.assert_array_equal(
                base.loc[base["fold"] == fold, "y_pred"].to_numpy(),
                other.loc[other["fold"] == fold, "y_pred"].to_numpy(),
                err_msg=f"fold {fold} changed when values after fold {k}'s cutoff changed",
            )
        # the changed future is visible: the test windows after the cutoff differ
        assert not np.array_equal(
            base.loc[base["fold"] == k, "y_true"].to_numpy(),
            other.loc[other["fold"] == k, "y_true"].to_numpy(),
        )


@pytest.mark.parametrize("make_model", MODELS)
def test_future_values_do_not_change_past_folds(make_model):
    _check_no_leak(make_model, refit=True)


@pytest.mark.parametrize("make_model", UPDATING)
def test_future_values_do_not_change_past_folds_with_update(make_model):
    _check_no_leak(make_model, refit=2)


def test_model_only_sees_training_span():
    seen = []

    class Spy(fc.Naive):
        def fit(self, y, X=None):
            seen.append(y.index[-1])
            return super().fit(y, X)

    y = _series(40)
    cv = ExpandingWindowSplitter(horizon=4, n_splits=3)
    backtest({"spy": Spy()}, y, cv=cv, naive2=False, verbose=0)
    assert seen == cv.get_cutoffs(y).tolist()


def _neural_with_covariates(future=None):
    # the data flow is the forecaster's, whatever the regressor: a ridge keeps it fast
    from sklearn.linear_model import Ridge

    return fc.NeuralForecaster(Ridge(alpha=0.1), window=12, horizon=M,
                               future_covariates=future)


@pytest.mark.parametrize("refit", [True, 2])
def test_future_covariates_values_do_not_change_past_folds(refit):
    # backtest(X=...): a past covariate after the cutoff never reaches a fold's model;
    # a declared future covariate reaches predict for the forecast steps only
    y = _series()
    t = np.arange(len(y))
    X = pd.DataFrame({"past": np.cos(t / 3.0), "calendar": np.sin(2 * np.pi * t / M)})
    cv = ExpandingWindowSplitter(horizon=M, n_splits=2)
    cutoff = cv.get_cutoffs(y)[0]
    kwargs = {"cv": cv, "refit": refit, "naive2": False, "verbose": 0, "season_length": M}
    for future in (None, ["calendar"]):
        base = backtest({"m": _neural_with_covariates(future)}, y, X=X, **kwargs).predictions
        wild = X.copy()
        wild.loc[cutoff + 1 :, "past"] = 1e3
        if future:  # beyond fold 0's forecast steps only: those are known in advance
            wild.loc[cutoff + M + 1 :, "calendar"] = 1e3
        other = backtest({"m": _neural_with_covariates(future)}, y, X=wild, **kwargs)
        np.testing.assert_array_equal(
            base.loc[base["fold"] == 0, "y_pred"].to_numpy(),
            other.predictions.loc[other.predictions["fold"] == 0, "y_pred"].to_numpy(),
            err_msg=f"fold 0 moved when covariates after its cutoff changed ({future=})")
    # the calendar values of the forecast steps are used: changing them moves fold 0
    moved = X.copy()
    moved.loc[cutoff + 1 : cutoff + M, "calendar"] += 5.0
    a = backtest({"m": _neural_with_covariates(["calendar"])}, y, X=X, **kwargs).predictions
    b = backtest({"m": _neural_with_covariates(["calendar"])}, y, X=moved, **kwargs).predictions
    assert not np.allclose(a.loc[a["fold"] == 0, "y_pred"], b.loc[b["fold"] == 0, "y_pred"])
