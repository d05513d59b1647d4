"""The workers' managed policy grants exactly the AWS calls that the workers' task functions make.

The calls are recorded, not guessed: the Conductor task functions of workers.tasks run against
the stack deployed into moto, and a botocore before-call hook on the workers' own clients
records every operation. Each scenario takes one branch of the submit rule in workers.jobs.
"""

from __future__ import annotations

import boto3
import pytest
from conductor.client.http.models.task import Task
from conductor.client.http.models.task_result_status import TaskResultStatus
from moto import mock_aws

from tests.unit.aws.conftest import REGION, deploy_variant, stack_outputs
from tests.unit.aws.template_variants import load_template
from workers import aws, config, tasks

# IAM action names that differ from "<signing name>:<operation name>".
_IAM_ACTION_FOR_OPERATION = {("lambda", "Invoke"): "lambda:InvokeFunction"}


def iam_action(signing_name: str, operation_name: str) -> str:
    return _IAM_ACTION_FOR_OPERATION.get((signing_name, operation_name), f"{signing_name}:{operation_name}")


@pytest.fixture
def workers_stack(aws_environment, function_zip, monkeypatch):
    """The stack in moto, with the workers' settings pointing at it and a recorder on their clients."""
    # Without docker, moto accepts invokes and does not run the function.
    with mock_aws(config={"lambda": {"use_docker": False}}):
        outputs = stack_outputs(deploy_variant(function_zip))
        monkeypatch.setenv("LONGRUN_TABLE_NAME", outputs["TableName"])
        monkeypatch.setenv("LONGRUN_FUNCTION_NAME", outputs["FunctionName"])
        monkeypatch.setenv("LONGRUN_AWS_MAX_ATTEMPTS", "1")
        aws.reset()
        tasks.configure(config.load())

        recorded: set[str] = set()

        def record(model, **_):
            recorded.add(iam_action(model.service_model.signing_name, model.name))

        aws.dynamodb().meta.events.register("before-call", record)
        aws.lambda_client().meta.events.register("before-call", record)
        yield outputs, recorded
        aws.reset()


def _task(request_id: str) -> Task:
    return Task(input_data={"requestId": request_id, "durationSeconds": 1}, task_id="t-" + request_id, workflow_instance_id="w-1")


def _run_all_branches(outputs: dict[str, str]) -> None:
    """Run every branch of both task functions, each ending as the workers' contract requires."""
    assert tasks.lambda_invoke_async(_task("new-job")).status == TaskResultStatus.COMPLETED
    assert tasks.lambda_invoke_async(_task("new-job")).status == TaskResultStatus.COMPLETED

    # An item SUBMITTED without invokedAt: an earlier attempt stopped before the invoke.
    boto3.client("dynamodb", region_name=REGION).put_item(
        TableName=outputs["TableName"],
        Item={"requestId": {"S": "half-submitted"}, "status": {"S": "SUBMITTED"}, "createdAt": {"N": "1"}},
    )
    assert tasks.lambda_invoke_async(_task("half-submitted")).status == TaskResultStatus.COMPLETED

    assert tasks.lambda_check_status(_task("new-job")).status == TaskResultStatus.COMPLETED
    assert tasks.lambda_check_status(_task("never-submitted")).status == TaskResultStatus.FAILED_WITH_TERMINAL_ERROR


def _policy_statements() -> list[dict]:
    return load_template()["Resources"]["WorkersPolicy"]["Properties"]["PolicyDocument"]["Statement"]


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _policy_actions() -> set[str]:
    return {action for statement in _policy_statements() for action in _as_list(statement["Action"])}


def test_policy_covers_recorded_calls(workers_stack):
    outputs, recorded = workers_stack
    _run_all_branches(outputs)
    assert recorded - _policy_actions() == set()


def test_policy_grants_nothing_unused(workers_stack):
    outputs, recorded = workers_stack
    _run_all_branches(outputs)
    assert _policy_actions() - recorded == set()


def test_policy_statements_allow_only():
    statements = _policy_statements()
    assert [statement["Effect"] for statement in statements] == ["Allow"] * len(statements)
    assert all("NotAction" not in statement and "NotResource" not in statement for statement in statements)


def test_policy_resources_in_template():
    resources = [resource for statement in _policy_statements() for resource in _as_list(statement["Resource"])]
    assert sorted(resources, key=str) == sorted(
        [{"Fn::GetAtt": ["JobFunction", "Arn"]}, {"Fn::GetAtt": ["JobsTable", "Arn"]}], key=str
    )


def test_deployed_policy_resources(deployed_stack):
    outputs = stack_outputs(deployed_stack)
    iam = boto3.client("iam", region_name=REGION)
    policy = iam.get_policy(PolicyArn=outputs["WorkersPolicyArn"])["Policy"]
    document = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"]
    table_arn = boto3.client("dynamodb", region_name=REGION).describe_table(TableName=outputs["TableName"])["Table"]["TableArn"]

    resources = {resource for statement in document["Statement"] for resource in _as_list(statement["Resource"])}
    assert resources == {table_arn, outputs["FunctionArn"]}
    assert "*" not in "".join(resources)
