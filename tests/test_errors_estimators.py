"""Errors of the estimators, networks and thread settings that no other test triggers.

Complements ``test_bad_input.py``: every case goes through the public API (``fit``,
``predict``, ``score``, ``save``, ``load``, ``configure_threads``, the network
builders) and asserts the exact exception type and a distinctive part of its message.
Most cases fail before TensorFlow is imported; those that need a fitted model share
tiny ones (``units=2, epochs=1``) through module-scoped fixtures.
"""

from __future__ import annotations

import json
import pickle
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import forecast
from forecast import estimators as est
from forecast.networks import build_recurrent_model

# run_eagerly: a one-epoch fit of a tiny network is quicker without tracing a graph
TINY = {"units": 2, "epochs": 1, "batch_size": 8, "random_state": 0, "run_eagerly": True}

TOKENS = [["the", "cat", "sat"], ["a", "dog", "ran"]] * 4
TAGS = [["DET", "NOUN", "VERB"]] * 8
SRC = ["3 March 2001", "12 May 1999", "1 June 2020"] * 4
TGT = ["2001-03-03", "1999-05-12", "2020-06-01"] * 4
TEXTS = ["the cat sat", "the dog ran", "a cat ran"] * 4
METADATA = "forecast_estimator.json"  # the archive member ``save`` adds to a .keras file


def _X(n: int = 16, t: int = 8, f: int = 1) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(n, t, f)).astype("float32")


def _ids(n: int = 16, t: int = 5) -> np.ndarray:
    return np.random.default_rng(0).integers(1, 6, size=(n, t))


# --------------------------------------------------------------------------------------
# invalid parameters and data: all refused in ``fit`` before any network is built
# --------------------------------------------------------------------------------------
def _reg(**kw: Any) -> Callable[[], Any]:
    return lambda: est.LSTMRegressor(**{**TINY, **kw}).fit(_X(), np.zeros(16))


BAD_PARAMS = [
    pytest.param(_reg(learning_rate=0), ValueError,
                 r"`learning_rate` must be a positive number\. Received: learning_rate=0$",
                 id="learning_rate-zero"),
    pytest.param(_reg(learning_rate=-0.1), ValueError,  # not "in [0.0, inf)": 0 is refused too
                 r"`learning_rate` must be a positive number\. Received: learning_rate=-0\.1$",
                 id="learning_rate-negative"),
    pytest.param(_reg(clipnorm=float("inf")), ValueError,
                 r"`clipnorm` must be a positive number\. Received: clipnorm=inf$",
                 id="clipnorm-inf"),
    pytest.param(_reg(learning_rate="fast"), TypeError,
                 r"`learning_rate` must be a number\. Received: learning_rate='fast'",
                 id="learning_rate-string"),
    pytest.param(_reg(clipnorm=0), ValueError,
                 r"`clipnorm` must be a positive number\. Received: clipnorm=0$",
                 id="clipnorm-zero"),
    pytest.param(_reg(clipvalue=0.0), ValueError,
                 r"`clipvalue` must be a positive number\. Received: clipvalue=0\.0$",
                 id="clipvalue-zero"),
    pytest.param(_reg(early_stopping="yes"), TypeError,
                 r"`early_stopping` must be a bool\. Received: early_stopping='yes'",
                 id="early_stopping-string"),
    pytest.param(_reg(warm_start=None), TypeError,
                 r"`warm_start` must be a bool\. Received: warm_start=None",
                 id="warm_start-none"),
    pytest.param(_reg(shuffle=1), TypeError,
                 r"`shuffle` must be a bool\. Received: shuffle=1", id="shuffle-int"),
    pytest.param(_reg(checkpoint_dir=5), TypeError,
                 r"`checkpoint_dir` must be a path or None\. Received: checkpoint_dir=5",
                 id="checkpoint_dir-int"),
    pytest.param(_reg(mask_value="0"), TypeError,
                 r"`mask_value` must be a number or None\. Received: mask_value='0'",
                 id="mask_value-string"),
    pytest.param(lambda: est.TextGenerator(**{**TINY, "lowercase": "yes"}).fit(TEXTS),
                 TypeError, r"`lowercase` must be a bool\. Received: lowercase='yes'",
                 id="TextGenerator-lowercase-string"),
    pytest.param(lambda: est.Seq2SeqTranslator(**{**TINY, "lowercase": 1}).fit(SRC, TGT),
                 TypeError, r"`lowercase` must be a bool\. Received: lowercase=1",
                 id="Seq2SeqTranslator-lowercase-int"),
]


