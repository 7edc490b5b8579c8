"""Text estimators: sample weights per sequence, a failed fit keeps the fitted model,
warm starts keep the vocabulary, inference uses the fitted lengths."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from forecast.estimators import Seq2SeqTranslator, SequenceTagger, TextGenerator
from forecast.text import make_date_pairs

# eager: these tests are about state and weights, not graphs (no tracing per model)
TINY = {"epochs": 1, "batch_size": 8, "random_state": 0, "run_eagerly": True}
TAG_X = [["the", "dog", "runs"], ["a", "cat"], ["the", "bird", "eats"], ["a", "dog"]] * 2
TAG_Y = [["DET", "NOUN", "VERB"], ["DET", "NOUN"], ["DET", "NOUN", "VERB"], ["DET", "NOUN"]] * 2


def test_tagger_sample_weight_is_per_sequence():
    base = SequenceTagger(units=4, embedding_dim=4, **TINY)
    weights = np.ones(len(TAG_X))
    weighted = clone(base).fit(TAG_X, TAG_Y, sample_weight=weights)
    plain = clone(base).fit(TAG_X, TAG_Y)
    for a, b in zip(weighted.model_.get_weights(), plain.model_.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)  # unit weights change nothing
    halved = clone(base).fit(TAG_X, TAG_Y, sample_weight=np.tile([1.0, 0.0], 4))
    assert not all(np.allclose(a, b) for a, b in zip(halved.model_.get_weights(),
                                                     plain.model_.get_weights(), strict=True))
    # scoring weights: a zero weight drops that sequence
    assert weighted.score(TAG_X[:2], TAG_Y[:2], sample_weight=[1.0, 0.0]) == pytest.approx(
        weighted.score(TAG_X[:1], TAG_Y[:1]))
    with pytest.raises(ValueError, match=r"`sample_weight` must have one weight per sample"):
        weighted.score(TAG_X[:2], TAG_Y[:2], sample_weight=[1.0])


def test_translator_sample_weight_counts_pairs_not_the_tuple():
    X, y = make_date_pairs(16, random_state=0)
    model = Seq2SeqTranslator(units=4, embedding_dim=4, **TINY)
    model.fit(X, y, sample_weight=np.linspace(0.5, 1.5, 16))
    assert len(model.predict(X[:2])) == 2
    with pytest.raises(ValueError, match=r"one weight per sample \(16\)"):
        model.fit(X, y, sample_weight=np.ones(3))
    assert len(model.predict(X[:2])) == 2  # the failed fit left the fitted model usable


def test_a_failed_tagger_fit_keeps_the_fitted_state():
    tagger = SequenceTagger(units=4, embedding_dim=4, **TINY).fit(TAG_X, TAG_Y)
    before = tagger.predict(TAG_X[:4])
    tokens, length = list(tagger.tokens_), tagger.sequence_length_
    with pytest.raises(ValueError, match="has 6 tokens but 2 tags"):
        tagger.fit([["zz", "yy", "xx", "ww", "vv", "uu"]], [["A", "B"]])
    assert tagger.tokens_ == tokens
    assert tagger.sequence_length_ == length
    assert tagger.predict(TAG_X[:4]) == before


def test_warm_start_keeps_the_vocabulary_of_the_trained_embedding():
    gen = TextGenerator(units=4, embedding_dim=4, sequence_length=8, **TINY).fit(["aaaab"] * 8)
    tokens = list(gen.tokens_)
    gen.set_params(warm_start=True).fit(["abbbbz"] * 8)  # 'b' now more frequent, 'z' new
    assert gen.tokens_ == tokens
    tagger = SequenceTagger(units=4, embedding_dim=4, **TINY).fit(TAG_X, TAG_Y)
    vocab = dict(tagger.vocabulary_)
    tagger.set_params(warm_start=True).fit([["a", "a", "a"]] * 4, [["DET", "DET", "DET"]] * 4)
    assert tagger.vocabulary_ == vocab


def test_generator_uses_the_fitted_window_length_until_the_next_fit():
    gen = TextGenerator(units=4, embedding_dim=4, sequence_length=8, **TINY).fit(["abcab"] * 8)
    expected = gen.generate("ab", max_length=3, random_state=0)
    gen.set_params(sequence_length=4)
    assert gen.generate("ab", max_length=3, random_state=0) == expected
    assert np.isfinite(gen.perplexity(["abc"]))
    assert gen.generate("ab", max_length=3, temperature=np.float32(0.5), random_state=0)


def test_tagger_max_tokens_needs_room_for_a_token():
    with pytest.raises(ValueError, match=r"`max_tokens` must be at least 3 .* "
                                         r"Received: max_tokens=2"):
        SequenceTagger(max_tokens=2, **TINY).fit(TAG_X, TAG_Y)


def test_make_date_pairs_exclude_counts_only_dates_in_range():
    held = set(make_date_pairs(400, random_state=1, start_year=1990, end_year=1999)[1])
    _, tgt = make_date_pairs(2, start_year=2000, end_year=2000, exclude=held | {"junk"},
                               random_state=0)
    assert len(tgt) == 2
    assert all(t.startswith("2000-") for t in tgt)
    with pytest.raises(ValueError, match=r"Only 364 dates are available; cannot draw n=400"):
        make_date_pairs(400, start_year=2001, end_year=2001, exclude={"2001-06-01"},
                        replace=False)
