"""Keras estimators whose refit fails during training, warm starts that cannot continue,
and hidden states of side-by-side networks (found by audits, 2026-12-07; each failed
before its fix)."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.estimators import GRURegressor, RNNClassifier, Seq2SeqTranslator
from forecast.text import make_date_pairs


def _data(n: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6, 1))
    return X, X[:, -1, 0] * 2


def test_training_that_raises_leaves_the_previous_model(monkeypatch):
    import keras

    X, y = _data()
    est = GRURegressor(units=4, epochs=2, random_state=0).fit(X, y)
    before, network, history = est.predict(X[:5]), est.model_, dict(est.history_)
    original = keras.Model.fit

    def failing(self, *args, **kwargs):  # one epoch of the refit, then a failure
        original(self, *args, **{**kwargs, "epochs": 1})
        raise RuntimeError("disk full")

    monkeypatch.setattr(keras.Model, "fit", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        est.fit(X * 3, y * 3)
    monkeypatch.setattr(keras.Model, "fit", original)
    assert est.model_ is network
    assert est.history_ == history
    np.testing.assert_array_equal(est.predict(X[:5]), before)


def test_warm_start_with_another_network_shape_warns():
    X, y = _data()
    est = GRURegressor(units=4, epochs=1, random_state=0, warm_start=True).fit(X, y)
    X2 = np.concatenate([X, X], axis=2)  # two features: the network changes
    with pytest.warns(UserWarning, match=r"warm_start=True cannot continue the fitted "
                                         r"network: its shape changed \(input_shape; .*\), so "
                                         r"this fit starts from new weights") as record:
        est.fit(X2, y)
    assert record[0].filename == __file__  # points at the caller's line


def test_warm_start_with_the_same_network_does_not_warn(recwarn):
    X, y = _data()
    est = GRURegressor(units=4, epochs=1, random_state=0, warm_start=True).fit(X, y)
    est.fit(X, y)
    assert not [w for w in recwarn if "warm_start" in str(w.message)]


@pytest.mark.parametrize("embedding", [None, 4])
def test_hidden_states_of_side_by_side_networks_are_the_first_ones(embedding):
    rng = np.random.default_rng(0)
    if embedding:
        X = rng.integers(1, 10, size=(40, 5))
    else:
        X = rng.normal(size=(40, 5, 2))
    y = rng.integers(0, 2, 40)
    clf = RNNClassifier(units=4, epochs=1, random_state=0, ensemble_size=2,
                        embedding_dim=embedding).fit(X, y)
    assert clf.hidden_states(X[:3]).shape == (3, 5, 4)


def test_hidden_states_of_an_encoder_decoder_is_refused():
    X, y = make_date_pairs(16, random_state=0)
    translator = Seq2SeqTranslator(units=4, embedding_dim=4, epochs=1, random_state=0).fit(X, y)
    with pytest.raises(TypeError, match=r"hidden_states reads networks with one input; "
                                        r"Seq2SeqTranslator's has 2"):
        translator.hidden_states(X[:2])


def _failing_callback():
    import keras

    class Fail(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise RuntimeError("callback failed")

    return Fail()


@pytest.mark.parametrize("kind", ["classifier", "generator", "regressor-warm"])
def test_every_estimator_keeps_its_model_when_training_raises(kind):
    from forecast.estimators import TextGenerator

    rng = np.random.default_rng(0)
    if kind == "classifier":
        X, y = rng.normal(size=(40, 5, 2)), rng.integers(0, 2, 40)
        est = RNNClassifier(units=4, epochs=1, random_state=0).fit(X, y)
        probe = lambda: est.predict_proba(X[:4])  # noqa: E731
    elif kind == "generator":
        X, y = ["the cat sat on the mat", "the dog sat on the log"] * 4, None
        est = TextGenerator(units=4, embedding_dim=4, epochs=1, random_state=0).fit(X)
        probe = lambda: est.log_likelihood(X[:2])  # noqa: E731
    else:
        X, y = _data()
        est = GRURegressor(units=4, epochs=1, random_state=0, warm_start=True).fit(X, y)
        probe = lambda: est.predict(X[:4])  # noqa: E731
    before, network = probe(), est.model_
    steps = int(network.optimizer.iterations.numpy())
    est.set_params(callbacks=[_failing_callback()])
    with pytest.raises(RuntimeError, match="callback failed"):
        est.fit(X) if y is None else est.fit(X, y)
    assert est.model_ is network
    np.testing.assert_array_equal(np.asarray(probe()), np.asarray(before))
    assert int(network.optimizer.iterations.numpy()) == steps  # optimizer state back too


def test_a_failed_warm_refit_that_recompiled_compiles_afresh_next_time():
    """A warm_start refit with a new learning rate recompiles the network; if it fails,
    the next fit must not go on with the failed run's optimizer (found by review)."""
    X, y = _data()
    est = GRURegressor(units=4, epochs=1, random_state=0, warm_start=True).fit(X, y)
    before = est.predict(X[:4])
    est.set_params(learning_rate=0.005, callbacks=[_failing_callback()])
    with pytest.raises(RuntimeError, match="callback failed"):
        est.fit(X, y)
    np.testing.assert_array_equal(est.predict(X[:4]), before)
    failed_optimizer = est.model_.optimizer
    est.set_params(callbacks=None).fit(X, y)
    assert est.model_.optimizer is not failed_optimizer  # compiled afresh
    assert int(est.model_.optimizer.iterations.numpy()) == 2  # one epoch of 2 batches
