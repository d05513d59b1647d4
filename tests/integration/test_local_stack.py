"""The local stack's commands and services: python -m infra.local up/down/status, and what they start."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
import requests

from .conftest import REPO_ROOT, free_port

pytestmark = pytest.mark.integration


def stack_cli(*args: str, env: dict[str, str], timeout_s: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "infra.local", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=timeout_s,
    )


@pytest.fixture
def private_stack_env(tmp_path) -> dict[str, str]:
    """Environment for a throwaway stack: its own .local directory and free ports."""
    return {
        **os.environ,
        "LONGRUN_LOCAL_DIR": str(tmp_path / "local"),
        "LONGRUN_CONDUCTOR_PORT": str(free_port()),
        "LONGRUN_DYNAMODB_PORT": str(free_port()),
        "LONGRUN_LAMBDA_PORT": str(free_port()),
        "LONGRUN_PROMETHEUS_PORT": str(free_port()),
    }


def pids_recorded(env: dict[str, str]) -> list[int]:
    run_dir = Path(env["LONGRUN_LOCAL_DIR"]) / "run"
    return [json.loads(path.read_text())["pid"] for path in run_dir.glob("*.pid")]


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_conductor_health_and_metadata(conductor, local_stack):
    health = requests.get(f"{local_stack.conductor_url}/health", timeout=5)
    task_defs = conductor.call("GET", "/metadata/taskdefs")

    assert health.json()["healthy"] is True
    assert {"lambda_invoke_async", "lambda_check_status"} <= {task["name"] for task in task_defs}


def test_boto3_reaches_stack_through_environment(local_stack):
    # Only AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_LAMBDA point these clients at the stack.
    table = boto3.client("dynamodb").describe_table(TableName=local_stack.table_name)["Table"]
    response = boto3.client("lambda").invoke(
        FunctionName=local_stack.function_name,
        Payload=json.dumps({"action": "status", "requestId": "never-submitted"}),
    )

    assert table["KeySchema"] == [{"AttributeName": "requestId", "KeyType": "HASH"}]
    assert response["StatusCode"] == 200
    assert json.loads(response["Payload"].read()) == {"item": None}


def test_jobs_table_has_ttl(local_stack):
    ttl = boto3.client("dynamodb").describe_time_to_live(TableName=local_stack.table_name)["TimeToLiveDescription"]

    assert ttl["AttributeName"] == "expiresAt"
    assert ttl["TimeToLiveStatus"] == "ENABLED"


def test_definitions_survive_restart(private_stack_env):
    env = private_stack_env
    conductor_url = f"http://127.0.0.1:{env['LONGRUN_CONDUCTOR_PORT']}"
    task_def = {"name": "survives_restart", "ownerEmail": "test@example.com", "timeoutSeconds": 60, "responseTimeoutSeconds": 10}
    try:
        first = stack_cli("up", "conductor", env=env)
        assert first.returncode == 0, first.stderr
        requests.post(f"{conductor_url}/api/metadata/taskdefs", json=[task_def], timeout=10).raise_for_status()

        again = stack_cli("up", "conductor", env=env)
        stopped = stack_cli("down", env=env)
        restarted = stack_cli("up", "conductor", env=env)
        found = requests.get(f"{conductor_url}/api/metadata/taskdefs/survives_restart", timeout=10)
    finally:
        stack_cli("down", env=env)

    assert "already running" in again.stdout
    assert "stopped conductor" in stopped.stdout
    assert restarted.returncode == 0, restarted.stderr
    assert found.status_code == 200


def test_down_leaves_no_process(private_stack_env):
    env = private_stack_env
    up = stack_cli("up", "dynamodb", "lambda", env=env)
    pids = pids_recorded(env)

    down = stack_cli("down", env=env)

    assert up.returncode == 0, up.stderr
    assert len(pids) == 2
    assert down.returncode == 0
    assert [pid for pid in pids if is_running(pid)] == []


def test_taken_port_is_named(private_stack_env):
    env = private_stack_env
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", int(env["LONGRUN_DYNAMODB_PORT"])))
        blocker.listen()
        result = stack_cli("up", "dynamodb", env=env)

    assert result.returncode == 1
    assert f"port {env['LONGRUN_DYNAMODB_PORT']}" in result.stderr
    assert f"pid {os.getpid()}" in result.stderr
    assert "LONGRUN_DYNAMODB_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_maven_is_one_line(private_stack_env, tmp_path):
    env = {
        **private_stack_env,
        # An empty Maven repository and a PATH without mvn: the jar cannot be found or fetched.
        "MAVEN_REPO_LOCAL": str(tmp_path / "empty-m2"),
        "PATH": os.path.dirname(shutil.which("python3") or sys.executable),
    }
    result = stack_cli("up", "conductor", env=env)

    assert result.returncode == 1
    assert "install it: apt-get install maven" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
