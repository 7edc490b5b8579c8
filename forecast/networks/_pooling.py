"""Mask-aware pooling over time of a recurrent layer's sequences (a registered Keras layer).

``keras.layers.GlobalMaxPooling1D`` ignores the padding mask, so padded steps
(whose recurrent outputs are zeros or copies) would leak into the maximum.
:func:`sequence_pooling` returns a small weightless layer that takes the max
and/or mean over the unmasked steps only. The class is defined (and registered
with Keras under ``"forecast>SequencePooling"``) on first use, so importing this
module does not import TensorFlow.
"""

from __future__ import annotations

from typing import Any

__all__ = ["POOLINGS", "sequence_pooling", "custom_objects"]

#: accepted pooling modes over time ("last" = no pooling: the last state)
POOLINGS: tuple[str, ...] = ("last", "max", "mean", "maxmean")

_CLASSES: dict[str, type] = {}


def _pooling_class() -> type:
    if "SequencePooling" in _CLASSES:
        return _CLASSES["SequencePooling"]
    from .._tf import keras

    k = keras()
    ops = k.ops

    @k.saving.register_keras_serializable(package="forecast")
    class SequencePooling(k.layers.Layer):
        """Max, mean or both (concatenated, max first) over the unmasked time steps."""

        def __init__(self, mode: str = "maxmean", **kwargs: Any) -> None:
            super().__init__(**kwargs)
            if mode not in ("max", "mean", "maxmean"):
                raise ValueError(
                    f"`mode` must be 'max', 'mean' or 'maxmean'. Received: mode={mode!r}"
                )
            self.mode = mode
            self.supports_masking = True

        def call(self, inputs: Any, mask: Any = None) -> Any:
            if mask is None:
                mx = ops.max(inputs, axis=1)
                mean = ops.mean(inputs, axis=1)
            else:
                m = ops.expand_dims(ops.cast(mask, inputs.dtype), -1)
                big = ops.cast(1e9, inputs.dtype)
                mx = ops.max(inputs * m - big * (1.0 - m), axis=1)
                count = ops.maximum(ops.sum(m, axis=1), 1.0)
                mean = ops.sum(inputs * m, axis=1) / count
                empty = ops.sum(m, axis=1) <= 0  # all-padding rows: 0 instead of -1e9
                mx = ops.where(empty, ops.zeros_like(mx), mx)
            if self.mode == "max":
                return mx
            if self.mode == "mean":
                return mean
            return ops.concatenate([mx, mean], axis=-1)

        def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
            return None

        def compute_output_shape(self, input_shape: Any) -> tuple:
            features = input_shape[-1]
            if self.mode == "maxmean" and features is not None:
                features = 2 * features
            return (input_shape[0], features)

        def get_config(self) -> dict[str, Any]:
            return {**super().get_config(), "mode": self.mode}

    _CLASSES["SequencePooling"] = SequencePooling
    return SequencePooling


def sequence_pooling(mode: str, name: str | None = None) -> Any:
    """A mask-aware pooling-over-time layer.

    Parameters
    ----------
    mode : {"max", "mean", "maxmean"}
        ``"maxmean"`` concatenates the max and the mean (``2 * features`` outputs).
    name : str, optional

    Returns
    -------
    keras.layers.Layer
        Maps ``(batch, T, features)`` (+ mask) to ``(batch, features)`` or
        ``(batch, 2 * features)``; masked steps are ignored and the output
        carries no mask.

    Examples
    --------
    >>> layer = sequence_pooling("maxmean")
    """
    return _pooling_class()(mode=mode, name=name)


def custom_objects() -> dict[str, type]:
    """The pooling layer class by registered and plain name (registers it with Keras).

    Returns
    -------
    dict

    Examples
    --------
    >>> sorted(custom_objects())
    ['SequencePooling', 'forecast>SequencePooling']
    """
    cls = _pooling_class()
    return {"forecast>SequencePooling": cls, "SequencePooling": cls}
