"""boto3 clients for DynamoDB and Lambda, built once per process on first use.

botocore's own retries are off (one attempt in total) so that ``workers.retry`` is the only
retry layer: it logs and counts every retry, and its attempts and delays come from the settings.
Endpoints come from boto3 itself (``AWS_ENDPOINT_URL_DYNAMODB``, ``AWS_ENDPOINT_URL_LAMBDA``).
"""

from __future__ import annotations

import os
import threading
from typing import Any, Optional

import boto3
from botocore.config import Config

_lock = threading.Lock()
_clients: dict[str, Any] = {}
_timeout_s: Optional[float] = None


def configure(timeout_s: float) -> None:
    """Set the connect and read timeout of clients built after this call."""
    global _timeout_s
    with _lock:
        _timeout_s = timeout_s


def _client_config() -> Config:
    timeout = _timeout_s if _timeout_s is not None else 10.0
    return Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=timeout,
        read_timeout=timeout,
        # Above the default of 10 so that every worker thread of a process can hold a connection.
        max_pool_connections=50,
    )


def _client(service: str) -> Any:
    client = _clients.get(service)
    if client is not None:
        return client
    with _lock:
        client = _clients.get(service)
        if client is None:
            # boto3.client() on the shared default session is not thread-safe, so build under the lock.
            client = boto3.session.Session().client(service, region_name=region(), config=_client_config())
            _clients[service] = client
    return client


def region() -> Optional[str]:
    """Return the AWS region: AWS_REGION (the contract's variable), else boto3's own lookup.

    botocore 1.x resolves AWS_DEFAULT_REGION and the config file but not AWS_REGION, so read it here.
    """
    return os.environ.get("AWS_REGION") or boto3.session.Session().region_name


def dynamodb() -> Any:
    """Return this process's low-level DynamoDB client."""
    return _client("dynamodb")


def lambda_client() -> Any:
    """Return this process's Lambda client."""
    return _client("lambda")


def reset() -> None:
    """Forget the clients, so the next call builds new ones (tests change the environment)."""
    with _lock:
        _clients.clear()
