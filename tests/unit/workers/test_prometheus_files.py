"""infra/prometheus: every metric the rules and the dashboard query is one that something exports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conductor.client.telemetry.model.metric_name import MetricName

from workers import metrics

PROMETHEUS_DIR = Path(__file__).resolve().parents[3] / "infra" / "prometheus"

# Families the parent process adds at scrape time (workers.runner._SupervisorCollector).
SUPERVISOR_FAMILIES = {"longrun_worker_up", "longrun_worker_restarts"}
# Exported by Prometheus itself or by the Conductor server 3.32.3 on /actuator/prometheus.
OTHER_FAMILIES = {"up", "task_queue_depth"}

PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"}
SUFFIXES = ("_total", "_bucket", "_sum", "_count", "_created")


def expressions():
    rules = yaml.safe_load((PROMETHEUS_DIR / "rules.yml").read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            yield f"rule {rule['alert']}", rule["expr"]
    dashboard = json.loads((PROMETHEUS_DIR / "dashboard.json").read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            yield f"panel {panel['title']}", target["expr"]


def metric_names(expr):
    """Return the metric names of a PromQL expression: identifiers that are not functions,
    keywords, label names, durations or string contents."""
    text = re.sub(r'"[^"]*"', "", expr)
    text = re.sub(r"\{[^}]*\}", "", text)
    text = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", text)
    text = re.sub(r"\[[^\]]*\]", "", text)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        following = text[match.end():].lstrip()[:1]
        word = match.group(0)
        if following == "(" or word in PROMQL_WORDS:
            continue
        names.add(word)
    return names


def family(name):
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def exported_families():
    ours = {metric.name for metric in metrics.REGISTRY.collect()}
    sdk = {str(name.value) for name in MetricName}
    return ours | SUPERVISOR_FAMILIES | sdk | OTHER_FAMILIES


CASES = [(where, expr) for where, expr in expressions()]


@pytest.mark.parametrize("where, expr", CASES, ids=[where for where, _ in CASES])
def test_queried_metrics_are_exported(where, expr):
    exported = exported_families()

    unknown = sorted(name for name in metric_names(expr) if family(name) not in exported)

    assert unknown == [], f"{where} queries metrics nobody exports: {unknown}"


def test_parser_finds_names():
    names = metric_names('sum by (task_type) (rate(longrun_task_errors_total{error!="x"}[5m])) / up > 0.1')

    assert names == {"longrun_task_errors_total", "up"}


def test_every_longrun_family_is_documented():
    docs = (PROMETHEUS_DIR.parents[1] / "docs" / "metrics.md").read_text()

    missing = sorted(name for name in exported_families() if name.startswith("longrun_") and name not in docs)

    assert missing == []


PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool is not installed (Debian package prometheus); CI installs it"
)


@needs_promtool
def test_promtool_accepts_config():
    run = subprocess.run([PROMTOOL, "check", "config", str(PROMETHEUS_DIR / "prometheus.yml")],
                         capture_output=True, text=True, timeout=60)

    assert run.returncode == 0, run.stdout + run.stderr


@needs_promtool
def test_promtool_accepts_rules():
    run = subprocess.run([PROMTOOL, "check", "rules", str(PROMETHEUS_DIR / "rules.yml")],
                         capture_output=True, text=True, timeout=60)

    assert run.returncode == 0, run.stdout + run.stderr
