"""One trace of the training step instead of two; no false alarms about retracing.

Without a distribution strategy, Keras 3 (TensorFlow backend) creates the variables
of the compiled metrics and of the loss tracker while it traces the first training
step. TensorFlow must then trace the step a second time, because variables cannot be
created inside a traced function after its first trace: for a small recurrent network
on 2 CPU cores that second trace is about 2 s of every fit (a tiny bidirectional
``RNNClassifier`` fit: a median of 6.5 s -> 4.2 s). :func:`build_training_state` creates them
beforehand from the shapes of the training batches, as Keras itself does when a
distribution strategy is set; the trained weights are unchanged (compared bit for bit in
the tests).

TensorFlow counts the traces of a ``tf.function`` per Python *code object*, not per
function: the step functions Keras creates for every model (``make_predict_function``,
``make_train_function``, ...) are closures of the same code, so five models that each
trace their predict step once (a ``GridSearchCV``: a fresh clone per fold and candidate)
read as "5 out of the last 5 calls ... triggered tf.function retracing", a warning on
stderr that suggests a bug where there is none: a new model needs its own graph, and one
model's steps trace once (twice at most for a new batch size: ``reduce_retracing``).
:func:`quiet_keras_retracing` drops that one notice, for Keras' own step functions only,
while an estimator's ``fit`` or ``predict`` runs in the calling thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["build_training_state", "quiet_keras_retracing"]

logger = logging.getLogger(__name__)


def build_training_state(model: Any, dataset: Any) -> bool:
    """Create ``model``'s metric and loss-tracker variables before ``model.fit``.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    dataset : tf.data.Dataset
        The training batches (only their ``element_spec`` is read; nothing is iterated).

    Returns
    -------
    bool
        Whether the state was built here. ``False`` for eager models, models under a
        distribution strategy (Keras builds those itself), state already built, or a
        Keras without the private ``_symbolic_build`` this relies on; ``fit`` then
        builds it while tracing, as before.

    Examples
    --------
    >>> build_training_state(object(), None)
    False
    """
    build = getattr(model, "_symbolic_build", None)
    if build is None or getattr(model, "run_eagerly", True):
        return False
    if getattr(model, "_distribute_strategy", None) is not None:
        return False
    metrics = getattr(model, "_compile_metrics", None)
    loss = getattr(model, "_compile_loss", None)
    if (metrics is None or metrics.built) and (loss is None or loss.built):
        return False
    try:
        build(data_batch=dataset.element_spec)
    except (AttributeError, TypeError, ValueError, NotImplementedError) as exc:
        # a private Keras API: without it fit traces twice, which is only slower
        logger.debug("symbolic build skipped: %s", exc)
        return False
    return True


class _KerasRetracingNotice(logging.Filter):
    """Drops TensorFlow's retracing notice about Keras' step functions, in one thread."""

    def __init__(self) -> None:
        super().__init__()
        self._thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread != self._thread:
            return True
        message = str(record.msg)  # TensorFlow formats it before logging
        return not ("triggered tf.function retracing" in message
                    and "<function TensorFlowTrainer." in message)


@contextlib.contextmanager
def quiet_keras_retracing() -> Iterator[None]:
    """Within the block, TensorFlow's "N out of the last M calls to <function
    TensorFlowTrainer....> triggered tf.function retracing" warning is not logged.

    Only that notice, only about Keras' own step functions, and only from the calling
    thread; every other record of the ``tensorflow`` logger passes.

    Examples
    --------
    >>> import logging
    >>> with quiet_keras_retracing():
    ...     logging.getLogger("tensorflow").filters != []
    True
    """
    logger = logging.getLogger("tensorflow")
    notice = _KerasRetracingNotice()
    logger.addFilter(notice)
    try:
        yield
    finally:
        logger.removeFilter(notice)
