"""``python -m forecast.cli``: the same as the ``forecast`` console script."""

import sys

from . import main

sys.exit(main())
