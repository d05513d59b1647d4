"""Per-job records and per-design figures built from Conductor executions and job items."""

from __future__ import annotations

from bench.aggregate import summarize_design, throughput_per_minute
from bench.benchmark import exit_code
from bench.prices import load_prices
from bench.records import build_record
from bench.runner import Job


def workers_workflow(polls: int, kept_iterations: int) -> dict:
    tasks = [{"taskType": "INLINE", "referenceTaskName": "settings"},
             {"taskType": "lambda_invoke_async", "referenceTaskName": "submit"},
             {"taskType": "DO_WHILE", "referenceTaskName": "poll_loop", "outputData": {"iteration": polls}}]
    for iteration in range(polls - kept_iterations + 1, polls + 1):
        tasks.append({"taskType": "lambda_check_status", "referenceTaskName": f"check__{iteration}", "iteration": iteration})
        tasks.append({"taskType": "SWITCH", "referenceTaskName": f"wait_if_running__{iteration}", "iteration": iteration})
        if iteration < polls:
            tasks.append({"taskType": "WAIT", "referenceTaskName": f"poll_interval__{iteration}", "iteration": iteration})
    tasks.append({"taskType": "SWITCH", "referenceTaskName": "finish"})
    return {
        "workflowId": "wf-1", "status": "COMPLETED", "startTime": 1_000, "endTime": 13_500,
        "input": {"requestId": "r-1"},
        "output": {"status": "COMPLETED", "completedAt": 12_000, "polls": polls},
        "tasks": tasks,
    }


ITEM = {"requestId": "r-1", "status": "COMPLETED", "attempt": 1, "createdAt": 1_050, "startedAt": 1_100,
        "completedAt": 12_000, "invokedAt": 1_120}


def record(polls: int = 6, kept_iterations: int = 3) -> dict:
    job = Job("workers", 0, "r-1", 10.0, workflow_id="wf-1", outcome="completed", workflow=workers_workflow(polls, kept_iterations))
    return build_record(job, ITEM)


def test_record_times():
    built = record()
    assert built["endToEndSeconds"] == 12.5
    assert built["detectionLagSeconds"] == 1.5
    assert built["startDelaySeconds"] == 0.1
    assert built["workSeconds"] == 10.9


def test_record_status_reads_cross_check():
    built = record()
    assert built["statusReads"] == 6
    assert built["statusReadsByTask"] == 6
    assert built["completedAtMatchesItem"] is True


def test_task_executions_count_removed_iterations():
    built = record(polls=6, kept_iterations=3)
    # settings, submit, loop, finish, 6 checks, 6 switches, 5 waits.
    assert built["taskExecutions"] == 4 + 6 + 6 + 5
    assert built["tasksInExecution"] < built["taskExecutions"]


def test_task_executions_all_kept():
    built = record(polls=2, kept_iterations=2)
    assert built["taskExecutions"] == built["tasksInExecution"]


def test_record_without_workflow():
    built = build_record(Job("http_poll", 3, "r-9", 1.0, outcome="start_error", error="refused"), None)
    assert built["outcome"] == "start_error"
    assert built["itemFound"] is False
    assert "endToEndSeconds" not in built


def test_throughput_per_minute():
    records = [{"workflowStartMs": 0, "workflowEndMs": 30_000}, {"workflowStartMs": 10_000, "workflowEndMs": 60_000}]
    assert throughput_per_minute(records) == 2.0


def test_design_figures_count_outcomes():
    failed = {**record(), "outcome": "failed"}
    figures = summarize_design("workers", [record(), failed], load_prices())
    assert figures["completed"] == 1
    assert figures["failed"] == 1
    assert figures["crossCheck"]["itemsCompletedFirstAttempt"] == 1
    assert figures["costPerThousandJobsUsd"]["total"] > 0


def results_with(partial: bool, by_user: bool, completed: int) -> dict:
    return {"partial": partial, "interruptedByUser": by_user, "designs": {"workers": {"jobs": 2, "completed": completed}}}


def test_exit_code_all_completed():
    assert exit_code(results_with(False, False, 2)) == 0


def test_exit_code_some_failed():
    assert exit_code(results_with(False, False, 1)) == 1


def test_exit_code_after_ctrl_c():
    assert exit_code(results_with(True, True, 1)) == 130


def test_exit_code_stopped_early():
    assert exit_code(results_with(True, False, 2)) == 1
