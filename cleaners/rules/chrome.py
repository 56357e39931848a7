"""Blocks that are chrome by what they say: vocabulary from ``cleaners/vocab``.

Two rules: a block that *is* a chrome phrase ("Back to top", "Loading...", "Share",
"Advertisement"), and a short block that *contains* a distinctive chrome sentence
(comment forms, cookie and newsletter prompts, paywalls, rights lines, bot walls and
"enable JavaScript" screens).
"""

from __future__ import annotations

import re

from cleaners.blocks import BlockDoc
from cleaners.rules.base import Rule
from cleaners.shape import ends_sentence
from cleaners.vocab import CONTAINS_MAX_WORDS

# Line kinds that are chrome wherever they stand. Navigation words ("Home", "World")
# and widget headings need context and are left to the navigation and widget rules.
STANDALONE_KINDS = (
    "back_to_top", "loading", "share", "comments", "advertisement", "read_more", "shop",
)


class ChromePhraseRule(Rule):
    name = "chrome"
    context_free = True
    description = ("a block that is a chrome phrase (Back to top, Loading..., Share, "
                   "Advertisement, Add to cart)")

    def apply(self, doc: BlockDoc) -> None:
        lines = doc.vocab.lines
        kinds = [(k, lines[k]) for k in STANDALONE_KINDS if k in lines]
        share_words = doc.vocab.share_words
        for i, block in doc.iter_alive():
            if block.n_words > 8:
                continue
            key = block.key
            for kind, phrases in kinds:
                if key in phrases:
                    doc.remove(i, f"{self.name}.{kind}")
                    break
            else:
                words = block.words
                if words and not ends_sentence(block) and doc.vocab.prefix(
                    "line:read_more", key, words[0]
                ):
                    doc.remove(i, f"{self.name}.read_more")
                elif len(words) >= 2 and all(w in share_words for w in words):
                    # "Facebook Twitter WhatsApp Email" on one line: a share row
                    doc.remove(i, f"{self.name}.share")


class ChromeSentenceRule(Rule):
    name = "chrome"
    context_free = True
    description = ("a short block containing a comment-form, cookie, newsletter, paywall or "
                   "bot-wall sentence")

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        for i, block in doc.iter_alive():
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
        for i, block in doc.iter_alive():
            if block.n_words > COPYRIGHT_MAX_WORDS:
                continue
            key = block.key
            if ("©" in block.text or "copyright" in key or "(c)" in key) and _COPYRIGHT.search(
                block.text
            ):
                doc.remove(i, self.name)
