"""The Conductor task functions: thin wrappers that turn ``workers.jobs`` results into TaskResults.

Outcomes:
- COMPLETED with the job output.
- FAILED_WITH_TERMINAL_ERROR for a ``TerminalError``: an invalid input, a missing job item, or an
  AWS error that a retry cannot fix (missing table or function, access denied).
- FAILED for a transient AWS error that outlasted our retries, so Conductor retries the task
  by the task definition's retryCount. ``reasonForIncompletion`` starts with the AWS error code.
"""

# No "from __future__ import annotations" here: the SDK compares the task functions' parameter
# annotation with its Task class to decide whether to pass the whole Task, so it must be a class.
import logging
import threading
import time
from typing import Any, Callable, Optional

from conductor.client.http.models.task import Task
from conductor.client.http.models.task_result import TaskResult
from conductor.client.http.models.task_result_status import TaskResultStatus

from workers import aws, config, metrics, validation
from workers.errors import (
    AwsError, InvalidInputError, JobNotFoundError, PermanentAwsError, TerminalError, TransientAwsError, WorkerError,
)
from workers.jobs import JobRequest, JobStore, read_job, submit_job
from workers.retry import RetryPolicy

log = logging.getLogger(__name__)

INVOKE_TASK = "lambda_invoke_async"
CHECK_TASK = "lambda_check_status"
TASK_NAMES = (INVOKE_TASK, CHECK_TASK)

_store_lock = threading.Lock()
_store: Optional[JobStore] = None


def configure(settings: config.Settings) -> JobStore:
    """Build and keep this process's JobStore. Each worker process calls it once at start."""
    global _store
    aws.configure(settings.aws_timeout_s)
    policy = RetryPolicy(settings.aws_max_attempts, settings.aws_backoff_base_s, settings.aws_backoff_max_s)
    store = JobStore(
        dynamodb=aws.dynamodb(),
        lambda_client=aws.lambda_client(),
        table_name=settings.table_name,
        function_name=settings.function_name,
        ttl_s=settings.job_ttl_s,
        policy=policy,
    )
    with _store_lock:
        _store = store
    return store


def _job_store() -> JobStore:
    store = _store
    if store is None:
        # Only when the task functions run outside the runner, which configures every process.
        store = configure(config.load())
    return store


def invoke_job(store: JobStore, inputs: dict[str, Any]) -> dict[str, Any]:
    """Validate the inputs of lambda_invoke_async and submit the job."""
    request = JobRequest(
        request_id=validation.request_id(inputs),
        duration_seconds=validation.duration_seconds(inputs),
        fail_with=validation.fail_with(inputs),
    )
    return submit_job(store, request)


def check_job(store: JobStore, inputs: dict[str, Any]) -> dict[str, Any]:
    """Validate the inputs of lambda_check_status and read the job's status."""
    output = read_job(store, validation.request_id(inputs))
    metrics.record_job_status(output["status"], output["terminal"])
    return output


def lambda_invoke_async(task: Task) -> TaskResult:
    """Conductor task: submit the job named by the input requestId (see ``workers.jobs``)."""
    return run_task(INVOKE_TASK, task, lambda inputs: invoke_job(_job_store(), inputs))


def lambda_check_status(task: Task) -> TaskResult:
    """Conductor task: return the status of the job named by the input requestId."""
    return run_task(CHECK_TASK, task, lambda inputs: check_job(_job_store(), inputs))


def _error_kind(error: Exception) -> str:
    if isinstance(error, InvalidInputError):
        return "invalid_input"
    if isinstance(error, JobNotFoundError):
        return "job_not_found"
    if isinstance(error, TransientAwsError):
        return "aws_transient"
    if isinstance(error, PermanentAwsError):
        return "aws_permanent"
    if isinstance(error, TerminalError):
        return "invalid_job_item"
    return "internal"


def _reason(error: Exception) -> str:
    if isinstance(error, PermanentAwsError):
        store = _store
        names = f"table {store.table_name} and function {store.function_name}" if store else "the table and the function"
        return (
            f"{error.code}: {error}. Check that {names} exist in region {aws.region()} "
            "and that the worker's credentials may use them."
        )
    if isinstance(error, AwsError):
        return f"{error.code}: {error}"
    return str(error)


def run_task(task_name: str, task: Task, body: Callable[[dict[str, Any]], dict[str, Any]]) -> TaskResult:
    """Run ``body`` on the task input and return the TaskResult, recording metrics and one log line."""
    inputs = task.input_data or {}
    # Only for logs: an invalid requestId may be long or of any type.
    request_id = str(inputs.get("requestId"))[:140]
    result = TaskResult(task_id=task.task_id, workflow_instance_id=task.workflow_instance_id)
    _observe_queue_wait(task_name, task)

    started = time.perf_counter()
    error: Optional[WorkerError] = None
    metrics.TASKS_IN_FLIGHT.labels(task_name).inc()
    try:
        result.output_data = body(inputs)
        result.status = TaskResultStatus.COMPLETED
    except WorkerError as caught:
        error = caught
        result.status = (
            TaskResultStatus.FAILED_WITH_TERMINAL_ERROR if isinstance(caught, TerminalError) else TaskResultStatus.FAILED
        )
        result.reason_for_incompletion = _reason(caught)
        result.output_data = {"requestId": request_id, "errorCode": getattr(caught, "code", _error_kind(caught))}
    except Exception:
        # A bug, not an AWS or input error: count it and let the SDK fail the task (retryable)
        # and attach the traceback to it.
        duration_s = time.perf_counter() - started
        metrics.record_task(task_name, "failed", "internal", duration_s)
        log.exception(
            "task %s requestId=%s outcome=failed error=internal duration_ms=%.0f", task_name, request_id, duration_s * 1000
        )
        raise
    finally:
        metrics.TASKS_IN_FLIGHT.labels(task_name).dec()

    duration_s = time.perf_counter() - started
    outcome = _OUTCOMES[result.status]
    error_kind = _error_kind(error) if error is not None else None
    metrics.record_task(task_name, outcome, error_kind, duration_s)
    level = logging.INFO if error is None or isinstance(error, InvalidInputError) else logging.WARNING
    log.log(
        level, "task %s requestId=%s outcome=%s duration_ms=%.0f%s",
        task_name, request_id, outcome, duration_s * 1000,
        f" reason={result.reason_for_incompletion}" if error is not None else "",
    )
    return result


_OUTCOMES = {
    TaskResultStatus.COMPLETED: "completed",
    TaskResultStatus.FAILED: "failed",
    TaskResultStatus.FAILED_WITH_TERMINAL_ERROR: "failed_terminal",
}


def _observe_queue_wait(task_name: str, task: Task) -> None:
    scheduled_ms = task.scheduled_time or 0
    started_ms = task.start_time or 0
    if scheduled_ms > 0 and started_ms >= scheduled_ms:
        metrics.TASK_QUEUE_WAIT_SECONDS.labels(task_name).observe((started_ms - scheduled_ms) / 1000)
