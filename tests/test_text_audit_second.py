"""Defects found by the second text audit (2026-12-08)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from forecast.estimators import SequenceTagger, TextGenerator
from forecast.text import TextVectorizer, make_date_pairs

TEXTS = ["abcab", "bcabc", "cabca", "abxab", "bcqbc"] * 6  # x and q occur 6 times each


def test_perplexity_shares_unk_among_the_tokens_it_stands_for():
    gen = TextGenerator(units=4, embedding_dim=4, sequence_length=8, epochs=1, min_frequency=7,
                        random_state=0).fit(TEXTS)
    assert gen.oov_types_ == ["q", "x"]
    held_out = ["abxab", "qq", "zab"]  # two left-out training tokens and an unseen one
    total, count = gen.log_likelihood(held_out)
    n_unk = sum(t in ("x", "q", "z") for text in held_out for t in text)
    gen.oov_types_ = []
    raw, raw_count = gen.log_likelihood(held_out)
    assert count == raw_count
    assert total == pytest.approx(raw - n_unk * math.log(3))


def test_without_left_out_tokens_perplexity_is_unchanged():
    gen = TextGenerator(units=4, embedding_dim=4, sequence_length=8, epochs=1,
                        random_state=0).fit(TEXTS)
    assert gen.oov_types_ == []


def test_a_warm_refit_adds_its_new_tokens_to_the_left_out_set():
    gen = TextGenerator(units=4, embedding_dim=4, sequence_length=8, epochs=1,
                        warm_start=True, random_state=0).fit(TEXTS)
    gen.fit(["abzab"] * 5)  # the vocabulary is kept: z maps to [UNK]
    assert gen.oov_types_ == ["z"]


def test_an_empty_token_is_refused_not_read_as_padding():
    X = [["the", "", "dog"], ["a", "cat"]]
    y = [["DET", "PUNCT", "NOUN"], ["DET", "NOUN"]]
    with pytest.raises(ValueError, match=r'`X` must hold non-empty tokens \(""'
                                         r' is reserved for padding\); item 0 has "" at '
                                         r"position 1"):
        SequenceTagger(units=2, embedding_dim=2, epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=r"`y` must hold non-empty tokens"):
        SequenceTagger(units=2, embedding_dim=2, epochs=1).fit(
            [["a", "b"]], [["DET", ""]])


def test_character_ngrams_are_joined_directly_as_documented():
    vec = TextVectorizer(split="character", ngrams=2).fit(["ab c"])
    assert "ab" in vec.vocabulary_
    assert "a b" not in vec.vocabulary_
    assert "joined directly" in TextVectorizer.__doc__


def test_date_pairs_without_replacement_are_distinct():
    _, targets = make_date_pairs(366, random_state=0, start_year=2000, end_year=2000,
                                 replace=False)
    assert len(set(targets)) == 366
    with pytest.raises(ValueError, match=r"Only 366 dates are available; cannot draw n=367 "
                                         r"distinct dates \(replace=False\)"):
        make_date_pairs(367, random_state=0, start_year=2000, end_year=2000, replace=False)
    _, repeated = make_date_pairs(367, random_state=0, start_year=2000, end_year=2000)
    assert len(repeated) == 367  # with replacement any n can be drawn


def test_date_pairs_with_replacement_are_the_same_draws_as_before():
    # the benchmarks' held-out set: the draws did not change with the new option
    sources, targets = make_date_pairs(3, random_state=1)
    again = make_date_pairs(3, random_state=1, replace=True)
    assert (sources, targets) == again
    assert len(set(make_date_pairs(1000, random_state=1)[1])) == 997


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"start_year": 0}, r"`start_year` must be a positive integer. Received: start_year=0"),
    ({"end_year": 10000}, r"`end_year` must be a year in 1..9999. Received: end_year=10000"),
    ({"replace": "no"}, r"`replace` must be a bool. Received: replace='no'"),
])
def test_date_pair_arguments_are_checked(kwargs, message):
    exc = TypeError if "replace" in kwargs else ValueError
    with pytest.raises(exc, match=message):
        make_date_pairs(3, random_state=0, **kwargs)


def test_left_out_tokens_survive_pickling():
    import pickle

    gen = TextGenerator(units=4, embedding_dim=4, sequence_length=8, epochs=1, min_frequency=7,
                        random_state=0).fit(TEXTS)
    again = pickle.loads(pickle.dumps(gen))
    assert again.oov_types_ == gen.oov_types_
    assert np.isclose(again.perplexity(["abxab"]), gen.perplexity(["abxab"]))
