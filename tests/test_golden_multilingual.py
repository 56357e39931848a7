"""Ten short dumps, one per vocabulary language, against their hand-written articles.

The seeds (tests/test_golden_seeds.py) are English with Ukrainian counters; these carry
the same kinds of chrome in the other languages the vocabulary covers, so a gap in one
language's vocabulary shows as a failing language here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners import Cleaner

DUMPS = Path(__file__).resolve().parent.parent / "fixtures" / "multilingual"
LANGS = sorted(p.stem for p in DUMPS.glob("*.txt"))


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def test_every_vocabulary_language_has_a_dump() -> None:
    from cleaners.vocab import available_languages

    assert sorted(available_languages()) == LANGS


@pytest.mark.parametrize("lang", LANGS)
def test_dump_cleans_to_its_article_title_authors_and_language(cleaner: Cleaner,
                                                              lang: str) -> None:
    result = cleaner.clean((DUMPS / f"{lang}.txt").read_text("utf-8"))
    expected = DUMPS / "expected"
    assert lines(result.text) == lines((expected / f"{lang}.txt").read_text("utf-8"))
    assert result.title == (expected / f"{lang}.title").read_text("utf-8").strip()
    authors = expected / f"{lang}.authors"
    assert result.authors == (lines(authors.read_text("utf-8")) if authors.exists() else [])
    assert result.language == lang
    # cleaning the output again changes nothing
    assert cleaner.clean(result.text).text == result.text
