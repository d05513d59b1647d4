"""Command line: python -m bench [options]; --help lists them. Exit 2 on a bad option or an unreachable service."""

from __future__ import annotations

import logging
import sys

from . import config as bench_config
from .benchmark import Benchmark, exit_code
from .errors import BenchError, ConfigError
from .report import comparison_table


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = bench_config.parse(argv)
        benchmark = Benchmark(config)
        benchmark.check()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted before any job started", file=sys.stderr)
        return 130

    try:
        results, out = benchmark.run()
    except BenchError as exc:
        # Raised only while the private workers start, before any job.
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: stopped without writing results", file=sys.stderr)
        return 130

    print()
    print(comparison_table(results))
    print()
    if results["partial"]:
        print(f"PARTIAL RESULTS: {results['interruption'] or 'not every job was started'}")
    print(f"results: {out}/report.md, {out}/raw.json, {out}/lag.png")
    return exit_code(results)


if __name__ == "__main__":
    sys.exit(main())
