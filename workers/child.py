"""One worker process: polls one task type with the SDK's TaskRunner and stops gracefully on SIGTERM.

The poll loop is ours (``TaskRunner.run_once`` until the stop flag is set) so that a stop happens
between two loop passes, when every polled task has been handed to the thread pool. Draining
then relies on two private attributes of conductor-python 2.0.0's TaskRunner, both checked below:

- ``_use_update_v2``: the v2 update call returns the next task of the queue, which the runner
  executes at once without polling. Setting it to False makes the runner report results with the
  v1 call and poll for the next task, and a paused worker's poll returns nothing.
- ``_executor``: its ``shutdown(wait=True)`` waits for the running tasks. The SDK's own cleanup
  passes ``cancel_futures=True``, which would drop a task that was polled but not yet started.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from typing import Any

from workers import tasks
from workers.config import Settings

log = logging.getLogger("workers.child")

EXECUTE_FUNCTIONS = {
    tasks.INVOKE_TASK: tasks.lambda_invoke_async,
    tasks.CHECK_TASK: tasks.lambda_check_status,
}


class ActivityListener:
    """SDK event listener: counts polls and records the time of the last sign of life."""

    def __init__(self, last_activity: Any) -> None:
        self.last_activity = last_activity

    def on_poll_completed(self, event: Any) -> None:
        from workers import metrics

        metrics.record_poll(event.task_type, True)
        self.last_activity.value = time.time()

    def on_poll_failure(self, event: Any) -> None:
        from workers import metrics

        metrics.record_poll(event.task_type, False)

    def on_task_execution_completed(self, _event: Any) -> None:
        # With the v2 update call a busy worker gets tasks without polling; that is activity too.
        self.last_activity.value = time.time()


def run(task_name: str, settings: Settings, last_activity: Any, metrics_base: str, handles_stop: Any) -> None:
    """Poll and execute ``task_name`` until SIGTERM, then finish the running tasks and return.

    ``metrics_base`` is the SDK's metrics directory, or empty when metrics are off. ``handles_stop`` is
    an event set once SIGTERM is handled, so that the parent does not signal this process before that.
    The loop also stops when the parent has died (SIGKILL, OOM), so that no orphan keeps taking tasks.
    """
    # Ctrl-C reaches the whole process group; the parent turns it into SIGTERM for each child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    handles_stop.set()
    parent_pid = os.getppid()

    from workers.logs import setup_logging

    setup_logging(settings.log_level)

    from conductor.client.automator.task_runner import TaskRunner
    from conductor.client.configuration.configuration import Configuration
    from conductor.client.worker.worker import Worker

    tasks.configure(settings)
    worker = Worker(
        task_definition_name=task_name,
        execute_function=EXECUTE_FUNCTIONS[task_name],
        poll_interval=settings.poll_interval_ms,
        domain=settings.domain,
        thread_count=settings.thread_count,
    )
    metrics_settings = None
    if settings.metrics_enabled and metrics_base:
        from conductor.client.configuration.settings.metrics_settings import MetricsSettings

        # Resolves to the PROMETHEUS_MULTIPROC_DIR that the parent set and this process inherited.
        metrics_settings = MetricsSettings(directory=metrics_base)
    runner = TaskRunner(worker, Configuration(), metrics_settings, [ActivityListener(last_activity)])
    log.info("polling %s: every %d ms at most, %d threads, domain %s",
             task_name, settings.poll_interval_ms, settings.thread_count, settings.domain or "(none)")

    with runner:  # leaving the block runs the SDK's cleanup: closes the HTTP client
        while not stop.is_set():
            runner.run_once()
            if os.getppid() != parent_pid:
                log.error("the parent worker process (pid %d) has exited; stopping %s", parent_pid, task_name)
                stop.set()
        _drain(runner, worker, task_name)
    log.info("stopped %s", task_name)


def _drain(runner: Any, worker: Any, task_name: str) -> None:
    started = time.monotonic()
    worker.paused = True
    if hasattr(runner, "_use_update_v2"):
        runner._use_update_v2 = False
    else:
        log.warning("TaskRunner has no _use_update_v2 (SDK changed?); a stop may leave one task unexecuted")
    executor = getattr(runner, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=True)
    else:
        log.warning("TaskRunner has no _executor (SDK changed?); running tasks may be cancelled")
    runner.stop()
    log.info("%s: running tasks finished %.0f ms after the stop request",
             task_name, (time.monotonic() - started) * 1000)

