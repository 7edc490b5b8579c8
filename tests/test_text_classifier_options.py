"""RNNClassifier text options (pooling, embedding dropout, seed ensemble, stratified
validation) and TextGenerator's overlapping windows."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from forecast.estimators import RNNClassifier, TextGenerator
from forecast.estimators._classifier import stratified_tail_order
from forecast.text import TextVectorizer

SENTENCES = np.array(
    ["good movie", "great food", "loved it", "very good", "bad movie", "awful food",
     "hated it", "very bad", "great great", "bad bad", "good fun", "awful day"],
    dtype=object,
)
LABELS = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0])
TINY = {"embedding_dim": 4, "units": 4, "epochs": 1, "random_state": 0, "run_eagerly": True}


def test_stratified_tail_order_keeps_class_shares_and_is_a_permutation():
    y = np.array([0] * 70 + [1] * 30)
    order = stratified_tail_order(y, 0.1, random_state=0)
    assert sorted(order.tolist()) == list(range(100))
    assert np.bincount(y[order][-10:]).tolist() == [7, 3]
    assert order[:90].tolist() == sorted(order[:90].tolist())  # head keeps its order
    np.testing.assert_array_equal(order, stratified_tail_order(y, 0.1, random_state=0))


def test_stratified_tail_order_never_empties_a_class():
    y = np.array([0, 0, 0, 0, 1])
    order = stratified_tail_order(y, 0.4, random_state=0)
    assert 1 in y[order][:-2]


@pytest.mark.parametrize("pooling", ["last", "max", "mean", "maxmean"])
def test_pooling_modes_build_and_predict(pooling):
    clf = RNNClassifier(pooling=pooling, embedding_dropout=0.2, ensemble_size=1, **TINY)
    pipe = make_pipeline(TextVectorizer(), clf).fit(SENTENCES, LABELS)
    proba = pipe.predict_proba(SENTENCES)
    assert proba.shape == (12, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    names = [layer.name for layer in clf.model_.layers]
    assert ("pooling" in names) == (pooling != "last")
    assert "embedding_dropout" in names


def test_masked_max_pooling_ignores_padding():
    from forecast.networks._pooling import sequence_pooling

    x = np.array([[[-1.0, 2.0], [-3.0, 4.0], [0.0, 0.0]]], dtype="float32")
    mask = np.array([[True, True, False]])
    out = np.asarray(sequence_pooling("maxmean")(x, mask=mask))
    np.testing.assert_allclose(out, [[-1.0, 4.0, -2.0, 3.0]])


def test_ensemble_auto_for_text_and_single_for_windows():
    clf = RNNClassifier(ensemble_size="auto", **TINY)
    pipe = make_pipeline(TextVectorizer(), clf).fit(SENTENCES, LABELS)
    assert clf.model_.output_shape == (None, 3, 1)
    assert [f"member_{i}" for i in range(3)] == [
        layer.name for layer in clf.model_.layers if layer.name.startswith("member_")
        and not layer.name.endswith("output")
    ]
    proba = pipe.predict_proba(SENTENCES)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_allclose(restored.predict_proba(SENTENCES), proba, rtol=1e-6)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 5, 2))
    y = (X[:, :, 0].mean(axis=1) > 0).astype(int)
    windows = RNNClassifier(units=4, epochs=1, ensemble_size="auto", random_state=0,
                            run_eagerly=True).fit(X, y)
    assert windows.model_.output_shape == (None, 1)
    assert RNNClassifier().ensemble_size == 1


def test_ensemble_multiclass_and_save_load(tmp_path):
    labels = np.array(list("abcabcabcabc"))
    clf = RNNClassifier(ensemble_size=2, **TINY)
    pipe = make_pipeline(TextVectorizer(), clf).fit(SENTENCES, labels)
    proba = pipe.predict_proba(SENTENCES)
    assert proba.shape == (12, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    loaded = RNNClassifier.load(clf.save(tmp_path / "ens.keras"))
    ids = pipe[0].transform(SENTENCES)
    np.testing.assert_allclose(loaded.predict_proba(ids), proba, rtol=1e-6)


def test_stratified_validation_with_early_stopping_is_deterministic():
    clf = RNNClassifier(validation_fraction=0.25, early_stopping=True, patience=1,
                        ensemble_size=1, **{**TINY, "epochs": 2})
    pipe = make_pipeline(TextVectorizer(), clf).fit(SENTENCES, LABELS)
    assert "val_loss" in clf.history_
    again = clone(pipe).fit(SENTENCES, LABELS)
    np.testing.assert_array_equal(again.predict_proba(SENTENCES), pipe.predict_proba(SENTENCES))


@pytest.mark.parametrize(
    ("param", "value", "exc", "match"),
    [
        ("pooling", "median", ValueError, "pooling"),
        ("embedding_dropout", 1.5, ValueError, "embedding_dropout"),
        ("ensemble_size", 0, ValueError, "ensemble_size"),
        ("ensemble_size", "many", ValueError, "ensemble_size"),
        ("validation_strategy", "random", ValueError, "validation_strategy"),
    ],
)
def test_option_errors(param, value, exc, match):
    with pytest.raises(exc, match=match):
        make_pipeline(TextVectorizer(), RNNClassifier(**{**TINY, param: value})).fit(
            SENTENCES, LABELS
        )


def test_generator_overlapping_windows_score_each_token_once():
    gen = TextGenerator(units=4, embedding_dim=4, sequence_length=6, epochs=1, random_state=0)
    gen.fit(["abcabcabcabcabc", "cab"])
    text = "abcabcabcabcab"  # 14 tokens + [EOS]: windows start at 0, 3, 6, 9
    inputs, targets, scored = gen._windows([text], scored=True)
    assert inputs.shape == (4, 6)
    assert int(scored.sum()) == len(text) + 1
    np.testing.assert_array_equal(inputs[1, :3], inputs[0, 3:])
    total, count = gen.log_likelihood([text])
    assert count == len(text) + 1
    assert np.isfinite(total)
