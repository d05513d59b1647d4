"""The checked-in task and workflow definitions, and the design each workflow implements."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

DEFINITIONS_DIR = Path(__file__).with_name("definitions")

# Design name -> workflow name. The designs take the same inputs, so they can run the same job.
WORKFLOWS = {
    "workers": "long_running_api_workers",
    "http_poll": "long_running_api_http_poll",
}
DESIGNS = tuple(WORKFLOWS)

# The SIMPLE tasks that our workers execute; every other task runs inside the Conductor server.
WORKER_TASKS = ("lambda_invoke_async", "lambda_check_status")

# Variable with the base URL of the HTTP design's API. Registration writes it into the http_poll
# workflow's default input.
API_URL_VARIABLE = "LONGRUN_API_URL"


def _load(file_name: str) -> Any:
    return json.loads((DEFINITIONS_DIR / file_name).read_text())


def task_defs() -> list[dict[str, Any]]:
    return _load("tasks.json")


def workflow_def(design: str) -> dict[str, Any]:
    definition = _load(f"{WORKFLOWS[design]}.json")
    api_url = os.environ.get(API_URL_VARIABLE)
    if api_url and "apiUrl" in definition.get("inputTemplate", {}):
        definition["inputTemplate"]["apiUrl"] = api_url.rstrip("/")
    return definition


def workflow_defs() -> list[dict[str, Any]]:
    return [workflow_def(design) for design in DESIGNS]
