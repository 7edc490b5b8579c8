"""The argument checks of :func:`~forecast.model_selection.backtest`: models, panel,
metrics, refit, season length, parallel settings and global models, each raising a
TypeError or ValueError that names the argument before any model is fitted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_series, describe
from ._result import METRIC_NAMES

__all__ = ["check_models", "check_panel", "check_metrics", "check_refit", "season_length_of",
           "check_parallel", "check_global_models"]


def check_models(models: Any) -> dict[str, Any]:
    if isinstance(models, Mapping):
        named = dict(models)
    elif isinstance(models, type):
        raise TypeError(
            f"`models` must be a forecaster instance, not the class {models.__name__}: "
            f"write {models.__name__}(...). Received: models={models!r}"
        )
    elif isinstance(models, Iterable) and not isinstance(models, str | bytes):
        items = list(models)
        for i, m in enumerate(items):
            if isinstance(m, type):
                raise TypeError(
                    f"`models[{i}]` must be a forecaster instance, not the class "
                    f"{m.__name__}: write {m.__name__}(...). Received: {m!r}"
                )
        counts = Counter(type(m).__name__ for m in items)
        seen: Counter[str] = Counter()
        named = {}
        for m in items:
            base = type(m).__name__
            seen[base] += 1
            named[base if counts[base] == 1 else f"{base}_{seen[base]}"] = m
    elif hasattr(models, "fit") and hasattr(models, "predict"):
        named = {type(models).__name__: models}
    else:
        raise TypeError(
            "`models` must be a dict {name: forecaster}, a list of forecasters or one "
            f"forecaster. Received: models={describe(models)}"
        )
    if not named:
        raise ValueError(
            f"`models` must contain at least one forecaster. Received: models={models!r}"
        )
    for name, m in named.items():
        if not isinstance(name, str):
            raise TypeError(f"`models` keys must be strings. Received key {name!r}")
        if isinstance(m, type):
            raise TypeError(
                f"`models[{name!r}]` must be a forecaster instance, not the class "
                f"{m.__name__}: write {m.__name__}(...). Received: {m!r}"
            )
        if not (hasattr(m, "fit") and hasattr(m, "predict") and hasattr(m, "get_params")):
            raise TypeError(
                f"`models[{name!r}]` must be a forecaster with fit, predict and get_params "
                f"(a BaseForecaster). Received: {describe(m)}"
            )
    return named


def check_panel(y: Any) -> dict[Any, pd.Series]:
    if isinstance(y, Mapping):
        if not y:
            raise ValueError("`y` is an empty panel. Received: y={}")
        items = list(y.items())
    elif isinstance(y, pd.DataFrame):
        if y.shape[1] == 0:
            raise ValueError("`y` has no columns. Received: y=DataFrame with 0 columns")
        items = [(c, y[c]) for c in y.columns]
    elif isinstance(y, pd.Series):
        items = [(y.name if y.name is not None else "y", y)]
    else:
        items = [("y", y)]
    panel = {}
    for key, s in items:
        data = check_series("y" if len(items) == 1 else f"y[{key!r}]", s, require_freq=False)
        if isinstance(data, pd.DataFrame):
            if data.shape[1] != 1:
                raise ValueError(
                    f"`y[{key!r}]` must be one series. Received a DataFrame with "
                    f"{data.shape[1]} columns"
                )
            data = data.iloc[:, 0]
        panel[key] = data
    return panel


def check_metrics(metrics: Any) -> tuple[Any, ...]:
    if isinstance(metrics, str) or callable(metrics):
        metrics = (metrics,)
    try:
        items = tuple(metrics)
    except TypeError:
        raise TypeError(
            f"`metrics` must be a metric name, a callable or a sequence of them. "
            f"Received: metrics={describe(metrics)}"
        ) from None
    if not items:
        raise ValueError(f"`metrics` must name at least one metric. Received: metrics={metrics!r}")
    out = []
    for m in items:
        if isinstance(m, str):
            if m.lower() not in METRIC_NAMES:
                raise ValueError(
                    f"`metrics` has an unknown metric {m!r}; use callables or names in "
                    f"{list(METRIC_NAMES)}. Received: metrics={metrics!r}"
                )
            out.append(m.lower())
        elif callable(m):
            out.append(m)
        else:
            raise TypeError(
                f"`metrics` items must be names or callables. Received: {describe(m)}"
            )
    names = Counter(m if isinstance(m, str) else getattr(m, "__name__", "metric") for m in out)
    duplicates = [n for n, c in names.items() if c > 1]
    if duplicates:
        raise ValueError(
            f"`metrics` has more than one metric named {duplicates[0]!r} (each is a column "
            f"of the scores); give each callable a distinct __name__ (a def instead of a "
            f"lambda). Received: metrics={describe(metrics)}"
        )
    return tuple(out)


def check_refit(refit: Any) -> int:
    if isinstance(refit, bool | np.bool_):
        return 1 if refit else 0
    if isinstance(refit, int | np.integer) and refit >= 1:
        return int(refit)
    raise ValueError(
        f"`refit` must be True, False or a positive integer (refit every k folds). "
        f"Received: refit={refit!r}"
    )


def _model_season_lengths(model: Any) -> dict[str, int]:
    """Season lengths > 1 of a model and of the forecasters nested in it.

    Parameters
    ----------
    model : forecaster
        A forecaster with ``get_params`` (a wrapper such as ``ConformalIntervals``
        or ``EnsembleForecaster`` included).

    Returns
    -------
    dict of str to int
        ``{parameter: season length}`` for every integer parameter ``season_length``
        or ``*__season_length`` of ``model.get_params(deep=True)`` above 1.
    """
    return {
        key: int(value)
        for key, value in model.get_params(deep=True).items()
        if (key == "season_length" or key.endswith("__season_length"))
        and isinstance(value, int | np.integer) and not isinstance(value, bool) and value > 1
    }


def season_length_of(models: dict[str, Any], season_length: Any) -> int:
    """The season length of the MASE scale and of the Naive2 reference.

    Parameters
    ----------
    models : dict of str to forecaster
        The named models.
    season_length : int or None
        The user's value; ``None`` takes the one season length > 1 found among the
        models' parameters, nested forecasters' included (else 1).

    Returns
    -------
    int
        The season length.

    Raises
    ------
    ValueError
        If `season_length` is not a positive integer or None, or it is None and the
        models (or the forecasters nested in one) disagree on the season length.
    """
    if season_length is not None:
        if isinstance(season_length, bool) or not isinstance(season_length, int | np.integer) \
                or season_length < 1:
            raise ValueError(
                f"`season_length` must be a positive integer or None. "
                f"Received: season_length={season_length!r}"
            )
        return int(season_length)
    per_model = {name: _model_season_lengths(m) for name, m in models.items()}
    found = {v for lengths in per_model.values() for v in lengths.values()}
    if len(found) > 1:
        detail = "; ".join(
            f"{name!r} has " + ", ".join(f"{k}={v}" for k, v in lengths.items())
            for name, lengths in per_model.items() if lengths
        )
        raise ValueError(
            f"The models disagree on season_length ({sorted(found)}): {detail}. Pass "
            f"`season_length=` explicitly (the one MASE and the Naive2 reference should "
            f"use). Received: season_length=None"
        )
    return found.pop() if found else 1


def _backend_names() -> list[str]:
    """Backend names joblib accepts now (registered ones included), plus ``"ray"``."""
    from joblib import parallel

    names = set(getattr(parallel, "BACKENDS", {})) | set(getattr(parallel, "EXTERNAL_BACKENDS", {}))
    return sorted(names | {"ray"})


def check_parallel(n_jobs: Any, backend: Any, verbose: Any) -> None:
    """Check the ``n_jobs``, ``backend`` and ``verbose`` arguments of :func:`backtest`.

    Parameters
    ----------
    n_jobs : Any
        ``None`` or a non-zero integer.
    backend : Any
        ``None`` or the name of a joblib backend (``"ray"`` included).
    verbose : Any
        An integer or a bool.

    Raises
    ------
    TypeError
        If `n_jobs` is not an integer or None, `backend` not a string or None, or
        `verbose` not an integer or a bool.
    ValueError
        If `n_jobs` is 0 or `backend` is not a known backend name.
    """
    if n_jobs is not None:
        if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer):
            raise TypeError(
                f"`n_jobs` must be a non-zero integer or None. Received: n_jobs={describe(n_jobs)}"
            )
        if n_jobs == 0:
            raise ValueError(
                f"`n_jobs` must be a non-zero integer or None (-1: all cores). "
                f"Received: n_jobs={n_jobs!r}"
            )
    if backend is not None:
        if not isinstance(backend, str):
            raise TypeError(
                f"`backend` must be a joblib backend name. Received: backend={backend!r}"
            )
        names = _backend_names()
        if backend not in names:
            raise ValueError(
                f"`backend` must be one of {names} (or a name registered with "
                f"joblib.register_parallel_backend). Received: backend={backend!r}"
            )
    if not isinstance(verbose, int | np.integer | np.bool_):
        raise TypeError(
            f"`verbose` must be an integer or a bool. Received: verbose={describe(verbose)}"
        )


def check_global_models(global_models: Any, named: dict[str, Any]) -> set[str]:
    """The names in ``global_models``, checked against the model names.

    Parameters
    ----------
    global_models : Any
        ``None`` or an iterable of model names.
    named : dict of str to forecaster
        The named models.

    Returns
    -------
    set of str
        The names of the global models (empty for ``None``).

    Raises
    ------
    TypeError
        If `global_models` is a string or not an iterable.
    ValueError
        If `global_models` names a model that is not in `named`.
    """
    if global_models is None:
        return set()
    if isinstance(global_models, str | bytes):
        raise TypeError(
            f"`global_models` must be a list of model names, not a string: write "
            f"global_models=[{global_models!r}]. Received: global_models={global_models!r}"
        )
    try:
        glob = set(global_models)
    except TypeError:
        raise TypeError(
            f"`global_models` must be a list of model names. "
            f"Received: global_models={describe(global_models)}"
        ) from None
    unknown = sorted(glob - set(named))
    if unknown:
        raise ValueError(
            f"`global_models` names unknown models {unknown}; models are {list(named)}. "
            f"Received: global_models={global_models!r}"
        )
    return glob
