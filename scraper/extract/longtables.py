"""Long data tables: the rows past the first :data:`TABLE_SAMPLE_ROWS` of a table are
set aside before the page is parsed, and read in batches once the page's content is
chosen.

A register of 60,000 rows (a 5 MB page of 660,000 nodes) cost 690 MB and 25 s: every
stage held or walked the whole table at once -- the HTML parser's tree (90 MB),
trafilatura's lxml tree, htmldate's, a block and a feature row per table row, the
model, the text cleaner -- and the block walker's node limit still cut the table at
row 33,331 (flagged ``too-many-elements``). None of that is needed to decide whether a
table is content: its first thousand rows say as much as all of them. So the markup of
the rows after them is taken out of the page text (:func:`set_aside_rows`), the page
is analysed as usual with the first rows standing for the table, the table is kept or
left out as a whole (:func:`whole_tables`), and the rows set aside go where the table
went (:func:`restore_rows`): into the text after its last row kept, else out with it,
each listed among the removals. Nothing is dropped unread and no row is cut off: the
cost grows with the rows, one batch of rows in memory at a time.

The markup is read as written, as :func:`scraper.extract.sniff.bound_depth` reads it
(comments and raw-text elements skipped, a ``<tr`` inside another tag ignored); when
the parsed page does not show every table's marker where it was put, the caller parses
the page whole instead (:func:`markers_found`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.blocks import TABLE_MARKER as MARKER
from scraper.extract.blocks import Block, page_blocks
from scraper.extract.sniff import MAX_DEPTH, bound_depth

# Rows of one table the page's analysis reads; the rest are set aside. The block model
# judges a table by rows like these (WCXB's longest table has 469 rows, so no page of
# it is read differently), and the analysis of a thousand rows takes well under a
# second; past that, memory and time grew with the rows for no better decision.
TABLE_SAMPLE_ROWS = 1_000

# What the scan reads: comments, the start tags of tables, rows and table sections and
# of raw-text elements (whose content is no markup), and the end tags that end a run of
# rows. A row's end tag is not read (rows are cut where the next one starts).
_TOKEN = re.compile(
    r"<(?:!--|(table|tr|tbody|thead|tfoot|script|style|textarea|title|xmp|iframe|noembed|"
    r"noframes|plaintext)(?=[\s/>])|/(table|tbody|thead|tfoot|body|html)(?=[\s/>]))",
    re.IGNORECASE,
)
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                       "noframes"})
_RAW_END = {name: re.compile(f"</{name}", re.IGNORECASE) for name in _RAW_TEXT}
_SECTIONS = frozenset({"tbody", "thead", "tfoot"})


@dataclass(slots=True)
class _Table:
    start: int  # where its "<table" starts
    frozen: bool = False  # inside rows set aside: they are read with the outer table's
    rows: int = 0
    run: list[int] | None = None  # starts of the rows of the open run set aside
    runs: list[tuple[list[int], int]] = field(default_factory=list)  # (row starts, end)

    def end_run(self, at: int) -> None:
        if self.run is not None:
            self.runs.append((self.run, at))
            self.run = None


@dataclass(slots=True)
class SetAside:
    """The rows set aside from one page: slices of its text, by table."""

    text: str
    tables: list[list[tuple[list[int], int]]]  # per marked table: runs of (row starts, end)
    rows: int


def set_aside_rows(text: str, keep: int = TABLE_SAMPLE_ROWS) -> tuple[str, SetAside | None]:
    """``text`` without the rows of each table past its first ``keep``, the table's
    start tag marked with :data:`MARKER`; and what was set aside (None when no table is
    that long, and then ``text`` is returned as it is)."""
    if _rough_rows(text) <= keep:
        return text, None
    stack: list[_Table] = []
    done: list[_Table] = []
    pos = 0
    while (m := _TOKEN.search(text, pos)) is not None:
        start = m.start()
        pos = m.end()
        opening, closing = m.group(1), m.group(2)
        if opening is None and closing is None:  # a comment
            end = text.find("-->", start + 4)
            if end < 0:
                break
            pos = end + 3
            continue
        if _inside_tag(text, start):
            continue
        if opening is not None:
            name = opening.lower()
            if name in _RAW_TEXT:
                close = _RAW_END[name].search(text, pos)
                if close is None:
                    break
                pos = close.end()
            elif name == "plaintext":
                break  # the rest of the page is text
            elif name == "table":
                frozen = any(t.run is not None or t.frozen for t in stack)
                stack.append(_Table(start, frozen))
            elif name == "tr":
                if stack and not stack[-1].frozen:
                    _row(stack[-1], start, keep)
            elif stack:  # a table section
                stack[-1].end_run(start)
            continue
        name = closing.lower()
        if name == "table":
            if stack:
                table = stack.pop()
                table.end_run(start)
                if table.runs:
                    done.append(table)
        elif name in _SECTIONS:
            if stack:
                stack[-1].end_run(start)
        else:  # </body>, </html>: no table row goes on past them
            for table in stack:
                table.end_run(start)
    for table in stack:  # tables the page never closes
        table.end_run(len(text))
        if table.runs:
            done.append(table)
    if not done:
        return text, None
    done.sort(key=lambda t: t.start)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    for i, table in enumerate(done):
        at = table.start + len("<table")
        edits.append((at, at, f' {MARKER}="{i}"'))
        edits.extend((starts[0], end, "") for starts, end in table.runs)
    edits.sort()
    pieces: list[str] = []
    at = 0
    for start, end, insert in edits:
        pieces.append(text[at:start])
        pieces.append(insert)
        at = end
    pieces.append(text[at:])
    tables = [t.runs for t in done]
    rows = sum(len(starts) for t in tables for starts, _ in t)
    return "".join(pieces), SetAside(text, tables, rows)


def _row(table: _Table, start: int, keep: int) -> None:
    table.rows += 1
    if table.rows > keep:
        if table.run is None:
            table.run = []
        table.run.append(start)


def _rough_rows(text: str) -> int:
    """An upper bound of the rows of the page's longest table, in C: every ``<tr``."""
    return text.count("<tr") + text.count("<TR") + text.count("<Tr") + text.count("<tR")


