"""Daily (or intraday) prices from Yahoo Finance via yfinance, with an on-disk cache."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from forecast._validation import check_option, describe

from ._cache import (
    FIELDS,
    TICKER_PATTERN,
    cache_file,
    default_cache_dir,
    read_cache,
    warn_partial,
    write_cache,
)
from ._errors import DataUnavailableError
from ._files import as_path

__all__ = ["load_yfinance", "INTERVALS", "FIELDS"]

logger = logging.getLogger(__name__)

#: Intervals accepted by Yahoo Finance.
INTERVALS = ("1m", "2m", "5m", "15m", "30m", "60m", "90m", "1h", "1d", "5d", "1wk", "1mo", "3mo")
#: Length of one row's period per interval (for the cache's date-range check).
_SPANS: dict[str, pd.DateOffset | pd.Timedelta] = {
    "1m": pd.Timedelta(minutes=1), "2m": pd.Timedelta(minutes=2),
    "5m": pd.Timedelta(minutes=5), "15m": pd.Timedelta(minutes=15),
    "30m": pd.Timedelta(minutes=30), "60m": pd.Timedelta(hours=1),
    "90m": pd.Timedelta(minutes=90), "1h": pd.Timedelta(hours=1), "1d": pd.Timedelta(days=1),
    "5d": pd.Timedelta(days=7), "1wk": pd.Timedelta(days=7), "1mo": pd.DateOffset(months=1),
    "3mo": pd.DateOffset(months=3),
}


def _check_tickers(tickers: Any) -> tuple[list[str], bool]:
    """Validate and normalise (upper-case, de-duplicate); return (tickers, single)."""
    single = isinstance(tickers, str)
    if single:
        items = [tickers]
    elif isinstance(tickers, Sequence) and not isinstance(tickers, bytes):
        items = list(tickers)
    else:
        raise TypeError(
            "`tickers` must be a ticker symbol or a list of them. "
            f"Received: tickers={describe(tickers)}"
        )
    if not items:
        raise ValueError("`tickers` must not be empty. Received: tickers=[]")
    out: list[str] = []
    for t in items:
        if not isinstance(t, str):
            raise TypeError(f"`tickers` must hold strings. Received: tickers={describe(tickers)}")
        if (
            not TICKER_PATTERN.fullmatch(t)
            or ".." in t
            or not any(ch.isalnum() for ch in t)
        ):
            raise ValueError(
                "`tickers` must be ticker symbols of 1-15 letters, digits or '.-^=' "
                "(no spaces, commas, path separators or '..'; pass several tickers as a list). "
                f"Received: tickers={describe(tickers)}"
            )
        t = t.upper()
        if t not in out:
            out.append(t)
    return out, single


def _date_key(name: str, value: Any) -> tuple[str | None, str]:
    """Return (string for yfinance, cache key) for a start/end date."""
    if value is None:
        return None, "min" if name == "start" else "latest"
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"`{name}` must be a date (e.g. '2020-01-31'). Received: {name}={describe(value)}"
        ) from exc
    if ts is pd.NaT:
        raise ValueError(f"`{name}` must be a date. Received: {name}={describe(value)}")
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    if ts == ts.normalize():
        text = ts.strftime("%Y-%m-%d")
        return text, text
    return ts.strftime("%Y-%m-%d %H:%M:%S"), ts.strftime("%Y-%m-%dT%H%M%S")


def _tidy(raw: Any, ticker: str) -> pd.DataFrame | None:
    """yfinance output -> float OHLCV frame with a naive DatetimeIndex, or None if unusable."""
    if not isinstance(raw, pd.DataFrame) or raw.empty:
        return None
    frame = raw
    if isinstance(frame.columns, pd.MultiIndex):
        field_level = next(
            (i for i in range(frame.columns.nlevels)
             if "Close" in frame.columns.get_level_values(i)),
            None,
        )
        if field_level is None or frame.columns.nlevels != 2:
            return None
        other = 1 - field_level
        names = [str(v) for v in frame.columns.get_level_values(other)]
        matches = [v for v in dict.fromkeys(names) if v.upper() == ticker]
        if matches:
            frame = frame.xs(matches[0], axis=1, level=other)
        elif len(set(names)) == 1:
            frame = frame.droplevel(other, axis=1)
        else:
            return None
    keep = [c for c in FIELDS if c in frame.columns]
    if "Close" not in keep:
        return None
    try:
        frame = frame[keep].apply(pd.to_numeric, errors="coerce").astype("float64")
        index = pd.DatetimeIndex(pd.to_datetime(frame.index))
    except (TypeError, ValueError):
        return None
    if index.tz is not None:
        index = index.tz_localize(None)
    frame.index = index.rename("Date")
    frame.columns = pd.Index(keep)
    frame = frame.dropna(how="all")
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    if frame["Close"].notna().sum() == 0:
        return None
    return frame


def _download(ticker: str, start: str | None, end: str | None, interval: str) -> Any:
    import yfinance as yf  # lazy: heavy import, and tests replace yf.download

    kwargs: dict[str, Any] = {
        "interval": interval, "progress": False, "auto_adjust": True, "actions": False,
        "threads": False, "ignore_tz": True, "multi_level_index": True,
    }
    if start is None and end is None:
        kwargs["period"] = "max"
    else:
        kwargs.update(start=start, end=end)
    return yf.download(ticker, **kwargs)


def _load_one(
    ticker: str, start: tuple[str | None, str], end: tuple[str | None, str], interval: str,
    cache_dir: Path, offline: bool,
) -> pd.DataFrame:
    path = cache_file(cache_dir, ticker, interval, start[1], end[1])
    first = None if start[0] is None else pd.Timestamp(start[0])
    stop = None if end[0] is None else pd.Timestamp(end[0])
    reason = "offline=True"
    if not offline:
        try:
            frame = _tidy(_download(ticker, start[0], end[0], interval), ticker)
            reason = "yfinance returned no data"
        except Exception as exc:  # yfinance raises many types (curl_cffi, requests, KeyError)
            frame, reason = None, f"{type(exc).__name__}: {exc}"
        if frame is not None:
            try:
                write_cache(path, frame)
            except OSError as exc:
                warnings.warn(
                    f"could not write the cache file {str(path)!r} for ticker {ticker!r} "
                    f"({exc}); the data is returned but not cached",
                    UserWarning, stacklevel=3,
                )
            warn_partial(frame, f"the download of ticker {ticker!r}", first, stop,
                         _SPANS[interval], advice="it is cached as it is", stacklevel=4)
            return frame
    if not path.is_file():
        raise DataUnavailableError(
            f"no data for ticker {ticker!r} (interval {interval!r}, start {start[1]}, "
            f"end {end[1]}): {reason}, and nothing is cached at {str(path)!r}. Without a "
            "network, place a CSV with columns Date, Open, High, Low, Close, Volume at that "
            "path, or use the shipped sample forecast.datasets.load_msft()"
        )
    frame = read_cache(path, ticker, start=first, end=stop, span=_SPANS[interval])
    if not offline:
        warnings.warn(
            f"download of ticker {ticker!r} failed ({reason}); serving the cached copy "
            f"{str(path)!r}",
            UserWarning, stacklevel=3,
        )
    return frame


def load_yfinance(
    tickers: str | Sequence[str],
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    interval: str = "1d",
    *,
    cache_dir: str | os.PathLike | None = None,
    offline: bool = False,
) -> pd.DataFrame:
    """Download prices from Yahoo Finance (yfinance), cached on disk.

    Each ticker is downloaded separately with ``yfinance.download`` (``auto_adjust=True``:
    prices adjusted for splits and dividends; ``ignore_tz=True``: naive exchange-local
    timestamps) and written to ``cache_dir`` as one CSV file per ticker, interval and
    range, atomically. When a download fails (any exception, or an empty answer, which is
    what yfinance returns with no network) the cached copy is returned with a
    ``UserWarning``; with no cached copy :class:`DataUnavailableError` names the ticker
    and the cache file. ``offline=True`` never calls yfinance and reads only the cache.

    A cached copy (including a CSV file placed at the cache path by hand) is checked when
    read: ISO dates, unique and increasing; a ``Close`` column; prices finite (zero
    or negative ones are kept, as downloads give them), volumes finite and not
    negative. A failed check is a
    :class:`DataUnavailableError` naming the file (and the line or date). Repairs, not
    errors: a torn last line (fewer fields than the header, or no final newline) is left
    out with a ``UserWarning``; only the ``Open, High, Low, Close, Adj Close, Volume``
    columns are kept (e.g. ``OpenInt`` is dropped); rows outside ``[start, end)`` are
    dropped. A cache with no row in the range is an error; a cache or a download that
    starts or ends well inside the range (more than ten days, or two intervals, away)
    gives a ``UserWarning``.

    Parameters
    ----------
    tickers : str or sequence of str
        One symbol (``"MSFT"``) or a list (``["MSFT", "AAPL"]``). Symbols must match
        ``^[A-Za-z0-9.\\-^=]{1,15}$`` without ``..``; they are upper-cased.
    start, end : str or Timestamp, optional
        First date (inclusive) and last date (exclusive, as in yfinance). Both ``None``:
        the whole history (``period="max"``). With ``end=None`` the cache entry is keyed
        "latest" and is overwritten by each successful download.
    interval : str, default="1d"
        One of ``1m 2m 5m 15m 30m 60m 90m 1h 1d 5d 1wk 1mo 3mo``.
    cache_dir : path-like, optional
        Cache folder. Default ``$FORECAST_CACHE_DIR`` when set, else
        ``~/.cache/forecast/yfinance``.
    offline : bool, default=False
        Read the cache only.

    Returns
    -------
    pandas.DataFrame
        Sorted ``DatetimeIndex`` named ``Date`` (tz-naive, not regular: markets close on
        weekends and holidays), float64 columns. For a single ticker given as a ``str``:
        flat columns ``Open, High, Low, Close, Volume`` (shape ``(n_days, 5)``). For a
        list of tickers (even of one): MultiIndex columns ``(field, ticker)`` as in
        yfinance, e.g. ``df["Close"]`` is a ``(n_days, n_tickers)`` frame; dates are the
        union over tickers, with NaN where a ticker has no row.

    Raises
    ------
    ValueError
        Invalid ticker symbol, interval or date.
    TypeError
        ``tickers`` is not a string or a sequence of strings.
    DataUnavailableError
        A ticker could not be downloaded and is not cached (or its cache is unreadable,
        fails the checks above, or holds no row in the requested range).

    Examples
    --------
    >>> from forecast.datasets import load_yfinance
    >>> df = load_yfinance("MSFT", start="2020-01-01", end="2021-01-01")  # doctest: +SKIP
    >>> df["Close"].tail(3)  # doctest: +SKIP
    >>> panel = load_yfinance(["MSFT", "AAPL"], start="2020-01-01")  # doctest: +SKIP
    >>> panel["Close"]["AAPL"]  # doctest: +SKIP
    """
    names, single = _check_tickers(tickers)
    check_option("interval", interval, INTERVALS)
    start_key, end_key = _date_key("start", start), _date_key("end", end)
    if start is not None and end is not None and pd.Timestamp(start_key[0]) >= pd.Timestamp(
        end_key[0]
    ):
        raise ValueError(
            f"`start` must be before `end`. Received: start={start!r}, end={end!r}"
        )
    if not isinstance(offline, bool):
        raise TypeError(f"`offline` must be a bool. Received: offline={describe(offline)}")
    folder = default_cache_dir() if cache_dir is None else as_path("cache_dir", cache_dir)
    frames = {}
    for t in names:  # a loop, not a comprehension: warnings' stacklevel points at the caller
        frames[t] = _load_one(t, start_key, end_key, interval, folder, offline)
    if single:
        return frames[names[0]]
    wide = pd.concat(frames, axis=1, names=["Ticker", "Price"], sort=True)
    wide = wide.swaplevel(axis=1)
    fields = [f for f in FIELDS if f in wide.columns.get_level_values(0)]
    order = pd.MultiIndex.from_tuples(
        [(f, t) for f in fields for t in names if (f, t) in wide.columns], names=["Price", "Ticker"]
    )
    return wide.reindex(columns=order)
