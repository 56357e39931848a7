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

from dataclasses import replace
from functools import cache

from cleaners import Cleaner
from cleaners.normalize import normalize_chars, normalize_lines, normalize_text
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
        return normalize_text(text), [], []
    result = text_cleaner().clean(text, title=title, url=url)  # normalises as clean does
    return result.text, list(result.removed), result.authors


def normalize_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks with the text normalised as ``pagewash clean`` normalises it (NFC, no
    soft hyphens, BOMs, zero-width spaces or controls, one kind of space); a block left
    empty goes.

    Blocks are read from the page as they are, so that the block model sees what it was
    trained on; the record's text is what is normalised. Without this, one page had two
    spellings: ``extract`` kept "exam\u00adple" and "e\u0301" where ``clean`` wrote
    "example" and "é", so the two commands gave the page different ``content_hash``es,
    dedup missed the copy and tokenisers saw the invisible characters. Each block is
    normalised alone, so the paragraph structure render_blocks gives stays; a ``<pre>``
    block keeps its spaces and line breaks (indentation is code), only its characters
    are normalised.
    """
    out: list[Block] = []
    for b in blocks:
        text = (normalize_chars(b.text).strip() if b.in_pre
                else " ".join(normalize_lines(b.text)))
        if text:
            out.append(b if text == b.text else replace(b, text=text))
    return out


def finish_title(title: str | None) -> str | None:
    """The title normalised as a text line is (see :func:`normalize_blocks`); None when
    nothing is left of it."""
    if title is None:
        return None
    return " ".join(normalize_lines(title.rstrip("¶§ \t\n"))) or None


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
    removed: list[Removal] = []
    for r in result.removed:
        i = line_of.get(r.line, -1) if r.line is not None else -1
        if r.rule == TEMPLATE_RULE and i >= 0 and _table_row(blocks[i]):
            keep.add(i)
        else:
            removed.append(r)
    kept = [b for i, b in enumerate(blocks) if i in keep or (b.in_pre and b.text.strip())]
    return kept, removed, result.authors


# The dump cleaner's rule for machine-filled link runs ("Affordable Gym in Atco, NJ",
# "Affordable Gym in Berlin, NJ", ...). A text dump cannot tell such a run from the rows
# of a table; the page can. The rows of a data table (a register of "12 | Item 12 |
# Town 12", a schedule of "Week 3 | Sep 21 | ...") open with the same words because
# they are filled in by a machine, which is what tables are for: the model kept them as
# content, and the rule took every run of fifteen or more (a 3,000-row register kept ten).
TEMPLATE_RULE = "nav.template"


def _table_row(b: Block) -> bool:
    """A row of a data table: two cells or more, mostly not link text. A link farm laid
    out in a table (a footer's "Affordable Gym in Atco, NJ | Affordable Gym in Berlin,
    NJ", row after row, all links) is the very run the rule is for, and was kept."""
    return b.tag == "tr" and b.cells >= 2 and b.link_chars * 2 < len(b.text.strip())
