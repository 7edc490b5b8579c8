"""User CSV files -> a DataFrame with a checked DatetimeIndex (used by the CLI)."""

from __future__ import annotations

import csv
import os
import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecast._validation import (
    check_index,
    check_series,
    describe,
    infer_freq,
    regular_with_gaps,
)

from ._files import require_file

__all__ = ["load_csv", "DATE_COLUMN_NAMES"]

#: Column names recognised as the date column (case-insensitive), in order of preference.
DATE_COLUMN_NAMES = ("date", "datetime", "timestamp", "time", "ds", "month", "week", "day",
                     "period", "year")


class _AmbiguousDates(ValueError):
    """Day/month dates that read both ways: a date column, but the reading is unclear."""


def _find_date_column(frame: pd.DataFrame, dayfirst: bool | None = None) -> object:
    lower = {str(c).strip().lower(): c for c in reversed(frame.columns)}
    for name in DATE_COLUMN_NAMES:
        if name in lower:
            return lower[name]
    first = frame.columns[0]
    if frame[first].dtype == object or pd.api.types.is_string_dtype(frame[first]):
        try:
            _parse_dates(frame[first], dayfirst)
        except _AmbiguousDates:
            return first  # a date column; parsing it again gives the message
        except ValueError:
            return None
        return first
    return None


def _parse_dates(values: pd.Series, dayfirst: bool | None = None) -> pd.DatetimeIndex:
    """Parse a date column; raise ValueError for anything that is not all dates.

    ``dayfirst`` (True/False) fixes the reading of day/month dates such as 01/02/2020;
    ``None`` decides from the data, and raises :class:`_AmbiguousDates` when it cannot.
    """
    if pd.api.types.is_bool_dtype(values):
        raise ValueError("it holds booleans, not dates")
    if pd.api.types.is_numeric_dtype(values):
        ints = pd.to_numeric(values, errors="coerce")
        if ints.notna().all() and (ints % 1 == 0).all() and ints.between(1000, 9999).all():
            values = ints.astype("int64").astype(str)  # years such as 1999, 2000
            fmt: str | None = "%Y"
        else:
            raise ValueError("it holds numbers, not dates (only 4-digit years are accepted)")
    else:
        fmt = None
    day_month = fmt is None and bool(_DAY_MONTH.match(str(values.iloc[0])))
    if day_month and dayfirst is not None:
        return pd.DatetimeIndex(_to_datetime(values, None, dayfirst=dayfirst), name=values.name)
    try:
        parsed = _to_datetime(values, fmt)
    except ValueError as month_first_error:
        if not day_month:
            raise
        try:  # 13/02/2020 after 01/02/2020: only day-first reads them all
            return pd.DatetimeIndex(_to_datetime(values, None, dayfirst=True), name=values.name)
        except ValueError:
            raise month_first_error from None
    if day_month:
        # "01/02/2020" is 2 January to pandas; read day-first too and keep the reading
        # that gives a regular, increasing index (the other one scrambles the dates)
        try:
            dayfirst = _to_datetime(values, None, dayfirst=True)
        except ValueError:
            dayfirst = parsed
        if not dayfirst.equals(parsed):
            month_ok, day_ok = _regular(parsed), _regular(dayfirst)
            row = int(np.argmax((dayfirst != parsed).to_numpy()))
            readings = (f"month-first ({values.iloc[row]!r} = {parsed.iloc[row]:%Y-%m-%d}) "
                        f"and day-first ({dayfirst.iloc[row]:%Y-%m-%d})")
            if month_ok and day_ok:
                raise _AmbiguousDates(
                    f"its dates read both {readings} as a regular series; write them as "
                    "YYYY-MM-DD, or pass dayfirst=True or dayfirst=False")
            if not month_ok and not day_ok:  # regular but for a few gaps (a missing month)?
                month_ok = regular_with_gaps(pd.DatetimeIndex(parsed)) is not None
                day_ok = regular_with_gaps(pd.DatetimeIndex(dayfirst)) is not None
                if month_ok != day_ok:
                    return pd.DatetimeIndex(dayfirst if day_ok else parsed, name=values.name)
                which = ("both readings give a regular series but for a few gaps" if month_ok
                         else "neither reading gives a regular series")
                raise _AmbiguousDates(
                    f"its dates read both {readings}, and {which}; pass dayfirst=True "
                    "(01/02/2020 is 1 February) or dayfirst=False (2 January), or write them "
                    "as YYYY-MM-DD")
            if day_ok:
                parsed = dayfirst
    return pd.DatetimeIndex(parsed, name=values.name)


