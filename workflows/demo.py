"""Run the same short job through each design and print the runs side by side."""

from __future__ import annotations

import time
from collections.abc import Callable

from .conductor import ConductorClient
from .definitions import DESIGNS
from .execution import RunSummary, summarize
from .follow import follow
from .register import register_all
from .start import JobRequest, start

Emit = Callable[[str], None]


def run_demo(
    client: ConductorClient,
    emit: Emit,
    *,
    designs: tuple[str, ...] = DESIGNS,
    duration_s: float = 3.0,
    polling_interval_s: int = 1,
    timeout_s: float = 120.0,
) -> list[RunSummary]:
    register_all(client)
    emit(f"registered the definitions on {client.server_url}")

    run_id = time.strftime("%Y%m%d-%H%M%S")
    summaries = []
    for design in designs:
        job = JobRequest(request_id=f"demo-{design}-{run_id}", polling_interval_s=polling_interval_s, duration_s=duration_s)
        emit(f"\n== {design}: job {job.request_id}, {duration_s:g} s of work, a check every {polling_interval_s} s")
        workflow_id = start(client, design, job)
        began = time.monotonic()
        workflow = follow(client, workflow_id, lambda line: emit(f"  +{time.monotonic() - began:5.2f}s  {line}"), timeout_s=timeout_s)
        summary = summarize(design, workflow)
        summaries.append(summary)
        output = workflow.get("output") or {}
        outcome = f"result {output.get('result')}" if summary.status == "COMPLETED" else f"reason: {summary.reason}"
        emit(f"  workflow {summary.status}, job {summary.job_status}; {outcome}")
    return summaries


def side_by_side(summaries: list[RunSummary]) -> str:
    rows = [("design", "status", "end-to-end", "detection lag", "status reads", "tasks in execution")]
    for summary in summaries:
        rows.append((
            summary.design,
            summary.status,
            _seconds(summary.end_to_end_s),
            _seconds(summary.detection_lag_s),
            "-" if summary.status_reads is None else str(summary.status_reads),
            str(summary.tasks_in_execution),
        ))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"
