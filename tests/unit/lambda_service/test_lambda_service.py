"""Tests of the local Lambda service, run as a real process, with a moto server as DynamoDB.

Clients find both servers through AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_DYNAMODB alone, as the
project's code does.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

REPO_ROOT = Path(__file__).resolve().parents[3]
FAULT_HANDLER = Path(__file__).with_name("fault_handler.py")
TABLE_NAME = "longrun-jobs-service-test"
JOB_FUNCTION = "longrun-job-test"
FAULT_FUNCTION = "fault-test"
DEADLINE_S = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout_s: float = DEADLINE_S, interval_s: float = 0.05):
    """Poll ``condition`` until it returns a truthy value; fail at the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout_s} s")
        time.sleep(interval_s)


class Service:
    """One local Lambda service process, its URL and its log file."""

    def __init__(self, tmp_path: Path, env: dict[str, str], *flags: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / f"lambda-service-{self.port}.log"
        with open(self.log_path, "wb") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "infra.local.lambda_service", "--port", str(self.port), *flags],
                cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            )
        wait_for(self._healthy)

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"service exited with {self.process.returncode}:\n{self.log()}")
        try:
            return requests.get(f"{self.url}/health", timeout=1).status_code == 200
        except requests.ConnectionError:
            return False

    def log(self) -> str:
        return self.log_path.read_text()

    def log_line(self, *parts: str) -> str | None:
        """Return the first log line that contains every one of ``parts``."""
        return next((line for line in self.log().splitlines() if all(part in line for part in parts)), None)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


