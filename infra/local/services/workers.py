"""The worker process (python -m workers), run in the background for the demo and the integration tests.

`up` does not start it unless asked (`python -m infra.local up workers`): during development the workers
usually run in a terminal of their own with `make workers`.
"""

from __future__ import annotations

import os
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
        stop_grace_s=_stop_grace_s() + 10.0,
    )


def _stop_grace_s() -> float:
    """Return the workers' own grace period for running tasks (LONGRUN_STOP_GRACE_S, 30 s by default)."""
    try:
        return float(os.environ.get("LONGRUN_STOP_GRACE_S", "30"))
    except ValueError:
        # The workers reject the value at start with a message naming it; `down` still needs a number.
        return 30.0
