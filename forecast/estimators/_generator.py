"""``TextGenerator``: character- or word-level recurrent language model."""

from __future__ import annotations

import math
import numbers
import os
from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._validation import (
    check_fraction,
    check_non_negative_int,
    check_option,
    check_positive_int,
    describe,
)
from ..networks._recurrent import CELLS
from ..text._ngram import lm_tokens
from ..text._tokenize import BOS, EOS, OOV, PAD, check_texts
from ..text._vocab import build_vocabulary, encode_tokens
from ._text_common import TRAINING_PARAMS_DOC, TextEstimatorBase

__all__ = ["TextGenerator"]

_PAD_ID, _OOV_ID, _BOS_ID, _EOS_ID = 0, 1, 2, 3


class TextGenerator(TextEstimatorBase):
    def __init__(
        self,
        level: str = "char",
        lowercase: bool = False,
        max_tokens: int | None = None,
        min_frequency: int = 1,
        sequence_length: int = 64,
        embedding_dim: int = 32,
        cell: str = "lstm",
        units: int | tuple[int, ...] = (128,),
        dropout: float = 0.0,
        ensemble_size: int = 1,
        average_last_epochs: int = 0,
        optimizer: str = "adam",
        learning_rate: float = 3e-3,
        loss: Any = None,
        clipnorm: float | None = 1.0,
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
        self.level = level
        self.lowercase = lowercase
        self.max_tokens = max_tokens
        self.min_frequency = min_frequency
        self.sequence_length = sequence_length
        self.embedding_dim = embedding_dim
        self.cell = cell
        self.units = units
        self.dropout = dropout
        self.ensemble_size = ensemble_size
        self.average_last_epochs = average_last_epochs
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
        if self.max_tokens is not None:
            check_positive_int("max_tokens", self.max_tokens)
            if self.max_tokens < 5:
                raise ValueError(
                    "`max_tokens` must be at least 5 (4 reserved ids and one token). "
                    f"Received: max_tokens={self.max_tokens}"
                )
        average = check_non_negative_int("average_last_epochs", self.average_last_epochs)
        if average:
            if isinstance(self.epochs, int) and 1 <= self.epochs < average:
                raise ValueError(
                    "`average_last_epochs` must be at most `epochs`. "
                    f"Received: average_last_epochs={average}, epochs={self.epochs}"
                )
            if self.early_stopping is True:
                raise ValueError(
                    "`average_last_epochs` cannot be combined with early stopping (the "
                    "average needs the last epochs). Received: "
                    f"average_last_epochs={average}, early_stopping=True"
                )
        return {
            "min_frequency": check_positive_int("min_frequency", self.min_frequency),
            "sequence_length": check_positive_int("sequence_length", self.sequence_length),
            "embedding_dim": check_positive_int("embedding_dim", self.embedding_dim),
            "cell": check_option("cell", self.cell, tuple(CELLS)),
            "units": self._check_units(self.units),
            "dropout": check_fraction("dropout", self.dropout),
            "ensemble_size": check_positive_int("ensemble_size", self.ensemble_size),
            "average_last_epochs": average,
        }

    def _ids(self, text: str) -> np.ndarray:
        toks = lm_tokens(text, self.level, self.lowercase)
        return encode_tokens(toks, self.vocabulary_, _OOV_ID)

    def _windows(
        self, texts: list[str], *, scored: bool = False
    ) -> tuple[np.ndarray, np.ndarray] | tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``[BOS] ids [EOS]`` cut into windows of ``L`` inputs and their next tokens.

        Windows start every ``L // 2`` tokens (truncated BPTT without state
        carried between windows), so a text longer than ``L`` is covered by
        overlapping windows. With ``scored=True`` a boolean mask is returned as
        well: it marks every target exactly once, in the window where it has the
        most context (the first window scores all its targets, each later one
        only the targets beyond the previous window).
        """
        length = int(self.sequence_length_)
        stride = max(1, length // 2)
        inputs, targets, masks = [], [], []
        for text in texts:
            seq = np.concatenate([[_BOS_ID], self._ids(text), [_EOS_ID]]).astype(np.int32)
            last = len(seq) - 1  # index of the final target
            start = 0
            while True:
                chunk = seq[start : start + length + 1]
                inp = np.zeros(length, dtype=np.int32)
                tgt = np.zeros(length, dtype=np.int32)
                inp[: len(chunk) - 1] = chunk[:-1]
                tgt[: len(chunk) - 1] = chunk[1:]
                inputs.append(inp)
                targets.append(tgt)
                if scored:
                    mask = tgt != 0
                    if start > 0:
                        mask[: length - stride] = False
                    masks.append(mask)
                if start + length >= last:
                    break
                start += stride
        if scored:
            return np.stack(inputs), np.stack(targets), np.stack(masks)
        return np.stack(inputs), np.stack(targets)

    def _validate_data(self, X: Any, y: Any = None, *, fitting: bool) -> tuple[Any, Any]:
        if not fitting:
            check_is_fitted(self, "model_")
        texts = check_texts("X", X)
        if fitting:
            token_lists = [lm_tokens(t, self.level, self.lowercase) for t in texts]
            if not any(token_lists):
                raise ValueError(
                    "`X` holds no tokens: every text is empty, so there is nothing to learn. "
                    f"Received: X={describe(texts)}"
                )
            if not self._keeps_vocabulary():
                self.tokens_ = build_vocabulary(
                    token_lists, reserved=[PAD, OOV, BOS, EOS], max_tokens=self.max_tokens,
                    min_frequency=self.min_frequency,
                )
                self.vocabulary_ = {t: i for i, t in enumerate(self.tokens_)}
                self.sequence_length_ = int(self.sequence_length)
                self.oov_types_ = []
            # training tokens left out of the vocabulary (max_tokens, min_frequency, or new
            # ones in a warm refit): the [UNK] class stands for all of them when scoring
            self.oov_types_ = sorted(set(getattr(self, "oov_types_", [])) | {
                t for toks in token_lists for t in toks if t not in self.vocabulary_})
            inputs, targets = self._windows(texts)
            members = int(self.ensemble_size)
            if members > 1:  # every member learns the same next tokens
                targets = np.tile(targets, (1, members))
            return inputs, targets
        return self._windows(texts)

    def _network_config(self, X: Any, y: Any) -> dict[str, Any]:
        p = self._validate_params()
        return {
            "builder": "token",
            "sequence_length": int(self.sequence_length_),
            "vocab_size": len(self.tokens_),
            "n_outputs": len(self.tokens_),
            "embedding_dim": p["embedding_dim"],
            "cell": p["cell"],
            "units": list(p["units"]),
            "bidirectional": False,
            "dropout": p["dropout"],
            "n_members": p["ensemble_size"],
        }

    def _build_network(self, config: dict[str, Any]) -> Any:
        from ..networks._tagger_net import build_token_model

        cfg = {k: v for k, v in config.items() if k != "builder"}
        return build_token_model(
            cfg.pop("sequence_length"), cfg.pop("vocab_size"), cfg.pop("n_outputs"),
            name="text_generator", **cfg,
        )

    def _training_callbacks(self, p: dict[str, Any]) -> list:
        last = self._validate_params()["average_last_epochs"]
        average = [_weight_average_callback(int(self.epochs) - last)] if last else []
        return [*super()._training_callbacks(p), *average]

    def _forward(self) -> Any:
        """Compiled forward pass returning ``(batch, T, vocab)`` probabilities.

        An ensemble's model emits its members' distributions one after the
        other along the time axis; they are averaged here.
        """
        length = int(self.model_.inputs[0].shape[1])
        members = int(self.model_.outputs[0].shape[1]) // length
        if members == 1:
            return super()._forward()
        from .._tf import tf

        def factory(model: Any) -> Any:
            t = tf()

            @self._graph(
                input_signature=[t.TensorSpec((None, length), t.int32)], reduce_retracing=True
            )
            def forward(x: Any) -> Any:
                probs = model(x, training=False)
                probs = t.reshape(probs, (-1, members, length, probs.shape[-1]))
                return t.reduce_mean(probs, axis=1)

            return forward

        return self._compiled("forward_ensemble", factory)

    # -------------------------------------------------------------- API
    def fit(self, X: Any, y: Any = None) -> TextGenerator:
        """Train the language model on texts.

        Parameters
        ----------
        X : list, array or Series of str
            Training texts (each one is a document: ``[BOS] tokens [EOS]``).
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        self._validate_training_params()
        with self._refit_kept_on_error():
            with self._state_kept_on_error():
                inputs, targets = self._validate_data(X, None, fitting=True)
                config = self._network_config(inputs, targets)
            return self._fit_arrays(inputs, targets, None, config)

    def log_likelihood(self, X: Any) -> tuple[float, int]:
        """Total natural-log probability of the texts and the number of predicted tokens.

        Every token and each text's final ``[EOS]`` are predicted once; in texts
        longer than ``sequence_length`` each token is scored in the overlapping
        window (stride ``sequence_length // 2``) where it has at least
        ``sequence_length // 2`` tokens of context. A token outside the vocabulary
        gets the ``[UNK]`` probability divided by ``len(oov_types_) + 1``: the
        training tokens left out of the vocabulary (``max_tokens``,
        ``min_frequency``) and the unseen ones share it evenly, so the model is a
        distribution over every training token plus one unknown token, the events
        :class:`~forecast.text.NGramLanguageModel` predicts.

        Parameters
        ----------
        X : list, array or Series of str
            Held-out texts.

        Returns
        -------
        log_likelihood : float
            Sum of the natural-log probabilities of the predicted tokens.
        n_tokens : int
            Number of tokens predicted (each text's ``[EOS]`` included).
        """
        check_is_fitted(self, "model_")
        texts = check_texts("X", X)
        inputs, targets, scored = self._windows(texts, scored=True)
        share = math.log(len(getattr(self, "oov_types_", ())) + 1)  # [UNK] split evenly
        total, count = 0.0, 0
        for start, probs in zip(
            range(0, len(inputs), 256), self._predict_probs(inputs), strict=True
        ):
            tgt = targets[start : start + 256]
            mask = scored[start : start + 256]
            picked = np.take_along_axis(probs, tgt[..., None], axis=-1)[..., 0][mask]
            total += float(np.log(np.clip(picked.astype(np.float64), 1e-12, None)).sum())
            total -= share * int((tgt[mask] == _OOV_ID).sum())
            count += int(mask.sum())
        return total, count

    def perplexity(self, X: Any) -> float:
        """Per-token perplexity ``exp(-mean log p)`` on held-out texts (lower is better).

        Parameters
        ----------
        X : list, array or Series of str

        Returns
        -------
        float
        """
        total, count = self.log_likelihood(X)
        return float(math.exp(-total / count))

    def score(self, X: Any, y: Any = None) -> float:
        """Held-out per-token perplexity (LOWER is better), as :meth:`perplexity`.

        This reverses scikit-learn's "higher is better" convention of ``score``:
        in ``GridSearchCV``/``cross_val_score`` pass
        ``scoring=lambda est, X, y=None: -est.perplexity(X)``.

        Parameters
        ----------
        X : list, array or Series of str
            Held-out texts.
        y : None
            Ignored; present for scikit-learn compatibility.

        Returns
        -------
        float
            Per-token perplexity ``exp(-mean log p)``.
        """
        return self.perplexity(X)

    def generate(
        self,
        seed_text: str = "",
        max_length: int = 100,
        temperature: float = 1.0,
        random_state: int | None = None,
    ) -> str:
        """Continue ``seed_text`` token by token.

        Each step runs one compiled (``tf.function``) forward pass over the last
        ``sequence_length`` tokens and samples the next token from
        ``softmax(log p / temperature)``; padding, OOV and ``[BOS]`` are never
        drawn and ``[EOS]`` stops the text.

        Parameters
        ----------
        seed_text : str, default=""
            Beginning of the text (tokenised like the training texts).
        max_length : int, default=100
            Maximum number of generated tokens.
        temperature : float, default=1.0
            > 1 flattens, < 1 sharpens the distribution; 0 picks the most
            probable token (deterministic).
        random_state : int, optional
            Seed of the sampling.

        Returns
        -------
        str
            ``seed_text`` followed by the generated tokens (joined by spaces at
            word level).

        Examples
        --------
        With ``gen`` a generator fitted on restaurant reviews (not run here: it
        needs a real corpus to say anything sensible):

        >>> gen.generate("The ", max_length=20, temperature=0.5, random_state=0)  # doctest: +SKIP
        'The food was great.'
        """
        check_is_fitted(self, "model_")
        if not isinstance(seed_text, str):
            raise TypeError(
                f"`seed_text` must be a string. Received: seed_text={describe(seed_text)}"
            )
        max_length = check_positive_int("max_length", max_length)
        if not isinstance(temperature, numbers.Real) or isinstance(temperature, bool) or not (
            temperature >= 0 and math.isfinite(temperature)
        ):
            raise ValueError(
                f"`temperature` must be a finite number >= 0. Received: temperature={temperature!r}"
            )
        if random_state is not None:
            check_non_negative_int("random_state", random_state)
        rng = np.random.default_rng(random_state)
        length = int(self.sequence_length_)
        forward = self._forward()
        seq = [_BOS_ID, *self._ids(seed_text).tolist()]
        generated: list[str] = []
        window = np.zeros((1, length), dtype=np.int32)
        banned = [_PAD_ID, _OOV_ID, _BOS_ID]
        for _ in range(max_length):
            ctx = seq[-length:]
            window[:] = 0
            window[0, : len(ctx)] = ctx
            probs = np.array(forward(window)[0, len(ctx) - 1], dtype=np.float64)
            probs[banned] = 0.0
            if temperature == 0:
                nxt = int(np.argmax(probs))
            else:
                with np.errstate(over="ignore"):  # a temperature near 0 overflows to -inf
                    logits = np.log(np.clip(probs, 1e-30, None)) / temperature
                logits[banned] = -np.inf
                top = logits.max()
                if not np.isfinite(top):  # the limit as temperature -> 0: greedy
                    nxt = int(np.argmax(probs))
                else:
                    weights = np.exp(logits - top)
                    nxt = int(rng.choice(len(weights), p=weights / weights.sum()))
            if nxt == _EOS_ID:
                break
            seq.append(nxt)
            generated.append(self.tokens_[nxt])
        if self.level == "char":
            return seed_text + "".join(generated)
        sep = " " if seed_text and generated and not seed_text.endswith(" ") else ""
        return seed_text + sep + " ".join(generated)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.required = False
        tags.non_deterministic = self.random_state is None
        return tags


