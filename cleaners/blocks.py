"""Blocks: the units cleaners judge, and the document that holds them.

A block is one non-empty line of normalised text. Dumps copied from rendered pages put
every block-level element on its own line and a blank line after paragraphs, so lines
are the finest unit that still means something, and blank lines carry layout (menus are
runs of lines without blank lines between them; prose paragraphs stand apart).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cleaners.normalize import EDGE, EDGE_CHARS, fold_text, normalize_text
from cleaners.patterns import BLOCK_WORD, HAS_CJK, MARKS
from cleaners.vocab import Vocab

WORD = re.compile(f"[\\w{MARKS}]+")  # a word keeps its vowel signs (patterns.MARKS)
# The same pattern for ASCII-only text, where Unicode and ASCII \w agree (no ASCII
# character is a Unicode letter or digit outside [A-Za-z0-9]); its scan is cheaper, and
# most lines of most pages are ASCII (str.isascii is a flag lookup).
_ASCII_WORD = re.compile(r"\w+", re.ASCII)


class Block:
    """One line of the document and what rules and the model know about it.

    A plain ``__slots__`` class (not a dataclass): documents have hundreds of blocks
    and construction cost shows in throughput.
    """

    __slots__ = (
        "feat", "key", "lex", "line", "n_words", "para_start", "removed_by", "text", "tok",
        "words",
    )

    def __init__(
        self,
        text: str,
        line: int,
        para_start: bool,
        key: str = "",
        words: list[str] | None = None,
        removed_by: str | None = None,
        n_words: int = -1,
        feat: tuple[tuple[str, ...], Any, int] | None = None,
        tok: tuple[int, Any, int] | None = None,
        lex: tuple[Any, Any] | None = None,
    ) -> None:
        self.text = text
        self.line = line  # 1-based line number in the normalised input
        self.para_start = para_start  # a blank line (or the start of the text) before it
        self.key = key  # folded matching key (cleaners.normalize.fold)
        self.words = words if words is not None else []  # \w+ tokens of the folded key
        self.removed_by = removed_by  # name of the rule that removed it
        self.n_words = n_words if n_words >= 0 else len(self.words)
        # Per-block model inputs, computed once and kept across passes (features.py):
        # (what they were computed for, the page matrix holding the block's row, its row).
        self.feat = feat  # (vocabulary languages, intrinsic features)
        self.tok: tuple[int, Any, int] | None = tok  # (model tag, mean word embeddings)
        self.lex = lex  # (lexicon, numbers of its distinct content words): features.py

    def __repr__(self) -> str:
        return f"Block(line={self.line}, removed_by={self.removed_by!r}, text={self.text[:40]!r})"


def split_blocks(text: str) -> list[Block]:
    """Blocks of already-normalised text, with their line numbers and paragraph flags."""
    blocks: list[Block] = []
    blank_before = True
    lines = text.split("\n")
    # Fold the whole text at once (C speed); casefolding never adds or drops newlines.
    folded = fold_text(text).split("\n")
    if len(folded) != len(lines):  # pragma: no cover - defensive
        folded = [fold_text(line) for line in lines]
    cjk = HAS_CJK.search(text) is not None
    findall, ascii_findall = (BLOCK_WORD if cjk else WORD).findall, _ASCII_WORD.findall
    edge_sub = EDGE.sub
    append = blocks.append
    for number, (line, fline) in enumerate(zip(lines, folded, strict=True), start=1):
        if not line:
            blank_before = True
            continue
        # edge_strip, inlined (a call per line showed in profiles): the C strip of the
        # usual decoration, the regex only when a rarer character is left at an edge.
        key = fline.strip(EDGE_CHARS)
        if key and not (key[0].isalnum() and key[-1].isalnum()):
            key = edge_sub("", key)
        # Words come from the folded key so that they compare equal to (folded)
        # vocabulary: Cyrillic stop words written with Latin look-alikes still count.
        words = ascii_findall(key) if key.isascii() else findall(key)
        append(Block(line, number, blank_before, key, words, None, len(words)))
        blank_before = False
    return blocks


def join_blocks(blocks: list[Block]) -> str:
    """Text of ``blocks``: a blank line before paragraph starts, a newline otherwise.

    Because the separator depends only on each block's own ``para_start`` flag,
    ``split_blocks(join_blocks(bs))`` gives back the same blocks: the basis of
    idempotence.
    """
    parts: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            parts.append("\n\n" if block.para_start else "\n")
        parts.append(block.text)
    return "".join(parts)


def is_switched_off(name: str, disabled: tuple[str, ...]) -> bool:
    """``name`` is one of ``disabled`` or of a family in it ("dedup" covers "dedup.near")."""
    return any(name == d or name.startswith(d + ".") for d in disabled)


class BlockDoc:
    """The blocks of one document plus what rules share: vocabulary, title, removals.

    Rules look at *alive* neighbours (blocks nobody removed yet) so that, e.g., once the
    view counters under a "Popular" heading are gone, the heading's section rule sees a
    plain run of headlines.
    """

    def __init__(self, blocks: list[Block], vocab: Vocab, title: str | None = None,
                 url: str | None = None, disabled: tuple[str, ...] = ()) -> None:
        self.blocks = blocks
        self.vocab = vocab
        self.title = title
        self.url = url  # the page's address when the input knows it (a hint, never needed)
        self.title_index: int | None = None  # block index of the headline, when found
        self.published: str | None = None
        self.authors: list[str] = []  # names from a byline, when a rule found one
        self.found_url: str | None = None  # "URL: https://…" in a metadata footer
        # Blocks the byline rule read as bylines, removed or left for other rules ("By
        # Jane Doe, staff writer"): never the headline, and evidence that one is above.
        self.bylines: set[int] = set()
        # The headline scorer's verdict on each candidate block (``find_title``), kept
        # for the second look once the classifier has cleared the menus
        # (``opening_headline``).
        self.title_scores: dict[int, float] = {}
        # Removal names switched off (``Cleaner(disabled=...)``): a whole rule is not run
        # at all, but one kind of a rule ("section.related") can only be refused here.
        self.disabled = disabled
        # alive(), kept until the next removal: most rules ask for it, and between two
        # of them often nothing was removed (always so on a confirming pass).
        self._alive: list[int] | None = None

    @classmethod
    def from_text(cls, text: str, vocab: Vocab, title: str | None = None) -> BlockDoc:
        return cls(split_blocks(normalize_text(text)), vocab, title)

    def __len__(self) -> int:
        return len(self.blocks)

    def remove(self, index: int, rule: str) -> bool:
        """Mark a block removed by ``rule``; the first rule to remove a block owns it.
        A switched-off name (or family: "section" covers "section.related") removes
        nothing."""
        block = self.blocks[index]
        if self.disabled and is_switched_off(rule, self.disabled):
            return False
        if block.removed_by is None:
            block.removed_by = rule
            self._alive = None
            return True
        return False

    def give_back(self, index: int) -> None:
        """Undo a removal: for a block another step claims with better reason (the
        classifier removed the headline the title search then recognised)."""
        self.blocks[index].removed_by = None
        self._alive = None

    def alive(self) -> list[int]:
        """Indices of the blocks not removed, in order (a new list the caller may change).

        Blocks are removed through :meth:`remove` only (and given back through
        :meth:`give_back`), which forget the kept list.
        """
        if self._alive is None:
            self._alive = [i for i, b in enumerate(self.blocks) if b.removed_by is None]
        return self._alive.copy()

    def iter_alive(self) -> Iterator[tuple[int, Block]]:
        for i, b in enumerate(self.blocks):
            if b.removed_by is None:
                yield i, b

    def next_alive(self, index: int, step: int = 1) -> int | None:
        i = index + step
        while 0 <= i < len(self.blocks):
            if self.blocks[i].removed_by is None:
                return i
            i += step
        return None

    def prev_alive(self, index: int) -> int | None:
        return self.next_alive(index, -1)

    def kept(self) -> list[Block]:
        return [b for b in self.blocks if b.removed_by is None]
