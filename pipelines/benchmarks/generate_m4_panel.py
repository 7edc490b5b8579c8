"""Write a generated panel in the M4 wide CSV format, to time ``m4.py`` at M4 sizes.

Usage (from the repository root)::

    python pipelines/benchmarks/generate_m4_panel.py --frequency Daily --n-series 4227 \
        --min-length 93 --max-length 4000 --out-dir /tmp/m4-daily

writes ``{out-dir}/{Frequency}-train.csv`` and ``-test.csv`` (the next ``h`` points
of each series, ``h`` the frequency's M4 horizon). Series ``i`` is a positive random
walk with drift (level 1000, steps N(0.5, 5), floored at 10) plus a sine of period
``--period`` and an amplitude drawn from ``[0, --amplitude)``, of a
length drawn uniformly from ``[min-length, max-length)``. The data say nothing about
accuracy on the real M4 sets (we do not have them); they give runs of the real
sizes (number of series, lengths) for wall time and memory.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from forecast.datasets import M4_INFO


def write_m4(path: Path, rows: dict[str, np.ndarray]) -> None:
    """Write ``rows`` (series id -> values) as an M4 wide CSV: quoted fields, ``V1`` the
    id, values right-padded with empty cells."""
    width = max(len(v) for v in rows.values())
    lines = [",".join(f'"V{i}"' for i in range(1, width + 2))]
    for key, values in rows.items():
        cells = [f'"{key}"'] + [f'"{v:.4f}"' for v in values] + ['""'] * (width - len(values))
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")


def generate(frequency: str, n_series: int, min_length: int, max_length: int,
             period: int = 7, seed: int = 1, amplitude: float = 50.0) -> tuple[dict, dict]:
    """Train and test rows of a generated panel (see the module docstring)."""
    h = M4_INFO[frequency][0]
    rng = np.random.default_rng(seed)
    train, test = {}, {}
    for i in range(n_series):
        n = int(rng.integers(min_length, max_length))
        t = np.arange(n + h)
        y = (1000 + np.cumsum(rng.normal(0.5, 5.0, n + h))
             + amplitude * np.sin(2 * np.pi * t / period) * rng.uniform(0, 1))
        y = np.maximum(y, 10)
        key = f"{frequency[0]}{i + 1}"
        train[key], test[key] = y[:n], y[n:]
    return train, test


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--frequency", default="Daily", choices=list(M4_INFO))
    p.add_argument("--n-series", type=int, default=4227)
    p.add_argument("--min-length", type=int, default=93)
    p.add_argument("--max-length", type=int, default=4000)
    p.add_argument("--period", type=int, default=7)
    p.add_argument("--amplitude", type=float, default=50.0,
                   help="largest sine amplitude (0: pure random walks, where naive is best)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out-dir", type=Path, required=True)
    a = p.parse_args(argv)
    if not 1 <= a.min_length < a.max_length:
        p.error(f"need 1 <= --min-length < --max-length. Received: {a.min_length}, "
                f"{a.max_length}")
    train, test = generate(a.frequency, a.n_series, a.min_length, a.max_length,
                           a.period, a.seed, a.amplitude)
    a.out_dir.mkdir(parents=True, exist_ok=True)
    write_m4(a.out_dir / f"{a.frequency}-train.csv", train)
    write_m4(a.out_dir / f"{a.frequency}-test.csv", test)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
