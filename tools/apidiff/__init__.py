"""Compare two OpenAPI 3.0 specs and bump a group to a new api-version.

python -m tools.apidiff OLD.yaml NEW.yaml [--format text|md] [--fail-on-breaking]
python -m tools.apidiff bump GROUP VERSION [--changes FILE] [--out DIR] [--no-generate]
"""
