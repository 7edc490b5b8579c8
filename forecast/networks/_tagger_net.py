"""Pure builder of per-token recurrent models (sequence tagging, language modelling)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._validation import check_fraction, check_option, check_positive_int, check_units
from ._recurrent import CELLS, recurrent_layer

__all__ = ["build_token_model"]


def build_token_model(
    sequence_length: int,
    vocab_size: int,
    n_outputs: int,
    *,
    embedding_dim: int = 32,
    cell: str = "lstm",
    units: int | Sequence[int] = (64,),
    bidirectional: bool = False,
    dropout: float = 0.0,
    n_members: int = 1,
    name: str = "token_model",
) -> Any:
    """Build (not compile) ids -> Embedding(mask_zero) -> RNN stack -> per-step softmax.

    Every recurrent layer returns sequences, so the model emits one distribution
    per input position; the padding mask (id 0) propagates to the output, so
    Keras losses ignore padded positions.

    Parameters
    ----------
    sequence_length : int
        T, the (padded) number of tokens per sample.
    vocab_size : int
        Number of input ids (0 = padding).
    n_outputs : int
        Classes per position (tags, or the next-token vocabulary).
    embedding_dim : int, default=32
    cell : {"lstm", "gru", "rnn"}, default="lstm"
    units : int or tuple of int, default=(64,)
    bidirectional : bool, default=False
        ``True`` for tagging; must stay ``False`` for language models (causal).
    dropout : float in [0, 1), default=0.0
        Dropout after the embedding and after each recurrent layer.
    n_members : int, default=1
        With ``n_members > 1``, that many independent copies of the network
        (own embedding, recurrent stack and softmax) run side by side and their
        outputs are concatenated along the time axis: the output is
        ``(batch, n_members * T, n_outputs)`` (member ``i`` at positions
        ``i * T`` to ``(i + 1) * T - 1``), so the mean loss over the repeated
        targets is the mean of the members' losses and each member is trained as
        if alone. Average the members' probabilities to predict.
    name : str, default="token_model"

    Returns
    -------
    keras.Model
        Input ``(batch, T)`` int ids; output ``(batch, T, n_outputs)`` probabilities
        (``(batch, n_members * T, n_outputs)`` with ``n_members > 1``).

    Examples
    --------
    >>> model = build_token_model(20, 100, 5, units=8)
    >>> model.output_shape
    (None, 20, 5)
    """
    from .._tf import keras

    sequence_length = check_positive_int("sequence_length", sequence_length)
    vocab_size = check_positive_int("vocab_size", vocab_size)
    n_outputs = check_positive_int("n_outputs", n_outputs)
    embedding_dim = check_positive_int("embedding_dim", embedding_dim)
    check_option("cell", cell, tuple(CELLS))
    stack = check_units("units", units)
    dropout = check_fraction("dropout", dropout)
    n_members = check_positive_int("n_members", n_members)
    k = keras()
    inputs = k.Input(shape=(sequence_length,), dtype="int32", name="tokens")

    def member(prefix: str) -> Any:
        x = k.layers.Embedding(
            vocab_size, embedding_dim, mask_zero=True, name=f"{prefix}embedding"
        )(inputs)
        if dropout:
            x = k.layers.Dropout(dropout, name=f"{prefix}embedding_dropout")(x)
        for i, n_units in enumerate(stack):
            x = recurrent_layer(
                cell, n_units, return_sequences=True, bidirectional=bool(bidirectional),
                name=f"{prefix}recurrent_{i}",
            )(x)
            if dropout:
                x = k.layers.Dropout(dropout, name=f"{prefix}recurrent_dropout_{i}")(x)
        return k.layers.Dense(n_outputs, activation="softmax", name=f"{prefix}output")(x)

    if n_members == 1:
        outputs = member("")
    else:
        outputs = k.layers.Concatenate(axis=1, name="members")(
            [member(f"member_{i}_") for i in range(n_members)]
        )
    return k.Model(inputs, outputs, name=name)