#: day and month first, e.g. 01/02/2020, 1.2.20, 01-02-2020 (not ISO's year first)
_DAY_MONTH = re.compile(r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?:\s|T|$)")


def _to_datetime(values: pd.Series, fmt: str | None, dayfirst: bool = False) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format" fallback
        try:
            parsed = pd.to_datetime(values, format=fmt, dayfirst=dayfirst)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValueError(f"it cannot be parsed as dates ({exc})") from exc
    if not pd.api.types.is_datetime64_any_dtype(parsed):
        raise ValueError("it mixes time zones or formats; use one format without offsets")
    if parsed.isna().any():
        row = int(np.argmax(parsed.isna().to_numpy()))
        raise ValueError(f"data row {row + 1} has no date (value {values.iloc[row]!r})")
    return parsed


def _regular(parsed: pd.Series) -> bool:
    """Increasing, unique and with a frequency pandas can infer."""
    index = pd.DatetimeIndex(parsed)
    if len(index) < 3 or not index.is_monotonic_increasing or not index.is_unique:
        return False
    return infer_freq(index) is not None


def load_csv(
    path: str | os.PathLike,
    *,
    date_column: str | None = None,
    columns: Sequence[str] | str | None = None,
    require_freq: bool = False,
    dayfirst: bool | None = None,
    decimal: str = ".",
    sep: str | None = None,
) -> pd.DataFrame:
    """Read a user CSV file into a DataFrame indexed by its dates.

    The date column becomes a ``DatetimeIndex`` (named after the column). It must be
    sorted (increasing) and have no duplicates; a clear ``ValueError`` says where it is
    not (sort the file first: nothing is reordered silently). Numeric columns must hold
    no infinity; NaN (empty cells) are kept for the caller to handle.

    Parameters
    ----------
    path : path-like
        CSV file with a header row (UTF-8, optional BOM; separator ``,`` or ``;``, see
        ``sep``).
    date_column : str, optional
        Name of the date column. Default: the first column named (case-insensitively)
        ``date, datetime, timestamp, time, ds, month, week, day, period`` or ``year``,
        else the first column if it holds text that parses as dates. A column of 4-digit
        integers is read as years. Dates written day and month first (``01/02/2020``,
        ``1.2.20``) are read as ``dayfirst`` says; by default month-first, as pandas
        does, unless only the day-first reading parses them all or only it gives a
        regular, increasing series. When both readings parse to different dates and
        both or neither give a regular series, that is a ``ValueError`` naming the two
        readings of the first ambiguous date: pass ``dayfirst`` (or write the dates as
        ``YYYY-MM-DD``).
    columns : str or sequence of str, optional
        Keep only these columns; each must be numeric (cells that are not numbers ->
        ``ValueError``) and is returned as float64. Default: every column except the
        date column, with pandas' dtypes (text columns stay text).
    require_freq : bool, default=False
        Also require a regular index (a frequency can be inferred); daily market data
        with weekend/holiday gaps is irregular, so this is off by default.
    dayfirst : bool, optional
        How to read day/month dates such as ``01/02/2020``: ``True`` day-first
        (1 February), ``False`` month-first (2 January), ``None`` (default) decide from
        the data as described under ``date_column``. ISO dates (``2020-02-01``) are
        always read as ISO.
    decimal : {'.', ','}, default='.'
        Decimal point of the numbers. With ``','`` numbers such as ``1,5`` must be
        quoted (``"1,5"``) in a ``,``-separated file, not in a ``;``-separated one.
    sep : {None, ',', ';'}, default=None
        Column separator. ``None`` detects it from the header row: ``';'`` when the
        header holds a ``;`` and no ``,`` (as files written with a decimal comma often
        are), else ``','``. Other separators (tab, ``|``) are not read; the message says
        which one the header holds.

    Returns
    -------
    pandas.DataFrame
        Shape ``(n_rows, n_columns)`` with a sorted, unique ``DatetimeIndex``.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist or is a directory.
    ValueError
        The file cannot be read as CSV (including undecodable bytes), has no rows, no
        recognisable or parsable date column, unsorted/duplicate (or, with
        ``require_freq=True``, irregular) dates, unknown or non-numeric requested
        columns, no numeric column, or infinite values; a row with more fields than the
        header; dates that read both day-first and month-first (pass ``dayfirst``); a
        ``decimal`` other than ``'.'`` or ``','``; a ``sep`` other than ``None``, ``','``
        or ``';'``. The message names the path.
    TypeError
        ``date_column``, ``columns`` or ``dayfirst`` has the wrong type.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from forecast.datasets import load_csv
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "sales.csv"
    >>> _ = f.write_text("date,sales\\n2020-01-01,3\\n2020-02-01,4\\n2020-03-01,5\\n")
    >>> df = load_csv(f, columns=["sales"])
    >>> df.shape, df.index.name
    ((3, 1), 'date')
    >>> _ = f.write_text("date,sales\\n01/02/2020,3\\n02/02/2020,4\\n")
    >>> load_csv(f, dayfirst=True).index.strftime("%Y-%m-%d").tolist()
    ['2020-02-01', '2020-02-02']
    >>> _ = f.write_text("date;sales\\n2020-01-01;3,5\\n2020-02-01;4\\n")
    >>> load_csv(f, decimal=",")["sales"].tolist()  # ';' detected from the header
    [3.5, 4.0]
    """
    p = require_file("path", path, "CSV file")
    if date_column is not None and not isinstance(date_column, str):
        raise TypeError(
            f"`date_column` must be a column name (str). Received: date_column="
            f"{describe(date_column)}"
        )
    if isinstance(columns, str):
        columns = [columns]
    if columns is not None:
        if not isinstance(columns, Sequence) or not all(isinstance(c, str) for c in columns):
            raise TypeError(
                f"`columns` must be a column name or a list of them. Received: columns="
                f"{describe(columns)}"
            )
        if not columns:
            raise ValueError("`columns` must not be empty. Received: columns=[]")
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise TypeError(f"`dayfirst` must be True, False or None. Received: dayfirst="
                        f"{describe(dayfirst)}")
    if not isinstance(decimal, str) or decimal not in (".", ","):
        raise ValueError(f"`decimal` must be '.' or ','. Received: decimal={describe(decimal)}")
    if sep is not None and (not isinstance(sep, str) or sep not in _SEPARATORS):
        raise ValueError(f"`sep` must be None (detect), ',' or ';'. Received: sep={describe(sep)}")
    explicit_sep = sep is not None
    if sep is None:
        sep = _detect_sep(p)
    where = repr(str(p))
    try:
        with warnings.catch_warnings():
            # index_col=False: an extra field on the first data row must not turn the
            # first column into the index (pandas only warns, then drops the field)
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(p, sep=sep, encoding="utf-8-sig", index_col=False,
                                decimal=decimal)
    except pd.errors.ParserWarning as exc:
        raise ValueError(f"could not read {where} as a CSV file: "
                         f"{_too_many_fields(p, sep) or exc}") from None
    except (ValueError, OverflowError, TypeError, pd.errors.ParserError) as exc:
        raise ValueError(f"could not read {where} as a CSV file: {exc}") from exc
    if frame.empty or len(frame.columns) < 2:
        header = str(frame.columns[0]) if len(frame.columns) == 1 else ""
        seps = [s for s in (",", ";", "\t", "|") if s != sep and s in header]
        if not seps:
            hint = ""
        elif seps[0] in _SEPARATORS and explicit_sep:
            hint = (f" The header holds {seps[0]!r}: pass sep={seps[0]!r}, or sep=None to "
                    "detect it.")
        else:
            hint = (f" The header holds {seps[0]!r}: save the file with ',' or ';' between "
                    "columns.")
        raise ValueError(
            f"{where} needs a header row, a date column, at least one value column and one "
            f"data row. Received columns {[str(c) for c in frame.columns][:10]} and "
            f"{len(frame)} rows.{hint}"
        )
    names = [str(c) for c in frame.columns]
    _check_unique_header(p, where, sep)
    if date_column is None:
        date_column = _find_date_column(frame, dayfirst)
        if date_column is None:
            raise ValueError(
                f"{where}: no date column found (looked for {list(DATE_COLUMN_NAMES)}); "
                f"pass date_column=... (columns are {names[:20]})"
            )
    elif date_column not in frame.columns:
        raise ValueError(
            f"{where}: `date_column` {date_column!r} not found; columns are {names[:20]}. "
            f"Received: date_column={date_column!r}"
        )
    try:
        index = _parse_dates(frame[date_column], dayfirst)
        check_index(f"dates in {where}", index, require_freq=require_freq)
    except ValueError as exc:
        raise ValueError(f"{where}: bad date column {str(date_column)!r}: {exc}") from exc
    frame = frame.drop(columns=[date_column])
    frame.index = index
    if columns is not None:
        frame = _numeric_columns(frame, list(columns), where)
    numeric = [
        c for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    if not numeric:
        raise ValueError(
            f"{where}: no numeric column (columns are {names[:20]}){_non_numeric_hint(frame)}"
        )
    try:
        check_series(f"data in {where}", frame[numeric], allow_nan=True, require_freq=False)
    except (ValueError, TypeError) as exc:
        raise ValueError(str(exc)) from exc
    return frame


#: the column separators load_csv reads
_SEPARATORS = (",", ";")


def _detect_sep(path: os.PathLike) -> str:
    """``';'`` when the header row holds a ``;`` and no ``,``; else ``','``.

    Read with ``','``, such a header is one column, which load_csv rejects anyway, so
    the rule changes nothing for a file that loaded before.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = f.readline()
    except (OSError, UnicodeDecodeError):
        return ","  # pandas reads it again and the error names the path
    return ";" if ";" in header and "," not in header else ","


def _check_unique_header(path: os.PathLike, where: str, sep: str = ",") -> None:
    """Raise if a column name repeats (pandas would rename the second ``x`` to ``x.1``)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f, delimiter=sep), [])
    except csv.Error:  # pandas read it; a header the csv module rejects is not checked
        return
    seen: set[str] = set()
    for name in (h.strip() for h in header):
        if name in seen:
            raise ValueError(f"{where}: column {name!r} appears more than once in the header; "
                             "give each column its own name")
        seen.add(name)


