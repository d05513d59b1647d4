"""Start, find and stop the local stack's processes by process id.

Each service gets a pid file under ``.local/run/`` holding its pid and the process start time read from
``/proc/<pid>/stat``. The start time guards against pid reuse: a pid file whose process has since exited
and whose pid now belongs to someone else is treated as stale, so ``down`` never signals a stranger.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Running:
    name: str
    pid: int
    log_path: Path
    # The port the process was started for; None in pid files written before ports were recorded.
    port: int | None = None


def _start_time(pid: int) -> str | None:
    """Return the kernel's start time of ``pid`` (clock ticks since boot), or None if it does not exist."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None

    # The command name in field 2 may contain spaces and parentheses, so split after its closing bracket.
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        return None
    return fields[19]


def pid_file(run_dir: Path, name: str) -> Path:
    return run_dir / f"{name}.pid"


def find(run_dir: Path, name: str) -> Running | None:
    """Return the running process recorded for ``name``, removing a stale pid file."""
    path = pid_file(run_dir, name)
    try:
        record = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, OSError) as exc:
        log.warning("ignoring unreadable pid file %s: %s", path, exc)
        path.unlink(missing_ok=True)
        return None

    pid = int(record["pid"])
    if _start_time(pid) != record["startTime"]:
        path.unlink(missing_ok=True)
        return None
    return Running(name=name, pid=pid, log_path=Path(record["log"]), port=record.get("port"))


def start(
    name: str,
    command: list[str],
    *,
    run_dir: Path,
    log_path: Path,
    env: dict[str, str],
    cwd: Path,
    port: int,
) -> Running:
    """Start ``command`` detached from this process, its output appended to ``log_path``."""
    run_dir.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)

    with open(log_path, "ab") as log_file:
        log_file.write(f"\n--- starting {name} at {time.strftime('%Y-%m-%dT%H:%M:%S%z')}: {' '.join(command)}\n".encode())
        log_file.flush()
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )

    record = {"pid": proc.pid, "startTime": _start_time(proc.pid), "log": str(log_path), "port": port, "command": command}
    pid_file(run_dir, name).write_text(json.dumps(record))
    return Running(name=name, pid=proc.pid, log_path=log_path, port=port)


def is_alive(running: Running) -> bool:
    return _start_time(running.pid) is not None


def stop(run_dir: Path, name: str, *, grace_s: float = 15.0) -> bool:
    """Stop the recorded process for ``name`` with SIGTERM, then SIGKILL after ``grace_s``.

    Returns True if a process was stopped, False if none was recorded or it had already exited.
    """
    running = find(run_dir, name)
    if running is None:
        return False

    # Each service runs in its own session (start_new_session), so its pid is also its process group id:
    # signalling the group stops helpers it spawned (the Lambda service's handler processes, for one).
    _signal_group(running.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and is_alive(running):
        time.sleep(0.1)

    if is_alive(running):
        log.warning("%s (pid %d) did not stop within %.0f s of SIGTERM; sending SIGKILL", name, running.pid, grace_s)
        _signal_group(running.pid, signal.SIGKILL)
        while is_alive(running):
            time.sleep(0.05)

    pid_file(run_dir, name).unlink(missing_ok=True)
    return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
