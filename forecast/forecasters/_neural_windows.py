"""Per-window normalisation and window building for :class:`NeuralForecaster`.

Each input window is normalised with statistics of that window only, so series
of any level share one global model and no information from the targets leaks
into the inputs. Target channels use the forecaster's ``scaler``; covariate
channels are standardised per window (mean 0, standard deviation 1 over the
window), which suits calendar features and volumes alike.

Scalers (per window, per target channel; ``x`` = the ``window`` inputs,
``level`` = mean of the last ``level_window`` inputs):

========== ============================== =============================== =========
scaler     inputs                         targets                          unit
========== ============================== =============================== =========
None       ``x``                          ``y``                            1
"standard" ``(x - mean) / std``           ``(y - mean) / std``             std
"last"     ``x - x[-1]``                  ``y - x[-1]``                    1
"mean"     ``x / level``                  ``y / level``                    level
"log"      ``log(x / level)``             ``log(y / level)``               level
========== ============================== =============================== =========

``"log"`` works on log-ratios (multiplicative seasonality becomes additive);
forecasts are ``level * exp(output)``. There ``loss="owa_log"`` with
``weighting="mase"`` is the M4 OWA surrogate computed on ``exp(output)`` (plain
``"mae"`` only approximates the relative error); with ``"mean"`` (ratio targets)
the scale-free ``"smape"``/``"owa"`` losses apply exactly. ``"mean"``/``"log"``
need positive series.
"unit" converts a target-space error back to the series' units (used for
MASE-style sample weights).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["SCALERS", "WindowScaler", "window_views"]

#: accepted values of ``NeuralForecaster(scaler=...)``
SCALERS: tuple[Any, ...] = (None, "standard", "last", "mean", "log")

_TINY = 1e-8


class WindowScaler:
    """Stateless per-window normaliser of target channels.

    Parameters
    ----------
    method : {None, "standard", "last", "mean", "log"}
    level_window : int
        Number of trailing inputs averaged into the level (``"mean"``/``"log"``).

    Examples
    --------
    >>> s = WindowScaler("mean", level_window=2)
    >>> z, state = s.transform_inputs(np.array([[[1.0], [2.0], [4.0]]]))
    >>> z[0, :, 0].tolist(), float(s.inverse(np.array([[[1.0]]]), state)[0, 0, 0])
    ([0.3333333333333333, 0.6666666666666666, 1.3333333333333333], 3.0)
    """

    def __init__(self, method: str | None, level_window: int = 1) -> None:
        self.method = method
        self.level_window = level_window

    def transform_inputs(self, x: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Normalise windows ``x`` of shape ``(n, window, k)``.

        Returns the normalised windows and ``(shift, unit)``, each ``(n, 1, k)``:
        targets are ``(y - shift) / unit`` (the ``"log"`` inputs are log-ratios).
        """
        n, _, k = x.shape
        if self.method is None:
            shift, unit = np.zeros((n, 1, k)), np.ones((n, 1, k))
            return x, (shift, unit)
        if self.method == "standard":
            shift = x.mean(axis=1, keepdims=True)
            unit = x.std(axis=1, keepdims=True)
            unit = np.where(unit > _TINY, unit, 1.0)
            return (x - shift) / unit, (shift, unit)
        if self.method == "last":
            shift = x[:, -1:, :]
            return x - shift, (shift, np.ones_like(shift))
        level = x[:, -self.level_window :, :].mean(axis=1, keepdims=True)
        level = np.where(level > _TINY, level, _TINY)
        shift = np.zeros_like(level)
        if self.method == "mean":
            return x / level, (shift, level)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.log(np.maximum(x, _TINY) / level)
        return z, (shift, level)

    def transform_targets(self, y: np.ndarray, state: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Targets ``(n, horizon, k)`` into the network's space."""
        shift, unit = state
        if self.method == "log":
            return np.log(np.maximum(y, _TINY) / unit)
        return (y - shift) / unit

    def inverse(self, p: np.ndarray, state: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Network outputs ``(n, horizon, k)`` back to the series' units."""
        shift, unit = state
        if self.method == "log":
            return np.exp(np.clip(p, -30.0, 30.0)) * unit
        return p * unit + shift


def standardise_windows(x: np.ndarray) -> np.ndarray:
    """Per-window, per-channel standardisation of covariate windows ``(n, T, c)``.

    Examples
    --------
    >>> standardise_windows(np.array([[[1.0], [3.0]]]))[0, :, 0].tolist()
    [-1.0, 1.0]
    """
    mu = x.mean(axis=1, keepdims=True)
    sd = x.std(axis=1, keepdims=True)
    return (x - mu) / np.where(sd > _TINY, sd, 1.0)


def window_views(
    features: np.ndarray, targets: np.ndarray, *, window: int, horizon: int, starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Input windows and target blocks starting at positions ``starts``.

    Parameters
    ----------
    features : ndarray of shape (n, f)
        Input channels (targets first, then covariates).
    targets : ndarray of shape (n, k)
    window, horizon : int
    starts : ndarray of int
        First input position of each window; its targets are
        ``targets[start + window : start + window + horizon]``.

    Returns
    -------
    X : ndarray of shape (len(starts), window, f)
    Y : ndarray of shape (len(starts), horizon, k)

    Examples
    --------
    >>> f = np.arange(6.0).reshape(-1, 1)
    >>> X, Y = window_views(f, f, window=2, horizon=1, starts=np.array([0, 3]))
    >>> X[:, :, 0].tolist(), Y[:, :, 0].tolist()
    ([[0.0, 1.0], [3.0, 4.0]], [[2.0], [5.0]])
    """
    xv = sliding_window_view(features, window, axis=0)  # (n - window + 1, f, window)
    X = np.swapaxes(xv[starts], 1, 2)
    yv = sliding_window_view(targets[window:], horizon, axis=0)  # (.., k, horizon)
    Y = np.swapaxes(yv[starts], 1, 2)
    return X, Y
