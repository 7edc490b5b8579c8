"""Figures of the CLI reports (drawn with :mod:`forecast.plotting`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._experiment import ExperimentResult, rank_metric
from ._report import save_figure

__all__ = ["experiment_figures"]


def _figure(width: float = 9.0, height: float = 4.0) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))


def _forecasts(res: ExperimentResult, highlight: list[str]) -> Any:
    from forecast.plotting import plot_backtest

    exp = res.experiment
    fig, ax = _figure()
    plot_backtest(res.result, model=highlight, ax=ax, history_tail=3 * exp.horizon)
    ax.set_title(f"{exp.name}: backtest forecasts vs actuals ({exp.folds} folds, "
                 f"horizon {exp.horizon})")
    return fig


def _fold_errors(res: ExperimentResult) -> Any:
    fig, ax = _figure()
    errors = res.fold_errors
    order = [m for m in res.leaderboard.index if m in errors.columns]  # failed models: none
    errors[order].T.plot.bar(ax=ax, width=0.8)
    ax.set_ylabel("sMAPE (%)")
    ax.set_title(f"{res.experiment.name}: backtest error per fold")
    ax.legend(title="fold", fontsize=8)
    return fig


def _board_metric(res: ExperimentResult) -> str | None:
    """The metric the leaderboard figure shows: the ranking's, else MASE when no model
    has it (OWA is undefined when Naive2 is exact or failed), else none."""
    for metric in (rank_metric(res.experiment), "mase"):
        if metric in res.leaderboard.columns and res.leaderboard[metric].notna().any():
            return metric
    return None


def _leaderboard(res: ExperimentResult, metric: str) -> Any:
    from forecast.plotting import plot_leaderboard

    board = res.leaderboard.dropna(subset=[metric])
    fig, ax = _figure(7.0, 0.35 * len(board) + 1.2)
    plot_leaderboard(board, metric=metric, ax=ax)
    what = "OWA, Naive2 = 1" if metric == "owa" else "MASE"
    ax.set_title(f"{res.experiment.name}: leaderboard ({what}, lower is better)")
    return fig


def _history(res: ExperimentResult) -> Any:
    import matplotlib.pyplot as plt

    from forecast.plotting import plot_history

    n = len(res.histories)
    fig, axes = plt.subplots(1, n, figsize=(4.5 * n, 3.5), squeeze=False)
    for ax, (name, histories) in zip(axes[0], res.histories.items(), strict=True):
        plot_history(histories[-1], ax=ax)
        ax.set_title(f"{res.experiment.name}: {name} training (last fold)")
    return fig


def experiment_figures(res: ExperimentResult, out_dir: Path) -> list[tuple[str, Path]]:
    """Draw and save the figures of one experiment; returns ``(caption, path)`` pairs."""
    name = res.experiment.name
    scored = set(res.predictions["model"])  # a model that failed on every fold has no rows
    board = [m for m in res.leaderboard.index if m in scored]
    neural = [m for m in board if str(m).split("+")[0] in ("LSTM", "GRU", "RNN")]
    best_baselines = [m for m in board if m not in neural][:2]
    figures = []
    if board:  # else every model failed on every fold: nothing to draw
        figures += [
            ("Backtest forecasts vs actuals", "forecasts", lambda: _forecasts(
                res, [*neural, *best_baselines])),
            ("Backtest error (sMAPE) per fold", "fold_errors", lambda: _fold_errors(res)),
        ]
    metric = _board_metric(res)
    if metric is not None:
        figures.append((f"Leaderboard ({metric.upper()})", "leaderboard",
                        lambda: _leaderboard(res, metric)))
    if res.histories:
        figures.append(("Training curves", "training", lambda: _history(res)))
    saved = []
    for caption, stem, draw in figures:
        path = save_figure(draw(), Path(out_dir) / f"{name}_{stem}.png")
        saved.append((caption, path))
    return saved


