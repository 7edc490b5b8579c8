"""Pure builder of an attentional encoder-decoder (sequence-to-sequence) network.

Only built-in Keras layers are used (``Attention`` for dot-product/Luong scores,
``AdditiveAttention`` for Bahdanau scores), so saved models load without custom
objects and in Keras safe mode.
"""

from __future__ import annotations

from typing import Any

from .._validation import check_fraction, check_option, check_positive_int
from ._recurrent import CELLS

__all__ = ["ATTENTIONS", "build_seq2seq_model"]

#: accepted ``attention`` values (``None`` = no attention)
ATTENTIONS = ("dot", "additive", None)


def build_seq2seq_model(
    source_vocab_size: int,
    target_vocab_size: int,
    source_length: int,
    target_length: int,
    *,
    embedding_dim: int = 32,
    units: int = 64,
    cell: str = "lstm",
    attention: str | None = "dot",
    dropout: float = 0.0,
    name: str = "seq2seq",
) -> Any:
    """Build (not compile) an encoder-decoder trained with teacher forcing.

    Encoder: ``Embedding(mask_zero) -> LSTM/GRU`` over the source ids, returning
    every step and the final state. Decoder: ``Embedding(mask_zero) -> LSTM/GRU``
    over the shifted target ids (``[BOS] y_1 .. y_{m}``), initialised with the
    encoder state. Attention (Luong et al., 2015 placement: after the decoder
    RNN) scores each decoder output against every non-padded encoder output,
    with a dot product (``"dot"``) or an additive/Bahdanau score
    ``v^T tanh(W_q q + W_k k)`` (``"additive"``);
    the context vector and decoder output go through ``Dense(tanh)`` before the
    softmax. Output position ``t`` depends only on decoder inputs ``<= t``, so the
    same model decodes step by step.

    Parameters
    ----------
    source_vocab_size, target_vocab_size : int
        Numbers of ids (0 = padding).
    source_length, target_length : int
        Padded lengths of the source ids and of the decoder input.
    embedding_dim : int, default=32
    units : int, default=64
        Size of the encoder and decoder states.
    cell : {"lstm", "gru", "rnn"}, default="lstm"
    attention : {"dot", "additive", None}, default="dot"
    dropout : float in [0, 1), default=0.0
        Dropout on the embeddings and before the output layer.
    name : str, default="seq2seq"

    Returns
    -------
    keras.Model
        Inputs ``[source (batch, source_length), decoder_input (batch, target_length)]``
        (int ids); output ``(batch, target_length, target_vocab_size)`` probabilities.
        With attention, the layer named ``"attention"`` was called with
        ``return_attention_scores=True``: ``model.get_layer("attention").output[1]``
        is the ``(batch, target_length, source_length)`` weight tensor.

    Examples
    --------
    >>> model = build_seq2seq_model(40, 15, 30, 11, units=16)
    >>> model.output_shape
    (None, 11, 15)
    """
    from .._tf import keras

    sizes = {
        "source_vocab_size": source_vocab_size,
        "target_vocab_size": target_vocab_size,
        "source_length": source_length,
        "target_length": target_length,
        "embedding_dim": embedding_dim,
        "units": units,
    }
    sizes = {key: check_positive_int(key, v) for key, v in sizes.items()}
    check_option("cell", cell, tuple(CELLS))
    check_option("attention", attention, ATTENTIONS)
    dropout = check_fraction("dropout", dropout)
    k = keras()
    rnn_cls = getattr(k.layers, CELLS[cell])
    src = k.Input(shape=(sizes["source_length"],), dtype="int32", name="source")
    dec_in = k.Input(shape=(sizes["target_length"],), dtype="int32", name="decoder_input")
    x = k.layers.Embedding(
        sizes["source_vocab_size"], sizes["embedding_dim"], mask_zero=True,
        name="source_embedding",
    )(src)
    y = k.layers.Embedding(
        sizes["target_vocab_size"], sizes["embedding_dim"], mask_zero=True,
        name="target_embedding",
    )(dec_in)
    if dropout:
        x = k.layers.Dropout(dropout, name="source_dropout")(x)
        y = k.layers.Dropout(dropout, name="target_dropout")(y)
    enc = rnn_cls(sizes["units"], return_sequences=True, return_state=True, name="encoder")(x)
    enc_out, states = enc[0], list(enc[1:])
    dec_out = rnn_cls(sizes["units"], return_sequences=True, name="decoder")(
        y, initial_state=states
    )
    h = dec_out
    if attention is not None:
        if attention == "dot":
            context, _ = k.layers.Attention(name="attention")(
                [dec_out, enc_out], return_attention_scores=True
            )
        else:  # Bahdanau: v^T tanh(W_q q + W_k k), with learned projections
            query = k.layers.Dense(sizes["units"], use_bias=False, name="attention_query")(
                dec_out
            )
            key = k.layers.Dense(sizes["units"], use_bias=False, name="attention_key")(enc_out)
            context, _ = k.layers.AdditiveAttention(name="attention")(
                [query, enc_out, key], return_attention_scores=True
            )
        h = k.layers.Concatenate(name="attention_concat")([dec_out, context])
        h = k.layers.Dense(sizes["units"], activation="tanh", name="attention_combine")(h)
    if dropout:
        h = k.layers.Dropout(dropout, name="output_dropout")(h)
    out = k.layers.Dense(sizes["target_vocab_size"], activation="softmax", name="output")(h)
    return k.Model([src, dec_in], out, name=name)
