"""Checks that run before any job starts: Conductor, DynamoDB and the Lambda side respond; then registration.

Each failure becomes a ConfigError with one line naming the service, its address and what to do.
"""

from __future__ import annotations

import json
import os
import uuid

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from workflows.conductor import ConductorClient, ConductorError
from workflows.definitions import workflow_def
from workflows.register import register_all

from .errors import ConfigError

# One quick attempt: a preflight check reports an unreachable service at once instead of retrying.
QUICK = Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 1, "mode": "standard"})
HTTP_TIMEOUT_S = 5.0


def table_name() -> str:
    return os.environ.get("LONGRUN_TABLE_NAME") or "longrun-jobs"


def function_name() -> str:
    return os.environ.get("LONGRUN_FUNCTION_NAME") or "longrun-job"


def api_url() -> str:
    """Return the base URL the http_poll workflow will call, as registration writes it into the definition."""
    return workflow_def("http_poll")["inputTemplate"]["apiUrl"].rstrip("/")


def check_conductor(client: ConductorClient) -> str:
    """Return the server's version, which also shows that the server responds."""
    try:
        return str(client.call("GET", "/version")).strip()
    except ConductorError as exc:
        raise ConfigError(str(exc)) from exc


def register(client: ConductorClient) -> None:
    try:
        register_all(client)
    except ConductorError as exc:
        raise ConfigError(f"registering the definitions failed: {exc}") from exc


def check_table() -> None:
    endpoint = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB", "the AWS default endpoint")
    try:
        boto3.client("dynamodb", config=QUICK).describe_table(TableName=table_name())
    except ClientError as exc:
        raise ConfigError(f"DynamoDB table {table_name()} is not usable at {endpoint}: {exc} (set LONGRUN_TABLE_NAME)") from exc
    except BotoCoreError as exc:
        raise ConfigError(f"cannot reach DynamoDB at {endpoint}: {exc}; start the local stack with `make up`") from exc


def check_lambda() -> None:
    """Ask for a DryRun invocation: it checks the endpoint, the function and the permission without running it."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_LAMBDA", "the AWS default endpoint")
    try:
        boto3.client("lambda", config=QUICK).invoke(FunctionName=function_name(), InvocationType="DryRun", Payload=b"{}")
    except ClientError as exc:
        raise ConfigError(f"Lambda function {function_name()} is not usable at {endpoint}: {exc} (set LONGRUN_FUNCTION_NAME)") from exc
    except BotoCoreError as exc:
        raise ConfigError(f"cannot reach the Lambda service at {endpoint}: {exc}; start the local stack with `make up`") from exc


def check_api() -> None:
    """GET the status of a requestId that does not exist: the API must return 404."""
    url = f"{api_url()}/jobs/bench-preflight-{uuid.uuid4().hex[:12]}"
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT_S)
    except requests.RequestException as exc:
        raise ConfigError(f"cannot reach the HTTP design's API at {api_url()} ({type(exc).__name__}); set LONGRUN_API_URL or run `make up`") from exc
    if response.status_code != 404:
        raise ConfigError(
            f"the HTTP design's API at {api_url()} returned HTTP {response.status_code} for GET /jobs/<unknown id>, "
            f"expected 404: {_short(response.text)}"
        )


def _short(text: str) -> str:
    try:
        return json.dumps(json.loads(text))[:200]
    except ValueError:
        return text[:200]


def run_checks(client: ConductorClient, designs: tuple[str, ...]) -> str:
    """Run every check the chosen designs need, then register the definitions; return the Conductor server's version.

    Registration comes last because it changes the server: it writes LONGRUN_API_URL into the http_poll
    definition, so a wrong URL must be caught first.
    """
    version = check_conductor(client)
    check_table()
    check_lambda()
    if "http_poll" in designs:
        check_api()
    register(client)
    return version
