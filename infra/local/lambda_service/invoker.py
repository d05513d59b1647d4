"""Synchronous invocations and the asynchronous event queue with Lambda's retry policy."""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from dataclasses import dataclass

from .environment import EnvironmentPool, Outcome
from .settings import ServiceSettings

log = logging.getLogger("longrun.lambda_service")


def job_request_id(event: object) -> str | None:
    """Return the payload's requestId for log lines, when it has one."""
    if isinstance(event, dict) and isinstance(event.get("requestId"), str):
        return event["requestId"]
    return None


def _describe(outcome: Outcome) -> str:
    if outcome.timed_out:
        return "timed out"
    if outcome.failed:
        return f"failed {outcome.error_type}: {outcome.error_message}"
    return "succeeded"


class Invoker:
    """Runs one invocation in a warm or new execution environment and logs its outcome."""

    def __init__(self, settings: ServiceSettings, pool: EnvironmentPool) -> None:
        self._settings = settings
        self._pool = pool

    def invoke(self, event: object, invocation_type: str, aws_request_id: str) -> Outcome:
        started = time.monotonic()
        environment = self._pool.acquire()
        try:
            outcome = environment.invoke(event, aws_request_id, self._settings.timeout_s)
        finally:
            self._pool.release(environment)
        level = logging.WARNING if outcome.failed else logging.INFO
        log.log(
            level,
            "invocation function=%s type=%s requestId=%s awsRequestId=%s duration_ms=%d outcome=%s",
            self._settings.function_name, invocation_type, job_request_id(event), aws_request_id,
            (time.monotonic() - started) * 1000, _describe(outcome),
        )
        return outcome


@dataclass
class QueuedEvent:
    event: object
    aws_request_id: str
    retries_done: int = 0


_STOP = object()


class AsyncDispatcher:
    """Runs queued events on a fixed number of worker threads, retrying failures after the set delays.

    NOTE: the queue lives in memory only, so events still queued or waiting for a retry when the
    service stops are lost. AWS keeps them for up to 6 hours.
    """

    def __init__(self, settings: ServiceSettings, invoker: Invoker) -> None:
        self._settings = settings
        self._invoker = invoker
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._retry_timers: set[threading.Timer] = set()
        self._stopping = False
        self._workers = [
            threading.Thread(target=self._work, name=f"async-invoke-{index}", daemon=True)
            for index in range(settings.async_concurrency)
        ]

    def start(self) -> None:
        for worker in self._workers:
            worker.start()

    @property
    def depth(self) -> int:
        """Events waiting to run, including those waiting for a retry."""
        with self._lock:
            return self._queue.qsize() + len(self._retry_timers)

    def submit(self, event: object) -> str:
        """Queue ``event``; return the invocation's request id."""
        aws_request_id = str(uuid.uuid4())
        self._queue.put(QueuedEvent(event=event, aws_request_id=aws_request_id))
        return aws_request_id

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            outcome = self._invoker.invoke(item.event, "Event", item.aws_request_id)
            if outcome.failed:
                self._retry_or_drop(item, outcome)

    def _retry_or_drop(self, item: QueuedEvent, outcome: Outcome) -> None:
        name = self._settings.function_name
        request_id = job_request_id(item.event)
        if self._stopping:
            log.warning("not retrying event function=%s requestId=%s: the service is stopping", name, request_id)
            return
        delays = self._settings.retry_delays_s
        if item.retries_done >= len(delays):
            log.error(
                "dropped event function=%s requestId=%s awsRequestId=%s after %d retries; last error %s: %s",
                name, request_id, item.aws_request_id, item.retries_done, outcome.error_type, outcome.error_message,
            )
            return

        delay_s = delays[item.retries_done]
        item.retries_done += 1
        log.info(
            "retrying event function=%s requestId=%s awsRequestId=%s in %.1f s (retry %d of %d) after %s",
            name, request_id, item.aws_request_id, delay_s, item.retries_done, len(delays), outcome.error_type,
        )
        timer = threading.Timer(delay_s, lambda: self._requeue(item, timer))
        timer.daemon = True
        with self._lock:
            self._retry_timers.add(timer)
        timer.start()

    def _requeue(self, item: QueuedEvent, timer: threading.Timer) -> None:
        with self._lock:
            self._retry_timers.discard(timer)
            if not self._stopping:
                self._queue.put(item)

    def stop(self) -> int:
        """Stop taking events; return how many queued or retry-waiting events are dropped."""
        with self._lock:
            self._stopping = True
            for timer in self._retry_timers:
                timer.cancel()
            dropped = len(self._retry_timers)
            self._retry_timers.clear()
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not _STOP:
                dropped += 1
        for _ in self._workers:
            self._queue.put(_STOP)
        return dropped
