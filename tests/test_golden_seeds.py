"""The five field dumps in fixtures/seeds against hand-written expected articles.

Blocks (non-empty lines) are compared in order, exactly: nothing of the article may be
lost and nothing of the chrome may survive. The headline must land in ``title``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners import Cleaner

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
NAMES = sorted(p.stem for p in SEEDS.glob("*.txt"))


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.mark.parametrize("name", NAMES)
def test_seed_article_is_exactly_the_expected_text(cleaner: Cleaner, name: str) -> None:
    result = cleaner.clean((SEEDS / f"{name}.txt").read_text("utf-8"))
    expected = (SEEDS / "expected" / f"{name}.txt").read_text("utf-8")
    assert lines(result.text) == lines(expected)


@pytest.mark.parametrize("name", NAMES)
def test_seed_headline_goes_to_title(cleaner: Cleaner, name: str) -> None:
    result = cleaner.clean((SEEDS / f"{name}.txt").read_text("utf-8"))
    title_file = SEEDS / "expected" / f"{name}.title"
    expected = title_file.read_text("utf-8").strip() if title_file.exists() else None
    assert result.title == expected
    if expected:
        assert expected not in result.text


def test_seeds_exist() -> None:
    assert len(NAMES) == 5


@pytest.mark.parametrize(
    ("name", "rules"),
    [
        ("000_c1de8a3c946e0a0e", {"counter", "section.related", "related.dated_link"}),
        ("001_052bf8636d0ccf43", {"related.see_also", "section.comments"}),
        ("003_141ba280b1c398c2", {"chrome.loading", "widget.row", "widget.label"}),
        ("004_161574ad65ba1aac", {"dedup.exact", "section.summary", "metadata.label"}),
    ],
)
def test_seed_chrome_is_removed_by_the_rule_made_for_it(
    cleaner: Cleaner, name: str, rules: set[str]
) -> None:
    result = cleaner.clean((SEEDS / f"{name}.txt").read_text("utf-8"))
    assert rules <= {r.rule for r in result.removed}
