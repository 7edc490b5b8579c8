"""``backtest``: rolling-origin evaluation of many forecasters on many series, in parallel."""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import joblib
import numpy as np
import pandas as pd

from .._validation import check_option, describe
from ._backtest_args import (
    check_global_models,
    check_metrics,
    check_models,
    check_panel,
    check_parallel,
    check_refit,
    season_length_of,
)
from ._covariates import check_covariates, task_covariates
from ._result import (
    INTERVAL_COLUMNS,
    PREDICTION_COLUMNS,
    BacktestError,
    BacktestResult,
)
from ._split import _BaseSplitter
from ._tasks import Task, TaskOutput, run_task

__all__ = ["backtest"]

logger = logging.getLogger(__name__)


def _naive2_reference(models: dict[str, Any], season_length: int, want: bool,
                      metrics: tuple[Any, ...]) -> tuple[dict[str, Any], str | None]:
    if not want or "smape" not in metrics or "mase" not in metrics:
        return models, None
    try:
        from ..forecasters._naive import Naive2
    except ImportError:  # pragma: no cover - baselines not available
        return models, None
    for name, m in models.items():
        if type(m) is Naive2 and m.get_params().get("season_length") == season_length:
            return models, name
    name = "Naive2" if "Naive2" not in models else "Naive2 (reference)"
    return {**models, name: Naive2(season_length=season_length)}, name


@contextlib.contextmanager
def _backend_context(backend: Any, n_jobs: int | None):
    if backend is None:
        yield n_jobs
        return
    if backend == "ray":
        try:
            from ray.util.joblib import register_ray
        except ImportError:
            raise ValueError(
                "backend='ray' needs the `ray` package (pip install 'ray[default]'). "
                "Received: backend='ray'"
            ) from None
        register_ray()
    if backend == "dask":
        try:
            from distributed import get_client

            get_client()
        except (ImportError, ValueError):
            raise ValueError(
                "backend='dask' needs an active dask.distributed.Client "
                "(client = Client(cluster) before calling backtest). Received: backend='dask'"
            ) from None
    with joblib.parallel_config(backend=backend):
        yield -1 if n_jobs is None else n_jobs


def _progress(total: int, verbose: int):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="backtest", unit="task",
                disable=verbose < 1 or total < 2, leave=verbose >= 2)


