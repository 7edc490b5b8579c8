"""The speed, windowing, backtest, baseline and sentiment benchmark scripts, end to end at
toy sizes on generated data (no ``../shared`` needed).

Their figures are measured by their documented commands (``BENCHMARKS.md``); these runs
only keep the commands working: each writes its JSON with the fields its table reads,
and its ``BENCHMARKS.md`` section.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_benchmark_scripts import _script


@pytest.fixture(scope="module")
def hourly_panel(tmp_path_factory) -> Path:
    """An M4 Hourly-format panel: 6 series of 200-400 points plus their 48-step tests."""
    out = tmp_path_factory.mktemp("m4")
    assert _script("generate_m4_panel").main(
        ["--frequency", "Hourly", "--n-series", "6", "--min-length", "200",
         "--max-length", "400", "--out-dir", str(out)]) == 0
    return out


# slow (about 30 s of fits; its table's render is checked on the committed JSON in CI)
@pytest.mark.slow
def test_speed_script_measures_each_side(tmp_path):
    out, md = tmp_path / "speed.json", tmp_path / "BENCHMARKS.md"
    assert _script("speed").main(["--windows", "300", "--epochs", "1", "--repeats", "1",
                                  "--fits", "2", "--out", str(out),
                                  "--markdown", str(md)]) == 0
    r = json.loads(out.read_text())["results"]
    fit = r["fit_throughput"]
    assert fit["seconds_estimator"] > 0
    assert fit["seconds_keras"] > 0
    assert fit["ratio"] == pytest.approx(fit["seconds_keras"] / fit["seconds_estimator"])
    assert r["predict_latency"]["seconds_estimator_10k"] > 0
    for key in ("refit_estimator", "refit_overhead", "refit_neural_forecaster"):
        assert r[key]["fits"] == 2
    assert "LSTMRegressor" in md.read_text()


# slow (about 18 s, mostly Keras' own windowing; its table's render is checked on the
# committed JSON in CI)
@pytest.mark.slow
def test_windowing_script_compares_the_same_windows(tmp_path):
    out, md = tmp_path / "windowing.json", tmp_path / "BENCHMARKS.md"
    assert _script("windowing").main(["--rows", "600", "--features", "2", "--out", str(out),
                                      "--markdown", str(md)]) == 0
    cases = json.loads(out.read_text())["cases"]
    assert set(cases) == {"make_windows", "make_windows+batches", "keras"}
    # the same windows on every side: equal counts and checksums
    assert len({c["n_windows"] for c in cases.values()}) == 1
    checksums = [c["checksum"] for c in cases.values()]
    np.testing.assert_allclose(checksums, checksums[0], rtol=1e-6)
    assert "timeseries_dataset_from_array" in md.read_text()


def test_backtest_parallel_script_gives_the_same_scores_in_each_mode(hourly_panel, tmp_path):
    out = tmp_path / "backtest.json"
    assert _script("backtest_parallel").main(
        ["--data-dir", str(hourly_panel), "--models", "Naive,Naive2", "--n-splits", "2",
         "--out", str(out), "--no-markdown"]) == 0
    result = json.loads(out.read_text())
    assert (result["n_series"], result["n_splits"]) == (6, 2)
    assert all(run["identical"] for run in result["runs"])
    board = result["leaderboard_all_folds"]
    assert board["Naive2"]["owa"] == pytest.approx(1.0)
    assert board["Naive"]["n_windows"] == 12


def test_m4_baselines_script_scores_every_model(hourly_panel, tmp_path):
    out, md = tmp_path / "baselines.json", tmp_path / "BENCHMARKS.md"
    assert _script("m4_baselines").main(
        ["--frequency", "Hourly", "--data-dir", str(hourly_panel), "--models",
         "Naive,SeasonalNaive,Naive2,Theta", "--n-jobs", "1", "--out", str(out),
         "--markdown", str(md)]) == 0
    result = json.loads(out.read_text())
    assert (result["n_series"], result["horizon"], result["season_length"]) == (6, 48, 24)
    models = result["models"]
    assert set(models) == {"Naive", "SeasonalNaive", "Naive2", "Theta"}
    assert models["Naive2"]["owa"] == pytest.approx(1.0)
    for m in models.values():
        assert np.isfinite([m["smape"], m["mase"], m["owa"]]).all()
    assert "Theta" in md.read_text()


def test_sentiment_script_runs_the_baseline_on_files_of_the_uci_format(tmp_path):
    data = tmp_path / "sentiment_labelled_sentences"
    data.mkdir()
    rng = np.random.default_rng(0)
    good, bad = ["great", "good", "loved", "fine"], ["awful", "bad", "hated", "poor"]
    for name in ("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"):
        lines = []
        for i in range(40):
            words = good if i % 2 else bad
            lines.append(f"it was {rng.choice(words)} and {rng.choice(words)}\t{i % 2}")
        (data / name).write_text("\r\n".join(lines) + "\r\n")
    out, md = tmp_path / "sentiment.json", tmp_path / "BENCHMARKS.md"
    assert _script("sentiment").main(["--data-dir", str(data), "--out", str(out),
                                      "--folds", "2", "--skip-rnn",
                                      "--markdown", str(md)]) == 0
    result = json.loads(out.read_text())
    assert result["n_samples"] == 120
    baseline = result["models"]["tfidf_logreg"]
    assert len(baseline["folds"]) == 2
    # one word of a fixed set decides each label, so the held-out folds are all right
    assert baseline["accuracy"] == pytest.approx(1.0)
    assert "rnn_bilstm" not in result["models"]  # --skip-rnn
    text = md.read_text()
    assert "| tfidf_logreg | 1.0000 |" in text
    # nor the notes about an RNN row or a language model that were not run
    assert result["notes"] == []
    assert "The RNN row is" not in text
    assert "Language model: the generator's" not in text
    sentiment = _script("sentiment")
    both = {"models": {"rnn_bilstm": {}}, "language_model": {}}
    assert sentiment.notes_for(both) == [sentiment.RNN_NOTE, "", sentiment.LM_NOTE, ""]

