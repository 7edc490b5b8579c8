"""``SequenceScaler``: scikit-learn scalers for 2-D and 3-D sequence arrays.

The statistics are computed by a clone of a scikit-learn scaler (``StandardScaler``,
``MinMaxScaler``, ``RobustScaler`` or any per-column scaler you pass); this module
only reshapes the data so that the scaler's columns are the groups to normalise.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from .._state import state_kept_on_error
from .._validation import check_option, describe
from ._output import NumpyOutputMixin

__all__ = ["SequenceScaler"]

_METHODS = {"standard": StandardScaler, "minmax": MinMaxScaler, "robust": RobustScaler}
_PER = ("feature", "window", "series")
_DTYPES = (np.float64, np.float32)  # float32 stays float32, anything else becomes float64


class SequenceScaler(NumpyOutputMixin, TransformerMixin, BaseEstimator):
    """Scale 2-D or 3-D sequences with a scikit-learn scaler, per feature, window or series.

    Shapes: a 3-D array is ``(n_windows, n_timesteps, n_features)``. A 2-D array is
    ``(n_samples, n_features)`` rows of a series when ``per="feature"``, and
    ``(n_windows, n_timesteps)`` univariate windows when ``per="window"`` or
    ``per="series"``.

    ==================== =========================================================
    ``per``              statistics (one location/scale per ...)
    ==================== =========================================================
    ``"feature"``        feature, over all samples and time steps seen in ``fit``
                         (fit on training data only; ``transform`` reuses them)
    ``"window"``         window and feature, over that window's time steps,
                         computed afresh in every ``transform`` (instance
                         normalisation: ``fit`` learns nothing from the values)
    ``"series"``         window, over all its time steps *and* features pooled
                         (one scale per multivariate sequence; keeps the ratios
                         between channels, e.g. Open/High/Low/Close prices)
    ==================== =========================================================

    Per-window normalisation lets one global model serve series of very different
    levels (M4 series range over orders of magnitude). Because ``transform`` remembers
    nothing in that case, predictions are inverted with the statistics of the
    *unscaled* input windows they were made from:
    ``inverse_transform(y_pred, reference=X_windows)`` (see Examples).
    Constant windows/features get scale 1 (never NaN or inf).

    Parameters
    ----------
    method : {"standard", "minmax", "robust"} or scikit-learn transformer, default="standard"
        ``StandardScaler()``, ``MinMaxScaler()``, ``RobustScaler()``, or an instance of a
        scaler that works column by column (e.g. ``MinMaxScaler((-1, 1))``,
        ``MaxAbsScaler()``); it is cloned, never fitted or modified itself.
    per : {"feature", "window", "series"}, default="feature"
        Which values share statistics (table above).

    Attributes
    ----------
    scaler_ : scikit-learn transformer
        ``per="feature"``: the fitted clone. Otherwise an unfitted clone that each
        ``transform``/``inverse_transform`` call clones and fits on its windows.
    n_features_in_ : int
        ``X.shape[1]`` for 2-D ``X`` (as in scikit-learn; with ``per="window"`` or
        ``"series"`` this is the window length, which later 2-D inputs must match),
        ``X.shape[2]`` for 3-D ``X``.
    feature_names_in_ : ndarray of str
        Column names, when ``X`` in :meth:`fit` was a DataFrame with string columns.

    Examples
    --------
    Per feature, fitted on training windows, inverting predictions of feature 0:

    >>> import numpy as np
    >>> from forecast.preprocessing import make_windows
    >>> series = np.column_stack([np.arange(20.0), np.arange(20.0) ** 2])
    >>> X, y = make_windows(series, window=4, horizon=2, target=0)
    >>> sc = SequenceScaler("standard").fit(X)
    >>> Xs = sc.transform(X)                      # (15, 4, 2)
    >>> y_pred_scaled = sc.transform(y, features=0)  # what a model would predict
    >>> np.allclose(sc.inverse_transform(y_pred_scaled, features=0), y)
    True

    Per window (instance normalisation) of series at very different levels; the
    predictions are inverted with the statistics of their input windows:

    >>> X = np.array([[1.0, 2.0, 3.0], [1000.0, 2000.0, 3000.0]])  # 2 windows
    >>> sc = SequenceScaler("minmax", per="window").fit(X)
    >>> sc.transform(X).tolist()
    [[0.0, 0.5, 1.0], [0.0, 0.5, 1.0]]
    >>> y_pred = np.array([[1.5], [1.5]])          # model output, scaled space
    >>> sc.inverse_transform(y_pred, reference=X).tolist()
    [[4.0], [4000.0]]
    """

    def __init__(self, method: str | Any = "standard", *, per: str = "feature") -> None:
        self.method = method
        self.per = per

    # ------------------------------------------------------------------ helpers
    def _make_scaler(self) -> Any:
        method = self.method
        if isinstance(method, str):
            check_option("method", method, tuple(_METHODS))
            return _METHODS[method]()
        if not all(hasattr(method, a) for a in ("fit", "transform", "inverse_transform")):
            raise TypeError(
                "`method` must be 'standard', 'minmax', 'robust' or a scikit-learn scaler "
                "with fit/transform/inverse_transform. "
                f"Received: method={describe(method)}"
            )
        return clone(method)

    def _validate(self, X: Any, *, reset: bool, name: str = "X") -> np.ndarray:
        """Array of ndim 2 or 3, finite floats; checks/records ``n_features_in_``."""
        return self._located(X, name, lambda: self._validate_array(X, reset=reset, name=name))

    @staticmethod
    def _checked(X: Any, *, ensure_2d: bool = True) -> np.ndarray:
        """``check_array`` of any ndim with NaN/inf located in the message."""
        return SequenceScaler._located(X, "X", lambda: check_array(
            X, allow_nd=True, ensure_2d=ensure_2d, dtype=_DTYPES))

    @staticmethod
    def _located(X: Any, name: str, check: Any) -> np.ndarray:
        try:
            return check()
        except ValueError as exc:  # scikit-learn's "Input X contains NaN.": add where
            text = str(exc)
            if "contains NaN" not in text and "contains infinity" not in text:
                raise
            try:
                values = np.asarray(X, dtype=np.float64)
            except (TypeError, ValueError):
                raise exc from None
            bad = np.argwhere(~np.isfinite(values))
            if not len(bad):
                raise
            pos = tuple(bad[0].tolist())
            kind = "NaN" if np.isnan(values[pos]) else "infinity"
            raise ValueError(
                f"`{name}` contains {kind} at position {list(pos)}. "
                f"Received: {name}={describe(values)} ({text})"
            ) from None

    def _validate_array(self, X: Any, *, reset: bool, name: str) -> np.ndarray:
        ndim = X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim
        if ndim > 3:
            raise ValueError(
                f"`{name}` must be 2-D (n_samples, n_features) or 3-D (n_samples, window, "
                f"n_features). Found array with dim {ndim}. "
                f"Received: {name} with shape {np.shape(X)}"
            )
        if ndim == 3:
            X = check_array(X, allow_nd=True, dtype=_DTYPES, input_name=name)
            if reset:
                self.n_features_in_ = X.shape[2]
                if hasattr(self, "feature_names_in_"):
                    del self.feature_names_in_
            elif X.shape[2] != self.n_features_in_:
                raise ValueError(
                    f"X has {X.shape[2]} features, but {type(self).__name__} is expecting "
                    f"{self.n_features_in_} features as input."
                )
            return X
        return validate_data(self, X, dtype=_DTYPES, reset=reset)

    @staticmethod
    def _features(features: Any, n: int) -> list[int] | None:
        """Validated feature positions (``None``: all ``n``)."""
        if features is None:
            return None
        scalar = isinstance(features, numbers.Integral)
        items = [features] if scalar else features
        ok = isinstance(items, Sequence | np.ndarray) and len(items) > 0
        ok = ok and all(
            isinstance(f, numbers.Integral) and not isinstance(f, bool) and -n <= f < n
            for f in items
        )
        if not ok:
            raise ValueError(
                f"`features` must be an int or a non-empty sequence of ints in [0, {n}). "
                f"Received: features={describe(features)}"
            )
        return [int(f) % n for f in items]

    @staticmethod
    def _to_groups(X: np.ndarray, per: str) -> np.ndarray:
        """Columns = groups sharing statistics: (values per group, n_groups)."""
        if X.ndim == 2:
            X = X[:, :, None]
        n, t, f = X.shape
        if per == "window":
            return X.transpose(1, 0, 2).reshape(t, n * f)
        return X.reshape(n, t * f).T  # "series"

    @staticmethod
    def _from_groups(G: np.ndarray, shape: tuple[int, ...], per: str) -> np.ndarray:
        n = shape[0]
        t = shape[1]
        f = shape[2] if len(shape) == 3 else 1
        if per == "window":
            out = G.reshape(t, n, f).transpose(1, 0, 2)
        else:
            out = G.T.reshape(n, t, f)
        return np.ascontiguousarray(out.reshape(shape))

    def _apply(self, X: np.ndarray, features: list[int] | None, *, inverse: bool) -> np.ndarray:
        """Per-feature (inverse) transform with the fitted scaler."""
        shape = X.shape
        n_all = self.n_features_in_
        if features is None:
            if shape[-1] != n_all:
                raise ValueError(
                    f"X has {shape[-1]} features, but {type(self).__name__} is expecting "
                    f"{n_all} features as input (pass `features=` to select them)."
                )
            flat = X.reshape(-1, n_all)
            out = (self.scaler_.inverse_transform if inverse else self.scaler_.transform)(flat)
            return np.asarray(out).reshape(shape)
        # a subset of features: embed into full-width rows (other columns are zero)
        sel = features
        vals = X.reshape(-1, 1) if len(sel) == 1 else X.reshape(-1, len(sel))
        if len(sel) > 1 and shape[-1] != len(sel):
            raise ValueError(
                f"The last axis of X must match `features` ({len(sel)}). "
                f"Received: X with shape {shape}"
            )
        apply = self.scaler_.inverse_transform if inverse else self.scaler_.transform
        # a repeated feature ([0, 0]: two columns of feature 0) takes one pass per repeat
        repeat = [sel[:j].count(f) for j, f in enumerate(sel)]
        out = np.empty_like(vals)
        for r in range(max(repeat) + 1):
            cols = [j for j in range(len(sel)) if repeat[j] == r]
            feats = [sel[j] for j in cols]
            full = np.zeros((vals.shape[0], n_all), dtype=X.dtype)
            full[:, feats] = vals[:, cols]
            out[:, cols] = np.asarray(apply(full))[:, feats]
        return out.reshape(shape)

    # --------------------------------------------------------------------- API
    def fit(self, X: Any, y: Any = None) -> SequenceScaler:
        """Fit the statistics (``per="feature"``) or only check ``X`` (other ``per``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_windows, n_timesteps, n_features)
            Training data only (never validation/test windows).
        y : None
            Ignored.

        Returns
        -------
        self : SequenceScaler

        Examples
        --------
        >>> SequenceScaler().fit(np.ones((4, 3, 2))).n_features_in_
        2
        """
        with state_kept_on_error(self):  # a failed refit leaves the previous fit
            check_option("per", self.per, _PER)
            scaler = self._make_scaler()
            X = self._validate(X, reset=True)
            if self.per == "feature":
                scaler.fit(X.reshape(-1, X.shape[-1]))
            self.scaler_ = scaler
        return self

    def transform(self, X: Any, *, features: int | Sequence[int] | None = None) -> np.ndarray:
        """Scale ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_windows, n_timesteps, n_features)
            With ``per="feature"`` and ``features`` given, any shape whose last axis
            matches ``features`` (a single int: every value belongs to that feature).
        features : int or sequence of int, optional
            Only with ``per="feature"``: the fitted features ``X`` holds (e.g. targets).

        Returns
        -------
        Xt : ndarray of the same shape as ``X``

        Examples
        --------
        >>> SequenceScaler(per="window").fit_transform([[1.0, 3.0], [10.0, 30.0]]).tolist()
        [[-1.0, 1.0], [-1.0, 1.0]]
        """
        check_is_fitted(self)
        if self.per == "feature" and features is not None:
            X = self._checked(X, ensure_2d=False)
            return self._apply(X, self._features(features, self.n_features_in_), inverse=False)
        if features is not None:
            raise ValueError(
                f"`features` is only used with per='feature'. Received: features={features!r}"
            )
        X = self._validate(X, reset=False)
        if self.per == "feature":
            return self._apply(X, None, inverse=False)
        scaler = clone(self.scaler_)
        return self._from_groups(
            np.asarray(scaler.fit_transform(self._to_groups(X, self.per))), X.shape, self.per
        )

    def inverse_transform(
        self,
        X: Any,
        *,
        reference: Any = None,
        features: int | Sequence[int] | None = None,
    ) -> np.ndarray:
        """Map scaled values (e.g. predictions) back to the original units.

        Parameters
        ----------
        X : array-like
            Scaled values. ``per="feature"``: shape ``(..., n_features)``, or
            ``(..., len(features))`` with ``features`` (any shape for one int).
            ``per="window"``/``"series"``: ``(n_windows, n_steps)`` (one feature) or
            ``(n_windows, n_steps, k)``; ``n_steps`` may differ from the reference's
            (e.g. ``horizon`` predictions of windows of length ``window``).
        reference : array-like of shape (n_windows, n_timesteps[, n_features]), optional
            Required with ``per="window"``/``"series"``: the *unscaled* windows whose
            statistics scaled ``X`` (the inputs the predictions were made from).
        features : int or sequence of int, optional
            The features (last axis of ``reference`` or fitted features) that the last
            axis of ``X`` holds; an int means ``X`` holds that one feature only.
            Default: all features (``per="window"``: the last axis of ``X`` must then
            equal ``n_features``; with one feature a 2-D ``X`` is fine).

        Returns
        -------
        X_original : ndarray of the same shape as ``X``

        Examples
        --------
        >>> ref = np.array([[[1.0, 10.0], [3.0, 30.0]]])   # 1 window, 2 steps, 2 features
        >>> sc = SequenceScaler(per="window").fit(ref)
        >>> sc.inverse_transform(np.array([[2.0]]), reference=ref, features=1).tolist()
        [[40.0]]
        """
        check_is_fitted(self)
        if self.per == "feature":
            if reference is not None:
                raise ValueError(
                    "`reference` is only used with per='window' or per='series'. "
                    f"Received: reference={describe(reference)}"
                )
            if features is None:
                return self._apply(self._checked(X), None, inverse=True)
            X = self._checked(X, ensure_2d=False)
            return self._apply(X, self._features(features, self.n_features_in_), inverse=True)
        if reference is None:
            raise ValueError(
                f"`reference` (the unscaled input windows) is required to invert "
                f"per={self.per!r} scaling. Received: reference=None"
            )
        ref = self._validate(reference, reset=False, name="reference")
        X = self._checked(X)
        if X.shape[0] != ref.shape[0]:
            raise ValueError(
                f"X and `reference` must hold the same number of windows. Received: X with "
                f"shape {X.shape}, reference with shape {ref.shape}"
            )
        if X.ndim not in (2, 3):
            raise ValueError(f"X must be 2-D or 3-D. Received: X with shape {X.shape}")
        ref3 = ref if ref.ndim == 3 else ref[:, :, None]
        sel = self._features(features, ref3.shape[2])
        if self.per == "series":
            ref_sel = ref3  # one statistic per window: every feature shares it
        else:
            ref_sel = ref3 if sel is None else ref3[:, :, sel]
        k = ref_sel.shape[2] if self.per == "window" else 1
        X3 = X[:, :, None] if X.ndim == 2 else X
        if self.per == "window" and X3.shape[2] != k:
            raise ValueError(
                f"The last axis of X must match the {k} reference feature(s) (see "
                f"`features`). Received: X with shape {X.shape}"
            )
        scaler = clone(self.scaler_).fit(self._to_groups(ref_sel, self.per))
        out = np.asarray(scaler.inverse_transform(self._to_groups(X3, self.per)))
        return self._from_groups(out, X.shape, self.per)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
