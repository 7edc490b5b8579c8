"""``NeuralForecaster.update``: append observations after the cutoff, no refit.

The new rows are checked for every series before any series changes (labels after
the cutoff, no gaps, target columns, covariates), then stored as new records, so a
shallow copy of the forecaster taken before the update keeps the old history.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Self

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .._validation import describe
from ._base import future_index
from ._cycle import profile_at
from ._neural_inputs import after_cutoff, check_panel_dict

__all__ = ["NeuralUpdate"]


class NeuralUpdate:
    """The ``update`` of :class:`~forecast.forecasters.NeuralForecaster` (a mixin: it
    reads the forecaster's held series, ``_check_target`` and ``_check_covariates``).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from forecast.forecasters import NeuralForecaster
    >>> y = pd.Series(np.sin(np.arange(60) / 3))
    >>> f = NeuralForecaster(Ridge(), window=12, horizon=4, scaler=None).fit(y.iloc[:50])
    >>> f.update(y).cutoff_
    59
    """

    def update(self, y: Any, X: Any = None) -> Self:
        """Append new observations (same weights, no refit) and move the cutoff.

        Parameters
        ----------
        y : pandas.Series, pandas.DataFrame or dict of them
            Observations after the cutoff (rows up to the cutoff are ignored, so the
            full extended series works too). For a panel, a dict with some or all ids.
            An array or list has no index: it is read as in ``fit``, from the series'
            first position, so it must be the whole extended series of a model fitted
            on an array (a ValueError if it adds nothing); a model fitted on timestamps
            needs pandas (TypeError).
        X : pandas.DataFrame or dict of them, optional
            Covariates for the new rows: required when the model was fitted with
            covariates, a ValueError when it was not.

        Returns
        -------
        self
        """
        check_is_fitted(self, "cutoff_")
        if X is not None and not self.fitted_cov_:
            raise ValueError(
                f"{type(self).__name__} was fitted without covariates, so `X` would be "
                f"ignored: update without `X`, or refit with it. Received: X={describe(X)}"
            )
        if self.panel_ != isinstance(y, dict):
            raise TypeError("`y` must be a dict exactly when the model was fitted on a panel. "
                            f"Received: y={describe(y)}")
        check_panel_dict("X", X, self.panel_)
        items = y.items() if self.panel_ else [(None, y)]
        pending = []  # checked for every series before any is changed
        for key, ys in items:
            if key not in self._series:
                raise ValueError(f"Unknown series id {key!r}. Fitted ids: {self.series_ids_[:5]}")
            name = "y" if key is None else f"y[{key!r}]"
            indexed = isinstance(ys, pd.Series | pd.DataFrame)
            s = self._series[key]
            if s.target_names is not None and isinstance(ys, pd.DataFrame):
                if sorted(map(str, ys.columns)) != sorted(map(str, s.target_names)):
                    raise ValueError(
                        f"`{name}` must have the target columns {s.target_names} of fit (in "
                        f"any order). Received columns {list(ys.columns)}")
                ys = ys[s.target_names]  # matched by name, not by position
            data, values = self._check_target(name, ys)
            new = after_cutoff(name, data.index, s.index, indexed)
            if not new.any():
                if not indexed:
                    raise ValueError(
                        f"`{name}` adds no observation after the cutoff ({s.index[-1]!r}): an "
                        "array is read from the series' first position, as in fit, so pass "
                        f"the whole extended series (longer than {len(s.index)}) or a pandas "
                        f"Series indexed after the cutoff. Received: {name}={describe(ys)}")
                continue
            data, values = data[new], values[new]
            expected = future_index(s.index, len(data))
            if not data.index.equals(expected):
                raise ValueError(f"`{name}` must continue the series after {s.index[-1]!r} "
                                 f"without gaps (expected {expected[0]!r} next). Received: "
                                 f"{name} with new rows from {data.index[0]!r}")
            if values.shape[1] != s.values.shape[1]:
                raise ValueError(f"`{name}` must have the {s.values.shape[1]} target column(s) "
                                 f"of fit. Received: {values.shape[1]} column(s)")
            xs = None if X is None else (X.get(key) if self.panel_ else X)
            past, known = self._check_covariates("X" if key is None else f"X[{key!r}]", xs,
                                                 data.index)
            if s.profile is not None:
                values = values - profile_at(s.profile, len(s.values) + np.arange(len(values)))
            pending.append((key, s, values, past, known, data.index))
        # new records, not edits of the old ones: a shallow copy of the forecaster taken
        # before the update (EnsembleForecaster's rollback) keeps the old history
        series = dict(self._series)
        for key, s, values, past, known, index in pending:
            series[key] = replace(
                s, values=np.concatenate([s.values, values]),
                past=None if s.past is None else np.concatenate([s.past, past]),
                known=None if s.known is None else np.concatenate([s.known, known]),
                index=s.index.append(index))
        self._series = series
        if self.panel_:
            self.cutoff_ = {k: s.index[-1] for k, s in self._series.items()}
        else:
            s = self._series[None]
            self.index_, self.cutoff_, self.n_obs_ = s.index, s.index[-1], len(s.index)
        return self

