"""Load the CloudFormation template and derive the variant that moto's CloudFormation can deploy."""

from __future__ import annotations

import copy
from pathlib import Path

from cfnlint.decode import cfn_yaml

TEMPLATE_PATH = Path(__file__).resolve().parents[3] / "infra" / "aws" / "template.yaml"

# Resource types of the template that moto 5.2.5's CloudFormation cannot create
# (no entry in moto.cloudformation.parsing.get_model_map()):
# - AWS::Lambda::EventInvokeConfig: the on-failure destination and retry count of async invokes.
# - AWS::ApiGateway::Model, RequestValidator, GatewayResponse: the POST /jobs body validation.
# The moto variant drops these resources and every property or DependsOn entry that refers to them.
MOTO_UNSUPPORTED_TYPES = frozenset(
    {
        "AWS::Lambda::EventInvokeConfig",
        "AWS::ApiGateway::Model",
        "AWS::ApiGateway::RequestValidator",
        "AWS::ApiGateway::GatewayResponse",
    }
)


def load_template() -> dict:
    """Parse template.yaml, turning short-form intrinsics (!Ref, !Sub) into their JSON form."""
    return cfn_yaml.loads(TEMPLATE_PATH.read_text())


def _refers_to(value, names: set[str]) -> bool:
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return argument in names
        if function == "Fn::GetAtt":
            target = argument[0] if isinstance(argument, list) else argument.split(".")[0]
            return target in names
    return False


def _strip_references(value, names: set[str]):
    if isinstance(value, dict):
        return {key: _strip_references(item, names) for key, item in value.items() if not _refers_to(item, names)}
    if isinstance(value, list):
        return [_strip_references(item, names) for item in value if not _refers_to(item, names)]
    return value


def moto_variant(template: dict) -> tuple[dict, set[str]]:
    """Return the template without moto-unsupported resources, and the logical ids it dropped."""
    variant = copy.deepcopy(template)
    dropped = {name for name, resource in variant["Resources"].items() if resource["Type"] in MOTO_UNSUPPORTED_TYPES}
    for name in dropped:
        del variant["Resources"][name]

    for resource in variant["Resources"].values():
        depends_on = resource.get("DependsOn")
        if depends_on is not None:
            remaining = [depends_on] if isinstance(depends_on, str) else list(depends_on)
            remaining = [name for name in remaining if name not in dropped]
            if remaining:
                resource["DependsOn"] = remaining
            else:
                del resource["DependsOn"]
        if "Properties" in resource:
            resource["Properties"] = _strip_references(resource["Properties"], dropped)
    return variant, dropped
