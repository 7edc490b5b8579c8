"""Lazy access to TensorFlow/Keras.

``import forecast`` must not import TensorFlow (4-5 s, ~670 MB). Modules that
build or run networks call :func:`keras` inside functions instead of importing
it at module level.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from types import ModuleType

from . import _tf_startup

__all__ = ["keras", "tf", "seed_everything", "keep_global_rng", "configure_threads"]


def _set_env_defaults() -> None:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


THREADS_ENV = "FORECAST_NUM_THREADS"
_env_threads_applied = False


def tf() -> ModuleType:
    """Import and return ``tensorflow`` (with quiet logging defaults).

    The first call applies ``FORECAST_NUM_THREADS`` (see :func:`configure_threads`).
    """
    _set_env_defaults()
    tensorflow = _tf_startup.start("tensorflow")
    _apply_env_threads(tensorflow)
    return tensorflow


def keras() -> ModuleType:
    """Import and return ``keras`` (Keras 3, TensorFlow backend)."""
    tf()  # TensorFlow first: its start-up logs filtered, its thread pools set
    return _tf_startup.start("keras")


def _env_thread_count() -> int | None:
    """``FORECAST_NUM_THREADS`` as a positive int (``None`` when unset or empty)."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(
            f"`{THREADS_ENV}` must be a positive integer. Received: {THREADS_ENV}={raw!r}"
        )
    return value


def _apply_env_threads(tensorflow: ModuleType) -> None:
    """Set both TF thread pools to ``FORECAST_NUM_THREADS`` once, before TF runs an op."""
    global _env_threads_applied
    if _env_threads_applied:
        return
    n = _env_thread_count()  # a bad value raises on every call until it is fixed
    _env_threads_applied = True
    if n is None:
        return
    threading = tensorflow.config.threading
    try:
        threading.set_intra_op_parallelism_threads(n)
        threading.set_inter_op_parallelism_threads(n)
    except RuntimeError:  # TF already ran ops (imported and used before forecast)
        import warnings

        warnings.warn(
            f"{THREADS_ENV}={n} ignored: TensorFlow already ran operations in this "
            "process; set it before the first model is built.",
            RuntimeWarning,
            stacklevel=3,
        )


def seed_everything(random_state: int | None) -> None:
    """Seed Python, NumPy and TensorFlow and make TF ops deterministic.

    ``None`` leaves the global state untouched (non-reproducible runs). The seeds
    are those of ``keras.utils.set_random_seed``; when TensorFlow's global seed
    already is ``random_state`` (a refit), TensorFlow's caches are kept instead
    of cleared, so a compiled training step is reused. Stateful TensorFlow random
    ops that the caller runs eagerly between two such calls then continue their
    sequence rather than restart it (the estimators use none).

    Examples
    --------
    >>> seed_everything(0)
    """
    if random_state is None:
        return
    seed = int(random_state)
    keras()  # the first import goes through forecast's defaults (quiet logs, threads)
    if not _reseed_keeping_caches(seed):
        keras().utils.set_random_seed(seed)
    try:
        tf().config.experimental.enable_op_determinism()
    except (AttributeError, RuntimeError):  # pragma: no cover - older TF
        pass


@contextlib.contextmanager
def keep_global_rng() -> Iterator[None]:
    """Restore Python's and NumPy's global random states on exit.

    :func:`seed_everything` seeds them (Keras draws from them); a fit must not
    leave the caller's ``random``/``np.random`` streams reseeded.

    Examples
    --------
    >>> import numpy as np
    >>> np.random.seed(1)
    >>> with keep_global_rng():
    ...     np.random.seed(0)
    >>> float(np.random.rand()) == float(np.random.RandomState(1).rand())
    True
    """
    import random

    import numpy as np

    py_state, np_state = random.getstate(), np.random.get_state()  # noqa: NPY002
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)  # noqa: NPY002


