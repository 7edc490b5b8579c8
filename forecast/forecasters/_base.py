"""The series-level forecaster interface shared by baselines and neural models.

``fit(y, X=None)`` takes a Series (one target) or DataFrame (several targets)
indexed by a regular DatetimeIndex or an integer index; ``predict(horizon)``
returns pandas indexed by the future timestamps (or the continued integer index).
Subclasses implement ``_fit(values, X)`` and ``_predict(horizon, X)`` on numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._state import estimator_kept_on_error, state_kept_on_error
from .._validation import check_positive_int, check_series, describe, infer_freq

__all__ = ["BaseForecaster", "check_extendable", "estimator_kept_on_error", "future_index",
           "state_kept_on_error", "uses_covariates"]


def future_index(index: pd.Index, horizon: int) -> pd.Index:
    """The ``horizon`` index labels that follow ``index``.

    Parameters
    ----------
    index : pandas.Index
        A regular DatetimeIndex/PeriodIndex or an evenly spaced integer index.
    horizon : int
        Number of future steps.

    Returns
    -------
    pandas.Index

    Examples
    --------
    >>> future_index(pd.RangeIndex(10), 3).tolist()
    [10, 11, 12]
    """
    horizon = check_positive_int("horizon", horizon)
    if isinstance(index, pd.DatetimeIndex):
        freq = infer_freq(index)
        if freq is None:
            raise ValueError(
                "Cannot build future timestamps: the index has no regular frequency. "
                f"Received index ending {list(index[-3:].astype(str))}"
            )
        return pd.date_range(index[-1] + freq, periods=horizon, freq=freq, tz=index.tz,
                             name=index.name)
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(index[-1] + 1, periods=horizon, freq=index.freq, name=index.name)
    values = np.asarray(index, dtype=np.int64)
    step = int(values[1] - values[0]) if len(values) >= 2 else 1
    start = int(values[-1]) + step
    return pd.RangeIndex(start, start + step * horizon, step, name=index.name)


def check_extendable(name: str, index: pd.Index) -> None:
    """Raise at fit time if no future labels can follow ``index`` (a DatetimeIndex
    without ``freq`` and too short to infer one), rather than at every ``predict``.

    Examples
    --------
    >>> check_extendable("y", pd.date_range("2020", periods=2, freq="D"))
    """
    if isinstance(index, pd.DatetimeIndex) and infer_freq(index) is None:
        raise ValueError(
            f"`{name}` has {len(index)} timestamp(s) and no `freq`, so the forecast's "
            "timestamps cannot be built (a frequency is inferred from 3 or more). Set one, "
            f"e.g. {name} = {name}.asfreq('D'). Received index {list(index.astype(str))[:3]}"
        )


def uses_covariates(model: Any, method: str) -> bool:
    """Whether ``model.<method>`` (``"fit"``, ``"predict"`` or ``"update"``) uses ``X``.

    Forecasters of this package say so through ``_uses_covariates``: the statistical
    baselines use none, a ``NeuralForecaster`` uses them in ``fit``/``update`` and, with
    ``future_covariates``, in ``predict``. Other objects are assumed to use them.

    Examples
    --------
    >>> from forecast.forecasters import Naive
    >>> uses_covariates(Naive(), "fit")
    False
    """
    uses = getattr(model, "_uses_covariates", None)
    return True if uses is None else bool(uses(method))


class BaseForecaster(BaseEstimator):
    """Base class: validation, index bookkeeping and pandas output.

    Fitted attributes set here: ``cutoff_`` (last training label),
    ``index_`` (the training index), ``target_names_`` (``None`` for a Series,
    column names for a DataFrame), ``n_obs_``.

    A subclass implements ``_fit(values, X)`` and ``_predict(horizon, X)`` on
    NumPy arrays; ``fit`` and ``predict`` validate the input and restore the index.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> class MeanForecaster(BaseForecaster):
    ...     def _fit(self, values, X):
    ...         self.mean_ = float(np.mean(values))
    ...     def _predict(self, horizon, X):
    ...         return np.full(horizon, self.mean_)
    >>> y = pd.Series([1.0, 2.0, 6.0], index=pd.date_range("2024-01-01", periods=3, freq="D"))
    >>> f = MeanForecaster().fit(y)
    >>> f.cutoff_, f.n_obs_
    (Timestamp('2024-01-03 00:00:00'), 3)
    >>> f.predict(2).tolist()
    [3.0, 3.0]
    >>> str(f.predict(2).index[0].date())
    '2024-01-04'
    """

    #: minimum number of observations the model needs (subclasses may override)
    _min_obs: int = 1
    #: whether the model accepts several target columns
    _multivariate: bool = False
    def _uses_covariates(self, method: str) -> bool:
        """Whether ``method`` (``"fit"``, ``"predict"`` or ``"update"``) uses ``X``:
        never for the statistical baselines (a subclass that takes covariates says so)."""
        return False

    def _reject_covariates(self, X: Any) -> None:
        if X is not None:
            raise ValueError(
                f"{type(self).__name__} takes no covariates, so `X` would be ignored: fit and "
                "predict it without `X` (NeuralForecaster takes past and future covariates). "
                f"Received: X={describe(X)}"
            )

    # -- public API ---------------------------------------------------------------
    def fit(self, y: Any, X: Any = None) -> BaseForecaster:
        """Fit to the series ``y`` (and covariates ``X`` where supported).

        Parameters
        ----------
        y : pandas.Series, pandas.DataFrame or array-like of shape (n,) or (n, k)
        X : None
            Covariates; the statistical baselines take none and raise a ValueError
            when ``X`` is given rather than ignore it.

        Returns
        -------
        self
            A failed fit leaves the model as it was (fitted or not).
        """
        with state_kept_on_error(self):
            return self._fit_series(y, X)

    def _fit_series(self, y: Any, X: Any) -> BaseForecaster:
        self._reject_covariates(X)
        data = check_series("y", y, min_length=self._min_length())
        if isinstance(data, pd.DataFrame):
            if data.shape[1] == 1:
                target_names: list | None = None
                single_name = data.columns[0]
                values = data.iloc[:, 0].to_numpy(dtype=float, copy=True)
            elif not self._multivariate:
                raise ValueError(
                    f"{type(self).__name__} forecasts one series; `y` has {data.shape[1]} "
                    f"columns {list(data.columns)[:5]}. Pass a Series or fit one model per column."
                )
            else:
                target_names = list(data.columns)
                single_name = None
                values = data.to_numpy(dtype=float, copy=True)
        else:
            target_names = None
            single_name = data.name
            values = data.to_numpy(dtype=float, copy=True)
        check_extendable("y", data.index)
        self.index_ = data.index.copy()
        self.cutoff_ = data.index[-1]
        self.n_obs_ = len(data)
        self.target_names_ = target_names
        self.name_ = single_name
        self._fit(values, X)
        return self

    def predict(self, horizon: int | None = None, X: Any = None) -> pd.Series | pd.DataFrame:
        """Forecast the ``horizon`` steps after the end of the training series.

        Parameters
        ----------
        horizon : int, optional
            Steps to forecast (defaults to the model's ``horizon`` where it has one).
        X : None
            The statistical baselines take no covariates (a ValueError otherwise).

        Returns
        -------
        pandas.Series or pandas.DataFrame
            Indexed by the future timestamps (or the continued integer index).
        """
        check_is_fitted(self, "cutoff_")
        self._reject_covariates(X)
        horizon = self._resolve_horizon(horizon)
        values = np.asarray(self._predict(horizon, X), dtype=float)
        return self._wrap(values, horizon)

    # -- helpers for subclasses ------------------------------------------------------
    def _min_length(self) -> int:
        return self._min_obs

    def _resolve_horizon(self, horizon: int | None) -> int:
        if horizon is None:
            horizon = getattr(self, "horizon", None)
            if horizon is None:
                raise ValueError("`horizon` must be given. Received: horizon=None")
        return check_positive_int("horizon", horizon)

    def _wrap(self, values: np.ndarray, horizon: int) -> pd.Series | pd.DataFrame:
        index = future_index(self.index_, horizon)
        if self.target_names_ is None:
            return pd.Series(values.reshape(horizon), index=index, name=self.name_)
        return pd.DataFrame(values.reshape(horizon, -1), index=index, columns=self.target_names_)

    # -- to implement ---------------------------------------------------------------
    def _fit(self, values: np.ndarray, X: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _predict(self, horizon: int, X: Any) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError
