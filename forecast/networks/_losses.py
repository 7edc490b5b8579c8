"""Forecast losses for Keras 3, resolved by name or passed through as callables.

``get_loss("smape")`` returns a Keras ``Loss`` instance. Keras (and TensorFlow)
is imported only when a loss is built, so importing this module is cheap. The
loss classes are registered as Keras-serializable (package ``"forecast"``), so
a saved model that was compiled with them loads again once they are
registered: call :func:`custom_objects` (it registers them) and pass its result
to ``keras.models.load_model(path, custom_objects=custom_objects())``.

Names
-----
``"mse"``, ``"mae"``, ``"huber"``
    Keras' built-ins.
``"smape"``
    Symmetric MAPE as in M4, in percent (0-200):
    ``200 * mean(|y - f| / (|y| + |f|))``. It is scale-free, so it gives the
    same value on level-normalised targets (``y / level``) as on the raw series.
``"mase"``
    Mean absolute error meant to be combined with ``sample_weight``: with
    ``sample_weight = 1 / scale`` (the in-sample seasonal-naive MAE of each
    window's series; ``NeuralForecaster`` computes it) the weighted loss is the
    MASE of the batch.
``"owa"``
    A differentiable surrogate of M4's OWA on ratio targets (``y / level``):
    ``0.5 * smape / 100 + 0.5 * w * mae`` per window, an equal mix of the sMAPE
    fraction and the absolute error. ``sample_weight`` ``w`` weights ONLY the
    absolute-error term (sMAPE is scale-free and stays unweighted): with
    ``w = level / scale`` that term is the window's MASE.
``"owa_log"``
    The same surrogate for log-ratio targets ``y = log(Y / level)`` and
    outputs ``p = log(F / level)`` (``NeuralForecaster(scaler="log")``): the
    sMAPE fraction of ``exp(y)`` vs ``exp(p)`` is ``2 |tanh((p - y) / 2)|`` and
    the absolute error is ``|exp(y) - exp(p)|`` (``p`` clipped to [-10, 10]
    inside the exponential), so with ``w = level / scale`` the loss is
    ``sMAPE / 200 + MASE / 2`` of the forecast in the series' units (up to the
    normalisation of ``w``). Plain ``"mae"`` on log-ratios only approximates
    the relative error and, weighted, the MASE term alone.

All losses reduce over every non-batch axis, so targets of shape ``(n, H)``
and ``(n, H, L)`` work alike, and ``sample_weight`` of shape ``(n,)``
weights whole windows (for ``"owa"``/``"owa_log"``: their MASE term).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._validation import describe

__all__ = ["LOSSES", "get_loss", "custom_objects"]

#: loss names understood by :func:`get_loss`
LOSSES: tuple[str, ...] = ("mse", "mae", "huber", "smape", "mase", "owa", "owa_log")

#: small constant that keeps sMAPE finite when both y and f are 0
_EPSILON = 1e-8
#: bound of log-ratio outputs inside ``exp`` (``"owa_log"``): e^10 = 22026 x the level
_LOG_CLIP = 10.0

_CLASSES: dict[str, type] = {}


def _build_classes() -> dict[str, type]:
    """Define and register the Keras loss classes once (imports Keras)."""
    if _CLASSES:
        return _CLASSES
    from .._tf import keras

    k = keras()
    ops = k.ops

    def _mean_non_batch(values: Any) -> Any:
        axes = tuple(range(1, len(values.shape)))
        return ops.mean(values, axis=axes) if axes else values

    @k.saving.register_keras_serializable(package="forecast")
    class SMAPELoss(k.losses.Loss):
        """sMAPE in percent (0-200), averaged over the horizon and targets."""

        def __init__(self, name: str = "smape", reduction: str = "sum_over_batch_size",
                     dtype: Any = None) -> None:
            super().__init__(name=name, reduction=reduction, dtype=dtype)

        def call(self, y_true: Any, y_pred: Any) -> Any:
            y_true = ops.cast(y_true, y_pred.dtype)
            num = ops.abs(y_true - y_pred)
            den = ops.abs(y_true) + ops.abs(y_pred) + _EPSILON
            return _mean_non_batch(200.0 * num / den)

    @k.saving.register_keras_serializable(package="forecast")
    class MASELoss(k.losses.Loss):
        """Absolute error averaged over the horizon (scale it with ``sample_weight``)."""

        def __init__(self, name: str = "mase", reduction: str = "sum_over_batch_size",
                     dtype: Any = None) -> None:
            super().__init__(name=name, reduction=reduction, dtype=dtype)

        def call(self, y_true: Any, y_pred: Any) -> Any:
            y_true = ops.cast(y_true, y_pred.dtype)
            return _mean_non_batch(ops.abs(y_true - y_pred))

    @k.saving.register_keras_serializable(package="forecast")
    class OWALoss(k.losses.Loss):
        """``smape_weight * sMAPE/100 + mase_weight * w * |y - f|`` per window.

        ``w`` is the ``sample_weight`` (1 when absent); it scales the
        absolute-error term only. ``log_targets=True`` reads ``y_true``/``y_pred``
        as log-ratios (see the module docstring, ``"owa_log"``).
        """

        def __init__(self, smape_weight: float = 0.5, mase_weight: float = 0.5,
                     log_targets: bool = False, name: str = "owa",
                     reduction: str = "sum_over_batch_size", dtype: Any = None) -> None:
            super().__init__(name=name, reduction=reduction, dtype=dtype)
            self.smape_weight = float(smape_weight)
            self.mase_weight = float(mase_weight)
            self.log_targets = bool(log_targets)

        def _terms(self, y_true: Any, y_pred: Any) -> tuple[Any, Any]:
            """Per-window sMAPE fraction (0-2) and absolute error."""
            y_true = ops.cast(y_true, y_pred.dtype)
            if self.log_targets:
                d = y_pred - y_true
                smape = 2.0 * ops.abs(ops.tanh(0.5 * d))
                clipped = ops.clip(y_pred, -_LOG_CLIP, _LOG_CLIP)
                err = ops.abs(ops.exp(ops.clip(y_true, -_LOG_CLIP, _LOG_CLIP))
                              - ops.exp(clipped))
            else:
                err = ops.abs(y_true - y_pred)
                smape = 2.0 * err / (ops.abs(y_true) + ops.abs(y_pred) + _EPSILON)
            return _mean_non_batch(smape), _mean_non_batch(err)

        def call(self, y_true: Any, y_pred: Any) -> Any:
            smape, err = self._terms(y_true, y_pred)
            return self.smape_weight * smape + self.mase_weight * err

        def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
            if sample_weight is None:
                return super().__call__(y_true, y_pred)
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
            y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
            smape, err = self._terms(y_true, y_pred)
            w = ops.reshape(ops.cast(sample_weight, err.dtype), ops.shape(err))
            values = self.smape_weight * smape + self.mase_weight * w * err
            return _reduce(values, w, self.reduction)

        def get_config(self) -> dict[str, Any]:
            config = super().get_config()
            config.update(smape_weight=self.smape_weight, mase_weight=self.mase_weight,
                          log_targets=self.log_targets)
            return config

    def _reduce(values: Any, weights: Any, reduction: str | None) -> Any:
        """Keras' reductions of per-window values whose weights are already applied."""
        if reduction in (None, "none"):
            return values
        total = ops.sum(values)
        if reduction == "sum":
            return total
        if reduction == "mean_with_sample_weight":
            return ops.divide_no_nan(total, ops.sum(weights))
        n = ops.cast(ops.shape(values)[0], values.dtype)
        return ops.divide_no_nan(total, n)

    _CLASSES.update(smape=SMAPELoss, mase=MASELoss, owa=OWALoss)
    return _CLASSES


def get_loss(loss: str | Callable[..., Any]) -> Any:
    """Resolve a loss name (or pass a callable through) to a Keras loss.

    Parameters
    ----------
    loss : str or callable
        One of ``"mse"``, ``"mae"``, ``"huber"``, ``"smape"``, ``"mase"``,
        ``"owa"``, ``"owa_log"`` (case-insensitive), a ``keras.losses.Loss`` instance or any
        callable ``fn(y_true, y_pred) -> per-sample loss`` (returned unchanged).

    Returns
    -------
    keras.losses.Loss or callable
        Applies to targets of shape ``(n, H)`` or ``(n, H, L)``; the per-window
        values it returns are weighted by ``sample_weight`` of shape ``(n,)``.

    Raises
    ------
    ValueError
        If ``loss`` is an unknown name (raised before Keras is imported).
    TypeError
        If ``loss`` is neither a string nor callable.

    Examples
    --------
    >>> import numpy as np
    >>> loss = get_loss("smape")
    >>> float(loss(np.array([[1.0, 2.0]]), np.array([[1.0, 2.0]])))
    0.0
    """
    if isinstance(loss, str):
        name = loss.lower()
        if name not in LOSSES:
            raise ValueError(f"`loss` must be one of {list(LOSSES)} or a callable. "
                             f"Received: loss={loss!r}")
        from .._tf import keras

        k = keras()
        if name == "mse":
            return k.losses.MeanSquaredError()
        if name == "mae":
            return k.losses.MeanAbsoluteError()
        if name == "huber":
            return k.losses.Huber()
        if name == "owa_log":
            return _build_classes()["owa"](log_targets=True, name="owa_log")
        return _build_classes()[name]()
    if callable(loss):
        return loss
    raise TypeError(f"`loss` must be a string or a callable. Received: loss={describe(loss)}")


def custom_objects() -> dict[str, type]:
    """The forecast loss classes by registered name, for ``keras.models.load_model``.

    Calling it also registers the classes with Keras, so models saved with a
    forecast loss load in a fresh process.

    Returns
    -------
    dict
        ``{"forecast>SMAPELoss": SMAPELoss, ..., "SMAPELoss": SMAPELoss, ...}``.

    Examples
    --------
    >>> sorted(custom_objects())[:2]
    ['MASELoss', 'OWALoss']
    """
    classes = _build_classes()
    out: dict[str, type] = {}
    for cls in classes.values():
        out[f"forecast>{cls.__name__}"] = cls
        out[cls.__name__] = cls
    return out
