"""Training parameters checked up front: loss names, clipping, callbacks (no TensorFlow).

A bad ``loss`` name, ``clipnorm`` together with ``clipvalue``, or ``callbacks`` of the
wrong type are refused by ``_validate_training_params`` before TensorFlow is imported,
so a refit that fails on them leaves the fitted model as it was. Also: a 3-D
``SequenceScaler.transform`` under scikit-learn's global pandas output stays an array.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from forecast.estimators import LSTMRegressor, RNNClassifier
from forecast.estimators._training import KERAS_LOSSES, check_loss
from forecast.networks._losses import LOSSES
from forecast.preprocessing import SequenceScaler

TINY = {"units": 2, "epochs": 1, "batch_size": 8, "random_state": 0, "run_eagerly": True}


def _X(n: int = 16, t: int = 4, f: int = 1) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(n, t, f)).astype("float32")


class _DuckCallback:
    """Has what Keras' CallbackList calls first; stands in for a Callback without TF."""

    def set_model(self, model: Any) -> None:
        pass

    def set_params(self, params: Any) -> None:
        pass


LOSS_MSG = (r"^`loss` must be a Keras loss name, a forecast loss name or a callable\. "
            r"Received: loss='msee'$")
CLIP_MSG = (r"^Only one of `clipnorm` and `clipvalue` can be set \(set the other to None\)\. "
            r"Received: clipnorm=0\.5, clipvalue=0\.7$")
CB_MSG = r"^`callbacks` must be a list of keras\.callbacks\.Callback\. Received: callbacks="

BAD = [
    pytest.param({"loss": "msee"}, ValueError, LOSS_MSG, id="loss-unknown"),
    pytest.param({"loss": "Mean_Squared_Error"}, ValueError,  # Keras names are case-sensitive
                 r"Received: loss='Mean_Squared_Error'$", id="loss-keras-case"),
    pytest.param({"loss": 3}, TypeError,
                 r"^`loss` must be a string, a callable or None\. Received: loss=3$",
                 id="loss-int"),
    pytest.param({"clipnorm": 0.5, "clipvalue": 0.7}, ValueError, CLIP_MSG, id="clip-both"),
    pytest.param({"callbacks": 3}, TypeError, CB_MSG + r"3$", id="callbacks-int"),
    pytest.param({"callbacks": "x"}, TypeError, CB_MSG + r"'x'$", id="callbacks-str"),
    pytest.param({"callbacks": [_DuckCallback(), "x"]}, TypeError,
                 CB_MSG + r"\[.*\] \(item 1: 'x'\)$", id="callbacks-item"),
]


