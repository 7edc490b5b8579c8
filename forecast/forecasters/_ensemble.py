"""Forecast combination: the weighted mean (or the median) of several forecasters."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.validation import check_is_fitted

from .._validation import check_option, check_series, describe
from ._base import future_index, state_kept_on_error, uses_covariates

__all__ = ["EnsembleForecaster"]


class EnsembleForecaster(_BaseComposition):
    """Combine the forecasts of several forecasters fitted to the same data.

    Each member is cloned and fitted on ``y``; ``predict`` returns the weighted mean
    (or the median) of the members' forecasts, step by step, in the members' own
    output format (a Series, a DataFrame, or a dict of them for a panel). Equal
    weights are the classic forecast combination, hard to beat with weights fitted on
    the same data. Member parameters are reachable as ``<name>__<param>`` (grid search).

    Parameters
    ----------
    forecasters : list of (str, forecaster)
        Named members: anything with ``fit(y[, X])`` and ``predict(horizon[, X])``.
        Names are unique and contain no ``"__"``.
    weights : sequence of float, optional
        One non-negative weight per member (normalised to sum to 1). ``None``: equal.
    aggregation : {"mean", "median"}, default="mean"
        ``"median"`` is robust to one poor member; it takes no ``weights``.

    Attributes
    ----------
    forecasters_ : list of (str, forecaster)
        The fitted clones.
    weights_ : ndarray of shape (n_forecasters,)
        The normalised weights (``None`` for the median).
    cutoff_ : object
        The last training label (a dict of them for a panel).

    Examples
    --------
    >>> import pandas as pd
    >>> from forecast.forecasters import Drift, EnsembleForecaster, Naive
    >>> y = pd.Series([1.0, 2.0, 3.0, 4.0])
    >>> ens = EnsembleForecaster([("naive", Naive()), ("drift", Drift())]).fit(y)
    >>> ens.predict(2).tolist()
    [4.5, 5.0]
    """

    def __init__(
        self,
        forecasters: list[tuple[str, Any]],
        weights: Any = None,
        aggregation: str = "mean",
    ) -> None:
        self.forecasters = forecasters
        self.weights = weights
        self.aggregation = aggregation

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters, with each member's as ``<name>__<param>`` when ``deep``.

        Parameters
        ----------
        deep : bool, default=True
            Also return every member (under its name) and its parameters
            (``<name>__<param>``).

        Returns
        -------
        dict
            Parameter name -> value.
        """
        return self._get_params("forecasters", deep=deep)

    def set_params(self, **params: Any) -> EnsembleForecaster:
        """Set parameters, including members' (``<name>__<param>``) and whole members.

        Parameters
        ----------
        **params
            Ensemble parameters (``forecasters``, ``weights``, ...), a whole member
            by its name (``naive=Naive()``) or a member's parameter
            (``naive__season_length=12``).

        Returns
        -------
        self
            The ensemble.
        """
        self._set_params("forecasters", **params)
        return self

    def _check_params(self) -> np.ndarray | None:
        members = self.forecasters
        if not isinstance(members, list | tuple) or not members or not all(
            isinstance(m, tuple) and len(m) == 2 and isinstance(m[0], str) for m in members
        ):
            raise ValueError("`forecasters` must be a non-empty list of (name, forecaster) "
                             f"pairs. Received: forecasters={describe(members)}")
        names = [name for name, _ in members]
        if len(set(names)) != len(names) or any("__" in n or not n for n in names):
            raise ValueError("`forecasters` names must be unique, non-empty and free of "
                             f"'__'. Received names: {names}")
        for name, f in members:
            if not (hasattr(f, "fit") and hasattr(f, "predict")):
                raise TypeError(f"Member {name!r} must have fit and predict. "
                                f"Received: {describe(f)}")
        check_option("aggregation", self.aggregation, ("mean", "median"))
        if self.weights is None:
            return None if self.aggregation == "median" else np.full(len(members),
                                                                       1 / len(members))
        if self.aggregation == "median":
            raise ValueError("aggregation='median' takes no `weights`. "
                             f"Received: weights={describe(self.weights)}")
        try:
            w = np.asarray(self.weights, dtype=float)
        except (TypeError, ValueError):
            w = np.array([np.nan])
        if (w.shape != (len(members),) or not np.isfinite(w).all() or (w < 0).any()
                or w.sum() <= 0):
            raise ValueError(f"`weights` must be {len(members)} finite non-negative numbers "
                             f"with a positive sum. Received: weights={describe(self.weights)}")
        return w / w.sum()

    def _uses_covariates(self, method: str) -> bool:
        try:
            members = [f for _, f in self.forecasters]
        except (TypeError, ValueError):  # malformed: fit says why
            return True
        return any(uses_covariates(f, method) for f in members)

    def fit(self, y: Any, X: Any = None) -> EnsembleForecaster:
        """Clone and fit every member on ``y`` (and ``X`` when given).

        Parameters
        ----------
        y : pandas.Series, pandas.DataFrame, or dict of them (a panel)
            What every member is fitted on.
        X : pandas.DataFrame or dict of them, optional
            Covariates, passed to the members that use them (not to the statistical
            baselines); a ValueError when no member does.

        Returns
        -------
        self
        """
        with state_kept_on_error(self):
            self.weights_ = self._check_params()
            members = [(name, clone(f)) for name, f in self.forecasters]
            _check_covariates("fit", members, X)
            self.forecasters_ = [(name, _call(f, "fit", y, X)) for name, f in members]
            # members without ``update`` are refitted on the extended history by ``update``
            self._y = _copy("y", y)
            self._X = _copy("X", X)
            self.cutoff_ = self.forecasters_[0][1].cutoff_
        return self

    def predict(self, horizon: int | None = None, X: Any = None) -> Any:
        """The combined forecast of the ``horizon`` steps after the cutoff.

        Parameters
        ----------
        horizon : int, optional
            Steps to forecast (``None``: each member's own default, which must agree).
        X : pandas.DataFrame or dict of them, optional
            Future covariates, passed to the members that take them (a neural
            model with ``future_covariates``); a ValueError when no member does.

        Returns
        -------
        pandas.Series, pandas.DataFrame or dict of them
            The members' format, indexed by the future labels.
        """
        check_is_fitted(self, "forecasters_")
        _check_covariates("predict", self.forecasters_, X)
        preds = [_call(f, "predict", horizon, X) for _, f in self.forecasters_]
        return self._combine(preds)

    def update(self, y: Any, X: Any = None) -> EnsembleForecaster:
        """Add observations after the cutoff to every member.

        Members with ``update`` (e.g. :class:`NeuralForecaster`) keep their weights;
        the others are refitted on the training data extended by the new rows. Every
        member is updated or refitted as a copy, and the copies replace the members only
        when all of them succeed: a failed update leaves the ensemble as it was (for a
        member of your own class, as long as its ``update`` assigns new attributes
        rather than editing the old ones in place).

        Parameters
        ----------
        y : pandas.Series, pandas.DataFrame, array-like or dict of them
            New rows (rows up to the cutoff are ignored, so the extended series works).
            An array has no index: as in ``fit``, it is read from the first position,
            so it must be the whole extended series of an ensemble fitted on an array
            (pandas with timestamps otherwise: a TypeError).
        X : pandas.DataFrame or dict of them, optional
            Covariates of the new rows.

        Returns
        -------
        self
        """
        check_is_fitted(self, "forecasters_")
        _check_covariates("update", self.forecasters_, X)
        new_y = _extend("y", self._y, y)
        new_X = None if X is None or self._X is None else _extend("X", self._X, X)
        # update (shallow) copies and refit clones: a member that fails leaves every
        # member, and so the ensemble, as it was
        members = [(name, _updated(f, y, X) if hasattr(f, "update")
                     else _call(clone(f), "fit", new_y, new_X))
                   for name, f in self.forecasters_]
        self.forecasters_, self._y, self._X = members, new_y, new_X
        self.cutoff_ = self.forecasters_[0][1].cutoff_
        return self

    def _combine(self, preds: list[Any]) -> Any:
        first = preds[0]
        if isinstance(first, dict):
            bad = next((i for i, p in enumerate(preds)
                        if not isinstance(p, dict) or p.keys() != first.keys()), None)
            if bad is not None:
                got = sorted(preds[bad]) if isinstance(preds[bad], dict) else describe(preds[bad])
                raise ValueError(
                    f"Every member must forecast the series ids of the first member "
                    f"({self.forecasters_[0][0]!r}: {sorted(first)[:5]}). Received from "
                    f"{self.forecasters_[bad][0]!r}: {got}")
            return {k: self._combine([p[k] for p in preds]) for k in first}
        for (name, _), p in zip(self.forecasters_, preds, strict=True):
            if type(p) is not type(first) or not p.index.equals(first.index) or (
                    isinstance(p, pd.DataFrame) and not p.columns.equals(first.columns)):
                raise ValueError(
                    f"Member {name!r} forecasts {describe(p)} indexed {list(p.index[:2])}..., "
                    f"the first member {describe(first)} indexed {list(first.index[:2])}...; "
                    "pass the same `horizon` to every member (or to predict).")
        stack = np.stack([np.asarray(p, dtype=float) for p in preds])
        if self.weights_ is None:
            values = np.median(stack, axis=0)
        else:
            values = np.tensordot(self.weights_, stack, axes=1)
        if isinstance(first, pd.DataFrame):
            return pd.DataFrame(values, index=first.index, columns=first.columns)
        return pd.Series(values, index=first.index, name=first.name)


