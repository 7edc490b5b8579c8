"""The training step is traced once per fit: metric and loss-tracker variables are
created before ``model.fit`` (``estimators/_tracing.py``), with unchanged results."""

from __future__ import annotations

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

