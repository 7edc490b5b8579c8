"""Time-series cross-validation splitters: expanding and sliding training windows.

Folds are anchored at the END of the series: the last fold's test window ends at
the last observation and earlier folds move back by ``step``. For a panel (a dict
of series with different lengths) every series therefore gets the same cutoffs
relative to its own end, which is the M4 convention (the official test window is
the last ``horizon`` points of every series).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_non_negative_int, check_positive_int, describe

__all__ = ["ExpandingWindowSplitter", "SlidingWindowSplitter"]


def _length_of(y: Any) -> int:
    """Length of an int, Series, DataFrame or array-like (not a panel)."""
    if isinstance(y, bool):
        raise TypeError(f"`y` must be a length, a Series or array-like. Received: y={y!r}")
    if isinstance(y, int | np.integer):
        return check_non_negative_int("y", int(y))
    if isinstance(y, pd.Series | pd.DataFrame | np.ndarray):
        return len(y)
    if isinstance(y, str | bytes) or y is None or not hasattr(y, "__len__"):
        raise TypeError(
            f"`y` must be a length (int), a Series, a DataFrame, an array-like or a panel "
            f"(dict of Series). Received: y={describe(y)}"
        )
    return len(y)


class _BaseSplitter:
    """Shared logic; subclasses define the training window start."""

    def _check(self) -> tuple[int, int, int, int | None]:
        horizon = check_positive_int("horizon", self.horizon)
        step = horizon if self.step is None else check_positive_int("step", self.step)
        gap = check_non_negative_int("gap", self.gap)
        n_splits = None if self.n_splits is None else check_positive_int("n_splits", self.n_splits)
        return horizon, step, gap, n_splits

    def _min_train(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def _train_start(self, train_end: int) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def _n_possible(self, n: int) -> int:
        horizon, step, gap, _ = self._check()
        room = n - horizon - gap - self._min_train()
        return 0 if room < 0 else room // step + 1

    def _resolve_n_splits(self, n: int, name: str = "y") -> int:
        horizon, step, gap, n_splits = self._check()
        possible = self._n_possible(n)
        wanted = possible if n_splits is None else n_splits
        if possible < max(wanted, 1):
            need = self._min_train() + gap + horizon + (max(wanted, 1) - 1) * step
            raise ValueError(
                f"`{name}` is too short for {type(self).__name__}: {max(wanted, 1)} fold(s) with "
                f"horizon={horizon}, step={step}, gap={gap} and a training window of at least "
                f"{self._min_train()} need {need} observations. Received: {name} of length {n}"
            )
        return wanted

    def _folds(self, n: int, name: str = "y") -> list[tuple[np.ndarray, np.ndarray]]:
        horizon, step, gap, _ = self._check()
        k = self._resolve_n_splits(n, name)
        folds = []
        for i in range(k):
            test_end = n - (k - 1 - i) * step
            test_start = test_end - horizon
            train_end = test_start - gap
            train_start = self._train_start(train_end)
            folds.append(
                (np.arange(train_start, train_end), np.arange(test_start, test_end))
            )
        return folds

    # -- public API -----------------------------------------------------------------
    def split(self, y: Any) -> Iterator[Any]:
        """Generate the folds, oldest first.

        Parameters
        ----------
        y : int, pandas.Series, pandas.DataFrame, array-like or dict of Series
            A series (or its length). For a panel ``{id: Series}`` every fold is a
            dict ``{id: (train_positions, test_positions)}`` with the same cutoffs
            relative to each series' end.

        Yields
        ------
        (train_positions, test_positions) : tuple of ndarray of int
            Integer positions (use ``y.iloc[...]``): the training window, then the
            ``horizon`` test positions after ``gap`` skipped steps.
        """
        if isinstance(y, Mapping):
            per = {key: self._folds(_length_of(s), f"y[{key!r}]") for key, s in y.items()}
            k = self.get_n_splits(y)
            for i in range(k):
                yield {key: folds[len(folds) - k + i] for key, folds in per.items()}
            return
        yield from self._folds(_length_of(y))

    def get_n_splits(self, y: Any = None) -> int:
        """Number of folds for ``y`` (a length, a series or a panel).

        Without ``y`` the fixed ``n_splits`` is returned (``ValueError`` when it is
        ``None``, since the count then depends on the data). For a panel with
        ``n_splits=None`` it is the smallest count over its series.

        Parameters
        ----------
        y : int, pandas.Series, pandas.DataFrame, array-like or dict of Series, optional
            A series (or its length), or a panel ``{id: Series}``.

        Returns
        -------
        int
            The number of folds.
        """
        if y is None:
            if self.n_splits is None:
                raise ValueError(
                    "`y` is needed to count the folds when n_splits=None. Received: y=None"
                )
            return self._check()[3]
        if isinstance(y, Mapping):
            if not y:
                raise ValueError("`y` is an empty panel. Received: y={}")
            counts = [self._resolve_n_splits(_length_of(s), f"y[{k!r}]") for k, s in y.items()]
            return min(counts)
        return self._resolve_n_splits(_length_of(y))

    def get_cutoffs(self, y: Any) -> np.ndarray | dict[Any, np.ndarray]:
        """Position of the last training observation of each fold.

        Parameters
        ----------
        y : int, pandas.Series, pandas.DataFrame, array-like or dict of Series
            A series (or its length), or a panel ``{id: Series}``.

        Returns
        -------
        ndarray of int, shape (n_splits,), or dict of them
            For a panel, one array per series: its own positions of the folds that
            :meth:`split` yields (the same cutoffs relative to each series' end).

        Examples
        --------
        >>> ExpandingWindowSplitter(horizon=2, n_splits=2).get_cutoffs(10).tolist()
        [5, 7]
        """
        if isinstance(y, Mapping):
            folds = list(self.split(y))
            return {key: np.array([f[key][0][-1] for f in folds], dtype=np.int64) for key in y}
        return np.array([train[-1] for train, _ in self._folds(_length_of(y))], dtype=np.int64)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({params})"

    def _params(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError


class ExpandingWindowSplitter(_BaseSplitter):
    """Expanding training window: every fold trains on all data up to its cutoff.

    Folds are anchored at the end: the last test window is the last ``horizon``
    observations and each earlier fold moves back by ``step``. Fold ``i`` of ``k``
    (0 = oldest) tests on ``[n - (k-1-i)*step - horizon, n - (k-1-i)*step)`` and
    trains on ``[0, test_start - gap)``.

    Parameters
    ----------
    horizon : int
        Number of test points per fold (the forecast horizon).
    step : int, optional
        Distance between consecutive cutoffs (default ``horizon``: test windows
        do not overlap).
    initial_train_size : int, optional
        Minimum length of the first (shortest) training window. Default 1 when
        ``n_splits`` is given, else ``horizon``.
    n_splits : int, optional
        Number of folds (the last ``n_splits``). ``None``: every fold whose training
        window has at least ``initial_train_size`` points.
    gap : int, default=0
        Steps skipped between the end of training and the test window (the model
        forecasts ``gap + horizon`` steps; the last ``horizon`` are scored).

    Examples
    --------
    >>> cv = ExpandingWindowSplitter(horizon=2, n_splits=2)
    >>> [(tr.tolist(), te.tolist()) for tr, te in cv.split(7)]
    [([0, 1, 2], [3, 4]), ([0, 1, 2, 3, 4], [5, 6])]
    >>> ExpandingWindowSplitter(horizon=2, initial_train_size=3).get_n_splits(7)
    2
    """

    def __init__(
        self,
        horizon: int,
        *,
        step: int | None = None,
        initial_train_size: int | None = None,
        n_splits: int | None = None,
        gap: int = 0,
    ) -> None:
        self.horizon = horizon
        self.step = step
        self.initial_train_size = initial_train_size
        self.n_splits = n_splits
        self.gap = gap

    def _min_train(self) -> int:
        if self.initial_train_size is not None:
            return check_positive_int("initial_train_size", self.initial_train_size)
        return 1 if self.n_splits is not None else check_positive_int("horizon", self.horizon)

    def _train_start(self, train_end: int) -> int:
        return 0

    def _params(self) -> dict[str, Any]:
        return {
            "horizon": self.horizon,
            "step": self.step,
            "initial_train_size": self.initial_train_size,
            "n_splits": self.n_splits,
            "gap": self.gap,
        }


class SlidingWindowSplitter(_BaseSplitter):
    """Fixed-length training window that slides with the cutoff.

    Same fold placement as :class:`ExpandingWindowSplitter` (anchored at the end of
    the series), but every fold trains on the ``train_size`` points before its
    cutoff (minus ``gap``).

    Parameters
    ----------
    horizon : int
        Number of test points per fold.
    train_size : int
        Length of every training window.
    step : int, optional
        Distance between consecutive cutoffs (default ``horizon``).
    n_splits : int, optional
        Number of folds (the last ``n_splits``); ``None``: all that fit.
    gap : int, default=0
        Steps skipped between training and test windows.

    Examples
    --------
    >>> cv = SlidingWindowSplitter(horizon=1, train_size=3)
    >>> [(tr.tolist(), te.tolist()) for tr, te in cv.split(5)]
    [([0, 1, 2], [3]), ([1, 2, 3], [4])]
    """

    def __init__(
        self,
        horizon: int,
        *,
        train_size: int,
        step: int | None = None,
        n_splits: int | None = None,
        gap: int = 0,
    ) -> None:
        self.horizon = horizon
        self.train_size = train_size
        self.step = step
        self.n_splits = n_splits
        self.gap = gap

    def _min_train(self) -> int:
        return check_positive_int("train_size", self.train_size)

    def _train_start(self, train_end: int) -> int:
        return train_end - self._min_train()

    def _params(self) -> dict[str, Any]:
        return {
            "horizon": self.horizon,
            "train_size": self.train_size,
            "step": self.step,
            "n_splits": self.n_splits,
            "gap": self.gap,
        }
