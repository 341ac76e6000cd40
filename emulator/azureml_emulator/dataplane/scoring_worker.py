"""The scoring worker: run as ``python scoring_worker.py <script>`` by the emulator (standalone, no imports
of the emulator). Imports the user's scoring script, calls ``init()`` once, then for each request line
``{"data": "<raw body>"}`` on stdin calls ``run(raw_data)`` and answers one JSON line on the protocol pipe.

The user's own prints go to stderr (the service log) so they cannot corrupt the protocol.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import traceback
from typing import Any, TextIO


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:4000]


def _answer(proto: TextIO, doc: dict[str, Any]) -> None:
    proto.write(json.dumps(doc) + "\n")
    proto.flush()


def _result_body(result: Any) -> str:
    # A str that already holds JSON passes through unchanged, as Azure ML's inference server does.
    if isinstance(result, (str, bytes)):
        text = result.decode() if isinstance(result, bytes) else result
        try:
            json.loads(text)
            return text
        except ValueError:
            return json.dumps(text)
    return json.dumps(result)


def main(argv: list[str]) -> int:
    """Serve requests for the scoring script ``argv[1]`` until stdin closes."""
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    script = os.path.abspath(argv[1])
    sys.path.insert(0, os.path.dirname(script))
    try:
        spec = importlib.util.spec_from_file_location("score", script)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {script}")
        module = importlib.util.module_from_spec(spec)
        sys.modules["score"] = module
        spec.loader.exec_module(module)
        run = getattr(module, "run", None)
        if not callable(run):
            raise AttributeError("the scoring script defines no run(raw_data) function")
        init = getattr(module, "init", None)
        if callable(init):
            init()
    except BaseException as exc:  # report any failure of the user's code to the emulator
        traceback.print_exc()
        _answer(proto, {"ready": False, "error": _describe(exc)})
        return 1
    _answer(proto, {"ready": True})
    for line in sys.stdin:
        try:
            request = json.loads(line)
            result = run(request["data"])
            body = _result_body(result)
        except BaseException as exc:  # a user exception becomes a 500 with its message
            traceback.print_exc()
            _answer(proto, {"ok": False, "error": _describe(exc)})
            continue
        _answer(proto, {"ok": True, "body": body})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
