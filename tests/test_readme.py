"""The README's two set-up commands stay real: CI runs the same test command."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scraper.cli import app

ROOT = Path(__file__).resolve().parent.parent


def readme_test_command() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    m = re.search(r"<!-- test-command -->\s*```sh\n(.+?)\n```", text, re.S)
    assert m, "README must mark its test command with <!-- test-command -->"
    return m.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8").strip().splitlines()
    assert ci[-1].strip() == readme_test_command()


def readme_main_command() -> list[str]:
    """The arguments after ``pagewash`` in the README's first set-up command."""
    text = (ROOT / "README.md").read_text("utf-8")
    m = re.search(r"## Set up a fresh machine.*?```sh\n(.+?)\n```", text, re.S)
    assert m, "README must open with the set-up commands"
    line = m.group(1)
    assert "pip install" in line and "/pagewash " in line, line
    return shlex.split(line.split("/pagewash ", 1)[1])


def test_readme_main_job_cleans_exactly_the_five_seed_dumps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = readme_main_command()
    assert args[0] == "clean"
    # Same command, outputs redirected into the test's directory.
    for flag, name in (("-o", "seeds.jsonl"), ("--explain-html", "seeds.html")):
        args[args.index(flag) + 1] = str(tmp_path / name)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    records = [json.loads(x) for x in (tmp_path / "seeds.jsonl").read_text("utf-8").splitlines()]
    dumps = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    assert len(dumps) == 5
    # The dumps and nothing else: not the hand-written expected articles beside them.
    assert sorted(Path(r["source"]).name for r in records) == [d.name for d in dumps]
    assert all(r["text"] for r in records)
    assert (tmp_path / "seeds.html").stat().st_size > 0
