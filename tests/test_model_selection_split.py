"""Splitters: fold placement, panels and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.model_selection import ExpandingWindowSplitter, SlidingWindowSplitter


def _folds(cv, y):
    return [(tr.tolist(), te.tolist()) for tr, te in cv.split(y)]


def test_expanding_anchored_at_end():
    cv = ExpandingWindowSplitter(horizon=2, n_splits=2)
    assert _folds(cv, 7) == [([0, 1, 2], [3, 4]), ([0, 1, 2, 3, 4], [5, 6])]
    assert cv.get_n_splits(7) == 2
    assert cv.get_n_splits() == 2
    assert cv.get_cutoffs(7).tolist() == [2, 4]


def test_expanding_all_folds_with_step_and_initial():
    cv = ExpandingWindowSplitter(horizon=2, step=1, initial_train_size=3)
    folds = _folds(cv, 8)
    assert len(folds) == cv.get_n_splits(np.zeros(8)) == 4
    assert folds[0] == ([0, 1, 2], [3, 4])
    assert folds[-1] == ([0, 1, 2, 3, 4, 5], [6, 7])
    # default minimum training size is the horizon
    assert ExpandingWindowSplitter(horizon=3).get_n_splits(9) == 2


def test_gap_skips_steps():
    cv = ExpandingWindowSplitter(horizon=2, n_splits=1, gap=3)
    assert _folds(cv, 10) == [([0, 1, 2, 3, 4], [8, 9])]


def test_sliding_fixed_train_size():
    cv = SlidingWindowSplitter(horizon=1, train_size=3)
    assert _folds(cv, 5) == [([0, 1, 2], [3]), ([1, 2, 3], [4])]
    cv = SlidingWindowSplitter(horizon=2, train_size=4, step=3, n_splits=2, gap=1)
    for tr, te in cv.split(pd.Series(np.arange(20.0))):
        assert len(tr) == 4
        assert len(te) == 2
        assert te[0] - tr[-1] == 2
    assert "train_size=4" in repr(cv)


def test_series_and_dataframe_inputs():
    cv = ExpandingWindowSplitter(horizon=3, n_splits=2)
    s = pd.Series(np.arange(12.0), index=pd.date_range("2020", periods=12, freq="D"))
    assert _folds(cv, s) == _folds(cv, s.to_frame()) == _folds(cv, 12) == _folds(cv, list(s))


def test_panel_same_cutoffs_relative_to_end():
    cv = ExpandingWindowSplitter(horizon=2, initial_train_size=2)
    panel = {"a": pd.Series(np.arange(8.0)), "b": pd.Series(np.arange(6.0))}
    # b allows 2 folds, a allows 3: the panel gets the last 2 of each
    assert cv.get_n_splits(panel) == 2
    folds = list(cv.split(panel))
    assert len(folds) == 2
    for fold in folds:
        (_tr_a, te_a), (_tr_b, te_b) = fold["a"], fold["b"]
        assert 8 - te_a[-1] == 6 - te_b[-1]
    assert folds[-1]["a"][1].tolist() == [6, 7]
    assert folds[-1]["b"][1].tolist() == [4, 5]
    cutoffs = cv.get_cutoffs(panel)  # each series' own positions of the same folds
    assert {k: v.tolist() for k, v in cutoffs.items()} == {"a": [3, 5], "b": [1, 3]}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"horizon": 0}, "horizon"),
        ({"horizon": -1}, "horizon"),
        ({"horizon": 2, "step": 0}, "step"),
        ({"horizon": 2, "gap": -1}, "gap"),
        ({"horizon": 2, "n_splits": 0}, "n_splits"),
        ({"horizon": 2, "initial_train_size": 0}, "initial_train_size"),
    ],
)
def test_expanding_bad_params(kwargs, match):
    with pytest.raises(ValueError, match=f"`{match}`"):
        ExpandingWindowSplitter(**kwargs).get_n_splits(20)


def test_bad_types():
    with pytest.raises(TypeError, match="`horizon`"):
        ExpandingWindowSplitter(horizon=1.5).get_n_splits(20)
    with pytest.raises(ValueError, match="`train_size`"):
        SlidingWindowSplitter(horizon=1, train_size=0).get_n_splits(20)
    with pytest.raises(TypeError, match="`y`"):
        ExpandingWindowSplitter(horizon=1).get_n_splits("abc")


def test_too_short_series():
    with pytest.raises(ValueError, match="too short.*length 5"):
        list(ExpandingWindowSplitter(horizon=2, n_splits=3).split(5))
    with pytest.raises(ValueError, match=r"y\['b'\].*too short"):
        ExpandingWindowSplitter(horizon=4, n_splits=1, initial_train_size=4).get_n_splits(
            {"a": np.zeros(10), "b": np.zeros(5)}
        )
    with pytest.raises(ValueError, match="too short"):
        SlidingWindowSplitter(horizon=2, train_size=10).get_n_splits(11)


def test_get_n_splits_needs_y_without_n_splits():
    with pytest.raises(ValueError, match="`y` is needed"):
        ExpandingWindowSplitter(horizon=2).get_n_splits()
    with pytest.raises(ValueError, match="empty panel"):
        ExpandingWindowSplitter(horizon=2).get_n_splits({})
