"""M4 seasonality test and classical decomposition (the Naive2 seasonal adjustment).

This follows the reference R code of the M4 competition (``Benchmarks and
Evaluation.R`` in Mcompetitions/M4-methods): ``SeasonalityTest`` (90 % test on the
lag-m autocorrelation) and ``decompose(type="multiplicative")`` from R's stats
package, with seasonal indices for the future taken from the last ``m`` fitted
indices. It is M4-specific, so it is written in NumPy here rather than wrapped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["seasonality_test", "seasonal_indices", "SeasonalAdjustment"]

_TCRIT = 1.645  # one-sided 95 % / two-sided 90 % normal quantile used by M4


def _acf(values: np.ndarray, nlags: int) -> np.ndarray:
    """Sample autocorrelations ``r_1 .. r_nlags`` (R's ``acf``: mean-centred, biased)."""
    peak = float(np.abs(values).max()) if len(values) else 0.0
    if peak > 0.0 and np.isfinite(peak):  # a power of 2: exact, and no overflow in the sums
        values = values / 2.0 ** np.floor(np.log2(peak))
    x = values - values.mean()
    denom = float(np.dot(x, x))
    if denom == 0.0:
        return np.full(nlags, np.nan)
    n = len(x)
    return np.array([np.dot(x[: n - k], x[k:]) / denom for k in range(1, nlags + 1)])


def seasonality_test(values: np.ndarray, season_length: int) -> bool:
    """M4 90 % seasonality test on the lag-``m`` autocorrelation.

    Seasonal when ``n >= 3m`` and ``|r_m| > 1.645 sqrt((1 + 2 sum_{k<m} r_k^2) / n)``.
    A constant series (undefined autocorrelation) is not seasonal. Unlike R's
    ``acf`` default (``lag.max = 10 log10(n)``), lag ``m`` is always computed; the
    two agree on every M4 series (they differ only when ``m > 10 log10(n)``).

    Parameters
    ----------
    values : numpy.ndarray of shape (n,)
    season_length : int
        ``m``; ``m <= 1`` is never seasonal.

    Returns
    -------
    bool

    Examples
    --------
    >>> t = np.arange(96)
    >>> seasonality_test(10 + np.sin(2 * np.pi * t / 24), 24)
    True
    >>> seasonality_test(np.arange(96.0), 1)
    False
    """
    n, m = len(values), int(season_length)
    if m <= 1 or n < 3 * m:
        return False
    r = _acf(np.asarray(values, dtype=float), m)
    if not np.isfinite(r).all():
        return False
    limit = _TCRIT / np.sqrt(n) * np.sqrt(1.0 + 2.0 * np.sum(r[: m - 1] ** 2))
    return bool(abs(r[m - 1]) > limit)


def seasonal_indices(values: np.ndarray, season_length: int, kind: str) -> np.ndarray:
    """Seasonal component of R's ``decompose`` (classical decomposition).

    The trend is a centred moving average of order ``m`` (``2 x m`` for even
    ``m``); the seasonal figure is the mean detrended value at each position of the
    cycle, normalised to mean 1 (multiplicative) or 0 (additive), and repeated over
    the series (position 0 of ``values`` is position 0 of the cycle).

    Parameters
    ----------
    values : numpy.ndarray of shape (n,)
        ``n >= 2m`` observations (positive for ``kind="multiplicative"``).
    season_length : int
        ``m >= 2``.
    kind : {"multiplicative", "additive"}

    Returns
    -------
    numpy.ndarray of shape (n,)

    Examples
    --------
    >>> x = np.tile([1.0, 2.0, 3.0, 2.0], 4)
    >>> seasonal_indices(x, 4, "multiplicative")[:4].round(3)
    array([0.5, 1. , 1.5, 1. ])
    """
    x = np.asarray(values, dtype=float)
    n, m = len(x), int(season_length)
    if m % 2 == 0:
        weights = np.r_[0.5, np.ones(m - 1), 0.5] / m
    else:
        weights = np.ones(m) / m
    half = len(weights) // 2
    trend = np.full(n, np.nan)
    trend[half : n - half] = np.convolve(x, weights, mode="valid")
    detrended = x / trend if kind == "multiplicative" else x - trend
    figure = np.array([np.nanmean(detrended[i::m]) for i in range(m)])
    figure = figure / figure.mean() if kind == "multiplicative" else figure - figure.mean()
    return np.tile(figure, n // m + 1)[:n]


@dataclass
class SeasonalAdjustment:
    """Result of the M4 seasonal adjustment of one series.

    Usually built by :meth:`fit`; the constructor fields are kept as attributes.

    Parameters
    ----------
    kind : {"multiplicative", "additive"} or None
        ``None`` when no adjustment was applied (``m == 1``, ``n < 3m`` or the test
        found no seasonality). ``"additive"`` is the documented fallback for a
        seasonal series with values <= 0, where the multiplicative decomposition
        of M4 is undefined.
    indices : numpy.ndarray of shape (n,)
        Seasonal component of the training series (ones/zeros when ``kind`` is None).
    season_length : int
        Seasonal period ``m``.

    Examples
    --------
    >>> t = np.arange(96)
    >>> adj = SeasonalAdjustment.fit(10 + np.sin(2 * np.pi * t / 24), 24)
    >>> adj.kind
    'multiplicative'
    """

    kind: str | None
    indices: np.ndarray
    season_length: int

    @classmethod
    def fit(cls, values: np.ndarray, season_length: int) -> SeasonalAdjustment:
        """Test ``values`` for seasonality and decompose it if seasonal.

        Parameters
        ----------
        values : numpy.ndarray of shape (n,)
            The training series.
        season_length : int
            Seasonal period ``m``.

        Returns
        -------
        SeasonalAdjustment
            With ``kind`` None when the series is not seasonal (indices all ones).
        """
        values = np.asarray(values, dtype=float)
        kind = None
        if seasonality_test(values, season_length):
            kind = "multiplicative" if (values > 0).all() else "additive"
        if kind is None:
            return cls(None, np.ones(len(values)), int(season_length))
        return cls(kind, seasonal_indices(values, season_length, kind), int(season_length))

    def adjust(self, values: np.ndarray) -> np.ndarray:
        """The seasonally adjusted training series.

        Parameters
        ----------
        values : numpy.ndarray of shape (n,)
            The series given to :meth:`fit`.

        Returns
        -------
        numpy.ndarray of shape (n,)
            ``values`` divided by (multiplicative) or minus (additive) the indices;
            unchanged when ``kind`` is None.
        """
        if self.kind == "additive":
            return values - self.indices
        if self.kind == "multiplicative":
            return values / self.indices
        return np.asarray(values, dtype=float)

    def future(self, horizon: int) -> np.ndarray:
        """Seasonal indices of the next ``horizon`` steps (the last ``m`` repeated).

        Parameters
        ----------
        horizon : int
            Number of future steps.

        Returns
        -------
        numpy.ndarray of shape (horizon,)
            Ones when ``kind`` is None.
        """
        if self.kind is None:
            return np.ones(horizon)
        m = self.season_length
        last = self.indices[-m:]
        return np.resize(last, horizon)

    def reseasonalize(self, forecast: np.ndarray) -> np.ndarray:
        """Put the seasonality back into forecasts of the adjusted series.

        Parameters
        ----------
        forecast : numpy.ndarray of shape (horizon,) or (horizon, k)
            Forecasts of the adjusted series (``k`` columns, e.g. interval bounds).

        Returns
        -------
        numpy.ndarray of the same shape
            ``forecast`` times (multiplicative) or plus (additive) :meth:`future`;
            unchanged when ``kind`` is None.
        """
        forecast = np.asarray(forecast, dtype=float)
        future = self.future(forecast.shape[0])
        if forecast.ndim == 2:
            future = future[:, None]
        if self.kind == "additive":
            return forecast + future
        if self.kind == "multiplicative":
            return forecast * future
        return forecast
