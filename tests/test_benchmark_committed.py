"""Every table in BENCHMARKS.md that a script writes is what that script renders from the
committed JSON: a figure changed by hand, or a script changed without re-rendering its
section, shows here. Rendering only; nothing is trained."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_benchmark_scripts import _script

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "pipelines" / "benchmarks" / "results"


def _json(name: str) -> dict:
    return json.loads((RESULTS / name).read_text(encoding="utf-8"))


def _section(key: str) -> str:
    text = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    found = re.search(re.escape(f"<!-- {key}:start -->") + r"\n(.*?)\n"
                      + re.escape(f"<!-- {key}:end -->"), text, re.S)
    assert found, f"no section {key!r} in BENCHMARKS.md"
    return found.group(1)


# (section key, script, render function, JSON file, extra arguments of the render)
RENDERED = [
    ("ett", "ett", "render", "ett.json", ()),
    ("m4", "m4", "render", "m4_hourly.json", ("",)),
    ("m4-ens4", "m4", "render", "m4_hourly_ens4.json", (": m4-ens4",)),
    ("m4-constant-lr", "m4", "render", "m4_hourly_constant_lr.json", (": m4-constant-lr",)),
    ("m4-experiments", "m4", "render", "m4_hourly_experiments.json", (": m4-experiments",)),
    ("m4-baselines", "m4_baselines", "markdown", "m4_baselines.json", ()),
    ("m4-intervals", "m4_intervals", "render", "m4_intervals.json", ()),
    ("windowing", "windowing", "markdown", "windowing.json", ()),
    ("backtest", "backtest_parallel", "_markdown", "backtest_parallel.json", ()),
    ("skforecast", "skforecast_compare", "markdown", "skforecast_m4_hourly.json", ()),
    ("skforecast-local", "skforecast_compare", "markdown", "skforecast_m4_hourly_local.json",
     ()),
    ("skforecast-stride24", "skforecast_compare", "markdown",
     "skforecast_m4_hourly_stride24.json", ()),
    ("cudnn", "cudnn", "render", "cudnn.json", ()),
    ("xla", "xla", "render", "xla.json", ()),
    ("speed", "speed", "render", "speed.json", ()),
    ("sentiment", "sentiment", "markdown_section", "sentiment.json", ()),
]


@pytest.mark.parametrize(("key", "script", "function", "name", "extra"), RENDERED,
                         ids=[r[0] for r in RENDERED])
def test_committed_section_is_the_render_of_the_committed_json(key, script, function, name,
                                                               extra):
    payload = _json(name)
    if script == "ett":
        payload = payload["by_horizon"]
    rendered = getattr(_script(script), function)(payload, *extra)
    assert rendered.rstrip("\n") == _section(key)


def test_committed_sentiment_notes_are_those_of_its_parts():
    result = _json("sentiment.json")
    assert result["notes"] == _script("sentiment").notes_for(result)
