"""lambda_invoke_async against moto DynamoDB and a recording Lambda client."""

from __future__ import annotations

import json

import pytest

from workers.errors import PermanentAwsError, TransientAwsError
from workers.jobs import JobRequest, submit_job
from workers.tasks import invoke_job

from .conftest import TABLE, FailingFirst, client_error


def get_item(dynamodb, request_id):
    return dynamodb.get_item(TableName=TABLE, Key={"requestId": {"S": request_id}}, ConsistentRead=True).get("Item")


def test_submit_returns_submitted(store):
    output = submit_job(store, JobRequest("job-1"))

    assert output == {"requestId": "job-1", "submitted": True, "statusCode": 202}


def test_submit_writes_submitted_item(store, dynamodb):
    submit_job(store, JobRequest("job-1"))

    item = get_item(dynamodb, "job-1")
    assert item["status"] == {"S": "SUBMITTED"}
    assert item["createdAt"] == {"N": "1700000000000"}
    assert item["attempt"] == {"N": "0"}
    assert item["expiresAt"] == {"N": str(1_700_000_000 + 3600)}
    assert item["invokedAt"] == {"N": "1700000000000"}


def test_submit_invokes_event_once(store, lambda_client):
    submit_job(store, JobRequest("job-1", duration_seconds=1.5, fail_with="boom"))

    assert len(lambda_client.calls) == 1
    call = lambda_client.calls[0]
    assert call["InvocationType"] == "Event"
    assert call["FunctionName"] == "longrun-job-test"
    assert json.loads(call["Payload"]) == {"requestId": "job-1", "durationSeconds": 1.5, "failWith": "boom"}


def test_resubmit_does_not_invoke_again(store, lambda_client):
    submit_job(store, JobRequest("job-1"))

    output = submit_job(store, JobRequest("job-1"))

    assert output == {"requestId": "job-1", "submitted": False, "alreadySubmitted": True, "status": "SUBMITTED"}
    assert len(lambda_client.calls) == 1


def test_resubmit_reports_current_status(store, dynamodb):
    submit_job(store, JobRequest("job-1"))
    dynamodb.update_item(
        TableName=TABLE, Key={"requestId": {"S": "job-1"}},
        UpdateExpression="SET #s = :s", ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "PROCESSING"}},
    )

    output = submit_job(store, JobRequest("job-1"))

    assert output["status"] == "PROCESSING"
    assert output["submitted"] is False


def test_crash_window_item_is_invoked(store, dynamodb, lambda_client):
    # An earlier attempt wrote the item and died before invoking: no invokedAt.
    dynamodb.put_item(TableName=TABLE, Item={
        "requestId": {"S": "job-1"}, "status": {"S": "SUBMITTED"},
        "createdAt": {"N": "1"}, "attempt": {"N": "0"}, "expiresAt": {"N": "2"},
    })

    output = submit_job(store, JobRequest("job-1"))

    assert output["submitted"] is True
    assert len(lambda_client.calls) == 1
    assert "invokedAt" in get_item(dynamodb, "job-1")


def test_item_made_by_lambda_is_not_invoked(store, dynamodb, lambda_client):
    # The HTTP design's Lambda creates the item as PROCESSING, without invokedAt.
    dynamodb.put_item(TableName=TABLE, Item={"requestId": {"S": "job-1"}, "status": {"S": "PROCESSING"}})

    submit_job(store, JobRequest("job-1"))

    assert lambda_client.calls == []


def test_failed_invoke_leaves_item_for_retry(make_store, dynamodb, lambda_client):
    failing = FailingFirst(lambda_client, "invoke", [client_error("TooManyRequestsException", 429, "Invoke")] * 3)
    store = make_store(lambda_stub=failing, max_attempts=3)
    with pytest.raises(TransientAwsError):
        submit_job(store, JobRequest("job-1"))

    output = submit_job(make_store(), JobRequest("job-1"))

    assert output["submitted"] is True
    assert len(lambda_client.calls) == 1


def test_throttled_put_is_retried(make_store, dynamodb, lambda_client, sleeps):
    throttled = FailingFirst(dynamodb, "put_item", [client_error("ProvisionedThroughputExceededException")])
    store = make_store(dynamodb_client=throttled)

    output = submit_job(store, JobRequest("job-1"))

    assert output["submitted"] is True
    assert len(sleeps.delays) == 1
    assert len(lambda_client.calls) == 1


def test_server_error_is_retried(make_store, dynamodb, sleeps):
    failing = FailingFirst(dynamodb, "put_item", [client_error("InternalServerError", 500)] * 2)
    store = make_store(dynamodb_client=failing)

    submit_job(store, JobRequest("job-1"))

    assert len(sleeps.delays) == 2


def test_retries_exhausted_raise_transient(make_store, dynamodb, sleeps):
    throttled = FailingFirst(dynamodb, "put_item", [client_error("ThrottlingException")] * 3)
    store = make_store(dynamodb_client=throttled, max_attempts=3)

    with pytest.raises(TransientAwsError) as caught:
        submit_job(store, JobRequest("job-1"))

    assert caught.value.code == "ThrottlingException"
    assert caught.value.operation == "dynamodb.PutItem"
    assert len(sleeps.delays) == 2
    assert caught.value.__cause__ is not None


def test_missing_table_is_permanent(make_store, dynamodb, sleeps):
    missing = FailingFirst(dynamodb, "put_item", [client_error("ResourceNotFoundException")])
    store = make_store(dynamodb_client=missing)

    with pytest.raises(PermanentAwsError) as caught:
        submit_job(store, JobRequest("job-1"))

    assert caught.value.code == "ResourceNotFoundException"
    assert sleeps.delays == []


def test_non_202_invoke_is_permanent(make_store):
    from .conftest import RecordingLambda

    store = make_store(lambda_stub=RecordingLambda(status_code=200))

    with pytest.raises(PermanentAwsError):
        submit_job(store, JobRequest("job-1"))


def test_invoke_job_validates_before_writing(store, dynamodb):
    from workers.errors import InvalidInputError

    with pytest.raises(InvalidInputError):
        invoke_job(store, {"requestId": "job-1", "durationSeconds": -1})

    assert get_item(dynamodb, "job-1") is None

