"""A long text of real prose for the long-document tests: the seeds' hand-cleaned
articles, their sentences recombined so that no two paragraphs are alike (a report or a
book chapter, all of it content)."""

from __future__ import annotations

import re
from pathlib import Path

EXPECTED = Path(__file__).resolve().parent.parent / "fixtures/seeds/expected"


def long_prose(paragraphs: int) -> list[str]:
    text = " ".join(EXPECTED.joinpath(name).read_text("utf-8")
                    for name in sorted(p.name for p in EXPECTED.glob("*.txt")))
    sentences = sorted({s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
                        if len(s.split()) >= 8})
    k = len(sentences)
    if paragraphs > k * k:
        raise ValueError(f"at most {k * k} distinct paragraphs")
    return [
        " ".join(sentences[j] for j in (i % k, (i // k) % k, (i % k + 7 * (i // k) + 1) % k))
        for i in range(paragraphs)
    ]
