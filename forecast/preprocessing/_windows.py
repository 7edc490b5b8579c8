"""Array-level windowing: ``make_windows`` turns a series into supervised ``(X, y)`` pairs.

Windows are zero-copy, read-only views built with
:func:`numpy.lib.stride_tricks.sliding_window_view` whenever the input already
holds floating-point data; see :func:`make_windows` for when a copy happens.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from .._validation import check_index, check_non_negative_int, check_positive_int, describe

__all__ = ["make_windows"]

_CHUNK_ROWS = 65_536  # rows per block when locating a non-finite value


def _as_float_2d(data: Any) -> tuple[np.ndarray, list[Hashable] | None]:
    """Return ``data`` as a 2-D floating array (a view where possible) and its column names.

    Unlike ``forecast._validation.check_numeric_array`` this never allocates an array
    of the input's size to look for NaN/inf (the mask alone would be 1/4 of a float32
    input), so the zero-copy path stays zero-copy.
    """
    columns: list[Hashable] | None = None
    if isinstance(data, pd.DataFrame | pd.Series):
        dtypes = (
            list(data.dtypes.items())
            if isinstance(data, pd.DataFrame)
            else [(data.name, data.dtype)]
        )
        bad = [
            c
            for c, dt in dtypes
            if not (pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt))
        ]
        if bad:
            raise TypeError(
                f"`data` must hold numeric data; non-numeric column(s) {bad}. "
                f"Received: data={describe(data)}"
            )
        check_index("data", data.index, require_freq=False)
        if isinstance(data, pd.DataFrame):
            columns = list(data.columns)
            dts = set(data.dtypes)
            # a single NumPy float dtype converts without a copy (a view of the block)
            if len(dts) == 1 and isinstance(next(iter(dts)), np.dtype):
                arr = data.to_numpy()
            else:
                arr = data.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            columns = [data.name]
            arr = (
                data.to_numpy()
                if isinstance(data.dtype, np.dtype)
                else data.to_numpy(dtype=np.float64, na_value=np.nan)
            )
    elif isinstance(data, str | bytes) or data is None:
        raise TypeError(f"`data` must be numeric array-like. Received: data={describe(data)}")
    else:
        arr = np.asarray(data)
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"`data` must hold numeric data. Received: data={describe(arr)}")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"`data` must be 1-D (one feature) or 2-D (time, features). "
            f"Received: data with shape {arr.shape}"
        )
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)  # a view
    if arr.shape[1] == 0:
        raise ValueError(f"`data` has no columns. Received: data with shape {arr.shape}")
    _check_finite(arr)
    return arr, columns


def _check_finite(arr: np.ndarray) -> None:
    """Raise ``ValueError`` naming the first NaN/inf position; O(1) extra memory."""
    if arr.size == 0:
        return
    # one buffered pass; a non-finite element always makes the float64 sum non-finite
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.add.reduce(arr, axis=None, dtype=np.float64)
    if np.isfinite(total):
        return
    for start in range(0, arr.shape[0], _CHUNK_ROWS):
        block = arr[start : start + _CHUNK_ROWS]
        bad = ~np.isfinite(block)
        if bad.any():
            row, col = (int(v) for v in np.argwhere(bad)[0])
            what = "NaN" if np.isnan(block[row, col]) else "infinity"
            raise ValueError(
                f"`data` contains {what} at position {[start + row, col]} (row, column). "
                f"Received: data={describe(arr)}"
            )
    # only an overflow of the sum (values near the dtype maximum): all values are finite


def _resolve_target(
    target: Any, columns: list[Hashable] | None, n_features: int
) -> tuple[list[int], bool]:
    """Column positions selected by ``target`` and whether ``y`` keeps a target axis."""
    if target is None:
        return list(range(n_features)), n_features > 1
    if isinstance(target, np.ndarray) and target.ndim == 0:
        target = target.item()  # np.array(0): the scalar it holds
    scalar = isinstance(target, str | bytes | numbers.Integral) or not isinstance(
        target, Sequence | np.ndarray | pd.Index
    )
    items = [target] if scalar else list(target)
    if not items:
        raise ValueError(f"`target` must select at least one column. Received: target={target!r}")
    positions: list[int] = []
    for item in items:
        if isinstance(item, bool | np.bool_):
            raise TypeError(
                f"`target` must be column name(s) or integer position(s). "
                f"Received: target={describe(target)}"
            )
        pos = None
        if columns is not None:
            try:
                hits = [i for i, c in enumerate(columns) if c == item]
            except (TypeError, ValueError):
                hits = []
            if hits:
                pos = hits[0]
        if pos is None and isinstance(item, numbers.Integral) and -n_features <= item < n_features:
            pos = int(item) % n_features
        if pos is None:
            known = columns if columns is not None else list(range(n_features))
            raise ValueError(
                f"`target` {item!r} is not a column of `data` (columns: {known[:10]}"
                f"{'...' if len(known) > 10 else ''}). Received: target={describe(target)}"
            )
        positions.append(pos)
    if len(set(positions)) != len(positions):
        raise ValueError(f"`target` selects a column twice. Received: target={describe(target)}")
    return positions, not scalar


def make_windows(
    data: Any,
    *,
    window: int,
    horizon: int,
    stride: int = 1,
    gap: int = 0,
    target: Any = None,
    return_index: bool = False,
) -> tuple[np.ndarray, np.ndarray | None] | tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Cut a series into supervised windows ``(X, y)`` (zero-copy views when possible).

    Window ``i`` uses rows ``[s + i*stride, s + i*stride + window)`` as inputs and rows
    ``[s + i*stride + window + gap, s + i*stride + window + gap + horizon)`` as
    targets, for every ``i`` whose targets lie inside the series:
    ``n = (n_timesteps - window - gap - horizon) // stride + 1`` windows. The windows
    are aligned to the end of the series: ``s = (n_timesteps - window - gap - horizon)
    % stride``, so the last window's targets end at the last row and, with
    ``stride > 1``, the rows left out are the oldest ones (at most ``stride - 1``),
    never the newest. ``X`` keeps every feature, including past values of the targets.

    Parameters
    ----------
    data : array-like of shape (n_timesteps,) or (n_timesteps, n_features), Series or DataFrame
        The series, oldest first. A 1-D input is one feature. A pandas index (integer,
        as in M4, or DatetimeIndex) is only used for bookkeeping; it must be increasing.
        Values must be numeric and finite.
    window : int
        Number of input time steps per window (``>= 1``).
    horizon : int
        Number of target time steps per window (``>= 0``). ``horizon=0`` makes
        inference windows: ``y`` is ``None`` and, with ``gap=0``, the last window ends at
        the last row (for any ``stride``), i.e. it is the input for forecasting the
        future.
    stride : int, default=1
        Step between the starts of consecutive windows (``>= 1``), counted back from
        the newest window.
    gap : int, default=0
        Number of rows skipped between the inputs and the targets (``>= 0``).
    target : column name, int, or sequence of them, default=None
        Columns forming ``y``: DataFrame column names (or positions), array column
        positions (negative allowed). ``None`` selects all columns.
    return_index : bool, default=False
        Also return the integer position of each window's first target.

    Returns
    -------
    X : ndarray of shape (n_windows, window, n_features)
        Read-only view on ``data`` when no copy was needed (see Notes).
    y : ndarray of shape (n_windows, horizon) or (n_windows, horizon, n_targets), or None
        2-D when ``target`` is a single name/position, or ``target=None`` and ``data``
        has one column; 3-D when ``target`` is a list or ``None`` with several columns.
        ``None`` when ``horizon=0``.
    target_start : ndarray of int64 of shape (n_windows,)
        Only when ``return_index=True``: ``target_start[i] = s + i*stride + window + gap``.
        Target ``k`` of window ``i`` is row ``target_start[i] + k``; its timestamp is
        ``data.index[target_start[i] + k]`` (with ``horizon=0`` it may equal
        ``len(data)``: the first future step).

    Raises
    ------
    TypeError
        Non-numeric ``data``, non-integer ``window``/``horizon``/``stride``/``gap``, or a
        boolean ``target``.
    ValueError
        ``data`` not 1-D/2-D, containing NaN/inf, with an unsorted index, or shorter than
        ``window + gap + horizon``; ``window``/``stride`` < 1; ``horizon``/``gap`` < 0;
        ``target`` not a column of ``data``.

    Notes
    -----
    *Zero-copy.* ``X`` and ``y`` are views (no memory grows with ``n_windows``) when
    ``data`` is a floating NumPy array of any memory layout (float32 stays float32), a
    float Series, or a DataFrame whose columns all share one NumPy float dtype and
    are stored in one block (built from a 2-D array, or consolidated by ``df.copy()``).
    A copy of ``data`` (cast to float64) is made for integer arrays, lists, DataFrames
    with mixed or nullable (extension) dtypes, and DataFrames held in several blocks: a
    column added after the frame was built (``df["temp"] = ...``), and frames read by
    ``pd.read_csv``/``load_csv`` (one block per column in pandas 3); ``df.copy()`` makes
    one block; ``y`` also copies the target columns when
    ``target`` lists non-evenly-spaced columns. ``return_index=True`` allocates the
    positions (8 bytes per window). Views are read-only and overlap: call
    ``np.ascontiguousarray(X[batch])`` to materialise a batch
    (``n * window * n_features`` values).

    Examples
    --------
    >>> import numpy as np
    >>> X, y = make_windows(np.arange(6.0), window=3, horizon=2)
    >>> X.shape, y.shape
    ((2, 3, 1), (2, 2))
    >>> X[1, :, 0].tolist(), y[1].tolist()
    ([1.0, 2.0, 3.0], [4.0, 5.0])

    Timestamps of the targets with ``return_index``:

    >>> import pandas as pd
    >>> s = pd.Series(np.arange(6.0), index=pd.date_range("2024-01-01", periods=6, freq="D"))
    >>> X, y, pos = make_windows(s, window=3, horizon=2, return_index=True)
    >>> [str(d.date()) for d in s.index[pos[0] + np.arange(2)]]
    ['2024-01-04', '2024-01-05']

    Multivariate input with one target column, and inference windows:

    >>> df = pd.DataFrame({"load": np.arange(8.0), "temp": np.ones(8)})
    >>> X, y = make_windows(df, window=4, horizon=2, stride=2, target="load")
    >>> X.shape, y.shape
    ((2, 4, 2), (2, 2))
    >>> X, y = make_windows(df, window=4, horizon=0)
    >>> X.shape, y is None, X[-1, :, 0].tolist()
    ((5, 4, 2), True, [4.0, 5.0, 6.0, 7.0])

    With a stride, the windows are counted back from the newest, which is never left out:

    >>> X, _ = make_windows(np.arange(10.0), window=3, horizon=0, stride=2)
    >>> X[:, :, 0].tolist()
    [[1.0, 2.0, 3.0], [3.0, 4.0, 5.0], [5.0, 6.0, 7.0], [7.0, 8.0, 9.0]]
    """
    window = check_positive_int("window", window)
    horizon = check_non_negative_int("horizon", horizon)
    stride = check_positive_int("stride", stride)
    gap = check_non_negative_int("gap", gap)
    if not isinstance(return_index, bool | np.bool_):
        raise TypeError(f"`return_index` must be a bool. Received: return_index={return_index!r}")
    arr, columns = _as_float_2d(data)
    n_timesteps, n_features = arr.shape
    positions, keep_axis = _resolve_target(target, columns, n_features)
    needed = window + gap + horizon
    if n_timesteps < needed:
        raise ValueError(
            f"`data` is too short: window + gap + horizon = {window} + {gap} + {horizon} "
            f"= {needed} rows are needed. Received: data of length {n_timesteps}"
        )
    n_windows = (n_timesteps - needed) // stride + 1
    offset = (n_timesteps - needed) % stride  # aligned to the end: the oldest rows are left
    last_start = (n_windows - 1) * stride

    # (n_timesteps - window + 1, n_features, window) -> (n_windows, window, n_features)
    xv = sliding_window_view(arr[offset: offset + last_start + window], window, axis=0)[::stride]
    X = xv.swapaxes(1, 2)

    y = None
    if horizon:
        first = offset + window + gap
        rows = slice(first, first + last_start + horizon)
        if len(positions) == 1:
            tgt = arr[rows, positions[0] : positions[0] + 1]
        else:
            steps = np.diff(positions)
            if (steps == steps[0]).all() and steps[0] > 0:
                tgt = arr[rows, positions[0] : positions[-1] + 1 : int(steps[0])]  # a view
            else:
                tgt = arr[rows][:, positions]  # copies only the target columns
        y = sliding_window_view(tgt, horizon, axis=0)[::stride].swapaxes(1, 2)
        if not keep_axis:
            y = y[:, :, 0]
    if return_index:
        target_start = offset + window + gap + stride * np.arange(n_windows, dtype=np.int64)
        return X, y, target_start
    return X, y
