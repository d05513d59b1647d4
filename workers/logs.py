"""Log format of the worker processes, shared by the parent and its children."""

from __future__ import annotations

import logging
import sys

LOG_FORMAT = "%(asctime)s %(processName)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: str) -> None:
    """Send log lines to stderr with time, process name and level."""
    logging.basicConfig(stream=sys.stderr, level=level, format=LOG_FORMAT, force=True)
    for noisy in ("urllib3", "botocore", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
