"""Input handling shared by the recurrent regressor and classifier (no TensorFlow here)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from .._validation import as_rectangular, check_numeric_array, check_positive_int
from ..networks._recurrent import (
    check_highway,
    check_mask_with_segments,
    check_network_params,
    check_static_features,
)
from ._base import BaseKerasEstimator

__all__ = ["BaseRNN", "as_sequence_array"]


def as_sequence_array(name: str, X: Any, *, dtype: Any = None) -> np.ndarray:
    """Check that ``X`` is a dense, real, finite 2-D or 3-D array of windows.

    Parameters
    ----------
    name : str
        Argument name for messages.
    X : array-like of shape (n, T) or (n, T, F)
    dtype : numpy dtype, optional

    Returns
    -------
    numpy.ndarray
        A view when no conversion is needed (the input is never modified).

    Examples
    --------
    >>> as_sequence_array("X", [[1.0, 2.0]]).shape
    (1, 2)
    """
    if sp.issparse(X):
        raise TypeError(
            f"Sparse data is not supported: `{name}` must be a dense array of windows. "
            f"Received: {name} of type {type(X).__name__}"
        )
    if not isinstance(X, np.ndarray | pd.DataFrame | pd.Series) and X is not None:
        if isinstance(X, str | bytes):
            raise TypeError(f"`{name}` must be array-like. Received: {name}={X!r}")
        X = as_rectangular(name, X)
    if isinstance(X, np.ndarray):
        if X.dtype.kind in "USO" and X.size and isinstance(X.flat[0], str | bytes):
            raise TypeError(
                f"`{name}` holds text ({str(X.flat[0])!r}...): a recurrent estimator takes "
                "numbers. "
                "Turn texts into token ids first, e.g. make_pipeline(TextVectorizer(), "
                "RNNClassifier(embedding_dim=...)) with forecast.text.TextVectorizer. "
                f"Received: {name} of shape {X.shape} and dtype {X.dtype}"
            )
        if X.dtype.kind == "c":
            raise ValueError(f"Complex data not supported. Received: {name} with complex values")
        if X.dtype == object:
            try:
                X = X.astype(np.float64)
            except (TypeError, ValueError):
                raise TypeError(
                    f"`{name}` must hold numbers; converting its object values failed: "
                    "argument must be a string or a real number."
                ) from None
        if X.ndim == 1:
            raise ValueError(
                f"`{name}` must be 2-D (n, T) or 3-D (n, T, F). Reshape your data, e.g. "
                f"X.reshape(1, -1) for one window. Received: {name} with shape {X.shape}"
            )
        if X.ndim >= 2 and X.shape[0] > 0 and 0 in X.shape[1:]:
            raise ValueError(
                f"`{name}` has 0 feature(s) (shape={X.shape}) while a minimum of 1 is required."
            )
    return check_numeric_array(name, X, ndim=(2, 3), dtype=dtype)


class BaseRNN(BaseKerasEstimator):
    """Recurrent estimators over windows ``X`` of shape ``(n, T, F)`` or ``(n, T)``.

    Subclasses define ``__init__`` with the architecture parameters ``cell``,
    ``units``, ``bidirectional``, ``dropout``, ``recurrent_dropout``,
    ``dense_units``, ``segment_length``, ``embedding_dim``, ``mask_value`` plus
    the training parameters of :class:`BaseKerasEstimator`, and implement
    ``_validate_target(y, n, fitting)`` and ``_output_spec(y)``.
    """

    def _validate_params(self) -> dict[str, Any]:
        params = check_network_params(
            cell=self.cell,
            units=self.units,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            dense_units=self.dense_units,
            segment_length=self.segment_length,
            embedding_dim=self.embedding_dim,
            pooling=self._pooling(),
            embedding_dropout=getattr(self, "embedding_dropout", 0.0),
            decoder=getattr(self, "decoder", "dense"),
        )
        if getattr(self, "vocab_size", None) is not None and params["embedding_dim"] is None:
            raise ValueError(
                "`vocab_size` counts token ids, which need `embedding_dim`. "
                f"Received: vocab_size={self.vocab_size!r}, embedding_dim=None"
            )
        mask_value = self.mask_value
        if mask_value is not None and (
            isinstance(mask_value, bool) or not isinstance(mask_value, int | float | np.number)
        ):
            raise TypeError(
                f"`mask_value` must be a number or None. Received: mask_value={mask_value!r}"
            )
        check_mask_with_segments(mask_value, params["segment_length"])
        if mask_value is not None and params["embedding_dim"] is not None:
            raise ValueError(
                "`mask_value` is for real-valued windows; with `embedding_dim` the inputs are "
                "token ids and the padding id 0 is masked already. Received: "
                f"mask_value={mask_value!r}, embedding_dim={params['embedding_dim']!r}"
            )
        params["highway"] = check_highway(getattr(self, "highway", False),
                                          embedding_dim=params["embedding_dim"],
                                          mask_value=mask_value)
        params["static_features"] = check_static_features(
            getattr(self, "static_features", 0), decoder=params["decoder"])
        return params

    def _pooling(self) -> str:
        """The pooling mode to build (subclasses with a ``pooling`` parameter resolve it)."""
        return getattr(self, "pooling", "last")

    def _ensemble_size(self) -> int:
        """Networks trained side by side (subclasses with ``ensemble_size`` resolve it)."""
        return 1

    # ------------------------------------------------------------------ X
    def _validate_X(self, X: Any, *, fitting: bool) -> np.ndarray:
        if not fitting:
            check_is_fitted(self, "model_")
        if self.embedding_dim is None:
            arr = as_sequence_array("X", X, dtype=np.float32)
            if arr.ndim == 2:
                arr = arr[:, :, None]
            _, steps, features = arr.shape
            if steps < 1 or features < 1:
                raise ValueError(f"`X` has an empty axis. Received: X with shape {arr.shape}")
            if fitting:
                seg = self.segment_length
                if seg is not None and steps % seg:
                    raise ValueError(
                        f"`segment_length` must divide the window length T={steps} of `X`. "
                        f"Received: segment_length={seg}"
                    )
                check_static_features(getattr(self, "static_features", 0),
                                      decoder=getattr(self, "decoder", "dense"),
                                      n_features=features)
                self.n_features_in_ = features
                self.window_length_ = steps
            elif (steps, features) != (self.window_length_, self.n_features_in_):
                raise ValueError(
                    f"`X` must have windows of shape ({self.window_length_}, "
                    f"{self.n_features_in_}) as in fit. Received: X with shape {arr.shape}"
                )
            return arr
        arr = as_sequence_array("X", X)
        if arr.ndim == 3:
            if arr.shape[2] != 1:
                raise ValueError(
                    "With `embedding_dim`, `X` holds token ids of shape (n, T). "
                    f"Received: X with shape {arr.shape}"
                )
            arr = arr[:, :, 0]
        if (arr < 0).any() or (arr != np.floor(arr)).any():
            raise ValueError(
                "With `embedding_dim`, `X` must hold non-negative integer token ids "
                f"(0 = padding). Received: X with min {arr.min()}"
            )
        ids = arr.astype(np.int32)
        top = int(ids.max()) if ids.size else 0
        if fitting:
            size = self.vocab_size
            if size is not None:
                size = check_positive_int("vocab_size", size)
                if top >= size:
                    raise ValueError(
                        f"`X` holds token id {top}, so `vocab_size` must be at least "
                        f"{top + 1}. Received: vocab_size={size}"
                    )
            self.vocab_size_ = top + 1 if size is None else size
            self.n_features_in_ = 1
            self.window_length_ = ids.shape[1]
        else:
            if ids.shape[1] != self.window_length_:
                raise ValueError(
                    f"`X` must have windows of length {self.window_length_} as in fit. "
                    f"Received: X with shape {arr.shape}"
                )
            if top >= self.vocab_size_:
                raise ValueError(
                    f"`X` holds token id {top}, beyond the vocabulary seen in fit "
                    f"(ids 0..{self.vocab_size_ - 1}). Map unseen tokens to an OOV id "
                    "present in the training data, or declare the whole vocabulary with "
                    "`vocab_size`."
                )
        return ids

    def _validate_data(self, X: Any, y: Any = None, *, fitting: bool) -> tuple[Any, Any]:
        if fitting and y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None"
            )
        X_arr = self._validate_X(X, fitting=fitting)
        y_arr = None if y is None else self._validate_target(y, len(X_arr), fitting=fitting)
        return X_arr, y_arr

    def _validate_target(self, y: Any, n: int, *, fitting: bool) -> np.ndarray:
        raise NotImplementedError

    def _output_spec(self, y: np.ndarray) -> tuple[tuple[int, ...], str | None]:
        raise NotImplementedError

    # ------------------------------------------------------------- network
    def _network_config(self, X: Any, y: Any) -> dict[str, Any]:
        params = self._validate_params()
        out_shape, activation = self._output_spec(y)
        extra = {}
        if hasattr(self, "pooling"):  # estimators with the option (keeps older configs equal)
            extra = {
                "pooling": params["pooling"],
                "embedding_dropout": params["embedding_dropout"],
                "n_members": self._ensemble_size(),
            }
        if getattr(self, "decoder", "dense") != "dense":  # older configs stay equal
            extra["decoder"] = params["decoder"]
        if params["highway"]:
            extra["highway"] = True
        if params["static_features"]:
            extra["static_features"] = params["static_features"]
        return {
            "builder": "recurrent",
            "input_shape": list(X.shape[1:]),
            "output_shape": list(out_shape),
            "output_activation": activation,
            "cell": params["cell"],
            "units": list(params["units"]),
            "bidirectional": params["bidirectional"],
            "dropout": params["dropout"],
            "recurrent_dropout": params["recurrent_dropout"],
            "dense_units": list(params["dense_units"]),
            "segment_length": params["segment_length"],
            "embedding_dim": params["embedding_dim"],
            "vocab_size": getattr(self, "vocab_size_", None) if params["embedding_dim"] else None,
            "mask_value": None if self.mask_value is None else float(self.mask_value),
            **extra,
        }

    def _build_network(self, config: dict[str, Any]) -> Any:
        from ..networks import build_recurrent_model

        cfg = {k: v for k, v in config.items() if k != "builder"}
        return build_recurrent_model(
            cfg.pop("input_shape"),
            cfg.pop("output_shape"),
            name=type(self).__name__.lower(),
            **cfg,
        )
