"""The worker process (python -m workers), run in the background for the demo and the integration tests.

`up` does not start it unless asked (`python -m infra.local up workers`): during development the workers
usually run in a terminal of their own with `make workers`.
"""

from __future__ import annotations

import sys

from ..service import Service, http_probe
from ..settings import LocalSettings

SERVICE_NAME = "workers"


def command(settings: LocalSettings) -> list[str]:
    return [sys.executable, "-m", "workers"]


def service(settings: LocalSettings) -> Service:
    return Service(
        name=SERVICE_NAME,
        port=settings.metrics_port,
        command=command,
        probe=lambda settings: http_probe(f"{settings.metrics_url}/health"),
        start_timeout_s=60.0,
        extra_env=lambda settings: settings.client_environment(),
        url_path="/metrics",
    )
