"""The README's two set-up commands stay real: CI runs the same test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_test_command() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    m = re.search(r"<!-- test-command -->\s*```sh\n(.+?)\n```", text, re.S)
    assert m, "README must mark its test command with <!-- test-command -->"
    return m.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8").strip().splitlines()
    assert ci[-1].strip() == readme_test_command()


def test_readme_main_job_uses_bundled_fixtures() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    assert "pagewash clean fixtures/seeds" in text
    assert (ROOT / "fixtures" / "seeds").is_dir()
