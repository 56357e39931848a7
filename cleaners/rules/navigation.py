"""Menus and category labels: runs of short link texts with navigation vocabulary.

One short line is ambiguous ("Politics" can be a subheading); a run of them, several
of which are known navigation words, is a menu. The block model catches the menus
whose words are not in the vocabulary.
"""

from __future__ import annotations

from cleaners.blocks import Block, BlockDoc
from cleaners.rules.base import Rule
from cleaners.shape import ends_sentence

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
        k = 0
        while k < n:
            if not _menu_item(doc.blocks[alive[k]]):
                k += 1
                continue
            j = k
            while j < n and _menu_item(doc.blocks[alive[j]]):
                j += 1
            run = alive[k:j]
            hits = sum(doc.blocks[i].key in nav for i in run)
            if (len(run) >= MIN_RUN and hits >= 2 and hits / len(run) >= MIN_HIT_SHARE) or (
                len(run) == hits >= 1 and (k == 0 or j == n)
            ):
                for i in run:
                    doc.remove(i, self.name)
            k = j


def _menu_item(block: Block) -> bool:
    return (
        block.removed_by is None
        and 0 < block.n_words <= MAX_ITEM_WORDS
        and not (ends_sentence(block) and block.n_words > 2)
    )
