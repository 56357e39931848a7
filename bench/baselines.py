"""Baselines measured beside pagewash in the same benchmark run."""

from __future__ import annotations

import re

_TERMINAL = re.compile(r"[.!?\"”'’]$")
_WORD = re.compile(r"\w+")


def raw_dump(text: str) -> str:
    return text


def c4_line_filter(text: str) -> str:
    """The line rules of C4 (Raffel et al. 2020) that apply to a single page.

    Keep lines that end in terminal punctuation and have at least 3 words; drop lines
    mentioning javascript or lorem ipsum. (C4's page-level drops and 3-sentence dedup
    across the corpus are left out: they would throw away whole pages here.)
    """
    out = []
    for line in text.splitlines():
        s = line.strip()
        if len(_WORD.findall(s)) < 3 or not _TERMINAL.search(s):
            continue
        low = s.lower()
        if "javascript" in low or "lorem ipsum" in low:
            continue
        out.append(s)
    return "\n".join(out)
