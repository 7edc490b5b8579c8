"""forecast.plotting: every function draws on Agg, returns its Axes and rejects bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from forecast.forecasters import Naive, SeasonalNaive  # noqa: E402
from forecast.model_selection import ExpandingWindowSplitter, backtest  # noqa: E402
from forecast.plotting import (  # noqa: E402
    plot_attention,
    plot_backtest,
    plot_forecast,
    plot_hidden_states,
    plot_history,
    plot_leaderboard,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(0)
    idx = pd.date_range("2024-01-01", periods=60, freq="h")
    panel = {
        "a": pd.Series(10 + np.sin(np.arange(60) / 3) + rng.normal(0, 0.1, 60), index=idx),
        "b": pd.Series(5 + rng.normal(0, 1, 60), index=idx),
    }
    cv = ExpandingWindowSplitter(horizon=6, n_splits=3)
    return backtest({"naive": Naive(), "snaive": SeasonalNaive(season_length=6)}, panel,
                    cv=cv, verbose=0)


def test_plot_forecast_series_interval_and_given_ax():
    idx = pd.date_range("2024-01-01", periods=30, freq="D")
    y = pd.Series(np.arange(30.0), index=idx)
    model = Naive().fit(y)
    pred = model.predict(5)
    interval = model.predict_interval(5)
    fig, ax = plt.subplots()
    before = y.copy()
    out = plot_forecast(y, pred, y_true=pred + 1, interval=interval, ax=ax, history_tail=10)
    assert out is ax
    assert [line.get_label() for line in ax.lines][:3] == ["history", "actual", "forecast"]
    assert len(ax.collections) == 1  # the interval band
    assert ax.lines[0].get_xdata()[0] == idx[20]
    pd.testing.assert_series_equal(y, before)


def test_plot_forecast_array_forecast_continues_index():
    ax = plot_forecast(np.arange(10.0), np.array([10.0, 11.0]))
    assert list(ax.lines[1].get_xdata()) == [10, 11]


def test_plot_forecast_bad_input():
    y = pd.Series(np.arange(10.0))
    with pytest.raises(ValueError, match="lower"):
        plot_forecast(y, [1.0, 2.0], interval=pd.DataFrame({"lo": [0, 1]}))
    with pytest.raises(TypeError, match="`interval`"):
        plot_forecast(y, [1.0, 2.0], interval="wide")
    with pytest.raises(ValueError, match="`interval lower`"):
        plot_forecast(y, [1.0, 2.0], interval=([0.0], [1.0]))
    with pytest.raises(TypeError, match="`y_history`"):
        plot_forecast("abc", [1.0])
    with pytest.raises(ValueError, match="`history_tail`"):
        plot_forecast(y, [1.0], history_tail=0)
    with pytest.raises(TypeError, match="`ax`"):
        plot_forecast(y, [1.0], ax="left")


def test_plot_backtest(result):
    ax = plot_backtest(result, series="a", model=["naive", "snaive"])
    labels = [line.get_label() for line in ax.lines]
    assert labels.count("naive") == 1
    assert labels.count("snaive") == 1
    assert len(ax.lines) == 1 + 2 * 3 + 3  # actual, 2 models x 3 folds, 3 cutoffs
    ax2 = plot_backtest(result, history_tail=12)
    assert len(ax2.lines[0].get_xdata()) == 12 + 3 * 6  # to 1st cutoff + 3 windows


def test_plot_backtest_bad_input(result):
    with pytest.raises(ValueError, match="`series`"):
        plot_backtest(result, series="zzz")
    with pytest.raises(ValueError, match="`model`"):
        plot_backtest(result, model="zzz")
    with pytest.raises(TypeError, match="`result`"):
        plot_backtest(pd.DataFrame())


def test_plot_leaderboard(result):
    ax = plot_leaderboard(result)  # the result itself works too
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == list(result.leaderboard.sort_values("owa").index)
    ax = plot_leaderboard(result.leaderboard, metric="smape")
    assert ax.get_xlabel() == "smape"
    with pytest.raises(ValueError, match="`metric`"):
        plot_leaderboard(result.leaderboard, metric="nope")
    with pytest.raises(TypeError, match="`leaderboard`"):
        plot_leaderboard([1, 2])
    with pytest.raises(ValueError, match="empty"):
        plot_leaderboard(pd.DataFrame({"owa": []}))


def test_plot_leaderboard_coverage_is_best_at_the_nominal_level(result):
    from types import SimpleNamespace

    board = pd.DataFrame({"coverage": [0.70, 0.97, 0.91]}, index=["low", "high", "close"])
    ax = plot_leaderboard(SimpleNamespace(leaderboard=board, coverage=0.9), metric="coverage")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["close", "high", "low"]
    assert ax.get_title() == "Leaderboard (coverage, 0.9 is best)"
    with pytest.raises(ValueError, match=r"metric='coverage' is best at the nominal level"):
        plot_leaderboard(board, metric="coverage")


def test_plot_history_sources():
    hist = {"loss": [1.0, 0.5], "val_loss": [1.2, 0.8], "mae": [0.9, 0.4]}

    class Est:
        history_ = hist

    class KerasHistory:
        history = hist

    for source in (hist, Est(), KerasHistory()):
        ax = plot_history(source)
        assert [line.get_label() for line in ax.lines] == ["loss", "val_loss"]
    ax = plot_history(hist, keys=["mae"])
    assert [line.get_label() for line in ax.lines] == ["mae"]


def test_plot_history_bad_input():
    with pytest.raises(ValueError, match="empty history"):
        plot_history({})
    with pytest.raises(TypeError, match="`estimator_or_history`"):
        plot_history(3)
    with pytest.raises(ValueError, match="`keys`"):
        plot_history({"loss": [1.0]}, keys=["val_loss"])


def test_plot_hidden_states_and_attention():
    states = np.random.default_rng(0).normal(size=(3, 12, 5))
    ax = plot_hidden_states(states)
    np.testing.assert_array_equal(ax.images[0].get_array(), states[0].T)
    assert plot_hidden_states(states[1]).images[0].get_array().shape == (5, 12)
    w = np.random.default_rng(1).dirichlet(np.ones(4), size=3)  # 3 targets x 4 sources
    ax = plot_attention(w[None], source_tokens=list("abcd"), target_tokens=["x", "y", "z"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "y", "z"]
    assert plot_attention(w).images[0].get_array().shape == (3, 4)


def test_heatmaps_bad_input():
    with pytest.raises(ValueError, match="`states`"):
        plot_hidden_states(np.zeros(5))
    with pytest.raises(ValueError, match="`weights`"):
        plot_attention(np.zeros((1, 2, 3, 4)))
    with pytest.raises(ValueError, match="`source_tokens`"):
        plot_attention(np.zeros((2, 3)), source_tokens=["a"])
    with pytest.raises(ValueError, match="`target_tokens`"):
        plot_attention(np.zeros((2, 3)), target_tokens="ab")


def test_plot_forecast_y_true_series_must_meet_the_forecast():
    idx = pd.date_range("2024-01-01", periods=30, freq="D")
    y = pd.Series(np.arange(30.0), index=idx)
    pred = Naive().fit(y).predict(3)
    plt.close("all")
    # a test set whose index was reset would land in 1970, far left of the forecast
    with pytest.raises(ValueError, match=r"shares no point with the forecast's \(2024-01-31 "
                                         r"00:00:00 \.\. 2024-02-02.*Received: y_true "
                                         r"indexed 0 \.\. 2"):
        plot_forecast(y, pred, y_true=pd.Series([30.0, 31.0, 32.0]))
    assert plt.get_fignums() == []  # raised before drawing anything
    with pytest.raises(ValueError, match="Received: y_true indexed 2025-01-31"):
        plot_forecast(y, pred, y_true=pd.Series([1.0, 2.0, 3.0],
                                                pd.date_range("2025-01-31", periods=3)))
    # its values by position, or a longer test set that covers the horizon, are fine
    ax = plot_forecast(y, pred, y_true=pd.Series([30.0, 31.0, 32.0]).to_numpy())
    assert list(ax.lines[1].get_xdata()) == list(pred.index)
    longer = pd.Series(np.arange(10.0), pd.date_range("2024-01-29", periods=10))
    ax = plot_forecast(y, pred, y_true=longer)
    assert len(ax.lines[1].get_xdata()) == 10
    plt.close("all")
