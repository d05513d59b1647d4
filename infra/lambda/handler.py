"""Entry point of the long-running job function (handler ``handler.handler``).

A run event moves the job item SUBMITTED -> PROCESSING (or creates it as PROCESSING), works for
``durationSeconds``, then writes COMPLETED or FAILED. A status event returns the item.
Only the standard library and boto3 are used, because the function is deployed as a plain zip.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from function_settings import FunctionSettings
from job_events import RunEvent, StatusEvent, parse_event
from job_store import JobStore, open_table

logger = logging.getLogger("longrun.function")
logger.setLevel(logging.INFO)

# Time kept back from the remaining invocation time for the terminal write.
TERMINAL_WRITE_MARGIN_S = 1.0


def _now_ms() -> int:
    return int(time.time() * 1000)


def _time_budget_ms(context: Any, settings: FunctionSettings) -> int:
    """Return the time this invocation has left, which at the start is the function timeout."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if callable(remaining):
        return int(remaining())
    return int(settings.function_timeout_s * 1000)


def _work(duration_s: float) -> None:
    """Do the job's work: here it only takes ``duration_s`` seconds."""
    time.sleep(duration_s)


def _ignored_delivery(store: JobStore, request_id: str) -> dict:
    item = store.get(request_id)
    status = None if item is None else item.get("status")
    logger.info("run event for requestId %s ignored: job is %s", request_id, status)
    return {
        "requestId": request_id,
        "status": status,
        "changed": False,
        "message": f"job is already {status}; this delivery changed nothing",
    }


def _finish(store: JobStore, event: RunEvent, attempt: int) -> dict:
    """Run the job and write its terminal state; every handled error ends the job FAILED."""
    error = event.knob_error
    if error is None:
        try:
            _work(event.duration_s)
        except Exception as err:  # noqa: BLE001 - any failure while working must still end the job FAILED
            logger.exception("job %s failed while working (attempt %d)", event.request_id, attempt)
            error = f"{type(err).__name__}: {err}"
        else:
            error = event.fail_with

    if error is None:
        result = {"durationSeconds": event.duration_s, "attempt": attempt}
        written = store.complete(event.request_id, attempt, result, _now_ms())
        outcome = {"status": "COMPLETED", "result": result}
    else:
        written = store.fail(event.request_id, attempt, error, _now_ms())
        outcome = {"status": "FAILED", "error": error}

    if not written:
        logger.warning(
            "job %s attempt %d no longer owns the item; its %s outcome was not written",
            event.request_id, attempt, outcome["status"],
        )
        return {"requestId": event.request_id, "attempt": attempt, "changed": False, **outcome}
    logger.info("job %s attempt %d ended %s", event.request_id, attempt, outcome["status"])
    return {"requestId": event.request_id, "attempt": attempt, "changed": True, **outcome}


def _run(store: JobStore, event: RunEvent, budget_ms: int) -> dict:
    now = _now_ms()
    item = store.start(event.request_id, now, stale_before_ms=now - budget_ms)
    if item is None:
        return _ignored_delivery(store, event.request_id)
    attempt = int(item["attempt"])
    logger.info("job %s started (attempt %d, durationSeconds %s)", event.request_id, attempt, event.duration_s)
    return _finish(store, event, attempt)


def handler(event: Any, context: Any) -> dict:
    """Handle a run event or a status event; raise InvalidEventError, writing nothing, for a bad event."""
    settings = FunctionSettings.from_environment()
    budget_ms = _time_budget_ms(context, settings)
    parsed = parse_event(event, max_duration_s=budget_ms / 1000 - TERMINAL_WRITE_MARGIN_S)
    store = JobStore(open_table(settings.table_name), settings.item_ttl_s)

    if isinstance(parsed, StatusEvent):
        return {"item": store.get(parsed.request_id)}
    return _run(store, parsed, budget_ms)

