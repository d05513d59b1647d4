"""Find the local stack's Conductor and Lambda service processes when the benchmark talks to them.

They are measured only when the URL in use points at 127.0.0.1 (or localhost) on the stack's port and
the stack's pid file under .local/run/ names a live process. Otherwise the servers run elsewhere.
"""

from __future__ import annotations

import logging
import os
import threading
from urllib.parse import urlparse

import requests

from infra.local import process
from infra.local import settings as stack_settings

from .errors import ConfigError

log = logging.getLogger(__name__)

LOCAL_HOSTS = ("127.0.0.1", "localhost")


def load_settings() -> stack_settings.LocalSettings:
    try:
        return stack_settings.load()
    except stack_settings.SettingsError as exc:
        raise ConfigError(str(exc)) from exc


def _points_at(url: str | None, port: int) -> bool:
    if not url:
        return False
    parsed = urlparse(url)
    return parsed.hostname in LOCAL_HOSTS and parsed.port == port


def local_pid(settings: stack_settings.LocalSettings, service: str, url: str | None) -> int | None:
    """Return the pid of the stack's ``service`` if ``url`` points at it and it is running, else None."""
    port = {"conductor": settings.conductor_port, "lambda": settings.lambda_port}[service]
    if not _points_at(url, port):
        return None
    running = process.find(settings.run_dir, service)
    return None if running is None else running.pid


def conductor_url() -> str:
    return os.environ.get("CONDUCTOR_SERVER_URL") or "http://localhost:8080/api"


class QueueDepthWatcher:
    """Poll the local Lambda service's /health for the depth of its asynchronous queue, keeping the maximum."""

    def __init__(self, base_url: str, interval_s: float = 1.0) -> None:
        self.url = f"{base_url.rstrip('/')}/health"
        self.interval_s = interval_s
        self.max_depth: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lambda-queue-depth", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                depth = int(requests.get(self.url, timeout=2).json()["queueDepth"])
            except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
                log.debug("reading %s failed: %s", self.url, exc)
                continue
            self.max_depth = depth if self.max_depth is None else max(self.max_depth, depth)

    def stop(self) -> int | None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        return self.max_depth
