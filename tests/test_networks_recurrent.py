"""forecast.networks: the recurrent builder and in-place re-initialisation."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from forecast.networks import build_recurrent_model, check_network_params
from forecast.networks._reinit import can_reinitialize, reinitialize


@pytest.mark.parametrize(
    ("kwargs", "input_shape", "output_shape", "expected"),
    [
        ({"cell": "lstm", "units": 4}, (6, 2), 1, (None, 1)),
        ({"cell": "gru", "units": (4, 3)}, (6, 2), (3,), (None, 3)),
        ({"cell": "rnn", "units": 4, "bidirectional": True}, (6, 1), (3, 2), (None, 3, 2)),
        ({"units": 4, "segment_length": 3}, (6, 2), 2, (None, 2)),
        ({"units": 4, "embedding_dim": 3, "vocab_size": 9}, (6,), 2, (None, 2)),
        ({"units": 4, "dense_units": (5,), "dropout": 0.1}, (6, 2), 1, (None, 1)),
        ({"units": 4, "mask_value": 0.0}, (6, 2), 1, (None, 1)),
    ],
)
def test_build_shapes(kwargs, input_shape, output_shape, expected):
    model = build_recurrent_model(input_shape, output_shape, **kwargs)
    assert model.output_shape == expected
    x = np.zeros((2, *input_shape), dtype="int32" if "vocab_size" in kwargs else "float32")
    assert model.predict_on_batch(x).shape == (2, *expected[1:])


def test_stack_and_cudnn_defaults():
    model = build_recurrent_model((6, 2), 1, cell="gru", units=(4, 3))
    first, second = model.get_layer("recurrent_0"), model.get_layer("recurrent_1")
    assert first.return_sequences
    assert not second.return_sequences
    for layer in (first, second):
        assert layer.reset_after
        assert layer.use_bias
        assert not layer.unroll
        assert layer.recurrent_dropout == 0
        assert layer.activation.__name__ == "tanh"
        assert layer.recurrent_activation.__name__ == "sigmoid"


def test_segments_regroup_steps():
    model = build_recurrent_model((24, 2), 1, units=4, segment_length=6)
    assert model.get_layer("segments").output.shape == (None, 4, 12)


def test_embedding_masks_padding():
    model = build_recurrent_model((5,), 1, units=4, embedding_dim=3, vocab_size=7)
    emb = model.get_layer("embedding")
    assert emb.mask_zero
    assert emb.input_dim == 7


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"cell": "lstmx"}, ValueError, "`cell` must be one of"),
        ({"units": -1}, ValueError, "`units`"),
        ({"units": "8"}, ValueError, "`units`"),
        ({"dropout": 1.0}, ValueError, "`dropout`"),
        ({"recurrent_dropout": -0.1}, ValueError, "`recurrent_dropout`"),
        ({"bidirectional": "yes"}, TypeError, "`bidirectional`"),
        ({"segment_length": 0}, ValueError, "`segment_length`"),
        ({"segment_length": 2, "embedding_dim": 3}, ValueError, "cannot be combined"),
    ],
)
def test_check_network_params_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        check_network_params(**kwargs)


def test_builder_errors():
    with pytest.raises(ValueError, match="must divide"):
        build_recurrent_model((10, 1), 1, segment_length=3)
    with pytest.raises(TypeError, match="`vocab_size`"):
        build_recurrent_model((10,), 1, embedding_dim=3)
    with pytest.raises(ValueError, match="input_shape"):
        build_recurrent_model((10,), 1)
    with pytest.raises(ValueError, match="output_shape"):
        build_recurrent_model((10, 1), 0)


def test_reinitialize_is_deterministic_and_matches_layers():
    model = build_recurrent_model((6, 2), (2,), cell="lstm", units=(4, 3), bidirectional=True)
    assert can_reinitialize(model)
    reinitialize(model, 3)
    first = [v.numpy().copy() for v in model.variables]
    reinitialize(model, 4)
    assert not np.array_equal(first[0], model.variables[0].numpy())
    reinitialize(model, 3)
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(first, model.variables, strict=True))
    bias = model.get_layer("recurrent_1").forward_layer.cell.bias.numpy()
    np.testing.assert_array_equal(bias[3:6], 1.0)  # unit_forget_bias kept


def test_reinitialize_refuses_unknown_variables():
    import keras

    class Scale(keras.layers.Layer):
        def build(self, shape):
            self.w = self.add_weight(shape=(1,), initializer="ones", name="w")

        def call(self, x):
            return x * self.w

    inp = keras.Input((3,))
    model = keras.Model(inp, Scale()(inp))
    assert not can_reinitialize(model)
    with pytest.raises(ValueError, match="initializer is unknown"):
        reinitialize(model, 0)


def test_import_is_lazy():
    code = "import sys, forecast.networks; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"input_shape": (5.7, 2)}, TypeError, r"`input_shape\[0\]` must be a positive integer"),
    ({"input_shape": (0, 2)}, ValueError, r"`input_shape\[0\]` must be a positive integer"),
    ({"input_shape": (None, 2)}, TypeError, r"`input_shape\[0\]`"),
    ({"input_shape": 5}, ValueError, r"`input_shape` must be \(T, F\)\. "
                                     r"Received: input_shape=\(5,\)"),
    ({"input_shape": (5, 2, 1)}, ValueError, r"`input_shape` must be a tuple of 1 or 2"),
    ({"output_shape": 2.0}, ValueError, r"`output_shape` must be a tuple of 1 or 2 or 3"),
    ({"dense_activation": "nope"}, ValueError,
     r"`dense_activation` must be a Keras activation name .* Received: dense_activation='nope'"),
    ({"output_activation": "sigmoidd"}, ValueError, r"`output_activation` must be a Keras"),
])
def test_build_recurrent_model_checks_the_shapes(kwargs, exc, match):
    from forecast.networks import build_recurrent_model

    args = {"input_shape": (6, 2), "output_shape": 3, **kwargs}
    with pytest.raises(exc, match=match):
        build_recurrent_model(args.pop("input_shape"), args.pop("output_shape"), units=4,
                              **args)


def test_numpy_integer_shapes_build():
    from forecast.networks import build_recurrent_model

    model = build_recurrent_model((np.int64(6), 2), np.int64(3), units=4)
    assert model.output_shape == (None, 3)


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"dropout": 2.0}, ValueError, r"`dropout` must be in \[0.0, 1.0\)\. Received: dropout=2.0"),
    ({"recurrent_dropout": "a"}, TypeError, r"`recurrent_dropout` must be a number"),
    ({"bidirectional": "no"}, TypeError, r"`bidirectional` must be a bool"),
])
def test_recurrent_layer_checks_its_arguments(kwargs, exc, match):
    from forecast.networks import recurrent_layer

    with pytest.raises(exc, match=match):
        recurrent_layer("lstm", 4, **kwargs)
