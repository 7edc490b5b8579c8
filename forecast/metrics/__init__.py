"""Forecast accuracy metrics (pure NumPy, M4 definitions).

Point metrics take ``(y_true, y_pred)`` of the same shape and average over all
elements: :func:`mae`, :func:`rmse`, :func:`mape` (percent), :func:`smape`
(percent, 0-200, M4), :func:`mase` (M4, in-sample seasonal-naive scale from
``y_train``). Interval metrics: :func:`pinball`, :func:`coverage`,
:func:`interval_score` and :func:`msis` (M4's prediction-interval measure).

Panels (``dict[str, Series]``) are scored with :func:`panel_mean`, which computes
the metric per series and averages with equal weight as M4 does; :func:`owa`
combines the panel sMAPE and MASE relative to Naive2.

Examples
--------
>>> from forecast.metrics import smape, mase, panel_mean
>>> smape([100.0, 200.0], [110.0, 180.0])
10.025062656641603
"""

from ._interval import coverage, interval_score, msis, pinball
from ._panel import METRICS, owa, panel_mean
from ._point import mae, mape, mase, mase_scale, rmse, smape

__all__ = [
    "METRICS",
    "coverage",
    "interval_score",
    "mae",
    "mape",
    "mase",
    "mase_scale",
    "msis",
    "owa",
    "panel_mean",
    "pinball",
    "rmse",
    "smape",
]
