"""Errors of the benchmark."""

from __future__ import annotations


class BenchError(RuntimeError):
    """The benchmark could not run or finish; the message names what failed and what to do."""


class ConfigError(BenchError):
    """An option, a file or a service the benchmark needs is invalid or unreachable; no job was started."""
