"""The scheduler: interleaved starts, the per-design cap, and the job list shared by the designs."""

from __future__ import annotations

import itertools
from pathlib import Path

from bench.benchmark import make_jobs
from bench.config import parse
from bench.runner import Job, Runner


class RecordingConductor:
    """Conductor stand-in that records starts and keeps every workflow running."""

    def __init__(self) -> None:
        self.started: list[tuple[str, dict, dict | None]] = []
        self._ids = itertools.count()

    def running_workflows(self, name, correlation_id):
        return []

    def start_workflow(self, name, workflow_input, correlation_id, task_to_domain=None):
        self.started.append((name, workflow_input, task_to_domain))
        return f"wf-{next(self._ids)}"


def runner_for(argv: list[str], client: RecordingConductor) -> Runner:
    config = parse([*argv, "--output-dir", str(Path("/nonexistent"))])
    return Runner(client, config, make_jobs(config, "test"), task_domain="benchdomain",
                  notify=lambda line: None, on_finished=lambda job: None)


def test_starts_alternate_designs():
    client = RecordingConductor()
    runner = runner_for(["--jobs", "3", "--concurrency", "3"], client)

    runner._fill_slots()

    names = [name for name, _, _ in client.started]
    assert names == ["long_running_api_workers", "long_running_api_http_poll"] * 3


def test_concurrency_caps_each_design():
    client = RecordingConductor()
    runner = runner_for(["--jobs", "10", "--concurrency", "4"], client)

    runner._fill_slots()

    assert runner._count("workers") == 4
    assert runner._count("http_poll") == 4
    assert len(client.started) == 8


def test_task_domain_only_for_workers():
    client = RecordingConductor()
    runner = runner_for(["--jobs", "1"], client)

    runner._fill_slots()

    domains = {name: domain for name, _, domain in client.started}
    assert domains["long_running_api_workers"] == {"lambda_invoke_async": "benchdomain", "lambda_check_status": "benchdomain"}
    assert domains["long_running_api_http_poll"] is None


def test_designs_get_same_durations():
    config = parse(["--jobs", "30", "--duration", "exp:5", "--output-dir", "/nonexistent"])
    jobs = make_jobs(config, "test")

    by_design = {design: [job.duration_s for job in jobs if job.design == design] for design in config.designs}

    assert len(by_design["workers"]) == 30
    assert by_design["workers"] == by_design["http_poll"]


def test_workflow_input_carries_interval_and_duration():
    client = RecordingConductor()
    runner = runner_for(["--jobs", "1", "--interval", "3", "--duration", "7"], client)

    runner._fill_slots()

    _, workflow_input, _ = client.started[0]
    assert workflow_input["pollingIntervalSeconds"] == 3
    assert workflow_input["durationSeconds"] == 7.0


def test_interrupt_stops_starting():
    client = RecordingConductor()
    runner = runner_for(["--jobs", "5", "--concurrency", "1"], client)
    runner._fill_slots()

    runner._on_sigint(2, None)
    runner._watch()
    runner._fill_slots()

    assert runner.stopping_reason == "interrupted (Ctrl-C)"
    assert len(client.started) == 2


def test_job_defaults_to_not_started():
    assert Job("workers", 0, "r", 1.0).outcome == "not_started"
