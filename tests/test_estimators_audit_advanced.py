"""Defects found by the 2026-12-08 audit of the estimators' advanced features."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from forecast.estimators import GRURegressor, RNNClassifier, RNNRegressor

RNG = np.random.default_rng(0)
X = RNG.normal(size=(80, 6, 1)).astype("float32")
Y = X[:, -1, 0] * 2
# a learning rate that diverges: the first epoch is the best, later ones get worse
DIVERGE = {"units": 4, "epochs": 4, "learning_rate": 3.0, "optimizer": "sgd",
           "validation_fraction": 0.25, "random_state": 1}


def _stop_at(epoch):
    import keras

    class Stop(keras.callbacks.Callback):  # Ctrl-C at the end of `epoch`
        def on_epoch_end(self, e, logs=None):
            if e == epoch:
                raise KeyboardInterrupt

    return Stop()


def _first_step_rates():
    """A callback recording the learning rate at each epoch's first step, and its list."""
    import keras

    rates = []

    class Rate(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch == 0:
                rates.append(float(self.model.optimizer.learning_rate.numpy()))

    return rates, Rate()


def _val_loss(est):
    return est.model_.evaluate(X[-20:], Y[-20:, None], verbose=0)


def test_a_resumed_run_that_never_improves_returns_the_checkpoints_weights(tmp_path):
    ckpt = tmp_path / "ckpt"
    with pytest.raises(KeyboardInterrupt):
        GRURegressor(**DIVERGE, early_stopping=True, patience=2, checkpoint_dir=ckpt,
                     callbacks=[_stop_at(1)]).fit(X, Y)
    best = json.loads((ckpt / "state.json").read_text())["best"]
    resumed = GRURegressor(**DIVERGE, early_stopping=True, patience=2, checkpoint_dir=ckpt,
                           warm_start=True).fit(X, Y)
    assert min(resumed.history_["val_loss"]) > best  # no resumed epoch beat the checkpoint
    assert resumed.best_epoch_ == 0
    assert _val_loss(resumed) == pytest.approx(best, rel=1e-4)


def test_ctrl_c_keeps_the_best_weights_without_early_stopping():
    est = GRURegressor(**DIVERGE, callbacks=[_stop_at(2)])
    with pytest.raises(KeyboardInterrupt):
        est.fit(X, Y)
    assert est.best_epoch_ == 0
    assert _val_loss(est) == pytest.approx(est.history_["val_loss"][0], rel=1e-4)


def test_a_warm_start_runs_at_learning_rate_again():
    rates, rate = _first_step_rates()
    est = GRURegressor(units=4, epochs=2, learning_rate=0.01, learning_rate_schedule="cosine",
                       random_state=0).fit(X, Y)
    est.set_params(warm_start=True, learning_rate_schedule="constant", callbacks=[rate])
    est.fit(X, Y)
    assert rates == pytest.approx([0.01, 0.01])


def test_a_warm_start_after_a_finished_checkpointed_run_keeps_the_fitted_weights(tmp_path):
    ckpt = tmp_path / "ckpt"
    est = GRURegressor(**DIVERGE, checkpoint_dir=ckpt).fit(X, Y)  # best epoch 0 of 4
    state = json.loads((ckpt / "state.json").read_text())
    assert state["finished"] is True
    assert (state["epoch"], state["last_epoch"]) == (0, 3)
    with pytest.warns(UserWarning, match=r"holds a run that ended at epoch 4, after its best "
                                         r"epoch 1: there is nothing to resume"):
        est.set_params(warm_start=True).fit(X, Y)
    assert est.n_epochs_ == 4  # `epochs` more, not the 3 after the best epoch again


def test_a_warm_start_refuses_other_classes():
    Xc = RNG.normal(size=(60, 4, 1)).astype("float32")
    y1 = np.array(["cat", "dog", "emu"])[np.arange(60) % 3]
    y2 = np.array(["ant", "cat", "dog"])[np.arange(60) % 3]
    clf = RNNClassifier(units=4, epochs=1, random_state=0).fit(Xc, y1)
    before = clf.predict(Xc[:6])
    with pytest.raises(ValueError, match=r"warm_start=True continues the fitted network, whose "
                                         r"outputs are the classes \['cat', 'dog', 'emu'\].*"
                                         r"Received: y with classes \['ant', 'cat', 'dog'\]"):
        clf.set_params(warm_start=True).fit(Xc, y2)
    np.testing.assert_array_equal(clf.classes_, ["cat", "dog", "emu"])
    np.testing.assert_array_equal(clf.predict(Xc[:6]), before)
    clf.fit(Xc, y1)  # the same classes: fine


def test_a_checkpoint_of_other_classes_is_not_resumed(tmp_path):
    Xc = RNG.normal(size=(60, 4, 1)).astype("float32")
    y1 = np.array(["cat", "dog", "emu"])[np.arange(60) % 3]
    y2 = np.array(["ant", "cat", "dog"])[np.arange(60) % 3]
    with pytest.raises(KeyboardInterrupt):
        RNNClassifier(units=4, epochs=3, random_state=0, checkpoint_dir=tmp_path / "c",
                      callbacks=[_stop_at(0)]).fit(Xc, y1)
    clf = RNNClassifier(units=4, epochs=3, random_state=0, checkpoint_dir=tmp_path / "c",
                        warm_start=True).fit(Xc, y2)
    assert clf.n_epochs_ == 3  # a fresh run, not epochs 2-3 of the cat/dog/emu run


@pytest.mark.parametrize("labels", [np.r_[["a"] * 30, ["b"] * 30],
                                    np.r_[["a"] * 20, ["b"] * 20, ["c"] * 20]])
def test_an_ensemble_classifier_takes_sample_weights(labels):
    Xc = RNG.normal(size=(60, 4, 1)).astype("float32")
    weights = np.r_[np.ones(30), np.full(30, 3.0)]
    clf = RNNClassifier(units=2, epochs=1, ensemble_size=2, random_state=0)
    clf.fit(Xc, labels, sample_weight=weights)
    assert clf.predict_proba(Xc).shape == (60, len(set(labels)))
    plain = RNNClassifier(units=2, epochs=1, ensemble_size=2, random_state=0).fit(Xc, labels)
    assert not np.allclose(plain.predict_proba(Xc), clf.predict_proba(Xc))


def test_mask_value_with_embedding_dim_is_refused():
    ids = RNG.integers(1, 10, size=(20, 6))
    with pytest.raises(ValueError, match=r"`mask_value` is for real-valued windows; with "
                                         r"`embedding_dim` the inputs are token ids.*Received: "
                                         r"mask_value=9, embedding_dim=2"):
        RNNClassifier(units=3, embedding_dim=2, mask_value=9, epochs=1).fit(
            ids, (ids[:, -1] > 5).astype(int))


def test_hidden_states_with_static_features():
    Xs = RNG.normal(size=(40, 6, 3)).astype("float32")
    Xs[:, :, 2] = Xs[:, :1, 2]
    reg = RNNRegressor(cell="gru", units=4, segment_length=2, decoder="segments",
                       static_features=1, epochs=1, random_state=0).fit(Xs, Xs[:, -2:, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        states = reg.hidden_states(Xs)
    assert states.shape == (40, 3, 4)  # 3 segments of 2 steps, 4 units
    assert np.isfinite(states).all()


def test_a_warm_start_with_another_number_of_classes_warns_and_starts_afresh():
    Xc = RNG.normal(size=(60, 4, 1)).astype("float32")
    clf = RNNClassifier(units=4, epochs=1, random_state=0).fit(
        Xc, np.array(["a", "b", "c"])[np.arange(60) % 3])
    with pytest.warns(UserWarning, match="warm_start=True cannot continue the fitted network"):
        clf.set_params(warm_start=True).fit(Xc, np.array(["a", "b", "c", "d"])[np.arange(60) % 4])
    assert list(clf.classes_) == ["a", "b", "c", "d"]


def test_a_classifier_checkpoint_without_recorded_classes_still_resumes(tmp_path):
    Xc = RNG.normal(size=(60, 4, 1)).astype("float32")
    labels = np.array(["cat", "dog"])[np.arange(60) % 2]
    ckpt = tmp_path / "c"
    with pytest.raises(KeyboardInterrupt):
        RNNClassifier(units=4, epochs=3, random_state=0, checkpoint_dir=ckpt,
                      callbacks=[_stop_at(0)]).fit(Xc, labels)
    state = json.loads((ckpt / "state.json").read_text())
    del state["config"]["classes"]  # as written before the classes were recorded
    (ckpt / "state.json").write_text(json.dumps(state))
    clf = RNNClassifier(units=4, epochs=3, random_state=0, checkpoint_dir=ckpt,
                        warm_start=True).fit(Xc, labels)
    assert clf.n_epochs_ == 2  # epochs 2 and 3: resumed


def test_a_checkpoint_of_another_network_warns_that_it_is_replaced(tmp_path):
    ckpt = tmp_path / "c"
    with pytest.raises(KeyboardInterrupt):
        GRURegressor(units=4, epochs=3, random_state=0, checkpoint_dir=ckpt,
                     callbacks=[_stop_at(0)]).fit(X, Y)
    with pytest.warns(UserWarning, match=r"is of another network \(or other classes\): it is "
                                         r"not resumed"):
        GRURegressor(units=8, epochs=1, random_state=0, checkpoint_dir=ckpt,
                     warm_start=True).fit(X, Y)


def test_a_warm_start_restores_the_default_learning_rate_too():
    import keras

    rates, rate = _first_step_rates()
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.01, patience=0,
                                                min_delta=100)
    est = GRURegressor(units=4, epochs=2, learning_rate=None, random_state=0,
                       callbacks=[plateau]).fit(X, Y)
    est.set_params(warm_start=True, callbacks=[rate]).fit(X, Y)
    assert rates[0] == pytest.approx(1e-3)  # Adam's default, not the plateau's 1e-5
