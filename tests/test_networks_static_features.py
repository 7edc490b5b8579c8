"""Static features (a series' code) embedded into the segment decoder's queries."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from forecast.estimators import GRURegressor, LSTMRegressor
from forecast.estimators._persistence import model_from_bytes, model_to_bytes
from forecast.forecasters import NeuralForecaster
from forecast.networks import build_recurrent_model
from forecast.networks._recurrent_checks import check_static_features


def _windows(n: int = 4, steps: int = 12, codes: int = 3, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, steps, 1 + codes)).astype("float32")
    x[:, :, 1:] = 0.0
    x[np.arange(n), :, 1 + np.arange(n) % codes] = 1.0  # one-hot, constant per window
    return x


@pytest.mark.parametrize("decoder", ["segments", "shared_segments"])
@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_static_features_reach_the_queries_only(decoder, cell):
    model = build_recurrent_model((12, 4), (8,), cell=cell, units=(6,), segment_length=4,
                                  decoder=decoder, static_features=3)
    assert model.output_shape == (None, 8)
    # the encoder reads the remaining column only: segments of 4 steps x 1 feature
    assert model.get_layer("segment_embedding").kernel.shape == (4, 6)
    assert model.get_layer("static_embedding").kernel.shape == (3, 6)
    assert not model.get_layer("static_embedding").use_bias
    x = _windows()
    base = model.predict_on_batch(x)
    other = x.copy()
    other[:, :, 1:] = np.roll(x[:, :, 1:], 1, axis=2)  # another series' code
    assert not np.allclose(base, model.predict_on_batch(other))
    early = x.copy()
    early[:, :-1, 1:] = 5.0  # static columns before the last step are not read
    np.testing.assert_allclose(base, model.predict_on_batch(early), rtol=1e-6)


def test_a_zero_code_equals_no_context():
    """The context is added to the position embeddings: a zero code changes nothing."""
    kw = {"cell": "gru", "units": (5,), "segment_length": 4, "decoder": "shared_segments"}
    with_code = build_recurrent_model((12, 3), (8,), static_features=2, **kw)
    plain = build_recurrent_model((12, 1), (8,), **kw)
    for layer in plain.layers:
        if layer.weights:
            layer.set_weights(with_code.get_layer(layer.name).get_weights())
    x = _windows(codes=2)
    x[:, :, 1:] = 0.0
    np.testing.assert_allclose(with_code.predict_on_batch(x),
                               plain.predict_on_batch(x[:, :, :1]), rtol=1e-5, atol=1e-6)


def test_static_features_model_round_trip():
    model = build_recurrent_model((12, 4), (8,), cell="gru", units=(6,), segment_length=4,
                                  decoder="shared_segments", static_features=3)
    x = _windows()
    back = model_from_bytes(model_to_bytes(model))
    np.testing.assert_allclose(model.predict_on_batch(x), back.predict_on_batch(x), rtol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"static_features": -1}, ValueError, r"`static_features` must be a non-negative.*-1"),
        ({"static_features": True}, ValueError, r"`static_features` must be a non-negative"),
        ({"static_features": 1.5}, ValueError, r"`static_features` must be a non-negative"),
        ({"static_features": 2, "decoder": "dense"}, ValueError,
         r"segment decoder.*static_features=2, decoder='dense'"),
        ({"static_features": 4, "n_features": 4}, ValueError,
         r"at least one of the 4 feature columns.*static_features=4"),
    ],
)
def test_check_static_features_errors(kwargs, exc, match):
    kwargs = {"decoder": "segments", **kwargs}
    with pytest.raises(exc, match=match):
        check_static_features(**kwargs)


def test_check_static_features_happy_path():
    assert check_static_features(0, decoder="dense") == 0
    assert check_static_features(np.int64(2), decoder="segments", n_features=3) == 2


def test_builder_rejects_static_features_without_room():
    with pytest.raises(ValueError, match=r"at least one of the 2 feature columns"):
        build_recurrent_model((12, 2), (8,), cell="gru", units=4, segment_length=4,
                              decoder="segments", static_features=2)


def test_regressor_static_features_fit_predict_pickle():
    x = _windows(n=32)
    y = np.random.default_rng(1).normal(size=(32, 8)).astype("float32")
    est = LSTMRegressor(units=6, segment_length=4, decoder="segments", static_features=3,
                        epochs=1, batch_size=16, random_state=0).fit(x, y)
    pred = est.predict(x)
    assert pred.shape == (32, 8)
    back = pickle.loads(pickle.dumps(est))
    np.testing.assert_allclose(back.predict(x), pred, rtol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "features", "match"),
    [
        ({"static_features": 3, "decoder": "dense"}, 4, r"decoder='dense'"),
        ({"static_features": 4, "decoder": "segments"}, 4, r"at least one of the 4"),
        ({"static_features": -2, "decoder": "segments"}, 4, r"Received: static_features=-2"),
    ],
)
def test_regressor_static_features_errors_before_tensorflow(kwargs, features, match):
    x = np.zeros((8, 12, features), dtype="float32")
    est = GRURegressor(units=4, segment_length=4, epochs=1, **kwargs)
    with pytest.raises(ValueError, match=match):
        est.fit(x, np.zeros((8, 4)))


def _panel() -> dict:
    idx = pd.date_range("2024-01-01", periods=120, freq="h")
    t = np.arange(120)
    return {f"s{i}": pd.Series(np.sin(t / 24 * 2 * np.pi) * (i + 1), index=idx)
            for i in range(3)}


def test_forecaster_series_embedding_sets_static_features():
    est = GRURegressor(units=6, segment_length=12, decoder="shared_segments", epochs=1,
                       batch_size=32)
    f = NeuralForecaster(est, window=24, horizon=12, scaler="last",
                         series_features="embedding", random_state=0).fit(_panel())
    assert est.static_features == 0  # the user's estimator is not touched
    assert f.estimator_.static_features == 3
    assert f.estimator_.n_features_in_ == 4  # the target and the 3-column code
    out = f.predict()
    assert set(out) == {"s0", "s1", "s2"}
    assert all(len(v) == 12 and np.isfinite(v).all() for v in out.values())
    # predict feeds the codes to the decoder's queries: without their embedding the
    # forecasts change
    layer = f.estimator_.model_.get_layer("static_embedding")
    layer.kernel.assign(np.zeros(layer.kernel.shape, dtype="float32"))
    changed = f.predict()
    assert not np.allclose(out["s1"].to_numpy(), changed["s1"].to_numpy())


def test_forecaster_series_embedding_needs_static_features():
    f = NeuralForecaster(Ridge(), window=24, horizon=12, series_features="embedding")
    with pytest.raises(ValueError, match=r"series_features='embedding'.*Received: estimator=Ridge"):
        f.fit(_panel())

