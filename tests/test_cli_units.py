"""Unit tests of the CLI helpers: model registry, target selection, tables, pipeline configs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecast.cli._console import CLIError, one_line
from forecast.cli._data import season_length_for, select_features, select_target
from forecast.cli._registry import BASELINES, MODELS, NEURAL, auto_window, build_model, parse_models
from forecast.cli._report import format_table, markdown_table
from forecast.cli._run import load_config, resolve_path


def test_registry_names():
    assert set(MODELS) == {"lstm", "gru", "rnn", "naive", "snaive", "drift", "mean", "naive2",
                           "ses", "holt", "damped", "theta", "ets", "arima"}
    assert set(NEURAL) | set(BASELINES) == set(MODELS)


def test_parse_models():
    assert parse_models("LSTM, naive,lstm") == ["lstm", "naive"]
    assert parse_models("baselines") == list(BASELINES)
    assert parse_models(["gru", "all"])[0] == "gru"
    assert len(parse_models("all")) == len(MODELS)


@pytest.mark.parametrize(("spec", "match"), [("prophet", "unknown model 'prophet'"),
                                             (" , ", "empty")])
def test_parse_models_errors(spec, match):
    with pytest.raises(CLIError, match=match):
        parse_models(spec)


@pytest.mark.parametrize("key", BASELINES)
def test_every_baseline_builds_with_season_length(key):
    display, model = build_model(key, horizon=6, season_length=12)
    assert display == MODELS[key][0]
    if "season_length" in model.get_params():
        # "naive" is M4's Naive1, the random walk on the raw series (else it were Naive2)
        assert model.get_params()["season_length"] == (1 if key == "naive" else 12)


def test_naive_is_not_naive2_on_a_seasonal_series():
    t = np.arange(120)
    y = pd.Series(10 + 3 * np.sin(2 * np.pi * t / 12),
                  index=pd.date_range("2010-01-01", periods=120, freq="MS"))
    naive = build_model("naive", horizon=12, season_length=12)[1].fit(y).predict(12)
    naive2 = build_model("naive2", horizon=12, season_length=12)[1].fit(y).predict(12)
    assert np.allclose(naive.to_numpy(), y.iloc[-1])  # flat: the last value repeated
    assert naive2.std() > 1.0  # reseasonalised


def test_neural_model_builds_without_tensorflow_import_side_effects():
    display, model = build_model("gru", horizon=6, season_length=12, n_obs=120)
    assert display == "GRU"
    assert model.horizon == 6
    assert model.window == auto_window(6, 12, 120)
    assert type(model.estimator).__name__ == "GRURegressor"


def test_auto_window():
    assert auto_window(12, 12) == 36
    assert auto_window(5, 1, n_obs=60) == 15
    assert auto_window(48, 24, n_obs=30) == 10


def test_season_length_for():
    assert season_length_for(pd.date_range("2000", periods=30, freq="MS")) == 12
    assert season_length_for(pd.date_range("2000", periods=30, freq="h")) == 24
    assert season_length_for(pd.RangeIndex(30)) == 1


@pytest.mark.parametrize(("freq", "season"), [
    ("15min", 96), ("30min", 48), ("10min", 144), ("min", 1440), ("2h", 12), ("3MS", 4),
    ("2D", 1), ("W-SUN", 52), ("B", 5), ("QE-DEC", 4),
])
def test_season_length_for_multiples_of_a_frequency(freq, season):
    # a multiple of the step divides the period (ETTm's 15-minute data: a day = 96)
    assert season_length_for(pd.date_range("2020", periods=10, freq=freq)) == season


def test_select_target_fills_business_day_gaps_and_keeps_input():
    dates = pd.bdate_range("2024-01-01", periods=30).delete([5, 12])
    frame = pd.DataFrame({"Close": np.arange(28.0) + 1, "Name": "x"}, index=dates)
    before = frame.copy()
    y = select_target(frame, "Close")
    assert y.index.freqstr == "B"
    assert len(y) == 30
    assert not y.isna().any()
    pd.testing.assert_frame_equal(frame, before)


def test_select_target_transforms():
    frame = pd.DataFrame({"p": [1.0, 2.0, 4.0, 8.0]},
                         index=pd.date_range("2024", periods=4, freq="D"))
    np.testing.assert_allclose(select_target(frame, "p", transform="returns"), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(select_target(frame, "p", transform="log-returns"),
                               np.log(2.0) * np.ones(3))


@pytest.mark.parametrize(("target", "transform", "match"), [
    ("nope", "none", "not found"),
    ("txt", "none", "not numeric"),
    ("neg", "log-returns", "positive values"),
    ("p", "diff", "--transform must be one of"),
])
def test_select_target_errors(target, transform, match):
    frame = pd.DataFrame({"p": [1.0, 2.0, 3.0], "txt": ["a", "b", "c"], "neg": [1.0, -1.0, 2.0]},
                         index=pd.date_range("2024", periods=3, freq="D"))
    with pytest.raises(CLIError, match=match):
        select_target(frame, target, transform=transform)


def test_select_features_aligned_and_transformed():
    idx = pd.date_range("2024", periods=5, freq="D")
    frame = pd.DataFrame({"Close": [1.0, 2, 3, 4, 5], "Volume": [10.0, 10, 10, 10, 10]}, index=idx)
    y = select_target(frame, "Close", transform="returns")
    X = select_features(frame, ["Close", "Volume"], y, transform="returns")
    assert X.index.equals(y.index)
    np.testing.assert_allclose(X["Volume"], np.log1p(10.0))
    with pytest.raises(CLIError, match="not found"):
        select_features(frame, ["Open"], y)


def test_tables():
    board = pd.DataFrame({"sMAPE": [1.23456, float("nan")]}, index=["Naive", "GRU"])
    text = format_table(board)
    assert "1.235" in text
    assert "-" in text.splitlines()[-1]
    assert markdown_table(board).splitlines()[1] == "|---|---:|"


def test_one_line():
    assert one_line("a\n  b\tc") == "a b c"
    assert len(one_line("x" * 1000)) == 400


def test_load_config_quick_merge_and_paths(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pipelines").mkdir()
    cfg = tmp_path / "pipelines" / "p.toml"
    cfg.write_text('[pipeline]\ntask = "forecast"\n[neural]\nepochs = 30\nunits = 16\n'
                   '[data]\npath = "../shared/data/x.csv"\n[quick]\nneural = { epochs = 1 }\n')
    full, quick = load_config(cfg), load_config(cfg, quick=True)
    assert full["pipeline"]["name"] == "p"
    assert full["neural"] == {"epochs": 30, "units": 16}
    assert quick["neural"] == {"epochs": 1, "units": 16}
    assert (full["_quick_overrides"], quick["_quick_overrides"]) == ([], ["neural.epochs=1"])
    assert Path(full["_root"]) == tmp_path
    with pytest.raises(CLIError, match="data not found"):
        resolve_path(full, full["data"]["path"])
    shared = tmp_path / "elsewhere"
    shared.mkdir()
    (shared / "x.csv").write_text("a")
    monkeypatch.setenv("FORECAST_SHARED_DATA", str(shared))
    assert resolve_path(full, full["data"]["path"]) == shared / "x.csv"


def test_cli_never_uses_a_shell():
    import forecast.cli

    for path in Path(forecast.cli.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("os.system", "shell=True", "subprocess", "os.popen", "eval(", "exec("):
            assert banned not in text, f"{path.name} uses {banned}"


def test_select_target_rejects_text_cells_and_says_what_it_trims(capsys):
    idx = pd.date_range("2024", periods=6, freq="D")
    frame = pd.DataFrame({"p": ["1", "2", "x", "4", "5", "6"]}, index=idx)
    with pytest.raises(CLIError, match=r"target column 'p' is not numeric: 'x' at 2024-01-03"):
        select_target(frame, "p")
    holes = pd.DataFrame({"p": [np.nan, 1.0, 2.0, 3.0, np.nan, np.nan]}, index=idx)
    assert len(select_target(holes, "p")) == 3
    assert "3 empty row(s) of 'p' at the start or end dropped" in capsys.readouterr().err
