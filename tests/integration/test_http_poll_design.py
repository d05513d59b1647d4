"""The http_poll design end to end on the local stack: HTTP submit, server-side HTTP_POLL, no workers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

DESIGN = "http_poll"


def poll_task(workflow: dict) -> dict:
    return next(task for task in workflow["tasks"] if task["taskType"] == "HTTP_POLL")


def test_job_completes(run_job, jobs_table):
    workflow = run_job(DESIGN, duration_s=1)

    assert workflow["status"] == "COMPLETED"
    assert workflow["output"]["status"] == "COMPLETED"
    item = jobs_table.get_item(Key={"requestId": workflow["input"]["requestId"]}, ConsistentRead=True)["Item"]
    assert item["status"] == "COMPLETED"
    assert workflow["output"]["completedAt"] == item["completedAt"]


def test_job_failure_fails_workflow(run_job):
    workflow = run_job(DESIGN, duration_s=0.5, fail_with="upstream returned 503")

    assert workflow["status"] == "FAILED"
    assert "upstream returned 503" in workflow["reasonForIncompletion"]
    assert workflow["output"]["error"] == "upstream returned 503"


def test_job_outliving_cap_fails_workflow(run_job):
    workflow = run_job(DESIGN, duration_s=8, max_polls=2)

    assert workflow["status"] == "FAILED"
    assert "maxPollCount" in workflow["reasonForIncompletion"]
    assert poll_task(workflow)["outputData"]["pollCount"] == 2


def test_interval_applied_is_recorded(run_job):
    workflow = run_job(DESIGN, duration_s=0.5, polling_interval_s=1)

    assert poll_task(workflow)["outputData"]["pollingIntervalApplied"] == 1
