"""ETS (error, trend, seasonal) state space models, selected by AICc (statsmodels)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from .._validation import check_non_negative_int, check_option
from ._baseline import StatsForecaster, quiet

__all__ = ["ETS"]

_AUTO = "auto"


def _aicc(res: Any, n: int, initial_states: int) -> float:
    """AICc of a fitted ``ETSModel`` counting its ``initial_states`` as parameters.

    statsmodels counts the estimated parameters only, so with the heuristic
    initialisation a seasonal model's ``m`` initial states would be free: R's
    ``forecast::ets`` counts the initial level, trend and ``m - 1`` seasonal states,
    and so do we (``inf`` when ``n <= k + 1``)."""
    k = res.df_model + initial_states
    if n - k - 1 <= 0:
        return np.inf
    return float(-2.0 * res.llf + 2.0 * k + 2.0 * k * (k + 1) / (n - k - 1))


class ETS(StatsForecaster):
    """Exponential smoothing state space model with automatic component selection.

    Wraps ``statsmodels`` ``ETSModel``. Each component given as ``"auto"`` is
    chosen by the smallest AICc over the candidate set (as R's ``forecast::ets``
    with its default restrictions):

    * error: ``"add"``, plus ``"mul"`` when the series is strictly positive;
    * trend: none, ``"add"`` and additive damped;
    * seasonal (only when ``season_length > 1`` and ``n >= 2m``): none, ``"add"``,
      plus ``"mul"`` when positive; additive error with multiplicative seasonality
      is excluded (numerically unstable).

    For speed, initial states use statsmodels' ``"heuristic"`` initialisation
    when the series has at least 10 observations (and two full seasons for
    seasonal candidates); otherwise they are estimated. Either way the AICc counts
    the initial states as parameters: for heuristic ones we add the level, trend and
    ``m - 1`` seasonal states (as R counts them), since statsmodels' own ``aicc``
    leaves them out, which favours seasonal models even on noise; estimated ones
    statsmodels counts itself (all ``m`` seasonal states). Candidates that fail or
    have too few observations for AICc are skipped. Documented fallback: a
    constant series forecasts its constant (``selected_ == "constant"``).

    Parameters
    ----------
    season_length : int, default=1
        Seasonal period ``m``.
    error : {"auto", "add", "mul"}, default="auto"
    trend : {"auto", None, "add"}, default="auto"
    damped_trend : {"auto", True, False}, default="auto"
    seasonal : {"auto", None, "add", "mul"}, default="auto"
    random_state : int or None, default=None
        Seed of the simulation used for prediction intervals of multiplicative models.

    Attributes
    ----------
    model_ : statsmodels ETSResults or None
        The selected fit (None for a constant series).
    selected_ : str
        The selected model, e.g. ``"ETS(M,Ad,M)"``.
    aicc_ : dict
        AICc of every candidate that could be fit.

    Examples
    --------
    >>> import numpy as np
    >>> from forecast.forecasters import ETS
    >>> t = np.arange(120)
    >>> y = 50 + 0.2 * t + 5 * np.sin(2 * np.pi * t / 12)
    >>> model = ETS(season_length=12).fit(y)
    >>> model.predict(12).shape
    (12,)
    >>> model.predict_interval(12, coverage=0.8).columns.tolist()
    ['lower', 'upper']
    """

    _min_obs = 4

    def __init__(
        self,
        season_length: int = 1,
        *,
        error: str = "auto",
        trend: str | None = "auto",
        damped_trend: bool | str = "auto",
        seasonal: str | None = "auto",
        random_state: int | None = None,
    ) -> None:
        self.season_length = season_length
        self.error = error
        self.trend = trend
        self.damped_trend = damped_trend
        self.seasonal = seasonal
        self.random_state = random_state

    def _candidates(self, values: np.ndarray, m: int) -> list[tuple[str, Any, bool, Any]]:
        positive = bool((values > 0).all())
        error = check_option("error", self.error, (_AUTO, "add", "mul"))
        trend = check_option("trend", self.trend, (_AUTO, None, "add"))
        damped = check_option("damped_trend", self.damped_trend, (_AUTO, True, False))
        seasonal = check_option("seasonal", self.seasonal, (_AUTO, None, "add", "mul"))
        if self.random_state is not None:
            check_non_negative_int("random_state", self.random_state)
        if trend is None and damped is True:
            raise ValueError("`damped_trend=True` needs a trend (trend='add' or 'auto'). "
                             f"Received: trend=None, damped_trend={self.damped_trend!r}")
        can_season = m > 1 and len(values) >= 2 * m
        if seasonal in ("add", "mul") and not can_season:
            raise ValueError(
                f"A seasonal ETS needs season_length > 1 and at least two full seasons. "
                f"Received: season_length={m}, a series of length {len(values)}, "
                f"seasonal={seasonal!r}"
            )
        if not positive and ("mul" in (error, seasonal)):
            raise ValueError(
                "Multiplicative components need a strictly positive series. "
                f"Received: error={error!r}, seasonal={seasonal!r} and values <= 0"
            )
        errors = ["add", "mul"] if error == _AUTO and positive else [error]
        errors = ["add"] if errors == [_AUTO] else errors
        trends = [None, "add"] if trend == _AUTO else [trend]
        if seasonal == _AUTO:
            seasonals = [None]
            if can_season:
                seasonals += ["add", "mul"] if positive else ["add"]
        else:
            seasonals = [seasonal]
        out = []
        for e, t, s in itertools.product(errors, trends, seasonals):
            if e == "add" and s == "mul" and error == _AUTO:
                continue
            for d in ([False, True] if damped == _AUTO else [bool(damped)]) if t else [False]:
                out.append((e, t, d, s))
        return out

    def _fit_adjusted(self, values: np.ndarray) -> None:
        m = self._check_season_length()
        candidates = self._candidates(values, m)
        self.aicc_: dict[str, float] = {}
        if np.ptp(values) == 0.0:
            self.model_, self.selected_, self.constant_ = None, "constant", float(values[0])
            return
        n = len(values)
        series = pd.Series(values)  # statsmodels' simulated intervals need a pandas endog
        best, best_aicc = None, np.inf
        for e, t, d, s in candidates:
            heuristic = n >= 10 and (s is None or n >= 2 * m)
            try:
                res = ETSModel(
                    series,
                    error=e,
                    trend=t,
                    damped_trend=d,
                    seasonal=s,
                    seasonal_periods=m if s else None,
                    initialization_method="heuristic" if heuristic else "estimated",
                ).fit(disp=False)
            except Exception:  # noqa: BLE001 - a failing candidate is skipped
                continue
            aicc = _aicc(res, n, 0 if not heuristic else 1 + (t is not None) + (m - 1 if s else 0))
            if not np.isfinite(aicc) or not np.isfinite(res.forecast(1)).all():
                continue
            name = f"ETS({e[0].upper()},{(t or 'n')[0].upper()}{'d' if d else ''},"
            name += f"{(s or 'n')[0].upper()})"
            self.aicc_[name] = aicc
            if aicc < best_aicc:
                best, best_aicc, self.selected_ = res, aicc, name
        if best is None:
            raise ValueError(
                f"ETS could not fit any candidate model to this series (length {n}, "
                f"season_length={m}). Try a simpler baseline such as SES."
            )
        self.model_ = best

    def _predict_adjusted(self, horizon: int) -> np.ndarray:
        if self.model_ is None:
            return np.full(horizon, self.constant_)
        return np.asarray(self.model_.forecast(horizon), dtype=float).reshape(horizon)

    def _interval(self, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        if self.model_ is None:
            center = self._predict_adjusted(horizon)
            return center, center
        n = self.n_obs_
        with quiet():
            pred = self.model_.get_prediction(
                start=n, end=n + horizon - 1, rng=np.random.default_rng(self.random_state)
            )
            frame = pred.summary_frame(alpha=1.0 - coverage)
        return frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy()
