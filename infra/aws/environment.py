"""Turn the stack's outputs into the environment that the workers and the workflow registration need."""

from __future__ import annotations

import shlex

# Environment variable -> stack output that contains its value.
OUTPUT_FOR_VARIABLE = {
    "LONGRUN_TABLE_NAME": "TableName",
    "LONGRUN_FUNCTION_NAME": "FunctionName",
    "LONGRUN_API_URL": "ApiUrl",
    "AWS_REGION": "Region",
}

# Variables the stack cannot know; printed as comments so the file still sources cleanly.
_REMINDERS = (
    "Set these yourself, the stack does not know them:",
    "CONDUCTOR_SERVER_URL=https://<your-conductor>/api",
    "CONDUCTOR_AUTH_KEY=<key id, when the server requires authentication>",
    "CONDUCTOR_AUTH_SECRET=<key secret>",
    "AWS credentials: a profile or role that has the policy {policy}",
)


def render_environment(stack_name: str, outputs: dict[str, str]) -> str:
    """Return NAME=VALUE lines for the variables the outputs give, then the reminders as comments."""
    lines = [f"# longrun on AWS, from the outputs of stack {stack_name}"]
    for variable, output_key in OUTPUT_FOR_VARIABLE.items():
        lines.append(f"{variable}={shlex.quote(outputs[output_key])}")
    policy = outputs.get("WorkersPolicyArn", "<WorkersPolicyArn output>")
    lines.extend(f"# {reminder.format(policy=policy)}" for reminder in _REMINDERS)
    return "\n".join(lines) + "\n"
