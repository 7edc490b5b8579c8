"""Tests for forecast.metrics panel scoring, OWA and interval metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.metrics import (
    coverage,
    interval_score,
    mae,
    msis,
    owa,
    panel_mean,
    pinball,
    smape,
)


def test_panel_mean_is_mean_over_series():
    y_true = {"a": [1.0, 2.0], "b": [10.0, 10.0, 10.0]}
    y_pred = {"b": [10.0, 12.0, 11.0], "a": [1.0, 4.0]}
    assert panel_mean("mae", y_true, y_pred) == pytest.approx(0.5 * (1.0 + 1.0))
    per = panel_mean(smape, y_true, y_pred, per_series=True)
    assert list(per.index) == ["a", "b"]
    assert per["a"] == pytest.approx(smape([1.0, 2.0], [1.0, 4.0]))


def test_panel_mean_lists_and_mase_kwargs():
    y_true = [np.array([3.0, 4.0])]
    y_pred = [np.array([3.0, 6.0])]
    train = [np.array([0.0, 2.0, 1.0, 3.0])]
    value = panel_mean("mase", y_true, y_pred, y_train=train, season_length=2)
    assert value == pytest.approx(1.0 / 1.0)


def test_panel_mean_errors():
    with pytest.raises(ValueError, match="same series ids"):
        panel_mean("mae", {"a": [1.0]}, {"b": [1.0]})
    with pytest.raises(ValueError, match="y_train` is required"):
        panel_mean("mase", {"a": [1.0]}, {"a": [1.0]})
    with pytest.raises(ValueError, match="no series for ids"):
        panel_mean("mase", {"a": [1.0]}, {"a": [1.0]}, y_train={"b": [1.0, 2.0]})
    with pytest.raises(ValueError, match="metric"):
        panel_mean("nope", {"a": [1.0]}, {"a": [1.0]})
    with pytest.raises(TypeError, match="metric"):
        panel_mean(3, {"a": [1.0]}, {"a": [1.0]})
    with pytest.raises(TypeError, match="y_true"):
        panel_mean("mae", 5, {"a": [1.0]})
    with pytest.raises(ValueError, match="empty panel"):
        panel_mean("mae", {}, {})
    with pytest.raises(ValueError, match="Series 'a'.*same shape"):
        panel_mean(mae, {"a": [1.0, 2.0]}, {"a": [1.0]})
    with pytest.raises(ValueError, match="different indexes"):
        panel_mean("mae", {"a": pd.Series([1.0], index=[3])}, {"a": pd.Series([1.0], index=[4])})
    with pytest.raises(TypeError, match="per_series"):
        panel_mean("mae", {"a": [1.0]}, {"a": [1.0]}, per_series="yes")


def test_owa_m4_hourly_snaive():
    assert owa(13.912, 1.193, smape_naive2=18.383, mase_naive2=2.395) == pytest.approx(
        0.627, abs=5e-4
    )
    assert owa(18.383, 2.395, smape_naive2=18.383, mase_naive2=2.395) == pytest.approx(1.0)


def test_owa_errors():
    with pytest.raises(ValueError, match="smape_naive2"):
        owa(1.0, 1.0, smape_naive2=0.0, mase_naive2=1.0)
    with pytest.raises(TypeError, match="mase_value"):
        owa(1.0, "x", smape_naive2=1.0, mase_naive2=1.0)
    with pytest.raises(ValueError, match="smape_value"):
        owa(np.nan, 1.0, smape_naive2=1.0, mase_naive2=1.0)


def test_pinball_single_and_multi_quantile():
    assert pinball([10.0, 10.0], [8.0, 12.0], quantile=0.9) == pytest.approx(1.0)
    assert pinball([1.0, 3.0], [2.0, 2.0]) == pytest.approx(0.5 * mae([1.0, 3.0], [2.0, 2.0]))
    value = pinball([10.0], [[8.0, 12.0]], quantile=[0.1, 0.9])
    assert value == pytest.approx(0.2)


def test_pinball_errors():
    with pytest.raises(ValueError, match="quantile"):
        pinball([1.0], [1.0], quantile=1.5)
    with pytest.raises(TypeError, match="quantile"):
        pinball([1.0], [1.0], quantile="a")
    with pytest.raises(ValueError, match=r"len\(quantile\)"):
        pinball([1.0, 2.0], [[1.0, 2.0]], quantile=[0.1, 0.9])
    with pytest.raises(ValueError, match="same shape"):
        pinball([1.0, 2.0], [1.0], quantile=0.5)


def test_coverage_array_and_dataframe():
    assert coverage([1.0, 5.0], [[0.0, 2.0], [0.0, 4.0]]) == pytest.approx(0.5)
    frame = pd.DataFrame({"lower": [0.0, 0.0], "upper": [1.0, 5.0]})
    assert coverage(np.array([1.0, 5.0]), frame) == pytest.approx(1.0)


def test_coverage_errors():
    with pytest.raises(ValueError, match="columns 'lower' and 'upper'"):
        coverage([1.0], pd.DataFrame({"lo": [0.0], "hi": [1.0]}))
    with pytest.raises(ValueError, match="shape"):
        coverage([1.0, 2.0], [[0.0, 1.0]])
    with pytest.raises(ValueError, match="lower bound above"):
        coverage([1.0], [[2.0, 1.0]])


def test_interval_score_and_msis_by_hand():
    # M4's MSIS (R code of the competition): (sum(U - L) + 2/a * (sum((L - y) * (y < L))
    # + sum((y - U) * (y > U)))) / h / seasonal-naive MAE of the training series
    y = np.array([10.0, 14.0, 7.0])
    band = pd.DataFrame({"lower": [8.0, 9.0, 8.0], "upper": [12.0, 13.0, 9.0]})
    a = 0.05
    by_hand = (4 + 4 + 1 + 2 / a * (1.0 + 1.0)) / 3  # 14 is 1 above, 7 is 1 below
    assert interval_score(y, band) == pytest.approx(by_hand)
    train = np.array([1.0, 3.0, 2.0, 6.0, 4.0, 8.0])
    scale = np.mean(np.abs(train[2:] - train[:-2]))  # season 2: |2-1|, |6-3|, |4-2|, |8-6|
    assert msis(y, band, y_train=train, season_length=2) == pytest.approx(by_hand / scale)
    inside = interval_score(y, np.c_[y - 1, y + 2], coverage=0.8)
    assert inside == pytest.approx(3.0)  # the width alone when nothing is missed


def test_interval_score_errors():
    for bad in (0.0, 1.0, "0.9", True):
        with pytest.raises(ValueError, match="`coverage` must be a number in"):
            interval_score([1.0], [[0.0, 2.0]], coverage=bad)
    with pytest.raises(ValueError, match="lower bound above"):
        interval_score([1.0], [[2.0, 1.0]])
    with pytest.raises(ValueError, match=r"shape y_true.shape \+ \(2,\)"):
        msis([1.0, 2.0], [[0.0, 1.0]], y_train=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="MASE is undefined"):
        msis([1.0], [[0.0, 2.0]], y_train=[2.0, 2.0, 2.0])
