"""TypeScript proof that the specs serve other languages: openapi-typescript types + a tsc-checked client.

    python -m tools.ts [--workdir DIR]

Generates build/<group>.ts for every spec with node_modules/.bin/openapi-typescript, type-checks client.ts with
`tsc --noEmit -p tsconfig.json`, and requires tsconfig.negative.json (a wrong property access) to fail.
"""
