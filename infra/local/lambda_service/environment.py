"""Execution environments: handler processes kept warm between invocations, as Lambda keeps them.

Each environment is a child process running ``runtime.py`` that serves one invocation at a time.
An environment whose invocation timed out or whose process died is killed and never reused.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .settings import ServiceSettings

log = logging.getLogger(__name__)

RUNTIME_SCRIPT = Path(__file__).with_name("runtime.py")


@dataclass(frozen=True)
class Outcome:
    """Result of one invocation: the payload returned to the caller and whether it is a function error."""

    payload: bytes
    error_type: str | None = None
    error_message: str | None = None
    timed_out: bool = False

    @property
    def failed(self) -> bool:
        return self.error_type is not None


def _error_outcome(error: dict, timed_out: bool = False) -> Outcome:
    return Outcome(
        payload=json.dumps(error).encode(),
        error_type=error.get("errorType", "Unhandled"),
        error_message=error.get("errorMessage", ""),
        timed_out=timed_out,
    )


def timeout_outcome(aws_request_id: str, elapsed_s: float) -> Outcome:
    """Shape a timeout as Lambda reports it: ``<time> <request id> Task timed out after N.NN seconds``."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    message = f"{stamp} {aws_request_id} Task timed out after {elapsed_s:.2f} seconds"
    return _error_outcome({"errorMessage": message, "errorType": "Sandbox.Timedout"}, timed_out=True)


class ExecutionEnvironment:
    """One handler process. Not thread-safe: the pool hands each environment to one caller at a time."""

    def __init__(self, settings: ServiceSettings, env: dict[str, str]) -> None:
        self._settings = settings
        # The child stays in the service's process group, so a signal the stack sends to the group
        # (SIGKILL after the stop grace period) also reaches it.
        self._process = subprocess.Popen(
            [sys.executable, str(RUNTIME_SCRIPT), str(settings.handler_file), settings.handler_function,
             settings.function_name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=str(settings.handler_file.parent),
        )
        self._buffer = b""
        self.usable = True

    @property
    def pid(self) -> int:
        return self._process.pid

    def invoke(self, event: object, aws_request_id: str, timeout_s: float) -> Outcome:
        """Run one invocation; kill the process when it outlives ``timeout_s`` or breaks the protocol."""
        started = time.monotonic()
        deadline = started + timeout_s
        request = {
            "event": event,
            "awsRequestId": aws_request_id,
            "deadlineEpochMs": int((time.time() + timeout_s) * 1000),
        }
        try:
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
            self._process.stdin.flush()
            line = self._read_line(deadline)
        except (OSError, ValueError) as err:
            log.warning("execution environment pid %d failed during request %s: %s", self.pid, aws_request_id, err)
            line = None

        if line is None:
            self.kill()
            if time.monotonic() >= deadline:
                return timeout_outcome(aws_request_id, time.monotonic() - started)
            code = self._process.returncode
            message = f"RequestId: {aws_request_id} Error: Runtime exited with error: exit status {code}"
            return _error_outcome({"errorMessage": message, "errorType": "Runtime.ExitError"})

        response = json.loads(line)
        if response["ok"]:
            return Outcome(payload=response["payload"].encode())
        if response.get("fatal"):
            self.kill()
        return _error_outcome(response["error"])

    def _read_line(self, deadline: float) -> bytes | None:
        """Return the next response line, or None at the deadline or when the process closed its output."""
        stdout = self._process.stdout
        fd = stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def kill(self) -> None:
        """Kill the handler process (SIGKILL) and reap it; the environment is then unusable."""
        self.usable = False
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
        self._process.wait()
        self._close_pipes()

    def close(self) -> None:
        """Stop an idle environment: closing stdin ends the runtime's read loop."""
        self.usable = False
        try:
            self._process.stdin.close()
            self._process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self._process.stdin, self._process.stdout):
            try:
                pipe.close()
            except OSError:
                pass


class EnvironmentPool:
    """Hands out warm environments, starting a new one when none is idle."""

    def __init__(self, settings: ServiceSettings, env: dict[str, str]) -> None:
        self._settings = settings
        self._env = env
        self._lock = threading.Lock()
        self._idle: list[ExecutionEnvironment] = []
        self._busy: set[ExecutionEnvironment] = set()
        self._closed = False

    @property
    def busy_count(self) -> int:
        with self._lock:
            return len(self._busy)

    def acquire(self) -> ExecutionEnvironment:
        with self._lock:
            if self._closed:
                raise RuntimeError("the environment pool is closed")
            environment = self._idle.pop() if self._idle else None
            if environment is None:
                environment = ExecutionEnvironment(self._settings, self._env)
                log.info("started execution environment pid %d for %s", environment.pid, self._settings.function_name)
            self._busy.add(environment)
            return environment

    def release(self, environment: ExecutionEnvironment) -> None:
        with self._lock:
            self._busy.discard(environment)
            keep = environment.usable and not self._closed and len(self._idle) < self._settings.max_idle_environments
            if keep:
                self._idle.append(environment)
        if not keep and environment.usable:
            environment.close()

    def wait_idle(self, timeout_s: float) -> bool:
        """Wait until no invocation is running; return False when ``timeout_s`` passed first."""
        deadline = time.monotonic() + timeout_s
        while self.busy_count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.busy_count == 0

    def close(self) -> None:
        """Stop idle environments and kill busy ones."""
        with self._lock:
            self._closed = True
            idle, busy = self._idle, list(self._busy)
            self._idle = []
        for environment in idle:
            environment.close()
        for environment in busy:
            log.warning("killing execution environment pid %d: the service is stopping", environment.pid)
            environment.kill()
