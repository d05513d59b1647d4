"""The parent's /health verdict from worker process state and poll age."""

from __future__ import annotations

import time

import pytest

from workers import config
from workers.runner import Supervisor


class FakeProcess:
    def __init__(self, alive: bool) -> None:
        self.alive = alive
        self.pid = 4242

    def is_alive(self) -> bool:
        return self.alive


@pytest.fixture
def supervisor():
    settings = config.load({"LONGRUN_HEALTH_MAX_POLL_AGE_S": "30"})
    return Supervisor(settings, ("lambda_invoke_async",))


def set_worker(supervisor, alive, idle_s):
    worker = supervisor.workers[0]
    worker.process = FakeProcess(alive)
    worker.last_activity.value = time.time() - idle_s


def test_recent_poll_is_healthy(supervisor):
    set_worker(supervisor, alive=True, idle_s=1)

    health = supervisor.health()

    assert health.healthy is True
    assert health.body["problems"] == []


def test_stale_poll_is_unhealthy(supervisor):
    set_worker(supervisor, alive=True, idle_s=120)

    health = supervisor.health()

    assert health.healthy is False
    assert "has not polled" in health.body["problems"][0]


def test_dead_process_is_unhealthy(supervisor):
    set_worker(supervisor, alive=False, idle_s=1)

    health = supervisor.health()

    assert health.healthy is False
    assert "not running" in health.body["problems"][0]


def test_stopping_is_unhealthy(supervisor):
    set_worker(supervisor, alive=True, idle_s=1)
    supervisor.stop_event.set()

    assert supervisor.health().healthy is False
