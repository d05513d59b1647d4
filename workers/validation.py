"""Checks of task inputs against the job contract; every failure is an ``InvalidInputError``.

requestId: a string of 1 to 128 characters from ``A-Z a-z 0-9 . _ : -``.
durationSeconds (optional): a number >= 0, how long the job works.
failWith (optional): a string; the job ends FAILED with it as the error.
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping, Optional

from workers.config import REQUEST_ID_MAX_LENGTH
from workers.errors import InvalidInputError

REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]+")
REQUEST_ID_RULE = f"a string of 1 to {REQUEST_ID_MAX_LENGTH} characters from A-Z a-z 0-9 . _ : -"


def request_id(inputs: Mapping[str, Any]) -> str:
    """Return the task's requestId, or raise ``InvalidInputError`` saying what is allowed."""
    value = inputs.get("requestId")
    if value is None:
        raise InvalidInputError("requestId", f"requestId is missing; set it to {REQUEST_ID_RULE}")
    if not isinstance(value, str):
        raise InvalidInputError(
            "requestId", f"requestId is a {type(value).__name__}, not a string; set it to {REQUEST_ID_RULE}"
        )
    if value == "":
        raise InvalidInputError("requestId", f"requestId is empty; set it to {REQUEST_ID_RULE}")
    if len(value) > REQUEST_ID_MAX_LENGTH:
        raise InvalidInputError(
            "requestId", f"requestId has {len(value)} characters, over the maximum; set it to {REQUEST_ID_RULE}"
        )
    if REQUEST_ID_PATTERN.fullmatch(value) is None:
        bad = sorted({char for char in value if REQUEST_ID_PATTERN.fullmatch(char) is None})
        raise InvalidInputError(
            "requestId", f"requestId contains characters not allowed {bad!r}; set it to {REQUEST_ID_RULE}"
        )
    return value


def duration_seconds(inputs: Mapping[str, Any]) -> Optional[float]:
    """Return the optional durationSeconds as given (int or float), or None when absent."""
    value = inputs.get("durationSeconds")
    if value is None:
        return None
    # bool is a subclass of int, but true/false is not a duration.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInputError(
            "durationSeconds", f"durationSeconds is a {type(value).__name__}; set it to a number >= 0"
        )
    if not math.isfinite(value) or value < 0:
        raise InvalidInputError("durationSeconds", f"durationSeconds is {value}; set it to a number >= 0")
    return value


def fail_with(inputs: Mapping[str, Any]) -> Optional[str]:
    """Return the optional failWith message, or None when absent."""
    value = inputs.get("failWith")
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(
            "failWith", f"failWith is a {type(value).__name__}; set it to a string or leave it out"
        )
    return value
