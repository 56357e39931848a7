"""The benchmark metrics (bench/metrics.py) read both texts as a reader sees them."""

from __future__ import annotations

import unicodedata

from bench import metrics
from bench.metrics import aggregate, shingle_pr, tokens, word_f1

GOLD = ("\ufeffThe exam\u00adple shows how a re\u0301sume\u0301 is read by the "
        "com\u00adpany\u200b's hiring team, and why a short one wins.")
SEEN = unicodedata.normalize("NFC", GOLD.replace("\u00ad", "").replace("\ufeff", "")
                             .replace("\u200b", ""))


def test_invisible_format_characters_and_decomposed_accents_are_not_content() -> None:
    """WCXB's articleBody keeps soft hyphens (and on one page decomposed accents); ``\\w+``
    split "exam\\u00adple" and "re\\u0301sume\\u0301" in the reference and not in a
    normalised extraction, so a right text lost its shingles (page 4554: 0.98 -> 0.23)."""
    assert tokens(GOLD) == tokens(SEEN)
    assert "example" in tokens(GOLD) and "r\u00e9sum\u00e9" in tokens(GOLD)
    assert shingle_pr(SEEN, GOLD) == (1.0, 1.0)
    assert shingle_pr(GOLD, SEEN) == (1.0, 1.0)
    assert word_f1(SEEN, GOLD) == 1.0
    score = aggregate([(SEEN, GOLD)])
    assert score.shingle_f1 == 1.0 and score.word_f1 == 1.0
    # a different text still scores as one
    assert shingle_pr(SEEN.replace("short", "long"), GOLD)[0] < 1.0
    # bidi marks, word joiners and tag characters go too; ASCII is left as it is
    assert metrics.content_text("a\u200eb\u2060c\U000e0041") == "abc"
    assert metrics.content_text("plain text\t") == "plain text\t"


def test_zero_width_joiner_and_non_joiner_are_spelling_and_stay() -> None:
    """A Persian word's half-space (ZWNJ) and an emoji or Indic ZWJ are kept, as pagewash
    keeps them: a system that drops them writes another spelling, and the metric sees it."""
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a ZWNJ
    assert metrics.content_text(persian) == persian
    assert metrics.content_text("\U0001f468\u200d\U0001f469") == "\U0001f468\u200d\U0001f469"
    assert word_f1(persian.replace("\u200c", ""), persian) == 0.0
