"""forecast.plotting input checks: exact error types and messages, raised before drawing."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from forecast.plotting import (  # noqa: E402
    plot_attention,
    plot_forecast,
    plot_hidden_states,
    plot_history,
    plot_leaderboard,
)

Y = pd.Series(np.arange(10.0))


@pytest.fixture(autouse=True)
def _no_figure_left_open():
    plt.close("all")
    yield
    plt.close("all")


def _raises_without_drawing(exc: type[Exception], match: str, func, *args, **kwargs) -> None:
    before = plt.get_fignums()
    with pytest.raises(exc, match=match):
        func(*args, **kwargs)
    assert plt.get_fignums() == before


# --- plot_forecast: y_pred must be one series ---------------------------------------------


def test_y_pred_two_columns_is_not_flattened():
    _raises_without_drawing(
        ValueError, r"`y_pred` must be one series.*Received: y_pred with shape \(3, 2\)",
        plot_forecast, Y, np.ones((3, 2)))


def test_y_pred_3d_names_the_argument():
    _raises_without_drawing(ValueError, r"`y_pred` must have ndim in \[1, 2\]",
                            plot_forecast, Y, np.ones((2, 1, 1)))


def test_y_pred_ragged_names_the_argument():
    _raises_without_drawing(ValueError, r"`y_pred` must be one series of numbers",
                            plot_forecast, Y, [[1.0], [2.0, 3.0]])


def test_y_pred_strings_are_a_type_error():
    _raises_without_drawing(TypeError, r"`y_pred` must hold numeric data",
                            plot_forecast, Y, ["a", "b"])


def test_y_pred_dict_says_to_pass_one_series():
    _raises_without_drawing(
        TypeError, r"`y_pred` must be one series, not a dict .*e\.g\. y_pred\['a'\]",
        plot_forecast, Y, {"a": Y.iloc[:3], "b": Y.iloc[:3]})
    _raises_without_drawing(TypeError, r"e\.g\. y_pred\[key\]", plot_forecast, Y, {})


def test_y_pred_two_column_dataframe():
    _raises_without_drawing(ValueError, r"`y_pred` must be one series; got 2 columns",
                            plot_forecast, Y, pd.DataFrame({"a": [1.0, 2], "b": [1.0, 2]}))


@pytest.mark.parametrize("y_pred", [np.array([[10.0], [11.0], [12.0]]),
                                    pd.DataFrame({"f": [10.0, 11.0, 12.0]},
                                                 index=pd.RangeIndex(10, 13)),
                                    [10.0, 11.0, 12.0]])
def test_y_pred_one_column_is_accepted(y_pred):
    ax = plot_forecast(Y, y_pred)
    forecast = next(line for line in ax.lines if line.get_label() == "forecast")
    assert list(forecast.get_xdata()) == [10, 11, 12]
    np.testing.assert_array_equal(forecast.get_ydata(), [10.0, 11.0, 12.0])


# --- plot_history: keys ---------------------------------------------------------------------


HIST = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "l": [2.0, 1.0]}


def test_history_keys_string_is_one_curve():
    ax = plot_history(HIST, keys="loss")
    assert [line.get_label() for line in ax.lines] == ["loss"]


def test_history_keys_tuple():
    ax = plot_history(HIST, keys=("val_loss", "l"))
    assert [line.get_label() for line in ax.lines] == ["val_loss", "l"]


@pytest.mark.parametrize("keys", [3, b"loss", {"loss": 1}])
def test_history_keys_wrong_type(keys):
    _raises_without_drawing(TypeError, r"`keys` must be a curve name or a sequence",
                            plot_history, HIST, keys=keys)


def test_history_keys_empty_or_unknown():
    _raises_without_drawing(ValueError, r"`keys` must name at least one curve",
                            plot_history, HIST, keys=[])
    _raises_without_drawing(ValueError, r"`keys` \['acc'\] are not in the history",
                            plot_history, HIST, keys="acc")


# --- heat maps ------------------------------------------------------------------------------


def test_attention_tokens_without_length():
    w = np.full((2, 3), 1 / 3)
    _raises_without_drawing(TypeError, r"`source_tokens` must be a sequence of 3 labels",
                            plot_attention, w, source_tokens=3)
    _raises_without_drawing(TypeError, r"`target_tokens` must be a sequence of 2 labels",
                            plot_attention, w, target_tokens=iter("xy"))


@pytest.mark.parametrize("shape", [(1, 0, 3), (0, 5, 3), (4, 0), (1, 5, 0)])
def test_hidden_states_empty(shape):
    _raises_without_drawing(ValueError, r"`states`", plot_hidden_states, np.zeros(shape))
    _raises_without_drawing(ValueError, r"`weights`", plot_attention, np.zeros(shape))


def test_hidden_states_empty_time_axis_message():
    _raises_without_drawing(
        ValueError, r"`states` is empty.*Received: states with shape \(1, 0, 3\)",
        plot_hidden_states, np.zeros((1, 0, 3)))


# --- plot_leaderboard: text column ----------------------------------------------------------


def test_leaderboard_text_column_names_the_metric():
    board = pd.DataFrame({"owa": ["x", "y"], "smape": [1.0, 2.0]}, index=["a", "b"])
    _raises_without_drawing(
        TypeError, r"`metric` must name a numeric leaderboard column; column 'owa' holds text"
        r"\. Received: metric='owa' with a value 'x'",
        plot_leaderboard, board)
    ax = plot_leaderboard(board, metric="smape")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]


def test_leaderboard_missing_values_still_plot():
    board = pd.DataFrame({"owa": [None, 0.9]}, index=["a", "b"], dtype=object)
    ax = plot_leaderboard(board)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]


def test_plot_history_refuses_a_curve_of_text():
    import matplotlib.pyplot as plt

    from forecast.plotting import plot_history

    before = plt.get_fignums()
    with pytest.raises(TypeError, match=r"history curve 'loss' must hold numbers"):
        plot_history({"loss": ["a", "b"]})
    assert plt.get_fignums() == before
