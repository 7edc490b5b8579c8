"""TextGenerator options: seed ensemble and weight averaging (tiny models)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone

from forecast.estimators import TextGenerator

TEXTS = ["abcabcabc", "abcab", "bcabca", "cab", "abcabcabcabcab"] * 5
# eager: these tests are about ensembles and weight averaging, not graphs
TINY = {"units": 6, "embedding_dim": 4, "sequence_length": 6, "epochs": 2, "batch_size": 16,
        "random_state": 0, "run_eagerly": True}


@pytest.fixture(scope="module")
def ensemble():
    return TextGenerator(ensemble_size=2, dropout=0.1, **TINY).fit(TEXTS)


def test_params_stored_unchanged():
    gen = TextGenerator(ensemble_size=3, average_last_epochs=4)
    assert gen.get_params()["average_last_epochs"] == 4
    assert gen.get_params()["ensemble_size"] == 3
    assert clone(gen).get_params()["ensemble_size"] == 3


def test_ensemble_averages_member_probabilities(ensemble):
    model = ensemble.model_
    assert model.output_shape == (None, 2 * 6, len(ensemble.tokens_))
    inputs, targets, mask = ensemble._windows(["abcab", "cab"], scored=True)
    raw = np.asarray(model.predict_on_batch(inputs))
    members = raw.reshape(len(inputs), 2, 6, -1)
    assert not np.allclose(members[:, 0], members[:, 1])  # distinct initial weights
    averaged = np.concatenate(ensemble._predict_probs(inputs))
    np.testing.assert_allclose(averaged, members.mean(axis=1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(averaged.sum(-1), 1.0, rtol=1e-5)
    picked = np.take_along_axis(averaged, targets[..., None], axis=-1)[..., 0][mask]
    total, count = ensemble.log_likelihood(["abcab", "cab"])
    assert count == int(mask.sum())
    assert total == pytest.approx(float(np.log(picked.astype(np.float64)).sum()), rel=1e-5)
    assert 1.0 < ensemble.perplexity(["abcabc"]) < len(ensemble.tokens_)
    text = ensemble.generate("ab", max_length=6, random_state=0)
    assert text.startswith("ab")
    assert set(text) <= set("abc")


def test_ensemble_loss_is_mean_of_member_losses(ensemble):
    """Members share nothing and the loss averages theirs: each is trained as if alone."""
    inputs, targets = ensemble._windows(TEXTS)
    raw = np.asarray(ensemble.model_.predict_on_batch(inputs), dtype=np.float64)
    members = raw.reshape(len(inputs), 2, 6, -1)
    mask = targets != 0
    member_losses = [
        -np.log(np.take_along_axis(members[:, i], targets[..., None], axis=-1)[..., 0][mask])
        .mean() for i in range(2)
    ]
    keras_loss = ensemble.model_.evaluate(
        inputs, np.tile(targets, (1, 2)), batch_size=len(inputs), verbose=0
    )
    assert keras_loss == pytest.approx(np.mean(member_losses), rel=1e-4)
    assert len(ensemble.history_["loss"]) == 2


def test_ensemble_deterministic_clone_and_pickle(ensemble):
    again = clone(ensemble).fit(TEXTS)
    assert again.perplexity(["abcab"]) == ensemble.perplexity(["abcab"])
    assert again.generate("a", max_length=8, random_state=3) == ensemble.generate(
        "a", max_length=8, random_state=3
    )
    restored = pickle.loads(pickle.dumps(ensemble))
    assert restored.perplexity(["abcab"]) == pytest.approx(ensemble.perplexity(["abcab"]))
    assert restored.get_params() == ensemble.get_params()


def test_ensemble_save_and_load(ensemble, tmp_path):
    loaded = TextGenerator.load(ensemble.save(tmp_path / "ens.keras"))
    assert loaded.perplexity(["abcab"]) == pytest.approx(ensemble.perplexity(["abcab"]))


def test_ensemble_with_validation_and_early_stopping():
    gen = TextGenerator(ensemble_size=2, validation_fraction=0.2, early_stopping=True,
                        patience=1, **TINY).fit(TEXTS)
    assert "val_loss" in gen.history_
    assert gen.best_epoch_ is not None


@pytest.mark.parametrize(
    ("param", "value", "exc", "match"),
    [
        ("ensemble_size", 0, ValueError,
         "`ensemble_size` must be a positive integer. Received: ensemble_size=0"),
        ("ensemble_size", 2.5, TypeError, "`ensemble_size` must be a positive integer"),
    ],
)
def test_option_errors(param, value, exc, match):
    with pytest.raises(exc, match=match):
        TextGenerator(**{param: value}).fit(TEXTS)


def test_average_last_epochs_loads_mean_of_epoch_weights():
    import keras

    class Recorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.weights = []

        def on_epoch_end(self, epoch, logs=None):
            self.weights.append([np.array(w) for w in self.model.get_weights()])

    rec = Recorder()
    params = {**TINY, "epochs": 3}
    gen = TextGenerator(average_last_epochs=2, callbacks=[rec], **params).fit(TEXTS)
    assert len(rec.weights) == 3
    for got, first, second in zip(gen.model_.get_weights(), rec.weights[1], rec.weights[2],
                                  strict=True):
        np.testing.assert_allclose(got, (first.astype(np.float64) + second) / 2, rtol=1e-6,
                                   atol=1e-7)
    plain = TextGenerator(**params).fit(TEXTS)
    np.testing.assert_array_equal(plain.model_.get_weights()[0], rec.weights[2][0])
    again = clone(gen).set_params(callbacks=None).fit(TEXTS)
    assert again.perplexity(["abcab"]) == gen.perplexity(["abcab"])
    assert "_extra_callbacks" not in gen.__dict__
    restored = pickle.loads(pickle.dumps(again))
    assert restored.perplexity(["abcab"]) == pytest.approx(gen.perplexity(["abcab"]))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"average_last_epochs": -1},
         "`average_last_epochs` must be a non-negative integer. Received: average_last_epochs=-1"),
        ({"average_last_epochs": 4, "epochs": 3},
         r"`average_last_epochs` must be at most `epochs`\. Received: average_last_epochs=4, "
         "epochs=3"),
        ({"average_last_epochs": 2, "early_stopping": True, "validation_fraction": 0.2},
         "`average_last_epochs` cannot be combined with early stopping"),
    ],
)
def test_average_last_epochs_errors(params, match):
    with pytest.raises(ValueError, match=match):
        TextGenerator(**params).fit(TEXTS)


def test_hidden_states_of_first_member_and_not_of_dropout_layers(ensemble):
    import keras

    # dropout layers ("member_0_recurrent_dropout_0") are not recurrent layers
    with pytest.raises(ValueError, match=r"`layer` must be an integer in \[0, 1\)"):
        ensemble.hidden_states(["abcab"], layer=1)
    states = ensemble.hidden_states(["abcab", "cab"], layer=0)
    inputs, _, _ = ensemble._windows(["abcab", "cab"], scored=True)
    model = ensemble.model_
    expected = keras.Model(model.inputs, model.get_layer("member_0_recurrent_0").output)
    np.testing.assert_allclose(states, np.asarray(expected.predict_on_batch(inputs)),
                               rtol=1e-5, atol=1e-6)
    assert states.shape == (2, 6, 6)
