"""Handler for the local Lambda service tests: fails, sleeps or echoes as the event requests."""

from __future__ import annotations

import os
import time
from pathlib import Path


def _count_attempt(counter_file: str) -> int:
    path = Path(counter_file)
    attempts = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(attempts))
    return attempts


def handler(event, context):
    mode = event.get("mode")
    if mode == "echo":
        return {"event": event, "remainingMs": context.get_remaining_time_in_millis()}
    if mode == "raise":
        raise ValueError(event.get("message", "planned failure"))
    if mode == "sleep":
        Path(event["pidFile"]).write_text(str(os.getpid()))
        time.sleep(event["seconds"])
        return {"slept": event["seconds"]}
    if mode == "fail_times":
        attempt = _count_attempt(event["counterFile"])
        if attempt <= event["failures"]:
            raise RuntimeError(f"planned failure on attempt {attempt}")
        return {"attempt": attempt}
    raise KeyError(f"unknown mode {mode!r}")
