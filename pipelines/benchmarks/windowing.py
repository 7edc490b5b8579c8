"""Windowing benchmark: ``make_windows`` vs ``keras.utils.timeseries_dataset_from_array``.

Both produce the same supervised pairs from the same float32 array (default
1,000,000 x 8 as in the foundation issue; Keras needs 1-2 minutes for it on 2 shared
cores, ``--rows`` makes it smaller; ``window=168``, ``horizon=24``, every feature a target):
``X[i] = data[i : i+168]``, ``y[i] = data[i+168 : i+192]``.

Cases, each timed in a fresh Python process (so peak memory is per case):

* ``make_windows``: the (X, y) views (what a caller gets; nothing is copied).
* ``make_windows+batches``: the views, then every batch of ``--batch-size`` windows
  materialised as contiguous NumPy arrays (what a training loop consumes).
* ``keras``: ``timeseries_dataset_from_array(data, None, sequence_length=window+horizon,
  batch_size=...)`` iterated to NumPy, each batch split into X and y (the Keras recipe
  for multi-step targets), same batches as above.

Peak memory = growth of the process' peak resident set (VmHWM, reset before the timed
section) over its resident set before it; the input array is created before.

Usage (from the repository root)::

    python pipelines/benchmarks/windowing.py \
        --out pipelines/benchmarks/results/windowing.json --markdown BENCHMARKS.md
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
from importlib import metadata
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

CASES = ("make_windows", "make_windows+batches", "keras")
KEY = "windowing"


def _rss_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")  # resets VmHWM (peak RSS) to the current RSS
        return True
    except OSError:
        return False


def run_case(case: str, rows: int, features: int, window: int, horizon: int, batch: int) -> dict:
    """Run one case in this process; return seconds, peak memory growth and a checksum."""
    data = np.random.default_rng(0).random((rows, features), dtype=np.float32)
    if case == "keras":
        from forecast._tf import keras

        k = keras()
        # warm-up (graph/tf.data start-up is not the subject)
        for _ in k.utils.timeseries_dataset_from_array(
            data[: window + horizon + 1], None, sequence_length=window + horizon, batch_size=2
        ):
            pass
    else:
        from forecast.preprocessing import make_windows
    base = _rss_kib("VmRSS")
    reset = _reset_peak()
    checksum = 0.0
    n = 0
    t0 = time.perf_counter()
    if case == "make_windows":
        X, y = make_windows(data, window=window, horizon=horizon)
        n = X.shape[0]
        checksum = float(X[-1, -1, 0] + y[-1, -1, 0])
    elif case == "make_windows+batches":
        X, y = make_windows(data, window=window, horizon=horizon)
        n = X.shape[0]
        for start in range(0, n, batch):
            xb = np.ascontiguousarray(X[start : start + batch])
            yb = np.ascontiguousarray(y[start : start + batch])
        checksum = float(xb[-1, -1, 0] + yb[-1, -1, 0])
    else:
        ds = k.utils.timeseries_dataset_from_array(
            data, None, sequence_length=window + horizon, batch_size=batch, shuffle=False
        )
        for b in ds:
            arr = b.numpy()
            xb, yb = arr[:, :window], arr[:, window:]
            n += arr.shape[0]
        checksum = float(xb[-1, -1, 0] + yb[-1, -1, 0])
    seconds = time.perf_counter() - t0
    peak = _rss_kib("VmHWM")  # if the reset failed: process-lifetime peak (upper bound)
    return {
        "case": case,
        "seconds": seconds,
        "peak_mib": max(peak - base, 0) / 1024,
        "peak_reset": reset,
        "n_windows": int(n),
        "checksum": checksum,
    }


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for name in ("numpy", "keras", "tensorflow", "tensorflow-cpu", "forecast"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def _machine() -> dict:
    from _nf_common import cpu_model  # on the path main() sets up

    return {
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "load_average_before": list(os.getloadavg()),
    }


def markdown(result: dict) -> str:
    p, m, cases = result["params"], result["machine"], result["cases"]
    keras_s = cases["keras"]["seconds"]
    lines = [
        "## Windowing: `make_windows` vs `keras.utils.timeseries_dataset_from_array`",
        "",
        f"{p['rows']:,} x {p['features']} float32, window={p['window']}, "
        f"horizon={p['horizon']}, all features as targets, batches of {p['batch_size']}; "
        f"each case in a fresh process (`{result.get('command', 'windowing.py')}`).",
        "",
        "| case | seconds | peak memory growth (MiB) | growth / input | keras time / case time |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in CASES:
        c = cases[name]
        lines.append(
            f"| `{name}` | {c['seconds']:.4f} | {c['peak_mib']:.1f} "
            f"| {c['peak_mib'] / p['input_mib']:.1%} | {keras_s / c['seconds']:,.1f}x |"
        )
    load = ", ".join(f"{v:.1f}" for v in m["load_average_before"])
    busy = m["load_average_before"][0] > m["cpu_count"]
    state = (
        "shared and busy: timings are noisy, and Keras' multi-threaded tf.data suffers most, "
        "so the ratios may be overstated"
        if busy
        else "not saturated"
    )
    v = result["versions"]
    lines += [
        "",
        f"Input array: {p['input_mib']:.1f} MiB. Machine: {m['cpu']}, {m['cpu_count']} cores, "
        f"{m['platform']}; load average before the run: {load} "
        f"({state}). "
        f"numpy {v.get('numpy')}, keras {v.get('keras')}, tensorflow "
        f"{v.get('tensorflow') or v.get('tensorflow-cpu')}; {result['date']}.",
        "`make_windows` returns views (no copy), so its time does not grow with the data; "
        "`make_windows+batches` is the like-for-like comparison (NumPy batches; its growth is "
        "the last batch buffers). Goal: >= 10x. The issue's memory bound (1,000,000 x 8 "
        "float32, growth < 10% of the input) is asserted without timing by "
        "`tests/test_preprocessing_windows.py::test_memory_is_views_not_copies` (tracemalloc).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--features", type=int, default=8)
    ap.add_argument("--window", type=int, default=168)
    ap.add_argument("--horizon", type=int, default=24)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--case", choices=CASES, help="internal: run one case and print JSON")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--markdown", type=Path, default=None)
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite --markdown from the existing --out JSON without measuring",
    )
    args = ap.parse_args(argv)
    if not args.case:  # a measured case's process imports only what it measures
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _nf_common import update_markdown
    if args.render_only:
        if not (args.out and args.markdown):
            ap.error("--render-only needs --out (JSON to read) and --markdown")
        update_markdown(args.markdown, KEY, markdown(json.loads(args.out.read_text())))
        return 0
    params = [args.rows, args.features, args.window, args.horizon, args.batch_size]
    for name, value in zip(("rows", "features", "window", "horizon", "batch-size"), params,
                           strict=True):
        if value < 1:
            ap.error(f"--{name} must be >= 1. Received: {value}")
    if args.rows < args.window + args.horizon:
        ap.error(f"--rows must be at least --window + --horizon ({args.window + args.horizon}) "
                 f"to make one window. Received: {args.rows}")
    if args.case:
        print(json.dumps(run_case(args.case, *params)))
        return 0
    command = "python pipelines/benchmarks/windowing.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    result = {
        "benchmark": KEY,
        "command": command.strip(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "versions": _versions(),
        "params": {
            "rows": args.rows,
            "features": args.features,
            "window": args.window,
            "horizon": args.horizon,
            "batch_size": args.batch_size,
            "input_mib": args.rows * args.features * 4 / 2**20,
        },
        "cases": {},
    }
    for case in CASES:
        cmd = [sys.executable, __file__, "--case", case]
        cmd += [
            f"--{k}={v}"
            for k, v in zip(
                ("rows", "features", "window", "horizon", "batch-size"), params, strict=True
            )
        ]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:  # show the case's own error, not only its exit status
            raise SystemExit(f"case {case!r} failed:\n{done.stderr.strip()[-2000:]}")
        out = done.stdout
        result["cases"][case] = json.loads(out.strip().splitlines()[-1])
        print(case, result["cases"][case])
    keras_s = result["cases"]["keras"]["seconds"]
    result["speedup_vs_keras"] = {
        c: keras_s / result["cases"][c]["seconds"] for c in CASES if c != "keras"
    }
    print("speed-up vs keras:", result["speedup_vs_keras"])
    if args.out:
        from forecast._io import atomic_write_text

        atomic_write_text(args.out, json.dumps(result, indent=2) + "\n")
    if args.markdown:
        update_markdown(args.markdown, KEY, markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
