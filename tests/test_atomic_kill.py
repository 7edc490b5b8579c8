"""Writers killed with SIGKILL in the middle of a write leave no torn file (issue 8, faults).

Each test starts a child process that writes through the toolkit's own writers (the
atomic helpers of ``forecast._io``, the CLI report, ``Estimator.save``, the training
checkpoint). In the child the innermost writer (``Path.write_bytes``, ``Figure.savefig``,
``keras.Model.save``) is wrapped so that, for the file under test, it writes only part
of its output, flushes it to disk, prints ``WRITING <path>`` and waits. The parent then
kills the child with SIGKILL (no cleanup can run) and checks that

* the file under the final name is absent or the previous complete version,
* the torn bytes went to a hidden temporary file beside it, never to the final name,
* the previous version still loads (and training resumes from the checkpoint).

The yfinance cache has its own kill test in ``test_datasets_yfinance.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

# Child-side helpers: `arm(match)` makes the next write whose path name contains `match`
# stop half-way and wait to be killed.
HARNESS = r'''
import os, sys, time, pathlib

def _announce_and_wait(path):
    print("WRITING", path, flush=True)
    time.sleep(120)  # the parent kills us here
    os._exit(3)  # not reached unless the parent failed to kill

def _half(path):
    size = os.path.getsize(path)
    with open(path, "r+b") as fh:
        fh.truncate(max(1, size // 2))
        fh.flush()
        os.fsync(fh.fileno())

def arm_bytes(match):
    real = pathlib.Path.write_bytes
    def write_bytes(self, data):
        if match in self.name:
            with open(self, "wb") as fh:
                fh.write(data[: max(1, len(data) // 2)])
                fh.flush()
                os.fsync(fh.fileno())
            _announce_and_wait(self)
        return real(self, data)
    pathlib.Path.write_bytes = write_bytes

def arm_savefig(match):
    import matplotlib.figure
    real = matplotlib.figure.Figure.savefig
    def savefig(self, fname, *args, **kwargs):
        real(self, fname, *args, **kwargs)
        if match in str(fname):
            _half(fname)
            _announce_and_wait(fname)
    matplotlib.figure.Figure.savefig = savefig

def arm_keras_save(match, skip=0):
    import keras
    real = keras.Model.save
    calls = {"n": 0}
    def save(self, filepath, *args, **kwargs):
        real(self, filepath, *args, **kwargs)
        if match in str(filepath):
            calls["n"] += 1
            if calls["n"] > skip:
                _half(filepath)
                _announce_and_wait(filepath)
    keras.Model.save = save
'''


def _run_until_killed(code: str, cwd: Path) -> Path:
    """Run ``code`` in a child; SIGKILL it when it reports a half-written file."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0",
           "MPLBACKEND": "Agg"}
    proc = subprocess.Popen([sys.executable, "-c", HARNESS + code], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    torn = None
    try:
        for line in proc.stdout:
            if line.startswith("WRITING "):
                torn = Path(line[len("WRITING "):].strip())
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        if proc.poll() is None and torn is None:
            proc.kill()
        _, err = proc.communicate(timeout=600)
    assert torn is not None, f"the child never reached the write under test:\n{err[-3000:]}"
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, err[-3000:])
    return torn


def _assert_torn_file_is_hidden_temp(torn: Path, final: Path) -> None:
    assert torn.resolve() != final.resolve(), "the writer wrote under the final name"
    assert torn.parent.resolve() == final.parent.resolve()
    assert torn.name.startswith(f".{final.name}."), torn.name  # hidden temp beside it
    assert torn.exists()  # SIGKILL: nothing could clean it up


def test_killed_atomic_text_write_keeps_previous_version(tmp_path):
    final = tmp_path / "out" / "table.txt"
    code = f"""
from forecast._io import atomic_write_text
atomic_write_text({str(final)!r}, "version 1\\n" * 1000)
arm_bytes("table.txt")
atomic_write_text({str(final)!r}, "version 2\\n" * 200_000)
"""
    torn = _run_until_killed(code, tmp_path)
    _assert_torn_file_is_hidden_temp(torn, final)
    assert final.read_text() == "version 1\n" * 1000
    assert 0 < torn.stat().st_size < len("version 2\n" * 200_000)


def test_killed_first_write_leaves_no_file(tmp_path):
    final = tmp_path / "fresh.bin"
    code = f"""
from forecast._io import atomic_write_bytes
arm_bytes("fresh.bin")
atomic_write_bytes({str(final)!r}, b"x" * 1_000_000)
"""
    torn = _run_until_killed(code, tmp_path)
    _assert_torn_file_is_hidden_temp(torn, final)
    assert not final.exists()


