"""Error paths of the forecasting side no other test reaches (datasets, forecasters,
backtest, conformal intervals, plotting, preprocessing, metrics, text checks).

Every case goes through the public API. Where a line guards against a misbehaving
user-supplied forecaster (a member of an ensemble, a model given to ``backtest`` or
``ConformalIntervals``), a small stub forecaster defined here plays that part.
Statistical models run on short series and neural forecasters use ``Ridge``, so the
file needs no TensorFlow and stays cheap.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator
from sklearn.linear_model import Ridge

from forecast import datasets, metrics, plotting, preprocessing, text
from forecast import estimators as est
from forecast import forecasters as fc
from forecast import model_selection as ms

BIG = np.finfo(float).max  # sums of a few such values overflow to inf


def _monthly(n: int = 24, start: float = 10.0) -> pd.Series:
    idx = pd.date_range("2000-01-01", periods=n, freq="MS")
    return pd.Series(start + np.sin(np.arange(n) / 2.0), index=idx, name="y")


def _cv(horizon: int = 2, n_splits: int = 2) -> ms.ExpandingWindowSplitter:
    return ms.ExpandingWindowSplitter(horizon=horizon, n_splits=n_splits)


def _ridge_nf(**kw: Any) -> fc.NeuralForecaster:
    params = {"window": 4, "horizon": 2, "validation": False, **kw}
    return fc.NeuralForecaster(Ridge(), **params)


# --- stub forecasters: the user-supplied models these checks guard against ---------------


class _WideForecast(fc.Naive):
    """Forecasts two columns for one series."""

    def predict(self, horizon: int | None = None, X: Any = None) -> pd.DataFrame:
        point = super().predict(horizon)
        return pd.DataFrame({"a": point, "b": point})


class _ShortForecast(fc.Naive):
    """Returns one forecast fewer than asked."""

    def predict(self, horizon: int | None = None, X: Any = None) -> pd.Series:
        return super().predict(horizon).iloc[:-1]


class _ListInterval(fc.Naive):
    """``predict_interval`` returns a list instead of a DataFrame."""

    def predict_interval(self, horizon: int | None = None, coverage: float = 0.9) -> Any:
        return [0.0, 1.0]


class _ShortInterval(fc.Naive):
    """``predict_interval`` returns one row fewer than asked."""

    def predict_interval(self, horizon: int | None = None, coverage: float = 0.9) -> Any:
        return super().predict_interval(horizon, coverage).iloc[:-1]


class _WidensOnAllData(fc.Naive):
    """One column on the calibration folds, two once fitted on the whole series."""

    def __init__(self, full_length: int = 0) -> None:
        self.full_length = full_length

    def predict(self, horizon: int | None = None, X: Any = None) -> pd.DataFrame:
        point = super().predict(horizon)
        width = 2 if self.n_obs_ >= self.full_length else 1
        return pd.DataFrame({f"c{i}": point for i in range(width)})


class _FixedIds(BaseEstimator):
    """A panel member that forecasts the series ``ids`` (or one Series when None)."""

    def __init__(self, ids: tuple[str, ...] | None = None) -> None:
        self.ids = ids

    def fit(self, y: Any, X: Any = None) -> _FixedIds:
        self.cutoff_ = {k: s.index[-1] for k, s in y.items()}
        return self

    def predict(self, horizon: int | None = None, X: Any = None) -> Any:
        point = pd.Series(np.zeros(horizon or 2))
        return point if self.ids is None else {k: point for k in self.ids}


# --- _validation: check_series / check_index / check_units --------------------------------


@pytest.mark.parametrize(
    ("y", "exc", "match"),
    [
        ("1,2,3", TypeError, r"`y` must be a pandas Series/DataFrame.*Received: y='1,2,3'"),
        (None, TypeError, r"`y` must be a pandas Series/DataFrame.*Received: y=None"),
        (pd.Series([1.0, 2.0, 3.0, 4.0], index=[0, 2, 1, 3]), ValueError,
         r"integer index that is not strictly increasing\. Received index starting "
         r"\[0, 2, 1, 3\]"),
        (pd.Series([1.0, 2.0, 3.0, 4.0], index=[0, 1, 3, 4]), ValueError,
         r"irregular integer index \(steps \[1, 2\]\)"),
        (pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"]), TypeError,
         r"`y` must be indexed by a DatetimeIndex, PeriodIndex or an integer index\. "
         r"Received index of dtype"),
    ],
    ids=["string", "none", "integer-index-decreasing", "integer-index-irregular",
         "string-index"],
)
def test_naive_fit_rejects_bad_series(y: Any, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        fc.Naive().fit(y)


@pytest.mark.parametrize("units", [2.5, None], ids=["float", "none"])
def test_recurrent_regressor_rejects_units_that_are_not_ints(units: Any) -> None:
    X, y = np.zeros((8, 3, 1)), np.zeros(8)
    model = est.GRURegressor(units=units, epochs=1, batch_size=8, random_state=0)
    with pytest.raises(TypeError, match=re.escape(f"`units` must be a positive int or a "
                                                  f"sequence of them. Received: units={units}")):
        model.fit(X, y)


# --- datasets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "columns", "match"),
    [
        ("date,sales\nTrue,1\nFalse,2\nTrue,3\n", None,
         r"bad date column 'date': it holds booleans, not dates"),
        ("date,sales,flag\n2020-01-01,1,True\n2020-02-01,2,False\n", ["flag"],
         r"column 'flag' holds booleans, not numbers"),
        # pandas < 3 parses mixed offsets to objects ("mixes time zones"); pandas 3 raises
        # "Mixed timezones detected" inside to_datetime: both name the date column
        ("date,sales\n2020-01-01 00:00+01:00,1\n2020-02-01 00:00+02:00,2\n"
         "2020-03-01 00:00+01:00,3\n", None,
         r"bad date column 'date': it (mixes time zones or formats|cannot be parsed as "
         r"dates \(Mixed timezones)"),
    ],
    ids=["boolean-dates", "boolean-values", "mixed-time-zones"],
)
def test_load_csv_rejects_booleans_and_mixed_time_zones(
    tmp_path: Path, body: str, columns: list[str] | None, match: str
) -> None:
    path = tmp_path / "data.csv"
    path.write_text(body)
    with pytest.raises(ValueError, match=match):
        datasets.load_csv(path, columns=columns)


def test_load_m4_rejects_duplicate_series_ids(tmp_path: Path) -> None:
    (tmp_path / "Yearly-train.csv").write_text(
        '"V1","V2","V3"\n"Y1","1","2"\n"Y2","3","4"\n"Y1","5","6"\n')
    with pytest.raises(ValueError, match=r"Yearly-train\.csv' has duplicate series ids, "
                                         r"e\.g\. 'Y1'"):
        datasets.load_m4("Yearly", tmp_path)


def test_load_m4_rejects_a_test_file_without_ids(tmp_path: Path) -> None:
    (tmp_path / "Yearly-train.csv").write_text('"V1","V2","V3"\n"Y1","1","2"\n')
    (tmp_path / "Yearly-test.csv").write_text('"id","V2"\n"Y1","3"\n')
    with pytest.raises(ValueError, match=r"Yearly-test\.csv' is not an M4 CSV file: .*V1"):
        datasets.load_m4("Yearly", tmp_path)


def test_load_sentiment_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    for name in ("amazon_cells_labelled.txt", "yelp_labelled.txt"):
        (tmp_path / name).write_text("Great phone.\t1\nPoor battery.\t0\n")
    (tmp_path / "imdb_labelled.txt").write_bytes(b"Caf\xe9 scene.\t1\n")  # Latin-1
    with pytest.raises(ValueError, match=r"imdb_labelled\.txt' is not UTF-8 text"):
        datasets.load_sentiment(tmp_path)


@pytest.mark.parametrize("bound", ["start", "end"])
def test_load_yfinance_rejects_a_missing_date_before_any_download(
    tmp_path: Path, bound: str
) -> None:
    with pytest.raises(ValueError, match=rf"`{bound}` must be a date\. Received: {bound}='NaT'"):
        datasets.load_yfinance("MSFT", **{bound: "NaT"}, offline=True, cache_dir=tmp_path)


# --- statistical forecasters: statsmodels failures become a ValueError naming the model ---


@pytest.mark.parametrize(
    ("model", "match"),
    [
        (fc.ARIMA(order=(2, 0, 2)),
         r"ARIMA could not be fit to this series \(length 7, order=\(2, 0, 2\)\)"),
        (fc.ETS(),
         r"ETS could not fit any candidate model to this series \(length 7, "
         r"season_length=1\)\. Try a simpler baseline such as SES"),
    ],
    ids=["ARIMA", "ETS"],
)
def test_statistical_model_that_cannot_be_fit_says_so(model: Any, match: str) -> None:
    y = np.array([BIG, -BIG, BIG, -BIG, BIG, 0.0, 1.0])  # finite, but every fit overflows
    with pytest.raises(ValueError, match=match):
        model.fit(y)


# --- ensembles ------------------------------------------------------------------------------


@pytest.mark.parametrize(("other", "received"),
                         [(_FixedIds(("a", "zz")), "['a', 'zz']"),
                          (_FixedIds(None), "Series of length 2")],
                         ids=["other-ids", "not-a-panel"])
def test_ensemble_rejects_members_that_forecast_different_series(other: Any,
                                                                 received: str) -> None:
    panel = {"a": _monthly(), "b": _monthly(start=20.0)}
    ens = fc.EnsembleForecaster([("neural", _ridge_nf()), ("other", other)]).fit(panel)
    with pytest.raises(ValueError, match=re.escape(
            "Every member must forecast the series ids of the first member ('neural': "
            f"['a', 'b']). Received from 'other': {received}")):
        ens.predict(2)


# --- NeuralForecaster -----------------------------------------------------------------------


def _cov(y: pd.Series, columns: tuple[str, ...] = ("t",)) -> pd.DataFrame:
    return pd.DataFrame({c: np.arange(len(y), dtype=float) for c in columns}, index=y.index)


def _panel_X(second: Any) -> tuple[dict, dict]:
    y = {"a": _monthly(), "b": _monthly(start=20.0)}
    return y, {"a": _cov(y["a"]), "b": second(y["b"])}


@pytest.mark.parametrize(
    ("make", "exc", "match"),
    [
        (lambda: (_monthly(), {"a": _cov(_monthly())}), TypeError,
         r"`X` must be a dict exactly when `y` is a panel \(dict\)\. Received: X=\{'a'"),
        (lambda: ({"a": _monthly(), "b": pd.DataFrame({"u": _monthly(), "v": _monthly()})},
                  None), ValueError,
         r"Every series of the panel must have the same number of target columns\. "
         r"Received \(columns per series id\): \{'a': 1, 'b': 2\}"),
        (lambda: _panel_X(lambda s: _cov(s).to_numpy()), TypeError,
         r"`X\['b'\]` must be a pandas DataFrame\. Received: X\['b'\]=array of shape \(24, 1\)"),
        (lambda: _panel_X(lambda s: _cov(s, ("u",))), ValueError,
         r"`X\['b'\]` lacks the covariate column\(s\) \['t'\]\. Received columns \['u'\]"),
        (lambda: (_monthly(), _cov(_monthly()).iloc[1:]), ValueError,
         r"`X` must cover every timestamp of the series; Timestamp\('2000-01-01 00:00:00'\) "
         r"is missing"),
    ],
    ids=["dict-X-for-one-series", "panel-target-widths", "panel-X-not-a-frame",
         "panel-X-lacks-column", "X-misses-a-timestamp"],
)
def test_neural_fit_rejects_mismatched_inputs(make: Any, exc: type[Exception], match: str) -> None:
    y, X = make()
    with pytest.raises(exc, match=match):
        _ridge_nf().fit(y, X)


def test_neural_fit_rejects_training_windows_that_overflow_to_nan() -> None:
    # finite values near the float maximum: the window mean overflows, the scaled
    # windows become NaN
    y = pd.Series(np.tile([BIG, BIG / 2], 10))
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(
            ValueError, match=r"Training windows contain NaN or infinity after scaling"):
        _ridge_nf().fit(y)


@pytest.fixture
def future_cov_model() -> tuple[fc.NeuralForecaster, pd.Series]:
    y = _monthly()
    X = _cov(y)
    return _ridge_nf(future_covariates=["t"]).fit(y, X), y


@pytest.mark.parametrize(
    ("make_X", "exc", "match"),
    [
        (lambda idx: np.zeros((2, 1)), TypeError,
         r"`X` must be a pandas DataFrame\. Received: X=array of shape \(2, 1\)"),
        (lambda idx: pd.DataFrame({"u": [1.0, 2.0]}, index=idx), ValueError,
         r"`X` lacks the future covariate column\(s\) \['t'\]\. Received columns \['u'\]"),
        (lambda idx: pd.DataFrame({"t": [1.0, np.nan]}, index=idx), ValueError,
         r"`X` has NaN or infinite future covariates\. Received: X\['t'\] = nan at future "
         r"step 1"),
    ],
    ids=["array", "missing-column", "nan"],
)
def test_neural_predict_rejects_bad_future_covariates(
    future_cov_model: tuple[fc.NeuralForecaster, pd.Series], make_X: Any,
    exc: type[Exception], match: str,
) -> None:
    model, _ = future_cov_model
    future = pd.date_range("2002-01-01", periods=2, freq="MS")
    with pytest.raises(exc, match=match):
        model.predict(2, X=make_X(future))


def test_neural_predict_on_a_panel_needs_a_dict_of_future_covariates() -> None:
    y, X = _panel_X(_cov)
    model = _ridge_nf(future_covariates=["t"]).fit(y, X)
    future = pd.DataFrame({"t": [1.0, 2.0]}, index=pd.date_range("2002-01-01", periods=2,
                                                                   freq="MS"))
    with pytest.raises(TypeError, match=r"`X` must be a dict for a panel\. Received: "
                                        r"X=DataFrame of shape \(2, 1\)"):
        model.predict(2, X=future)


def test_neural_update_rejects_an_unknown_series_id() -> None:
    model = _ridge_nf().fit({"a": _monthly(), "b": _monthly(start=20.0)})
    with pytest.raises(ValueError, match=r"Unknown series id 'zz'\. Fitted ids: \['a', 'b'\]"):
        model.update({"zz": _monthly(26)})


@pytest.mark.parametrize(
    ("y_fit", "y_new", "match"),
    [
        (_monthly(), pd.DataFrame({"u": _monthly(26), "v": _monthly(26)}),
         r"`y` must have the 1 target column\(s\) of fit\. Received: 2 column\(s\)"),
        (pd.DataFrame({"u": _monthly(), "v": _monthly()}), _monthly(26),
         r"`y` must have the 2 target column\(s\) of fit\. Received: 1 column\(s\)"),
    ],
    ids=["frame-after-series", "series-after-frame"],
)
def test_neural_update_rejects_another_number_of_targets(y_fit: Any, y_new: Any,
                                                         match: str) -> None:
    model = _ridge_nf().fit(y_fit)
    with pytest.raises(ValueError, match=match):
        model.update(y_new)


# --- metrics --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value"), [("smape_naive2", "18.4"), ("mase_naive2", True)])
def test_owa_rejects_reference_scores_that_are_not_numbers(name: str, value: Any) -> None:
    refs = {"smape_naive2": 18.4, "mase_naive2": 2.4, name: value}
    with pytest.raises(TypeError, match=re.escape(f"`{name}` must be a positive number. "
                                                  f"Received: {name}={value!r}")):
        metrics.owa(13.9, 1.2, **refs)


# --- backtest -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("models", "y", "kw", "exc", "match"),
    [
        (42, _monthly(), {}, TypeError,
         r"`models` must be a dict \{name: forecaster\}.*Received: models=42"),
        ({1: fc.Naive()}, _monthly(), {}, TypeError,
         r"`models` keys must be strings\. Received key 1"),
        ([fc.Naive()], pd.DataFrame(index=range(10)), {}, ValueError,
         r"`y` has no columns\. Received: y=DataFrame with 0 columns"),
        ([fc.Naive()], {"a": pd.DataFrame({"u": _monthly(), "v": _monthly()})}, {}, ValueError,
         r"`y\['a'\]` must be one series\. Received a DataFrame with 2 columns"),
        ([fc.Naive()], _monthly(), {"metrics": 5}, TypeError,
         r"`metrics` must be a metric name, a callable or a sequence of them\. "
         r"Received: metrics=5"),
        ([fc.Naive()], _monthly(), {"metrics": ["mae", 5]}, TypeError,
         r"`metrics` items must be names or callables\. Received: 5"),
    ],
    ids=["models-int", "models-int-key", "y-no-columns", "y-panel-frame", "metrics-int",
         "metrics-item-int"],
)
def test_backtest_rejects_bad_arguments(models: Any, y: Any, kw: dict, exc: type[Exception],
                                        match: str) -> None:
    with pytest.raises(exc, match=match):
        ms.backtest(models, y, cv=_cv(), verbose=0, **kw)


@pytest.mark.parametrize(
    ("model", "coverage", "match"),
    [
        (_WideForecast(), None,
         r"ValueError: backtest scores univariate forecasts; the model returned 2 columns "
         r"\['a', 'b'\]"),
        (_ShortForecast(), None,
         r"ValueError: the model returned 1 forecasts; 2 were asked \(gap=0 \+ horizon=2\)"),
        (_ListInterval(), 0.9,
         r"ValueError: predict_interval must return a DataFrame with columns 'lower' and "
         r"'upper'; it returned list"),
        (_ShortInterval(), 0.9, r"ValueError: predict_interval returned 1 rows; 2 were asked"),
    ],
    ids=["two-columns", "too-few-forecasts", "interval-not-a-frame", "interval-too-short"],
)
def test_backtest_reports_a_model_that_breaks_its_contract(model: Any, coverage: float | None,
                                                           match: str) -> None:
    with pytest.raises(ms.BacktestError, match=match):
        ms.backtest({"m": model}, _monthly(), cv=_cv(), coverage=coverage, naive2=False,
                    verbose=0)


def test_conformal_interval_needs_a_single_target() -> None:
    y = _monthly()
    ci = ms.ConformalIntervals(_WidensOnAllData(full_length=len(y)), horizon=2,
                               n_windows=9).fit(y)
    with pytest.raises(ValueError, match=r"ConformalIntervals calibrates one target; the "
                                         r"forecaster returned 2 columns \['c0', 'c1'\]"):
        ci.predict_interval(coverage=0.9)


def test_splitter_rejects_a_bool_length() -> None:
    with pytest.raises(TypeError, match=r"`y` must be a length, a Series or array-like\. "
                                        r"Received: y=True"):
        _cv().get_n_splits(True)


# --- plotting -------------------------------------------------------------------------------


def test_plot_forecast_needs_a_regular_history_to_place_an_array_forecast() -> None:
    idx = pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-05", "2020-01-09"])
    history = pd.Series([1.0, 2.0, 3.0, 4.0], index=idx)
    with pytest.raises(ValueError, match=r"Cannot build future timestamps: the index has no "
                                         r"regular frequency\. Received index ending "
                                         r"\['2020-01-02', '2020-01-05', '2020-01-09'\]"):
        plotting.plot_forecast(history, [5.0, 6.0])


def test_plot_forecast_rejects_a_history_with_two_columns() -> None:
    history = pd.DataFrame({"a": np.arange(5.0), "b": np.arange(5.0)})
    with pytest.raises(ValueError, match=r"`y_history` must be one series; got 2 columns\. "
                                         r"Received: y_history=DataFrame of shape \(5, 2\)"):
        plotting.plot_forecast(history, [5.0, 6.0])


def test_plot_forecast_rejects_an_interval_of_another_length() -> None:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    lower, upper = pd.Series([4.0, 5.0, 6.0]), pd.Series([6.0, 7.0, 8.0])
    try:
        with pytest.raises(ValueError, match=r"`interval` must have 2 rows like `y_pred`\. "
                                             r"Received lower/upper of length 3/3"):
            plotting.plot_forecast(np.arange(5.0), [5.0, 6.0], interval=(lower, upper), ax=ax)
        assert not ax.lines  # checked before anything is drawn
    finally:
        plt.close(ax.figure)


def test_plot_backtest_rejects_an_empty_result() -> None:
    with pytest.raises(ValueError, match=r"`result` holds no series\. Received: an empty "
                                         r"BacktestResult"):
        plotting.plot_backtest(ms.BacktestResult(pd.DataFrame()))


# --- preprocessing --------------------------------------------------------------------------


def test_sequence_scaler_inverse_rejects_a_4d_X() -> None:
    windows = np.arange(24.0).reshape(4, 3, 2)
    scaler = preprocessing.SequenceScaler(per="window").fit(windows)
    with pytest.raises(ValueError, match=r"X must be 2-D or 3-D\. Received: X with shape "
                                         r"\(4, 2, 1, 1\)"):
        scaler.inverse_transform(np.zeros((4, 2, 1, 1)), reference=windows)


def test_make_windows_rejects_data_without_columns() -> None:
    with pytest.raises(ValueError, match=r"`data` has no columns\. Received: data with shape "
                                         r"\(10, 0\)"):
        preprocessing.make_windows(np.zeros((10, 0)), window=2, horizon=1)


# --- text -----------------------------------------------------------------------------------


def test_text_vectorizer_rejects_texts_that_are_not_iterable() -> None:
    with pytest.raises(TypeError, match=r"`X` must be a list, array or Series of strings\. "
                                        r"Received: X=5"):
        text.TextVectorizer().fit(5)


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (5, r"`X` must be a list of token lists or strings\. Received: X=5"),
        (["the cat", 7], r"`X` items must be strings or lists of string tokens; item 1 is 7"),
    ],
    ids=["not-iterable", "int-item"],
)
def test_sequence_tagger_rejects_bad_token_sequences(X: Any, match: str) -> None:
    tagger = est.SequenceTagger(units=2, epochs=1, batch_size=8, random_state=0)
    with pytest.raises(TypeError, match=match):
        tagger.fit(X, [["DET", "NOUN"], ["NOUN"]])