#: a number written with thousands separators: 1,234 or 1,234,567.89
_THOUSANDS = re.compile(r"^\s*[-+]?\d{1,3}(,\d{3})+(\.\d+)?\s*$")


#: a number written with a decimal comma: 1,5 or -0,25 (not 1,234: see _THOUSANDS)
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d*,\d+\s*$")


def _thousands_hint(raw: pd.Series) -> str:
    """Why text cells are not numbers, when it is clear: thousands separators or a
    decimal comma ("" otherwise)."""
    text = raw.dropna().astype(str)
    if len(text) and text.str.match(_THOUSANDS).any():
        return (" (it looks like numbers written with thousands separators: save the file "
                "without them, e.g. 1234.5 rather than \"1,234.5\")")
    if len(text) and text.str.match(_DECIMAL_COMMA).any():
        return " (decimal commas? pass decimal=',')"
    return ""


def _too_many_fields(path: os.PathLike, sep: str = ",") -> str:
    """"data row 1 has 3 fields, the header has 2 ..." for the first such row, or ""."""
    why = "a stray ',' or an unquoted decimal comma?" if sep == "," else f"a stray {sep!r}?"
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = csv.reader(f, delimiter=sep)
            width = len(next(rows, []))
            for n, row in enumerate(rows, start=1):
                if len(row) > width:
                    return (f"data row {n} has {len(row)} fields but the header has {width} "
                            f"({why}). Received: {sep.join(row)!r}")
    except (csv.Error, UnicodeDecodeError):
        pass
    return ""


