"""Extraction quality metrics used by every benchmark.

Shingle F1: tokens are ``\\w+``; 4-token shingles are compared as multisets; per
document precision and recall come from tp/fp/fn; precision and recall are averaged over
documents and F1 is taken of the two means. Word F1: bag of lower-cased ``\\w+`` tokens,
F1 per page, mean over pages.

Both texts, the reference and the candidate, are read as a reader sees them before they
are tokenised (:func:`content_text`): invisible format characters (Unicode category Cf:
soft hyphens, zero-width spaces, BOMs, word joiners, direction marks) are removed and the
text is put in NFC. ``\\w`` matches neither a format character nor a combining accent,
so "exam\u00adple" was two tokens and "exa\u0301mple" ("exámple" decomposed) two as
well, against one in the composed, unhyphenated spelling: WCXB's ``articleBody`` keeps
the page's soft hyphens and, on one page, decomposed accents, and an extractor that
normalises its text (as pagewash does) lost shingles it had right (page 4554: shingle F1
0.98 -> 0.23). Zero-width joiner and non-joiner (U+200D, U+200C) are kept: they are
spelling, not layout (a Persian word's half-space, an Indic conjunct, an emoji sequence),
pagewash keeps them in its text, and removing them would make the metric blind to a
system that drops them; both sides keep splitting tokens at them as before.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

TOKEN = re.compile(r"\w+")
KEPT_FORMAT = "\u200c\u200d"  # ZWNJ, ZWJ: spelling (see the module docstring)


def _format_characters() -> re.Pattern[str]:
    """A character class of every Cf character of this Python's Unicode but ZWNJ/ZWJ."""
    ranges: list[str] = []
    start = prev = -2
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) != "Cf" or char in KEPT_FORMAT:
            continue
        if code != prev + 1:
            if start >= 0:
                ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
            start = code
        prev = code
    ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
    return re.compile(f"[{''.join(ranges)}]+")


FORMAT = _format_characters()


def content_text(text: str) -> str:
    """``text`` as a reader sees it: format characters (Cf) but ZWNJ/ZWJ removed, NFC."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", FORMAT.sub("", text))


def tokens(text: str) -> list[str]:
    """The ``\\w+`` tokens of :func:`content_text` of ``text``."""
    return TOKEN.findall(content_text(text))


def shingles(toks: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def shingle_pr(pred: str, gold: str) -> tuple[float, float]:
    """(precision, recall) of ``pred`` against ``gold`` on 4-token shingle multisets."""
    p, g = shingles(tokens(pred)), shingles(tokens(gold))
    if not p and not g:
        return 1.0, 1.0
    tp = sum((p & g).values())
    n_p, n_g = sum(p.values()), sum(g.values())
    return (tp / n_p if n_p else 0.0), (tp / n_g if n_g else 0.0)


def word_f1(pred: str, gold: str) -> float:
    p = Counter(t.lower() for t in tokens(pred))
    g = Counter(t.lower() for t in tokens(gold))
    if not p and not g:
        return 1.0
    tp = sum((p & g).values())
    if not tp:
        return 0.0
    prec, rec = tp / sum(p.values()), tp / sum(g.values())
    return 2 * prec * rec / (prec + rec)


@dataclass
class Score:
    n: int
    precision: float
    recall: float
    shingle_f1: float
    word_f1: float

    def row(self) -> str:
        return (
            f"{self.n:5d}  P {self.precision:.3f}  R {self.recall:.3f}  "
            f"shingleF1 {self.shingle_f1:.3f}  wordF1 {self.word_f1:.3f}"
        )


def aggregate(pairs: Iterable[tuple[str, str]]) -> Score:
    """Score (prediction, gold) pairs with both metrics."""
    ps, rs, ws = [], [], []
    for pred, gold in pairs:
        p, r = shingle_pr(pred, gold)
        ps.append(p)
        rs.append(r)
        ws.append(word_f1(pred, gold))
    n = len(ps)
    if not n:
        return Score(0, 0.0, 0.0, 0.0, 0.0)
    mp, mr = sum(ps) / n, sum(rs) / n
    f1 = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
    return Score(n, mp, mr, f1, sum(ws) / n)
