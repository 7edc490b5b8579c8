"""Bar chart of a backtest leaderboard."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import describe
from ._axes import get_ax

__all__ = ["plot_leaderboard"]


def _is_number(value: Any) -> bool:
    """Whether ``value`` converts to a float (a number, NaN or None)."""
    try:
        float(value if value is not None else np.nan)
    except (TypeError, ValueError):
        return False
    return True


def plot_leaderboard(leaderboard: Any, metric: str = "owa", ax: Any = None) -> Any:
    """Horizontal bars of one leaderboard metric, best model on top.

    Parameters
    ----------
    leaderboard : pandas.DataFrame or BacktestResult
        ``BacktestResult.leaderboard`` (indexed by model) or the result itself.
    metric : str, default="owa"
        Column to plot, lower is better; for ``"owa"`` a reference line marks
        Naive2 (1.0). For ``"coverage"`` the nominal level is best: models are
        sorted by their distance to it and a line marks it (pass the
        ``BacktestResult``, which knows that level).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If `leaderboard` is neither a DataFrame nor an object with a ``leaderboard``
        DataFrame, its `metric` column holds text (not numbers), or `ax` is not a
        matplotlib Axes.
    ValueError
        If `metric` is not a column of the leaderboard, the leaderboard is empty, or
        ``metric="coverage"`` is asked of a bare DataFrame (the nominal level is
        unknown).

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
    try:
        values = board[metric].astype(float)
    except (TypeError, ValueError):
        column = board[metric]
        bad = next((v for v in column if not _is_number(v)), None)
        raise TypeError(
            f"`metric` must name a numeric leaderboard column; column {metric!r} holds "
            f"text. Received: metric={metric!r} with a value {describe(bad)} "
            f"(dtype {column.dtype})"
        ) from None
    nominal = None  # the level is an attribute of the result, not a column of its board
    if metric == "coverage" and not isinstance(leaderboard, pd.DataFrame):
        nominal = getattr(leaderboard, "coverage", None)
    if metric == "coverage" and nominal is None:
        raise ValueError(
            "metric='coverage' is best at the nominal level, not at its lowest: pass the "
            "BacktestResult (it holds that level) rather than its leaderboard. "
            f"Received: leaderboard={describe(leaderboard)}"
        )
    if nominal is None:
        values = values.sort_values(na_position="last")
    else:
        values = values.loc[(values - nominal).abs().sort_values(na_position="last").index]
    ax = get_ax(ax, figsize=(6.0, 0.4 * len(values) + 1.2))
    pos = np.arange(len(values))[::-1]
    bars = ax.barh(pos, values.to_numpy(), color="C0")
    ax.set_yticks(pos, [str(i) for i in values.index])
    ax.bar_label(bars, fmt="%.3f", fontsize="small", padding=2)
    if metric == "owa":
        ax.axvline(1.0, color="0.4", lw=0.8, ls="--")
    ax.set_xlabel(metric)
    if nominal is None:
        ax.set_title(f"Leaderboard ({metric}, lower is better)")
    else:
        ax.axvline(nominal, color="0.4", lw=0.8, ls="--")
        ax.set_title(f"Leaderboard (coverage, {nominal:g} is best)")
    return ax
