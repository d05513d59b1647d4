"""Settings of the worker process, read once at start from flags and the environment.

Precedence, highest first: a command-line flag, then the ``LONGRUN_*`` environment variable,
then the default in ``OPTIONS``. The Conductor connection comes from the SDK's own variables
(``CONDUCTOR_SERVER_URL``, ``CONDUCTOR_AUTH_KEY``, ``CONDUCTOR_AUTH_SECRET``) and the AWS
endpoints and region from boto3's (``AWS_ENDPOINT_URL_DYNAMODB``, ``AWS_ENDPOINT_URL_LAMBDA``,
``AWS_REGION``), so none of those are repeated here. The SDK also reads
``CONDUCTOR_WORKER_<TASK>_<PROPERTY>`` variables (for example ``CONDUCTOR_WORKER_POLL_INTERVAL``)
and applies them after ours, so when set they win over the poll interval, thread count and domain
below.
"""

from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass
from typing import Callable, Mapping, Optional

REQUEST_ID_MAX_LENGTH = 128


class SettingsError(ValueError):
    """A flag or environment variable has a value the workers cannot use."""


@dataclass(frozen=True)
class Settings:
    table_name: str
    function_name: str
    poll_interval_ms: int
    thread_count: int
    domain: Optional[str]
    metrics_enabled: bool
    metrics_host: str
    metrics_port: int
    metrics_dir: Optional[str]
    health_max_poll_age_s: float
    aws_max_attempts: int
    aws_backoff_base_s: float
    aws_backoff_max_s: float
    aws_timeout_s: float
    job_ttl_s: int
    stop_grace_s: float
    log_level: str


def _text(raw: str) -> str:
    if raw.strip() == "":
        raise ValueError("it is empty; set a non-empty name")
    return raw.strip()


def _optional_text(raw: str) -> Optional[str]:
    return raw.strip() or None


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("it is not a boolean; set true or false")


def _int_at_least(minimum: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"it is not an integer; set an integer >= {minimum}") from None
        if value < minimum:
            raise ValueError(f"it is below {minimum}; set an integer >= {minimum}")
        return value

    return parse


def _port(raw: str) -> int:
    value = _int_at_least(0)(raw)
    if value > 65535:
        raise ValueError("it is out of range; set 0 (any free port) or a port from 1 to 65535")
    return value


def _seconds_above(minimum: float, inclusive: bool) -> Callable[[str], float]:
    bound = f">= {minimum}" if inclusive else f"> {minimum}"

    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"it is not a number; set a number of seconds {bound}") from None
        too_small = value < minimum if inclusive else value <= minimum
        if not math.isfinite(value) or too_small:
            raise ValueError(f"it is out of range; set a finite number of seconds {bound}")
        return value

    return parse


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError("it is not a log level; set DEBUG, INFO, WARNING or ERROR")
    return level


@dataclass(frozen=True)
class Option:
    field: str
    env: str
    default: str
    parse: Callable[[str], object]
    help: str

    @property
    def flag(self) -> str:
        return "--" + self.field.replace("_", "-")


OPTIONS: tuple[Option, ...] = (
    Option("table_name", "LONGRUN_TABLE_NAME", "longrun-jobs", _text,
           "DynamoDB table of the job items"),
    Option("function_name", "LONGRUN_FUNCTION_NAME", "longrun-job", _text,
           "Lambda function (name or ARN) that runs a job"),
    Option("poll_interval_ms", "LONGRUN_POLL_INTERVAL_MS", "100", _int_at_least(1),
           "longest pause between two polls of an empty queue, in milliseconds"),
    Option("thread_count", "LONGRUN_THREAD_COUNT", "10", _int_at_least(1),
           "tasks one worker process runs at the same time, per task type"),
    Option("domain", "LONGRUN_TASK_DOMAIN", "", _optional_text,
           "Conductor task domain to poll; empty polls without a domain"),
    Option("metrics_enabled", "LONGRUN_METRICS_ENABLED", "true", _bool,
           "collect Prometheus metrics and serve them on /metrics (true or false)"),
    Option("metrics_host", "LONGRUN_METRICS_HOST", "127.0.0.1", _text,
           "address the /metrics and /health server binds; 0.0.0.0 exposes it on every interface"),
    Option("metrics_port", "LONGRUN_METRICS_PORT", "9464", _port,
           "port of the /metrics and /health server; 0 picks a free port"),
    Option("metrics_dir", "LONGRUN_METRICS_DIR", "", _optional_text,
           "directory of the per-process metric files; empty makes a new temporary directory"),
    Option("health_max_poll_age_s", "LONGRUN_HEALTH_MAX_POLL_AGE_S", "30", _seconds_above(0, False),
           "/health returns 503 when a task type has not polled for this many seconds"),
    Option("aws_max_attempts", "LONGRUN_AWS_MAX_ATTEMPTS", "5", _int_at_least(1),
           "attempts per AWS call, the first included, before a transient error fails the task"),
    Option("aws_backoff_base_s", "LONGRUN_AWS_BACKOFF_BASE_S", "0.1", _seconds_above(0, False),
           "backoff base between AWS attempts, in seconds: the delay before retry n is random "
           "between 0 and base * 2^(n-1), capped by the maximum"),
    Option("aws_backoff_max_s", "LONGRUN_AWS_BACKOFF_MAX_S", "5", _seconds_above(0, False),
           "longest delay between AWS attempts, in seconds"),
    Option("aws_timeout_s", "LONGRUN_AWS_TIMEOUT_S", "10", _seconds_above(0, False),
           "connect and read timeout of one AWS request, in seconds"),
    Option("job_ttl_s", "LONGRUN_JOB_TTL_S", "604800", _int_at_least(1),
           "lifetime of a job item before DynamoDB's TTL deletes it, in seconds"),
    Option("stop_grace_s", "LONGRUN_STOP_GRACE_S", "30", _seconds_above(0, True),
           "after SIGTERM or SIGINT, how long running tasks may take to finish, in seconds"),
    Option("log_level", "LONGRUN_LOG_LEVEL", "INFO", _log_level,
           "log level: DEBUG, INFO, WARNING or ERROR"),
)


def load(environ: Mapping[str, str] = os.environ, flags: Optional[Mapping[str, str]] = None) -> Settings:
    """Build the settings from ``flags`` (field name -> raw value), then ``environ``, then defaults.

    Raises ``SettingsError`` naming the flag or variable and the values it accepts.
    """
    flags = flags or {}
    values = {}
    for option in OPTIONS:
        if flags.get(option.field) is not None:
            raw, source = flags[option.field], option.flag
        elif environ.get(option.env, "") != "":
            raw, source = environ[option.env], option.env
        else:
            raw, source = option.default, f"the default of {option.env}"
        try:
            values[option.field] = option.parse(raw)
        except ValueError as error:
            raise SettingsError(f"{source}={raw!r} is invalid: {error}") from None

    settings = Settings(**values)
    if settings.aws_backoff_max_s < settings.aws_backoff_base_s:
        raise SettingsError(
            f"LONGRUN_AWS_BACKOFF_MAX_S={settings.aws_backoff_max_s} is below "
            f"LONGRUN_AWS_BACKOFF_BASE_S={settings.aws_backoff_base_s}; set the maximum >= the base"
        )
    return settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add one flag per option; each help text names its variable and default."""
    for option in OPTIONS:
        default = option.default if option.default != "" else "(empty)"
        parser.add_argument(
            option.flag,
            dest=option.field,
            default=None,
            help=f"{option.help} [env {option.env}, default {default}]",
        )

