"""Menus and category labels: runs of short link texts with navigation vocabulary.

One short line is ambiguous ("Politics" can be a subheading); a run of them, several
of which are known navigation words, is a menu. The block model catches the menus
whose words are not in the vocabulary. Two kinds say what they are by themselves: a
breadcrumb or tag line by its separators and label, a machine-filled link template by
how often its opening repeats.
"""

from __future__ import annotations

import re
from itertools import groupby

from cleaners.blocks import Block, BlockDoc
from cleaners.rules.base import UNDER_HEADLINE, Rule
from cleaners.shape import ends_sentence
from cleaners.vocab import match_prefix

MAX_ITEM_WORDS = 5
MIN_RUN = 3
MIN_HIT_SHARE = 0.34


class NavigationRunRule(Rule):
    name = "nav.menu"
    description = "runs of short link texts, a third or more of them navigation words"

    def apply(self, doc: BlockDoc) -> None:
        nav = doc.vocab.lines.get("navigation", frozenset())
        alive = doc.alive()
        n = len(alive)
        # Which alive blocks could be menu items (a few words, not a sentence of more
        # than two), up front in one comprehension (no call per block): the loop removes
        # only blocks of the run it has just passed, so the blocks still ahead of it are
        # as they were when it started.
        menu = [0 < b.n_words <= MAX_ITEM_WORDS and not (b.n_words > 2 and ends_sentence(b))
                for b in map(doc.blocks.__getitem__, alive)]
        k = 0
        while k < n:
            if not menu[k]:
                k += 1
                continue
            j = k
            while j < n and menu[j]:
                j += 1
            run = alive[k:j]
            # A headline often sits right under the menu, after a blank line: a trailing
            # phrase of three or more words that no menu names is not part of the run.
            while len(run) > 1 and _trailing_phrase(doc.blocks[run[-1]], nav):
                run = run[:-1]
            hits = sum(doc.blocks[i].key in nav for i in run)
            if (len(run) >= MIN_RUN and hits >= 2 and hits / len(run) >= MIN_HIT_SHARE) or (
                len(run) == hits >= 1 and (k == 0 or j == n)
            ):
                # Pasted without a blank line, the headline ends the menu's run: it counts
                # in the run (left out, a list in the article that was no menu -- a
                # subheading with a dateline under it after it -- became one) but stays.
                # (so does a byline under it with a lower-case job title, left for the
                # classifier: "By Jane Doe, staff writer" is short enough for a menu item)
                while len(run) > 1 and (run[-1] in doc.bylines
                                        or _headline_under_menu(doc, run[-1], nav)):
                    run = run[:-1]
                for i in run:
                    doc.remove(i, self.name)
            k = j


def _trailing_phrase(block: Block, nav: frozenset[str]) -> bool:
    return block.para_start and block.n_words >= 3 and block.key not in nav


def _headline_under_menu(doc: BlockDoc, i: int, nav: frozenset[str]) -> bool:
    """The run's last item is the headline, pasted without a blank line under the menu
    ("Wissen", "Bundestag beschließt Reform der Schuldenbremse", "Von Katrin Schulze"):
    a phrase of four words or more that no menu names, with its byline, dateline or
    counter right under it (removed, or a byline left for the classifier)."""
    block = doc.blocks[i]
    if block.n_words < 4 or block.key in nav or i + 1 >= len(doc.blocks):
        return False
    under = doc.blocks[i + 1].removed_by
    return (i + 1 in doc.bylines
            or (under is not None and under.split(".")[0] in UNDER_HEADLINE))


# "Home » News » Politics", "Home / Blog / 2024", "News > World": short segments between
# separators. The separators are language-neutral; one known navigation word, or a
# start at the site root, makes it a breadcrumb rather than a title with a slash.
# (folded keys turn » and « into a plain double quote)
_CRUMB_SPLIT = re.compile(r"\s*(?:»|›|>|/|\||→|::|\")\s*")
# Any separator at all: without one the split gives the key whole (one part). A
# character-class scan is much cheaper than the split's per-position attempts, and most
# blocks have no separator.
_CRUMB_SEPARATOR = re.compile(r"[»›>/|→\"]|::")
MAX_CRUMB_WORDS = 16
MAX_SEGMENT_WORDS = 5