def _inside_tag(text: str, at: int) -> bool:
    """Whether ``at`` is inside another tag (``<a title="<tr>">``): a ``<`` after the
    last ``>`` before it."""
    return text.rfind("<", 0, at) > text.rfind(">", 0, at)


def markers_found(tree: LexborHTMLParser, aside: SetAside) -> bool:
    """Whether the parsed page shows each table's marker once, on a table: else the
    markup was not what the scan took it for, and the page is to be read whole."""
    found = sorted(node.attributes.get(MARKER) or "" for node in tree.css(f"[{MARKER}]")
                   if node.tag == "table")
    return found == sorted(str(i) for i in range(len(aside.tables)))


def whole_tables(blocks: list[Block], keep: list[bool]) -> None:
    """A long table is content or not as a whole: each block of it is kept when most of
    its blocks are (``keep`` is the model's decision per block, changed in place).

    The model reads a block's place on the page, and with its rows set aside a long
    table at the end of a page ended the page early: the model left out its last rows
    read as it leaves out the end of any page, and with them (by where they go) every
    row set aside, 201 of a 1,200-row register in an ``<aside>``.
    """
    votes: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.table:
            votes.setdefault(b.table, []).append(i)
    for members in votes.values():
        kept = sum(keep[i] for i in members) * 2 >= len(members)
        for i in members:
            keep[i] = kept


def restore_rows(blocks: list[Block], aside: SetAside) -> tuple[list[Block], list[int]]:
    """``blocks`` (what the page's analysis kept, in page order) with each table's rows
    set aside put in after the last block kept of the table; and the tables of which no
    block was kept, so that their rows set aside are not either."""
    last: dict[int, int] = {}  # table -> index of its last block kept
    for i, b in enumerate(blocks):
        if b.table:
            last[b.table - 1] = i
    left = [t for t in range(len(aside.tables)) if t not in last]
    if not last:
        return blocks, left
    after = {i: t for t, i in last.items()}
    out: list[Block] = []
    for i, b in enumerate(blocks):
        out.append(b)
        if i in after:
            out.extend(table_blocks(aside, after[i], b))
    return out, left


def table_blocks(aside: SetAside, table: int, like: Block) -> Iterator[Block]:
    """The blocks of the rows set aside from ``table``, read as the block walker reads
    rows, in ``like``'s place on the page (inside ``<main>``, a list, a quote); their
    depth and class hints are ``like``'s, as the model, which reads those, never sees
    them."""
    for markup in rows_set_aside(aside, table):
        for b in page_blocks(LexborHTMLParser(markup).body):
            # (set in place: dataclasses.replace was a third of the cost of 60,000 rows)
            b.depth, b.hints, b.table = like.depth, like.hints, like.table
            b.in_main, b.in_largest, b.in_quote = like.in_main, like.in_largest, like.in_quote
            b.in_list, b.in_pre = like.in_list or b.in_list, like.in_pre or b.in_pre
            b.list_level = like.list_level
            yield b


def rows_set_aside(aside: SetAside, table: int) -> Iterator[str]:
    """The markup of table ``table``'s rows set aside, in batches of whole rows, each a
    table of its own.

    A batch holds at most :data:`~scraper.extract.sniff.MAX_DEPTH` tags, and so cannot
    nest deeper than the parser is allowed to go: it is parsed as it is, where the page
    around it was first bounded by :func:`~scraper.extract.sniff.bound_depth`. A row of
    more tags than that is a batch of its own, and bounded.
    """
    text = aside.text
    for starts, end in aside.tables[table]:
        bounds = [*starts, end]
        first = 0
        tags = 0
        for i in range(len(starts)):
            row_tags = text.count("<", bounds[i], bounds[i + 1])
            if i > first and tags + row_tags > MAX_DEPTH:
                yield _batch(text, bounds[first], bounds[i])
                first, tags = i, 0
            tags += row_tags
        yield _batch(text, bounds[first], end)


def _batch(text: str, start: int, end: int) -> str:
    markup, _ = bound_depth(text[start:end])
    return f"<table><tbody>{markup}</tbody></table>"
