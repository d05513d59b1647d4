"""Submit a job and read its status: the work of the two tasks, with the AWS clients passed in.

Submit rule (what makes a retried ``lambda_invoke_async`` safe):

1. Put the item as SUBMITTED with ``attribute_not_exists(requestId)``.
2. If the put succeeded, invoke the Lambda (InvocationType=Event), then set ``invokedAt``
   (epoch milliseconds) on the item.
3. If the item already existed and is SUBMITTED without ``invokedAt``, an earlier attempt wrote
   it but stopped before or during the invoke (a crashed or killed worker, a failed invoke), so
   invoke now and set ``invokedAt``. Any other existing item (``invokedAt`` set, or status
   PROCESSING, COMPLETED or FAILED) is not invoked again.

Two deliveries can still reach the Lambda: two workers racing in step 3, or a failure to write
``invokedAt`` after a successful invoke. The Lambda moves SUBMITTED -> PROCESSING with a
conditional update and ignores a job that is already PROCESSING or finished, so the second
delivery changes nothing.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Optional

from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from workers.errors import AwsError, JobNotFoundError, PermanentAwsError, TerminalError
from workers.retry import RetryPolicy, call_aws

log = logging.getLogger(__name__)

STATUSES = ("SUBMITTED", "PROCESSING", "COMPLETED", "FAILED")
TERMINAL_STATUSES = frozenset({"COMPLETED", "FAILED"})
CONDITION_FAILED = "ConditionalCheckFailedException"

_deserializer = TypeDeserializer()


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class JobRequest:
    request_id: str
    duration_seconds: Optional[float] = None
    fail_with: Optional[str] = None

    def event(self) -> dict[str, Any]:
        """Return the Lambda event that runs this job."""
        event: dict[str, Any] = {"requestId": self.request_id}
        if self.duration_seconds is not None:
            event["durationSeconds"] = self.duration_seconds
        if self.fail_with is not None:
            event["failWith"] = self.fail_with
        return event


@dataclass(frozen=True)
class JobStore:
    """The AWS clients, the table and function names, and the retry policy of the job calls."""

    dynamodb: Any
    lambda_client: Any
    table_name: str
    function_name: str
    ttl_s: int
    policy: RetryPolicy
    clock_ms: Callable[[], int] = now_ms


def submit_job(store: JobStore, request: JobRequest) -> dict[str, Any]:
    """Record the job as SUBMITTED and invoke the Lambda once, following the module's submit rule."""
    if _put_submitted(store, request.request_id):
        _invoke(store, request)
        return {"requestId": request.request_id, "submitted": True, "statusCode": 202}

    item = _get_item(store, request.request_id)
    if item is None:
        # The item existed a moment ago and is gone: only TTL or an operator deletes items.
        raise TerminalError(
            f"job item for requestId {request.request_id} in table {store.table_name} "
            "was deleted while submitting; start the job again with a new requestId"
        )
    status = item.get("status")
    if status == "SUBMITTED" and "invokedAt" not in item:
        log.info("requestId=%s: item is SUBMITTED without invokedAt, invoking the Lambda now", request.request_id)
        _invoke(store, request)
        return {"requestId": request.request_id, "submitted": True, "statusCode": 202}

    log.info("requestId=%s: already submitted with status %s, not invoking again", request.request_id, status)
    return {"requestId": request.request_id, "submitted": False, "alreadySubmitted": True, "status": status}


def read_job(store: JobStore, request_id: str) -> dict[str, Any]:
    """Return the job's status with a strongly consistent read; raise JobNotFoundError when missing.

    The put in ``submit_job`` comes before the invoke, so a missing item means the job was never
    submitted to this table (or TTL removed it): waiting longer cannot help.
    """
    item = _get_item(store, request_id)
    if item is None:
        raise JobNotFoundError(request_id, store.table_name)
    status = item.get("status")
    if status not in STATUSES:
        raise TerminalError(
            f"job item for requestId {request_id} has status {status!r}, not one of {', '.join(STATUSES)}"
        )

    output: dict[str, Any] = {
        "requestId": request_id,
        "status": status,
        "terminal": status in TERMINAL_STATUSES,
        "createdAt": item.get("createdAt"),
        "startedAt": item.get("startedAt"),
        "completedAt": item.get("completedAt"),
    }
    if status == "COMPLETED":
        output["result"] = item.get("result")
    if status == "FAILED":
        output["error"] = item.get("error")
    return output


def _put_submitted(store: JobStore, request_id: str) -> bool:
    now_ms = store.clock_ms()
    item = {
        "requestId": {"S": request_id},
        "status": {"S": "SUBMITTED"},
        "createdAt": {"N": str(now_ms)},
        "attempt": {"N": "0"},
        "expiresAt": {"N": str(now_ms // 1000 + store.ttl_s)},
    }
    try:
        call_aws(
            "dynamodb.PutItem",
            lambda: store.dynamodb.put_item(
                TableName=store.table_name,
                Item=item,
                ConditionExpression="attribute_not_exists(requestId)",
            ),
            store.policy,
            expected_codes={CONDITION_FAILED},
        )
    except ClientError:
        # call_aws re-raises only the expected code: the item exists.
        return False
    return True


def _invoke(store: JobStore, request: JobRequest) -> None:
    response = call_aws(
        "lambda.Invoke",
        lambda: store.lambda_client.invoke(
            FunctionName=store.function_name,
            InvocationType="Event",
            Payload=json.dumps(request.event()).encode(),
        ),
        store.policy,
    )
    status_code = response.get("StatusCode")
    if status_code != 202:
        raise PermanentAwsError(
            "lambda.Invoke", f"HTTP{status_code}",
            f"lambda.Invoke of {store.function_name} returned status {status_code}, expected 202",
        )
    _mark_invoked(store, request.request_id)


def _mark_invoked(store: JobStore, request_id: str) -> None:
    try:
        call_aws(
            "dynamodb.UpdateItem",
            lambda: store.dynamodb.update_item(
                TableName=store.table_name,
                Key={"requestId": {"S": request_id}},
                UpdateExpression="SET invokedAt = :now",
                ConditionExpression="attribute_exists(requestId) AND attribute_not_exists(invokedAt)",
                ExpressionAttributeValues={":now": {"N": str(store.clock_ms())}},
            ),
            store.policy,
            expected_codes={CONDITION_FAILED},
        )
    except ClientError:
        log.debug("requestId=%s: invokedAt was already set", request_id)
    except AwsError as error:
        # The invoke succeeded, so the task succeeds. A later retry of this task (there is
        # none after a success) would invoke again, which the Lambda ignores.
        log.warning("requestId=%s: invoked, but recording invokedAt failed: %s", request_id, error)


def _get_item(store: JobStore, request_id: str) -> Optional[dict[str, Any]]:
    response = call_aws(
        "dynamodb.GetItem",
        lambda: store.dynamodb.get_item(
            TableName=store.table_name,
            Key={"requestId": {"S": request_id}},
            ConsistentRead=True,
        ),
        store.policy,
    )
    raw = response.get("Item")
    if raw is None:
        return None
    return {name: _plain(_deserializer.deserialize(value)) for name, value in raw.items()}


def _plain(value: Any) -> Any:
    """Turn DynamoDB's Decimal numbers into int or float, recursively, so outputs are JSON."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(item) for item in value)
    return value
