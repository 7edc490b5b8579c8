"""Checkpoint files of the Keras estimators: checks of ``checkpoint_dir`` and of a saved
``state.json`` (before TensorFlow is imported), and the optimizer state a resume keeps."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["CHECKPOINT", "CHECKPOINT_STATE", "check_checkpoint_dir", "bad_checkpoint",
           "read_checkpoint_state", "copy_optimizer_state"]

#: the best model and the training state saved in ``checkpoint_dir``
CHECKPOINT = "best.keras"
CHECKPOINT_STATE = "state.json"


def check_checkpoint_dir(value: str | os.PathLike) -> Path:
    """``checkpoint_dir`` as a path (``~`` expanded) where a directory exists or can be
    created; no TF.

    Parameters
    ----------
    value : str or path-like
        The ``checkpoint_dir`` parameter.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        If the path, or the closest of its parents that exists, is not a directory, or
        that directory is not writable.
    """
    path = Path(value).expanduser()
    existing = path
    while not os.path.exists(existing) and existing != existing.parent:
        existing = existing.parent
    where = "" if existing == path else f" ({str(existing)!r} is a file)"
    if not os.path.isdir(existing):
        raise ValueError(
            f"`checkpoint_dir` must be a directory or a path where one can be created{where}. "
            f"Received: checkpoint_dir={str(value)!r}"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(
            f"`checkpoint_dir` must be writable ({str(existing)!r} is not). "
            f"Received: checkpoint_dir={str(value)!r}"
        )
    return path


def bad_checkpoint(ckpt: Path, problem: str) -> ValueError:
    """The error for an incomplete or damaged checkpoint that cannot be resumed."""
    return ValueError(
        f"Cannot resume from checkpoint_dir={str(ckpt)!r}: {problem}. Delete the directory, "
        "or pass warm_start=False to train afresh (the checkpoint is then overwritten)."
    )


def read_checkpoint_state(ckpt: Path) -> dict[str, Any] | None:
    """The checked ``state.json`` of the checkpoint in ``ckpt`` (``None``: no checkpoint).

    Parameters
    ----------
    ckpt : pathlib.Path
        The checkpoint directory.

    Returns
    -------
    dict or None
        ``{"epoch": int >= 0, "best": float or None, ...}``; ``None`` when the directory
        holds neither ``best.keras`` nor ``state.json``.

    Raises
    ------
    ValueError
        If one of the two files is missing or ``state.json`` is damaged.
    """
    has_model, has_state = (ckpt / CHECKPOINT).is_file(), (ckpt / CHECKPOINT_STATE).is_file()
    if not (has_model or has_state):
        return None
    if not has_state:
        raise bad_checkpoint(ckpt, f"it holds {CHECKPOINT} without {CHECKPOINT_STATE} (a run "
                                    "killed while checkpointing?)")
    if not has_model:
        raise bad_checkpoint(ckpt, f"it holds {CHECKPOINT_STATE} without {CHECKPOINT}")
    try:
        state = json.loads((ckpt / CHECKPOINT_STATE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise bad_checkpoint(ckpt, f"its {CHECKPOINT_STATE} is damaged ({exc})") from exc
    epoch = state.get("epoch") if isinstance(state, dict) else None
    best = state.get("best") if isinstance(state, dict) else None
    if (not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0
            or not (best is None or isinstance(best, int | float) and not isinstance(best, bool))):
        raise bad_checkpoint(ckpt, f"its {CHECKPOINT_STATE} is damaged (it needs an 'epoch' "
                                    "integer >= 0 and a 'best' number)")
    return state


def copy_optimizer_state(source: Any, target: Any) -> None:
    """Copy the variables of optimizer ``source`` (step count, moments) into ``target``,
    a freshly built optimizer of the same model; not its learning rate.

    Nothing is copied when the two are of different kinds or hold different variables.

    Parameters
    ----------
    source, target : keras.optimizers.Optimizer or None
    """
    if source is None or target is None or type(source) is not type(target):
        return
    old, new = list(source.variables), list(target.variables)
    if len(old) != len(new) or any(a.shape != b.shape for a, b in zip(old, new, strict=True)):
        return
    for a, b in zip(old, new, strict=True):
        if b.path.rpartition("/")[2] != "learning_rate":
            b.assign(a)
