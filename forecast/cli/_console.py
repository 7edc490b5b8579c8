"""Console output for the ``forecast`` command (the only place that writes to the terminal).

Library code never prints; the CLI reports results on stdout and progress on
stderr through these helpers so that ``forecast demo > board.txt`` keeps
progress visible while capturing the leaderboard.
"""

from __future__ import annotations

import sys
import time

__all__ = ["CLIError", "out", "err", "progress", "one_line"]


class CLIError(ValueError):
    """Bad usage or bad input: reported as one line on stderr, exit code 2."""


def one_line(message: object, limit: int = 400) -> str:
    """Collapse ``message`` to a single line of at most ``limit`` characters.

    Examples
    --------
    >>> one_line("a\\n  b")
    'a b'
    """
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def out(message: str = "") -> None:
    """Write ``message`` and a newline to stdout (results)."""
    sys.stdout.write(f"{message}\n")
    sys.stdout.flush()


def err(message: str) -> None:
    """Write ``message`` and a newline to stderr (errors)."""
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


_START = time.perf_counter()


def progress(message: str) -> None:
    """Write a timestamped progress line to stderr, e.g. ``[forecast   3.2s] fitting LSTM``."""
    elapsed = time.perf_counter() - _START
    sys.stderr.write(f"[forecast {elapsed:6.1f}s] {message}\n")
    sys.stderr.flush()
