from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from infra.aws import package
from tests.unit.aws.template_variants import load_template, moto_variant

REGION = "us-east-1"
STACK_NAME = "longrun-test"
CODE_BUCKET = "longrun-code"


@pytest.fixture
def aws_environment(monkeypatch):
    """Fake credentials and a fixed region, so no test can reach a real account."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_LAMBDA", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mocked_aws(aws_environment):
    with mock_aws():
        yield


@pytest.fixture
def function_zip(tmp_path: Path) -> Path:
    """The deployable zip, built by the helper from a one-file function (moto does not run it)."""
    source_dir = tmp_path / "function"
    source_dir.mkdir()
    (source_dir / "handler.py").write_text("def handler(event, context):\n    return None\n")
    return package.build_zip(source_dir, tmp_path / "function.zip")


def deploy_variant(zip_path: Path, parameters: dict[str, str] | None = None) -> dict:
    """Upload the zip to a moto bucket and create the moto variant of the stack; return the stack."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=CODE_BUCKET)
    key = package.code_key(zip_path, "longrun")
    s3.upload_file(str(zip_path), CODE_BUCKET, key)

    variant, _ = moto_variant(load_template())
    all_parameters = {"CodeBucket": CODE_BUCKET, "CodeKey": key, **(parameters or {})}
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    cloudformation.create_stack(
        StackName=STACK_NAME,
        TemplateBody=json.dumps(variant),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in all_parameters.items()],
        Capabilities=["CAPABILITY_IAM"],
    )
    return cloudformation.describe_stacks(StackName=STACK_NAME)["Stacks"][0]


@pytest.fixture
def deployed_stack(mocked_aws, function_zip) -> dict:
    return deploy_variant(function_zip)


def stack_outputs(stack: dict) -> dict[str, str]:
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
