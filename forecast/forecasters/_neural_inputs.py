"""Input checks of :class:`~forecast.forecasters.NeuralForecaster`.

Its parameters (checked in ``fit``, as scikit-learn does), its targets, past and
known-future covariates, and the labels of rows added by ``update``: every
error names the parameter and the value received before any array reaches the
estimator.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    check_option,
    check_positive_int,
    check_seed,
    check_series,
    describe,
    describe_index,
)
from ._base import future_index
from ._neural_windows import SCALERS


def check_covariate_frame(name: str, X: pd.DataFrame, columns: list[str]) -> None:
    """Raise if ``X`` has duplicate labels or a non-numeric column among ``columns``."""
    if X.index.has_duplicates:
        dup = X.index[X.index.duplicated()][0]
        raise ValueError(f"`{name}` has duplicate index labels, e.g. {dup!r}. Drop or "
                         f"aggregate them first (e.g. {name}.groupby(level=0).mean()).")
    for col in columns:
        dtype = X[col].dtype
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
            raise ValueError(f"`{name}[{col!r}]` must be numeric (encode categories as "
                             f"numbers first). Received: {name}[{col!r}] of dtype {dtype}")


def unlabelled(index: pd.Index) -> bool:
    """Whether ``index`` is pandas' default ``0, 1, ...`` (rows carry no labels)."""
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def is_integer_index(index: pd.Index) -> bool:
    """Whether a series' labels are integers (so integer labels of ``X`` are labels too)."""
    return not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex))



def check_panel_dict(name: str, X: Any, panel: bool) -> None:
    """Raise a TypeError unless ``X`` (when given) is a dict exactly for a panel.

    Examples
    --------
    >>> check_panel_dict("X", None, panel=True)
    >>> try:
    ...     check_panel_dict("X", {"a": None}, panel=False)
    ... except TypeError as err:
    ...     print(str(err).split(". ")[-1])
    Received: X=dict with keys ['a']
    """
    if X is not None and isinstance(X, dict) != panel:
        what = f"dict with keys {list(X)[:5]}" if isinstance(X, dict) else describe(X)
        raise TypeError(f"`{name}` must be a dict exactly when the model was fitted on a panel "
                        f"(it was{'' if panel else ' not'}). Received: {name}={what}")

