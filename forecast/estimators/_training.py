"""Training helpers: optimizer/loss/strategy resolution and the best-weights callback.

TensorFlow is imported only inside the functions.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .._io import atomic_path, atomic_write_text
from .._validation import check_fraction, describe

__all__ = [
    "OPTIMIZERS",
    "KERAS_LOSSES",
    "make_optimizer",
    "check_loss",
    "resolve_loss",
    "resolve_strategy",
    "make_best_weights_callback",
    "make_ema_swap_callback",
    "check_ema_momentum",
    "ema_fits_steps",
    "ema_momentum_for_steps",
    "cosine_decay_callback",
]

#: accepted ``optimizer`` strings -> Keras class names
OPTIMIZERS: dict[str, str] = {
    "adam": "Adam",
    "adamw": "AdamW",
    "sgd": "SGD",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
    "adadelta": "Adadelta",
    "adamax": "Adamax",
    "nadam": "Nadam",
    "lion": "Lion",
}

#: the loss names ``keras.losses.get`` accepts in Keras 3 (case-sensitive: the
#: functions, their aliases and the classes), so that a name is checked without
#: importing TensorFlow; ``tests/test_estimators_param_checks.py`` compares it
#: with the installed Keras
KERAS_LOSSES: tuple[str, ...] = (
    "BCE", "BinaryCrossentropy", "BinaryFocalCrossentropy", "CTC",
    "CategoricalCrossentropy", "CategoricalFocalCrossentropy", "CategoricalHinge",
    "Circle", "CosineSimilarity", "Dice", "Hinge", "Huber", "KLD", "KLDivergence",
    "LogCosh", "MAE", "MAPE", "MSE", "MSLE", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError",
    "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge", "Tversky",
    "bce", "binary_crossentropy", "binary_focal_crossentropy",
    "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge",
    "circle", "cosine_similarity", "ctc", "dice", "hinge", "huber", "kl_divergence",
    "kld", "log_cosh", "mae", "mape", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error",
    "mean_squared_logarithmic_error", "mse", "msle", "poisson",
    "sparse_categorical_crossentropy", "squared_hinge", "tversky",
)


def make_optimizer(
    name: str,
    learning_rate: float | None = None,
    *,
    clipnorm: float | None = None,
    clipvalue: float | None = None,
    ema_momentum: float | None = None,
) -> Any:
    """A fresh Keras optimizer from its name.

    With ``ema_momentum`` the optimizer keeps an exponential moving average of
    the weights (Keras ``use_ema``), which ``model.fit`` copies into the model
    at the end of training (Polyak averaging).

    Examples
    --------
    >>> opt = make_optimizer("adam", 1e-3, clipnorm=1.0)
    """
    from .._tf import keras

    k = keras()
    kwargs: dict[str, Any] = {}
    if learning_rate is not None:
        kwargs["learning_rate"] = learning_rate
    if clipnorm is not None:
        kwargs["clipnorm"] = clipnorm
    if clipvalue is not None:
        kwargs["clipvalue"] = clipvalue
    if ema_momentum is not None:
        kwargs["use_ema"] = True
        kwargs["ema_momentum"] = float(ema_momentum)
    return getattr(k.optimizers, OPTIMIZERS[name])(**kwargs)


def check_loss(loss: Any) -> Any:
    """Check ``loss`` without importing TensorFlow; returns it unchanged.

    Parameters
    ----------
    loss : str or callable
        A forecast loss name (:data:`forecast.networks._losses.LOSSES`,
        case-insensitive), a Keras loss name (:data:`KERAS_LOSSES`, case-sensitive
        as in Keras) or a callable (not checked further).

    Returns
    -------
    str or callable
        ``loss``.

    Raises
    ------
    ValueError
        If ``loss`` is a string that names no forecast or Keras loss.
    TypeError
        If ``loss`` is neither a string nor a callable.

    Examples
    --------
    >>> check_loss("smape"), check_loss("binary_crossentropy")
    ('smape', 'binary_crossentropy')
    >>> try:
    ...     check_loss("msee")
    ... except ValueError as err:
    ...     print(str(err).split(". ")[-1])
    Received: loss='msee'
    """
    from ..networks._losses import LOSSES  # no Keras import

    if isinstance(loss, str):
        if loss.lower() in LOSSES or loss in KERAS_LOSSES:
            return loss
        raise ValueError(
            "`loss` must be a Keras loss name, a forecast loss name or a callable. "
            f"Received: loss={describe(loss)}"
        )
    if callable(loss):
        return loss
    raise TypeError(f"`loss` must be a string or a callable. Received: loss={describe(loss)}")


def resolve_loss(loss: Any) -> Any:
    """Resolve ``loss`` (a string or a callable) to something ``model.compile`` accepts.

    Names known to :func:`forecast.networks._losses.get_loss` (``"smape"``,
    ``"mase"``, ...) are resolved there; other strings must be Keras loss names
    (:data:`KERAS_LOSSES`) and are passed on as they are.

    Parameters
    ----------
    loss : str or callable
        As accepted by :func:`check_loss`.

    Returns
    -------
    keras.losses.Loss, str or callable
        A forecast loss instance, a Keras loss name or ``loss`` itself.

    Raises
    ------
    ValueError
        If the name is unknown (before Keras is imported).
    TypeError
        If ``loss`` is neither a string nor a callable.

    Examples
    --------
    >>> type(resolve_loss("smape")).__name__
    'SMAPELoss'
    >>> resolve_loss("binary_crossentropy")  # a Keras name, checked and passed on
    'binary_crossentropy'
    """
    check_loss(loss)
    if not isinstance(loss, str):
        return loss
    from ..networks._losses import LOSSES, get_loss

    return get_loss(loss) if loss.lower() in LOSSES else loss


def resolve_strategy(distribution: Any) -> Any:
    """``None``/"default" -> the default strategy, "mirrored" -> MirroredStrategy, or as given.

    "mirrored" mirrors over all GPUs, or over all logical CPU devices when there is
    no GPU (configure them with ``tf.config.set_logical_device_configuration``
    before TensorFlow initialises).

    Examples
    --------
    >>> resolve_strategy(None)  # doctest: +ELLIPSIS
    <tensorflow...._DefaultDistributionStrategy ...>
    """
    from .._tf import tf

    t = tf()
    if distribution is None or distribution == "default":
        return t.distribute.get_strategy()
    if distribution == "mirrored":
        gpus = t.config.list_logical_devices("GPU")
        devices = [d.name for d in (gpus or t.config.list_logical_devices("CPU"))]
        return t.distribute.MirroredStrategy(devices=devices)
    if isinstance(distribution, t.distribute.Strategy):
        return distribution
    raise TypeError(
        "`distribution` must be None, 'default', 'mirrored' or a tf.distribute.Strategy. "
        f"Received: distribution={describe(distribution)}"
    )


def make_best_weights_callback(
    *,
    monitor: str,
    patience: int | None,
    restore: bool,
    checkpoint_dir: Path | None,
    state_extra: dict[str, Any] | None = None,
    best: float | None = None,
    best_epoch: int | None = None,
    best_weights: list | None = None,
) -> Any:
    """Callback tracking the best epoch: early stopping, best-weight restore, checkpoints.

    Parameters
    ----------
    monitor : str
        Log key to minimise (``"val_loss"`` or ``"loss"``).
    patience : int or None
        Stop after this many epochs without improvement (``None``: never stop).
    restore : bool
        Restore the best weights at the end of training.
    checkpoint_dir : Path or None
        Where ``best.keras`` (full model, optimizer included) and ``state.json``
        (epoch, best value) are written atomically at every improvement, so an
        interrupted run leaves the last best model loadable.
    state_extra : dict, optional
        Extra JSON written into ``state.json``.
    best : float, optional
        Best value so far (when resuming).
    best_epoch : int, optional
        Epoch of ``best`` (when resuming).
    best_weights : list of ndarray, optional
        Weights of ``best`` (when resuming: the checkpoint's), restored if no later
        epoch beats it.

    The weights of the best epoch are kept in memory whatever ``restore`` says, so
    that ``restore_best(force=True)`` (Ctrl-C) returns them; ``restore`` decides
    whether training ends with them. ``on_train_end`` marks the checkpoint finished
    (``"finished": true``, ``"last_epoch"``), so a later ``warm_start`` knows there is
    nothing to resume.

    Examples
    --------
    >>> cb = make_best_weights_callback(monitor="loss", patience=3, restore=True,
    ...                                 checkpoint_dir=None)
    """
    from .._tf import keras

    k = keras()

    class BestWeights(k.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.best = float("inf") if best is None else float(best)
            self.best_epoch: int | None = best_epoch
            self.best_weights: list | None = best_weights
            self.wait = 0
            self.epochs_seen = 0
            self.logs: list[dict[str, float]] = []

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            logs = {key: float(v) for key, v in (logs or {}).items()}
            self.logs.append(logs)
            self.epochs_seen += 1
            value = logs.get(monitor)
            if value is not None and value == value and value < self.best:  # NaN never wins
                self.best, self.best_epoch, self.wait = value, epoch, 0
                self.best_weights = self.model.get_weights()  # Ctrl-C returns them
                if checkpoint_dir is not None:
                    self._checkpoint(epoch)
                return
            self.wait += 1
            if patience is not None and self.wait >= patience:
                self.model.stop_training = True

        def _checkpoint(self, epoch: int) -> None:
            checkpoint_dir.mkdir(parents=True, exist_ok=True)
            with atomic_path(checkpoint_dir / "best.keras") as tmp:
                self.model.save(tmp)
            self._write_state()

        def _write_state(self, **extra: Any) -> None:
            state = {"epoch": self.best_epoch, "best": self.best, "monitor": monitor,
                     **(state_extra or {}), **extra}
            atomic_write_text(checkpoint_dir / "state.json", json.dumps(state))

        def restore_best(self, force: bool = False) -> None:
            if (restore or force) and self.best_weights is not None:
                self.model.set_weights(self.best_weights)

        def on_train_end(self, logs: dict | None = None) -> None:
            self.restore_best()
            if (checkpoint_dir is not None and self.best_epoch is not None
                    and (checkpoint_dir / "state.json").is_file()):
                self._write_state(finished=True, last_epoch=self.best_epoch + self.wait)

    return BestWeights()


#: weight averaging must forget the initial weights: after ``steps`` updates they keep
#: a share ``momentum ** steps`` of the average, at most ``exp(-EMA_SPAN_STEPS)`` (5 %)
EMA_SPAN_STEPS = 3.0


def ema_fits_steps(momentum: float, steps: int) -> bool:
    """Whether an average with ``momentum`` forgets the initial weights within ``steps``.

    Examples
    --------
    >>> ema_fits_steps(0.995, 750), ema_fits_steps(0.995, 50)
    (True, False)
    """
    return momentum ** max(steps, 1) <= math.exp(-EMA_SPAN_STEPS) * (1 + 1e-9)


def ema_momentum_for_steps(momentum: float, steps: int) -> float:
    """``momentum``, lowered where needed to ``exp(-3 / steps)`` so that the average
    forgets the initial weights within the ``steps`` (they keep at most 5 %).

    Examples
    --------
    >>> ema_momentum_for_steps(0.995, 750)
    0.995
    >>> round(ema_momentum_for_steps(0.995, 50), 4)
    0.9418
    """
    return min(momentum, math.exp(-EMA_SPAN_STEPS / max(steps, 1)))


def check_ema_momentum(value: Any) -> float | None:
    """Validate ``ema_momentum``: ``None`` (off) or a float in ``[0, 1)``. No TF.

    Raises
    ------
    TypeError
        If ``value`` is neither ``None`` nor a number.
    ValueError
        If it is outside ``[0, 1)``.

    Examples
    --------
    >>> check_ema_momentum(0.99)
    0.99
    >>> check_ema_momentum(None) is None
    True
    """
    if value is None:
        return None
    return check_fraction("ema_momentum", value, low=0.0, high=1.0)


def make_ema_swap_callback() -> Any:
    """Callback that shows the optimizer's weight average to validation and best-weight tracking.

    With ``use_ema`` Keras trains the live weights and only copies the moving
    average into the model when ``fit`` ends, so validation losses (and the weights
    an early-stopping callback keeps) would be those of the live weights, not of the
    model ``fit`` returns. This callback swaps the averaged weights in before every
    validation pass (and at the end of every epoch, for callbacks that read the
    weights there) and the live weights back before the next epoch trains: the
    training trajectory is unchanged, ``val_loss`` scores the averaged weights, and
    best-weight restoring restores averaged weights. Place it before those callbacks.

    Examples
    --------
    >>> cb = make_ema_swap_callback()
    """
    from .._tf import keras

    k = keras()

    class EMASwap(k.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.live: list | None = None
            self.training = False

        def on_train_begin(self, logs: dict | None = None) -> None:
            self.live, self.training = None, True

        def _swap_in(self) -> None:
            if self.live is None:
                variables = self.model.trainable_weights
                self.live = [v.numpy() for v in variables]
                self.model.optimizer.finalize_variable_values(variables)

        def on_test_begin(self, logs: dict | None = None) -> None:
            if self.training:
                self._swap_in()

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            self._swap_in()

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            if self.live is not None:
                for var, value in zip(self.model.trainable_weights, self.live, strict=True):
                    var.assign(value)
                self.live = None

        def on_train_end(self, logs: dict | None = None) -> None:
            self.live, self.training = None, False

    return EMASwap()


def cosine_decay_callback(learning_rate: float) -> Any:
    """A Keras callback setting the learning rate before every training step (half cosine).

    Step ``s`` of the ``S = epochs * steps`` steps of a ``model.fit`` call gets
    ``learning_rate * (1 + cos(pi * s / S)) / 2`` (from ``learning_rate`` down to
    almost 0); ``S`` is read from the fit's ``params``.

    Parameters
    ----------
    learning_rate : float
        Rate of the first step.

    Returns
    -------
    keras.callbacks.Callback

    Examples
    --------
    >>> cb = cosine_decay_callback(1e-3)
    """
    import math

    from .._tf import keras

    k = keras()
    lr0 = float(learning_rate)

    class CosineDecaySteps(k.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self._epoch = 0

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self._epoch = int(epoch)

        def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
            steps = self.params.get("steps") or 1
            total = max(int(self.params.get("epochs") or 1) * int(steps), 1)
            done = min(self._epoch * int(steps) + int(batch), total)
            self.model.optimizer.learning_rate.assign(
                lr0 * 0.5 * (1.0 + math.cos(math.pi * done / total))
            )

    return CosineDecaySteps()
