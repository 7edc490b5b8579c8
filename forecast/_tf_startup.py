"""TensorFlow's start-up logs under ``TF_CPP_MIN_LOG_LEVEL``.

TensorFlow's C++ code logs a few lines while it loads and while it first looks for
devices, before absl reads ``TF_CPP_MIN_LOG_LEVEL``, so that setting does not hide
them: "oneDNN custom operations are on", "Could not find cuda drivers on your
machine" and, on a machine without a GPU, "failed call to cuInit". :func:`start`
sends file descriptor 2 through a pipe during those two steps and passes on, line by
line as they come, what the level lets through. (TensorFlow writes a few hundred bytes
then; a pipe holds 64 KiB, so its writer never waits for the reading thread.)
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
import threading
from types import ModuleType

__all__ = ["start", "kept_lines"]

_ABSL_INIT = (b"WARNING: All log messages before absl::InitializeLog() is called are "
              b"written to STDERR")
_ABSL_LINE = re.compile(rb"([IWEF])\d{4} [\d:.]+ +\d+ \S+:\d+\] ")
_SEVERITY = {b"I": 0, b"W": 1, b"E": 2, b"F": 3}
_NO_DRIVER = b"Could not find cuda drivers on your machine"
_CUINIT = re.compile(rb"E\d{4} [\d:.]+ +\d+ cuda_platform\.cc:\d+\] failed call to cuInit")
_LOCK = threading.Lock()


def _level() -> int:
    raw = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0").strip()
    return int(raw) if raw.isdigit() else 0


class _LineFilter:
    """:func:`kept_lines` applied line by line, as the lines arrive."""

    def __init__(self, level: int) -> None:
        self.level = level
        self.no_driver = False

    def keep(self, line: bytes) -> bool:
        text = line.rstrip(b"\r\n")
        self.no_driver = self.no_driver or _NO_DRIVER in text
        if self.level >= 1 and text == _ABSL_INIT:
            return False
        match = _ABSL_LINE.match(text)
        if match and _SEVERITY[match.group(1)] < self.level:
            return False
        return not (self.no_driver and self.level >= 1 and _CUINIT.match(text))


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
    lines = _LineFilter(level)
    return b"".join(line for line in captured.splitlines(keepends=True) if lines.keep(line))


def _pump(source: int, target: int, level: int) -> None:
    """Copy ``source`` to ``target`` line by line, as it comes, through the filter (so
    what TensorFlow writes before a crash during its import still reaches stderr)."""
    lines, pending = _LineFilter(level), b""
    with os.fdopen(source, "rb", buffering=0) as pipe:
        while chunk := pipe.read(65536):
            *complete, pending = (pending + chunk).split(b"\n")
            kept = b"".join(line + b"\n" for line in complete if lines.keep(line + b"\n"))
            if kept:
                os.write(target, kept)
    if pending and lines.keep(pending):
        os.write(target, pending)


def start(name: str) -> ModuleType:
    """Import ``name`` (for ``"tensorflow"``, also list the devices) with start-up logs
    filtered by ``TF_CPP_MIN_LOG_LEVEL`` (see :func:`kept_lines`).

    File descriptor 2 goes through a pipe while the import runs; a thread writes what
    the level lets through to the real stderr as the lines arrive. One import at a time
    (a lock: two threads loading TensorFlow together must not swap stderr under each
    other). Nothing is filtered when the module is already imported, when the level is
    0, or when stderr has no file descriptor to redirect.
    """
    level = _level()
    if name in sys.modules or level == 0:
        return importlib.import_module(name)
    with _LOCK:
        if name in sys.modules:  # another thread imported it while this one waited
            return importlib.import_module(name)
        try:
            with contextlib.suppress(AttributeError, OSError, ValueError):
                sys.stderr.flush()
            saved = os.dup(2)
        except OSError:  # no usable fd 2 (some embedded hosts)
            return importlib.import_module(name)
        source, sink = os.pipe()
        os.dup2(sink, 2)
        os.close(sink)
        pump = threading.Thread(target=_pump, args=(source, saved, level), daemon=True,
                                name="forecast-tf-startup-log")
        pump.start()
        try:
            module = importlib.import_module(name)
            if name == "tensorflow":  # where cuInit logs; thread pools can still be set
                module.config.list_physical_devices()
            return module
        finally:
            with contextlib.suppress(AttributeError, OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved, 2)  # the pipe's last writer closes: the pump reads to its end
            pump.join(timeout=5.0)
            if not pump.is_alive():  # else a library kept a copy of the pipe: let it pump
                os.close(saved)
