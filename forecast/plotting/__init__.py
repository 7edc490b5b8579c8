"""Plots for forecasts, backtests, leaderboards and recurrent networks (matplotlib).

Every function draws on ``ax`` (or a new figure) and returns the Axes; none calls
``plt.show()``. pyplot is imported lazily, so the backend follows ``MPLBACKEND``
(use ``Agg`` on servers and in tests).

Examples
--------
>>> from forecast.plotting import plot_history
>>> ax = plot_history({"loss": [0.9, 0.4]})
"""

from ._forecast import plot_backtest, plot_forecast
from ._leaderboard import plot_leaderboard
from ._networks import plot_attention, plot_hidden_states, plot_history

__all__ = [
    "plot_attention",
    "plot_backtest",
    "plot_forecast",
    "plot_hidden_states",
    "plot_history",
    "plot_leaderboard",
]
