"""The browsable reference in docs/_build/: Python API (mkdocs + mkdocstrings), CLI, and REST (Redocly).

python -m tools.docs [--out DIR] [--no-site]   (default docs/_build, git-ignored; `nox -s docs`)
python -m tools.docs.cli [--check]             write docs/pages/cli.md from the CLI's parser

build.py renders every spec with Redocly into <out>/rest/; site.py runs mkdocs (mkdocs.yml, docs/pages/) into
<out>/; cli.py writes the CLI page.
"""
