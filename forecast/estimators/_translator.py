"""``Seq2SeqTranslator``: attentional encoder-decoder with greedy and beam-search decoding."""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._validation import check_fraction, check_option, check_positive_int, describe
from ..networks._recurrent import CELLS
from ..networks._seq2seq import ATTENTIONS
from ..text._ngram import lm_tokens
from ..text._tokenize import BOS, EOS, OOV, PAD, check_texts
from ..text._vocab import build_vocabulary, encode_tokens
from ._text_common import TRAINING_PARAMS_DOC, TextEstimatorBase

__all__ = ["Seq2SeqTranslator"]

_PAD_ID, _OOV_ID, _BOS_ID, _EOS_ID = 0, 1, 2, 3
_CHUNK = 1024


class Seq2SeqTranslator(TextEstimatorBase):
    def __init__(
        self,
        level: str = "char",
        lowercase: bool = False,
        embedding_dim: int = 32,
        units: int = 128,
        cell: str = "lstm",
        attention: str | None = "dot",
        dropout: float = 0.0,
        beam_width: int = 1,
        source_length: int | None = None,
        max_output_length: int | None = None,
        optimizer: str = "adam",
        learning_rate: float = 3e-3,
        loss: Any = None,
        clipnorm: float | None = 1.0,
        clipvalue: float | None = None,
        batch_size: int = 64,
        epochs: int = 20,
        validation_fraction: float = 0.0,
        early_stopping: bool = False,
        patience: int = 5,
        checkpoint_dir: str | os.PathLike | None = None,
        random_state: int | None = None,
        verbose: int = 0,
        warm_start: bool = False,
        shuffle: bool = True,
        distribution: Any = None,
        callbacks: list | None = None,
        run_eagerly: bool = False,
    ) -> None:
        self.level = level
        self.lowercase = lowercase
        self.embedding_dim = embedding_dim
        self.units = units
        self.cell = cell
        self.attention = attention
        self.dropout = dropout
        self.beam_width = beam_width
        self.source_length = source_length
        self.max_output_length = max_output_length
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.batch_size = batch_size
        self.epochs = epochs
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.patience = patience
        self.checkpoint_dir = checkpoint_dir
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.shuffle = shuffle
        self.distribution = distribution
        self.callbacks = callbacks
        self.run_eagerly = run_eagerly

    # ------------------------------------------------------------ hooks
    def _validate_params(self) -> dict[str, Any]:
        check_option("level", self.level, ("char", "word"))
        if not isinstance(self.lowercase, bool | np.bool_):
            raise TypeError(f"`lowercase` must be a bool. Received: lowercase={self.lowercase!r}")
        for name in ("source_length", "max_output_length"):
            if getattr(self, name) is not None:
                check_positive_int(name, getattr(self, name))
        return {
            "embedding_dim": check_positive_int("embedding_dim", self.embedding_dim),
            "units": check_positive_int("units", self.units),
            "cell": check_option("cell", self.cell, tuple(CELLS)),
            "attention": check_option("attention", self.attention, ATTENTIONS),
            "dropout": check_fraction("dropout", self.dropout),
            "beam_width": check_positive_int("beam_width", self.beam_width),
        }

    def _tokens(self, text: str) -> list[str]:
        return lm_tokens(text, self.level, self.lowercase)

    def _encode_sources(self, texts: list[str]) -> np.ndarray:
        width = self.source_length_
        out = np.zeros((len(texts), width), dtype=np.int32)
        n_cut = 0
        for i, text in enumerate(texts):
            ids = encode_tokens(self._tokens(text), self.source_vocabulary_, _OOV_ID)
            n_cut += len(ids) > width
            out[i, : min(len(ids), width)] = ids[:width]
        if n_cut:
            warnings.warn(
                f"{n_cut} source text(s) are longer than source_length_={width} tokens and "
                "were truncated.",
                UserWarning,
                stacklevel=3,
            )
        return out

    def _validate_data(self, X: Any, y: Any = None, *, fitting: bool) -> tuple[Any, Any]:
        if not fitting:
            check_is_fitted(self, "model_")
        sources = check_texts("X", X)
        if fitting and y is None:
            raise ValueError("`y` (one target text per source) is required. Received: y=None")
        targets = None if y is None else check_texts("y", y)
        if targets is not None and len(targets) != len(sources):
            raise ValueError(
                "`X` and `y` must have the same number of texts. "
                f"Received: {len(sources)} in X and {len(targets)} in y"
            )
        if fitting:
            src_tok = [self._tokens(t) for t in sources]
            tgt_tok = [self._tokens(t) for t in targets]
            for arg, toks, texts in (("X", src_tok, sources), ("y", tgt_tok, targets)):
                if not any(toks):
                    raise ValueError(
                        f"`{arg}` holds no tokens: every text is empty, so there is nothing "
                        f"to learn. Received: {arg}={describe(texts)}"
                    )
            if not self._keeps_vocabulary():
                self.source_tokens_ = build_vocabulary(src_tok, reserved=[PAD, OOV])
                self.source_vocabulary_ = {t: i for i, t in enumerate(self.source_tokens_)}
                self.target_tokens_ = build_vocabulary(tgt_tok, reserved=[PAD, OOV, BOS, EOS])
                self.target_vocabulary_ = {t: i for i, t in enumerate(self.target_tokens_)}
                self.source_length_ = int(
                    self.source_length or max(max(len(t) for t in src_tok), 1)
                )
                self.target_length_ = int(
                    (self.max_output_length or max(max(len(t) for t in tgt_tok), 1)) + 1
                )
        src = self._encode_sources(sources)
        if targets is None:
            return src, None
        width = self.target_length_
        dec_in = np.zeros((len(targets), width), dtype=np.int32)
        dec_out = np.zeros((len(targets), width), dtype=np.int32)
        for i, text in enumerate(targets):
            ids = encode_tokens(self._tokens(text), self.target_vocabulary_, _OOV_ID)
            ids = ids[: width - 1]
            dec_in[i, 0] = _BOS_ID
            dec_in[i, 1 : len(ids) + 1] = ids
            dec_out[i, : len(ids)] = ids
            dec_out[i, len(ids)] = _EOS_ID
        return (src, dec_in), dec_out

    def _network_config(self, X: Any, y: Any) -> dict[str, Any]:
        p = self._validate_params()
        return {
            "builder": "seq2seq",
            "source_vocab_size": len(self.source_tokens_),
            "target_vocab_size": len(self.target_tokens_),
            "source_length": self.source_length_,
            "target_length": self.target_length_,
            "embedding_dim": p["embedding_dim"],
            "units": p["units"],
            "cell": p["cell"],
            "attention": p["attention"],
            "dropout": p["dropout"],
        }

    def _build_network(self, config: dict[str, Any]) -> Any:
        from ..networks._seq2seq import build_seq2seq_model

        cfg = {k: v for k, v in config.items() if k != "builder"}
        return build_seq2seq_model(name="seq2seq_translator", **cfg)

    # ------------------------------------------------------------ decoding
    def _step_fn(self) -> Any:
        """Compiled ``(source, decoder_input, t) -> log p(y_t | y_<t, source)``."""
        from .._tf import tf

        def factory(model: Any) -> Any:
            t = tf()
            specs = [
                t.TensorSpec((None, self.source_length_), t.int32),
                t.TensorSpec((None, self.target_length_), t.int32),
                t.TensorSpec((), t.int32),
            ]

            @self._graph(input_signature=specs)
            def step(src: Any, dec: Any, pos: Any) -> Any:
                probs = t.gather(model([src, dec], training=False), pos, axis=1)
                return t.math.log(t.maximum(probs, 1e-30))

            return step

        return self._compiled("step", factory)

    def _greedy(self, src: np.ndarray) -> np.ndarray:
        step = self._step_fn()
        n, width = len(src), self.target_length_
        dec = np.zeros((n, width), dtype=np.int32)
        dec[:, 0] = _BOS_ID
        out = np.zeros((n, width), dtype=np.int32)
        done = np.zeros(n, dtype=bool)
        for pos in range(width):
            logp = np.array(step(src, dec, np.int32(pos)))
            logp[:, [_PAD_ID, _OOV_ID, _BOS_ID]] = -np.inf
            nxt = np.where(done, _PAD_ID, logp.argmax(axis=1)).astype(np.int32)
            out[:, pos] = nxt
            done |= nxt == _EOS_ID
            if done.all():
                break
            if pos + 1 < width:
                dec[:, pos + 1] = np.where(done, _PAD_ID, nxt)
        return out

    def _beam(self, src: np.ndarray, k: int) -> np.ndarray:
        """Beam search maximising the total log-probability of the output (with [EOS])."""
        step = self._step_fn()
        n, width = len(src), self.target_length_
        vocab = len(self.target_tokens_)
        src_k = np.repeat(src, k, axis=0)
        dec = np.zeros((n * k, width), dtype=np.int32)
        dec[:, 0] = _BOS_ID
        out = np.zeros((n * k, width), dtype=np.int32)
        scores = np.full((n, k), -np.inf)
        scores[:, 0] = 0.0  # one live hypothesis at the start
        done = np.zeros(n * k, dtype=bool)
        rows = np.arange(n)[:, None]
        for pos in range(width):
            logp = np.array(step(src_k, dec, np.int32(pos)), dtype=np.float64)
            logp[:, [_PAD_ID, _OOV_ID, _BOS_ID]] = -np.inf
            logp[done] = -np.inf
            logp[done, _PAD_ID] = 0.0  # finished hypotheses carry over unchanged
            cand = (scores.reshape(n * k, 1) + logp).reshape(n, k * vocab)
            top = np.argsort(-cand, axis=1, kind="stable")[:, :k]
            scores = cand[rows, top]
            parent = (top // vocab + np.arange(n)[:, None] * k).reshape(-1)
            token = (top % vocab).reshape(-1).astype(np.int32)
            dec, out, done = dec[parent], out[parent], done[parent]
            out[:, pos] = token
            done = done | (token == _EOS_ID) | (token == _PAD_ID)
            if done.all():
                break
            if pos + 1 < width:
                dec[:, pos + 1] = np.where(done, _PAD_ID, token)
        best = np.argmax(scores, axis=1) + np.arange(n) * k
        return out[best]

    def _decode_ids(self, src: np.ndarray, beam_width: int) -> np.ndarray:
        outs = []
        for start in range(0, len(src), _CHUNK):
            chunk = src[start : start + _CHUNK]
            outs.append(self._greedy(chunk) if beam_width == 1 else self._beam(chunk, beam_width))
        return np.concatenate(outs, axis=0)

    def _ids_to_tokens(self, ids: np.ndarray) -> list[str]:
        toks = []
        for i in ids.tolist()[: self.target_length_ - 1]:  # room for [EOS] in training
            if i in (_EOS_ID, _PAD_ID):
                break
            toks.append(self.target_tokens_[i])
        return toks

    def _join(self, toks: list[str]) -> str:
        return ("" if self.level == "char" else " ").join(toks)

    # -------------------------------------------------------------- API
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Seq2SeqTranslator:
        """Train with teacher forcing on (source, target) text pairs.

        Parameters
        ----------
        X : list, array or Series of str
            Source texts.
        y : list, array or Series of str
            Target texts.
        sample_weight : array-like of shape (n,), optional

        Returns
        -------
        self
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def predict(self, X: Any, beam_width: int | None = None) -> np.ndarray:
        """Translate source texts.

        Decoding runs one compiled (``tf.function``) step per output position
        for the whole batch; each step re-runs the decoder over the prefix
        (exact, ``O(T^2)`` in the output length, fine for short outputs).

        Parameters
        ----------
        X : list, array or Series of str
        beam_width : int, optional
            Overrides the ``beam_width`` parameter (1 = greedy).

        Returns
        -------
        numpy.ndarray of str, shape (n,)
        """
        check_is_fitted(self, "model_")
        width = self.beam_width if beam_width is None else beam_width
        width = check_positive_int("beam_width", width)
        src, _ = self._validate_data(X, None, fitting=False)
        ids = self._decode_ids(src, width)
        return np.array([self._join(self._ids_to_tokens(row)) for row in ids], dtype=object)

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Exact-match accuracy of :meth:`predict` (higher is better).

        Parameters
        ----------
        X : list, array or Series of str
            Source texts.
        y : list, array or Series of str
            Reference translations (compared after the same tokenization and joining
            as the predictions).
        sample_weight : array-like of shape (n_texts,), optional
            Weight of each text.

        Returns
        -------
        float
            Share of texts translated exactly, in ``[0, 1]``.
        """
        check_is_fitted(self, "model_")
        targets = check_texts("y", y)
        sources = check_texts("X", X)
        if len(sources) != len(targets):  # before decoding anything
            raise ValueError(
                f"`X` and `y` must have the same number of texts. "
                f"Received: {len(sources)} in X and {len(targets)} in y"
            )
        weights = self._check_sample_weight(sample_weight, len(targets))  # before decoding
        pred = self.predict(sources)
        norm = [self._join(self._tokens(t)) for t in targets]
        hits = np.array([p == t for p, t in zip(pred, norm, strict=True)], dtype=float)
        return float(np.average(hits, weights=weights))

    def attention_weights(
        self, source: str, beam_width: int | None = None
    ) -> tuple[np.ndarray, list[str], list[str]]:
        """Attention of each output token over the source tokens, for one text.

        Parameters
        ----------
        source : str
        beam_width : int, optional
            Decoding used for the output (default: the ``beam_width`` parameter).

        Returns
        -------
        weights : numpy.ndarray of shape (n_target_tokens, n_source_tokens)
            Row ``t``: the attention distribution used to emit output token ``t``
            (rows sum to 1 over the non-padded source).
        source_tokens : list of str
        target_tokens : list of str
            The predicted output tokens (``[EOS]`` excluded).

        Raises
        ------
        ValueError
            If the model was trained with ``attention=None``.

        Examples
        --------
        With ``tr`` a translator fitted on date pairs (not run here; the class example
        fits one):

        >>> w, src, tgt = tr.attention_weights("3 March 2001")  # doctest: +SKIP
        >>> forecast.plotting.plot_attention(w, src, tgt)  # doctest: +SKIP
        """
        check_is_fitted(self, "model_")
        if not isinstance(source, str):
            raise TypeError(f"`source` must be a string. Received: source={describe(source)}")
        if self.attention is None:
            raise ValueError(
                "This translator has no attention layer. Received: attention=None"
            )
        from .._tf import keras

        width = check_positive_int(
            "beam_width", self.beam_width if beam_width is None else beam_width
        )
        src, _ = self._validate_data([source], None, fitting=False)
        out_ids = self._decode_ids(src, width)[0]
        target_tokens = self._ids_to_tokens(out_ids)
        dec = np.zeros((1, self.target_length_), dtype=np.int32)
        dec[0, 0] = _BOS_ID
        n_out = min(len(target_tokens), self.target_length_ - 1)
        dec[0, 1 : n_out + 1] = [self.target_vocabulary_[t] for t in target_tokens[:n_out]]

        def factory(model: Any) -> Any:
            k = keras()
            probe = k.Model(model.inputs, model.get_layer("attention").output[1])
            return self._graph()(lambda a, b: probe([a, b], training=False))

        scores = np.asarray(self._compiled("attention", factory)(src, dec))[0]
        source_tokens = self._tokens(source)[: self.source_length_]
        return (
            scores[: len(target_tokens), : len(source_tokens)].astype(np.float64),
            source_tokens,
            target_tokens,
        )

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.required = True
        tags.non_deterministic = self.random_state is None
        return tags


Seq2SeqTranslator.__doc__ = (
    """Encoder-decoder recurrent network with attention, for text -> text tasks.

    Trained with teacher forcing (the decoder reads ``[BOS] y_1 .. y_m`` and
    predicts ``y_1 .. y_m [EOS]``; padding masked). Decoding is greedy
    (``beam_width=1``) or beam search (``beam_width > 1``, highest total
    log-probability), with one compiled ``tf.function`` step per output token
    for the whole batch.

    Parameters
    ----------
    level : {"char", "word"}, default="char"
        Tokens of both sides (characters, or whitespace-separated words).
    lowercase : bool, default=False
    embedding_dim : int, default=32
    units : int, default=128
        Encoder and decoder state size.
    cell : {"lstm", "gru", "rnn"}, default="lstm"
    attention : {"dot", "additive", None}, default="dot"
        Luong dot-product or Bahdanau additive scores; ``None`` = plain
        encoder-decoder (the final encoder state is the only link).
    dropout : float in [0, 1), default=0.0
    beam_width : int, default=1
        Decoding used by :meth:`predict` (1 = greedy).
    source_length : int, optional
        Source padding length (default: the longest source in ``fit``; longer
        sources are truncated with a warning).
    max_output_length : int, optional
        Longest output in tokens (default: the longest target in ``fit``).
    learning_rate : float, default=3e-3
    clipnorm : float, default=1.0
    batch_size : int, default=64
    epochs : int, default=20
"""
    + TRAINING_PARAMS_DOC
    + """
    Attributes
    ----------
    source_tokens_, target_tokens_ : list of str
        Id -> token of each side.
    source_length_, target_length_ : int
        Padded lengths (``target_length_`` includes ``[EOS]``).
    model_ : keras.Model
    history_ : dict

    Examples
    --------
    >>> from forecast.text import make_date_pairs
    >>> X, y = make_date_pairs(64, random_state=0)
    >>> tr = Seq2SeqTranslator(units=8, epochs=1, random_state=0).fit(X, y)
    >>> tr.predict(X[:2]).shape
    (2,)
    """
)
