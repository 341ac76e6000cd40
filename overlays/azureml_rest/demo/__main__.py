"""``python -m azureml_rest.demo [options]`` = ``azureml-rest demo [options]``."""

import sys

from ..cli import main

sys.exit(main(["demo", *sys.argv[1:]]))
