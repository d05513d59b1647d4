"""A private `python -m workers` process for the workers design, polling a task domain of its own.

It runs in a session of its own, so a Ctrl-C in the terminal reaches only the benchmark, which then
decides when to stop the workers.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from infra.local.settings import REPO_ROOT

from .errors import BenchError

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 60.0
STOP_GRACE_S = 15.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WorkerProcess:
    def __init__(self, task_domain: str, log_path: Path, metrics_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.task_domain = task_domain
        self.extra_env = extra_env or {}
        self.log_path = log_path
        self.metrics_dir = metrics_dir
        self.metrics_port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/health"

    def start(self) -> None:
        """Start the workers and wait until /health returns 200; raise BenchError when it does not."""
        env = {
            **os.environ,
            "LONGRUN_TASK_DOMAIN": self.task_domain,
            "LONGRUN_METRICS_PORT": str(self.metrics_port),
            "LONGRUN_METRICS_DIR": str(self.metrics_dir),
            "LONGRUN_STOP_GRACE_S": str(STOP_GRACE_S),
            **self.extra_env,
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "workers"],
                env=env,
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        log.info("started workers pid %d, task domain %s, metrics port %d", self.pid, self.task_domain, self.metrics_port)
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            code = self.exit_code()
            if code is not None:
                raise BenchError(f"the workers process exited with code {code} during start; see {self.log_path}")
            try:
                if requests.get(self.health_url, timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise BenchError(f"the workers process was not healthy within {READY_TIMEOUT_S:.0f} s; see {self.log_path}")

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> int | None:
        """Stop the workers with SIGTERM (they finish running tasks), then SIGKILL the group after a grace period."""
        if self.process is None or self.process.poll() is not None:
            return self.exit_code()
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_GRACE_S + 5)
        except subprocess.TimeoutExpired:
            log.warning("workers pid %d did not stop within %.0f s of SIGTERM; killing its process group", self.pid, STOP_GRACE_S + 5)
            os.killpg(self.pid, signal.SIGKILL)
            return self.process.wait(timeout=10)
