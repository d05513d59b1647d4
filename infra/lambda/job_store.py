"""Conditional writes and reads of job items in DynamoDB.

Each delivery that starts work owns one ``attempt`` number, and only that delivery may write the
terminal state, so a stale delivery can never overwrite the outcome of a newer one.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from job_events import JobError

SUBMITTED = "SUBMITTED"
PROCESSING = "PROCESSING"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
TERMINAL_STATUSES = (COMPLETED, FAILED)

# Every attribute goes through a placeholder because DynamoDB reserves words such as STATUS and RESULT.
_NAMES = {
    "#requestId": "requestId",
    "#status": "status",
    "#createdAt": "createdAt",
    "#startedAt": "startedAt",
    "#completedAt": "completedAt",
    "#expiresAt": "expiresAt",
    "#attempt": "attempt",
    "#result": "result",
    "#error": "error",
}


class StoreError(JobError):
    """A DynamoDB request failed for a reason other than a failed condition."""


@functools.lru_cache(maxsize=8)
def open_table(table_name: str):
    """Return a boto3 Table, cached so that warm invocations reuse the client and its connections."""
    return boto3.resource("dynamodb").Table(table_name)


def to_json_value(value: Any) -> Any:
    """Convert the Decimals boto3 returns into ints and floats, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: to_json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(item) for item in value]
    return value


def to_dynamodb_value(value: Any) -> Any:
    """Convert floats into the Decimals boto3 requires, recursively."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {key: to_dynamodb_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_dynamodb_value(item) for item in value]
    return value


def _names_in(*expressions: str) -> dict[str, str]:
    text = " ".join(expressions)
    return {placeholder: name for placeholder, name in _NAMES.items() if placeholder in text}


class JobStore:
    def __init__(self, table, item_ttl_s: int) -> None:
        self._table = table
        self._item_ttl_s = item_ttl_s

    def _conditional_update(self, request_id: str, update: str, condition: str, values: dict) -> dict | None:
        """Run one conditional UpdateItem; return the new item, or None when the condition failed."""
        try:
            response = self._table.update_item(
                Key={"requestId": request_id},
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeNames=_names_in(update, condition),
                ExpressionAttributeValues=to_dynamodb_value(values),
                ReturnValues="ALL_NEW",
            )
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return None
            raise StoreError(f"UpdateItem failed for requestId {request_id}: {err}") from err
        except BotoCoreError as err:
            raise StoreError(f"UpdateItem failed for requestId {request_id}: {err}") from err
        return to_json_value(response["Attributes"])

    def start(self, request_id: str, now_ms: int, stale_before_ms: int) -> dict | None:
        """Move the job to PROCESSING and count the attempt; return None when this delivery must not run it.

        The job starts when it is absent (it is then created), SUBMITTED, or PROCESSING with a
        ``startedAt`` older than ``stale_before_ms``, which means the delivery that started it has
        outlived the function timeout and so is dead.
        """
        update = (
            "SET #status = :processing, #startedAt = :now, #expiresAt = :expires,"
            " #createdAt = if_not_exists(#createdAt, :now)"
            " ADD #attempt :one"
        )
        condition = (
            "attribute_not_exists(#requestId) OR #status = :submitted"
            " OR (#status = :processing AND #startedAt < :staleBefore)"
        )
        values = {
            ":processing": PROCESSING,
            ":submitted": SUBMITTED,
            ":now": now_ms,
            ":expires": now_ms // 1000 + self._item_ttl_s,
            ":one": 1,
            ":staleBefore": stale_before_ms,
        }
        return self._conditional_update(request_id, update, condition, values)

    def _finish(self, request_id: str, attempt: int, now_ms: int, field: str, status: str, value: Any) -> bool:
        update = f"SET #status = :terminal, #completedAt = :now, #{field} = :value"
        condition = "#status = :processing AND #attempt = :attempt"
        values = {":terminal": status, ":now": now_ms, ":value": value, ":processing": PROCESSING, ":attempt": attempt}
        return self._conditional_update(request_id, update, condition, values) is not None

    def complete(self, request_id: str, attempt: int, result: dict, now_ms: int) -> bool:
        """Write COMPLETED with ``result``; return False when this attempt no longer owns the job."""
        return self._finish(request_id, attempt, now_ms, "result", COMPLETED, result)

    def fail(self, request_id: str, attempt: int, error: str, now_ms: int) -> bool:
        """Write FAILED with ``error``; return False when this attempt no longer owns the job."""
        return self._finish(request_id, attempt, now_ms, "error", FAILED, error)

    def get(self, request_id: str) -> dict | None:
        """Read the item with a strongly consistent read; return None when there is none."""
        try:
            response = self._table.get_item(Key={"requestId": request_id}, ConsistentRead=True)
        except (ClientError, BotoCoreError) as err:
            raise StoreError(f"GetItem failed for requestId {request_id}: {err}") from err
        item = response.get("Item")
        return None if item is None else to_json_value(item)