@pytest.mark.parametrize(("params", "exc", "match"), BAD)
def test_bad_training_params_raise(params: dict, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        LSTMRegressor(**{**TINY, **params}).fit(_X(), np.zeros(16))


@pytest.mark.parametrize(("params", "exc", "match"), BAD[:1] + BAD[3:5])
def test_classifier_checks_the_same(params: dict, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        RNNClassifier(**{**TINY, **params}).fit(_X(), np.arange(16) % 2)


def test_text_generator_default_clipnorm_is_named() -> None:
    """TextGenerator clips by norm by default: clipvalue alone names both settings."""
    from forecast.estimators import TextGenerator

    with pytest.raises(ValueError, match=r"Received: clipnorm=1\.0, clipvalue=0\.5$"):
        TextGenerator(clipvalue=0.5, epochs=1).fit(["ab ab", "ba ba"])


@pytest.mark.parametrize(
    "loss",
    ["mse", "MSE", "smape", "OWA_log", "huber", "Huber", "binary_crossentropy",
     "MeanAbsoluteError", "log_cosh", abs],
)
def test_known_losses_pass_the_check(loss: Any) -> None:
    assert check_loss(loss) is loss
    params = LSTMRegressor(loss=loss)._validate_training_params()
    assert params["loss"] is loss


def test_callbacks_list_or_tuple_kept() -> None:
    cb = _DuckCallback()
    assert LSTMRegressor(callbacks=(cb,))._validate_training_params()["callbacks"] == [cb]
    assert LSTMRegressor(callbacks=None)._validate_training_params()["callbacks"] == []


BEFORE_TF = r"""
import json, sys
import numpy as np
from forecast.estimators import LSTMRegressor, RNNClassifier

class Duck:
    def set_model(self, model): pass
    def set_params(self, params): pass

X, y = np.zeros((8, 3, 1)), np.zeros(8)
out = {}
for key, cls, kw in [
    ("loss", LSTMRegressor, {"loss": "msee"}),
    ("clip", LSTMRegressor, {"clipnorm": 0.5, "clipvalue": 0.7}),
    ("cb_int", LSTMRegressor, {"callbacks": 3}),
    ("cb_item", LSTMRegressor, {"callbacks": ["x"]}),
    ("clf_loss", RNNClassifier, {"loss": "msee"}),
]:
    try:
        cls(units=2, epochs=1, **kw).fit(X, np.arange(8) % 2)
    except (ValueError, TypeError) as err:
        out[key] = [type(err).__name__, str(err)]
# valid names and duck-typed callbacks pass the checks without TF too
for loss in ("binary_crossentropy", "SMAPE", "Huber", "mean_absolute_error"):
    LSTMRegressor(loss=loss, callbacks=[Duck()])._validate_training_params()
out["tf"] = "tensorflow" in sys.modules
print(json.dumps(out))
"""


def test_checks_run_before_tensorflow_is_imported() -> None:
    """In a fresh process the errors come (and good names pass) without importing TF."""
    run = subprocess.run([sys.executable, "-c", BEFORE_TF], capture_output=True, text=True,
                         check=True, timeout=120)
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out.pop("tf") is False
    loss_msg = ("`loss` must be a Keras loss name, a forecast loss name or a callable. "
                "Received: loss='msee'")
    cb_msg = "`callbacks` must be a list of keras.callbacks.Callback. Received: callbacks="
    assert out == {
        "loss": ["ValueError", loss_msg],
        "clip": ["ValueError", "Only one of `clipnorm` and `clipvalue` can be set (set the "
                 "other to None). Received: clipnorm=0.5, clipvalue=0.7"],
        "cb_int": ["TypeError", cb_msg + "3"],
        "cb_item": ["TypeError", cb_msg + "['x'] (item 0: 'x')"],
        "clf_loss": ["ValueError", loss_msg],
    }


def test_keras_loss_names_match_installed_keras() -> None:
    """KERAS_LOSSES is exactly what keras.losses.get accepts by name (bar base classes)."""
    keras = pytest.importorskip("keras")
    for name in KERAS_LOSSES:  # never accept a name Keras refuses
        assert callable(keras.losses.get(name)), name
    from keras.src.losses import ALL_OBJECTS_DICT

    accepted = set(ALL_OBJECTS_DICT) - {"Loss", "LossFunctionWrapper"}  # abstract
    assert accepted == set(KERAS_LOSSES)  # never refuse a name Keras accepts
    assert len(KERAS_LOSSES) == len(set(KERAS_LOSSES))
    assert {"mse", "mae", "huber"} <= set(KERAS_LOSSES) & set(LOSSES)


@pytest.fixture(scope="module")
def fitted() -> tuple[LSTMRegressor, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 4, 1)).astype("float32")
    y = X[:, -1, 0] * 2
    est = LSTMRegressor(**TINY).fit(X, y)
    return est, X, y, est.predict(X)


@pytest.mark.parametrize(
    ("params", "exc", "match"),
    [
        ({"loss": "msee"}, ValueError, LOSS_MSG),
        ({"clipnorm": 0.5, "clipvalue": 0.7}, ValueError, CLIP_MSG),
        ({"callbacks": ["x"]}, TypeError, CB_MSG),
        ({"callbacks": 3}, TypeError, CB_MSG),
        ({"learning_rate": 0}, ValueError, r"^`learning_rate` must be a positive number"),
        ({"units": 0}, ValueError, r"`units`"),
        ({"optimizer": "adamw9"}, ValueError, r"`optimizer`.*'adamw9'"),
        ({"distribution": object()}, TypeError, r"^`distribution` must be None"),
    ],
    ids=["loss", "clip", "callbacks-item", "callbacks-int", "learning_rate", "units",
         "optimizer", "distribution"],
)
def test_failed_refit_keeps_the_fitted_model(fitted, params, exc, match) -> None:
    est, X, y, before = fitted
    model, weights = est.model_, [w.copy() for w in est.model_.get_weights()]
    history, state = dict(est.history_), set(vars(est))
    original = {k: est.get_params()[k] for k in params}
    try:
        with pytest.raises(exc, match=match):
            est.set_params(**params).fit(X, y)
    finally:
        est.set_params(**original)
    assert est.model_ is model
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights(), strict=True))
    assert est.history_ == history
    assert set(vars(est)) >= state
    np.testing.assert_array_equal(est.predict(X), before)


def test_refit_after_a_failed_one_matches_the_first_fit(fitted) -> None:
    est, X, y, before = fitted
    with pytest.raises(ValueError, match=LOSS_MSG):
        est.set_params(loss="msee").fit(X, y)
    est.set_params(loss=None).fit(X, y)  # same random_state: the same model again
    np.testing.assert_array_equal(est.predict(X), before)


def test_keras_loss_names_and_duck_callbacks_still_train() -> None:
    keras = pytest.importorskip("keras")

    class Count(keras.callbacks.Callback):
        epochs = 0

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            Count.epochs += 1

    X, y = _X(), np.random.default_rng(1).normal(size=16)
    est = LSTMRegressor(**{**TINY, "loss": "mean_absolute_error",
                           "callbacks": (Count(),)}).fit(X, y)
    assert np.isfinite(est.history_["loss"]).all()
    assert Count.epochs == 1
    assert est.model_.loss == "mean_absolute_error"


# --------------------------------------------------------------------------------------
# SequenceScaler under scikit-learn's pandas output: windows stay arrays
# --------------------------------------------------------------------------------------
def test_scaler_3d_transform_under_global_pandas_output() -> None:
    import sklearn

    X = np.arange(24.0).reshape(3, 4, 2)
    with sklearn.config_context(transform_output="pandas"):
        out = SequenceScaler().fit(X).transform(X)
    assert isinstance(out, np.ndarray)
    assert out.shape == (3, 4, 2)




@pytest.mark.parametrize("seed", [2**32, 2**40])
def test_a_seed_beyond_tensorflows_range_is_refused_before_tensorflow(seed):
    from forecast.forecasters import NeuralForecaster

    message = (r"`random_state` must be an integer in \[0, 2\*\*32 - 1\] \(TensorFlow's seed "
               rf"range\). Received: random_state={seed}")
    with pytest.raises(ValueError, match=message):
        LSTMRegressor(random_state=seed)._validate_training_params()
    with pytest.raises(ValueError, match=message):
        NeuralForecaster(LSTMRegressor(), window=3, horizon=1, random_state=seed).fit(
            np.arange(30.0))
    assert LSTMRegressor(random_state=2**32 - 1)._validate_training_params()["random_state"] \
        == 2**32 - 1
