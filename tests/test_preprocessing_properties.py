"""Property tests (hypothesis) for windowing and scaling."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from forecast.preprocessing import SequenceScaler, SlidingWindow, make_windows

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True)


@st.composite
def window_problems(draw):
    window = draw(st.integers(1, 6))
    horizon = draw(st.integers(1, 4))
    gap = draw(st.integers(0, 3))
    stride = draw(st.integers(1, 4))
    n_features = draw(st.integers(1, 3))
    n = draw(st.integers(window + gap + horizon, window + gap + horizon + 25))
    # unique values: every cell is identifiable by its value
    data = np.arange(n * n_features, dtype=np.float64).reshape(n, n_features) + 0.5
    return data, window, horizon, gap, stride


@SETTINGS
@given(window_problems())
def test_targets_are_the_horizon_values_after_the_inputs(problem):
    data, window, horizon, gap, stride = problem
    X, y, pos = make_windows(
        data, window=window, horizon=horizon, gap=gap, stride=stride, return_index=True
    )
    n_expected = (len(data) - window - gap - horizon) // stride + 1
    assert X.shape == (n_expected, window, data.shape[1])
    y3 = y if y.ndim == 3 else y[:, :, None]
    offset = (len(data) - window - gap - horizon) % stride  # aligned to the newest row
    for i in range(n_expected):
        start = offset + i * stride
        np.testing.assert_array_equal(X[i], data[start : start + window])
        assert pos[i] == start + window + gap
        np.testing.assert_array_equal(y3[i], data[pos[i] : pos[i] + horizon])
        # no target value ever appears among its own window's inputs
        assert not np.isin(y3[i], X[i]).any()
    # the last window's targets end at the last row; fewer than `stride` oldest rows unused
    assert pos[-1] + horizon == len(data)
    assert pos[0] - window - gap < stride


@SETTINGS
@given(window_problems(), st.data())
def test_single_target_selection(problem, data_st):
    data, window, horizon, gap, stride = problem
    col = data_st.draw(st.integers(0, data.shape[1] - 1))
    _, y, pos = make_windows(
        data,
        window=window,
        horizon=horizon,
        gap=gap,
        stride=stride,
        target=col,
        return_index=True,
    )
    for i in range(len(pos)):
        np.testing.assert_array_equal(y[i], data[pos[i] : pos[i] + horizon, col])


@SETTINGS
@given(st.integers(1, 6), st.integers(1, 4), st.integers(1, 12), st.integers(1, 4),
       st.integers(1, 3))
def test_sliding_window_covers_each_row_in_order(window, stride, n_steps, n, f):
    X = np.arange(n * n_steps * f, dtype=np.float64).reshape(n, n_steps, f) + 1.0
    Xt = SlidingWindow(window=window, stride=stride, fill_value=np.nan).fit_transform(X)
    excess = max(n_steps - window, 0)
    n_windows = (-(-excess // stride) if stride <= window else excess // stride) + 1
    assert Xt.shape[:2] == (n, n_windows)
    for i in range(n):
        steps = Xt[i].reshape(n_windows, window, f)
        np.testing.assert_array_equal(steps[-1, -min(window, n_steps):], X[i, -window:])
        seen = steps[~np.isnan(steps[:, :, 0])]
        if stride <= window:  # every step of the row, no other row's
            assert set(seen[:, 0]) == set(X[i, :, 0])
        else:  # dilated: only complete windows of this row
            assert set(seen[:, 0]) <= set(X[i, :, 0])
            assert n_steps < window or not np.isnan(steps).any()
        for j in range(1, len(steps)):  # consecutive windows are `stride` steps apart
            first = min(stride, window)
            np.testing.assert_array_equal(steps[j, : window - first], steps[j - 1, first:])


finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@SETTINGS
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 7), st.integers(1, 3)),
        elements=finite,
    ),
    st.sampled_from(["standard", "minmax", "robust"]),
    st.sampled_from(["feature", "window", "series"]),
    st.booleans(),
)
def test_inverse_transform_round_trip(X, method, per, flat):
    if flat:  # 2-D inputs: (n_samples, n_features) or (n_windows, n_timesteps)
        X = X[:, :, 0]
    sc = SequenceScaler(method, per=per).fit(X)
    Xs = sc.transform(X)
    assert Xs.shape == X.shape
    assert np.isfinite(Xs).all()
    back = sc.inverse_transform(Xs, reference=None if per == "feature" else X)
    np.testing.assert_allclose(back, X, rtol=0, atol=1e-6)
