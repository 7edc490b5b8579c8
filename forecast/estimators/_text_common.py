"""Helpers shared by the text estimators (tagger, generator, translator).

The text estimators subclass :class:`~forecast.estimators._base.BaseKerasEstimator`
for parameters, training, early stopping, seeding, weight re-initialisation and
persistence; this module adds what only they need: the common ``__init__``
training parameters' docstring, a cached compiled (``tf.function``) forward pass
used by the decoding loops, and pickling that drops that cache.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_units
from ._base import BaseKerasEstimator

__all__ = ["TextEstimatorBase", "TRAINING_PARAMS_DOC"]

TRAINING_PARAMS_DOC = """
    optimizer : str, default="adam"
    learning_rate : float, default=1e-3
    loss : str or callable, optional
        Default: sparse categorical cross-entropy (padded positions are masked).
    clipnorm, clipvalue : float, optional
        Gradient clipping (by norm or by value: at most one of them).
    batch_size : int, default=32
    epochs : int
    validation_fraction : float in [0, 1), default=0.0
        Fraction of the samples (the TAIL, in the given order) held out for
        early stopping; shuffle your data first if it is sorted.
    early_stopping : bool, default=False
    patience : int, default=5
    checkpoint_dir : str or path-like, optional
        Where the best model is saved at each improvement; ``warm_start=True``
        resumes an interrupted run from it (as for
        :class:`~forecast.estimators.RNNRegressor`, which documents the details).
    random_state : int, optional
        Seed for weights, dropout, shuffling (and sampling where relevant).
    verbose : {0, 1, 2}, default=0
    warm_start : bool, default=False
        Continue from the fitted weights, and keep the fitted vocabulary, tags and
        lengths (so every embedding row keeps its token; new tokens read as OOV).
    shuffle : bool, default=True
    distribution : None, "mirrored" or tf.distribute.Strategy, optional
    callbacks : list of keras.callbacks.Callback, optional
    run_eagerly : bool, default=False
        Train and decode eagerly instead of tracing ``tf.function`` graphs: faster
        for toy data (no tracing per new model), much slower on real data.
"""


class TextEstimatorBase(BaseKerasEstimator):
    """Base of the text estimators: compiled forward functions and cache-free pickling."""

    _CACHE_KEY = "_compiled_cache"

    def _keeps_vocabulary(self) -> bool:
        """Whether ``fit`` keeps the fitted vocabulary: with ``warm_start`` the trained
        embedding rows must keep meaning the same tokens (new tokens map to OOV)."""
        return self.warm_start is True and hasattr(self, "model_")

    def _sample_weight_per_target(self, sw: np.ndarray | None, y: Any) -> np.ndarray | None:
        # the loss is per token: each sequence's weight goes to all its target tokens
        return None if sw is None else np.repeat(sw[:, None], y.shape[1], axis=1)

    def _default_loss(self) -> str:
        return "sparse_categorical_crossentropy"

    def _compiled(self, name: str, factory: Any) -> Any:
        """A ``tf.function`` built by ``factory(model)``, cached per model object (and
        per ``run_eagerly``, which :meth:`_graph` reads while the factory runs)."""
        cache = self.__dict__.setdefault(self._CACHE_KEY, {})
        key = (name, id(self.model_), self._param("run_eagerly") is True)
        if key not in cache:
            for stale in [k for k in cache if k[1] != id(self.model_)]:
                del cache[stale]
            cache[key] = factory(self.model_)
        return cache[key]

    def _graph(self, **kwargs: Any) -> Any:
        """Decorator: ``tf.function(**kwargs)``, or the plain function when
        ``run_eagerly=True`` (decoding then traces nothing, like training)."""
        if self._param("run_eagerly") is True:
            return lambda fn: fn
        from .._tf import tf

        return tf().function(**kwargs)

    def _forward(self) -> Any:
        """Compiled ``model(inputs, training=False)`` with a fixed input signature."""
        from .._tf import tf

        def factory(model: Any) -> Any:
            t = tf()
            specs = [t.TensorSpec((None, *inp.shape[1:]), t.int32) for inp in model.inputs]

            @self._graph(input_signature=specs, reduce_retracing=True)
            def forward(*xs: Any) -> Any:
                return model(list(xs) if len(xs) > 1 else xs[0], training=False)

            return forward

        return self._compiled("forward", factory)

    def _predict_probs(self, *arrays: np.ndarray, chunk: int = 256) -> list[np.ndarray]:
        """Per-position probabilities in chunks (keeps (n, T, V) memory bounded)."""
        forward = self._forward()
        n = len(arrays[0])
        outs = []
        for start in range(0, n, chunk):
            outs.append(np.asarray(forward(*(a[start : start + chunk] for a in arrays))))
        return outs

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop(self._CACHE_KEY, None)
        return state

    @staticmethod
    def _check_units(value: Any) -> tuple[int, ...]:
        return check_units("units", value)
