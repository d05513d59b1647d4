"""Fixtures for tests that run against the local stack (Conductor, moto as DynamoDB, the Lambda service).

The stack is brought up once per session if it is not running (`make test` starts it beforehand). Each
test's workers poll a task domain of their own, so workers started by `make demo` or by another test
never take these tests' tasks.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import requests

from infra.local import settings as stack_settings
from infra.local import stack
from workflows.conductor import ConductorClient
from workflows.follow import follow
from workflows.register import register_all
from workflows.start import JobRequest, start

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout_s: float, interval_s: float = 0.1, message: str = "condition"):
    """Return the first truthy value of ``condition()``, failing the test after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval_s)
    pytest.fail(f"timed out after {timeout_s} s waiting for {message}")


@pytest.fixture(scope="session")
def local_stack() -> stack_settings.LocalSettings:
    settings = stack_settings.load()
    stack.up(settings)
    os.environ.update(settings.client_environment())
    return settings


@pytest.fixture(scope="session")
def conductor(local_stack) -> ConductorClient:
    client = ConductorClient()
    register_all(client)
    return client


@pytest.fixture(scope="session")
def jobs_table(local_stack):
    return boto3.resource("dynamodb").Table(local_stack.table_name)


@dataclass
class WorkersProcess:
    process: subprocess.Popen
    metrics_url: str
    log_path: Path

    def send(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill_group(self) -> None:
        """SIGKILL the runner and every worker process it spawned (they share its process group)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


@pytest.fixture
def task_domain() -> str:
    return f"test{uuid.uuid4().hex[:12]}"


@pytest.fixture
def start_workers(local_stack, task_domain, tmp_path) -> Iterator:
    """Start `python -m workers` polling ``task_domain``; wait until its health check passes."""
    started: list[WorkersProcess] = []

    def _start(**extra_env: str) -> WorkersProcess:
        port = free_port()
        log_path = tmp_path / f"workers-{len(started)}.log"
        env = {
            **os.environ,
            "LONGRUN_TASK_DOMAIN": task_domain,
            "LONGRUN_METRICS_PORT": str(port),
            "LONGRUN_METRICS_DIR": str(tmp_path / f"metrics-{len(started)}"),
            "LONGRUN_STOP_GRACE_S": "10",
            **extra_env,
        }
        with open(log_path, "wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "workers"],
                env=env,
                cwd=REPO_ROOT,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        workers = WorkersProcess(process, f"http://127.0.0.1:{port}", log_path)
        started.append(workers)
        wait_for(lambda: _healthy(workers), timeout_s=30, message=f"workers health on port {port}")
        return workers

    yield _start

    for workers in started:
        workers.kill_group()


def _healthy(workers: WorkersProcess) -> bool:
    if workers.process.poll() is not None:
        pytest.fail(f"workers exited with code {workers.process.returncode}:\n{workers.log()[-3000:]}")
    try:
        return requests.get(f"{workers.metrics_url}/health", timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def run_job(conductor, task_domain):
    """Start a job through a design and follow it to its end; return the final workflow."""

    def _run(design: str, *, timeout_s: float = 60, **job_fields) -> dict:
        job_fields.setdefault("request_id", f"it-{uuid.uuid4().hex[:16]}")
        job_fields.setdefault("polling_interval_s", 1)
        job = JobRequest(**job_fields)
        workflow_id = start(conductor, design, job, task_domain=task_domain)
        return follow(conductor, workflow_id, lambda line: None, timeout_s=timeout_s)

    return _run
