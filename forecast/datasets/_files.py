"""Small path helpers shared by the file loaders: clear errors naming the path."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["as_path", "require_file"]


def as_path(name: str, path: object) -> Path:
    """Return ``path`` as a ``Path`` or raise ``TypeError`` naming the argument."""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str | os.PathLike):
        raise TypeError(
            f"`{name}` must be a path (str or os.PathLike). Received: {name}={path!r}"
        )
    return Path(path).expanduser()


def require_file(name: str, path: object, what: str = "file") -> Path:
    """Return ``path`` if it is an existing file, else raise ``FileNotFoundError``."""
    p = as_path(name, path)
    if p.is_dir():
        raise FileNotFoundError(f"{what} expected but {str(p)!r} is a directory. Received: "
                                f"{name}={str(path)!r}")
    if not p.is_file():
        raise FileNotFoundError(f"{what} not found: {str(p)!r}. Received: {name}={str(path)!r}")
    return p
