"""Links to other stories that sit inside or under the article.

- a headline with its date glued on ("…than expected29.10.24, 08:45"),
- an inline "See also: <headline>" block (prefixes from ``prefixes.related``),
- image credits ("Photo: Reuters"), short by construction,
- photo captions that end in their credit ("…burnt out.PixelVista / Getty Images").
"""

from __future__ import annotations

from functools import cache

from cleaners.blocks import Block, BlockDoc
from cleaners.patterns import TRAILING_DATETIME
from cleaners.rules.base import Rule
from cleaners.shape import ends_sentence, is_headline_like

MAX_LINK_WORDS = 30
MAX_CREDIT_WORDS = 14
MAX_CAPTION_WORDS = 80
# What stands between a caption and its credit: "Jane Doe / Getty Images", "Source:
# Unsplash", "© Reuters", "Photo by X | AFP". Words that join them ("via") are vocabulary.
_CREDIT_JOINS = ("/", "|", ":", "©")
_SEPARATORS = ":|-–—»›→>•·"


class DatedLinkRule(Rule):
    name = "related.dated_link"
    context_free = True
    description = "a headline with a date/time at its end, glued or not (a related-story link)"

    def apply(self, doc: BlockDoc) -> None:
        for i, block in doc.iter_alive():
            if block.n_words > MAX_LINK_WORDS + 6 or block.n_words < 4:
                continue
            if not block.text[-1:].isdigit():
                continue
            m = TRAILING_DATETIME.match(block.text)
            if not m:
                continue
            head = m.group("head")
            if head.rstrip().endswith((".", ";", ",")):
                continue
            doc.remove(i, self.name)


class _PrefixRule(Rule):
    """A block that starts with a vocabulary phrase (``prefixes.<prefix_kind>``) and whose
    remainder :meth:`judge` accepts."""

    prefix_kind = ""
    min_words = 1
    max_words = MAX_LINK_WORDS
    context_free = True

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        for i, block in doc.iter_alive():
            if not self.min_words <= block.n_words <= self.max_words:
                continue
            phrase = vocab.prefix(self.prefix_kind, block.key, block.words[0])
            if phrase is not None and self.judge(block, phrase,
                                                 _after_prefix(block.text, len(phrase))):
                doc.remove(i, self.name)

    def judge(self, block: Block, phrase: str, rest: str) -> bool:
        raise NotImplementedError


class SeeAlsoRule(_PrefixRule):
    name = "related.see_also"
    description = "a block starting with See also / Read also followed by a headline"
    prefix_kind = "related"
    min_words = 2

    def judge(self, block: Block, phrase: str, rest: str) -> bool:
        # "See also: X" always; "See also X" when X reads like a headline, so that
        # "More than 100 people died." stays.
        body = rest.lstrip(_SEPARATORS + " ")
        if not body:
            return False
        if rest[0] in _SEPARATORS:
            return True
        return (body[0].isupper() or body[0].isdigit()) and not ends_sentence(block)


class ImageCreditRule(_PrefixRule):
    name = "credit.image"
    description = "image and photo credits (Photo: …, Image by …)"
    prefix_kind = "image_credit"
    max_words = MAX_CREDIT_WORDS

    def judge(self, block: Block, phrase: str, rest: str) -> bool:
        # "Photo: X", "Photo by X", "Image source X": the label says it. A bare "Photo X"
        # or "Video X" is a credit only when a name follows: "Photos can be in portrait
        # mode" and "Video doorbells and cameras" are text.
        if not rest or rest[0] in _SEPARATORS or " " in phrase:
            return True
        return rest[0].isupper() and is_headline_like(block)


def _after_prefix(text: str, folded_len: int) -> str:
    """The original text after a prefix whose folded form is ``folded_len`` long.

    Folding trims leading decoration, so skip it first; the prefix itself keeps its
    length under casefolding for the scripts we support.
    """
    start = 0
    while start < len(text) and not text[start].isalnum():
        start += 1
    return text[start + folded_len :].lstrip(" ")


class CaptionCreditRule(Rule):
    """A caption is not article text, and sites print the photo agency at its end.

    The agency names are vocabulary (``words.photo_agencies``: the international ones in
    ``en.toml``, which applies to every document, national ones in their language's
    file); the block must end with one, right after a separator or a joining word
    (``words.credit_joins``), or be nothing but the agency. A sentence that ends in a
    full stop ("…, the company told Reuters.") or mentions an agency mid-way stays.
    """

    name = "credit.caption"
    description = "a photo caption ending in its agency credit (… Jane Doe / Getty Images)"
    context_free = True

    def apply(self, doc: BlockDoc) -> None:
        by_last = _by_last_word(doc.vocab.word_set("photo_agencies"))
        if not by_last:
            return
        joins = _joins(doc.vocab.word_set("credit_joins"))
        for i, block in doc.iter_alive():
            if not block.words or block.n_words > MAX_CAPTION_WORDS:
                continue
            candidates = by_last.get(block.words[-1])
            if candidates and not ends_sentence(block) and self.judge(block.key, candidates,
                                                                      joins):
                doc.remove(i, self.name)

    @staticmethod
    def judge(key: str, agencies: tuple[str, ...], joins: tuple[str, ...]) -> bool:
        for agency in agencies:
            if not key.endswith(agency):
                continue
            before = key[: len(key) - len(agency)].rstrip()
            if not before or before.endswith(_CREDIT_JOINS) or f" {before}".endswith(joins):
                return True
        return False


# Vocabularies are cached per language set, so their word sets are the same objects
# document after document: the indexes are built once per vocabulary, not per page.
@cache
def _by_last_word(agencies: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Agencies by their last word: a block's last word picks the few to try."""
    by_last: dict[str, list[str]] = {}
    for agency in agencies:
        by_last.setdefault(agency.rsplit(" ", 1)[-1], []).append(agency)
    return {w: tuple(v) for w, v in by_last.items()}


@cache
def _joins(words: frozenset[str]) -> tuple[str, ...]:
    return tuple(f" {w}" for w in words)
