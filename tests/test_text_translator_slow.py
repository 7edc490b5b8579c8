"""Date normalisation with Seq2SeqTranslator: >= 99% exact match, beam never worse (slow)."""

from __future__ import annotations

import pytest

from forecast.estimators import Seq2SeqTranslator
from forecast.text import make_date_pairs


@pytest.mark.slow
@pytest.mark.parametrize("attention", ["dot", "additive"])
def test_dates_exact_match_and_beam_not_worse(attention):
    X, y = make_date_pairs(4000, random_state=0)
    X_test, y_test = make_date_pairs(500, random_state=1, exclude=set(y))  # held-out dates
    tr = Seq2SeqTranslator(units=64, attention=attention, epochs=12, random_state=0).fit(X, y)
    greedy = tr.score(X_test, y_test)
    tr.set_params(beam_width=3)
    beam = tr.score(X_test, y_test)
    assert greedy >= 0.99
    assert beam >= greedy
