"""``TextVectorizer``: strings -> padded integer token ids (pure Python/NumPy, no TensorFlow)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._validation import check_option, check_positive_int, describe
from ._tokenize import OOV, PAD, check_standardize, check_texts, standardize_text, tokenize
from ._vocab import build_vocabulary, encode_tokens

__all__ = ["TextVectorizer"]


class TextVectorizer(TransformerMixin, BaseEstimator):
    """Map texts to fixed-length sequences of integer token ids.

    Id ``0`` is padding and id ``1`` the out-of-vocabulary token ``"[UNK]"``;
    the other ids rank the tokens seen in ``fit`` by decreasing frequency (ties
    alphabetically), so the mapping is deterministic. It is the front end of
    ``RNNClassifier(embedding_dim=...)`` in a pipeline (the embedding masks id 0).

    Pure Python/NumPy: it pickles, clones and needs no TensorFlow.

    Parameters
    ----------
    split : {"word", "character"}, default="word"
        Word tokens are whitespace-separated runs; character tokens keep spaces.
    max_tokens : int, optional, default=20000
        Vocabulary size cap, padding and OOV included (``None``: no cap).
    min_frequency : int, default=1
        Tokens seen fewer times in ``fit`` map to OOV.
    sequence_length : int, optional
        Length of every output row: longer token sequences are truncated,
        shorter ones padded with 0. ``None`` uses the longest sequence seen in
        ``fit`` (capped at ``max_sequence_length``).
    max_sequence_length : int, default=200
        Cap of the fitted length when ``sequence_length=None``.
    padding : {"post", "pre"}, default="post"
        Where padding goes ("post" keeps the cuDNN kernel usable on GPUs).
    truncating : {"post", "pre"}, default="post"
        Which end of a too-long sequence is cut.
    standardize : {"lower_and_strip_punctuation", "lower", "strip_punctuation"}, callable or None
        Default "lower_and_strip_punctuation". The punctuation stripped is ASCII's
        (``string.punctuation``, as Keras' ``TextVectorization``): typographic quotes
        and dashes (“ ” — …) stay. A callable ``str -> str`` is applied to each text
        instead (use a module-level function to keep pickling).
    ngrams : int, optional
        With ``ngrams=n`` the token sequence is followed by its 2..n-grams, as in
        Keras' ``TextVectorization``: words joined by spaces (``"a b"``), characters
        joined directly (``"ab"``). :meth:`inverse_transform` and :meth:`decode`
        then return the n-gram tokens too, after the text's own tokens.

    Attributes
    ----------
    vocabulary_ : dict of str -> int
        Token -> id, including ``""`` (0) and ``"[UNK]"`` (1). Only tokens kept
        after truncation to ``sequence_length_`` are counted, so every id occurs
        in ``fit_transform``'s output.
    tokens_ : list of str
        Id -> token.
    sequence_length_ : int
        The output width.
    n_features_in_ : int
        Always 1 (one text per sample).

    Notes
    -----
    Empty strings give all-padding rows. ``None``, NaN and non-string items raise
    ``TypeError`` naming their position (fill missing texts first).

    Examples
    --------
    >>> vec = TextVectorizer(sequence_length=4).fit(["the cat sat", "the dog"])
    >>> vec.transform(["the cat", "a dog"]).tolist()
    [[2, 3, 0, 0], [1, 4, 0, 0]]
    >>> vec.decode([[2, 3, 0, 0]])
    ['the cat']
    """

    def __init__(
        self,
        split: str = "word",
        max_tokens: int | None = 20000,
        min_frequency: int = 1,
        sequence_length: int | None = None,
        max_sequence_length: int = 200,
        padding: str = "post",
        truncating: str = "post",
        standardize: str | Callable[[str], str] | None = "lower_and_strip_punctuation",
        ngrams: int | None = None,
    ) -> None:
        self.split = split
        self.max_tokens = max_tokens
        self.min_frequency = min_frequency
        self.sequence_length = sequence_length
        self.max_sequence_length = max_sequence_length
        self.padding = padding
        self.truncating = truncating
        self.standardize = standardize
        self.ngrams = ngrams

    # ----------------------------------------------------------- internals
    def _check_params(self) -> None:
        check_option("split", self.split, ("word", "character"))
        if self.max_tokens is not None:
            check_positive_int("max_tokens", self.max_tokens)
            if self.max_tokens < 3:
                raise ValueError(
                    "`max_tokens` must be at least 3 (padding, OOV and one token). "
                    f"Received: max_tokens={self.max_tokens}"
                )
        check_positive_int("min_frequency", self.min_frequency)
        if self.sequence_length is not None:
            check_positive_int("sequence_length", self.sequence_length)
        check_positive_int("max_sequence_length", self.max_sequence_length)
        check_option("padding", self.padding, ("post", "pre"))
        check_option("truncating", self.truncating, ("post", "pre"))
        check_standardize(self.standardize)
        if self.ngrams is not None:
            check_positive_int("ngrams", self.ngrams)

    def _tokens(self, text: str) -> list[str]:
        toks = tokenize(standardize_text(text, self.standardize), self.split)
        n = self.ngrams or 1
        if n > 1:
            sep = " " if self.split == "word" else ""
            grams = [
                sep.join(toks[i : i + k]) for k in range(2, n + 1) for i in range(len(toks) - k + 1)
            ]
            toks = toks + grams
        return toks

    # --------------------------------------------------------------- API
    def fit(self, X: Any, y: Any = None) -> TextVectorizer:
        """Learn the vocabulary (and the output length) from texts.

        Parameters
        ----------
        X : list, 1-D array, Series or (n, 1) array/DataFrame of str
        y : ignored

        Returns
        -------
        self
        """
        self._check_params()
        texts = check_texts("X", X)
        token_lists = [self._tokens(t) for t in texts]
        if not any(token_lists):  # as scikit-learn's CountVectorizer: no empty vocabulary
            raise ValueError(
                "`X` holds no tokens: every text is empty after standardisation. "
                f"Received: X={describe(texts)}"
            )
        if self.sequence_length is None:
            longest = max((len(t) for t in token_lists), default=1)
            self.sequence_length_ = int(min(max(longest, 1), self.max_sequence_length))
        else:
            self.sequence_length_ = int(self.sequence_length)
        # Count only the tokens that survive truncation: every id of the vocabulary then
        # occurs in the fitted output (a downstream Embedding sized on it never sees an
        # unknown id at predict time).
        self.tokens_ = build_vocabulary(
            (self._truncate(toks) for toks in token_lists),
            reserved=[PAD, OOV],
            max_tokens=self.max_tokens,
            min_frequency=self.min_frequency,
        )
        self.vocabulary_ = {t: i for i, t in enumerate(self.tokens_)}
        self.n_features_in_ = 1
        return self

    def _truncate(self, items: Any) -> Any:
        width = self.sequence_length_
        if len(items) <= width:
            return items
        return items[:width] if self.truncating == "post" else items[len(items) - width :]

    def transform(self, X: Any) -> np.ndarray:
        """Texts -> padded token ids.

        Parameters
        ----------
        X : list, 1-D array, Series or (n, 1) array/DataFrame of str

        Returns
        -------
        numpy.ndarray of shape (n, sequence_length_), dtype int32
            0 = padding, 1 = OOV.
        """
        check_is_fitted(self, "vocabulary_")
        texts = check_texts("X", X)
        width = self.sequence_length_
        out = np.zeros((len(texts), width), dtype=np.int32)
        for row, text in enumerate(texts):
            ids = encode_tokens(self._truncate(self._tokens(text)), self.vocabulary_)
            if self.padding == "post":
                out[row, : len(ids)] = ids
            elif len(ids):
                out[row, width - len(ids) :] = ids
        return out

    def inverse_transform(self, X: Any) -> list[list[str]]:
        """Token ids -> lists of tokens (padding dropped, OOV shown as ``"[UNK]"``).

        Parameters
        ----------
        X : array-like of int, shape (n, L)

        Returns
        -------
        list of list of str

        Examples
        --------
        >>> vec = TextVectorizer().fit(["a b"])
        >>> vec.inverse_transform([[2, 3, 1, 0]])
        [['a', 'b', '[UNK]']]
        """
        check_is_fitted(self, "vocabulary_")
        arr = np.asarray(X)
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.dtype.kind not in "iu":
            raise ValueError(
                f"`X` must be a 2-D array of integer token ids. Received: X={describe(arr)}"
            )
        size = len(self.tokens_)
        if arr.size and (arr.min() < 0 or arr.max() >= size):
            raise ValueError(
                f"`X` holds ids outside the vocabulary [0, {size}). "
                f"Received: ids from {arr.min()} to {arr.max()}"
            )
        return [[self.tokens_[i] for i in row if i != 0] for row in arr.tolist()]

    def decode(self, X: Any) -> list[str]:
        """Token ids -> strings (tokens joined by spaces, or directly for characters).

        With ``ngrams`` the n-gram tokens follow the text's own tokens, so the string
        is not the text: take the tokens of :meth:`inverse_transform` instead.

        Parameters
        ----------
        X : array-like of int, shape (n, L)
            Token ids, e.g. the output of :meth:`transform` (padding ``0`` is dropped,
            OOV shown as ``"[UNK]"``).

        Returns
        -------
        list of str
            One string per row of ``X``.

        Examples
        --------
        >>> TextVectorizer(split="character").fit(["ab"]).decode([[2, 3, 0]])
        ['ab']
        """
        sep = "" if self.split == "character" else " "
        return [sep.join(toks) for toks in self.inverse_transform(X)]

    @property
    def vocabulary_size_(self) -> int:
        """Number of ids (padding and OOV included); the ``Embedding`` input size."""
        check_is_fitted(self, "vocabulary_")
        return len(self.tokens_)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns: ``token_0 .. token_{L-1}``.

        Parameters
        ----------
        input_features : None
            Ignored; present for scikit-learn compatibility.

        Returns
        -------
        numpy.ndarray of str, shape (sequence_length_,)
            The column names, as an object array.
        """
        check_is_fitted(self, "vocabulary_")
        return np.array([f"token_{i}" for i in range(self.sequence_length_)], dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.input_tags.one_d_array = True
        tags.requires_fit = True
        return tags
