"""Bar chart of a backtest leaderboard."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import describe
from ._axes import get_ax

__all__ = ["plot_leaderboard"]


def plot_leaderboard(leaderboard: Any, metric: str = "owa", ax: Any = None) -> Any:
    """Horizontal bars of one leaderboard metric, best model on top.

    Parameters
    ----------
    leaderboard : pandas.DataFrame or BacktestResult
        ``BacktestResult.leaderboard`` (indexed by model) or the result itself.
    metric : str, default="owa"
        Column to plot. For ``"owa"`` a reference line marks Naive2 (1.0).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from forecast.plotting import plot_leaderboard
    >>> lb = pd.DataFrame({"owa": [0.63, 1.0]}, index=["sNaive", "Naive2"])
    >>> [t.get_text() for t in plot_leaderboard(lb).get_yticklabels()]
    ['sNaive', 'Naive2']
    """
    board = getattr(leaderboard, "leaderboard", leaderboard)
    if not isinstance(board, pd.DataFrame):
        raise TypeError(
            "`leaderboard` must be a DataFrame (BacktestResult.leaderboard) or a "
            f"BacktestResult. Received: leaderboard={describe(leaderboard)}"
        )
    if metric not in board.columns:
        raise ValueError(
            f"`metric` must be a leaderboard column {list(board.columns)}. "
            f"Received: metric={metric!r}"
        )
    if board.empty:
        raise ValueError("`leaderboard` is empty. Received: leaderboard with 0 rows")
    values = board[metric].astype(float).sort_values(na_position="last")
    ax = get_ax(ax, figsize=(6.0, 0.4 * len(values) + 1.2))
    pos = np.arange(len(values))[::-1]
    bars = ax.barh(pos, values.to_numpy(), color="C0")
    ax.set_yticks(pos, [str(i) for i in values.index])
    ax.bar_label(bars, fmt="%.3f", fontsize="small", padding=2)
    if metric == "owa":
        ax.axvline(1.0, color="0.4", lw=0.8, ls="--")
    ax.set_xlabel(metric)
    ax.set_title(f"Leaderboard ({metric}, lower is better)")
    return ax
