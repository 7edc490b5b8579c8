"""Recurrent sequence classifier: ``RNNClassifier``."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ._params_doc import PARAMS_DOC
from ._rnn import BaseRNN

__all__ = ["RNNClassifier"]


class RNNClassifier(ClassifierMixin, BaseRNN):
    def __init__(
        self,
        cell: str = "lstm",
        units: int | tuple[int, ...] = (32,),
        bidirectional: bool = False,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        dense_units: int | tuple[int, ...] | None = None,
        segment_length: int | None = None,
        embedding_dim: int | None = None,
        mask_value: float | None = None,
        optimizer: str = "adam",
        learning_rate: float = 1e-3,
        loss: str | Callable = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        batch_size: int = 32,
        epochs: int = 10,
        validation_fraction: float = 0.0,
        early_stopping: bool = False,
        patience: int = 5,
        checkpoint_dir: str | os.PathLike | None = None,
        random_state: int | None = None,
        verbose: int = 0,
        warm_start: bool = False,
        shuffle: bool = True,
        distribution: Any = None,
        callbacks: list | None = None,
        run_eagerly: bool = False,
    ) -> None:
        self.cell = cell
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.dense_units = dense_units
        self.segment_length = segment_length
        self.embedding_dim = embedding_dim
        self.mask_value = mask_value
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.batch_size = batch_size
        self.epochs = epochs
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.patience = patience
        self.checkpoint_dir = checkpoint_dir
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.shuffle = shuffle
        self.distribution = distribution
        self.callbacks = callbacks
        self.run_eagerly = run_eagerly

    def _validate_target(self, y: Any, n: int, *, fitting: bool) -> np.ndarray:
        if y is None or isinstance(y, str | bytes):
            raise TypeError(f"`y` must be array-like of labels. Received: y={y!r}")
        arr = column_or_1d(np.asarray(y), warn=True)
        if len(arr) != n:
            raise ValueError(
                "`X` and `y` must have the same number of samples. "
                f"Received: {n} windows in X and y with shape {arr.shape}"
            )
        if arr.dtype.kind == "f" and np.isnan(arr).any():
            raise ValueError("`y` contains NaN. Received: y with NaN labels")
        check_classification_targets(arr)
        if fitting:
            classes = np.unique(arr)
            if len(classes) < 2:
                raise ValueError(
                    "`y` must hold at least 2 classes to fit a classifier. "
                    f"Received: y that contains 1 class {classes.tolist()}"
                )
            self.classes_ = classes
        encoded = np.searchsorted(self.classes_, arr)
        return encoded.astype(np.float32 if len(self.classes_) == 2 else np.int32)

    def _output_spec(self, y: np.ndarray) -> tuple[tuple[int, ...], str | None]:
        if len(self.classes_) == 2:
            return (1,), "sigmoid"
        return (len(self.classes_),), "softmax"

    def _default_loss(self) -> str:
        classes = getattr(self, "classes_", ())
        return "binary_crossentropy" if len(classes) == 2 else "sparse_categorical_crossentropy"

    def _metrics(self) -> list[Any]:
        return ["accuracy"]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities.

        Parameters
        ----------
        X : array-like of shape (n, T, F) or (n, T)

        Returns
        -------
        numpy.ndarray of shape (n, n_classes)
            Columns follow ``classes_``; rows sum to 1.
        """
        check_is_fitted(self, "model_")
        X_arr, _ = self._validate_data(X, None, fitting=False)
        raw = self._predict_arrays(X_arr).astype(np.float64)
        if len(self.classes_) == 2:
            p = raw.reshape(-1)
            return np.column_stack([1.0 - p, p])
        return raw / raw.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class of each window.

        Parameters
        ----------
        X : array-like of shape (n, T, F) or (n, T)

        Returns
        -------
        numpy.ndarray of shape (n,)
            Labels from ``classes_``.
        """
        check_is_fitted(self, "model_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        tags.non_deterministic = self.random_state is None
        return tags


RNNClassifier.__doc__ = (
    """Recurrent network classifier over windows, scikit-learn compatible.

    Binary targets use one sigmoid output and binary cross-entropy; more classes
    a softmax output and sparse categorical cross-entropy (``loss=None`` picks
    them). Labels may be any sortable values (ints, strings).
"""
    + PARAMS_DOC
    + """
    Attributes
    ----------
    classes_ : numpy.ndarray of shape (n_classes,)
    model_ : keras.Model
    history_ : dict
    n_features_in_ : int
        F (features per step).
    window_length_ : int
        T.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(96, 10, 2))
    >>> y = np.where(X[:, :, 0].mean(axis=1) > 0, "up", "down")
    >>> clf = RNNClassifier(units=8, epochs=2, random_state=0).fit(X, y)
    >>> clf.predict_proba(X).shape
    (96, 2)
    """
)