@pytest.mark.parametrize(("call", "exc", "match"), BAD_PARAMS)
def test_bad_parameter_is_refused_in_fit(call: Callable[[], Any], exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()


BAD_DATA = [
    pytest.param(lambda: est.LSTMRegressor(**TINY).fit("1 2 3", np.zeros(3)), TypeError,
                 r"`X` must be array-like\. Received: X='1 2 3'", id="X-bare-string"),
    # a DataFrame skips the ndarray shape checks: its (n, 0) array becomes (n, 0, 1)
    pytest.param(lambda: est.LSTMRegressor(**TINY).fit(pd.DataFrame(np.zeros((16, 0))),
                                                        np.zeros(16)),
                 ValueError, r"`X` has an empty axis\. Received: X with shape \(16, 0, 1\)",
                 id="X-dataframe-without-columns"),
    pytest.param(lambda: est.GRURegressor(**TINY).fit(_X(), np.array(["up", "down"] * 8,
                                                                      dtype=object)),
                 ValueError, r"`y` must hold numbers for a regressor\. Received: y with dtype "
                 r"object and values like \['up', 'down', 'up'\]", id="regressor-object-labels"),
    pytest.param(lambda: est.RNNClassifier(**TINY).fit(_X(), "ab" * 8), TypeError,
                 r"`y` must be array-like of labels\. Received: y='abababababababab'",
                 id="classifier-y-bare-string"),
    pytest.param(lambda: est.RNNRegressor(**TINY, embedding_dim=2).fit(np.ones((16, 5, 2)),
                                                                         np.zeros(16)),
                 ValueError, r"With `embedding_dim`, `X` holds token ids of shape \(n, T\)\. "
                 r"Received: X with shape \(16, 5, 2\)", id="token-ids-with-two-features"),
    # one window: the validation tail (at least one window) leaves nothing to train on
    pytest.param(lambda: est.LSTMRegressor(**{**TINY, "validation_fraction": 0.5})
                 .fit(_X(1), np.zeros(1)),
                 ValueError, r"`validation_fraction` leaves no training samples out of 1\. "
                 r"Received: validation_fraction=0\.5", id="validation_fraction-one-window"),
]


@pytest.mark.parametrize(("call", "exc", "match"), BAD_DATA)
def test_bad_data_is_refused_in_fit(call: Callable[[], Any], exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()


# --------------------------------------------------------------------------------------
# fitted models
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def regressor() -> est.LSTMRegressor:
    X = _X(24)
    return est.LSTMRegressor(**TINY).fit(X, X[:, -1, 0])


@pytest.fixture(scope="module")
def token_regressor() -> est.RNNRegressor:
    return est.RNNRegressor(**TINY, embedding_dim=2).fit(_ids(), np.zeros(16))


@pytest.fixture(scope="module")
def tagger() -> est.SequenceTagger:
    # warm_start: a second ``fit`` keeps the vocabulary and the tags of the first
    return est.SequenceTagger(**TINY, embedding_dim=2, warm_start=True).fit(TOKENS, TAGS)


@pytest.fixture(scope="module")
def translator() -> est.Seq2SeqTranslator:
    return est.Seq2SeqTranslator(**TINY, embedding_dim=2).fit(SRC, TGT)


def test_predict_refuses_token_windows_of_another_length(
    token_regressor: est.RNNRegressor,
) -> None:
    with pytest.raises(ValueError, match=r"`X` must have windows of length 5 as in fit\. "
                                         r"Received: X with shape \(4, 3\)"):
        token_regressor.predict(_ids(4, 3))


def test_warm_start_fit_refuses_a_tag_unseen_in_the_first_fit(
    tagger: est.SequenceTagger,
) -> None:
    with pytest.raises(ValueError, match=r"`y` holds the tag 'ADJ', unseen in fit\. "
                                         r"Known tags: \['DET', 'NOUN', 'VERB'\]"):
        tagger.fit(TOKENS, [["DET", "NOUN", "ADJ"]] * 8)
    assert tagger.classes_.tolist() == ["DET", "NOUN", "VERB"]  # the failed fit changed nothing


def test_tagger_score_needs_one_tag_list_per_sequence(tagger: est.SequenceTagger) -> None:
    with pytest.raises(ValueError, match=r"`X` and `y` must have the same number of "
                                         r"sequences\. Received: 8 in X and 7 in y"):
        tagger.score(TOKENS, TAGS[:-1])


def test_translator_score_needs_one_reference_per_text(
    translator: est.Seq2SeqTranslator,
) -> None:
    with pytest.raises(ValueError, match=r"`X` and `y` must have the same number of texts\. "
                                         r"Received: 12 in X and 11 in y"):
        translator.score(SRC, TGT[:-1])


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # Keras'
def test_save_refuses_a_fitted_attribute_it_cannot_store(tmp_path: Path) -> None:
    # datetime64 labels are valid classes, but ``classes_`` has no JSON form in the file,
    # and a file without it would load into a classifier that cannot predict
    labels = np.array(["2020-01-01", "2020-01-02"] * 8, dtype="datetime64[D]")
    clf = est.RNNClassifier(**TINY).fit(_X(), labels)
    with pytest.raises(TypeError, match=r"fitted attribute `classes_` cannot be stored in a "
                                        r"\.keras file \(cannot store array of dtype "
                                        r"datetime64\[D\]\); pickle the estimator instead"):
        clf.save(tmp_path / "clf.keras")
    assert not (tmp_path / "clf.keras").exists()
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(_X()), clf.predict(_X()))


# --------------------------------------------------------------------------------------
# load: files that are not, or no longer, what ``save`` wrote
# --------------------------------------------------------------------------------------
def _rewrite(src: Path, dst: Path, *, meta: Any = None, drop_meta: bool = False,
             member: str | None = None, data: bytes = b"") -> Path:
    """Copy the archive ``src`` to ``dst``, replacing the metadata or one member."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            content = old.read(name)
            if name == METADATA:
                if drop_meta:
                    continue
                if meta is not None:
                    content = json.dumps(meta(json.loads(content))).encode()
            if name == member:
                content = data
            new.writestr(name, content)
    return dst


def _drop_member(src: Path, dst: Path, member: str) -> Path:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            if name != member:
                new.writestr(name, old.read(name))
    return dst


def _weights_truncated(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as old:
        weights = old.read("model.weights.h5")
    return _rewrite(src, dst, member="model.weights.h5", data=weights[: len(weights) // 2])


TAMPERED = [
    pytest.param(lambda s, d: _rewrite(s, d, drop_meta=True),
                 "is a Keras file without forecast estimator metadata", id="no-metadata"),
    pytest.param(lambda s, d: _rewrite(s, d, meta=lambda m: {"class": m["class"]}),
                 "has damaged estimator metadata (it needs 'class', 'params' and 'fitted')",
                 id="metadata-missing-keys"),
    pytest.param(lambda s, d: _rewrite(s, d, meta=lambda m: {**m, "class": "os:system"}),
                 "Refusing to load estimator class 'os:system'", id="class-outside-forecast"),
    pytest.param(lambda s, d: _rewrite(s, d, meta=lambda m: {
                     **m, "params": {**m["params"], "n_heads": 4}}),
                 "stores parameters that LSTMRegressor does not take", id="unknown-parameter"),
    pytest.param(_weights_truncated, "holds an unreadable model (corrupted or truncated?)",
                 id="weights-truncated"),
    pytest.param(lambda s, d: _drop_member(s, d, "config.json"),
                 "holds an unreadable model (corrupted or truncated?)", id="no-config"),
    pytest.param(lambda s, d: _drop_member(s, d, "model.weights.h5"),
                 "holds an unreadable model (corrupted or truncated?)", id="no-weights"),
]


@pytest.mark.parametrize(("tamper", "match"), TAMPERED)
def test_load_refuses_a_tampered_file(
    regressor: est.LSTMRegressor, tmp_path: Path, tamper: Callable[[Path, Path], Path],
    match: str,
) -> None:
    path = tamper(regressor.save(tmp_path / "good.keras"), tmp_path / "bad.keras")
    with pytest.raises(ValueError, match=re.escape(match)):
        est.LSTMRegressor.load(path)


# --------------------------------------------------------------------------------------
# TensorFlow threads and the network builders
# --------------------------------------------------------------------------------------
def test_configure_threads_after_tensorflow_ran(regressor: est.LSTMRegressor) -> None:
    import tensorflow as tf

    threading = tf.config.threading  # the fixture's fit has run TensorFlow ops
    before = threading.get_intra_op_parallelism_threads()
    with pytest.raises(RuntimeError, match=r"must be set before TensorFlow runs anything.*"
                                           rf"Received: intra_op={before + 1}, inter_op=None"):
        forecast.configure_threads(intra_op=before + 1)
    assert threading.get_intra_op_parallelism_threads() == before


def test_build_recurrent_model_token_ids_need_one_dimensional_input() -> None:
    with pytest.raises(ValueError, match=r"Token-id input must have input_shape=\(T,\)\. "
                                         r"Received: input_shape=\(8, 2\)"):
        build_recurrent_model((8, 2), (1,), units=2, embedding_dim=4, vocab_size=10)


def test_sequence_pooling_refuses_an_unknown_mode() -> None:
    # Estimators check ``pooling`` before building, so only the layer factory itself (or a
    # Keras config naming the layer) reaches this check; ``sequence_pooling`` is its unit.
    from forecast.networks._pooling import sequence_pooling

    with pytest.raises(ValueError, match=r"`mode` must be 'max', 'mean' or 'maxmean'\. "
                                         r"Received: mode='median'"):
        sequence_pooling("median")
