"""forecast.networks: the linear highway (LSTNet) of the recurrent builder and estimators."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.estimators import GRURegressor, LSTMRegressor
from forecast.networks._recurrent import build_recurrent_model, check_highway


def _silence_recurrent_head(model):
    """Zero the recurrent path's output layer, so only the highway is left."""
    out = model.get_layer("output")
    out.set_weights([np.zeros_like(w) for w in out.get_weights()])


@pytest.mark.parametrize(
    ("kwargs", "output_shape"),
    [({"cell": "gru", "units": 4}, (5,)),
     ({"cell": "lstm", "units": (4, 3)}, (4, 2)),
     ({"cell": "gru", "units": 4, "segment_length": 3, "decoder": "shared_segments"}, (5,)),
     ({"cell": "gru", "units": 4, "segment_length": 3, "decoder": "segments"}, (4, 2))],
)
def test_highway_adds_a_linear_map_of_the_flattened_window(kwargs, output_shape):
    model = build_recurrent_model((6, 2), output_shape, highway=True, **kwargs)
    assert model.output_shape == (None, *output_shape)
    _silence_recurrent_head(model)
    x = np.random.default_rng(0).normal(size=(3, 6, 2)).astype("float32")
    kernel, bias = model.get_layer("highway").get_weights()
    assert kernel.shape == (12, int(np.prod(output_shape)))
    expected = (x.reshape(3, 12) @ kernel + bias).reshape(3, *output_shape)
    np.testing.assert_allclose(model.predict_on_batch(x), expected, rtol=1e-5, atol=1e-5)


def test_without_highway_there_is_no_linear_path():
    model = build_recurrent_model((6, 2), (5,), cell="gru", units=4)
    assert "highway" not in [layer.name for layer in model.layers]


def test_each_ensemble_member_gets_its_own_highway():
    model = build_recurrent_model((6, 1), (3,), cell="gru", units=4, highway=True, n_members=2)
    assert model.output_shape == (None, 2, 3)
    for i in range(2):
        assert model.get_layer(f"member_{i}").get_layer("highway").kernel.shape == (6, 3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"embedding_dim": 4}, r"`embedding_dim`.*embedding_dim=4"),
     ({"mask_value": 0.0}, r"`mask_value`.*mask_value=0.0"),
     ({"output_activation": "sigmoid"}, r"`output_activation`.*output_activation='sigmoid'")],
)
def test_check_highway_rejects_what_it_cannot_combine_with(kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_highway(True, **kwargs)
    assert check_highway(False, **kwargs) is False


def test_check_highway_wants_a_bool():
    assert check_highway(True) is True
    with pytest.raises(TypeError, match=r"`highway` must be a bool. Received: highway='yes'"):
        check_highway("yes")


def test_regressor_with_highway_fits_predicts_and_learns_a_linear_target():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(256, 8, 1)).astype("float32")
    y = 0.5 * X[:, -1, 0:1] - 0.25 * X[:, 0, 0:1] + np.array([[0.0, 1.0]])  # (256, 2)
    est = GRURegressor(units=4, highway=True, epochs=40, batch_size=32, learning_rate=1e-2,
                       random_state=0).fit(X, y)
    assert est.get_params()["highway"] is True
    assert est.model_.get_layer("highway").kernel.shape == (8, 2)
    pred = est.predict(X)
    assert pred.shape == (256, 2)
    assert np.mean((pred - y) ** 2) < 0.01 * np.var(y, axis=0).sum() + 1e-3


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [({"mask_value": 0.0}, ValueError, r"cannot be combined with `mask_value`"),
     ({"highway": "yes"}, TypeError, r"highway='yes'")],
)
def test_regressor_rejects_bad_highway_before_training(kwargs, error, match):
    X, y = np.zeros((8, 4, 1)), np.zeros(8)
    params = {"highway": True, "units": 2, "epochs": 1, **kwargs}
    with pytest.raises(error, match=match):
        LSTMRegressor(**params).fit(X, y)
