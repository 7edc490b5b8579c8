"""Pipeline tasks on text: ``sentiment``, ``text_generation`` and ``translation`` (dates).

Each recurrent model is compared with a classical baseline measured in the same
run on the same split: TF-IDF + logistic regression (sentiment), an interpolated
Kneser-Ney n-gram model (perplexity) and the exact-match accuracy of a
sequence-to-sequence model on held-out dates.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._config_values import setting
from ._console import CLIError, progress

__all__ = ["run_sentiment", "run_text_generation", "run_translation"]


def _finish(config: dict[str, Any], out_dir: Path, caption: str, board: pd.DataFrame,
            paragraphs: list[str]) -> Path:
    from ._pipelines import _finish_tables

    board.index.name = "model"
    return _finish_tables(config, out_dir, [(caption, board)], paragraphs)


def _sentences(config: dict[str, Any]) -> pd.DataFrame:
    from forecast.datasets import load_sentiment

    from ._pipelines import _resolve

    max_rows = setting(config, "data", "max_rows")
    frame = load_sentiment(_resolve(config, setting(config, "data", "path")))
    if max_rows is not None:
        frame = frame.sample(n=min(max_rows, len(frame)), random_state=0)
    return frame.reset_index(drop=True)


def _one_layer(config: dict[str, Any], default: int) -> int:
    """``[neural] units`` of a one-layer model (a one-item list is accepted)."""
    units = setting(config, "neural", "units", default)
    if isinstance(units, list):
        if len(units) != 1:
            raise CLIError(f"[neural] units must be one integer for task "
                           f"{config['pipeline']['task']!r}; received {units}")
        units = units[0]
    return units


def run_sentiment(config: dict[str, Any], out_dir: Path) -> Path:
    """Sentiment labelled sentences: TextVectorizer + RNNClassifier vs TF-IDF + logistic regression.

    Stratified k-fold cross-validation; both models see the same folds.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_validate
    from sklearn.pipeline import make_pipeline

    from forecast.estimators import RNNClassifier
    from forecast.text import TextVectorizer

    def nn(key: str, default: Any) -> Any:
        return setting(config, "neural", key, default)

    folds, cell = setting(config, "cv", "folds", 5), nn("cell", "gru")
    if folds < 2:
        raise CLIError(f"[cv] folds must be at least 2; received {folds}")
    frame = _sentences(config)
    X, y = frame["text"].astype(str).to_numpy(), frame["label"].to_numpy()
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    models = {
        "TF-IDF + LogisticRegression": make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LogisticRegression(C=10.0,
                                                                                       max_iter=1000)
        ),
        f"{cell.upper()} classifier": make_pipeline(
            TextVectorizer(max_tokens=nn("max_tokens", 5000),
                           sequence_length=nn("sequence_length", 40)),
            RNNClassifier(cell=cell, units=_one_layer(config, 32),
                          embedding_dim=nn("embedding_dim", 32), epochs=nn("epochs", 5),
                          batch_size=32, dropout=float(nn("dropout", 0.0)), random_state=0),
        ),
    }
    rows = {}
    for name, model in models.items():
        progress(f"sentiment: {name}, {cv.get_n_splits()} folds on {len(X)} sentences")
        start = time.perf_counter()
        scores = cross_validate(model, X, y, cv=cv, scoring=("accuracy", "f1"))
        rows[name] = {"accuracy": float(np.mean(scores["test_accuracy"])),
                      "accuracy sd": float(np.std(scores["test_accuracy"])),
                      "F1": float(np.mean(scores["test_f1"])),
                      "seconds": time.perf_counter() - start}
    return _finish(config, out_dir, "Sentiment cross-validation", pd.DataFrame(rows).T, [
        f"{len(X)} sentences (Amazon, IMDB, Yelp; UCI Sentiment Labelled Sentences), "
        f"stratified {cv.get_n_splits()}-fold cross-validation, same folds for every model.",
    ])


