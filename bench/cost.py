"""Estimated AWS cost per 1,000 jobs of each design, from the calls counted during the run.

What each design calls on AWS for one job (Conductor and the workers' hosts are not priced):

- workers: one asynchronous Lambda invocation per delivery that started work (the item's
  ``attempt``). DynamoDB writes are the worker's conditional put, its ``invokedAt`` update (when
  the item has ``invokedAt``), and the function's two updates per attempt (start and terminal
  state). Each status read is one strongly consistent GetItem.
- http_poll: API Gateway requests: one POST /jobs plus one GET per poll. Lambda invocations: one
  asynchronous run per attempt plus one synchronous status invocation per poll. DynamoDB writes:
  the function's two updates per attempt; one strongly consistent GetItem per poll.

Both designs pay for the job's own Lambda duration (completedAt - startedAt at the configured
memory). Only http_poll pays for status invocations, at the assumed billed duration.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

JOBS_PER_ESTIMATE = 1000


@dataclass(frozen=True)
class CallCounts:
    """AWS calls of a set of jobs, as counted from Conductor's outputs and the DynamoDB items."""

    jobs: int
    lambda_async_invocations: int
    lambda_sync_invocations: int
    job_work_seconds: float
    api_gateway_requests: int
    dynamodb_writes: int
    dynamodb_consistent_reads: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def count_calls(design: str, jobs: list[dict[str, Any]]) -> CallCounts:
    """Count the AWS calls of ``jobs`` (records of finished jobs of one design, with their DynamoDB item)."""
    attempts = sum(int(job.get("attempt") or 0) for job in jobs)
    status_reads = sum(int(job.get("statusReads") or 0) for job in jobs)
    work_s = sum(float(job.get("workSeconds") or 0.0) for job in jobs)
    function_writes = 2 * attempts

    if design == "workers":
        worker_writes = sum(1 + (1 if job.get("invokedAt") is not None else 0) for job in jobs if job.get("itemFound"))
        return CallCounts(
            jobs=len(jobs),
            lambda_async_invocations=attempts,
            lambda_sync_invocations=0,
            job_work_seconds=work_s,
            api_gateway_requests=0,
            dynamodb_writes=worker_writes + function_writes,
            dynamodb_consistent_reads=status_reads,
        )
    return CallCounts(
        jobs=len(jobs),
        lambda_async_invocations=attempts,
        lambda_sync_invocations=status_reads,
        job_work_seconds=work_s,
        api_gateway_requests=len(jobs) + status_reads,
        dynamodb_writes=function_writes,
        dynamodb_consistent_reads=status_reads,
    )


def estimate(counts: CallCounts, table: dict[str, Any]) -> dict[str, float] | None:
    """Return the estimated cost in USD per 1,000 jobs, by line item and in total; None for no jobs."""
    if counts.jobs == 0:
        return None
    prices = table["prices"]
    assumptions = table["assumptions"]
    memory_gb = assumptions["lambda_memory_mb"] / 1024
    status_s = assumptions["status_invocation_billed_ms"] / 1000

    lines = {
        "lambdaRequests": (counts.lambda_async_invocations + counts.lambda_sync_invocations) * prices["lambda_request_usd"],
        "lambdaDuration": (counts.job_work_seconds + counts.lambda_sync_invocations * status_s)
        * memory_gb
        * prices["lambda_gb_second_usd"],
        "apiGateway": counts.api_gateway_requests * prices["api_gateway_request_usd"],
        "dynamodbWrites": counts.dynamodb_writes
        * assumptions["write_request_units_per_write"]
        * prices["dynamodb_write_request_unit_usd"],
        "dynamodbReads": counts.dynamodb_consistent_reads
        * assumptions["read_request_units_per_consistent_read"]
        * prices["dynamodb_read_request_unit_usd"],
    }
    scale = JOBS_PER_ESTIMATE / counts.jobs
    per_thousand = {name: value * scale for name, value in lines.items()}
    per_thousand["total"] = sum(per_thousand.values())
    return per_thousand
