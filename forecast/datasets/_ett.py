"""ETT (Electricity Transformer Temperature) files and their standard splits."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from forecast._validation import check_index, check_non_negative_int, describe

from ._files import require_file

__all__ = ["load_ett", "ett_splits", "ETT_COLUMNS"]

#: The 7 variables of every ETT file (``OT``, oil temperature, is the usual target).
ETT_COLUMNS = ("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT")

# Standard borders in hours (Informer / Autoformer data loaders): 12, 4 and 4 months of
# 30 days. ETTm files have 4 rows per hour.
_TRAIN_H, _VAL_H, _TEST_H = 12 * 30 * 24, 4 * 30 * 24, 4 * 30 * 24


def load_ett(path: str | os.PathLike) -> pd.DataFrame:
    """Load an ETT file (``ETTh1.csv``, ``ETTh2.csv``, ``ETTm1.csv``, ``ETTm2.csv``).

    Dataset of Zhou et al., "Informer", AAAI 2021 (github.com/zhouhaoyi/ETDataset,
    CC BY-ND 4.0).

    Parameters
    ----------
    path : path-like
        The CSV file: a ``date`` column and the 7 variables
        ``HUFL, HULL, MUFL, MULL, LUFL, LULL, OT``.

    Returns
    -------
    pandas.DataFrame
        Shape ``(n_rows, 7)``, float64, with a regular ``DatetimeIndex`` named ``date``
        (``freq="h"`` for ETTh, ``"15min"`` for ETTm). ETTh1: ``(17420, 7)``.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ValueError
        Not an ETT file (missing columns, unparsable dates or values, irregular index).

    Examples
    --------
    >>> from forecast.datasets import load_ett
    >>> df = load_ett("../shared/data/ett/ETTh1.csv")  # doctest: +SKIP
    >>> df.shape, df.index.freqstr  # doctest: +SKIP
    ((17420, 7), 'h')
    """
    p = require_file("path", path, "ETT file")
    try:
        frame = pd.read_csv(p)
        missing = [c for c in ("date", *ETT_COLUMNS) if c not in frame.columns]
        if missing:
            raise ValueError(f"missing column(s) {missing}; found {list(frame.columns)[:10]}")
        index = pd.DatetimeIndex(pd.to_datetime(frame["date"], format="ISO8601"), name="date")
        data = frame[list(ETT_COLUMNS)].astype("float64")
        bad = ~np.isfinite(data.to_numpy())
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise ValueError(f"{int(bad.sum())} empty or non-finite value(s), e.g. "
                             f"{ETT_COLUMNS[col]} = {data.iat[row, col]} on line {row + 2} "
                             f"({frame['date'].iat[row]})")
        data.index = index
        check_index(f"ETT file {str(p)!r}", index, require_freq=False)
    except (ValueError, TypeError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{str(p)!r} is not a valid ETT file: {exc}") from exc
    if len(index) < 2:
        raise ValueError(f"{str(p)!r} has {len(index)} data row(s); an ETT file has one row "
                         "per hour or 15 minutes (ETTh1: 17,420)")
    step = _step(index)
    if step is None:
        raise ValueError(f"{str(p)!r} has an irregular time index (expected hourly or 15-min)")
    return data.asfreq(step)


def _step(index: pd.DatetimeIndex) -> pd.Timedelta | None:
    if len(index) < 2:
        return None
    steps = index[1:] - index[:-1]
    return steps[0] if (steps == steps[0]).all() else None


def ett_splits(
    df: pd.DataFrame, *, lookback: int = 96
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Split an ETT frame with the standard borders (12/4/4 months of 30 days).

    With ``u`` rows per hour (1 for ETTh, 4 for ETTm, detected from the index step) and
    ``L = lookback``::

        train = df.iloc[0 : 8640u]
        val   = df.iloc[8640u - L : 11520u]
        test  = df.iloc[11520u - L : 14400u]

    i.e. 8640/2880/2880 target rows for ETTh (34560/11520/11520 for ETTm). Rows after
    ``14400u`` are not used. As in the reference implementation (Informer/Autoformer
    ``Dataset_ETT_hour``), validation and test start ``lookback`` rows early so that the
    first window's target is the first row of the period: those first ``lookback`` rows
    are history only, never targets. Fit scalers on ``train`` only.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`load_ett` (regular hourly or 15-minute ``DatetimeIndex``).
    lookback : int, default=96
        Input window length L, ``0 <= L <= 8640u``.

    Returns
    -------
    (train, val, test) : tuple of pandas.DataFrame
        Row counts ``8640u``, ``2880u + L``, ``2880u + L``.

    Raises
    ------
    ValueError
        Wrong step (not 1 h or 15 min), too few rows (< 14400u) or bad ``lookback``.
    TypeError
        ``df`` is not a DataFrame with a DatetimeIndex, or ``lookback`` is not an int.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from forecast.datasets import ett_splits
    >>> idx = pd.date_range("2016-07-01", periods=14400, freq="h")
    >>> df = pd.DataFrame({"OT": np.arange(14400.0)}, index=idx)
    >>> train, val, test = ett_splits(df, lookback=96)
    >>> len(train), len(val), len(test)
    (8640, 2976, 2976)
    """
    if not isinstance(df, pd.DataFrame) or not isinstance(df.index, pd.DatetimeIndex):
        raise TypeError(
            f"`df` must be a DataFrame with a DatetimeIndex (see load_ett). Received: "
            f"df={describe(df)}"
        )
    lookback = check_non_negative_int("lookback", lookback)
    step = _step(df.index)
    units = {pd.Timedelta(hours=1): 1, pd.Timedelta(minutes=15): 4}
    if step not in units:
        raise ValueError(
            "`df` must have a regular hourly (ETTh) or 15-minute (ETTm) index. "
            f"Received: df with index step {step}"
        )
    u = units[step]
    train_end, val_end, test_end = _TRAIN_H * u, (_TRAIN_H + _VAL_H) * u, (
        _TRAIN_H + _VAL_H + _TEST_H
    ) * u
    if lookback > train_end:
        raise ValueError(
            f"`lookback` must be at most {train_end} (the train length). "
            f"Received: lookback={lookback}"
        )
    if len(df) < test_end:
        raise ValueError(
            f"`df` is too short for the standard ETT splits: it needs at least {test_end} "
            f"rows. Received: df with {len(df)} rows"
        )
    return (
        df.iloc[:train_end],
        df.iloc[train_end - lookback : val_end],
        df.iloc[val_end - lookback : test_end],
    )
