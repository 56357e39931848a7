"""Last pass over the extracted content: the cleaners' structural rules.

What extraction keeps still carries debris the text cleaners know well: a paragraph
repeated (teaser + body), "12 comments", "Share", a poll's leftover options, the
headline repeated as the first line. The cleaners' block classifier is trained on
*browser text dumps* and would judge blocks the block model already judged, so it is
off here; the phrase, counter, widget and de-duplication rules stay on.

Blocks are cleaned as lines of text (one block per line) and mapped back, so the same
decision serves plain text and markdown output.
"""

from __future__ import annotations

from functools import cache

from cleaners import Cleaner
from cleaners.normalize import normalize_lines
from cleaners.result import Removal
from scraper.extract.blocks import Block, joined_with_previous


@cache
def text_cleaner() -> Cleaner:
    return Cleaner(classifier=None, detect_lang=False)


def finish_text(
    text: str, *, title: str | None, url: str | None, clean: bool = True
) -> tuple[str, list[Removal], list[str]]:
    """(cleaned text, what was removed and why, names from a byline in the text). The
    title is not part of the text."""
    if not text.strip():
        return "", [], []
    if not clean:
        return text.strip(), [], []
    result = text_cleaner().clean(text, title=title, url=url)
    return result.text, list(result.removed), result.authors


def finish_blocks(
    blocks: list[Block], *, title: str | None, url: str | None, clean: bool = True
) -> tuple[list[Block], list[Removal], list[str]]:
    """(kept blocks, removals, names from a byline). Code blocks are kept as they are: the
    rules are for prose and chrome, and a repeated line of code is still code."""
    if not clean or not blocks:
        return blocks, [], []
    lines: list[str] = []
    line_of: dict[int, int] = {}  # input line number -> block index
    prev: Block | None = None
    for i, b in enumerate(blocks):
        if b.in_pre:
            continue
        norm = normalize_lines(b.text)
        if len(norm) != 1:
            continue  # empty after normalisation (or multi-line): handled below
        if lines and (prev is None or not joined_with_previous(prev, b)):
            lines.append("")
        lines.append(norm[0])
        line_of[len(lines)] = i
        prev = b
    if not lines:
        return [b for b in blocks if b.in_pre], [], []
    result = text_cleaner().clean("\n".join(lines), title=title, url=url)
    keep = {line_of[n] for n in result.kept_lines if n in line_of}
    kept = [b for i, b in enumerate(blocks) if i in keep or (b.in_pre and b.text.strip())]
    return kept, list(result.removed), result.authors
