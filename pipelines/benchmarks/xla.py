"""Would XLA (``jit_compile=True``) make the recurrent networks train faster here?

Usage (from the repository root)::

    python pipelines/benchmarks/xla.py --out pipelines/benchmarks/results/xla.json \
        --markdown BENCHMARKS.md

The estimators compile with Keras' default ``jit_compile="auto"``, which is off on
this stack for three reasons that this script records or measures:

1. on a machine without a GPU, Keras' ``"auto"`` means no XLA;
2. ``random_state`` turns on TensorFlow's op determinism, and Keras then refuses
   ``jit_compile=True`` (``model_supports_jit`` is false: "Proceeding with
   ``jit_compile=False``");
3. LSTM/GRU layers that may take the cuDNN kernel (``use_cudnn="auto"``, the
   default) are not XLA-compilable, so XLA would cost the cuDNN path on a GPU.

What would it buy where it is allowed? For each network of ``NETWORKS`` (plain Keras,
the layers the estimators build for ``m4.py`` and a step-per-step LSTM stack, with
``use_cudnn=False`` so that both variants are compilable), two copies with the same
initial weights are compiled with ``jit_compile=False`` and ``True``, trained one
epoch each to trace, then timed epoch by epoch, alternating, on the same arrays and
batches (no shuffling). The JSON also keeps the largest difference between the two
copies' predictions after training: XLA fuses operations, so float32 rounding
differs and the results are not bit-identical.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nf_common import (  # noqa: E402
    check_positive,
    pick,
    run_info,
    sine_windows,
    write_results,
)

HORIZON = 48
#: name -> (input length T, segment length or None, cell, units)
NETWORKS: dict[str, tuple[int, int | None, str, tuple[int, ...]]] = {
    "gru 2x128, 24-step segments of T = 336 (m4.py)": (336, 24, "gru", (128, 128)),
    "lstm 2x64, T = 96 steps": (96, None, "lstm", (64, 64)),
}


def build(T: int, segment: int | None, cell: str, units: tuple[int, ...], seed: int):
    """The plain Keras network (one feature in, ``HORIZON`` outputs)."""
    import keras

    keras.utils.set_random_seed(seed)
    layer = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}[cell]
    inputs = keras.Input((T, 1))
    x = keras.layers.Reshape((T // segment, segment))(inputs) if segment else inputs
    for i, u in enumerate(units):
        x = layer(u, return_sequences=i < len(units) - 1, use_cudnn=False)(x)
    return keras.Model(inputs, keras.layers.Dense(HORIZON)(x))


def estimator_allows_xla(seed: int) -> dict:
    """What Keras does with ``jit_compile=True`` on a network the estimators fitted."""
    import warnings

    from forecast.estimators import GRURegressor

    X = np.zeros((8, 48, 1), "float32")
    est = GRURegressor(units=4, segment_length=24, epochs=1, batch_size=8,
                       random_state=seed).fit(X, np.zeros((8, 2), "float32"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.model_.compile(optimizer="adam", loss="mae", jit_compile=True)
    return {"jit_compile_after_request": bool(est.model_.jit_compile),
            "keras_warning": next((str(w.message) for w in caught), None)}


def time_network(T: int, segment: int | None, cell: str, units: tuple[int, ...],
                 windows: int, batch: int, epochs: int, seed: int) -> dict:
    """Seconds per epoch without and with XLA (op determinism off meanwhile, as Keras
    refuses XLA under it; restored afterwards)."""
    from tensorflow.python.framework import config as tf_config

    was_deterministic = tf_config.is_op_determinism_enabled()
    tf_config.disable_op_determinism()
    try:
        return _time_network(T, segment, cell, units, windows, batch, epochs, seed)
    finally:
        if was_deterministic:
            tf_config.enable_op_determinism()


def _time_network(T: int, segment: int | None, cell: str, units: tuple[int, ...],
                  windows: int, batch: int, epochs: int, seed: int) -> dict:
    import keras

    X, y = sine_windows(windows, T, HORIZON, seed)
    models = {}
    for jit in (False, True):
        model = build(T, segment, cell, units, seed)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mae", jit_compile=jit)
        if model.jit_compile is not jit:
            raise RuntimeError(f"Keras would not compile with jit_compile={jit}")
        model.fit(X, y, epochs=1, batch_size=batch, shuffle=False, verbose=0)  # traces
        models[jit] = model
    seconds: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(epochs):
        for jit, model in models.items():
            t0 = time.perf_counter()
            model.fit(X, y, epochs=1, batch_size=batch, shuffle=False, verbose=0)
            seconds[jit].append(time.perf_counter() - t0)
    pred = {jit: m.predict(X[:batch * 4], batch_size=batch, verbose=0) for jit, m in models.items()}
    return {
        "epoch_seconds_plain": seconds[False],
        "epoch_seconds_xla": seconds[True],
        "xla_speedup": min(seconds[False]) / min(seconds[True]),
        "max_abs_prediction_difference": float(np.max(np.abs(pred[True] - pred[False]))),
    }


def render(result: dict) -> str:
    allowed = result["estimator"]
    rows = [
        "## XLA (`jit_compile=True`): what it would buy",
        "",
        f"{result['windows']} windows, {HORIZON} outputs, batch {result['batch']}, plain Keras "
        f"copies with the same initial weights, best of {result['epochs']} alternating epochs "
        f"after a traced one. GPU: {', '.join(result['gpus']) or 'none'}.",
        "",
        "| network | s/epoch, no XLA | s/epoch, XLA | speed-up (no XLA / XLA) | "
        "max abs prediction difference |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in result["networks"].items():
        rows.append(f"| {name} | {min(r['epoch_seconds_plain']):.2f} | "
                    f"{min(r['epoch_seconds_xla']):.2f} | {r['xla_speedup']:.2f} | "
                    f"{r['max_abs_prediction_difference']:.1e} |")
    rows += ["", f"A fitted estimator's model asked for `jit_compile=True` keeps "
             f"`jit_compile={allowed['jit_compile_after_request']}` (Keras: "
             f"\"{allowed['keras_warning']}\").",
             "", f"Machine: {result['machine']}; {result['versions']}. "
             f"Date: {result['date']}. Command: `{result['command']}`."]
    return "\n".join(rows) + "\n"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--windows", type=int, default=20_000)
    p.add_argument("--batch-size", type=int, default=512)
    p.add_argument("--epochs", type=int, default=3, help="timed epochs per variant")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--networks", default=None,
                   help="comma list of indices into NETWORKS (default: all)")
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--markdown", type=Path, default=None)
    return p


def main(argv: list[str] | None = None) -> int:
    p = build_parser()
    a = p.parse_args(argv)
    check_positive(p, a, ("windows", "batch_size", "epochs"))
    chosen = pick(p, "--networks", a.networks, list(NETWORKS))
    from forecast._tf import tf as load_tf

    tf = load_tf()  # applies FORECAST_NUM_THREADS before any op runs
    result = {
        "benchmark": "xla", "windows": a.windows, "batch": a.batch_size, "epochs": a.epochs,
        "gpus": [d.name for d in tf.config.list_physical_devices("GPU")],
        **run_info("xla.py", argv),
        "networks": {},
    }
    for name in chosen:
        r = time_network(*NETWORKS[name], a.windows, a.batch_size, a.epochs, a.seed)
        result["networks"][name] = r
        print(f"{name}: s/epoch {min(r['epoch_seconds_plain']):.2f} without XLA, "
              f"{min(r['epoch_seconds_xla']):.2f} with", flush=True)
    result["estimator"] = estimator_allows_xla(a.seed)
    write_results(result, a.out, a.markdown, "xla", render)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
