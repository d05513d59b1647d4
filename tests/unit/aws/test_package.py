"""python -m infra.aws package: the deployable zip of infra/lambda/*.py."""

from __future__ import annotations

import zipfile

import pytest

from infra.aws import package
from infra.aws.errors import DeployError


def _source(tmp_path, files: dict[str, str]):
    source_dir = tmp_path / "src"
    source_dir.mkdir()
    for name, text in files.items():
        (source_dir / name).write_text(text)
    return source_dir


def test_zip_holds_top_level_modules(tmp_path):
    source_dir = _source(tmp_path, {"handler.py": "x = 1\n", "job_store.py": "y = 2\n", "notes.txt": "no\n"})
    zip_path = package.build_zip(source_dir, tmp_path / "out" / "f.zip")
    with zipfile.ZipFile(zip_path) as archive:
        assert sorted(archive.namelist()) == ["handler.py", "job_store.py"]
        assert archive.read("handler.py") == b"x = 1\n"


def test_zip_is_reproducible(tmp_path):
    source_dir = _source(tmp_path, {"handler.py": "x = 1\n"})
    first = package.code_key(package.build_zip(source_dir, tmp_path / "a.zip"), "p")
    second = package.code_key(package.build_zip(source_dir, tmp_path / "b.zip"), "p")
    assert first == second


def test_code_key_follows_content(tmp_path):
    source_dir = _source(tmp_path, {"handler.py": "x = 1\n"})
    before = package.code_key(package.build_zip(source_dir, tmp_path / "a.zip"), "p")
    (source_dir / "handler.py").write_text("x = 2\n")
    after = package.code_key(package.build_zip(source_dir, tmp_path / "b.zip"), "p")
    assert before != after


def test_missing_handler_rejected(tmp_path):
    source_dir = _source(tmp_path, {"job_store.py": "y = 2\n"})
    with pytest.raises(DeployError, match="handler.py"):
        package.build_zip(source_dir, tmp_path / "f.zip")


def test_project_function_packages(tmp_path):
    zip_path = package.build_zip(package.FUNCTION_SOURCE_DIR, tmp_path / "f.zip")
    with zipfile.ZipFile(zip_path) as archive:
        assert "handler.py" in archive.namelist()
