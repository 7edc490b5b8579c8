"""Lazy access to TensorFlow/Keras.

``import forecast`` must not import TensorFlow (4-5 s, ~670 MB). Modules that
build or run networks call :func:`keras` inside functions instead of importing
it at module level.
"""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["keras", "tf", "seed_everything", "configure_threads"]


def _set_env_defaults() -> None:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def tf() -> ModuleType:
    """Import and return ``tensorflow`` (with quiet logging defaults)."""
    _set_env_defaults()
    import tensorflow

    return tensorflow


def keras() -> ModuleType:
    """Import and return ``keras`` (Keras 3, TensorFlow backend)."""
    _set_env_defaults()
    import keras as _keras

    return _keras


def seed_everything(random_state: int | None) -> None:
    """Seed Python, NumPy and TensorFlow and make TF ops deterministic.

    ``None`` leaves the global state untouched (non-reproducible runs).

    Examples
    --------
    >>> seed_everything(0)  # doctest: +SKIP
    """
    if random_state is None:
        return
    k = keras()
    k.utils.set_random_seed(int(random_state))
    try:
        tf().config.experimental.enable_op_determinism()
    except (AttributeError, RuntimeError):  # pragma: no cover - older TF
        pass


def configure_threads(intra_op: int | None = None, inter_op: int | None = None) -> None:
    """Set TensorFlow's thread pools; must run before TF executes any op.

    Parameters
    ----------
    intra_op, inter_op : int, optional
        Threads per op and ops in parallel (``None`` keeps TF's default). One
        of each per worker process is best for parallel backtests.

    Examples
    --------
    >>> configure_threads(1, 1)  # doctest: +SKIP
    """
    t = tf()
    try:
        if intra_op is not None:
            t.config.threading.set_intra_op_parallelism_threads(int(intra_op))
        if inter_op is not None:
            t.config.threading.set_inter_op_parallelism_threads(int(inter_op))
    except RuntimeError as exc:  # TF already initialised
        raise RuntimeError(
            "TensorFlow thread counts must be set before TensorFlow runs anything; "
            "call forecast.configure_threads() at the start of the process."
        ) from exc
