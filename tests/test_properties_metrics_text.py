"""Property tests (hypothesis) for the metrics invariants and a short TextVectorizer fuzz
(issue 8; windowing/scaling properties are in test_preprocessing_properties.py and the CSV
loader fuzz in test_datasets_csv.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from forecast import metrics
from forecast.forecasters import Naive2
from forecast.text import TextVectorizer

SETTINGS = settings(max_examples=50, deadline=None)

values = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
lengths = st.integers(1, 12)


@st.composite
def pairs(draw, elements=values):
    n = draw(lengths)
    a = draw(arrays(np.float64, n, elements=elements))
    b = draw(arrays(np.float64, n, elements=elements))
    return a, b


@SETTINGS
@given(pairs())
def test_smape_is_bounded_and_symmetric(pair):
    a, b = pair
    value = metrics.smape(a, b)
    assert 0.0 <= value <= 200.0
    assert value == metrics.smape(b, a)
    assert metrics.smape(a, a) == 0.0


@SETTINGS
@given(pairs())
def test_mae_rmse_order_and_symmetry(pair):
    a, b = pair
    mae, rmse = metrics.mae(a, b), metrics.rmse(a, b)
    assert 0.0 <= mae <= rmse * (1 + 1e-12) + 1e-12
    assert mae == metrics.mae(b, a)
    assert metrics.rmse(a, a) == 0.0
    # the median pinball loss is half the absolute error
    assert metrics.pinball(a, b, quantile=0.5) == pytest.approx(mae / 2, rel=1e-12, abs=1e-12)


@SETTINGS
@given(pairs(st.floats(-1e3, 1e3)), arrays(np.float64, st.integers(3, 20),
                                             elements=st.floats(-1e3, 1e3)),
       st.floats(1e-3, 1e3), st.integers(1, 4))
def test_mase_is_scale_invariant(pair, train, scale, season_length):
    a, b = pair
    assume(len(train) > season_length)
    assume(np.abs(train[season_length:] - train[:-season_length]).mean() > 1e-6)
    base = metrics.mase(a, b, y_train=train, season_length=season_length)
    scaled = metrics.mase(a * scale, b * scale, y_train=train * scale,
                          season_length=season_length)
    assert base >= 0.0
    assert scaled == pytest.approx(base, rel=1e-9, abs=1e-12)
    # shifting everything by a constant changes neither errors nor the scale
    shifted = metrics.mase(a + 7.0, b + 7.0, y_train=train + 7.0, season_length=season_length)
    assert shifted == pytest.approx(base, rel=1e-6, abs=1e-9)


@SETTINGS
@given(st.integers(30, 80), st.integers(1, 8), st.integers(0, 10_000))
def test_owa_of_naive2_against_itself_is_one(n, horizon, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(n + horizon)
    series = pd.Series(50 + 5 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, n + horizon))
    train, test = series.iloc[:n], series.iloc[n:]
    forecast = Naive2(season_length=12).fit(train).predict(horizon)
    s = metrics.smape(test.to_numpy(), forecast.to_numpy())
    m = metrics.mase(test.to_numpy(), forecast.to_numpy(), y_train=train.to_numpy(),
                     season_length=12)
    assume(s > 0 and m > 0)
    assert metrics.owa(s, m, smape_naive2=s, mase_naive2=m) == pytest.approx(1.0, rel=1e-12)
    # twice the errors of Naive2 on both measures -> OWA 2
    assert metrics.owa(2 * s, 2 * m, smape_naive2=s, mase_naive2=m) == pytest.approx(2.0)


@SETTINGS
@given(st.integers(1, 10), st.integers(0, 10_000))
def test_coverage_is_a_fraction(h, seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=h)
    lower = rng.normal(size=h) - 1.0
    interval = np.column_stack([lower, lower + rng.uniform(0, 3, size=h)])
    value = metrics.coverage(y, interval)
    assert 0.0 <= value <= 1.0
    assert math.isclose(value * h, round(value * h))


# --- TextVectorizer fuzz -------------------------------------------------------------------
texts = st.lists(st.text(max_size=30), min_size=1, max_size=8)


@SETTINGS
@given(texts, texts, st.sampled_from(["word", "character"]),
       st.sampled_from(["lower_and_strip_punctuation", "lower", None]),
       st.sampled_from(["post", "pre"]))
def test_vectorizer_never_crashes_on_unicode(train, other, split, standardize, padding):
    vec = TextVectorizer(split=split, standardize=standardize, padding=padding,
                         max_tokens=None)
    try:
        ids = vec.fit_transform(train)
    except ValueError as exc:
        refused = str(exc)
    else:
        refused = ""
    if refused:  # only when no text has any token
        assert "`X` holds no tokens" in refused
        return
    n_tokens = len(vec.tokens_)
    assert ids.shape == (len(train), vec.sequence_length_)
    assert ids.dtype.kind == "i"
    assert ids.min() >= 0
    assert ids.max() < n_tokens
    np.testing.assert_array_equal(vec.transform(train), ids)  # transform == fit output
    # every id of the vocabulary occurs in the fitted output (no dead embedding rows)
    assert set(range(2, n_tokens)) <= set(np.unique(ids).tolist())
    unseen = vec.transform(other)  # any unicode afterwards: ids stay in the vocabulary
    assert unseen.shape == (len(other), vec.sequence_length_)
    assert 0 <= unseen.min()
    assert unseen.max() < n_tokens
    assert len(vec.inverse_transform(unseen)) == len(other)
