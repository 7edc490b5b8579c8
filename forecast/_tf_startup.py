"""TensorFlow's start-up logs under ``TF_CPP_MIN_LOG_LEVEL``.

TensorFlow's C++ code logs a few lines while it loads and while it first looks for
devices, before absl reads ``TF_CPP_MIN_LOG_LEVEL``, so that setting does not hide
them: "oneDNN custom operations are on", "Could not find cuda drivers on your
machine" and, on a machine without a GPU, "failed call to cuInit". :func:`start`
captures file descriptor 2 during those two steps and writes back what the level
lets through.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
import tempfile
from types import ModuleType

__all__ = ["start", "kept_lines"]

_ABSL_INIT = (b"WARNING: All log messages before absl::InitializeLog() is called are "
              b"written to STDERR")
_ABSL_LINE = re.compile(rb"([IWEF])\d{4} [\d:.]+ +\d+ \S+:\d+\] ")
_SEVERITY = {b"I": 0, b"W": 1, b"E": 2, b"F": 3}
_NO_DRIVER = b"Could not find cuda drivers on your machine"
_CUINIT = re.compile(rb"E\d{4} [\d:.]+ +\d+ cuda_platform\.cc:\d+\] failed call to cuInit")


def _level() -> int:
    raw = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0").strip()
    return int(raw) if raw.isdigit() else 0


def kept_lines(captured: bytes, level: int) -> bytes:
    """The lines of ``captured`` that TensorFlow's log ``level`` lets through.

    Lines in absl's format (``I0000 00:00:... file.cc:12] text``) are kept when their
    severity (I 0, W 1, E 2, F 3) is at least ``level``; absl's notice that logs go to
    stderr goes when ``level`` is 1 or more; a failed ``cuInit`` goes when TensorFlow
    already said it found no CUDA driver. Every other line is kept.

    Examples
    --------
    >>> kept_lines(b"I0000 00:00:1.5  7 port.cc:153] oneDNN on\\nmine\\n", 2)
    b'mine\\n'
    """
    no_driver = _NO_DRIVER in captured
    kept = []
    for line in captured.splitlines(keepends=True):
        text = line.rstrip(b"\r\n")
        if level >= 1 and text == _ABSL_INIT:
            continue
        match = _ABSL_LINE.match(text)
        if match and _SEVERITY[match.group(1)] < level:
            continue
        if no_driver and level >= 1 and _CUINIT.match(text):
            continue
        kept.append(line)
    return b"".join(kept)


def start(name: str) -> ModuleType:
    """Import ``name`` (for ``"tensorflow"``, also list the devices) with start-up logs
    filtered by ``TF_CPP_MIN_LOG_LEVEL`` (see :func:`kept_lines`).

    Nothing is captured when the module is already imported or the level is 0.
    """
    level = _level()
    if name in sys.modules or level == 0:
        return importlib.import_module(name)
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (AttributeError, OSError, ValueError):  # no usable fd 2 (some embedded hosts)
        return importlib.import_module(name)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            module = importlib.import_module(name)
            if name == "tensorflow":  # where cuInit logs; thread pools can still be set
                module.config.list_physical_devices()
            return module
        finally:
            with contextlib.suppress(AttributeError, OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            text = kept_lines(captured.read(), level)
            if text:
                os.write(2, text)
