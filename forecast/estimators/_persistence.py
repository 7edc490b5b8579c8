"""Persistence of the Keras estimators: model <-> bytes/file helpers (``.keras``
format, safe mode) and :class:`KerasPersistenceMixin` (pickling, ``save``, ``load``).

Every file goes through :mod:`forecast._io` so a killed writer never leaves a torn file.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any, Self

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._io import atomic_path
from .._validation import describe

__all__ = [
    "custom_objects",
    "model_to_bytes",
    "model_from_bytes",
    "load_keras_model",
    "save_model_with_metadata",
    "read_metadata",
    "to_jsonable",
    "from_jsonable",
    "KerasPersistenceMixin",
]

METADATA_NAME = "forecast_estimator.json"


def custom_objects() -> dict[str, Any]:
    """Custom Keras objects needed to load our models (losses, pooling, segment decoder)."""
    out: dict[str, Any] = {}
    for module in ("_losses", "_pooling", "_segment_decoder"):
        if importlib.util.find_spec(f"forecast.networks.{module}") is None:
            continue
        mod = importlib.import_module(f"forecast.networks.{module}")
        getter = getattr(mod, "custom_objects", None)
        if callable(getter):
            out.update(getter())
    return out


def load_keras_model(path: str | Path, *, safe_mode: bool = True, compile: bool = True,
                     extra_objects: dict[str, Any] | None = None) -> Any:
    """Load a ``.keras`` file; safe mode refuses ``Lambda`` layers (arbitrary code).

    ``extra_objects`` adds custom objects to the package's own (e.g. a callable loss).

    Raises
    ------
    ValueError
        If the file needs unsafe deserialisation and ``safe_mode=True``.

    Examples
    --------
    >>> model = load_keras_model("model.keras")  # doctest: +SKIP
    """
    from .._tf import keras

    k = keras()
    try:
        return k.saving.load_model(
            str(path), custom_objects={**custom_objects(), **(extra_objects or {})},
            safe_mode=safe_mode, compile=compile,
        )
    except ValueError as exc:
        if safe_mode and ("safe_mode" in str(exc) or "Lambda" in str(exc)):
            raise UnsafeFileError(
                f"Refusing to load {str(path)!r} in safe mode: it contains code (e.g. a Lambda "
                "layer) that would run on load. Pass safe_mode=False only for files you trust. "
                f"Received: safe_mode={safe_mode}"
            ) from exc
        raise


class UnsafeFileError(ValueError):
    """A ``.keras`` file refused in safe mode (it holds code that would run on load)."""


def model_to_bytes(model: Any) -> bytes:
    """Serialise a Keras model (architecture, weights, optimizer state) to ``.keras`` bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        model.save(path)
        return path.read_bytes()


def model_from_bytes(data: bytes, *, safe_mode: bool = False,
                     extra_objects: dict[str, Any] | None = None) -> Any:
    """Inverse of :func:`model_to_bytes` (used by unpickling: trusted data only)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        path.write_bytes(data)
        return load_keras_model(path, safe_mode=safe_mode, extra_objects=extra_objects)


def loss_objects(loss: Any) -> dict[str, Any]:
    """A callable ``loss`` parameter as a Keras custom object (found by its name on load)."""
    if callable(loss) and not isinstance(loss, type) and hasattr(loss, "__name__"):
        return {loss.__name__: loss}
    return {}


def _storable(value: Any) -> bool:
    return value is None or isinstance(value, str | bool | int | float | np.generic)


def to_jsonable(value: Any) -> Any:
    """Convert numpy values/arrays and tuples to JSON; raise ``TypeError`` otherwise."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "O" and all(_storable(v) for v in value.ravel()):
            # e.g. string class labels from a pandas Series
            return {"__ndarray__": to_jsonable(value.tolist()), "dtype": "object"}
        if value.dtype.kind not in "biufU":
            raise TypeError(f"cannot store array of dtype {value.dtype}")
        return {"__ndarray__": value.tolist(), "dtype": value.dtype.str}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return {"__tuple__": [to_jsonable(v) for v in value]}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def from_jsonable(value: Any) -> Any:
    """Inverse of :func:`to_jsonable`."""
    if isinstance(value, dict):
        if "__ndarray__" in value:
            if value["dtype"] == "object":
                items = value["__ndarray__"]
                out = np.empty(len(items), dtype=object)
                out[:] = items
                return out
            return np.asarray(value["__ndarray__"], dtype=np.dtype(value["dtype"]))
        if "__tuple__" in value:
            return tuple(from_jsonable(v) for v in value["__tuple__"])
        return {k: from_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_jsonable(v) for v in value]
    return value


