"""``SlidingWindow``: scikit-learn transformer ``(n, f) -> (n, window, f)`` for inference."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted, validate_data

from .._validation import check_positive_int, describe

__all__ = ["SlidingWindow"]

_PADDING_NAMES = ("zero", "edge", "nan")


class SlidingWindow(TransformerMixin, BaseEstimator):
    """Turn rows into the windows that end at them: ``(n, f) -> (n, window, f)``.

    Row ``t`` of the output holds input rows ``t - window + 1, ..., t`` (oldest first),
    so a model applied to output row ``t`` only sees the past and present of row ``t``:
    no look-ahead. The first ``window - 1`` rows lack history and are padded.
    The row count is kept, as scikit-learn transformers must; use it in a ``Pipeline``
    in front of a recurrent estimator taking ``(n, window, f)`` inputs. To build
    supervised training pairs use :func:`make_windows` instead.

    Parameters
    ----------
    window : int
        Number of time steps per window (``>= 1``).
    padding : {"zero", "edge", "nan"} or float, default="zero"
        Values of the missing history of the first ``window - 1`` rows:
        ``"zero"`` (0.0) pairs with ``keras.layers.Masking()`` (default
        ``mask_value=0.0``; note a genuine all-zero row would be masked too; pass a
        sentinel float such as ``-999.0`` and ``Masking(mask_value=-999.0)`` if that can
        happen); ``"edge"`` repeats the first row (no masking needed);
        ``"nan"`` marks missing steps as NaN (only for models that handle NaN);
        a float is used as the fill value.

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of str of shape (n_features_in_,)
        Column names, when ``X`` in :meth:`fit` was a DataFrame with string columns.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(8.0).reshape(4, 2)
    >>> Xt = SlidingWindow(window=3).fit_transform(X)
    >>> Xt.shape
    (4, 3, 2)
    >>> Xt[3].tolist()  # the window ending at row 3
    [[2.0, 3.0], [4.0, 5.0], [6.0, 7.0]]
    >>> Xt[0].tolist()  # zero padding before the first row
    [[0.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    >>> SlidingWindow(window=2, padding="edge").fit_transform(X)[0, :, 0].tolist()
    [0.0, 0.0]
    """

    def __init__(self, window: int, *, padding: str | float = "zero") -> None:
        self.window = window
        self.padding = padding

    def _fill_value(self) -> float | None:
        """Validated padding: a float fill value, or ``None`` for ``"edge"``."""
        padding = self.padding
        if isinstance(padding, str):
            if padding not in _PADDING_NAMES:
                raise ValueError(
                    f"`padding` must be one of {list(_PADDING_NAMES)} or a number. "
                    f"Received: padding={padding!r}"
                )
            return {"zero": 0.0, "nan": np.nan, "edge": None}[padding]
        if isinstance(padding, numbers.Real) and not isinstance(padding, bool):
            if np.isinf(padding):
                raise ValueError(f"`padding` must be finite or NaN. Received: padding={padding!r}")
            return float(padding)
        raise TypeError(
            f"`padding` must be one of {list(_PADDING_NAMES)} or a number. "
            f"Received: padding={describe(padding)}"
        )

    def fit(self, X: Any, y: Any = None) -> SlidingWindow:
        """Check the parameters and record the number of features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows in time order.
        y : None
            Ignored.

        Returns
        -------
        self : SlidingWindow

        Examples
        --------
        >>> SlidingWindow(window=2).fit([[1.0], [2.0]]).n_features_in_
        1
        """
        check_positive_int("window", self.window)
        self._fill_value()
        validate_data(self, X, dtype=FLOAT_DTYPES, reset=True)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Return the window ending at each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows in time order (float32 stays float32, other dtypes become float64).

        Returns
        -------
        Xt : ndarray of shape (n_samples, window, n_features)
            ``Xt[t, j] = X[t - window + 1 + j]``, padded where that index is negative.
            A read-only view on a padded copy of ``X`` (``(n_samples + window - 1)
            * n_features`` values); ``np.array(Xt)`` gives a writable copy.

        Examples
        --------
        >>> sw = SlidingWindow(window=2).fit([[1.0], [2.0], [3.0]])
        >>> sw.transform([[1.0], [2.0], [3.0]])[:, :, 0].tolist()
        [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]
        """
        check_is_fitted(self)
        window = check_positive_int("window", self.window)
        fill = self._fill_value()
        X = validate_data(self, X, dtype=FLOAT_DTYPES, reset=False)
        n_samples, n_features = X.shape
        padded = np.empty((n_samples + window - 1, n_features), dtype=X.dtype)
        padded[window - 1 :] = X
        padded[: window - 1] = X[:1] if fill is None else fill
        return sliding_window_view(padded, window, axis=0).swapaxes(1, 2)

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