class BreadcrumbRule(Rule):
    name = "nav.breadcrumb"
    context_free = True
    description = "a one-line breadcrumb trail: Home » News » Politics"

    def apply(self, doc: BlockDoc) -> None:
        nav = doc.vocab.lines.get("navigation", frozenset())
        for i, block in enumerate(doc.blocks):  # removes only block i: see Rule
            if block.removed_by is not None:
                continue
            if (block.n_words > MAX_CRUMB_WORDS or not _CRUMB_SEPARATOR.search(block.key)
                    or ends_sentence(block)):
                continue
            parts = [p for p in _CRUMB_SPLIT.split(block.key) if p]
            if len(parts) < 2 or any(len(p.split()) > MAX_SEGMENT_WORDS for p in parts):
                continue
            if parts[0] in nav or sum(p in nav for p in parts) >= 2:
                doc.remove(i, self.name)


# "Tags: python, rust", "Filed Under: DIY, Woodworking", "Рубрика: Політика": the label,
# a colon, then short items. A label with a sentence after it ("Topics: we cover a lot
# of ground.") or one long item is text, and stays.
# Items are split at commas (also the Arabic and CJK ones) and other list separators.
_TAXONOMY_SPLIT = re.compile(r"\s*(?:[,;|•·/،、，]|\s-{1,2}\s)\s*")
MAX_TAXONOMY_WORDS = 30
MAX_TAG_WORDS = 5


class TaxonomyRule(Rule):
    name = "nav.taxonomy"
    context_free = True
    description = "a category or tag line: Tags: a, b, c / Filed under: News"

    def apply(self, doc: BlockDoc) -> None:
        index = doc.vocab.prefix_index.get("taxonomy")
        if not index:
            return
        for i, block in enumerate(doc.blocks):  # removes only block i: see Rule
            if block.removed_by is not None:
                continue
            words = block.words
            # the label's first word is the cheap test, so it comes first
            if (not words or words[0] not in index or block.n_words > MAX_TAXONOMY_WORDS
                    or ends_sentence(block) or not block.text[:1].isalpha()):
                continue
            key = block.key
            label = match_prefix(index, key, words[0])
            if label is None:
                continue
            # "Category:Benchmarking" (no space) is a wiki page name, not a label
            rest = key[len(label):].lstrip()
            if not rest.startswith(": "):
                continue
            if _tag_list(rest[2:]):
                doc.remove(i, self.name)


def _tag_list(value: str) -> bool:
    """Short items after the label; a lone item a word shorter than a listed one, since
    alone it is more likely a phrase ("Topics: the state of the economy")."""
    items = [p for p in _TAXONOMY_SPLIT.split(value.strip()) if p]
    sizes = [len(p.split()) for p in items]
    limit = MAX_TAG_WORDS if len(items) > 1 else MAX_TAG_WORDS - 1
    return bool(items) and max(sizes) <= limit and not any(":" in p for p in items)


# "Affordable Gym in Atco, NJ", "Affordable Gym in Berlin, NJ", … : one link template
# filled in over and over (local-SEO footers, faceted link farms). A run this long of
# short lines opening with the same two words is generated, not written. Numbered lines
# ("3.1 Beam splitters", "6:50:49 AM: Starting") are tables of contents and logs, so the
# shared opening needs a word with letters.
MIN_TEMPLATE_RUN = 15
MAX_TEMPLATE_WORDS = 14
_DIGITS = re.compile(r"\d")


class TemplateRunRule(Rule):
    name = "nav.template"
    description = "a long run of short lines opening with the same two words (link farms)"

    def apply(self, doc: BlockDoc) -> None:
        alive = doc.alive()
        blocks = list(map(doc.blocks.__getitem__, alive))
        # _key's own length test first, for the whole page: a run needs MIN_TEMPLATE_RUN
        # blocks in a row that pass it, and most pages have none (found by bytes.find).
        sized = bytes([3 <= b.n_words <= MAX_TEMPLATE_WORDS for b in blocks])
        if b"\x01" * MIN_TEMPLATE_RUN not in sized:
            return
        key_of = self._key
        keys = [key_of(b) if ok else None for b, ok in zip(blocks, sized, strict=True)]
        start = 0
        for key, run in groupby(keys):
            size = len(list(run))
            if key is not None and size >= MIN_TEMPLATE_RUN:
                for i in alive[start:start + size]:
                    doc.remove(i, self.name)
            start += size

    @staticmethod
    def _key(block: Block) -> tuple[str, str] | None:
        if not 3 <= block.n_words <= MAX_TEMPLATE_WORDS or ends_sentence(block):
            return None  # a sentence is written: "Step 4: Fit the cover." x 20 is a how-to
        first, second = block.words[0], block.words[1]
        a, b = first.isalpha(), second.isalpha()
        if not (a or b):
            return None  # numbers alone open a table of contents or a log, not a template
        # numbers stand for any number: "Free 10 Week Plan", "Free 11 Week Plan"
        return (first if a else _DIGITS.sub("0", first), second if b else _DIGITS.sub("0", second))
