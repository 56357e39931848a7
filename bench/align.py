"""Line labels for training: which dump lines belong to the true article body.

Each dump's tokens are aligned to the ``articleBody`` tokens with a longest-matching-
blocks diff (monotone, so a second copy of a repeated paragraph does not align); a line
is *content* when most of its tokens fall in matched runs. The labels only serve to fit
and check the block model; they are not part of pagewash at run time.
"""

from __future__ import annotations

import difflib
import re

TOKEN = re.compile(r"\w+")
MIN_RUN = 2  # single-token matches are coincidences ("the", "and") more often than not


def line_match_fraction(lines: list[str], gold: str) -> list[float | None]:
    """Fraction of each line's tokens aligned to ``gold`` (None for lines with no token)."""
    toks: list[str] = []
    owner: list[int] = []
    for i, line in enumerate(lines):
        for m in TOKEN.finditer(line.lower()):
            toks.append(m.group())
            owner.append(i)
    gold_toks = TOKEN.findall(gold.lower())
    matched = [0] * len(lines)
    total = [0] * len(lines)
    for o in owner:
        total[o] += 1
    sm = difflib.SequenceMatcher(None, toks, gold_toks, autojunk=False)
    for a, _b, n in sm.get_matching_blocks():
        if n < MIN_RUN and not (n == 1 and total[owner[a]] == 1):
            continue
        for j in range(a, a + n):
            matched[owner[j]] += 1
    return [m / t if t else None for m, t in zip(matched, total, strict=True)]
