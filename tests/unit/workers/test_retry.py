"""The retry helper: what counts as transient, backoff bounds, metrics and the AWS client config."""

from __future__ import annotations

import logging

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, NoCredentialsError, ReadTimeoutError

from workers import aws, metrics
from workers.errors import PermanentAwsError, TransientAwsError
from workers.retry import RetryPolicy, call_aws, is_transient

from .conftest import SleepRecorder, client_error


def failing_then(result, errors):
    pending = list(errors)

    def call():
        if pending:
            raise pending.pop(0)
        return result

    return call


@pytest.mark.parametrize("error, transient", [
    pytest.param(client_error("ThrottlingException"), True, id="throttling"),
    pytest.param(client_error("ProvisionedThroughputExceededException"), True, id="throughput"),
    pytest.param(client_error("RequestLimitExceeded"), True, id="request-limit"),
    pytest.param(client_error("TooManyRequestsException", 429), True, id="too-many-requests"),
    pytest.param(client_error("ServiceUnavailable", 503), True, id="http-503"),
    pytest.param(client_error("InternalServerError", 500), True, id="http-500"),
    pytest.param(ReadTimeoutError(endpoint_url="http://127.0.0.1:1"), True, id="read-timeout"),
    pytest.param(ConnectionClosedError(endpoint_url="http://127.0.0.1:1"), True, id="connection-closed"),
    pytest.param(client_error("ResourceNotFoundException"), False, id="not-found"),
    pytest.param(client_error("AccessDeniedException"), False, id="access-denied"),
    pytest.param(client_error("ValidationException"), False, id="validation"),
    pytest.param(client_error("ConditionalCheckFailedException"), False, id="condition"),
    pytest.param(NoCredentialsError(), False, id="no-credentials"),
])
def test_transient_classification(error, transient):
    assert is_transient(error) is transient


def test_delays_stay_within_cap():
    sleeps = SleepRecorder()
    policy = RetryPolicy(max_attempts=6, backoff_base_s=1.0, backoff_max_s=2.0, sleep=sleeps)

    call_aws("test.Op", failing_then("ok", [client_error("ThrottlingException")] * 5), policy)

    assert len(sleeps.delays) == 5
    assert all(0 <= delay <= 2.0 for delay in sleeps.delays)


def test_retry_is_logged_with_code(caplog):
    policy = RetryPolicy(max_attempts=2, backoff_base_s=0.01, backoff_max_s=0.01, sleep=SleepRecorder())

    with caplog.at_level(logging.WARNING, logger="workers.retry"):
        call_aws("test.Logged", failing_then("ok", [client_error("ThrottlingException")]), policy)

    assert "test.Logged" in caplog.text
    assert "ThrottlingException" in caplog.text
    assert "attempt 1 of 2" in caplog.text


def test_retry_is_counted():
    policy = RetryPolicy(max_attempts=3, backoff_base_s=0.01, backoff_max_s=0.01, sleep=SleepRecorder())
    labels = {"operation": "test.Counted", "code": "ThrottlingException"}
    before = metrics.REGISTRY.get_sample_value("longrun_aws_retries_total", labels) or 0.0

    call_aws("test.Counted", failing_then("ok", [client_error("ThrottlingException")] * 2), policy)

    assert metrics.REGISTRY.get_sample_value("longrun_aws_retries_total", labels) == before + 2


def test_exhausted_error_is_chained():
    policy = RetryPolicy(max_attempts=2, backoff_base_s=0.01, backoff_max_s=0.01, sleep=SleepRecorder())
    last = client_error("ThrottlingException")

    with pytest.raises(TransientAwsError) as caught:
        call_aws("test.Op", failing_then("ok", [client_error("ThrottlingException"), last]), policy)

    assert caught.value.__cause__ is last


def test_permanent_error_is_not_retried():
    sleeps = SleepRecorder()
    policy = RetryPolicy(max_attempts=5, sleep=sleeps)

    with pytest.raises(PermanentAwsError):
        call_aws("test.Op", failing_then("ok", [client_error("AccessDeniedException")]), policy)

    assert sleeps.delays == []


def test_botocore_retries_are_off(aws_env):
    aws.reset()
    try:
        client = aws.dynamodb()
        retries = client.meta.config.retries
    finally:
        aws.reset()

    assert retries["total_max_attempts"] == 1


def test_region_comes_from_aws_region(aws_env, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    aws.reset()
    try:
        region = aws.lambda_client().meta.region_name
    finally:
        aws.reset()

    assert region == "eu-west-1"


def test_expected_code_counts_apart():
    policy = RetryPolicy(max_attempts=3, sleep=SleepRecorder())
    labels = {"operation": "test.Condition", "outcome": "expected_error"}
    before = metrics.REGISTRY.get_sample_value("longrun_aws_calls_total", labels) or 0.0

    with pytest.raises(ClientError):
        call_aws("test.Condition", failing_then("ok", [client_error("ConditionalCheckFailedException")]),
                 policy, expected_codes={"ConditionalCheckFailedException"})

    assert metrics.REGISTRY.get_sample_value("longrun_aws_calls_total", labels) == before + 1
