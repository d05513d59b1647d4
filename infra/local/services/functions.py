"""The local Lambda service: the Invoke API and the HTTP design's routes in front of infra/lambda/."""

from __future__ import annotations

import os
import sys

from ..service import Service, http_probe
from ..settings import LocalSettings

SERVICE_NAME = "lambda"


def command(settings: LocalSettings) -> list[str]:
    return [sys.executable, "-m", "infra.local.lambda_service", "--port", str(settings.lambda_port)]


def environment(settings: LocalSettings) -> dict[str, str]:
    # The handler runs as it would on AWS, so it reaches DynamoDB through the same variables as everyone.
    env = settings.client_environment()
    env["LONGRUN_FUNCTION_TIMEOUT_S"] = os.environ.get("LONGRUN_FUNCTION_TIMEOUT_S", "900")
    # AWS runs up to the account's concurrency (1,000 by default) at once. The service's own default of 10
    # would make a benchmark of 50 or more jobs in flight measure the service's queue, not the designs.
    env["LONGRUN_ASYNC_CONCURRENCY"] = os.environ.get("LONGRUN_ASYNC_CONCURRENCY", "100")
    return env


def probe(settings: LocalSettings) -> str | None:
    return http_probe(f"{settings.lambda_url}/health")


def service(settings: LocalSettings) -> Service:
    return Service(
        name=SERVICE_NAME,
        port=settings.lambda_port,
        command=command,
        probe=probe,
        start_timeout_s=30.0,
        extra_env=environment,
    )
