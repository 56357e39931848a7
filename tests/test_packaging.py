"""An installed pagewash has every data file its code opens.

The suite itself runs from the source tree, where a vocabulary or model file that the
wheel leaves out is still found; ``pip install .`` followed by ``pagewash extract`` then
fails on a user's machine. This keeps ``package-data`` in step with the files on disk.
"""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _data_files(package: str) -> set[str]:
    base = ROOT / package
    return {
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    }


def test_every_package_data_file_is_shipped() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    for package in ("scraper", "cleaners"):
        shipped = {
            match
            for pattern in package_data.get(package, [])
            for match in glob.glob(pattern, root_dir=ROOT / package)
        }
        missing = sorted(_data_files(package) - shipped)
        assert not missing, f"{package}: files left out of the wheel: {missing}"


def test_package_data_patterns_match_something() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    for package, patterns in config["tool"]["setuptools"]["package-data"].items():
        for pattern in patterns:
            assert glob.glob(pattern, root_dir=ROOT / package), f"{package}: {pattern} is stale"
