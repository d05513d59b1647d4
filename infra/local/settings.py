"""Addresses, ports and paths of the local stack, read from the environment in one place.

Precedence: an environment variable wins over the default below. Every service binds to
127.0.0.1, and every log, pid file and database lives under ``LONGRUN_LOCAL_DIR``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

HOST = "127.0.0.1"


class SettingsError(ValueError):
    """An environment variable contains a value the local stack cannot use."""


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a port number; set it to an integer from 1 to 65535") from None
    if not 1 <= port <= 65535:
        raise SettingsError(f"{name}={port} is out of range; set it to an integer from 1 to 65535")
    return port


@dataclass(frozen=True)
class LocalSettings:
    local_dir: Path
    conductor_port: int
    dynamodb_port: int
    lambda_port: int
    prometheus_port: int
    metrics_port: int
    table_name: str
    function_name: str
    region: str

    @property
    def conductor_url(self) -> str:
        return f"http://{HOST}:{self.conductor_port}"

    @property
    def dynamodb_url(self) -> str:
        return f"http://{HOST}:{self.dynamodb_port}"

    @property
    def lambda_url(self) -> str:
        return f"http://{HOST}:{self.lambda_port}"

    @property
    def prometheus_url(self) -> str:
        return f"http://{HOST}:{self.prometheus_port}"

    @property
    def metrics_url(self) -> str:
        return f"http://{HOST}:{self.metrics_port}"

    @property
    def log_dir(self) -> Path:
        return self.local_dir / "logs"

    @property
    def run_dir(self) -> Path:
        return self.local_dir / "run"

    def client_environment(self) -> dict[str, str]:
        """Return the variables that point the SDKs (Conductor, boto3) at this stack."""
        return {
            "CONDUCTOR_SERVER_URL": f"{self.conductor_url}/api",
            "AWS_ENDPOINT_URL_DYNAMODB": self.dynamodb_url,
            "AWS_ENDPOINT_URL_LAMBDA": self.lambda_url,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
            "LONGRUN_TABLE_NAME": self.table_name,
            "LONGRUN_FUNCTION_NAME": self.function_name,
            "LONGRUN_API_URL": self.lambda_url,
            "LONGRUN_METRICS_PORT": str(self.metrics_port),
        }


def load() -> LocalSettings:
    return LocalSettings(
        local_dir=Path(os.environ.get("LONGRUN_LOCAL_DIR", REPO_ROOT / ".local")).resolve(),
        conductor_port=_port("LONGRUN_CONDUCTOR_PORT", 8080),
        dynamodb_port=_port("LONGRUN_DYNAMODB_PORT", 8000),
        lambda_port=_port("LONGRUN_LAMBDA_PORT", 9001),
        prometheus_port=_port("LONGRUN_PROMETHEUS_PORT", 9090),
        metrics_port=_port("LONGRUN_METRICS_PORT", 9464),
        table_name=os.environ.get("LONGRUN_TABLE_NAME", "longrun-jobs"),
        function_name=os.environ.get("LONGRUN_FUNCTION_NAME", "longrun-job"),
        region=os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1")),
    )
