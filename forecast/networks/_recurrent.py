"""Pure builders of recurrent Keras 3 models (TensorFlow backend).

Nothing here touches data: sizes come in as arguments (the estimators read them
from the data). Keras is imported lazily inside the functions, so importing this
module does not import TensorFlow.

cuDNN eligibility
-----------------
On a GPU, Keras runs ``LSTM``/``GRU`` layers with the fused cuDNN kernel (often
5-10x faster) only when they keep ``activation="tanh"``,
``recurrent_activation="sigmoid"``, ``recurrent_dropout=0``, ``unroll=False``,
``use_bias=True``, ``reset_after=True`` (GRU) and the mask (if any) is strictly
right-padded. The defaults here keep every layer eligible. ``recurrent_dropout > 0``
regularises the recurrent connections but silently falls back to the generic
kernel; ``cell="rnn"`` (``SimpleRNN``) never has a cuDNN kernel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .._validation import check_bool, check_fraction, check_option, check_positive_int
from ._pooling import sequence_pooling
from ._recurrent_checks import (
    CELLS,
    DECODERS,
    check_highway,
    check_mask_with_segments,
    check_network_params,
    check_shape,
    check_static_features,
)

__all__ = [
    "CELLS", "DECODERS", "build_recurrent_model", "recurrent_layer", "check_network_params",
    "check_highway",
]


def recurrent_layer(
    cell: str,
    units: int,
    *,
    return_sequences: bool = False,
    bidirectional: bool = False,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    return_state: bool = False,
    name: str | None = None,
) -> Any:
    """One (optionally bidirectional) Keras recurrent layer with cuDNN-friendly defaults.

    Parameters
    ----------
    cell : {"lstm", "gru", "rnn"}
    units : int
        Hidden state size.
    return_sequences : bool, default=False
        Output the state at every step, shape ``(batch, T, units)``, instead of
        only the last one, shape ``(batch, units)``.
    bidirectional : bool, default=False
        Wrap in ``Bidirectional`` (outputs concatenated: ``2 * units`` features).
    dropout, recurrent_dropout : float in [0, 1)
        Input and recurrent dropout rates (``recurrent_dropout > 0`` disables cuDNN).
    return_state : bool, default=False
        Also return the final state(s) (``[output, h]``, or ``[output, h, c]`` for LSTM).
    name : str, optional

    Returns
    -------
    keras.layers.Layer

    Raises
    ------
    TypeError
        If `units` is not an integer, `bidirectional`, `return_sequences` or
        `return_state` is not a bool, or a dropout rate is not a number.
    ValueError
        If `cell` is not one of ``"lstm"``, ``"gru"``, ``"rnn"``, `units` < 1, a
        dropout rate is outside [0, 1), or the ``FORECAST_NUM_THREADS`` environment
        variable is set to something other than a positive integer.

    Examples
    --------
    >>> layer = recurrent_layer("gru", 8, return_sequences=True)
    """
    from .._tf import keras

    k = keras()
    check_option("cell", cell, tuple(CELLS))
    units = check_positive_int("units", units)
    bidirectional = check_bool("bidirectional", bidirectional)
    kwargs: dict[str, Any] = {
        "units": units,
        "return_sequences": check_bool("return_sequences", return_sequences),
        "dropout": check_fraction("dropout", dropout),
        "recurrent_dropout": check_fraction("recurrent_dropout", recurrent_dropout),
    }
    return_state = check_bool("return_state", return_state)
    if return_state:
        kwargs["return_state"] = True
    if cell == "gru":
        kwargs["reset_after"] = True  # required by the cuDNN kernel
    layer_cls = getattr(k.layers, CELLS[cell])
    if bidirectional:
        return k.layers.Bidirectional(layer_cls(**kwargs), name=name)
    return layer_cls(**kwargs, name=name)


def build_recurrent_model(
    input_shape: Sequence[int],
    output_shape: int | Sequence[int] = 1,
    *,
    cell: str = "lstm",
    units: int | Sequence[int] = (32,),
    bidirectional: bool = False,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    dense_units: int | Sequence[int] | None = None,
    dense_activation: str = "relu",
    output_activation: str | None = None,
    segment_length: int | None = None,
    vocab_size: int | None = None,
    embedding_dim: int | None = None,
    mask_value: float | None = None,
    pooling: str = "last",
    embedding_dropout: float = 0.0,
    decoder: str = "dense",
    highway: bool = False,
    static_features: int = 0,
    n_members: int = 1,
    name: str = "recurrent",
) -> Any:
    """Build (not compile) a recurrent network: [embedding|masking|segments] -> RNN stack -> head.

    Parameters
    ----------
    input_shape : tuple of int
        ``(T, F)`` for real-valued sequences, or ``(T,)`` for token ids (then
        ``vocab_size`` and ``embedding_dim`` are required).
    output_shape : int or tuple of int, default=1
        Shape of one output: ``1`` (one step, e.g. recursive forecasting),
        ``H`` / ``(H,)`` (MIMO, H steps) or ``(H, L)`` (H steps of L targets).
    cell : {"lstm", "gru", "rnn"}, default="lstm"
    units : int or tuple of int, default=(32,)
        Sizes of stacked recurrent layers; all but the last return sequences.
    bidirectional : bool, default=False
    dropout, recurrent_dropout : float in [0, 1), default=0.0
        ``dropout`` applies to each recurrent layer's inputs and after each hidden
        dense layer; ``recurrent_dropout > 0`` disables the cuDNN kernel on GPUs.
    dense_units : int or tuple of int, optional
        Hidden dense layers of the head (activation ``dense_activation``).
    dense_activation : str, default="relu"
    output_activation : str, optional
        Activation of the output layer (``None`` = linear; ``"sigmoid"``/``"softmax"``
        for classifiers).
    segment_length : int, optional
        Segment-wise recurrence (SegRNN): the T steps are regrouped into
        ``T // segment_length`` steps of ``segment_length * F`` values, so the
        network runs e.g. over days instead of hours. T must be divisible.
    vocab_size : int, optional
        Number of token ids (``0`` is padding) when the input is token ids.
    embedding_dim : int, optional
        Size of the ``Embedding(mask_zero=True)`` front end for token ids.
    mask_value : float, optional
        Steps whose features all equal ``mask_value`` are skipped (``Masking``);
        use right-padding to keep cuDNN eligibility. Not with ``segment_length``.
    pooling : {"last", "max", "mean", "maxmean"}, default="last"
        What the head sees: the last recurrent layer's final state ("last"), or
        the max / mean / both concatenated over its outputs at every unmasked
        step (the last layer then returns sequences; padding is ignored).
    embedding_dropout : float in [0, 1), default=0.0
        ``SpatialDropout1D`` after the embedding: drops whole token vectors
        (word dropout) during training. Token-id input only.
    decoder : {"dense", "segments", "shared_segments"}, default="dense"
        ``"dense"``: the head maps the last state to the whole output. ``"segments"``
        (SegRNN, needs ``segment_length``): each input segment is first embedded by
        ``Dense(units[0], relu)``; the horizon is cut into
        ``m = ceil(H / segment_length)`` segments, each decoded in parallel by one
        step of a recurrent cell started from the encoder's final state with a
        learned position embedding as input, then mapped by the head (hidden
        ``dense_units``, then ``Dense(segment_length * L)``) to its values (the
        last segment is cropped to H). ``dropout`` then applies only to the
        decoded states (as in SegRNN), not to the recurrent layers' inputs.
        ``"shared_segments"``: the same, but the decoding step is run by the
        encoder's last recurrent layer itself (SegRNN's single GRU, fewer weights)
        instead of a cell of its own.
    highway : bool, default=False
        Add a linear map of the whole input window (``Dense`` over the flattened
        ``T * F`` values, layer ``"highway"``) to the network's output: LSTNet's
        autoregressive highway. The recurrent part then learns what a linear
        autoregression misses. Real-valued input, no ``mask_value`` and a linear
        output only.
    static_features : int, default=0
        The last ``static_features`` feature columns are constant over each window
        (e.g. a series' one-hot code, as ``NeuralForecaster(series_features=
        "embedding")`` appends): the encoder does not read them; their values at
        the last step are embedded (``Dense(d, use_bias=False)``, layer
        ``"static_embedding"``) and added to every output segment's position
        embedding, SegRNN's channel position embedding. Needs a segment
        ``decoder``.
    n_members : int, default=1
        With ``n_members > 1``, that many independent copies of the network
        (sub-models ``"member_0"``, ...; each draws its own weights) read the
        same input and their outputs are stacked on axis 1. Trained with a loss
        averaged over the members (targets repeated), each member gets exactly
        its own gradient: a seed ensemble in one model.
    name : str, default="recurrent"

    Returns
    -------
    keras.Model
        Input ``(batch, *input_shape)``; output ``(batch, *output_shape)``, or
        ``(batch, n_members, *output_shape)`` with ``n_members > 1``.
        Recurrent layers are named ``"recurrent_0"``, ``"recurrent_1"``, ...

    Raises
    ------
    TypeError
        If an architecture parameter has the wrong type (see
        :func:`check_network_params`), an entry of `input_shape`/`output_shape`,
        `n_members` or (for token ids) `vocab_size` is not an integer, or `highway` is
        not a bool.
    ValueError
        If an architecture parameter is invalid (see :func:`check_network_params`);
        `input_shape` is not ``(T, F)`` (or ``(T,)`` with `embedding_dim`),
        `output_shape` has more than 3 dimensions or a size is < 1; `n_members` or
        `vocab_size` is < 1; `highway` is combined with `embedding_dim`, `mask_value`
        or `output_activation`; `mask_value` is combined with `segment_length`;
        `segment_length` does not divide T; `static_features` is negative, is used
        with ``decoder="dense"`` or leaves no feature column to the encoder; or the
        ``FORECAST_NUM_THREADS`` environment variable is not a positive integer.

    Examples
    --------
    >>> model = build_recurrent_model((48, 3), (12,), cell="gru", units=(16, 8))
    >>> model.output_shape
    (None, 12)
    """
    from .._tf import keras

    params = check_network_params(
        cell=cell,
        units=units,
        bidirectional=bidirectional,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        dense_units=dense_units,
        segment_length=segment_length,
        embedding_dim=embedding_dim,
        pooling=pooling,
        embedding_dropout=embedding_dropout,
        decoder=decoder,
    )
    input_shape = check_shape("input_shape", input_shape, ndim=(1, 2))
    out_shape = check_shape("output_shape", output_shape, ndim=(1, 2, 3))
    for arg, value in (("dense_activation", dense_activation),
                       ("output_activation", output_activation)):
        try:
            if value is not None:
                keras().activations.get(value)
        except (ValueError, TypeError):
            raise ValueError(f"`{arg}` must be a Keras activation name (e.g. 'relu', 'tanh', "
                             f"'linear') or callable. Received: {arg}={value!r}") from None
    n_members = check_positive_int("n_members", n_members)
    highway = check_highway(highway, embedding_dim=embedding_dim, mask_value=mask_value,
                            output_activation=output_activation)
    check_mask_with_segments(mask_value, params["segment_length"])
    static_features = check_static_features(
        static_features, decoder=params["decoder"],
        n_features=input_shape[-1] if len(input_shape) == 2 else None)
    k = keras()
    inputs = k.Input(shape=input_shape, name="inputs")
    if n_members > 1:
        member_kwargs = {
            **params, "dense_activation": dense_activation,
            "output_activation": output_activation, "vocab_size": vocab_size,
            "mask_value": mask_value, "highway": highway, "static_features": static_features,
        }
        outs = []
        for i in range(n_members):
            member = build_recurrent_model(
                input_shape, out_shape, **member_kwargs, name=f"member_{i}"
            )
            outs.append(k.layers.Reshape((1, *out_shape), name=f"member_{i}_output")(
                member(inputs)))
        x = k.layers.Concatenate(axis=1, name="members")(outs)
        return k.Model(inputs, x, name=name)
    x = inputs
    static = None
    if params["embedding_dim"] is not None:
        if len(input_shape) != 1:
            raise ValueError(
                "Token-id input must have input_shape=(T,). "
                f"Received: input_shape={input_shape}"
            )
        vocab_size = check_positive_int("vocab_size", vocab_size)
        x = k.layers.Embedding(
            vocab_size, params["embedding_dim"], mask_zero=True, name="embedding"
        )(x)
        if params["embedding_dropout"] > 0:
            x = k.layers.SpatialDropout1D(params["embedding_dropout"], name="embedding_dropout")(x)
    else:
        if len(input_shape) != 2:
            raise ValueError(
                f"`input_shape` must be (T, F). Received: input_shape={input_shape}"
            )
        if mask_value is not None:
            x = k.layers.Masking(mask_value=float(mask_value), name="masking")(x)
        if static_features:
            from ._segment_decoder import split_static

            x, static = split_static(static_features, name="split_static")(x)
        seg = params["segment_length"]
        if seg is not None:
            steps, features = input_shape[0], input_shape[1] - static_features
            if steps % seg:
                raise ValueError(
                    f"`segment_length` must divide the window length {steps}. "
                    f"Received: segment_length={seg}"
                )
            x = k.layers.Reshape((steps // seg, seg * features), name="segments")(x)
    if params["decoder"] != "dense":
        y = _segment_encoder_decoder(k, x, params, out_shape, dense_activation,
                                     output_activation, static)
        return k.Model(inputs, _add_highway(k, inputs, y, out_shape) if highway else y,
                       name=name)
    stack = params["units"]
    for i, n_units in enumerate(stack):
        x = recurrent_layer(
            params["cell"],
            n_units,
            return_sequences=i < len(stack) - 1 or params["pooling"] != "last",
            bidirectional=params["bidirectional"],
            dropout=params["dropout"],
            recurrent_dropout=params["recurrent_dropout"],
            name=f"recurrent_{i}",
        )(x)
    if params["pooling"] != "last":
        x = sequence_pooling(params["pooling"], name="pooling")(x)
    for j, n_units in enumerate(params["dense_units"]):
        x = k.layers.Dense(n_units, activation=dense_activation, name=f"dense_{j}")(x)
        if params["dropout"] > 0:
            x = k.layers.Dropout(params["dropout"], name=f"dense_dropout_{j}")(x)
    x = k.layers.Dense(math.prod(out_shape), activation=output_activation, name="output")(x)
    if len(out_shape) > 1:
        x = k.layers.Reshape(out_shape, name="output_reshape")(x)
    return k.Model(inputs, _add_highway(k, inputs, x, out_shape) if highway else x, name=name)


def _add_highway(k: Any, inputs: Any, y: Any, out_shape: tuple[int, ...]) -> Any:
    """``y + Dense(inputs flattened)``, shaped like ``y`` (LSTNet's linear highway)."""
    lin = k.layers.Dense(math.prod(out_shape), name="highway")(
        k.layers.Flatten(name="highway_flatten")(inputs))
    if len(out_shape) > 1:
        lin = k.layers.Reshape(out_shape, name="highway_reshape")(lin)
    return k.layers.Add(name="highway_add")([y, lin])


def _segment_encoder_decoder(
    k: Any,
    x: Any,
    params: dict[str, Any],
    out_shape: tuple[int, ...],
    dense_activation: str,
    output_activation: str | None,
    static: Any = None,
) -> Any:
    """SegRNN encoder-decoder on segmented inputs ``x`` -> output ``(batch, *out_shape)``;
    ``static`` ``(batch, n)``, if given, is embedded into the decoder's queries."""
    from ._segment_decoder import fold_segments, segment_decoder, segment_queries

    stack, seg = params["units"], params["segment_length"]
    x = k.layers.Dense(stack[0], activation="relu", name="segment_embedding")(x)
    states: list[Any] = []
    layer = None
    for i, n_units in enumerate(stack):
        last = i == len(stack) - 1
        layer = recurrent_layer(
            params["cell"],
            n_units,
            return_sequences=not last,
            recurrent_dropout=params["recurrent_dropout"],
            return_state=last,
            name=f"recurrent_{i}",
        )
        res = layer(x)
        if last:
            states = list(res[1:])
        else:
            x = res
    horizon = out_shape[0]
    targets = 1
    for s in out_shape[1:]:
        targets *= s
    m = -(-horizon // seg)
    shared = params["decoder"] == "shared_segments"
    size_in = (stack[-2] if len(stack) > 1 else stack[0]) if shared else stack[-1]
    context = static is not None
    if context:  # SegRNN's channel position embedding
        states = [*states, k.layers.Dense(size_in, use_bias=False,
                                          name="static_embedding")(static)]
    if shared:  # size_in: the last layer's input size
        q = segment_queries(size_in, m, name="segment_queries", context=context)(states)
        y = layer(q[0], initial_state=q[1:])[0]  # the encoder's last layer, called again
        y = fold_segments(m, name="fold_segments")(y)
    else:
        y = segment_decoder(params["cell"], stack[-1], m, name="segment_decoder",
                            context=context)(states)
    for j, n_units in enumerate(params["dense_units"]):
        y = k.layers.Dense(n_units, activation=dense_activation, name=f"dense_{j}")(y)
    if params["dropout"] > 0:
        y = k.layers.Dropout(params["dropout"], name="decoder_dropout")(y)
    y = k.layers.Dense(seg * targets, activation=output_activation, name="output")(y)
    y = k.layers.Reshape((m * seg, targets), name="segments_to_steps")(y)
    if m * seg > horizon:
        y = k.layers.Cropping1D((0, m * seg - horizon), name="crop")(y)
    return k.layers.Reshape(out_shape, name="output_reshape")(y)
