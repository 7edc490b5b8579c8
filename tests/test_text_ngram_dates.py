"""NGramLanguageModel (Kneser-Ney) and make_date_pairs (no TF)."""

from __future__ import annotations

import datetime as dt
import math
import pickle

import pytest

from forecast.text import NGramLanguageModel, make_date_pairs
from forecast.text._tokenize import BOS

TRAIN = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog"]


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_kneser_ney_distribution_sums_to_one(n):
    lm = NGramLanguageModel(n=n).fit(TRAIN)
    support = [*lm.vocabulary_, "[UNK]"]
    for history in [(BOS,) * (n - 1), tuple("the c"[-(n - 1):]) if n > 1 else ()]:
        total = sum(lm._prob(history, w) for w in support)
        assert math.isclose(total, 1.0, rel_tol=1e-9)


def test_perplexity_prefers_in_domain_text_and_higher_order_helps():
    lm3 = NGramLanguageModel(n=3).fit(TRAIN)
    lm1 = NGramLanguageModel(n=1).fit(TRAIN)
    assert lm3.perplexity(["the cat sat"]) < lm3.perplexity(["qzx vvv"])
    assert lm3.perplexity(["the cat sat"]) < lm1.perplexity(["the cat sat"])
    assert lm3.score(["the cat sat"]) == lm3.perplexity(["the cat sat"])
    total, count = lm3.log_likelihood(["ab"])
    assert count == 3  # a, b, [EOS]
    assert total < 0


def test_unseen_tokens_have_finite_perplexity_and_word_level():
    lm = NGramLanguageModel(n=2, level="word", lowercase=True).fit(TRAIN)
    assert "[EOS]" in lm.vocabulary_
    assert math.isfinite(lm.perplexity(["The zebra sat"]))
    restored = pickle.loads(pickle.dumps(lm))
    assert restored.perplexity(["the cat"]) == lm.perplexity(["the cat"])


def test_fixed_discount():
    lm = NGramLanguageModel(n=2, discount=0.5).fit(TRAIN)
    assert lm.discounts_ == [0.5, 0.5]


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n": 0}, ValueError, "`n` must be a positive integer"),
        ({"level": "byte"}, ValueError, "`level` must be one of"),
        ({"discount": 1.5}, ValueError, "`discount` must be in"),
        ({"discount": 0.0}, ValueError, r"`discount` must be in \(0, 1\)"),
    ],
)
def test_ngram_param_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        NGramLanguageModel(**kwargs).fit(TRAIN)


def test_ngram_input_errors():
    with pytest.raises(TypeError, match="item 1 is None"):
        NGramLanguageModel().fit(["a", None])
    with pytest.raises(TypeError, match="not a single string"):
        NGramLanguageModel().fit("abc")


def test_date_pairs_are_deterministic_and_correct():
    src, tgt = make_date_pairs(200, random_state=3)
    assert (src, tgt) == make_date_pairs(200, random_state=3)
    assert src != make_date_pairs(200, random_state=4)[0]
    for s, t in zip(src, tgt, strict=True):
        date = dt.date.fromisoformat(t)
        assert str(date.year) in s
    assert len({s.split()[0][-1] for s in src}) > 3  # varied formats


def test_date_pairs_exclude_gives_held_out_dates():
    _, train = make_date_pairs(100, random_state=0, start_year=2000, end_year=2000)
    _, test = make_date_pairs(50, random_state=1, start_year=2000, end_year=2000,
                              exclude=set(train))
    assert not set(test) & set(train)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n": 0}, ValueError, "`n` must be a positive integer"),
        ({"n": 2, "random_state": -1}, ValueError, "`random_state` must be a non-negative"),
        ({"n": 2, "start_year": 2000, "end_year": 1999}, ValueError, "`end_year` must be"),
        ({"n": 400, "start_year": 2001, "end_year": 2001, "replace": False}, ValueError,
         "Only 365 dates"),
    ],
)
def test_date_pairs_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        make_date_pairs(**kwargs)
