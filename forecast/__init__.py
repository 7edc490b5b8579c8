"""forecast: time-series forecasting with recurrent networks.

Importing this package never imports TensorFlow; networks are built lazily.
Sub-packages (data flows one way, nothing imports backwards):

``datasets`` -> ``preprocessing`` / ``text`` -> ``networks`` -> ``estimators``
-> ``forecasters`` -> ``model_selection`` -> ``plotting`` -> ``cli``.
``metrics`` is a leaf of pure NumPy functions that any layer may use.
"""

from __future__ import annotations

__version__ = "0.1.0"

from ._tf import configure_threads  # lazy: imports TensorFlow only when called

__all__ = ["__version__", "configure_threads"]
