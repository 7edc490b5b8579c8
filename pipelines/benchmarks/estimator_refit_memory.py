"""RSS growth and time over many consecutive fits of one estimator (model reuse).

Usage: python pipelines/benchmarks/estimator_refit_memory.py [--fits N] [--out-dir DIR]
Writes estimator_refit_memory.json and .md into DIR (default: this folder, the
committed results; pass e.g. ``--out-dir /tmp`` for a trial run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(n_fits: int = 100, out_dir: Path | None = None, command: str | None = None) -> dict:
    from forecast._io import atomic_write_text
    from forecast.estimators import LSTMRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(256, 24, 2)).astype("float32")
    y = X[:, -4:, 0]
    est = LSTMRegressor(units=(16, 8), epochs=1, batch_size=64, random_state=0)
    est.fit(X, y)
    est.predict(X)
    start_rss, t0 = rss_mb(), time.perf_counter()
    for i in range(n_fits):
        est.set_params(random_state=i).fit(X, y)
        est.predict(X)
    elapsed = time.perf_counter() - t0
    result = {
        "n_fits": n_fits,
        "rss_start_mb": round(start_rss, 1),
        "rss_end_mb": round(rss_mb(), 1),
        "rss_growth_mb": round(rss_mb() - start_rss, 1),
        "seconds_per_fit": round(elapsed / n_fits, 3),
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, {platform.python_version()}",
        "date": date.today().isoformat(),
        "command": command,
    }
    out_dir = out_dir or Path(__file__).parent
    atomic_write_text(out_dir / "estimator_refit_memory.json", json.dumps(result, indent=2))
    rows = "\n".join(f"| {k} | {v} |" for k, v in result.items())
    table = f"| metric | value |\n|---|---|\n{rows}\n"
    atomic_write_text(out_dir / "estimator_refit_memory.md", table)
    return result


def cli(argv: list[str] | None = None) -> int:
    """Command line: ``--fits`` (>= 1) and ``--out-dir``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", type=int, default=100, help="consecutive fits (>= 1)")
    parser.add_argument("--out-dir", type=Path, default=None,
                        help="where the JSON and markdown go (default: beside this script)")
    args = parser.parse_args(argv)
    if args.fits < 1:
        parser.error(f"--fits must be >= 1. Received: {args.fits}")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _nf_common import run_info

    command = run_info("estimator_refit_memory.py", argv)["command"]
    print(json.dumps(main(args.fits, args.out_dir, command), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
