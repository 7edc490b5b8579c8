"""``SlidingWindow``: scikit-learn transformer cutting each sample's history into windows."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._state import state_kept_on_error
from .._validation import check_positive_int, describe
from ._output import NumpyOutputMixin

__all__ = ["SlidingWindow"]

_DTYPES = (np.float64, np.float32)  # float32 stays float32, anything else becomes float64


class SlidingWindow(NumpyOutputMixin, TransformerMixin, BaseEstimator):
    """Slide a window along each sample's history: ``(n, L[, F]) -> (n, n_windows, window * F)``.

    Rows are independent samples, each an already-windowed history: ``L`` lagged values,
    oldest first (a lag matrix, or the ``X`` of :func:`make_windows`). Inside every row
    a window of ``window`` steps moves by ``stride`` steps, and the windows become the time
    steps of a recurrent network's input. ``stride=1`` gives overlapping windows;
    ``stride=window`` gives the non-overlapping segments of SegRNN (24 hourly values per
    step); ``window=1`` just adds the feature axis. The windows are aligned to the end of
    the history, so the last window always holds the newest ``window`` steps. With
    ``stride <= window`` every step is in at least one window: when ``L < window`` or
    ``(L - window)`` is not a multiple of ``stride``, the oldest window is completed with
    ``fill_value`` on the left. With ``stride > window`` (dilated sampling) the steps
    between windows are skipped and only complete windows are kept.

    Every output row depends only on its own input row, so the transformer can sit in
    front of a recurrent estimator in a ``Pipeline`` and be cross-validated or
    sub-sampled like any other. To build ``(X, y)`` pairs from a series use
    :func:`make_windows` first.

    Parameters
    ----------
    window : int
        Number of consecutive time steps per window (``>= 1``).
    stride : int, default=1
        Steps between the starts of two consecutive windows (``>= 1``).
    fill_value : float, default=0.0
        Value of the missing steps that complete the oldest window (see above); ``0.0``
        pairs with ``mask_value=0.0`` of the estimators. NaN is allowed (only for models
        that handle it); infinities are not.

    Attributes
    ----------
    n_features_in_ : int
        ``L``, the number of time steps per row seen in :meth:`fit` (the columns of a
        2-D ``X``).
    n_channels_ : int
        ``F``, features per time step: 1 for a 2-D ``X``, ``X.shape[2]`` for a 3-D one.
    n_windows_ : int
        Windows per row: ``ceil(max(L - window, 0) / stride) + 1`` if ``stride <= window``,
        else ``max(L - window, 0) // stride + 1``.
    feature_names_in_ : ndarray of str of shape (n_features_in_,)
        Column names, when ``X`` in :meth:`fit` was a DataFrame with string columns.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(12.0).reshape(2, 6)  # 2 samples, 6 lags each (oldest first)
    >>> Xt = SlidingWindow(window=3).fit_transform(X)
    >>> Xt.shape
    (2, 4, 3)
    >>> Xt[0].tolist()
    [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 4.0], [3.0, 4.0, 5.0]]
    >>> SlidingWindow(window=2, stride=2).fit_transform(X)[1].tolist()  # segments
    [[6.0, 7.0], [8.0, 9.0], [10.0, 11.0]]
    >>> SlidingWindow(window=4, stride=4).fit_transform(X)[1].tolist()  # completed
    [[0.0, 0.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]]
    >>> SlidingWindow(window=1).fit_transform(X).shape  # (n, L) -> (n, L, 1)
    (2, 6, 1)
    """

    def __init__(self, window: int, *, stride: int = 1, fill_value: float = 0.0) -> None:
        self.window = window
        self.stride = stride
        self.fill_value = fill_value

    def fit(self, X: Any, y: Any = None) -> SlidingWindow:
        """Check the parameters against the length of the rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, L) or (n_samples, L, F)
            One history per row, oldest step first.
        y : None
            Ignored.

        Returns
        -------
        self : SlidingWindow

        Raises
        ------
        ValueError
            If ``window`` or ``stride`` is not a positive integer, ``fill_value`` is
            infinite, or ``X`` is not 2-D/3-D, empty, or holds NaN/inf.
        TypeError
            If ``window`` or ``stride`` is not an integer, or ``fill_value`` not a number.

        Examples
        --------
        >>> SlidingWindow(window=2).fit([[1.0, 2.0, 3.0]]).n_windows_
        2
        """
        window = check_positive_int("window", self.window)
        stride = check_positive_int("stride", self.stride)
        self._check_fill_value()
        with state_kept_on_error(self):  # a failed refit leaves the previous fit
            X = validate_data(self, X, dtype=_DTYPES, allow_nd=True, reset=True)
            self._check_ndim(X)
            self.n_channels_ = 1 if X.ndim == 2 else X.shape[2]
            excess = max(X.shape[1] - window, 0)
            self.n_windows_ = (-(-excess // stride) if stride <= window else excess // stride) + 1
        return self

    def _check_fill_value(self) -> float:
        value = self.fill_value
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(
                f"`fill_value` must be a number. Received: fill_value={describe(value)}"
            )
        if np.isinf(value):
            raise ValueError(f"`fill_value` must be finite or NaN. Received: fill_value={value!r}")
        return float(value)

    @staticmethod
    def _check_ndim(X: np.ndarray) -> None:
        if X.ndim not in (2, 3):
            raise ValueError(
                "`X` must be 2-D (n_samples, L) or 3-D (n_samples, L, F). "
                f"Received: X with shape {X.shape}"
            )

    def transform(self, X: Any) -> np.ndarray:
        """Return the windows of every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, L) or (n_samples, L, F)
            Same ``L`` and ``F`` as in :meth:`fit` (float32 stays float32, other dtypes
            become float64).

        Returns
        -------
        Xt : ndarray of shape (n_samples, n_windows_, window * F)
            ``Xt[i, j]`` holds steps ``s, ..., s + window - 1`` of row ``i``, with
            ``s = L - window - (n_windows_ - 1 - j) * stride`` (negative steps are
            ``fill_value``), flattened time-major (all ``F`` features of the oldest step
            first). For a 2-D ``X`` that needs no filling (and for ``window=1``) a
            read-only view on ``X``, no copy; ``np.array(Xt)`` gives a writable copy.

        Examples
        --------
        >>> sw = SlidingWindow(window=2, stride=2).fit(np.zeros((1, 5)))
        >>> sw.transform([[1.0, 2.0, 3.0, 4.0, 5.0]]).tolist()
        [[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]]
        >>> X3 = np.arange(8.0).reshape(1, 4, 2)  # 4 steps, 2 features
        >>> SlidingWindow(window=2, stride=2).fit_transform(X3)[0].tolist()
        [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=_DTYPES, allow_nd=True, reset=False)
        self._check_ndim(X)
        n_channels = 1 if X.ndim == 2 else X.shape[2]
        if n_channels != self.n_channels_:
            raise ValueError(
                f"`X` must have {self.n_channels_} feature(s) per time step, as in fit. "
                f"Received: X with shape {X.shape}"
            )
        window, stride = self.window, self.stride
        n_steps = X.shape[1]
        n_missing = window + (self.n_windows_ - 1) * stride - n_steps
        if n_missing < 0:  # stride > window: skip the oldest steps nobody uses
            X = X[:, -n_missing:]
        elif n_missing > 0:
            padded = np.full((X.shape[0], n_missing + n_steps, *X.shape[2:]),
                             self._check_fill_value(), dtype=X.dtype)
            padded[:, n_missing:] = X
            X = padded
        views = sliding_window_view(X, window, axis=1)[:, ::stride]  # (n, w', [F,] window)
        if X.ndim == 2:
            return views
        n_samples, n_windows = views.shape[:2]
        return views.swapaxes(2, 3).reshape(n_samples, n_windows, window * n_channels)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.input_tags.three_d_array = True
        return tags
