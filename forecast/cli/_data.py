"""Turning the user's data (CSV file, ticker, embedded sample) into one clean target series."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from forecast._validation import infer_freq, regular_with_gaps

from ._console import CLIError, progress
from ._report import time_label

__all__ = ["load_frame", "select_target", "season_length_for", "TRANSFORMS", "FLAGS",
           "PIPELINE_KEYS"]

TRANSFORMS = ("none", "returns", "log-returns")
#: how messages name the target and transform settings: the command line's flags, or
#: the keys of a pipeline file's ``[data]`` table
FLAGS = {"target": "--target", "transform": "--transform", "sample": "--sample",
         "start": "--start", "end": "--end"}
PIPELINE_KEYS = {"target": "[data] target", "transform": "[data] transform",
                 "sample": "[data] sample", "start": "[data] start", "end": "[data] end"}
#: load_csv's advice (Python arguments) in the words of the command line and of a
#: pipeline file
CLI_WORDS = {"date_column=...": "--date-column NAME", "dayfirst=True": "--dayfirst",
             "dayfirst=False": "--monthfirst", "decimal=','": "--decimal-comma"}
PIPELINE_WORDS = {"date_column=...": "[data] date_column", "dayfirst=True":
                  "[data] dayfirst = true", "dayfirst=False": "[data] dayfirst = false",
                  "decimal=','": "[data] decimal = \",\""}

#: seasonal period of one step of each pandas base frequency (sub-daily data: the day;
#: a multiple of the step divides it, as GluonTS' ``get_seasonality``)
_SEASONS = {"MS": 12, "ME": 12, "M": 12, "QS": 4, "QE": 4, "Q": 4, "W": 52, "D": 7, "B": 5,
            "h": 24, "H": 24, "min": 1440, "T": 1440}


def load_frame(
    *,
    data: str | os.PathLike | None = None,
    ticker: str | None = None,
    sample: str | None = None,
    start: str | None = None,
    end: str | None = None,
    date_column: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    offline: bool = False,
    options: dict[str, str] | None = None,
    dayfirst: bool | None = None,
    decimal: str = ".",
) -> pd.DataFrame:
    """Load exactly one of a CSV file, a ticker (yfinance cache) or an embedded sample.

    ``options`` names where ``sample`` came from, for messages: :data:`FLAGS` by
    default, :data:`PIPELINE_KEYS` for a pipeline file. ``dayfirst`` and ``decimal``
    go to :func:`forecast.datasets.load_csv`; its advice to pass them is rephrased as
    the flags or keys that set them.

    Raises
    ------
    CLIError
        Missing or unreadable file, no data for a ticker (offline with no cache), an
        unknown sample, or not exactly one source given.
    """
    sources = (("--data", data), ("--ticker", ticker), ("--sample", sample))
    given = [k for k, v in sources if v]
    if len(given) != 1:
        empty = [k for k, v in sources if v == ""]
        received = ", ".join(given) or (f"{empty[0]} with an empty value" if empty else "none")
        raise CLIError(f"give exactly one of --data FILE.csv, --ticker SYMBOL or --sample NAME "
                       f"(received: {received})")
    if data is not None:
        if os.path.isdir(data):
            raise CLIError(f"--data must be a CSV file, and {data} is a directory")
        if not os.path.isfile(data):
            where = "" if os.path.isabs(data) else f" (looked for {os.path.abspath(data)})"
            raise CLIError(f"data file not found: {data}{where}")
        from forecast import datasets

        try:
            frame = datasets.load_csv(data, date_column=date_column, dayfirst=dayfirst,
                                      decimal=decimal)
        except ValueError as exc:  # speak the CLI's language (or the pipeline file's)
            words = PIPELINE_WORDS if options is PIPELINE_KEYS else CLI_WORDS
            message = str(exc)
            for python, said in words.items():
                message = message.replace(python, said)
            raise CLIError(message) from exc
    elif ticker is not None:
        frame = _load_ticker(ticker, start, end, cache_dir=cache_dir, offline=offline)
    else:
        from forecast import datasets

        names = datasets.list_samples()
        if str(sample).lower() not in names:
            flag = {**FLAGS, **(options or {})}["sample"]
            raise CLIError(f"{flag} must be one of {', '.join(names)}; received {sample!r}")
        loaded = datasets.load_sample(sample)
        frame = loaded.to_frame() if isinstance(loaded, pd.Series) else loaded
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if ticker is None and (start is not None or end is not None):  # yfinance did it already
        frame = _date_range(frame, start, end, {**FLAGS, **(options or {})})
    return frame  # never empty: each loader raises instead


def _date_range(frame: pd.DataFrame, start: Any, end: Any, names: dict[str, str]) -> Any:
    """The rows of ``frame`` dated in ``[start, end)``; a CLIError when there are none."""
    flags = "/".join(names[k] for k, v in (("start", start), ("end", end)) if v is not None)
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise CLIError(f"{flags} select dates, and the data has no date column (its rows are "
                       "numbered); use --last N (or [data] last) to keep the last N rows")
    bounds = []
    for key, value in (("start", start), ("end", end)):
        try:
            bounds.append(None if value is None else pd.Timestamp(str(value)))
        except ValueError:
            raise CLIError(f"{names[key]} must be a date (YYYY-MM-DD); received {value!r}"
                           ) from None
    tz = frame.index.tz  # dates of a zoned index (UTC offsets in the file) are its zone's
    first, stop = (b.tz_localize(tz) if tz is not None and b is not None and b.tzinfo is None
                   else b for b in bounds)
    keep = np.ones(len(frame), dtype=bool)
    if first is not None:
        keep &= frame.index >= first
    if stop is not None:
        keep &= frame.index < stop
    if not keep.any():
        raise CLIError(f"no rows in the range {flags} asks for "
                       f"({'the start' if first is None else time_label(first)} to "
                       f"{'the end' if stop is None else time_label(stop)}, end excluded); "
                       f"the data holds {time_label(frame.index[0])} to "
                       f"{time_label(frame.index[-1])}")
    return frame[keep]


def _load_ticker(ticker: str, start: Any, end: Any, *, cache_dir: Any, offline: bool) -> Any:
    from forecast import datasets

    hint = "a run with network access fills the cache again; or use --data FILE.csv"
    try:
        frame = datasets.load_yfinance(
            ticker, start=start, end=end, cache_dir=cache_dir, offline=offline
        )
    except datasets.DataUnavailableError as exc:  # offline / network error and no cache
        message = str(exc).replace("forecast.datasets.load_msft()", "--sample msft")
        raise CLIError(f"{message} ({hint})") from exc
    except ValueError as exc:  # a symbol or date the loader refuses: say it in flags
        text = str(exc)
        if text.startswith("`tickers`"):
            raise CLIError("--ticker must be one ticker symbol of 1-15 letters, digits or "
                           f"'.-^=' (no spaces, commas, path separators or '..'); received "
                           f"{ticker!r}") from exc
        for name, value in (("start", start), ("end", end)):
            if text.startswith(f"`{name}` must be a date"):
                raise CLIError(f"--{name} must be a date (YYYY-MM-DD); received "
                               f"{value!r}") from exc
        raise CLIError(text.replace("`start`", "--start").replace("`end`", "--end")) from exc
    except (OSError, ConnectionError) as exc:  # e.g. an unusable --cache-dir
        raise CLIError(f"could not read the cache or download {ticker!r}: {exc} "
                       f"({hint})") from exc
    if isinstance(frame.columns, pd.MultiIndex):  # (field, ticker) columns from yfinance
        level = 0 if "Close" in frame.columns.get_level_values(0) else 1
        frame = frame.droplevel(1 - level, axis=1)
    return frame


def season_length_for(index: pd.Index) -> int:
    """Usual seasonal period for the frequency of ``index`` (1 when unknown).

    A step that is a multiple of the base frequency divides the period (15-minute
    data: 96 steps a day; 2-hourly: 12); 1 when it does not divide it evenly.

    Examples
    --------
    >>> season_length_for(pd.date_range("2000", periods=24, freq="MS"))
    12
    >>> season_length_for(pd.date_range("2000", periods=24, freq="15min"))
    96
    """
    if not isinstance(index, pd.DatetimeIndex):
        return 1
    offset = infer_freq(index)
    if offset is None:
        return 1
    base = offset.freqstr.split("-")[0].lstrip("0123456789")
    period, rest = divmod(_SEASONS.get(base, 1), max(int(offset.n), 1))
    return period if period >= 1 and rest == 0 else 1


def _fill_gaps(y: pd.Series, *, max_missing: float = 0.1) -> pd.Series | None:
    """``y`` on the regular range of its usual step, missing timestamps forward-filled.

    The step is the frequency most often inferred on short runs of consecutive
    timestamps (a few gaps leave most runs regular). ``None`` when no such step
    gives a range that holds every timestamp with at most ``max_missing`` of it absent.

    Examples
    --------
    >>> y = pd.Series(range(24), pd.date_range("2000", periods=24, freq="MS")).drop(
    ...     pd.Timestamp("2000-05-01"))
    >>> filled = _fill_gaps(y)  # says on stderr: 1 missing timestamp(s) filled ...
    >>> filled.index.freqstr, len(filled), int(filled["2000-05-01"])
    ('MS', 24, 3)
    """
    full = regular_with_gaps(y.index, max_missing=max_missing)
    if full is None or len(full) == len(y):
        return None
    missing = full[~full.isin(y.index)]
    first = str(missing[0]).removesuffix(" 00:00:00")
    progress(f"{len(missing)} missing timestamp(s) filled with the previous value "
             f"(frequency {full.freqstr}; first {first})")
    return y.reindex(full, method="ffill")


def _regularise(y: pd.Series) -> pd.Series:
    """Give ``y`` a regular index: keep it, fill the gaps of a regular frequency (business
    days or any other), or number the rows."""
    index = y.index
    if not isinstance(index, pd.DatetimeIndex):
        if pd.api.types.is_integer_dtype(index.dtype):
            steps = np.diff(np.asarray(index, dtype=np.int64))
            if len(steps) == 0 or (steps == steps[0]).all() and steps[0] > 0:
                return y
        return y.reset_index(drop=True)
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise CLIError(f"the date index has duplicate timestamps, e.g. {dup}")
    y = y.sort_index()
    offset = infer_freq(y.index) if len(y) >= 3 else None
    if offset is not None:
        return y.asfreq(offset)
    # daily market data: business days with holiday gaps -> carry the last price over
    bdays = pd.bdate_range(y.index[0], y.index[-1])
    if y.index.isin(bdays).all() and len(bdays) <= 1.1 * len(y):
        progress(f"{len(bdays) - len(y)} missing business days filled with the previous value")
        return y.reindex(bdays).ffill().asfreq("B")
    filled = _fill_gaps(y)
    if filled is not None:
        return filled
    progress("irregular timestamps: using the observation number as the time index "
             "(season length 1 unless --season-length or [backtest] season_length gives one)")
    return y.reset_index(drop=True)


def select_target(
    frame: pd.DataFrame, target: str | None, *, transform: str = "none",
    options: dict[str, str] | None = None,
) -> pd.Series:
    """Pick the numeric ``target`` column, clean it and apply ``transform``.

    ``options`` names where ``target`` and ``transform`` came from, for messages:
    :data:`FLAGS` (the command line's) by default, :data:`PIPELINE_KEYS` for a
    pipeline file's ``[data]`` table.

    Raises
    ------
    CLIError
        Unknown or non-numeric column, too few values, non-positive values for log-returns.
    """
    opt = {**FLAGS, **(options or {})}
    if transform not in TRANSFORMS:
        raise CLIError(
            f"{opt['transform']} must be one of {', '.join(TRANSFORMS)}; received {transform!r}"
        )
    columns = [str(c) for c in frame.columns]
    if target is None:
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
        if len(numeric) != 1:
            raise CLIError(f"{opt['target']} is required: choose one of the columns {columns}")
        target = numeric[0]
    if target not in frame.columns:
        raise CLIError(f"target column {target!r} not found; columns are {columns}")
    y = frame[target]
    if isinstance(y, pd.DataFrame):
        raise CLIError(f"target column {target!r} appears more than once")
    if not pd.api.types.is_numeric_dtype(y) or pd.api.types.is_bool_dtype(y):
        converted = pd.to_numeric(y, errors="coerce")
        bad = converted.isna() & y.notna()
        if bad.any():  # text is an error, not a missing value (empty cells are missing)
            raise CLIError(
                f"target column {target!r} is not numeric: {y[bad].iloc[0]!r} at "
                f"{y.index[bad.to_numpy()][0]} ({int(bad.sum())} such cell(s)); fix or "
                "empty those cells, or choose a numeric column"
            )
        y = converted
    y = y.astype(float)
    kept = y.loc[y.first_valid_index(): y.last_valid_index()] if y.notna().any() else y.iloc[:0]
    if len(kept) == 0:
        raise CLIError(f"target column {target!r} has no values")
    if len(kept) < len(y):
        progress(f"{len(y) - len(kept)} empty row(s) of {target!r} at the start or end dropped")
    y = kept
    y = _regularise(y)
    n_missing = int(y.isna().sum())
    if n_missing:
        progress(f"{n_missing} missing value(s) in {target!r} filled with the previous value")
        y = y.ffill()
    if transform != "none":
        if transform == "log-returns":
            if (y <= 0).any():
                raise CLIError(f"{opt['transform']} log-returns needs positive values in "
                               f"{target!r}")
            y = np.log(y).diff().iloc[1:]
        else:
            y = y.pct_change().iloc[1:]
        if not np.isfinite(y.to_numpy()).all():
            raise CLIError(
                f"{opt['transform']} {transform} produced non-finite values "
                f"(zeros in {target!r}?)"
            )
    y.name = str(target) if transform == "none" else f"{target} ({transform})"
    return y


def select_features(
    frame: pd.DataFrame, columns: list[str], y: pd.Series, *, transform: str = "none",
    options: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Covariate columns aligned with the (cleaned, transformed) target ``y``.

    Price-like columns get the target's ``transform``; a ``Volume`` column gets
    ``log1p`` (a level, never differenced). Values are forward-filled onto
    ``y``'s index. ``options`` as in :func:`select_target`.

    Raises
    ------
    CLIError
        Unknown or non-numeric feature column.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CLIError(f"feature column(s) {missing} not found; columns are "
                       f"{[str(c) for c in frame.columns]}")
    feats = {}
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce").astype(float)
        if values.notna().sum() == 0:
            raise CLIError(f"feature column {col!r} is not numeric")
        if isinstance(y.index, pd.DatetimeIndex) and isinstance(values.index, pd.DatetimeIndex):
            values = values.sort_index()
            values = values[~values.index.duplicated()]
            values = values.reindex(values.index.union(y.index)).ffill()
        is_volume = str(col).lower() == "volume"
        if is_volume:
            values = np.log1p(values.clip(lower=0))
        elif transform == "log-returns":
            values = np.log(values.where(values > 0)).diff()
        elif transform == "returns":
            values = values.pct_change()
        feats[str(col)] = values
    X = pd.DataFrame(feats)
    if isinstance(y.index, pd.DatetimeIndex) and isinstance(X.index, pd.DatetimeIndex):
        X = X.reindex(y.index)
    else:
        X = X.iloc[-len(y):].set_axis(y.index)
    X = X.ffill().bfill()
    bad = ~np.isfinite(X.to_numpy())
    if bad.any():
        row, col = np.argwhere(bad)[0]
        flag = {**FLAGS, **(options or {})}["transform"]
        after = "" if transform == "none" else f" after {flag} {transform} (zeros?)"
        raise CLIError(f"feature column {X.columns[col]!r} has a non-finite value{after}: "
                       f"{X.iat[row, col]} at {X.index[row]}")
    return X
