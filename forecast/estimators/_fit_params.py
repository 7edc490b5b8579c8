"""The training hyperparameters of the Keras estimators and their checks (no TensorFlow).

:class:`TrainingParams` is a mixin of ``BaseKerasEstimator``: it reads each training
hyperparameter from the estimator (or :data:`TRAINING_DEFAULTS` when a subclass omits
it) and checks them all before TensorFlow is imported, so a bad value is an error that
names it, never a TensorFlow error.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .._validation import (
    check_fraction,
    check_non_negative_int,
    check_numeric_array,
    check_option,
    check_positive_int,
    check_positive_number,
    check_seed,
    describe,
)
from ._checkpoint import check_checkpoint_dir
from ._training import OPTIMIZERS, check_loss

__all__ = ["TrainingParams", "TRAINING_DEFAULTS"]

#: training hyperparameters understood by the base class and their defaults
TRAINING_DEFAULTS: dict[str, Any] = {
    "optimizer": "adam",
    "learning_rate": 1e-3,
    "loss": None,
    "clipnorm": None,
    "clipvalue": None,
    "batch_size": 32,
    "epochs": 10,
    "validation_fraction": 0.0,
    "early_stopping": False,
    "patience": 5,
    "checkpoint_dir": None,
    "random_state": None,
    "verbose": 0,
    "warm_start": False,
    "shuffle": True,
    "distribution": None,
    "callbacks": None,
    "run_eagerly": False,
    "learning_rate_schedule": "constant",
}


class TrainingParams:
    """Reading and checking the training hyperparameters (a mixin; no TensorFlow).

    Examples
    --------
    >>> from forecast.estimators import LSTMRegressor
    >>> LSTMRegressor(epochs=3)._validate_training_params()["epochs"]
    3
    """

    def _param(self, name: str) -> Any:
        return getattr(self, name, TRAINING_DEFAULTS[name])

    def _validate_training_params(self) -> dict[str, Any]:
        """Check the training hyperparameters; returns them normalised. No TF."""
        p: dict[str, Any] = {}
        p["optimizer"] = check_option("optimizer", self._param("optimizer"), tuple(OPTIMIZERS))
        lr = self._param("learning_rate")
        p["learning_rate"] = None if lr is None else check_positive_number("learning_rate", lr)
        for name in ("clipnorm", "clipvalue"):  # None: no clipping
            v = self._param(name)
            p[name] = None if v is None else check_positive_number(name, v)
        if p["clipnorm"] is not None and p["clipvalue"] is not None:  # Keras refuses both
            raise ValueError(
                "Only one of `clipnorm` and `clipvalue` can be set (set the other to None). "
                f"Received: clipnorm={p['clipnorm']!r}, clipvalue={p['clipvalue']!r}"
            )
        loss = self._param("loss")
        if loss is not None and not (isinstance(loss, str) or callable(loss)):
            raise TypeError(
                f"`loss` must be a string, a callable or None. Received: loss={describe(loss)}"
            )
        p["loss"] = None if loss is None else check_loss(loss)  # names checked without TF
        p["batch_size"] = check_positive_int("batch_size", self._param("batch_size"))
        p["epochs"] = check_positive_int("epochs", self._param("epochs"))
        p["validation_fraction"] = check_fraction(
            "validation_fraction", self._param("validation_fraction")
        )
        p["patience"] = check_non_negative_int("patience", self._param("patience"))
        p["verbose"] = check_option("verbose", self._param("verbose"), (0, 1, 2, False, True))
        for name in ("early_stopping", "warm_start", "shuffle"):
            v = self._param(name)
            if not isinstance(v, bool | np.bool_):
                raise TypeError(f"`{name}` must be a bool. Received: {name}={describe(v)}")
            p[name] = bool(v)
        rs = self._param("random_state")
        if rs is not None:
            check_seed("random_state", rs)
        p["random_state"] = rs
        ckpt = self._param("checkpoint_dir")
        if ckpt is not None and not isinstance(ckpt, str | os.PathLike):
            raise TypeError(
                "`checkpoint_dir` must be a path or None. "
                f"Received: checkpoint_dir={describe(ckpt)}"
            )
        p["checkpoint_dir"] = None if ckpt is None else check_checkpoint_dir(ckpt)
        dist = self._param("distribution")
        if isinstance(dist, str):
            check_option("distribution", dist, ("mirrored", "default"))
        p["distribution"] = dist
        eager = self._param("run_eagerly")
        if not isinstance(eager, bool | np.bool_):
            raise TypeError(
                f"`run_eagerly` must be a bool. Received: run_eagerly={describe(eager)}"
            )
        p["run_eagerly"] = bool(eager)
        p["callbacks"] = self._check_callbacks(self._param("callbacks"))
        p["learning_rate_schedule"] = self._learning_rate_schedule()
        if p["learning_rate_schedule"] == "cosine" and p["learning_rate"] is None:
            raise ValueError(
                "`learning_rate_schedule='cosine'` needs a `learning_rate`. "
                "Received: learning_rate=None"
            )
        return p

    @staticmethod
    def _check_callbacks(callbacks: Any) -> list:
        """``callbacks`` as a list, each item a Keras callback (duck-typed: no TF)."""
        if callbacks is None:
            return []
        message = ("`callbacks` must be a list of keras.callbacks.Callback. "
                   f"Received: callbacks={describe(callbacks)}")
        if not isinstance(callbacks, list | tuple):
            raise TypeError(message)
        for i, item in enumerate(callbacks):
            if not all(callable(getattr(item, attr, None)) for attr in ("set_model", "set_params")):
                raise TypeError(f"{message} (item {i}: {describe(item)})")
        return list(callbacks)

    def _learning_rate_schedule(self) -> str:
        """``"constant"`` or ``"cosine"`` (a subclass may resolve more values, e.g. "auto")."""
        return check_option(
            "learning_rate_schedule",
            self._param("learning_rate_schedule"),
            ("constant", "cosine"),
        )

    @staticmethod
    def _check_sample_weight(sample_weight: Any, n: int) -> np.ndarray | None:
        if sample_weight is None:
            return None
        sw = check_numeric_array("sample_weight", sample_weight, ndim=1, dtype=np.float32)
        if sw.shape[0] != n:
            raise ValueError(
                f"`sample_weight` must have one weight per sample ({n}). "
                f"Received: sample_weight with shape {sw.shape}"
            )
        if (sw < 0).any():
            raise ValueError("`sample_weight` must be non-negative. Received negative weights.")
        if n and not sw.any():
            raise ValueError("`sample_weight` is all zeros: at least one must be positive.")
        return sw
