"""Description of one local service: how the stack starts it and how it checks that the service is ready."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from .settings import HOST, LocalSettings


class StackError(RuntimeError):
    """A local service could not be prepared, started or reached. The message explains what to do."""


@dataclass(frozen=True)
class Service:
    name: str
    port: int
    # Builds the command line; may download or build what the service needs first, raising StackError.
    command: Callable[[LocalSettings], list[str]]
    # Returns None when the service is ready, or a short reason why it is not yet.
    probe: Callable[[LocalSettings], str | None]
    start_timeout_s: float = 60.0
    extra_env: Callable[[LocalSettings], dict[str, str]] = field(default=lambda settings: {})
    # Runs once the service is ready, e.g. to create the jobs table.
    after_start: Callable[[LocalSettings], None] | None = None
    # Optional services are skipped with a note when a prerequisite is missing, instead of failing `up`.
    available: Callable[[], str | None] = field(default=lambda: None)
    url_path: str = ""
    # How long `down` waits after SIGTERM before SIGKILL; at least the service's own graceful stop.
    stop_grace_s: float = 15.0

    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.url_path}"

    def log_path(self, settings: LocalSettings) -> Path:
        return settings.log_dir / f"{self.name}.log"


def http_probe(url: str, *, expect: Callable[[requests.Response], bool] | None = None) -> str | None:
    """Probe ``url`` with GET. Return None when it responds 200 and ``expect`` accepts the response, else the reason."""
    try:
        response = requests.get(url, timeout=2)
    except requests.RequestException as exc:
        return f"no answer from {url} ({type(exc).__name__})"
    if response.status_code != 200:
        return f"{url} answered {response.status_code}"
    if expect is not None and not expect(response):
        return f"{url} answered but reports not ready: {response.text[:200]}"
    return None
