"""Build the job function's deployment zip from infra/lambda/*.py."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from .errors import DeployError

REPO_ROOT = Path(__file__).resolve().parents[2]
FUNCTION_SOURCE_DIR = REPO_ROOT / "infra" / "lambda"
DEFAULT_ZIP_PATH = REPO_ROOT / ".local" / "aws" / "longrun-job.zip"

# A fixed timestamp makes the zip depend only on file names and contents, so an unchanged
# function gets the same hash and therefore the same S3 key.
_FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def build_zip(source_dir: Path = FUNCTION_SOURCE_DIR, zip_path: Path = DEFAULT_ZIP_PATH) -> Path:
    """Write the top-level *.py files of ``source_dir`` into ``zip_path`` and return that path."""
    sources = sorted(source_dir.glob("*.py"))
    if not any(path.name == "handler.py" for path in sources):
        raise DeployError(f"{source_dir}/handler.py not found; the function's handler is handler.handler")

    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sources:
            info = zipfile.ZipInfo(path.name, date_time=_FIXED_DATE_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return zip_path


def code_key(zip_path: Path, prefix: str) -> str:
    """Return an S3 key that changes with the zip's content, so a stack update replaces the code."""
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()[:16]
    return f"{prefix.rstrip('/')}/longrun-job-{digest}.zip"
