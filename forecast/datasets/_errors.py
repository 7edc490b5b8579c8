"""Exceptions raised by the dataset loaders."""

from __future__ import annotations

__all__ = ["DataUnavailableError"]


class DataUnavailableError(RuntimeError):
    """Data could not be obtained: the download failed and nothing usable is cached.

    Raised by :func:`forecast.datasets.load_yfinance` when a ticker cannot be
    downloaded (network error, empty answer, ``offline=True``) and the on-disk cache
    holds no copy for the requested ticker, interval and range, or the cached copy is
    unreadable. The message names the ticker and the cache file it looked for.
    It subclasses ``RuntimeError`` (not ``ValueError``): the request was valid, the
    data is just not reachable right now.

    Examples
    --------
    >>> from forecast.datasets import DataUnavailableError
    >>> issubclass(DataUnavailableError, RuntimeError)
    True
    """
