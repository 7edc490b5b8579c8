"""``backtest``: season length of wrapped forecasters and checks of its arguments."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from forecast.forecasters import EnsembleForecaster, Mean, Naive, SeasonalNaive
from forecast.model_selection import (
    BacktestError,
    ConformalIntervals,
    ExpandingWindowSplitter,
    backtest,
)

CV = ExpandingWindowSplitter(horizon=3, n_splits=3)
SCORES = ["smape", "mase", "owa"]


def _series(n: int = 72) -> pd.Series:
    rng = np.random.default_rng(0)
    t = np.arange(n)
    values = 20 + 0.05 * t + 3 * np.sin(2 * np.pi * t / 6) + rng.normal(0, 0.3, n)
    return pd.Series(values, index=pd.date_range("2000-01-01", periods=n, freq="MS"))


class _FailingFit(Naive):
    """A forecaster whose fit fails: an argument error must come before any fit."""

    def fit(self, y, X=None):  # noqa: D102
        raise RuntimeError("fit was called")


# ---------------------------------------------------------------- season length


@pytest.mark.parametrize(
    "wrapped",
    [
        pytest.param(lambda: ConformalIntervals(SeasonalNaive(6), horizon=3, n_windows=4),
                     id="ConformalIntervals"),
        pytest.param(lambda: EnsembleForecaster([("a", SeasonalNaive(6)),
                                                 ("b", SeasonalNaive(season_length=6))]),
                     id="EnsembleForecaster"),
    ],
)
def test_wrapped_seasonal_model_scored_like_unwrapped(wrapped):
    y = _series()
    plain = backtest({"m": SeasonalNaive(6)}, y, cv=CV, verbose=0)
    wrap = backtest({"m": wrapped()}, y, cv=CV, verbose=0)
    assert plain.season_length == wrap.season_length == 6
    pd.testing.assert_frame_equal(wrap.leaderboard[SCORES], plain.leaderboard[SCORES])


def test_wrapped_non_seasonal_model_uses_one():
    res = backtest({"ci": ConformalIntervals(Naive(), horizon=3, n_windows=4)}, _series(),
                   cv=CV, verbose=0)
    assert res.season_length == 1


def test_nested_season_lengths_disagree():
    models = {
        "ens": EnsembleForecaster([("s", SeasonalNaive(6)), ("t", SeasonalNaive(4))]),
        "naive": Naive(),
    }
    with pytest.raises(
        ValueError,
        match=r"^The models disagree on season_length \(\[4, 6\]\): 'ens' has "
              r"s__season_length=6, t__season_length=4\. Pass `season_length=` explicitly "
              r"\(the one MASE and the Naive2 reference should use\)\. "
              r"Received: season_length=None$",
    ):
        backtest(models, _series(), cv=CV, verbose=0)
    assert backtest(models, _series(), cv=CV, season_length=6, verbose=0).season_length == 6


def test_wrapped_and_top_level_season_lengths_disagree():
    models = {
        "snaive": SeasonalNaive(4),
        "ci": ConformalIntervals(SeasonalNaive(6), horizon=3, n_windows=4),
    }
    with pytest.raises(
        ValueError,
        match=r"disagree on season_length \(\[4, 6\]\): 'snaive' has season_length=4; "
              r"'ci' has forecaster__season_length=6\. Pass `season_length=` explicitly",
    ):
        backtest(models, _series(), cv=CV, verbose=0)


# ---------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n_jobs": "two"}, TypeError,
         r"^`n_jobs` must be a non-zero integer or None\. Received: n_jobs='two'$"),
        ({"n_jobs": 1.5}, TypeError,
         r"^`n_jobs` must be a non-zero integer or None\. Received: n_jobs=1\.5$"),
        ({"n_jobs": True}, TypeError,
         r"^`n_jobs` must be a non-zero integer or None\. Received: n_jobs=True$"),
        ({"n_jobs": 0}, ValueError,
         r"^`n_jobs` must be a non-zero integer or None \(-1: all cores\)\. "
         r"Received: n_jobs=0$"),
        ({"backend": "foo"}, ValueError,
         r"^`backend` must be one of \[.*'loky'.*'threading'.*\] \(or a name registered "
         r"with joblib\.register_parallel_backend\)\. Received: backend='foo'$"),
        ({"backend": 3}, TypeError,
         r"^`backend` must be a joblib backend name\. Received: backend=3$"),
        ({"verbose": "yes"}, TypeError,
         r"^`verbose` must be an integer or a bool\. Received: verbose='yes'$"),
        ({"verbose": None}, TypeError,
         r"^`verbose` must be an integer or a bool\. Received: verbose=None$"),
        ({"global_models": "m"}, TypeError,
         r"^`global_models` must be a list of model names, not a string: write "
         r"global_models=\['m'\]\. Received: global_models='m'$"),
        ({"global_models": 3}, TypeError,
         r"^`global_models` must be a list of model names\. Received: global_models=3$"),
    ],
)
def test_bad_argument_before_any_fit(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        backtest({"m": _FailingFit()}, _series(), cv=CV, **{"verbose": 0, **kwargs})


def test_failing_fit_is_reached_with_valid_arguments():
    with pytest.raises(BacktestError, match="fit was called"):
        backtest({"m": _FailingFit()}, _series(), cv=CV, n_jobs=1, backend="threading",
                 verbose=False, global_models=[])


def test_backend_names_are_joblib_names():
    with pytest.raises(ValueError, match="Received: backend='foo'") as info:
        backtest({"m": Naive()}, _series(), cv=CV, backend="foo", verbose=0)
    for name in ("loky", "threading", "multiprocessing", "sequential", "dask", "ray"):
        assert repr(name) in str(info.value)


def test_long_string_global_models_not_split_into_characters():
    with pytest.raises(TypeError, match=r"write global_models=\['lstm'\]"):
        backtest({"lstm": Naive()}, _series(), cv=CV, global_models="lstm", verbose=0)


@pytest.mark.parametrize(
    ("models", "match"),
    [
        ([Naive()], None),
        ([Naive(), SeasonalNaive], r"^`models\[1\]` must be a forecaster instance, not the "
                                   r"class SeasonalNaive: write SeasonalNaive\(\.\.\.\)\. "),
        ([Naive], r"^`models\[0\]` must be a forecaster instance, not the class Naive: "
                  r"write Naive\(\.\.\.\)\. "),
        (Naive, r"^`models` must be a forecaster instance, not the class Naive: write "
                r"Naive\(\.\.\.\)\. Received: models=<class "),
        ({"n": Naive}, r"^`models\['n'\]` must be a forecaster instance, not the class "
                       r"Naive: write Naive\(\.\.\.\)\. "),
    ],
)
def test_class_instead_of_instance(models, match):
    if match is None:
        backtest(models, _series(), cv=CV, verbose=0)
        return
    with pytest.raises(TypeError, match=match):
        backtest(models, _series(), cv=CV, verbose=0)


# ---------------------------------------------------------------- metric names


def test_duplicate_metric_names():
    with pytest.raises(
        ValueError,
        match=r"^`metrics` has more than one metric named '<lambda>' \(each is a column of "
              r"the scores\); give each callable a distinct __name__ \(a def instead of a "
              r"lambda\)\. Received: metrics=",
    ):
        backtest([Naive()], _series(), cv=CV, verbose=0,
                 metrics=[lambda a, b: 1.0, lambda a, b: 2.0])
    with pytest.raises(ValueError, match="more than one metric named 'smape'"):
        backtest([Naive()], _series(), cv=CV, verbose=0, metrics=["smape", "SMAPE"])


def test_distinct_metric_callables_keep_their_columns():
    def one(a, b):
        return 1.0

    def two(a, b):
        return 2.0

    board = backtest([Naive()], _series(), cv=CV, verbose=0, metrics=[one, two]).leaderboard
    assert board.loc["Naive", "one"] == 1.0
    assert board.loc["Naive", "two"] == 2.0


def test_conformal_wraps_members_of_different_seasons():
    ens = EnsembleForecaster([("s", SeasonalNaive(6)), ("t", SeasonalNaive(4))])
    ci = ConformalIntervals(ens, horizon=3, n_windows=4).fit(_series())
    assert ci.predict_interval(3, coverage=0.5).shape == (3, 2)
    res = backtest({"ci": ConformalIntervals(ens, horizon=3, n_windows=4)}, _series(), cv=CV,
                   season_length=6, verbose=0)
    assert res.season_length == 6


# --- scores: the user's metric errors surface; undefined OWA is quiet NaN ------------------

def test_a_user_metric_that_raises_is_not_turned_into_nan():
    def my_metric(y_true, y_pred):
        raise ValueError("bug in my metric")

    result = backtest([Naive()], pd.Series(np.arange(30.0)),
                      cv=ExpandingWindowSplitter(3, n_splits=2), metrics=[my_metric, "smape"],
                      verbose=0)
    with pytest.raises(ValueError, match="bug in my metric"):
        result.leaderboard  # noqa: B018 - computing it is the test


def test_a_builtin_metric_undefined_on_a_window_is_nan():
    y = pd.Series(np.r_[np.arange(1.0, 28.0), 0.0, 0.0, 0.0])  # zero actuals: MAPE undefined
    result = backtest([Naive()], y, cv=ExpandingWindowSplitter(3, n_splits=1),
                      metrics=["mape", "smape"], naive2=False, verbose=0)
    assert np.isnan(result.scores["mape"]).all()


def test_owa_of_a_constant_series_is_nan_without_numpy_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        board = backtest([Naive(), Mean()], pd.Series(np.full(30, 5.0)),
                         cv=ExpandingWindowSplitter(3, n_splits=2), verbose=0).leaderboard
    assert board["owa"].isna().all()


def test_owa_against_a_perfect_naive2_is_nan_not_inf():
    # the last 10 values repeat the last trend value: Naive2 is exact on both folds,
    # the mean is not; OWA divides by Naive2's zero error, so it is undefined
    y = pd.Series(np.r_[np.arange(1.0, 21.0), np.full(10, 20.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = backtest([Naive(), Mean()], y, cv=ExpandingWindowSplitter(3, n_splits=2),
                          verbose=0)
        board = result.leaderboard
    assert (result.scores.query("model == 'Naive2'")[["smape", "mase"]] == 0).all().all()
    assert board.loc["Mean", "smape"] > 0
    assert board["owa"].isna().all()
