"""Measure one finished workflow execution the same way for every design."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

TERMINAL_STATUSES = ("COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED")


@dataclass(frozen=True)
class RunSummary:
    design: str
    workflow_id: str
    request_id: str
    status: str
    reason: str | None
    job_status: str | None
    started_at_ms: int
    ended_at_ms: int | None
    job_completed_at_ms: int | None
    status_reads: int | None
    tasks_in_execution: int

    @property
    def end_to_end_s(self) -> float | None:
        if self.ended_at_ms is None:
            return None
        return (self.ended_at_ms - self.started_at_ms) / 1000

    @property
    def detection_lag_s(self) -> float | None:
        """Seconds from the job writing its terminal state to the workflow ending."""
        if self.ended_at_ms is None or self.job_completed_at_ms is None:
            return None
        return (self.ended_at_ms - self.job_completed_at_ms) / 1000

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "endToEndSeconds": self.end_to_end_s, "detectionLagSeconds": self.detection_lag_s}


def summarize(design: str, workflow: dict[str, Any]) -> RunSummary:
    output = workflow.get("output") or {}
    ended = workflow.get("endTime") or None
    polls = output.get("polls")
    return RunSummary(
        design=design,
        workflow_id=workflow["workflowId"],
        request_id=(workflow.get("input") or {}).get("requestId", ""),
        status=workflow["status"],
        reason=workflow.get("reasonForIncompletion"),
        job_status=output.get("status"),
        started_at_ms=int(workflow["startTime"]),
        ended_at_ms=int(ended) if ended else None,
        job_completed_at_ms=_int_or_none(output.get("completedAt")),
        status_reads=_int_or_none(polls),
        tasks_in_execution=len(workflow.get("tasks") or []),
    )


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)
