"""A real Prometheus server scrapes running workers, and PromQL returns the counts that the run produced."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import requests

from .conftest import free_port, wait_for

pytestmark = pytest.mark.integration

PROMETHEUS = shutil.which("prometheus")

SCRAPE_CONFIG = """
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: longrun-workers
    static_configs:
      - targets: ["127.0.0.1:{metrics_port}"]
"""


@pytest.fixture
def prometheus_for(tmp_path):
    """Start a Prometheus server of the test's own that scrapes the given workers' metrics port."""
    started: list[subprocess.Popen] = []

    def _start(metrics_url: str) -> str:
        port = free_port()
        config = tmp_path / "prometheus.yml"
        config.write_text(SCRAPE_CONFIG.format(metrics_port=metrics_url.rsplit(":", 1)[1]))
        log = open(tmp_path / "prometheus.log", "wb")
        process = subprocess.Popen(
            [
                PROMETHEUS,
                f"--config.file={config}",
                f"--storage.tsdb.path={tmp_path / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _ready(url), timeout_s=30, message="Prometheus to be ready")
        return url

    yield _start

    for process in started:
        process.terminate()
        process.wait(timeout=30)


def _ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/-/ready", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def query_value(prometheus_url: str, promql: str) -> float | None:
    response = requests.get(f"{prometheus_url}/api/v1/query", params={"query": promql}, timeout=5)
    response.raise_for_status()
    result = response.json()["data"]["result"]
    if not result:
        return None
    return float(result[0]["value"][1])


@pytest.mark.skipif(PROMETHEUS is None, reason="Debian's prometheus package is not installed (.ci/run installs it)")
def test_prometheus_counts_match_run(start_workers, run_job, prometheus_for):
    workers = start_workers()
    workflows = [run_job("workers", duration_s=0.5), run_job("workers", duration_s=1.5)]
    checks = sum(workflow["output"]["polls"] for workflow in workflows)
    prometheus_url = prometheus_for(workers.metrics_url)

    def counts_scraped() -> dict[str, float | None] | None:
        counts = {
            "submitted": query_value(
                prometheus_url, 'sum(longrun_task_executions_total{task_type="lambda_invoke_async",outcome="completed"})'
            ),
            "checked": query_value(
                prometheus_url, 'sum(longrun_task_executions_total{task_type="lambda_check_status",outcome="completed"})'
            ),
            "finished": query_value(prometheus_url, 'sum(longrun_job_status_observed_total{finished="true"})'),
            "invokes": query_value(prometheus_url, 'sum(longrun_aws_calls_total{operation="lambda.Invoke",outcome="success"})'),
        }
        return counts if None not in counts.values() else None

    counts = wait_for(counts_scraped, timeout_s=30, interval_s=0.5, message="Prometheus to scrape the workers")

    assert [workflow["status"] for workflow in workflows] == ["COMPLETED", "COMPLETED"]
    assert counts["submitted"] == 2
    assert counts["checked"] == checks
    assert counts["finished"] == 2
    assert counts["invokes"] == 2
    assert query_value(prometheus_url, 'up{job="longrun-workers"}') == 1
