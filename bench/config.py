"""Command-line options of the benchmark, checked into one frozen BenchConfig before any job starts."""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NoReturn

from infra.local.settings import REPO_ROOT
from workflows.definitions import DESIGNS

from .durations import DurationSpec, parse_duration_spec
from .errors import ConfigError

RESULTS_DIR = REPO_ROOT / "results"


@dataclass(frozen=True)
class BenchConfig:
    designs: tuple[str, ...]
    jobs: int
    duration: DurationSpec
    interval_s: int
    concurrency: int
    seed: int
    external_workers: bool
    output_dir: Path
    prices_file: Path | None
    grace_s: float
    job_timeout_s: float
    progress: bool

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["duration"] = self.duration.describe()
        values["output_dir"] = str(self.output_dir)
        values["prices_file"] = None if self.prices_file is None else str(self.prices_file)
        return values


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises ConfigError, so that every bad option gets the same one-line message."""

    def error(self, message: str) -> NoReturn:
        raise ConfigError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m bench",
        description="Run the same jobs through each design, interleaved, and write raw.json, report.md and lag.png. "
        "Conductor and AWS come from CONDUCTOR_SERVER_URL, AWS_ENDPOINT_URL_*, AWS_REGION and LONGRUN_*.",
    )
    option = parser.add_argument
    option("--designs", default=",".join(DESIGNS), help=f"comma-separated designs to run (default: {','.join(DESIGNS)})")
    option("--jobs", default="20", help="jobs per design (default: 20)")
    option("--duration", default="10", help="seconds each job works: S, fixed:S, uniform:MIN:MAX or exp:MEAN (default: 10)")
    option("--interval", default="2", help="seconds between status checks, a whole number (default: 2)")
    option("--concurrency", default="50", help="jobs in flight per design (default: 50)")
    option("--seed", default="1", help="seed of the duration draws (default: 1)")
    option("--external-workers", action="store_true", help="use workers already running instead of starting a private process; no worker CPU numbers then")
    option("--output-dir", help="folder of the results (default: results/<YYYYmmdd-HHMMSS>)")
    option("--prices", help="JSON file of unit prices laid over bench/prices.json")
    option("--grace-s", default="120", help="after Ctrl-C, seconds to wait for started jobs before terminating them (default: 120)")
    option("--job-timeout-s", default="900", help="terminate a job's workflow that runs longer than this, in seconds (default: 900)")
    option("--no-progress", action="store_true", help="do not show the progress bar")
    return parser


def _whole(name: str, raw: str, minimum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number >= {minimum}, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be a whole number >= {minimum}, got {value}")
    return value


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds >= 0, got {raw!r}") from None
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"{name} must be a number of seconds >= 0, got {raw!r}")
    return value


def _designs(raw: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(name.strip() for name in raw.split(",") if name.strip()))
    unknown = [name for name in names if name not in DESIGNS]
    if unknown:
        raise ConfigError(f"unknown design {', '.join(unknown)} in --designs; choose from {', '.join(DESIGNS)}")
    if not names:
        raise ConfigError(f"--designs is empty; choose from {', '.join(DESIGNS)}")
    return names


def _prices_file(raw: str | None) -> Path | None:
    if raw is None:
        return None
    path = Path(raw)
    if not path.is_file():
        raise ConfigError(f"prices file {raw} not found (--prices)")
    return path


def parse(argv: list[str] | None = None) -> BenchConfig:
    """Parse and check the options; raise ConfigError with a one-line message naming the bad option."""
    args = build_parser().parse_args(argv)
    output_dir = Path(args.output_dir) if args.output_dir else RESULTS_DIR / time.strftime("%Y%m%d-%H%M%S")
    job_timeout_s = _seconds("--job-timeout-s", args.job_timeout_s)
    if job_timeout_s == 0:
        raise ConfigError("--job-timeout-s must be greater than 0")
    return BenchConfig(
        designs=_designs(args.designs),
        jobs=_whole("--jobs", args.jobs, 1),
        duration=parse_duration_spec(args.duration),
        interval_s=_whole("--interval", args.interval, 1),
        concurrency=_whole("--concurrency", args.concurrency, 1),
        seed=_whole("--seed", args.seed, 0),
        external_workers=args.external_workers,
        output_dir=output_dir,
        prices_file=_prices_file(args.prices),
        grace_s=_seconds("--grace-s", args.grace_s),
        job_timeout_s=job_timeout_s,
        progress=not args.no_progress,
    )
