"""RNNRegressor & friends: shapes, determinism, reuse, training options, errors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from forecast.estimators import GRURegressor, LSTMRegressor, RNNRegressor, SimpleRNNRegressor

FAST = {"units": 4, "epochs": 2, "batch_size": 16, "random_state": 0}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 6, 2)).astype("float32")
    y = X[:, -3:, 0] + 0.1 * rng.normal(size=(48, 3))
    return X, y


@pytest.mark.parametrize(
    ("cls", "x_shape", "y_shape"),
    [
        (LSTMRegressor, (40, 6, 2), (40,)),
        (GRURegressor, (40, 6), (40, 3)),
        (SimpleRNNRegressor, (40, 6, 2), (40, 3, 2)),
    ],
)
def test_predict_returns_y_trailing_shape(cls, x_shape, y_shape):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=x_shape), rng.normal(size=y_shape)
    X_before = X.copy()
    est = cls(**FAST, run_eagerly=True).fit(X, y)
    assert est.predict(X).shape == y_shape
    assert est.predict(X).dtype == np.float64
    assert est.n_features_in_ == (x_shape[2] if len(x_shape) == 3 else 1)
    assert est.window_length_ == 6
    assert set(est.history_) == {"loss"}
    assert len(est.history_["loss"]) == 2
    np.testing.assert_array_equal(X, X_before)  # never mutate the caller's data
    assert np.isfinite(est.score(X, y))


def test_same_seed_refit_and_fresh_clone_are_identical(data):
    X, y = data
    est = GRURegressor(**FAST, dropout=0.1)
    first = est.fit(X, y).predict(X)
    model = est.model_
    second = est.fit(X, y).predict(X)
    assert est.model_ is model  # same network: weights re-drawn in place, not rebuilt
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, clone(est).fit(X, y).predict(X))
    other = clone(est).set_params(random_state=1).fit(X, y).predict(X)
    assert not np.array_equal(first, other)


def test_changed_shape_rebuilds(data):
    X, y = data
    est = LSTMRegressor(**FAST, run_eagerly=True).fit(X, y)
    model = est.model_
    est.fit(X[:, :4], y[:, :2])
    assert est.model_ is not model
    assert est.predict(X[:, :4]).shape == (48, 2)


def test_warm_start_continues(data):
    X, y = data
    est = LSTMRegressor(**FAST, run_eagerly=True, warm_start=True).fit(X, y)
    after_two = est.predict(X)
    est.fit(X, y)  # two more epochs from the current weights
    assert not np.array_equal(est.predict(X), after_two)
    four = LSTMRegressor(**{**FAST, "epochs": 4}, run_eagerly=True, shuffle=False)
    assert four.fit(X, y).history_["loss"][-1] < LSTMRegressor(
        **FAST, run_eagerly=True, shuffle=False).fit(X, y).history_["loss"][0]


def test_validation_tail_and_early_stopping(data):
    X, y = data
    est = LSTMRegressor(
        **{**FAST, "epochs": 6}, validation_fraction=0.25, early_stopping=True, patience=1,
        run_eagerly=True, learning_rate=0.5,
    ).fit(X, y)
    assert "val_loss" in est.history_
    val = est.history_["val_loss"]
    assert est.best_epoch_ == int(np.argmin(val))
    assert len(val) <= 6


def test_validation_set_is_the_tail_not_shuffled(data):
    X, y = data
    est = LSTMRegressor(**FAST, validation_fraction=0.25, run_eagerly=True).fit(X, y)
    # the held-out windows are exactly the last 12 (time order), evaluated after training
    np.testing.assert_allclose(
        est.model_.evaluate(X[36:], y[36:], verbose=0), est.history_["val_loss"][-1], rtol=1e-5
    )


def test_sample_weight_and_losses(data):
    X, y = data
    w = np.linspace(0.1, 1.0, len(X))
    a = LSTMRegressor(**FAST, run_eagerly=True).fit(X, y, sample_weight=w).predict(X)
    b = LSTMRegressor(**FAST, run_eagerly=True).fit(X, y).predict(X)
    assert not np.array_equal(a, b)

    def my_loss(y_true, y_pred):
        import keras

        return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)

    est = LSTMRegressor(**FAST, loss=my_loss, run_eagerly=True).fit(X, y)
    assert np.isfinite(est.history_["loss"]).all()
    est = LSTMRegressor(**FAST, loss="smape", run_eagerly=True).fit(X, np.abs(y) + 1)
    assert np.isfinite(est.history_["loss"]).all()
    with pytest.raises(ValueError, match="`loss`"):
        LSTMRegressor(**FAST, loss="nope").fit(X, y)


def test_segment_length_and_hidden_states(data):
    X, y = data
    est = RNNRegressor(cell="gru", units=(5, 3), segment_length=3, epochs=1, random_state=0,
                       run_eagerly=True).fit(X, y)
    assert est.hidden_states(X, layer=0).shape == (48, 2, 5)
    assert est.hidden_states(X, layer=1).shape == (48, 2, 3)
    bi = LSTMRegressor(units=4, bidirectional=True, epochs=1, random_state=0,
                       run_eagerly=True).fit(X, y)
    states = bi.hidden_states(X)
    assert states.shape == (48, 6, 8)
    # the last forward state is what the head sees
    with pytest.raises(ValueError, match="`layer`"):
        bi.hidden_states(X, layer=3)
    with pytest.raises(ValueError, match="`segment_length` must divide"):
        RNNRegressor(segment_length=4).fit(X, y)


def test_embedding_token_ids():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 9, size=(40, 7))
    X[:, :2] = 0  # padding
    y = (X == 3).sum(axis=1).astype(float)
    est = LSTMRegressor(units=4, embedding_dim=3, epochs=1, random_state=0,
                        run_eagerly=True).fit(X, y)
    assert est.vocab_size_ == int(X.max()) + 1
    assert est.predict(X).shape == (40,)
    with pytest.raises(ValueError, match="beyond the vocabulary"):
        est.predict(X + 20)
    with pytest.raises(ValueError, match="integer token ids"):
        est.predict(X + 0.5)


@pytest.mark.parametrize(
    ("params", "X", "y", "error", "match"),
    [
        ({}, np.zeros((4, 3, 2, 1)), np.zeros(4), ValueError, "ndim"),
        ({}, np.zeros(4), np.zeros(4), ValueError, "Reshape your data"),
        ({}, np.full((4, 3), np.nan), np.zeros(4), ValueError, "NaN"),
        ({}, np.zeros((4, 3)), np.zeros(5), ValueError, "same number of samples"),
        ({"units": -2}, np.zeros((4, 3)), np.zeros(4), ValueError, "`units`"),
        ({"units": (4, 0)}, np.zeros((4, 3)), np.zeros(4), ValueError, "`units`"),
        ({"dropout": 1.0}, np.zeros((4, 3)), np.zeros(4), ValueError, "`dropout`"),
        ({"recurrent_dropout": 2}, np.zeros((4, 3)), np.zeros(4), ValueError, "recurrent_"),
        ({"cell": "transformer"}, np.zeros((4, 3)), np.zeros(4), ValueError, "`cell`"),
        ({"epochs": 0}, np.zeros((4, 3)), np.zeros(4), ValueError, "`epochs`"),
        ({"batch_size": 1.5}, np.zeros((4, 3)), np.zeros(4), TypeError, "`batch_size`"),
        ({"optimizer": "adamx"}, np.zeros((4, 3)), np.zeros(4), ValueError, "`optimizer`"),
        ({"validation_fraction": 1.0}, np.zeros((4, 3)), np.zeros(4), ValueError, "validation"),
        ({"loss": 3}, np.zeros((4, 3)), np.zeros(4), TypeError, "`loss`"),
        ({"distribution": "tpu"}, np.zeros((4, 3)), np.zeros(4), ValueError, "`distribution`"),
    ],
)
def test_fit_errors(params, X, y, error, match):
    with pytest.raises(error, match=match):
        RNNRegressor(**params).fit(X, y)


def test_sample_weight_errors(data):
    X, y = data
    with pytest.raises(ValueError, match="one weight per sample"):
        LSTMRegressor().fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="non-negative"):
        LSTMRegressor().fit(X, y, sample_weight=-np.ones(len(X)))


def test_predict_errors(data):
    X, y = data
    with pytest.raises(NotFittedError):
        LSTMRegressor().predict(X)
    with pytest.raises(NotFittedError):
        LSTMRegressor().hidden_states(X)
    est = LSTMRegressor(**FAST, run_eagerly=True).fit(X, y)
    with pytest.raises(ValueError, match=r"windows of shape \(6, 2\)"):
        est.predict(X[:, :5])


def test_validation_errors_come_before_tensorflow():
    code = (
        "import sys, numpy as np\n"
        "from forecast.estimators import LSTMRegressor\n"
        "for kw, X, y in [({'units': -1}, np.zeros((4, 3)), np.zeros(4)),\n"
        "                 ({}, np.full((4, 3), np.nan), np.zeros(4)),\n"
        "                 ({'cell': 'x'}, np.zeros((4, 3)), np.zeros(4)),\n"
        "                 ({}, np.zeros((4, 3)), np.zeros(3))]:\n"
        "    try:\n"
        "        LSTMRegressor(**kw).fit(X, y)\n"
        "    except (ValueError, TypeError):\n"
        "        pass\n"
        "print('tensorflow' in sys.modules)\n"
    )
    code = code.replace("LSTMRegressor(**kw)", "__import__('forecast.estimators', fromlist=['x'])"
                        ".RNNRegressor(**kw)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_score_checks_y_like_fit(data):
    X, y = data
    est = GRURegressor(units=2, epochs=1, random_state=0).fit(X, y)
    assert np.isfinite(est.score(X, y))
    with pytest.raises(ValueError, match=r"`X` and `y` must have the same number of samples"):
        est.score(X, y[:-1])
    with pytest.raises(ValueError, match=r"`y` must have the target shape \(3,\) seen in fit"):
        est.score(X, y[:, :2])


def test_fit_leaves_the_callers_global_random_streams_alone(data):
    import random

    X, y = data
    np.random.seed(123)  # noqa: NPY002 - the legacy global state is what is checked
    random.seed(123)
    expected = (np.random.rand(), random.random())  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    random.seed(123)
    GRURegressor(units=2, epochs=1, random_state=0).fit(X, y)
    assert (np.random.rand(), random.random()) == expected  # noqa: NPY002
