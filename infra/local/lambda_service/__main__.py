"""Command line: ``python -m infra.local.lambda_service --port 9001`` (see --help for every option)."""

from __future__ import annotations

import logging
import sys

from .server import serve
from .settings import SettingsError, load


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    # One line per invocation comes from our own logger, so werkzeug's per-request access log is noise.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    try:
        settings = load(argv)
    except SettingsError as err:
        logging.getLogger("longrun.lambda_service").error("invalid setting: %s", err)
        return 2
    return serve(settings)


if __name__ == "__main__":
    sys.exit(main())
