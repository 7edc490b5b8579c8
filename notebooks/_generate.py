"""Write the example notebooks (without outputs): ``python notebooks/_generate.py``.

Every notebook reads ``FORECAST_QUICK=1`` (set by ``tests/test_notebooks.py``) to
shrink data and epochs so it runs in seconds; unset, it runs the real settings.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = """import os
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
QUICK = os.environ.get("FORECAST_QUICK", "0") == "1"  # tiny settings under the test suite
EPOCHS = 2 if QUICK else {epochs}
print("quick settings" if QUICK else "full settings", "- epochs:", EPOCHS)"""

NOTEBOOKS = {
    "01_quickstart.ipynb": [
        new_markdown_cell(
            "# Quickstart: fit and predict\n\n"
            "Forecast the monthly Mauna Loa CO2 series (embedded, no network) two years ahead "
            "with an LSTM, and compare it with the seasonal naive baseline on the held-out "
            "years. Set `FORECAST_QUICK=1` for a seconds-long smoke run."
        ),
        new_code_cell(SETUP.format(epochs=40)),
        new_code_cell(
            "from forecast.datasets import load_sample\n\n"
            "y = load_sample(\"co2\")  # monthly Series, season length 12\n"
            "if QUICK:\n"
            "    y = y.iloc[-120:]\n"
            "train, test = y.iloc[:-24], y.iloc[-24:]\n"
            "y.tail()"
        ),
        new_markdown_cell(
            "`NeuralForecaster` turns the series into windows (here 36 months in, 24 out), "
            "normalises each window and trains a scikit-learn-style `LSTMRegressor` on them."
        ),
        new_code_cell(
            "from forecast.estimators import LSTMRegressor\n"
            "from forecast.forecasters import NeuralForecaster, SeasonalNaive\n\n"
            "lstm = NeuralForecaster(\n"
            "    LSTMRegressor(units=16, epochs=EPOCHS, learning_rate=3e-3, random_state=0),\n"
            "    window=36, horizon=24, season_length=12, random_state=0,\n"
            ")\n"
            "lstm.fit(train)\n"
            "forecast = lstm.predict()  # pandas Series indexed by the next 24 months\n"
            "baseline = SeasonalNaive(season_length=12).fit(train).predict(24)\n"
            "forecast.head()"
        ),
        new_code_cell(
            "from forecast.metrics import mase, smape\n\n"
            "pd.DataFrame({\n"
            "    name: {\"sMAPE\": smape(test, pred),\n"
            "           \"MASE\": mase(test, pred, y_train=train, season_length=12)}\n"
            "    for name, pred in {\"LSTM\": forecast, \"SeasonalNaive\": baseline}.items()\n"
            "}).T"
        ),
        new_code_cell(
            "from forecast.plotting import plot_forecast\n\n"
            "ax = plot_forecast(train, forecast, test, history_tail=72, label=\"LSTM\")\n"
            "ax.plot(baseline.index, baseline.to_numpy(), ls=\"--\", label=\"SeasonalNaive\")\n"
            "ax.legend();"
        ),
    ],
    "02_backtesting.ipynb": [
        new_markdown_cell(
            "# Backtesting an LSTM against the baselines\n\n"
            "One forecast is an anecdote: a rolling-origin backtest refits every model on "
            "each fold's past only and scores the next horizon. OWA compares sMAPE and MASE "
            "with Naive2 (< 1 beats it), as in the M4 competition."
        ),
        new_code_cell(SETUP.format(epochs=20)),
        new_code_cell(
            "from forecast.datasets import load_sample\n"
            "from forecast.estimators import GRURegressor, LSTMRegressor\n"
            "from forecast.forecasters import ETS, NeuralForecaster, SeasonalNaive, Theta\n"
            "from forecast.model_selection import ExpandingWindowSplitter, backtest\n\n"
            "y = load_sample(\"co2\").iloc[-(120 if QUICK else 360):]\n"
            "FOLDS = 1 if QUICK else 3\n\n"
            "def neural(estimator_cls):\n"
            "    est = estimator_cls(units=16, epochs=EPOCHS, learning_rate=3e-3, random_state=0)\n"
            "    return NeuralForecaster(est, window=36, horizon=12, season_length=12)\n\n"
            "models = {\n"
            "    \"LSTM\": neural(LSTMRegressor),\n"
            "    \"GRU\": neural(GRURegressor),\n"
            "    \"SeasonalNaive\": SeasonalNaive(season_length=12),\n"
            "    \"Theta\": Theta(season_length=12),\n"
            "    \"ETS\": ETS(season_length=12),\n"
            "}\n"
            "cv = ExpandingWindowSplitter(horizon=12, n_splits=FOLDS)\n"
            "result = backtest(models, y, cv=cv, verbose=0)  # Naive2 is added as reference\n"
            "result.leaderboard[[\"smape\", \"mase\", \"owa\", \"fit_seconds\"]]"
        ),
        new_code_cell(
            "from forecast.plotting import plot_backtest, plot_leaderboard\n\n"
            "plot_backtest(result, model=[\"LSTM\", \"GRU\", \"Theta\"], history_tail=36);"
        ),
        new_code_cell("plot_leaderboard(result, metric=\"owa\");"),
        new_markdown_cell("Per-window scores show how stable each model is across folds:"),
        new_code_cell(
            "result.scores.pivot_table(index=\"model\", columns=\"fold\", values=\"smape\")"
        ),
    ],
    "03_text_classification.ipynb": [
        new_markdown_cell(
            "# Text classification with a recurrent network\n\n"
            "Sentence sentiment (UCI *Sentiment Labelled Sentences*, read from "
            "`../shared/data` when present, else a tiny inline sample) with "
            "`TextVectorizer` + `RNNClassifier` in a scikit-learn pipeline, next to the "
            "TF-IDF + logistic regression baseline on the same split."
        ),
        new_code_cell(SETUP.format(epochs=8)),
        new_code_cell(
            "from pathlib import Path\n\n"
            "from forecast.datasets import load_sentiment\n\n"
            "shared = Path(os.environ.get(\"FORECAST_SHARED_DATA\", Path.cwd().resolve().parents[1]"
            " / \"shared\" / \"data\"))\n"
            "path = shared / \"text\" / \"sentiment_labelled_sentences\"\n"
            "if path.exists():\n"
            "    data = load_sentiment(path)\n"
            "else:  # a tiny stand-in so the notebook runs anywhere\n"
            "    good = [\"great phone, works well\", \"I love this movie\", \"excellent food\",\n"
            "            \"very good service\", \"wonderful acting\", \"best purchase ever\"]\n"
            "    bad = [\"terrible battery\", \"I hated this film\", \"awful food\",\n"
            "           \"very bad service\", \"boring and slow\", \"worst purchase ever\"]\n"
            "    data = pd.DataFrame({\"text\": good * 10 + bad * 10,\n"
            "                         \"label\": [1] * 60 + [0] * 60, \"source\": \"inline\"})\n"
            "if QUICK:\n"
            "    data = data.sample(n=min(300, len(data)), random_state=0)\n"
            "data.groupby(\"source\").label.agg([\"count\", \"mean\"])"
        ),
        new_code_cell(
            "from sklearn.feature_extraction.text import TfidfVectorizer\n"
            "from sklearn.linear_model import LogisticRegression\n"
            "from sklearn.model_selection import train_test_split\n"
            "from sklearn.pipeline import make_pipeline\n\n"
            "from forecast.estimators import RNNClassifier\n"
            "from forecast.text import TextVectorizer\n\n"
            "X_train, X_test, y_train, y_test = train_test_split(\n"
            "    data.text.to_numpy(), data.label.to_numpy(), test_size=0.25,\n"
            "    stratify=data.label, random_state=0)\n"
            "rnn = make_pipeline(\n"
            "    TextVectorizer(max_tokens=5000, sequence_length=40),\n"
            "    RNNClassifier(cell=\"gru\", units=16, embedding_dim=16, epochs=EPOCHS,\n"
            "                  random_state=0),\n"
            ")\n"
            "tfidf = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), "
            "LogisticRegression(max_iter=1000))\n"
            "scores = {name: model.fit(X_train, y_train).score(X_test, y_test)\n"
            "          for name, model in {\"GRU\": rnn, \"TF-IDF + LR\": tfidf}.items()}\n"
            "pd.Series(scores, name=\"accuracy\")"
        ),
        new_code_cell(
            "rnn.predict([\"what a great little gadget\", \"this was a waste of money\"])"
        ),
    ],
    "04_looking_inside.ipynb": [
        new_markdown_cell(
            "# Looking inside: training curves, hidden states, attention\n\n"
            "Every recurrent estimator keeps its per-epoch `history_`, exposes "
            "`hidden_states(X)` (the recurrent layer's state at every step) and, for the "
            "sequence-to-sequence translator, the attention weights behind each output token."
        ),
        new_code_cell(SETUP.format(epochs=30)),
        new_code_cell(
            "from forecast.datasets import load_sample\n"
            "from forecast.estimators import LSTMRegressor\n"
            "from forecast.preprocessing import make_windows\n\n"
            "y = load_sample(\"co2\").iloc[-(120 if QUICK else 480):]\n"
            "values = ((y - y.mean()) / y.std()).to_numpy()\n"
            "X, target = make_windows(values, window=24, horizon=1)\n"
            "est = LSTMRegressor(units=8, epochs=EPOCHS, validation_fraction=0.2, random_state=0)\n"
            "est.fit(X, target)\n"
            "X.shape, {k: len(v) for k, v in est.history_.items()}"
        ),
        new_code_cell(
            "from forecast.plotting import plot_hidden_states, plot_history\n\n"
            "plot_history(est);"
        ),
        new_code_cell(
            "states = est.hidden_states(X[-1:])  # (1, 24 steps, 8 units)\n"
            "print(states.shape)\n"
            "plot_hidden_states(states);"
        ),
        new_markdown_cell(
            "A character-level translator from human dates to ISO 8601, with dot attention: "
            "each row of the heat map shows which source characters the decoder looked at "
            "while writing one output character."
        ),
        new_code_cell(
            "from forecast.estimators import Seq2SeqTranslator\n"
            "from forecast.plotting import plot_attention\n"
            "from forecast.text import make_date_pairs\n\n"
            "sources, targets = make_date_pairs(64 if QUICK else 6000, random_state=0)\n"
            "translator = Seq2SeqTranslator(units=8 if QUICK else 64, embedding_dim=8,\n"
            "                               attention=\"dot\", epochs=1 if QUICK else 10,\n"
            "                               random_state=0)\n"
            "translator.fit(sources, targets)\n"
            "weights, src, tgt = translator.attention_weights(\"3rd of March 2001\")\n"
            "print(\"\".join(tgt))\n"
            "plot_attention(weights, src, tgt);"
        ),
    ],
}


def main() -> None:
    """Write every notebook beside this script (outputs empty, kernel python3)."""
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=cells, metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        })
        nbformat.validate(nb)
        nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    main()
