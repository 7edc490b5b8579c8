"""Bad input over the public API: one parametrised suite (issue 8, checks of issue 3).

Every case calls a public entry point with one bad argument and asserts that

* the exception is a ``ValueError`` or ``TypeError`` (or a documented subclass:
  scikit-learn's ``NotFittedError``, ``FileNotFoundError`` of the loaders),
* its message names the argument and shows the value received,
* it is not a TensorFlow, Keras or statsmodels error (its type, and the frame that raised it),
* the caller's objects are unchanged (deep copies compared after the call).

Estimators use ``epochs=1, units=2`` so a case that wrongly reaches training stays cheap.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from forecast import datasets, metrics, preprocessing, text
from forecast import estimators as est
from forecast import forecasters as fc
from forecast import model_selection as ms

FOREIGN = ("tensorflow", "keras", "statsmodels", "tf_keras")

TINY = {"units": 2, "epochs": 1, "batch_size": 8, "random_state": 0}


@dataclass
class Case:
    """``call(*make())`` must raise ``exc`` with a message matching ``match``."""

    id: str
    make: Callable[[], tuple]
    call: Callable[..., Any]
    exc: type[BaseException] | tuple[type[BaseException], ...]
    match: str


def _rng() -> np.random.Generator:
    return np.random.default_rng(0)


def _X(n: int = 16, t: int = 6, f: int = 1) -> np.ndarray:
    return _rng().normal(size=(n, t, f))


def _series(n: int = 48, freq: str = "MS") -> pd.Series:
    idx = pd.date_range("2000-01-01", periods=n, freq=freq)
    return pd.Series(10.0 + np.sin(np.arange(n) / 3.0), index=idx, name="y")


def _with(values: pd.Series, pos: int, value: float) -> pd.Series:
    out = values.copy()
    out.iloc[pos] = value
    return out


def _shuffled_index(y: pd.Series) -> pd.Series:
    idx = list(y.index)
    idx[3], idx[4] = idx[4], idx[3]
    return pd.Series(y.to_numpy(), index=pd.DatetimeIndex(idx), name="y")


def _duplicated_index(y: pd.Series) -> pd.Series:
    idx = list(y.index)
    idx[4] = idx[3]
    return pd.Series(y.to_numpy(), index=pd.DatetimeIndex(idx), name="y")


def _irregular_index(y: pd.Series) -> pd.Series:
    idx = pd.DatetimeIndex(
        [pd.Timestamp("2000-01-01") + pd.Timedelta(days=int(d))
         for d in np.cumsum(_rng().integers(1, 9, size=len(y)))]
    )
    return pd.Series(y.to_numpy(), index=idx, name="y")


def _csv(tmp: str, body: str) -> str:
    import pathlib

    path = pathlib.Path(tmp) / "data.csv"
    path.write_text(body)
    return str(path)


def _fit_predict(model: Any, y: Any, horizon: int) -> Any:
    return model.fit(y).predict(horizon)


def _nf(**kw: Any) -> fc.NeuralForecaster:
    params = {"window": 8, "horizon": 2, **kw}
    return fc.NeuralForecaster(est.GRURegressor(**TINY), **params)


TEXTS = ["the cat sat", "the dog ran", "a cat ran"] * 4
TOKENS = [["the", "cat", "sat"], ["a", "dog", "ran"]] * 4
TAGS = [["DET", "NOUN", "VERB"]] * 8
SRC = ["3 March 2001", "12 May 1999", "1 June 2020"] * 4
TGT = ["2001-03-03", "1999-05-12", "2020-06-01"] * 4

CASES: list[Case] = [
    # --- datasets -----------------------------------------------------------------------
    Case("load_yfinance-path-traversal", lambda: ("../../etc/passwd",),
         lambda t: datasets.load_yfinance(t, offline=True, cache_dir="/nonexistent"),
         ValueError, r"tickers.*\.\./\.\./etc/passwd"),
    Case("load_yfinance-empty-ticker", lambda: ([],),
         lambda t: datasets.load_yfinance(t, offline=True, cache_dir="/nonexistent"),
         ValueError, r"tickers.*\[\]"),
    Case("load_yfinance-non-string-ticker", lambda: ([123],),
         lambda t: datasets.load_yfinance(t, offline=True, cache_dir="/nonexistent"),
         TypeError, r"tickers.*123"),
    Case("load_yfinance-bad-interval", lambda: ("MSFT",),
         lambda t: datasets.load_yfinance(t, interval="7x", offline=True,
                                          cache_dir="/nonexistent"),
         ValueError, r"interval.*7x"),
    Case("load_yfinance-bad-date", lambda: ("MSFT",),
         lambda t: datasets.load_yfinance(t, start="yesterday-ish", offline=True,
                                          cache_dir="/nonexistent"),
         ValueError, r"start.*yesterday-ish"),
    Case("load_csv-strings-in-numbers", lambda: ("date,sales\n2020-01-01,3\n2020-02-01,x\n"
                                                 "2020-03-01,5\n",),
         None, ValueError, r"sales.*'x'"),
    Case("load_csv-duplicate-dates", lambda: ("date,sales\n2020-01-01,3\n2020-01-01,4\n"
                                              "2020-03-01,5\n",),
         None, ValueError, r"date.*duplicate timestamps, e\.g\. 2020-01-01"),
    Case("load_csv-unknown-column", lambda: ("date,sales\n2020-01-01,3\n2020-02-01,4\n",),
         None, ValueError, r"columns.*'price'"),
    Case("load_sample-unknown-name", lambda: ("nile2",),
         lambda name: datasets.load_sample(name), ValueError, r"name.*'nile2'"),
    Case("load_m4-unknown-frequency", lambda: ("Secondly",),
         lambda f: datasets.load_m4(f, "/nonexistent"), ValueError, r"frequency.*'Secondly'"),
    # --- preprocessing ------------------------------------------------------------------
    Case("make_windows-nan", lambda: (_with(_series(), 5, np.nan).to_numpy(),),
         lambda d: preprocessing.make_windows(d, window=4, horizon=2),
         ValueError, r"data.*NaN"),
    Case("make_windows-inf", lambda: (_with(_series(), 5, np.inf).to_numpy(),),
         lambda d: preprocessing.make_windows(d, window=4, horizon=2),
         ValueError, r"data.*infinity"),
    Case("make_windows-strings", lambda: (["1", "2", "x", "4", "5", "6", "7", "8"],),
         lambda d: preprocessing.make_windows(d, window=2, horizon=1),
         TypeError, r"data.*dtype <U1"),
    Case("make_windows-empty", lambda: (np.array([]),),
         lambda d: preprocessing.make_windows(d, window=2, horizon=1),
         ValueError, r"`data` is too short.*length 0"),
    Case("make_windows-3d", lambda: (np.zeros((4, 5, 2)),),
         lambda d: preprocessing.make_windows(d, window=2, horizon=1),
         ValueError, r"data.*shape \(4, 5, 2\)"),
    Case("make_windows-horizon-negative", lambda: (np.arange(20.0),),
         lambda d: preprocessing.make_windows(d, window=4, horizon=-1),
         ValueError, r"`horizon`.*horizon=-1"),
    Case("make_windows-window-negative", lambda: (np.arange(20.0),),
         lambda d: preprocessing.make_windows(d, window=-3, horizon=1),
         ValueError, r"`window`.*window=-3"),
    Case("make_windows-too-short", lambda: (np.arange(5.0),),
         lambda d: preprocessing.make_windows(d, window=4, horizon=3),
         ValueError, r"window.*horizon.*5"),
    Case("SlidingWindow-window-zero", lambda: (np.zeros((10, 1)),),
         lambda d: preprocessing.SlidingWindow(window=0).fit_transform(d),
         ValueError, r"`window`.*window=0"),
    Case("SlidingWindow-stride-zero", lambda: (np.zeros((10, 4)),),
         lambda d: preprocessing.SlidingWindow(window=3, stride=0).fit_transform(d),
         ValueError, r"`stride`.*stride=0"),
    Case("SequenceScaler-method-unknown", lambda: (_X(),),
         lambda X: preprocessing.SequenceScaler(method="zscore").fit(X),
         ValueError, r"method.*'zscore'"),
    Case("SequenceScaler-per-unknown", lambda: (_X(),),
         lambda X: preprocessing.SequenceScaler(per="batch").fit(X),
         ValueError, r"per.*'batch'"),
    Case("SequenceScaler-4d", lambda: (np.zeros((2, 3, 4, 5)),),
         lambda X: preprocessing.SequenceScaler().fit(X),
         ValueError, r"X.*shape \(2, 3, 4, 5\)"),
    Case("SequenceScaler-nan", lambda: (np.where(_X() > 1.5, np.nan, _X()),),
         lambda X: preprocessing.SequenceScaler().fit(X),
         ValueError, r"`X` contains NaN at position \[\d+, \d+, 0\]"),
    Case("SequenceScaler-transform-before-fit", lambda: (_X(),),
         lambda X: preprocessing.SequenceScaler().transform(X),
         NotFittedError, r"SequenceScaler.*not fitted"),
    # --- text ---------------------------------------------------------------------------
    Case("TextVectorizer-empty-list", lambda: ([],),
         lambda X: text.TextVectorizer().fit(X), ValueError, r"`X`.*length 0"),
    Case("TextVectorizer-non-string-item", lambda: (["a cat", 3, "a dog"],),
         lambda X: text.TextVectorizer().fit(X), TypeError, r"`X`.*X\[1\]=3"),
    Case("TextVectorizer-bare-string", lambda: ("the cat sat",),
         lambda X: text.TextVectorizer().fit(X), TypeError, r"X.*'the cat sat'"),
    Case("TextVectorizer-all-empty-strings", lambda: (["", "  "],),
         lambda X: text.TextVectorizer().fit(X), ValueError,
         r"`X` holds no tokens.*\['', '  '\]"),
    Case("TextVectorizer-split-unknown", lambda: (TEXTS,),
         lambda X: text.TextVectorizer(split="sentence").fit(X),
         ValueError, r"split.*'sentence'"),
    Case("TextVectorizer-max_tokens-negative", lambda: (TEXTS,),
         lambda X: text.TextVectorizer(max_tokens=-5).fit(X),
         ValueError, r"max_tokens.*-5"),
    Case("TextVectorizer-transform-before-fit", lambda: (TEXTS,),
         lambda X: text.TextVectorizer().transform(X), NotFittedError, r"TextVectorizer"),
    # --- recurrent estimators -----------------------------------------------------------
    Case("LSTMRegressor-negative-units", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.LSTMRegressor(**{**TINY, "units": -4}).fit(X, y),
         ValueError, r"units.*-4"),
    Case("GRURegressor-dropout-one", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.GRURegressor(**{**TINY, "dropout": 1.0}).fit(X, y),
         ValueError, r"`dropout`.*dropout=1\.0"),
    Case("SimpleRNNRegressor-recurrent_dropout-negative", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.SimpleRNNRegressor(**{**TINY, "recurrent_dropout": -0.1}).fit(X, y),
         ValueError, r"recurrent_dropout.*-0\.1"),
    Case("RNNRegressor-unknown-cell", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.RNNRegressor(**{**TINY, "cell": "transformer"}).fit(X, y),
         ValueError, r"cell.*'transformer'"),
    Case("GRURegressor-segments-decoder-without-segment_length", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.GRURegressor(**{**TINY, "decoder": "segments"}).fit(X, y),
         ValueError, r"decoder='segments'.*segment_length=None"),
    Case("LSTMRegressor-unknown-decoder", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.LSTMRegressor(**{**TINY, "decoder": "attention"}).fit(X, y),
         ValueError, r"`decoder`.*'attention'"),
    Case("GRURegressor-ema_momentum-1", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.GRURegressor(**{**TINY, "ema_momentum": 1.0}).fit(X, y),
         ValueError, r"`ema_momentum` must be in \[0\.0, 1\.0\)\. Received: ema_momentum=1\.0"),
    Case("LSTMRegressor-nan-in-X", lambda: (np.where(_X() > 1.5, np.nan, _X()), np.zeros(16)),
         lambda X, y: est.LSTMRegressor(**TINY).fit(X, y), ValueError, r"X.*NaN"),
    Case("GRURegressor-inf-in-y", lambda: (_X(), np.r_[np.inf, np.zeros(15)]),
         lambda X, y: est.GRURegressor(**TINY).fit(X, y), ValueError, r"y.*infinity"),
    Case("LSTMRegressor-4d-X", lambda: (np.zeros((4, 3, 2, 1)), np.zeros(4)),
         lambda X, y: est.LSTMRegressor(**TINY).fit(X, y),
         ValueError, r"X.*shape \(4, 3, 2, 1\)"),
    Case("LSTMRegressor-strings-in-X", lambda: (np.array([["1", "a"], ["2", "b"]]), np.zeros(2)),
         lambda X, y: est.LSTMRegressor(**TINY).fit(X, y), TypeError, r"X.*dtype <U1"),
    Case("LSTMRegressor-empty-X", lambda: (np.zeros((0, 6, 1)), np.zeros(0)),
         lambda X, y: est.LSTMRegressor(**TINY).fit(X, y), ValueError, r"X.*shape \(0, 6, 1\)"),
    Case("GRURegressor-mismatched-lengths", lambda: (_X(), np.zeros(15)),
         lambda X, y: est.GRURegressor(**TINY).fit(X, y), ValueError,
         r"`X` and `y`.*16 windows in X and y with shape \(15,\)"),
    Case("LSTMRegressor-learning_rate-negative", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.LSTMRegressor(**{**TINY, "learning_rate": -0.1}).fit(X, y),
         ValueError, r"learning_rate.*-0\.1"),
    Case("LSTMRegressor-batch_size-zero", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.LSTMRegressor(**{**TINY, "batch_size": 0}).fit(X, y),
         ValueError, r"`batch_size`.*batch_size=0"),
    Case("LSTMRegressor-validation_fraction-above-one", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.LSTMRegressor(**{**TINY, "validation_fraction": 1.5}).fit(X, y),
         ValueError, r"validation_fraction.*1\.5"),
    Case("LSTMRegressor-unknown-optimizer", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.LSTMRegressor(**{**TINY, "optimizer": "adamw9"}).fit(X, y),
         ValueError, r"optimizer.*'adamw9'"),
    Case("LSTMRegressor-unknown-loss", lambda: (_X(), np.zeros(16)),
         lambda X, y: est.LSTMRegressor(**{**TINY, "loss": "msle2"}).fit(X, y),
         ValueError, r"loss.*'msle2'"),
    Case("LSTMRegressor-predict-before-fit", lambda: (_X(),),
         lambda X: est.LSTMRegressor(**TINY).predict(X), NotFittedError, r"LSTMRegressor"),
    Case("RNNClassifier-mismatched-lengths", lambda: (_X(), np.array(["a", "b"] * 7)),
         lambda X, y: est.RNNClassifier(**TINY).fit(X, y), ValueError,
         r"`X` and `y`.*16 windows in X and y with shape \(14,\)"),
    Case("RNNClassifier-token-ids-mismatched-lengths",  # text defaults: cosine + EMA
         lambda: (np.arange(1, 33).reshape(16, 2), np.array(["a", "b"] * 7)),
         lambda X, y: est.RNNClassifier(**{**TINY, "embedding_dim": 4}).fit(X, y),
         ValueError, r"`X` and `y`.*16 windows in X and y with shape \(14,\)"),
    Case("RNNClassifier-negative-units", lambda: (_X(), np.array(["a", "b"] * 8)),
         lambda X, y: est.RNNClassifier(**{**TINY, "units": (4, -1)}).fit(X, y),
         ValueError, r"units.*-1"),
    Case("RNNClassifier-predict_proba-before-fit", lambda: (_X(),),
         lambda X: est.RNNClassifier(**TINY).predict_proba(X), NotFittedError,
         r"RNNClassifier"),
    Case("SequenceTagger-mismatched-tag-lengths",
         lambda: (TOKENS, [["DET", "NOUN"]] * 8),
         lambda X, y: est.SequenceTagger(**TINY).fit(X, y), ValueError,
         r"3 tokens but 2 tags.*y\[0\]=\['DET', 'NOUN'\]"),
    Case("SequenceTagger-non-string-token", lambda: ([["the", 5, "runs"]] * 8, TAGS),
         lambda X, y: est.SequenceTagger(**TINY).fit(X, y), TypeError,
         r"`X`.*X\[0\]=\['the', 5, 'runs'\]"),
    Case("SequenceTagger-unknown-cell", lambda: (TOKENS, TAGS),
         lambda X, y: est.SequenceTagger(**{**TINY, "cell": "tcn"}).fit(X, y),
         ValueError, r"cell.*'tcn'"),
    Case("TextGenerator-empty-texts", lambda: ([],),
         lambda X: est.TextGenerator(**TINY).fit(X), ValueError, r"`X`.*length 0"),
    Case("TextGenerator-all-empty-texts", lambda: (["", ""],),
         lambda X: est.TextGenerator(**TINY).fit(X), ValueError,
         r"`X` holds no tokens.*\['', ''\]"),
    Case("TextGenerator-non-string-text", lambda: (["abc", None, "abd"],),
         lambda X: est.TextGenerator(**TINY).fit(X), TypeError, r"X.*None"),
    Case("TextGenerator-unknown-level", lambda: (TEXTS,),
         lambda X: est.TextGenerator(**{**TINY, "level": "byte"}).fit(X),
         ValueError, r"level.*'byte'"),
    Case("TextGenerator-generate-before-fit", lambda: ("ab",),
         lambda s: est.TextGenerator(**TINY).generate(s, max_length=5),
         NotFittedError, r"TextGenerator"),
    Case("Seq2SeqTranslator-mismatched-lengths", lambda: (SRC, TGT[:-1]),
         lambda X, y: est.Seq2SeqTranslator(**TINY).fit(X, y), ValueError,
         r"`X` and `y`.*12 in X and 11 in y"),
    Case("Seq2SeqTranslator-unknown-attention", lambda: (SRC, TGT),
         lambda X, y: est.Seq2SeqTranslator(**{**TINY, "attention": "luong9"}).fit(X, y),
         ValueError, r"attention.*'luong9'"),
    Case("Seq2SeqTranslator-beam_width-zero", lambda: (SRC, TGT),
         lambda X, y: est.Seq2SeqTranslator(**{**TINY, "beam_width": 0}).fit(X, y),
         ValueError, r"`beam_width`.*beam_width=0"),
    Case("Seq2SeqTranslator-missing-source-item", lambda: ([None, *SRC[1:]], TGT),
         lambda X, y: est.Seq2SeqTranslator(**TINY).fit(X, y), TypeError, r"`X`.*X\[0\]=None"),
    Case("Seq2SeqTranslator-all-empty-targets", lambda: (SRC, [""] * 12),
         lambda X, y: est.Seq2SeqTranslator(**TINY).fit(X, y), ValueError,
         r"`y` holds no tokens.*y=\['', ''"),
    Case("SequenceTagger-only-empty-sentences", lambda: ([[]] * 4, [[]] * 4),
         lambda X, y: est.SequenceTagger(**TINY).fit(X, y), ValueError,
         r"`y` holds no tags.*empty sequences"),
    # --- neural forecaster --------------------------------------------------------------
    Case("NeuralForecaster-horizon-zero", lambda: (_series(),),
         lambda y: _nf(horizon=0).fit(y), ValueError, r"`horizon`.*horizon=0"),
    Case("NeuralForecaster-window-negative", lambda: (_series(),),
         lambda y: _nf(window=-1).fit(y), ValueError, r"`window`.*window=-1"),
    Case("NeuralForecaster-too-short", lambda: (_series(9),),
         lambda y: _nf().fit(y), ValueError,
         r"`y` is too short.*window \+ horizon.*Received: y with length\(s\) \[9\]"),
    Case("NeuralForecaster-unknown-series_features", lambda: (_series(),),
         lambda y: _nf(series_features="ids").fit(y), ValueError, r"series_features.*'ids'"),
    Case("NeuralForecaster-unknown-strategy", lambda: (_series(),),
         lambda y: _nf(strategy="direct").fit(y), ValueError, r"strategy.*'direct'"),
    Case("NeuralForecaster-estimator-not-an-estimator", lambda: (_series(),),
         lambda y: fc.NeuralForecaster("lstm", window=8, horizon=2).fit(y),
         TypeError, r"estimator.*'lstm'"),
    Case("NeuralForecaster-non-monotonic", lambda: (_shuffled_index(_series()),),
         lambda y: _nf().fit(y), ValueError, r"y.*non-monotonic.*2000-04-01"),
    Case("NeuralForecaster-nan", lambda: (_with(_series(), 10, np.nan),),
         lambda y: _nf().fit(y), ValueError, r"`y` contains NaN at position \[10\]"),
    Case("NeuralForecaster-nan-in-X", lambda: (_series(), pd.DataFrame(
             {"temp": _with(_series(), 20, np.nan)})),
         lambda y, X: _nf().fit(y, X=X), ValueError,
         r"`X` must be finite.*Received: X\['temp'\] = nan at Timestamp\('2001-09-01"),
    Case("NeuralForecaster-predict-before-fit", lambda: (),
         lambda: _nf().predict(), NotFittedError, r"NeuralForecaster"),
    # --- baselines ----------------------------------------------------------------------
    Case("Naive-nan", lambda: (_with(_series(), 7, np.nan),),
         lambda y: _fit_predict(fc.Naive(), y, 3), ValueError, r"y.*NaN"),
    Case("SeasonalNaive-season_length-zero", lambda: (_series(),),
         lambda y: _fit_predict(fc.SeasonalNaive(season_length=0), y, 3),
         ValueError, r"`season_length`.*season_length=0"),
    Case("Naive-strings-series", lambda: (_series().astype(str),),
         lambda y: _fit_predict(fc.Naive(), y, 3), TypeError,
         r"^`y` must hold numeric data\. Received: y=Series of length 48"),
    Case("Naive-duplicate-timestamps", lambda: (pd.concat([_series(), _series().iloc[-1:]]),),
         lambda y: _fit_predict(fc.Naive(), y, 3), ValueError,
         r"duplicate timestamps, e\.g\. 2003-12-01 00:00:00 appears 2 times\. Drop or "
         r"aggregate them first \(e\.g\. y\.groupby\(level=0\)\.mean\(\)\)"),
    Case("Theta-panel-dict", lambda: ({"a": _series(), "b": _series()},),
         lambda y: _fit_predict(fc.Theta(), y, 3), TypeError,
         r"`y` must be one series; a dict of series is a panel.*Received: y=dict of 2 series"),
    Case("Drift-empty", lambda: (pd.Series([], dtype=float),),
         lambda y: _fit_predict(fc.Drift(), y, 3), ValueError, r"`y` is too short.*length 0"),
    Case("Mean-strings", lambda: (pd.Series(["1", "2", "x"]),),
         lambda y: _fit_predict(fc.Mean(), y, 3), TypeError,
         r"`y` must hold numeric data.*dtype (str|object)"),
    Case("Naive2-duplicate-timestamps", lambda: (_duplicated_index(_series()),),
         lambda y: _fit_predict(fc.Naive2(season_length=12), y, 3),
         ValueError, r"y.*duplicate.*2000-04-01"),
    Case("SES-irregular-timestamps", lambda: (_irregular_index(_series()),),
         lambda y: _fit_predict(fc.SES(), y, 3), ValueError, r"y.*irregular.*2000-01"),
    Case("Holt-non-monotonic", lambda: (_shuffled_index(_series()),),
         lambda y: _fit_predict(fc.Holt(), y, 3), ValueError, r"y.*non-monotonic"),
    Case("DampedHolt-inf", lambda: (_with(_series(), 3, -np.inf),),
         lambda y: _fit_predict(fc.DampedHolt(), y, 3), ValueError, r"y.*infinity"),
    Case("Theta-horizon-zero", lambda: (_series(),),
         lambda y: _fit_predict(fc.Theta(), y, 0), ValueError, r"`horizon`.*horizon=0"),
    Case("ETS-unknown-error", lambda: (_series(),),
         lambda y: _fit_predict(fc.ETS(error="mul2"), y, 3), ValueError, r"`error`.*error='mul2'"),
    Case("ETS-2d-y", lambda: (np.zeros((30, 2)) + 1.0,),
         lambda y: _fit_predict(fc.ETS(), y, 3), ValueError, r"`y` has 2 columns \[0, 1\]"),
    Case("ARIMA-negative-order", lambda: (_series(),),
         lambda y: _fit_predict(fc.ARIMA(order=(-1, 0, 0)), y, 3),
         ValueError, r"order.*-1"),
    Case("ARIMA-too-short", lambda: (_series(2),),
         lambda y: _fit_predict(fc.ARIMA(order=(2, 1, 2)), y, 3),
         ValueError, r"`y` is too short.*length 2"),
    Case("Naive-predict-before-fit", lambda: (), lambda: fc.Naive().predict(3),
         NotFittedError, r"Naive instance is not fitted"),
    Case("Theta-negative-horizon-after-fit", lambda: (_series(),),
         lambda y: _fit_predict(fc.Theta(), y, -2), ValueError, r"`horizon`.*horizon=-2"),
    # --- metrics ------------------------------------------------------------------------
    Case("smape-shape-mismatch", lambda: (np.ones(4), np.ones(3)),
         metrics.smape, ValueError, r"y_pred.*\(3,\).*\(4,\)|y_true.*\(4,\).*\(3,\)"),
    Case("mae-nan", lambda: (np.array([1.0, np.nan]), np.ones(2)),
         metrics.mae, ValueError, r"y_true.*NaN"),
    Case("rmse-strings", lambda: (["a", "b"], [1.0, 2.0]), metrics.rmse,
         TypeError, r"y_true.*<U1"),
    Case("mase-season_length-zero", lambda: (np.ones(3), np.ones(3), np.arange(10.0)),
         lambda a, b, t: metrics.mase(a, b, y_train=t, season_length=0),
         ValueError, r"`season_length`.*season_length=0"),
    Case("mase-y_train-too-short", lambda: (np.ones(3), np.ones(3), np.array([5.0])),
         lambda a, b, t: metrics.mase(a, b, y_train=t),
         ValueError, r"`y_train`.*shape \(1,\)"),
    Case("pinball-quantile-out-of-range", lambda: (np.ones(3), np.ones(3)),
         lambda a, b: metrics.pinball(a, b, quantile=1.5), ValueError, r"quantile.*1\.5"),
    Case("owa-zero-reference", lambda: (),
         lambda: metrics.owa(10.0, 1.0, smape_naive2=0.0, mase_naive2=1.0),
         ValueError, r"smape_naive2.*0\.0"),
    Case("panel_mean-unknown-metric", lambda: ({"a": np.ones(3)}, {"a": np.ones(3)}),
         lambda a, b: metrics.panel_mean("r2", a, b), ValueError, r"metric.*'r2'"),
    # --- model selection ----------------------------------------------------------------
    Case("ExpandingWindowSplitter-horizon-zero", lambda: (),
         lambda: ms.ExpandingWindowSplitter(horizon=0).get_n_splits(100),
         ValueError, r"`horizon`.*horizon=0"),
    Case("SlidingWindowSplitter-train_size-negative", lambda: (np.arange(50.0),),
         lambda y: list(ms.SlidingWindowSplitter(horizon=3, train_size=-5).split(y)),
         ValueError, r"train_size.*-5"),
    Case("ExpandingWindowSplitter-series-too-short", lambda: (np.arange(10.0),),
         lambda y: list(ms.ExpandingWindowSplitter(horizon=6, n_splits=3).split(y)),
         ValueError, r"`y` is too short.*horizon=6.*length 10"),
    Case("backtest-empty-models", lambda: ({}, _series()),
         lambda m, y: ms.backtest(m, y, cv=ms.ExpandingWindowSplitter(horizon=3, n_splits=2),
                                  verbose=0),
         ValueError, r"models.*\{\}"),
    Case("backtest-unknown-errors-mode", lambda: ({"naive": fc.Naive()}, _series()),
         lambda m, y: ms.backtest(m, y, cv=ms.ExpandingWindowSplitter(horizon=3, n_splits=2),
                                  errors="ignore-all", verbose=0),
         ValueError, r"errors.*'ignore-all'"),
    Case("backtest-nan-in-series", lambda: ({"naive": fc.Naive()}, _with(_series(), 9, np.nan)),
         lambda m, y: ms.backtest(m, y, cv=ms.ExpandingWindowSplitter(horizon=3, n_splits=2),
                                  verbose=0),
         ValueError, r"y.*NaN"),
    Case("backtest-series-too-short", lambda: ({"naive": fc.Naive()}, _series()),
         lambda m, y: ms.backtest(m, y, cv=ms.ExpandingWindowSplitter(horizon=60, n_splits=1),
                                  verbose=0),
         ValueError, r"^`y` is too short for ExpandingWindowSplitter.*Received: y of length 48"),
    Case("backtest-cv-not-a-splitter", lambda: ({"naive": fc.Naive()}, _series()),
         lambda m, y: ms.backtest(m, y, cv=3, verbose=0), TypeError, r"cv.*3"),
]


def _csv_call(tmp_path: Any) -> Callable[[str], Any]:
    def call(body: str, case_id: str) -> Any:
        path = _csv(tmp_path, body)
        if case_id == "load_csv-unknown-column":
            return datasets.load_csv(path, columns=["price"])
        return datasets.load_csv(path)

    return call


def assert_same(before: Any, after: Any) -> None:
    """Deep equality for the objects a caller passes in."""
    if isinstance(before, pd.Series):
        pd.testing.assert_series_equal(after, before)
    elif isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before)
    elif isinstance(before, np.ndarray):
        assert after.dtype == before.dtype
        assert after.shape == before.shape
        np.testing.assert_array_equal(after, before)
    elif isinstance(before, dict):
        assert list(after) == list(before)
        for key in before:
            assert_same(before[key], after[key])
    elif isinstance(before, list | tuple):
        assert type(after) is type(before)
        assert len(after) == len(before)
        for a, b in zip(before, after, strict=True):
            assert_same(a, b)
    elif isinstance(before, fc.BaseForecaster | est.BaseKerasEstimator):
        assert repr(after) == repr(before)
    else:
        assert after == before


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Any) -> None:
    args = case.make()
    snapshot = copy.deepcopy(args)
    call = case.call if case.call is not None else (
        lambda body: _csv_call(tmp_path)(body, case.id)
    )
    with pytest.raises(case.exc, match=case.match) as info:
        call(*args)
    exc = info.value
    assert isinstance(exc, ValueError | TypeError), type(exc)
    module = type(exc).__module__
    assert not module.startswith(FOREIGN), f"{case.id}: raw {module}.{type(exc).__name__}"
    last = traceback.extract_tb(exc.__traceback__)[-1].filename.replace("\\", "/")
    assert not any(f"/{pkg}/" in last for pkg in FOREIGN), f"{case.id}: raised in {last}"
    for before, after in zip(snapshot, args, strict=True):
        assert_same(before, after)


def test_suite_is_big_enough() -> None:
    assert len(CASES) >= 45
    assert len({c.id for c in CASES}) == len(CASES)


# Only this case needs Keras to judge its input: any Keras loss name is accepted.
#: cases whose check needs Keras (none since loss names are checked against a static list)
NEEDS_KERAS: set[str] = set()

BEFORE_TF = """
import sys, tempfile
sys.path.insert(0, {tests!r})
import test_bad_input as t
for case in t.CASES:
    if case.id in t.NEEDS_KERAS:
        continue
    call = case.call or (lambda body: t._csv_call(tempfile.mkdtemp())(body, case.id))
    try:
        call(*case.make())
    except (ValueError, TypeError):
        pass
    else:
        raise AssertionError(case.id + " did not raise")
    assert "tensorflow" not in sys.modules, case.id + " imported TensorFlow"
print("OK", len(t.CASES) - len(t.NEEDS_KERAS))
"""


def test_errors_fire_before_tensorflow_is_imported() -> None:
    """In a fresh process every case (but NEEDS_KERAS) raises without importing TensorFlow."""
    code = BEFORE_TF.format(tests=str(Path(__file__).resolve().parent))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert f"OK {len(CASES) - len(NEEDS_KERAS)}" in out.stdout
