"""Links to other stories that sit inside or under the article.

- a headline with its date glued on ("…than expected29.10.24, 08:45"),
- an inline "See also: <headline>" block (prefixes from ``prefixes.related``),
- image credits ("Photo: Reuters"), short by construction.
"""

from __future__ import annotations

from cleaners.blocks import BlockDoc
from cleaners.patterns import TRAILING_DATETIME
from cleaners.rules.base import Rule
from cleaners.shape import ends_sentence, is_headline_like

MAX_LINK_WORDS = 30
MAX_CREDIT_WORDS = 14
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


class SeeAlsoRule(Rule):
    name = "related.see_also"
    context_free = True
    description = "a block starting with See also / Read also followed by a headline"

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        for i, block in doc.iter_alive():
            if block.n_words > MAX_LINK_WORDS or block.n_words < 2:
                continue
            phrase = vocab.prefix("related", block.key)
            if phrase is None:
                continue
            rest = _after_prefix(block.text, len(phrase))
            if rest is None:
                continue
            # "See also: X" always; "See also X" when X reads like a headline, so that
            # "More than 100 people died." stays.
            separated = rest[:1] in _SEPARATORS
            body = rest.lstrip(_SEPARATORS + " ")
            if not body:
                continue
            if separated or (
                (body[0].isupper() or body[0].isdigit())
                and not ends_sentence(block)
            ):
                doc.remove(i, self.name)


class ImageCreditRule(Rule):
    name = "credit.image"
    context_free = True
    description = "image and photo credits (Photo: …, Image by …)"

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        for i, block in doc.iter_alive():
            if block.n_words > MAX_CREDIT_WORDS:
                continue
            phrase = vocab.prefix("image_credit", block.key)
            if phrase is None:
                continue
            rest = _after_prefix(block.text, len(phrase))
            if rest is None:
                continue
            if rest[:1] in _SEPARATORS or phrase.endswith(" by") or is_headline_like(block):
                doc.remove(i, self.name)


def _after_prefix(text: str, folded_len: int) -> str | None:
    """The original text after a prefix whose folded form is ``folded_len`` long.

    Folding trims leading decoration, so skip it first; the prefix itself keeps its
    length under casefolding for the scripts we support.
    """
    start = 0
    while start < len(text) and not text[start].isalnum():
        start += 1
    rest = text[start + folded_len :]
    return rest.lstrip(" ") if rest is not None else None
