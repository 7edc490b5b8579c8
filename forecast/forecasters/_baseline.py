"""Shared machinery of the statistical baselines (private).

``StatsForecaster`` adds to ``BaseForecaster``: validation of ``season_length``, the
optional M4 seasonal adjustment, silencing of statsmodels warnings and a
``predict_interval`` for every subclass, which defines ``_interval``.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.utils.validation import check_is_fitted

from .._validation import check_fraction, check_positive_int
from ._base import BaseForecaster, future_index
from ._seasonality import SeasonalAdjustment

__all__ = ["StatsForecaster", "quiet", "normal_quantile", "is_constant", "unit_scale"]


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence warnings (statsmodels ConvergenceWarning and friends) and numpy floating errors."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def is_constant(values: np.ndarray) -> bool:
    """Constant up to rounding (a seasonally adjusted periodic series keeps ~1e-16 of
    spread, on which statsmodels' fits and tests break), relative to the values' size:
    a series in units of 1e-9 is not constant."""
    return bool(np.ptp(values) <= 1e-12 * float(np.abs(values).max()))


def _spread(x: np.ndarray) -> float:
    """Standard deviation of ``x`` without overflow (0.0 for fewer than 2 distinct values)."""
    if x.size < 2 or np.ptp(x) == 0:
        return 0.0
    peak = float(np.abs(x).max())
    return float(np.std(x / peak)) * peak


def unit_scale(values: np.ndarray) -> float:
    """The unit a model is fitted in, so that its fit does not depend on the data's unit:
    the standard deviation of the one-step changes; that of the values when the changes
    are constant up to rounding (a line, whose steps of 0.1 keep ~1e-17 of spread); 1.0
    for a constant series or one whose spread overflows."""
    scale = _spread(np.diff(values))
    if scale <= 1e-12 * float(np.abs(values).max()):
        scale = _spread(values)
    return scale if np.isfinite(scale) and scale > 0 else 1.0


def normal_quantile(coverage: float) -> float:
    """Two-sided standard normal quantile for a central interval of ``coverage``."""
    return float(norm.ppf(0.5 + coverage / 2.0))


class StatsForecaster(BaseForecaster):
    """Base of the statistical baselines.

    Subclasses set ``_seasonal_adjust = True`` to fit on the M4 seasonally adjusted
    series (``fit_adjusted(values)``/``predict_adjusted(h)``), and implement
    ``_interval(horizon, z) -> (lower, upper)`` on the adjusted scale.
    """

    _seasonal_adjust: bool = False

    def _check_season_length(self) -> int:
        return check_positive_int("season_length", getattr(self, "season_length", 1))

    def _fit(self, values: np.ndarray, X: Any) -> None:
        m = self._check_season_length()
        if self._seasonal_adjust:
            self.seasonal_adjustment_ = SeasonalAdjustment.fit(values, m)
            self.seasonal_ = self.seasonal_adjustment_.kind is not None
            values = self.seasonal_adjustment_.adjust(values)
        with quiet():
            self._fit_adjusted(values)

    def _predict(self, horizon: int, X: Any) -> np.ndarray:
        with quiet():
            forecast = np.asarray(self._predict_adjusted(horizon), dtype=float)
        if self._seasonal_adjust:
            forecast = self.seasonal_adjustment_.reseasonalize(forecast)
        return forecast

    def predict_interval(self, horizon: int | None = None, coverage: float = 0.9) -> pd.DataFrame:
        """Central prediction interval of the ``horizon`` steps after the cutoff.

        Each model's interval (computed on the M4 seasonally adjusted series when
        ``season_length > 1``, then reseasonalised like the point forecast):

        * Naive, Naive2, Drift, Mean: normal, with the method's textbook standard
          deviation from its one-step residuals (Hyndman & Athanasopoulos, FPP3 5.5);
          SeasonalNaive: ``sigma * sqrt(k + 1)``, ``k = (h - 1) // m``.
        * SES, Holt, DampedHolt: normal, from their additive-error ETS state space,
          variance ``sigma^2 (1 + sum_{j<h} c_j^2)`` with ``c_j = w' F^(j-1) g``
          (Hyndman, Koehler, Ord and Snyder 2008, ch. 6): ``alpha`` for SES,
          ``alpha + beta j`` for Holt and ``alpha + beta (phi + ... + phi^j)`` for the
          damped trend, ``beta = alpha * beta*`` (statsmodels' ``smoothing_trend``).
        * Theta: SES with drift (Hyndman & Billah 2003), standard deviation
          ``sigma_ * sqrt(1 + (h - 1) alpha_^2)`` (R's ``forecast::thetaf`` formula)
          with Theta's own one-step residuals; the fitted line's uncertainty is left
          out; clipped at 0 like the point forecast.
        * ETS: statsmodels' (analytic, or simulated with ``random_state`` for
          multiplicative models); ARIMA: statsmodels' ``get_forecast``.

        Parameters
        ----------
        horizon : int, optional
            Number of steps (default: the ``horizon`` parameter where the model has
            one; the baselines have none, so give it).
        coverage : float, default=0.9
            Nominal coverage, in (0, 1).

        Returns
        -------
        pandas.DataFrame
            Shape ``(horizon, 2)``: columns ``lower`` and ``upper``, indexed like
            :meth:`predict`.

        Examples
        --------
        >>> from forecast.forecasters import SES, Theta
        >>> SES().fit([1.0, 2.0, 1.5, 2.5, 2.0]).predict_interval(2).shape
        (2, 2)
        >>> band = Theta().fit([3.0, 4.0, 3.5, 5.0, 4.5, 6.0]).predict_interval(2)
        >>> bool((band["upper"] > band["lower"]).all())
        True
        """
        check_is_fitted(self, "cutoff_")
        horizon = self._resolve_horizon(horizon)
        coverage = check_fraction("coverage", coverage, low_inclusive=False)
        with quiet():
            lower, upper = self._interval(horizon, coverage)
        bounds = np.column_stack([lower, upper]).astype(float)
        if self._seasonal_adjust:
            bounds = self.seasonal_adjustment_.reseasonalize(bounds)
        return pd.DataFrame(
            bounds, index=future_index(self.index_, horizon), columns=["lower", "upper"]
        )

    # -- to implement ---------------------------------------------------------------
    def _fit_adjusted(self, values: np.ndarray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _predict_adjusted(self, horizon: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _interval(
        self, horizon: int, coverage: float
    ) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError
