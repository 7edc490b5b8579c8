"""Memory hygiene across many refits (slow; the benchmark script reports the numbers)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "pipelines" / "benchmarks" / (
    "estimator_refit_memory.py"
)


@pytest.mark.slow
def test_hundred_refits_grow_rss_less_than_200_mb(tmp_path):
    spec = importlib.util.spec_from_file_location("refit_memory", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main(100, tmp_path)
    assert result["rss_growth_mb"] < 200
