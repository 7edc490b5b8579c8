"""Tests of forecast.preprocessing.SequenceScaler."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from forecast.preprocessing import SequenceScaler, make_windows

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("per", ["feature", "window", "series"])
def test_check_estimator(per):
    check_estimator(SequenceScaler(per=per))


def test_per_feature_matches_sklearn_on_flattened_windows():
    X = RNG.normal(size=(10, 5, 3)) * [1.0, 10.0, 100.0]
    sc = SequenceScaler("standard").fit(X)
    ref = StandardScaler().fit(X.reshape(-1, 3))
    np.testing.assert_allclose(sc.scaler_.mean_, ref.mean_)
    np.testing.assert_allclose(sc.transform(X), ref.transform(X.reshape(-1, 3)).reshape(X.shape))
    assert sc.n_features_in_ == 3
    # a 2-D (n_samples, n_features) array is scaled with the same statistics
    np.testing.assert_allclose(sc.transform(X[0]), ref.transform(X[0]))


def test_per_feature_target_predictions():
    series = np.column_stack([np.arange(40.0), np.arange(40.0) * 100 + 5])
    X, y = make_windows(series, window=6, horizon=3, target=1)
    sc = SequenceScaler("minmax").fit(X)
    ys = sc.transform(y, features=1)
    assert ys.shape == y.shape
    np.testing.assert_allclose(sc.inverse_transform(ys, features=1), y)
    _, y2 = make_windows(series, window=6, horizon=3, target=[1, 0])
    y2s = sc.transform(y2, features=[1, 0])
    np.testing.assert_allclose(sc.inverse_transform(y2s, features=[1, 0]), y2)


def test_per_window_instance_normalisation_and_inverse():
    levels = np.array([1.0, 1e3, 1e6])[:, None, None]
    X = (1 + RNG.random((3, 8, 2))) * levels
    sc = SequenceScaler("standard", per="window").fit(X[:1])  # fit learns no statistics
    Xs = sc.transform(X)
    np.testing.assert_allclose(Xs.mean(axis=1), 0, atol=1e-9)
    np.testing.assert_allclose(Xs.std(axis=1), 1, atol=1e-9)
    np.testing.assert_allclose(sc.inverse_transform(Xs, reference=X), X, rtol=1e-12)
    # predictions of feature 0 for the next 4 steps, inverted with each window's statistics
    y_scaled = np.ones((3, 4))
    y = sc.inverse_transform(y_scaled, reference=X, features=0)
    expected = X[:, :, 0].mean(axis=1) + X[:, :, 0].std(axis=1)
    np.testing.assert_allclose(y, np.repeat(expected[:, None], 4, axis=1))


def test_per_series_pools_features():
    X = np.stack([np.column_stack([np.arange(4.0), np.arange(4.0) + 10])] * 2)
    X[1] *= 50
    sc = SequenceScaler("minmax", per="series").fit(X)
    Xs = sc.transform(X)
    np.testing.assert_allclose(Xs[0], Xs[1])
    assert Xs.min() == 0.0
    assert Xs.max() == 1.0
    y = sc.inverse_transform(np.full((2, 3, 2), 0.5), reference=X)
    np.testing.assert_allclose(y[:, 0, 0], [6.5, 325.0])


@pytest.mark.parametrize("method", ["standard", "minmax", "robust"])
@pytest.mark.parametrize("per", ["feature", "window", "series"])
def test_constant_windows_stay_finite(method, per):
    X = np.full((3, 5, 2), 7.0)
    X[1] = 0.0
    sc = SequenceScaler(method, per=per).fit(X)
    Xs = sc.transform(X)
    assert np.isfinite(Xs).all()
    ref = None if per == "feature" else X
    np.testing.assert_allclose(sc.inverse_transform(Xs, reference=ref), X)


def test_scaler_instance_is_cloned_and_float32_kept():
    proto = MinMaxScaler(feature_range=(-1, 1))
    X = RNG.random((4, 6, 2)).astype(np.float32)
    sc = SequenceScaler(proto).fit(X)
    assert not hasattr(proto, "data_min_")
    assert sc.scaler_ is not proto
    Xs = sc.transform(X)
    assert Xs.dtype == np.float32
    assert Xs.min() == pytest.approx(-1)
    assert Xs.max() == pytest.approx(1)
    SequenceScaler(MaxAbsScaler(), per="window").fit_transform(X)


def test_input_not_mutated():
    X = RNG.random((4, 6, 2))
    before = X.copy()
    for per in ("feature", "window", "series"):
        sc = SequenceScaler(per=per).fit(X)
        Xs = sc.transform(X)
        sc.inverse_transform(Xs, reference=None if per == "feature" else X)
    np.testing.assert_array_equal(X, before)


@pytest.mark.parametrize(
    ("params", "exc", "match"),
    [
        ({"method": "zscore"}, ValueError, "`method` must be one of.*Received: method='zscore'"),
        ({"method": object()}, TypeError, "`method` must be 'standard'"),
        ({"per": "sample"}, ValueError, "`per` must be one of.*Received: per='sample'"),
    ],
)
def test_parameter_errors(params, exc, match):
    with pytest.raises(exc, match=match):
        SequenceScaler(**params).fit(np.ones((3, 2)))


def test_usage_errors():
    X = RNG.random((4, 6, 2))
    sc = SequenceScaler().fit(X)
    with pytest.raises(ValueError, match="X has 3 features, but SequenceScaler is expecting 2"):
        sc.transform(np.ones((4, 6, 3)))
    with pytest.raises(ValueError, match="X has 3 features, but SequenceScaler is expecting 2"):
        sc.inverse_transform(np.ones((4, 3)))
    with pytest.raises(ValueError, match="`features` must be an int or"):
        sc.transform(np.ones((4, 3)), features=5)
    with pytest.raises(ValueError, match="The last axis of X must match `features`"):
        sc.transform(np.ones((4, 3, 3)), features=[0, 1])
    with pytest.raises(ValueError, match="`reference` is only used with per='window'"):
        sc.inverse_transform(np.ones((4, 2)), reference=X)
    with pytest.raises(ValueError, match="Found array with dim 4"):
        sc.fit(np.ones((2, 2, 2, 2)))
    win = SequenceScaler(per="window").fit(X)
    with pytest.raises(ValueError, match="`reference` .* is required to invert per='window'"):
        win.inverse_transform(np.ones((4, 2)))
    with pytest.raises(ValueError, match="same number of windows"):
        win.inverse_transform(np.ones((3, 2)), reference=X)
    with pytest.raises(ValueError, match="must match the 2 reference feature"):
        win.inverse_transform(np.ones((4, 2)), reference=X)
    with pytest.raises(ValueError, match="`features` is only used with per='feature'"):
        win.transform(X, features=0)
    with pytest.raises(ValueError, match="NaN"):
        win.transform(np.full((4, 6, 2), np.nan))
