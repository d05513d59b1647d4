"""A tiny benchmark end to end on the local stack: output files, and counts that match DynamoDB and Conductor."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import REPO_ROOT, free_port

pytestmark = pytest.mark.integration

JOBS = 3
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_bench(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench", "--no-progress", *args],
        cwd=REPO_ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def bench_run(local_stack, conductor, tmp_path_factory):
    output_dir = tmp_path_factory.mktemp("bench") / "results"
    result = run_bench(["--jobs", str(JOBS), "--duration", "1", "--interval", "1", "--concurrency", "2",
                        "--output-dir", str(output_dir)])
    assert result.returncode == 0, result.stdout + result.stderr
    return output_dir


@pytest.fixture(scope="module")
def raw(bench_run):
    return json.loads((bench_run / "raw.json").read_text())


def test_raw_json_lists_every_job(raw):
    assert len(raw["jobs"]) == 2 * JOBS
    assert raw["partial"] is False


def test_raw_json_records_versions(raw):
    assert raw["versions"]["conductorServer"]
    assert raw["versions"]["packages"]["conductor-python"]
    assert raw["versions"]["gitCommit"]


def test_report_has_table_per_design(bench_run):
    report = (bench_run / "report.md").read_text()
    assert "## workers\n" in report
    assert "## http_poll\n" in report
    assert "| detection lag p50 / p95 / p99 / max (s) |" in report


def test_plot_is_png(bench_run):
    assert (bench_run / "lag.png").read_bytes()[:8] == PNG_SIGNATURE


def test_every_design_completed(raw):
    for design, figures in raw["designs"].items():
        assert figures["completed"] == JOBS, design
        assert figures["failed"] == 0, design


def test_items_completed_first_attempt(raw, jobs_table):
    for job in raw["jobs"]:
        item = jobs_table.get_item(Key={"requestId": job["requestId"]}, ConsistentRead=True)["Item"]
        assert item["status"] == "COMPLETED", job["requestId"]
        assert item["attempt"] == 1, job["requestId"]
        assert item["completedAt"] == job["completedAt"], job["requestId"]


def test_status_reads_match_conductor(raw, conductor):
    for job in raw["jobs"]:
        workflow = conductor.workflow(job["workflowId"], include_tasks=False)
        assert workflow["output"]["polls"] == job["statusReads"], job["requestId"]
        assert workflow["endTime"] == job["workflowEndMs"], job["requestId"]


def test_mean_status_reads_match_jobs(raw):
    for design, figures in raw["designs"].items():
        reads = [job["statusReads"] for job in raw["jobs"] if job["design"] == design]
        assert figures["statusReadsPerJob"] == sum(reads) / len(reads), design


def test_worker_usage_measured(raw):
    usage = raw["resources"]["workers"]
    assert usage["cpuSeconds"] > 0
    assert usage["peakRssBytes"] > 0


def test_closed_lambda_port_exits_2(local_stack, tmp_path):
    output_dir = tmp_path / "results"

    result = run_bench(["--jobs", "1", "--output-dir", str(output_dir)],
                       AWS_ENDPOINT_URL_LAMBDA=f"http://127.0.0.1:{free_port()}")

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Lambda" in result.stderr
    assert not output_dir.exists()
