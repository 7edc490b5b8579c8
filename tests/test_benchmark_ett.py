"""The ETT benchmark script (``pipelines/benchmarks/ett.py``) on small generated files.

Its own file, beside the M4 script's tests; the helpers that load a script come from
``test_benchmark_scripts``.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from test_benchmark_scripts import BENCH, _script

# tiny networks in few steps: the scripts' logic is under test here, not the table's
# settings (batches of 1024 take a generated file's epoch in about 60 steps, not 460)
_TINY = ("--units", "8", "--batch-size", "1024")


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
    assert d.jobs == 0  # one worker process per core


def test_ett_script_names_each_rows_schedule():
    ett = _script("ett")
    assert ett._schedule({"learning_rate": 1e-3, "lr_schedule": "cosine", "epochs": 15}) == (
        "cosine from 0.001 over 15 epochs")
    assert ett._schedule({"learning_rate": 1e-3, "lr_schedule": "decay", "lr_decay": 0.9}) == (
        "0.001, x0.9/epoch")
    # rows stored before --lr-schedule existed carry only lr_decay
    assert ett._schedule({"learning_rate": 3e-4, "lr_decay": 1}) == "0.0003 constant"


def _run_on_etth9(ett, tmp_path, *extra):
    """``ett.py`` with one seed per cell on a generated file named like no published one."""
    data = _ett_file(tmp_path, "ETTh9", seed=1, phase=3, trend=0.001, noise=0.1,
                     start="2020-01-01")
    out = tmp_path / "ett.json"
    rc = ett.main(["--data", str(data), "--horizon", "96", *_TINY, "--epochs", "1",
                   "--ensemble", "1", "--jobs", "1", "--out", str(out), *extra])
    assert rc == 0
    return json.loads(out.read_text())


def _check_scores(ett, payload, rnn):
    """What every run's JSON holds, whatever its flags (the issue's schema and more)."""
    assert payload["dataset"] == "ETTh9"
    assert payload["settings"]["decoder"] == "shared_segments"  # the table's setting
    r = payload["models"][payload["headline"]]
    assert r["test_windows"] == 2880 - 96 + 1
    # a sine with noise 0.1 is far easier than ETT: a trained model beats predicting 0
    assert 0 < r["mse"] < 1.0
    assert np.isfinite([r["mae"], r["validation_mse"], r["seconds"]]).all()
    assert payload["published_segrnn"] == {"mse": None, "mae": None}
    assert payload["below_segrnn"] is None
    # the first 10 full batches of 256 of the 2785 windows, scored like the reference
    dl = r["drop_last"]
    assert (dl["batch"], dl["windows"]) == (256, 2560)
    assert 0 < dl["mse"] < 1.0
    assert dl["mse"] != r["mse"]
    assert "full test batches only" in ett.render({"96": payload})
    # the forecast mixes the recurrent ensemble and the ridge, both scored
    assert (payload["recurrent"], payload["headline"]) == (rnn, rnn + "+ridge")
    ridge = payload["models"]["ridge-nlinear"]
    assert 0 < ridge["mse"] < 1.0
    for name, scores in payload["models"].items():  # the schema, every model
        assert {"mse", "mae", "seconds"} <= set(scores), name
    assert payload["models"][rnn]["seconds"] == pytest.approx(
        r["fit_seconds"] + r["predict_seconds"], abs=0.11)
    assert np.isfinite(ridge["validation_mse"])
    by_weight = payload["validation_mse_by_ridge_weight"]
    assert by_weight["0.0"] == pytest.approx(payload["models"][rnn]["validation_mse"])
    assert by_weight["0.5"] == pytest.approx(r["validation_mse"])
    assert by_weight["1.0"] == pytest.approx(ridge["validation_mse"])


def test_ett_script_default_run_averages_gru_and_lstm_and_mixes_in_the_ridge(
        tmp_path, monkeypatch):
    # one run of the default settings checks the JSON, the cells' average and the mix
    ett = _script("ett")
    fitted, fit_member = [], ett.fit_member

    def recorded(*args):
        result = fit_member(*args)
        fitted.append(result[0])
        return result

    monkeypatch.setattr(ett, "fit_member", recorded)  # --jobs 1: fitted in this process
    npz = tmp_path / "f.npz"
    payload = _run_on_etth9(ett, tmp_path, "--save-forecasts", str(npz))
    rnn = "segrnn-style-gru+lstm"
    _check_scores(ett, payload, rnn)
    assert payload["settings"]["series_features"] is None
    assert payload["settings"]["cycle"] == "none"
    assert payload["settings"]["cells"] == "gru,lstm"
    assert [(m["cell"], m["seed"]) for m in payload["members"]] == [("gru", 0), ("lstm", 0)]
    # the recurrent forecast is the equal-weight mean of the two networks' forecasts
    assert len(fitted) == 2
    assert not np.allclose(fitted[0], fitted[1])
    f = np.load(npz)
    assert f["rnn_test"].shape == f["ridge_test"].shape == f["test_truth"].shape == (
        2880 - 96 + 1, 96, 7)
    np.testing.assert_allclose(f["rnn_test"], np.mean(fitted, axis=0), rtol=1e-12)
    # the headline is 0.5 recurrent + 0.5 ridge; each part is scored on its own
    got = payload["models"][rnn + "+ridge"]
    mix = 0.5 * f["rnn_test"] + 0.5 * f["ridge_test"]
    assert got["mse"] == pytest.approx(np.mean((mix - f["test_truth"]) ** 2))
    assert payload["models"][rnn]["mse"] == pytest.approx(
        np.mean((f["rnn_test"] - f["test_truth"]) ** 2))
    assert payload["models"]["ridge-nlinear"]["mse"] == pytest.approx(
        np.mean((f["ridge_test"] - f["test_truth"]) ** 2))
    for w in (0.3, 0.5):  # every mix's validation MSE is recorded
        mix_val = (1 - w) * f["rnn_val"] + w * f["ridge_val"]
        assert payload["validation_mse_by_ridge_weight"][f"{w:.1f}"] == pytest.approx(
            np.mean((mix_val - f["val_truth"]) ** 2))
    assert got["validation_mse"] == pytest.approx(
        payload["validation_mse_by_ridge_weight"]["0.5"])
    table = ett.render({"96": payload})
    assert "| 96 | 0.5 GRU+LSTM + 0.5 ridge |" in table
    assert "SegRNN-style GRU+LSTM ensemble + NLinear ridge (mean of shared and " \
           "per-variable maps)" in table
    payload["settings"]["ridge_weight"] = 0.3  # the label follows the weight
    assert "| 96 | 0.7 GRU+LSTM + 0.3 ridge |" in ett.render({"96": payload})


# the flags' variants fit GRU networks only, to keep the test short; they are screening
# options, not the defaults, so they run with `pytest -m slow` (the library's options they
# set have tests of their own)
@pytest.mark.slow
@pytest.mark.parametrize("extra", [["--series-features", "embedding"], ["--cycle", "day"]])
def test_ett_script_flag_variants_run_on_another_file(tmp_path, extra):
    ett = _script("ett")
    payload = _run_on_etth9(ett, tmp_path, *extra, "--cells", "gru")
    _check_scores(ett, payload, "segrnn-style-gru")
    assert payload["settings"]["series_features"] == (
        extra[1] if extra[0] == "--series-features" else None)
    assert payload["settings"]["cycle"] == (extra[1] if extra[0] == "--cycle" else "none")
    assert [m["cell"] for m in payload["members"]] == ["gru"]


def _ett_file(tmp_path, name: str = "ETTh8", *, seed: int = 2, phase: int = 5,
              trend: float = 0.0, noise: float = 0.2, start: str = "2021-01-01",
              per_hour: int = 1):
    """A generated file in the ETT format (date + the 7 variables) with the standard
    splits' rows, nothing more: daily sines shifted by ``phase`` steps per variable,
    variable ``j`` with a trend of ``trend * j`` per step, Gaussian noise; hourly, or
    ``per_hour`` rows per hour (4: the 15-minute ETTm files)."""
    rng = np.random.default_rng(seed)
    rows = (8640 + 2880 + 2880) * per_hour
    t = np.arange(rows)
    columns = ["HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"]
    frame = pd.DataFrame({
        c: np.sin(2 * np.pi * (t + phase * j) / (24 * per_hour)) + trend * j * t
        + noise * rng.normal(size=rows) for j, c in enumerate(columns)})
    frame.insert(0, "date", pd.date_range(start, periods=rows, freq=f"{60 // per_hour}min")
                 .strftime("%Y-%m-%d %H:%M:%S"))
    data = tmp_path / f"{name}.csv"
    frame.to_csv(data, index=False)
    return data


def test_ett_script_runs_a_15_minute_file(tmp_path):
    out = tmp_path / "ett.json"
    data = _ett_file(tmp_path, "ETTm2", per_hour=4)  # named like a file SegRNN published on
    assert _script("ett").main(["--data", str(data), "--horizon", "96", *_TINY,
                                "--epochs", "1", "--ensemble", "1", "--cells", "gru",
                                "--out", str(out)]) == 0
    payload = json.loads(out.read_text())
    r = payload["models"][payload["headline"]]
    assert r["test_windows"] == 4 * 2880 - 96 + 1  # the splits are 4 times as long
    assert 0 < r["mse"] < 1.0
    # the linear reference recovers the 96-step daily sine: its error is about the
    # noise's, 0.2 ** 2 / (0.5 + 0.2 ** 2) = 0.074 in standard units
    assert 0.07 < payload["models"]["ridge-nlinear"]["mse"] < 0.08
    assert payload["published_segrnn"] == {"mse": 0.173, "mae": 0.255}  # ETTm2, h = 96
    assert payload["below_segrnn"] == {"mse": r["mse"] < 0.173, "mae": r["mae"] < 0.255}
    assert "| 0.173 / 0.255 |" in _script("ett").render({"96": payload})


# the default run above checks the 0.5 mix from its saved forecasts; these two weights
# run the flag end to end with `pytest -m slow`
@pytest.mark.slow
@pytest.mark.parametrize(("w", "headline", "label"), [
    (0.3, "segrnn-style-gru+ridge", "0.7 GRU + 0.3 ridge"),
    (0.0, "segrnn-style-gru", "GRU"),
])
def test_ett_ridge_weight_mixes_the_saved_forecasts(tmp_path, w, headline, label):
    ett = _script("ett")
    out, npz = tmp_path / "ett.json", tmp_path / "f.npz"
    rc = ett.main(["--data", str(_ett_file(tmp_path)), "--horizon", "96", *_TINY,
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


@pytest.mark.parametrize("cells", ["", "gru,gru", "rnn", "gru,transformer"])
def test_ett_bad_cells_are_a_usage_error(cells, capsys):
    with pytest.raises(SystemExit):
        _script("ett").main(["--cells", cells])
    assert f"--cells must be a comma list of distinct cells among gru, lstm. Received: " \
           f"{cells!r}" in capsys.readouterr().err


# slow (about 60 s, the suite's longest): the worker pool it goes through
# (_nf_common.network_pool) is checked in CI by m4.py's two-process test; this one adds
# ett.py's own member function and runs with `pytest -m slow`
@pytest.mark.slow
def test_ett_networks_in_two_processes_match_one(tmp_path, monkeypatch):
    # spawned workers must import the script, as they do when it runs as a script
    monkeypatch.syspath_prepend(str(BENCH))
    import ett

    data = _ett_file(tmp_path)
    forecasts = []
    for jobs in ("2", "1"):
        npz = tmp_path / f"f{jobs}.npz"
        assert ett.main(["--data", str(data), "--horizon", "96", *_TINY, "--epochs",
                         "1", "--ensemble", "2", "--cells", "gru", "--jobs", jobs,
                         "--save-forecasts", str(npz)]) == 0
        forecasts.append(np.load(npz))
    # the same up to float32 rounding: bitwise on the Intel Xeon of the tables, within
    # 2e-7 on an AMD EPYC (one TensorFlow thread per worker against two in one process)
    for key in ("rnn_test", "rnn_val"):
        assert forecasts[0][key].std() > 0.01
        np.testing.assert_allclose(forecasts[0][key], forecasts[1][key], rtol=1e-5, atol=1e-6)


def test_ett_negative_jobs_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        _script("ett").main(["--jobs", "-1"])
    assert exc.value.code == 2
    assert "--jobs must be >= 0. Received: --jobs -1" in capsys.readouterr().err


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


def test_ett_full_batches_and_highway_flag():
    ett = _script("ett")
    assert [ett.first_full_batches(2881 - h) for h in (96, 192, 336, 720)] == [
        2560, 2560, 2304, 2048]
    assert ett.first_full_batches(255) == 0
    assert ett.build_parser().parse_args([]).highway is False
    assert ett.build_parser().parse_args(["--highway"]).highway is True


def test_ett_script_rejects_a_file_shorter_than_the_standard_splits(tmp_path, capsys):
    ett = _script("ett")
    full = _ett_file(tmp_path)
    short = tmp_path / "ETTh9.csv"
    pd.read_csv(full).iloc[:13000].to_csv(short, index=False)
    with pytest.raises(SystemExit) as exc:
        ett.main(["--data", str(short), "--horizon", "96", *_TINY, "--epochs", "1",
                  "--out", str(tmp_path / "e.json")])
    assert exc.value.code == 2
    assert "has 13000 rows; the standard ETT splits need 14400" in capsys.readouterr().err


def test_a_file_named_like_etth_with_15_minute_steps_gets_no_reference(capsys):
    ett = _script("ett")
    assert ett.segrnn_reference("ETTh2", per_hour=1)[96] == (0.278, 0.335)
    assert ett.segrnn_reference("ETTh2", per_hour=4) == {}
    assert ("ETTh2 is named like hourly ETT data, but it has 4 step(s) per hour: no SegRNN "
            "reference is used") in capsys.readouterr().err
    assert ett.segrnn_reference("station", per_hour=4) == {}
