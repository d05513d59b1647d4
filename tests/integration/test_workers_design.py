"""The workers design end to end on the local stack: real Conductor, real workers, the Lambda service."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from workflows.follow import follow
from workflows.start import JobRequest, StartError, start

from .conftest import REPO_ROOT, wait_for

pytestmark = pytest.mark.integration

DESIGN = "workers"


def check_tasks(workflow: dict) -> list[dict]:
    return [task for task in workflow["tasks"] if task["taskType"] == "lambda_check_status"]


def test_job_completes(start_workers, run_job, jobs_table):
    start_workers()

    workflow = run_job(DESIGN, duration_s=1)

    assert workflow["status"] == "COMPLETED"
    assert workflow["output"]["status"] == "COMPLETED"
    item = jobs_table.get_item(Key={"requestId": workflow["input"]["requestId"]}, ConsistentRead=True)["Item"]
    assert item["status"] == "COMPLETED"
    assert workflow["endTime"] >= item["completedAt"]


def test_job_failure_fails_workflow(start_workers, run_job):
    start_workers()

    workflow = run_job(DESIGN, duration_s=0.5, fail_with="disk full on volume 3")

    assert workflow["status"] == "FAILED"
    assert "disk full on volume 3" in workflow["reasonForIncompletion"]
    assert workflow["output"]["error"] == "disk full on volume 3"


def test_job_outliving_cap_fails_workflow(start_workers, run_job):
    start_workers()

    workflow = run_job(DESIGN, duration_s=8, max_polls=2)

    assert workflow["status"] == "FAILED"
    assert "did not finish within 2 polls" in workflow["reasonForIncompletion"]
    assert len(check_tasks(workflow)) == 2


def test_no_wait_after_job_ended(start_workers, run_job):
    start_workers()

    workflow = run_job(DESIGN, duration_s=0)

    waits = [task for task in workflow["tasks"] if task["taskType"] == "WAIT"]
    checks = check_tasks(workflow)
    assert checks[-1]["outputData"]["terminal"] is True
    assert len(waits) == len(checks) - 1


def test_wait_spaces_checks(start_workers, run_job):
    start_workers()

    workflow = run_job(DESIGN, duration_s=2.5, polling_interval_s=1)

    starts = sorted(task["startTime"] for task in check_tasks(workflow))
    gaps_s = [(later - earlier) / 1000 for earlier, later in zip(starts, starts[1:])]
    assert len(gaps_s) >= 2
    assert min(gaps_s) >= 1.0
    # A WAIT of 1 s plus a task round trip: well under two intervals unless the loop is broken.
    assert max(gaps_s) < 2.5


def test_keep_last_n_bounds_execution(start_workers, run_job):
    start_workers()

    workflow = run_job(DESIGN, duration_s=6, polling_interval_s=1, timeout_s=90)

    assert workflow["status"] == "COMPLETED"
    assert workflow["output"]["polls"] >= 6
    iterations = {task["iteration"] for task in check_tasks(workflow)}
    assert len(iterations) <= 3


def test_sigkill_mid_run_then_restart(start_workers, conductor, task_domain, jobs_table):
    first = start_workers()
    job = JobRequest(request_id=f"it-kill-{uuid.uuid4().hex[:12]}", polling_interval_s=1, duration_s=4)
    workflow_id = start(conductor, DESIGN, job, task_domain=task_domain)

    # Kill while the loop waits between checks: the job is running and no task is in flight. A task in
    # flight at the kill is recovered by Conductor only after its responseTimeoutSeconds (30 s) and
    # the server's next sweep, which is too slow for this suite.
    wait_for(
        lambda: any(task["taskType"] == "WAIT" and task["status"] == "IN_PROGRESS" for task in conductor.workflow(workflow_id)["tasks"]),
        timeout_s=30,
        interval_s=0.05,
        message="the loop to wait between checks",
    )
    first.kill_group()

    start_workers()
    workflow = follow(conductor, workflow_id, lambda line: None, timeout_s=90)

    assert workflow["status"] == "COMPLETED"
    item = jobs_table.get_item(Key={"requestId": job.request_id}, ConsistentRead=True)["Item"]
    assert item["status"] == "COMPLETED"
    # attempt counts the deliveries that started work: one means the Lambda ran exactly once.
    assert item["attempt"] == 1


def test_sigterm_stops_gracefully(start_workers):
    workers = start_workers()

    workers.send(signal.SIGTERM)

    assert workers.process.wait(timeout=30) == 0
    assert "stopped" in workers.log()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workflows", *args], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120
    )


def test_start_refuses_running_request_id(conductor, task_domain):
    request_id = f"it-dup-{uuid.uuid4().hex[:12]}"
    # No workers poll this domain, so the first workflow stays RUNNING at its submit task.
    first_id = start(conductor, DESIGN, JobRequest(request_id=request_id), task_domain=task_domain)

    result = run_cli("start", "--design", DESIGN, "--request-id", request_id)

    conductor.terminate_workflow(first_id, "test finished")
    assert result.returncode == 2
    assert first_id in result.stderr
    assert "already being processed" in result.stderr


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (("--request-id", "has spaces/and slashes"), "requestId"),
        (("--request-id", "x" * 129), "requestId"),
        (("--request-id", "ok-id", "--duration", "nan"), "--duration"),
        (("--request-id", "ok-id", "--duration", "-1"), "--duration"),
        (("--request-id", "ok-id", "--fail-with", " "), "--fail-with"),
        (("--request-id", "ok-id", "--max-polls", "0"), "--max-polls"),
    ],
    ids=["bad-characters", "too-long", "nan-duration", "negative-duration", "empty-error", "zero-polls"],
)
def test_start_rejects_bad_input(conductor, options, named):
    result = run_cli("start", "--design", DESIGN, *options)

    assert result.returncode == 2
    assert named in result.stderr
    assert "started" not in result.stdout


@pytest.mark.parametrize(
    ("knobs", "exit_code"),
    [(("--duration", "0.5"), 0), (("--fail-with", "quota exceeded"), 1)],
    ids=["completed", "failed"],
)
def test_start_exit_code_follows_workflow(start_workers, task_domain, knobs, exit_code):
    start_workers()
    request_id = f"it-cli-{uuid.uuid4().hex[:12]}"

    result = run_cli(
        "start", "--design", DESIGN, "--request-id", request_id, "--interval", "1", "--task-domain", task_domain, *knobs
    )

    assert result.returncode == exit_code, result.stderr
    assert re.search(r"check__\d+ COMPLETED: job (COMPLETED|FAILED)", result.stdout), result.stdout


def test_concurrent_starts_keep_one(conductor, task_domain):
    request_id = f"it-race-{uuid.uuid4().hex[:12]}"
    barrier = threading.Barrier(4)

    def start_one() -> str | Exception:
        barrier.wait()
        try:
            return start(conductor, DESIGN, JobRequest(request_id=request_id), task_domain=task_domain)
        except StartError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda _: start_one(), range(4)))
    started = [outcome for outcome in outcomes if isinstance(outcome, str)]
    running = conductor.running_workflows("long_running_api_workers", request_id)
    for workflow in running:
        conductor.terminate_workflow(workflow["workflowId"], "test finished")

    assert len(started) == 1
    assert [workflow["workflowId"] for workflow in running] == started
