"""skforecast's ``ForecasterRnn`` vs our ``NeuralForecaster`` on M4, side by side in one run.

Usage (from the repository root)::

    python pipelines/benchmarks/skforecast_compare.py --data-dir ../shared/data/m4 \
        --epochs 10 --skforecast-extra-epochs 100 --demo \
        --out pipelines/benchmarks/results/skforecast_m4_hourly.json --markdown BENCHMARKS.md

    # one skforecast model per series (the exact network shape of ours), every 32nd series
    python pipelines/benchmarks/skforecast_compare.py --data-dir ../shared/data/m4 \
        --every 32 --skforecast-mode local --epochs 10 --key skforecast-local \
        --out pipelines/benchmarks/results/skforecast_m4_hourly_local.json \
        --markdown BENCHMARKS.md

skforecast is NOT a dependency of ours: the script creates its own virtual environment
(``--venv``, default ``pipelines/outputs/venv-skforecast``, git-ignored) with
``python -m venv`` and ``pip install skforecast[deeplearning] tensorflow==X keras==Y``
(X, Y = the versions of the running interpreter, so both sides use the same TF/Keras),
and runs the skforecast side there as a subprocess (this file with ``--child``) that
reads the training series from an ``.npz`` file and writes its forecasts to another.
Our side runs in the current interpreter. The two sides run one after the other, never
at the same time.

Same for both sides: one recurrent layer of ``--units`` cells (``--cell``) followed by a
linear ``Dense(horizon)`` output (skforecast: ``create_and_compile_model(...,
dense_units=None)``, which then builds ``RNN -> Dense(steps * levels) -> Reshape``;
ours: ``LSTMRegressor(units=(units,))``), ``--lags`` past values as input, the same
``--epochs``, ``--batch-size``, Adam with ``--learning-rate``, fixed epochs (no early
stopping, no validation hold-out), seed ``--seed``. Each side uses its natural
preprocessing:

* skforecast (``--skforecast-mode multiseries``, default): ``ForecasterRnn`` with all
  series as the columns of one DataFrame and every series a level (its documented way of
  forecasting several series with one network): the input of one sample is the last
  ``lags`` values of ALL series, the output ``horizon`` steps of all series. Its
  default ``transformer_series`` (``MinMaxScaler`` per series) and MSE loss as in its
  docs. It needs series of equal length without NaN, so it gets the last
  ``min(len)`` training values of every series (700 for M4 Hourly; 245 of the 414
  series have 960). ``--skforecast-mode local``: one ``ForecasterRnn`` per series (the
  same network shape as ours: one input channel, ``Dense(horizon)``), full series.
* ours: one global ``NeuralForecaster`` over the whole panel (every window of every
  series is a sample), per-window log-level normalisation (``scaler="log"``),
  24-step segments (``segment_length=m``, so the recurrence runs over days), MAE
  loss on log-ratios with MASE weighting (the M4 settings of ``m4.py``), full series.

Accuracy: M4 sMAPE, MASE and OWA with our ``Naive2`` (``forecast.forecasters``) on the
same series as the OWA reference. Time: ``fit`` + ``predict`` wall seconds of each side
inside its process (interpreter start-up, imports and data loading excluded; the
skforecast process' total wall time is recorded too). ``--every N`` keeps every N-th
series (a deterministic subset used by both sides).

``--demo`` also runs small checks of skforecast behaviours in its environment (refit
continues the previous fit's weights; backtesting starts from the weights of the
forecaster passed in; the shared default optimizer of ``create_and_compile_model``)
and records what was observed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent
KEY = "skforecast"


# --------------------------------------------------------------------------- child side
# Runs inside the skforecast virtual environment: numpy, pandas, keras, skforecast only.


def _child_versions() -> dict:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for name in ("skforecast", "tensorflow", "keras", "numpy", "pandas", "scikit-learn"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def _child_model(df, lags, steps, levels, cfg):
    import contextlib
    import io

    import keras
    from skforecast.deep_learning.utils import create_and_compile_model

    with contextlib.redirect_stdout(io.StringIO()):  # it prints the backend versions
        return create_and_compile_model(
            series=df,
            lags=lags,
            steps=steps,
            levels=levels,
            recurrent_layer=cfg["cell"].upper(),
            recurrent_units=cfg["units"],
            dense_units=None,
            compile_kwargs={
                "optimizer": keras.optimizers.Adam(learning_rate=cfg["learning_rate"]),
                "loss": "mse",
            },
        )


def _child_forecaster(df, cfg):
    from skforecast.deep_learning import ForecasterRnn

    levels = list(df.columns)
    model = _child_model(df, cfg["lags"], cfg["horizon"], levels, cfg)
    fit_kwargs = {"epochs": cfg["epochs"], "batch_size": cfg["batch_size"], "verbose": 0}
    return ForecasterRnn(estimator=model, levels=levels, lags=cfg["lags"], fit_kwargs=fit_kwargs)


def _child_predict(forecaster, levels, horizon) -> np.ndarray:
    pred = forecaster.predict(steps=horizon)  # long format: columns level, pred
    return np.stack([pred.loc[pred["level"] == lv, "pred"].to_numpy() for lv in levels])


def child_run(inp: Path, out: Path) -> None:
    """skforecast side: read series + config, fit, predict, write forecasts + timings."""
    t_start = time.perf_counter()
    import keras

    data = np.load(inp, allow_pickle=False)
    cfg = json.loads(str(data["config"]))
    series = [data[f"s{i}"] for i in range(int(data["n"]))]
    names = [f"s{i}" for i in range(len(series))]
    h = cfg["horizon"]
    fit_s = pred_s = cpu_s = 0.0
    losses: list = []
    if cfg["mode"] == "multiseries":
        n = min(len(s) for s in series)
        df = pd.DataFrame({k: s[-n:] for k, s in zip(names, series, strict=True)})
        keras.utils.set_random_seed(cfg["seed"])
        f = _child_forecaster(df, cfg)
        t0, c0 = time.perf_counter(), time.process_time()
        f.fit(series=df)
        t1 = time.perf_counter()
        fc = _child_predict(f, names, h)
        cpu_s = time.process_time() - c0
        fit_s, pred_s = t1 - t0, time.perf_counter() - t1
        losses = [float(v) for v in f.history_["loss"]]
        info = {"common_length": n, "train_samples": n - cfg["lags"] - h + 1}
    else:  # one forecaster per series
        fc = np.empty((len(series), h))
        for i, (k, s) in enumerate(zip(names, series, strict=True)):
            df = pd.DataFrame({k: s})
            keras.backend.clear_session()
            keras.utils.set_random_seed(cfg["seed"])
            f = _child_forecaster(df, cfg)
            t0, c0 = time.perf_counter(), time.process_time()
            f.fit(series=df)
            t1 = time.perf_counter()
            fc[i] = _child_predict(f, [k], h)[0]
            cpu_s += time.process_time() - c0
            fit_s += t1 - t0
            pred_s += time.perf_counter() - t1
            losses.append(float(f.history_["loss"][-1]))
        info = {"train_samples": int(sum(len(s) - cfg["lags"] - h + 1 for s in series))}
    np.savez(out, forecasts=fc)
    meta = {
        "fit_seconds": fit_s,
        "predict_seconds": pred_s,
        "cpu_seconds": cpu_s,
        "process_seconds": time.perf_counter() - t_start,
        "final_loss": losses[-1],
        "loss_history": losses if cfg["mode"] == "multiseries" else None,
        "versions": _child_versions(),
        "backend": keras.backend.backend(),
        **info,
    }
    out.with_suffix(".json").write_text(json.dumps(meta))


def child_demo(inp: Path, out: Path) -> None:
    """Small checks of skforecast behaviours (refit, backtesting, default optimizer)."""
    import contextlib
    import io

    import keras
    from skforecast.deep_learning import ForecasterRnn
    from skforecast.deep_learning.utils import create_and_compile_model
    from skforecast.model_selection import TimeSeriesFold, backtesting_forecaster_multiseries

    data = np.load(inp, allow_pickle=False)
    cfg = json.loads(str(data["config"]))
    k, h, lags, epochs = 4, 24, 48, 5
    series = [data[f"s{i}"] for i in range(k)]
    n = min(len(s) for s in series)
    df = pd.DataFrame({f"s{i}": s[-n:] for i, s in enumerate(series)})
    small = {**cfg, "units": 16, "lags": lags, "horizon": h, "epochs": epochs, "batch_size": 32}
    res: dict = {"setup": f"{k} series x {n} values, LSTM(16), lags={lags}, steps={h}, "
                          f"{epochs} epochs, batch 32"}

    # 1. fit twice on the same data: does the second fit start from fresh weights?
    keras.utils.set_random_seed(0)
    f = _child_forecaster(df, small)
    w0 = [w.copy() for w in f.estimator.get_weights()]
    f.fit(series=df)
    first = [float(v) for v in f.history_["loss"]]
    w1 = [w.copy() for w in f.estimator.get_weights()]
    f.fit(series=df)
    second = [float(v) for v in f.history_["loss"]]
    res["refit"] = {
        "first_fit_loss": first,
        "second_fit_loss": second,
        "weights_changed_by_first_fit": bool(
            any(not np.array_equal(a, b) for a, b in zip(w0, w1, strict=True))
        ),
        "continues_previous_weights": bool(second[0] < 0.5 * first[0]),
    }

    # 2. backtesting (refit every fold): a forecaster already fitted on ALL the data
    #    (test folds included) vs an identical unfitted one, same seed, same folds.
    cv = TimeSeriesFold(steps=h, initial_train_size=n - 3 * h, refit=True)
    scores = {}
    for label in ("unfitted", "prefitted_on_all_data"):
        keras.utils.set_random_seed(0)
        f = _child_forecaster(df, small)
        if label != "unfitted":
            f.fit(series=df)
        keras.utils.set_random_seed(1)
        metric, _ = backtesting_forecaster_multiseries(
            forecaster=f, series=df, cv=cv, metric="mean_absolute_error", verbose=False,
            show_progress=False,
        )
        scores[label] = float(metric["mean_absolute_error"].mean())
    res["backtesting_mae"] = scores

    # 3. create_and_compile_model's default compile_kwargs hold ONE Adam() instance created
    #    at import time: two models built with the defaults share it.
    with contextlib.redirect_stdout(io.StringIO()):
        m1 = create_and_compile_model(series=df, lags=lags, steps=h, recurrent_units=8)
        m2 = create_and_compile_model(series=df, lags=lags, steps=h, recurrent_units=8)
    shared = m1.optimizer is m2.optimizer
    second_model = "not run"
    if shared:
        f1 = ForecasterRnn(m1, levels=list(df), lags=lags, fit_kwargs={"epochs": 1, "verbose": 0})
        f2 = ForecasterRnn(m2, levels=list(df), lags=lags, fit_kwargs={"epochs": 1, "verbose": 0})
        f1.fit(series=df)
        try:
            f2.fit(series=df)
            second_model = "trained"
        except Exception as exc:  # noqa: BLE001 - recorded, not hidden
            second_model = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    res["default_optimizer"] = {"shared_between_models": bool(shared),
                                "fitting_a_second_default_model": second_model}
    res["versions"] = _child_versions()
    out.write_text(json.dumps(res, indent=2))


# -------------------------------------------------------------------------- parent side


def ensure_venv(venv: Path) -> dict:
    """Create ``venv`` with skforecast + our TensorFlow/Keras versions unless it works."""
    from importlib import metadata

    py = venv / "bin" / "python"
    probe = [str(py), "-c", "import tensorflow; from skforecast.deep_learning import ForecasterRnn"]
    t0 = time.perf_counter()
    created = False
    if not (py.exists() and subprocess.run(probe, capture_output=True).returncode == 0):
        tf = next(
            (f"{n}=={metadata.version(n)}" for n in ("tensorflow", "tensorflow-cpu")
             if _has_dist(n)),
            "tensorflow",
        )
        pkgs = ["skforecast[deeplearning]", tf, f"keras=={metadata.version('keras')}"]
        print(f"creating {venv} and installing {' '.join(pkgs)} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *pkgs], check=True)
        subprocess.run(probe, check=True)
        created = True
    return {"path": str(venv), "created": created, "seconds": time.perf_counter() - t0}


def _has_dist(name: str) -> bool:
    from importlib import metadata

    try:
        metadata.version(name)
        return True
    except metadata.PackageNotFoundError:
        return False


def run_ours(train: dict, h: int, m: int, cfg: dict) -> tuple[dict, dict]:
    from forecast.estimators import GRURegressor, LSTMRegressor
    from forecast.forecasters import NeuralForecaster

    seg = m if m > 1 and cfg["lags"] % m == 0 else None
    est = (LSTMRegressor if cfg["cell"] == "lstm" else GRURegressor)(
        units=(cfg["units"],), segment_length=seg, loss="mae", epochs=cfg["epochs"],
        batch_size=cfg["batch_size"], learning_rate=cfg["learning_rate"],
    )
    f = NeuralForecaster(est, window=cfg["lags"], horizon=h, scaler="log", season_length=m,
                         weighting="mase", validation=False, pad=True,
                         stride=cfg.get("stride", 1), random_state=cfg["seed"])
    t0, c0 = time.perf_counter(), time.process_time()
    f.fit(train)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    fc = f.predict()
    pred_s = time.perf_counter() - t0
    cpu_s = time.process_time() - c0
    info = {"fit_seconds": fit_s, "predict_seconds": pred_s, "cpu_seconds": cpu_s,
            "train_samples": int(f.n_train_windows_), "segment_length": seg,
            "final_loss": float(f.history_["loss"][-1]),
            "loss_history": [float(v) for v in f.history_["loss"]]}
    return {k: v.to_numpy() for k, v in fc.items()}, info


def write_input(path: Path, train: dict, cfg: dict) -> list:
    keys = list(train)
    arrays = {f"s{i}": train[k].to_numpy(dtype="float64") for i, k in enumerate(keys)}
    np.savez(path, n=len(keys), config=json.dumps(cfg), **arrays)
    return keys


def run_skforecast(py: Path, train: dict, cfg: dict, workdir: Path) -> tuple[dict, dict]:
    inp, out = workdir / "skf_input.npz", workdir / "skf_forecasts.npz"
    keys = write_input(inp, train, cfg)
    t0 = time.perf_counter()
    proc = subprocess.run([str(py), __file__, "--child", str(inp), str(out)],
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise RuntimeError(f"skforecast child failed:\n{proc.stderr[-3000:]}")
    fc = np.load(out)["forecasts"]
    meta = json.loads(out.with_suffix(".json").read_text())
    meta["subprocess_wall_seconds"] = wall
    return {k: fc[i] for i, k in enumerate(keys)}, meta


def run_demo(py: Path, train: dict, cfg: dict, workdir: Path) -> dict:
    inp, out = workdir / "skf_demo_input.npz", workdir / "skf_demo.json"
    write_input(inp, dict(list(train.items())[:4]), cfg)
    proc = subprocess.run([str(py), __file__, "--child-demo", str(inp), str(out)],
                          capture_output=True, text=True)
    if proc.returncode:
        return {"error": proc.stderr[-2000:]}
    return json.loads(out.read_text())


def markdown(r: dict) -> str:
    c, ours, skf = r["settings"], r["models"]["ours"], r["models"]["skforecast"]
    nv = r["models"]["naive2"]
    rows = [
        "| model | sMAPE | MASE | OWA | fit s | predict s | fit + predict s | CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    stride = c.get("stride", 1)
    every_nth = f", every {stride}th window" if stride > 1 else ""
    labels = [("ours", f"forecast `NeuralForecaster`, {c['epochs']} epochs{every_nth}"),
              ("skforecast", f"skforecast `ForecasterRnn` ({c['skforecast_mode']}), "
                             f"{c['epochs']} epochs")]
    if "skforecast_extra" in r["models"]:
        labels.append(("skforecast_extra", f"skforecast `ForecasterRnn` "
                       f"({c['skforecast_mode']}), {r['models']['skforecast_extra']['epochs']}"
                       " epochs (extra row, not same-epochs)"))
    for name, label in (*labels, ("naive2", "Naive2 (OWA reference)")):
        x = r["models"][name]
        rows.append(f"| {label} | {x['smape']:.3f} | {x['mase']:.3f} | {x['owa']:.3f} "
                    f"| {_num(x.get('fit_seconds'))} | {_num(x.get('predict_seconds'), 2)} "
                    f"| {x['seconds']:.1f} | {_num(x.get('cpu_seconds'))} |")
    rt = r["ratios"]
    nth = {1: "st", 2: "nd", 3: "rd"}.get(c["every"] % 10 * (c["every"] % 100 // 10 != 1), "th")
    sub = (f"every {c['every']}{nth} series ({r['n_series']} of {r['n_series_total']}), "
           "the same subset for both sides" if c["every"] > 1
           else f"all {r['n_series']} series")
    v, sv = r["versions"], skf["versions"]
    mode = c["skforecast_mode"]
    skf_data = (f"the last {skf['common_length']} training values of every series as the "
                f"columns of one DataFrame (equal lengths without NaN are required), every "
                f"series a level: one sample = the last {c['lags']} values of all "
                f"{r['n_series']} series, {skf['train_samples']} samples"
                if mode == "multiseries" else
                f"one forecaster per series on its full training series, "
                f"{skf['train_samples']} samples in all")
    lines = [
        f"## skforecast `ForecasterRnn` vs `NeuralForecaster`: M4 {r['frequency']} "
        f"(h={r['horizon']}, m={r['season_length']}), skforecast "
        + ("multi-series (one network, all series as input channels)" if mode == "multiseries"
           else "local (one network per series)"),
        "",
        f"Series: {sub}. Same network size for both: one {c['cell'].upper()}({c['units']}) "
        f"-> linear Dense output of the {r['horizon']} steps, {c['lags']} past values as "
        f"input, {c['epochs']} epoch(s) (fixed, no early stopping), batch {c['batch_size']}, "
        f"Adam lr {c['learning_rate']}, seed {c['seed']}; the two sides run one after the "
        "other in one invocation.",
        "",
        *rows,
        "",
        f"Ratios: skforecast time / our time = **{rt['time_skforecast_over_ours']:.2f}** "
        f"(fit + predict wall)"
        + (f", CPU seconds {rt['cpu_skforecast_over_ours']:.2f}" if "cpu_skforecast_over_ours"
           in rt else "")
        + f"; our OWA / skforecast OWA = **{rt['owa_ours_over_skforecast']:.3f}**"
        f" (sMAPE {rt['smape_ours_over_skforecast']:.3f}, MASE "
        f"{rt['mase_ours_over_skforecast']:.3f}). Goal (faster and more accurate): "
        f"{'met' if rt['time_skforecast_over_ours'] > 1 and rt['owa_ours_over_skforecast'] < 1 else 'NOT met'}"  # noqa: E501
        "."
        + (f" Extra row: skforecast time / our time "
           f"{rt['time_skforecast_extra_over_ours']:.2f}"
           + (f" (CPU {rt['cpu_skforecast_extra_over_ours']:.2f})"
              if "cpu_skforecast_extra_over_ours" in rt else "")
           + f", our OWA / its OWA {rt['owa_ours_over_skforecast_extra']:.3f}."
           if "time_skforecast_extra_over_ours" in rt else "")
        + (f" Gradient steps per epoch: skforecast {-(-skf['train_samples'] // c['batch_size'])},"
           f" ours {-(-ours['train_samples'] // c['batch_size'])}: at equal epochs the time "
           "ratio mostly reflects how many training samples each design makes of the same data."
           if mode == "multiseries" else
           " Both sides see the same number of training samples; what differs (not timed "
           f"separately): skforecast builds, traces and fits {r['n_series']} networks whose "
           f"LSTM runs over {c['lags']} steps, ours one network over "
           f"{c['lags'] // (ours['segment_length'] or 1)} segment steps."),
        "",
        f"Preprocessing, each side's natural one. skforecast: {skf_data}; its default "
        "`transformer_series` (MinMaxScaler per series), MSE loss, "
        f"`create_and_compile_model(..., dense_units=None)` ({skf['train_samples']} samples "
        f"x {c['epochs']} epochs). Ours: one global model over "
        + (f"every {stride}th window (counted back from the newest) " if stride > 1
           else "every window ")
        + f"of every full series ({ours['train_samples']} windows), per-window log-level "
        f"normalisation, {ours['segment_length']}-step segments, MAE on log-ratios "
        "weighted by the MASE scale (the `m4.py` settings). Naive2: `forecast.forecasters.Naive2` "
        f"({nv['seconds']:.1f} s). Times are wall seconds of fit and predict inside each "
        f"process; the skforecast subprocess took {skf['subprocess_wall_seconds']:.0f} s in "
        "all (interpreter, imports, data).",
        "",
        f"Machine: {r['machine']}; load average before the run "
        f"{', '.join(f'{x:.1f}' for x in r['load_average_before'])} (timings on this shared "
        f"machine are noisy, +-30% or worse). Ours: {v}. skforecast "
        f"environment (`{r['venv']['path']}`, created by the script): "
        + ", ".join(f"{k} {x}" for k, x in sv.items())
        + f". Date: {r['date']}. Command: `{r['command']}`.",
    ]
    d = r.get("demo")
    if d and "refit" in d:
        rf, bt, op = d["refit"], d["backtesting_mae"], d["default_optimizer"]
        lines += [
            "",
            f"skforecast behaviours checked in the same run ({d['setup']}):",
            f"- `fit` called twice on the same data: training loss per epoch "
            f"{_fmt(rf['first_fit_loss'])}, then {_fmt(rf['second_fit_loss'])}: the second "
            f"fit {'continues from the weights of the first' if rf['continues_previous_weights'] else 'starts afresh'}"  # noqa: E501
            " (`ForecasterRnn.fit` calls the Keras model's `fit` without re-initialising it).",
            f"- `backtesting_forecaster_multiseries` (refit every fold, 3 folds): MAE "
            f"{bt['unfitted']:.3f} with an unfitted forecaster vs "
            f"{bt['prefitted_on_all_data']:.3f} with the same forecaster (same seed) fitted "
            "beforehand on all the data: the backtest starts from the weights of the "
            "forecaster passed in (its Keras model is deep-copied with its weights, as "
            "skforecast's `deepcopy_forecaster` documents), so a forecaster fitted on data "
            "that includes the test folds is no longer evaluated out of sample; the folds "
            "refit one copy in turn, so each fold continues the previous fold's weights "
            "(the `fit` behaviour above; from reading the code, not measured per fold).",
            f"- `create_and_compile_model` with its default `compile_kwargs`: optimizer shared "
            f"between two models: {op['shared_between_models']}; fitting the second: "
            f"{op['fitting_a_second_default_model']}.",
        ]
    return "\n".join(lines)


def _num(x, digits: int = 1) -> str:
    """``x`` with ``digits`` decimals, or ``-`` where the run did not time it."""
    return "-" if x is None else f"{x:.{digits}f}"


def _fmt(xs: list) -> str:
    return "[" + ", ".join(f"{x:.4f}" for x in xs) + "]"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--child-demo", nargs=2, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--frequency", default="Hourly", help="an M4 frequency (M4_INFO)")
    ap.add_argument("--data-dir", default="../shared/data/m4", type=Path)
    ap.add_argument("--every", type=int, default=1, help="keep every N-th series (both sides)")
    ap.add_argument("--cell", default="lstm", choices=("lstm", "gru"))
    ap.add_argument("--units", type=int, default=64)
    ap.add_argument("--lags", type=int, default=None, help="input length (default 7h, "
                    "rounded up to whole seasons, as in m4.py)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--learning-rate", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--stride", type=int, default=1,
                    help="our side: keep every N-th training window of each series (an epoch "
                         "then makes N times fewer gradient steps); skforecast is unchanged")
    ap.add_argument("--skforecast-mode", default="multiseries", choices=("multiseries", "local"))
    ap.add_argument("--skforecast-extra-epochs", type=int, default=None,
                    help="also run skforecast with this many epochs (extra row, not the "
                    "same-epochs comparison): is its gap only under-training?")
    ap.add_argument("--venv", type=Path, default=Path("pipelines/outputs/venv-skforecast"))
    ap.add_argument("--workdir", type=Path, default=Path("pipelines/outputs/skforecast"))
    ap.add_argument("--demo", action="store_true", help="also check skforecast behaviours")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--markdown", type=Path, default=None)
    ap.add_argument("--key", default=KEY, help="BENCHMARKS.md section name "
                    "(<!-- KEY:start -->), e.g. skforecast-local for a second run")
    ap.add_argument("--render-only", action="store_true",
                    help="rewrite --markdown from the --out JSON without measuring")
    a = ap.parse_args(argv)
    if a.child:
        child_run(*a.child)
        return 0
    if a.child_demo:
        child_demo(*a.child_demo)
        return 0

    sys.path.insert(0, str(HERE))
    from _nf_common import library_versions, machine, update_markdown
    from m4 import load, neural_config, run_baseline, score

    from forecast._io import atomic_write_text
    from forecast.datasets import M4_INFO
    from forecast.metrics import owa

    if a.render_only:
        if not (a.out and a.markdown):
            ap.error("--render-only needs --out (JSON to read) and --markdown")
        update_markdown(a.markdown, a.key, markdown(json.loads(a.out.read_text())))
        return 0
    if a.every < 1:
        ap.error(f"--every must be a positive integer. Received: {a.every}")
    for flag in ("units", "epochs", "batch_size", "stride"):  # before any side runs
        if getattr(a, flag) < 1:
            ap.error(f"--{flag.replace('_', '-')} must be a positive integer. "
                     f"Received: {getattr(a, flag)}")
    if a.lags is not None and a.lags < 1:
        ap.error(f"--lags must be a positive integer. Received: {a.lags}")
    if a.frequency not in M4_INFO:  # checked here: the --child side runs without forecast
        ap.error(f"--frequency must be one of {list(M4_INFO)}. Received: {a.frequency!r}")
    h, m = M4_INFO[a.frequency]
    lags = a.lags or neural_config(h, m)["window"]
    command = "python pipelines/benchmarks/skforecast_compare.py " + " ".join(
        argv if argv is not None else sys.argv[1:])
    load_before = list(os.getloadavg())
    venv = ensure_venv(a.venv)
    train, test = load(a.data_dir, a.frequency)
    n_total = len(train)
    keys = list(train)[:: a.every]
    train = {k: train[k] for k in keys}
    test = {k: test[k].iloc[:h] for k in keys}
    cfg = {"cell": a.cell, "units": a.units, "lags": lags, "horizon": h, "epochs": a.epochs,
           "batch_size": a.batch_size, "learning_rate": a.learning_rate, "seed": a.seed,
           "mode": a.skforecast_mode, "stride": a.stride}
    a.workdir.mkdir(parents=True, exist_ok=True)

    models: dict = {}

    def record(name: str, fc: dict, seconds: float, **extra) -> None:
        s, q = score(train, test, fc, m)
        models[name] = {"smape": s, "mase": q, "seconds": seconds, **extra}
        print(f"{name:11s} sMAPE {s:7.3f}  MASE {q:6.3f}  {seconds:8.1f} s", flush=True)

    fc, secs = run_baseline("naive2", train, h, m)
    record("naive2", fc, secs)
    fc, meta = run_skforecast(a.venv / "bin" / "python", train, cfg, a.workdir)
    record("skforecast", fc, meta["fit_seconds"] + meta["predict_seconds"], **meta)
    if a.skforecast_extra_epochs:
        extra = {**cfg, "epochs": a.skforecast_extra_epochs}
        fc, meta = run_skforecast(a.venv / "bin" / "python", train, extra, a.workdir)
        record("skforecast_extra", fc, meta["fit_seconds"] + meta["predict_seconds"],
               epochs=a.skforecast_extra_epochs, **meta)
    fc, info = run_ours(train, h, m, cfg)
    record("ours", fc, info["fit_seconds"] + info["predict_seconds"], **info)
    ref = models["naive2"]
    for r in models.values():
        r["owa"] = owa(r["smape"], r["mase"], smape_naive2=ref["smape"], mase_naive2=ref["mase"])
    ours, skf = models["ours"], models["skforecast"]
    result = {
        "benchmark": KEY,
        "frequency": a.frequency, "horizon": h, "season_length": m,
        "n_series": len(train), "n_series_total": n_total,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(), "load_average_before": load_before,
        "versions": library_versions(), "venv": venv, "command": command.strip(),
        "settings": {**cfg, "every": a.every, "skforecast_mode": a.skforecast_mode},
        "models": models,
        "ratios": {
            "time_skforecast_over_ours": skf["seconds"] / ours["seconds"],
            "owa_ours_over_skforecast": ours["owa"] / skf["owa"],
            "smape_ours_over_skforecast": ours["smape"] / skf["smape"],
            "mase_ours_over_skforecast": ours["mase"] / skf["mase"],
        },
    }
    if skf.get("cpu_seconds") and ours.get("cpu_seconds"):
        result["ratios"]["cpu_skforecast_over_ours"] = skf["cpu_seconds"] / ours["cpu_seconds"]
    if "skforecast_extra" in models:
        x = models["skforecast_extra"]
        result["ratios"]["time_skforecast_extra_over_ours"] = x["seconds"] / ours["seconds"]
        result["ratios"]["owa_ours_over_skforecast_extra"] = ours["owa"] / x["owa"]
        if x.get("cpu_seconds") and ours.get("cpu_seconds"):
            result["ratios"]["cpu_skforecast_extra_over_ours"] = (
                x["cpu_seconds"] / ours["cpu_seconds"])
    if a.demo:
        result["demo"] = run_demo(a.venv / "bin" / "python", train, cfg, a.workdir)
    print(json.dumps(result["ratios"], indent=1))
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(a.out, json.dumps(result, indent=2) + "\n")
    if a.markdown:
        update_markdown(a.markdown, a.key, markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
