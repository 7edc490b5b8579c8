"""``NGramLanguageModel``: interpolated Kneser-Ney n-gram model (the statistical LM baseline)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._validation import check_fraction, check_option, check_positive_int
from ._tokenize import BOS, EOS, OOV, check_texts, tokenize

__all__ = ["NGramLanguageModel", "lm_tokens"]


def lm_tokens(text: str, level: str, lowercase: bool) -> list[str]:
    """Tokens of one text for language modelling (characters or whitespace words).

    Examples
    --------
    >>> lm_tokens("Ab c", "char", True)
    ['a', 'b', ' ', 'c']
    """
    if lowercase:
        text = text.lower()
    return tokenize(text, "character" if level == "char" else "word")


class NGramLanguageModel(BaseEstimator):
    """Interpolated Kneser-Ney n-gram language model over characters or words.

    Each text is modelled as ``[BOS]*(n-1) + tokens + [EOS]``; every token and the
    final ``[EOS]`` are predicted, so its perplexity is directly comparable with
    :class:`~forecast.estimators.TextGenerator` on the same texts and ``level``.
    Lower orders use continuation counts; the order-1 model is interpolated with
    a uniform distribution over the vocabulary plus one unknown token, so unseen
    tokens get a finite probability.

    Parameters
    ----------
    n : int, default=5
        Order (context of ``n - 1`` tokens).
    level : {"char", "word"}, default="char"
    lowercase : bool, default=False
    discount : float in (0, 1), optional
        Absolute discount for every order; ``None`` estimates one per order as
        ``n1 / (n1 + 2 n2)`` (Ney et al., 1994).

    Attributes
    ----------
    vocabulary_ : list of str
        Tokens seen as targets in ``fit`` (``[EOS]`` included).
    discounts_ : list of float
        Discount of orders 1..n.

    Examples
    --------
    >>> lm = NGramLanguageModel(n=3).fit(["abab", "abba"])
    >>> round(lm.perplexity(["abab"]), 2) < round(lm.perplexity(["zzzz"]), 2)
    True
    """

    def __init__(
        self, n: int = 5, level: str = "char", lowercase: bool = False,
        discount: float | None = None,
    ) -> None:
        self.n = n
        self.level = level
        self.lowercase = lowercase
        self.discount = discount

    def _padded(self, text: str) -> list[str]:
        return [BOS] * (self.n - 1) + lm_tokens(text, self.level, self.lowercase) + [EOS]

    def fit(self, X: Any, y: Any = None) -> NGramLanguageModel:
        """Count the n-grams of the texts ``X`` (list/array/Series of str).

        Parameters
        ----------
        X : list, array or Series of str
            Training texts.
        y : None
            Ignored; present for scikit-learn compatibility.

        Returns
        -------
        self
            The fitted model.
        """
        n = check_positive_int("n", self.n)
        check_option("level", self.level, ("char", "word"))
        if self.discount is not None:
            check_fraction("discount", self.discount)
            if self.discount <= 0:
                raise ValueError(
                    f"`discount` must be in (0, 1). Received: discount={self.discount}"
                )
        texts = check_texts("X", X)
        top: Counter = Counter()
        for text in texts:
            seq = self._padded(text)
            for i in range(n - 1, len(seq)):
                top[tuple(seq[i - n + 1 : i + 1])] += 1
        tables: list[Counter] = [Counter() for _ in range(n + 1)]  # tables[k]: k-grams
        tables[n] = top
        for k in range(n - 1, 0, -1):
            cont: Counter = Counter()
            for gram in tables[k + 1]:
                cont[gram[1:]] += 1
            tables[k] = cont
        self.discounts_ = []
        self._num: list[dict] = [{}]
        self._den: list[dict] = [{}]
        self._types: list[dict] = [{}]
        for k in range(1, n + 1):
            den: dict = defaultdict(int)
            types: dict = defaultdict(int)
            for gram, c in tables[k].items():
                den[gram[:-1]] += c
                types[gram[:-1]] += 1
            if self.discount is not None:
                d = float(self.discount)
            else:
                hist = Counter(tables[k].values())
                n1, n2 = hist.get(1, 0), hist.get(2, 0)
                d = n1 / (n1 + 2 * n2) if n1 and n2 else 0.75
                d = min(max(d, 0.05), 0.95)
            self.discounts_.append(d)
            self._num.append(dict(tables[k]))
            self._den.append(dict(den))
            self._types.append(dict(types))
        self.vocabulary_ = sorted({g[-1] for g in tables[1]})
        return self

    def _prob(self, history: tuple[str, ...], token: str) -> float:
        p = 1.0 / (len(self.vocabulary_) + 1)
        for k in range(1, self.n + 1):
            h = history[len(history) - (k - 1) :] if k > 1 else ()
            den = self._den[k].get(h)
            if not den:
                continue
            d = self.discounts_[k - 1]
            c = self._num[k].get((*h, token), 0)
            p = max(c - d, 0.0) / den + d * self._types[k][h] / den * p
        return p

    def log_likelihood(self, X: Any) -> tuple[float, int]:
        """Total natural-log probability of the texts and the number of predicted tokens.

        Parameters
        ----------
        X : list, array or Series of str
            Held-out texts; tokens unseen in ``fit`` count as OOV.

        Returns
        -------
        log_likelihood : float
            Sum of the natural-log probabilities of the predicted tokens.
        n_tokens : int
            Number of tokens predicted (each text's tokens and its end marker).
        """
        check_is_fitted(self, "vocabulary_")
        texts = check_texts("X", X)
        known = set(self.vocabulary_)
        total, count = 0.0, 0
        for text in texts:
            seq = [t if (t in known or t == BOS) else OOV for t in self._padded(text)]
            for i in range(self.n - 1, len(seq)):
                total += math.log(self._prob(tuple(seq[i - self.n + 1 : i]), seq[i]))
                count += 1
        return total, count

    def perplexity(self, X: Any) -> float:
        """Per-token perplexity ``exp(-mean log p)`` of held-out texts (lower is better).

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
        """Per-token perplexity (LOWER is better; same as :meth:`perplexity`).

        Note this reverses scikit-learn's "higher is better" convention: in a
        grid search pass ``scoring`` explicitly.

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
