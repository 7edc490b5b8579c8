"""Dataset loaders: Yahoo Finance prices (cached), embedded samples, M4, ETT, sentiment
sentences and user CSV files.

Nothing here needs TensorFlow. Every loader raises ``FileNotFoundError`` for a missing
file and ``ValueError`` for a file in the wrong format, with the path in the message;
:class:`DataUnavailableError` signals a download that failed with nothing cached.

A panel of many series is a ``dict[str, pandas.Series]`` (see :class:`M4Dataset`).
"""

from __future__ import annotations

from ._csv import load_csv
from ._errors import DataUnavailableError
from ._ett import ett_splits, load_ett
from ._m4 import M4_INFO, M4Dataset, load_m4
from ._samples import list_samples, load_co2, load_msft, load_sample, load_sunspots
from ._sentiment import load_sentiment
from ._yfinance import load_yfinance

__all__ = [
    "DataUnavailableError",
    "M4Dataset",
    "M4_INFO",
    "ett_splits",
    "list_samples",
    "load_co2",
    "load_csv",
    "load_ett",
    "load_m4",
    "load_msft",
    "load_sample",
    "load_sentiment",
    "load_sunspots",
    "load_yfinance",
]
