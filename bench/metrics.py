"""Extraction quality metrics used by every benchmark.

Shingle F1: tokens are ``\\w+``; 4-token shingles are compared as multisets; per
document precision and recall come from tp/fp/fn; precision and recall are averaged over
documents and F1 is taken of the two means. Word F1: bag of lower-cased ``\\w+`` tokens,
F1 per page, mean over pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


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
