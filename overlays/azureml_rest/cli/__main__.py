"""``python -m azureml_rest.cli``."""

import sys

from . import main

sys.exit(main())