def run_text_generation(config: dict[str, Any], out_dir: Path) -> Path:
    """Character-level TextGenerator vs a Kneser-Ney n-gram model: held-out perplexity."""
    from forecast.estimators import TextGenerator
    from forecast.text import NGramLanguageModel

    def nn(key: str, default: Any) -> Any:
        return setting(config, "neural", key, default)

    def gen(key: str, default: Any) -> Any:
        return setting(config, "generation", key, default)

    level, units, n = nn("level", "char"), _one_layer(config, 64), gen("ngram_order", 5)
    seeds, length = gen("seeds", ["The movie was", "I would"]), gen("length", 60)
    temperature = float(gen("temperature", 0.7))
    texts = _sentences(config)["text"].astype(str).tolist()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(texts))
    n_test = max(1, len(texts) // 10)
    test = [texts[i] for i in order[:n_test]]
    train = [texts[i] for i in order[n_test:]]
    rows, samples = {}, []
    start = time.perf_counter()
    ngram = NGramLanguageModel(n=n, level=level).fit(train)
    rows[f"{ngram.n}-gram Kneser-Ney"] = {"perplexity": ngram.perplexity(test),
                                          "seconds": time.perf_counter() - start}
    cell = nn("cell", "lstm")
    model = TextGenerator(level=level, cell=cell, units=(units,),
                          sequence_length=nn("sequence_length", 64), epochs=nn("epochs", 5),
                          random_state=0)
    progress(f"text_generation: {type(model).__name__} on {len(train)} texts")
    start = time.perf_counter()
    model.fit(train)
    rows[f"{cell.upper()} TextGenerator"] = {
        "perplexity": model.perplexity(test), "seconds": time.perf_counter() - start}
    for seed in seeds:
        text = model.generate(seed, max_length=length, temperature=temperature, random_state=0)
        samples.append(f"`{seed}` -> `{text}`")
    return _finish(config, out_dir, "Held-out perplexity", pd.DataFrame(rows).T, [
        f"{len(train)} training and {len(test)} held-out sentences, {level}-level tokens; "
        "per-token perplexity (lower is better).",
        "Samples: " + "; ".join(samples),
    ])


def run_translation(config: dict[str, Any], out_dir: Path) -> Path:
    """Date normalisation ("3rd of March 2001" -> "2001-03-03") with Seq2SeqTranslator."""
    from forecast.estimators import Seq2SeqTranslator
    from forecast.text import make_date_pairs

    def nn(key: str, default: Any) -> Any:
        return setting(config, "neural", key, default)

    n_train = setting(config, "data", "n_train", 5000)
    n_test = setting(config, "data", "n_test", 500)
    units, embedding_dim, epochs = _one_layer(config, 64), nn("embedding_dim", 16), nn("epochs", 10)
    X_train, y_train = make_date_pairs(n_train, random_state=0)
    X_test, y_test = make_date_pairs(n_test, random_state=1, exclude=set(y_train))
    rows = {}
    for attention in nn("attention", ["dot"]):
        label = "none" if attention in (None, "none") else attention
        model = Seq2SeqTranslator(units=units, embedding_dim=embedding_dim,
                                  attention=None if label == "none" else attention,
                                  epochs=epochs, random_state=0)
        progress(f"translation: seq2seq (attention={label}) on {n_train} pairs")
        start = time.perf_counter()
        model.fit(X_train, y_train)
        fit_s = time.perf_counter() - start
        pred = model.predict(X_test)
        exact = float(np.mean([p == t for p, t in zip(pred, y_test, strict=True)]))
        chars = float(np.mean([sum(a == b for a, b in zip(p, t, strict=False)) / len(t)
                               for p, t in zip(pred, y_test, strict=True)]))
        rows[f"seq2seq attention={label}"] = {"exact match": exact, "char accuracy": chars,
                                              "fit s": fit_s}
    examples = [f"`{s}` -> `{p}`" for s, p in zip(X_test[:5], pred[:5], strict=True)]
    return _finish(config, out_dir, "Date translation", pd.DataFrame(rows).T, [
        f"{n_train} synthetic training pairs, {n_test} held-out dates never seen in training.",
        "Examples: " + "; ".join(examples),
    ])
