"""Headed sections of links: "Popular", "News by theme", "Related Articles", "Similar
Readings (5 items)", and reader-app "Summary"/"Statistics" boxes.

The heading is recognised from ``sections.*`` vocabulary; what follows decides how much
goes: the run of short headline-like blocks under it (context, jusText-style), stopping
at the first real paragraph. A heading followed straight by prose is an ordinary
subheading and stays. So does a long list (20 headlines or more) on a page with little
prose (under 200 words, and less than the list): with no article for it to be related
to, it is what the page is for (a section front, a listing). When the input knows the
page's address and it is a home page or a section front ("/", "/science"), link lists
are left to the classifier too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain

from cleaners.blocks import Block, BlockDoc
from cleaners.rules.base import Rule, is_header_line
from cleaners.shape import ends_sentence, is_headline_like, is_long_prose, is_prose
from cleaners.urls import split_url
from cleaners.vocab import Vocab

_COUNT_SUFFIX = re.compile(r"\s*(?:[(（]\s*\d+[^)）]*[)）]?|\d+|\[\s*\d+[^\]]*\]?)$")
MAX_ITEM_WORDS = 30
SUMMARY_OVERLAP = 0.6  # share of a summary's 4-word sequences found in the text
SHINGLE = 4
LISTING_ITEMS = 20  # headlines under one heading that can make a listing page
LISTING_PROSE = 200  # words of prose from which a page is an article whatever its lists
FRONT_PAGE_DEPTH = 2  # path segments of a section front's address ("/hub/science")
# "More from Politics", "Mehr aus Panorama", "Más de Economía": a phrase that opens a
# heading (``prefixes.section``), then the section's name, capitalised, in a few words.
# Such a heading is only known by its shape, so it takes a list of two headlines or more.
OPENING_PROSE_WORDS = 20  # a paragraph of the article, under its headline
NAMED_MAX_NAME_WORDS = 3
NAMED_MIN_ITEMS = 2
NAMED_HEADLINE_WORDS = 4
_QUOTES = "«»\"“”„‘’‚‹›'"


def section_key(key: str) -> str:
    """Heading key without a trailing count: "similar readings (5 items" -> "similar readings"."""
    return _COUNT_SUFFIX.sub("", key).strip()


class SectionRule(Rule):
    name = "section"
    description = "a link-list heading (Popular, Related, See also …) and the headlines under it"
    kinds = ("summary",)

    def kind_names(self, vocab: Vocab) -> Iterable[str]:
        return (*self.kinds, *vocab.sections.keys())

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        first_words = vocab.section_first_words
        alive = doc.alive()
        text = _LiveText(doc)  # this pass's removals, and the text's 4-word sequences
        n = len(alive)
        # Links are "related" to an article, and smaller than it. On a page without one
        # (a listing, a shop category, a section front) the long list under "Latest" or
        # "Featured" is the page's content, and the classifier judges it with the rest. A
        # short brief under a "Popular" list of ten, or an article of some length under a
        # feed of fifty, still loses the list: the classifier learnt from pages where this
        # rule had taken such lists, so it must keep doing so.
        prose: int | None = None  # counted when a long list first asks for it
        first_prose: int | None = None  # found when a list first runs into a paragraph
        front_page = _front_page(doc.url)
        # Headings are few: the alive positions whose block could be one (short, its
        # first word opening a section phrase) are found in one comprehension, and the
        # loop jumps from one to the next instead of visiting every block. (Whether a
        # block is still alive is asked on arrival, as before.)
        blocks = doc.blocks
        heads = [h for h, b in enumerate(map(blocks.__getitem__, alive))
                 if b.n_words <= 8 and b.words and b.words[0] in first_words]
        k = 0  # the first alive position the loop has not passed yet
        for h in heads:
            if h < k:
                continue
            k = h
            block = blocks[alive[k]]
            if block.removed_by is not None:
                continue
            if _code_key(block.text):
                continue
            kind = vocab.section_kind(section_key(block.key))
            named = False
            if kind is None:
                named = _names_a_section(block, vocab)
                if not named:
                    continue
                kind = "related"
            if kind == "summary":
                k = self._summary(doc, alive, k, text)
                continue
            items: list[int] = []
            j = k + 1
            stacked = False  # another heading right under this one
            while j < n and self._is_item(doc.blocks[alive[j]]):
                nxt = doc.blocks[alive[j]]
                if nxt.words and nxt.words[0] in first_words and vocab.section_kind(
                    section_key(nxt.key)
                ) is not None:
                    stacked = not items and not nxt.para_start
                    break  # the next section handles itself
                # right over a dateline or byline the rules took (above the first
                # paragraph only: further down, a related post's card has its byline
                # under its headline too)
                over_header = bool(items) and _over_header(doc, alive[j])
                if items and (nxt.para_start or over_header):
                    if first_prose is None:
                        first_prose = _first_prose(doc, alive)
                    opens_article = ((nxt.para_start and j + 1 == first_prose)
                                     or (over_header and j < first_prose))
                else:
                    opens_article = False
                if opens_article:
                    # A paragraph of its own right over the page's first paragraph,
                    # after the list (a news ticker at the top, then a category and the
                    # dateline), or a line right over the dateline or byline the rules
                    # took: the article's headline, not one more item.
                    break
                items.append(j)
                j += 1
            at_end = j >= n
            if kind == "related" and front_page:
                k = max(j, k + 1)  # a home page or section front: its lists are its content
                continue
            if kind == "related" and len(items) >= LISTING_ITEMS:
                if prose is None:
                    prose = _prose_words(doc, alive)
                if prose < LISTING_PROSE and prose < sum(
                    doc.blocks[alive[m]].n_words for m in items
                ):
                    k = max(j, k + 1)
                    continue
            if named and not _headlines(doc, alive, items):
                k = max(j, k + 1)  # a footer's links under the site's name: the model's
                continue
            # A heading stacked on another in one block of lines ("Новости СМИ2" /
            # "Лента добра" / "Самое интересное" over one list: partner widgets' labels)
            # goes with it; the last one takes the list.
            if items or (at_end and not named) or (stacked and not named) or (
                    not named and _list_taken(doc, alive[k])):
                text.remove(alive[k], f"{self.name}.{kind}")
                for m in items:
                    text.remove(alive[m], f"{self.name}.{kind}")
            k = max(j, k + 1)

    @staticmethod
    def _is_item(block: Block) -> bool:
        if block.removed_by is not None:
            return False
        if block.n_words > MAX_ITEM_WORDS or is_long_prose(block) or _two_sentences(block):
            return False
        return (
            is_headline_like(block, MAX_ITEM_WORDS)
            or block.n_words <= 3
            or not ends_sentence(block)
        )

    def _summary(self, doc: BlockDoc, alive: list[int], k: int, text: _LiveText) -> int:
        """A summary box goes when its text is cut short or repeats the article word for
        word.

        Reader apps paste a truncated "Summary" of the lead; authors write "Key
        takeaways" that share the article's vocabulary but not its sentences, and those
        are content (on the WCXB pages three in four such blocks are). So sharing words is
        not enough: the box must repeat the text's 4-word sequences.
        """
        if k + 1 >= len(alive):
            text.remove(alive[k], f"{self.name}.summary")
            return k + 1
        body = doc.blocks[alive[k + 1]]
        truncated = body.n_words >= 12 and not ends_sentence(body)
        if truncated or text.repeats(body.words, skip=(alive[k], alive[k + 1])):
            text.remove(alive[k], f"{self.name}.summary")
            text.remove(alive[k + 1], f"{self.name}.summary")
            return k + 2
        return k + 1


# A line of code or configuration whose key folds to a heading: "metadata:" (YAML),
# "'properties': {" (a Python dict), "info = {".
_CODE_KEY = re.compile(r"^[a-z_][\w.-]*:$|^['\"][\w.-]+['\"]\s*:|[{}=]")


def _code_key(text: str) -> bool:
    """A key of code, not a heading: a lower-case word with a colon and nothing after
    it, a quoted key, braces or an equals sign. A documentation page's Kubernetes
    manifest lost its whole body under "metadata:" (taken for a "Metadata" box)."""
    return _CODE_KEY.search(text) is not None


# A sentence's end inside a block, then the next sentence's first letter: "So there you
# have it! The first 6 steps…"
_INNER_SENTENCE_END = re.compile(r"\w[.!?…][\"'”’»)]*\s+[\"'“‘«(]?[^\W\d_]")
ITEM_SENTENCES_MIN_WORDS = 12


def _two_sentences(block: Block) -> bool:
    """Two sentences or more, the last ending in "!" or "?" (a full stop ends the run
    already): the article's text going on after the list ("So there you have it! The
    first 6 steps to becoming a web designer without experience!"), not one more
    headline, which is one sentence or none."""
    return (block.n_words >= ITEM_SENTENCES_MIN_WORDS and ends_sentence(block)
            and _INNER_SENTENCE_END.search(block.text) is not None)


def _list_taken(doc: BlockDoc, i: int) -> bool:
    """The heading's list went before this rule saw it: the line right under it is a
    related link a rule took ("Recommended for you" over "Why the Moon Is Slowly
    Drifting Away3 days ago"), so the heading stood alone over the text, and stayed."""
    return i + 1 < len(doc.blocks) and (doc.blocks[i + 1].removed_by or "").startswith(
        "related.")


HEADER_REACH = 3  # removed blocks (a share row, a listen button) between headline and header


def _over_header(doc: BlockDoc, i: int) -> bool:
    """Block ``i`` stands over an article's header: a dateline, byline or counter the
    rules took, right under it or under a few other chrome lines, taken or about to be
    ("Chipmaker Shares Jump…" / "Listen to this article" / "6 min")."""
    for j in range(i + 1, min(i + 1 + HEADER_REACH, len(doc.blocks))):
        if is_header_line(doc, j):
            return True
        b = doc.blocks[j]
        # (chrome lines the phrase rules take after this one: "Listen to this article")
        if b.removed_by is None and b.key not in doc.vocab.chrome_keys:
            return False
    return False


def _first_prose(doc: BlockDoc, alive: list[int]) -> int:
    """The alive position of the page's first paragraph of prose (len(alive) if none)."""
    blocks = doc.blocks
    return next((k for k, i in enumerate(alive) if is_prose(blocks[i], OPENING_PROSE_WORDS)),
                len(alive))


def _headlines(doc: BlockDoc, alive: list[int], items: list[int]) -> bool:
    """Two items or more, and half of them or more of headline length (four words):
    "More from Georg Jensen" over "Careers", "Press", "Gift Registry" is a shop's footer,
    and taking it shifted what the model made of the rest of that page (its product
    lines went)."""
    if len(items) < NAMED_MIN_ITEMS:
        return False
    long_ = sum(doc.blocks[alive[m]].n_words >= NAMED_HEADLINE_WORDS for m in items)
    return 2 * long_ >= len(items)


def _names_a_section(block: Block, vocab: Vocab) -> bool:
    """``block`` is "<prefixes.section phrase> <Name>": "More from Politics", "Mehr aus
    der Region"? The name is one to three words, the first capitalised (perhaps after
    one lower-case word, an article: "der Region"; quotation marks aside: "Ещё из
    раздела «Общество»"), and no sentence ends the line. "More from 2019", "Plus de 50
    morts" and "More from the interview below" name no section."""
    if not block.words or ends_sentence(block):
        return False
    phrase = vocab.prefix("section", block.key, block.words[0])
    if phrase is None:
        return False
    words = block.text.strip().lstrip("•·*>›»–—- ").split()[len(phrase.split()):]
    rest = [w for w in (w.strip(_QUOTES + ":") for w in words) if w]
    name = rest if rest[:1] and rest[0][:1].isupper() else rest[1:]
    return 1 <= len(name) <= NAMED_MAX_NAME_WORDS and name[0][:1].isupper()


def _front_page(url: str | None) -> bool:
    """The address is a home page or a section front ("/", "/science", "/hub/science",
    "/market/handmade_wallet"), not an article's (a slug of three or more words, a date,
    a numeric id, a file name).

    A front page's "Latest", "Popular" and "Podcasts" lists are what it is for; on the
    validation fifth of the WCXB train pages, leaving them to the classifier there took
    listing pages from 0.680 to 0.710 shingle F1 and cost no page type more than 0.006.
    """
    parts = split_url(url)
    if parts is None:
        return False
    path = parts.path.strip("/")
    segments = [s for s in path.split("/") if s]
    if not segments:
        return True
    last = segments[-1]
    return (len(segments) <= FRONT_PAGE_DEPTH and last.count("-") < 2
            and not any(c.isdigit() for c in last) and "." not in last)


def _prose_words(doc: BlockDoc, alive: list[int]) -> int:
    blocks = doc.blocks
    return sum(blocks[i].n_words for i in alive if is_prose(blocks[i]))


def _shingles(words: list[str]) -> Iterator[tuple[str, ...]]:
    # the SHINGLE (4) shifted copies spelled out: a generator of slices cost more than
    # the counting on pages with a summary box
    return zip(words, words[1:], words[2:], words[3:], strict=False)


assert SHINGLE == 4, "_shingles spells out four shifts"


class _LiveText:
    """One pass of the rule over a document: its removals, and the 4-word sequences of
    the live text, counted once (at the first summary box) and kept up to date.

    Each summary box is checked against the rest of the text; scanning the whole text
    for each box made a long document with many of them quadratic (an 8 MB text: 43 s).
    Nothing else removes blocks while the rule runs, so following its own removals keeps
    the count true.
    """

    def __init__(self, doc: BlockDoc) -> None:
        self.doc = doc
        self.counts: Counter[tuple[str, ...]] | None = None
        self.members: set[int] = set()

    def remove(self, index: int, rule: str) -> None:
        if self.doc.remove(index, rule) and self.counts is not None and index in self.members:
            self.members.discard(index)
            self.counts.subtract(_shingles(self.doc.blocks[index].words))

    def repeats(self, words: list[str], skip: tuple[int, ...]) -> bool:
        """Most of ``words``' 4-word sequences occur in the live text outside ``skip``."""
        own = set(_shingles(words))
        if not own:
            return False
        blocks = self.doc.blocks
        if self.counts is None:
            # one Counter over all the live blocks' sequences (a single C counting loop
            # instead of an update per block; the counts are the same)
            alive = self.doc.alive()
            self.members.update(alive)
            self.counts = Counter(chain.from_iterable(
                _shingles(blocks[i].words) for i in alive))
        skipped: Counter[tuple[str, ...]] = Counter()
        for i in skip:
            if i in self.members:
                skipped.update(_shingles(blocks[i].words))
        found = sum(1 for t in own if self.counts[t] - skipped[t] > 0)
        return found / len(own) >= SUMMARY_OVERLAP