@pytest.fixture(scope="module")
def aws_env():
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_DYNAMODB": f"http://{host}:{port}",
        "LONGRUN_TABLE_NAME": TABLE_NAME,
    }
    with mock.patch.dict(os.environ, env):
        boto3.client("dynamodb").create_table(
            TableName=TABLE_NAME,
            KeySchema=[{"AttributeName": "requestId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "requestId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield env
    moto.stop()


def service_env(aws_env: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "LONGRUN_"))}
    env.update(aws_env)
    return env


@pytest.fixture(scope="module")
def job_service(aws_env, tmp_path_factory):
    service = Service(
        tmp_path_factory.mktemp("job"), service_env(aws_env),
        "--function-name", JOB_FUNCTION, "--timeout-s", "10", "--retry-delays-s", "0.2,0.2",
    )
    yield service
    service.stop()


@pytest.fixture(scope="module")
def fault_service(aws_env, tmp_path_factory):
    service = Service(
        tmp_path_factory.mktemp("fault"), service_env(aws_env),
        "--function-name", FAULT_FUNCTION, "--handler", f"{FAULT_HANDLER}:handler",
        "--timeout-s", "1", "--retry-delays-s", "0.2,0.4",
    )
    yield service
    service.stop()


def lambda_client_for(service: Service):
    with mock.patch.dict(os.environ, {"AWS_ENDPOINT_URL_LAMBDA": service.url}):
        return boto3.client("lambda", config=Config(retries={"max_attempts": 1}, read_timeout=30))


@pytest.fixture(scope="module")
def job_lambda(job_service, aws_env):
    with mock.patch.dict(os.environ, aws_env):
        return lambda_client_for(job_service)


@pytest.fixture(scope="module")
def fault_lambda(fault_service, aws_env):
    with mock.patch.dict(os.environ, aws_env):
        return lambda_client_for(fault_service)


@pytest.fixture(scope="module")
def dynamodb(aws_env):
    with mock.patch.dict(os.environ, aws_env):
        return boto3.client("dynamodb")


def job_status(dynamodb, request_id: str) -> str | None:
    item = dynamodb.get_item(TableName=TABLE_NAME, Key={"requestId": {"S": request_id}}, ConsistentRead=True)
    return item.get("Item", {}).get("status", {}).get("S")


def new_request_id() -> str:
    return f"test-{uuid.uuid4()}"


def invoke_json(client, function: str, event: object, **kwargs) -> tuple[dict, object]:
    response = client.invoke(FunctionName=function, Payload=json.dumps(event).encode(), **kwargs)
    body = response["Payload"].read()
    return response, (json.loads(body) if body else None)


def test_request_response_returns_result(job_lambda):
    request_id = new_request_id()
    response, payload = invoke_json(job_lambda, JOB_FUNCTION, {"requestId": request_id, "durationSeconds": 0.1})
    assert response["StatusCode"] == 200
    assert response["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in response
    assert payload["status"] == "COMPLETED"
    assert payload["requestId"] == request_id


def test_function_arn_is_accepted(job_lambda):
    arn = f"arn:aws:lambda:us-east-1:000000000000:function:{JOB_FUNCTION}"
    response, payload = invoke_json(job_lambda, arn, {"action": "status", "requestId": "absent"}, Qualifier="$LATEST")
    assert response["StatusCode"] == 200
    assert payload == {"item": None}


def test_context_has_remaining_time(fault_lambda):
    _, payload = invoke_json(fault_lambda, FAULT_FUNCTION, {"mode": "echo"})
    assert 0 < payload["remainingMs"] <= 1000


def test_handler_error_shape(fault_lambda):
    response, payload = invoke_json(fault_lambda, FAULT_FUNCTION, {"mode": "raise", "message": "boom"})
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorMessage"] == "boom"
    assert payload["errorType"] == "ValueError"
    assert any("fault_handler.py" in frame for frame in payload["stackTrace"])


def test_invalid_request_id_is_function_error(job_lambda, dynamodb):
    response, payload = invoke_json(job_lambda, JOB_FUNCTION, {"requestId": "bad id"})
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "InvalidEventError"
    assert job_status(dynamodb, "bad id") is None


def test_event_returns_202_and_job_completes(job_lambda, dynamodb):
    request_id = new_request_id()
    response, payload = invoke_json(
        job_lambda, JOB_FUNCTION, {"requestId": request_id, "durationSeconds": 0.2}, InvocationType="Event"
    )
    assert response["StatusCode"] == 202
    assert payload is None
    wait_for(lambda: job_status(dynamodb, request_id) == "COMPLETED")


def test_event_retried_after_failure(fault_lambda, fault_service, tmp_path):
    counter = tmp_path / "attempts"
    event = {"mode": "fail_times", "failures": 1, "counterFile": str(counter), "requestId": new_request_id()}
    invoke_json(fault_lambda, FAULT_FUNCTION, event, InvocationType="Event")
    wait_for(lambda: fault_service.log_line(f"requestId={event['requestId']}", "outcome=succeeded"))
    assert counter.read_text() == "2"
    assert fault_service.log_line(f"requestId={event['requestId']}", "retrying event", "retry 1 of 2")


def test_event_dropped_after_two_retries(fault_lambda, fault_service, tmp_path):
    counter = tmp_path / "attempts"
    request_id = new_request_id()
    event = {"mode": "fail_times", "failures": 10, "counterFile": str(counter), "requestId": request_id}
    invoke_json(fault_lambda, FAULT_FUNCTION, event, InvocationType="Event")
    dropped = wait_for(lambda: fault_service.log_line("dropped event", f"requestId={request_id}"))
    assert counter.read_text() == "3"
    assert f"function={FAULT_FUNCTION}" in dropped
    assert "planned failure on attempt 3" in dropped


def test_timeout_kills_process(fault_lambda, tmp_path):
    pid_file = tmp_path / "pid"
    response, payload = invoke_json(
        fault_lambda, FAULT_FUNCTION, {"mode": "sleep", "seconds": 30, "pidFile": str(pid_file)}
    )
    pid = int(pid_file.read_text())
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Sandbox.Timedout"
    assert re.fullmatch(r"\S+Z \S+ Task timed out after 1\.\d\d seconds", payload["errorMessage"])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_dry_run_returns_204(job_lambda):
    response = job_lambda.invoke(FunctionName=JOB_FUNCTION, InvocationType="DryRun", Payload=b"{}")
    assert response["StatusCode"] == 204


def test_unknown_function_not_found(job_lambda):
    with pytest.raises(job_lambda.exceptions.ResourceNotFoundException) as raised:
        job_lambda.invoke(FunctionName="no-such-function", Payload=b"{}")
    message = raised.value.response["Error"]["Message"]
    assert message == "Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function"


def test_malformed_payload_rejected(job_lambda):
    with pytest.raises(job_lambda.exceptions.InvalidRequestContentException) as raised:
        job_lambda.invoke(FunctionName=JOB_FUNCTION, Payload=b"{not json")
    assert raised.value.response["Error"]["Message"].startswith("Could not parse request body into json")


@pytest.mark.parametrize(
    ("invocation_type", "size"),
    [("RequestResponse", 6 * 1024 * 1024 + 1), ("Event", 1024 * 1024 + 1)],
)
def test_payload_too_large_rejected(job_lambda, invocation_type, size):
    payload = json.dumps({"padding": "x" * size}).encode()
    with pytest.raises(ClientError) as raised:
        job_lambda.invoke(FunctionName=JOB_FUNCTION, InvocationType=invocation_type, Payload=payload)
    assert raised.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413


def test_health_reports_function(job_service):
    body = requests.get(f"{job_service.url}/health", timeout=5).json()
    assert body["functionName"] == JOB_FUNCTION
    assert body["queueDepth"] >= 0


def test_jobs_route_submits_and_reads(job_service):
    request_id = new_request_id()
    submitted = requests.post(f"{job_service.url}/jobs", json={"requestId": request_id, "durationSeconds": 0.1}, timeout=5)
    assert submitted.status_code == 202
    assert submitted.json() == {"requestId": request_id}

    def completed():
        response = requests.get(f"{job_service.url}/jobs/{request_id}", timeout=5)
        return response if response.status_code == 200 and response.json()["status"] == "COMPLETED" else None

    item = wait_for(completed).json()
    assert item["requestId"] == request_id
    assert item["attempt"] == 1


def test_jobs_route_unknown_is_404(job_service):
    response = requests.get(f"{job_service.url}/jobs/{new_request_id()}", timeout=5)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [(b'{"requestId": "bad id"}', "requestId"), (b"[1, 2]", "JSON object"), (b"{oops", "JSON object"), (b"{}", "requestId")],
)
def test_jobs_route_rejects_bad_body(job_service, body, field):
    response = requests.post(f"{job_service.url}/jobs", data=body, timeout=5)
    assert response.status_code == 400
    assert field in response.json()["message"]


def test_jobs_route_rejects_bad_request_id(job_service):
    response = requests.get(f"{job_service.url}/jobs/bad%20id", timeout=5)
    assert response.status_code == 400
    assert "requestId" in response.json()["message"]


def test_sigterm_lets_running_invocation_finish(aws_env, tmp_path):
    service = Service(
        tmp_path, service_env(aws_env), "--function-name", FAULT_FUNCTION,
        "--handler", f"{FAULT_HANDLER}:handler", "--timeout-s", "5", "--stop-grace-s", "5",
    )
    pid_file = tmp_path / "pid"
    event = {"mode": "sleep", "seconds": 0.5, "pidFile": str(pid_file), "requestId": "graceful"}
    requests.post(
        f"{service.url}/2015-03-31/functions/{FAULT_FUNCTION}/invocations",
        data=json.dumps(event), headers={"X-Amz-Invocation-Type": "Event"}, timeout=5,
    )
    wait_for(pid_file.exists)
    assert service.stop() == 0
    assert service.log_line("requestId=graceful", "outcome=succeeded")
