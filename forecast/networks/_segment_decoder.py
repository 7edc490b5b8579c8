"""Parallel segment decoding (SegRNN's PMF), a registered Keras layer.

SegRNN (Lin et al., 2023) forecasts ``m`` output segments at once: every
segment starts one step of a recurrent cell from the encoder's final state, with
a learned embedding of the segment's position as input, so no segment waits for
the previous one and no error is fed back. :func:`segment_decoder` returns that
layer; the head that maps each decoded state to ``segment_length`` values is an
ordinary ``Dense`` applied per segment (see ``build_recurrent_model``).

The class is defined (and registered with Keras as ``"forecast>SegmentDecoder"``)
on first use, so importing this module does not import TensorFlow.
"""

from __future__ import annotations

from typing import Any

__all__ = ["segment_decoder", "custom_objects"]

_CLASSES: dict[str, type] = {}
_CELLS = {"lstm": "LSTMCell", "gru": "GRUCell", "rnn": "SimpleRNNCell"}


def _decoder_class() -> type:
    if "SegmentDecoder" in _CLASSES:
        return _CLASSES["SegmentDecoder"]
    from .._tf import keras

    k = keras()
    ops = k.ops

    @k.saving.register_keras_serializable(package="forecast")
    class SegmentDecoder(k.layers.Layer):
        """One recurrent step per output segment, all from the same encoder state.

        Call it on the list of the encoder's final states (``[h]`` for GRU and
        SimpleRNN, ``[h, c]`` for LSTM), each ``(batch, units)``; it returns the
        decoded states ``(batch, n_segments, units)``.
        """

        def __init__(
            self,
            cell: str = "gru",
            units: int = 32,
            n_segments: int = 1,
            embeddings_initializer: Any = "random_normal",
            **kwargs: Any,
        ) -> None:
            super().__init__(**kwargs)
            if cell not in _CELLS:
                raise ValueError(f"`cell` must be one of {sorted(_CELLS)}. Received: cell={cell!r}")
            self.cell_name = cell
            self.units = int(units)
            self.n_segments = int(n_segments)
            self.embeddings_initializer = k.initializers.get(embeddings_initializer)
            kwargs_cell: dict[str, Any] = {"name": "cell"}
            if cell == "gru":
                kwargs_cell["reset_after"] = True
            self.cell = getattr(k.layers, _CELLS[cell])(self.units, **kwargs_cell)

        def build(self, input_shape: Any) -> None:
            self.embeddings = self.add_weight(
                name="embeddings",
                shape=(self.n_segments, self.units),
                initializer=self.embeddings_initializer,
            )
            self.cell.build((None, self.units))
            self.built = True

        def call(self, states: Any, training: Any = None) -> Any:
            states = list(states) if isinstance(states, list | tuple) else [states]
            m, d = self.n_segments, self.units
            batch = ops.shape(states[0])[0]
            x = ops.broadcast_to(ops.expand_dims(self.embeddings, 0), (batch, m, d))
            x = ops.reshape(x, (-1, d))
            rep = [ops.reshape(ops.repeat(ops.expand_dims(s, 1), m, axis=1), (-1, d))
                   for s in states]
            out, _ = self.cell(x, rep if len(rep) > 1 else rep[0], training=training)
            return ops.reshape(out, (-1, m, d))

        def compute_output_shape(self, input_shape: Any) -> tuple:
            first = input_shape[0] if isinstance(input_shape, list) else input_shape
            return (first[0], self.n_segments, self.units)

        def get_config(self) -> dict[str, Any]:
            return {
                **super().get_config(),
                "cell": self.cell_name,
                "units": self.units,
                "n_segments": self.n_segments,
                "embeddings_initializer": k.initializers.serialize(self.embeddings_initializer),
            }

    _CLASSES["SegmentDecoder"] = SegmentDecoder
    return SegmentDecoder


def segment_decoder(cell: str, units: int, n_segments: int, name: str | None = None) -> Any:
    """SegRNN's parallel multi-step decoder layer.

    Parameters
    ----------
    cell : {"lstm", "gru", "rnn"}
        Cell type; must match the encoder's (its final states seed the decoder).
    units : int
        State size of the encoder's last recurrent layer.
    n_segments : int
        Output segments decoded in parallel (``ceil(horizon / segment_length)``).
    name : str, optional

    Returns
    -------
    keras.layers.Layer
        Maps the encoder's final states (each ``(batch, units)``) to
        ``(batch, n_segments, units)``.

    Examples
    --------
    >>> layer = segment_decoder("gru", 64, n_segments=4)  # doctest: +SKIP
    """
    return _decoder_class()(cell=cell, units=units, n_segments=n_segments, name=name)


def custom_objects() -> dict[str, type]:
    """The decoder layer class by registered and plain name (registers it with Keras).

    Returns
    -------
    dict

    Examples
    --------
    >>> sorted(custom_objects())  # doctest: +SKIP
    ['SegmentDecoder', 'forecast>SegmentDecoder']
    """
    cls = _decoder_class()
    return {"forecast>SegmentDecoder": cls, "SegmentDecoder": cls}
