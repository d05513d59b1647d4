"""DynamoDB for the local stack: a moto server, with the jobs table created once it responds."""

from __future__ import annotations

import logging
import sys

import boto3
from botocore.exceptions import ClientError

from ..service import Service, http_probe
from ..settings import HOST, LocalSettings

log = logging.getLogger(__name__)

SERVICE_NAME = "dynamodb"


def command(settings: LocalSettings) -> list[str]:
    return [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(settings.dynamodb_port)]


def probe(settings: LocalSettings) -> str | None:
    return http_probe(f"{settings.dynamodb_url}/moto-api/data.json")


def client(settings: LocalSettings):
    env = settings.client_environment()
    return boto3.client(
        "dynamodb",
        endpoint_url=settings.dynamodb_url,
        region_name=settings.region,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


def create_jobs_table(settings: LocalSettings) -> None:
    """Create the jobs table with the key schema and TTL attribute of the AWS template, if it is missing."""
    dynamodb = client(settings)
    try:
        dynamodb.create_table(
            TableName=settings.table_name,
            AttributeDefinitions=[{"AttributeName": "requestId", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "requestId", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceInUseException":
            raise
        return

    dynamodb.get_waiter("table_exists").wait(TableName=settings.table_name)
    dynamodb.update_time_to_live(
        TableName=settings.table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"},
    )
    log.info("created table %s (key requestId, TTL on expiresAt)", settings.table_name)


def service(settings: LocalSettings) -> Service:
    return Service(
        name=SERVICE_NAME,
        port=settings.dynamodb_port,
        command=command,
        probe=probe,
        start_timeout_s=30.0,
        after_start=create_jobs_table,
    )
