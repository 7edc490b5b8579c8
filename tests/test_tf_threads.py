"""`forecast.configure_threads` and `FORECAST_NUM_THREADS` (issue 8: resource hygiene)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import forecast
from forecast import _tf

# One fresh process: `import forecast` has no TensorFlow; bad counts fail before TF is
# imported; the environment variable sets both pools when forecast first imports TF and
# the public function overrides one of them; after TF ran an op a change is refused.
SCRIPT = """
import sys
import forecast
assert "tensorflow" not in sys.modules and "keras" not in sys.modules, "import forecast"
assert callable(forecast.configure_threads) and "configure_threads" in forecast.__all__
try:
    forecast.configure_threads(intra_op=-1)
except ValueError as exc:
    assert "intra_op=-1" in str(exc), exc
else:
    raise AssertionError("no error for intra_op=-1")
assert "tensorflow" not in sys.modules, "validation imported TensorFlow"
forecast.configure_threads(intra_op=1)
import tensorflow as tf
threading = tf.config.threading
print("POOLS", threading.get_intra_op_parallelism_threads(),
      threading.get_inter_op_parallelism_threads())
float(tf.reduce_sum(tf.ones((4, 4))))  # TF runs an op: pools are fixed from now on
forecast.configure_threads(intra_op=1)  # unchanged: accepted
try:
    forecast.configure_threads(intra_op=2)
except RuntimeError as exc:
    assert "before TensorFlow runs anything" in str(exc), exc
    print("REFUSED")
"""


def test_configure_threads_and_environment_in_a_fresh_process():
    env = {**os.environ, "FORECAST_NUM_THREADS": "3", "TF_CPP_MIN_LOG_LEVEL": "2"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "POOLS 1 3" in out.stdout, out.stdout
    assert "REFUSED" in out.stdout, out.stdout


@pytest.mark.parametrize(("raw", "shown"), [("abc", "'abc'"), ("0", "'0'"), ("-2", "'-2'")])
def test_bad_environment_value_names_the_variable(monkeypatch, raw, shown):
    monkeypatch.setenv("FORECAST_NUM_THREADS", raw)
    with pytest.raises(ValueError, match=rf"`FORECAST_NUM_THREADS`.*FORECAST_NUM_THREADS={shown}"):
        _tf._env_thread_count()


def test_unset_or_empty_environment_keeps_tensorflow_defaults(monkeypatch):
    monkeypatch.delenv("FORECAST_NUM_THREADS", raising=False)
    assert _tf._env_thread_count() is None
    monkeypatch.setenv("FORECAST_NUM_THREADS", " ")
    assert _tf._env_thread_count() is None
    monkeypatch.setenv("FORECAST_NUM_THREADS", "2")
    assert _tf._env_thread_count() == 2


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [({"intra_op": -1}, ValueError, r"`intra_op`.*intra_op=-1"),
     ({"inter_op": 1.5}, TypeError, r"`inter_op`.*inter_op=1\.5"),
     ({"intra_op": "2"}, TypeError, r"`intra_op`.*intra_op='2'")],
)
def test_bad_counts_are_refused_before_tensorflow(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        forecast.configure_threads(**kwargs)
