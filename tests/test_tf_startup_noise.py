"""TensorFlow's start-up logs follow TF_CPP_MIN_LOG_LEVEL; other stderr output stays."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading

import pytest

from forecast import _tf_startup

ABSL = b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
INFO = b"I0000 00:00:1796686015.370943   30915 port.cc:153] oneDNN custom operations are on.\n"
NO_DRIVER = (b"I0000 00:00:1796686015.371272   30915 cudart_stub.cc:31] Could not find cuda "
             b"drivers on your machine, GPU will not be used.\n")
CUINIT = (b"E0000 00:00:1796686552.557995   12130 cuda_platform.cc:52] failed call to cuInit: "
          b"INTERNAL: CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)\n")
WARN = b"W0000 00:00:1796686552.557995   12130 some.cc:9] a warning\n"
ERROR = b"E0000 00:00:1796686552.557995   12130 other.cc:7] a real error\n"
MINE = b"a line of my own\n"


@pytest.mark.parametrize(("level", "expected"), [
    (1, ERROR + WARN + MINE),
    (2, ERROR + MINE),
    (3, MINE),
])
def test_kept_lines_follow_the_level(level, expected):
    captured = ABSL + INFO + NO_DRIVER + CUINIT + ERROR + WARN + MINE
    assert _tf_startup.kept_lines(captured, level) == expected


def test_a_failed_cuinit_is_kept_when_a_driver_was_found():
    # a GPU machine whose driver fails: the one line that explains it must stay
    assert _tf_startup.kept_lines(ABSL + INFO + CUINIT, 2) == CUINIT


def test_level_zero_keeps_everything():
    captured = ABSL + INFO + NO_DRIVER + CUINIT + MINE
    assert _tf_startup.kept_lines(captured, 0) == captured


@pytest.fixture
def probe(tmp_path, monkeypatch):
    """A module that writes start-up lines and one of its own to fd 2 at import."""
    name = "forecast_startup_probe"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(f"""
        import os
        os.write(2, {ABSL + INFO + NO_DRIVER!r})
        os.write(2, {ERROR!r})
        os.write(2, {ABSL + INFO!r})
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


def test_start_filters_what_the_import_writes_to_fd_2(probe, capfd, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    assert _tf_startup.start(probe).__name__ == probe
    assert capfd.readouterr().err == ERROR.decode()


def test_start_filters_nothing_at_level_zero(probe, capfd, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    _tf_startup.start(probe)
    assert capfd.readouterr().err == (ABSL + INFO + NO_DRIVER + ERROR + ABSL + INFO).decode()


def test_a_failed_import_raises_and_restores_stderr(tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    (tmp_path / "forecast_broken_probe.py").write_text(
        "import os\nos.write(2, b'why it broke\\n')\nraise ImportError('broken probe')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError, match="broken probe"):
        _tf_startup.start("forecast_broken_probe")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "why it broke\nafter\n"


def test_a_fit_through_forecast_prints_no_startup_logs():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    code = ("import numpy as np\nfrom forecast.estimators import GRURegressor\n"
            "GRURegressor(units=2, epochs=1, random_state=0).fit(np.zeros((8, 3)), np.zeros(8))\n"
            "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300, check=True)
    assert done.stdout.strip() == "ok"
    for noise in ("absl::InitializeLog", "cudart_stub", "port.cc", "cpu_feature_guard"):
        assert noise not in done.stderr
    if "Could not find cuda drivers" not in subprocess.run(
        [sys.executable, "-c", "import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '0'\n"
         "import tensorflow"], capture_output=True, text=True, env=env, timeout=300).stderr:
        return  # a machine with a CUDA driver: a failed cuInit would be news, and is kept
    assert "cuInit" not in done.stderr


def test_two_threads_importing_at_once_leave_stderr_working(tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    names = ["forecast_slow_probe_a", "forecast_slow_probe_b"]
    for name in names:
        (tmp_path / f"{name}.py").write_text(
            f"import os, time\nos.write(2, {INFO!r})\ntime.sleep(0.3)\n"
            f"os.write(2, b'{name}\\n')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    threads = [threading.Thread(target=_tf_startup.start, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    os.write(2, b"after\n")
    err = capfd.readouterr().err
    for name in names:
        sys.modules.pop(name, None)
        assert f"{name}\n" in err
    assert err.endswith("after\n")
    assert "oneDNN" not in err


def test_what_an_import_wrote_before_a_crash_reaches_stderr(tmp_path):
    (tmp_path / "forecast_crash_probe.py").write_text(
        "import os, time\nos.write(2, b'last words\\n')\ntime.sleep(0.5)\nos.abort()\n")
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "from forecast import _tf_startup\n_tf_startup.start('forecast_crash_probe')\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}, timeout=120)
    assert done.returncode != 0
    assert b"last words" in done.stderr
