"""Classic Theta method as in the M4 benchmarks (Assimakopoulos & Nikolopoulos, 2000)."""

from __future__ import annotations

import numpy as np
from statsmodels.tsa.holtwinters import SimpleExpSmoothing

from ._baseline import StatsForecaster, is_constant, normal_quantile

__all__ = ["Theta"]


class Theta(StatsForecaster):
    """Classic Theta (M4 benchmark "Theta": theta = 2, equal weights).

    Following ``Theta.classic`` of the M4 reference code: on the (M4 seasonally
    adjusted) series fit a least-squares line ``L`` (theta line 0), smooth the
    theta line ``2 y - L`` with simple exponential smoothing (statsmodels
    ``SimpleExpSmoothing``), forecast ``0.5 * SES + 0.5 * L``, set negative
    forecasts to 0 (only when the training series has no negative value, which is
    always the case in M4) and reseasonalise. ``statsmodels``' ``ThetaModel`` is a
    different (drift-based) formulation, so it is not used.

    Parameters
    ----------
    season_length : int, default=1
        Seasonal period ``m`` used for the M4 seasonal adjustment.

    Attributes
    ----------
    intercept_, slope_ : float
        Theta line 0 ``L_t = intercept_ + slope_ * t``, ``t = 1..n``.
    ses_ : statsmodels HoltWintersResults or None
        SES fit on the theta line 2 (None for a constant series).
    alpha_ : float
        SES smoothing parameter of the theta line 2 (0 for a constant series).
    sigma_ : float
        Root mean squared one-step residual of the Theta forecast on the (adjusted)
        training series, i.e. half that of the SES on the theta line 2.
    seasonal_ : bool

    Examples
    --------
    >>> import numpy as np
    >>> from forecast.forecasters import Theta
    >>> y = np.arange(1.0, 21.0)
    >>> Theta().fit(y).predict(2).round(3).tolist()
    [20.5, 21.0]
    >>> Theta().fit(y).predict_interval(2).shape
    (2, 2)
    """

    _seasonal_adjust = True
    _min_obs = 3

    def __init__(self, season_length: int = 1) -> None:
        self.season_length = season_length

    def _fit_adjusted(self, values: np.ndarray) -> None:
        n = len(values)
        t = np.arange(1, n + 1, dtype=float)
        self.slope_, self.intercept_ = (float(c) for c in np.polyfit(t, values, 1))
        line = self.intercept_ + self.slope_ * t
        theta2 = 2.0 * values - line
        self.clip_ = bool((values >= 0).all())
        if is_constant(theta2):
            self.ses_ = None
            self.level_ = float(theta2[-1])
            self.alpha_, self.sigma_ = 0.0, 0.0
        else:
            self.ses_ = SimpleExpSmoothing(theta2, initialization_method="estimated").fit()
            self.level_ = float(self.ses_.forecast(1)[0])
            self.alpha_ = float(self.ses_.params["smoothing_level"])
            # y = (theta2 + L) / 2 with L fixed: Theta's one-step residual is half SES's
            resid = 0.5 * (theta2 - np.asarray(self.ses_.fittedvalues))
            self.sigma_ = float(np.sqrt(np.mean(resid**2)))

    def _unclipped(self, horizon: int) -> np.ndarray:
        t = np.arange(self.n_obs_ + 1, self.n_obs_ + horizon + 1, dtype=float)
        return 0.5 * self.level_ + 0.5 * (self.intercept_ + self.slope_ * t)

    def _predict_adjusted(self, horizon: int) -> np.ndarray:
        forecast = self._unclipped(horizon)
        return np.maximum(forecast, 0.0) if self.clip_ else forecast

    def _interval(self, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        center = self._unclipped(horizon)
        steps = np.arange(horizon, dtype=float)
        half = normal_quantile(coverage) * self.sigma_ * np.sqrt(1.0 + steps * self.alpha_**2)
        lower, upper = center - half, center + half
        if self.clip_:
            lower, upper = np.maximum(lower, 0.0), np.maximum(upper, 0.0)
        return lower, upper
