"""Retries of AWS calls: exponential backoff with full jitter, for transient errors only.

A transient error is a throttling error code, an HTTP 5xx response, or a connection failure or
timeout raised by botocore. Anything else fails at once: error codes the caller expects (such as
ConditionalCheckFailedException) are re-raised unchanged for the caller to handle, and the rest
become ``PermanentAwsError``. When the attempts run out, ``TransientAwsError`` carries the last
error code.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Collection, TypeVar

from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from workers import metrics
from workers.errors import PermanentAwsError, TransientAwsError

log = logging.getLogger(__name__)

T = TypeVar("T")

THROTTLING_CODES = frozenset({
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "SlowDown",
})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_base_s: float = 0.1
    backoff_max_s: float = 5.0
    # Injected so that tests run the retry path without waiting.
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


def error_code(error: BaseException) -> str:
    """Return the AWS error code of a ClientError, else the exception's class name."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code") or "Unknown")
    return type(error).__name__


def _http_status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


def is_transient(error: BaseException) -> bool:
    """Return True for errors that the same call may not raise a moment later."""
    if isinstance(error, ClientError):
        return error_code(error) in THROTTLING_CODES or _http_status(error) >= 500
    return isinstance(error, (ConnectionError, HTTPClientError))


def call_aws(
    operation: str,
    call: Callable[[], T],
    policy: RetryPolicy,
    expected_codes: Collection[str] = (),
) -> T:
    """Run ``call`` (one AWS API request) under ``policy`` and return its result.

    ``operation`` names the AWS operation (for example ``dynamodb.PutItem``) in logs and metrics.
    """

    def attempt() -> T:
        started = time.perf_counter()
        try:
            result = call()
        except (ClientError, BotoCoreError) as error:
            # An expected code (a failed condition) is a normal response, not a failure to alert on.
            outcome = "expected_error" if error_code(error) in expected_codes else "error"
            metrics.AWS_CALLS.labels(operation, outcome).inc()
            raise
        finally:
            metrics.AWS_SECONDS.labels(operation).observe(time.perf_counter() - started)
        metrics.AWS_CALLS.labels(operation, "success").inc()
        return result

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception()
        code = error_code(error)
        metrics.AWS_RETRIES.labels(operation, code).inc()
        log.warning(
            "retrying %s after transient error %s: attempt %d of %d failed, next attempt in %.3f s",
            operation, code, state.attempt_number, policy.max_attempts, state.upcoming_sleep,
        )

    retrying = Retrying(
        stop=stop_after_attempt(policy.max_attempts),
        wait=wait_random_exponential(multiplier=policy.backoff_base_s, max=policy.backoff_max_s),
        retry=retry_if_exception(is_transient),
        sleep=policy.sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    try:
        return retrying(attempt)
    except (ClientError, BotoCoreError) as error:
        code = error_code(error)
        if is_transient(error):
            raise TransientAwsError(
                operation, code,
                f"{operation} failed with {code} after {policy.max_attempts} attempts: {error}",
            ) from error
        if code in expected_codes:
            raise
        raise PermanentAwsError(operation, code, f"{operation} failed with {code}: {error}") from error
