"""Regressors' `ema_momentum`: the averaged weights are validated, kept as best and returned."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone

from forecast.estimators import GRURegressor, LSTMRegressor, RNNRegressor, SimpleRNNRegressor

RNG = np.random.default_rng(0)
X = RNG.normal(size=(96, 8, 1)).astype("float32")
Y = 0.5 * X[:, -2:, 0] + RNG.normal(scale=0.1, size=(96, 2)).astype("float32")
TINY = {"units": 4, "epochs": 3, "batch_size": 16, "learning_rate": 1e-2, "random_state": 0,
        "validation_fraction": 0.25}
N_VAL = 24  # the time-ordered tail used for validation


def _val_mse(est):
    return float(np.mean((est.predict(X[-N_VAL:]) - Y[-N_VAL:]) ** 2))


def test_val_loss_scores_the_averaged_weights_and_training_is_unchanged():
    ema = GRURegressor(ema_momentum=0.8, **TINY).fit(X, Y)
    plain = GRURegressor(**TINY).fit(X, Y)
    # the live weights follow the same trajectory: identical training losses
    np.testing.assert_allclose(ema.history_["loss"], plain.history_["loss"], rtol=1e-6)
    # but validation (and the returned model) use the moving average
    assert not np.allclose(ema.history_["val_loss"], plain.history_["val_loss"])
    assert _val_mse(ema) == pytest.approx(ema.history_["val_loss"][-1], rel=1e-4)
    opt = ema.model_.optimizer
    assert opt.use_ema
    assert opt.ema_momentum == pytest.approx(0.8)
    for var, avg in zip(ema.model_.trainable_variables, opt._model_variables_moving_average,
                        strict=True):
        np.testing.assert_array_equal(np.asarray(var), np.asarray(avg))


def test_early_stopping_restores_the_best_averaged_weights():
    params = {**TINY, "epochs": 6, "learning_rate": 0.3, "early_stopping": True, "patience": 6}
    est = LSTMRegressor(ema_momentum=0.5, **params).fit(X, Y)
    best = est.best_epoch_
    assert est.history_["val_loss"][best] == min(est.history_["val_loss"])
    assert _val_mse(est) == pytest.approx(est.history_["val_loss"][best], rel=1e-4)


def test_deterministic_clone_refit_and_pickle():
    est = SimpleRNNRegressor(ema_momentum=0.8, **TINY).fit(X, Y)  # forgets the start in 15 steps
    pred = est.predict(X)
    np.testing.assert_array_equal(clone(est).fit(X, Y).predict(X), pred)
    est.fit(X, Y)  # refit of the reused model
    np.testing.assert_array_equal(est.predict(X), pred)
    np.testing.assert_allclose(pickle.loads(pickle.dumps(est)).predict(X), pred, rtol=1e-6)
    assert clone(est).get_params()["ema_momentum"] == 0.8
    assert RNNRegressor().ema_momentum is None


@pytest.mark.parametrize("value", [1.0, -0.1, 1.5, float("nan")])
def test_ema_momentum_out_of_range(value):
    with pytest.raises(ValueError, match=r"`ema_momentum` must be in \[0.0, 1.0\)\. "
                                         r"Received: ema_momentum="):
        GRURegressor(**{**TINY, "ema_momentum": value}).fit(X, Y)


@pytest.mark.parametrize("value", ["fast", True, [0.9]])
def test_ema_momentum_wrong_type(value):
    with pytest.raises(TypeError, match=r"`ema_momentum` must be a number\. "
                                        r"Received: ema_momentum="):
        GRURegressor(**{**TINY, "ema_momentum": value}).fit(X, Y)


def test_regressor_warns_when_the_average_cannot_forget_the_start():
    X = np.random.default_rng(0).normal(size=(32, 4, 1)).astype("float32")
    with pytest.warns(UserWarning, match=r"ema_momentum=0.999 averages the weights over about "
                                         r"1000 steps, but this fit runs at most 1 \(1 epochs"):
        GRURegressor(units=2, epochs=1, batch_size=32, ema_momentum=0.999,
                     random_state=0).fit(X, X[:, -1, 0])
