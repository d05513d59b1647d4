"""Measure what metrics cost the workers: two worker processes side by side, one with metrics on and one
with them off, each polling a task domain of its own, fed the same jobs in alternation.

    python -m bench.metrics_overhead --jobs 60 --concurrency 10

Both processes run at the same time on the same machine, so the ratio of their CPU seconds is fair
even on a noisy machine. The absolute numbers are not. Prints one line per variant.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

from workflows.conductor import ConductorClient, ConductorError
from workflows.start import JobRequest, start

from .errors import BenchError
from .procstat import TreeSampler
from .worker_process import WorkerProcess

VARIANTS = {"metrics on": "true", "metrics off": "false"}


def run(jobs: int, concurrency: int, duration_s: float, interval_s: int) -> dict[str, dict[str, float]]:
    client = ConductorClient()
    work_dir = Path(tempfile.mkdtemp(prefix="metrics-overhead-"))
    workers: dict[str, WorkerProcess] = {}
    samplers: dict[str, TreeSampler] = {}
    try:
        for name, enabled in VARIANTS.items():
            domain = f"overhead{uuid.uuid4().hex[:8]}"
            slug = name.replace(" ", "-")
            workers[name] = WorkerProcess(
                domain, work_dir / f"{slug}.log", work_dir / f"{slug}-metrics", {"LONGRUN_METRICS_ENABLED": enabled}
            )
            workers[name].start()
        for name, process in workers.items():
            samplers[name] = TreeSampler(name, process.pid, interval_s=0.25)
            samplers[name].start()

        _drive(client, workers, jobs, concurrency, duration_s, interval_s)
    finally:
        usage = {name: sampler.stop() for name, sampler in samplers.items()}
        for process in workers.values():
            process.stop()

    return {
        name: {"cpu_s": result.cpu_s, "peak_rss_mb": result.peak_rss_bytes / 2**20}
        for name, result in usage.items()
        if result is not None
    }


def _drive(client, workers, jobs, concurrency, duration_s, interval_s) -> None:
    """Start ``jobs`` jobs per variant, alternating, with at most ``concurrency`` in flight per variant."""
    pending = {name: jobs for name in workers}
    running: dict[str, list[str]] = {name: [] for name in workers}
    while any(pending.values()) or any(running.values()):
        for name, process in workers.items():
            running[name] = [wid for wid in running[name] if client.workflow(wid, include_tasks=False)["status"] == "RUNNING"]
            while pending[name] and len(running[name]) < concurrency:
                job = JobRequest(request_id=f"overhead-{uuid.uuid4().hex[:16]}", polling_interval_s=interval_s, duration_s=duration_s)
                running[name].append(start(client, "workers", job, task_domain=process.task_domain))
                pending[name] -= 1
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.metrics_overhead", description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=60, help="jobs per variant (default: 60)")
    parser.add_argument("--concurrency", type=int, default=10, help="jobs in flight per variant (default: 10)")
    parser.add_argument("--duration", type=float, default=2.0, help="seconds each job works (default: 2)")
    parser.add_argument("--interval", type=int, default=1, help="seconds between status checks (default: 1)")
    args = parser.parse_args(argv)
    if args.jobs <= 0 or args.concurrency <= 0:
        print("error: --jobs and --concurrency must be greater than 0", file=sys.stderr)
        return 2

    try:
        results = run(args.jobs, args.concurrency, args.duration, args.interval)
    except (BenchError, ConductorError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, result in results.items():
        print(f"{name:<12} worker CPU {result['cpu_s']:7.2f} s   peak RSS {result['peak_rss_mb']:7.1f} MB")
    if len(results) == 2:
        on, off = results["metrics on"], results["metrics off"]
        print(f"ratio on/off: CPU {on['cpu_s'] / off['cpu_s']:.2f}, peak RSS {on['peak_rss_mb'] / off['peak_rss_mb']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
