"""Dumps against hand-written expected articles: the five field dumps in fixtures/seeds,
and written ones in fixtures/multilingual, one per vocabulary language.

Blocks (non-empty lines) are compared in order, exactly: nothing of the article may be
lost and nothing of the chrome may survive. The headline must land in ``title``. The
seeds are English with Ukrainian counters; the multilingual dumps carry the same kinds
of chrome in the other languages, so a gap in one language's vocabulary shows as a
failing language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners import Cleaner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = FIXTURES / "seeds"
NAMES = sorted(p.stem for p in SEEDS.glob("*.txt"))
MULTILINGUAL = FIXTURES / "multilingual"
LANGS = sorted(p.stem for p in MULTILINGUAL.glob("*.txt"))


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


def test_every_vocabulary_language_has_a_multilingual_dump() -> None:
    from cleaners.vocab import available_languages

    assert sorted(available_languages()) == LANGS


# The record's language is langdetect's code, which names Chinese by its script.
RECORD_LANGUAGE = {"zh": "zh-cn"}


KNOWN_FAULTS = {
    "cs": "known fault: the block model drops the article's short last paragraph ('Nové "
          "ceny začnou platit od 1. ledna. …', 19 words, above the poll): logit -1.00 "
          "against a cut of -0.92; the rules keep it",
    "no": "known fault: the block model drops the lead paragraph ('Trondheim kommune "
          "utvider …'), printed twice and cut short in a summary above: logit -1.90 "
          "against a cut of -0.06; the rules keep it",
}


@pytest.mark.parametrize("lang", [
    pytest.param(lang, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAULTS[lang]))
    if lang in KNOWN_FAULTS else lang for lang in LANGS
])
def test_multilingual_dump_cleans_to_its_article_authors_and_language(
    cleaner: Cleaner, lang: str
) -> None:
    result = cleaner.clean((MULTILINGUAL / f"{lang}.txt").read_text("utf-8"))
    expected = MULTILINGUAL / "expected"
    assert lines(result.text) == lines((expected / f"{lang}.txt").read_text("utf-8"))
    authors = expected / f"{lang}.authors"
    assert result.authors == (lines(authors.read_text("utf-8")) if authors.exists() else [])
    assert result.language == RECORD_LANGUAGE.get(lang, lang)
    assert cleaner.clean(result.text).text == result.text  # idempotent


@pytest.mark.parametrize("lang", LANGS)
def test_multilingual_dump_headline_goes_to_title(cleaner: Cleaner, lang: str) -> None:
    result = cleaner.clean((MULTILINGUAL / f"{lang}.txt").read_text("utf-8"))
    expected = (MULTILINGUAL / "expected" / f"{lang}.title").read_text("utf-8").strip()
    assert result.title == expected


def test_czech_dump_with_the_rules_alone_is_its_article_date_and_authors() -> None:
    """The Czech dump's chrome is the vocabulary's and the rules' to find (the model's
    one loss there is marked above): with no classifier the article is left exactly, the
    spaced numeric dateline ("Publikováno: 12. 11. 2024, 14:35") gives the date."""
    rules_only = Cleaner(classifier=None)
    result = rules_only.clean((MULTILINGUAL / "cs.txt").read_text("utf-8"))
    expected = MULTILINGUAL / "expected"
    assert lines(result.text) == lines((expected / "cs.txt").read_text("utf-8"))
    assert result.title == (expected / "cs.title").read_text("utf-8").strip()
    assert result.authors == lines((expected / "cs.authors").read_text("utf-8"))
    assert result.published == "2024-11-12T14:35"
    assert rules_only.clean(result.text).text == result.text
