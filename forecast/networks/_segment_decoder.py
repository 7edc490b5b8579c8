"""Parallel segment decoding (SegRNN's PMF), a registered Keras layer.

SegRNN (Lin et al., 2023) forecasts ``m`` output segments at once: every
segment starts one step of a recurrent cell from the encoder's final state, with
a learned embedding of the segment's position as input, so no segment waits for
the previous one and no error is fed back. :func:`segment_decoder` returns that
layer; the head that maps each decoded state to ``segment_length`` values is an
ordinary ``Dense`` applied per segment (see ``build_recurrent_model``).

SegRNN itself runs the decoding step with the encoder's own GRU (one set of
recurrent weights). :func:`segment_queries` and :func:`fold_segments` let the
network builder do that with Keras' layer sharing: the queries layer turns the
encoder's final states into ``batch * m`` length-1 sequences (the position
embeddings) with the states repeated as initial states, the encoder layer is
called on them a second time, and the fold layer regroups the decoded states
into ``(batch, m, units)``.

SegRNN also adds a channel position embedding to each query (which variable of a
channel-independent panel the window belongs to). :func:`split_static` splits
such per-window constant columns (a one-hot code) off the input; embedded, they
enter either decoder as a ``context`` added to every position embedding.

The classes are defined (and registered with Keras as ``"forecast>..."``) on
first use, so importing this module does not import TensorFlow.
"""

from __future__ import annotations

from typing import Any

__all__ = ["segment_decoder", "segment_queries", "fold_segments", "split_static",
           "custom_objects"]

_CLASSES: dict[str, type] = {}
_CELLS = {"lstm": "LSTMCell", "gru": "GRUCell", "rnn": "SimpleRNNCell"}