def save_model_with_metadata(model: Any, path: str | Path, metadata: dict[str, Any]) -> Path:
    """Save ``model`` to ``path`` (``.keras``) atomically with ``metadata`` inside the archive."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"`path` must end with '.keras'. Received: path={str(path)!r}")
    with atomic_path(path) as tmp:
        model.save(tmp)
        with zipfile.ZipFile(tmp, "a") as archive:
            archive.writestr(METADATA_NAME, json.dumps(metadata))
    return path


def read_metadata(path: str | Path) -> dict[str, Any] | None:
    """The estimator metadata stored by :func:`save_model_with_metadata` (``None`` if absent)."""
    with zipfile.ZipFile(path) as archive:
        if METADATA_NAME not in archive.namelist():
            return None
        return json.loads(archive.read(METADATA_NAME).decode("utf-8"))


class KerasPersistenceMixin:
    """Pickling, :meth:`save` and :meth:`load` of the Keras estimators.

    Mixed into :class:`~forecast.estimators.BaseKerasEstimator`: a pickle holds
    the model as ``.keras`` bytes; ``save`` writes one ``.keras`` archive with the
    parameters and fitted attributes as JSON (no pickle).
    """

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state = {
            k: v
            for k, v in state.items()
            if k not in ("_strategy_cache", "_checkpoint_best")
        }
        model = state.pop("model_", None)
        if model is not None:
            state["_model_keras_bytes"] = model_to_bytes(model)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        data = state.pop("_model_keras_bytes", None)
        super().__setstate__(state)
        if data is not None:
            self.model_ = model_from_bytes(data, safe_mode=False,
                                           extra_objects=loss_objects(state.get("loss")))

    def _fitted_state(self) -> dict[str, Any]:
        out = {}
        for key, value in vars(self).items():
            if key.endswith("_") and not key.startswith("__") and key not in (
                "model_", "_compile_key_"
            ):
                try:
                    out[key] = to_jsonable(value)
                except TypeError as exc:  # a file without it would load and then fail
                    raise TypeError(
                        f"The fitted attribute `{key}` cannot be stored in a .keras file "
                        f"({exc}); pickle the estimator instead. Received: {key}="
                        f"{describe(value)}") from None
        return out

    def save(self, path: str | os.PathLike) -> Path:
        """Save the fitted estimator to a ``.keras`` file (atomically).

        The archive holds the Keras model plus the estimator's parameters and
        fitted attributes (JSON); no pickle is involved.

        Parameters
        ----------
        path : str or path-like
            Destination, must end with ``.keras`` (``~`` is expanded).

        Returns
        -------
        pathlib.Path

        Examples
        --------
        >>> import tempfile
        >>> import numpy as np
        >>> from forecast.estimators import LSTMRegressor
        >>> X, y = np.random.rand(32, 8, 1), np.random.rand(32)
        >>> est = LSTMRegressor(units=4, epochs=1, random_state=0).fit(X, y)
        >>> path = Path(tempfile.mkdtemp()) / "model.keras"
        >>> est.save(path).name
        'model.keras'

        :meth:`load` reads it back.
        """
        check_is_fitted(self, "model_")
        path = Path(path).expanduser()
        params = {}
        for name, value in self.get_params(deep=False).items():
            try:
                params[name] = to_jsonable(value)
            except TypeError:
                warnings.warn(
                    f"Parameter `{name}` ({describe(value)}) cannot be stored in the file; "
                    "`load` will use its default"
                    + (" and needs custom_objects={name: function} to restore the compiled "
                       "loss" if name == "loss" else "") + ".",
                    UserWarning,
                    stacklevel=2,
                )
        meta = {
            "format": 1,
            "class": f"{type(self).__module__}:{type(self).__qualname__}",
            "params": params,
            "fitted": self._fitted_state(),
        }
        return save_model_with_metadata(self.model_, path, meta)

    @classmethod
    def load(cls, path: str | os.PathLike, safe_mode: bool = True,
             custom_objects: dict[str, Any] | None = None) -> Self:
        """Load an estimator written by :meth:`save`.

        Parameters
        ----------
        path : str or path-like
            A file written by :meth:`save` (``~`` is expanded).
        safe_mode : bool, default=True
            Keras safe mode: refuse files with ``Lambda`` layers (arbitrary code).
            Pass ``False`` only for files you trust.
        custom_objects : dict, optional
            Objects the model was compiled with that Keras cannot import by name, e.g.
            ``{"my_loss": my_loss}`` for ``loss=my_loss``; it becomes the ``loss``
            parameter again.

        Raises
        ------
        FileNotFoundError
            No such file.
        ValueError
            Not an estimator file, or a corrupted / truncated one (the path is named), or
            one compiled with a custom loss that ``custom_objects`` does not provide.

        Returns
        -------
        estimator
            An instance of the class that saved the file (a subclass of ``cls``).

        Examples
        --------
        >>> import tempfile
        >>> import numpy as np
        >>> from forecast.estimators import LSTMRegressor
        >>> X, y = np.random.rand(32, 8, 1), np.random.rand(32)
        >>> est = LSTMRegressor(units=4, epochs=1, random_state=0).fit(X, y)
        >>> path = est.save(Path(tempfile.mkdtemp()) / "model.keras")
        >>> bool(np.allclose(LSTMRegressor.load(path).predict(X), est.predict(X)))
        True
        """
        path = Path(path).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"No such file. Received: path={str(path)!r}")
        try:
            meta = read_metadata(path)
        except (zipfile.BadZipFile, OSError, UnicodeDecodeError, ValueError) as exc:
            raise ValueError(f"{str(path)!r} is not a readable .keras archive (corrupted or "
                             f"truncated?): {exc}") from exc
        if meta is None:
            raise ValueError(
                f"{str(path)!r} is a Keras file without forecast estimator metadata; "
                "load it with keras.saving.load_model instead."
            )
        if not isinstance(meta, dict) or not {"class", "params", "fitted"} <= set(meta):
            raise ValueError(f"{str(path)!r} has damaged estimator metadata (it needs "
                             "'class', 'params' and 'fitted').")
        module_name, _, qualname = str(meta["class"]).partition(":")
        if not module_name.startswith("forecast."):
            raise ValueError(f"Refusing to load estimator class {meta['class']!r}.")
        klass = getattr(importlib.import_module(module_name), qualname, None)
        if not (isinstance(klass, type) and issubclass(klass, cls)):
            raise TypeError(
                f"{str(path)!r} holds a {qualname}, not a {cls.__name__}."
            )
        params = {k: from_jsonable(v) for k, v in meta["params"].items()}
        extra = dict(custom_objects or {})
        if "loss" not in params and len(extra) == 1 and callable(next(iter(extra.values()))):
            params["loss"] = next(iter(extra.values()))
        try:
            est = klass(**params)
        except TypeError as exc:
            raise ValueError(f"{str(path)!r} stores parameters that {qualname} does not "
                             f"take: {exc}") from exc
        try:
            est.model_ = load_keras_model(path, safe_mode=safe_mode,
                                          extra_objects={**loss_objects(params.get("loss")),
                                                         **extra})
        except UnsafeFileError:
            raise
        except TypeError as exc:  # Keras: "Could not locate function 'my_loss'. ..."
            found = re.search(r"Could not locate (?:function|class) '([^']+)'", str(exc))
            if found is None:
                raise
            name = found.group(1)
            raise ValueError(
                f"{str(path)!r} was saved with a custom loss or object {name!r} that Keras "
                f"cannot import by name: pass it to load, e.g. load(path, "
                f"custom_objects={{{name!r}: {name}}})."
            ) from exc
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            # KeyError: a member of the archive is missing (zipfile's own error)
            raise ValueError(f"{str(path)!r} holds an unreadable model (corrupted or "
                             f"truncated?): {exc}") from exc
        for key, value in meta["fitted"].items():
            setattr(est, key, from_jsonable(value))
        return est
