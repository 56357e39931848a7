"""Blocks that are chrome by what they say: vocabulary from ``cleaners/vocab``.

A block that *is* a chrome phrase ("Back to top", "Loading...", "Share",
"Advertisement"); a short block that *contains* a distinctive chrome sentence (comment
forms, cookie and newsletter prompts, paywalls, rights lines, bot walls and "enable
JavaScript" screens); copyright lines; and shop buttons made of button words, retailers
and prices ("Check price at Amazon", "$129 at Best Buy").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from cleaners.blocks import BlockDoc
from cleaners.normalize import fold
from cleaners.patterns import is_number
from cleaners.rules.base import Rule
from cleaners.shape import ends_sentence
from cleaners.vocab import CONTAINS_MAX_WORDS, Vocab, alternation, match_prefix

# Line kinds that are chrome wherever they stand. Navigation words ("Home", "World")
# and widget headings need context and are left to the navigation and widget rules.
STANDALONE_KINDS = (
    "back_to_top", "loading", "share", "comments", "advertisement", "read_more", "shop",
    "inline_button",
)


# Lines that are a UUID and nothing else, several on a page: the keys of a shop's
# widgets (eBay: fifty "19aea247-2e76-4905-…" lines down a product page). One or two
# are left: documentation shows an example identifier so.
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
IDENTIFIER_LINES = 3


class ChromePhraseRule(Rule):
    name = "chrome"
    kinds = (*STANDALONE_KINDS, "newsletter", "identifier")
    context_free = True
    description = ("a block that is a chrome phrase (Back to top, Loading..., Share, "
                   "Advertisement, Add to cart), a publication's sign-up button "
                   "(Subscribe to The Weekly Ledger), or lines of bare UUIDs")

    def apply(self, doc: BlockDoc) -> None:
        lines = doc.vocab.lines
        rule_of = _standalone_rules(self.name, tuple(
            (k, lines[k]) for k in STANDALONE_KINDS if k in lines))
        share_words = doc.vocab.share_words
        read_more = doc.vocab.prefix_index.get("line:read_more", {})
        subscribe = doc.vocab.prefix_index.get("subscribe", {})
        vote, voted = f"{self.name}.inline_button", False
        for i, block in enumerate(doc.blocks):  # removes only block i: see Rule
            if block.removed_by is not None:
                continue
            if block.n_words > 8:
                continue
            key = block.key
            rule = rule_of.get(key)
            if rule is not None:
                doc.remove(i, rule)
                voted = voted or rule == vote
                continue
            words = block.words
            # the first word picks the read-more phrases to try; most blocks have none,
            # and then the sentence test (a call) is not needed
            if (words and words[0] in read_more and not ends_sentence(block)
                    and match_prefix(read_more, key, words[0])):
                doc.remove(i, f"{self.name}.read_more")
            elif (words and words[0] in subscribe and not ends_sentence(block)
                    and _names_publication(block.text, match_prefix(subscribe, key, words[0]))):
                doc.remove(i, f"{self.name}.newsletter")
            elif len(words) >= 2 and share_words.issuperset(words):
                # "Facebook Twitter WhatsApp Email" on one line: a share row
                doc.remove(i, f"{self.name}.share")
            elif ("【" in block.text or "[" in block.text) and _toolbar(block.text, rule_of):
                doc.remove(i, f"{self.name}.share")
        if voted:
            self._vote_counts(doc, vote)
        ids = [i for i, b in enumerate(doc.blocks) if b.removed_by is None
               and b.n_words == 5 and _UUID.fullmatch(b.text)]
        if len(ids) >= IDENTIFIER_LINES:
            for i in ids:
                doc.remove(i, f"{self.name}.identifier")

    @staticmethod
    def _vote_counts(doc: BlockDoc, vote: str) -> None:
        """A bare count beside a vote button is the votes' tally ("Upvote / 142 /
        Downvote"): alone it says nothing a reader wants, and once its buttons are gone
        the block classifier no longer sees what it counted."""
        blocks = doc.blocks
        for i, b in enumerate(blocks):
            if b.removed_by is None and b.n_words == 1 and is_number(b.text) and any(
                    0 <= j < len(blocks) and blocks[j].removed_by == vote
                    for j in (i - 1, i + 1)):
                doc.remove(i, vote)


PUBLICATION_WORDS = 6  # the longest publication name a sign-up button names


def _names_publication(text: str, phrase: str | None) -> bool:
    """"Subscribe to" + a name: at most a few words after the phrase, most of them
    capitalised (a title's style), the last one too. "Subscribe to emails & save 10%"
    offers something, and "subscribe to the idea" is a sentence's words."""
    if phrase is None:
        return False
    rest = text.split()[len(phrase.split()):]
    if not 1 <= len(rest) <= PUBLICATION_WORDS:
        return False
    caps = [w[:1].isupper() or w[:1].isdigit() for w in rest]
    return caps[-1] and 2 * sum(caps) >= len(caps)


# "【字号：大 中 小】【打印】【关闭】", "[Print] [Email] [Close]": a row of bracketed buttons.
_BUTTON = re.compile(r"[【\[]([^【】\[\]]{1,24})[】\]]")
_OPTIONS = re.compile(r"\s*[:：]")  # "字号：大 中 小": the label, then its choices


def _toolbar(text: str, phrases: dict[str, str]) -> bool:
    """Two or more bracketed buttons and nothing else, each a chrome phrase (or a
    phrase with its options: "字号：大 中 小")."""
    buttons = _BUTTON.findall(text)
    if len(buttons) < 2 or _BUTTON.sub("", text).strip():
        return False
    for button in buttons:
        key = fold(button)
        if key not in phrases and _OPTIONS.split(key, maxsplit=1)[0] not in phrases:
            return False
    return True


@cache
def _standalone_rules(name: str, kinds: tuple[tuple[str, frozenset[str]], ...]
                      ) -> dict[str, str]:
    """Each standalone phrase and the removal name of the first kind that lists it: one
    lookup per block instead of one per kind (vocabularies are cached, so their sets are
    the same objects page after page and this is built once per vocabulary)."""
    out: dict[str, str] = {}
    for kind, phrases in kinds:
        for phrase in phrases:
            out.setdefault(phrase, f"{name}.{kind}")
    return out


class ChromeSentenceRule(Rule):
    name = "chrome"
    context_free = True
    description = ("a short block containing a comment-form, cookie, newsletter, paywall or "
                   "bot-wall sentence")

    def kind_names(self, vocab: Vocab) -> Iterable[str]:
        return vocab.contains.keys()

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        for i, block in enumerate(doc.blocks):  # removes only block i: see Rule
            if block.removed_by is not None:
                continue
            if block.n_words > CONTAINS_MAX_WORDS:
                continue
            kind = vocab.contains_kind(block.key, block.words)
            if kind is not None:
                doc.remove(i, f"{self.name}.{kind}")


# "© 2025 BSS", "Copyright (c) 2019 Foo Ltd", "2024 © Example": the sign or the word with
# a year. Folded keys drop a leading "©", so this looks at the text itself.
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|\bcopyright\b).{0,60}?\b(?:19|20)\d{2}\b|\b(?:19|20)\d{2}\b.{0,12}©",
    re.IGNORECASE,
)
COPYRIGHT_MAX_WORDS = 30


