"""Determinism across processes, distribution strategies, and sklearn model selection."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = """
import numpy as np
from forecast.estimators import GRURegressor
rng = np.random.default_rng(0)
X = rng.normal(size=(48, 6, 2)).astype("float32")
y = X[:, -2:, 0]
est = GRURegressor(units=4, epochs=2, batch_size=16, dropout=0.1, random_state=7).fit(X, y)
np.save({path!r}, est.predict(X))
"""


def _run(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300)


def test_same_seed_same_predictions_across_processes(tmp_path):
    from forecast.estimators import GRURegressor

    path = tmp_path / "a.npy"
    out = _run(SCRIPT.format(path=str(path)))
    assert out.returncode == 0, out.stderr[-2000:]
    a = np.load(path)
    # this process (fresh estimator, then a refit of the same one) matches the other process
    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 6, 2)).astype("float32")
    est = GRURegressor(units=4, epochs=2, batch_size=16, dropout=0.1, random_state=7)
    np.testing.assert_array_equal(est.fit(X, X[:, -2:, 0]).predict(X), a)
    np.testing.assert_array_equal(est.fit(X, X[:, -2:, 0]).predict(X), a)


DIST_SCRIPT = """
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])
import numpy as np
from forecast.estimators import LSTMRegressor
rng = np.random.default_rng(0)
X = rng.normal(size=(64, 6, 2)).astype("float32")
y = X[:, -2:, 0]
est = LSTMRegressor(units=4, epochs=2, batch_size=16, random_state=0, distribution="mirrored")
est.fit(X, y)
strategy = est._get_strategy("mirrored")
assert strategy.num_replicas_in_sync == 2, strategy.num_replicas_in_sync
assert est.predict(X).shape == (64, 2)
first = est.predict(X)
est.fit(X, y)  # refit under the same strategy reuses the mirrored model
assert np.isfinite(est.predict(X)).all()
obj = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
est2 = LSTMRegressor(units=4, epochs=1, batch_size=16, random_state=0, distribution=obj).fit(X, y)
assert est2.predict(X).shape == (64, 2)
print("OK")
"""


# slow (about 26 s: a fresh TensorFlow process with two logical CPUs)
@pytest.mark.slow
def test_mirrored_strategy_on_two_logical_cpus():
    out = _run(DIST_SCRIPT)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().endswith("OK")


def test_bad_distribution_object():
    from forecast.estimators import LSTMRegressor

    X = np.zeros((8, 4, 1))
    with pytest.raises(TypeError, match="`distribution`"):
        LSTMRegressor(units=2, epochs=1, distribution=3).fit(X, np.zeros(8))


def test_grid_search_pipeline_with_sequence_scaler():
    pre = pytest.importorskip("forecast.preprocessing")
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
    from sklearn.pipeline import Pipeline

    from forecast.estimators import LSTMRegressor

    t = np.arange(100, dtype=float)
    series = np.sin(t / 6.0) * 10 + 50
    X, y = pre.make_windows(series, window=8, horizon=2)
    pipe = Pipeline([("scale", pre.SequenceScaler()),
                     ("rnn", LSTMRegressor(epochs=1, random_state=0, batch_size=32,
                                           run_eagerly=True))])
    grid = GridSearchCV(
        pipe,
        {"rnn__units": [(16,), (32, 16)], "rnn__bidirectional": [False, True]},
        cv=TimeSeriesSplit(2),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_estimator_.predict(X[-5:]).shape == (5, 2)
