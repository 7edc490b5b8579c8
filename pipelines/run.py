"""Run a declared pipeline: ``python pipelines/run.py pipelines/co2.toml [--quick] [--out DIR]``.

The one shared runner of every ``pipelines/*.toml`` file; the same as
``forecast run pipelines/NAME.toml``. Outputs go to ``pipelines/outputs/`` (git-ignored).
"""

from __future__ import annotations

import sys

from forecast.cli import main

if __name__ == "__main__":
    sys.exit(main(["run", *sys.argv[1:]]))
