"""``run_eagerly`` on the text estimators: the same results without tracing graphs."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.estimators import Seq2SeqTranslator, SequenceTagger, TextGenerator
from forecast.text import make_date_pairs

TINY = {"units": 4, "embedding_dim": 4, "epochs": 1, "batch_size": 8, "random_state": 0}
TAG_X = [["the", "dog", "runs"], ["a", "cat", "sleeps"]] * 8
TAG_Y = [["DET", "NOUN", "VERB"]] * 16
TEXTS = ["abcabcabc", "abcab", "bcabca", "cab"] * 4


def _is_traced(fn) -> bool:
    import tensorflow as tf

    return isinstance(fn, tf.types.experimental.GenericFunction)  # what tf.function makes


def test_eager_training_gives_the_traced_weights():
    traced = SequenceTagger(**TINY).fit(TAG_X, TAG_Y)
    eager = SequenceTagger(**TINY, run_eagerly=True).fit(TAG_X, TAG_Y)
    assert (traced.model_.run_eagerly, eager.model_.run_eagerly) == (False, True)
    for a, b in zip(eager.model_.get_weights(), traced.model_.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    assert not _is_traced(eager._forward())
    assert eager.predict([["the", "cat", "runs"]]) == traced.predict([["the", "cat", "runs"]])


def test_eager_decoding_gives_the_traced_results():
    gen = TextGenerator(**TINY, sequence_length=6, run_eagerly=True).fit(TEXTS)
    X, y = make_date_pairs(16, random_state=0)
    translator = Seq2SeqTranslator(**TINY, run_eagerly=True).fit(X, y)
    results = []
    for eager in (True, False):  # the same fitted models, decoded both ways
        gen.set_params(run_eagerly=eager)
        translator.set_params(run_eagerly=eager)
        for fn in (gen._forward(), translator._forward(), translator._step_fn()):
            assert _is_traced(fn) is not eager  # cached per setting, not reused
        results.append((gen.perplexity(["abcab"]),
                        gen.generate("ab", max_length=6, random_state=0),
                        translator.predict(X[:1], beam_width=2), translator.predict(X[:2]),
                        translator.attention_weights(X[0])))
    (ppl, text, beam, greedy, att), (ppl_t, text_t, beam_t, greedy_t, att_t) = results
    assert ppl == pytest.approx(ppl_t, rel=1e-5)
    assert text == text_t
    np.testing.assert_array_equal(beam, beam_t)
    np.testing.assert_array_equal(greedy, greedy_t)
    np.testing.assert_allclose(att[0], att_t[0], rtol=1e-5, atol=1e-7)  # the weights
    assert att[1:] == att_t[1:]  # source and target tokens


@pytest.mark.parametrize("est", [SequenceTagger, TextGenerator, Seq2SeqTranslator])
def test_run_eagerly_must_be_a_bool(est):
    X, y = (TAG_X, TAG_Y) if est is SequenceTagger else (
        (TEXTS, None) if est is TextGenerator else make_date_pairs(8, random_state=0))
    with pytest.raises(TypeError, match=r"`run_eagerly` must be a bool\. "
                                        r"Received: run_eagerly='yes'"):
        est(**TINY, run_eagerly="yes").fit(X, y)

