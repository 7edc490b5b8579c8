"""Frequency-ranked vocabularies with reserved ids (pure Python)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["build_vocabulary", "encode_tokens"]


def build_vocabulary(
    token_lists: Iterable[Sequence[str]],
    *,
    reserved: Sequence[str],
    max_tokens: int | None = None,
    min_frequency: int = 1,
) -> list[str]:
    """Reserved tokens first, then tokens by decreasing count (ties: alphabetical).

    Parameters
    ----------
    token_lists : iterable of sequences of str
    reserved : sequence of str
        Tokens given the first ids (e.g. padding ``""`` and ``"[UNK]"``).
    max_tokens : int, optional
        Size cap, reserved tokens included.
    min_frequency : int, default=1
        Tokens seen fewer times are left out (they become OOV).

    Returns
    -------
    list of str
        Position = id.

    Examples
    --------
    >>> build_vocabulary([["b", "a", "b"]], reserved=["", "[UNK]"])
    ['', '[UNK]', 'b', 'a']
    """
    counts = Counter(t for toks in token_lists for t in toks)
    for r in reserved:
        counts.pop(r, None)
    ranked = sorted(
        (t for t, c in counts.items() if c >= min_frequency), key=lambda t: (-counts[t], t)
    )
    vocab = list(reserved) + ranked
    if max_tokens is not None:
        vocab = vocab[: max(max_tokens, len(reserved))]
    return vocab


def encode_tokens(tokens: Sequence[str], lookup: dict[str, int], oov_id: int = 1) -> np.ndarray:
    """Ids of ``tokens`` (unknown tokens -> ``oov_id``) as an int32 array.

    Examples
    --------
    >>> encode_tokens(["a", "zz"], {"a": 2}).tolist()
    [2, 1]
    """
    return np.fromiter((lookup.get(t, oov_id) for t in tokens), dtype=np.int32, count=len(tokens))