def backtest(
    models: Any,
    y: Any,
    *,
    cv: _BaseSplitter,
    X: Any = None,
    coverage: float | None = None,
    metrics: Any = ("smape", "mase"),
    refit: bool | int = True,
    season_length: int | None = None,
    naive2: bool = True,
    global_models: Iterable[str] | None = None,
    errors: str = "raise",
    n_jobs: int | None = None,
    backend: str | None = None,
    verbose: int = 1,
) -> BacktestResult:
    """Rolling-origin backtest of several forecasters on one series or a panel.

    Every (model, series) pair is one task that runs all folds of ``cv`` in order.
    Each fit starts from a fresh ``sklearn.base.clone`` of the model (never the
    previous fold's weights) and receives only the fold's training span, i.e. data
    up to its cutoff: scalers, validation slices and early stopping inside the
    forecaster are therefore computed from the training span alone (any
    validation slice is carved out of it by the forecaster). Tasks run through
    joblib: ``n_jobs`` processes with loky by default, or any joblib backend
    (``backend="dask"`` with an active ``dask.distributed.Client``, ``"ray"``
    where installed, or an enclosing ``joblib.parallel_config``).

    Parameters
    ----------
    models : dict {str: forecaster}, list of forecasters or one forecaster
        Unfitted forecasters (never modified). A list is named by class
        (``SES``, ``SES_2``... for duplicates).
    y : pandas.Series, pandas.DataFrame or dict {id: Series}
        One series, one series per DataFrame column, or a panel. Series may have
        different lengths: the folds are placed relative to each series' end.
    cv : ExpandingWindowSplitter or SlidingWindowSplitter
        Fold definition (``horizon``, ``step``, ``gap``, ``n_splits``...).
    X : pandas.DataFrame or dict {id: DataFrame}, optional
        Covariates: one frame shared by every series (e.g. calendar features) or one
        per series id, with a row for every label of the series' index (extra rows
        are ignored). Only the models that use covariates get them (a
        ``NeuralForecaster``; not the statistical baselines, nor the Naive2
        reference), and only leakage-free: ``fit`` and ``update`` get the rows up to
        the fold's cutoff; ``predict`` gets the rows of the forecast steps only when
        the model has ``future_covariates``, and then only those columns.
    coverage : float, optional
        Also forecast the central interval of this coverage (e.g. 0.95, M4's) with
        every model that has ``predict_interval`` (the baselines, a
        :class:`ConformalIntervals`): ``predictions`` gets ``lower``/``upper`` columns
        (NaN for models without), ``scores`` and ``leaderboard`` the share of actuals
        inside (``coverage``) and M4's mean scaled interval score (``msis``).
    metrics : str, callable or sequence, default=("smape", "mase")
        Names in ``"smape", "mase", "mae", "rmse", "mape"`` or callables
        ``f(y_true, y_pred) -> float``, each scored per window (lazily, when
        ``scores`` or ``leaderboard`` is first read). A built-in metric undefined on a
        window (MAPE with a zero actual) scores NaN there; an error raised by your
        callable is raised from ``scores``/``leaderboard`` as it is.
    refit : bool or int, default=True
        ``True``: refit every fold. ``k``: refit every ``k`` folds and in between
        call ``model.update(y_train)`` (new observations, same weights) when the
        model has ``update``, else refit. ``False``: fit on the first fold only and
        update after that (a model without ``update``, e.g. every statistical baseline,
        is still refitted every fold).
    season_length : int, optional
        Seasonal period of the MASE scale (in-sample seasonal-naive MAE of each
        fold's training span). Default: the ``season_length > 1`` shared by the
        models and the forecasters nested in them (``get_params(deep=True)``, so a
        ``ConformalIntervals`` or ``EnsembleForecaster`` of seasonal models counts;
        ``ValueError`` if they disagree), else 1.
    naive2 : bool, default=True
        Score OWA against Naive2 when sMAPE and MASE are both computed: a
        ``Naive2`` among ``models`` with the same ``season_length`` is the
        reference, otherwise ``Naive2(season_length)`` is run on the same folds
        and added to the result (as ``"Naive2"``).
    global_models : iterable of str, optional
        Names of models fitted on the whole panel at once per fold (e.g. a
        ``NeuralForecaster``): one task per model, ``fit`` gets
        ``{id: training span}`` and ``predict`` must return ``{id: forecast}``.
    errors : {"raise", "warn"}, default="raise"
        ``"raise"``: stop at the first failed fold and raise
        :class:`BacktestError` naming model, series and fold; finished work is on
        ``exc.result``. ``"warn"``: warn, record the failure in
        ``result.failures`` and go on (the next fold refits).
    n_jobs : int, optional
        Parallel tasks (joblib semantics: ``-1`` all cores; ``None``: 1, or all
        workers with ``backend``). Prefer single-threaded TensorFlow in workers
        (``forecast.configure_threads(1, 1)`` in each worker, or ``FORECAST_NUM_THREADS=1``
        / ``TF_NUM_INTRAOP_THREADS=1`` in the environment).
    backend : str, optional
        joblib backend: ``"loky"`` (default), ``"threading"``, ``"dask"`` (needs an
        active ``dask.distributed.Client``), ``"ray"`` (needs ``ray``).
    verbose : int, default=1
        ``>= 1`` shows a tqdm progress bar over tasks (when there are several).

    Returns
    -------
    BacktestResult
        ``.predictions`` (tidy, one row per forecast point), ``.scores`` (per
        window), ``.leaderboard`` (per model), ``.failures``.

    Raises
    ------
    TypeError
        If `models` is not a forecaster, a list or a dict of forecaster instances with
        string names (a class instead of an instance included); `cv` is not a
        splitter; `y` (or a series in it) is not a numeric series; `metrics` is not a
        name, a callable or a sequence of them; `backend` is not a string; `n_jobs` is
        not an integer or None; `verbose` is not an integer or a bool; `global_models`
        is a string or not an iterable; `X` is not a DataFrame or a dict of
        DataFrames; or a splitter parameter has the wrong type.
    ValueError
        If `models`, `metrics` or the panel `y` is empty; a series is invalid (NaN,
        infinity, unsorted or duplicated index, more than one column) or too short for
        `cv`; a metric name is unknown or two metrics have the same name; `refit`,
        `season_length`, `coverage` or `n_jobs` (0) is out of range, or the models
        disagree on `season_length`; `backend` is not a joblib backend name; `errors` is not
        ``"raise"`` or ``"warn"``; `global_models` names an unknown model; `X` is
        passed but no model uses covariates, or does not cover every series; or
        ``backend="ray"``/``"dask"`` is not available.
    BacktestError
        A fold failed and ``errors="raise"``.

    Notes
    -----
    Distributed runs use joblib's backend machinery, so the same call runs on a
    Dask cluster::

        from dask.distributed import Client, LocalCluster
        with LocalCluster(n_workers=4, threads_per_worker=1) as cluster, Client(cluster):
            result = backtest(models, panel, cv=cv, backend="dask")

    (or ``with joblib.parallel_config(backend="dask"): backtest(...)``; Ray:
    ``backend="ray"`` after ``ray.init()``). After every task that may have built
    Keras models a worker calls ``keras.backend.clear_session()`` and
    ``gc.collect()``; still prefer one TensorFlow thread per worker
    (``TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1`` in the workers'
    environment): the same epoch then costs ~40% less CPU.

    A model whose ``fit`` redraws every weight (class attribute
    ``_fit_resets_weights = True``) is refitted in place within its task instead
    of re-cloned, so a compiled network is reused across folds.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from forecast.forecasters import Naive, SeasonalNaive
    >>> from forecast.model_selection import ExpandingWindowSplitter, backtest
    >>> rng = np.random.default_rng(0)
    >>> y = pd.Series(10 + np.sin(np.arange(120) * np.pi / 6) + rng.normal(0, 0.1, 120))
    >>> res = backtest({"naive": Naive(), "snaive": SeasonalNaive(season_length=12)}, y,
    ...                cv=ExpandingWindowSplitter(horizon=12, n_splits=3), verbose=0)
    >>> res.leaderboard.index.tolist()
    ['snaive', 'Naive2', 'naive']
    >>> res.predictions.columns.tolist()[:8]
    ['series', 'model', 'fold', 'cutoff', 'step', 'time', 'y_true', 'y_pred']
    """
    named = check_models(models)
    if not isinstance(cv, _BaseSplitter):
        raise TypeError(
            "`cv` must be an ExpandingWindowSplitter or SlidingWindowSplitter. "
            f"Received: cv={describe(cv)}"
        )
    panel = check_panel(y)
    metric_items = check_metrics(metrics)
    refit_every = check_refit(refit)
    check_option("errors", errors, ("raise", "warn"))
    check_parallel(n_jobs, backend, verbose)
    m = season_length_of(named, season_length)
    glob = check_global_models(global_models, named)
    covariates = check_covariates(X, panel, named)
    if coverage is not None and (not isinstance(coverage, float | int) or isinstance(
            coverage, bool) or not 0 < coverage < 1):
        raise ValueError(f"`coverage` must be None or a number in (0, 1). "
                         f"Received: coverage={coverage!r}")
    named, reference = _naive2_reference(named, m, naive2, metric_items)
    horizon, _, gap, _ = cv._check()
    if not isinstance(y, Mapping) and len(panel) == 1:  # one series: its errors say `y`
        cv.get_n_splits(next(iter(panel.values())))
    folds = list(cv.split(panel))  # validates lengths (ValueError naming the series)

    tasks = []
    for name, model in named.items():
        if name in glob:
            tasks.append(Task(name, model, panel, folds, refit_every, gap, horizon, m,
                              True, errors == "raise", task_covariates(model, covariates),
                              coverage))
            continue
        for key, series in panel.items():
            per = [{key: f[key]} for f in folds]
            cov = task_covariates(model, covariates)
            tasks.append(Task(name, model, {key: series}, per, refit_every, gap, horizon, m,
                              False, errors == "raise", None if cov is None else {key: cov[key]},
                              coverage))
    logger.info("backtest: %d models x %d series x %d folds in %d tasks",
                len(named), len(panel), len(folds), len(tasks))

    outputs: list[TaskOutput] = []
    failures: list[dict[str, Any]] = []
    with _backend_context(backend, n_jobs) as jobs, _progress(len(tasks), verbose) as bar:
        parallel = joblib.Parallel(n_jobs=jobs, return_as="generator_unordered")
        gen = parallel(joblib.delayed(run_task)(t) for t in tasks)
        try:
            for out in gen:
                outputs.append(out)
                bar.update(1)
                if out.failures:
                    failures.extend(out.failures)
                    if errors == "raise":
                        break
                    for f in out.failures:
                        warnings.warn(
                            f"backtest: model {f['model']!r} failed on series {f['series']!r} "
                            f"fold {f['fold']}: {f['error']}", UserWarning, stacklevel=2,
                        )
        finally:
            close = getattr(gen, "close", None)
            if close is not None:
                with warnings.catch_warnings():  # "N tasks ... executed but not used"
                    warnings.filterwarnings("ignore", message=".*tasks", category=UserWarning)
                    close()  # cancels the tasks not yet started

    result = _assemble(outputs, failures, metric_items, m, reference, panel, list(named),
                       coverage)
    if failures and errors == "raise":
        f = failures[0]
        raise BacktestError(
            f"backtest failed: model {f['model']!r} on series {f['series']!r}, fold "
            f"{f['fold']}: {f['error']}. Finished work is in `exc.result`; pass "
            f"errors='warn' to record failures and continue.\n{f['traceback']}",
            result,
        )
    return result


