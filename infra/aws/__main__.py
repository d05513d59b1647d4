"""Command line of the AWS deploy helper: python -m infra.aws package|deploy|delete|env."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

import boto3

from . import package, stack
from .environment import OUTPUT_FOR_VARIABLE, render_environment
from .errors import DeployError

DEFAULT_STACK_NAME = "longrun"
DEFAULT_CODE_PREFIX = "longrun"

# Exit status when a step fails; the line on standard error names the step and the cause.
EXIT_FAILED = 2


def _stack_options() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--stack-name",
        default=os.environ.get("LONGRUN_STACK_NAME", DEFAULT_STACK_NAME),
        help="CloudFormation stack name (environment: LONGRUN_STACK_NAME)",
    )
    options.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION"),
        help="AWS region (environment: AWS_REGION)",
    )
    return options


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m infra.aws",
        description="Package, deploy, delete and read the longrun CloudFormation stack (infra/aws/template.yaml).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    stack_options = _stack_options()
    formatter = argparse.ArgumentDefaultsHelpFormatter

    package_parser = commands.add_parser(
        "package", help="zip infra/lambda/*.py into the deployable zip", formatter_class=formatter
    )
    package_parser.add_argument("--zip", type=Path, default=package.DEFAULT_ZIP_PATH, help="path of the zip to write")

    deploy_parser = commands.add_parser(
        "deploy",
        help="package, upload the zip to S3, then create or update the stack and wait",
        parents=[stack_options],
        formatter_class=formatter,
    )
    deploy_parser.add_argument(
        "--bucket",
        default=os.environ.get("LONGRUN_CODE_BUCKET"),
        help="existing S3 bucket, in the stack's region, for the function's zip (environment: LONGRUN_CODE_BUCKET)",
    )
    deploy_parser.add_argument("--prefix", default=DEFAULT_CODE_PREFIX, help="S3 key prefix of the zip")
    deploy_parser.add_argument("--zip", type=Path, default=package.DEFAULT_ZIP_PATH, help="path of the zip to write and upload")
    deploy_parser.add_argument(
        "--parameter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="template parameter, repeatable, e.g. FunctionTimeoutSeconds=300 or ReservedConcurrency=10",
    )

    commands.add_parser(
        "delete", help="delete the stack and wait until it is gone", parents=[stack_options], formatter_class=formatter
    )

    env_parser = commands.add_parser(
        "env",
        help="print the workers' environment from the stack's outputs, as NAME=VALUE lines",
        parents=[stack_options],
        formatter_class=formatter,
    )
    env_parser.add_argument("--output", type=Path, default=None, help="write to this file instead of standard output")
    return parser


def _parse_parameters(pairs: list[str]) -> dict[str, str]:
    parameters = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key:
            raise DeployError(f"--parameter {pair!r} is invalid; write it as KEY=VALUE")
        parameters[key] = value
    return parameters


def _client(service: str, region: str | None):
    if not region:
        raise DeployError("AWS_REGION is not set; set it or pass --region")
    return boto3.client(service, region_name=region)


def _package(args: argparse.Namespace) -> int:
    zip_path = package.build_zip(zip_path=args.zip)
    print(f"wrote {zip_path}")
    return 0


def _deploy(args: argparse.Namespace) -> int:
    if not args.bucket:
        raise DeployError("no S3 bucket for the function's zip; pass --bucket or set LONGRUN_CODE_BUCKET")
    extra_parameters = _parse_parameters(args.parameter)
    zip_path = package.build_zip(zip_path=args.zip)
    key = package.code_key(zip_path, args.prefix)

    s3 = _client("s3", args.region)
    s3.upload_file(str(zip_path), args.bucket, key)
    print(f"uploaded {zip_path} to s3://{args.bucket}/{key}")

    parameters = {"CodeBucket": args.bucket, "CodeKey": key, **extra_parameters}
    cloudformation = _client("cloudformation", args.region)
    outcome = stack.deploy(cloudformation, args.stack_name, parameters, stack.TEMPLATE_PATH.read_text())
    print(f"stack {args.stack_name} {outcome}")
    return 0


def _delete(args: argparse.Namespace) -> int:
    stack.delete(_client("cloudformation", args.region), args.stack_name)
    print(f"stack {args.stack_name} deleted")
    return 0


def _env(args: argparse.Namespace) -> int:
    cloudformation = _client("cloudformation", args.region)
    outputs = stack.read_outputs(cloudformation, args.stack_name, required=tuple(OUTPUT_FOR_VARIABLE.values()))
    text = render_environment(args.stack_name, outputs)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text)
        print(f"wrote {args.output}")
    return 0


_COMMANDS = {"package": _package, "deploy": _deploy, "delete": _delete, "env": _env}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = _build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except DeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
