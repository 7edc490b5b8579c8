"""Series-level forecasters: statistical baselines (M4 definitions) and neural models.

Every forecaster has ``fit(y)`` and ``predict(horizon)`` returning pandas indexed by
the future timestamps (or the continued integer index). Baselines with
``predict_interval(horizon, coverage=0.9)``: all of them (Naive, Naive2, SeasonalNaive,
Drift, Mean, SES, Holt, DampedHolt, Theta, ETS, ARIMA); for a neural forecaster wrap it
in ``forecast.model_selection.ConformalIntervals``.

Examples
--------
>>> from forecast.forecasters import SeasonalNaive
>>> SeasonalNaive(season_length=2).fit([1.0, 2.0, 3.0, 4.0]).predict(2).tolist()
[3.0, 4.0]
"""

from ._arima import ARIMA
from ._base import BaseForecaster
from ._ensemble import EnsembleForecaster
from ._ets import ETS
from ._naive import Drift, Mean, Naive, Naive2, SeasonalNaive
from ._neural import NeuralForecaster
from ._seasonality import SeasonalAdjustment, seasonal_indices, seasonality_test
from ._smoothing import SES, DampedHolt, Holt
from ._theta import Theta

__all__ = [
    "ARIMA",
    "BaseForecaster",
    "DampedHolt",
    "Drift",
    "ETS",
    "EnsembleForecaster",
    "Holt",
    "Mean",
    "Naive",
    "Naive2",
    "NeuralForecaster",
    "SES",
    "SeasonalAdjustment",
    "SeasonalNaive",
    "Theta",
    "seasonal_indices",
    "seasonality_test",
]
