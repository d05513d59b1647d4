"""Settings of the local Lambda service, from command-line flags, then environment variables, then defaults."""

from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"
ACCOUNT_ID = "000000000000"

DEFAULT_PORT = 9001
DEFAULT_FUNCTION_NAME = "longrun-job"
DEFAULT_HANDLER = "infra/lambda/handler.py:handler"
# AWS Lambda's maximum function timeout.
DEFAULT_TIMEOUT_S = 900.0
DEFAULT_ASYNC_CONCURRENCY = 10
# AWS retries a failed asynchronous invocation twice, about 1 and then 2 minutes later. The local
# defaults keep the count but shorten the waits so that a retry shows up within seconds.
DEFAULT_RETRY_DELAYS_S = "1,2"
DEFAULT_STOP_GRACE_S = 5.0
DEFAULT_MAX_IDLE_ENVIRONMENTS = 10

# Lambda's Invoke payload quotas: 6 MB for synchronous and 1 MB for asynchronous invocations.
MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024
MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024


class SettingsError(ValueError):
    """A flag or environment variable contains a value the service cannot use."""


@dataclass(frozen=True)
class ServiceSettings:
    port: int
    function_name: str
    handler_file: Path
    handler_function: str
    timeout_s: float
    async_concurrency: int
    retry_delays_s: tuple[float, ...]
    stop_grace_s: float
    max_idle_environments: int
    region: str

    def function_arn(self, name: str, qualifier: str | None = None) -> str:
        arn = f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{name}"
        return arn if qualifier is None else f"{arn}:{qualifier}"


def _number(source: str, raw: str, minimum: float, integer: bool = False) -> float:
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise SettingsError(f"{source}={raw!r} is not {kind}") from None
    if not math.isfinite(value) or value < minimum:
        raise SettingsError(f"{source}={raw!r} is out of range; it must be >= {minimum:g}")
    return value


def _retry_delays(source: str, raw: str) -> tuple[float, ...]:
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    return tuple(_number(source, part, 0.0) for part in parts)


def _handler(source: str, raw: str) -> tuple[Path, str]:
    path_text, separator, function = raw.rpartition(":")
    if not separator or not path_text or not function.isidentifier():
        raise SettingsError(f"{source}={raw!r} is invalid; write it as PATH.py:FUNCTION")
    path = Path(path_text)
    if not path.is_absolute():
        path = (Path.cwd() / path) if (Path.cwd() / path).exists() else (REPO_ROOT / path)
    if not path.is_file():
        raise SettingsError(f"{source}={raw!r}: handler file {path} not found")
    return path.resolve(), function


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m infra.local.lambda_service",
        description="Serve the Lambda Invoke API and the HTTP design's /jobs routes on 127.0.0.1.",
    )
    option = parser.add_argument
    option("--port", help=f"TCP port to bind; 0 picks a free one (env LONGRUN_LAMBDA_PORT, default {DEFAULT_PORT})")
    option("--function-name", help=f"name of the one function served (env LONGRUN_FUNCTION_NAME, default {DEFAULT_FUNCTION_NAME})")
    option("--handler", help=f"handler as PATH.py:FUNCTION, relative paths from the current folder or the repository root (env LONGRUN_FUNCTION_HANDLER, default {DEFAULT_HANDLER})")
    option("--timeout-s", help=f"function timeout in seconds (env LONGRUN_FUNCTION_TIMEOUT_S, default {DEFAULT_TIMEOUT_S:g})")
    option("--async-concurrency", help=f"max asynchronous invocations running at once (env LONGRUN_ASYNC_CONCURRENCY, default {DEFAULT_ASYNC_CONCURRENCY})")
    option("--retry-delays-s", help=f"comma-separated waits in seconds before each retry of a failed asynchronous invocation; the count is the number of retries (env LONGRUN_ASYNC_RETRY_DELAYS_S, default {DEFAULT_RETRY_DELAYS_S})")
    option("--stop-grace-s", help=f"seconds running invocations get to finish after SIGTERM (env LONGRUN_LAMBDA_STOP_GRACE_S, default {DEFAULT_STOP_GRACE_S:g})")
    option("--max-idle-environments", help=f"warm handler processes kept between invocations (env LONGRUN_MAX_IDLE_ENVIRONMENTS, default {DEFAULT_MAX_IDLE_ENVIRONMENTS})")
    return parser


def _pick(flag_value: str | None, flag: str, variable: str, default: str) -> tuple[str, str]:
    """Return the raw value and where it came from, for error messages."""
    if flag_value is not None:
        return flag_value, flag
    env_value = os.environ.get(variable, "")
    if env_value != "":
        return env_value, variable
    return default, f"default of {flag}"


def load(argv: list[str] | None = None) -> ServiceSettings:
    args = build_parser().parse_args(argv)

    port, port_source = _pick(args.port, "--port", "LONGRUN_LAMBDA_PORT", str(DEFAULT_PORT))
    name, _ = _pick(args.function_name, "--function-name", "LONGRUN_FUNCTION_NAME", DEFAULT_FUNCTION_NAME)
    handler, handler_source = _pick(args.handler, "--handler", "LONGRUN_FUNCTION_HANDLER", DEFAULT_HANDLER)
    timeout, timeout_source = _pick(args.timeout_s, "--timeout-s", "LONGRUN_FUNCTION_TIMEOUT_S", str(DEFAULT_TIMEOUT_S))
    concurrency, concurrency_source = _pick(
        args.async_concurrency, "--async-concurrency", "LONGRUN_ASYNC_CONCURRENCY", str(DEFAULT_ASYNC_CONCURRENCY)
    )
    delays, delays_source = _pick(args.retry_delays_s, "--retry-delays-s", "LONGRUN_ASYNC_RETRY_DELAYS_S", DEFAULT_RETRY_DELAYS_S)
    grace, grace_source = _pick(args.stop_grace_s, "--stop-grace-s", "LONGRUN_LAMBDA_STOP_GRACE_S", str(DEFAULT_STOP_GRACE_S))
    idle, idle_source = _pick(
        args.max_idle_environments, "--max-idle-environments", "LONGRUN_MAX_IDLE_ENVIRONMENTS",
        str(DEFAULT_MAX_IDLE_ENVIRONMENTS),
    )

    port_number = int(_number(port_source, port, 0, integer=True))
    if port_number > 65535:
        raise SettingsError(f"{port_source}={port!r} is out of range; it must be from 0 to 65535")
    handler_file, handler_function = _handler(handler_source, handler)
    timeout_s = _number(timeout_source, timeout, 0.001)
    if timeout_s > DEFAULT_TIMEOUT_S:
        raise SettingsError(f"{timeout_source}={timeout!r} is out of range; AWS Lambda allows at most 900 s")

    return ServiceSettings(
        port=port_number,
        function_name=name,
        handler_file=handler_file,
        handler_function=handler_function,
        timeout_s=timeout_s,
        async_concurrency=int(_number(concurrency_source, concurrency, 1, integer=True)),
        retry_delays_s=_retry_delays(delays_source, delays),
        stop_grace_s=_number(grace_source, grace, 0.0),
        max_idle_environments=int(_number(idle_source, idle, 0, integer=True)),
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
    )
