"""Shared machinery of the statistical baselines (private).

``StatsForecaster`` adds to ``BaseForecaster``: validation of ``season_length``, the
optional M4 seasonal adjustment, silencing of statsmodels warnings and a
``predict_interval`` helper for subclasses that define ``_predict_interval``.
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

__all__ = ["StatsForecaster", "quiet", "normal_quantile"]


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence warnings (statsmodels ConvergenceWarning and friends) and numpy floating errors."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def normal_quantile(coverage: float) -> float:
    """Two-sided standard normal quantile for a central interval of ``coverage``."""
    return float(norm.ppf(0.5 + coverage / 2.0))


class StatsForecaster(BaseForecaster):
    """Base of the statistical baselines.

    Subclasses set ``_seasonal_adjust = True`` to fit on the M4 seasonally adjusted
    series (``fit_adjusted(values)``/``predict_adjusted(h)``), and may implement
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

    def _interval_frame(self, horizon: int | None, coverage: float) -> pd.DataFrame:
        check_is_fitted(self, "cutoff_")
        horizon = self._resolve_horizon(horizon)
        coverage = check_fraction("coverage", coverage, low=0.0, high=1.0)
        if coverage == 0.0:
            raise ValueError(f"`coverage` must be in (0, 1). Received: coverage={coverage!r}")
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
