"""Defects found by the 2026-12-07 audit of preprocessing and scikit-learn interop."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from forecast.estimators import GRURegressor
from forecast.preprocessing import SequenceScaler, SlidingWindow, make_windows

RNG = np.random.default_rng(0)


# --- a failed refit leaves the transformer as it was ---------------------------------------

@pytest.mark.parametrize("make", [SequenceScaler, lambda: SlidingWindow(2)])
def test_failed_refit_keeps_the_previous_fit(make):
    df = pd.DataFrame(RNG.normal(size=(10, 3)), columns=["a", "b", "c"])
    bad = pd.DataFrame(np.full((10, 3), np.nan), columns=["x", "y", "z"])
    est = make().fit(df)
    before = est.transform(df)
    state = dict(vars(est))
    with pytest.raises(ValueError, match="NaN"):
        est.fit(bad)
    assert list(vars(est)) == list(state)
    np.testing.assert_array_equal(est.transform(df), before)


def test_sliding_window_failed_refit_does_not_cut_rows_silently():
    sw = SlidingWindow(2).fit(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="must be 2-D"):
        sw.fit(np.zeros((4, 7, 1, 1)))
    with pytest.raises(ValueError, match="3 features"):  # rows of 7 steps: refused, not cut
        sw.transform(np.arange(14.0).reshape(2, 7))


# --- repeated features ---------------------------------------------------------------------

def test_repeated_features_are_each_transformed():
    sc = SequenceScaler().fit(np.array([[0.0, 0.0], [2.0, 200.0]]))  # mean (1, 100), scale (1, 100)
    np.testing.assert_allclose(sc.transform(np.array([[1.0, 3.0]]), features=[0, 0]),
                               [[0.0, 2.0]])
    np.testing.assert_allclose(sc.inverse_transform(np.array([[0.0, 2.0]]), features=[0, 0]),
                               [[1.0, 3.0]])
    np.testing.assert_allclose(
        sc.transform(np.array([[1.0, 300.0, 3.0]]), features=[0, 1, 0]), [[0.0, 2.0, 2.0]])


# --- Pipeline.set_output --------------------------------------------------------------------

@pytest.mark.parametrize("transform", ["default", "pandas"])
def test_pipeline_set_output_accepts_the_steps(transform):
    X = RNG.normal(size=(6, 3))
    pipe = make_pipeline(SequenceScaler(), StandardScaler()).set_output(transform=transform)
    out = pipe.fit_transform(X)  # the last step follows the setting, ours stays an ndarray
    assert isinstance(out, pd.DataFrame if transform == "pandas" else np.ndarray)
    assert isinstance(pipe[0].transform(X), np.ndarray)
    sw = SlidingWindow(1)
    assert make_pipeline(sw, GRURegressor(units=2)).set_output(transform=transform)[0] is sw
    assert isinstance(sw.fit_transform(X), np.ndarray)


def test_set_output_refuses_an_unknown_container():
    with pytest.raises(ValueError, match="`transform` must be .* Received: transform='arrow'"):
        SequenceScaler().set_output(transform="arrow")


# --- messages name the argument -------------------------------------------------------------

def test_nan_in_inverse_transform_and_features_is_located():
    sc = SequenceScaler().fit(RNG.normal(size=(5, 2)))
    with pytest.raises(ValueError, match=r"`X` contains NaN at position \[1, 0\]"):
        sc.inverse_transform(np.array([[0.0, 1.0], [np.nan, 2.0]]))
    with pytest.raises(ValueError, match=r"`X` contains NaN at position \[2\]"):
        sc.transform(np.array([1.0, 2.0, np.nan]), features=0)
    with pytest.raises(ValueError, match=r"`X` contains infinity at position \[0, 0\]"):
        SequenceScaler(per="window").fit(np.ones((1, 2))).inverse_transform(
            np.array([[np.inf]]), reference=np.ones((1, 2)))


def test_a_zero_d_array_target_is_the_scalar_it_holds():
    X = np.arange(20.0).reshape(10, 2)
    np.testing.assert_array_equal(make_windows(X, window=3, horizon=2, target=np.array(1))[1],
                                  make_windows(X, window=3, horizon=2, target=1)[1])


@pytest.mark.parametrize("name", ["X", "y"])
def test_ragged_lists_get_a_named_error(name):
    X, y = [[1.0, 2.0], [3.0, 4.0]], [[1.0], [2.0]]
    if name == "X":
        X = [[1.0, 2.0], [3.0]]
    else:
        y = [[1.0], [2.0, 3.0]]
    with pytest.raises(ValueError, match=rf"`{name}` must be a rectangular array: its rows have "
                                         rf"different lengths \(ragged\).*Received: {name} of "
                                         r"type list"):
        GRURegressor(units=2, epochs=1).fit(X, y)


def test_float16_input_becomes_float64():
    X = RNG.normal(size=(2, 5)).astype(np.float16)
    assert SlidingWindow(2).fit_transform(X).dtype == np.float64
    assert SequenceScaler().fit_transform(X).dtype == np.float64
    assert SequenceScaler().fit_transform(X.astype(np.float32)).dtype == np.float32


def test_make_windows_copies_a_frame_with_an_added_column_and_says_so():
    df = pd.DataFrame(RNG.normal(size=(10, 2)), columns=["load", "temp"])
    assert np.shares_memory(make_windows(df, window=3, horizon=1)[0], df["load"].to_numpy())
    df["hour"] = 1.0  # a second block: the documented copy
    assert not np.shares_memory(make_windows(df, window=3, horizon=1)[0], df["load"].to_numpy())
    fresh = df.copy()  # consolidated: a view again
    assert np.shares_memory(make_windows(fresh, window=3, horizon=1)[0],
                            fresh["load"].to_numpy())
    assert "several blocks" in make_windows.__doc__
    read = pd.read_csv(io.StringIO("a,b\n1.0,2.0\n3.0,4.0\n5.0,6.0\n"))  # the documented copy
    assert not np.shares_memory(make_windows(read, window=1, horizon=1)[0], read["a"].to_numpy())
    consolidated = read.copy()
    assert np.shares_memory(make_windows(consolidated, window=1, horizon=1)[0],
                            consolidated["a"].to_numpy())


# --- pandas nullable dtypes -----------------------------------------------------------------

def test_nullable_frames_fit_like_float_frames():
    X = pd.DataFrame(RNG.normal(size=(20, 5)))
    y = pd.DataFrame(RNG.normal(size=(20, 2)))
    plain = GRURegressor(units=2, epochs=1, random_state=0).fit(X, y).predict(X)
    nullable = GRURegressor(units=2, epochs=1, random_state=0).fit(
        X.astype("Float64"), y.astype("Float64")).predict(X.astype("Float64"))
    np.testing.assert_array_equal(plain, nullable)
    missing = X.astype("Float64")
    missing.iloc[3, 1] = pd.NA
    with pytest.raises(ValueError, match=r"`X` contains NaN at position \[3, 1\]"):
        GRURegressor(units=2, epochs=1).fit(missing, y)
