"""``pipelines/benchmarks/xla.py``: XLA timed against the default compile, tiny sizes."""

from __future__ import annotations

import json

import pytest
from test_benchmark_scripts import _script


def test_xla_script_times_both_compiles_and_records_why_the_estimators_skip_xla(tmp_path):
    from tensorflow.python.framework import config as tf_config

    script = _script("xla")
    out, md = tmp_path / "xla.json", tmp_path / "BENCHMARKS.md"
    tf_config.enable_op_determinism()  # as any seeded estimator leaves it
    assert script.main(["--windows", "64", "--batch-size", "32", "--epochs", "2",
                        "--networks", "0",
                        "--out", str(out), "--markdown", str(md)]) == 0
    assert tf_config.is_op_determinism_enabled()  # restored after the timing
    result = json.loads(out.read_text())
    assert list(result["networks"]) == list(script.NETWORKS)[:1]  # the m4.py network
    for r in result["networks"].values():
        assert len(r["epoch_seconds_plain"]) == len(r["epoch_seconds_xla"]) == 2
        assert r["xla_speedup"] == pytest.approx(
            min(r["epoch_seconds_plain"]) / min(r["epoch_seconds_xla"]))
        # the same initial weights and batches: XLA only changes float32 rounding
        assert r["max_abs_prediction_difference"] < 1e-3
    assert result["estimator"]["jit_compile_after_request"] is False
    assert "jit_compile=False" in result["estimator"]["keras_warning"]
    text = md.read_text()
    assert "<!-- xla:start -->" in text
    assert "| gru 2x128, 24-step segments of T = 336 (m4.py) |" in text


@pytest.mark.parametrize(("args", "message"), [
    (["--windows", "0"], "--windows must be >= 1. Received: 0"),
    (["--networks", "0,7"], "--networks must be a comma list of indices below 2"),
])
def test_xla_script_rejects_bad_arguments(args, message, capsys):
    with pytest.raises(SystemExit):
        _script("xla").main(args)
    assert message in capsys.readouterr().err