def _weight_average_callback(start: int) -> Any:
    """Keras callback: running mean of the weights after every epoch ``>= start``
    (0-based), loaded into the model when training ends (stochastic weight averaging)."""
    from .._tf import keras

    class WeightAverage(keras().callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.mean: list[np.ndarray] | None = None
            self.count = 0

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            if epoch < start:
                return
            weights = [np.asarray(w, dtype=np.float64) for w in self.model.get_weights()]
            self.count += 1
            if self.mean is None:
                self.mean = weights
            else:
                self.mean = [m + (w - m) / self.count for m, w in zip(self.mean, weights,
                                                                       strict=True)]

        def on_train_end(self, logs: Any = None) -> None:
            if self.mean is not None:
                self.model.set_weights(
                    [m.astype(w.dtype) for m, w in zip(self.mean, self.model.get_weights(),
                                                       strict=True)]
                )

    return WeightAverage()


TextGenerator.__doc__ = (
    """Recurrent language model over characters or words, with sampling.

    Each training text becomes ``[BOS] tokens [EOS]``, cut into windows of
    ``sequence_length`` inputs whose targets are the next tokens
    (``Embedding(mask_zero) -> LSTM/GRU stack -> softmax`` at every step; padded
    positions are masked out of the loss).

    ``score(X)`` returns the held-out **perplexity per token (lower is better)**,
    as specified for this estimator, which reverses scikit-learn's usual "higher
    is better"; :meth:`perplexity` is the same number. It is directly comparable
    with :class:`forecast.text.NGramLanguageModel` (same tokens, same ``[EOS]``;
    with ``max_tokens`` or ``min_frequency`` the ``[UNK]`` probability is shared
    evenly by the training tokens left out and the unknown token, see
    :meth:`log_likelihood`, so a smaller vocabulary cannot lower the perplexity by
    merging tokens).

    Parameters
    ----------
    level : {"char", "word"}, default="char"
    lowercase : bool, default=False
    max_tokens : int, optional
        Vocabulary cap (4 reserved ids included); rarer tokens map to OOV.
    min_frequency : int, default=1
    sequence_length : int, default=64
        Window length ``L`` (truncated backpropagation through time, no state
        carried between windows). Texts longer than ``L`` are cut into windows
        starting every ``L // 2`` tokens, for training and for scoring (where
        each token is counted once, with at least ``L // 2`` tokens of context).
    embedding_dim : int, default=32
    cell : {"lstm", "gru", "rnn"}, default="lstm"
    units : int or tuple of int, default=(128,)
    dropout : float in [0, 1), default=0.0
        Dropout after the embedding and after each recurrent layer (a new mask
        at every position).
    ensemble_size : int, default=1
        Number of networks trained side by side, each from its own initial
        weights on the same windows (one Keras model; ``ensemble_size`` times the
        cost); ``perplexity``, ``score`` and ``generate`` average their
        next-token probabilities.
    average_last_epochs : int, default=0
        When positive, the fitted weights are the mean of the weights at the end
        of each of the last ``average_last_epochs`` epochs (stochastic weight
        averaging, Izmailov et al. 2018; pairs with a constant, fairly high
        learning rate). At most ``epochs``; cannot be combined with
        ``early_stopping``. 0 keeps the last (or best) weights.
    learning_rate : float, default=3e-3
    clipnorm : float, default=1.0
"""
    + TRAINING_PARAMS_DOC
    + """
    Attributes
    ----------
    tokens_ : list of str
        Id -> token (``""``, ``"[UNK]"``, ``"[BOS]"``, ``"[EOS]"`` first).
    vocabulary_ : dict of str -> int
    sequence_length_ : int
        The window length of the fitted network (``sequence_length`` at ``fit``).
    oov_types_ : list of str
        Training tokens left out of the vocabulary (they map to ``[UNK]``), sorted.
    model_ : keras.Model
    history_ : dict

    Examples
    --------
    >>> texts = ["abcabc", "abcab", "bcabca"] * 10
    >>> gen = TextGenerator(units=8, sequence_length=8, epochs=2, random_state=0).fit(texts)
    >>> isinstance(gen.generate("ab", max_length=5, random_state=0), str)
    True
    >>> gen.score(["abcabc"]) > 1.0  # perplexity per token
    True
    """
)
