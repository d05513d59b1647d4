"""lambda_check_status against moto DynamoDB."""

from __future__ import annotations

import pytest

from workers.errors import JobNotFoundError, TerminalError, TransientAwsError
from workers.jobs import read_job

from .conftest import TABLE, FailingFirst, client_error


def put(dynamodb, **attributes):
    item = {"requestId": {"S": "job-1"}, "createdAt": {"N": "1000"}}
    item.update(attributes)
    dynamodb.put_item(TableName=TABLE, Item=item)


def test_processing_is_not_terminal(store, dynamodb):
    put(dynamodb, status={"S": "PROCESSING"}, startedAt={"N": "2000"})

    output = read_job(store, "job-1")

    assert output["status"] == "PROCESSING"
    assert output["terminal"] is False
    assert output["startedAt"] == 2000
    assert output["completedAt"] is None
    assert "result" not in output


def test_completed_returns_result(store, dynamodb):
    put(dynamodb, status={"S": "COMPLETED"}, startedAt={"N": "2000"}, completedAt={"N": "3000"},
        result={"M": {"count": {"N": "3"}, "ratio": {"N": "0.5"}, "name": {"S": "x"}}})

    output = read_job(store, "job-1")

    assert output["terminal"] is True
    assert output["result"] == {"count": 3, "ratio": 0.5, "name": "x"}
    assert type(output["result"]["count"]) is int
    assert type(output["createdAt"]) is int
    assert output["completedAt"] == 3000


def test_failed_returns_error(store, dynamodb):
    put(dynamodb, status={"S": "FAILED"}, error={"S": "boom"})

    output = read_job(store, "job-1")

    assert output["terminal"] is True
    assert output["error"] == "boom"
    assert "result" not in output


def test_missing_item_is_terminal(store):
    with pytest.raises(JobNotFoundError) as caught:
        read_job(store, "job-1")

    assert "job-1" in str(caught.value)
    assert TABLE in str(caught.value)


def test_unknown_status_is_terminal(store, dynamodb):
    put(dynamodb, status={"S": "PAUSED"})

    with pytest.raises(TerminalError, match="PAUSED"):
        read_job(store, "job-1")


def test_read_is_consistent(make_store, dynamodb):
    calls = []

    class Recording:
        def __getattr__(self, name):
            method = getattr(dynamodb, name)

            def call(**kwargs):
                calls.append(kwargs)
                return method(**kwargs)

            return call

    put(dynamodb, status={"S": "SUBMITTED"})
    read_job(make_store(dynamodb_client=Recording()), "job-1")

    assert calls[0]["ConsistentRead"] is True


def test_throttled_read_is_retried(make_store, dynamodb, sleeps):
    put(dynamodb, status={"S": "SUBMITTED"})
    throttled = FailingFirst(dynamodb, "get_item", [client_error("ThrottlingException", 400, "GetItem")])

    output = read_job(make_store(dynamodb_client=throttled), "job-1")

    assert output["status"] == "SUBMITTED"
    assert len(sleeps.delays) == 1


def test_connection_error_is_retried(make_store, dynamodb, sleeps):
    from botocore.exceptions import EndpointConnectionError

    put(dynamodb, status={"S": "SUBMITTED"})
    failing = FailingFirst(dynamodb, "get_item", [EndpointConnectionError(endpoint_url="http://127.0.0.1:1")] * 3)

    with pytest.raises(TransientAwsError) as caught:
        read_job(make_store(dynamodb_client=failing), "job-1")

    assert caught.value.code == "EndpointConnectionError"
