"""TensorFlow's CUDA start-up lines stay out of stderr; everything else written then stays."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from forecast import _tf

NOISE = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    "I0000 00:00:1796686015.371272   30915 cudart_stub.cc:31] Could not find cuda drivers "
    "on your machine, GPU will not be used.\n"
)


@pytest.fixture
def noisy_module(tmp_path, monkeypatch):
    """A module that writes, at import, the noise and a real message to fd 2."""
    name = "forecast_noisy_import_probe"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(f"""
        import os
        os.write(2, {NOISE.encode()!r})
        os.write(2, b"E0000 real error line\\n")
        os.write(2, {NOISE.encode()!r})
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


def test_startup_noise_is_dropped_and_other_lines_kept(noisy_module, capfd, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    module = _tf._import_quietly(noisy_module)
    assert module.__name__ == noisy_module
    err = capfd.readouterr().err
    assert err == "E0000 real error line\n"


def test_nothing_is_filtered_when_the_user_asks_for_logs(noisy_module, capfd, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    _tf._import_quietly(noisy_module)
    assert capfd.readouterr().err == NOISE + "E0000 real error line\n" + NOISE


def test_an_import_error_is_raised_and_stderr_restored(tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    (tmp_path / "forecast_broken_probe.py").write_text(
        "import os\nos.write(2, b'why it broke\\n')\nraise ImportError('broken probe')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError, match="broken probe"):
        _tf._import_quietly("forecast_broken_probe")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "why it broke\nafter\n"


def test_tensorflow_import_through_forecast_prints_no_startup_lines():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    code = "from forecast._tf import keras; keras(); print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300, check=True)
    assert done.stdout.strip() == "ok"
    assert "absl::InitializeLog" not in done.stderr
    assert "cudart_stub" not in done.stderr
