"""Unit tests of the job function in infra/lambda against moto's in-process DynamoDB."""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

FUNCTION_DIR = Path(__file__).resolve().parents[3] / "infra" / "lambda"
# The function uses flat imports, as it does in the Lambda runtime where its folder is on sys.path.
sys.path.insert(0, str(FUNCTION_DIR))

import handler as job_function  # noqa: E402
import job_events  # noqa: E402
import job_store  # noqa: E402

TABLE_NAME = "longrun-jobs-test"


class FakeContext:
    """The part of the Lambda context object that the handler reads."""

    def __init__(self, remaining_ms: int = 60_000) -> None:
        self.remaining_ms = remaining_ms
        self.aws_request_id = "test-invocation"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@pytest.fixture
def table(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("LONGRUN_TABLE_NAME", TABLE_NAME)
    monkeypatch.delenv("LONGRUN_ITEM_TTL_S", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    job_store.open_table.cache_clear()
    with mock_aws():
        dynamodb = boto3.resource("dynamodb")
        created = dynamodb.create_table(
            TableName=TABLE_NAME,
            KeySchema=[{"AttributeName": "requestId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "requestId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield created
    job_store.open_table.cache_clear()


def read_item(table, request_id: str) -> dict | None:
    return table.get_item(Key={"requestId": request_id}, ConsistentRead=True).get("Item")


def now_ms() -> int:
    return int(time.time() * 1000)


def test_run_completes(table):
    before = now_ms()
    response = job_function.handler({"requestId": "job-1", "durationSeconds": 0.05}, FakeContext())
    item = read_item(table, "job-1")
    assert response["status"] == "COMPLETED"
    assert response["changed"] is True
    assert item["status"] == "COMPLETED"
    assert item["attempt"] == 1
    assert item["result"] == {"durationSeconds": Decimal("0.05"), "attempt": 1}
    assert before <= item["createdAt"] <= item["startedAt"]
    assert item["completedAt"] - item["startedAt"] >= 50
    assert "error" not in item


def test_run_sets_expiry_from_ttl(table, monkeypatch):
    monkeypatch.setenv("LONGRUN_ITEM_TTL_S", "60")
    job_function.handler({"requestId": "job-ttl"}, FakeContext())
    item = read_item(table, "job-ttl")
    assert abs(int(item["expiresAt"]) - (time.time() + 60)) < 5


def test_run_default_ttl_is_seven_days(table):
    job_function.handler({"requestId": "job-ttl-default"}, FakeContext())
    item = read_item(table, "job-ttl-default")
    assert abs(int(item["expiresAt"]) - (time.time() + 7 * 24 * 3600)) < 5


def test_fail_with_ends_failed(table):
    response = job_function.handler({"requestId": "job-2", "failWith": "disk full"}, FakeContext())
    item = read_item(table, "job-2")
    assert response["status"] == "FAILED"
    assert item["status"] == "FAILED"
    assert item["error"] == "disk full"
    assert "result" not in item
    assert item["completedAt"] >= item["startedAt"]


def test_submitted_item_keeps_created_at(table):
    table.put_item(Item={"requestId": "job-3", "status": "SUBMITTED", "createdAt": 1000})
    job_function.handler({"requestId": "job-3"}, FakeContext())
    item = read_item(table, "job-3")
    assert item["status"] == "COMPLETED"
    assert item["createdAt"] == 1000
    assert item["attempt"] == 1


def test_absent_item_is_created(table):
    assert read_item(table, "job-4") is None
    job_function.handler({"requestId": "job-4"}, FakeContext())
    item = read_item(table, "job-4")
    assert item is not None
    assert item["status"] == "COMPLETED"
    assert item["createdAt"] == item["startedAt"]


def test_duplicate_of_terminal_changes_nothing(table):
    job_function.handler({"requestId": "job-5"}, FakeContext())
    first = read_item(table, "job-5")
    response = job_function.handler({"requestId": "job-5", "failWith": "late"}, FakeContext())
    assert response["changed"] is False
    assert response["status"] == "COMPLETED"
    assert read_item(table, "job-5") == first


def test_duplicate_of_processing_changes_nothing(table):
    started = now_ms() - 1000
    table.put_item(Item={"requestId": "job-6", "status": "PROCESSING", "startedAt": started, "attempt": 1})
    response = job_function.handler({"requestId": "job-6"}, FakeContext(remaining_ms=60_000))
    item = read_item(table, "job-6")
    assert response["changed"] is False
    assert response["status"] == "PROCESSING"
    assert item["status"] == "PROCESSING"
    assert item["attempt"] == 1
    assert item["startedAt"] == started


def test_processing_older_than_timeout_is_restarted(table):
    started = now_ms() - 120_000
    table.put_item(Item={"requestId": "job-7", "status": "PROCESSING", "startedAt": started, "attempt": 1})
    response = job_function.handler({"requestId": "job-7"}, FakeContext(remaining_ms=60_000))
    item = read_item(table, "job-7")
    assert response["changed"] is True
    assert item["status"] == "COMPLETED"
    assert item["attempt"] == 2


def test_stale_attempt_does_not_overwrite_newer(table):
    store = job_store.JobStore(table, item_ttl_s=60)
    first = store.start("job-8", now_ms() - 120_000, stale_before_ms=0)
    second = store.start("job-8", now_ms(), stale_before_ms=now_ms() - 60_000)
    assert first["attempt"] == 1
    assert second["attempt"] == 2
    assert store.complete("job-8", 1, {"late": True}, now_ms()) is False
    assert read_item(table, "job-8")["status"] == "PROCESSING"


@pytest.mark.parametrize(
    ("knobs", "message_part"),
    [
        ({"durationSeconds": -1}, "durationSeconds must be >= 0"),
        ({"durationSeconds": "2"}, "durationSeconds must be a number"),
        ({"durationSeconds": True}, "durationSeconds must be a number"),
        ({"durationSeconds": 120}, "exceeds"),
        ({"failWith": 5}, "failWith must be a non-empty string"),
    ],
)
def test_bad_knob_ends_failed(table, knobs, message_part):
    response = job_function.handler({"requestId": "job-knob", **knobs}, FakeContext(remaining_ms=60_000))
    item = read_item(table, "job-knob")
    assert response["status"] == "FAILED"
    assert item["status"] == "FAILED"
    assert message_part in item["error"]


def test_exception_while_working_ends_failed(table, monkeypatch):
    def broken_work(duration_s: float) -> None:
        raise OSError("worker crashed")

    monkeypatch.setattr(job_function, "_work", broken_work)
    response = job_function.handler({"requestId": "job-9"}, FakeContext())
    item = read_item(table, "job-9")
    assert response["status"] == "FAILED"
    assert item["status"] == "FAILED"
    assert item["error"] == "OSError: worker crashed"


@pytest.mark.parametrize("request_id", [None, "", "a" * 129, "bad id", "slash/id", 42, "é"])
def test_bad_request_id_rejected_and_nothing_written(table, request_id):
    with pytest.raises(job_events.InvalidEventError, match="requestId must be"):
        job_function.handler({"requestId": request_id, "durationSeconds": 0}, FakeContext())
    assert table.scan()["Count"] == 0


def test_request_id_at_max_length_accepted(table):
    request_id = "A-z0.9_:" * 16
    job_function.handler({"requestId": request_id}, FakeContext())
    assert read_item(table, request_id)["status"] == "COMPLETED"


def test_unknown_action_rejected(table):
    with pytest.raises(job_events.InvalidEventError, match="action"):
        job_function.handler({"action": "delete", "requestId": "job-10"}, FakeContext())
    assert table.scan()["Count"] == 0


def test_status_event_returns_item(table):
    job_function.handler({"requestId": "job-11", "durationSeconds": 0.01}, FakeContext())
    response = job_function.handler({"action": "status", "requestId": "job-11"}, FakeContext())
    item = response["item"]
    assert item["requestId"] == "job-11"
    assert item["status"] == "COMPLETED"
    assert type(item["attempt"]) is int
    assert type(item["result"]["durationSeconds"]) is float
    assert json.loads(json.dumps(response)) == response


def test_status_event_returns_null_when_absent(table):
    response = job_function.handler({"action": "status", "requestId": "job-none"}, FakeContext())
    assert response == {"item": None}


def test_status_event_without_context_uses_env_timeout(table, monkeypatch):
    monkeypatch.setenv("LONGRUN_FUNCTION_TIMEOUT_S", "30")
    response = job_function.handler({"action": "status", "requestId": "job-none"}, None)
    assert response == {"item": None}


def test_invalid_timeout_setting_names_variable(table, monkeypatch):
    monkeypatch.setenv("LONGRUN_FUNCTION_TIMEOUT_S", "soon")
    with pytest.raises(ValueError, match="LONGRUN_FUNCTION_TIMEOUT_S"):
        job_function.handler({"requestId": "job-12"}, None)
