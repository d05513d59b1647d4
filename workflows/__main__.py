"""Command line: python -m workflows {register,start,demo}."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from .conductor import ConductorClient, ConductorError
from .definitions import DESIGNS
from .demo import run_demo, side_by_side
from .execution import summarize
from .follow import follow
from .register import register_all
from .start import JobRequest, StartError, start


def _emit(line: str) -> None:
    print(line, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workflows",
        description="Register the longrun workflows and run jobs through them. The Conductor server comes from "
        "CONDUCTOR_SERVER_URL (default http://localhost:8080/api), with CONDUCTOR_AUTH_KEY/SECRET for Orkes.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("register", help="create or update the task and workflow definitions")

    run = commands.add_parser("start", help="start a job and follow it to its end; exit 0 only if the workflow completed")
    run.add_argument("--design", required=True, choices=DESIGNS, help="which workflow runs the job")
    run.add_argument("--request-id", required=True, help="the job's key: 1 to 128 characters from A-Z a-z 0-9 . _ : -")
    run.add_argument("--interval", type=int, default=5, help="seconds between status checks (default: 5)")
    run.add_argument("--max-polls", type=int, help="status checks before giving up (default: enough for --max-job-duration)")
    run.add_argument("--max-job-duration", type=int, help="maximum job duration that the default cap allows, in seconds (default: 900)")
    run.add_argument("--duration", type=float, help="seconds the job works, a knob of the Lambda function (default: 0)")
    run.add_argument("--fail-with", help="make the job end FAILED with this error, a knob of the Lambda function")
    run.add_argument(
        "--task-domain",
        default=os.environ.get("LONGRUN_TASK_DOMAIN") or None,
        help="send the worker tasks to this Conductor task domain (default: LONGRUN_TASK_DOMAIN, else none)",
    )
    run.add_argument("--no-follow", action="store_true", help="print the workflow id and return at once")

    demo = commands.add_parser("demo", help="run one short job through each design and print them side by side")
    demo.add_argument("--duration", type=float, default=3.0, help="seconds the job works (default: 3)")
    demo.add_argument("--interval", type=int, default=1, help="seconds between status checks (default: 1)")
    demo.add_argument("--designs", default=",".join(DESIGNS), help=f"comma-separated designs (default: {','.join(DESIGNS)})")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    client = ConductorClient()
    try:
        if args.command == "register":
            for name in register_all(client):
                print(f"registered {name}")
            return 0
        if args.command == "start":
            return _start(client, args)
        return _demo(client, args)
    except (ConductorError, StartError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; a started workflow keeps running on the server", file=sys.stderr)
        return 130


def _start(client: ConductorClient, args: argparse.Namespace) -> int:
    job = JobRequest(
        request_id=args.request_id,
        polling_interval_s=args.interval,
        max_polls=args.max_polls,
        max_job_duration_s=args.max_job_duration,
        duration_s=args.duration,
        fail_with=args.fail_with,
    )
    workflow_id = start(client, args.design, job, task_domain=args.task_domain)
    print(f"started {args.design} workflow {workflow_id} for requestId {job.request_id}")
    print(f"  {client.ui_url}/execution/{workflow_id}")
    if args.no_follow:
        return 0

    began = time.monotonic()
    workflow = follow(client, workflow_id, lambda line: _emit(f"+{time.monotonic() - began:6.2f}s  {line}"))
    summary = summarize(args.design, workflow)
    if summary.status != "COMPLETED":
        print(f"workflow {summary.status}: {summary.reason}", file=sys.stderr)
        return 1
    print(f"completed in {summary.end_to_end_s:.2f} s; output: {workflow.get('output')}")
    return 0


def _demo(client: ConductorClient, args: argparse.Namespace) -> int:
    designs = tuple(name.strip() for name in args.designs.split(",") if name.strip())
    unknown = [name for name in designs if name not in DESIGNS]
    if unknown:
        raise StartError(f"unknown design {', '.join(unknown)} in --designs; choose from {', '.join(DESIGNS)}")

    summaries = run_demo(client, _emit, designs=designs, duration_s=args.duration, polling_interval_s=args.interval)
    print("\n" + side_by_side(summaries))
    print("\nWhere to look:")
    print(f"  Conductor UI   {client.ui_url}  (executions: {client.ui_url}/executions)")
    for summary in summaries:
        print(f"    {summary.design:<10} {client.ui_url}/execution/{summary.workflow_id}")
    print(f"  Conductor API  {client.server_url}")
    print(f"  logs           {os.environ.get('LONGRUN_LOCAL_DIR', '.local')}/logs/ (conductor, dynamodb, lambda, workers, prometheus)")
    print("  stop the stack with `make down`")
    return 0 if all(summary.status == "COMPLETED" for summary in summaries) else 1


if __name__ == "__main__":
    sys.exit(main())
