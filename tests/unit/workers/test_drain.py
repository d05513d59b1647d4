"""A worker process's drain on stop: no new polls, no chained tasks, running tasks finish."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from workers.child import _drain


class FakeRunner:
    """The TaskRunner attributes that the drain uses (conductor-python 2.0.0)."""

    def __init__(self) -> None:
        self._use_update_v2 = True
        self._executor = ThreadPoolExecutor(max_workers=2)
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def test_drain_waits_for_running_task():
    runner = FakeRunner()
    worker = SimpleNamespace(paused=False)
    release = threading.Event()
    started = threading.Event()

    def running_task():
        started.set()
        release.wait(10)
        return "reported"

    future = runner._executor.submit(running_task)
    assert started.wait(5)
    drain = threading.Thread(target=_drain, args=(runner, worker, "lambda_check_status"))
    drain.start()

    drain.join(0.2)
    assert drain.is_alive()
    assert worker.paused is True
    assert runner._use_update_v2 is False
    assert runner.stopped is False

    release.set()
    drain.join(5)
    assert not drain.is_alive()
    assert future.result() == "reported"
    assert runner.stopped is True


def test_drain_runs_queued_task():
    runner = FakeRunner()
    runner._executor = ThreadPoolExecutor(max_workers=1)
    gate = threading.Event()
    runner._executor.submit(gate.wait, 10)
    # Polled but not started: the only thread is busy until after the drain began.
    queued = runner._executor.submit(lambda: "ran")
    opener = threading.Timer(0.2, gate.set)
    opener.start()

    _drain(runner, SimpleNamespace(paused=False), "lambda_invoke_async")

    assert queued.cancelled() is False
    assert queued.result() == "ran"
