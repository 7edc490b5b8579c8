"""Series-level forecasting with any window regressor (the RNN estimators first).

:class:`NeuralForecaster` turns a series (or a panel of series) into training
windows, normalises each window on its own, fits ONE global estimator and
forecasts the ``horizon`` steps after the end of each series.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from .._validation import check_positive_int, describe
from ._base import (
    BaseForecaster,
    check_extendable,
    estimator_kept_on_error,
    future_index,
    state_kept_on_error,
)
from ._cycle import cycle_profile, profile_at
from ._neural_inputs import NeuralInputChecks
from ._neural_update import NeuralUpdate
from ._neural_windows import WindowScaler, standardise_windows, window_views

__all__ = ["NeuralForecaster"]

logger = logging.getLogger(__name__)

_MAX_WEIGHT = 10.0


@dataclass
class _Series:
    """History of one series: targets ``(n, k)``, covariates ``(n, c)``, index.

    With a cycle, ``values`` are the targets minus ``profile`` at their positions."""

    values: np.ndarray
    past: np.ndarray | None
    known: np.ndarray | None
    index: pd.Index
    name: Any
    target_names: list | None
    profile: np.ndarray | None = None


class NeuralForecaster(NeuralInputChecks, NeuralUpdate, BaseForecaster):
    """Forecast with a window regressor trained globally on normalised windows.

    Parameters
    ----------
    estimator : regressor
        Usually a :class:`~forecast.estimators.GRURegressor` or
        :class:`~forecast.estimators.LSTMRegressor` (gets windows ``(n, window, f)``
        and targets ``(n, horizon)`` or ``(n, horizon, k)``); any other regressor
        with ``fit(X, y[, sample_weight])``/``predict(X)`` gets them flattened to 2-D.
        It is cloned: the object passed in is never fitted. Every ``fit`` starts
        from fresh weights.
    window : int
        Number of past steps the network sees.
    horizon : int
        Steps forecast at once (MIMO output size) and default of ``predict``.
    scaler : {"standard", "last", "mean", "log", None}, default="standard"
        Per-window normalisation of the target channels (see
        ``forecast.forecasters._neural_windows``): ``"log"`` (log of the ratio to
        the level, for inputs and targets) and ``"mean"`` (ratio to the level) need
        positive series; ``"last"`` subtracts the
        last input (SegRNN style). Covariates are always standardised per window.
    strategy : {"mimo", "recursive"}, default="mimo"
        ``"mimo"`` predicts up to ``horizon`` steps in one shot; ``"recursive"``
        feeds forecasts back in blocks of ``horizon`` to reach longer horizons.
    season_length : int, default=1
        Seasonal period, used by ``weighting="mase"`` and as default ``level_window``.
    level_window : int, optional
        Trailing inputs averaged into the level of ``"mean"``/``"log"``
        (default ``season_length``).
    cycle_length : int, optional
        Remove a fixed additive cycle before windowing (CycleNet's residual
        cycle, e.g. ``24`` for the daily cycle of hourly data): the mean of each
        series' training targets at each phase (position modulo
        ``cycle_length``, counted from the series' first observation; the
        ``validation_steps`` block is left out) is subtracted from its targets,
        the network forecasts the rest, and the phase means of the forecast
        steps are added back. Needs one full cycle of training values per series
        and ``scaler`` ``"last"``, ``"standard"`` or ``None``.
    future_covariates : list of str, optional
        Columns of ``X`` known in advance (calendar features). Input step ``t``
        carries their value at ``t + horizon``, so ``predict`` needs them for the
        ``horizon`` steps after the cutoff (``X`` of ``predict``). Other columns of
        ``X`` are past covariates (known up to the cutoff only). Needs
        ``window >= horizon``.
    validation : bool, default=True
        Hold out the last ``validation_steps`` targets of each series: validation
        windows are the windows whose targets lie in that block; training windows
        end their targets before it, so no validation target is an input or target
        of any training window. The estimator sees them as its time-ordered tail
        (``validation_fraction`` is set for it): set ``early_stopping=True`` on the
        estimator to stop on them. scikit-learn's own estimators with a
        ``validation_fraction`` (``MLPRegressor``, ``HistGradientBoostingRegressor``,
        ``SGDRegressor``) draw that fraction at random, not from the tail, so theirs
        is left as given and they fit every window.
    validation_steps : int, optional
        Length of the held-out block (default ``horizon``: one window per series).
    weighting : {None, "mase"}, default=None
        ``"mase"`` weights each training window by ``unit / scale``, where ``scale``
        is the in-sample seasonal-naive MAE of its series; with loss ``"mase"`` the
        loss then mirrors the M4 MASE, and with ``"owa"`` (``scaler="mean"``) or
        ``"owa_log"`` (``scaler="log"``) it mirrors the M4 OWA: sMAPE unweighted plus
        the MASE term weighted. Weights are normalised to mean 1 and clipped at 10.
    stride : int, default=1
        Step between training windows (counted back from the newest one).
    pad : bool, default=False
        Left-pad series shorter than needed with their first value instead of
        skipping them (training) or raising (prediction).
    series_features : {None, "onehot", "embedding"}, default=None
        ``"onehot"`` appends the one-hot code of the window's series (its position
        in the panel) as constant input channels after the covariates, so one
        global model can tell the series apart (e.g. a channel-independent model
        of a multivariate series split into a panel).
        The codes are not normalised. ``"embedding"`` appends the same codes
        and sets the estimator's ``static_features`` to the number of series, so
        a recurrent regressor with a segment decoder embeds them into its decoder
        queries instead of reading them in the encoder: SegRNN's channel
        position embedding.
    random_state : int, optional
        Passed to the estimator (``random_state``) when given.

    Attributes
    ----------
    estimator_ : fitted clone of ``estimator``
    n_train_windows_, n_val_windows_ : int
    history_ : dict
        The estimator's per-epoch training history (empty for non-Keras estimators).
    series_ids_ : list or None
        Keys of the panel (``None`` for a single series).
    cycle_profile_ : ndarray of shape (cycle_length, n_targets), dict of them, or None
        The phase means removed with ``cycle_length`` (a dict by series id for a
        panel; ``None`` without ``cycle_length``).

    Examples
    --------
    >>> from forecast.estimators import GRURegressor
    >>> y = pd.Series(np.sin(np.arange(200) / 4) + 2)
    >>> f = NeuralForecaster(GRURegressor(units=8, epochs=2), window=24, horizon=6,
    ...                      random_state=0).fit(y)
    >>> f.predict().index.tolist()
    [200, 201, 202, 203, 204, 205]
    """

    _multivariate = True

    def _uses_covariates(self, method: str) -> bool:
        # predict takes only the future covariates; past ones end at the cutoff; update
        # takes those of fit (none when fitted without X; unfitted, update raises anyway)
        if method == "predict":
            return bool(self.future_covariates)
        return method == "fit" or bool(getattr(self, "fitted_cov_", True))

    @property
    def _fit_resets_weights(self) -> bool:
        """Whether ``backtest`` may refit this object in place rather than a fresh clone:
        ``fit`` recomputes every fitted attribute and the reused estimator redraws all
        its weights, unless it warm-starts (then it would go on from the last fold)."""
        return getattr(self.estimator, "warm_start", False) is not True

    def __init__(
        self,
        estimator: Any,
        *,
        window: int,
        horizon: int,
        scaler: str | None = "standard",
        strategy: str = "mimo",
        season_length: int = 1,
        level_window: int | None = None,
        cycle_length: int | None = None,
        future_covariates: list[str] | None = None,
        validation: bool = True,
        validation_steps: int | None = None,
        weighting: str | None = None,
        stride: int = 1,
        pad: bool = False,
        series_features: str | None = None,
        random_state: int | None = None,
    ) -> None:
        self.estimator = estimator
        self.window = window
        self.horizon = horizon
        self.scaler = scaler
        self.strategy = strategy
        self.season_length = season_length
        self.level_window = level_window
        self.cycle_length = cycle_length
        self.future_covariates = future_covariates
        self.validation = validation
        self.validation_steps = validation_steps
        self.weighting = weighting
        self.stride = stride
        self.pad = pad
        self.series_features = series_features
        self.random_state = random_state

    # ---------------------------------------------------------------- fitting
    def fit(self, y: Any, X: Any = None) -> NeuralForecaster:
        """Fit one global model to a series or a panel.

        Parameters
        ----------
        y : pandas.Series, pandas.DataFrame or dict of them
            One series (Series), several target columns forecast jointly
            (DataFrame of shape ``(n, k)``) or a panel ``{id: Series}`` of series
            with different lengths.
        X : pandas.DataFrame or dict of them, optional
            Covariates covering the index of ``y`` (extra rows are ignored).

        Returns
        -------
        self
            A failed fit leaves the forecaster as it was (fitted or not).
        """
        with state_kept_on_error(self), estimator_kept_on_error(self.__dict__.get("estimator_")):
            return self._fit_panel(y, X)

    def _fit_panel(self, y: Any, X: Any) -> NeuralForecaster:
        self._check_params()
        if isinstance(X, dict) != isinstance(y, dict) and X is not None:
            raise TypeError("`X` must be a dict exactly when `y` is a panel (dict). "
                            f"Received: X={describe(X)}")
        panel = isinstance(y, dict)
        if panel and not y:
            raise ValueError("`y` is an empty panel. Received: y={}")
        items = list(y.items()) if panel else [(None, y)]
        first_X = (next(iter(X.values()), None) if panel else X) if X is not None else None
        if first_X is not None and not isinstance(first_X, pd.DataFrame):
            raise TypeError(f"`X` must be a pandas DataFrame. Received: X={describe(first_X)}")
        self.fitted_cov_ = [] if first_X is None else list(first_X.columns)
        bad = [c for c in self._fc if c not in self.fitted_cov_]
        if bad:
            raise ValueError(f"`future_covariates` {bad} are not columns of `X`. "
                             f"Received columns {self.fitted_cov_[:10]}")
        series: dict[Any, _Series] = {}
        for key, ys in items:
            name = "y" if key is None else f"y[{key!r}]"
            data, values = self._check_target(name, ys)
            check_extendable(name, data.index)
            xs = None if X is None else (X.get(key) if panel else X)
            past, known = self._check_covariates(
                "X" if key is None else f"X[{key!r}]", xs, data.index)
            multi = isinstance(data, pd.DataFrame) and data.shape[1] > 1
            tn = list(data.columns) if multi else None
            nm = data.name if isinstance(data, pd.Series) else (
                data.columns[0] if tn is None else None)
            series[key] = _Series(values, past, known, data.index.copy(), nm, tn)
        ks = {s.values.shape[1] for s in series.values()}
        if len(ks) > 1:
            items = [(k, s.values.shape[1]) for k, s in series.items()]
            other = next(i for i, (_, n) in enumerate(items) if n != items[0][1])
            counts = dict([items[0], items[other]])  # the first series and the first unlike it
            raise ValueError(f"Every series of the panel must have the same number of target "
                             f"columns. Received (columns per series id): {counts}")
        self.n_targets_ = ks.pop()
        if self._cycle is not None:
            for key, s in series.items():
                self._remove_cycle(key, s)
        self.scaler_ = WindowScaler(self.scaler, self._lw)
        self._codes = {key: i for i, key in enumerate(series)}
        X_tr, Y_tr, W_tr, X_va, Y_va, W_va = self._training_windows(series)
        self.n_train_windows_, self.n_val_windows_ = len(X_tr), len(X_va)
        est = self._estimator_for(len(X_tr), len(X_va))
        Xa = np.concatenate([X_tr, X_va]) if len(X_va) else X_tr
        Ya = np.concatenate([Y_tr, Y_va]) if len(X_va) else Y_tr
        Wa = None
        if self.weighting == "mase":
            Wa = np.concatenate([W_tr, W_va]) if len(X_va) else W_tr
            Wa = np.minimum(Wa / max(W_tr.mean(), 1e-12), _MAX_WEIGHT).astype(np.float32)
        if self.n_targets_ == 1:
            Ya = Ya[:, :, 0]
        if not self._is_keras(est):
            Xa, Ya = Xa.reshape(len(Xa), -1), Ya.reshape(len(Ya), -1)
            Ya = Ya[:, 0] if Ya.shape[1] == 1 else Ya  # one output: a 1-D target
        try:
            if Wa is not None:
                est.fit(Xa, Ya, sample_weight=Wa)
            else:
                est.fit(Xa, Ya)
        except ValueError as e:  # scikit-learn's single-output estimators: say what to do
            if Ya.ndim == 2 and "1d array" in str(e):
                raise ValueError(
                    f"`estimator` {type(est).__name__} predicts one output, but "
                    f"horizon={self.horizon} with {self.n_targets_} target(s) needs "
                    f"{Ya.shape[1]} per window: wrap it in "
                    "sklearn.multioutput.MultiOutputRegressor (one model per output), or use "
                    "horizon=1 with strategy='recursive'. "
                    f"Received: estimator={type(est).__name__}, horizon={self.horizon}"
                ) from e
            raise
        self.estimator_ = est
        self.history_ = dict(getattr(est, "history_", {}) or {})
        self._series = series
        self.series_ids_ = list(series) if panel else None
        self.panel_ = panel
        profiles = {k: s.profile for k, s in series.items()}
        self.cycle_profile_ = (None if self._cycle is None
                               else profiles if panel else profiles[None])
        last = series[items[0][0]]
        if panel:
            self.cutoff_ = {k: s.index[-1] for k, s in series.items()}
            for single in ("index_", "n_obs_", "target_names_", "name_"):  # a previous fit's
                self.__dict__.pop(single, None)
        else:
            self.index_, self.cutoff_, self.n_obs_ = last.index, last.index[-1], len(last.index)
            self.target_names_, self.name_ = last.target_names, last.name
        return self

    def _remove_cycle(self, key: Any, s: _Series) -> None:
        """Store the phase means of ``s``'s training values and subtract them."""
        n_train = len(s.values) - self._vs
        if n_train < self._cycle:
            name = "y" if key is None else f"y[{key!r}]"
            raise ValueError(
                f"`cycle_length` needs one full cycle of training values per series; "
                f"`{name}` has {max(n_train, 0)} before the validation block. "
                f"Received: cycle_length={self.cycle_length!r}"
            )
        s.profile = cycle_profile(s.values[:n_train], self._cycle)
        s.values = s.values - profile_at(s.profile, np.arange(len(s.values)))

    @staticmethod
    def _is_keras(est: Any) -> bool:
        from ..estimators import BaseKerasEstimator

        return isinstance(est, BaseKerasEstimator)

    def _estimator_for(self, n_train: int, n_val: int) -> Any:
        """Clone (or reuse, when the parameters are unchanged) and configure the estimator."""
        params: dict[str, Any] = {}
        getp = getattr(self.estimator, "get_params", None)
        keys = getp(deep=False) if getp is not None else {}
        if self.random_state is not None and "random_state" in keys:
            params["random_state"] = self.random_state
        if self.series_features == "embedding":
            if "static_features" not in keys:
                raise ValueError(
                    "series_features='embedding' hands the series' one-hot code to the "
                    "estimator's `static_features`; use a recurrent regressor with a "
                    "segment decoder, or series_features='onehot'. "
                    f"Received: estimator={type(self.estimator).__name__}"
                )
            params["static_features"] = len(self._codes)
        if "validation_fraction" in keys and not _from_sklearn(self.estimator):
            total = n_train + n_val
            params["validation_fraction"] = (n_val + 0.5) / total if n_val else 0.0
        old = getattr(self, "estimator_", None)
        if old is not None and type(old) is type(self.estimator):
            mine = {k: v for k, v in old.get_params(deep=False).items() if k not in params}
            wanted = {k: v for k, v in keys.items() if k not in params}
            if _same_params(mine, wanted):
                # refit reuses the built model (the estimator redraws its weights)
                return old.set_params(**params) if params else old
        est = clone(self.estimator)
        if params:
            est.set_params(**params)
        return est

    def _padded(self, s: _Series, need: int) -> _Series:
        n = len(s.values)
        if n >= need or not self.pad:
            return s
        p = need - n

        def pad(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else np.concatenate([np.repeat(a[:1], p, axis=0), a])

        return _Series(pad(s.values), pad(s.past), pad(s.known), s.index, s.name, s.target_names,
                       s.profile)

    def _features(self, s: _Series, known_future: np.ndarray | None = None) -> np.ndarray:
        """Input channels ``(n, f)``: targets, past covariates, known covariates shifted."""
        cols = [s.values]
        if s.past is not None:
            cols.append(s.past)
        if s.known is not None:
            ext = s.known if known_future is None else np.concatenate([s.known, known_future])
            shifted = np.full((len(s.values), ext.shape[1]), np.nan)
            avail = min(len(s.values), len(ext) - self._h)
            shifted[:avail] = ext[self._h : self._h + avail]
            cols.append(shifted)
        return np.concatenate(cols, axis=1)

    def _normalise(
        self, X: np.ndarray, keys: list[Any]
    ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Normalised windows of the series ``keys`` (one key per window)."""
        k = self.n_targets_
        z, state = self.scaler_.transform_inputs(X[:, :, :k])
        if X.shape[2] > k:
            z = np.concatenate([z, standardise_windows(X[:, :, k:])], axis=2)
        if self.series_features is not None:
            codes = np.zeros((len(X), X.shape[1], len(self._codes)), dtype=z.dtype)
            codes[np.arange(len(X)), :, [self._codes[key] for key in keys]] = 1.0
            z = np.concatenate([z, codes], axis=2)
        return z, state

    def _training_windows(self, series: dict[Any, _Series]) -> tuple[np.ndarray, ...]:
        w, h, vs = self._w, self._h, self._vs
        parts: list[list[np.ndarray]] = [[] for _ in range(6)]
        skipped = 0
        for key, s in series.items():
            # the MASE scale of the series itself: unpadded (padding repeats the first
            # value, whose zero differences would shrink it) and, with a cycle, not of its
            # residuals
            raw = s.values if s.profile is None else (
                s.values + profile_at(s.profile, np.arange(len(s.values))))
            scale = self._seasonal_scale(raw[: len(s.values) - vs])
            s = self._padded(s, w + h + vs)
            n = len(s.values)
            last_train = n - vs - w - h
            if last_train < 0:
                skipped += 1
                continue
            feats = self._features(s)
            tr = np.arange(last_train, -1, -self._stride)[::-1]
            va = np.arange(n - vs - w, n - h - w + 1) if vs else np.arange(0)
            for j, starts in enumerate((tr, va)):
                if not len(starts):
                    continue
                X, Y = window_views(feats, s.values, window=w, horizon=h, starts=starts)
                z, state = self._normalise(X, [key] * len(X))
                yt = self.scaler_.transform_targets(Y, state)
                parts[3 * j].append(z.astype(np.float32))
                parts[3 * j + 1].append(yt.astype(np.float32))
                parts[3 * j + 2].append(state[1].mean(axis=(1, 2)) / scale)
        if skipped:
            logger.warning("%d series shorter than window + horizon + validation_steps "
                           "(%d) were not used for training (pad=True pads them)",
                           skipped, w + h + vs)
        if not parts[0]:
            raise ValueError(
                f"`y` is too short. No training window: every series needs at least window + "
                f"horizon + validation_steps = {w + h + vs} observations (or pad=True). "
                f"Received: y with length(s) "
                f"{sorted(len(s.values) for s in series.values())[:5]}"
            )
        out = []
        for j, p in enumerate(parts):
            if p:
                out.append(np.concatenate(p))
            else:
                shape = (0, w, parts[0][0].shape[2]) if j == 3 else (0,) + parts[j - 3][0].shape[1:]
                out.append(np.zeros(shape, np.float32))
        for what, arrays in (("Training", out[:2]), ("Validation", out[3:5])):
            if not all(np.isfinite(a).all() for a in arrays):
                raise ValueError(f"{what} windows contain NaN or infinity after scaling: check "
                                 "`y` and `X` for values too large to scale (near the float "
                                 "maximum).")
        return tuple(out)

    def _seasonal_scale(self, values: np.ndarray) -> float:
        m = self._m if len(values) > self._m else 1
        if len(values) <= m:
            return 1.0
        d = float(np.mean(np.abs(values[m:] - values[:-m])))
        if d > 1e-12:
            return d
        return max(float(np.mean(np.abs(values))), 1e-12)

    # ------------------------------------------------------------- predicting
    def _future_rows(self, horizon: int) -> int:
        """Rows of future covariates ``predict(horizon)`` reads after the cutoff: the
        network sees the model's whole ``horizon`` (per block when recursive)."""
        h = check_positive_int("horizon", self.horizon)
        return math.ceil(horizon / h) * h

    def predict(self, horizon: int | None = None, X: Any = None) -> Any:
        """Forecast the ``horizon`` steps after the end of each series.

        Parameters
        ----------
        horizon : int, optional
            Defaults to ``self.horizon``; above it needs ``strategy="recursive"``.
        X : pandas.DataFrame or dict of them, optional
            Only with ``future_covariates``: their values for the steps after the
            cutoff (``self.horizon`` rows, or ``horizon`` rounded up to a multiple of
            ``self.horizon`` when recursive). A frame indexed by the future
            timestamps (extra rows ignored), or an unlabelled frame (index 0, 1, ...)
            read by position; other labels are a ValueError. Without
            ``future_covariates`` passing ``X`` is a ValueError: past covariates
            are known up to the cutoff only (add new rows with ``update``).

        Returns
        -------
        pandas.Series, pandas.DataFrame or dict of them
            Indexed by the future timestamps (or the continued integer index).
        """
        check_is_fitted(self, "cutoff_")
        if X is not None and not self._fc:
            raise ValueError(
                "`X` of predict gives future covariates, and this model has none "
                "(future_covariates=None): its covariates are past covariates, known up to "
                "the cutoff. Predict without `X`, or add new rows with update(y, X). "
                f"Received: X={describe(X)}")
        horizon = self._resolve_horizon(horizon)
        h = self._h
        if horizon > h and self.strategy == "mimo":
            raise ValueError(f"`horizon` exceeds the model's horizon ({h}); use "
                             f"strategy='recursive' or refit. Received: horizon={horizon}")
        blocks = math.ceil(horizon / h)
        if blocks > 1 and any(s.past is not None for s in self._series.values()):
            raise ValueError("Past covariates cannot be forecast: with them `horizon` must be "
                             f"<= {h}. Received: horizon={horizon}")
        keys = list(self._series)
        if self.panel_ and X is not None and not isinstance(X, dict):
            raise TypeError(f"`X` must be a dict for a panel. Received: X={describe(X)}")
        futures = {k: self._future_known(k, X, self._future_rows(horizon)) for k in keys}
        hist = {k: self._series[k].values for k in keys}
        out = {k: [] for k in keys}
        for b in range(blocks):
            rows = []
            for k in keys:
                s = self._series[k]
                kf = None if futures[k] is None else futures[k][: (b + 1) * h]
                known = s.known
                if known is not None and b:
                    known = np.concatenate([known, kf[: b * h]])
                sb = _Series(hist[k], s.past, known, s.index, s.name, None)
                sb = self._padded(sb, self._w)
                if len(sb.values) < self._w:
                    raise ValueError(f"Series {k!r} has {len(sb.values)} observations; the model "
                                     f"needs window={self._w} (or pad=True).")
                rest = None if kf is None else kf[b * h :]
                rows.append(self._features(sb, rest)[-self._w :])
            z, state = self._normalise(np.stack(rows), keys)
            p = self._predict_windows(z)
            vals = self.scaler_.inverse(p.reshape(len(keys), h, self.n_targets_), state)
            for i, k in enumerate(keys):
                prof = self._series[k].profile
                cyc = 0.0 if prof is None else profile_at(prof, len(hist[k]) + np.arange(h))
                out[k].append(vals[i] + cyc)
                hist[k] = np.concatenate([hist[k], vals[i]])
        res = {k: self._wrap_one(k, np.concatenate(out[k])[:horizon], horizon) for k in keys}
        return res if self.panel_ else res[keys[0]]

    def historical_forecasts(self, n_windows: int) -> Any:
        """Forecasts from the last ``n_windows`` origins of the series held (fit data
        plus ``update``), with the fitted weights, in one batched predict.

        The backtest without refit, at once: window ``i`` is what ``predict()`` would
        return if the series ended ``horizon + n_windows - 1 - i`` steps before its
        last observation, so the last window's targets are the last ``horizon``
        observations. The same numbers as ``update`` + ``predict`` one step at a time,
        without that loop's per-call cost.

        Parameters
        ----------
        n_windows : int
            Number of origins, the newest last. At most ``n - window - horizon + 1``
            for a series of ``n`` observations.

        Returns
        -------
        ndarray of shape (n_windows, horizon) or (n_windows, horizon, n_targets), or dict
            One array per series id for a panel; three dimensions with several target
            columns. Window ``i``'s forecast starts after position
            ``n - horizon - n_windows + i`` of its series.

        Examples
        --------
        >>> from sklearn.linear_model import Ridge
        >>> y = pd.Series(np.sin(np.arange(120) / 3))
        >>> f = NeuralForecaster(Ridge(), window=12, horizon=4, scaler=None).fit(y)
        >>> f.historical_forecasts(5).shape
        (5, 4)
        """
        check_is_fitted(self, "cutoff_")
        n_windows = check_positive_int("n_windows", n_windows)
        w, h = self._w, self._h
        out = {}
        for key, s in self._series.items():
            n = len(s.values)
            if n_windows > n - w - h + 1:
                name = "the series" if key is None else f"series {key!r}"
                if n < w + h:
                    raise ValueError(
                        f"{name.capitalize()} has {n} observations: no window of window={w} "
                        f"inputs and horizon={h} targets fits (pad=True pads series at fit; "
                        f"update adds observations). Received: n_windows={n_windows}")
                raise ValueError(
                    f"`n_windows` must be <= {max(n - w - h + 1, 0)} for {name} ({n} "
                    f"observations, window={w}, horizon={h}). Received: n_windows={n_windows}")
            starts = n - h - n_windows - w + 1 + np.arange(n_windows)
            x, _ = window_views(self._features(s), s.values, window=w, horizon=h, starts=starts)
            z, state = self._normalise(x, [key] * n_windows)
            p = self._predict_windows(z)
            vals = self.scaler_.inverse(p.reshape(n_windows, h, self.n_targets_), state)
            if s.profile is not None:  # window i forecasts positions starts[i] + w + t
                vals = vals + profile_at(s.profile, (starts + w)[:, None] + np.arange(h))
            out[key] = vals if s.target_names is not None else vals[:, :, 0]
        return out if self.panel_ else out[None]

    def _predict_windows(self, z: np.ndarray) -> np.ndarray:
        z = z.astype(np.float32)
        if not self._is_keras(self.estimator_):
            z = z.reshape(len(z), -1)
        return np.asarray(self.estimator_.predict(z), dtype=float)

    def _wrap_one(self, key: Any, values: np.ndarray, horizon: int) -> Any:
        s = self._series[key]
        index = future_index(s.index, horizon)
        if s.target_names is None:
            return pd.Series(values.reshape(horizon), index=index, name=s.name)
        return pd.DataFrame(values.reshape(horizon, -1), index=index, columns=s.target_names)


def _same_params(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.keys() != b.keys():
        return False
    for key, va in a.items():
        vb = b[key]
        if va is vb:
            continue
        try:
            if not bool(va == vb):
                return False
        except (TypeError, ValueError):
            return False
    return True


def _from_sklearn(est: Any) -> bool:
    """Whether ``est`` is one of scikit-learn's own estimators, whose ``validation_fraction``
    (``MLPRegressor``, ``HistGradientBoostingRegressor``, ``SGDRegressor``) is a random
    subset of the rows, not the time-ordered tail the forecaster's validation block needs."""
    return type(est).__module__.split(".")[0] == "sklearn"
