"""Command line of the local stack: python -m infra.local {up,down,status,env}."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from . import settings as stack_settings
from . import stack
from .service import StackError

log = logging.getLogger("infra.local")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.local",
        description="Start, stop and inspect the local stack: Conductor, DynamoDB (moto), the Lambda service, "
        "Prometheus and, on request, the workers. Logs and state live under .local/ (LONGRUN_LOCAL_DIR).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start services that are not running and wait until they are ready")
    up.add_argument("services", nargs="*", help=f"services to start (default: {' '.join(stack.DEFAULT_SERVICES)}; also: workers)")
    down = commands.add_parser("down", help="stop the services this stack started, by process id")
    down.add_argument("services", nargs="*", help="services to stop (default: all)")
    commands.add_parser("status", help="show each service, its address, process id and log file")
    env = commands.add_parser("env", help="print the variables that point the SDKs at the local stack, as NAME=VALUE lines")
    env.add_argument("--only-unset", action="store_true", help="leave out variables already set in the environment")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)

    try:
        settings = stack_settings.load()
        if args.command == "up":
            return _up(settings, args.services)
        if args.command == "down":
            return _down(settings, args.services)
        if args.command == "status":
            return _status(settings)
        return _env(settings, args.only_unset)
    except (StackError, stack_settings.SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; stopped what this command had started", file=sys.stderr)
        return 130


def _up(settings: stack_settings.LocalSettings, names: list[str]) -> int:
    began = time.monotonic()
    states = stack.up(settings, names)
    _print_states(states)
    started = [state.name for state in states if state.note == "started"]
    if started:
        print(f"started {', '.join(started)} in {time.monotonic() - began:.1f} s")
    else:
        print("the stack was already up")
    print(f"Conductor UI: {settings.conductor_url}   API: {settings.conductor_url}/api")
    return 0


def _down(settings: stack_settings.LocalSettings, names: list[str]) -> int:
    stopped = stack.down(settings, names)
    print(f"stopped {', '.join(stopped)}" if stopped else "nothing of the stack was running")
    return 0


def _status(settings: stack_settings.LocalSettings) -> int:
    states = stack.status(settings)
    _print_states(states)
    required = [state for state in states if state.name in stack.DEFAULT_SERVICES and state.state != "skipped"]
    return 0 if all(state.state == "up" for state in required) else 3


def _env(settings: stack_settings.LocalSettings, only_unset: bool) -> int:
    for name, value in settings.client_environment().items():
        if only_unset and name in os.environ:
            continue
        print(f"{name}={value}")
    return 0


def _print_states(states: list[stack.ServiceState]) -> None:
    for state in states:
        pid = f"pid {state.pid}" if state.pid else ""
        note = f"  ({state.note})" if state.note else ""
        print(f"{state.name:<11} {state.state:<9} {state.url:<32} {pid:<10} log: {state.log_path}{note}")


if __name__ == "__main__":
    sys.exit(main())
