"""Undoing a failed ``fit``: the attributes it set and, for a Keras network refitted in
place, its weights (shared by the estimators and the forecasters)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["state_kept_on_error", "estimator_kept_on_error"]


@contextlib.contextmanager
def state_kept_on_error(
    model: Any, errors: tuple[type[BaseException], ...] = (BaseException,)
) -> Iterator[None]:
    """Undo every attribute a failed ``fit`` set, so that ``model`` stays as it was.

    A refit that raises must not leave a model that predicts from its previous
    parameters under the new series' index (or half of a new fit): the fitted
    attributes are restored, or removed when there were none. Only ``errors`` are
    undone (an estimator lets ``KeyboardInterrupt`` keep the weights trained so far).

    Examples
    --------
    >>> class Model:
    ...     pass
    >>> model = Model()
    >>> try:
    ...     with state_kept_on_error(model):
    ...         model.cutoff_ = 9
    ...         raise ValueError("bad series")
    ... except ValueError:
    ...     pass
    >>> hasattr(model, "cutoff_")
    False
    """
    before = dict(model.__dict__)
    try:
        yield
    except errors:
        model.__dict__.clear()
        model.__dict__.update(before)
        raise


@contextlib.contextmanager
def estimator_kept_on_error(
    estimator: Any, errors: tuple[type[BaseException], ...] = (BaseException,)
) -> Iterator[None]:
    """Like :func:`state_kept_on_error` for a fitted estimator that a refit reuses in
    place: its attributes and, for a Keras estimator, its network's weights and its
    optimizer's state (step count, moments).

    A forecaster refits its previous estimator object when the parameters are
    unchanged (no rebuild); if that refit raises, or is interrupted, the network would
    otherwise keep half-trained weights under the forecaster's restored series.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> est = LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0])
    >>> try:
    ...     with estimator_kept_on_error(est):
    ...         _ = est.fit([[0.0], [1.0]], [5.0, 1.0])  # slope -4
    ...         raise KeyboardInterrupt
    ... except KeyboardInterrupt:
    ...     pass
    >>> round(float(est.coef_[0]), 6)
    1.0
    """
    if estimator is None:
        yield
        return
    before = dict(estimator.__dict__)
    network = before.get("model_")
    weights = network.get_weights() if callable(getattr(network, "get_weights", None)) else None
    optimizer = getattr(network, "optimizer", None)
    moments = [v.numpy() for v in getattr(optimizer, "variables", None) or []]
    try:
        yield
    except errors:
        estimator.__dict__.clear()
        estimator.__dict__.update(before)
        if weights is not None:
            network.set_weights(weights)
        if moments and getattr(network, "optimizer", None) is optimizer:  # step, moments
            for variable, value in zip(optimizer.variables, moments, strict=False):
                if tuple(variable.shape) == value.shape:
                    variable.assign(value)
        raise