def _queries(
    ops: Any, embeddings: Any, states: Any, context: bool = False
) -> tuple[Any, list[Any]]:
    """Position embeddings ``(m, d)`` and states ``(batch, k)`` -> ``(batch * m, d)`` and
    each state repeated to ``(batch * m, k)``; row ``b * m + j`` is segment ``j`` of ``b``.

    With ``context``, the last element of ``states`` is a ``(batch, d)`` embedding
    (of the window's static features) added to every position embedding instead."""
    states = list(states) if isinstance(states, list | tuple) else [states]
    extra = states.pop() if context else None
    m, d = embeddings.shape
    batch = ops.shape(states[0])[0]
    q = ops.broadcast_to(ops.expand_dims(embeddings, 0), (batch, m, d))
    if extra is not None:
        q = q + ops.expand_dims(extra, 1)
    q = ops.reshape(q, (-1, d))
    rep = [ops.reshape(ops.repeat(ops.expand_dims(s, 1), m, axis=1), (-1, s.shape[-1]))
           for s in states]
    return q, rep


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
        SimpleRNN, ``[h, c]`` for LSTM), each ``(batch, units)``, followed with
        ``context=True`` by a ``(batch, units)`` embedding added to every position
        embedding; it returns the decoded states ``(batch, n_segments, units)``.
        """

        def __init__(
            self,
            cell: str = "gru",
            units: int = 32,
            n_segments: int = 1,
            embeddings_initializer: Any = "random_normal",
            context: bool = False,
            **kwargs: Any,
        ) -> None:
            super().__init__(**kwargs)
            self.context = bool(context)
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
            x, rep = _queries(ops, self.embeddings, states, self.context)
            out, _ = self.cell(x, rep if len(rep) > 1 else rep[0], training=training)
            return ops.reshape(out, (-1, self.n_segments, self.units))

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
                "context": self.context,
            }

    _CLASSES["SegmentDecoder"] = SegmentDecoder
    return SegmentDecoder


def _shared_classes() -> tuple[type, type]:
    if "SegmentQueries" in _CLASSES:
        return _CLASSES["SegmentQueries"], _CLASSES["FoldSegments"]
    from .._tf import keras

    k = keras()
    ops = k.ops

    @k.saving.register_keras_serializable(package="forecast")
    class SegmentQueries(k.layers.Layer):
        """Decoder inputs for a shared recurrent layer: ``m`` position embeddings.

        Call it on the list of the encoder's final states (each ``(batch, d)``),
        followed with ``context=True`` by a ``(batch, units)`` embedding added to
        every position embedding; it returns ``[queries, *states]``: ``queries``
        ``(batch * m, 1, units)`` (the embedding of each output segment's position,
        plus the context if any; ``units`` is the input size of
        the decoding layer) and every state repeated to ``(batch * m, d)``, row
        ``b * m + j`` for segment ``j`` of sample ``b``.
        """

        def __init__(
            self,
            units: int = 32,
            n_segments: int = 1,
            embeddings_initializer: Any = "random_normal",
            context: bool = False,
            **kwargs: Any,
        ) -> None:
            super().__init__(**kwargs)
            self.context = bool(context)
            self.units = int(units)
            self.n_segments = int(n_segments)
            self.embeddings_initializer = k.initializers.get(embeddings_initializer)

        def build(self, input_shape: Any) -> None:
            self.embeddings = self.add_weight(
                name="embeddings",
                shape=(self.n_segments, self.units),
                initializer=self.embeddings_initializer,
            )
            self.built = True

        def call(self, states: Any) -> list[Any]:
            q, rep = _queries(ops, self.embeddings, states, self.context)
            return [ops.expand_dims(q, 1), *rep]

        def compute_output_shape(self, input_shape: Any) -> list[tuple]:
            shapes = list(input_shape) if isinstance(input_shape, list) else [input_shape]
            if self.context:
                shapes.pop()
            return [(None, 1, self.units)] + [(None, s[-1]) for s in shapes]

        def get_config(self) -> dict[str, Any]:
            return {
                **super().get_config(),
                "units": self.units,
                "n_segments": self.n_segments,
                "embeddings_initializer": k.initializers.serialize(self.embeddings_initializer),
                "context": self.context,
            }

    @k.saving.register_keras_serializable(package="forecast")
    class FoldSegments(k.layers.Layer):
        """``(batch * m, units)`` -> ``(batch, m, units)``: undo :class:`SegmentQueries`."""

        def __init__(self, n_segments: int = 1, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.n_segments = int(n_segments)

        def call(self, x: Any) -> Any:
            return ops.reshape(x, (-1, self.n_segments, ops.shape(x)[-1]))

        def compute_output_shape(self, input_shape: Any) -> tuple:
            return (None, self.n_segments, input_shape[-1])

        def get_config(self) -> dict[str, Any]:
            return {**super().get_config(), "n_segments": self.n_segments}

    _CLASSES["SegmentQueries"], _CLASSES["FoldSegments"] = SegmentQueries, FoldSegments
    return SegmentQueries, FoldSegments


def _split_class() -> type:
    if "SplitStatic" in _CLASSES:
        return _CLASSES["SplitStatic"]
    from .._tf import keras

    k = keras()

    @k.saving.register_keras_serializable(package="forecast")
    class SplitStatic(k.layers.Layer):
        """``(batch, T, F)`` -> ``[(batch, T, F - n), (batch, n)]``: the window without
        its last ``n`` feature columns, and those columns at the last step."""

        def __init__(self, n_static: int = 1, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.n_static = int(n_static)

        def call(self, x: Any) -> list[Any]:
            return [x[:, :, : -self.n_static], x[:, -1, -self.n_static :]]

        def compute_output_shape(self, input_shape: Any) -> list[tuple]:
            batch, steps, features = input_shape
            return [(batch, steps, features - self.n_static), (batch, self.n_static)]

        def get_config(self) -> dict[str, Any]:
            return {**super().get_config(), "n_static": self.n_static}

    _CLASSES["SplitStatic"] = SplitStatic
    return SplitStatic


def split_static(n_static: int, name: str | None = None) -> Any:
    """The layer splitting a window's last ``n_static`` feature columns off.

    Parameters
    ----------
    n_static : int
        Trailing feature columns that are constant over each window (e.g. a
        series' one-hot code).
    name : str, optional

    Returns
    -------
    keras.layers.Layer
        Maps ``(batch, T, F)`` to ``[(batch, T, F - n_static), (batch, n_static)]``
        (the static columns read at the last step).

    Examples
    --------
    >>> layer = split_static(3)
    """
    return _split_class()(n_static=n_static, name=name)


def segment_queries(
    units: int, n_segments: int, name: str | None = None, context: bool = False
) -> Any:
    """Inputs and initial states for decoding ``n_segments`` with a shared recurrent layer.

    Parameters
    ----------
    units : int
        Input size of the recurrent layer that decodes (the encoder's last one):
        the size of the position embeddings.
    n_segments : int
        Output segments decoded in parallel.
    name : str, optional
    context : bool, default=False
        The layer's input ends with a ``(batch, units)`` context (an embedding of
        the window's static features) added to every position embedding:
        SegRNN's channel position embedding.

    Returns
    -------
    keras.layers.Layer
        Maps the encoder's final states (each ``(batch, d)``) to
        ``[queries (batch * n_segments, 1, units), *states (batch * n_segments, d)]``.

    Examples
    --------
    >>> layer = segment_queries(64, n_segments=4)
    """
    return _shared_classes()[0](units=units, n_segments=n_segments, name=name,
                                context=context)


def fold_segments(n_segments: int, name: str | None = None) -> Any:
    """The layer regrouping ``(batch * n_segments, units)`` into ``(batch, n_segments, units)``.

    Parameters
    ----------
    n_segments : int
    name : str, optional

    Returns
    -------
    keras.layers.Layer

    Examples
    --------
    >>> layer = fold_segments(4)
    """
    return _shared_classes()[1](n_segments=n_segments, name=name)


def segment_decoder(
    cell: str, units: int, n_segments: int, name: str | None = None, context: bool = False
) -> Any:
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
    context : bool, default=False
        The layer's input ends with a ``(batch, units)`` context added to every
        position embedding (see :func:`segment_queries`).

    Returns
    -------
    keras.layers.Layer
        Maps the encoder's final states (each ``(batch, units)``) to
        ``(batch, n_segments, units)``.

    Examples
    --------
    >>> layer = segment_decoder("gru", 64, n_segments=4)
    """
    return _decoder_class()(cell=cell, units=units, n_segments=n_segments, name=name,
                            context=context)


def custom_objects() -> dict[str, type]:
    """The decoder layer classes by registered and plain name (registers them with Keras).

    Returns
    -------
    dict

    Examples
    --------
    >>> sorted(custom_objects())[:2]
    ['FoldSegments', 'SegmentDecoder']
    """
    classes = [_decoder_class(), *_shared_classes(), _split_class()]
    out: dict[str, type] = {}
    for cls in classes:
        out[f"forecast>{cls.__name__}"] = cls
        out[cls.__name__] = cls
    return out
