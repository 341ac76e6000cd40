"""``python -m demo [options]`` from the repository root (``nox -s demo``)."""

import sys

from .command import main

sys.exit(main())
