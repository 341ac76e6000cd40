"""Compare each spec in specs/ with a machine-readable restatement of Microsoft's official spec.

    python -m tools.fidelity [--specs DIR] [--verbose]

tools/fidelity/official/<group>.yaml restates (from shared/reference/azureml-rest-facts.md, never copied from
Microsoft's files) the operations, paths, statuses, parameters and schema fields of the official spec for the
api-version the group follows. Every difference must have a reason in tools/fidelity/justifications.yaml;
an unjustified one fails the run (exit 1).
"""
