"""``SequenceTagger``: one label per token with a (bidirectional) recurrent network."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._validation import (
    check_fraction,
    check_option,
    check_positive_int,
    describe,
)
from ..networks._recurrent import CELLS
from ..text._tokenize import OOV, PAD, check_token_lists
from ..text._vocab import build_vocabulary, encode_tokens
from ._text_common import TRAINING_PARAMS_DOC, TextEstimatorBase

__all__ = ["SequenceTagger"]


class SequenceTagger(TextEstimatorBase):
    def __init__(
        self,
        embedding_dim: int = 32,
        cell: str = "lstm",
        units: int | tuple[int, ...] = (64,),
        bidirectional: bool = True,
        dropout: float = 0.0,
        lowercase: bool = False,
        max_tokens: int | None = None,
        min_frequency: int = 1,
        sequence_length: int | None = None,
        optimizer: str = "adam",
        learning_rate: float = 1e-3,
        loss: Any = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        batch_size: int = 32,
        epochs: int = 10,
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
        self.embedding_dim = embedding_dim
        self.cell = cell
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.lowercase = lowercase
        self.max_tokens = max_tokens
        self.min_frequency = min_frequency
        self.sequence_length = sequence_length
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
        p = {
            "embedding_dim": check_positive_int("embedding_dim", self.embedding_dim),
            "cell": check_option("cell", self.cell, tuple(CELLS)),
            "units": self._check_units(self.units),
            "dropout": check_fraction("dropout", self.dropout),
            "min_frequency": check_positive_int("min_frequency", self.min_frequency),
        }
        for name in ("bidirectional", "lowercase"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise TypeError(
                    f"`{name}` must be a bool. Received: {name}={getattr(self, name)!r}"
                )
        if self.max_tokens is not None and check_positive_int("max_tokens", self.max_tokens) < 3:
            raise ValueError(
                "`max_tokens` must be at least 3 (2 reserved ids and one token). "
                f"Received: max_tokens={self.max_tokens}"
            )
        if self.sequence_length is not None:
            check_positive_int("sequence_length", self.sequence_length)
        return p

    def _tokens(self, docs: Any, name: str = "X") -> list[list[str]]:
        lists = check_token_lists(name, docs)
        if self.lowercase:
            lists = [[t.lower() for t in toks] for toks in lists]
        return lists

    def _encode(self, lists: list[list[str]]) -> np.ndarray:
        width = self.sequence_length_
        out = np.zeros((len(lists), width), dtype=np.int32)
        for i, toks in enumerate(lists):
            ids = encode_tokens(toks[:width], self.vocabulary_)
            out[i, : len(ids)] = ids
        return out

    def _validate_data(self, X: Any, y: Any = None, *, fitting: bool) -> tuple[Any, Any]:
        if not fitting:
            check_is_fitted(self, "model_")
        lists = self._tokens(X)
        if fitting:
            if y is None:
                raise ValueError(
                    "`y` (one list of tags per sequence) is required. Received: y=None"
                )
            if not self._keeps_vocabulary():
                self.tokens_ = build_vocabulary(
                    lists, reserved=[PAD, OOV], max_tokens=self.max_tokens,
                    min_frequency=self.min_frequency,
                )
                self.vocabulary_ = {t: i for i, t in enumerate(self.tokens_)}
                longest = max(max((len(t) for t in lists), default=1), 1)
                self.sequence_length_ = int(self.sequence_length or longest)
        X_arr = self._encode(lists)
        if y is None:
            return X_arr, None
        tags = check_token_lists("y", y)
        if len(tags) != len(lists):
            raise ValueError(
                "`X` and `y` must have the same number of sequences. "
                f"Received: {len(lists)} in X and {len(tags)} in y"
            )
        for i, (toks, tg) in enumerate(zip(lists, tags, strict=True)):
            if len(toks) != len(tg):
                raise ValueError(
                    f"Sequence {i} has {len(toks)} tokens but {len(tg)} tags; `y` needs one "
                    f"tag per token. Received: X[{i}]={describe(toks)}, y[{i}]={describe(tg)}"
                )
        if fitting and not self._keeps_vocabulary():
            self.classes_ = np.array(sorted({t for tg in tags for t in tg}), dtype=str)
            if len(self.classes_) < 1:
                raise ValueError("`y` holds no tags. Received: only empty sequences")
        lookup = {t: i for i, t in enumerate(self.classes_)}
        y_arr = np.zeros(X_arr.shape, dtype=np.int32)
        for i, tg in enumerate(tags):
            tg = tg[: self.sequence_length_]
            try:
                y_arr[i, : len(tg)] = [lookup[t] for t in tg]
            except KeyError as exc:
                raise ValueError(
                    f"`y` holds the tag {exc.args[0]!r}, unseen in fit. "
                    f"Known tags: {self.classes_.tolist()}"
                ) from None
        return X_arr, y_arr

    def _network_config(self, X: Any, y: Any) -> dict[str, Any]:
        p = self._validate_params()
        return {
            "builder": "token",
            "sequence_length": int(self.sequence_length_),
            "vocab_size": len(self.tokens_),
            "n_outputs": len(self.classes_),
            "embedding_dim": p["embedding_dim"],
            "cell": p["cell"],
            "units": list(p["units"]),
            "bidirectional": bool(self.bidirectional),
            "dropout": p["dropout"],
        }

    def _build_network(self, config: dict[str, Any]) -> Any:
        from ..networks._tagger_net import build_token_model

        cfg = {k: v for k, v in config.items() if k != "builder"}
        return build_token_model(
            cfg.pop("sequence_length"), cfg.pop("vocab_size"), cfg.pop("n_outputs"),
            name="sequence_tagger", **cfg,
        )

    # -------------------------------------------------------------- API
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> SequenceTagger:
        """Train on token sequences and their tags.

        Parameters
        ----------
        X : list of (list of str or str)
            Token sequences; a string is split on whitespace.
        y : list of list of str
            One tag per token (strings split on whitespace are accepted too).
        sample_weight : array-like of shape (n,), optional
            Per-sequence weights.

        Returns
        -------
        self
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def predict(self, X: Any) -> list[list[str]]:
        """Tag every token.

        Sequences longer than ``sequence_length_`` are tagged in consecutive
        chunks of that length (context does not cross chunk borders).

        Parameters
        ----------
        X : list of (list of str or str)

        Returns
        -------
        list of list
            One list of tags per sequence, with the length of that sequence.
        """
        check_is_fitted(self, "model_")
        lists = self._tokens(X)
        width = self.sequence_length_
        pieces, owners = [], []
        for i, toks in enumerate(lists):
            for start in range(0, max(len(toks), 1), width):
                pieces.append(toks[start : start + width])
                owners.append(i)
        ids = self._encode(pieces)
        probs = np.concatenate(self._predict_probs(ids), axis=0)
        best = probs.argmax(axis=-1)
        out: list[list[str]] = [[] for _ in lists]
        for row, (i, piece) in enumerate(zip(owners, pieces, strict=True)):
            out[i].extend(self.classes_[best[row, : len(piece)]].tolist())
        return out

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Token-level accuracy (higher is better); ``sample_weight`` weights every token
        of a sequence by that sequence's weight.

        Parameters
        ----------
        X : list of (list of str or str)
            Sequences of tokens (a string is split on whitespace).
        y : list of list of str
            True tags, one per token of the matching sequence of ``X``.
        sample_weight : array-like of shape (n_sequences,), optional
            Weight of each sequence.

        Returns
        -------
        float
            Share of tokens tagged correctly, in ``[0, 1]``.
        """
        check_is_fitted(self, "model_")
        tags = check_token_lists("y", y)
        lists = self._tokens(X)
        if len(tags) != len(lists):  # before tagging anything
            raise ValueError(
                f"`X` and `y` must have the same number of sequences. "
                f"Received: {len(lists)} in X and {len(tags)} in y"
            )
        weights = self._check_sample_weight(sample_weight, len(tags))  # before tagging
        pred = self.predict(lists)  # already checked and lowercased: predict keeps them
        hits = total = 0.0
        for i, (p, t) in enumerate(zip(pred, tags, strict=True)):
            if len(p) != len(t):
                raise ValueError(
                    f"`y` needs one tag per token of `X`. Received: {len(p)} tokens and "
                    f"{len(t)} tags ({describe(t)})"
                )
            w = 1.0 if weights is None else float(weights[i])
            hits += w * sum(a == b for a, b in zip(p, t, strict=True))
            total += w * len(t)
        return hits / total if total else float("nan")

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.required = True
        tags.non_deterministic = self.random_state is None
        return tags


SequenceTagger.__doc__ = (
    """Recurrent sequence tagger: one label per token (POS tags, NER, ...).

    ``Embedding(mask_zero) -> (Bi)LSTM/GRU stack (return_sequences) -> softmax``
    per position; padded positions are masked out of the loss. Unknown tokens at
    predict time map to the OOV id.

    Parameters
    ----------
    embedding_dim : int, default=32
    cell : {"lstm", "gru", "rnn"}, default="lstm"
    units : int or tuple of int, default=(64,)
    bidirectional : bool, default=True
    dropout : float in [0, 1), default=0.0
    lowercase : bool, default=False
        Lower-case tokens before the vocabulary lookup.
    max_tokens : int, optional
        Vocabulary cap (padding and OOV included).
    min_frequency : int, default=1
        Rarer tokens map to OOV (a value of 2 teaches the OOV embedding).
    sequence_length : int, optional
        Padded length (default: the longest sequence in ``fit``).
"""
    + TRAINING_PARAMS_DOC
    + """
    Attributes
    ----------
    classes_ : numpy.ndarray of str
        The tag set.
    vocabulary_ : dict of str -> int
    sequence_length_ : int
    model_ : keras.Model
    history_ : dict

    Examples
    --------
    >>> X = [["the", "dog", "runs"], ["a", "cat", "sleeps"]] * 8
    >>> y = [["DET", "NOUN", "VERB"]] * 16
    >>> tagger = SequenceTagger(units=8, epochs=2, random_state=0).fit(X, y)
    >>> tagger.predict([["the", "cat", "runs", "fast"]])[0].__len__()
    4
    """
)