def _assemble(outputs: list[TaskOutput], failures: list[dict[str, Any]], metrics: tuple,
              season_length: int, reference: str | None, panel: dict,
              model_names: list[str], coverage: float | None = None) -> BacktestResult:
    columns = PREDICTION_COLUMNS + (() if coverage is None else INTERVAL_COLUMNS)
    cols: dict[str, list[Any]] = {c: [] for c in columns}
    for out in outputs:
        for c in columns:
            for chunk in out.columns.get(c, []):
                cols[c].extend(chunk if not np.isscalar(chunk) else [chunk])
    frame = pd.DataFrame({c: pd.Series(v, dtype=_dtype(c)) for c, v in cols.items()})
    if len(frame):
        order = {n: i for i, n in enumerate(model_names)}
        sorter = {k: i for i, k in enumerate(panel)}
        frame = (
            frame.assign(_m=frame["model"].map(order), _s=frame["series"].map(sorter))
            .sort_values(["_m", "_s", "fold", "step"], kind="stable")
            .drop(columns=["_m", "_s"])
            .reset_index(drop=True)
        )
    fail = pd.DataFrame(failures, columns=["model", "series", "fold", "error", "traceback"])
    return BacktestResult(frame, fail, metrics, season_length, reference, panel, model_names,
                          coverage)


def _dtype(column: str) -> Any:
    return {
        "fold": "int64", "step": "int64", "y_true": "float64", "y_pred": "float64",
        "fit_seconds": "float64", "predict_seconds": "float64", "scale": "float64",
        "refit": "bool", "lower": "float64", "upper": "float64",
    }.get(column, "object")
