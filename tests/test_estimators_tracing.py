"""The training step is traced once per fit: metric and loss-tracker variables are
created before ``model.fit`` (``estimators/_tracing.py``), with unchanged results; and
the per-model traces of Keras' step functions are not reported as retracing."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import numpy as np
import pytest
from keras.src.backend.tensorflow import trainer as keras_trainer

from forecast.estimators import RNNClassifier, _tracing


def _fit_counting_traces(monkeypatch, **params):
    traces = []
    step = keras_trainer.TensorFlowTrainer.train_step

    def counted(self, data):
        traces.append(1)
        return step(self, data)

    monkeypatch.setattr(keras_trainer.TensorFlowTrainer, "train_step", counted)
    ids = np.random.default_rng(0).integers(1, 9, size=(40, 3))
    y = np.tile([0, 1], 20)
    clf = RNNClassifier(embedding_dim=4, units=4, epochs=1, random_state=0, **params)
    clf.fit(ids, y)
    return len(traces), clf.predict_proba(ids)


def test_a_classifier_fit_traces_its_training_step_once_with_the_same_result(monkeypatch):
    traces, proba = _fit_counting_traces(monkeypatch)
    assert traces == 1
    # Keras' own way (state created while tracing) traces twice and trains identically
    monkeypatch.setattr(_tracing, "build_training_state", lambda model, dataset: False)
    traces_before, proba_before = _fit_counting_traces(monkeypatch)
    assert traces_before == 2
    np.testing.assert_array_equal(proba, proba_before)


def test_nothing_to_build_for_eager_or_already_built_models(monkeypatch):
    built, build = [], _tracing.build_training_state

    def recorded(model, dataset):
        built.append(build(model, dataset))
        return built[-1]

    monkeypatch.setattr(_tracing, "build_training_state", recorded)
    ids = np.random.default_rng(0).integers(1, 9, size=(20, 3))
    y = np.tile([0, 1], 10)
    clf = RNNClassifier(embedding_dim=4, units=4, epochs=1, random_state=0)
    clf.fit(ids, y).fit(ids, y)  # the refit reuses the built model
    assert built == [True, False]
    RNNClassifier(embedding_dim=4, units=4, epochs=1, random_state=0, run_eagerly=True).fit(
        ids, y)
    assert built[-1] is False


@pytest.mark.parametrize("model", [object(), None])
def test_models_without_the_keras_hook_are_left_alone(model):
    assert _tracing.build_training_state(model, None) is False



_GRID = """
import numpy as np
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from forecast.estimators import LSTMRegressor

rng = np.random.default_rng(0)
X = rng.normal(size=(40, 4, 1)).astype("float32")
y = rng.normal(size=(40, 2)).astype("float32")
search = GridSearchCV(LSTMRegressor(units=2, epochs=1, batch_size=16, random_state=0),
                      {"units": [2, 3]}, cv=TimeSeriesSplit(2))
search.fit(X, y)
print(search.predict(X[-1:]).shape)
"""


def test_a_grid_search_logs_no_retracing_warning():
    # TensorFlow counts traces per code object: each clone's own fit and predict steps
    # (one trace each) added up to "5 out of the last 5 calls ... triggered tf.function
    # retracing" on stderr. A fresh process: TensorFlow warns at most twice per process.
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([sys.executable, "-c", _GRID], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("(1, 2)")
    assert "retracing" not in done.stderr


def _record(msg: str, thread: int | None = None) -> logging.LogRecord:
    record = logging.LogRecord("tensorflow", logging.WARNING, __file__, 1, msg, None, None)
    if thread is not None:
        record.thread = thread
    return record


def test_only_the_keras_retracing_notice_is_dropped_and_only_in_the_block():
    keras_notice = ("5 out of the last 5 calls to <function TensorFlowTrainer.make_predict_"
                    "function.<locals>.one_step_on_data_distributed at 0x1> triggered "
                    "tf.function retracing. Tracing is expensive")
    user_notice = ("5 out of the last 5 calls to <function my_step at 0x1> triggered "
                   "tf.function retracing. Tracing is expensive")
    logger = logging.getLogger("tensorflow")
    before = list(logger.filters)
    with _tracing.quiet_keras_retracing():
        assert not logger.filter(_record(keras_notice))
        assert logger.filter(_record(user_notice))  # a user's own tf.function
        assert logger.filter(_record("something else"))
        assert logger.filter(_record(keras_notice, thread=-1))  # another thread
    assert logger.filters == before
    assert logger.filter(_record(keras_notice))
