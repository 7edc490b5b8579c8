"""Time-series cross-validation and parallel backtesting.

* :class:`ExpandingWindowSplitter`, :class:`SlidingWindowSplitter`: folds as
  ``(train_positions, test_positions)``, anchored at the end of each series (so a
  panel gets the same cutoffs relative to every series' end).
* :func:`backtest`: many forecasters x many series x folds through joblib (loky,
  dask, ray), returning a :class:`BacktestResult` with a tidy ``predictions``
  frame, per-window ``scores`` and a ``leaderboard`` (sMAPE, MASE, OWA vs Naive2).
* :class:`ConformalIntervals`: prediction intervals for any forecaster (a neural one
  included) from its absolute errors on recent rolling origins (split conformal).

Examples
--------
>>> from forecast.model_selection import ExpandingWindowSplitter
>>> ExpandingWindowSplitter(horizon=12, n_splits=3).get_n_splits(100)
3
"""

from ._backtest import backtest
from ._conformal import ConformalIntervals
from ._result import METRIC_NAMES, BacktestError, BacktestResult
from ._split import ExpandingWindowSplitter, SlidingWindowSplitter

__all__ = [
    "METRIC_NAMES",
    "BacktestError",
    "BacktestResult",
    "ConformalIntervals",
    "ExpandingWindowSplitter",
    "SlidingWindowSplitter",
    "backtest",
]
