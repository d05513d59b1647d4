"""One record per job: what Conductor recorded (through workflows.execution.summarize) and the job's DynamoDB item."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import BotoCoreError, ClientError

from workflows.execution import summarize

from .runner import Job

log = logging.getLogger(__name__)

# BatchGetItem takes at most 100 keys per request.
BATCH_SIZE = 100
# Tasks of one DO_WHILE iteration that runs a WAIT: lambda_check_status, the SWITCH and the WAIT.
TASKS_PER_WAITING_ITERATION = 3

_deserializer = TypeDeserializer()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def read_items(table_name: str, request_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Read the job items with strongly consistent reads; return them by requestId (missing ones are absent)."""
    client = boto3.client("dynamodb")
    items: dict[str, dict[str, Any]] = {}
    for begin in range(0, len(request_ids), BATCH_SIZE):
        keys = [{"requestId": {"S": request_id}} for request_id in request_ids[begin : begin + BATCH_SIZE]]
        request = {table_name: {"Keys": keys, "ConsistentRead": True}}
        while request:
            try:
                response = client.batch_get_item(RequestItems=request)
            except (ClientError, BotoCoreError) as exc:
                log.error("reading job items from %s failed: %s", table_name, exc)
                return items
            for raw in response.get("Responses", {}).get(table_name, []):
                item = {name: _plain(_deserializer.deserialize(value)) for name, value in raw.items()}
                items[item["requestId"]] = item
            request = response.get("UnprocessedKeys") or {}
    return items


def _task_status_reads(design: str, workflow: dict[str, Any]) -> int | None:
    """Return the status reads as the polling task itself counted them, to cross-check the workflow output."""
    for task in workflow.get("tasks") or []:
        if design == "http_poll" and task["taskType"] == "HTTP_POLL":
            count = (task.get("outputData") or {}).get("pollCount")
            return None if count is None else int(count)
        if design == "workers" and task["taskType"] == "DO_WHILE":
            iteration = (task.get("outputData") or {}).get("iteration")
            return None if iteration is None else int(iteration)
    return None


def _task_executions(design: str, workflow: dict[str, Any], status_reads: int | None) -> int:
    """Return the tasks Conductor ran, counting the DO_WHILE iterations that keepLastN removed from the execution."""
    tasks = workflow.get("tasks") or []
    if design != "workers" or not status_reads:
        return len(tasks)
    kept_iterations = {task.get("iteration") for task in tasks if task["taskType"] == "lambda_check_status"}
    removed = max(0, status_reads - len(kept_iterations))
    return len(tasks) + TASKS_PER_WAITING_ITERATION * removed


def _seconds_between(start_ms: Any, end_ms: Any) -> float | None:
    if start_ms is None or end_ms is None:
        return None
    return (int(end_ms) - int(start_ms)) / 1000


def build_record(job: Job, item: dict[str, Any] | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "design": job.design,
        "index": job.index,
        "requestId": job.request_id,
        "durationSeconds": job.duration_s,
        "workflowId": job.workflow_id,
        "outcome": job.outcome,
        "error": job.error,
        "itemFound": item is not None,
    }
    if item is not None:
        record.update({
            "itemStatus": item.get("status"),
            "attempt": item.get("attempt"),
            "createdAt": item.get("createdAt"),
            "startedAt": item.get("startedAt"),
            "completedAt": item.get("completedAt"),
            "invokedAt": item.get("invokedAt"),
            "workSeconds": _seconds_between(item.get("startedAt"), item.get("completedAt")),
        })
    if job.workflow is None:
        return record

    summary = summarize(job.design, job.workflow)
    task_reads = _task_status_reads(job.design, job.workflow)
    record.update({
        "workflowStatus": summary.status,
        "reason": summary.reason,
        "jobStatus": summary.job_status,
        "workflowStartMs": summary.started_at_ms,
        "workflowEndMs": summary.ended_at_ms,
        "jobCompletedAtMs": summary.job_completed_at_ms,
        "endToEndSeconds": summary.end_to_end_s,
        "detectionLagSeconds": summary.detection_lag_s,
        "statusReads": summary.status_reads,
        "statusReadsByTask": task_reads,
        "tasksInExecution": summary.tasks_in_execution,
        "taskExecutions": _task_executions(job.design, job.workflow, summary.status_reads),
    })
    if item is not None:
        record["startDelaySeconds"] = _seconds_between(summary.started_at_ms, item.get("startedAt"))
        record["completedAtMatchesItem"] = (
            None if summary.job_completed_at_ms is None else summary.job_completed_at_ms == item.get("completedAt")
        )
    return record


def build_records(jobs: list[Job], table_name: str) -> list[dict[str, Any]]:
    started = [job.request_id for job in jobs if job.workflow_id is not None]
    items = read_items(table_name, started) if started else {}
    return [build_record(job, items.get(job.request_id)) for job in jobs]
