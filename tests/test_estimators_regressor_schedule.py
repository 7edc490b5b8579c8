"""Regressors' `learning_rate_schedule`: a half cosine over the steps of every fit."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from sklearn.base import clone

from forecast._tf import keras
from forecast.estimators import GRURegressor, LSTMRegressor, RNNRegressor, SimpleRNNRegressor

RNG = np.random.default_rng(0)
X = RNG.normal(size=(64, 8, 1)).astype("float32")
Y = 0.5 * X[:, -2:, 0] + RNG.normal(scale=0.1, size=(64, 2)).astype("float32")
TINY = {"units": 4, "epochs": 3, "batch_size": 16, "learning_rate": 1e-2, "random_state": 0}
STEPS = 3 * 4  # 3 epochs of 64 / 16 batches


class _Rates(keras().callbacks.Callback):
    """Records the learning rate each training step runs with."""

    def __init__(self) -> None:
        super().__init__()
        self.rates: list[float] = []

    def on_train_batch_end(self, batch, logs=None) -> None:
        self.rates.append(float(np.asarray(self.model.optimizer.learning_rate)))


def test_cosine_falls_from_the_learning_rate_along_a_half_cosine():
    rates = _Rates()
    GRURegressor(learning_rate_schedule="cosine", callbacks=[rates], **TINY).fit(X, Y)
    expected = [1e-2 * 0.5 * (1 + math.cos(math.pi * s / STEPS)) for s in range(STEPS)]
    np.testing.assert_allclose(rates.rates, expected, rtol=1e-5)


def test_constant_keeps_the_rate_and_is_the_default():
    assert RNNRegressor().learning_rate_schedule == "constant"
    rates = _Rates()
    LSTMRegressor(callbacks=[rates], **TINY).fit(X, Y)
    np.testing.assert_allclose(rates.rates, [1e-2] * STEPS, rtol=1e-6)


def test_cosine_changes_training_deterministically_and_survives_clone_refit_and_pickle():
    est = SimpleRNNRegressor(learning_rate_schedule="cosine", **TINY).fit(X, Y)
    plain = SimpleRNNRegressor(**TINY).fit(X, Y)
    assert not np.allclose(est.history_["loss"], plain.history_["loss"])
    pred = est.predict(X)
    np.testing.assert_array_equal(clone(est).fit(X, Y).predict(X), pred)
    est.fit(X, Y)  # a refit of the reused model starts the schedule again
    np.testing.assert_array_equal(est.predict(X), pred)
    np.testing.assert_allclose(pickle.loads(pickle.dumps(est)).predict(X), pred, rtol=1e-6)
    assert clone(est).get_params()["learning_rate_schedule"] == "cosine"


def test_bad_schedule_is_rejected_before_training():
    message = r"must be one of \['constant', 'cosine'\]. Received: learning_rate_schedule='linear'"
    with pytest.raises(ValueError, match=message):
        GRURegressor(learning_rate_schedule="linear", **TINY).fit(X, Y)


def test_cosine_needs_a_learning_rate():
    params = {**TINY, "learning_rate": None}
    with pytest.raises(ValueError, match=r"needs a `learning_rate`. Received: learning_rate=None"):
        GRURegressor(learning_rate_schedule="cosine", **params).fit(X, Y)