class NeuralInputChecks:
    """Mixin of :class:`NeuralForecaster`: checks of its parameters and inputs.

    ``_check_params`` stores the checked values the forecaster works with
    (``_w``, ``_h``, ``_m``, ``_lw``, ``_cycle``, ``_vs``, ``_stride``, ``_fc``).
    """

    def _check_params(self) -> None:
        if not (hasattr(self.estimator, "fit") and hasattr(self.estimator, "predict")):
            raise TypeError(
                "`estimator` must have fit and predict methods. "
                f"Received: estimator={describe(self.estimator)}"
            )
        self._w = check_positive_int("window", self.window)
        self._h = check_positive_int("horizon", self.horizon)
        check_option("scaler", self.scaler, SCALERS)
        check_option("strategy", self.strategy, ("mimo", "recursive"))
        self._m = check_positive_int("season_length", self.season_length)
        lw = self._m if self.level_window is None else self.level_window
        self._lw = min(check_positive_int("level_window", lw), self._w)
        self._cycle = None
        if self.cycle_length is not None:
            self._cycle = check_positive_int("cycle_length", self.cycle_length)
            if self.scaler in ("mean", "log"):
                raise ValueError(
                    f"`cycle_length` removes an additive cycle, which leaves values that "
                    f"scaler={self.scaler!r} (ratios of positive values) cannot take; use "
                    f"scaler='last', 'standard' or None. Received: "
                    f"cycle_length={self.cycle_length!r}, scaler={self.scaler!r}"
                )
        if not isinstance(self.validation, bool | np.bool_):
            raise TypeError(
                f"`validation` must be a bool. Received: validation={self.validation!r}"
            )
        vs = self._h if self.validation_steps is None else self.validation_steps
        self._vs = check_positive_int("validation_steps", vs) if self.validation else 0
        if self.validation and self._vs < self._h:
            raise ValueError(
                f"`validation_steps` must be >= horizon ({self._h}). "
                f"Received: validation_steps={self.validation_steps!r}"
            )
        check_option("weighting", self.weighting, (None, "mase"))
        self._stride = check_positive_int("stride", self.stride)
        check_option("series_features", self.series_features, (None, "onehot", "embedding"))
        if self.random_state is not None:
            check_seed("random_state", self.random_state)
        fc = self.future_covariates
        if fc is not None and (isinstance(fc, str) or not all(isinstance(c, str) for c in fc)):
            raise TypeError(
                "`future_covariates` must be a list of column names. "
                f"Received: future_covariates={describe(fc)}"
            )
        self._fc = list(fc or [])
        if self._fc and self._w < self._h:
            raise ValueError(
                f"`future_covariates` need window >= horizon ({self._h}). "
                f"Received: window={self._w}"
            )

    def _check_target(self, name: str, y: Any) -> tuple[pd.Series | pd.DataFrame, np.ndarray]:
        data = check_series(name, y, min_length=1)
        values = data.to_numpy(dtype=float, copy=True).reshape(len(data), -1)
        if self.scaler in ("mean", "log") and (values <= 0).any():
            pos = int(np.argwhere(values <= 0)[0][0])
            raise ValueError(
                f"scaler={self.scaler!r} needs a positive series; `{name}` has "
                f"{values[pos].tolist()} at position {pos}. Use scaler='standard' or 'last'."
            )
        return data, values

    def _check_covariates(self, name: str, X: Any, index: pd.Index) -> tuple[Any, Any]:
        """Split ``X`` aligned to ``index`` into past and known arrays."""
        if X is None:
            if self.fitted_cov_:
                raise ValueError(
                    f"`{name}` must hold the covariates {self.fitted_cov_} the model was "
                    f"fitted with. Received: {name}=None"
                )
            return None, None
        if not isinstance(X, pd.DataFrame):
            raise TypeError(f"`{name}` must be a pandas DataFrame. Received: {name}={describe(X)}")
        missing = [c for c in self.fitted_cov_ if c not in X.columns]
        if missing:
            raise ValueError(f"`{name}` lacks the covariate column(s) {missing}. "
                             f"Received columns {list(X.columns)[:10]}")
        check_covariate_frame(name, X, self.fitted_cov_)
        if not index.isin(X.index).all():
            lost = index[~index.isin(X.index)][0]
            raise ValueError(f"`{name}` must cover every timestamp of the series; "
                             f"{lost!r} is missing. Received: {name}={describe(X)}")
        sub = X.loc[index]
        past_cols = [c for c in self.fitted_cov_ if c not in self._fc]
        out = []
        for cols in (past_cols, self._fc):
            if not cols:
                out.append(None)
                continue
            arr = sub[cols].to_numpy(dtype=float)
            if not np.isfinite(arr).all():
                row, col = np.argwhere(~np.isfinite(arr))[0]
                raise ValueError(
                    f"`{name}` must be finite on the rows the model reads (fill or drop them "
                    f"first). Received: {name}[{cols[col]!r}] = {arr[row, col]} at "
                    f"{sub.index[row]!r}"
                )
            out.append(arr)
        return out[0], out[1]

    def _future_known(self, key: Any, X: Any, rows: int) -> np.ndarray | None:
        s = self._series[key]
        if s.known is None:
            return None
        check_panel_dict("X", X, key is not None)
        xs = X.get(key) if isinstance(X, dict) else X
        name = "X" if key is None else f"X[{key!r}]"
        if xs is None:
            got = f"{name}=None" if X is None or key is None or key in X else (
                f"X without the key {key!r}")
            raise ValueError(f"`{name}` must give the future covariates {self._fc} for the "
                             f"{rows} steps after the cutoff. Received: {got}")
        if not isinstance(xs, pd.DataFrame):
            raise TypeError(f"`{name}` must be a pandas DataFrame. Received: {name}={describe(xs)}")
        missing = [c for c in self._fc if c not in xs.columns]
        if missing:
            raise ValueError(f"`{name}` lacks the future covariate column(s) {missing}. "
                             f"Received columns {list(xs.columns)[:10]}")
        check_covariate_frame(name, xs, self._fc)
        fut = future_index(s.index, rows)
        if fut.isin(xs.index).all():
            arr = xs.loc[fut, self._fc].to_numpy(dtype=float)
        elif len(xs) >= rows and unlabelled(xs.index) and not is_integer_index(s.index):
            arr = xs[self._fc].to_numpy(dtype=float)[:rows]
        else:
            positional = "" if is_integer_index(s.index) else (
                f", or be an unlabelled frame (index 0, 1, ...) of at least {rows} rows read "
                "by position")
            raise ValueError(
                f"`{name}` must cover the {rows} steps after the cutoff "
                f"({fut[0]!r} .. {fut[-1]!r}) by its index{positional}. "
                f"Received: {name}={describe(xs)} with index {describe_index(xs.index)}")
        if not np.isfinite(arr).all():
            row, col = np.argwhere(~np.isfinite(arr))[0]
            raise ValueError(f"`{name}` has NaN or infinite future covariates. Received: "
                             f"{name}[{self._fc[col]!r}] = {arr[row, col]} at future step {row}")
        return arr


def after_cutoff(name: str, index: pd.Index, fitted: pd.Index, indexed: bool) -> np.ndarray:
    """Mask of ``index`` past the last fitted label; a clear error when they don't compare."""
    try:
        return np.asarray(index > fitted[-1], dtype=bool)
    except (TypeError, ValueError):
        how = "a pandas object indexed" if indexed else "an array (positions 0, 1, ...)"
        raise TypeError(
            f"`{name}` must be indexed like the fitted series ({type(fitted).__name__} ending "
            f"at the cutoff {fitted[-1]!r}) to be placed after it. Received: {how} with a "
            f"{type(index).__name__}; pass a pandas Series indexed after the cutoff."
        ) from None
