"""Recurrent regressors: ``RNNRegressor`` and the thin LSTM/GRU/SimpleRNN variants."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score

from .._validation import check_numeric_array
from ._params_doc import PARAMS_DOC, PARAMS_DOC_FIXED_CELL
from ._rnn import BaseRNN
from ._training import check_ema_momentum

__all__ = ["RNNRegressor", "LSTMRegressor", "GRURegressor", "SimpleRNNRegressor"]


class _RegressorBase(RegressorMixin, BaseRNN):
    def _validate_target(self, y: Any, n: int, *, fitting: bool) -> np.ndarray:
        if isinstance(y, np.ndarray) and y.dtype == object:
            try:
                y = y.astype(np.float64)
            except (TypeError, ValueError):
                raise ValueError(
                    "Unknown label type: `y` must hold numbers for a regressor. "
                    f"Received: y with dtype object and values like {y.ravel()[:3].tolist()}"
                ) from None
        arr = check_numeric_array("y", y, ndim=(1, 2, 3), dtype=np.float32)
        if len(arr) != n:
            raise ValueError(
                f"`X` and `y` must have the same number of samples. "
                f"Received: {n} windows in X and y with shape {arr.shape}"
            )
        if fitting:
            self.target_shape_ = tuple(int(s) for s in arr.shape[1:])
        return arr.reshape(n, 1) if arr.ndim == 1 else arr

    def _output_spec(self, y: np.ndarray) -> tuple[tuple[int, ...], str | None]:
        return tuple(y.shape[1:]), None

    def _validate_training_params(self) -> dict[str, Any]:
        p = super()._validate_training_params()
        p["ema_momentum"] = check_ema_momentum(self.ema_momentum)
        return p

    def predict(self, X: Any) -> np.ndarray:
        """Predict with the compiled network.

        Parameters
        ----------
        X : array-like of shape (n, T, F) or (n, T)
            Windows with the T and F seen in ``fit`` (token ids with
            ``embedding_dim``).

        Returns
        -------
        numpy.ndarray of shape (n,) + y.shape[1:]
            ``(n,)``, ``(n, H)`` or ``(n, H, L)`` like the ``y`` given to ``fit``.
        """
        X_arr, _ = self._validate_data(X, None, fitting=False)
        out = self._predict_arrays(X_arr)
        return out.reshape((len(X_arr), *self.target_shape_)).astype(np.float64)

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """R^2 of the predictions (targets flattened per sample, uniform average).

        Parameters
        ----------
        X : array-like of shape (n, T, F) or (n, T)
            Windows with the T and F seen in ``fit``.
        y : array-like of shape (n,), (n, H) or (n, H, L)
            True targets, with the per-sample shape seen in ``fit``.
        sample_weight : array-like of shape (n,), optional
            Weights of the samples in the R^2.

        Returns
        -------
        float
            The coefficient of determination (1.0 is a perfect fit).
        """
        y_pred = self.predict(X)
        n = len(y_pred)
        y_true = self._validate_target(y, n, fitting=False).astype(np.float64)
        if y_true.reshape(n, -1).shape[1] != y_pred.reshape(n, -1).shape[1]:
            raise ValueError(
                f"`y` must have the target shape {self.target_shape_} seen in fit per sample. "
                f"Received: y with shape {np.shape(y)}"
            )
        return float(
            r2_score(y_true.reshape(n, -1), y_pred.reshape(n, -1), sample_weight=sample_weight)
        )

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        tags.non_deterministic = self.random_state is None
        return tags


class RNNRegressor(_RegressorBase):
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
        vocab_size: int | None = None,
        mask_value: float | None = None,
        decoder: str = "dense",
        highway: bool = False,
        static_features: int = 0,
        optimizer: str = "adam",
        learning_rate: float = 1e-3,
        loss: str | Callable = "mse",
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
        ema_momentum: float | None = None,
        learning_rate_schedule: str = "constant",
    ) -> None:
        self.cell = cell
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.dense_units = dense_units
        self.segment_length = segment_length
        self.embedding_dim = embedding_dim
        self.vocab_size = vocab_size
        self.mask_value = mask_value
        self.decoder = decoder
        self.highway = highway
        self.static_features = static_features
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
        self.ema_momentum = ema_momentum
        self.learning_rate_schedule = learning_rate_schedule


class LSTMRegressor(RNNRegressor):
    """Recurrent regressor with LSTM cells: :class:`RNNRegressor` with ``cell="lstm"``.

    The cell is fixed (``cell`` is a class attribute, not a parameter); every
    parameter is that of :class:`RNNRegressor`.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.random.rand(64, 12, 2), np.random.rand(64, 3)
    >>> LSTMRegressor(units=8, epochs=2, random_state=0).fit(X, y).predict(X).shape
    (64, 3)
    """

    cell = "lstm"

    def __init__(
        self,
        units: int | tuple[int, ...] = (32,),
        bidirectional: bool = False,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        dense_units: int | tuple[int, ...] | None = None,
        segment_length: int | None = None,
        embedding_dim: int | None = None,
        vocab_size: int | None = None,
        mask_value: float | None = None,
        decoder: str = "dense",
        highway: bool = False,
        static_features: int = 0,
        optimizer: str = "adam",
        learning_rate: float = 1e-3,
        loss: str | Callable = "mse",
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
        ema_momentum: float | None = None,
        learning_rate_schedule: str = "constant",
    ) -> None:
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.dense_units = dense_units
        self.segment_length = segment_length
        self.embedding_dim = embedding_dim
        self.vocab_size = vocab_size
        self.mask_value = mask_value
        self.decoder = decoder
        self.highway = highway
        self.static_features = static_features
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
        self.ema_momentum = ema_momentum
        self.learning_rate_schedule = learning_rate_schedule


class GRURegressor(RNNRegressor):
    """Recurrent regressor with GRU cells: :class:`RNNRegressor` with ``cell="gru"``.

    The cell is fixed (``cell`` is a class attribute, not a parameter); every
    parameter is that of :class:`RNNRegressor`.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.random.rand(64, 12), np.random.rand(64)
    >>> GRURegressor(units=8, epochs=2, random_state=0).fit(X, y).predict(X).shape
    (64,)
    """

    cell = "gru"

    def __init__(
        self,
        units: int | tuple[int, ...] = (32,),
        bidirectional: bool = False,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        dense_units: int | tuple[int, ...] | None = None,
        segment_length: int | None = None,
        embedding_dim: int | None = None,
        vocab_size: int | None = None,
        mask_value: float | None = None,
        decoder: str = "dense",
        highway: bool = False,
        static_features: int = 0,
        optimizer: str = "adam",
        learning_rate: float = 1e-3,
        loss: str | Callable = "mse",
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
        ema_momentum: float | None = None,
        learning_rate_schedule: str = "constant",
    ) -> None:
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.dense_units = dense_units
        self.segment_length = segment_length
        self.embedding_dim = embedding_dim
        self.vocab_size = vocab_size
        self.mask_value = mask_value
        self.decoder = decoder
        self.highway = highway
        self.static_features = static_features
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
        self.ema_momentum = ema_momentum
        self.learning_rate_schedule = learning_rate_schedule


class SimpleRNNRegressor(RNNRegressor):
    """Recurrent regressor with plain RNN cells: :class:`RNNRegressor` with ``cell="rnn"``.

    No cuDNN kernel exists for ``SimpleRNN``; it suits short windows.

    The cell is fixed (``cell`` is a class attribute, not a parameter); every
    parameter is that of :class:`RNNRegressor`.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.random.rand(64, 12, 2), np.random.rand(64, 4, 2)
    >>> SimpleRNNRegressor(units=8, epochs=2, random_state=0).fit(X, y).predict(X).shape
    (64, 4, 2)
    """

    cell = "rnn"

    def __init__(
        self,
        units: int | tuple[int, ...] = (32,),
        bidirectional: bool = False,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        dense_units: int | tuple[int, ...] | None = None,
        segment_length: int | None = None,
        embedding_dim: int | None = None,
        vocab_size: int | None = None,
        mask_value: float | None = None,
        decoder: str = "dense",
        highway: bool = False,
        static_features: int = 0,
        optimizer: str = "adam",
        learning_rate: float = 1e-3,
        loss: str | Callable = "mse",
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
        ema_momentum: float | None = None,
        learning_rate_schedule: str = "constant",
    ) -> None:
        self.units = units
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.dense_units = dense_units
        self.segment_length = segment_length
        self.embedding_dim = embedding_dim
        self.vocab_size = vocab_size
        self.mask_value = mask_value
        self.decoder = decoder
        self.highway = highway
        self.static_features = static_features
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
        self.ema_momentum = ema_momentum
        self.learning_rate_schedule = learning_rate_schedule


#: the regressors' parameters after the shared ``PARAMS_DOC`` (with its blank line)
_EXTRA_PARAMS_DOC = """    decoder : {"dense", "segments", "shared_segments"}, default="dense"
        ``"dense"``: a dense head maps the last state to the whole
        target. ``"segments"`` (SegRNN's parallel multi-step decoding, needs
        ``segment_length``; not with ``bidirectional``): input segments are
        embedded by a ReLU dense layer; the horizon is cut into segments of
        ``segment_length`` steps, each decoded at once by one recurrent step from
        the encoder's final state with a learned position embedding, so later
        segments do not share one dense map. ``dropout`` then applies only to the
        decoded states. ``"shared_segments"``: the same, but the decoding step is
        run by the encoder's last recurrent layer itself (SegRNN's single GRU)
        instead of a cell of its own.
    highway : bool, default=False
        Add a linear map of the whole input window (the ``T * F`` values of
        ``X``, after any scaling the caller applied) to the output: LSTNet's
        autoregressive highway, so the network learns what a linear
        autoregression misses. Not with ``embedding_dim`` or ``mask_value``.
    static_features : int, default=0
        The last ``static_features`` feature columns of ``X`` are constant over
        each window (e.g. a series' one-hot code: ``NeuralForecaster(
        series_features="embedding")`` appends it and sets this): the encoder
        does not read them; a segment ``decoder`` adds their embedding to every
        output segment's position embedding (SegRNN's channel position
        embedding). Needs ``decoder="segments"`` or ``"shared_segments"``.
    ema_momentum : float in [0, 1) or None, default=None
        Keep an exponential moving average of the weights over the training
        steps (Polyak averaging; Keras' optimizer ``use_ema``):
        ``avg = m * avg + (1 - m) * w`` after every step, so ``m=0.999`` averages
        about the last 1000 steps. The averaged weights are the ones validated
        (``val_loss``), kept by early stopping and returned; training itself
        follows the live weights. ``None``: off.
    learning_rate_schedule : {"constant", "cosine"}, default="constant"
        ``"cosine"``: the learning rate falls from ``learning_rate`` to 0 along a
        half cosine over the ``epochs * steps_per_epoch`` steps of each ``fit``
        (set before every step; early stopping does not shorten the schedule, so
        use it with a fixed number of epochs). On M4 Hourly (GRU 2x128, 9
        epochs, scored on the last 48 points of the training series, seeds 0-4)
        single models' OWA went from 0.419-0.427 at a constant 2e-3 to
        0.402-0.412 with cosine from ``learning_rate=4e-3`` (cosine from 2e-3:
        no gain; see BENCHMARKS.md).

"""

_ATTRIBUTES_DOC = """    Attributes
    ----------
    model_ : keras.Model
    history_ : dict
        Metric name -> per-epoch values of the last ``fit``.
    n_features_in_ : int
        F (features per step), not T.
    window_length_ : int
        T.
    target_shape_ : tuple of int
        ``y.shape[1:]`` seen in fit.
    vocab_size_ : int
        Only with ``embedding_dim``: ``vocab_size``, or the largest token id seen + 1.
    best_epoch_ : int or None
        Epoch whose value of the monitored loss was the best.

"""

RNNRegressor.__doc__ = (
    """Recurrent network regressor over windows, scikit-learn compatible.

    ``X`` has shape ``(n, T, F)`` (or ``(n, T)``, read as one feature); ``y`` has
    shape ``(n,)``, ``(n, H)`` (MIMO: H steps) or ``(n, H, L)`` (H steps of L
    targets) and ``predict`` returns the same trailing shape.
"""
    + PARAMS_DOC
    + _EXTRA_PARAMS_DOC
    + _ATTRIBUTES_DOC
    + """    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(128, 24, 1)), rng.normal(size=(128, 6))
    >>> est = RNNRegressor(cell="gru", units=(16, 8), epochs=2, random_state=0).fit(X, y)
    >>> est.predict(X).shape
    (128, 6)
    >>> est.hidden_states(X, layer=0).shape
    (128, 24, 16)
    """
)



def _with_shared_params(doc: str | None) -> str | None:
    """``doc`` with the shared Parameters and Attributes inserted before its Examples."""
    if doc is None:  # docstrings stripped (python -OO)
        return None
    before, sep, after = doc.partition("    Examples\n")
    return (before + PARAMS_DOC_FIXED_CELL.lstrip("\n") + _EXTRA_PARAMS_DOC + _ATTRIBUTES_DOC
            + sep + after)


LSTMRegressor.__doc__ = _with_shared_params(LSTMRegressor.__doc__)
GRURegressor.__doc__ = _with_shared_params(GRURegressor.__doc__)
SimpleRNNRegressor.__doc__ = _with_shared_params(SimpleRNNRegressor.__doc__)
