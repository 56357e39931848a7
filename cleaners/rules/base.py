"""What a rule is.

A rule is a named, stateless pass over a :class:`~cleaners.blocks.BlockDoc` that marks
blocks removed. The name travels with every block it removes (provenance), so a user can
ask "why is this gone?" and switch a rule off by name.
"""

from __future__ import annotations

from collections.abc import Iterable

from cleaners.blocks import BlockDoc
from cleaners.vocab import Vocab

# What rules remove right under a headline: its dateline, byline or view counter. The
# headline scorer (cleaners.title) and the menu rule both read such a removal as a sign
# that the line above is the headline.
UNDER_HEADLINE = ("dateline", "counter", "byline")


def is_header_line(doc: BlockDoc, j: int) -> bool:
    """Whether block ``j`` is what stands under a headline: a dateline, counter or
    byline a rule removed, or a line the byline rule read as one (and left)."""
    if not 0 <= j < len(doc.blocks):
        return False
    rule = doc.blocks[j].removed_by
    return j in doc.bylines or (rule is not None and rule.split(".")[0] in UNDER_HEADLINE)


class Rule:
    """Base class. ``name`` is the provenance prefix, e.g. ``counter`` or ``section``.

    Rules that remove several kinds of block name them ``<name>.<kind>``.
    """

    name: str = "rule"
    description: str = ""
    # The kinds it names its removals by, ``<name>.<kind>`` (``kind_names``: with those
    # the vocabulary gives): what ``Cleaner(disabled=...)`` accepts after the name.
    kinds: tuple[str, ...] = ()
    # True when the rule judges each block by itself (not its neighbours): on a repeat
    # pass over blocks it already kept, such a rule cannot remove anything.
    context_free: bool = False
    # Such a rule removes only the block it is looking at, so it may walk ``doc.blocks``
    # and skip removed ones itself: a removal cannot hide a later block from it, and the
    # loop saves iter_alive's generator step per block (these rules see every block of
    # every page).

    def apply(self, doc: BlockDoc) -> None:
        raise NotImplementedError

    def kind_names(self, vocab: Vocab) -> Iterable[str]:
        return self.kinds

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
