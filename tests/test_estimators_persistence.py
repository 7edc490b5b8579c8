"""Pickle, clone, save/load (safe mode) and checkpoints with interrupted training."""

from __future__ import annotations

import json
import pickle

import joblib
import numpy as np
import pytest
from sklearn.base import clone

from forecast.estimators import GRURegressor, LSTMRegressor, RNNClassifier, RNNRegressor

PARAMS = {"units": (4, 3), "epochs": 2, "batch_size": 16, "random_state": 0, "dropout": 0.1,
          "dense_units": 3, "learning_rate": 0.01, "run_eagerly": True}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6, 2)).astype("float32")
    return X, X[:, -2:, 0].copy()


def test_clone_and_pickle_keep_every_setting():
    est = RNNRegressor(cell="gru", bidirectional=True, segment_length=3, **PARAMS)
    for copy in (clone(est), pickle.loads(pickle.dumps(est))):
        assert copy.get_params() == est.get_params()


def test_fitted_pickle_and_joblib_round_trip(data, tmp_path):
    X, y = data
    est = GRURegressor(**PARAMS).fit(X, y)
    expected = est.predict(X)
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(X), expected)
    assert again.history_ == est.history_
    joblib.dump(est, tmp_path / "est.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "est.joblib").predict(X), expected)
    again.fit(X, y)  # an unpickled estimator refits
    np.testing.assert_allclose(again.predict(X), expected, rtol=1e-5, atol=1e-6)


def test_save_load_round_trip(data, tmp_path):
    X, y = data
    est = LSTMRegressor(**PARAMS).fit(X, y)
    path = est.save(tmp_path / "model.keras")
    loaded = LSTMRegressor.load(path)
    assert type(loaded) is LSTMRegressor
    assert loaded.get_params() == est.get_params()
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))
    assert loaded.n_features_in_ == 2
    assert loaded.window_length_ == 6
    assert RNNRegressor.load(path).__class__ is LSTMRegressor  # base class loads subclasses
    with pytest.raises(TypeError, match="not a RNNClassifier"):
        RNNClassifier.load(path)
    with pytest.raises(ValueError, match="must end with '.keras'"):
        est.save(tmp_path / "model.h5")
    with pytest.raises(FileNotFoundError):
        LSTMRegressor.load(tmp_path / "missing.keras")


def test_classifier_save_load(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 5, 1))
    y = np.array(["a", "b", "c"])[rng.integers(0, 3, 30)]
    clf = RNNClassifier(units=4, epochs=1, random_state=0, run_eagerly=True).fit(X, y)
    loaded = RNNClassifier.load(clf.save(tmp_path / "clf.keras"))
    np.testing.assert_array_equal(loaded.classes_, clf.classes_)
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))


def test_safe_mode_refuses_lambda_layers(data, tmp_path):
    import keras

    X, y = data
    est = LSTMRegressor(units=4, epochs=1, random_state=0, run_eagerly=True).fit(X, y)
    inp = keras.Input((6, 2))
    out = keras.layers.Lambda(lambda t: t[:, -2:, 0] * 2.0)(inp)
    est.model_ = keras.Model(inp, out)
    path = est.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        LSTMRegressor.load(path)
    trusted = LSTMRegressor.load(path, safe_mode=False)
    np.testing.assert_allclose(trusted.predict(X), X[:, -2:, 0] * 2.0, rtol=1e-6)


def test_keyboard_interrupt_leaves_loadable_checkpoint_and_resumes(data, tmp_path):
    import keras

    X, y = data

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 2:
                raise KeyboardInterrupt

    ckpt = tmp_path / "ckpt"
    est = LSTMRegressor(units=4, epochs=6, random_state=0, checkpoint_dir=str(ckpt),
                        callbacks=[Interrupt()], run_eagerly=True, learning_rate=0.05)
    with pytest.raises(KeyboardInterrupt):
        est.fit(X, y)
    state = json.loads((ckpt / "state.json").read_text())
    assert 0 <= state["epoch"] <= 2
    model = keras.saving.load_model(ckpt / "best.keras")
    assert model.predict_on_batch(X).shape == (40, 2)
    assert est.predict(X).shape == (40, 2)  # the interrupted estimator stays usable
    assert not list(ckpt.glob(".*"))  # no temporary files left behind

    resumed = LSTMRegressor(units=4, epochs=6, random_state=0, checkpoint_dir=str(ckpt),
                            warm_start=True, run_eagerly=True, learning_rate=0.05).fit(X, y)
    assert len(resumed.history_["loss"]) == 6 - (state["epoch"] + 1)
    assert resumed.history_["loss"][0] <= est.history_["loss"][0]


def abs_loss(y_true, y_pred):
    """A user's loss: a plain module-level function."""
    import keras

    return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # Keras'
def test_a_callable_loss_survives_pickle_and_save_load(data, tmp_path):
    X, y = data
    est = LSTMRegressor(units=4, epochs=1, random_state=0, loss=abs_loss).fit(X, y)
    pred = est.predict(X)
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(X), pred)
    assert again.loss is abs_loss
    path = tmp_path / "m.keras"
    with pytest.warns(UserWarning, match=r"needs custom_objects=\{name: function\}"):
        est.save(path)
    loaded = LSTMRegressor.load(path, custom_objects={"abs_loss": abs_loss})
    np.testing.assert_array_equal(loaded.predict(X), pred)
    assert loaded.loss is abs_loss


def test_string_labels_from_a_series_are_saved(data, tmp_path):
    import pandas as pd

    X, _ = data
    labels = pd.Series(np.where(X[:, -1, 0] > 0, "up", "down"))
    clf = RNNClassifier(units=4, epochs=1, random_state=0).fit(X, labels)
    assert clf.classes_.dtype == object
    path = tmp_path / "c.keras"
    clf.save(path)
    loaded = RNNClassifier.load(path)
    assert loaded.classes_.tolist() == ["down", "up"]
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))


def test_a_damaged_file_is_named_in_a_value_error(data, tmp_path):
    X, y = data
    path = tmp_path / "m.keras"
    GRURegressor(units=2, epochs=1, random_state=0).fit(X, y).save(path)
    raw = path.read_bytes()
    for name, content in (("half", raw[: len(raw) // 2]), ("empty", b""), ("junk", b"x" * 99)):
        bad = tmp_path / f"{name}.keras"
        bad.write_bytes(content)
        with pytest.raises(ValueError, match=rf"{name}\.keras' is not a readable \.keras "
                                             r"archive \(corrupted or truncated\?\)"):
            GRURegressor.load(bad)
