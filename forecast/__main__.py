"""``python -m forecast``: the same as the ``forecast`` console script."""

import sys

from .cli import main

sys.exit(main())
