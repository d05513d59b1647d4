"""Errors of the AWS deploy helper. Each message names the stack or file and the next step."""


class DeployError(RuntimeError):
    """A packaging, deploy or lookup step failed."""


class StackNotFoundError(DeployError):
    """The stack does not exist in the region."""


class MissingOutputError(DeployError):
    """The stack exists but lacks an output that the caller needs."""
