"""Training curves and heat maps of recurrent networks (hidden states, attention)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Sized
from typing import Any

import numpy as np

from .._validation import describe
from ._axes import check_matrix, get_ax

__all__ = ["plot_history", "plot_hidden_states", "plot_attention"]


def plot_history(estimator_or_history: Any, ax: Any = None, *,
                 keys: str | Sequence[str] | None = None) -> Any:
    """Training curves (loss and val_loss per epoch).

    Parameters
    ----------
    estimator_or_history : estimator, dict or keras History
        A fitted estimator or forecaster with ``history_`` (dict metric -> list), a
        Keras ``History`` (``.history``) or the dict itself.
    ax : matplotlib.axes.Axes, optional
    keys : str or sequence of str, optional
        Curve(s) to draw (default: ``loss`` and ``val_loss`` where present, else all);
        a single string is one curve.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If `estimator_or_history` has no history dict (neither a mapping, nor an
        object with ``history_`` or ``history``), `keys` is neither a string nor a
        sequence, or `ax` is not a matplotlib Axes.
    ValueError
        If the history is empty, or `keys` is empty or names a curve that is not in it.

    Examples
    --------
    >>> from forecast.plotting import plot_history
    >>> ax = plot_history({"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6]})
    >>> [line.get_label() for line in ax.lines]
    ['loss', 'val_loss']
    """
    hist = estimator_or_history
    if not isinstance(hist, Mapping):
        hist = getattr(hist, "history_", None) if hasattr(hist, "history_") else getattr(
            hist, "history", None)
    if not isinstance(hist, Mapping):
        raise TypeError(
            "`estimator_or_history` must be a fitted estimator with `history_`, a Keras "
            f"History or a dict. Received: {describe(estimator_or_history)}"
        )
    if not hist or not any(len(v) for v in hist.values()):
        raise ValueError(
            "`estimator_or_history` has an empty history (was it fitted with a Keras "
            "estimator?). Received: history={}"
        )
    if keys is None:
        keys = [k for k in ("loss", "val_loss") if k in hist] or list(hist)
    else:
        if isinstance(keys, str):
            keys = [keys]
        elif not isinstance(keys, Iterable) or isinstance(keys, bytes | Mapping):
            raise TypeError(
                "`keys` must be a curve name or a sequence of them. "
                f"Received: keys={describe(keys)}"
            )
        keys = list(keys)
        if not keys:
            raise ValueError(f"`keys` must name at least one curve of {list(hist)}. "
                             "Received: keys=[]")
        missing = [k for k in keys if k not in hist]
        if missing:
            raise ValueError(f"`keys` {missing} are not in the history {list(hist)}. "
                             f"Received: keys={list(keys)!r}")
    curves = {}
    for k in keys:
        try:
            curves[k] = np.asarray(list(hist[k]), dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"history curve {k!r} must hold numbers. Received: "
                            f"{describe(list(hist[k])[:3])}...") from None
    ax = get_ax(ax, figsize=(6.0, 4.0))
    for k, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, marker="o" if len(values) < 30 else None,
                ms=3, label=k)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_hidden_states(states: Any, ax: Any = None, *, cmap: str = "RdBu_r") -> Any:
    """Heat map of recurrent hidden states over time.

    Parameters
    ----------
    states : array-like of shape (T, units) or (n, T, units)
        E.g. ``estimator.hidden_states(X)``; for 3-D input the first sample is drawn.
    ax : matplotlib.axes.Axes, optional
    cmap : str, default="RdBu_r"
        Diverging colour map (tanh states lie in [-1, 1]).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If `states` is not numeric, or `ax` is not a matplotlib Axes.
    ValueError
        If `states` is not 2-D or 3-D, is empty, or contains infinity.

    Examples
    --------
    >>> import numpy as np
    >>> from forecast.plotting import plot_hidden_states
    >>> ax = plot_hidden_states(np.tanh(np.random.default_rng(0).normal(size=(2, 10, 4))))
    >>> ax.images[0].get_array().shape  # units x time
    (4, 10)
    """
    mat = check_matrix("states", states)
    ax = get_ax(ax, figsize=(8.0, 3.5))
    lim = float(abs(mat).max())
    im = ax.imshow(mat.T, aspect="auto", origin="lower", cmap=cmap, vmin=-lim, vmax=lim,
                   interpolation="nearest")
    ax.figure.colorbar(im, ax=ax)
    ax.set_xlabel("time step")
    ax.set_ylabel("unit")
    ax.set_title("Hidden states")
    return ax


def plot_attention(weights: Any, source_tokens: Sequence[str] | None = None,
                   target_tokens: Sequence[str] | None = None, ax: Any = None,
                   *, cmap: str = "viridis") -> Any:
    """Heat map of attention weights (target steps x source steps).

    Parameters
    ----------
    weights : array-like of shape (T_target, T_source) or (n, T_target, T_source)
        Attention weights; for 3-D input the first sample is drawn.
    source_tokens : sequence of str, optional
        Labels of the source positions (x axis), length ``T_source``.
    target_tokens : sequence of str, optional
        Labels of the target positions (y axis), length ``T_target``.
    ax : matplotlib.axes.Axes, optional
    cmap : str, default="viridis"

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If `weights` is not numeric, a token sequence has no length, or `ax` is not a
        matplotlib Axes.
    ValueError
        If `weights` is not 2-D or 3-D, is empty, or contains infinity; or if
        `source_tokens`/`target_tokens` is a string or its length differs from
        ``T_source``/``T_target``.

    Examples
    --------
    >>> import numpy as np
    >>> from forecast.plotting import plot_attention
    >>> w = np.full((2, 3), 1 / 3)
    >>> ax = plot_attention(w, ["a", "b", "c"], ["x", "y"])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['a', 'b', 'c']
    """
    mat = check_matrix("weights", weights)
    for name, tokens, n in (("source_tokens", source_tokens, mat.shape[1]),
                            ("target_tokens", target_tokens, mat.shape[0])):
        if tokens is not None and not isinstance(tokens, str) and not isinstance(tokens, Sized):
            raise TypeError(
                f"`{name}` must be a sequence of {n} labels. Received: {name}={describe(tokens)}"
            )
        if tokens is not None and (isinstance(tokens, str) or len(tokens) != n):
            raise ValueError(
                f"`{name}` must have {n} labels to match `weights` of shape {mat.shape}. "
                f"Received: {name}={describe(tokens)}"
            )
    ax = get_ax(ax, figsize=(max(4.0, 0.5 * mat.shape[1] + 2), max(3.0, 0.4 * mat.shape[0] + 1)))
    im = ax.imshow(mat, aspect="auto", cmap=cmap, vmin=0.0, interpolation="nearest")
    ax.figure.colorbar(im, ax=ax)
    if source_tokens is not None:
        ax.set_xticks(range(mat.shape[1]), [str(t) for t in source_tokens], rotation=60,
                      ha="right")
    if target_tokens is not None:
        ax.set_yticks(range(mat.shape[0]), [str(t) for t in target_tokens])
    ax.set_xlabel("source")
    ax.set_ylabel("target")
    ax.set_title("Attention weights")
    return ax
