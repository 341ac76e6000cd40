"""Compare each spec in specs/ with a machine-readable restatement of Microsoft's official spec.

    python -m tools.fidelity [--specs DIR] [--verbose]

tools/fidelity/official/<group>.yaml restates (in our own words, never copied from Microsoft's files; each names
the azure-rest-api-specs file it restates) the operations, paths, statuses, parameters and schema fields of the
official spec for the api-version the group follows. Every difference must have a reason in
tools/fidelity/justifications.yaml; an unjustified one fails the run (exit 1).
"""
