"""Exponential smoothing baselines of M4: SES, Holt and damped Holt (statsmodels).

Each is fit with ``statsmodels.tsa.holtwinters`` (parameters and initial states
estimated by least squares) on the M4 seasonally adjusted series when
``season_length > 1`` (see :class:`~forecast.forecasters.Naive2`), and the
forecasts are reseasonalised with the last ``m`` seasonal indices.

The series is divided by ``scale_`` (the standard deviation of its one-step
changes, as in :class:`~forecast.forecasters.ARIMA`) before the fit, and the
forecasts, intervals and initial states are scaled back, so they do not depend on
the unit of the data: statsmodels' optimiser stopped at different least-squares
optima for the same series in units and in millions of units.
"""

from __future__ import annotations

import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing, SimpleExpSmoothing
from statsmodels.tsa.holtwinters import Holt as _SMHolt

from ._baseline import StatsForecaster, normal_quantile, unit_scale

__all__ = ["SES", "Holt", "DampedHolt"]

#: damping parameter range of R's forecast::ets (used by the M4 benchmarks)
_PHI_BOUNDS = (0.8, 0.98)


class _Smoothing(StatsForecaster):
    _seasonal_adjust = True
    #: the unit of a fit (see ``unit_scale``); models pickled before fits were scaled
    #: were fitted in the data's own unit, 1.0
    scale_ = 1.0

    def _build(self, values: np.ndarray):  # pragma: no cover - abstract
        raise NotImplementedError

    def _fit_adjusted(self, values: np.ndarray) -> None:
        self.scale_ = 1.0
        if np.ptp(values) == 0.0:
            # constant series: every smoothing model forecasts the constant
            self.model_ = None
            self.constant_ = float(values[0])
            self.params_ = {}
            self.sigma_ = 0.0
            return
        # statsmodels' least-squares fit depends on the unit (Holt's optimiser stopped
        # at a worse optimum in millions of units): fit in units of the one-step
        # changes' standard deviation (of the values for an exact line), scale back
        self.scale_ = unit_scale(values)
        values = values / self.scale_
        try:
            self.model_ = self._build(values).fit()
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise ValueError(
                f"{type(self).__name__} could not be fit to this series "
                f"(length {len(values)}): {exc}"
            ) from None
        self.params_ = {
            # the initial states in the data's unit; the smoothing parameters have none
            k: float(v) * (self.scale_ if k.startswith("initial_") else 1.0)
            for k, v in self.model_.params.items()
            if np.ndim(v) == 0 and v is not None and np.isfinite(v)
        }
        resid = values - np.asarray(self.model_.fittedvalues)
        self.sigma_ = float(np.sqrt(np.mean(resid**2))) * self.scale_

    def _predict_adjusted(self, horizon: int) -> np.ndarray:
        if self.model_ is None:
            return np.full(horizon, self.constant_)
        return np.asarray(self.model_.forecast(horizon), dtype=float) * self.scale_

    def _state_space(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(w, F, g)`` of the model's additive-error ETS form (Hyndman et al. 2008)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def _interval(self, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        center = self._predict_adjusted(horizon)
        if self.model_ is None:
            return center, center
        w, F, g = self._state_space()
        c = np.empty(horizon)
        power = np.eye(len(g))
        for j in range(horizon):  # c[j] = w' F^j g, the weight of the error j + 1 steps back
            c[j] = w @ power @ g
            power = power @ F
        variance = 1.0 + np.concatenate([[0.0], np.cumsum(c[:-1] ** 2)])
        half = normal_quantile(coverage) * self.sigma_ * np.sqrt(variance)
        return center - half, center + half


class SES(_Smoothing):
    """Simple exponential smoothing (M4 benchmark "SES").

    Fits ``statsmodels`` ``SimpleExpSmoothing`` (smoothing level and initial level
    estimated) on the M4 seasonally adjusted series when ``season_length > 1``.
    A constant series forecasts its constant.

    Parameters
    ----------
    season_length : int, default=1
        Seasonal period ``m`` used for the M4 seasonal adjustment.

    Attributes
    ----------
    model_ : statsmodels HoltWintersResults
        Fitted on the (seasonally adjusted) series divided by ``scale_``.
    scale_ : float
        The unit the model is fitted in (1.0 for a constant series).
    params_ : dict
        Fitted smoothing parameters and initial states (in the data's unit).
    seasonal_ : bool

    Examples
    --------
    >>> import numpy as np
    >>> from forecast.forecasters import SES
    >>> y = 10 + np.random.default_rng(0).normal(size=50)
    >>> SES().fit(y).predict(3).round(2).tolist()
    [11.19, 11.19, 11.19]
    """

    _min_obs = 2

    def __init__(self, season_length: int = 1) -> None:
        self.season_length = season_length

    def _build(self, values: np.ndarray):
        return SimpleExpSmoothing(values, initialization_method="estimated")

    def _state_space(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        alpha = self.params_.get("smoothing_level", 0.0)
        return np.ones(1), np.ones((1, 1)), np.array([alpha])


class Holt(_Smoothing):
    """Holt's linear trend method (M4 benchmark "Holt").

    Fits ``statsmodels`` ``Holt`` (parameters and initial states estimated) on the
    M4 seasonally adjusted series when ``season_length > 1``.

    statsmodels requires ``smoothing_trend <= smoothing_level``, and its
    ``smoothing_trend`` is the component-form beta*: the error-correction trend
    parameter ``beta = alpha * beta*`` is thus at most ``alpha**2``, a narrower region
    than R's ``forecast::holt``/``ets`` (``beta <= alpha``, i.e. ``beta* <= 1``). The
    fit reaches that bound on series with a fast-changing trend (38 of the 414 M4
    Hourly series, 53 for :class:`DampedHolt`); statsmodels' ``holtwinters`` offers no
    way to widen it.

    Parameters
    ----------
    season_length : int, default=1

    Attributes
    ----------
    model_ : statsmodels HoltWintersResults
        Fitted on the (seasonally adjusted) series divided by ``scale_``.
    scale_ : float
        The unit the model is fitted in (1.0 for a constant series).
    params_ : dict
        Fitted smoothing parameters and initial states (in the data's unit).
    seasonal_ : bool

    Examples
    --------
    >>> from forecast.forecasters import Holt
    >>> Holt().fit([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).predict(2).round(3).tolist()
    [7.0, 8.0]
    """

    _min_obs = 3

    def __init__(self, season_length: int = 1) -> None:
        self.season_length = season_length

    def _build(self, values: np.ndarray):
        return _SMHolt(values, initialization_method="estimated")

    def _state_space(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        alpha = self.params_.get("smoothing_level", 0.0)
        beta = alpha * self.params_.get("smoothing_trend", 0.0)
        return np.ones(2), np.array([[1.0, 1.0], [0.0, 1.0]]), np.array([alpha, beta])


class DampedHolt(_Smoothing):
    """Additive damped trend method (M4 benchmark "Damped").

    Fits ``statsmodels`` ``ExponentialSmoothing(trend="add", damped_trend=True)``
    with the damping parameter restricted to [0.8, 0.98] as in R's
    ``forecast::ets`` used by M4, on the M4 seasonally adjusted series when
    ``season_length > 1``. As in :class:`Holt`, statsmodels restricts the trend
    parameter to ``beta* <= alpha`` (R's region is ``beta* <= 1``).

    Parameters
    ----------
    season_length : int, default=1

    Attributes
    ----------
    model_ : statsmodels HoltWintersResults
        Fitted on the (seasonally adjusted) series divided by ``scale_``.
    scale_ : float
        The unit the model is fitted in (1.0 for a constant series).
    params_ : dict
        Fitted smoothing parameters and initial states (in the data's unit).
    seasonal_ : bool

    Examples
    --------
    >>> from forecast.forecasters import DampedHolt
    >>> f = DampedHolt().fit([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).predict(3)
    >>> bool(f.iloc[2] - f.iloc[1] < f.iloc[1] - f.iloc[0] + 1e-9)
    True
    """

    _min_obs = 4

    def __init__(self, season_length: int = 1) -> None:
        self.season_length = season_length

    def _build(self, values: np.ndarray):
        return ExponentialSmoothing(
            values,
            trend="add",
            damped_trend=True,
            initialization_method="estimated",
            bounds={"damping_trend": _PHI_BOUNDS},
        )

    def _state_space(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        alpha = self.params_.get("smoothing_level", 0.0)
        beta = alpha * self.params_.get("smoothing_trend", 0.0)
        phi = self.params_.get("damping_trend", 1.0)
        return (np.array([1.0, phi]), np.array([[1.0, phi], [0.0, phi]]),
                np.array([alpha, beta]))
