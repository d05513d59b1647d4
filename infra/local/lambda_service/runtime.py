"""Execution environment of the local Lambda service: runs in its own process, one invocation at a time.

Run by path, not as part of the package, so that the handler's folder is the only project code it
imports, as in the Lambda runtime. Protocol: one JSON request per line on stdin
(``{"event", "awsRequestId", "deadlineEpochMs"}``) and one JSON response per line on the original stdout
(``{"ok": true, "payload": "<JSON text>"}`` or ``{"ok": false, "fatal": bool, "error": {...}}``).
The handler's own stdout goes to stderr, so prints cannot corrupt the protocol.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable


class LambdaContext:
    """The context object AWS passes to a Python handler, with the fields handlers commonly read."""

    def __init__(self, function_name: str, aws_request_id: str, deadline_epoch_ms: int) -> None:
        region = os.environ.get("AWS_REGION", "us-east-1")
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:000000000000:function:{function_name}"
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.aws_request_id = aws_request_id
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline_epoch_ms = deadline_epoch_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_epoch_ms - int(time.time() * 1000))


def _error_body(error_type: str, message: str, trace: list[str] | None = None) -> dict:
    return {"errorMessage": message, "errorType": error_type, "stackTrace": trace or []}


def _exception_body(err: BaseException) -> dict:
    """Shape an exception as the AWS Python runtime does: message, class name, formatted frames."""
    frames = traceback.format_list(traceback.extract_tb(err.__traceback__))
    return _error_body(type(err).__name__, str(err), frames)


def _load_handler(handler_file: Path, function: str) -> Callable[[Any, Any], Any]:
    # The handler's folder goes first on sys.path because the function uses flat imports.
    sys.path.insert(0, str(handler_file.parent))
    spec = importlib.util.spec_from_file_location(handler_file.stem, handler_file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {handler_file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[handler_file.stem] = module
    spec.loader.exec_module(module)
    handler = getattr(module, function, None)
    if not callable(handler):
        raise AttributeError(f"Handler '{function}' missing on module '{handler_file.stem}'")
    return handler


def _invoke(handler: Callable, function_name: str, request: dict) -> dict:
    context = LambdaContext(function_name, request["awsRequestId"], request["deadlineEpochMs"])
    try:
        result = handler(request["event"], context)
    except Exception as err:  # noqa: BLE001 - every handler exception is reported to the caller, as AWS does
        return {"ok": False, "fatal": False, "error": _exception_body(err)}
    try:
        payload = json.dumps(result)
    except (TypeError, ValueError) as err:
        message = f"Unable to marshal response: {err}"
        return {"ok": False, "fatal": False, "error": _error_body("Runtime.MarshalError", message)}
    return {"ok": True, "payload": payload}


def main(argv: list[str]) -> int:
    handler_file, function, function_name = Path(argv[0]), argv[1], argv[2]

    # The service stops its environments itself after a grace period, so a SIGTERM sent to the whole
    # process group by the stack must not cut a running invocation short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    # The AWS Python runtime leaves the root logger at WARNING, so library INFO lines stay out of the
    # function's log unless the function lowers its own logger's level, as infra/lambda/handler.py does.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="[%(levelname)s] %(asctime)s %(name)s %(message)s")

    try:
        handler = _load_handler(handler_file, function)
        init_error = None
    except Exception as err:  # noqa: BLE001 - an import failure is reported on each invocation, as AWS does
        handler = None
        if isinstance(err, AttributeError):
            init_error = _error_body("Runtime.HandlerNotFound", str(err))
        else:
            init_error = _error_body("Runtime.ImportModuleError", f"Unable to import module '{handler_file.stem}': {err}")

    for line in sys.stdin:
        request = json.loads(line)
        if handler is None:
            response = {"ok": False, "fatal": True, "error": init_error}
        else:
            response = _invoke(handler, function_name, request)
        protocol.write(json.dumps(response) + "\n")
        protocol.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
