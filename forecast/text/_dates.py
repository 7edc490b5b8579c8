"""Synthetic date-normalisation pairs ("3 March 2001" -> "2001-03-03") for seq2seq tests."""

from __future__ import annotations

import datetime as _dt

import numpy as np

from .._validation import check_non_negative_int, check_positive_int

__all__ = ["make_date_pairs", "DATE_FORMATS"]

_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(d: int) -> str:
    suffix = "th" if 11 <= d % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suffix}"


def _render(date: _dt.date, fmt: int) -> str:
    d, m, y = date.day, date.month, date.year
    month, mon = _MONTHS[m - 1], _MONTHS[m - 1][:3]
    weekday = _DAYS[date.weekday()]
    formats = [
        f"{d} {month} {y}",
        f"{month} {d}, {y}",
        f"{d:02d} {mon} {y}",
        f"{mon} {d} {y}",
        f"{weekday}, {d} {month} {y}",
        f"{_ordinal(d)} of {month} {y}",
        f"{d:02d}.{m:02d}.{y}",
        f"{d}/{m}/{y}",
        f"{y}/{m:02d}/{d:02d}",
        f"{d}-{mon.upper()}-{y}",
        f"{month.lower()} {_ordinal(d)} {y}",
        f"{weekday[:3]} {mon} {d:02d} {y}",
    ]
    return formats[fmt]


#: number of surface formats (day first for numeric formats: 3/4/2001 is 3 April)
DATE_FORMATS = 12


def make_date_pairs(
    n: int,
    random_state: int | None = None,
    *,
    start_year: int = 1900,
    end_year: int = 2099,
    exclude: set[str] | None = None,
    replace: bool = True,
) -> tuple[list[str], list[str]]:
    """Random dates written in varied human formats, and their ISO 8601 form.

    Parameters
    ----------
    n : int
        Number of pairs.
    random_state : int, optional
        Seed (same seed, same pairs).
    start_year, end_year : int, default=1900, 2099
        Inclusive range of the years.
    exclude : set of str, optional
        ISO dates not to draw (e.g. the training targets, for a held-out set).
    replace : bool, default=True
        Draw each date independently, so a date can repeat (1,000 dates from the
        default range hold about 997 distinct ones); ``False`` draws ``n`` distinct
        dates.

    Returns
    -------
    sources : list of str
        E.g. ``"3 March 2001"``, ``"March 3, 2001"``, ``"03.03.2001"``,
        ``"Saturday, 3 March 2001"``, ``"3rd of March 2001"``. Numeric formats
        are day-first.
    targets : list of str
        E.g. ``"2001-03-03"``.

    Raises
    ------
    ValueError
        If the year range is empty or outside 1..9999, or too few dates remain after
        ``exclude`` (none; or fewer than ``n`` with ``replace=False``).

    Examples
    --------
    >>> src, tgt = make_date_pairs(2, random_state=0)
    >>> len(src), tgt[0][4], tgt[0][7]
    (2, '-', '-')
    """
    n = check_positive_int("n", n)
    if random_state is not None:
        check_non_negative_int("random_state", random_state)
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if not 1 <= check_positive_int(name, year) <= 9999:
            raise ValueError(f"`{name}` must be a year in 1..9999. Received: {name}={year!r}")
    if end_year < start_year:
        raise ValueError(
            f"`end_year` must be >= `start_year`. Received: start_year={start_year}, "
            f"end_year={end_year}"
        )
    if not isinstance(replace, bool):
        raise TypeError(f"`replace` must be a bool. Received: replace={replace!r}")
    first = _dt.date(start_year, 1, 1).toordinal()
    last = _dt.date(end_year, 12, 31).toordinal()
    exclude = exclude or set()
    lo, hi = _dt.date.fromordinal(first).isoformat(), _dt.date.fromordinal(last).isoformat()
    excluded = sum(1 for d in set(exclude) if isinstance(d, str) and lo <= d <= hi
                   and _is_iso_date(d))  # dates outside the range take nothing from it
    available = (last - first + 1) - excluded
    if available < (1 if replace else n):
        raise ValueError(
            f"Only {available} dates are available; cannot draw n={n} "
            f"{'dates' if replace else 'distinct dates (replace=False)'}."
        )
    rng = np.random.default_rng(random_state)
    sources: list[str] = []
    targets: list[str] = []
    drawn: set[str] = set()
    while len(sources) < n:
        ordinal = int(rng.integers(first, last + 1))
        fmt = int(rng.integers(0, DATE_FORMATS))
        date = _dt.date.fromordinal(ordinal)
        iso = date.isoformat()
        if iso in exclude or (not replace and iso in drawn):
            continue
        drawn.add(iso)
        sources.append(_render(date, fmt))
        targets.append(iso)
    return sources, targets


def _is_iso_date(text: str) -> bool:
    try:
        return _dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
