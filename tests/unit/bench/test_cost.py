"""The cost arithmetic and the call counts, against hand-computed values."""

from __future__ import annotations

import json

import pytest

from bench.cost import CallCounts, count_calls, estimate
from bench.errors import ConfigError
from bench.prices import load_prices

# Round prices so that the expected values can be worked out by hand.
PRICES = {
    "prices": {
        "lambda_request_usd": 0.001,
        "lambda_gb_second_usd": 0.01,
        "api_gateway_request_usd": 0.002,
        "dynamodb_write_request_unit_usd": 0.0001,
        "dynamodb_read_request_unit_usd": 0.00001,
    },
    "assumptions": {
        "lambda_memory_mb": 512,
        "status_invocation_billed_ms": 100,
        "write_request_units_per_write": 1,
        "read_request_units_per_consistent_read": 1,
    },
}


def job(**fields):
    return {"attempt": 1, "statusReads": 5, "workSeconds": 10.0, "itemFound": True, "invokedAt": 1, **fields}


def test_workers_counts():
    counts = count_calls("workers", [job(), job(statusReads=7)])
    assert counts.lambda_async_invocations == 2
    assert counts.lambda_sync_invocations == 0
    assert counts.api_gateway_requests == 0
    # Per job: put + invokedAt update + the function's start and terminal updates.
    assert counts.dynamodb_writes == 8
    assert counts.dynamodb_consistent_reads == 12
    assert counts.job_work_seconds == 20.0


def test_workers_without_invoked_at_skips_update():
    counts = count_calls("workers", [job(invokedAt=None)])
    assert counts.dynamodb_writes == 3


def test_http_poll_counts():
    counts = count_calls("http_poll", [job(), job(statusReads=7, attempt=2)])
    assert counts.lambda_async_invocations == 3
    assert counts.lambda_sync_invocations == 12
    assert counts.api_gateway_requests == 2 + 12
    assert counts.dynamodb_writes == 6
    assert counts.dynamodb_consistent_reads == 12


def test_workers_estimate_by_hand():
    counts = CallCounts(jobs=2, lambda_async_invocations=2, lambda_sync_invocations=0, job_work_seconds=20.0,
                        api_gateway_requests=0, dynamodb_writes=8, dynamodb_consistent_reads=12)
    cost = estimate(counts, PRICES)
    # 2 jobs scale by 500 to 1,000 jobs.
    assert cost["lambdaRequests"] == pytest.approx(2 * 0.001 * 500)
    assert cost["lambdaDuration"] == pytest.approx(20.0 * 0.5 * 0.01 * 500)
    assert cost["apiGateway"] == 0
    assert cost["dynamodbWrites"] == pytest.approx(8 * 0.0001 * 500)
    assert cost["dynamodbReads"] == pytest.approx(12 * 0.00001 * 500)
    assert cost["total"] == pytest.approx(1 + 50 + 0.4 + 0.06)


def test_http_poll_estimate_by_hand():
    counts = CallCounts(jobs=1, lambda_async_invocations=1, lambda_sync_invocations=4, job_work_seconds=10.0,
                        api_gateway_requests=5, dynamodb_writes=2, dynamodb_consistent_reads=4)
    cost = estimate(counts, PRICES)
    assert cost["lambdaRequests"] == pytest.approx(5 * 0.001 * 1000)
    # 10 s of work plus 4 status invocations of 0.1 s, at 0.5 GB.
    assert cost["lambdaDuration"] == pytest.approx(10.4 * 0.5 * 0.01 * 1000)
    assert cost["apiGateway"] == pytest.approx(5 * 0.002 * 1000)
    assert cost["total"] == pytest.approx(5 + 52 + 10 + 0.2 + 0.04)


def test_no_jobs_no_estimate():
    assert estimate(count_calls("workers", []), PRICES) is None


def test_default_prices_load():
    table = load_prices()
    assert table["prices"]["lambda_request_usd"] == pytest.approx(0.0000002)
    assert table["assumptions"]["lambda_memory_mb"] == 256


def test_prices_file_overrides_one_key(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"prices": {"api_gateway_request_usd": 0.000001}}))
    table = load_prices(path)
    assert table["prices"]["api_gateway_request_usd"] == 0.000001
    assert table["prices"]["lambda_request_usd"] == pytest.approx(0.0000002)


def test_prices_file_unknown_key_raises(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"prices": {"ec2_hour_usd": 1}}))
    with pytest.raises(ConfigError, match="ec2_hour_usd"):
        load_prices(path)


def test_prices_file_negative_raises(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"assumptions": {"lambda_memory_mb": -1}}))
    with pytest.raises(ConfigError, match="lambda_memory_mb"):
        load_prices(path)
