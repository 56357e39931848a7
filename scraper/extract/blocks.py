"""The pruned page as a list of text blocks (one per line, like a browser's innerText),
each with the DOM facts the block model needs.

trafilatura keeps what it judges to be prose; on listings, collections, product and
service pages the content *is* short titles, prices and bullet points, which it drops.
So the page is also read block by block here -- block-level tags end lines, inline
tags do not, a table row is one line with " | " between cells -- and every block
remembers where it stood: inside ``<main>``/``<article>``, inside the largest text
block, in a list or table, under which class-name hints, how much of it is link text.
:mod:`scraper.extract.select` then decides block by block what is content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from cleaners.normalize import INVISIBLE
from scraper.extract.domvocab import hint_flags

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "thead", "tfoot", "tr", "ul", "br", "caption", "center", "html",
    "legend", "menu", "option", "textarea",
})
CELL_TAGS = frozenset({"td", "th"})
SKIP_TAGS = frozenset({"script", "style", "template", "svg", "head", "title",
                       "iframe", "object", "canvas", "button", "select", "input", "math"})
MAIN_TAGS = frozenset({"main", "article"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Not U+200B: a zero-width space shows nothing ("foo\u200bbar" reads "foobar"), and the
# record's normalisation drops it as ``clean`` does; read as a space, it split words and
# left "cafe ." where ``clean`` wrote "cafe.", and the two commands' content_hash differed.
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2009\u202f]+")
_BLANK = INVISIBLE + " \t\r\n\f\v"
# The permalink mark documentation generators put after each heading (Sphinx's
# ``<a class="headerlink">¶</a>``, "§" elsewhere): no part of the heading's text.
_ANCHOR_MARKS = "¶§"
MAX_NODES = 300_000
MAX_BLOCK_CHARS = 20_000
# The attribute :mod:`scraper.extract.longtables` puts on a long table whose rows past the
# first it set aside, naming them (``Block.table``).
TABLE_MARKER = "data-pagewash-rows"


@dataclass(slots=True)
class Block:
    """One line of the page's text and where it came from."""

    text: str
    tag: str  # innermost block element ("p", "li", "h2", "tr", "pre", "div", ...)
    link_chars: int = 0
    depth: int = 0
    in_main: bool = False  # inside <main>, <article>, role=main or itemprop=articleBody
    in_largest: bool = False  # inside the element with the most paragraph text
    in_list: bool = False
    in_table: bool = False
    in_pre: bool = False
    in_quote: bool = False
    heading: int = 0  # 1..6 for h1..h6
    hints: int = 0  # bit set of class/id hint categories on the ancestors (domvocab)
    bold: bool = False  # the whole line is inside <strong>/<b>
    cells: int = 0  # table cells on this line
    list_level: int = 0  # lists it is nested in (markdown indents by it)
    ordinal: int = 0  # its number in an <ol> (0: not a numbered item)
    table: int = 0  # in a long table: 1 + the number of its rows set aside (longtables)
    # It ended at a <br>, and the next block goes on in the same element: a line break
    # inside one paragraph (a poem's lines, an address), not a paragraph break.
    broken: bool = False
    # In a definition list: "dt" (a term) or "dd" (a definition), and the number of
    # its entry (its terms and their definitions; 0: in none), so the terms stay with
    # what they define, in the text and in the choice of content.
    definition: str = ""
    entry: int = 0


@dataclass(slots=True)
class _Frame:
    """Ancestor state while walking."""

    in_main: bool = False
    in_largest: bool = False
    in_list: bool = False
    in_table: bool = False
    in_pre: bool = False
    in_quote: bool = False
    in_link: bool = False
    in_bold: bool = False
    hints: int = 0
    block_tag: str = "body"
    heading: int = 0
    depth: int = 0
    list_level: int = 0
    list_id: int = 0  # mem_id of the innermost list, when it is an <ol> (its items count)
    ordinal: int = 0
    table: int = 0
    dl_id: int = 0  # mem_id of the innermost <dl>
    definition: str = ""
    entry: int = 0


