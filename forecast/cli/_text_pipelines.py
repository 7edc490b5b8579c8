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

from ._console import progress

__all__ = ["run_sentiment", "run_text_generation", "run_translation"]


def _finish(config: dict[str, Any], out_dir: Path, caption: str, board: pd.DataFrame,
            paragraphs: list[str]) -> Path:
    from ._pipelines import _finish_tables

    board.index.name = "model"
    return _finish_tables(config, out_dir, [(caption, board)], paragraphs)


def _sentences(config: dict[str, Any]) -> pd.DataFrame:
    from forecast.datasets import load_sentiment

    from ._pipelines import _resolve

    data = config.get("data", {})
    frame = load_sentiment(_resolve(config, data["path"]))
    if data.get("max_rows"):
        frame = frame.sample(n=min(int(data["max_rows"]), len(frame)), random_state=0)
    return frame.reset_index(drop=True)


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

    nn, cv_cfg = config.get("neural", {}), config.get("cv", {})
    frame = _sentences(config)
    X, y = frame["text"].astype(str).to_numpy(), frame["label"].to_numpy()
    cv = StratifiedKFold(n_splits=int(cv_cfg.get("folds", 5)), shuffle=True, random_state=0)
    models = {
        "TF-IDF + LogisticRegression": make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LogisticRegression(C=10.0,
                                                                                       max_iter=1000)
        ),
        f"{nn.get('cell', 'gru').upper()} classifier": make_pipeline(
            TextVectorizer(max_tokens=int(nn.get("max_tokens", 5000)),
                           sequence_length=int(nn.get("sequence_length", 40))),
            RNNClassifier(cell=nn.get("cell", "gru"), units=int(nn.get("units", 32)),
                          embedding_dim=int(nn.get("embedding_dim", 32)),
                          epochs=int(nn.get("epochs", 5)), batch_size=32,
                          dropout=float(nn.get("dropout", 0.0)), random_state=0),
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

    nn, gen = config.get("neural", {}), config.get("generation", {})
    texts = _sentences(config)["text"].astype(str).tolist()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(texts))
    n_test = max(1, len(texts) // 10)
    test = [texts[i] for i in order[:n_test]]
    train = [texts[i] for i in order[n_test:]]
    level = nn.get("level", "char")
    rows, samples = {}, []
    start = time.perf_counter()
    ngram = NGramLanguageModel(n=int(gen.get("ngram_order", 5)), level=level).fit(train)
    rows[f"{ngram.n}-gram Kneser-Ney"] = {"perplexity": ngram.perplexity(test),
                                          "seconds": time.perf_counter() - start}
    model = TextGenerator(level=level, units=(int(nn.get("units", 64)),),
                          sequence_length=int(nn.get("sequence_length", 64)),
                          epochs=int(nn.get("epochs", 5)), random_state=0)
    progress(f"text_generation: {type(model).__name__} on {len(train)} texts")
    start = time.perf_counter()
    model.fit(train)
    rows[f"{nn.get('cell', 'lstm').upper()} TextGenerator"] = {
        "perplexity": model.perplexity(test), "seconds": time.perf_counter() - start}
    for seed in gen.get("seeds", ["The movie was", "I would"]):
        samples.append(f"`{seed}` -> `{model.generate(seed, max_length=int(gen.get('length', 60)), temperature=float(gen.get('temperature', 0.7)), random_state=0)}`")  # noqa: E501
    return _finish(config, out_dir, "Held-out perplexity", pd.DataFrame(rows).T, [
        f"{len(train)} training and {len(test)} held-out sentences, {level}-level tokens; "
        "per-token perplexity (lower is better).",
        "Samples: " + "; ".join(samples),
    ])


def run_translation(config: dict[str, Any], out_dir: Path) -> Path:
    """Date normalisation ("3rd of March 2001" -> "2001-03-03") with Seq2SeqTranslator."""
    from forecast.estimators import Seq2SeqTranslator
    from forecast.text import make_date_pairs

    data, nn = config.get("data", {}), config.get("neural", {})
    n_train, n_test = int(data.get("n_train", 5000)), int(data.get("n_test", 500))
    X_train, y_train = make_date_pairs(n_train, random_state=0)
    X_test, y_test = make_date_pairs(n_test, random_state=1, exclude=set(y_train))
    rows = {}
    for attention in nn.get("attention", ["dot"]):
        label = "none" if attention in (None, "none") else attention
        model = Seq2SeqTranslator(units=int(nn.get("units", 64)),
                                  embedding_dim=int(nn.get("embedding_dim", 16)),
                                  attention=None if label == "none" else attention,
                                  epochs=int(nn.get("epochs", 10)), random_state=0)
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
