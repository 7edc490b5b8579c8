"""load_m4 on the shared M4 Hourly files and on small generated files."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.datasets import M4_INFO, M4Dataset, load_m4


def _write(path, rows, width):
    lines = [",".join(f'"V{i}"' for i in range(1, width + 2))]
    for key, values in rows:
        cells = [f'"{key}"'] + [f'"{v:g}"' for v in values] + ['""'] * (width - len(values))
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture
def small(tmp_path):
    _write(tmp_path / "Yearly-train.csv", [("Y1", [1, 2, 3]), ("Y2", [5, 6, 7, 8, 9])], 5)
    _write(tmp_path / "Yearly-test.csv", [("Y1", range(10, 16)), ("Y2", range(20, 26))], 6)
    return tmp_path


def test_small_train_and_test(small):
    ds = load_m4("yearly", small)
    assert isinstance(ds, M4Dataset)
    assert len(ds) == 2
    assert (ds.frequency, ds.horizon, ds.season_length) == ("Yearly", 6, 1)
    assert ds.train["Y1"].tolist() == [1.0, 2.0, 3.0]
    assert ds.train["Y1"].index.tolist() == [0, 1, 2]
    assert ds.train["Y2"].dtype == np.float64
    assert len(ds.train["Y2"]) == 5
    assert ds.test["Y1"].index.tolist() == list(range(3, 9))  # continues the train index
    assert ds.test["Y2"].index[0] == 5
    assert ds.test["Y2"].iloc[0] == 20.0


def test_train_file_path_and_missing_test(small):
    (small / "Yearly-test.csv").unlink()
    ds = load_m4("Yearly", small / "Yearly-train.csv")
    assert ds.test is None
    assert set(ds.train) == {"Y1", "Y2"}


def test_horizon_table():
    assert M4_INFO == {"Yearly": (6, 1), "Quarterly": (8, 4), "Monthly": (18, 12),
                       "Weekly": (13, 1), "Daily": (14, 1), "Hourly": (48, 24)}


def test_hourly_shared(shared_data):
    ds = load_m4("Hourly", shared_data / "m4")
    assert len(ds.train) == 414
    assert len(ds.test) == 414
    assert (ds.horizon, ds.season_length) == (48, 24)
    lengths = [len(s) for s in ds.train.values()]
    assert min(lengths) == 700
    assert max(lengths) == 960
    assert all(len(s) == 48 for s in ds.test.values())
    h1 = ds.train["H1"]
    assert h1.iloc[:3].tolist() == [605.0, 586.0, 586.0]
    assert ds.test["H1"].index[0] == len(h1)
    assert not any(s.isna().any() for s in ds.train.values())


def test_errors(tmp_path, small):
    with pytest.raises(ValueError, match="`frequency` must be one of"):
        load_m4("Minutely", small)
    with pytest.raises(FileNotFoundError, match="M4 train file not found.*Monthly-train.csv"):
        load_m4("Monthly", small)
    with pytest.raises(TypeError, match="`path` must be a path"):
        load_m4("Yearly", 3)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "Yearly-train.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not an M4 CSV file"):
        load_m4("Yearly", bad)
    _write(bad / "Yearly-train.csv", [("Y1", [1, 2])], 3)
    (bad / "Yearly-train.csv").write_text('"V1","V2","V3","V4"\n"Y1","1","","3"\n')
    with pytest.raises(ValueError, match="'Y1' is empty or has a gap"):
        load_m4("Yearly", bad)
    (bad / "Yearly-train.csv").write_text('"V1","V2","V3"\n"Y1","1","x"\n')
    with pytest.raises(ValueError, match="not an M4 CSV file"):
        load_m4("Yearly", bad)


def test_test_file_mismatch(small):
    _write(small / "Yearly-test.csv", [("Y1", range(6)), ("Y3", range(6))], 6)
    with pytest.raises(ValueError, match="different series ids"):
        load_m4("Yearly", small)
    _write(small / "Yearly-test.csv", [("Y1", range(6)), ("Y2", range(5))], 6)
    with pytest.raises(ValueError, match="'Y2' has 5 test values.*horizon 6"):
        load_m4("Yearly", small)


def test_a_test_file_or_an_empty_file_is_refused(small):
    with pytest.raises(ValueError, match=r"Yearly-test.csv' is an M4 test file: pass the folder"):
        load_m4("Yearly", small / "Yearly-test.csv")
    (small / "Yearly-train.csv").write_text('"V1","V2"\n')
    with pytest.raises(ValueError, match=r"Yearly-train.csv' holds no series"):
        load_m4("Yearly", small)
