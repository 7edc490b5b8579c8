"""Same ``random_state`` -> identical results in this process and in a fresh one, for every
estimator and forecaster (issue 8, determinism on CPU).

ONE subprocess computes everything (tiny models, one or two epochs) and prints JSON; this
process computes the same with :func:`compute` and compares exactly: predictions, and for
Keras estimators a SHA-256 of every trained weight. The subprocess runs with
``FORECAST_NUM_THREADS=1`` while this process keeps TensorFlow's default pools, so the test
also shows that thread counts do not change results on CPU. Both processes disable oneDNN
(``TF_ENABLE_ONEDNN_OPTS=0``, as conftest does): with it results may differ at the bit level
between machines.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest


def _weights_hash(est: Any) -> str:
    digest = hashlib.sha256()
    for w in est.model_.get_weights():
        digest.update(np.ascontiguousarray(w).tobytes())
    return digest.hexdigest()


def _floats(values: Any) -> list:
    return np.asarray(values, dtype=np.float64).tolist()  # exact through JSON


NEURAL = ["LSTMRegressor", "GRURegressor", "SimpleRNNRegressor", "RNNClassifier",
          "SequenceTagger", "TextGenerator", "Seq2SeqTranslator", "NeuralForecaster"]
BASELINES = ["Naive", "SeasonalNaive", "Drift", "Mean", "Naive2", "SES", "Holt", "DampedHolt",
             "Theta", "ETS", "ARIMA"]


def compute(neural: bool = True) -> dict[str, Any]:
    """Fit every estimator/forecaster with a fixed ``random_state``; JSON-able results."""
    out = _compute_neural() if neural else {}
    out.update(_compute_baselines())
    return out


def _compute_neural() -> dict[str, Any]:
    from forecast import estimators as est
    from forecast import forecasters as fc

    out: dict[str, Any] = {}
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6, 2)).astype("float32")
    y = X[:, -2:, 0] + 0.1 * X[:, -1:, 1]
    tiny = {"units": 3, "epochs": 2, "batch_size": 16, "random_state": 3}
    for cls in (est.LSTMRegressor, est.GRURegressor, est.SimpleRNNRegressor):
        model = cls(dropout=0.1, **tiny).fit(X, y)
        out[cls.__name__] = [_floats(model.predict(X[:5])), _weights_hash(model)]

    labels = np.where(X[:, :, 0].mean(axis=1) > 0, "up", "down")
    clf = est.RNNClassifier(cell="gru", **tiny).fit(X, labels)
    out["RNNClassifier"] = [_floats(clf.predict_proba(X[:5])), _weights_hash(clf)]

    tokens = [["the", "dog", "runs"], ["a", "cat", "sleeps"], ["the", "cat", "runs"]] * 6
    tags = [["DET", "NOUN", "VERB"]] * 18
    tagger = est.SequenceTagger(embedding_dim=4, **tiny).fit(tokens, tags)
    out["SequenceTagger"] = [tagger.predict([["a", "dog", "sleeps"]]), _weights_hash(tagger)]

    texts = ["abcabcab", "bcabcabc", "cabcabca"] * 6
    gen = est.TextGenerator(sequence_length=6, embedding_dim=4, **tiny).fit(texts)
    out["TextGenerator"] = [gen.generate("ab", max_length=12, random_state=5),
                            gen.perplexity(texts[:3]), _weights_hash(gen)]

    from forecast.text import make_date_pairs

    src, tgt = make_date_pairs(32, random_state=0)
    tr = est.Seq2SeqTranslator(embedding_dim=4, **{**tiny, "epochs": 1}).fit(src, tgt)
    out["Seq2SeqTranslator"] = [tr.predict(src[:3]).tolist(), _weights_hash(tr)]

    t = np.arange(120, dtype=float)
    series = pd.Series(10 + np.sin(t / 4.0) + 0.01 * t,
                       index=pd.date_range("2020-01-01", periods=120, freq="D"))
    nf = fc.NeuralForecaster(est.GRURegressor(units=3, epochs=2, batch_size=16),
                             window=12, horizon=4, random_state=11).fit(series)
    out["NeuralForecaster"] = _floats(nf.predict())
    return out


def _compute_baselines() -> dict[str, Any]:
    from forecast import forecasters as fc

    out: dict[str, Any] = {}
    rng = np.random.default_rng(1)
    t = np.arange(120, dtype=float)
    monthly = pd.Series(20 + 3 * np.sin(t * np.pi / 6) + 0.05 * t + rng.normal(0, 0.3, 120),
                        index=pd.date_range("2000-01-01", periods=120, freq="MS"))
    baselines = {
        "Naive": fc.Naive(), "SeasonalNaive": fc.SeasonalNaive(season_length=12),
        "Drift": fc.Drift(), "Mean": fc.Mean(), "Naive2": fc.Naive2(season_length=12),
        "SES": fc.SES(season_length=12), "Holt": fc.Holt(), "DampedHolt": fc.DampedHolt(),
        "Theta": fc.Theta(season_length=12),
        # multiplicative ETS: simulated intervals, drawn with random_state
        "ETS": fc.ETS(season_length=12, error="mul", trend=None, damped_trend=False,
                      seasonal="mul", random_state=0),
        "ARIMA": fc.ARIMA(order=(1, 1, 1)),
    }
    for name, model in baselines.items():
        model.fit(monthly)
        result = [_floats(model.predict(6))]
        if name in ("ETS", "ARIMA"):  # intervals may be simulated: random_state matters
            result.append(_floats(model.predict_interval(6).to_numpy()))
        out[name] = result
    return out


SUBPROCESS = """
import json, sys
sys.path.insert(0, {tests!r})
import forecast, test_determinism_all as m
result = m.compute(neural={neural})
pools = None
if {neural}:
    import tensorflow as tf
    pools = [tf.config.threading.get_intra_op_parallelism_threads(),
             tf.config.threading.get_inter_op_parallelism_threads()]
