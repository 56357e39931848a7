"""Gopher's repetition rules for the corpus (``--enable repetition``): the vectorised
n-gram measures against a plain reference, each rule on texts that should and should
not fail it, and the switch from the API and the command line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaners.patterns import words as tokenize
from scraper.cli import app
from scraper.document import Document
from scraper.errors import ConfigError
from scraper.jobs import corpus_files
from scraper.steps.filters import (
    DuplicateLines,
    DuplicateNgrams,
    DuplicateParagraphs,
    QualityFilter,
    TextStats,
    TopNgrams,
)
from scraper.steps.repetition import NgramRepetition

EXPECTED = Path(__file__).resolve().parent.parent / "fixtures" / "seeds" / "expected"
ARTICLES = [p.read_text("utf-8").strip() for p in sorted(EXPECTED.glob("*.txt"))]


def reference_top_share(words: list[str], n: int) -> float:
    """The definition, in plain Python: most frequent n-gram (ties: most characters),
    its count times its characters, over all word characters, at most 1."""
    grams = Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    if not grams:
        return 0.0
    best = max(grams.values())
    if best < 2:
        return 0.0
    length = max(sum(map(len, g)) for g, c in grams.items() if c == best)
    return min(best * length / sum(map(len, words)), 1.0)


def reference_duplicate_share(words: list[str], n: int) -> float:
    """Every occurrence of an n-gram after its first marks its words; marked characters
    over all word characters."""
    seen: set[tuple[str, ...]] = set()
    marked = [False] * len(words)
    for i in range(len(words) - n + 1):
        gram = tuple(words[i:i + n])
        if gram in seen:
            marked[i:i + n] = [True] * n
        seen.add(gram)
    total = sum(map(len, words))
    return sum(len(w) for w, m in zip(words, marked, strict=True) if m) / total if total else 0.0


# A small vocabulary makes repeats likely, so both branches of every measure are hit.
word_lists = st.lists(st.sampled_from(["a", "bb", "ccc", "dddd", "the", "x"]),
                      min_size=0, max_size=60)


@settings(max_examples=300, deadline=None)
@given(word_lists)
def test_shares_match_the_plain_definitions(words: list[str]) -> None:
    rep = NgramRepetition(words)
    for n in (2, 3, 4):
        assert rep.top_share(n) == pytest.approx(reference_top_share(words, n))
    # longest first: the 6- to 10-gram shares must not depend on the 5-gram one having
    # been asked for already
    for n in (10, 9, 8, 7, 6, 5):
        assert rep.duplicate_share(n) == pytest.approx(reference_duplicate_share(words, n))


def test_shares_on_a_text_said_twice() -> None:
    words = tokenize(ARTICLES[0])
    once = NgramRepetition(words)
    assert 0 < once.duplicate_share(5) < 0.15  # a real article repeats a few phrases
    twice = NgramRepetition(words + words)
    # the second copy is all repeats (half the characters), plus the first copy's own
    for n in range(5, 11):
        assert twice.duplicate_share(n) == pytest.approx(0.5 + once.duplicate_share(n) / 2,
                                                         abs=0.005)
    with pytest.raises(ValueError, match="start at 5"):
        twice.duplicate_share(4)
    # "a a a a": overlapping occurrences count each time, the share is still at most 1
    assert NgramRepetition(["same"] * 50).top_share(2) == 1.0


def stats(text: str, language: str | None = "en") -> TextStats:
    return TextStats(Document(source="t", text=text, language=language))


@pytest.mark.parametrize("article", ARTICLES)
def test_seed_articles_pass_every_repetition_rule(article: str) -> None:
    for rule in (DuplicateLines(), DuplicateParagraphs(), TopNgrams(), DuplicateNgrams()):
        assert rule.check(stats(article)) is None, (rule.name, article[:60])


def test_each_rule_catches_its_kind() -> None:
    article = ARTICLES[0]
    # a listing whose rows are mostly the same line
    rows = "\n".join(["Free shipping on orders over $50", f"Item {i} of the spring range"][i % 2]
                     for i in range(20))
    assert "of lines repeat" in (DuplicateLines().check(stats(rows)) or "")
    # few repeated lines, but long ones: the character share catches it
    long_line = "This product ships within five business days from our warehouse in Ohio."
    lines = "\n".join([f"Short {i}" for i in range(8)] + [long_line] * 3)
    assert "hold" in (DuplicateLines().check(stats(lines)) or "")
    # the same paragraph pasted under every section
    pasted = "\n\n".join(p for part in article.split("\n\n")[:3]
                         for p in (part, "Subscribe to our newsletter for the best deals."))
    assert DuplicateParagraphs().check(stats(pasted)) is not None
    # keyword stuffing: one phrase down the page
    stuffed = " ".join(["cheap flights to london"] * 30 + tokenize(article)[:80])
    assert "most frequent 2-gram" in (TopNgrams().check(stats(stuffed)) or "")
    # the whole article said twice, as a naive scraper stores a page with a print view
    twice = article + "\n\n" + article
    assert "repeated 5-grams" in (DuplicateNgrams().check(stats(twice)) or "")


def test_unspaced_languages_skip_the_ngram_rules_only() -> None:
    sentence = "上海地铁自十二月起延长周末运营时间部分线路末班车推迟至凌晨一点"
    text = "\n".join([sentence] * 4)
    s = stats(text, "zh-cn")
    assert TopNgrams().check(s) is None and DuplicateNgrams().check(s) is None
    assert DuplicateLines().check(s) is not None
    assert DuplicateNgrams().check(stats(text.replace("\n", " "), "en")) is not None


def test_repetition_is_off_by_default_and_enabled_by_group_or_name() -> None:
    names = [r.name for r in QualityFilter().rules]
    assert "dup-ngrams" not in names and "alpha-words" in names
    on = [r.name for r in QualityFilter(enable=["repetition"]).rules]
    assert {"dup-lines", "dup-paragraphs", "top-ngrams", "dup-ngrams"} <= set(on)
    assert [r.name for r in QualityFilter(enable=["top-ngrams"], disable=["alpha-words"])
            .rules].count("alpha-words") == 0
    some = [r.name for r in QualityFilter(enable=["repetition"], disable=["dup-lines"]).rules]
    assert "dup-lines" not in some and "dup-ngrams" in some
    with pytest.raises(ConfigError, match=r"unknown filter nope.*repetition"):
        QualityFilter(enable=["nope"])


def test_corpus_drops_repeats_only_when_asked(tmp_path: Path) -> None:
    article = ARTICLES[1]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "good", "text": article},
        # the lead said again as one run-on paragraph: no line repeats, its words do
        {"id": "twice", "text": article + "\n\n" + " ".join(article[:2000].split())},
    ]), "utf-8")
    out = tmp_path / "out.jsonl"
    summary = corpus_files([str(src)], str(out), near_dedup=False)
    assert summary.records_out == 2

    dropped = tmp_path / "dropped.jsonl"
    result = CliRunner().invoke(app, [
        "corpus", str(src), "-o", str(out), "--enable", "repetition", "--no-near-dedup",
        "--dropped", str(dropped), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "dup-ngrams 1" in result.output
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == ["good"]
    (drop,) = [json.loads(line) for line in dropped.read_text("utf-8").splitlines()]
    assert drop["id"] == "twice" and drop["reason"] == "dup-ngrams"
    assert "repeated 5-grams" in drop["detail"]

    bad = CliRunner().invoke(app, ["corpus", str(src), "-o", str(out), "--enable", "nope"])
    assert bad.exit_code == 1 and "unknown filter nope" in bad.output
