"""RNNClassifier `ema_momentum` (weights averaged over the training steps) and
`learning_rate_schedule` (cosine decay)."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from forecast.estimators import RNNClassifier
from forecast.text import TextVectorizer

SENTENCES = np.array(
    ["good movie", "great food", "loved it", "very good", "bad movie", "awful food",
     "hated it", "very bad", "great great", "bad bad", "good fun", "awful day"],
    dtype=object,
)
LABELS = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0])
TINY = {"embedding_dim": 4, "units": 4, "epochs": 2, "batch_size": 4, "random_state": 0,
        "run_eagerly": True}


def test_ema_ends_fit_with_the_averaged_weights_and_is_deterministic():
    clf = RNNClassifier(ema_momentum=0.5, **TINY)
    pipe = make_pipeline(TextVectorizer(), clf).fit(SENTENCES, LABELS)
    opt = clf.model_.optimizer
    assert opt.use_ema
    assert opt.ema_momentum == 0.5
    for var, avg in zip(clf.model_.trainable_variables, opt._model_variables_moving_average,
                        strict=True):
        np.testing.assert_array_equal(np.asarray(var), np.asarray(avg))
    proba = pipe.predict_proba(SENTENCES)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    plain = make_pipeline(TextVectorizer(), RNNClassifier(ema_momentum=None, **TINY)).fit(
        SENTENCES, LABELS)
    assert not np.allclose(plain.predict_proba(SENTENCES), proba)
    again = clone(pipe).fit(SENTENCES, LABELS)
    np.testing.assert_array_equal(again.predict_proba(SENTENCES), proba)
    pipe.fit(SENTENCES, LABELS)  # refit of the reused model: same result
    np.testing.assert_array_equal(pipe.predict_proba(SENTENCES), proba)
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_allclose(restored.predict_proba(SENTENCES), proba, rtol=1e-6)


def test_ema_auto_and_params():
    clf = RNNClassifier(ema_momentum="auto", embedding_dim=8)
    assert clf._ema_momentum() == 0.995
    assert RNNClassifier(ema_momentum="auto")._ema_momentum() is None
    assert RNNClassifier(ema_momentum=None, embedding_dim=8)._ema_momentum() is None
    assert RNNClassifier(ema_momentum=0)._ema_momentum() == 0.0
    assert RNNClassifier().ema_momentum == "auto"
    assert clone(RNNClassifier(ema_momentum=0.9)).get_params()["ema_momentum"] == 0.9


@pytest.mark.parametrize("value", [1.0, -0.1, 1.5, "fast", True, [0.9]])
def test_ema_momentum_errors(value):
    with pytest.raises(ValueError, match=r"`ema_momentum` must be None, 'auto' or a float in "
                       r"\[0, 1\)\. Received: ema_momentum="):
        make_pipeline(TextVectorizer(), RNNClassifier(**{**TINY, "ema_momentum": value})).fit(
            SENTENCES, LABELS
        )


def test_cosine_schedule_decays_the_learning_rate_every_step_and_is_deterministic():
    clf = RNNClassifier(learning_rate_schedule="cosine", learning_rate=0.01, **TINY)
    pipe = make_pipeline(TextVectorizer(), clf).fit(SENTENCES, LABELS)
    total = 2 * 3  # epochs * steps (12 samples, batch 4)
    last = 0.01 * 0.5 * (1 + np.cos(np.pi * (total - 1) / total))
    np.testing.assert_allclose(float(clf.model_.optimizer.learning_rate), last, rtol=1e-5)
    proba = pipe.predict_proba(SENTENCES)
    again = clone(pipe).fit(SENTENCES, LABELS)
    np.testing.assert_array_equal(again.predict_proba(SENTENCES), proba)
    assert clf.callbacks is None  # the schedule's callback is not stored in the params
    assert RNNClassifier().learning_rate_schedule == "auto"
    assert RNNClassifier(embedding_dim=8)._learning_rate_schedule() == "cosine"
    assert RNNClassifier()._learning_rate_schedule() == "constant"
    assert RNNClassifier(embedding_dim=8, learning_rate=None)._learning_rate_schedule() == (
        "constant")


def test_text_defaults_train_with_ema_and_cosine_windows_without():
    clf = RNNClassifier(**TINY)
    make_pipeline(TextVectorizer(), clf).fit(SENTENCES, LABELS)
    assert clf.model_.optimizer.use_ema
    assert float(clf.model_.optimizer.learning_rate) < 1e-3
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 5, 2))
    y = (X[:, :, 0].mean(axis=1) > 0).astype(int)
    windows = RNNClassifier(units=4, epochs=1, random_state=0, run_eagerly=True).fit(X, y)
    assert not windows.model_.optimizer.use_ema
    np.testing.assert_allclose(float(windows.model_.optimizer.learning_rate), 1e-3)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"learning_rate_schedule": "linear"},
         r"`learning_rate_schedule` must be one of .*Received: learning_rate_schedule='linear'"),
        ({"learning_rate_schedule": "cosine", "learning_rate": None},
         r"`learning_rate_schedule='cosine'` needs a `learning_rate`\. "
         r"Received: learning_rate=None"),
    ],
)
def test_learning_rate_schedule_errors(params, match):
    with pytest.raises(ValueError, match=match):
        make_pipeline(TextVectorizer(), RNNClassifier(**{**TINY, **params})).fit(
            SENTENCES, LABELS
        )


def test_ema_auto_spans_at_most_a_third_of_a_short_fit():
    # 150 texts, batch 32, 10 epochs = 50 steps: 0.995 would keep ~78 % of the initial
    # weights; "auto" lowers it to exp(-3 / 50) = 0.94 and does not warn
    texts = np.tile(SENTENCES, 13)[:150]
    labels = np.tile(LABELS, 13)[:150]
    clf = RNNClassifier(embedding_dim=4, units=4, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        make_pipeline(TextVectorizer(), clf).fit(texts, labels)
    assert clf.model_.optimizer.ema_momentum == pytest.approx(np.exp(-3 / 50))
    assert clf.ema_momentum == "auto"  # the parameter itself is left as given


def test_an_explicit_momentum_too_slow_for_the_fit_warns():
    clf = RNNClassifier(embedding_dim=4, units=4, epochs=1, batch_size=4, random_state=0,
                        ema_momentum=0.99)
    with pytest.warns(UserWarning, match=r"ema_momentum=0.99 averages the weights over about "
                                         r"100 steps, but this fit runs at most 3 "):
        make_pipeline(TextVectorizer(), clf).fit(SENTENCES, LABELS)
    assert clf.model_.optimizer.ema_momentum == pytest.approx(0.99)  # used as given
