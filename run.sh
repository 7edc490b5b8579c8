#!/usr/bin/env bash
# One entry point that does its own set-up on a fresh machine (Python 3.11 + pip).
#   ./run.sh demo            the main job: backtest RNNs against baselines on embedded data
#   ./run.sh test [ARGS]     the test suite (pytest -m "not slow"), ARGS passed to pytest
#   ./run.sh forecast ARGS   any `forecast` CLI command inside the project environment
# Set-up (the virtual environment, FORECAST_VENV, default .venv, relative to the repository)
# happens in the repository; `demo` and `forecast` then run in the caller's folder, like
# `forecast ...` would, so relative paths (--data, --out, outputs/) are the caller's.
# `test` runs in the repository (pytest's configuration and test paths live there).
set -euo pipefail
CALLER_DIR=$PWD
cd "$(dirname "$0")"
ROOT=$PWD

PYTHON_BIN=${PYTHON:-}
if [ -z "$PYTHON_BIN" ]; then
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON_BIN=$candidate; break; fi
  done
fi
VENV=${FORECAST_VENV:-.venv}
case "$VENV" in
  /*) ;;
  *) VENV="$ROOT/$VENV" ;;
esac
if [ ! -x "$VENV/bin/python" ]; then
  echo "[run.sh] creating virtual environment in $VENV" >&2
  "$PYTHON_BIN" -m venv "$VENV"
fi
STAMP="$VENV/.forecast-installed"
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "[run.sh] installing forecast and its dependencies (first run: a few minutes)" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[dev]"
  touch "$STAMP"
fi

export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export PYTHONUNBUFFERED=1
cmd=${1:-demo}
shift || true
case "$cmd" in
  demo) cd "$CALLER_DIR" && exec "$VENV/bin/forecast" demo "$@" ;;
  test) exec "$VENV/bin/python" -m pytest -m "not slow" -n 2 --dist worksteal "$@" ;;
  forecast) cd "$CALLER_DIR" && exec "$VENV/bin/forecast" "$@" ;;
  *) echo "usage: ./run.sh demo | test [pytest args] | forecast ARGS" >&2; exit 2 ;;
esac
