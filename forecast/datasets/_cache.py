"""On-disk cache of downloaded price frames: one CSV file per (ticker, interval, range).

Files are written with :func:`forecast._io.atomic_write_with`, so a writer that is
killed or fails half-way leaves the previous file (or none), never a torn one. The
temporary files of an interrupted writer start with ``.`` and are never read.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from forecast._io import atomic_write_with

from ._errors import DataUnavailableError

__all__ = ["default_cache_dir", "cache_file", "read_cache", "write_cache", "warn_partial",
           "TICKER_PATTERN", "FIELDS"]

#: Accepted ticker symbols: letters, digits and . - ^ = (1 to 15 characters).
#: Check with ``TICKER_PATTERN.fullmatch`` (``match`` lets a trailing newline through).
TICKER_PATTERN = re.compile(r"^[A-Za-z0-9.\-^=]{1,15}$")
#: Columns kept, in this order (``Adj Close`` only appears if yfinance returns it).
FIELDS = ("Open", "High", "Low", "Close", "Adj Close", "Volume")


def default_cache_dir() -> Path:
    """``$FORECAST_CACHE_DIR`` when set (and not empty), else ``~/.cache/forecast/yfinance``."""
    env = os.environ.get("FORECAST_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "forecast" / "yfinance"


def cache_file(cache_dir: Path, ticker: str, interval: str, start: str, end: str) -> Path:
    """Path of the cache file for one validated ticker, interval and range key."""
    # ticker and interval are validated (no separators, no '..'); keys are digits/'-'/'T'.
    if not TICKER_PATTERN.fullmatch(ticker) or ".." in ticker:
        raise ValueError(f"invalid ticker symbol for a cache file name: {ticker!r}")
    return Path(cache_dir) / f"{ticker}__{interval}__{start}__{end}.csv"


def write_cache(path: Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` to ``path`` atomically as CSV (ISO dates, round-trip floats)."""
    return atomic_write_with(path, lambda tmp: frame.to_csv(tmp, date_format="%Y-%m-%dT%H:%M:%S"))


def _unreadable(ticker: str, path: Path, why: str) -> DataUnavailableError:
    return DataUnavailableError(
        f"the cached data for ticker {ticker!r} at {str(path)!r} is unreadable ({why}); "
        "delete the file and download again"
    )


def _rows(path: Path, ticker: str) -> tuple[str, int]:
    """Return the file's text with a torn last row removed, and the header's field count.

    A last row with fewer fields than the header, or with no newline at the end of the
    file (:func:`write_cache` always ends the file with one), was cut off by a writer
    that did not finish: it is dropped with a ``UserWarning``. A short row elsewhere is
    an error.
    """
    text = path.read_text(encoding="utf-8")
    lines = [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1) if row]
    if not lines:
        raise _unreadable(ticker, path, "the file is empty")
    width = len(lines[0][1])
    for n, row in lines[1:-1]:
        if len(row) != width:
            raise _unreadable(ticker, path, f"line {n} has {len(row)} fields, the header "
                                            f"has {width}")
    if len(lines) > 1:
        n, row = lines[-1]
        if len(row) > width:
            raise _unreadable(ticker, path, f"line {n} has {len(row)} fields, the header "
                                            f"has {width}")
        if len(row) < width or not text.endswith(("\n", "\r")):
            warnings.warn(
                f"the last line ({n}, {row[0]!r}) of the cached data for ticker {ticker!r} "
                f"at {str(path)!r} is incomplete (the file was cut off while being written, "
                "or has no newline at its end); that row is left out",
                UserWarning, stacklevel=5,
            )
            text = "".join(text.splitlines(keepends=True)[: n - 1])
    return text, width


def _when(ts: pd.Timestamp) -> str:
    """A date as YYYY-MM-DD, with the time only when it is not midnight."""
    return f"{ts:%Y-%m-%d}" if ts == ts.normalize() else f"{ts:%Y-%m-%d %H:%M:%S}"


def _check_prices(frame: pd.DataFrame, path: Path, ticker: str) -> None:
    """Dates unique and increasing; prices finite (zero or negative allowed); volumes
    finite and >= 0."""
    where = f"the cached data for ticker {ticker!r} at {str(path)!r}"
    index = frame.index
    if not index.is_unique:
        date = index[index.duplicated()][0]
        raise DataUnavailableError(
            f"{where} is unusable: the date index has duplicate timestamps, e.g. "
            f"{_when(date)} appears {int((index == date).sum())} times; each date must "
            "appear once (delete the file and download again, or fix it)"
        )
    if not index.is_monotonic_increasing:
        row = int(np.argmax(np.diff(index.asi8) < 0)) + 1
        raise DataUnavailableError(
            f"{where} is unusable: the date index is not sorted, {_when(index[row])} comes "
            f"after {_when(index[row - 1])} (sort the file by date, or delete it and "
            "download again)"
        )
    for column in frame.columns:
        values = frame[column].to_numpy()
        # prices may be 0 or negative (oil futures closed at -37.63 on 2020-04-20; Yahoo
        # has Open = 0 rows) and are served as downloaded; only infinity is refused
        bad = ~np.isnan(values) & (
            ~np.isfinite(values) | ((values < 0) if column == "Volume" else False)
        )
        if bad.any():
            row = int(np.argmax(bad))
            need = "finite and not negative" if column == "Volume" else "finite"
            raise DataUnavailableError(
                f"{where} is unusable: {column} = {float(values[row])!r} on {_when(index[row])}; "
                f"{column} values must be {need} (delete the file and download again, or fix it)"
            )


