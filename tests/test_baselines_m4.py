"""M4 Hourly reference checks (official protocol) for the baselines and metrics.

Fit on each of the 414 training series (integer index), forecast h = 48, score on
the test file; sMAPE/MASE are means over series (m = 24). Published numbers are
from the official M4 table (``../shared/data/README.md``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from forecast.forecasters import SES, Naive2, SeasonalNaive, Theta
from forecast.metrics import owa, panel_mean

H, M = 48, 24


def _read_wide(path: Path) -> dict[str, np.ndarray]:
    """Parse an M4 wide CSV (quoted fields, V1 = id, right-padded with empty cells)."""
    out = {}
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            out[row[0]] = np.array([float(v) for v in row[1:] if v != ""])
    return out


@pytest.fixture(scope="module")
def m4_hourly(shared_data):
    folder = shared_data / "m4"
    try:
        from forecast.datasets import load_m4
    except ImportError:
        load_m4 = None
    if load_m4 is not None:
        data = load_m4("Hourly", folder)
        train = {k: v.to_numpy(dtype=float) for k, v in data.train.items()}
        test = {k: v.to_numpy(dtype=float) for k, v in data.test.items()}
    else:
        train = _read_wide(folder / "Hourly-train.csv")
        test = _read_wide(folder / "Hourly-test.csv")
    assert len(train) == 414
    return train, test


def _score(model_factory, train, test, ids=None):
    ids = list(train) if ids is None else ids
    pred = {k: model_factory().fit(train[k]).predict(H).to_numpy() for k in ids}
    true = {k: test[k] for k in ids}
    smape = panel_mean("smape", true, pred)
    mase = panel_mean("mase", true, pred, y_train={k: train[k] for k in ids}, season_length=M)
    return smape, mase


def test_m4_hourly_naive2_and_seasonal_naive_match_official(m4_hourly):
    train, test = m4_hourly
    s2, m2 = _score(lambda: Naive2(season_length=M), train, test)
    assert s2 == pytest.approx(18.383, abs=5e-3)
    assert m2 == pytest.approx(2.395, abs=5e-3)
    s, m = _score(lambda: SeasonalNaive(season_length=M), train, test)
    assert s == pytest.approx(13.912, abs=5e-3)
    assert m == pytest.approx(1.193, abs=5e-3)
    assert owa(s, m, smape_naive2=s2, mase_naive2=m2) == pytest.approx(0.627, abs=2e-3)


def test_m4_hourly_ses_theta_subset_regression(m4_hourly):
    """Every 8th series (52): pinned values of this implementation (full panel: slow test)."""
    train, test = m4_hourly
    ids = list(train)[::8]
    s, m = _score(lambda: SES(season_length=M), train, test, ids)
    assert (s, m) == pytest.approx((18.70086, 2.33022), rel=1e-3)
    s, m = _score(lambda: Theta(season_length=M), train, test, ids)
    assert (s, m) == pytest.approx((18.74070, 2.40310), rel=1e-3)


@pytest.mark.slow
def test_m4_hourly_ses_theta_full_match_official(m4_hourly):
    train, test = m4_hourly
    s, m = _score(lambda: SES(season_length=M), train, test)
    assert s == pytest.approx(18.094, rel=0.01)
    assert m == pytest.approx(2.385, rel=0.01)
    s, m = _score(lambda: Theta(season_length=M), train, test)
    assert s == pytest.approx(18.138, rel=0.02)
    assert m == pytest.approx(2.455, rel=0.02)
