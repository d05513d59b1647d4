"""The job function's role grants the DynamoDB actions that infra/lambda calls, plus PutItem.

The function is loaded by path in the local stack and needs a running table, so its calls are
found by parsing: every method call in infra/lambda/*.py whose name is a DynamoDB operation
(put_item, update_item, ...) counts as that operation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import botocore.session
from botocore import xform_name

from tests.unit.aws.template_variants import load_template

FUNCTION_SOURCE_DIR = Path(__file__).resolve().parents[3] / "infra" / "lambda"

# The contract allows the function to create the item as PROCESSING when none exists; PutItem stays
# granted so that a change from an upsert UpdateItem to a PutItem does not fail with AccessDenied.
ALLOWED_UNUSED = {"dynamodb:PutItem"}


def _dynamodb_calls() -> set[str]:
    operations = botocore.session.get_session().get_service_model("dynamodb").operation_names
    by_method = {xform_name(name): name for name in operations}
    calls = set()
    for path in FUNCTION_SOURCE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in by_method:
                calls.add(f"dynamodb:{by_method[node.func.attr]}")
    return calls


def _role_dynamodb_actions() -> set[str]:
    policy = load_template()["Resources"]["JobFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    actions = set()
    for statement in policy["Statement"]:
        listed = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        actions.update(action for action in listed if action.startswith("dynamodb:"))
    return actions


def test_role_covers_function_calls():
    calls = _dynamodb_calls()
    assert calls, "no DynamoDB call found in infra/lambda"
    assert calls - _role_dynamodb_actions() == set()


def test_role_grants_only_used_or_allowed():
    assert _role_dynamodb_actions() - _dynamodb_calls() <= ALLOWED_UNUSED