@dataclass(slots=True)
class _Counts:
    """What the walk counts across elements: the number of each ``<ol>``'s next item
    (from its ``start``), so a numbered list keeps its numbers in markdown; and, per
    ``<dl>``, its current entry and whether a term or a definition came last."""

    numbers: dict[int, int] = field(default_factory=dict)
    entries: dict[int, tuple[int, str]] = field(default_factory=dict)
    last_entry: int = 0

    def entry(self, dl_id: int, part: str) -> int:
        """The entry a ``<dt>``/``<dd>`` of the ``<dl>`` belongs to: a term after a
        definition (or first in its list) starts one, all else goes on with it."""
        current = self.entries.get(dl_id)
        if current is None or (part == "dt" and current[1] != "dt"):
            self.last_entry += 1
            current = (self.last_entry, part)
        self.entries[dl_id] = (current[0], part)
        return current[0]


@dataclass(slots=True)
class _Line:
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    bold_chars: int = 0
    frame: _Frame | None = None
    cells: int = 0


def page_blocks(root: LexborNode | None, largest: LexborNode | None = None,
                stats: dict[str, int] | None = None) -> list[Block]:
    """The blocks of ``root`` (usually ``<body>``) in document order.

    Only the first ``MAX_NODES`` nodes are read (the walk's cost; trafilatura's is
    larger still on such a page): when the page has more, ``stats["node_limit"]`` is
    set, and the record is flagged, since the text after them is missing."""
    if root is None:
        return []
    blocks: list[Block] = []
    line = _Line()
    largest_id = largest.mem_id if largest is not None else None

    def flush(broken: bool = False) -> None:
        if not line.parts:
            if broken and blocks and blocks[-1].broken:
                # a second <br> in a row: the blank line of old-style paragraphs
                blocks[-1].broken = False
            return
        raw = "".join(line.parts)
        fr = line.frame
        pre = fr is not None and fr.in_pre
        text = raw if pre else _SPACES.sub(" ", raw)
        text = text.strip().strip("|").strip()
        if fr is not None and (fr.heading or fr.definition == "dt"):
            text = text.rstrip(_ANCHOR_MARKS).rstrip()  # (Sphinx marks its API terms too)
        # a paragraph of invisible characters alone ("<p>&#8203;</p>") is no block
        if text and fr is not None and text.strip(_BLANK):
            pieces = [text] if len(text) <= MAX_BLOCK_CHARS else _pieces(raw, pre)
            for piece in pieces:
                share = len(piece) / len(text)
                blocks.append(Block(
                    text=piece, tag=fr.block_tag,
                    link_chars=min(round(line.link_chars * share), len(piece)),
                    depth=fr.depth, in_main=fr.in_main, in_largest=fr.in_largest,
                    in_list=fr.in_list, in_table=fr.in_table, in_pre=fr.in_pre,
                    in_quote=fr.in_quote, heading=fr.heading, hints=fr.hints,
                    bold=line.bold_chars >= 0.9 * len(raw.strip()) > 0, cells=line.cells,
                    list_level=fr.list_level, ordinal=fr.ordinal, table=fr.table,
                    definition=fr.definition, entry=fr.entry,
                ))
            if broken and not pre:
                blocks[-1].broken = True
        line.parts.clear()
        line.link_chars = 0
        line.bold_chars = 0
        line.frame = None
        line.cells = 0

    # Stack of (node, frame-to-use, closing?)
    root_frame = _Frame()
    counts = _Counts()
    stack: list[tuple[LexborNode, _Frame, bool]] = [(root, root_frame, False)]
    seen = 0
    while stack and seen < MAX_NODES:
        node, frame, closing = stack.pop()
        tag = node.tag
        if closing:
            if tag in CELL_TAGS:
                line.parts.append(" | ")
                line.cells += 1
            elif tag in BLOCK_TAGS:
                flush()
                if blocks and tag != "br":
                    blocks[-1].broken = False  # the element ends: so does its paragraph
            continue
        seen += 1
        if tag == "-text":
            value = node.text_content or ""
            if value:
                if line.frame is None:
                    if not value.strip():
                        continue
                    line.frame = frame
                line.parts.append(value)
                n = len(value.strip())
                if frame.in_link:
                    line.link_chars += n
                if frame.in_bold:
                    line.bold_chars += n
            continue
        if tag in SKIP_TAGS or tag in ("_comment", "-comment", "!doctype") or tag is None:
            continue
        child_frame = _enter(node, tag, frame, largest_id, counts)
        if tag == "br":
            flush(broken=True)
        elif tag in BLOCK_TAGS:
            flush()
        elif tag == "img" and not line.parts:
            continue
        stack.append((node, frame, True))
        children: list[LexborNode] = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        for c in reversed(children):
            stack.append((c, child_frame, False))
    flush()
    if stack and stats is not None:
        stats["node_limit"] = MAX_NODES
    return blocks


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
# A sentence's end: a full stop (or ! ? …) before a space, or a CJK full stop.
_SENTENCE_BREAK = re.compile(r"[.!?…](?= )|[。！？]")