print("JSON" + json.dumps({{"result": result, "pools": pools}}))
"""


def _start(neural: bool) -> subprocess.Popen:
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2",
           "FORECAST_NUM_THREADS": "1", "PYTHONHASHSEED": "123"}
    code = SUBPROCESS.format(tests=str(Path(__file__).resolve().parent), neural=neural)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _finish(proc: subprocess.Popen) -> dict[str, Any]:
    stdout, stderr = proc.communicate(timeout=900)
    assert proc.returncode == 0, stderr[-3000:]
    line = next(ln for ln in stdout.splitlines() if ln.startswith("JSON"))
    return json.loads(line[4:])


def _compare(names: list[str], here: dict, again: dict, other: dict) -> None:
    assert sorted(here) == sorted(names)
    for name in names:
        assert here[name] == again[name], f"{name}: differs between two fits in one process"
        assert here[name] == other[name], f"{name}: differs across processes"


def test_baselines_are_deterministic_across_processes():
    """Cheap CI version (no TensorFlow): every statistical baseline, ETS/ARIMA intervals."""
    proc = _start(neural=False)
    here = json.loads(json.dumps(compute(neural=False)))  # same JSON round trip
    _compare(BASELINES, here, here, _finish(proc)["result"])


@pytest.mark.slow
def test_every_estimator_and_forecaster_is_deterministic_across_processes():
    """All 8 neural estimators/forecasters and the 11 baselines; ~1 min of CPU per process.

    The subprocess runs with one TensorFlow thread per pool, this one with the defaults.
    """
    proc = _start(neural=True)
    here = json.loads(json.dumps(compute()))
    again = json.loads(json.dumps(compute()))  # refit in the same process
    other = _finish(proc)
    assert other["pools"] == [1, 1]
    _compare(NEURAL + BASELINES, here, again, other["result"])
