"""The M4 benchmark scripts on small generated files of other frequencies (the ETT
script's tests are in ``test_benchmark_ett.py``).

The issue's checks run these scripts on data we do not have (other M4 frequencies,
other ETT files); these runs prove that such files go through end to end with the
scripts' default settings (tiny networks and budgets, so they say nothing about
accuracy).
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[1] / "pipelines" / "benchmarks"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_m4(path: Path, rows: dict[str, np.ndarray]) -> None:
    _script("generate_m4_panel").write_m4(path, rows)


def test_generated_m4_panel_has_the_frequency_horizon_and_reads_back(tmp_path):
    gen = _script("generate_m4_panel")
    assert gen.main(["--frequency", "Weekly", "--n-series", "5", "--min-length", "20",
                     "--max-length", "60", "--out-dir", str(tmp_path)]) == 0
    train, test = _script("m4").load(tmp_path, "Weekly")
    assert list(train) == ["W1", "W2", "W3", "W4", "W5"]
    for key, y in train.items():
        assert 20 <= len(y) < 60
        assert len(test[key]) == 13  # the Weekly horizon
        assert (y > 0).all()
    again, _ = gen.generate("Weekly", 5, 20, 60)  # seeded: the same values (to 4 decimals)
    np.testing.assert_allclose(again["W3"], train["W3"].to_numpy(), atol=1e-4)


def test_generated_m4_panel_rejects_bad_lengths(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        _script("generate_m4_panel").main(["--min-length", "50", "--max-length", "50",
                                           "--out-dir", str(tmp_path)])
    assert exc.value.code == 2
    assert "--min-length < --max-length. Received: 50, 50" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_m4_script_runs_another_frequency_with_its_horizon(tmp_path):
    rng = np.random.default_rng(0)
    h = 6  # Yearly: horizon 6, season 1
    train, test = {}, {}
    for i in range(12):
        n = int(rng.integers(13, 40))  # M4 Yearly has series as short as 13 points
        y = 100 + np.cumsum(rng.normal(1.0, 2.0, n + h)) + 10 * i
        train[f"Y{i + 1}"], test[f"Y{i + 1}"] = y[:n], y[n:]
    _write_m4(tmp_path / "Yearly-train.csv", train)
    _write_m4(tmp_path / "Yearly-test.csv", test)
    out = tmp_path / "m4.json"
    m4 = _script("m4")
    rc = m4.main(["--frequency", "Yearly", "--data-dir", str(tmp_path), "--units", "8",
                  "--epochs", "1", "--ensemble", "2", "--jobs", "1",
                  "--skip-slow-baselines", "--out", str(out)])
    assert rc == 0
    payload = json.loads(out.read_text())
    assert (payload["horizon"], payload["season_length"]) == (6, 1)
    # no season (m = 1): segments of half a horizon, 14 of them
    assert (payload["settings"]["segment_length"], payload["settings"]["window"]) == (3, 42)
    models = payload["models"]
    # names carry the settings changed from the defaults (epochs, units)
    assert {"naive2", "snaive", "theta", "gru-global-ep1-u8-seed0", "gru-global-ep1-u8-seed1",
            "gru-global-ep1-u8-ens2"} <= set(models)
    for r in models.values():
        assert np.isfinite([r["smape"], r["mase"], r["owa"], r["seconds"]]).all()
    assert models["naive2"]["owa"] == pytest.approx(1.0)


def test_m4_script_holdout_scores_the_training_series_last_horizon(tmp_path):
    from forecast.forecasters import Naive2
    from forecast.metrics import smape

    rng = np.random.default_rng(2)
    h = 6
    train = {f"Y{i}": 100 + np.cumsum(rng.normal(1.0, 2.0, 30 + i)) for i in range(5)}
    test = {k: np.full(h, 1e6) for k in train}  # never scored with --holdout
    _write_m4(tmp_path / "Yearly-train.csv", train)
    _write_m4(tmp_path / "Yearly-test.csv", test)
    out = tmp_path / "m4.json"
    assert _script("m4").main(["--frequency", "Yearly", "--data-dir", str(tmp_path),
                               "--no-baselines", "--ensemble", "0", "--holdout",
                               "--out", str(out)]) == 0
    payload = json.loads(out.read_text())
    assert payload["holdout"] is True
    expected = np.mean([smape(y[-h:], Naive2(season_length=1).fit(pd.Series(y[:-h]))
                              .predict(h).to_numpy()) for y in train.values()])
    assert payload["models"]["naive2"]["smape"] == pytest.approx(expected, rel=1e-4)


def test_m4_script_members_in_two_processes_match_one(monkeypatch):
    # --jobs: spawned workers must import the script, as they do when it runs as a script
    monkeypatch.syspath_prepend(str(BENCH))
    import m4

    rng = np.random.default_rng(3)
    train = {f"H{i}": pd.Series(100 + 10 * np.sin(np.arange(120) * 2 * np.pi / 24)
                                + rng.normal(0, 1, 120)) for i in range(4)}
    members = [dict(cell="gru", seed=s, budget=None, units=(4,), epochs=1, batch_size=64,
                    learning_rate=1e-3, validation=False, lookback=2) for s in (0, 1)]
    one = list(m4.fit_members(train, 12, 24, members, jobs=1))
    two = list(m4.fit_members(train, 12, 24, members, jobs=2))
    assert [r[2]["epochs_run"] for r in two] == [1, 1]
    for (f1, *_), (f2, *_) in zip(one, two, strict=True):
        assert set(f1) == set(train)
        for k in train:
            np.testing.assert_allclose(f2[k], f1[k], rtol=1e-5)
    # the two seeds differ, so the order of the results is checked too
    assert not np.allclose(one[0][0]["H0"], one[1][0]["H0"])


def test_m4_script_resolves_and_rejects_jobs(capsys):
    m4 = _script("m4")  # resolve_jobs comes from _nf_common, shared with ett.py
    assert m4.resolve_jobs(0, 5) == min(os.cpu_count() or 1, 5)
    assert m4.resolve_jobs(4, 2) == 2
    assert m4.resolve_jobs(1, 5) == 1
    with pytest.raises(ValueError, match="`jobs` must be >= 0. Received: jobs=-1"):
        m4.resolve_jobs(-1, 5)
    with pytest.raises(SystemExit):
        m4.main(["--jobs", "-2"])
    assert "--jobs must be >= 0. Received: --jobs -2" in capsys.readouterr().err


@pytest.mark.parametrize(("h", "m", "seg", "window"), [
    (6, 1, 3, 42), (8, 4, 4, 56), (18, 12, 12, 132), (13, 1, 7, 91), (14, 1, 7, 98),
    (48, 24, 24, 336)])
def test_m4_script_runs_11_to_14_recurrent_steps_at_every_frequency(h, m, seg, window):
    config = _script("m4").neural_config(h, m)
    assert (config["segment_length"], config["window"]) == (seg, window)
    assert window % seg == 0
    assert 11 <= window // seg <= 14


def test_m4_script_lookbacks_set_each_members_window_and_name():
    m4 = _script("m4")
    # Hourly: 5 / 7 / 9 horizons of 48 steps, whole 24-step segments
    assert [m4.neural_config(48, 24, k)["window"] for k in (5, 7, 9)] == [240, 336, 432]
    assert m4.neural_config(6, 1, 5) == {"segment_length": 3, "window": 30}  # Yearly
    parser = m4.build_parser()
    assert m4.model_suffix(parser.parse_args([]), parser) == ""
    a = parser.parse_args(["--lookbacks", "7,5", "--lr-schedule", "none"])
    assert m4.model_suffix(a, parser) == "-none-lb7x5"


def test_m4_script_baselines_in_two_processes_match_one():
    m4 = _script("m4")
    rng = np.random.default_rng(0)
    t = np.arange(120)
    train = {f"H{i}": pd.Series(100 + np.cumsum(rng.normal(0, 1, 120))
                                + 10 * np.sin(2 * np.pi * t / 24)) for i in range(9)}
    one, _ = m4.run_baseline("theta", train, 48, 24, n_jobs=1)
    two, _ = m4.run_baseline("theta", train, 48, 24, n_jobs=2)
    assert list(one) == list(two) == list(train)  # the panel's order is kept
    for key in train:
        assert one[key].shape == (48,)
        np.testing.assert_array_equal(one[key], two[key])


def test_m4_script_defaults_are_the_documented_best_configuration():
    parser = _script("m4").build_parser()
    d = parser.parse_args([])
    assert (d.loss, d.learning_rate, d.batch_size, d.units) == ("owa_log", 4e-3, 512, "128,128")
    assert (d.lr_schedule, d.lookbacks) == ("cosine", "7")
    assert (d.epochs, d.budget) == (9, None)
    assert d.validation is False
    assert (d.ensemble, d.cells, d.n_jobs, d.jobs) == (2, "gru", -1, 0)
    assert parser.parse_args(["--validation"]).validation is True


def test_skforecast_script_renders_its_stored_results(tmp_path):
    # the script's imports from m4.py and the library, and its table, without measuring
    results = BENCH / "results" / "skforecast_m4_hourly.json"
    md = tmp_path / "BENCHMARKS.md"
    assert _script("skforecast_compare").main(
        ["--render-only", "--out", str(results), "--markdown", str(md)]) == 0
    text = md.read_text()
    assert "skforecast `ForecasterRnn` vs `NeuralForecaster`: M4 Hourly" in text
    assert "Ratios: skforecast time / our time" in text


# slow (about 18 s: the whole script with a network on a generated panel); the short-series
# fallback it exercises is checked in CI by the test below it
@pytest.mark.slow
def test_m4_intervals_script_scores_coverage_and_msis_on_another_frequency(
        tmp_path, monkeypatch):
    from forecast.forecasters import Naive2
    from forecast.metrics import msis

    monkeypatch.syspath_prepend(str(BENCH))  # its --neural path imports m4.py
    rng = np.random.default_rng(3)
    h = 8  # Quarterly: horizon 8, season 4
    n = 120  # 19 calibration origins a season (4) apart need 8 + 18 * 4 points and more
    t = np.arange(n + h)
    train, test = {}, {}
    for i in range(6):
        y = 200 + np.cumsum(rng.normal(0.5, 2.0, n + h)) + 5 * np.sin(2 * np.pi * t / 4)
        train[f"Q{i + 1}"], test[f"Q{i + 1}"] = y[:n], y[n:]
    _write_m4(tmp_path / "Quarterly-train.csv", train)
    _write_m4(tmp_path / "Quarterly-test.csv", test)
    out, md = tmp_path / "iv.json", tmp_path / "B.md"
    script = _script("m4_intervals")
    assert script.main(["--frequency", "Quarterly", "--data-dir", str(tmp_path), "--skip-slow",
                        "--n-jobs", "1", "--neural", "--out", str(out),
                        "--markdown", str(md)]) == 0
    payload = json.loads(out.read_text())
    assert (payload["horizon"], payload["season_length"], payload["windows"],
            payload["step"]) == (8, 4, 19, 4)  # the default step is the season
    models = payload["models"]
    assert set(models) == {"naive", "snaive", "naive2", "ses", "theta", "conformal-naive2",
                           "conformal-snaive", "conformal-theta", "conformal-gru-global"}
    for r in models.values():
        assert 0.0 <= r["coverage"] <= 1.0
        assert r["acd"] == pytest.approx(abs(r["coverage"] - 0.95))
        assert np.isfinite(r["msis"])
    # naive2's row is the mean over series of metrics.msis of its own 95% interval
    expected = []
    for k, y in train.items():
        band = Naive2(season_length=4).fit(pd.Series(y)).predict_interval(8, coverage=0.95)
        expected.append(msis(test[k], band, y_train=y, season_length=4))
    assert models["naive2"]["msis"] == pytest.approx(np.mean(expected), rel=1e-6)
    assert "| conformal-theta |" in md.read_text()
    with pytest.raises(SystemExit):
        script.main(["--windows", "10", "--data-dir", str(tmp_path)])


def _yearly(tmp_path: Path, lengths, *, test_file: bool = True) -> None:
    rng = np.random.default_rng(5)
    train = {f"Y{i + 1}": 100 + np.cumsum(rng.normal(1.0, 2.0, n)) for i, n in enumerate(lengths)}
    _write_m4(tmp_path / "Yearly-train.csv", train)
    if test_file:
        _write_m4(tmp_path / "Yearly-test.csv",
                  {k: y[-1] + np.arange(1.0, 7.0) for k, y in train.items()})


def test_m4_intervals_gives_series_too_short_for_calibration_their_own_interval(tmp_path):
    from forecast.forecasters import Theta

    _yearly(tmp_path, [13, 20, 60])  # 3 + 6 + 18 = 27 points calibrate 19 windows a step apart
    out, md = tmp_path / "iv.json", tmp_path / "B.md"
    md.write_text("<!-- m4-intervals:start -->\nHOURLY\n<!-- m4-intervals:end -->\n")
    script = _script("m4_intervals")
    assert script.main(["--frequency", "Yearly", "--data-dir", str(tmp_path), "--skip-slow",
                        "--n-jobs", "1", "--models", "theta,conformal-theta",
                        "--out", str(out), "--markdown", str(md)]) == 0
    models = json.loads(out.read_text())["models"]
    assert models["conformal-theta"]["fallback_series"] == 2
    text = md.read_text()
    assert "HOURLY" in text  # the Hourly table is left alone
    assert "<!-- m4-intervals-yearly:start -->" in text
    assert "series too short for them get their point model's own interval" in text
    # the two short series score exactly as Theta's own interval does
    bands = script._bands("conformal-theta", 6, 1, 19, 1,
                          [("Y1", pd.Series(np.arange(13.0) + 1))])
    own = Theta().fit(pd.Series(np.arange(13.0) + 1)).predict_interval(6, coverage=0.95)
    np.testing.assert_allclose(bands[0][1], own["lower"].to_numpy())
    assert bands[0][3] is True


def test_m4_scripts_keep_each_frequency_in_its_own_section_and_need_a_test_file(
        tmp_path, capsys):
    _yearly(tmp_path, [20, 30, 40])
    md = tmp_path / "B.md"
    md.write_text("<!-- m4:start -->\nHOURLY\n<!-- m4:end -->\n"
                  "<!-- m4-baselines:start -->\nHOURLY-B\n<!-- m4-baselines:end -->\n")
    assert _script("m4").main(["--frequency", "Yearly", "--data-dir", str(tmp_path),
                               "--ensemble", "0", "--skip-slow-baselines",
                               "--out", str(tmp_path / "a.json"), "--markdown", str(md)]) == 0
    argv = ["--frequency", "Yearly", "--data-dir", str(tmp_path), "--models", "Naive2,Theta",
            "--out", str(tmp_path / "b.json"), "--markdown", str(md)]
    assert _script("m4_baselines").main(argv) == 0
    text = md.read_text()
    assert "HOURLY\n" in text
    assert "HOURLY-B" in text
    assert "<!-- m4-yearly:start -->" in text
    assert "<!-- m4-baselines-yearly:start -->" in text
    assert f"--data-dir {tmp_path}" in json.loads((tmp_path / "b.json").read_text())["command"]
    (tmp_path / "Yearly-test.csv").unlink()
    for name, extra in (("m4", ["--ensemble", "0"]), ("m4_baselines", [])):
        with pytest.raises(SystemExit, match="pass --holdout|scored on the M4 test set"):
            _script(name).main(["--frequency", "Yearly", "--data-dir", str(tmp_path),
                                "--out", str(tmp_path / "c.json"), *extra])
    assert _script("m4").main(["--frequency", "Yearly", "--data-dir", str(tmp_path),
                               "--ensemble", "0", "--holdout", "--limit", "2",
                               "--skip-slow-baselines", "--out", str(tmp_path / "d.json")]) == 0


@pytest.mark.parametrize(("name", "argv", "message"), [
    ("speed", ["--repeats", "0"], "--repeats must be >= 1. Received: 0"),
    ("speed", ["--fits", "0"], "--fits must be >= 1. Received: 0"),
    ("windowing", ["--rows", "100"], "--rows must be at least --window + --horizon (192)"),
    ("windowing", ["--window", "0"], "--window must be >= 1. Received: 0"),
    ("backtest_parallel", ["--max-series", "0"], "--max-series must be >= 1"),
    ("backtest_parallel", ["--modes", "foo"], "unknown --modes ['foo']"),
    ("backtest_parallel", ["--n-splits", "0"], "--n-splits must be >= 1. Received: 0"),
    ("sentiment", ["--data-dir", "x", "--out", "y.json", "--folds", "1"],
     "--folds must be >= 2. Received: 1"),
    ("sentiment", ["--data-dir", "x", "--out", "y.json", "--lm", "--lm-epochs", "1"],
     "--lm-epochs must be >= 9"),
    ("skforecast_compare", ["--epochs", "0"], "--epochs must be a positive integer"),
    ("skforecast_compare", ["--stride", "0"], "--stride must be a positive integer"),
])
def test_benchmark_scripts_reject_bad_arguments_before_any_work(name, argv, message, capsys,
                                                                monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    with pytest.raises(SystemExit) as exc:
        _script(name).main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_refit_memory_script_has_a_command_line(capsys):
    script = _script("estimator_refit_memory")
    with pytest.raises(SystemExit) as exc:
        script.cli(["--fits", "0"])
    assert exc.value.code == 2
    assert "--fits must be >= 1. Received: 0" in capsys.readouterr().err


def test_sentiment_section_names_each_parts_own_command():
    script = _script("sentiment")
    result = {"models": {}, "language_model": {}, "machine": "old box",
              "runs": {"models": {"machine": "new box", "date": "2026-12-07",
                                  "command": "python pipelines/benchmarks/sentiment.py --folds 2"}}}
    lines = script.provenance_lines(result)
    assert "- classification: 2026-12-07, new box. Command: `python pipelines/benchmarks/" \
           "sentiment.py --folds 2`" in lines
    assert any(line.startswith("- language model: before 2026-12-07, old box. Command: "
                               "`python pipelines/benchmarks/sentiment.py --data-dir")
               for line in lines)


def test_update_markdown_replaces_its_own_block_only_and_appends_a_missing_one(tmp_path):
    common = _script("_nf_common")  # every script's BENCHMARKS.md writer
    md = tmp_path / "BENCHMARKS.md"
    common.update_markdown(md, "a", "first\n\n")
    assert md.read_text() == common.HEADER + "\n<!-- a:start -->\nfirst\n<!-- a:end -->\n"
    common.update_markdown(md, "b", "other")
    common.update_markdown(md, "a", "second")
    text = md.read_text()
    assert "first" not in text
    assert text.index("<!-- a:start -->\nsecond\n<!-- a:end -->") < text.index("other")
    common.update_markdown(md, "a", "second")
    assert md.read_text() == text


def test_cpu_model_names_the_cpu_of_every_scripts_machine_line():
    common = _script("_nf_common")
    cpu = common.cpu_model()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                 if ln.startswith("model name")]
        assert cpu == (names[0] if names else cpu)
    assert cpu
    assert common.machine().startswith(f"{cpu}, ")
    assert _script("m4_baselines").machine().startswith(f"{cpu}, ")


def test_m4_script_reports_a_malformed_test_file_in_one_line(tmp_path):
    rng = np.random.default_rng(0)
    train = {f"Y{i + 1}": 100 + rng.normal(size=20) for i in range(3)}
    test = {f"Y{i + 2}": 100 + rng.normal(size=6) for i in range(3)}  # ids Y2..Y4, not Y1..Y3
    _write_m4(tmp_path / "Yearly-train.csv", train)
    _write_m4(tmp_path / "Yearly-test.csv", test)
    with pytest.raises(SystemExit) as exc:
        _script("m4").load(tmp_path, "Yearly")
    assert str(exc.value.code).startswith("error: ")
    assert "Y4" in str(exc.value.code)
