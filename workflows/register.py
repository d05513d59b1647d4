"""Register the task and workflow definitions; running it again updates them in place."""

from __future__ import annotations

import logging

from . import definitions
from .conductor import ConductorClient

log = logging.getLogger(__name__)


def register_all(client: ConductorClient) -> list[str]:
    """Register every task definition, then every workflow; return the names registered."""
    names = []
    for task_def in definitions.task_defs():
        client.register_task_def(task_def)
        names.append(task_def["name"])

    workflow_defs = definitions.workflow_defs()
    client.register_workflow_defs(workflow_defs)
    names.extend(f"{workflow['name']} v{workflow['version']}" for workflow in workflow_defs)

    log.info("registered %s on %s", ", ".join(names), client.server_url)
    return names
