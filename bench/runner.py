"""Drive the jobs through the designs: interleaved starts, a fixed number in flight per design, Ctrl-C handling.

Fairness: every design gets the same durations (job i works as long in each design), and when several
designs have a free slot the starts alternate between them, so both run side by side on the same machine.
The times measured come from Conductor (workflow start and end) and DynamoDB (completedAt), so how
often this loop looks at Conductor changes only how fast a slot is refilled, not the numbers.

Ctrl-C once: no new job starts, and the started ones get ``grace_s`` to finish. Ctrl-C again, or the end
of the grace period: the remaining workflows are terminated through Conductor's API. A third Ctrl-C
raises KeyboardInterrupt.
"""

from __future__ import annotations

import logging
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workflows.conductor import ConductorClient, ConductorError
from workflows.definitions import WORKFLOWS, workflow_def
from workflows.execution import TERMINAL_STATUSES
from workflows.start import JobRequest, StartError, start

from .config import BenchConfig

log = logging.getLogger(__name__)

SWEEP_INTERVAL_S = 0.5

Notify = Callable[[str], None]


@dataclass
class Job:
    design: str
    index: int
    request_id: str
    duration_s: float
    workflow_id: str | None = None
    started_monotonic: float | None = None
    # not_started, running, completed, failed, timed_out (by the workflow), terminated, bench_timeout, start_error
    outcome: str = "not_started"
    workflow: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class RunOutcome:
    jobs: list[Job]
    interruption: str | None
    wall_started_ms: int
    wall_ended_ms: int
    # True when Ctrl-C stopped the run, False when it ran out of jobs or stopped for another reason.
    by_user: bool = False
    partial: bool = field(init=False)

    def __post_init__(self) -> None:
        self.partial = self.interruption is not None or any(job.outcome == "not_started" for job in self.jobs)


