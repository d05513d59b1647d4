"""The long-lived worker process: one child process per task type, supervised by the parent.

The SDK's TaskHandler (conductor-python 2.0.0) is not used because its stop loses tasks in
flight. It sends SIGTERM to each worker process, whose default action ends the process at once,
and SIGKILL after 5 s. Conductor then re-queues those tasks only after their response timeout.
Here each child handles SIGTERM itself (see ``workers.child``), and the parent waits up to
``stop_grace_s`` for the children.

Stop sequence: SIGTERM or SIGINT reaches the parent, which sends SIGTERM to every child. A child
stops polling, lets its running tasks finish and report their results, then exits 0. The parent
exits 0 when every child exited 0 within the grace period. It kills the children still running
after it, and then exits 1.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from workers import aws, config
from workers.config import Settings, SettingsError
from workers.logs import setup_logging
from workers.server import Health, StatusServer

log = logging.getLogger("workers.runner")

RESTART_BACKOFF_MAX_S = 60.0


@dataclass
class WorkerProcess:
    task_name: str
    # Unix time of the child's last successful poll or finished task, shared with the child; 0.0 until
    # the child's first poll.
    last_activity: Any
    # Set by the child once its SIGTERM handler is installed. Before that, SIGTERM would kill it outright.
    handles_stop: Any = None
    process: Optional[multiprocessing.process.BaseProcess] = None
    restarts: int = 0
    next_start_at: float = 0.0
    started_at: float = field(default_factory=time.time)


class Supervisor:
    """Start, watch and stop the worker processes, and serve /metrics and /health."""

    def __init__(self, settings: Settings, task_names: tuple[str, ...]) -> None:
        self.settings = settings
        self.context = multiprocessing.get_context("spawn")
        self.workers = [WorkerProcess(name, self.context.Value("d", 0.0, lock=False)) for name in task_names]
        self.stop_event = threading.Event()
        # metrics_base is what the SDK's MetricsSettings gets; metrics_dir is where the files go
        # (metrics_base itself, or its "canonical" subdirectory).
        self.metrics_base: Optional[Path] = None
        self.metrics_dir: Optional[Path] = None
        self._owns_metrics_dir = False
        self.server: Optional[StatusServer] = None

    # -- lifecycle -----------------------------------------------------------------------------

    def run(self) -> int:
        # Bind the port before creating anything, so that a taken port leaves nothing behind.
        self.server = StatusServer(
            self.settings.metrics_host, self.settings.metrics_port, self._registry, self.health,
        )
        self._prepare_metrics_dir()
        self.server.start()
        log.info(
            "serving /metrics and /health on http://%s:%d (metrics %s)",
            self.settings.metrics_host, self.server.port, "on" if self.settings.metrics_enabled else "off",
        )
        for worker in self.workers:
            self._start(worker)

        while not self.stop_event.wait(0.5):
            self._restart_exited()

        exit_code = self._stop_children()
        self.server.stop()
        self._remove_metrics_dir()
        log.info("stopped with exit code %d", exit_code)
        return exit_code

    def request_stop(self, signum: int, _frame: Any = None) -> None:
        if not self.stop_event.is_set():
            log.info("received %s: stopping polls, waiting up to %.1f s for running tasks",
                     signal.Signals(signum).name, self.settings.stop_grace_s)
        self.stop_event.set()

    def _start(self, worker: WorkerProcess) -> None:
        worker.last_activity.value = 0.0
        worker.handles_stop = self.context.Event()
        worker.started_at = time.time()
        worker.process = self.context.Process(
            target=child_main,
            args=(
                worker.task_name,
                self.settings,
                worker.last_activity,
                str(self.metrics_base or ""),
                worker.handles_stop,
            ),
            name=f"worker-{worker.task_name}",
        )
        worker.process.start()
        log.info("started worker process for %s, pid %d", worker.task_name, worker.process.pid)

    def _restart_exited(self) -> None:
        now = time.time()
        for worker in self.workers:
            process = worker.process
            if process is None or process.is_alive():
                continue
            if worker.next_start_at == 0.0:
                delay = min(2.0 ** worker.restarts, RESTART_BACKOFF_MAX_S)
                worker.next_start_at = now + delay
                log.error("worker process for %s (pid %d) exited with code %s; restarting in %.0f s",
                          worker.task_name, process.pid, process.exitcode, delay)
                self._mark_dead(process.pid)
            elif now >= worker.next_start_at:
                worker.restarts += 1
                worker.next_start_at = 0.0
                self._start(worker)

    def _stop_children(self) -> int:
        alive = [w for w in self.workers if w.process is not None and w.process.is_alive()]
        deadline = time.monotonic() + self.settings.stop_grace_s
        for worker in alive:
            # A child that is still importing has no SIGTERM handler yet. Waiting for it, within the grace
            # period, makes a stop right after start as clean as any other.
            worker.handles_stop.wait(max(0.0, deadline - time.monotonic()))
            os.kill(worker.process.pid, signal.SIGTERM)
        for worker in alive:
            worker.process.join(max(0.0, deadline - time.monotonic()))

        exit_code = 0
        for worker in alive:
            process = worker.process
            if process.is_alive():
                log.error("worker process for %s (pid %d) still running after %.1f s; killing it, "
                          "its running tasks will be retried after their response timeout",
                          worker.task_name, process.pid, self.settings.stop_grace_s)
                process.kill()
                process.join(5.0)
                exit_code = 1
            elif process.exitcode != 0:
                log.error("worker process for %s (pid %d) exited with code %s",
                          worker.task_name, process.pid, process.exitcode)
                exit_code = 1
        return exit_code

    # -- health and metrics --------------------------------------------------------------------

    def health(self) -> Health:
        now = time.time()
        problems = []
        report = []
        for worker in self.workers:
            process = worker.process
            alive = process is not None and process.is_alive()
            idle_s = round(now - worker.last_activity.value, 3)
            report.append({"taskType": worker.task_name, "pid": getattr(process, "pid", None),
                           "alive": alive, "secondsSinceLastPoll": idle_s, "restarts": worker.restarts})
            if not alive:
                problems.append(f"worker process for {worker.task_name} is not running")
            elif worker.last_activity.value == 0.0:
                problems.append(f"worker for {worker.task_name} has not polled Conductor yet")
            elif idle_s > self.settings.health_max_poll_age_s:
                problems.append(f"worker for {worker.task_name} has not polled for {idle_s:.0f} s "
                                f"(limit {self.settings.health_max_poll_age_s:g} s); is Conductor reachable?")
        if self.stop_event.is_set():
            problems.append("stopping")
        body = {"status": "ok" if not problems else "unhealthy", "problems": problems, "workers": report}
        return Health(healthy=not problems, body=body)

    def _registry(self):
        if not self.settings.metrics_enabled:
            return None
        from prometheus_client import CollectorRegistry
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(self.metrics_dir))
        registry.register(_SupervisorCollector(self))
        return registry

    def _prepare_metrics_dir(self) -> None:
        if not self.settings.metrics_enabled:
            os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
            return
        # With this set to true, the SDK records histograms with _seconds names, in a "canonical"
        # subdirectory. The workers choose that metric set unless the caller chose one.
        os.environ.setdefault("WORKER_CANONICAL_METRICS", "true")
        from conductor.client.configuration.settings.metrics_settings import MetricsSettings

        if self.settings.metrics_dir:
            base = Path(self.settings.metrics_dir)
            base.mkdir(parents=True, exist_ok=True)
        else:
            base = Path(tempfile.mkdtemp(prefix="longrun-metrics-"))
            self._owns_metrics_dir = True
        self.metrics_dir = Path(MetricsSettings(directory=str(base)).metrics_directory)
        self.metrics_dir.mkdir(parents=True, exist_ok=True)
        # Files of an earlier run would add their counts to this run's.
        for stale in self.metrics_dir.glob("*.db"):
            stale.unlink()
        # Children inherit this, so prometheus_client in each child writes its samples here.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(self.metrics_dir)
        self.metrics_base = base

    def _remove_metrics_dir(self) -> None:
        if self._owns_metrics_dir and self.metrics_dir is not None:
            shutil.rmtree(self.metrics_base, ignore_errors=True)

    def _mark_dead(self, pid: int) -> None:
        if self.metrics_dir is None:
            return
        from prometheus_client import multiprocess

        # Drops the dead process's in-flight gauge samples (livesum); its counters stay counted.
        multiprocess.mark_process_dead(pid, str(self.metrics_dir))


class _SupervisorCollector:
    """Samples the parent owns: whether each worker process runs, and how often it restarted."""

    def __init__(self, supervisor: Supervisor) -> None:
        self.supervisor = supervisor

    def collect(self):
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        up = GaugeMetricFamily("longrun_worker_up", "1 while the worker process of a task type runs, else 0.",
                               labels=["task_type"])
        restarts = CounterMetricFamily("longrun_worker_restarts", "Restarts of a task type's worker process.",
                                       labels=["task_type"])
        for worker in self.supervisor.workers:
            alive = worker.process is not None and worker.process.is_alive()
            up.add_metric([worker.task_name], 1.0 if alive else 0.0)
            restarts.add_metric([worker.task_name], worker.restarts)
        yield up
        yield restarts


def child_main(task_name: str, settings: Settings, last_activity: Any, metrics_base: str, handles_stop: Any) -> None:
    """Poll and execute one task type until SIGTERM, then finish the running tasks and return."""
    from workers import child

    child.run(task_name, settings, last_activity, metrics_base, handles_stop)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workers",
        description=(
            "Run the lambda_invoke_async and lambda_check_status workers until SIGTERM or SIGINT. "
            "Each flag overrides its environment variable. Conductor is reached through "
            "CONDUCTOR_SERVER_URL (default http://localhost:8080/api), CONDUCTOR_AUTH_KEY and "
            "CONDUCTOR_AUTH_SECRET; AWS through boto3's variables (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, "
            "AWS_ENDPOINT_URL_LAMBDA)."
        ),
    )
    config.add_arguments(parser)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = config.load(os.environ, vars(args))
    except SettingsError as error:
        parser.error(str(error))
    if aws.region() is None:
        parser.error("no AWS region is set; set AWS_REGION (or AWS_DEFAULT_REGION) to the region of the table")
    setup_logging(settings.log_level)

    from workers.tasks import TASK_NAMES

    supervisor = Supervisor(settings, TASK_NAMES)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    signal.signal(signal.SIGINT, supervisor.request_stop)
    try:
        return supervisor.run()
    except OSError as error:
        if supervisor.server is not None:
            raise
        parser.error(
            f"cannot serve /metrics and /health on {settings.metrics_host}:{settings.metrics_port} ({error.strerror}); "
            "stop the process holding the port, or choose another with LONGRUN_METRICS_PORT or --metrics-port"
        )
