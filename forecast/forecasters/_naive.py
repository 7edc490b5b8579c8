"""Naive family: Naive, SeasonalNaive, Drift, Mean and M4's Naive2.

Point forecasts follow the M4 reference code; prediction intervals are the
analytic normal intervals of Hyndman & Athanasopoulos, *Forecasting: Principles
and Practice* (3rd ed., section 5.5), with the residual standard deviation
estimated on the training series.
"""

from __future__ import annotations

import numpy as np

from ._baseline import StatsForecaster, normal_quantile

__all__ = ["Naive", "Naive2", "SeasonalNaive", "Drift", "Mean"]


def _need(n: int, k: int, what: str) -> None:
    if n < k:
        raise ValueError(
            f"{what} needs at least {k} training observations. Received: a series of length {n}"
        )


class _AdjustedBaseline(StatsForecaster):
    """Naive-family model on the M4 seasonally adjusted series (when ``season_length > 1``)."""

    _seasonal_adjust = True

    def _interval(self, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        center = self._predict_adjusted(horizon)
        half = normal_quantile(coverage) * self._sd(np.arange(1, horizon + 1))
        return center - half, center + half


class Naive(_AdjustedBaseline):
    """Random-walk forecast: repeat the last observation (M4 "Naive1").

    With ``season_length > 1`` the M4 seasonal adjustment is applied first, which
    makes it identical to :class:`Naive2`.

    Parameters
    ----------
    season_length : int, default=1
        Seasonal period ``m``.

    Attributes
    ----------
    last_ : float
        Last (seasonally adjusted) observation.
    seasonal_ : bool
        Whether the M4 test found seasonality (always False for ``m == 1``).
    seasonal_adjustment_ : SeasonalAdjustment
        The adjustment used (``kind`` None, "multiplicative" or "additive").

    Examples
    --------
    >>> from forecast.forecasters import Naive
    >>> Naive().fit([1.0, 2.0, 3.0]).predict(2).tolist()
    [3.0, 3.0]
    """

    def __init__(self, season_length: int = 1) -> None:
        self.season_length = season_length

    def _fit_adjusted(self, values: np.ndarray) -> None:
        self.last_ = float(values[-1])
        diffs = np.diff(values)
        self.sigma_ = float(np.sqrt(np.mean(diffs**2))) if len(diffs) else np.nan

    def _predict_adjusted(self, horizon: int) -> np.ndarray:
        return np.full(horizon, self.last_)

    def _sd(self, h: np.ndarray) -> np.ndarray:
        _need(self.n_obs_, 2, f"{type(self).__name__}.predict_interval")
        return self.sigma_ * np.sqrt(h)


class Naive2(Naive):
    """M4's Naive2: naive forecast of the seasonally adjusted series.

    If ``m > 1`` and ``n >= 3m`` and the lag-``m`` autocorrelation passes the 90 %
    test ``|r_m| > 1.645 sqrt((1 + 2 sum_{k<m} r_k^2) / n)``, the series is divided
    by the seasonal indices of a classical multiplicative decomposition, forecast
    with the naive method, and multiplied by the last ``m`` indices. Otherwise it
    is the plain naive forecast. Documented fallback: a seasonal series with
    values <= 0 uses an additive decomposition instead (M4 data are positive).

    Parameters
    ----------
    season_length : int, default=1
        Seasonal period ``m`` (24 for M4 Hourly, 12 monthly, 4 quarterly).

    Attributes
    ----------
    seasonal_ : bool
    seasonal_adjustment_ : SeasonalAdjustment

    Examples
    --------
    >>> import numpy as np
    >>> from forecast.forecasters import Naive2
    >>> t = np.arange(96)
    >>> y = 10 + 3 * np.sin(2 * np.pi * t / 24)
    >>> model = Naive2(season_length=24).fit(y)
    >>> model.seasonal_
    True
    >>> model.predict(48).shape
    (48,)
    """


class SeasonalNaive(StatsForecaster):
    """Repeat the last season: ``f_{n+h} = y_{n+h-m(k+1)}``, ``k = (h-1) // m``.

    Needs at least ``season_length`` observations (``ValueError`` otherwise).

    Parameters
    ----------
    season_length : int, default=1
        Seasonal period ``m`` (``m = 1`` is the naive forecast).

    Attributes
    ----------
    last_season_ : numpy.ndarray of shape (m,)

    Examples
    --------
    >>> from forecast.forecasters import SeasonalNaive
    >>> SeasonalNaive(season_length=2).fit([1.0, 2.0, 3.0, 4.0]).predict(3).tolist()
    [3.0, 4.0, 3.0]
    """

    def __init__(self, season_length: int = 1) -> None:
        self.season_length = season_length

    def _fit_adjusted(self, values: np.ndarray) -> None:
        m = self.season_length
        if len(values) < m:
            raise ValueError(
                f"SeasonalNaive needs at least season_length={m} observations. "
                f"Received: a series of length {len(values)}"
            )
        self.last_season_ = values[-m:].copy()
        diffs = values[m:] - values[:-m]
        self.sigma_ = float(np.sqrt(np.mean(diffs**2))) if len(diffs) else np.nan

    def _predict_adjusted(self, horizon: int) -> np.ndarray:
        return np.resize(self.last_season_, horizon)

    def _interval(self, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        _need(self.n_obs_, self.season_length + 1, "SeasonalNaive.predict_interval")
        center = self._predict_adjusted(horizon)
        k = (np.arange(1, horizon + 1) - 1) // self.season_length
        half = normal_quantile(coverage) * self.sigma_ * np.sqrt(k + 1)
        return center - half, center + half


class Drift(_AdjustedBaseline):
    """Random walk with drift: the line through the first and last observation.

    ``f_{n+h} = y_n + h (y_n - y_1) / (n - 1)``. With ``season_length > 1`` the M4
    seasonal adjustment is applied first. Needs at least 2 observations.

    Parameters
    ----------
    season_length : int, default=1

    Attributes
    ----------
    slope_ : float

    Examples
    --------
    >>> from forecast.forecasters import Drift
    >>> Drift().fit([1.0, 2.0, 3.0]).predict(2).tolist()
    [4.0, 5.0]
    """

    _min_obs = 2

    def __init__(self, season_length: int = 1) -> None:
        self.season_length = season_length

    def _fit_adjusted(self, values: np.ndarray) -> None:
        n = len(values)
        self.last_ = float(values[-1])
        self.slope_ = float((values[-1] - values[0]) / (n - 1))
        resid = np.diff(values) - self.slope_
        self.sigma_ = float(np.sqrt(np.sum(resid**2) / (n - 2))) if n > 2 else np.nan

    def _predict_adjusted(self, horizon: int) -> np.ndarray:
        return self.last_ + self.slope_ * np.arange(1, horizon + 1)

    def _sd(self, h: np.ndarray) -> np.ndarray:
        _need(self.n_obs_, 3, "Drift.predict_interval")
        return self.sigma_ * np.sqrt(h * (1.0 + h / (self.n_obs_ - 1)))


class Mean(_AdjustedBaseline):
    """Forecast the mean of the training series.

    With ``season_length > 1`` the M4 seasonal adjustment is applied first.

    Parameters
    ----------
    season_length : int, default=1

    Attributes
    ----------
    mean_ : float

    Examples
    --------
    >>> from forecast.forecasters import Mean
    >>> Mean().fit([1.0, 2.0, 6.0]).predict(2).tolist()
    [3.0, 3.0]
    """

    def __init__(self, season_length: int = 1) -> None:
        self.season_length = season_length

    def _fit_adjusted(self, values: np.ndarray) -> None:
        self.mean_ = float(np.mean(values))
        self.sigma_ = float(np.std(values, ddof=1)) if len(values) > 1 else np.nan

    def _predict_adjusted(self, horizon: int) -> np.ndarray:
        return np.full(horizon, self.mean_)

    def _sd(self, h: np.ndarray) -> np.ndarray:
        _need(self.n_obs_, 2, "Mean.predict_interval")
        return np.full(len(h), self.sigma_ * np.sqrt(1.0 + 1.0 / self.n_obs_))
