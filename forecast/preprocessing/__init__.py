"""Windowing and scaling of sequences (NumPy/scikit-learn only, no TensorFlow).

* :func:`make_windows`: a series -> supervised ``(X, y)`` windows (zero-copy views).
* :class:`SlidingWindow`: scikit-learn transformer over already-windowed ``X`` (rows are
  independent samples): slides a window along each row's history,
  ``(n, L[, F]) -> (n, n_windows, window * F)`` (overlapping windows or SegRNN segments).
* :class:`SequenceScaler`: wraps scikit-learn scalers for 2-D/3-D arrays, per feature,
  per window (instance normalisation) or per series, with ``inverse_transform`` of
  predictions.
"""

from ._scaler import SequenceScaler
from ._sliding import SlidingWindow
from ._windows import make_windows

__all__ = ["SequenceScaler", "SlidingWindow", "make_windows"]
