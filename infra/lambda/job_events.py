"""Validation of the events the job function accepts: run a job, or read its status."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Union

REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
REQUEST_ID_RULE = "a string of 1 to 128 characters from A-Z a-z 0-9 . _ : -"


class JobError(Exception):
    """Base class of the errors the job function raises."""


class InvalidEventError(JobError, ValueError):
    """The event cannot be processed at all, so the function writes nothing."""


@dataclass(frozen=True)
class RunEvent:
    request_id: str
    duration_s: float
    fail_with: str | None
    # Message for an invalid durationSeconds or failWith. The job still starts and then ends FAILED
    # with this message, so the caller sees the reason in the item.
    knob_error: str | None


@dataclass(frozen=True)
class StatusEvent:
    request_id: str


JobEvent = Union[RunEvent, StatusEvent]


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def validate_request_id(value: Any) -> str:
    """Return ``value`` when it follows the requestId rule, else raise InvalidEventError."""
    if not isinstance(value, str) or not REQUEST_ID_PATTERN.fullmatch(value):
        raise InvalidEventError(f"requestId must be {REQUEST_ID_RULE}; got {_short_repr(value)}")
    return value


def _check_duration(value: Any, max_duration_s: float) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return f"durationSeconds must be a number >= 0; got {_short_repr(value)}"
    if value < 0:
        return f"durationSeconds must be >= 0; got {value}"
    if value > max_duration_s:
        return f"durationSeconds={value} exceeds the {max_duration_s:.2f} s this invocation has left"
    return None


def _check_fail_with(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value == "":
        return f"failWith must be a non-empty string; got {_short_repr(value)}"
    return None


def parse_event(event: Any, max_duration_s: float) -> JobEvent:
    """Parse a run or status event; ``max_duration_s`` is the longest job this invocation can finish."""
    if not isinstance(event, dict):
        raise InvalidEventError(f"event must be a JSON object; got {type(event).__name__}")
    action = event.get("action", "run")
    if action not in ("run", "status"):
        raise InvalidEventError(f"action must be 'run' or 'status'; got {_short_repr(action)}")
    request_id = validate_request_id(event.get("requestId"))
    if action == "status":
        return StatusEvent(request_id=request_id)

    duration = event.get("durationSeconds", 0)
    if duration is None:
        duration = 0
    fail_with = event.get("failWith")
    knob_error = _check_duration(duration, max_duration_s) or _check_fail_with(fail_with)
    return RunEvent(
        request_id=request_id,
        duration_s=float(duration) if knob_error is None else 0.0,
        fail_with=fail_with if knob_error is None else None,
        knob_error=knob_error,
    )