def _reseed_keeping_caches(seed: int) -> bool:
    """Everything ``keras.utils.set_random_seed(seed)`` does, except clearing
    TensorFlow's caches, when TensorFlow's global seed already is ``seed``.

    ``tf.random.set_seed`` always clears TensorFlow's eager kernel and function
    caches (so that cached stateful random kernels restart their sequences). The
    estimators draw no stateful TensorFlow random numbers eagerly (Keras' random
    ops are stateless, the data shuffle runs inside ``tf.data``), so the clear
    only made every refit rebuild and re-optimise its compiled training step:
    about 0.45 s of a 0.65 s refit of a small model. Here the seeds are reset
    exactly as ``set_random_seed`` resets them (Python, NumPy, Keras' global
    seed and seed generator, TensorFlow's stream of operation seeds) and the
    caches are kept. Returns False (nothing done) when the seed differs, when
    not executing eagerly, or when these private TF/Keras attributes are not
    where this was written for; the caller then seeds the public way.
    """
    import random

    import numpy as np

    try:
        from keras.src.backend.common import global_state
        from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
        from keras.src.utils.rng_utils import GLOBAL_RANDOM_SEED
        from tensorflow.python.eager import context
    except ImportError:  # pragma: no cover - other Keras/TF layouts
        return False
    ctx = context.context()
    if (not context.executing_eagerly() or getattr(ctx, "_seed", None) != seed
            or not hasattr(ctx, "_rng")):
        return False
    global_state.set_global_attribute(GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - the legacy global state set_random_seed seeds
    ctx._rng = random.Random(seed)  # what context._set_global_seed sets, less the clear
    return True


def configure_threads(intra_op: int | None = None, inter_op: int | None = None) -> None:
    """Set TensorFlow's thread pools; must run before TF executes any op.

    Exposed as :func:`forecast.configure_threads`. Calling it imports TensorFlow.
    Alternatives without code: the environment variable ``FORECAST_NUM_THREADS=N``
    (both pools get ``N`` threads when forecast first imports TensorFlow), or
    TensorFlow's own ``TF_NUM_INTRAOP_THREADS`` / ``TF_NUM_INTEROP_THREADS``.

    Parameters
    ----------
    intra_op : int, optional
        Threads used inside one op (a matrix product). ``0`` lets TensorFlow
        choose (the number of cores); ``None`` leaves the setting unchanged.
    inter_op : int, optional
        Ops run in parallel. ``0`` lets TensorFlow choose; ``None`` leaves it.

    Raises
    ------
    TypeError, ValueError
        A count that is not a non-negative integer.
    RuntimeError
        TensorFlow already ran an operation in this process (its pools are fixed
        then): call this at the start of the process, or of each worker.

    Notes
    -----
    One thread of each per process is best for parallel backtests (each worker a
    process): the same epoch costs ~40% less CPU on a busy machine. Thread counts
    do not change results on CPU with a fixed ``random_state``.

    Examples
    --------
    >>> import forecast
    >>> forecast.configure_threads(intra_op=1, inter_op=1)  # doctest: +SKIP
    """
    from ._validation import check_non_negative_int

    intra = None if intra_op is None else check_non_negative_int("intra_op", intra_op)
    inter = None if inter_op is None else check_non_negative_int("inter_op", inter_op)
    t = tf()
    threading = t.config.threading
    try:
        if intra is not None and intra != threading.get_intra_op_parallelism_threads():
            threading.set_intra_op_parallelism_threads(intra)
        if inter is not None and inter != threading.get_inter_op_parallelism_threads():
            threading.set_inter_op_parallelism_threads(inter)
    except RuntimeError as exc:  # TF already initialised
        raise RuntimeError(
            "TensorFlow thread counts must be set before TensorFlow runs anything; "
            "call forecast.configure_threads() at the start of the process (or set "
            f"{THREADS_ENV}). Received: intra_op={intra_op!r}, inter_op={inter_op!r}"
        ) from exc
