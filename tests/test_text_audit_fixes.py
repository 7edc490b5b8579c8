"""Text estimators: score weights checked first, temperatures near 0, raw strings given to
a numeric estimator (found by an audit, 2026-12-07; each failed before its fix)."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.estimators import RNNClassifier, Seq2SeqTranslator, SequenceTagger, TextGenerator


@pytest.fixture(scope="module")
def translator():
    src = ["one two", "two three", "three one", "one one"] * 4
    tgt = ["a b", "b c", "c a", "a a"] * 4
    return Seq2SeqTranslator(units=4, embedding_dim=4, epochs=1, random_state=0).fit(src, tgt), \
        src[:4], tgt[:4]


@pytest.mark.parametrize(("weights", "error", "message"), [
    ([0.0, 0.0, 0.0, 0.0], ValueError, "`sample_weight` is all zeros"),
    ([1.0, 1.0], ValueError, r"`sample_weight` must have one weight per sample \(4\)"),
    ([1.0, -1.0, 1.0, 1.0], ValueError, "`sample_weight` must be non-negative"),
    ([1.0, np.nan, 1.0, 1.0], ValueError, "sample_weight"),
])
def test_translator_score_checks_sample_weight(translator, weights, error, message):
    model, src, tgt = translator
    with pytest.raises(error, match=message):
        model.score(src, tgt, sample_weight=weights)


def test_translator_score_with_weights(translator):
    model, src, tgt = translator
    plain = model.score(src, tgt)
    assert model.score(src, tgt, sample_weight=[1.0, 1.0, 1.0, 1.0]) == pytest.approx(plain)


def test_tagger_score_checks_sample_weight_before_tagging():
    X = [["a", "b"], ["b", "a"]] * 4
    y = [["x", "y"], ["y", "x"]] * 4
    tagger = SequenceTagger(units=4, embedding_dim=4, epochs=1, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="`sample_weight` is all zeros"):
        tagger.score(X, y, sample_weight=np.zeros(len(X)))


@pytest.mark.parametrize("temperature", [1e-310, 5e-324])
def test_generator_temperature_near_zero_is_greedy(temperature):
    texts = ["the cat sat on the mat", "the dog sat on the log"] * 4
    gen = TextGenerator(units=4, embedding_dim=4, epochs=1, random_state=0).fit(texts)
    greedy = gen.generate("the", max_length=5, temperature=0)
    assert gen.generate("the", max_length=5, temperature=temperature) == greedy


def test_classifier_given_raw_strings_says_to_vectorize():
    with pytest.raises(TypeError, match=r"`X` holds text \('good movie'...\): a recurrent "
                                        r"estimator takes numbers\. Turn texts into token ids "
                                        r"first"):
        RNNClassifier(units=2, epochs=1).fit(["good movie", "bad movie"], [1, 0])
