"""Embedded sample series, loaded with no network: msft (shipped file), co2 and sunspots
(wrapped from ``statsmodels.datasets``, which ships them)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources

import pandas as pd

from forecast._validation import describe

__all__ = ["load_sample", "list_samples", "load_msft", "load_co2", "load_sunspots"]


@functools.cache
def _msft() -> pd.DataFrame:
    ref = resources.files("forecast.datasets").joinpath("data", "msft.csv.gz")
    with resources.as_file(ref) as path:
        frame = pd.read_csv(path, compression="gzip", parse_dates=["Date"], index_col="Date")
    return frame.drop(columns="OpenInt")


def load_msft() -> pd.DataFrame:
    """Microsoft (MSFT) daily prices, 1986-03-13 to 2017-11-10 (7,983 trading days).

    Season length: 1 (daily prices have no useful fixed season; a 5-day weekly cycle
    can be tried on business-day data). Unadjusted prices as shipped by the pmdarima
    package (MIT licence; see ``forecast/datasets/data/msft.SOURCE.txt``).

    Returns
    -------
    pandas.DataFrame
        Shape ``(7983, 5)``: columns ``Open, High, Low, Close`` (float64) and ``Volume``
        (int64); ``DatetimeIndex`` named ``Date`` with trading days only, so it has
        no frequency (weekends and market holidays are missing). For a regular index use
        e.g. ``df.asfreq("B").ffill()``. ``df.attrs["season_length"] == 1``.

    Examples
    --------
    >>> from forecast.datasets import load_msft
    >>> df = load_msft()
    >>> df.shape
    (7983, 5)
    >>> list(df.columns)
    ['Open', 'High', 'Low', 'Close', 'Volume']
    """
    frame = _msft().copy()
    frame.attrs.update(name="msft", season_length=1, source="pmdarima (MIT)")
    return frame


@functools.cache
def _co2() -> pd.Series:
    from statsmodels.datasets import co2

    weekly = co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean()
    return monthly.interpolate(method="linear").rename("co2")


def load_co2() -> pd.Series:
    """Monthly atmospheric CO2 at Mauna Loa (ppm), March 1958 to December 2001.

    Season length: 12 (a clear yearly cycle on a rising trend).
    Built from ``statsmodels.datasets.co2`` (weekly Scripps measurements with 59 missing
    weeks): the weekly values are averaged per calendar month
    (``resample("MS").mean()``), and the 5 months with no measurement at all are filled
    by linear interpolation, so the result has no NaN. The data is public domain
    (statsmodels' note).

    Returns
    -------
    pandas.Series
        526 float64 values named ``co2`` with a regular month-start ``DatetimeIndex``
        (``freq="MS"``, no name). ``y.attrs["season_length"] == 12``.

    Examples
    --------
    >>> from forecast.datasets import load_co2
    >>> y = load_co2()
    >>> len(y), y.index.freqstr
    (526, 'MS')
    """
    series = _co2().copy()
    series.attrs.update(name="co2", season_length=12,
                        source="statsmodels.datasets.co2 (public domain)")
    return series


@functools.cache
def _sunspots() -> pd.Series:
    from statsmodels.datasets import sunspots

    data = sunspots.load_pandas().data
    index = pd.DatetimeIndex(
        pd.to_datetime(data["YEAR"].astype(int).astype(str), format="%Y"), freq="YS"
    ).rename(None)  # DatetimeIndex(..., name=None) keeps the Series' name 'YEAR'
    return pd.Series(data["SUNACTIVITY"].to_numpy(dtype=float), index=index, name="sunspots")


def load_sunspots() -> pd.Series:
    """Yearly sunspot numbers (Wolf), 1700 to 2008 (309 values).

    Season length: 1. The series has a quasi-periodic ~11-year solar cycle whose length
    varies (9-14 years), so it is not a fixed calendar season; seasonal models may try
    ``season_length=11``. From ``statsmodels.datasets.sunspots`` (public domain).

    Returns
    -------
    pandas.Series
        float64 values named ``sunspots`` with a year-start ``DatetimeIndex``
        (``freq="YS-JAN"``, no name, as for ``co2``). ``y.attrs["season_length"] == 1``.

    Examples
    --------
    >>> from forecast.datasets import load_sunspots
    >>> y = load_sunspots()
    >>> len(y), str(y.index[0].date())
    (309, '1700-01-01')
    """
    series = _sunspots().copy()
    series.attrs.update(name="sunspots", season_length=1,
                        source="statsmodels.datasets.sunspots (public domain)")
    return series


_SAMPLES: dict[str, Callable[[], pd.Series | pd.DataFrame]] = {
    "co2": load_co2,
    "msft": load_msft,
    "sunspots": load_sunspots,
}


def list_samples() -> list[str]:
    """Names accepted by :func:`load_sample`, sorted.

    Returns
    -------
    list of str
        The sample names in alphabetical order.

    Examples
    --------
    >>> from forecast.datasets import list_samples
    >>> list_samples()
    ['co2', 'msft', 'sunspots']
    """
    return sorted(_SAMPLES)


def load_sample(name: str) -> pd.Series | pd.DataFrame:
    """Load an embedded sample by name (no network; a fresh copy each call).

    - ``"msft"``: DataFrame Open/High/Low/Close/Volume, trading days (no freq),
      season_length 1.
    - ``"co2"``: Series, Mauna Loa CO2 (ppm), monthly mean, ``freq="MS"``, season_length 12.
    - ``"sunspots"``: Series, yearly sunspot numbers, ``freq="YS-JAN"``, season_length 1.

    See :func:`load_msft`, :func:`load_co2` and :func:`load_sunspots` for details. The
    season length is also stored in ``result.attrs["season_length"]``.

    Parameters
    ----------
    name : str
        One of :func:`list_samples` (case-insensitive).

    Returns
    -------
    pandas.Series or pandas.DataFrame

    Raises
    ------
    ValueError
        Unknown sample name.

    Examples
    --------
    >>> from forecast.datasets import load_sample
    >>> load_sample("co2").attrs["season_length"]
    12
    """
    key = name.lower() if isinstance(name, str) else None
    if key not in _SAMPLES:
        raise ValueError(
            f"`name` must be one of {list_samples()}. Received: name={describe(name)}"
        )
    return _SAMPLES[key]()
