"""The template deploys into moto's CloudFormation, except the resource types listed in MOTO_UNSUPPORTED_TYPES."""

from __future__ import annotations

import boto3
from moto.cloudformation.parsing import get_model_map

from tests.unit.aws.conftest import REGION, STACK_NAME, deploy_variant, stack_outputs
from tests.unit.aws.template_variants import MOTO_UNSUPPORTED_TYPES, load_template, moto_variant


def test_unsupported_types_match_moto():
    # When moto gains or loses a type, the variant and docs/aws.md must change with it.
    template_types = {resource["Type"] for resource in load_template()["Resources"].values()}
    assert template_types - set(get_model_map()) == MOTO_UNSUPPORTED_TYPES


def test_variant_drops_only_unsupported():
    template = load_template()
    variant, dropped = moto_variant(template)
    assert set(template["Resources"]) - set(variant["Resources"]) == dropped
    assert {template["Resources"][name]["Type"] for name in dropped} == MOTO_UNSUPPORTED_TYPES


def test_stack_created(deployed_stack):
    assert deployed_stack["StackStatus"] == "CREATE_COMPLETE"


def test_table_key_schema(deployed_stack):
    table_name = stack_outputs(deployed_stack)["TableName"]
    table = boto3.client("dynamodb", region_name=REGION).describe_table(TableName=table_name)["Table"]
    assert table_name == f"{STACK_NAME}-jobs"
    assert table["KeySchema"] == [{"AttributeName": "requestId", "KeyType": "HASH"}]
    assert table["AttributeDefinitions"] == [{"AttributeName": "requestId", "AttributeType": "S"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_table_ttl_and_pitr_in_template():
    # moto's CloudFormation ignores TimeToLiveSpecification and PointInTimeRecoverySpecification,
    # so these are checked on the template; docs/aws.md lists the commands that check them on AWS.
    properties = load_template()["Resources"]["JobsTable"]["Properties"]
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


def test_function_configuration(deployed_stack):
    outputs = stack_outputs(deployed_stack)
    configuration = boto3.client("lambda", region_name=REGION).get_function_configuration(
        FunctionName=outputs["FunctionName"]
    )
    assert outputs["FunctionName"] == f"{STACK_NAME}-job"
    assert configuration["FunctionArn"] == outputs["FunctionArn"]
    assert configuration["Runtime"] == "python3.12"
    assert configuration["Handler"] == "handler.handler"
    assert configuration["Timeout"] == 900
    assert configuration["MemorySize"] == 256
    assert configuration["Environment"]["Variables"] == {"LONGRUN_TABLE_NAME": outputs["TableName"]}


def test_function_unreserved_by_default(deployed_stack):
    function = boto3.client("lambda", region_name=REGION).get_function(FunctionName=f"{STACK_NAME}-job")
    assert "Concurrency" not in function


def test_function_reserved_concurrency(mocked_aws, function_zip):
    deploy_variant(function_zip, {"ReservedConcurrency": "7", "FunctionTimeoutSeconds": "120"})
    function = boto3.client("lambda", region_name=REGION).get_function(FunctionName=f"{STACK_NAME}-job")
    assert function["Concurrency"] == {"ReservedConcurrentExecutions": 7}
    assert function["Configuration"]["Timeout"] == 120


def test_log_group_retention(deployed_stack):
    groups = boto3.client("logs", region_name=REGION).describe_log_groups(
        logGroupNamePrefix=f"/aws/lambda/{STACK_NAME}-job"
    )["logGroups"]
    assert [group["logGroupName"] for group in groups] == [f"/aws/lambda/{STACK_NAME}-job"]
    assert groups[0]["retentionInDays"] == 14


def test_api_routes(deployed_stack):
    api_url = stack_outputs(deployed_stack)["ApiUrl"]
    api_id = api_url.removeprefix("https://").split(".")[0]
    resources = boto3.client("apigateway", region_name=REGION).get_resources(restApiId=api_id)["items"]
    methods = {resource["path"]: set(resource.get("resourceMethods", {})) for resource in resources}
    assert methods["/jobs"] == {"POST"}
    assert methods["/jobs/{requestId}"] == {"GET"}
    assert api_url.endswith("/v1")


def test_submit_integration_is_async(deployed_stack):
    # Read from the template because moto stores no integration request parameters from CloudFormation.
    integration = load_template()["Resources"]["SubmitMethod"]["Properties"]["Integration"]
    assert integration["Type"] == "AWS"
    assert integration["RequestParameters"] == {"integration.request.header.X-Amz-Invocation-Type": "'Event'"}
    assert integration["IntegrationResponses"][0]["StatusCode"] == "202"


def test_stage_throttling_in_template():
    stage = load_template()["Resources"]["ApiDeployment"]["Properties"]["StageDescription"]
    assert stage["ThrottlingBurstLimit"] == {"Ref": "ApiThrottlingBurstLimit"}
    assert stage["ThrottlingRateLimit"] == {"Ref": "ApiThrottlingRateLimit"}


def test_outputs_complete(deployed_stack):
    outputs = stack_outputs(deployed_stack)
    assert set(outputs) == {"TableName", "FunctionName", "FunctionArn", "ApiUrl", "WorkersPolicyArn", "FailureQueueUrl", "Region"}
    assert outputs["Region"] == REGION
