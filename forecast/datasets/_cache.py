"""On-disk cache of downloaded price frames: one CSV file per (ticker, interval, range).

Files are written with :func:`forecast._io.atomic_write_with`, so a writer that is
killed or fails half-way leaves the previous file (or none), never a torn one. The
temporary files of an interrupted writer start with ``.`` and are never read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from forecast._io import atomic_write_with

from ._errors import DataUnavailableError

__all__ = ["default_cache_dir", "cache_file", "read_cache", "write_cache", "TICKER_PATTERN"]

#: Accepted ticker symbols: letters, digits and . - ^ = (1 to 15 characters).
TICKER_PATTERN = re.compile(r"^[A-Za-z0-9.\-^=]{1,15}$")


def default_cache_dir() -> Path:
    """``$FORECAST_CACHE_DIR`` when set (and not empty), else ``~/.cache/forecast/yfinance``."""
    env = os.environ.get("FORECAST_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "forecast" / "yfinance"


def cache_file(cache_dir: Path, ticker: str, interval: str, start: str, end: str) -> Path:
    """Path of the cache file for one validated ticker, interval and range key."""
    # ticker and interval are validated (no separators, no '..'); keys are digits/'-'/'T'.
    return Path(cache_dir) / f"{ticker}__{interval}__{start}__{end}.csv"


def write_cache(path: Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` to ``path`` atomically as CSV (ISO dates, round-trip floats)."""
    return atomic_write_with(path, lambda tmp: frame.to_csv(tmp, date_format="%Y-%m-%dT%H:%M:%S"))


def read_cache(path: Path, ticker: str) -> pd.DataFrame:
    """Read a cache file written by :func:`write_cache`.

    Raises
    ------
    DataUnavailableError
        The file cannot be parsed or does not look like a price frame.
    """
    try:
        frame = pd.read_csv(path, index_col=0)
        dates = pd.to_datetime(frame.index.astype(str), format="ISO8601")
        frame.index = pd.DatetimeIndex(dates, name="Date")
        frame = frame.astype("float64")
    except (OSError, ValueError, TypeError) as exc:
        raise DataUnavailableError(
            f"the cached data for ticker {ticker!r} at {str(path)!r} is unreadable ({exc}); "
            "delete the file and download again"
        ) from exc
    if "Close" not in frame.columns or not frame["Close"].notna().any():
        raise DataUnavailableError(
            f"the cached data for ticker {ticker!r} at {str(path)!r} has no 'Close' prices; "
            "delete the file and download again"
        )
    return frame
