"""UCI "Sentiment Labelled Sentences" (Amazon, IMDB, Yelp)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ._files import as_path

__all__ = ["load_sentiment", "SENTIMENT_FILES"]

#: source -> file name inside the ``sentiment_labelled_sentences`` folder.
SENTIMENT_FILES = {
    "amazon": "amazon_cells_labelled.txt",
    "imdb": "imdb_labelled.txt",
    "yelp": "yelp_labelled.txt",
}


def _read_one(path: os.PathLike, source: str) -> pd.DataFrame:
    """One ``sentence<TAB>label`` file; every error names the file and the line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{str(path)!r} is not UTF-8 text: {exc}") from exc
    sentences, labels = [], []
    # lines end at "\n" only (CRLF or LF): str.splitlines would also cut sentences at
    # the control characters some IMDB sentences hold
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        if "\t" not in line:
            raise ValueError(f"{str(path)!r}: line {number} has no TAB; each line must be "
                             f"'sentence<TAB>label'. Received: {line[:60]!r}")
        sentence, label = line.rsplit("\t", 1)
        if label.strip() not in ("0", "1"):
            raise ValueError(f"{str(path)!r}: labels must be 0 or 1; line {number} has "
                             f"{label.strip()!r}")
        if not sentence.strip():
            raise ValueError(f"{str(path)!r}: line {number} has an empty sentence")
        sentences.append(sentence.strip())
        labels.append(int(label))
    if not sentences:
        raise ValueError(f"{str(path)!r} holds no sentences")
    return pd.DataFrame({"text": sentences, "label": np.array(labels, dtype="int64"),
                         "source": source})


def load_sentiment(path: str | os.PathLike) -> pd.DataFrame:
    """Load the UCI "Sentiment Labelled Sentences" data set (3 x 1,000 sentences).

    Each file has one ``sentence<TAB>label`` line per sentence (CRLF line ends, label
    0 = negative, 1 = positive). Files are read with ``csv.QUOTE_NONE``: the IMDB file
    contains unbalanced quotes and would otherwise lose rows (748 instead of 1,000).
    Leading and trailing spaces of each sentence are stripped.

    Source: Kotzias, Denil, de Freitas, Smyth, "From Group to Individual Labels using
    Deep Features", KDD 2015. UCI Machine Learning Repository, licence CC BY 4.0.

    Parameters
    ----------
    path : path-like
        The ``sentiment_labelled_sentences`` folder holding
        ``amazon_cells_labelled.txt``, ``imdb_labelled.txt`` and ``yelp_labelled.txt``
        (or its parent folder).

    Returns
    -------
    pandas.DataFrame
        Shape ``(3000, 3)`` for the original files: ``text`` (str), ``label`` (int64,
        0/1), ``source`` (``"amazon"``, ``"imdb"`` or ``"yelp"``), in file order
        (amazon, imdb, yelp) with a ``RangeIndex``.

    Raises
    ------
    FileNotFoundError
        The folder or one of the three files is missing.
    ValueError
        A file is not in ``sentence<TAB>label`` format (or a label is not 0/1).

    Examples
    --------
    >>> from forecast.datasets import load_sentiment
    >>> df = load_sentiment("../shared/data/text/sentiment_labelled_sentences")  # doctest: +SKIP
    >>> df.groupby("source").size().tolist()  # doctest: +SKIP
    [1000, 1000, 1000]
    """
    folder = as_path("path", path)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"sentiment folder not found: {str(folder)!r}. Received: path={str(path)!r}"
        )
    nested = folder / "sentiment_labelled_sentences"
    if not (folder / SENTIMENT_FILES["amazon"]).exists() and nested.is_dir():
        folder = nested
    frames = []
    for source, name in SENTIMENT_FILES.items():
        file = folder / name
        if not file.is_file():
            raise FileNotFoundError(
                f"sentiment file not found: {str(file)!r} (expected "
                f"{list(SENTIMENT_FILES.values())} in the folder). Received: path={str(path)!r}"
            )
        frames.append(_read_one(file, source))
    return pd.concat(frames, ignore_index=True)
