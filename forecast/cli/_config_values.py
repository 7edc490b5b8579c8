"""Typed settings of a pipeline file: what each key of each table may hold.

:data:`SCHEMA` names the kind of value of every key a pipeline task reads;
:func:`check_value` checks one value against it and :func:`setting` reads one
(with a default) from a loaded config. A wrong value is a ``CLIError`` naming the
table and key: ``[backtest] horizon must be a positive integer; received 6.9``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ._console import CLIError

__all__ = ["SCHEMA", "TASK_KEYS", "check_value", "setting"]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_loss(value: Any) -> bool:
    from forecast.estimators._training import check_loss  # no TensorFlow import

    try:
        check_loss(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str)


#: each kind of value: (what the message says it must be, test of a value)
KINDS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "positive int": ("a positive integer", lambda v: _is_int(v) and v >= 1),
    "non-negative int": ("a non-negative integer", lambda v: _is_int(v) and v >= 0),
    "non-zero int": ("a non-zero integer (-1: every core)", lambda v: _is_int(v) and v != 0),
    "positive ints": ("a positive integer or a list of them",
                      lambda v: (_is_int(v) and v >= 1) or (
                          isinstance(v, list) and len(v) > 0
                          and all(_is_int(u) and u >= 1 for u in v))),
    "positive float": ("a positive number", lambda v: _is_number(v) and v > 0),
    "fraction": ("a number in [0, 1)", lambda v: _is_number(v) and 0 <= v < 1),
    "string": ("a string", lambda v: isinstance(v, str)),
    "strings": ("a list of strings", _is_strings),
    "names": ("a list of names (or one comma-separated string)",
              lambda v: isinstance(v, str) or _is_strings(v)),
    "boolean": ("true or false", lambda v: isinstance(v, bool)),
    "decimal mark": ('"." or ","', lambda v: v in (".", ",")),
    "table": ("a table of settings", lambda v: isinstance(v, dict)),
    "date": ("a date (YYYY-MM-DD)", lambda v: not isinstance(v, bool | int | float | list)),
    "seed": ("an integer in [0, 2**32 - 1]", lambda v: _is_int(v) and 0 <= v < 2**32),
    "scaler": ('one of "auto", "standard", "last", "mean", "log"',
               lambda v: v in ("auto", "standard", "last", "mean", "log")),
    "cell": ('one of "lstm", "gru", "rnn"', lambda v: v in ("lstm", "gru", "rnn")),
    "level": ('"char" or "word"', lambda v: v in ("char", "word")),
    "format": ('"markdown" or "html"', lambda v: v in ("markdown", "html")),
    "loss": ("a loss name (e.g. \"mae\", \"mse\", \"smape\", \"owa\")", _is_loss),
}

#: the kind of every key of every table a pipeline file may hold
SCHEMA: dict[str, dict[str, str]] = {
    "pipeline": {"name": "string", "task": "string", "description": "string"},
    "data": {"cache_dir": "string", "date_column": "string", "dayfirst": "boolean",
             "decimal": "decimal mark", "end": "date",
             "features": "strings", "frequency": "string", "last": "positive int",
             "max_rows": "positive int", "max_series": "positive int",
             "n_test": "positive int", "n_train": "positive int", "offline": "boolean",
             "path": "string", "sample": "string", "start": "date", "target": "string",
             "ticker": "string", "transform": "string"},
    "backtest": {"feature_models": "names", "folds": "positive int", "horizon": "positive int",
                 "lookback": "positive int", "max_train_windows": "positive int",
                 "models": "names", "n_jobs": "non-zero int", "season_length": "positive int",
                 "stride": "positive int"},
    "neural": {"attention": "strings", "batch_size": "positive int", "cell": "cell",
               "dropout": "fraction", "embedding_dim": "positive int", "epochs": "positive int",
               "estimator": "table", "learning_rate": "positive float", "level": "level",
               "loss": "loss", "max_tokens": "positive int",
               "random_state": "seed", "scaler": "scaler",
               "segment_length": "positive int", "sequence_length": "positive int",
               "units": "positive ints", "window": "positive int"},
    "cv": {"folds": "positive int"},
    "generation": {"ngram_order": "positive int", "seeds": "strings", "length": "positive int",
                   "temperature": "positive float"},
    "output": {"dir": "string", "format": "format", "plots": "boolean"},
}

_NEURAL_SERIES = ("batch_size", "epochs", "estimator", "learning_rate", "loss", "random_state",
                  "scaler", "units", "window")
_TEXT_DATA = ("path", "max_rows")

#: the keys each task reads, per table (every task reads [pipeline] and [output] dir and
#: format); a key of :data:`SCHEMA` that the file's task does not read is an error
TASK_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "forecast": {
        "data": ("cache_dir", "date_column", "dayfirst", "decimal", "end", "features", "last",
                 "offline", "path", "sample", "start", "target", "ticker", "transform"),
        "backtest": ("feature_models", "folds", "horizon", "models", "season_length"),
        "neural": _NEURAL_SERIES,
        "output": ("dir", "format", "plots"),
    },
    "m4": {"data": ("frequency", "max_series", "path"), "backtest": ("models", "n_jobs"),
           "neural": _NEURAL_SERIES},
    "ett": {"data": ("path",),
            "backtest": ("horizon", "lookback", "max_train_windows", "models", "stride"),
            "neural": ("batch_size", "epochs", "learning_rate", "random_state",
                       "segment_length", "units")},
    "sentiment": {"data": _TEXT_DATA, "cv": ("folds",),
                  "neural": ("cell", "dropout", "embedding_dim", "epochs", "max_tokens",
                             "sequence_length", "units")},
    "text_generation": {"data": _TEXT_DATA,
                        "neural": ("cell", "epochs", "level", "sequence_length", "units"),
                        "generation": ("length", "ngram_order", "seeds", "temperature")},
    "translation": {"data": ("n_test", "n_train"),
                    "neural": ("attention", "embedding_dim", "epochs", "units")},
}
for _tables in TASK_KEYS.values():
    _tables.setdefault("pipeline", ("description", "name", "task"))
    _tables.setdefault("output", ("dir", "format"))


def _toml(value: Any) -> str:
    """``value`` as the file wrote it (``true``, ``'six'``, ``6.9``)."""
    return str(value).lower() if isinstance(value, bool) else repr(value)


def check_value(table: str, key: str, value: Any, *, where: str = "") -> Any:
    """Return ``value`` when it is of the kind :data:`SCHEMA` gives ``[table] key``.

    Parameters
    ----------
    table, key : str
        The table (``"backtest"``; ``"quick.backtest"`` is checked as ``backtest``)
        and key of the setting.
    value : object
        The value read from the file.
    where : str, default=""
        Prefix of the message, e.g. the file's name and ``": "``.

    Returns
    -------
    object
        ``value`` unchanged.

    Raises
    ------
    CLIError
        ``[table] key must be <kind>; received <value>``.

    Examples
    --------
    >>> check_value("backtest", "horizon", 6)
    6
    >>> check_value("backtest", "horizon", 6.9)
    Traceback (most recent call last):
    ...
    forecast.cli._console.CLIError: [backtest] horizon must be a positive integer; received 6.9
    """
    kind = SCHEMA.get(table.removeprefix("quick."), {}).get(key)
    if kind is not None:
        what, test = KINDS[kind]
        if not test(value):
            raise CLIError(f"{where}[{table}] {key} must be {what}; received {_toml(value)}")
    return value


def setting(config: dict[str, Any], table: str, key: str, default: Any = None) -> Any:
    """The checked value of ``[table] key`` in a loaded ``config``, ``default`` when absent.

    Parameters
    ----------
    config : dict
        The parsed pipeline file (``[quick]`` already applied).
    table, key : str
        The setting, e.g. ``"backtest"``, ``"horizon"``.
    default : object, optional
        Returned as is when the key is absent.

    Returns
    -------
    object
        The value, of the kind :data:`SCHEMA` gives the key.

    Raises
    ------
    CLIError
        When the value is of another kind (see :func:`check_value`).

    Examples
    --------
    >>> setting({"backtest": {"folds": 2}}, "backtest", "folds", 3)
    2
    >>> setting({}, "backtest", "horizon", 12)
    12
    """
    value = config.get(table, {}).get(key)
    return default if value is None else check_value(table, key, value)