class Runner:
    def __init__(
        self,
        client: ConductorClient,
        config: BenchConfig,
        jobs: list[Job],
        *,
        task_domain: str | None,
        notify: Notify,
        on_finished: Callable[[Job], None],
        health: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.client = client
        self.config = config
        self.jobs = jobs
        self.task_domain = task_domain
        self.notify = notify
        self.on_finished = on_finished
        self.health = health
        self.pending = {design: deque(job for job in jobs if job.design == design) for design in config.designs}
        self.in_flight: dict[str, Job] = {}
        self.interrupts = 0
        self.stopping_reason: str | None = None
        self.stop_deadline: float | None = None
        self._next_design = 0
        self._running_list_works = True

    # -- signals ----------------------------------------------------------------------------------

    def _on_sigint(self, _signum: int, _frame: Any) -> None:
        self.interrupts += 1
        if self.interrupts >= 2:
            # A third Ctrl-C gets Python's default behaviour.
            signal.signal(signal.SIGINT, signal.default_int_handler)

    def _stop_starting(self, reason: str, grace_s: float) -> None:
        if self.stopping_reason is None:
            self.stopping_reason = reason
            self.stop_deadline = time.monotonic() + grace_s
            self.notify(
                f"{reason}: no new jobs; waiting up to {grace_s:g} s for the {len(self.in_flight)} started "
                "(Ctrl-C again to terminate them now)"
            )

    # -- main loop --------------------------------------------------------------------------------

    def run(self) -> RunOutcome:
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        wall_started_ms = int(time.time() * 1000)
        try:
            self._loop()
        finally:
            signal.signal(signal.SIGINT, previous)
        return RunOutcome(self.jobs, self.stopping_reason, wall_started_ms, int(time.time() * 1000), by_user=self.interrupts > 0)

    def _loop(self) -> None:
        while True:
            self._watch()
            if self.stopping_reason is None:
                self._fill_slots()
            if not self.in_flight and (self.stopping_reason is not None or not any(self.pending.values())):
                return
            if self.interrupts >= 2 or (self.stop_deadline is not None and time.monotonic() >= self.stop_deadline):
                self._terminate_all("benchmark interrupted" if self.interrupts >= 2 else "grace period after the interruption ended")
                return
            self._sweep()
            time.sleep(SWEEP_INTERVAL_S)

    def _watch(self) -> None:
        if self.interrupts >= 1:
            self._stop_starting("interrupted (Ctrl-C)", self.config.grace_s)
            return
        if self.stopping_reason is None:
            problem = self.health()
            if problem is not None:
                self._stop_starting(problem, self.config.grace_s)

    # -- starting ---------------------------------------------------------------------------------

    def _fill_slots(self) -> None:
        """Start jobs until every design has ``concurrency`` in flight, alternating between designs."""
        designs = self.config.designs
        while True:
            started_any = False
            for offset in range(len(designs)):
                design = designs[(self._next_design + offset) % len(designs)]
                if self.interrupts or not self.pending[design] or self._count(design) >= self.config.concurrency:
                    continue
                self._start(self.pending[design].popleft())
                self._next_design = (designs.index(design) + 1) % len(designs)
                started_any = True
                break
            if not started_any or self.interrupts:
                return

    def _count(self, design: str) -> int:
        return sum(1 for job in self.in_flight.values() if job.design == design)

    def _start(self, job: Job) -> None:
        request = JobRequest(request_id=job.request_id, polling_interval_s=self.config.interval_s, duration_s=job.duration_s)
        domain = self.task_domain if job.design == "workers" else None
        try:
            job.workflow_id = start(self.client, job.design, request, task_domain=domain)
        except (StartError, ConductorError) as exc:
            log.error("start of requestId %s (%s) failed: %s", job.request_id, job.design, exc)
            job.outcome = "start_error"
            job.error = str(exc)
            self.on_finished(job)
            return
        job.started_monotonic = time.monotonic()
        job.outcome = "running"
        self.in_flight[job.workflow_id] = job

    # -- watching ---------------------------------------------------------------------------------

    def _running_ids(self, design: str) -> set[str] | None:
        """Return the ids of the design's running workflows in one call, or None to look at each workflow."""
        if not self._running_list_works:
            return None
        definition = workflow_def(design)
        try:
            ids = self.client.call("GET", f"/workflow/running/{WORKFLOWS[design]}", query={"version": definition["version"]})
        except ConductorError as exc:
            log.warning("listing running workflows failed (%s); looking at each workflow instead", exc)
            self._running_list_works = False
            return None
        return set(ids or [])

    def _sweep(self) -> None:
        running = {design: self._running_ids(design) for design in {job.design for job in self.in_flight.values()}}
        now = time.monotonic()
        for workflow_id, job in list(self.in_flight.items()):
            overdue = now - (job.started_monotonic or now) > self.config.job_timeout_s
            listed = running.get(job.design)
            if listed is not None and workflow_id in listed and not overdue:
                continue
            try:
                workflow = self.client.workflow(workflow_id, include_tasks=True)
            except ConductorError as exc:
                log.warning("reading workflow %s (requestId %s) failed: %s", workflow_id, job.request_id, exc)
                continue
            if workflow["status"] in TERMINAL_STATUSES:
                self._finish(job, workflow, workflow["status"].lower())
            elif overdue:
                self._terminate(job, f"ran longer than --job-timeout-s {self.config.job_timeout_s:g}", "bench_timeout")

    def _finish(self, job: Job, workflow: dict[str, Any], outcome: str) -> None:
        job.workflow = workflow
        job.outcome = outcome
        self.in_flight.pop(job.workflow_id or "", None)
        self.on_finished(job)

    def _terminate(self, job: Job, reason: str, outcome: str) -> None:
        try:
            self.client.terminate_workflow(job.workflow_id, f"longrun benchmark: {reason}")
        except ConductorError as exc:
            log.warning("terminating workflow %s (requestId %s) failed: %s", job.workflow_id, job.request_id, exc)
        try:
            workflow = self.client.workflow(job.workflow_id, include_tasks=True)
        except ConductorError:
            workflow = None
        # A workflow that ended on its own just before the terminate keeps its own outcome.
        if workflow is not None and workflow["status"] in ("COMPLETED", "FAILED", "TIMED_OUT"):
            outcome = workflow["status"].lower()
        job.error = reason
        if workflow is None:
            self._drop(job, outcome)
        else:
            self._finish(job, workflow, outcome)

    def _drop(self, job: Job, outcome: str) -> None:
        job.outcome = outcome
        self.in_flight.pop(job.workflow_id or "", None)
        self.on_finished(job)

    def _terminate_all(self, reason: str) -> None:
        if self.in_flight:
            self.notify(f"{reason}: terminating {len(self.in_flight)} running workflows")
        for job in list(self.in_flight.values()):
            self._terminate(job, reason, "terminated")
