"""The Conductor task functions: TaskResult status and reason for each kind of outcome."""

from __future__ import annotations

import pytest
from conductor.client.http.models.task import Task
from conductor.client.http.models.task_result_status import TaskResultStatus

from workers.tasks import CHECK_TASK, INVOKE_TASK, check_job, invoke_job, run_task

from .conftest import FailingFirst, client_error

BAD_REQUEST_IDS = [
    pytest.param({}, "missing", id="missing"),
    pytest.param({"requestId": None}, "missing", id="null"),
    pytest.param({"requestId": ""}, "empty", id="empty"),
    pytest.param({"requestId": 42}, "not a string", id="number"),
    pytest.param({"requestId": ["a"]}, "not a string", id="list"),
    pytest.param({"requestId": "a" * 129}, "129 characters", id="too-long"),
    pytest.param({"requestId": "job 1"}, "not allowed", id="space"),
    pytest.param({"requestId": "job/1"}, "not allowed", id="slash"),
    pytest.param({"requestId": "jöb"}, "not allowed", id="non-ascii"),
]

BAD_KNOBS = [
    pytest.param({"durationSeconds": -1}, "durationSeconds", id="negative-duration"),
    pytest.param({"durationSeconds": "2"}, "durationSeconds", id="string-duration"),
    pytest.param({"durationSeconds": True}, "durationSeconds", id="bool-duration"),
    pytest.param({"durationSeconds": float("nan")}, "durationSeconds", id="nan-duration"),
    pytest.param({"failWith": 3}, "failWith", id="number-fail-with"),
]


def make_task(inputs):
    task = Task(task_id="t-1", workflow_instance_id="w-1", input_data=inputs)
    task.scheduled_time = 1000
    task.start_time = 1250
    return task


def run_invoke(store, inputs):
    return run_task(INVOKE_TASK, make_task(inputs), lambda data: invoke_job(store, data))


def run_check(store, inputs):
    return run_task(CHECK_TASK, make_task(inputs), lambda data: check_job(store, data))


def test_invoke_completes(store):
    result = run_invoke(store, {"requestId": "job-1"})

    assert result.status == TaskResultStatus.COMPLETED
    assert result.output_data["submitted"] is True
    assert result.task_id == "t-1"


@pytest.mark.parametrize("inputs, expected", BAD_REQUEST_IDS)
def test_invoke_bad_request_id_is_terminal(store, lambda_client, inputs, expected):
    result = run_invoke(store, inputs)

    assert result.status == TaskResultStatus.FAILED_WITH_TERMINAL_ERROR
    assert "requestId" in result.reason_for_incompletion
    assert expected in result.reason_for_incompletion
    assert lambda_client.calls == []


@pytest.mark.parametrize("inputs, field", BAD_KNOBS)
def test_invoke_bad_option_is_terminal(store, lambda_client, inputs, field):
    result = run_invoke(store, {"requestId": "job-1", **inputs})

    assert result.status == TaskResultStatus.FAILED_WITH_TERMINAL_ERROR
    assert field in result.reason_for_incompletion
    assert lambda_client.calls == []


@pytest.mark.parametrize("inputs, expected", BAD_REQUEST_IDS)
def test_check_bad_request_id_is_terminal(store, inputs, expected):
    result = run_check(store, inputs)

    assert result.status == TaskResultStatus.FAILED_WITH_TERMINAL_ERROR
    assert expected in result.reason_for_incompletion


def test_request_id_at_limit_is_accepted(store):
    result = run_invoke(store, {"requestId": "Az09._:-" * 16})

    assert result.status == TaskResultStatus.COMPLETED


def test_exhausted_retries_fail_retryable(make_store, dynamodb, sleeps):
    throttled = FailingFirst(dynamodb, "put_item", [client_error("ThrottlingException")] * 3)

    result = run_invoke(make_store(dynamodb_client=throttled, max_attempts=3), {"requestId": "job-1"})

    assert result.status == TaskResultStatus.FAILED
    assert result.reason_for_incompletion.startswith("ThrottlingException")
    assert result.output_data["errorCode"] == "ThrottlingException"
    assert len(sleeps.delays) == 2


def test_access_denied_is_terminal(make_store, dynamodb):
    denied = FailingFirst(dynamodb, "put_item", [client_error("AccessDeniedException")])

    result = run_invoke(make_store(dynamodb_client=denied), {"requestId": "job-1"})

    assert result.status == TaskResultStatus.FAILED_WITH_TERMINAL_ERROR
    assert result.reason_for_incompletion.startswith("AccessDeniedException")
    assert "credentials" in result.reason_for_incompletion


def test_missing_function_is_terminal(make_store, lambda_client):
    missing = FailingFirst(lambda_client, "invoke", [client_error("ResourceNotFoundException", 404, "Invoke")])

    result = run_invoke(make_store(lambda_stub=missing), {"requestId": "job-1"})

    assert result.status == TaskResultStatus.FAILED_WITH_TERMINAL_ERROR
    assert "lambda.Invoke" in result.reason_for_incompletion


def test_check_missing_job_is_terminal(store):
    result = run_check(store, {"requestId": "job-1"})

    assert result.status == TaskResultStatus.FAILED_WITH_TERMINAL_ERROR
    assert "no job item for requestId job-1" in result.reason_for_incompletion


def test_check_after_submit_reports_submitted(store):
    run_invoke(store, {"requestId": "job-1"})

    result = run_check(store, {"requestId": "job-1"})

    assert result.status == TaskResultStatus.COMPLETED
    assert result.output_data["status"] == "SUBMITTED"
    assert result.output_data["terminal"] is False


def test_unexpected_error_propagates(store):
    def broken(_inputs):
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run_task(INVOKE_TASK, make_task({"requestId": "job-1"}), broken)


def test_sdk_worker_passes_whole_task(store, monkeypatch):
    from conductor.client.worker.worker import Worker

    from workers import tasks

    monkeypatch.setattr(tasks, "_store", store)
    worker = Worker(task_definition_name=INVOKE_TASK, execute_function=tasks.lambda_invoke_async)

    result = worker.execute(make_task({"requestId": "job-1"}))

    assert result.status == TaskResultStatus.COMPLETED
    assert result.output_data["requestId"] == "job-1"
