"""``pipelines/benchmarks/cudnn.py``: the GPU check, run here on whatever device there is.

On a machine without a GPU the kernel cannot be taken, so the script must say so
(Keras' own refusal), while the eligibility of each layer is still checked.
"""

from __future__ import annotations

import json

import pytest
from test_benchmark_scripts import _script


def test_cudnn_script_reports_eligibility_kernel_and_speed(tmp_path):
    script = _script("cudnn")
    out, md = tmp_path / "cudnn.json", tmp_path / "BENCHMARKS.md"
    # the ett.py network and the recurrent-dropout control
    assert script.main(["--windows", "64", "--batch-size", "32", "--epochs", "1",
                        "--configs", "3,4", "--out", str(out), "--markdown", str(md)]) == 0
    result = json.loads(out.read_text())
    ett, control = (result["configs"][name] for name in list(script.CONFIGS)[3:5])
    assert ett["layers"] == {"recurrent_0": {"eligible": True, "why_not": []}}
    assert control["layers"] == {"recurrent_0": {"eligible": False,
                                                 "why_not": ["recurrent_dropout=0.1"]}}
    # the control never takes the kernel; the eligible network takes it iff there is a GPU
    assert control["cudnn_taken"] is False
    assert "use_cudnn=True" in control["error"]
    assert ett["cudnn_taken"] is bool(result["gpus"])
    if not result["gpus"]:
        assert "use_cudnn=True was specified" in ett["error"]
    for r in (ett, control):
        assert len(r["epoch_seconds_auto"]) == len(r["epoch_seconds_generic"]) == 1
        assert min(r["epoch_seconds_auto"]) > 0
        assert r["speedup"] == pytest.approx(
            min(r["epoch_seconds_generic"]) / min(r["epoch_seconds_auto"]))
    text = md.read_text()
    assert "<!-- cudnn:start -->" in text
    row = "| gru 128, recurrent_dropout 0.1 (control) | 0 / 1 (recurrent_dropout=0.1) | no |"
    assert row in text


def test_cudnn_script_names_why_a_layer_is_not_eligible():
    import keras

    script = _script("cudnn")
    layer = keras.layers.GRU(4, activation="relu", recurrent_activation="hard_sigmoid",
                             unroll=True, use_bias=False, reset_after=False)
    assert script.ineligible_because(layer) == [
        "activation=relu", "recurrent_activation=hard_sigmoid", "unroll=True",
        "use_bias=False", "reset_after=False"]
    assert script.ineligible_because(keras.layers.LSTM(4)) == []


def test_cudnn_script_finds_the_layers_inside_bidirectional():
    from forecast.networks import build_recurrent_model

    model = build_recurrent_model((6, 2), 1, cell="lstm", units=(4, 3), bidirectional=True)
    layers = _script("cudnn").recurrent_layers(model)
    assert len(layers) == 4  # a forward and a backward LSTM per level
    assert all(type(lyr).__name__ == "LSTM" for lyr in layers)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--windows", "0"], "--windows must be >= 1. Received: 0"),
        (["--epochs", "-1"], "--epochs must be >= 1. Received: -1"),
        (["--configs", "9"], "--configs must be a comma list of indices below 5. Received: '9'"),
        (["--configs", "a"], "Received: 'a'"),
        (["--configs", "-1"], "Received: '-1'"),
    ],
)
def test_cudnn_script_rejects_bad_arguments(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        _script("cudnn").main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
