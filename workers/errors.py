"""Exceptions raised by the worker code.

Each task maps the class of the error to a Conductor outcome: a ``TerminalError`` fails the task
with FAILED_WITH_TERMINAL_ERROR (retrying cannot help), any other ``WorkerError`` fails it with
FAILED so Conductor retries the task by its task definition's retry policy.
"""

from __future__ import annotations


class WorkerError(Exception):
    """Base class of every error the worker code raises on purpose."""


class TerminalError(WorkerError):
    """An error that a retry of the same task cannot fix."""


class InvalidInputError(TerminalError):
    """A task input is missing or has a value outside its contract."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class JobNotFoundError(TerminalError):
    """The job table has no item for a requestId that should have been submitted."""

    def __init__(self, request_id: str, table_name: str) -> None:
        super().__init__(
            f"no job item for requestId {request_id} in table {table_name}; was it submitted?"
        )
        self.request_id = request_id
        self.table_name = table_name


class AwsError(WorkerError):
    """An AWS call failed. ``code`` is the AWS error code or the botocore exception name."""

    def __init__(self, operation: str, code: str, message: str) -> None:
        super().__init__(message)
        self.operation = operation
        self.code = code


class TransientAwsError(AwsError):
    """An AWS call kept failing with a transient error until the retry attempts ran out."""


class PermanentAwsError(AwsError, TerminalError):
    """An AWS call failed with an error that retrying does not fix (missing resource, access)."""
