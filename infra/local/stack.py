"""Bring the local stack up, down, or report on it. Processes are tracked by pid files under .local/run/."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass

from . import ports, process
from .service import Service, StackError
from .services import conductor, dynamodb, functions, prometheus, workers
from .settings import HOST, REPO_ROOT, LocalSettings

log = logging.getLogger(__name__)

# Services that `up` starts when none are named, in start order. Conductor starts first because it is the
# slowest to become ready; the others start while it boots.
DEFAULT_SERVICES = ("conductor", "dynamodb", "lambda", "prometheus")
ALL_SERVICES = (*DEFAULT_SERVICES, "workers")


def services(settings: LocalSettings) -> dict[str, Service]:
    return {
        "conductor": conductor.service(settings),
        "dynamodb": dynamodb.service(settings),
        "lambda": functions.service(settings),
        "prometheus": prometheus.service(settings),
        "workers": workers.service(settings),
    }


@dataclass(frozen=True)
class ServiceState:
    name: str
    state: str  # "up", "starting", "down", "skipped", or "elsewhere" (running on another port)
    url: str
    log_path: str
    pid: int | None = None
    note: str = ""


def select(names: Iterable[str] | None, default: tuple[str, ...]) -> list[str]:
    chosen = list(names or default)
    unknown = [name for name in chosen if name not in ALL_SERVICES]
    if unknown:
        raise StackError(f"unknown service {', '.join(unknown)}; choose from {', '.join(ALL_SERVICES)}")
    return chosen


def up(settings: LocalSettings, names: Iterable[str] | None = None) -> list[ServiceState]:
    """Start the chosen services that are not running yet and wait until each is ready.

    If one fails to start, the services this call started are stopped again, so a failed `up` leaves the
    stack as it found it.
    """
    catalogue = services(settings)
    chosen = select(names, DEFAULT_SERVICES)
    started: list[Service] = []
    states: dict[str, ServiceState] = {}

    _check_ports(settings, [catalogue[name] for name in chosen])
    try:
        for name in chosen:
            service = catalogue[name]
            state = _start_if_needed(settings, service)
            if state is None:
                started.append(service)
            else:
                states[name] = state

        for service in started:
            _wait_until_ready(settings, service)
            if service.after_start is not None:
                _prepare(settings, service)
            running = process.find(settings.run_dir, service.name)
            states[service.name] = _state(settings, service, "up", running, note="started")
    except (StackError, KeyboardInterrupt):
        for service in reversed(started):
            process.stop(settings.run_dir, service.name)
        raise

    return [states[name] for name in chosen]


def _prepare(settings: LocalSettings, service: Service) -> None:
    """Run the service's after-start step, turning any failure into a StackError so that `up` rolls back."""
    try:
        service.after_start(settings)
    except Exception as exc:  # the steps talk to the new service through SDKs with their own error types
        raise StackError(f"{service.name} started, but preparing it failed: {type(exc).__name__}: {exc}") from exc


def _start_if_needed(settings: LocalSettings, service: Service) -> ServiceState | None:
    """Start ``service`` unless it is running or unavailable; None means it was started now."""
    reason = service.available()
    if reason is not None:
        return _state(settings, service, "skipped", None, note=reason)

    running = process.find(settings.run_dir, service.name)
    if running is not None:
        _wait_until_ready(settings, service)
        return _state(settings, service, "up", running, note="already running")

    env = {**os.environ, **service.extra_env(settings)}
    command = service.command(settings)
    process.start(
        service.name,
        command,
        run_dir=settings.run_dir,
        log_path=service.log_path(settings),
        env=env,
        cwd=REPO_ROOT,
        port=service.port,
    )
    log.info("starting %s on port %d", service.name, service.port)
    return None


def _check_ports(settings: LocalSettings, chosen: list[Service]) -> None:
    """Raise one StackError listing every problem with the chosen services' ports, before starting any.

    A service that this stack already runs on another port than the requested one is a problem too. The
    caller's LONGRUN_*_PORT variables then differ from those it was started with, and the stack must not
    report an address as ready where some other process may be listening.
    """
    problems = []
    for service in chosen:
        if service.available() is not None:
            continue
        running = process.find(settings.run_dir, service.name)
        if running is not None:
            if running.port is not None and running.port != service.port:
                problems.append(
                    f"{service.name} (pid {running.pid}) already runs on port {running.port}, not on the requested "
                    f"port {service.port}; set {_port_variable(service)}={running.port} as when it was started, "
                    f"or stop it first with `python -m infra.local down {service.name}`"
                )
            continue
        if not ports.is_free(HOST, service.port):
            problems.append(_port_taken_message(service))
    if problems:
        raise StackError("\n".join(problems))


def _port_variable(service: Service) -> str:
    return "LONGRUN_METRICS_PORT" if service.name == "workers" else f"LONGRUN_{service.name.upper()}_PORT"


def _port_taken_message(service: Service) -> str:
    holder = ports.holder(service.port)
    held_by = f" by {holder}" if holder else " by a process this user cannot see"
    variable = _port_variable(service)
    return (
        f"port {service.port} on {HOST}, needed by {service.name}, is already taken{held_by}; "
        f"stop that process or choose another port with {variable}=<port>"
    )


def _wait_until_ready(settings: LocalSettings, service: Service) -> None:
    deadline = time.monotonic() + service.start_timeout_s
    reason = "not probed yet"
    while time.monotonic() < deadline:
        running = process.find(settings.run_dir, service.name)
        if running is None:
            raise StackError(f"{service.name} exited during start; last lines of {service.log_path(settings)}:\n{_tail(service, settings)}")
        reason = service.probe(settings)
        if reason is None:
            return
        time.sleep(0.25)
    raise StackError(
        f"{service.name} was not ready within {service.start_timeout_s:.0f} s ({reason}); "
        f"last lines of {service.log_path(settings)}:\n{_tail(service, settings)}"
    )


def _tail(service: Service, settings: LocalSettings, lines: int = 15) -> str:
    try:
        text = service.log_path(settings).read_text(errors="replace")
    except FileNotFoundError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:])


def down(settings: LocalSettings, names: Iterable[str] | None = None) -> list[str]:
    """Stop the chosen services (all by default) that this stack started; return the names stopped."""
    chosen = select(names, ALL_SERVICES)
    catalogue = services(settings)
    # Stop in reverse start order, so the workers and Prometheus go before what they talk to.
    return [
        name
        for name in reversed(chosen)
        if process.stop(settings.run_dir, name, grace_s=catalogue[name].stop_grace_s)
    ]


def status(settings: LocalSettings) -> list[ServiceState]:
    states = []
    for name, service in services(settings).items():
        running = process.find(settings.run_dir, name)
        if running is None:
            reason = service.available()
            states.append(_state(settings, service, "skipped" if reason else "down", None, note=reason or ""))
            continue
        if running.port is not None and running.port != service.port:
            note = f"runs on port {running.port}, not on the requested {service.port} ({_port_variable(service)})"
            states.append(_state(settings, service, "elsewhere", running, note=note))
            continue
        reason = service.probe(settings)
        states.append(_state(settings, service, "up" if reason is None else "starting", running, note=reason or ""))
    return states


def _state(settings: LocalSettings, service: Service, state: str, running: process.Running | None, *, note: str = "") -> ServiceState:
    return ServiceState(
        name=service.name,
        state=state,
        url=service.url(),
        log_path=str(service.log_path(settings)),
        pid=running.pid if running else None,
        note=note,
    )