def _non_numeric_hint(frame: pd.DataFrame) -> str:
    """Where a column holds text: "; column 'x' row 3 holds 'n/a'" (and why, if clear)."""
    for c in frame.columns:
        raw = frame[c]
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna() & raw.notna()
        hint = _thousands_hint(raw[bad])
        if (values.notna().any() or hint) and bad.any():
            row = int(np.argmax(bad.to_numpy()))
            return (f"; column {str(c)!r} holds a non-numeric value at data row {row + 1}"
                    f"{hint}. Received: {raw.iloc[row]!r}")
    return ""


def _numeric_columns(frame: pd.DataFrame, columns: list[str], where: str) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{where}: column(s) {missing} not found; columns are "
            f"{[str(c) for c in frame.columns][:20]}. Received: columns={columns!r}"
        )
    out = {}
    for c in columns:
        raw = frame[c]
        if pd.api.types.is_bool_dtype(raw):
            raise ValueError(f"{where}: column {c!r} holds booleans, not numbers")
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna() & raw.notna()
        if bad.any():
            row = int(np.argmax(bad.to_numpy()))
            raise ValueError(
                f"{where}: column {c!r} is not numeric (e.g. value {raw.iloc[row]!r} at data "
                f"row {row + 1}){_thousands_hint(raw[bad])}"
            )
        out[c] = values.astype("float64")
    return pd.DataFrame(out, index=frame.index)
