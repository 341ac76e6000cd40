"""HTML reference docs for every spec: `redocly build-docs` into docs/_build/<group>.html plus an index page.

python -m tools.docs [--out DIR]      (default docs/_build, git-ignored)
"""
