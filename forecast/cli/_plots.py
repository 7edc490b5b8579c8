"""Figures of the CLI reports (drawn with :mod:`forecast.plotting`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._experiment import ExperimentResult
from ._report import save_figure

__all__ = ["experiment_figures"]


def _figure(width: float = 9.0, height: float = 4.0) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))


def _forecasts(res: ExperimentResult, highlight: list[str]) -> Any:
    exp = res.experiment
    fig, ax = _figure()
    n_hist = exp.horizon * (exp.folds + 3)
    exp.y.iloc[-n_hist:].plot(ax=ax, color="black", lw=1.2, label="actual")
    preds = res.predictions
    for name in highlight:
        part = preds[preds["model"] == name]
        first = True
        for _, fold in part.groupby("fold", sort=True):
            ax.plot(fold["time"], fold["y_pred"], lw=1.2,
                    color=f"C{highlight.index(name)}", label=name if first else None)
            first = False
    ax.set_title(f"{exp.name}: backtest forecasts vs actuals ({exp.folds} folds, "
                 f"horizon {exp.horizon})")
    ax.legend(loc="best", fontsize=8)
    return fig


def _fold_errors(res: ExperimentResult) -> Any:
    fig, ax = _figure()
    order = list(res.leaderboard.index)
    res.fold_errors[order].T.plot.bar(ax=ax, width=0.8)
    ax.set_ylabel("sMAPE (%)")
    ax.set_title(f"{res.experiment.name}: backtest error per fold")
    ax.legend(title="fold", fontsize=8)
    return fig


def _leaderboard(res: ExperimentResult) -> Any:
    fig, ax = _figure(7.0, 0.35 * len(res.leaderboard) + 1.2)
    board = res.leaderboard["owa"].iloc[::-1]
    ax.barh(board.index.astype(str), board.to_numpy(), color="C0")
    ax.axvline(1.0, color="black", lw=0.8, ls="--")
    ax.set_xlabel("OWA (Naive2 = 1, lower is better)")
    ax.set_title(f"{res.experiment.name}: leaderboard")
    return fig


def _history(res: ExperimentResult) -> Any:
    fig, ax = _figure(7.0, 3.5)
    for i, (name, histories) in enumerate(res.histories.items()):
        for fold, history in enumerate(histories):
            for key, style in (("loss", "-"), ("val_loss", "--")):
                if history.get(key):
                    label = f"{name} {key}" if fold == len(histories) - 1 else None
                    ax.plot(history[key], ls=style, color=f"C{i}", label=label,
                            alpha=0.4 + 0.6 * (fold + 1) / len(histories))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (scaled data)")
    ax.set_title(f"{res.experiment.name}: training curves (one line per fold; dashed: "
                 "validation)")
    ax.legend(fontsize=8)
    return fig


def experiment_figures(res: ExperimentResult, out_dir: Path) -> list[tuple[str, Path]]:
    """Draw and save the figures of one experiment; returns ``(caption, path)`` pairs."""
    name = res.experiment.name
    board = list(res.leaderboard.index)
    neural = [m for m in board if str(m).split("+")[0] in ("LSTM", "GRU", "RNN")]
    best_baselines = [m for m in board if m not in neural][:2]
    figures = [
        ("Backtest forecasts vs actuals", "forecasts", lambda: _forecasts(
            res, [*neural, *best_baselines])),
        ("Backtest error (sMAPE) per fold", "fold_errors", lambda: _fold_errors(res)),
        ("Leaderboard (OWA)", "leaderboard", lambda: _leaderboard(res)),
    ]
    if res.histories:
        figures.append(("Training curves", "training", lambda: _history(res)))
    saved = []
    for caption, stem, draw in figures:
        path = save_figure(draw(), Path(out_dir) / f"{name}_{stem}.png")
        saved.append((caption, path))
    return saved


