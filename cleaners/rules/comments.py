"""Reader comment threads under an article: "59 Comments on “Starship Troopers”",
"3 thoughts on “…”", "Kommentare (12)", "5 комментариев к «…»".

A comment thread is not the article, yet it reads like one: commenters write prose, so
a block classifier that keeps paragraphs keeps them too (on the WCXB dev pages, blogs
with a long thread lost most of their precision that way). What gives the thread away
is its heading, a count of comments, and where it stands: under the article.

The heading is recognised from vocabulary (``words.thread_nouns``, ``thread_joins`` and
``count_words`` in each language file). The rule fires only when

- at least :data:`PROSE_BEFORE` words of prose stand above the heading (the article is
  there; a "12 comments" counter next to the byline has nothing above it), or at least
  :data:`SHORT_PROSE_BEFORE` words when no more prose follows than stands above (a
  brief with its short thread; a counter under the standfirst of a long article has the
  article below it), and
- the page has at most :data:`MAX_HEADINGS` such headings (a forum or Q&A page prints one
  per post, and there the replies are the content), and
- the page's address, when known, does not name a discussion (``/forum/``, ``/t/``,
  ``/questions/``: ``words.discussion_url_words``), where a long question is followed
  by its replies;

and then removes the heading and everything after it: what follows a thread on an
article page is its comment form and the site footer, never the article.
"""

from __future__ import annotations

import re
from functools import cache

from cleaners.blocks import BlockDoc
from cleaners.rules.base import Rule
from cleaners.shape import is_prose
from cleaners.urls import split_url
from cleaners.vocab import alternation

PROSE_BEFORE = 300
SHORT_PROSE_BEFORE = 100
MAX_HEADINGS = 2
MAX_HEADING_WORDS = 25


class CommentThreadRule(Rule):
    name = "comments.thread"
    description = "a counted comment-thread heading under the article, and the thread below"

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        heading = _heading_pattern(vocab.word_set("thread_nouns"),
                                   vocab.word_set("thread_joins"),
                                   vocab.word_set("count_words"))
        if heading is None:
            return
        nouns = _first_words(vocab.word_set("thread_nouns"))
        # Cheap test first (a thread noun, or the first word of a two-word one such as
        # Vietnamese "bình luận", among the first three words), then the pattern: most
        # pages have no candidate at all, and then the rule costs one pass.
        blocks = doc.blocks
        found = [
            i for i, b in enumerate(blocks)
            if b.removed_by is None and 0 < b.n_words <= MAX_HEADING_WORDS
            and not nouns.isdisjoint(b.words[:3]) and heading.fullmatch(b.key)
        ]
        if not found or len(found) > MAX_HEADINGS or _is_discussion(
            doc.url, vocab.word_set("discussion_url_words")
        ):
            return
        above: list[tuple[int, int]] = []  # (heading, words of prose above it)
        prose = 0
        for i, block in enumerate(blocks):
            if i in found:
                above.append((i, prose))
            elif block.removed_by is None and is_prose(block):
                prose += block.n_words
        start = next((i for i, words in above if words >= PROSE_BEFORE
                      or SHORT_PROSE_BEFORE <= words >= prose - words), None)
        if start is None:
            return
        for i in range(start, len(blocks)):
            doc.remove(i, self.name)


@cache
def _first_words(nouns: frozenset[str]) -> frozenset[str]:
    return frozenset(n.split()[0] for n in nouns if n.split())


_SEGMENT_HEAD = re.compile(r"[^\W_]+")


def _is_discussion(url: str | None, words: frozenset[str]) -> bool:
    """The address names a discussion in a host label or a path segment of its own
    (``forum.example.com``, ``/t/``, ``/questions/``, ``showthread.php``), not in the
    words of an article's slug ("the-best-board-games")."""
    parts = split_url(url.lower()) if url and words else None
    if parts is None:  # no address, or a malformed one: it names nothing
        return False
    named = set(re.split(r"[.-]", parts.hostname)) if parts.hostname else set()
    for segment in parts.path.split("/"):
        head = _SEGMENT_HEAD.match(segment)
        if head:
            named.add(head.group())
    return not named.isdisjoint(words)


@cache
def _heading_pattern(nouns: frozenset[str], joins: frozenset[str],
                     counts: frozenset[str]) -> re.Pattern[str] | None:
    """``<count> <noun> [<join> <title>]`` or ``<noun> (<count>)``, over a folded key.

    The count is a bare number ("16. Thought" is a list item, not a heading) or a number
    word ("One Response to …", "No comments"). Keys have lost their closing bracket
    (``fold`` trims decoration), so "Comments (12)" arrives as "comments (12".
    """
    if not nouns:
        return None
    noun = f"(?:{alternation(nouns)})"
    number = r"\d{1,3}(?:[ ,.]\d{3})+|\d+"
    count = f"(?:{number}|{alternation(counts)})" if counts else f"(?:{number})"
    join = rf"(?:\s+(?:{alternation(joins)})\s+\S.*)?" if joins else ""
    return re.compile(
        rf"(?:{count})\s+{noun}{join}\s*:?"
        rf"|{noun}\s*(?:[(\[]\s*(?:{number})\s*[)\]]?|:?\s*(?:{number}))\s*:?",
    )
