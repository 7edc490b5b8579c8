"""Checkpoints of the Keras estimators: resume, finished runs, bad directories, damaged
checkpoints; ``~`` and custom losses in ``save``/``load``."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pytest

from forecast.estimators import LSTMRegressor

# Keras' own warning from model.save (checkpoints, save)
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

SMALL = {"units": 3, "batch_size": 32, "random_state": 0, "run_eagerly": True}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6, 1)).astype("float32")
    return X, X[:, -1, 0].copy()


def _finished_warning(ckpt, epoch: int, epochs: int, weights: str) -> str:
    return re.escape(
        f"The checkpoint in checkpoint_dir={str(ckpt)!r} is already at epoch {epoch} of "
        f"epochs={epochs}: there is nothing to resume, so this warm_start fit trains {epochs} "
        f"more epochs from {weights} and starts a new checkpoint. To continue the "
        f"checkpointed run instead, pass epochs > {epoch}; to start afresh, pass "
        "warm_start=False."
    )


def _last_epoch(ckpt) -> int:
    return json.loads((ckpt / "state.json").read_text())["epoch"]


def test_warm_start_on_a_finished_checkpoint_warns_and_trains_epochs_more(data, tmp_path):
    X, y = data
    ckpt = tmp_path / "ckpt"
    est = LSTMRegressor(epochs=2, learning_rate=0.05, checkpoint_dir=str(ckpt), **SMALL)
    est.fit(X, y)
    epoch = _last_epoch(ckpt) + 1
    before = est.predict(X)
    est.set_params(warm_start=True, epochs=epoch)
    with pytest.warns(UserWarning, match=_finished_warning(ckpt, epoch, epoch,
                                                           "the current weights")):
        est.fit(X, y)
    assert len(est.history_["loss"]) == epoch  # trained, not silently skipped
    assert not np.array_equal(est.predict(X), before)
    assert _last_epoch(ckpt) < epoch  # a new run, with its own checkpoint


def test_warm_start_of_a_new_estimator_on_a_finished_checkpoint_starts_from_it(data, tmp_path):
    X, y = data
    ckpt = tmp_path / "ckpt"
    LSTMRegressor(epochs=1, checkpoint_dir=str(ckpt), **SMALL).fit(X, y)
    new = LSTMRegressor(epochs=1, checkpoint_dir=str(ckpt), warm_start=True, **SMALL)
    with pytest.warns(UserWarning, match=_finished_warning(ckpt, 1, 1,
                                                           "the checkpoint's weights")):
        new.fit(X, y)
    assert len(new.history_["loss"]) == 1
    assert int(new.model_.optimizer.iterations.numpy()) == 4  # 2 steps saved + 2 new


def test_resume_applies_the_current_learning_rate_and_keeps_the_optimizer_state(
    data, tmp_path
):
    X, y = data
    ckpt = tmp_path / "ckpt"
    LSTMRegressor(epochs=1, learning_rate=1e-3, checkpoint_dir=str(ckpt), **SMALL).fit(X, y)
    resumed = LSTMRegressor(epochs=3, learning_rate=0.5, checkpoint_dir=str(ckpt),
                            warm_start=True, **SMALL)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a run to continue: no warning
        resumed.fit(X, y)
    assert len(resumed.history_["loss"]) == 2
    assert float(resumed.model_.optimizer.learning_rate.numpy()) == np.float32(0.5)
    assert int(resumed.model_.optimizer.iterations.numpy()) == 6  # 2 saved + 2 x 2 new


@pytest.mark.parametrize("sub", ["", "sub"], ids=["file", "below-a-file"])
def test_a_checkpoint_dir_that_is_a_file_is_refused_before_training(data, tmp_path, sub):
    X, y = data
    est = LSTMRegressor(epochs=1, **SMALL).fit(X, y)
    before = est.predict(X)
    model = est.model_
    blocker = tmp_path / "not_a_dir.txt"
    blocker.write_text("x")
    value = str(blocker / sub) if sub else str(blocker)
    where = f" ({str(blocker)!r} is a file)" if sub else ""
    est.set_params(checkpoint_dir=value, random_state=1)
    with pytest.raises(ValueError, match=re.escape(
        f"`checkpoint_dir` must be a directory or a path where one can be created{where}. "
        f"Received: checkpoint_dir={value!r}"
    )):
        est.fit(X, y)
    assert est.model_ is model
    np.testing.assert_array_equal(est.predict(X), before)
    assert blocker.read_text() == "x"


def _damage(ckpt, how: str) -> str:
    """Damage the checkpoint in ``ckpt``; return the expected problem description."""
    if how == "no-state":
        (ckpt / "state.json").unlink()
        return ("it holds best.keras without state.json (a run killed while "
                "checkpointing?)")
    if how == "no-model":
        (ckpt / "best.keras").unlink()
        return "it holds state.json without best.keras"
    if how == "bad-json":
        (ckpt / "state.json").write_text("{not json")
        return ("its state.json is damaged (Expecting property name enclosed in double "
                "quotes: line 1 column 2 (char 1))")
    if how == "no-epoch":
        (ckpt / "state.json").write_text('{"best": 1.0}')
        return "its state.json is damaged (it needs an 'epoch' integer >= 0 and a 'best' number)"
    data = (ckpt / "best.keras").read_bytes()
    (ckpt / "best.keras").write_bytes(data[:500])
    return "its best.keras cannot be loaded (truncated or corrupted?): "


@pytest.mark.parametrize("how", ["no-state", "no-model", "bad-json", "no-epoch", "truncated"])
def test_an_incomplete_checkpoint_is_a_value_error_naming_the_directory(data, tmp_path, how):
    X, y = data
    ckpt = tmp_path / "ckpt"
    est = LSTMRegressor(epochs=1, checkpoint_dir=str(ckpt), **SMALL).fit(X, y)
    before = est.predict(X)
    problem = _damage(ckpt, how)
    est.set_params(warm_start=True, epochs=3)
    message = re.escape(f"Cannot resume from checkpoint_dir={str(ckpt)!r}: {problem}")
    if how == "truncated":
        message += r".*\. Delete the directory, or pass warm_start=False to train afresh"
    else:
        message += re.escape(". Delete the directory, or pass warm_start=False to train "
                             "afresh (the checkpoint is then overwritten).")
    with pytest.raises(ValueError, match=message):
        est.fit(X, y)
    np.testing.assert_array_equal(est.predict(X), before)  # the fitted model is kept
    est.set_params(warm_start=False).fit(X, y)  # the advertised way out works
    assert len(est.history_["loss"]) == 3


def test_save_and_load_expand_the_home_directory(data, tmp_path, monkeypatch):
    X, y = data
    monkeypatch.setenv("HOME", str(tmp_path))
    est = LSTMRegressor(epochs=1, **SMALL).fit(X, y)
    assert est.save("~/models/m.keras") == tmp_path / "models" / "m.keras"
    assert (tmp_path / "models" / "m.keras").is_file()
    np.testing.assert_array_equal(LSTMRegressor.load("~/models/m.keras").predict(X),
                                  est.predict(X))


def my_abs_loss(y_true, y_pred):
    """A user's loss that Keras cannot import by name."""
    import keras

    return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)


def test_load_without_the_custom_loss_says_to_pass_custom_objects(data, tmp_path):
    X, y = data
    est = LSTMRegressor(epochs=1, loss=my_abs_loss, **SMALL).fit(X, y)
    path = tmp_path / "m.keras"
    with pytest.warns(UserWarning, match="cannot be stored"):
        est.save(path)
    with pytest.raises(ValueError, match=re.escape(
        f"{str(path)!r} was saved with a custom loss or object 'my_abs_loss' that Keras "
        "cannot import by name: pass it to load, e.g. load(path, "
        "custom_objects={'my_abs_loss': my_abs_loss})."
    )):
        LSTMRegressor.load(path)


def test_resume_with_a_custom_loss(data, tmp_path):
    X, y = data
    ckpt = tmp_path / "ckpt"
    LSTMRegressor(epochs=1, loss=my_abs_loss, checkpoint_dir=str(ckpt), **SMALL).fit(X, y)
    resumed = LSTMRegressor(epochs=2, loss=my_abs_loss, checkpoint_dir=str(ckpt),
                            warm_start=True, **SMALL).fit(X, y)
    assert len(resumed.history_["loss"]) == 1
