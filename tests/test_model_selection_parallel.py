"""backtest through joblib: loky processes and a dask LocalCluster give the sequential result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.forecasters import Naive, SeasonalNaive
from forecast.model_selection import BacktestError, ExpandingWindowSplitter, backtest
from forecast.model_selection._tasks import may_use_keras

CV = ExpandingWindowSplitter(horizon=4, n_splits=2)


def _panel(k=4, n=40):
    rng = np.random.default_rng(0)
    return {f"s{i}": pd.Series(10 + np.sin(np.arange(n) / 2) + rng.normal(0, 0.2, n))
            for i in range(k)}


MODELS = {"naive": Naive(), "snaive": SeasonalNaive(season_length=4)}


def _sorted(p: pd.DataFrame) -> pd.DataFrame:
    return p.drop(columns=["fit_seconds", "predict_seconds"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def sequential():
    return backtest(MODELS, _panel(), cv=CV, n_jobs=1, verbose=0)


def test_loky_processes_match_sequential(sequential):
    res = backtest(MODELS, _panel(), cv=CV, n_jobs=2, verbose=0)
    pd.testing.assert_frame_equal(_sorted(res.predictions), _sorted(sequential.predictions))


def test_threading_backend_matches_sequential(sequential):
    res = backtest(MODELS, _panel(), cv=CV, n_jobs=2, backend="threading", verbose=0)
    pd.testing.assert_frame_equal(_sorted(res.predictions), _sorted(sequential.predictions))


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address")
def test_dask_localcluster_matches_sequential(sequential):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster),
    ):
        res = backtest(MODELS, _panel(), cv=CV, backend="dask", verbose=0)
    pd.testing.assert_frame_equal(_sorted(res.predictions), _sorted(sequential.predictions))


def test_dask_without_client_is_a_clear_error():
    pytest.importorskip("distributed")
    with pytest.raises(ValueError, match="active dask.distributed.Client"):
        backtest(MODELS, _panel(), cv=CV, backend="dask", verbose=0)


def test_ray_missing_or_bad_backend():
    try:
        import ray  # noqa: F401
    except ImportError:
        with pytest.raises(ValueError, match="needs the `ray` package"):
            backtest(MODELS, _panel(), cv=CV, backend="ray", verbose=0)
    with pytest.raises(TypeError, match="`backend`"):
        backtest(MODELS, _panel(), cv=CV, backend=3, verbose=0)


class _Boom(Naive):
    def fit(self, y, X=None):
        if len(y) > 33:
            raise RuntimeError("late failure")
        return super().fit(y, X)


def test_parallel_failure_names_task_and_keeps_results():
    with pytest.raises(BacktestError, match=r"model 'boom' on series 's\d', fold 1") as info:
        backtest({"naive": Naive(), "boom": _Boom()}, _panel(), cv=CV, n_jobs=2, naive2=False,
                 verbose=0)
    assert "late failure" in str(info.value)
    assert isinstance(info.value.result.predictions, pd.DataFrame)


def test_progress_bar_runs(capsys):
    backtest(MODELS, _panel(2), cv=CV, verbose=1)
    assert "backtest" in capsys.readouterr().err


def test_keras_detection():
    assert not may_use_keras(Naive())

    class Custom(Naive):
        _uses_keras = True

    assert may_use_keras(Custom())
