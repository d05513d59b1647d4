"""report.md and the summary printed at the end: one Markdown table per design, a comparison and the costs."""

from __future__ import annotations

from typing import Any

MB = 1024 * 1024


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _n(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _usd(value: float | None) -> str:
    return "-" if value is None else f"${value:.4f}"


def design_rows(figures: dict[str, Any], workers_usage: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Return (metric, value) rows for one design."""
    lag, e2e = figures["detectionLagSeconds"], figures["endToEndSeconds"]
    delay, work = figures["startDelaySeconds"], figures["workSeconds"]
    cost = figures["costPerThousandJobsUsd"] or {}
    rows = [
        ("jobs completed / started", f"{figures['completed']} / {figures['started']}"),
        ("failures", str(figures["failed"])),
        ("terminated by the benchmark", str(figures["terminated"])),
        ("detection lag p50 / p95 / p99 / max (s)", " / ".join(_s(lag[key]) for key in ("p50", "p95", "p99", "max"))),
        ("end-to-end p50 / p95 / p99 / max (s)", " / ".join(_s(e2e[key]) for key in ("p50", "p95", "p99", "max"))),
        ("start delay p50 / p95 (s)", f"{_s(delay['p50'])} / {_s(delay['p95'])}"),
        ("job work time mean (s)", _s(work["mean"])),
        ("status reads per job (mean)", _n(figures["statusReadsPerJob"], 2)),
        ("Conductor tasks in the execution per job (mean)", _n(figures["tasksInExecutionPerJob"], 2)),
        ("Conductor task executions per job (mean)", _n(figures["taskExecutionsPerJob"], 2)),
        ("throughput (jobs/min)", _n(figures["throughputJobsPerMinute"])),
        ("worker CPU (s)", "-" if not workers_usage else _n(workers_usage["cpuSeconds"], 2)),
        ("worker peak RSS (MB)", "-" if not workers_usage else _n(workers_usage["peakRssBytes"] / MB)),
        ("estimated AWS cost per 1,000 jobs (USD)", _usd(cost.get("total"))),
    ]
    return rows


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def comparison_table(results: dict[str, Any]) -> str:
    designs = list(results["designs"])
    per_design = {design: dict(design_rows(results["designs"][design], _workers_usage(results, design))) for design in designs}
    metrics = [metric for metric, _ in design_rows(results["designs"][designs[0]], None)]
    return _table(["metric", *designs], [[metric, *(per_design[design][metric] for design in designs)] for metric in metrics])


def _workers_usage(results: dict[str, Any], design: str) -> dict[str, Any] | None:
    return results["resources"].get("workers") if design == "workers" else None


def cost_table(results: dict[str, Any]) -> str:
    designs = list(results["designs"])
    items = [("lambdaRequests", "Lambda requests"), ("lambdaDuration", "Lambda duration (GB-s)"),
             ("apiGateway", "API Gateway requests"), ("dynamodbWrites", "DynamoDB writes"),
             ("dynamodbReads", "DynamoDB strongly consistent reads"), ("total", "total")]
    rows = []
    for key, label in items:
        rows.append([label, *(_usd((results["designs"][design]["costPerThousandJobsUsd"] or {}).get(key)) for design in designs)])
    return _table(["per 1,000 jobs (USD, estimate)", *designs], rows)


def calls_table(results: dict[str, Any]) -> str:
    designs = list(results["designs"])
    keys = [("jobs", "completed jobs counted"), ("lambda_async_invocations", "Lambda async invocations"),
            ("lambda_sync_invocations", "Lambda sync invocations"), ("api_gateway_requests", "API Gateway requests"),
            ("dynamodb_writes", "DynamoDB writes"), ("dynamodb_consistent_reads", "DynamoDB consistent reads")]
    return _table(["AWS calls counted", *designs],
                  [[label, *(str(results["designs"][design]["awsCalls"][key]) for design in designs)] for key, label in keys])


def run_rows(results: dict[str, Any]) -> list[str]:
    resources = results["resources"]
    lines = [f"- wall time: {results['wallSeconds']:.1f} s"]
    for name, label in (("conductor", "Conductor server"), ("lambdaService", "local Lambda service")):
        usage = resources.get(name)
        if usage:
            lines.append(f"- {label} CPU during the run: {usage['cpuSeconds']:.1f} s (peak RSS {usage['peakRssBytes'] / MB:.0f} MB); shared by all designs")
        else:
            lines.append(f"- {label} CPU: not measured (not a process of the local stack on this machine)")
    if resources.get("lambdaQueueDepthMax") is not None:
        lines.append(f"- local Lambda service: at most {resources['lambdaQueueDepthMax']} asynchronous invocations queued")
    return lines


def render(results: dict[str, Any]) -> str:
    config = results["configuration"]
    versions = results["versions"]
    heading = "# Benchmark results" + (" (partial)" if results["partial"] else "")
    parts = [
        heading,
        "",
        f"Run {results['startedAt']}: {config['jobs']} jobs per design, durations `{config['duration']}` (seed {config['seed']}), "
        f"status checks every {config['interval_s']} s, {config['concurrency']} jobs in flight per design, "
        f"designs {', '.join(config['designs'])} interleaved.",
    ]
    if results["partial"]:
        parts += ["", f"**Partial:** {results['interruption'] or 'not every job was started'}."]
    parts += [
        "",
        f"Conductor {versions['conductorServer']}, conductor-python {versions['packages']['conductor-python']}, "
        f"boto3 {versions['packages']['boto3']}, Python {versions['python']}, commit {str(versions['gitCommit'])[:12]}"
        f"{' (uncommitted changes)' if versions['gitDirty'] else ''}, {versions['cpuCount']} CPUs.",
        "",
        "## Comparison",
        "",
        comparison_table(results),
        "",
        *run_rows(results),
        "",
        "![detection lag](lag.png)",
    ]
    for design in results["designs"]:
        rows = design_rows(results["designs"][design], _workers_usage(results, design))
        parts += ["", f"## {design}", "", _table(["metric", "value"], [list(row) for row in rows])]
    prices = results["prices"]
    parts += [
        "",
        "## Estimated AWS cost",
        "",
        cost_table(results),
        "",
        calls_table(results),
        "",
        f"Unit prices: {prices.get('file', 'bench/prices.json')}, {prices['region']}, recorded {prices['recorded']}; "
        f"Lambda memory {prices['assumptions']['lambda_memory_mb']} MB, "
        f"status invocation billed {prices['assumptions']['status_invocation_billed_ms']} ms (assumed). "
        "Estimates only: Conductor, the workers' hosts and free tiers are not included.",
        "",
        "How to read these numbers: docs/benchmark.md.",
        "",
    ]
    return "\n".join(parts)
