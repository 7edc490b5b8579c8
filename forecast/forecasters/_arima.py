"""ARIMA with a fixed order or a fast automatic order search (statsmodels)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from statsmodels.tsa.arima.model import ARIMA as _SMARIMA
from statsmodels.tsa.stattools import kpss

from .._validation import check_non_negative_int, describe
from ._baseline import StatsForecaster, is_constant, quiet, unit_scale

__all__ = ["ARIMA"]


def _check_order(name: str, value: Any, size: int) -> tuple[int, ...]:
    if not isinstance(value, tuple | list) or len(value) != size:
        raise TypeError(
            f"`{name}` must be a tuple of {size} non-negative integers. "
            f"Received: {name}={describe(value)}"
        )
    return tuple(check_non_negative_int(f"{name}[{i}]", v) for i, v in enumerate(value))


def _ndiffs(x: np.ndarray, max_d: int) -> int:
    """Number of differences by repeated KPSS tests at the 5 % level (as auto.arima)."""
    d = 0
    while d < max_d and len(x) > 3 and not is_constant(x):
        with quiet():
            pvalue = kpss(x, regression="c", nlags="auto")[1]
        if pvalue >= 0.05:
            break
        x = np.diff(x)
        d += 1
    return d


class ARIMA(StatsForecaster):
    """ARIMA / SARIMA baseline wrapping ``statsmodels.tsa.arima.model.ARIMA``.

    * ``order`` given: that model is fit by maximum likelihood, with a constant
      when no differencing is applied (``seasonal_order`` adds a seasonal part of
      period ``season_length``; ``None`` means none).
    * ``order=None`` (default): automatic search. The number of differences ``d``
      comes from repeated KPSS tests (5 %, at most ``max_d``); a mean (``d = 0``)
      or a drift (``d = 1``, kept when significant at 5 %) is removed first; every
      ARMA(p, q) with ``p <= max_p``, ``q <= max_q`` is estimated quickly by
      Hannan-Rissanen on the differenced series and ranked by AICc (as
      ``auto.arima``'s approximation for long series); the best is refit by
      maximum likelihood.

    Seasonality: when ``season_length > 1`` and no ``seasonal_order`` is given,
    the M4 seasonal adjustment (see :class:`~forecast.forecasters.Naive2`) is
    applied first and forecasts are reseasonalised; this is much faster than a
    seasonal ARIMA with long periods (e.g. 24). Pass ``seasonal_order`` for a
    true SARIMA. A constant series forecasts its constant.

    The model is fitted to the series divided by ``scale_`` (the standard deviation
    of its one-step changes), so the selected order and the forecasts do not depend
    on the unit of the data (dollars or thousands of dollars).

    Parameters
    ----------
    order : tuple (p, d, q) or None, default=None
    seasonal_order : tuple (P, D, Q) or None, default=None
        Seasonal part of period ``season_length``; requires ``order``.
    season_length : int, default=1
    max_p, max_q : int, default=2
        Search bounds of the automatic search.
    max_d : int, default=2

    Attributes
    ----------
    model_ : statsmodels ARIMAResults or None
        Fitted on the (seasonally adjusted) series divided by ``scale_``, after its
        mean or drift is removed.
    scale_ : float
        The unit the model is fitted in (1.0 for a constant series).
    order_ : tuple
        The (selected) non-seasonal order.
    aicc_ : dict
        Approximate AICc of each searched order (automatic search only).

    Examples
    --------
    >>> import numpy as np
    >>> from forecast.forecasters import ARIMA
    >>> rng = np.random.default_rng(0)
    >>> y = np.cumsum(rng.normal(size=200)) + 50
    >>> model = ARIMA().fit(y)
    >>> model.order_[1]
    1
    >>> model.predict_interval(5, coverage=0.8).shape
    (5, 2)
    """

    _min_obs = 5

    def __init__(
        self,
        order: tuple[int, int, int] | None = None,
        seasonal_order: tuple[int, int, int] | None = None,
        season_length: int = 1,
        *,
        max_p: int = 2,
        max_q: int = 2,
        max_d: int = 2,
    ) -> None:
        self.order = order
        self.seasonal_order = seasonal_order
        self.season_length = season_length
        self.max_p = max_p
        self.max_q = max_q
        self.max_d = max_d

    @property
    def _seasonal_adjust(self) -> bool:  # type: ignore[override]
        return self.seasonal_order is None

    def _fit_adjusted(self, values: np.ndarray) -> None:
        m = self._check_season_length()
        order = None if self.order is None else _check_order("order", self.order, 3)
        seasonal = None
        if self.seasonal_order is not None:
            seasonal = _check_order("seasonal_order", self.seasonal_order, 3)
            if order is None or m < 2:
                raise ValueError(
                    "`seasonal_order` needs a fixed `order` and season_length >= 2. "
                    f"Received: order={self.order!r}, season_length={m}"
                )
        max_p = check_non_negative_int("max_p", self.max_p)
        max_q = check_non_negative_int("max_q", self.max_q)
        max_d = check_non_negative_int("max_d", self.max_d)
        self.aicc_: dict[tuple[int, int, int], float] = {}
        self.drift_, self.offset_ = 0.0, 0.0
        self.scale_ = 1.0
        if is_constant(values):
            self.model_, self.order_, self.constant_ = None, (0, 0, 0), float(values.mean())
            return
        # statsmodels' estimates depend on the unit (sales in dollars or in thousands
        # chose different orders, and values ~1e160 overflowed): fit in units of the
        # one-step changes' standard deviation, and scale the forecasts back
        self.scale_ = unit_scale(values)
        values = values / self.scale_
        try:
            if order is not None:
                self.order_ = order
                self.model_ = self._fit_fixed(values, order, seasonal, m)
            else:
                self.model_ = self._search(values, max_p, max_d, max_q)
        except (ValueError, OverflowError, np.linalg.LinAlgError) as exc:
            raise ValueError(
                f"ARIMA could not be fit to this series (length {len(values)}, "
                f"order={self.order!r}): {exc}"
            ) from None

    def _fit_fixed(self, values, order, seasonal, m):
        total_d = order[1] + (seasonal[1] if seasonal else 0)
        return _SMARIMA(
            values,
            order=order,
            seasonal_order=(*seasonal, m) if seasonal else (0, 0, 0, 0),
            trend="c" if total_d == 0 else "n",
        ).fit()

    def _search(self, values: np.ndarray, max_p: int, max_d: int, max_q: int):
        n = len(values)
        d = _ndiffs(values, max_d)
        t = np.arange(1, n + 1, dtype=float)
        if d == 0:
            self.offset_ = float(values.mean())
        elif d == 1:
            w = np.diff(values)
            mu = float(w.mean())
            se = float(w.std(ddof=1)) / np.sqrt(len(w)) if len(w) > 1 else np.inf
            self.drift_ = mu if abs(mu) > 1.96 * se else 0.0
        y = values - self.offset_ - self.drift_ * t
        if np.ptp(y) <= 1e-12 * max(1.0, float(np.abs(values).max())):
            # deterministic (constant or exactly linear) series: no noise left to model
            self.order_, self.constant_ = (0, d, 0), float(y[-1])
            return None
        w = np.diff(y, n=d) if d else y
        best, best_aicc = None, np.inf
        for p, q in itertools.product(range(max_p + 1), range(max_q + 1)):
            if p + q + 2 >= len(w) - 1:
                continue
            try:
                res = _SMARIMA(w, order=(p, 0, q), trend="n").fit(method="hannan_rissanen")
            except (ValueError, np.linalg.LinAlgError):
                continue
            aicc = float(res.aicc)
            if np.isfinite(aicc):
                self.aicc_[(p, d, q)] = aicc
                if aicc < best_aicc:
                    best, best_aicc = (p, q, res.params), aicc
        if best is None:
            best = (0, 0, None)
        p, q, start = best
        self.order_ = (p, d, q)
        model = _SMARIMA(y, order=self.order_, trend="n")
        try:
            return model.fit(start_params=start)
        except (ValueError, np.linalg.LinAlgError):
            return model.fit()

    def _level(self, horizon: int) -> np.ndarray:
        t = np.arange(self.n_obs_ + 1, self.n_obs_ + horizon + 1, dtype=float)
        return self.offset_ + self.drift_ * t

    def _predict_adjusted(self, horizon: int) -> np.ndarray:
        if self.model_ is None:
            center = np.full(horizon, self.constant_) + self._level(horizon)
        else:
            center = np.asarray(self.model_.forecast(horizon), dtype=float) + self._level(
                horizon)
        return center * self.scale_

    def _interval(self, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        if self.model_ is None:
            center = self._predict_adjusted(horizon)
            return center, center
        ci = np.asarray(self.model_.get_forecast(horizon).conf_int(alpha=1.0 - coverage))
        level = self._level(horizon)
        return (ci[:, 0] + level) * self.scale_, (ci[:, 1] + level) * self.scale_
