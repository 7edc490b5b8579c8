"""Checks of the recurrent builders' parameters, with the values they accept.

:func:`check_network_params` validates and normalises every architecture
parameter of :func:`~forecast.networks.build_recurrent_model` (the estimators
call it in ``fit``, before any TensorFlow import); the other checks cover the
combinations that depend on the data (masking with segments, static features,
the highway). Every error names the parameter and the value received.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from .._validation import (
    check_bool,
    check_fraction,
    check_option,
    check_positive_int,
    check_units,
)
from ._pooling import POOLINGS

#: accepted values of ``cell`` and the Keras layer each one maps to
CELLS: dict[str, str] = {"lstm": "LSTM", "gru": "GRU", "rnn": "SimpleRNN"}
#: accepted values of ``decoder``: a dense head on the last state, or SegRNN's
#: parallel segment decoding (with its own cell, or with the encoder's last layer)
DECODERS: tuple[str, ...] = ("dense", "segments", "shared_segments")


def check_network_params(
    *,
    cell: str = "lstm",
    units: int | Sequence[int] = (32,),
    bidirectional: bool = False,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    dense_units: int | Sequence[int] | None = None,
    segment_length: int | None = None,
    embedding_dim: int | None = None,
    pooling: str = "last",
    embedding_dropout: float = 0.0,
    decoder: str = "dense",
) -> dict[str, Any]:
    """Validate the architecture hyperparameters without importing TensorFlow.

    The parameters are those of :func:`~forecast.networks.build_recurrent_model`
    (keyword-only).

    Parameters
    ----------
    cell : {"lstm", "gru", "rnn"}, default="lstm"
        Recurrent cell type.
    units : int or sequence of int, default=(32,)
        Sizes of the stacked recurrent layers (each >= 1).
    bidirectional : bool, default=False
        Whether the recurrent layers are bidirectional (0/1 accepted).
    dropout : float in [0, 1), default=0.0
        Input dropout rate of the recurrent layers.
    recurrent_dropout : float in [0, 1), default=0.0
        Recurrent dropout rate.
    dense_units : int or sequence of int, optional
        Hidden dense layers of the head; ``None`` or empty means none.
    segment_length : int, optional
        Steps per segment (SegRNN); positive.
    embedding_dim : int, optional
        Token embedding size; positive. Not with ``segment_length``.
    pooling : {"last", "max", "mean", "maxmean"}, default="last"
        What the head sees of the last recurrent layer.
    embedding_dropout : float in [0, 1), default=0.0
        Dropout of whole token vectors after the embedding.
    decoder : {"dense", "segments", "shared_segments"}, default="dense"
        Output decoder; the segment decoders need ``segment_length``, a forward
        encoder and ``pooling="last"``.

    Returns
    -------
    dict
        The normalised values, keyed by parameter name (``units``/``dense_units`` as
        tuples, ``dense_units=()`` when empty, ``bidirectional`` as a bool).

    Raises
    ------
    TypeError
        If `units`, `dense_units`, `segment_length` or `embedding_dim` is not an
        integer (or, for the unit sizes, a sequence of them), `bidirectional` is not
        a bool, or a dropout rate is not a number.
    ValueError
        If `cell`, `pooling` or `decoder` is not one of its options; a size is < 1 or
        `units` is empty; a dropout rate is outside [0, 1); `segment_length` is
        combined with `embedding_dim`; or a segment `decoder` is used without
        `segment_length`, with ``bidirectional=True`` or with a `pooling` other than
        ``"last"``.

    Examples
    --------
    >>> check_network_params(cell="gru", units=8)["units"]
    (8,)
    """
    out: dict[str, Any] = {}
    out["cell"] = check_option("cell", cell, tuple(CELLS))
    out["units"] = check_units("units", units)
    out["bidirectional"] = check_bool("bidirectional", bidirectional)
    out["dropout"] = check_fraction("dropout", dropout)
    out["recurrent_dropout"] = check_fraction("recurrent_dropout", recurrent_dropout)
    empty = dense_units is None or (not isinstance(dense_units, int) and len(dense_units) == 0)
    out["dense_units"] = () if empty else check_units("dense_units", dense_units)
    out["segment_length"] = (
        None if segment_length is None else check_positive_int("segment_length", segment_length)
    )
    out["embedding_dim"] = (
        None if embedding_dim is None else check_positive_int("embedding_dim", embedding_dim)
    )
    if out["segment_length"] is not None and out["embedding_dim"] is not None:
        raise ValueError(
            "`segment_length` cannot be combined with `embedding_dim` (token ids are not "
            f"grouped into segments). Received: segment_length={segment_length}, "
            f"embedding_dim={embedding_dim}"
        )
    out["pooling"] = check_option("pooling", pooling, POOLINGS)
    out["embedding_dropout"] = check_fraction("embedding_dropout", embedding_dropout)
    out["decoder"] = check_option("decoder", decoder, DECODERS)
    if out["decoder"] != "dense":
        d = out["decoder"]
        if out["segment_length"] is None:
            raise ValueError(
                f"decoder={d!r} decodes the horizon in segments of `segment_length` "
                "steps: set segment_length. Received: segment_length=None"
            )
        if out["bidirectional"]:
            raise ValueError(
                f"decoder={d!r} starts from the final state of a forward encoder: it "
                "cannot be combined with bidirectional=True. Received: bidirectional=True"
            )
        if out["pooling"] != "last":
            raise ValueError(
                f"decoder={d!r} starts from the final state: it needs pooling='last'. "
                f"Received: pooling={pooling!r}"
            )
    return out


def check_mask_with_segments(mask_value: float | None, segment_length: int | None) -> None:
    """Reject ``mask_value`` with ``segment_length``: regrouping steps into segments
    drops Keras' mask, so the padded steps would be read as values.

    Parameters
    ----------
    mask_value : float or None
    segment_length : int or None

    Raises
    ------
    ValueError
        Both are set.

    Examples
    --------
    >>> check_mask_with_segments(None, 24)
    """
    if mask_value is not None and segment_length is not None:
        raise ValueError(
            "`mask_value` cannot be combined with `segment_length`: regrouping the steps "
            "into segments drops the mask, so padded steps would be read as values. "
            f"Received: mask_value={mask_value!r}, segment_length={segment_length!r}"
        )


def check_static_features(
    static_features: int, *, decoder: str, n_features: int | None = None
) -> int:
    """Validate ``static_features``: trailing columns that a segment decoder embeds.

    Parameters
    ----------
    static_features : int
        Number of trailing feature columns that are constant over a window.
    decoder : str
        The network's decoder; ``static_features > 0`` needs a segment decoder.
    n_features : int, optional
        Feature columns of the input; when given, at least one must remain.

    Returns
    -------
    int

    Examples
    --------
    >>> check_static_features(3, decoder="segments", n_features=4)
    3
    """
    if (isinstance(static_features, bool)
            or not isinstance(static_features, numbers.Integral) or static_features < 0):
        raise ValueError(
            "`static_features` must be a non-negative integer. "
            f"Received: static_features={static_features!r}"
        )
    n = int(static_features)
    if n and decoder == "dense":
        raise ValueError(
            "`static_features` feeds a segment decoder's queries: set decoder='segments' "
            f"or 'shared_segments'. Received: static_features={n}, decoder={decoder!r}"
        )
    if n and n_features is not None and n >= n_features:
        raise ValueError(
            f"`static_features` must leave at least one of the {n_features} feature "
            f"columns to the encoder. Received: static_features={n}"
        )
    return n


def check_highway(
    highway: bool,
    *,
    embedding_dim: int | None = None,
    mask_value: float | None = None,
    output_activation: str | None = None,
) -> bool:
    """Validate ``highway`` against the options it cannot be combined with.

    The highway is a linear map from the raw input window to the output, so the
    input must be real values (no token ids), every step must count (no
    padding) and the output must be linear.

    Parameters
    ----------
    highway : bool
    embedding_dim, mask_value, output_activation
        The network's values of these options; each must be None with a highway.

    Returns
    -------
    bool
        ``highway`` as a bool.

    Examples
    --------
    >>> check_highway(True)
    True
    """
    if not check_bool("highway", highway):
        return False
    for name, value in (("embedding_dim", embedding_dim), ("mask_value", mask_value),
                        ("output_activation", output_activation)):
        if value is not None:
            raise ValueError(
                "`highway` adds a linear map of the real-valued input window to a linear "
                f"output: it cannot be combined with `{name}`. Received: highway=True, "
                f"{name}={value!r}"
            )
    return True


def check_shape(name: str, value: Any, *, ndim: tuple[int, ...] = (1, 2)) -> tuple[int, ...]:
    """A shape: one positive integer (numpy ones too) or a sequence of ``ndim`` of them.

    Examples
    --------
    >>> check_shape("input_shape", (24, 3))
    (24, 3)
    >>> check_shape("output_shape", 6, ndim=(1, 2, 3))
    (6,)
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,)
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or len(value) not in ndim:
        raise ValueError(
            f"`{name}` must be a tuple of {' or '.join(map(str, ndim))} positive integers. "
            f"Received: {name}={value!r}"
        )
    return tuple(check_positive_int(f"{name}[{i}]", v) for i, v in enumerate(value))
