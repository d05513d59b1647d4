"""python -m infra.aws env: the workers' environment from the stack's outputs."""

from __future__ import annotations

import shlex

import boto3

from infra.aws.__main__ import main
from tests.unit.aws.conftest import REGION, STACK_NAME, stack_outputs


def _parse(text: str) -> dict[str, str]:
    variables = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name] = shlex.split(value)[0]
    return variables


def test_env_prints_stack_variables(deployed_stack, capsys):
    exit_code = main(["env", "--stack-name", STACK_NAME])
    outputs = stack_outputs(deployed_stack)
    variables = _parse(capsys.readouterr().out)
    assert exit_code == 0
    assert variables["LONGRUN_TABLE_NAME"] == outputs["TableName"]
    assert variables["LONGRUN_FUNCTION_NAME"] == outputs["FunctionName"]
    assert variables["LONGRUN_API_URL"] == outputs["ApiUrl"]
    assert variables["AWS_REGION"] == REGION
    assert set(variables) == {"LONGRUN_TABLE_NAME", "LONGRUN_FUNCTION_NAME", "LONGRUN_API_URL", "AWS_REGION"}


def test_env_reminds_unknown_variables(deployed_stack, capsys):
    main(["env", "--stack-name", STACK_NAME])
    comments = [line for line in capsys.readouterr().out.splitlines() if line.startswith("#")]
    text = "\n".join(comments)
    assert "CONDUCTOR_SERVER_URL" in text
    assert "CONDUCTOR_AUTH_KEY" in text
    assert "CONDUCTOR_AUTH_SECRET" in text
    assert stack_outputs(deployed_stack)["WorkersPolicyArn"] in text


def test_env_writes_output_file(deployed_stack, tmp_path, capsys):
    target = tmp_path / "aws.env"
    exit_code = main(["env", "--stack-name", STACK_NAME, "--output", str(target)])
    assert exit_code == 0
    assert _parse(target.read_text())["LONGRUN_TABLE_NAME"] == stack_outputs(deployed_stack)["TableName"]


def test_env_missing_stack(mocked_aws, capsys):
    exit_code = main(["env", "--stack-name", "no-such-stack"])
    captured = capsys.readouterr()
    assert exit_code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "no-such-stack" in captured.err
    assert "not found" in captured.err


def test_env_missing_output(mocked_aws, capsys):
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    cloudformation.create_stack(
        StackName="bare",
        TemplateBody='{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}, "Outputs": {"Region": {"Value": "x"}}}',
    )
    exit_code = main(["env", "--stack-name", "bare"])
    captured = capsys.readouterr()
    assert exit_code == 2
    assert captured.err.count("\n") == 1
    assert "TableName" in captured.err


def test_env_without_region(mocked_aws, monkeypatch, capsys):
    monkeypatch.delenv("AWS_REGION")
    exit_code = main(["env", "--stack-name", STACK_NAME])
    assert exit_code == 2
    assert "AWS_REGION" in capsys.readouterr().err