def _pieces(raw: str, pre: bool) -> list[str]:
    """A block of more than ``MAX_BLOCK_CHARS`` characters as several blocks, none of
    them longer: a ``<pre>`` at line ends (its pieces are joined again by a line break,
    so its text is unchanged); other text at its blank lines (the paragraphs of text
    shown with ``white-space: pre-wrap``), then at sentence ends, then at a space.

    Such a block was cut at the limit, and the rest of the article (16,000 characters
    of a 36,000-character ``<p>``; all but the first 20,000 of a story in one
    ``<pre>``) was lost without a word. The limit stays, for the cost of each block's
    features and for the model, which never saw a block that long.
    """
    if pre:
        return _chunks(raw.strip("\n"), "\n")
    out: list[str] = []
    for para in _BLANK_LINE.split(raw):
        para = _SPACES.sub(" ", para).strip()
        if para:
            out.extend(_chunks(para, " "))
    return out


def _chunks(text: str, sep: str) -> list[str]:
    """``text`` cut before ``MAX_BLOCK_CHARS`` at the last sentence end (not in a
    ``<pre>``, whose ``sep`` is a line break), else at the last ``sep``, which goes."""
    out: list[str] = []
    while len(text) > MAX_BLOCK_CHARS:
        head = text[:MAX_BLOCK_CHARS + 1]
        end = rest = -1
        if sep == " ":
            ends = [m.end() for m in _SENTENCE_BREAK.finditer(head)]
            if ends and ends[-1] >= MAX_BLOCK_CHARS // 2:
                end = ends[-1]
                rest = end + 1 if text[end:end + 1] == " " else end
        if end < 0:
            end = head.rfind(sep)
            rest = end + 1
        if end <= 0:
            end = rest = MAX_BLOCK_CHARS
        out.append(text[:end])
        text = text[rest:]
    out.append(text)
    return [piece for piece in out if piece.strip()]


def _enter(node: LexborNode, tag: str, frame: _Frame, largest_id: int | None,
           counts: _Counts | None = None) -> _Frame:
    """The frame for ``node``'s children (``counts``: see :class:`_Counts`)."""
    attrs = node.attributes if tag not in ("a", "b", "strong", "span", "em", "i") else None
    hints = frame.hints
    in_main = frame.in_main or tag in MAIN_TAGS
    if attrs:
        cls = attrs.get("class")
        ident = attrs.get("id")
        if cls:
            hints |= hint_flags(cls)
        if ident:
            hints |= hint_flags(ident)
        role = attrs.get("role")
        if role == "main" or attrs.get("itemprop") == "articleBody":
            in_main = True
    elif tag == "a":
        cls = node.attributes.get("class")
        if cls:
            hints |= hint_flags(cls)
    block = tag in BLOCK_TAGS
    table = frame.table
    if tag == "table" and attrs:
        marker = attrs.get(TABLE_MARKER)
        if marker is not None and marker.isdigit():
            table = int(marker) + 1
    list_level, list_id, ordinal = frame.list_level, frame.list_id, frame.ordinal
    if tag in ("ul", "ol", "menu"):
        list_level += 1
        list_id, ordinal = 0, 0
        if tag == "ol" and counts is not None:
            list_id = node.mem_id
            start = (node.attributes.get("start") or "1").strip()
            counts.numbers[list_id] = int(start) if start.lstrip("-").isdigit() else 1
    elif tag == "li":
        ordinal = 0
        if list_id and counts is not None:
            ordinal = counts.numbers[list_id]
            counts.numbers[list_id] = ordinal + 1
    dl_id, definition, entry = frame.dl_id, frame.definition, frame.entry
    if tag == "dl":
        dl_id = node.mem_id
    elif tag in ("dt", "dd"):
        definition = tag
        entry = counts.entry(dl_id, tag) if counts is not None else 0
    return _Frame(
        in_main=in_main,
        in_largest=frame.in_largest or node.mem_id == largest_id,
        in_list=frame.in_list or tag in ("ul", "ol", "dl", "menu"),
        in_table=frame.in_table or tag == "table",
        in_pre=frame.in_pre or tag == "pre",
        in_quote=frame.in_quote or tag == "blockquote",
        in_link=frame.in_link or tag == "a",
        in_bold=frame.in_bold or tag in ("b", "strong"),
        hints=hints,
        block_tag=tag if block else frame.block_tag,
        heading=HEADINGS.get(tag, frame.heading if not block else 0),
        depth=frame.depth + 1,
        list_level=list_level,
        list_id=list_id,
        ordinal=ordinal,
        table=table,
        dl_id=dl_id,
        definition=definition,
        entry=entry,
    )


