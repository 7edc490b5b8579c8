"""load_csv: date detection, index checks, requested numeric columns, clear errors, fuzz."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecast.datasets import load_csv


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_happy_path_keeps_all_columns(tmp_path):
    frame = pd.DataFrame({"date": pd.date_range("2020-01-01", periods=6, freq="D"),
                          "sales": np.arange(6.0), "label": list("abcdef")})
    path = tmp_path / "sales.csv"
    frame.to_csv(path, index=False)
    before = path.read_bytes()
    df = load_csv(path)
    assert list(df.columns) == ["sales", "label"]
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index.name == "date"
    assert df["sales"].tolist() == list(range(6))
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["Date", "datetime", "timestamp", "month", " DS "])
def test_date_column_detected(tmp_path, name):
    path = _write(tmp_path, f"{name},y\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n")
    assert load_csv(path).index[1] == pd.Timestamp("2020-02-01")


def test_first_text_column_parsed_as_dates_and_years(tmp_path):
    path = _write(tmp_path, "when,y\n01/13/2020,1\n01/14/2020,2\n")  # only month-first
    assert load_csv(path).index[0] == pd.Timestamp("2020-01-13")
    path = _write(tmp_path, "year,y\n1999,1\n2000,2\n2001,3\n")
    assert load_csv(path).index[-1] == pd.Timestamp("2001-01-01")


def test_explicit_date_column_and_columns(tmp_path):
    path = _write(tmp_path, "a,stamp,b,c\n1,2020-01-01,x,3\n2,2020-01-02,y,4\n3,2020-01-03,z,\n")
    df = load_csv(path, date_column="stamp", columns=["c", "a"])
    assert list(df.columns) == ["c", "a"]
    assert (df.dtypes == "float64").all()
    assert np.isnan(df["c"].iloc[-1])  # NaN kept for the caller
    assert list(load_csv(path, date_column="stamp", columns="a").columns) == ["a"]


def test_irregular_dates_allowed_unless_required(tmp_path):
    path = _write(tmp_path, "date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-06,3\n2020-01-07,4\n")
    assert len(load_csv(path)) == 4
    with pytest.raises(ValueError, match="irregular DatetimeIndex"):
        load_csv(path, require_freq=True)


def test_shared_msft_csv(shared_data):
    df = load_csv(shared_data / "stocks" / "MSFT.csv", columns=["Close"])
    assert df.shape == (7983, 1)
    assert df.index.name == "Date"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("date,y\n2020-01-02,1\n2020-01-01,2\n", "non-monotonic timestamps"),
        ("date,y\n2020-01-01,1\n2020-01-01,2\n", "duplicate timestamps"),
        ("date,y\n2020-01-01,1\nnot a date,2\n", "bad date column 'date'"),
        ("date,y\n2020-01-01,1\n,2\n", "data row 2 has no date"),
        ("date,y\n", "at least one value column and one data row"),
        ("date|y\n2020-01-01|1\n2020-01-02|2\n",
         r"2 rows\. The header holds '\|': save the file with ',' or ';' between columns"),
        ("date\ty\n2020-01-01\t1\n", r"The header holds '\\t'"),
        ("", "could not read"),
        ("x,y\n1.5,2\n2.5,3\n", "no date column found"),
        ("date,y\n2020-01-01,a\n2020-01-02,b\n", "no numeric column"),
        ("date,y\n2020-01-01,inf\n2020-01-02,1\n", "infinity"),
        ('date,y\n2020-01-01,"1\n', "could not read"),
        # pandas would rename the second column to 'sales.1' and the first would be used
        ("date,sales,sales\n2020-01-01,1,2\n2020-01-02,2,3\n",
         "column 'sales' appears more than once in the header"),
        ('date,y\n2020-01-01,"1,234"\n2020-01-02,"2,345.5"\n',
         r"no numeric column .*data row 1 \(it looks like numbers written with thousands "
         r"separators: save the file without them"),
    ],
)
def test_format_errors_name_the_path(tmp_path, text, match):
    path = _write(tmp_path, text, name="mine.csv")
    with pytest.raises(ValueError, match=match) as info:
        load_csv(path)
    assert "mine.csv" in str(info.value)


def test_argument_errors(tmp_path):
    path = _write(tmp_path, "date,y,t\n2020-01-01,1,a\n2020-01-02,2,b\n")
    with pytest.raises(FileNotFoundError, match="CSV file not found.*missing.csv"):
        load_csv(tmp_path / "missing.csv")
    with pytest.raises(FileNotFoundError, match="is a directory"):
        load_csv(tmp_path)
    with pytest.raises(ValueError, match="`date_column` 'when' not found"):
        load_csv(path, date_column="when")
    with pytest.raises(ValueError, match=r"column\(s\) \['z'\] not found"):
        load_csv(path, columns=["y", "z"])
    with pytest.raises(ValueError, match="column 't' is not numeric.*'a'") as info:
        load_csv(path, columns=["t"])
    assert "thousands" not in str(info.value)
    sep = _write(tmp_path, 'date,y\n2020-01-01,"1,234"\n2020-01-02,2\n', name="sep.csv")
    with pytest.raises(ValueError, match=r"column 'y' is not numeric \(e.g. value '1,234' at "
                                         r"data row 1\) \(it looks like numbers written "
                                         r"with thousands"):
        load_csv(sep, columns=["y"])
    with pytest.raises(ValueError, match="`columns` must not be empty"):
        load_csv(path, columns=[])
    with pytest.raises(TypeError, match="`columns` must be a column name"):
        load_csv(path, columns=[1])
    with pytest.raises(TypeError, match="`date_column` must be a column name"):
        load_csv(path, date_column=0)
    with pytest.raises(TypeError, match="`path` must be a path"):
        load_csv(None)


def test_undecodable_bytes_are_a_value_error(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"date,y\n2020-01-01,\xff\xfe\n")
    with pytest.raises(ValueError, match="latin.csv") as info:
        load_csv(path)
    assert type(info.value) is ValueError  # wrapped, not a bare UnicodeDecodeError


_CSVISH = st.text(alphabet="date,y0123456789-:./ \n\"'TZ+e", max_size=120)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=200), _CSVISH.map(str.encode),
                         _CSVISH.map(lambda s: ("date,y\n" + s).encode())))
def test_fuzz_only_documented_errors(tmp_path, content):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content)
    error = None
    try:
        df = load_csv(path)
    except ValueError as exc:  # anything else (TypeError, KeyError, ...) fails the test
        error = exc
    if error is not None:
        assert type(error) is ValueError, repr(error)  # wrapped: no bare parser/decode errors
        assert "fuzz.csv" in str(error)
    else:  # whatever loads honours the contract
        assert isinstance(df.index, pd.DatetimeIndex)
        assert df.index.is_monotonic_increasing
        assert df.index.is_unique


def _dated(tmp_path, dates, name="d.csv"):
    return _write(tmp_path, "date,y\n" + "".join(f"{d},{i}\n" for i, d in enumerate(dates)),
                  name)


@pytest.mark.parametrize("sep", ["/", ".", "-"])
def test_day_first_dates_are_read_day_first_when_only_that_is_regular(tmp_path, sep):
    # 01/02/2020 is 2 January to pandas: a European monthly file used to come out as
    # 1-12 January 2020, then 1-3 January 2021 (irregular, silently)
    months = pd.date_range("2020-01-01", periods=15, freq="MS")
    df = load_csv(_dated(tmp_path, months.strftime(f"%d{sep}%m{sep}%Y")))
    assert df.index.equals(pd.DatetimeIndex(months, name="date"))


def test_day_first_daily_dates_that_month_first_cannot_read(tmp_path):
    # 01/02/2020 made pandas pick %m/%d/%Y, and 13/02/2020 then failed the whole column
    days = pd.date_range("2020-02-01", periods=20, freq="D")
    df = load_csv(_dated(tmp_path, days.strftime("%d/%m/%Y")))
    assert df.index.equals(pd.DatetimeIndex(days, name="date"))
    with pytest.raises(ValueError, match=r"bad date column 'date': it cannot be parsed as "
                                         r"dates \(time data \"13/02/2020\""):
        load_csv(_dated(tmp_path, ["01/02/2020", "13/02/2020", "02/13/2020"], "mixed.csv"))


def test_month_first_dates_stay_month_first(tmp_path):
    months = pd.date_range("2020-01-01", periods=15, freq="MS")
    df = load_csv(_dated(tmp_path, months.strftime("%m/%d/%Y"), "us_monthly.csv"))
    assert df.index.equals(pd.DatetimeIndex(months, name="date"))
    days = pd.date_range("2020-01-01", periods=20, freq="D")  # 01/13/2020: no day-first
    df = load_csv(_dated(tmp_path, days.strftime("%m/%d/%Y"), "us_daily.csv"))
    assert df.index.equals(pd.DatetimeIndex(days, name="date"))


def test_dates_regular_both_ways_are_an_error(tmp_path):
    path = _dated(tmp_path, ["01/01/2020", "02/01/2020", "03/01/2020"])
    with pytest.raises(ValueError, match=r"its dates read both month-first \('02/01/2020' = "
                                         r"2020-02-01\) and day-first \(2020-01-02\) as a "
                                         r"regular series; write them as YYYY-MM-DD"):
        load_csv(path)


def test_semicolon_separated_files_are_detected(tmp_path):
    # the usual companion of decimal commas: it used to fail with "a stray ','?"
    path = _write(tmp_path, "Date;v\n2020-01-01;-1,93\n2020-01-02;0,76\n", name="semi.csv")
    df = load_csv(path, decimal=",")
    assert list(df.columns) == ["v"]
    assert df["v"].tolist() == [-1.93, 0.76]
    assert df.index.name == "Date"
    with pytest.raises(ValueError, match=r"column 'v' holds a non-numeric value at data row 1 "
                                         r"\(decimal commas\? pass decimal=','\). "
                                         r"Received: '-1,93'$"):
        load_csv(path)
    assert load_csv(path, sep=";", decimal=",").equals(df)
    ragged = _write(tmp_path, "date;v\n2020-01-01;1;9\n2020-01-02;2\n", name="ragged.csv")
    with pytest.raises(ValueError, match=r"data row 1 has 3 fields but the header has 2 "
                                         r"\(a stray ';'\?\). Received: '2020-01-01;1;9'$"):
        load_csv(ragged)


def test_comma_files_are_read_as_before(tmp_path):
    # a ',' header decides, whatever ';' the cells hold
    path = _write(tmp_path, "date,note,y\n2020-01-01,a;b,1\n2020-01-02,c;d,2\n")
    df = load_csv(path)
    assert list(df.columns) == ["note", "y"]
    assert df["note"].tolist() == ["a;b", "c;d"]
    assert load_csv(path, sep=",").equals(df)
    quoted = _write(tmp_path, 'date,v\n2020-01-01,"1,5"\n', name="quoted.csv")
    assert load_csv(quoted, sep=",", decimal=",")["v"].tolist() == [1.5]


def test_sep_is_checked(tmp_path):
    semi = _write(tmp_path, "date;y\n2020-01-01;1\n", name="semi.csv")
    with pytest.raises(ValueError, match=r"Received columns \['date;y'\] and 1 rows\. The "
                                         r"header holds ';': pass sep=';', or sep=None"):
        load_csv(semi, sep=",")
    comma = _write(tmp_path, "date,y\n2020-01-01,1\n", name="comma.csv")
    with pytest.raises(ValueError, match=r"The header holds ',': pass sep=','"):
        load_csv(comma, sep=";")
    with pytest.raises(ValueError, match=r"`sep` must be None \(detect\), ',' or ';'\. "
                                         r"Received: sep='\\t'"):
        load_csv(comma, sep="\t")
