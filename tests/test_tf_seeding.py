"""seed_everything: the same seeds as keras.utils.set_random_seed, without
clearing TensorFlow's caches when its global seed is unchanged (cheap refits)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from forecast._tf import keras, seed_everything, tf


@pytest.fixture
def clears(monkeypatch):
    """Count TensorFlow's cache clears (what tf.random.set_seed triggers)."""
    tf().constant(0.0)  # an initialised eager context (only then is there a cache to clear)
    from tensorflow.python import pywrap_tfe

    calls = []
    original = pywrap_tfe.TFE_ContextClearCaches

    def counting(handle):
        calls.append(handle)
        return original(handle)

    monkeypatch.setattr(pywrap_tfe, "TFE_ContextClearCaches", counting)
    return calls


def _draws() -> tuple:
    return (random.random(), float(np.random.rand()),  # noqa: NPY002 - the global state
            keras().ops.convert_to_numpy(keras().random.normal((3,))).tolist())


def test_same_seed_resets_every_stream_without_clearing(clears):
    seed_everything(10)
    del clears[:]
    seed_everything(11)
    first = _draws()
    assert len(clears) == 1  # a new seed: the public path, which clears
    seed_everything(11)
    again = _draws()
    assert len(clears) == 1  # unchanged seed: caches kept
    assert again == first
    seed_everything(12)
    assert len(clears) == 2
    assert _draws() != first


def test_op_seed_stream_restarts(clears):
    """Graph-level random ops (as traced into tf.data) get the same op seeds again."""
    t = tf()
    seed_everything(3)
    a = t.random.shuffle(t.range(20)).numpy()
    seed_everything(4)
    seed_everything(3)
    b = t.random.shuffle(t.range(20)).numpy()
    np.testing.assert_array_equal(a, b)


def test_none_touches_nothing(clears):
    seed_everything(5)
    n = len(clears)
    state = np.random.get_state()[1].copy()  # noqa: NPY002
    seed_everything(None)
    assert len(clears) == n
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


def test_refits_with_kept_caches_are_identical():
    from forecast.estimators import GRURegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 24, 2)).astype("float32")
    y = rng.normal(size=(120, 12)).astype("float32")
    est = GRURegressor(units=8, segment_length=6, decoder="shared_segments", dropout=0.3,
                       epochs=2, batch_size=32, validation_fraction=0.2, random_state=0)
    first = est.fit(X, y).predict(X)
    other = GRURegressor(**{**est.get_params(), "random_state": 1}).fit(X, y).predict(X)
    second = est.fit(X, y).predict(X)  # same seed as the previous fit: caches kept
    third = est.fit(X, y).predict(X)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, third)
    assert not np.array_equal(first, other)
