"""Shared text handling: input checking, standardisation and tokenisation (pure Python).

Used by :class:`~forecast.text.TextVectorizer`, :class:`~forecast.text.NGramLanguageModel`
and the text estimators, so that every component splits text the same way.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_option, describe

__all__ = [
    "PAD",
    "OOV",
    "BOS",
    "EOS",
    "STANDARDIZE_OPTIONS",
    "check_texts",
    "standardize_text",
    "tokenize",
    "check_token_lists",
]

#: reserved tokens (ids 0..3 in the estimators' vocabularies)
PAD = ""
OOV = "[UNK]"
BOS = "[BOS]"
EOS = "[EOS]"

STANDARDIZE_OPTIONS = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_PUNCT_RE = re.compile("[" + re.escape(string.punctuation) + "]")


def check_texts(name: str, texts: Any) -> list[str]:
    """Return ``texts`` as a new list of ``str`` (the input is never modified).

    Accepts a list/tuple, a 1-D array, a pandas Series, or a single-column 2-D
    array/DataFrame of shape ``(n, 1)`` (what a ``ColumnTransformer`` passes).

    Raises
    ------
    TypeError
        For a bare string, ``None`` items, NaN or non-string items (the message
        names the first bad position).
    ValueError
        For an empty collection or a 2-D input with more than one column.

    Examples
    --------
    >>> check_texts("X", ["a b", "c"])
    ['a b', 'c']
    """
    if isinstance(texts, str | bytes):
        raise TypeError(
            f"`{name}` must be a list, array or Series of strings, not a single string. "
            f"Wrap it in a list. Received: {name}={describe(texts)}"
        )
    if texts is None:
        raise TypeError(
            f"`{name}` must be a list, array or Series of strings. Received: {name}=None"
        )
    if isinstance(texts, pd.DataFrame):
        if texts.shape[1] != 1:
            raise ValueError(
                f"`{name}` must have a single text column. Received: {name}={describe(texts)}"
            )
        items = texts.iloc[:, 0].tolist()
    elif isinstance(texts, pd.Series):
        items = texts.tolist()
    elif isinstance(texts, np.ndarray):
        if texts.ndim == 2 and texts.shape[1] == 1:
            items = texts[:, 0].tolist()
        elif texts.ndim == 1:
            items = texts.tolist()
        else:
            raise ValueError(
                f"`{name}` must be 1-D or of shape (n, 1). Received: {name}={describe(texts)}"
            )
    else:
        try:
            items = list(texts)
        except TypeError:
            raise TypeError(
                f"`{name}` must be a list, array or Series of strings. "
                f"Received: {name}={describe(texts)}"
            ) from None
        if items and all(
            isinstance(it, list | tuple | np.ndarray) and len(it) == 1 for it in items
        ):  # [[text], [text]] column lists
            items = [it[0] for it in items]
    if not items:
        raise ValueError(f"`{name}` must hold at least one text. Received: {name} of length 0")
    for i, it in enumerate(items):
        if not isinstance(it, str):
            what = "None" if it is None else ("NaN" if isinstance(it, float) and it != it
                                             else f"of type {type(it).__name__}")
            raise TypeError(
                f"`{name}` must hold only strings; item {i} is {what}. "
                f"Fill missing texts first (e.g. X.fillna('')). Received: {name}[{i}]={it!r}"
            )
    return [str(it) for it in items]


def check_standardize(standardize: Any) -> Any:
    """Validate the ``standardize`` option (a known name, ``None`` or a callable)."""
    if standardize is None or callable(standardize):
        return standardize
    return check_option("standardize", standardize, STANDARDIZE_OPTIONS)


def standardize_text(text: str, standardize: str | Callable[[str], str] | None) -> str:
    """Apply a standardisation option to one text.

    Examples
    --------
    >>> standardize_text("Hello, World!", "lower_and_strip_punctuation")
    'hello world'
    """
    if standardize is None:
        return text
    if callable(standardize):
        out = standardize(text)
        if not isinstance(out, str):
            raise TypeError(
                f"`standardize` must return a string. Received: {describe(out)} for {text!r}"
            )
        return out
    if standardize in ("lower_and_strip_punctuation", "lower"):
        text = text.lower()
    if standardize in ("lower_and_strip_punctuation", "strip_punctuation"):
        text = _PUNCT_RE.sub("", text)
    return text


def tokenize(text: str, split: str = "word") -> list[str]:
    """Split one (already standardised) text into word or character tokens.

    Words are maximal runs of non-whitespace; characters keep spaces.

    Examples
    --------
    >>> tokenize("ab c", "character")
    ['a', 'b', ' ', 'c']
    >>> tokenize(" ab  c ", "word")
    ['ab', 'c']
    """
    if split == "word":
        return text.split()
    return list(text)


def check_token_lists(name: str, docs: Any) -> list[list[str]]:
    """Sequences of tokens: each item a string (split on whitespace) or a list of non-empty
    strings (``""`` is the padding token).

    Examples
    --------
    >>> check_token_lists("X", ["a b", ["c", "d"]])
    [['a', 'b'], ['c', 'd']]
    """
    if isinstance(docs, str | bytes) or docs is None:
        raise TypeError(
            f"`{name}` must be a list of token lists or strings. Received: {name}={describe(docs)}"
        )
    try:
        items = list(docs)
    except TypeError:
        raise TypeError(
            f"`{name}` must be a list of token lists or strings. Received: {name}={describe(docs)}"
        ) from None
    if not items:
        raise ValueError(f"`{name}` must hold at least one sequence. Received: {name} of length 0")
    out: list[list[str]] = []
    for i, it in enumerate(items):
        if isinstance(it, str):
            out.append(it.split())
        elif isinstance(it, Sequence | np.ndarray) and not isinstance(it, bytes):
            toks = list(it)
            for j, t in enumerate(toks):
                if not isinstance(t, str):
                    raise TypeError(
                        f"`{name}` must hold string tokens; item {i} has {describe(t)} at "
                        f"position {j}. Received: {name}[{i}]={describe(it)}"
                    )
                if not t:  # "" is the padding token: it would be masked out as padding
                    raise ValueError(
                        f"`{name}` must hold non-empty tokens (\"\" is reserved for padding); "
                        f"item {i} has \"\" at position {j}. Received: {name}[{i}]="
                        f"{describe(it)}"
                    )
            out.append(toks)
        else:
            raise TypeError(
                f"`{name}` items must be strings or lists of string tokens; item {i} is "
                f"{describe(it)}. Received: {name}[{i}]={describe(it)}"
            )
    return out
