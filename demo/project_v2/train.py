"""The demo's training script (a command job of the current API): fits bias + weights . x to data.csv by least
squares and writes model.json to the job's output folder. Standard library only, so any Python image runs it.

    python train.py --data data.csv --model-dir ${{outputs.model}}

It also prints the size and MD5 of every file of its code folder, so the job's log shows that the uploaded bytes
arrived intact (the demo's tests compare them with the local files).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting: x with a x = b."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                m[r] = [m[r][k] - f * m[col][k] for k in range(n + 1)]
    return [m[i][n] / m[i][i] for i in range(n)]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--model-dir", required=True)
    args = p.parse_args()
    for name in sorted(os.listdir(".")):
        if os.path.isfile(name):
            with open(name, "rb") as fh:
                raw = fh.read()
            digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
            print(f"code file {name}: {len(raw)} bytes, md5 {digest}", flush=True)
    with open(args.data, newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    xs = [[1.0] + [float(v) for v in r[:-1]] for r in rows]
    ys = [float(r[-1]) for r in rows]
    n = len(xs[0])
    ata = [[sum(x[i] * x[j] for x in xs) for j in range(n)] for i in range(n)]
    aty = [sum(xs[k][i] * ys[k] for k in range(len(xs))) for i in range(n)]
    w = solve(ata, aty)
    model = {"bias": round(w[0], 6), "weights": [round(v, 6) for v in w[1:]]}
    os.makedirs(args.model_dir, exist_ok=True)
    with open(os.path.join(args.model_dir, "model.json"), "w") as fh:
        json.dump(model, fh)
    print(f"trained on {len(rows)} rows; wrote model.json: {json.dumps(model)}", flush=True)


if __name__ == "__main__":
    main()
