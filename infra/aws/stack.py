"""Create, update, delete and read the CloudFormation stack."""

from __future__ import annotations

import logging
from pathlib import Path

from botocore.exceptions import ClientError, WaiterError

from .errors import DeployError, MissingOutputError, StackNotFoundError

log = logging.getLogger(__name__)

TEMPLATE_PATH = Path(__file__).resolve().parent / "template.yaml"

# create_stack needs this acknowledgement because the template creates IAM roles and policies.
_CAPABILITIES = ["CAPABILITY_IAM"]


def _is_missing_stack(error: ClientError) -> bool:
    message = error.response.get("Error", {}).get("Message", "")
    return error.response.get("Error", {}).get("Code") == "ValidationError" and "does not exist" in message


def describe_stack(cloudformation, stack_name: str) -> dict:
    """Return the stack's description, raising StackNotFoundError when there is none."""
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        if _is_missing_stack(exc):
            raise StackNotFoundError(f"stack {stack_name!r} not found in {cloudformation.meta.region_name}") from exc
        raise DeployError(f"describe_stacks failed for stack {stack_name!r}: {exc}") from exc
    if not stacks:
        raise StackNotFoundError(f"stack {stack_name!r} not found in {cloudformation.meta.region_name}")
    return stacks[0]


def read_outputs(cloudformation, stack_name: str, required: tuple[str, ...] = ()) -> dict[str, str]:
    """Return the stack's outputs as {OutputKey: OutputValue}, checking that ``required`` are there."""
    stack = describe_stack(cloudformation, stack_name)
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    missing = [key for key in required if key not in outputs]
    if missing:
        raise MissingOutputError(
            f"stack {stack_name!r} has no output {', '.join(missing)} (status {stack.get('StackStatus')}); "
            "deploy it with infra/aws/template.yaml"
        )
    return outputs


def deploy(cloudformation, stack_name: str, parameters: dict[str, str], template_body: str) -> str:
    """Create the stack, or update it when it exists; wait for the end and return 'created', 'updated' or 'unchanged'."""
    cfn_parameters = [{"ParameterKey": key, "ParameterValue": value} for key, value in sorted(parameters.items())]
    try:
        describe_stack(cloudformation, stack_name)
    except StackNotFoundError:
        log.info("creating stack %s", stack_name)
        cloudformation.create_stack(
            StackName=stack_name, TemplateBody=template_body, Parameters=cfn_parameters, Capabilities=_CAPABILITIES
        )
        _wait(cloudformation, "stack_create_complete", stack_name)
        return "created"

    log.info("updating stack %s", stack_name)
    try:
        cloudformation.update_stack(
            StackName=stack_name, TemplateBody=template_body, Parameters=cfn_parameters, Capabilities=_CAPABILITIES
        )
    except ClientError as exc:
        if "No updates are to be performed" in str(exc):
            return "unchanged"
        raise DeployError(f"update_stack failed for stack {stack_name!r}: {exc}") from exc
    _wait(cloudformation, "stack_update_complete", stack_name)
    return "updated"


def delete(cloudformation, stack_name: str) -> None:
    """Delete the stack and wait until it is gone."""
    describe_stack(cloudformation, stack_name)
    log.info("deleting stack %s", stack_name)
    cloudformation.delete_stack(StackName=stack_name)
    _wait(cloudformation, "stack_delete_complete", stack_name)


def _wait(cloudformation, waiter_name: str, stack_name: str) -> None:
    try:
        cloudformation.get_waiter(waiter_name).wait(StackName=stack_name, WaiterConfig={"Delay": 10, "MaxAttempts": 180})
    except WaiterError as exc:
        raise DeployError(
            f"stack {stack_name!r} did not reach the expected state ({waiter_name}): {exc}; "
            f"see its events with: aws cloudformation describe-stack-events --stack-name {stack_name}"
        ) from exc
