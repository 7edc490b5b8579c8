"""Does training take the fused cuDNN kernel, and what does it buy? One short GPU check.

Usage (from the repository root; on a machine with a GPU for the kernel and the
speed-up, anywhere for the eligibility)::

    python pipelines/benchmarks/cudnn.py --out pipelines/benchmarks/results/cudnn.json \
        --markdown BENCHMARKS.md

For each network configuration (``CONFIGS``: the estimators' LSTM and GRU stacks, the
segment networks of ``m4.py`` and ``ett.py``, and a control with
``recurrent_dropout=0.1`` that must not be eligible), a regressor is fitted for one
epoch on ``--windows`` generated windows (T = 96, one feature, 48 outputs), then:

1. **eligibility**: every LSTM/GRU layer of the fitted Keras model is checked for the
   conditions of Keras' cuDNN path (``tanh``/``sigmoid``, no recurrent dropout, no
   unroll, a bias, ``reset_after`` for the GRU). Any machine.
2. **kernel taken**: the layers are switched to ``use_cudnn=True``, which makes Keras
   raise a ``ValueError`` instead of falling back to the generic kernel, and one train
   step and one predict run. ``true`` proves the cuDNN kernel ran; on a machine without
   a GPU it is ``false`` with Keras' message.
3. **speed**: seconds per epoch (after one traced epoch) with the layers' default
   ``use_cudnn="auto"`` against ``use_cudnn=False`` (the generic kernel), same model,
   same arrays, one after the other. Without a GPU both run the same kernel and the
   ratio only shows the timing noise.
"""

from __future__ import annotations

import argparse
import os
import re
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

T, HORIZON = 96, 48
#: name -> RNNRegressor parameters (besides epochs, batch size and seed)
CONFIGS: dict[str, dict] = {
    "lstm 2x128": {"cell": "lstm", "units": (128, 128)},
    "gru 2x128": {"cell": "gru", "units": (128, 128)},
    "gru 2x128, 24-step segments (m4.py)": {"cell": "gru", "units": (128, 128),
                                            "segment_length": 24, "decoder": "segments"},
    "gru 256, shared_segments (ett.py)": {"cell": "gru", "units": 256, "segment_length": 24,
                                          "decoder": "shared_segments", "dropout": 0.5},
    "gru 128, recurrent_dropout 0.1 (control)": {"cell": "gru", "units": 128,
                                                 "recurrent_dropout": 0.1},
}


def recurrent_layers(model) -> list:
    """The LSTM and GRU layers of ``model``, nested ones (``Bidirectional``) included."""
    import keras

    return [lyr for lyr in model._flatten_layers(include_self=False, recursive=True)
            if isinstance(lyr, keras.layers.LSTM | keras.layers.GRU)]


def ineligible_because(layer) -> list[str]:
    """Why Keras cannot run ``layer`` with cuDNN (empty: eligible)."""
    cell = layer.cell
    why = []
    if cell.activation.__name__ != "tanh":
        why.append(f"activation={cell.activation.__name__}")
    if cell.recurrent_activation.__name__ != "sigmoid":
        why.append(f"recurrent_activation={cell.recurrent_activation.__name__}")
    if cell.recurrent_dropout:
        why.append(f"recurrent_dropout={cell.recurrent_dropout}")
    if layer.unroll:
        why.append("unroll=True")
    if not cell.use_bias:
        why.append("use_bias=False")
    if getattr(cell, "reset_after", True) is False:
        why.append("reset_after=False")
    return why


def _set_kernel(model, use_cudnn) -> None:
    """Switch every recurrent layer to ``use_cudnn`` and recompile, so the next call
    traces the new choice."""
    import keras

    for layer in recurrent_layers(model):
        layer.use_cudnn = use_cudnn
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mae")


def kernel_taken(model, X: np.ndarray, y: np.ndarray, batch: int) -> tuple[bool, str | None]:
    """One train step and one predict with ``use_cudnn=True`` everywhere."""
    _set_kernel(model, True)
    try:
        model.fit(X[:batch], y[:batch], epochs=1, batch_size=batch, verbose=0)
        model.predict_on_batch(X[:batch])
    except ValueError as err:
        lines = [line.strip() for line in str(err).splitlines() if "use_cudnn" in line]
        if not lines:
            raise
        return False, lines[0]
    return True, None