class CopyrightRule(Rule):
    name = "chrome.rights"
    context_free = True
    description = "copyright lines: the © sign or the word copyright with a year"

    def apply(self, doc: BlockDoc) -> None:
        for i, block in enumerate(doc.blocks):  # removes only block i: see Rule
            if block.removed_by is not None:
                continue
            if block.n_words > COPYRIGHT_MAX_WORDS:
                continue
            key = block.key
            if ("©" in block.text or "copyright" in key or "(c)" in key) and _COPYRIGHT.search(
                block.text
            ):
                doc.remove(i, self.name)


BUY_BUTTON_MAX_WORDS = 14


class BuyButtonRule(Rule):
    """Affiliate and shop buttons: "Check price at Amazon", "$129 at Best Buy", "Buy on
    Amazon | Buy on Adorama", "Amazon $49.99", "Preis prüfen bei MediaMarkt".

    A block is one when it is made of nothing but button words (``words.buy_words``:
    buy, check, price, view, deal, at, on, …), retailer names (``words.retailers``),
    prices, separators and bracketed asides ("(on sale!)"), with at least one retailer
    and at least one button word or price. "Amazon" alone, "Where to buy" (a
    subheading), "Shop Apple Watch" and any sentence stay.
    """

    name = "chrome.buy_button"
    context_free = True
    description = "an affiliate or shop button (Check price at Amazon, $129 at Best Buy)"

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        retailers = vocab.word_set("retailers")
        pattern = _buy_pattern(vocab.word_set("buy_words"), retailers,
                               vocab.word_set("currency_words"))
        if pattern is None:
            return
        last = _last_words(retailers)
        for i, block in enumerate(doc.blocks):  # removes only block i: see Rule
            if block.removed_by is not None:
                continue
            words = block.words
            if not words or block.n_words > BUY_BUTTON_MAX_WORDS:
                continue
            if last.isdisjoint(words):  # the cheap test first: no retailer's word here
                continue
            if _is_buy_button(pattern, block.key):
                doc.remove(i, self.name)


def _is_buy_button(pattern: re.Pattern[str], key: str) -> bool:
    retailer = action = False
    for m in pattern.finditer(key):
        kind = m.lastgroup
        if kind == "other":
            return False
        if kind == "retailer":
            retailer = True
        elif kind in ("button", "price"):
            action = True
    return retailer and action


@cache
def _last_words(phrases: frozenset[str]) -> frozenset[str]:
    """Each retailer's last word ("depot" of "the home depot": rarer than its first)."""
    return frozenset(w for p in phrases for w in re.findall(r"\w+", p)[-1:])


@cache
def _buy_pattern(buttons: frozenset[str], retailers: frozenset[str],
                 currencies: frozenset[str]) -> re.Pattern[str] | None:
    """Tokens of a folded key: a retailer, a button word, a price (a sign, or a currency
    word after the amount: ``words.currency_words``), a bare number, a separator, a
    bracketed aside, or anything else ("other", which rules the block out)."""
    if not retailers or not buttons:
        return None
    edge = r"(?![\w'])"
    after = "|".join(filter(None, ("[$€£¥₴₽]", alternation(currencies))))
    return re.compile(
        rf"(?P<retailer>(?<![\w'])(?:{alternation(retailers)}){edge})"
        rf"|(?P<button>(?<![\w'])(?:{alternation(buttons)}){edge})"
        rf"|(?P<price>[$€£¥₴₽]\s?\d[\d.,]*|\d[\d.,]*\s?(?:{after})\.?)"
        r"|(?P<number>\d[\d.,]*)"  # a price whose sign the key's edge trimming took
        r"|(?P<sep>[\s|/•·&+,:;!-]+|\([^)]*\)?|\[[^\]]*\]?)"
        r"|(?P<other>\S+?(?=[\s|/•·,:;!()]|$))"
    )
