"""One benchmark run: checks, the private workers, the jobs, the measurements and the result files."""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from workflows.conductor import ConductorClient

from . import aggregate, local_stack, preflight, procstat, records, report, versions
from .config import BenchConfig
from .errors import ConfigError
from .plot import plot_lag
from .prices import load_prices
from .runner import Job, RunOutcome, Runner
from .worker_process import WorkerProcess

log = logging.getLogger(__name__)


def make_jobs(config: BenchConfig, run_id: str) -> list[Job]:
    """Return the jobs of every design, job i of each design with the same drawn duration."""
    durations = config.duration.draw(config.jobs, config.seed)
    return [
        Job(design=design, index=index, request_id=f"bench-{run_id}-{design}-{index:05d}", duration_s=duration)
        for index, duration in enumerate(durations)
        for design in config.designs
    ]


class Measurements:
    """The process samplers of the run: private workers, local Conductor, local Lambda service."""

    def __init__(self) -> None:
        self.samplers: dict[str, procstat.TreeSampler] = {}
        self.queue_watcher: local_stack.QueueDepthWatcher | None = None

    def add(self, name: str, pid: int | None) -> None:
        if pid is not None:
            self.samplers[name] = procstat.TreeSampler(name, pid)

    def start(self) -> None:
        for sampler in self.samplers.values():
            sampler.start()
        if self.queue_watcher is not None:
            self.queue_watcher.start()

    def stop(self) -> dict[str, Any]:
        resources: dict[str, Any] = {}
        for name, sampler in self.samplers.items():
            usage = sampler.stop()
            resources[name] = None if usage is None else {
                "pid": sampler.root_pid, "cpuSeconds": usage.cpu_s, "peakRssBytes": usage.peak_rss_bytes, "samples": usage.samples,
            }
        resources["lambdaQueueDepthMax"] = None if self.queue_watcher is None else self.queue_watcher.stop()
        return resources


class Benchmark:
    def __init__(self, config: BenchConfig) -> None:
        self.config = config
        self.prices = load_prices(config.prices_file)
        self.stack = local_stack.load_settings()
        self.client = ConductorClient()
        self.run_id = time.strftime("%Y%m%d%H%M%S") + secrets.token_hex(2)
        # External workers poll the domain in LONGRUN_TASK_DOMAIN (none when unset); the private ones get their own.
        self.task_domain = (os.environ.get("LONGRUN_TASK_DOMAIN") or None) if config.external_workers else f"bench{self.run_id}"
        self.workers: WorkerProcess | None = None
        self.server_version: str | None = None

    def check(self) -> None:
        """Run the preflight checks; raise ConfigError before any job starts."""
        self.server_version = preflight.run_checks(self.client, self.config.designs)
        # Created only once the checks pass, so that a run refused at the start leaves no folder behind.
        output_dir = self.config.output_dir
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the results folder {output_dir} ({exc.strerror}); choose another with --output-dir"
            ) from exc

    def run(self) -> tuple[dict[str, Any], Path]:
        config = self.config
        config.output_dir.mkdir(parents=True, exist_ok=True)
        jobs = make_jobs(config, self.run_id)
        measurements = Measurements()
        try:
            if "workers" in config.designs and not config.external_workers:
                self._start_workers()
                measurements.add("workers", self.workers.pid)
            measurements.add("conductor", local_stack.local_pid(self.stack, "conductor", local_stack.conductor_url()))
            lambda_url = os.environ.get("AWS_ENDPOINT_URL_LAMBDA") or preflight.api_url()
            lambda_pid = local_stack.local_pid(self.stack, "lambda", lambda_url)
            measurements.add("lambdaService", lambda_pid)
            if lambda_pid is not None:
                measurements.queue_watcher = local_stack.QueueDepthWatcher(self.stack.lambda_url)

            environment = versions.collect(self.server_version)
            measurements.start()
            outcome = self._drive(jobs)
        finally:
            # Also on a third Ctrl-C or a failed start: the private workers run in their own session and would outlive us.
            resources = measurements.stop()
            self._stop_workers()

        results = self._results(outcome, resources, environment)
        return results, self._write(results)

    def _start_workers(self) -> None:
        metrics_dir = Path(tempfile.mkdtemp(prefix="longrun-bench-metrics-"))
        self.workers = WorkerProcess(self.task_domain, self.config.output_dir / "workers.log", metrics_dir)
        try:
            self.workers.start()
        except BaseException:
            shutil.rmtree(metrics_dir, ignore_errors=True)
            raise

    def _stop_workers(self) -> None:
        if self.workers is None:
            return
        code = self.workers.stop()
        shutil.rmtree(self.workers.metrics_dir, ignore_errors=True)
        if code not in (0, None):
            log.warning("the workers process exited with code %s; see %s", code, self.workers.log_path)

    def _workers_problem(self) -> str | None:
        if self.workers is None:
            return None
        code = self.workers.exit_code()
        return None if code is None else f"the workers process exited with code {code} (see {self.workers.log_path})"

    def _drive(self, jobs: list[Job]) -> RunOutcome:
        bar = tqdm(total=len(jobs), unit="job", desc="jobs", disable=not self.config.progress, dynamic_ncols=True)

        def finished(job: Job) -> None:
            bar.update(1)
            bar.set_postfix_str(f"in flight {len(runner.in_flight)}", refresh=False)

        runner = Runner(
            self.client, self.config, jobs,
            task_domain=self.task_domain,
            notify=lambda line: tqdm.write(line, file=sys.stderr),
            on_finished=finished,
            health=self._workers_problem,
        )
        try:
            return runner.run()
        finally:
            bar.close()

    def _results(self, outcome: RunOutcome, resources: dict[str, Any], environment: dict[str, Any]) -> dict[str, Any]:
        job_records = records.build_records(outcome.jobs, preflight.table_name())
        return {
            "startedAt": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(outcome.wall_started_ms / 1000)),
            "wallSeconds": (outcome.wall_ended_ms - outcome.wall_started_ms) / 1000,
            "partial": outcome.partial,
            "interruption": outcome.interruption,
            "interruptedByUser": outcome.by_user,
            "configuration": {
                **self.config.as_dict(),
                "runId": self.run_id,
                "taskDomain": self.task_domain,
                "conductorServerUrl": self.client.server_url,
                "apiUrl": preflight.api_url(),
                "awsEndpoints": {name: os.environ.get(name) for name in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_LAMBDA")},
                "awsRegion": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
                "tableName": preflight.table_name(),
                "functionName": preflight.function_name(),
            },
            "versions": environment,
            "prices": self.prices,
            "resources": resources,
            "designs": {design: aggregate.summarize_design(design, job_records, self.prices) for design in self.config.designs},
            "jobs": job_records,
        }

    def _write(self, results: dict[str, Any]) -> Path:
        out = self.config.output_dir
        (out / "raw.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
        (out / "report.md").write_text(report.render(results))
        title = (
            f"{self.config.jobs} jobs per design, durations {self.config.duration.describe()}, "
            f"interval {self.config.interval_s} s, concurrency {self.config.concurrency}"
            + (" (partial)" if results["partial"] else "")
        )
        plot_lag(results["jobs"], self.config.designs, self.config.interval_s, title, out / "lag.png")
        return out


def exit_code(results: dict[str, Any]) -> int:
    """Return 130 after Ctrl-C, 0 when every job completed, and 1 otherwise (failures, or stopped early)."""
    if results["interruptedByUser"]:
        return 130
    if results["partial"]:
        return 1
    return 0 if all(figures["completed"] == figures["jobs"] for figures in results["designs"].values()) else 1
