"""Start one job through a chosen design, refusing a requestId that a workflow is already processing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from workers import validation
from workers.errors import InvalidInputError

from .conductor import ConductorClient
from .definitions import WORKER_TASKS, WORKFLOWS


class StartError(ValueError):
    """The job was not started; the message names the input or the workflow in the way."""


@dataclass(frozen=True)
class JobRequest:
    request_id: str
    polling_interval_s: int = 5
    max_polls: int | None = None
    max_job_duration_s: int | None = None
    # Knobs of the Lambda function: how long the job works, and an error to end it with.
    duration_s: float | None = None
    fail_with: str | None = None

    def validate(self) -> None:
        try:
            validation.request_id({"requestId": self.request_id})
        except InvalidInputError as exc:
            raise StartError(str(exc)) from exc
        for name, value in (
            ("polling interval (--interval)", self.polling_interval_s),
            ("maximum polls (--max-polls)", self.max_polls),
            ("maximum job duration (--max-job-duration)", self.max_job_duration_s),
        ):
            if value is not None and value <= 0:
                raise StartError(f"the {name} must be a whole number greater than 0, got {value}")
        if self.duration_s is not None and not (math.isfinite(self.duration_s) and self.duration_s >= 0):
            raise StartError(f"the job duration (--duration) must be a finite number of 0 or more seconds, got {self.duration_s}")
        if self.fail_with is not None and not self.fail_with.strip():
            raise StartError("the job error (--fail-with) must not be empty; give the message the job should fail with")

    def workflow_input(self) -> dict[str, Any]:
        values = {
            "requestId": self.request_id,
            "pollingIntervalSeconds": self.polling_interval_s,
            "maxPolls": self.max_polls,
            "maxJobDurationSeconds": self.max_job_duration_s,
            "durationSeconds": self.duration_s,
            "failWith": self.fail_with,
        }
        return {key: value for key, value in values.items() if value is not None}


def start(client: ConductorClient, design: str, job: JobRequest, *, task_domain: str | None = None) -> str:
    """Validate ``job``, check that no workflow of any design is processing its requestId, and start it.

    With ``task_domain``, the workflow's SIMPLE tasks go to that Conductor task domain, so that only
    workers polling with the same domain (LONGRUN_TASK_DOMAIN) pick them up.
    """
    if design not in WORKFLOWS:
        raise StartError(f"unknown design {design!r}; choose one of {', '.join(WORKFLOWS)}")
    job.validate()

    # Both designs share the job's item in DynamoDB, so a requestId running in either one is refused.
    for other_name in WORKFLOWS.values():
        running = client.running_workflows(other_name, job.request_id)
        if running:
            workflow_id = running[0]["workflowId"]
            raise StartError(
                f"requestId {job.request_id} is already being processed by workflow {workflow_id} ({other_name}); "
                f"wait for it to end, or start with another requestId"
            )

    task_to_domain = {name: task_domain for name in WORKER_TASKS} if task_domain else None
    workflow_id = client.start_workflow(WORKFLOWS[design], job.workflow_input(), job.request_id, task_to_domain)
    _yield_to_earlier_start(client, job.request_id, workflow_id)
    return workflow_id


def _yield_to_earlier_start(client: ConductorClient, request_id: str, workflow_id: str) -> None:
    """Terminate ``workflow_id`` and raise StartError if another start for the same requestId came first.

    The check before starting cannot see a start that races it, and Conductor OSS ignores idempotency
    keys. So after starting, every racer lists the running workflows of the requestId and keeps only the
    earliest (by start time, then id). All racers see the same order, so exactly one survives. Even a
    duplicate that ran would not start the job twice, because the job item's conditional writes allow
    only one delivery to work.
    """
    running = [workflow for name in WORKFLOWS.values() for workflow in client.running_workflows(name, request_id)]
    if len(running) < 2:
        return
    earliest = min(running, key=lambda workflow: (workflow.get("startTime", 0), workflow["workflowId"]))
    if earliest["workflowId"] == workflow_id:
        return
    client.terminate_workflow(workflow_id, f"another workflow, {earliest['workflowId']}, was started first for requestId {request_id}")
    raise StartError(
        f"requestId {request_id} is already being processed by workflow {earliest['workflowId']}, started at the same "
        f"time as this one ({workflow_id}, now terminated); wait for it to end, or start with another requestId"
    )
