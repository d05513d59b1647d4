"""Fixtures of the worker tests: a moto DynamoDB table and a Lambda client that records invokes."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from workers.jobs import JobStore
from workers.retry import RetryPolicy

TABLE = "longrun-jobs-test"
FUNCTION = "longrun-job-test"


class RecordingLambda:
    """Lambda client stand-in: records each invoke and returns 202, like an accepted Event invoke."""

    def __init__(self, status_code: int = 202) -> None:
        self.calls: list[dict[str, Any]] = []
        self.status_code = status_code

    def invoke(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return {"StatusCode": self.status_code}


class FailingFirst:
    """Proxy of a boto3 client whose named operation raises the given errors before working."""

    def __init__(self, client: Any, operation: str, errors: list[Exception]) -> None:
        self._client = client
        self._operation = operation
        self._errors = list(errors)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)
        if name != self._operation:
            return method

        def call(**kwargs: Any) -> Any:
            if self._errors:
                raise self._errors.pop(0)
            return method(**kwargs)

        return call


def client_error(code: str, status: int = 400, operation: str = "PutItem") -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": f"stand-in {code}"}, "ResponseMetadata": {"HTTPStatusCode": status}},
        operation,
    )


class SleepRecorder:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def aws_env(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_LAMBDA", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")


@pytest.fixture
def dynamodb(aws_env):
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "requestId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "requestId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


@pytest.fixture
def lambda_client():
    return RecordingLambda()


@pytest.fixture
def sleeps():
    return SleepRecorder()


@pytest.fixture
def make_store(dynamodb, lambda_client, sleeps):
    def make(dynamodb_client: Any = None, lambda_stub: Any = None, max_attempts: int = 3) -> JobStore:
        return JobStore(
            dynamodb=dynamodb_client or dynamodb,
            lambda_client=lambda_stub or lambda_client,
            table_name=TABLE,
            function_name=FUNCTION,
            ttl_s=3600,
            policy=RetryPolicy(max_attempts=max_attempts, backoff_base_s=0.01, backoff_max_s=0.05, sleep=sleeps),
            clock_ms=lambda: 1_700_000_000_000,
        )

    return make


@pytest.fixture
def store(make_store):
    return make_store()