def test_killed_cli_report_keeps_previous_report(tmp_path):
    out = tmp_path / "report"
    code = f"""
import shutil, sys
from forecast.cli import main
argv = ["backtest", "--sample", "co2", "--models", "naive,snaive", "--horizon", "12",
        "--folds", "2", "--no-plots", "--out", {str(out)!r}]
assert main(argv) == 0
assert "tensorflow" not in sys.modules
shutil.copy({str(out / "report.md")!r}, {str(tmp_path / "v1")!r})
arm_bytes("report.md")
main(argv)
"""
    torn = _run_until_killed(code, tmp_path)
    final = out / "report.md"
    _assert_torn_file_is_hidden_temp(torn, final)
    text = final.read_text(encoding="utf-8")
    assert text == (tmp_path / "v1").read_text(encoding="utf-8")  # previous complete version
    assert "SeasonalNaive" in text
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "backtest_leaderboard.csv", "backtest_predictions.csv", "report.md"]


def test_killed_report_figure_keeps_previous_png(tmp_path):
    final = tmp_path / "forecast.png"
    code = f"""
import matplotlib.pyplot as plt
from pathlib import Path
from forecast.cli._report import save_figure
fig, ax = plt.subplots()
ax.plot([1, 2, 3])
save_figure(fig, Path({str(final)!r}))
Path({str(tmp_path / "v1")!r}).write_bytes(Path({str(final)!r}).read_bytes())
arm_savefig("forecast.png")
fig, ax = plt.subplots(figsize=(12, 8))
ax.plot(range(10_000))
save_figure(fig, Path({str(final)!r}))
"""
    torn = _run_until_killed(code, tmp_path)
    _assert_torn_file_is_hidden_temp(torn, final)
    data = final.read_bytes()
    assert data == (tmp_path / "v1").read_bytes()  # the previous complete version
    assert data.startswith(b"\x89PNG")
    assert data.endswith(b"IEND\xaeB`\x82")


ESTIMATOR_DATA = """
import numpy as np
from forecast.estimators import LSTMRegressor
rng = np.random.default_rng(0)
X = rng.normal(size=(32, 6, 2)).astype("float32")
y = X[:, -2:, 0]
"""


@pytest.mark.slow
def test_killed_estimator_save_keeps_previous_model(tmp_path):
    import numpy as np

    from forecast.estimators import LSTMRegressor

    final = tmp_path / "model.keras"
    code = ESTIMATOR_DATA + f"""
est = LSTMRegressor(units=4, epochs=1, random_state=0).fit(X, y)
est.save({str(final)!r})
np.save({str(tmp_path / "v1.npy")!r}, est.predict(X))
est.set_params(units=(64, 64), epochs=1).fit(X, y)
arm_keras_save("model.keras")
est.save({str(final)!r})
"""
    torn = _run_until_killed(code, tmp_path)
    _assert_torn_file_is_hidden_temp(torn, final)
    loaded = LSTMRegressor.load(final)
    assert loaded.units == 4
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 6, 2)).astype("float32")
    np.testing.assert_allclose(loaded.predict(X), np.load(tmp_path / "v1.npy"), rtol=1e-6)


@pytest.mark.slow
def test_process_killed_while_checkpointing_resumes_from_last_checkpoint(tmp_path):
    import keras
    import numpy as np

    from forecast.estimators import LSTMRegressor

    ckpt = tmp_path / "ckpt"
    params = {"units": 4, "epochs": 5, "random_state": 0, "learning_rate": 0.05,
              "checkpoint_dir": str(ckpt)}
    code = ESTIMATOR_DATA + f"""
arm_keras_save("best.keras", skip=1)  # the first checkpoint completes, the second is torn
LSTMRegressor(**{params!r}).fit(X, y)
"""
    torn = _run_until_killed(code, tmp_path)
    final = ckpt / "best.keras"
    _assert_torn_file_is_hidden_temp(torn, final)
    state = json.loads((ckpt / "state.json").read_text())
    assert state["epoch"] == 0  # the last checkpoint that completed
    model = keras.saving.load_model(final)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 6, 2)).astype("float32")
    assert model.predict_on_batch(X).shape == (32, 2)
    resumed = LSTMRegressor(**params, warm_start=True).fit(X, X[:, -2:, 0])
    assert len(resumed.history_["loss"]) == 5 - (state["epoch"] + 1)
    assert np.isfinite(resumed.predict(X)).all()


def test_atomic_writes_get_plain_file_permissions(tmp_path):
    """mkstemp's 0600 must not leak: new files follow the umask, old ones keep their mode."""
    from forecast._io import atomic_write_text

    old = os.umask(0o022)
    try:
        fresh = atomic_write_text(tmp_path / "new.txt", "a")
        assert fresh.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "private.txt"
        kept.write_text("old")
        kept.chmod(0o600)
        atomic_write_text(kept, "new")
        assert kept.stat().st_mode & 0o777 == 0o600
        assert kept.read_text() == "new"
    finally:
        os.umask(old)
