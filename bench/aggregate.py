"""Per-design figures from the job records: percentiles, means, throughput, cross-checks and cost."""

from __future__ import annotations

from typing import Any

from . import cost, stats

FAILED_OUTCOMES = ("failed", "timed_out", "bench_timeout", "start_error")


def _completed(record: dict[str, Any]) -> bool:
    return record["outcome"] == "completed"


def throughput_per_minute(records: list[dict[str, Any]]) -> float | None:
    """Return completed jobs per minute, from the first workflow start to the last workflow end of ``records``."""
    if not records:
        return None
    span_ms = max(record["workflowEndMs"] for record in records) - min(record["workflowStartMs"] for record in records)
    return None if span_ms <= 0 else len(records) * 60_000 / span_ms


def summarize_design(design: str, records: list[dict[str, Any]], prices: dict[str, Any]) -> dict[str, Any]:
    own = [record for record in records if record["design"] == design]
    completed = [record for record in own if _completed(record)]
    calls = cost.count_calls(design, completed)
    return {
        "jobs": len(own),
        "started": sum(1 for record in own if record["workflowId"]),
        "completed": len(completed),
        "failed": sum(1 for record in own if record["outcome"] in FAILED_OUTCOMES),
        "terminated": sum(1 for record in own if record["outcome"] == "terminated"),
        "notStarted": sum(1 for record in own if record["outcome"] == "not_started"),
        "detectionLagSeconds": stats.describe(record.get("detectionLagSeconds") for record in completed),
        "endToEndSeconds": stats.describe(record.get("endToEndSeconds") for record in completed),
        "startDelaySeconds": stats.describe(record.get("startDelaySeconds") for record in completed),
        "workSeconds": stats.describe(record.get("workSeconds") for record in completed),
        "statusReadsPerJob": stats.mean(record.get("statusReads") for record in completed),
        "tasksInExecutionPerJob": stats.mean(record.get("tasksInExecution") for record in completed),
        "taskExecutionsPerJob": stats.mean(record.get("taskExecutions") for record in completed),
        "throughputJobsPerMinute": throughput_per_minute(completed),
        "crossCheck": {
            "itemsCompletedFirstAttempt": sum(
                1 for record in completed if record.get("itemStatus") == "COMPLETED" and record.get("attempt") == 1
            ),
            "statusReadsMatchTask": sum(
                1 for record in completed if record.get("statusReads") == record.get("statusReadsByTask")
            ),
            "completedAtMatchesItem": sum(1 for record in completed if record.get("completedAtMatchesItem")),
        },
        "awsCalls": calls.as_dict(),
        "costPerThousandJobsUsd": cost.estimate(calls, prices),
    }
