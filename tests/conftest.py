"""Shared fixtures. Environment defaults are set before TensorFlow can be imported."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # bitwise determinism across processes
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("FORECAST_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ``../shared/data``; the test is skipped when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """No test may reach the network: block socket connections to non-local hosts."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise OSError(f"network access blocked in tests: {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


#: files whose tests take tens of seconds each (end-to-end scripts, the README tour,
#: notebooks, the demo). They run first: with ``-n 2 --dist worksteal`` a worker that
#: runs out steals from the end of the other's queue, so the last tests are short ones
#: and neither worker waits long for the other at the end.
_LONG_FIRST = ("test_readme.py", "test_benchmark_", "test_notebooks.py", "test_cli_demo.py",
               "test_pipelines_run.py")


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not item.path.name.startswith(_LONG_FIRST))  # stable
