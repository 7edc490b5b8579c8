"""forecast: time-series forecasting with recurrent networks.

Importing this package never imports TensorFlow; networks are built lazily.
Sub-packages (data flows one way, nothing imports backwards):

``datasets`` -> ``preprocessing`` / ``text`` -> ``networks`` -> ``estimators``
-> ``forecasters`` -> ``model_selection`` -> ``plotting`` -> ``cli``.
``metrics`` is a leaf of pure NumPy functions that any layer may use.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "configure_threads"]


def configure_threads(intra_op: int | None = None, inter_op: int | None = None) -> None:
    """Set TensorFlow's intra-op and inter-op thread counts for this process.

    Call it before the first model is built (TensorFlow fixes its thread pools
    when it runs its first operation). Importing :mod:`forecast` does not import
    TensorFlow; this function does. Without code, set ``FORECAST_NUM_THREADS=N``
    in the environment: both pools get ``N`` threads when forecast first imports
    TensorFlow (TensorFlow's own ``TF_NUM_INTRAOP_THREADS`` and
    ``TF_NUM_INTEROP_THREADS`` work too).

    Parameters
    ----------
    intra_op : int, optional
        Threads inside one op; ``0`` = TensorFlow's default (all cores);
        ``None`` leaves it unchanged.
    inter_op : int, optional
        Ops run concurrently; ``0`` = default; ``None`` leaves it unchanged.

    Raises
    ------
    TypeError, ValueError
        A count that is not a non-negative integer, e.g.
        "`intra_op` must be a non-negative integer. Received: intra_op=-1".
    RuntimeError
        TensorFlow already ran an operation in this process.

    Examples
    --------
    >>> import forecast
    >>> forecast.configure_threads(intra_op=1, inter_op=1)  # doctest: +SKIP
    """
    from ._tf import configure_threads as _configure

    _configure(intra_op, inter_op)