def epoch_seconds(model, use_cudnn, X: np.ndarray, y: np.ndarray, batch: int,
                  epochs: int) -> list[float]:
    """Wall seconds of each epoch after a first, traced one."""
    _set_kernel(model, use_cudnn)
    model.fit(X, y, epochs=1, batch_size=batch, verbose=0)
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        model.fit(X, y, epochs=1, batch_size=batch, verbose=0)
        times.append(time.perf_counter() - t0)
    return times


def gpus() -> list[str]:
    import tensorflow as tf

    out = []
    for dev in tf.config.list_physical_devices("GPU"):
        details = tf.config.experimental.get_device_details(dev)
        out.append(f"{dev.name} ({details.get('device_name', 'unknown')})")
    return out


def run_config(params: dict, X: np.ndarray, y: np.ndarray, batch: int, epochs: int,
               seed: int) -> dict:
    from forecast.estimators import RNNRegressor

    est = RNNRegressor(**params, epochs=1, batch_size=batch, loss="mae", random_state=seed)
    est.fit(X, y)
    model = est.model_
    layers = {lyr.name: ineligible_because(lyr) for lyr in recurrent_layers(model)}
    taken, error = kernel_taken(model, X, y, batch)
    auto = epoch_seconds(model, "auto", X, y, batch, epochs)
    generic = epoch_seconds(model, False, X, y, batch, epochs)
    return {
        "params": params,
        "layers": {name: {"eligible": not why, "why_not": why} for name, why in layers.items()},
        "cudnn_taken": taken,
        "error": None if error is None else re.sub(r"\x1b\[[0-9;]*m", "", error),
        "epoch_seconds_auto": auto,
        "epoch_seconds_generic": generic,
        "speedup": min(generic) / min(auto),
    }


def render(result: dict) -> str:
    rows = [
        "## cuDNN: eligibility, kernel taken, speed-up",
        "",
        f"GPU: {', '.join(result['gpus']) or 'none (the kernel cannot be taken here)'}. "
        f"{result['windows']} windows of T = {T}, {HORIZON} outputs, batch {result['batch']}, "
        f"best of {result['epochs']} epochs after a traced one.",
        "",
        "| network | recurrent layers eligible | cuDNN kernel taken | s/epoch, auto | "
        "s/epoch, generic kernel | generic / auto |",
        "|---|---|---|---:|---:|---:|",
    ]
    for name, r in result["configs"].items():
        ok = sum(v["eligible"] for v in r["layers"].values())
        why = sorted({w for v in r["layers"].values() for w in v["why_not"]})
        eligible = f"{ok} / {len(r['layers'])}" + (f" ({', '.join(why)})" if why else "")
        taken = "yes" if r["cudnn_taken"] else "no"
        rows.append(f"| {name} | {eligible} | {taken} | {min(r['epoch_seconds_auto']):.2f} | "
                    f"{min(r['epoch_seconds_generic']):.2f} | {r['speedup']:.2f} |")
    rows += ["", f"Machine: {result['machine']}; {result['versions']}. "
             f"Date: {result['date']}. Command: `{result['command']}`."]
    return "\n".join(rows) + "\n"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--windows", type=int, default=20_000)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--epochs", type=int, default=3, help="timed epochs per kernel")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--configs", default=None,
                   help="comma list of indices into CONFIGS (default: all)")
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--markdown", type=Path, default=None)
    return p


def main(argv: list[str] | None = None) -> int:
    p = build_parser()
    a = p.parse_args(argv)
    check_positive(p, a, ("windows", "batch_size", "epochs"))
    chosen = pick(p, "--configs", a.configs, list(CONFIGS))

    from forecast._tf import keras

    keras().utils.set_random_seed(a.seed)
    X, y = sine_windows(a.windows, T, HORIZON, a.seed)

    result = {
        "benchmark": "cudnn", "gpus": gpus(), "windows": a.windows, "batch": a.batch_size,
        "epochs": a.epochs, **run_info("cudnn.py", argv),
        "configs": {},
    }
    for name in chosen:
        r = run_config(CONFIGS[name], X, y, a.batch_size, a.epochs, a.seed)
        result["configs"][name] = r
        print(f"{name}: cuDNN kernel taken: {r['cudnn_taken']}; s/epoch auto "
              f"{min(r['epoch_seconds_auto']):.2f}, generic {min(r['epoch_seconds_generic']):.2f}",
              flush=True)
    write_results(result, a.out, a.markdown, "cudnn", render)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