def joined_with_previous(prev: Block, b: Block) -> bool:
    """Whether ``b`` continues ``prev``'s paragraph-level unit (list, table, code)."""
    if prev.in_pre and b.in_pre:
        return True
    if prev.tag == "tr" and b.tag == "tr":
        return True
    if prev.broken and b.tag == prev.tag and not b.heading and b.depth == prev.depth:
        return True  # the next line of a paragraph broken by <br>
    if b.definition == "dt" and prev.definition and prev.entry != b.entry:
        return False  # the next term of a definition list: an entry of its own
    if prev.entry and prev.entry == b.entry and (prev.definition == "dt" or b.tag == "dd"):
        return True  # a term goes on with its definitions, a definition with the next
    return prev.in_list and b.in_list and prev.tag in _ITEM_TAGS and b.tag in _ITEM_TAGS


_ITEM_TAGS = frozenset({"li", "dd", "dt"})


def render_blocks(blocks: list[Block], *, markdown: bool = False) -> str:
    """Blocks as plain text (a blank line between paragraphs, list items and table rows
    on consecutive lines) or as markdown (headings, lists, tables, code blocks)."""
    if not markdown:
        parts: list[str] = []
        prev: Block | None = None
        for b in blocks:
            if prev is not None:
                parts.append("\n" if joined_with_previous(prev, b) else "\n\n")
            parts.append(b.text)
            prev = b
        return "".join(parts)
    out: list[str] = []
    prev = None
    table_open = False
    for b in blocks:
        if prev is not None and prev.in_pre and not b.in_pre:
            out.extend(["```", ""])  # the code block ends, whatever comes next
        if b.tag == "tr" and b.cells:
            # a "|" inside a cell would start a column of its own
            cells = [c.strip().replace("|", "\\|") for c in b.text.split(" | ")]
            row = "| " + " | ".join(cells) + " |"
            if not table_open:
                if out and out[-1] != "":
                    out.append("")
                out.append(row)
                out.append("|" + "---|" * len(cells))
                table_open = True
            else:
                out.append(row)
            prev = b
            continue
        if table_open:
            out.append("")
            table_open = False
        if b.in_pre:
            if prev is None or not prev.in_pre:
                out.extend(["", "```"])
            out.append(b.text)
            prev = b
            continue
        if b.heading:
            out.extend(["", "#" * b.heading + " " + b.text, ""])
        elif b.definition and b.tag != "li":
            # a definition list as Pandoc, PHP Markdown Extra and MkDocs write one: the
            # term on a line, each definition on the next after ": ", a blank line
            # between entries (as bullets, a term was one more item of a flat list)
            if b.definition == "dd":
                out.append(": " + b.text)
            else:
                if (out and out[-1] and not (prev is not None and prev.definition == "dt"
                                             and prev.entry == b.entry)):
                    out.append("")
                out.append(b.text)
        elif b.tag == "li":
            indent = "    " * max(b.list_level - 1, 0)  # past a "10. " marker too
            out.append(indent + (f"{b.ordinal}. " if b.ordinal else "- ") + b.text)
        elif b.in_quote:
            if prev is not None and (prev.tag == "li" or prev.in_list) and out and out[-1]:
                out.append("")
            out.extend(["> " + b.text, ""])
        else:
            if prev is not None and (prev.tag == "li" or prev.in_list) and out and out[-1]:
                out.append("")
            elif (prev is not None and prev.broken and joined_with_previous(prev, b)
                    and out and out[-1] == ""):
                out.pop()  # the paragraph goes on after its <br>, on the next line
            out.extend([b.text, ""])
        prev = b
    if prev is not None and prev.in_pre:
        out.append("```")
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
