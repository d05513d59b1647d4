"""/metrics and /health served over real HTTP after a task ran."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from conductor.client.http.models.task import Task
from prometheus_client.parser import text_string_to_metric_families

from workers import metrics
from workers.server import Health, StatusServer
from workers.tasks import INVOKE_TASK, CHECK_TASK, check_job, invoke_job, run_task

REQUEST_ID = "metrics-probe-7f3a"

EXPECTED = {
    # family name: (type, label names)
    "longrun_task_executions": ("counter", {"task_type", "outcome"}),
    "longrun_task_errors": ("counter", {"task_type", "error"}),
    "longrun_task_execution_seconds": ("histogram", {"task_type", "outcome"}),
    "longrun_task_queue_wait_seconds": ("histogram", {"task_type"}),
    "longrun_tasks_in_flight": ("gauge", {"task_type"}),
    "longrun_aws_calls": ("counter", {"operation", "outcome"}),
    "longrun_aws_call_seconds": ("histogram", {"operation"}),
    "longrun_job_status_observed": ("counter", {"status", "finished"}),
}


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers.get("Content-Type"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.read().decode()


@pytest.fixture
def server():
    healthy = {"value": True}
    status_server = StatusServer(
        "127.0.0.1", 0, lambda: metrics.REGISTRY,
        lambda: Health(healthy["value"], {"status": "ok" if healthy["value"] else "unhealthy"}),
    )
    status_server.start()
    status_server.healthy = healthy
    yield status_server
    status_server.stop()


@pytest.fixture
def ran_tasks(store):
    task = Task(task_id="t-1", workflow_instance_id="w-1", input_data={"requestId": REQUEST_ID})
    task.scheduled_time, task.start_time = 1000, 1100
    run_task(INVOKE_TASK, task, lambda data: invoke_job(store, data))
    run_task(CHECK_TASK, task, lambda data: check_job(store, data))
    bad = Task(task_id="t-2", workflow_instance_id="w-1", input_data={"requestId": "bad id"})
    run_task(INVOKE_TASK, bad, lambda data: invoke_job(store, data))


def scrape(server):
    status, content_type, body = fetch(f"http://127.0.0.1:{server.port}/metrics")
    assert status == 200
    assert content_type.startswith("text/plain")
    return body, {family.name: family for family in text_string_to_metric_families(body)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metric_type_and_labels(server, ran_tasks, name):
    _body, families = scrape(server)
    kind, labels = EXPECTED[name]

    assert name in families
    assert families[name].type == kind
    sample_labels = {key for sample in families[name].samples for key in sample.labels} - {"le"}
    assert sample_labels == labels


def test_no_request_id_in_metrics(server, ran_tasks):
    body, _families = scrape(server)

    assert REQUEST_ID not in body
    assert "requestId" not in body


def test_completed_task_is_counted(server, ran_tasks):
    _body, families = scrape(server)

    samples = {
        (s.labels["task_type"], s.labels["outcome"]): s.value
        for s in families["longrun_task_executions"].samples if s.name.endswith("_total")
    }
    assert samples[(INVOKE_TASK, "completed")] >= 1
    assert samples[(INVOKE_TASK, "failed_terminal")] >= 1


def test_health_ok_is_200(server):
    status, content_type, body = fetch(f"http://127.0.0.1:{server.port}/health")

    assert status == 200
    assert content_type == "application/json"
    assert json.loads(body)["status"] == "ok"


def test_health_unhealthy_is_503(server):
    server.healthy["value"] = False

    status, _content_type, body = fetch(f"http://127.0.0.1:{server.port}/health")

    assert status == 503
    assert json.loads(body)["status"] == "unhealthy"


def test_disabled_metrics_are_404():
    status_server = StatusServer("127.0.0.1", 0, lambda: None, lambda: Health(True))
    status_server.start()
    try:
        status, _content_type, body = fetch(f"http://127.0.0.1:{status_server.port}/metrics")
    finally:
        status_server.stop()

    assert status == 404
    assert "LONGRUN_METRICS_ENABLED" in body
