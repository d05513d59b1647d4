"""Prometheus metrics of the workers, all named ``longrun_*``.

Every worker process writes its samples to files in ``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client
multiprocess mode) and the parent process serves the sum on ``/metrics`` (see ``workers.runner`` and ``workers.server``).
The variable must be set before ``prometheus_client`` is first imported in a process: the runner
sets it in the parent, and spawned children inherit it. Without it, for example in unit tests,
the values stay in this process and ``REGISTRY`` serves them. Labels are bounded sets (task type,
AWS operation, outcome, job status, error kind); no label carries a requestId.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

# Task calls take milliseconds to a few seconds; the top buckets catch AWS retries with backoff.
TASK_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
AWS_BUCKETS_S = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
QUEUE_WAIT_BUCKETS_S = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)

TASK_POLLS = Counter(
    "longrun_task_polls", "Polls of the Conductor queue, by task type and outcome (success, error).",
    ["task_type", "outcome"], registry=REGISTRY,
)
TASK_EXECUTIONS = Counter(
    "longrun_task_executions",
    "Finished task executions, by task type and outcome (completed, failed, failed_terminal).",
    ["task_type", "outcome"], registry=REGISTRY,
)
TASK_ERRORS = Counter(
    "longrun_task_errors",
    "Failed task executions, by task type and error kind "
    "(invalid_input, job_not_found, invalid_job_item, aws_transient, aws_permanent, internal).",
    ["task_type", "error"], registry=REGISTRY,
)
TASK_SECONDS = Histogram(
    "longrun_task_execution_seconds", "Time to execute one task, by task type and outcome.",
    ["task_type", "outcome"], buckets=TASK_BUCKETS_S, registry=REGISTRY,
)
TASK_QUEUE_WAIT_SECONDS = Histogram(
    "longrun_task_queue_wait_seconds",
    "Time from the task's scheduling in Conductor to its start on a worker, by task type.",
    ["task_type"], buckets=QUEUE_WAIT_BUCKETS_S, registry=REGISTRY,
)
TASKS_IN_FLIGHT = Gauge(
    "longrun_tasks_in_flight", "Tasks executing now, by task type.",
    ["task_type"], multiprocess_mode="livesum", registry=REGISTRY,
)
LAST_POLL = Gauge(
    "longrun_worker_last_poll_timestamp_seconds",
    "Unix time of the last successful poll, by task type.",
    ["task_type"], multiprocess_mode="max", registry=REGISTRY,
)
AWS_CALLS = Counter(
    "longrun_aws_calls", "AWS API attempts, by operation and outcome (success, expected_error, error).",
    ["operation", "outcome"], registry=REGISTRY,
)
AWS_RETRIES = Counter(
    "longrun_aws_retries",
    "AWS API retries after a transient error, by operation and error code.",
    ["operation", "code"], registry=REGISTRY,
)
AWS_SECONDS = Histogram(
    "longrun_aws_call_seconds", "Time of one AWS API attempt, by operation.",
    ["operation"], buckets=AWS_BUCKETS_S, registry=REGISTRY,
)
JOB_STATUS = Counter(
    "longrun_job_status_observed",
    "Job statuses read by lambda_check_status, by status; finished is false for a job still running.",
    ["status", "finished"], registry=REGISTRY,
)


def record_poll(task_type: str, succeeded: bool) -> None:
    TASK_POLLS.labels(task_type, "success" if succeeded else "error").inc()
    if succeeded:
        LAST_POLL.labels(task_type).set(time.time())


def record_task(task_type: str, outcome: str, error: str | None, duration_s: float) -> None:
    TASK_EXECUTIONS.labels(task_type, outcome).inc()
    TASK_SECONDS.labels(task_type, outcome).observe(duration_s)
    if error is not None:
        TASK_ERRORS.labels(task_type, error).inc()


def record_job_status(status: str, finished: bool) -> None:
    JOB_STATUS.labels(status, "true" if finished else "false").inc()
