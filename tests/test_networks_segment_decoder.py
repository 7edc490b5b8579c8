"""SegRNN's parallel segment decoding: builder, layer, estimator round trips."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from forecast.estimators import GRURegressor, LSTMRegressor, RNNRegressor
from forecast.networks import build_recurrent_model, check_network_params
from forecast.networks._reinit import can_reinitialize, reinitialize
from forecast.networks._segment_decoder import custom_objects, segment_decoder


@pytest.mark.parametrize("cell", ["gru", "lstm", "rnn"])
@pytest.mark.parametrize(
    ("output_shape", "expected_segments"), [((24,), 4), ((20,), 4), ((6, 3), 1)]
)
def test_segment_decoder_shapes(cell, output_shape, expected_segments):
    model = build_recurrent_model((24, 2), output_shape, cell=cell, units=(5, 4),
                                  segment_length=6, decoder="segments", dropout=0.3)
    assert model.output_shape == (None, *output_shape)
    dec = model.get_layer("segment_decoder")
    assert dec.n_segments == expected_segments
    assert model.get_layer("segment_embedding").units == 5
    assert model.get_layer("decoder_dropout").rate == 0.3
    # dropout is not applied to the recurrent inputs with this decoder
    assert model.get_layer("recurrent_0").dropout == 0
    x = np.random.default_rng(0).normal(size=(3, 24, 2)).astype("float32")
    assert model.predict_on_batch(x).shape == (3, *output_shape)


def test_segments_are_decoded_in_parallel_from_the_same_state():
    """Each output segment depends on its own position embedding only."""
    model = build_recurrent_model((12, 1), (12,), cell="gru", units=4, segment_length=4,
                                  decoder="segments")
    dec = model.get_layer("segment_decoder")
    emb = dec.embeddings.numpy()
    x = np.random.default_rng(1).normal(size=(2, 12, 1)).astype("float32")
    before = model.predict_on_batch(x)
    changed = emb.copy()
    changed[2] += 1.0  # only the third output segment's position
    dec.embeddings.assign(changed)
    after = model.predict_on_batch(x)
    np.testing.assert_allclose(before[:, :8], after[:, :8], rtol=1e-6)
    assert not np.allclose(before[:, 8:], after[:, 8:])


@pytest.mark.parametrize("cell", ["gru", "lstm", "rnn"])
@pytest.mark.parametrize("units", [(5,), (3, 5)])
def test_shared_segments_reuse_the_encoder_layer(cell, units):
    """SegRNN's single GRU: the decoding step is the encoder's last layer itself."""
    kw = {"cell": cell, "units": units, "segment_length": 6, "dropout": 0.2}
    shared = build_recurrent_model((24, 2), (20,), decoder="shared_segments", **kw)
    separate = build_recurrent_model((24, 2), (20,), decoder="segments", **kw)
    assert shared.output_shape == (None, 20)
    last = shared.get_layer(f"recurrent_{len(units) - 1}")
    assert len(last._inbound_nodes) == 2  # encoder pass + decoding pass
    cell_params = sum(int(np.prod(w.shape)) for w in separate.get_layer("segment_decoder")
                      .cell.weights)
    queries = shared.get_layer("segment_queries").embeddings
    size_in = units[-2] if len(units) > 1 else units[0]
    assert tuple(queries.shape) == (4, size_in)
    emb = separate.get_layer("segment_decoder").embeddings
    assert shared.count_params() == (separate.count_params() - cell_params
                                     - int(np.prod(emb.shape)) + int(np.prod(queries.shape)))
    x = np.random.default_rng(0).normal(size=(3, 24, 2)).astype("float32")
    assert shared.predict_on_batch(x).shape == (3, 20)


def test_shared_segments_decode_each_segment_from_its_own_query():
    model = build_recurrent_model((12, 1), (12,), cell="gru", units=4, segment_length=4,
                                  decoder="shared_segments")
    q = model.get_layer("segment_queries")
    x = np.random.default_rng(1).normal(size=(2, 12, 1)).astype("float32")
    before = model.predict_on_batch(x)
    changed = q.embeddings.numpy().copy()
    changed[0] += 1.0  # only the first output segment's position
    q.embeddings.assign(changed)
    after = model.predict_on_batch(x)
    assert not np.allclose(before[:, :4], after[:, :4])
    np.testing.assert_allclose(before[:, 4:], after[:, 4:], rtol=1e-6)


def test_segment_decoder_layer_round_trip():
    layer = segment_decoder("lstm", 3, n_segments=2, name="dec")
    h = np.ones((4, 3), "float32")
    out = layer([h, h])
    assert tuple(out.shape) == (4, 2, 3)
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert (clone.cell_name, clone.units, clone.n_segments) == ("lstm", 3, 2)
    assert {"SegmentDecoder", "forecast>SegmentDecoder", "SegmentQueries",
            "forecast>FoldSegments"} <= set(custom_objects())
    with pytest.raises(ValueError, match="`cell` must be one of"):
        type(layer)(cell="tcn", units=3, n_segments=2)


@pytest.mark.parametrize("decoder", ["segments", "shared_segments"])
def test_reinitialize_covers_the_decoder(decoder):
    model = build_recurrent_model((12, 1), (8,), cell="lstm", units=4, segment_length=4,
                                  decoder=decoder)
    assert can_reinitialize(model)
    reinitialize(model, 0)
    first = [v.numpy().copy() for v in model.variables]
    reinitialize(model, 1)
    reinitialize(model, 0)
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(first, model.variables, strict=True))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"decoder": "attention"}, "`decoder` must be one of"),
        ({"decoder": "segments"}, "set segment_length"),
        ({"decoder": "segments", "segment_length": 2, "bidirectional": True},
         "bidirectional=True"),
        ({"decoder": "segments", "segment_length": 2, "pooling": "max"}, "pooling='last'"),
        ({"decoder": "shared_segments"}, "decoder='shared_segments'.*set segment_length"),
    ],
)
def test_decoder_param_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_network_params(**kwargs)


# each decoder with one cell in CI (the decoders do not depend on the cell: both cells
# build through the same segment encoder, tested above); the other pairs with -m slow
@pytest.mark.parametrize(("cls", "decoder"), [
    (GRURegressor, "segments"), (LSTMRegressor, "shared_segments"),
    pytest.param(LSTMRegressor, "segments", marks=pytest.mark.slow),
    pytest.param(GRURegressor, "shared_segments", marks=pytest.mark.slow)])
def test_regressor_with_segment_decoder(cls, decoder, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 12, 2))
    y = rng.normal(size=(40, 10))
    est = cls(units=6, segment_length=4, decoder=decoder, epochs=2, random_state=0)
    pred = est.fit(X, y).predict(X)
    assert pred.shape == (40, 10)
    again = pickle.loads(pickle.dumps(est)).predict(X)
    np.testing.assert_allclose(again, pred, rtol=1e-6)
    np.testing.assert_allclose(est.fit(X, y).predict(X), pred, rtol=1e-6)  # reused model
    path = est.save(tmp_path / "m.keras")
    loaded = type(est).load(path)
    np.testing.assert_allclose(loaded.predict(X), pred, rtol=1e-6)


@pytest.mark.parametrize("decoder", ["segments", "shared_segments"])
def test_hidden_states_of_the_encoder(decoder):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(16, 12, 1)), rng.normal(size=(16, 8))
    est = GRURegressor(units=(4, 3), segment_length=4, decoder=decoder, epochs=1,
                       random_state=0, run_eagerly=True).fit(X, y)  # shapes, not graphs
    assert est.hidden_states(X, layer=0).shape == (16, 3, 4)
    assert est.hidden_states(X, layer=1).shape == (16, 3, 3)


def test_regressor_decoder_error_before_tensorflow():
    X, y = np.zeros((8, 12, 1)), np.zeros((8, 4))
    with pytest.raises(ValueError, match="decoder='segments'.*segment_length"):
        RNNRegressor(decoder="segments").fit(X, y)
    with pytest.raises(ValueError, match="`decoder` must be one of"):
        RNNRegressor(decoder="Segments", segment_length=4).fit(X, y)


def test_mask_value_with_segments_is_refused():
    """Segments drop Keras' mask (it warned and read the padding as values)."""
    from forecast.networks._recurrent_checks import check_mask_with_segments

    check_mask_with_segments(None, 24)
    check_mask_with_segments(0.0, None)
    with pytest.raises(ValueError, match=r"mask_value=0.0, segment_length=4"):
        build_recurrent_model((12, 1), (4,), cell="gru", units=4, segment_length=4,
                              mask_value=0.0)
    est = GRURegressor(units=4, segment_length=4, mask_value=-1.0, epochs=1)
    with pytest.raises(ValueError, match=r"`mask_value` cannot be combined with `segment_length`"):
        est.fit(np.zeros((8, 12, 1), dtype="float32"), np.zeros((8, 4)))
