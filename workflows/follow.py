"""Follow a running workflow to its end, reporting each task's status change as it happens."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .conductor import ConductorClient
from .execution import TERMINAL_STATUSES

Emit = Callable[[str], None]


def describe_task(task: dict[str, Any]) -> str:
    """Describe a task's state in a few words, with what its output reports about the job."""
    name = task["referenceTaskName"]
    status = task["status"]
    output = task.get("outputData") or {}
    detail = ""

    if task["taskType"] == "lambda_invoke_async" and status == "COMPLETED":
        detail = "job already submitted, not invoked again" if output.get("alreadySubmitted") else "Lambda invoked asynchronously"
    elif task["taskType"] == "lambda_check_status" and status == "COMPLETED":
        detail = f"job {output.get('status')}"
    elif task["taskType"] == "HTTP_POLL":
        body = (output.get("response") or {}).get("body")
        job_status = body.get("status") if isinstance(body, dict) else None
        detail = f"{output.get('pollCount', task.get('pollCount', 0))} polls, job {job_status or 'not seen yet'}"
    elif task["taskType"] == "WAIT" and status == "IN_PROGRESS":
        detail = f"waiting {task.get('inputData', {}).get('duration', '')}"

    if task.get("reasonForIncompletion") and status not in ("COMPLETED", "IN_PROGRESS", "SCHEDULED"):
        detail = task["reasonForIncompletion"]
    return f"{name} {status}" + (f": {detail}" if detail else "")


def follow(
    client: ConductorClient,
    workflow_id: str,
    emit: Emit,
    *,
    poll_interval_s: float = 0.25,
    timeout_s: float | None = None,
) -> dict[str, Any]:
    """Poll the workflow until it ends (or ``timeout_s`` passes) and return its last state."""
    seen: dict[str, str] = {}
    last_status = None
    deadline = None if timeout_s is None else time.monotonic() + timeout_s

    while True:
        workflow = client.workflow(workflow_id, include_tasks=True)
        for task in workflow.get("tasks") or []:
            line = describe_task(task)
            if seen.get(task["taskId"]) != line:
                seen[task["taskId"]] = line
                emit(line)

        if workflow["status"] != last_status:
            last_status = workflow["status"]
            emit(f"workflow {last_status}")
        if last_status in TERMINAL_STATUSES:
            return workflow
        if deadline is not None and time.monotonic() > deadline:
            return workflow
        time.sleep(poll_interval_s)
