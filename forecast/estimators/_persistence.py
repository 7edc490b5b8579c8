"""Model <-> bytes/file helpers for the Keras estimators (``.keras`` format, safe mode).

Every file goes through :mod:`forecast._io` so a killed writer never leaves a torn file.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .._io import atomic_path

__all__ = [
    "custom_objects",
    "model_to_bytes",
    "model_from_bytes",
    "load_keras_model",
    "save_model_with_metadata",
    "read_metadata",
    "to_jsonable",
    "from_jsonable",
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


def load_keras_model(path: str | Path, *, safe_mode: bool = True, compile: bool = True) -> Any:
    """Load a ``.keras`` file; safe mode refuses ``Lambda`` layers (arbitrary code).

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
            str(path), custom_objects=custom_objects(), safe_mode=safe_mode, compile=compile
        )
    except ValueError as exc:
        if safe_mode and ("safe_mode" in str(exc) or "Lambda" in str(exc)):
            raise ValueError(
                f"Refusing to load {str(path)!r} in safe mode: it contains code (e.g. a Lambda "
                "layer) that would run on load. Pass safe_mode=False only for files you trust. "
                f"Received: safe_mode={safe_mode}"
            ) from exc
        raise


def model_to_bytes(model: Any) -> bytes:
    """Serialise a Keras model (architecture, weights, optimizer state) to ``.keras`` bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        model.save(path)
        return path.read_bytes()


def model_from_bytes(data: bytes, *, safe_mode: bool = False) -> Any:
    """Inverse of :func:`model_to_bytes` (used by unpickling: trusted data only)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        path.write_bytes(data)
        return load_keras_model(path, safe_mode=safe_mode)


def to_jsonable(value: Any) -> Any:
    """Convert numpy values/arrays and tuples to JSON; raise ``TypeError`` otherwise."""
    if isinstance(value, np.ndarray):
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