def _check_covariates(method: str, members: list[tuple[str, Any]], X: Any) -> None:
    if X is not None and not any(uses_covariates(f, method) for _, f in members):
        raise ValueError(
            f"No member's {method} uses covariates, so `X` would be ignored: "
            f"{[name for name, _ in members]}. Received: X={describe(X)}")


def _call(member: Any, method: str, data: Any, X: Any) -> Any:
    """``member.method(data[, X])``: ``X`` only to the members that use it (the
    statistical baselines take none; a neural model predicts with future covariates
    only)."""
    bound = getattr(member, method)
    if X is None or not uses_covariates(member, method):
        return bound(data)
    return bound(data, X)


def _updated(member: Any, y: Any, X: Any) -> Any:
    """A shallow copy of ``member`` with ``update`` applied; ``member`` is unchanged."""
    updated = copy.copy(member)
    _call(updated, "update", y, X)
    return updated


def _copy(name: str, data: Any) -> Any:
    """A copy of the training data ``name`` as pandas (arrays wrapped as the forecasters
    do)."""
    if isinstance(data, dict):
        return {k: _copy(name, v) for k, v in data.items()}
    if data is None:
        return None
    return check_series(name, data, allow_nan=True, require_freq=False).copy()


def _extend(name: str, old: Any, new: Any) -> Any:
    """``old`` followed by the rows of ``new`` after its last label."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            raise TypeError(f"`{name}` must be a dict for a panel. Received: {describe(new)}")
        unknown = [k for k in new if k not in old]
        if unknown:
            raise ValueError(f"Unknown series id(s) {unknown[:5]} in `{name}`.")
        return {k: _extend(name, v, new[k]) if k in new else v for k, v in old.items()}
    if not isinstance(new, pd.Series | pd.DataFrame):
        if not old.index.equals(pd.RangeIndex(len(old))):
            raise TypeError(f"`{name}` must be a pandas Series or DataFrame with the labels "
                            f"after the cutoff. Received: {describe(new)}")
        # fitted on an array (or positions): an array is the whole extended series, read
        # from the first position as in fit
        new = check_series(name, new, allow_nan=True, require_freq=False)
        if len(new) <= len(old):
            raise ValueError(
                f"`{name}` given as an array has no index, so it must be the whole extended "
                f"series, longer than the {len(old)} observations fitted (or a pandas "
                f"object indexed after the cutoff). Received: {describe(new)}")
    rows = new[new.index > old.index[-1]]
    expected = future_index(old.index, max(len(rows), 1))
    if len(rows) and not rows.index.equals(expected):
        raise ValueError(f"`{name}` must continue the series after {old.index[-1]!r} without "
                         f"gaps (expected {expected[0]!r} next). Received: {name} with new "
                         f"rows from {rows.index[0]!r}")
    out = pd.concat([old, rows])
    if isinstance(out, pd.Series):
        out.name = old.name
    return out
