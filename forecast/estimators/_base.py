"""Shared training machinery of the Keras estimators (``BaseKerasEstimator``).

Subclasses (regressors, classifiers, the text estimators) declare their
hyperparameters in ``__init__`` (sklearn style: store only) and implement:

- ``_validate_params(self) -> dict``: check architecture hyperparameters (no TF).
- ``_validate_data(self, X, y=None, *, fitting) -> (X_arr, y_arr)``: check and
  convert the data, record data-derived fitted attributes; no TF.
- ``_network_config(self, X, y) -> dict``: JSON-able description of the network
  (sizes from the data + hyperparameters). Equal configs mean "same network":
  a refit then re-initialises the built model instead of rebuilding it.
- ``_build_network(self, config) -> keras.Model`` (uncompiled).
- ``_default_loss(self) -> str`` and optionally ``_metrics(self) -> list``.

and call ``self._fit_arrays(X, y, sample_weight, config)`` from ``fit`` (the
default ``fit`` does validate -> config -> train) and ``self._predict_arrays(X)``
from ``predict``. Training hyperparameters are read from attributes with the
defaults in ``TRAINING_DEFAULTS`` (a subclass may omit any of them).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
import weakref
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._state import estimator_kept_on_error, state_kept_on_error
from . import _persistence as persistence
from ._checkpoint import (
    CHECKPOINT,
    bad_checkpoint,
    copy_optimizer_state,
    read_checkpoint_state,
)
from ._dataset import array_dataset, pack_arrays
from ._fit_params import TRAINING_DEFAULTS, TrainingParams
from ._training import (
    cosine_decay_callback,
    ema_fits_steps,
    make_best_weights_callback,
    make_ema_swap_callback,
    make_optimizer,
    resolve_loss,
    resolve_strategy,
)

__all__ = ["BaseKerasEstimator", "TRAINING_DEFAULTS"]

logger = logging.getLogger(__name__)

_PREDICT_CHUNK = 8192
#: per-model bookkeeping (compile key, optimizer snapshot, strategy)
_MODEL_STATE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class BaseKerasEstimator(TrainingParams, persistence.KerasPersistenceMixin, BaseEstimator):
    """Base class: validation order, model reuse, training loop, fast predict, persistence.

    Not used directly; see :class:`~forecast.estimators.RNNRegressor`.

    Fitted attributes set here: ``model_`` (the Keras model), ``history_`` (dict
    metric -> list of per-epoch floats, for the last ``fit`` call), ``best_epoch_``
    (0-based epoch with the best monitored loss, or ``None``; its weights are the ones
    kept with ``early_stopping``, otherwise the last epoch's are), ``n_epochs_``.

    Reuse and determinism: ``fit`` seeds everything with ``random_state``; when the
    network config is unchanged it redraws the weights of the already built model
    and resets the optimizer's variables instead of rebuilding (rebuilding costs
    ~1.7 s and leaks ~12 MB per fit in TF 2.21). Weights are always drawn by
    :func:`forecast.networks._reinit.reinitialize`, so a fresh clone and a refit
    give bit-identical predictions for the same ``random_state`` on CPU.

    Pickling stores the model as ``.keras`` bytes; unpickle only trusted data.

    Examples
    --------
    A concrete subclass, fitted, pickled and reloaded:

    >>> import pickle
    >>> import numpy as np
    >>> from forecast.estimators import GRURegressor
    >>> X, y = np.random.rand(32, 8, 1), np.random.rand(32)
    >>> est = GRURegressor(units=4, epochs=1, random_state=0).fit(X, y)
    >>> isinstance(est, BaseKerasEstimator)
    True
    >>> pickle.loads(pickle.dumps(est)).predict(X).shape
    (32,)
    """

    # ---------------------------------------------------------------- hooks
    def _validate_params(self) -> dict[str, Any]:
        return {}

    def _validate_data(self, X: Any, y: Any = None, *, fitting: bool) -> tuple[Any, Any]:
        raise NotImplementedError

    def _network_config(self, X: Any, y: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _build_network(self, config: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _default_loss(self) -> str:
        return "mse"

    def _metrics(self) -> list[Any]:
        return []

    # ------------------------------------------------------------- fitting
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> BaseKerasEstimator:
        """Validate, then train the network (see the subclass for shapes).

        Everything is validated before TensorFlow is imported.

        Parameters
        ----------
        X : array-like
            Training inputs, e.g. windows of shape ``(n, T, F)`` or texts (see the
            subclass).
        y : array-like
            Targets, one per sample of ``X`` (see the subclass).
        sample_weight : array-like of shape (n,), optional
            Non-negative weight of each sample (not all zero).

        Returns
        -------
        self
            The fitted estimator.
        """
        self._validate_params()
        self._validate_training_params()
        with self._refit_kept_on_error():
            with self._state_kept_on_error():
                X_arr, y_arr = self._validate_data(X, y, fitting=True)
                n = len(X_arr[0]) if isinstance(X_arr, tuple | list) else len(X_arr)
                sw = self._sample_weight_per_target(
                    self._check_sample_weight(sample_weight, n), y_arr)
                config = self._network_config(X_arr, y_arr)
            return self._fit_arrays(X_arr, y_arr, sw, config)

    @contextlib.contextmanager
    def _refit_kept_on_error(self) -> Iterator[None]:
        """Wrap a whole ``fit``: if validation or training raises, the previous model
        (attributes, weights, optimizer state) stays; Ctrl-C keeps the weights trained so
        far (the best epoch's, see ``_train``). Every ``fit`` override uses it.

        A failed fit that recompiled the network (a ``warm_start`` with a new learning
        rate) leaves a new optimizer on it: its compile record is dropped, so the next
        fit compiles a fresh one rather than going on with the failed run's moments."""
        network = self.__dict__.get("model_")
        optimizer = getattr(network, "optimizer", None)
        try:
            with estimator_kept_on_error(self, errors=(Exception,)):
                yield
        except Exception:
            if network is not None and getattr(network, "optimizer", None) is not optimizer:
                record = _MODEL_STATE.get(network, {})
                record.pop("compile_key", None)
                record.pop("opt_snapshot", None)
            raise

    def _state_kept_on_error(self) -> contextlib.AbstractContextManager[None]:
        """Undo what a failed validation in ``fit`` set (a new vocabulary, classes...),
        so that a fitted estimator stays usable with its previous model."""
        return state_kept_on_error(self)

    def _sample_weight_per_target(self, sw: np.ndarray | None, y: Any) -> np.ndarray | None:
        """Per-sample weights as Keras' loss needs them (token models: one per token)."""
        return sw

    def _training_callbacks(self, p: dict[str, Any]) -> list:
        """Callbacks the estimator adds itself, built once TensorFlow is imported."""
        if p["learning_rate_schedule"] == "cosine":
            return [cosine_decay_callback(p["learning_rate"])]
        return []

    def _get_strategy(self, dist: Any) -> Any:
        cached = self.__dict__.get("_strategy_cache")
        if cached is not None and cached[0] is dist:
            return cached[1]
        strategy = resolve_strategy(dist)
        self.__dict__["_strategy_cache"] = (dist, strategy)
        return strategy

    def _checkpoint_key(self, config: dict[str, Any]) -> Any:
        """What a checkpoint must match to be resumed: the network's config (JSON)."""
        return persistence.to_jsonable(config)

    def _checkpoint_matches(self, saved: Any, config: dict[str, Any]) -> bool:
        """Whether a checkpoint's recorded key (``state.json``'s ``config``) is this fit's."""
        return saved == self._checkpoint_key(config)

    def _compile_key(self, p: dict[str, Any]) -> tuple:
        loss = p["loss"] if p["loss"] is not None else self._default_loss()
        return (
            p["optimizer"], p["learning_rate"], p["clipnorm"], p["clipvalue"], loss,
            p["run_eagerly"], p.get("ema_momentum"),
        )

    def _compile(self, model: Any, p: dict[str, Any]) -> None:
        loss = resolve_loss(p["loss"] if p["loss"] is not None else self._default_loss())
        optimizer = make_optimizer(
            p["optimizer"], p["learning_rate"], clipnorm=p["clipnorm"], clipvalue=p["clipvalue"],
            ema_momentum=p.get("ema_momentum"),
        )
        model.compile(
            optimizer=optimizer,
            loss=loss,
            metrics=self._metrics() or None,
            run_eagerly=p["run_eagerly"],
        )
        optimizer.build(model.trainable_variables)
        _MODEL_STATE[model] = {
            "compile_key": self._compile_key(p),
            "opt_snapshot": [np.array(v.numpy()) for v in optimizer.variables],
            "learning_rate": float(optimizer.learning_rate.numpy()),
        }

    def _prepare_model(self, config: dict[str, Any], p: dict[str, Any]) -> tuple[Any, int]:
        """Return the model to train (reused, built or resumed) and the initial epoch."""
        from .._tf import seed_everything
        from ..networks._reinit import can_reinitialize, reinitialize

        seed_everything(p["random_state"])
        strategy = self._get_strategy(p["distribution"])
        model = getattr(self, "model_", None)
        same_net = model is not None and getattr(self, "_net_config_", None) == config
        ckpt = p["checkpoint_dir"]
        self._checkpoint_best = None
        saved = read_checkpoint_state(ckpt) if p["warm_start"] and ckpt is not None else None
        if saved is not None and not self._checkpoint_matches(saved.get("config"), config):
            warnings.warn(
                f"The checkpoint in checkpoint_dir={str(ckpt)!r} is of another network (or "
                "other classes): it is not resumed, and this fit's checkpoints replace it.",
                UserWarning,
                stacklevel=5,
            )
        elif saved is not None:
            start = saved["epoch"] + 1
            # a run that ended (all its epochs, or stopped early) after its best epoch:
            # resuming from the best would retrain the epochs after it
            last = saved.get("last_epoch", saved["epoch"]) + 1 if saved.get("finished") else 0
            finished = last > start or start >= p["epochs"]
            if finished:  # nothing to resume: an ordinary warm start (``epochs`` more)
                weights = "the current weights" if same_net else "the checkpoint's weights"
                where = (f"is already at epoch {start} of epochs={p['epochs']}"
                         if start >= p["epochs"] else
                         f"holds a run that ended at epoch {last}, after its best epoch {start}")
                hint = (f"To continue the checkpointed run instead, pass epochs > {start}; to "
                        "start afresh" if start >= p["epochs"] and last <= start
                        else "To start afresh")
                warnings.warn(
                    f"The checkpoint in checkpoint_dir={str(ckpt)!r} {where}: there is "
                    f"nothing to resume, so this warm_start fit trains {p['epochs']} more "
                    f"epochs from {weights} and starts a new checkpoint. {hint}, pass "
                    "warm_start=False.",
                    UserWarning,
                    stacklevel=5,
                )
            if not (finished and same_net):
                model = self._load_checkpoint_model(ckpt, p, strategy)
                if finished:
                    return model, 0
                self._checkpoint_best = (saved["best"], saved["epoch"])
                logger.info("resuming from %s at epoch %d", ckpt, start)
                return model, start
        if p["warm_start"] and model is not None and not same_net:
            old = getattr(self, "_net_config_", None) or {}
            changed = sorted(str(k) for k in set(old) | set(config) if old.get(k) != config.get(k))
            warnings.warn(
                f"warm_start=True cannot continue the fitted network: its shape changed "
                f"({', '.join(changed[:5])}; e.g. a larger vocabulary or other features), "
                "so this fit starts from new weights.",
                UserWarning,
                stacklevel=5,
            )
        if p["warm_start"] and same_net:
            if _MODEL_STATE.get(model, {}).get("compile_key") != self._compile_key(p):
                with strategy.scope():
                    self._compile(model, p)
            elif _MODEL_STATE[model].get("learning_rate") is not None:
                # a schedule or callback may have lowered it: the compiled rate again
                model.optimizer.learning_rate.assign(_MODEL_STATE[model]["learning_rate"])
            return model, 0
        reuse = (
            same_net
            and _MODEL_STATE.get(model, {}).get("strategy") is strategy
            and can_reinitialize(model)
        )
        if not reuse:
            with strategy.scope():
                model = self._build_network(config)
            _MODEL_STATE[model] = {"strategy": strategy}
        if can_reinitialize(model):
            reinitialize(model, p["random_state"])
        state = _MODEL_STATE.setdefault(model, {"strategy": strategy})
        state["strategy"] = strategy
        if state.get("compile_key") != self._compile_key(p) or "opt_snapshot" not in state:
            with strategy.scope():
                self._compile(model, p)
            _MODEL_STATE[model]["strategy"] = strategy
        else:
            for var, value in zip(model.optimizer.variables, state["opt_snapshot"], strict=True):
                var.assign(value)
        return model, 0

    def _load_checkpoint_model(self, ckpt: Path, p: dict[str, Any], strategy: Any) -> Any:
        """The model saved in ``ckpt``, compiled with the current parameters.

        The checkpoint's optimizer state (step count, moments) is kept when the
        optimizer is the same kind; its learning rate, clipping and loss are not: the
        current parameters apply.

        Parameters
        ----------
        ckpt : pathlib.Path
            The checkpoint directory (``best.keras`` inside).
        p : dict
            The validated training parameters.
        strategy : tf.distribute.Strategy
            The strategy to load and compile the model under.

        Returns
        -------
        keras.Model

        Raises
        ------
        ValueError
            If ``best.keras`` cannot be loaded (truncated or corrupted).
        """
        try:
            with strategy.scope():
                model = persistence.load_keras_model(
                    ckpt / CHECKPOINT, safe_mode=True,
                    extra_objects=persistence.loss_objects(p["loss"]),
                )
        except persistence.UnsafeFileError:
            raise
        except (OSError, zipfile.BadZipFile, KeyError, TypeError, ValueError) as exc:
            raise bad_checkpoint(ckpt, f"its {CHECKPOINT} cannot be loaded (truncated or "
                                        f"corrupted?): {exc}") from exc
        saved = getattr(model, "optimizer", None)
        with strategy.scope():
            self._compile(model, p)
        _MODEL_STATE[model]["strategy"] = strategy
        copy_optimizer_state(saved, model.optimizer)
        return model

    def _fit_arrays(
        self, X: Any, y: Any, sample_weight: np.ndarray | None, config: dict[str, Any]
    ) -> BaseKerasEstimator:
        """Train on validated arrays (``X``/``y`` may be arrays or tuples of arrays).

        The validation set is the time-ordered tail (``validation_fraction``) of the
        given windows; only the head is shuffled during training. Seeding for
        ``random_state`` resets Python's and NumPy's global generators (as Keras'
        ``set_random_seed`` does); their states are restored afterwards, so the
        caller's own random streams go on as if no model had been fitted.
        """
        from .._tf import keep_global_rng

        with keep_global_rng():
            return self._train(X, y, sample_weight, config)

    def _train(
        self, X: Any, y: Any, sample_weight: np.ndarray | None, config: dict[str, Any]
    ) -> BaseKerasEstimator:
        from .._tf import seed_everything
        from ._tracing import build_training_state, quiet_keras_retracing

        p = self._validate_training_params()
        n = len(X[0]) if isinstance(X, tuple | list) else len(X)
        n_val = int(np.floor(n * p["validation_fraction"]))
        if p["validation_fraction"] > 0 and n_val == 0:
            n_val = 1
        if n - n_val < 1:
            raise ValueError(
                f"`validation_fraction` leaves no training samples out of {n}. "
                f"Received: validation_fraction={p['validation_fraction']}"
            )

        def head(a: Any) -> Any:
            if a is None:
                return None
            return type(a)(head(v) for v in a) if isinstance(a, tuple | list) else a[: n - n_val]

        def tail(a: Any) -> Any:
            if a is None:
                return None
            return type(a)(tail(v) for v in a) if isinstance(a, tuple | list) else a[n - n_val :]

        p = self._fit_to_steps(p, p["epochs"] * -(-(n - n_val) // p["batch_size"]))
        model, initial_epoch = self._prepare_model(config, p)
        self.model_ = model
        self._net_config_ = config
        resumed = self._checkpoint_best  # (best value, its epoch) of a resumed checkpoint
        best_cb = make_best_weights_callback(
            monitor="val_loss" if n_val else "loss",
            patience=p["patience"] if p["early_stopping"] else None,
            restore=p["early_stopping"],
            checkpoint_dir=p["checkpoint_dir"],
            state_extra={"config": self._checkpoint_key(config)},
            best=None if resumed is None else resumed[0],
            best_epoch=None if resumed is None else resumed[1],
            # the loaded checkpoint is the best so far: returned if no later epoch beats it
            best_weights=None if resumed is None else model.get_weights(),
        )
        # averaged weights (use_ema) are what gets validated, kept as best and returned
        ema_cb = [make_ema_swap_callback()] if p.get("ema_momentum") is not None else []
        seed_everything(p["random_state"])  # identical data order for built and reused models
        # tf.data pipelines Keras would build from the arrays, without its per-epoch
        # autotuning wait (see _dataset): same batches, same order, same results
        # (built after the seed: the shuffle takes TF's global seed when traced)
        train = array_dataset(pack_arrays(head(X), head(y), head(sample_weight)),
                              batch_size=p["batch_size"], shuffle=p["shuffle"])
        validation = None
        if n_val:
            validation = array_dataset(pack_arrays(tail(X), tail(y), tail(sample_weight)),
                                       batch_size=p["batch_size"], shuffle=False)
        build_training_state(model, train)  # one trace of the training step, not two
        self.history_ = {}
        self.best_epoch_ = None
        try:
            if initial_epoch < p["epochs"]:
                with quiet_keras_retracing():  # one trace per new model is no retracing
                    hist = model.fit(
                        train,
                        epochs=p["epochs"],
                        initial_epoch=initial_epoch,
                        validation_data=validation,
                        shuffle=False,  # ``train`` shuffles itself (Keras would warn)
                        verbose=int(p["verbose"]),
                        callbacks=[*ema_cb, best_cb, *self._training_callbacks(p),
                                   *p["callbacks"]],
                    )
                self.history_ = {
                    key: [float(v) for v in values] for key, values in hist.history.items()
                }
        except KeyboardInterrupt:
            best_cb.restore_best(force=True)  # Ctrl-C keeps the best epoch's weights
            self._finish_fit(best_cb)
            raise
        self._finish_fit(best_cb)
        return self

    def _ema_for_steps(self, momentum: float | None, steps: int) -> float | None:
        """The weight-averaging momentum for a fit of ``steps`` (subclasses adapt theirs)."""
        return momentum

    def _fit_to_steps(self, p: dict[str, Any], steps: int) -> dict[str, Any]:
        """Settings that depend on the number of training steps (``epochs`` times the
        batches per epoch): warn when weight averaging cannot forget the initial weights."""
        momentum = self._ema_for_steps(p.get("ema_momentum"), steps)
        if momentum is not None and not ema_fits_steps(momentum, steps):
            warnings.warn(
                f"ema_momentum={momentum} averages the weights over about "
                f"{1.0 / (1.0 - momentum):.0f} steps, but this fit runs at most {steps} "
                f"({p['epochs']} epochs of {-(-steps // p['epochs'])} batches): the returned "
                f"average would still hold {momentum ** steps:.0%} of the initial weights. "
                "Lower the momentum, train longer or pass ema_momentum=None.",
                UserWarning,
                stacklevel=5,
            )
        return {**p, "ema_momentum": momentum}

    def _finish_fit(self, best_cb: Any) -> None:
        self.best_epoch_ = best_cb.best_epoch
        self.n_epochs_ = best_cb.epochs_seen
        if not self.history_ and best_cb.logs:
            self.history_ = {
                key: [float(log[key]) for log in best_cb.logs if key in log]
                for key in best_cb.logs[0]
            }

    # ----------------------------------------------------------- predicting
    def _predict_arrays(self, X: Any) -> np.ndarray:
        """Run the network on validated inputs with the compiled predict function.

        Uses ``model.predict_on_batch`` on chunks of 8192 windows (one traced
        ``tf.function``; ~3x faster than ``model.predict`` with its default batch).
        """
        from ._tracing import quiet_keras_retracing

        check_is_fitted(self, "model_")
        with quiet_keras_retracing():  # a fresh clone traces once: no retracing
            return self._predict_batches(self.model_, X)

    def _predict_batches(self, model: Any, X: Any) -> np.ndarray:
        n = len(X[0]) if isinstance(X, tuple | list) else len(X)
        strategy = _MODEL_STATE.get(model, {}).get("strategy")
        if strategy is not None and getattr(strategy, "num_replicas_in_sync", 1) > 1:
            # predict_on_batch is not replica-aware; let Keras split the batches.
            batch = max(int(self._param("batch_size")), 1024)
            data = array_dataset(pack_arrays(X), batch_size=batch, shuffle=False)
            return np.asarray(model.predict(data, verbose=0))
        if n <= _PREDICT_CHUNK:
            return np.asarray(model.predict_on_batch(X))
        outs = []
        for start in range(0, n, _PREDICT_CHUNK):
            sl = slice(start, start + _PREDICT_CHUNK)
            chunk = type(X)(a[sl] for a in X) if isinstance(X, tuple | list) else X[sl]
            outs.append(np.asarray(model.predict_on_batch(chunk)))
        return np.concatenate(outs, axis=0)

    def hidden_states(self, X: Any, layer: int = 0) -> np.ndarray:
        """Hidden states of recurrent layer ``layer`` at every step.

        Parameters
        ----------
        X : array-like
            Inputs as accepted by ``predict``.
        layer : int, default=0
            Index of the recurrent layer in the stack (0 = closest to the input).

        Returns
        -------
        numpy.ndarray of shape (n, T', units)
            ``T' = T`` (or ``T // segment_length``); ``2 * units`` features when
            bidirectional (forward then backward states). For a model made of several
            networks trained side by side (``ensemble_size > 1``), the states of the
            first one.

        Examples
        --------
        >>> import numpy as np
        >>> from forecast.estimators import GRURegressor
        >>> X, y = np.random.rand(100, 24, 1), np.random.rand(100)
        >>> est = GRURegressor(units=8, epochs=1, random_state=0).fit(X, y)
        >>> est.hidden_states(X, layer=0).shape
        (100, 24, 8)
        """
        from .._tf import keras

        check_is_fitted(self, "model_")
        X_arr, _ = self._validate_data(X, None, fitting=False)
        k = keras()
        # several networks trained side by side are sub-models "member_0", ...: the first
        net = next((lyr for lyr in self.model_.layers
                    if isinstance(lyr, k.Model) and lyr.name == "member_0"), self.model_)
        if len(net.inputs) != 1:
            raise TypeError(
                f"hidden_states reads networks with one input; {type(self).__name__}'s has "
                f"{len(net.inputs)} (an encoder and a decoder: see its attention_weights)"
            )
        recurrent = [lyr for lyr in net.layers
                     if isinstance(lyr, k.layers.RNN | k.layers.Bidirectional)]
        # several networks side by side ("member_0_recurrent_0", ...): the first one's
        prefix = recurrent[0].name.partition("recurrent_")[0] if recurrent else ""
        names = [lyr.name for lyr in recurrent if lyr.name.startswith(prefix)]
        if not isinstance(layer, int) or isinstance(layer, bool) or not (
            -len(names) <= layer < len(names)
        ):
            raise ValueError(
                f"`layer` must be an integer in [0, {len(names)}). Received: layer={layer!r}"
            )
        target = net.get_layer(names[layer])
        config = target.get_config()
        if "layer" in config:  # Bidirectional
            config = dict(config)
            for key in ("layer", "backward_layer"):
                if config.get(key):
                    sub = dict(config[key])
                    sub["config"] = {**sub["config"], "return_sequences": True}
                    config[key] = sub
        else:
            config = {**config, "return_sequences": True, "return_state": False}
        config["name"] = f"{names[layer]}_states"
        probe = type(target).from_config(config)
        # the network's own graph up to the target's input (masks, and layers with two
        # outputs such as the static-feature split, as in training), then the probe
        feed = target.input  # [values, mask] where the layer was called with a mask
        if isinstance(feed, list | tuple):
            states = probe(feed[0], mask=feed[1]) if len(feed) > 1 else probe(feed[0])
        else:
            states = probe(feed)
        sub_model = k.Model(net.inputs, states)
        probe.set_weights(target.get_weights())
        from ._tracing import quiet_keras_retracing

        with quiet_keras_retracing():  # a new sub-model per call: one trace each
            return np.asarray(sub_model.predict_on_batch(X_arr))
