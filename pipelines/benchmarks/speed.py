"""Speed of the estimator wrappers against plain Keras, measured side by side in one run.

Usage (from the repository root)::

    python pipelines/benchmarks/speed.py --out pipelines/benchmarks/results/speed.json \
        --markdown BENCHMARKS.md

1. Training throughput: ``LSTMRegressor(units=(64, 32)).fit`` vs the same Keras
   model (``keras.models.clone_model`` of the fitted one, same optimizer, loss and
   batch size) with plain ``model.fit`` on the same arrays (20k windows, T=48,
   batch 256). Ratio = Keras seconds / wrapper seconds (>= 0.95 is the goal).
   The runs alternate and the best of ``--repeats`` is kept for each side. The
   wrapper trains on the batches ``model.fit`` would build from the arrays, in the
   same order, but without ``tf.data`` autotuning, whose thread makes plain
   ``model.fit`` wait at the end of every epoch (longer, the longer the epoch).
2. Prediction latency on 10k windows: ``estimator.predict`` vs ``model.predict``
   (default batch size) and vs ``model.predict(batch_size=256)``.
3. Backtest refit cost: ``--fits`` refits of a small ``LSTMRegressor(units=16)``
   (2,000 windows, 2 epochs), of the same with 256 windows and one step (the fixed
   cost of a refit) and of a ``NeuralForecaster`` around it (expanding folds);
   seconds per fit and process RSS before/after (memory growth per fit).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nf_common import (  # noqa: E402
    check_positive,
    library_versions,
    machine,
    update_markdown,
)

from forecast._io import atomic_write_text  # noqa: E402


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def render(payload: dict) -> str:
    """The speed section of BENCHMARKS.md from the JSON ``main`` writes."""
    settings, results = payload["settings"], payload["results"]
    f, pr = results["fit_throughput"], results["predict_latency"]
    n_pred = pr.get("n_windows", 10_000)
    re_, rn = results["refit_estimator"], results["refit_neural_forecaster"]
    ro = results["refit_overhead"]
    return (
        "### Speed: wrappers vs plain Keras (same process, same arrays)\n\n"
        "| measurement | forecast | plain Keras | ratio (Keras / forecast) |\n"
        "|---|---|---|---|\n"
        f"| LSTMRegressor.fit, {settings['windows']} windows x {settings['epochs']} epochs (s) "
        f"| {f['seconds_estimator']:.2f} | {f['seconds_keras']:.2f} | {f['ratio']:.2f} |\n"
        f"| predict {n_pred:,} windows (s) vs model.predict "
        f"| {pr['seconds_estimator_10k']:.2f} "
        f"| {pr['seconds_keras_predict_10k']:.2f} | {pr['ratio_vs_predict']:.2f} |\n"
        f"| predict {n_pred:,} windows (s) vs model.predict(batch_size=256) "
        f"| {pr['seconds_estimator_10k']:.2f} | {pr['seconds_keras_predict_batch256_10k']:.2f}"
        f" | {pr['ratio_vs_predict_batch256']:.2f} |\n"
        f"| predict 1 window (ms) | {1000 * pr['seconds_estimator_1']:.1f} "
        f"| {1000 * pr['seconds_keras_predict_1']:.1f} "
        f"| {pr['seconds_keras_predict_1'] / pr['seconds_estimator_1']:.2f} |\n\n"
        "| refit loop | fits | s per fit | RSS before -> after (MB) | MB per fit |\n"
        "|---|---|---|---|---|\n"
        f"| LSTMRegressor(16), 2k windows, 2 epochs | {re_['fits']} "
        f"| {re_['seconds_per_fit']:.2f} | {re_['rss_before_mb']:.0f} -> "
        f"{re_['rss_after_mb']:.0f} | {re_['rss_growth_per_fit_mb']:.2f} |\n"
        f"| LSTMRegressor(16), 256 windows, 1 step (fixed cost) | {ro['fits']} "
        f"| {ro['seconds_per_fit']:.2f} | {ro['rss_before_mb']:.0f} -> "
        f"{ro['rss_after_mb']:.0f} | {ro['rss_growth_per_fit_mb']:.2f} |\n"
        f"| NeuralForecaster fold (fit + predict) | {rn['fits']} "
        f"| {rn['seconds_per_fold']:.2f} | {rn['rss_before_mb']:.0f} -> "
        f"{rn['rss_after_mb']:.0f} | {rn['rss_growth_per_fit_mb']:.2f} |\n\n"
        f"Run {payload['date']} on {payload['machine']}; {payload['versions']}. "
        f"Command: `{payload['command']}`. Timings on a shared 2-core machine are noisy "
        "(+-30%); the ratios come from alternating runs in one process.\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--windows", type=int, default=20_000)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--fits", type=int, default=30)
    p.add_argument("--out", default=None, type=Path)
    p.add_argument("--markdown", default=None, type=Path)
    a = p.parse_args(argv)
    check_positive(p, a, ("windows", "epochs", "repeats", "fits"))

    from forecast._tf import keras
    from forecast.estimators import LSTMRegressor
    from forecast.forecasters import NeuralForecaster

    k = keras()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(a.windows, 48, 1)).astype("float32")
    y = (X[:, -12:, 0] * 0.5 + rng.normal(scale=0.1, size=(a.windows, 12))).astype("float32")
    results: dict[str, dict] = {}

    # 1. training throughput ---------------------------------------------------------
    est = LSTMRegressor(units=(64, 32), epochs=a.epochs, batch_size=256, random_state=0)
    est.fit(X, y)  # build + trace once (both sides get a warm-up)
    plain = k.models.clone_model(est.model_)
    plain.compile(optimizer=k.optimizers.Adam(1e-3), loss="mse")
    plain.fit(X, y, batch_size=256, epochs=1, verbose=0)
    t_est, t_keras = [], []
    for _ in range(a.repeats):
        t_est.append(timed(lambda: est.fit(X, y)))
        t_keras.append(timed(lambda: plain.fit(X, y, batch_size=256, epochs=a.epochs,
                                               verbose=0)))
    results["fit_throughput"] = {
        "windows_per_s_estimator": a.windows * a.epochs / min(t_est),
        "windows_per_s_keras": a.windows * a.epochs / min(t_keras),
        "seconds_estimator": min(t_est), "seconds_keras": min(t_keras),
        "ratio": min(t_keras) / min(t_est), "goal": ">= 0.95",
    }
    print("fit", results["fit_throughput"], flush=True)

    # 2. prediction latency ------------------------------------------------------------
    Xp = X[:10_000]
    est.predict(Xp[:10])
    plain.predict(Xp[:10], verbose=0)
    t_pe = min(timed(lambda: est.predict(Xp)) for _ in range(3))
    t_pk = min(timed(lambda: plain.predict(Xp, verbose=0)) for _ in range(3))
    t_pk256 = min(timed(lambda: plain.predict(Xp, batch_size=256, verbose=0)) for _ in range(3))
    t_one_e = min(timed(lambda: est.predict(Xp[:1])) for _ in range(5))
    t_one_k = min(timed(lambda: plain.predict(Xp[:1], verbose=0)) for _ in range(5))
    results["predict_latency"] = {
        "seconds_estimator_10k": t_pe, "seconds_keras_predict_10k": t_pk,
        "seconds_keras_predict_batch256_10k": t_pk256, "ratio_vs_predict": t_pk / t_pe,
        "ratio_vs_predict_batch256": t_pk256 / t_pe, "n_windows": len(Xp),
        "seconds_estimator_1": t_one_e, "seconds_keras_predict_1": t_one_k,
    }
    print("predict", results["predict_latency"], flush=True)

    # 3. backtest refit cost --------------------------------------------------------------
    Xs, ys = X[:2000], y[:2000]
    small = LSTMRegressor(units=16, epochs=2, batch_size=64, random_state=0)
    small.fit(Xs, ys)
    gc.collect()
    before = rss_mb()
    t = timed(lambda: [small.fit(Xs, ys, ) for _ in range(a.fits)])
    gc.collect()
    after = rss_mb()
    results["refit_estimator"] = {
        "fits": a.fits, "seconds_per_fit": t / a.fits, "rss_before_mb": before,
        "rss_after_mb": after, "rss_growth_per_fit_mb": (after - before) / a.fits,
        "goal": "~0.3 s per fit, no memory growth"}
    print("refit estimator", results["refit_estimator"], flush=True)

    # the fixed cost of one refit (reinitialise weights + optimizer, one training step)
    tiny = LSTMRegressor(units=16, epochs=1, batch_size=256, random_state=0)
    tiny.fit(Xs[:256], ys[:256])
    gc.collect()
    before = rss_mb()
    t = timed(lambda: [tiny.fit(Xs[:256], ys[:256]) for _ in range(a.fits)])
    gc.collect()
    after = rss_mb()
    results["refit_overhead"] = {
        "fits": a.fits, "seconds_per_fit": t / a.fits, "rss_before_mb": before,
        "rss_after_mb": after, "rss_growth_per_fit_mb": (after - before) / a.fits}
    print("refit overhead", results["refit_overhead"], flush=True)

    series = pd.Series(np.sin(np.arange(1500) / 6) + rng.normal(scale=0.1, size=1500) + 5)
    nf = NeuralForecaster(LSTMRegressor(units=16, epochs=2, batch_size=64), window=48,
                          horizon=12, random_state=0)
    nf.fit(series[:1000])
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    for i in range(a.fits):  # expanding-window folds, refit each time
        nf.fit(series[: 1000 + 10 * i]).predict()
    t = time.perf_counter() - t0
    gc.collect()
    after = rss_mb()
    results["refit_neural_forecaster"] = {
        "fits": a.fits, "seconds_per_fold": t / a.fits, "rss_before_mb": before,
        "rss_after_mb": after, "rss_growth_per_fit_mb": (after - before) / a.fits,
        "windows_per_fit": int(nf.n_train_windows_)}
    print("refit forecaster", results["refit_neural_forecaster"], flush=True)

    payload = {"benchmark": "speed", "date": date.today().isoformat(), "machine": machine(),
               "versions": library_versions(),
               "command": "python " + " ".join([sys.argv[0], *(argv or sys.argv[1:])]),
               "settings": {"windows": a.windows, "epochs": a.epochs},
               "results": results}
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(a.out, json.dumps(payload, indent=2))
    if a.markdown:
        update_markdown(a.markdown, "speed", render(payload))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
