"""The M4 and ETT benchmark scripts on small generated files of other frequencies/files.

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
    m4 = _script("m4")
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
    assert (d.ensemble, d.cells, d.n_jobs, d.jobs) == (4, "gru", -1, 0)
    assert parser.parse_args(["--validation"]).validation is True


def test_ett_script_defaults_are_the_table_configuration():
    d = _script("ett").build_parser().parse_args([])
    assert (d.decoder, d.segment_length, d.units) == ("shared_segments", 24, 256)
    assert (d.dropout, d.learning_rate, d.epochs, d.patience) == (0.5, 1e-3, 15, 15)
    assert (d.batch_size, d.ensemble, d.ema, d.loss) == (128, 3, None, "mae")
    assert d.lr_schedule == "cosine"
    assert d.cycle == "none"  # --cycle day was not adopted (BENCHMARKS.md)
    # the GRU ensemble and the linear reference, equal weights (adopted on validation)
    assert (d.ridge_weight, d.ridge_alpha, d.ridge_cycle) == (0.5, 1e-3, "day")
    assert d.ridge_channels == "both"  # shared + per-variable maps, adopted on validation
    assert d.cells == "gru,lstm"  # GRU and LSTM networks, adopted on validation


def test_ett_script_names_each_rows_schedule():
    ett = _script("ett")
    assert ett._schedule({"learning_rate": 1e-3, "lr_schedule": "cosine", "epochs": 15}) == (
        "cosine from 0.001 over 15 epochs")
    assert ett._schedule({"learning_rate": 1e-3, "lr_schedule": "decay", "lr_decay": 0.9}) == (
        "0.001, x0.9/epoch")
    # rows stored before --lr-schedule existed carry only lr_decay
    assert ett._schedule({"learning_rate": 3e-4, "lr_decay": 1}) == "0.0003 constant"


# the flags' variants fit GRU networks only, to keep the test short
@pytest.mark.parametrize("extra", [[], ["--series-features", "embedding", "--cells", "gru"],
                                   ["--cycle", "day", "--cells", "gru"]])
def test_ett_script_runs_another_file_with_the_default_settings(tmp_path, extra):
    data = _ett_file(tmp_path, "ETTh9", seed=1, phase=3, trend=0.001, noise=0.1,
                     start="2020-01-01")
    out = tmp_path / "ett.json"
    ett = _script("ett")
    rc = ett.main(["--data", str(data), "--horizon", "96", "--units", "8", "--epochs", "1",
                   "--ensemble", "1", "--out", str(out), *extra])
    assert rc == 0
    payload = json.loads(out.read_text())
    assert payload["dataset"] == "ETTh9"
    assert payload["settings"]["series_features"] == (
        extra[1] if extra[:1] == ["--series-features"] else None)
    assert payload["settings"]["cycle"] == (extra[1] if extra[:1] == ["--cycle"] else "none")
    assert payload["settings"]["decoder"] == "shared_segments"  # the table's setting
    r = payload["models"][payload["headline"]]
    assert r["test_windows"] == 2880 - 96 + 1
    # a sine with noise 0.1 is far easier than ETT: a trained model beats predicting 0
    assert 0 < r["mse"] < 1.0
    assert np.isfinite([r["mae"], r["validation_mse"], r["seconds"]]).all()
    assert payload["published_segrnn"] == {"mse": None, "mae": None}
    # the first 10 full batches of 256 of the 2785 windows, scored like the reference
    dl = r["drop_last"]
    assert (dl["batch"], dl["windows"]) == (256, 2560)
    assert 0 < dl["mse"] < 1.0
    assert dl["mse"] != r["mse"]
    assert "full test batches only" in ett.render({"96": payload})
    # the default forecast mixes the GRU + LSTM ensemble and the ridge, both scored
    rnn = "segrnn-style-gru" if extra else "segrnn-style-gru+lstm"
    assert [m["cell"] for m in payload["members"]] == (["gru"] if extra else ["gru", "lstm"])
    assert (payload["recurrent"], payload["headline"]) == (rnn, rnn + "+ridge")
    ridge = payload["models"]["ridge-nlinear"]
    assert 0 < ridge["mse"] < 1.0
    assert np.isfinite(ridge["validation_mse"])
    by_weight = payload["validation_mse_by_ridge_weight"]
    assert by_weight["0.0"] == pytest.approx(payload["models"][rnn]["validation_mse"])
    assert by_weight["0.5"] == pytest.approx(r["validation_mse"])
    assert by_weight["1.0"] == pytest.approx(ridge["validation_mse"])


def _ett_file(tmp_path, name: str = "ETTh8", *, seed: int = 2, phase: int = 5,
              trend: float = 0.0, noise: float = 0.2, start: str = "2021-01-01"):
    """A generated file in the ETT format (date + the 7 variables) with the standard
    hourly splits' rows, nothing more: daily sines shifted by ``phase`` steps per
    variable, variable ``j`` with a trend of ``trend * j`` per step, Gaussian noise."""
    rng = np.random.default_rng(seed)
    rows = 8640 + 2880 + 2880
    t = np.arange(rows)
    columns = ["HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"]
    frame = pd.DataFrame({
        c: np.sin(2 * np.pi * (t + phase * j) / 24) + trend * j * t
        + noise * rng.normal(size=rows) for j, c in enumerate(columns)})
    frame.insert(0, "date", pd.date_range(start, periods=rows, freq="h")
                 .strftime("%Y-%m-%d %H:%M:%S"))
    data = tmp_path / f"{name}.csv"
    frame.to_csv(data, index=False)
    return data


@pytest.mark.parametrize(("w", "headline", "label"), [
    (0.3, "segrnn-style-gru+ridge", "0.7 GRU + 0.3 ridge"),
    (0.0, "segrnn-style-gru", "GRU"),
])
def test_ett_ridge_weight_mixes_the_saved_forecasts(tmp_path, w, headline, label):
    ett = _script("ett")
    out, npz = tmp_path / "ett.json", tmp_path / "f.npz"
    rc = ett.main(["--data", str(_ett_file(tmp_path)), "--horizon", "96", "--units", "8",
                   "--epochs", "1", "--ensemble", "1", "--cells", "gru",
                   "--ridge-weight", str(w),
                   "--out", str(out), "--save-forecasts", str(npz)])
    assert rc == 0
    payload = json.loads(out.read_text())
    assert payload["headline"] == headline
    assert payload["settings"]["ridge_weight"] == w
    f = np.load(npz)
    assert f["rnn_test"].shape == f["ridge_test"].shape == f["test_truth"].shape == (
        2880 - 96 + 1, 96, 7)
    mix = (1 - w) * f["rnn_test"] + w * f["ridge_test"]
    got = payload["models"][headline]
    assert got["mse"] == pytest.approx(np.mean((mix - f["test_truth"]) ** 2))
    assert payload["models"]["segrnn-style-gru"]["mse"] == pytest.approx(
        np.mean((f["rnn_test"] - f["test_truth"]) ** 2))
    assert payload["models"]["ridge-nlinear"]["mse"] == pytest.approx(
        np.mean((f["ridge_test"] - f["test_truth"]) ** 2))
    mix_val = (1 - w) * f["rnn_val"] + w * f["ridge_val"]
    assert got["validation_mse"] == pytest.approx(np.mean((mix_val - f["val_truth"]) ** 2))
    assert payload["validation_mse_by_ridge_weight"][f"{w:.1f}"] == pytest.approx(
        got["validation_mse"])
    table = ett.render({"96": payload})
    assert f"| 96 | {label} |" in table
    assert ("GRU ensemble + NLinear ridge" in table) == (w > 0)
    payload["settings"]["ridge_channels"] = "both"
    assert ("GRU ensemble + NLinear ridge (mean of shared and per-variable maps)"
            in ett.render({"96": payload})) == (w > 0)


def test_ett_cells_average_gru_and_lstm_members(tmp_path):
    ett = _script("ett")
    out, npz = tmp_path / "ett.json", tmp_path / "f.npz"
    data = str(_ett_file(tmp_path))
    common = ["--data", data, "--horizon", "96", "--units", "8", "--epochs", "1",
              "--ensemble", "1"]
    assert ett.main([*common, "--cells", "gru,lstm", "--out", str(out),
                     "--save-forecasts", str(npz)]) == 0
    payload = json.loads(out.read_text())
    assert [(m["cell"], m["seed"]) for m in payload["members"]] == [("gru", 0), ("lstm", 0)]
    assert payload["settings"]["cells"] == "gru,lstm"
    assert payload["recurrent"] == "segrnn-style-gru+lstm"
    assert payload["headline"] == "segrnn-style-gru+lstm+ridge"
    # the recurrent forecast is the equal-weight mean of the two networks: each cell
    # alone (same seed, same settings) reproduces its member
    f = np.load(npz)
    alone = []
    for cell in ("gru", "lstm"):
        one = tmp_path / f"{cell}.npz"
        assert ett.main([*common, "--cells", cell, "--save-forecasts", str(one)]) == 0
        alone.append(np.load(one)["rnn_test"])
    np.testing.assert_allclose(f["rnn_test"], np.mean(alone, axis=0), rtol=1e-6, atol=1e-6)
    table = ett.render({"96": payload})
    assert "| 96 | 0.5 GRU+LSTM + 0.5 ridge |" in table
    assert "SegRNN-style GRU+LSTM ensemble + NLinear ridge" in table
    assert "| 1 per cell (GRU+LSTM) |" in table


@pytest.mark.parametrize("cells", ["", "gru,gru", "rnn", "gru,transformer"])
def test_ett_bad_cells_are_a_usage_error(cells, capsys):
    with pytest.raises(SystemExit):
        _script("ett").main(["--cells", cells])
    assert f"--cells must be a comma list of distinct cells among gru, lstm. Received: " \
           f"{cells!r}" in capsys.readouterr().err


@pytest.mark.parametrize("w", ["-0.1", "1.5", "nan"])
def test_ett_ridge_weight_outside_0_1_is_a_usage_error(w, capsys):
    with pytest.raises(SystemExit) as exc:
        _script("ett").main(["--ridge-weight", w])
    assert exc.value.code == 2
    assert f"--ridge-weight must be in [0, 1]. Received: {float(w)}" in capsys.readouterr().err


def test_ett_ridge_is_fitted_on_the_train_rows_only():
    ett = _script("ett")
    rng = np.random.default_rng(3)
    n, val, h = 600, 120, 24
    t = np.arange(n)
    panel = {c: pd.Series(np.sin(2 * np.pi * (t + j) / 24) + 0.3 * rng.normal(size=n),
                          index=pd.date_range("2020-01-01", periods=n, freq="h"))
             for j, c in enumerate(["a", "b"])}
    test_rows = pd.DataFrame({c: np.sin(2 * np.pi * (n + np.arange(200) + j) / 24)
                              for j, c in enumerate(panel)},
                             index=pd.date_range(panel["a"].index[-1], periods=201,
                                                 freq="h")[1:])
    a = ett.build_parser().parse_args(["--horizon", "96", "--lookback", "48"])
    a.horizon = h
    test, vals, seconds = ett.fit_ridge(a, panel, test_rows, val)
    assert test.shape == (200 - h + 1, h, 2)
    assert vals.shape == (val - h + 1, h, 2)
    assert seconds >= 0
    # changing the validation rows leaves the first validation window (inputs in the train
    # rows) unchanged: nothing of the validation rows went into the ridge's weights
    changed = {c: s.where(np.arange(n) < n - val, s + 5.0) for c, s in panel.items()}
    _, vals2, _ = ett.fit_ridge(a, changed, test_rows, val)
    np.testing.assert_allclose(vals2[0], vals[0])
    assert not np.allclose(vals2[-1], vals[-1])


def test_ett_ridge_channels_shared_individual_and_their_mean(capsys):
    ett = _script("ett")
    rng = np.random.default_rng(4)
    n, val, h = 600, 120, 24
    t = np.arange(n)
    index = pd.date_range("2020-01-01", periods=n, freq="h")
    # two variables with different dynamics: one shared map cannot fit both exactly
    panel = {"a": pd.Series(np.sin(2 * np.pi * t / 24) + 0.1 * rng.normal(size=n), index),
             "b": pd.Series(np.cumsum(rng.normal(size=n)) * 0.2, index)}
    test_rows = pd.DataFrame({c: rng.normal(size=200) for c in panel},
                             index=pd.date_range(index[-1], periods=201, freq="h")[1:])

    def ridge(mode, columns=("a", "b")):
        a = ett.build_parser().parse_args(["--lookback", "48", "--ridge-channels", mode])
        a.horizon = h
        test, vals, _ = ett.fit_ridge(a, {c: panel[c] for c in columns},
                                      test_rows[list(columns)], val)
        return test, vals

    shared, individual, both = ridge("shared"), ridge("individual"), ridge("both")
    # individual: each variable's forecasts are those of a ridge fitted on it alone
    for j, c in enumerate(panel):
        alone = ridge("shared", (c,))
        for k in (0, 1):
            np.testing.assert_allclose(individual[k][:, :, j], alone[k][:, :, 0])
    assert not np.allclose(individual[0], shared[0])
    # both: the equal-weight mean of the two
    for k in (0, 1):
        np.testing.assert_allclose(both[k], (shared[k] + individual[k]) / 2)
    assert ett.build_parser().parse_args([]).ridge_channels == "both"  # adopted
    with pytest.raises(SystemExit):
        ett.build_parser().parse_args(["--ridge-channels", "all"])
    assert "invalid choice: 'all'" in capsys.readouterr().err


def test_ett_cycle_is_one_day_or_week_of_the_files_steps():
    ett = _script("ett")
    hourly = pd.date_range("2020-01-01", periods=10, freq="h")
    quarter = pd.date_range("2020-01-01", periods=10, freq="15min")
    assert ett.cycle_steps("day", hourly) == 24
    assert ett.cycle_steps("day", quarter) == 96
    assert ett.cycle_steps("week", hourly) == 168
    assert ett.cycle_steps("none", hourly) is None


def test_ett_validation_forecasts_match_the_forecasters_own_with_a_cycle():
    import copy

    from sklearn.linear_model import Ridge

    from forecast.forecasters import NeuralForecaster

    ett = _script("ett")
    rng = np.random.default_rng(0)
    t = np.arange(300)
    panel = {c: pd.Series(np.sin(2 * np.pi * (t + j) / 24) + 0.3 * rng.normal(size=300))
             for j, c in enumerate(["a", "b"])}
    val, h = 40, 8
    f = NeuralForecaster(Ridge(), window=24, horizon=h, scaler="last", validation_steps=val,
                         cycle_length=24).fit(panel)
    got = ett.validation_forecasts(f, panel, val)
    assert got.shape == (val - h + 1, h, 2)
    for j in (0, 7, val - h):
        g = copy.deepcopy(f)  # the same weights with each series cut before window j's targets
        for c in panel:
            s = g._series[c]
            s.values, s.index = s.values[: 300 - val + j], s.index[: 300 - val + j]
        pred = g.predict()
        for i, c in enumerate(panel):
            np.testing.assert_allclose(got[j, :, i], pred[c].to_numpy(), atol=1e-10)


def test_ett_full_batches_and_highway_flag():
    ett = _script("ett")
    assert [ett.first_full_batches(2881 - h) for h in (96, 192, 336, 720)] == [
        2560, 2560, 2304, 2048]
    assert ett.first_full_batches(255) == 0
    assert ett.build_parser().parse_args([]).highway is False
    assert ett.build_parser().parse_args(["--highway"]).highway is True


def test_skforecast_script_renders_its_stored_results(tmp_path):
    # the script's imports from m4.py and the library, and its table, without measuring
    results = BENCH / "results" / "skforecast_m4_hourly.json"
    md = tmp_path / "BENCHMARKS.md"
    assert _script("skforecast_compare").main(
        ["--render-only", "--out", str(results), "--markdown", str(md)]) == 0
    text = md.read_text()
    assert "skforecast `ForecasterRnn` vs `NeuralForecaster`: M4 Hourly" in text
    assert "Ratios: skforecast time / our time" in text

