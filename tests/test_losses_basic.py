"""Tests of forecast.networks._losses (get_loss, custom_objects)."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.networks._losses import LOSSES, custom_objects, get_loss


def _value(loss, y, f, sample_weight=None):
    return float(np.asarray(loss(np.asarray(y, "float32"), np.asarray(f, "float32"),
                                 sample_weight=sample_weight)))


def test_unknown_name_raises_before_keras():
    with pytest.raises(ValueError, match=r"`loss` must be one of .*Received: loss='rmsle'"):
        get_loss("rmsle")


def test_non_callable_raises():
    with pytest.raises(TypeError, match=r"`loss` must be a string or a callable. Received: loss=3"):
        get_loss(3)


def test_callable_passes_through():
    def fn(y_true, y_pred):
        return y_true - y_pred

    assert get_loss(fn) is fn


@pytest.mark.parametrize("name", LOSSES)
def test_every_name_resolves_and_is_zero_on_perfect_forecast(name):
    loss = get_loss(name.upper() if name == "mae" else name)
    y = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert _value(loss, y, y) == pytest.approx(0.0, abs=1e-6)


def test_smape_matches_m4_definition():
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    f = np.array([[2.0, 2.0], [1.0, 8.0]])
    expected = np.mean(200 * np.abs(y - f) / (np.abs(y) + np.abs(f)))
    assert _value(get_loss("smape"), y, f) == pytest.approx(expected, rel=1e-5)
    # scale-free: the same on level-normalised values
    assert _value(get_loss("smape"), y / 7, f / 7) == pytest.approx(expected, rel=1e-5)


def test_mase_with_sample_weight_is_weighted_mae():
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    f = np.array([[2.0, 2.0], [1.0, 8.0]])
    w = np.array([1.0, 0.5], "float32")
    per = np.abs(y - f).mean(axis=1)
    expected = (per * w).sum() / 2  # Keras: sum over batch size
    assert _value(get_loss("mase"), y, f, w) == pytest.approx(expected, rel=1e-5)


def test_owa_is_mix_of_smape_and_mae():
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    f = np.array([[2.0, 2.0], [1.0, 8.0]])
    sm = np.mean(2 * np.abs(y - f) / (y + f))
    ma = np.mean(np.abs(y - f))
    assert _value(get_loss("owa"), y, f) == pytest.approx(0.5 * (sm + ma), rel=1e-5)


def test_owa_sample_weight_scales_only_the_absolute_error_term():
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    f = np.array([[2.0, 2.0], [1.0, 8.0]])
    w = np.array([2.0, 0.25], "float32")
    sm = (2 * np.abs(y - f) / (y + f)).mean(axis=1)
    ma = np.abs(y - f).mean(axis=1)
    expected = np.mean(0.5 * sm + 0.5 * w * ma)  # sMAPE unweighted, MASE term weighted
    assert _value(get_loss("owa"), y, f, w) == pytest.approx(expected, rel=1e-5)


def test_owa_log_is_owa_of_the_exponentiated_log_ratios():
    rng = np.random.default_rng(0)
    level = rng.uniform(1, 100, size=(4, 1))
    scale = rng.uniform(0.5, 5, size=(4, 1))
    actual = level * rng.uniform(0.5, 2, size=(4, 6))
    fc = level * rng.uniform(0.5, 2, size=(4, 6))
    w = (level / scale).ravel().astype("float32")
    sm = (2 * np.abs(actual - fc) / (actual + fc)).mean(axis=1)
    mase = (np.abs(actual - fc) / scale).mean(axis=1)  # |Y - F| / scale = w * |y - f|
    y, p = np.log(actual / level), np.log(fc / level)
    got = _value(get_loss("owa_log"), y, p, w)
    assert got == pytest.approx(np.mean(0.5 * sm + 0.5 * mase), rel=1e-4)
    # without weights: sMAPE fraction and the error of the ratios
    ratio_err = np.abs(actual / level - fc / level).mean(axis=1)
    assert _value(get_loss("owa_log"), y, p) == pytest.approx(
        np.mean(0.5 * sm + 0.5 * ratio_err), rel=1e-4)


def test_owa_log_stays_finite_for_extreme_outputs():
    from forecast._tf import tf

    t = tf()
    y = t.constant([[0.0, 0.1]])
    p = t.Variable([[200.0, -200.0]])
    with t.GradientTape() as tape:
        value = get_loss("owa_log")(y, p, sample_weight=t.constant([1.0]))
    grad = tape.gradient(value, p)
    assert np.isfinite(float(value))
    assert np.isfinite(grad.numpy()).all()


def test_three_dimensional_targets():
    y = np.ones((3, 4, 2))
    f = np.full((3, 4, 2), 2.0)
    assert _value(get_loss("mase"), y, f) == pytest.approx(1.0)
    assert _value(get_loss("smape"), y, f) == pytest.approx(200 / 3, rel=1e-5)


def test_saved_model_with_forecast_loss_loads(tmp_path):
    from forecast._tf import keras

    k = keras()
    k.utils.set_random_seed(0)
    inputs = k.Input((3,))
    model = k.Model(inputs, k.layers.Dense(2)(inputs))
    model.compile(optimizer="adam", loss=get_loss("owa"))
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    model.fit(x, x[:, :2], epochs=1, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = k.models.load_model(path, custom_objects=custom_objects())
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert type(loaded.loss).__name__ == "OWALoss"
    assert "forecast>OWALoss" in custom_objects()


def test_owa_log_config_round_trips():
    loss = get_loss("owa_log")
    again = type(loss).from_config(loss.get_config())
    assert again.log_targets
    assert again.name == "owa_log"
    assert not get_loss("owa").log_targets


@pytest.mark.parametrize("name", ["smape", "owa", "owa_log"])
def test_estimator_with_forecast_loss_saves_and_loads(tmp_path, name):
    from forecast.estimators import GRURegressor, RNNRegressor

    rng = np.random.default_rng(0)
    X, y = rng.uniform(1, 2, size=(32, 6, 1)), rng.uniform(1, 2, size=(32, 2))
    est = GRURegressor(units=4, epochs=1, loss=name, random_state=0).fit(X, y)
    path = est.save(tmp_path / "gru.keras")
    loaded = RNNRegressor.load(path)
    np.testing.assert_allclose(loaded.predict(X), est.predict(X), rtol=1e-6)
