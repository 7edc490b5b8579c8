"""M4 competition data in its original wide CSV format."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from forecast._validation import describe

from ._files import as_path

__all__ = ["M4Dataset", "load_m4", "M4_INFO"]

#: frequency -> (horizon, season_length), as in the M4 competition guide.
M4_INFO: dict[str, tuple[int, int]] = {
    "Yearly": (6, 1),
    "Quarterly": (8, 4),
    "Monthly": (18, 12),
    "Weekly": (13, 1),
    "Daily": (14, 1),
    "Hourly": (48, 24),
}


@dataclass
class M4Dataset:
    """One M4 frequency: training series and (optionally) their test continuations.

    The constructor fields are also the attributes; ``len(dataset)`` is the number
    of series.

    Parameters
    ----------
    frequency : str
        ``"Yearly"``, ``"Quarterly"``, ``"Monthly"``, ``"Weekly"``, ``"Daily"`` or
        ``"Hourly"``.
    horizon : int
        Forecast horizon h of that frequency (6, 8, 18, 13, 14, 48).
    season_length : int
        Seasonal period m used by M4 (1, 4, 12, 1, 1, 24).
    train : dict of str to pandas.Series
        Series id (``"H1"``...) -> float64 values with a ``RangeIndex`` ``0..n-1``
        (lengths differ between series).
    test : dict of str to pandas.Series or None
        Same ids -> the next ``horizon`` values, index ``n..n+h-1`` (continuing the
        train index). ``None`` when the test file was not found.

    Examples
    --------
    >>> import pandas as pd
    >>> from forecast.datasets import M4Dataset
    >>> ds = M4Dataset("Yearly", 6, 1, {"Y1": pd.Series([1.0, 2.0])}, None)
    >>> ds.horizon
    6
    """

    frequency: str
    horizon: int
    season_length: int
    train: dict[str, pd.Series] = field(repr=False)
    test: dict[str, pd.Series] | None = field(repr=False, default=None)

    def __len__(self) -> int:
        return len(self.train)


def _check_frequency(frequency: object) -> str:
    if isinstance(frequency, str):
        for name in M4_INFO:
            if frequency.strip().lower() == name.lower():
                return name
    raise ValueError(
        f"`frequency` must be one of {list(M4_INFO)}. Received: frequency={describe(frequency)}"
    )


def _read_wide(path: Path, offsets: dict[str, int] | None = None) -> dict[str, pd.Series]:
    """Read one wide M4 file: quoted fields, V1 = id, values right-padded with empties."""
    try:
        header = pd.read_csv(path, nrows=0)
        if len(header.columns) < 2 or str(header.columns[0]) != "V1":
            raise ValueError(f"expected a first column 'V1', got {list(header.columns[:3])}")
        dtypes = {c: "float64" for c in header.columns[1:]}
        frame = pd.read_csv(path, dtype={"V1": str, **dtypes}, index_col="V1")
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{str(path)!r} is not an M4 CSV file (wide, 'V1' = id): {exc}") from exc
    if frame.index.has_duplicates:
        raise ValueError(
            f"{str(path)!r} has duplicate series ids, e.g. "
            f"{frame.index[frame.index.duplicated()][0]!r}"
        )
    values = frame.to_numpy()
    valid = ~np.isnan(values)
    lengths = valid.sum(axis=1)
    # right-padded: the valid cells must be exactly the first `lengths` cells of each row
    # (the position of the first empty cell, or the width; no int copy of the table)
    leading = np.where(valid.all(axis=1), valid.shape[1], valid.argmin(axis=1))
    contiguous = leading == lengths
    if not contiguous.all() or (lengths == 0).any():
        bad = frame.index[~contiguous | (lengths == 0)][0]
        raise ValueError(
            f"{str(path)!r}: series {bad!r} is empty or has a gap (empty cell before its "
            "last value); M4 files are right-padded only"
        )
    out = {}
    for key, row, n in zip(frame.index, values, lengths, strict=True):
        start = 0 if offsets is None else offsets[key]
        out[str(key)] = pd.Series(
            row[:n], index=pd.RangeIndex(start, start + n), name=str(key), copy=True
        )
    return out


def load_m4(frequency: str, path: str | os.PathLike) -> M4Dataset:
    """Load one frequency of the M4 competition from its original CSV files.

    The files are wide: every field quoted, column ``V1`` holds the series id and the
    values follow, right-padded with empty cells. Each row is read into a float64
    ``Series`` with an integer index; test series continue the train index.

    Parameters
    ----------
    frequency : {"Yearly", "Quarterly", "Monthly", "Weekly", "Daily", "Hourly"}
        Case-insensitive.
    path : path-like
        Folder holding ``{Frequency}-train.csv`` and (optionally)
        ``{Frequency}-test.csv``, or the path of the train file itself (the test file
        is then looked for beside it).

    Returns
    -------
    M4Dataset
        ``train`` and ``test`` dicts (``test`` is ``None`` when no test file exists),
        ``horizon`` and ``season_length`` from the M4 table: Yearly 6/1, Quarterly 8/4,
        Monthly 18/12, Weekly 13/1, Daily 14/1, Hourly 48/24.

    Raises
    ------
    ValueError
        Unknown frequency, a file that is not in M4 format, or a test file whose ids or
        lengths do not match the train file and horizon.
    FileNotFoundError
        The train file does not exist.

    Examples
    --------
    >>> from forecast.datasets import load_m4
    >>> m4 = load_m4("Hourly", "../shared/data/m4")  # doctest: +SKIP
    >>> len(m4.train), m4.horizon, m4.season_length  # doctest: +SKIP
    (414, 48, 24)
    >>> m4.test["H1"].index[0] == len(m4.train["H1"])  # doctest: +SKIP
    True
    """
    name = _check_frequency(frequency)
    horizon, season_length = M4_INFO[name]
    p = as_path("path", path)
    if p.is_dir():
        train_path = p / f"{name}-train.csv"
    elif p.name.lower().endswith(".csv"):
        if "-test" in p.name.lower():
            raise ValueError(
                f"{str(p)!r} is an M4 test file: pass the folder, or the {name}-train.csv "
                f"file beside it (its test file is found from it). Received: path={str(path)!r}"
            )
        train_path = p
    else:
        train_path = p / f"{name}-train.csv"
    if not train_path.is_file():
        raise FileNotFoundError(
            f"M4 train file not found: {str(train_path)!r}. `path` must be the folder "
            f"holding {name}-train.csv (or that file). Received: path={str(path)!r}"
        )
    train = _read_wide(train_path)
    if not train:
        raise ValueError(f"{str(train_path)!r} holds no series (only a header?)")
    test_path = train_path.with_name(train_path.name.replace("-train", "-test"))
    test = None
    if test_path != train_path and test_path.is_file():
        offsets = {k: len(v) for k, v in train.items()}
        missing = set(offsets)
        try:
            test_ids = pd.read_csv(test_path, usecols=["V1"], dtype=str)["V1"]
        except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise ValueError(f"{str(test_path)!r} is not an M4 CSV file: {exc}") from exc
        unknown = sorted(set(test_ids) - missing)
        if unknown or set(test_ids) != missing:
            raise ValueError(
                f"{str(test_path)!r} and {str(train_path)!r} hold different series ids "
                f"(e.g. {(unknown or sorted(missing - set(test_ids)))[:3]})"
            )
        test = _read_wide(test_path, offsets)
        wrong = [k for k, v in test.items() if len(v) != horizon]
        if wrong:
            raise ValueError(
                f"{str(test_path)!r}: series {wrong[0]!r} has {len(test[wrong[0]])} test "
                f"values; {name} M4 series have horizon {horizon}"
            )
    return M4Dataset(name, horizon, season_length, train, test)