def read_cache(
    path: Path,
    ticker: str,
    *,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    span: pd.DateOffset | pd.Timedelta | None = None,
) -> pd.DataFrame:
    """Read and check a cache file written by :func:`write_cache` (or placed by hand).

    Checks, each failure a :class:`DataUnavailableError` naming the ticker and the file
    (and the line or date): the dates parse (ISO 8601), are unique and increasing; there
    is a ``Close`` column with at least one price; open/high/low/close prices are finite
    (zero or negative prices are kept, as downloads give them) and volumes finite and
    not negative (NaN cells are kept). Repairs: a
    torn last row (fewer fields than the header, or no final newline) is dropped with a
    ``UserWarning``; only the :data:`FIELDS` columns are kept (e.g. a hand-made file's
    ``OpenInt`` is dropped); with ``start``/``end``, rows outside the range are dropped.

    Parameters
    ----------
    path : Path
        The cache file.
    ticker : str
        The ticker, for messages.
    start, end : Timestamp, optional
        Keep only rows whose period (a row's date plus ``span``) overlaps
        ``[start, end)``. No rows left is an error; data that starts or ends well inside
        the range (more than ``max(10 days, 2 * span)`` away) gives a ``UserWarning``.
    span : DateOffset or Timedelta, optional
        Length of one row's period (the interval); default one day.

    Returns
    -------
    pandas.DataFrame
        float64 columns (those of :data:`FIELDS` present, in that order), sorted unique
        ``DatetimeIndex`` named ``Date``.

    Raises
    ------
    DataUnavailableError
        The file cannot be parsed, does not look like a price frame, or holds no rows in
        the requested range.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from forecast.datasets._cache import read_cache
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "X__1d__min__latest.csv"
    >>> _ = f.write_text("Date,Close,OpenInt\\n2024-01-02,10.5,0\\n2024-01-03,11.0,0\\n")
    >>> read_cache(f, "X")["Close"].tolist()
    [10.5, 11.0]
    """
    try:
        text, _ = _rows(path, ticker)
        frame = pd.read_csv(io.StringIO(text), index_col=0)
        dates = pd.to_datetime(frame.index.astype(str), format="ISO8601")
        frame.index = pd.DatetimeIndex(dates, name="Date")
        frame = frame[[c for c in FIELDS if c in frame.columns]].astype("float64")
    except (OSError, ValueError, TypeError, csv.Error) as exc:
        raise _unreadable(ticker, path, str(exc)) from exc
    if "Close" not in frame.columns or not frame["Close"].notna().any():
        raise DataUnavailableError(
            f"the cached data for ticker {ticker!r} at {str(path)!r} has no 'Close' prices; "
            "delete the file and download again"
        )
    _check_prices(frame, path, ticker)
    if start is None and end is None:
        return frame
    return _in_range(frame, path, ticker, start, end, pd.Timedelta(days=1) if span is None
                     else span)


def _in_range(
    frame: pd.DataFrame, path: Path, ticker: str, start: pd.Timestamp | None,
    end: pd.Timestamp | None, span: pd.DateOffset | pd.Timedelta,
) -> pd.DataFrame:
    index = frame.index
    keep = np.ones(len(index), dtype=bool)
    if start is not None:
        keep &= (index + span > start)
    if end is not None:
        keep &= (index < end)
    held = f"{_when(index[0])} to {_when(index[-1])}"
    asked = _asked(start, end)
    if not keep.any():
        raise DataUnavailableError(
            f"the cached data for ticker {ticker!r} at {str(path)!r} holds {held}, nothing "
            f"in the requested range {asked}; delete the file and download again"
        )
    frame = frame[keep]
    warn_partial(frame, f"the cached data for ticker {ticker!r} at {str(path)!r}", start, end,
                 span, advice="otherwise delete the file and download again", stacklevel=6)
    return frame


def _asked(start: pd.Timestamp | None, end: pd.Timestamp | None) -> str:
    return (f"{'the start' if start is None else _when(start)} to "
            f"{'the latest date' if end is None else _when(end)} (end excluded)")


def warn_partial(
    frame: pd.DataFrame, what: str, start: pd.Timestamp | None, end: pd.Timestamp | None,
    span: pd.DateOffset | pd.Timedelta, *, advice: str, stacklevel: int,
) -> None:
    """Warn when ``frame`` starts or ends well inside ``[start, end)``.

    "Well inside" is more than ``max(10 days, 2 * span)`` away from ``start``, or from
    ``end`` (capped at today). ``what`` opens the message, ``advice`` ends it.
    """
    if frame.empty:
        return
    slack = max(pd.Timedelta(days=10), 2 * (pd.Timestamp(0) + span - pd.Timestamp(0)))
    last = None if end is None else min(end, pd.Timestamp.now().floor("D"))
    if (start is not None and frame.index[0] > start + slack) or (
        last is not None and frame.index[-1] < last - slack
    ):
        warnings.warn(
            f"{what} covers only {_when(frame.index[0])} to {_when(frame.index[-1])} of the "
            f"requested range {_asked(start, end)} (fine if the ticker did not trade over "
            f"the whole range; {advice})",
            UserWarning, stacklevel=stacklevel,
        )
