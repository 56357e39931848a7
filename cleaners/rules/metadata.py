"""Reader-app and CMS metadata: "ID: …", "URL: …", "Created: …", "Words1", "Read Count".

The address such a footer gives ("URL: https://…") is where the article came from: it
becomes the record's ``url`` (and so its ``id`` and ``site``) when the input has none.

One "Label: value" line may be part of an article ("Source: Reuters" after a quote), so
this rule removes runs: several metadata-like blocks in a row, labels drawn from
``words.metadata_labels``, with bare numbers and glued label/number pieces in between.
"""

from __future__ import annotations

import re
from functools import cache

from cleaners.blocks import Block, BlockDoc
from cleaners.patterns import CAMEL, HAS_DIGIT, URLISH, is_number, label_value, pieces
from cleaners.rules.base import Rule

MIN_RUN = 3
MIN_LABELLED = 2


def _labelled(block: Block, labels: frozenset[str]) -> bool:
    """A short "Label: value" line whose label is a known metadata label."""
    text = block.text
    if block.n_words > 16 or (":" not in text and "：" not in text):
        return False
    pair = label_value(text)
    return pair is not None and pair[0] in labels


@cache
def _label_words(metadata: frozenset[str], counters: frozenset[str]) -> frozenset[str]:
    """The labels and counter words, and each of their words: glued footers lose the
    spaces of two-word labels ("Read CountDetails"). Vocabularies are cached, so their
    sets are the same objects page after page and this is built once per vocabulary
    (it was built on every page)."""
    phrases = metadata | counters
    return phrases | {w for phrase in phrases for w in phrase.split()}


_HTTP_URL = re.compile(r"https?://[^\s/]+\.[^\s/]+(?:/\S*)?", re.I)


def _page_url(text: str, labels: frozenset[str]) -> str | None:
    """The address in a footer line "URL: https://…" (``words.url_labels``): a reader
    app's record of where the article came from, so the record's ``url``. Other labels
    with an address are links the page shows ("View: https://x.com/…" under a forum
    post), not its own."""
    pair = label_value(text)
    if pair is None or pair[0] not in labels:
        return None
    value = pair[1].strip()
    return value if _HTTP_URL.fullmatch(value) else None


class MetadataRunRule(Rule):
    name = "metadata"
    kinds = ("heading", "label", "value")
    description = "runs of Label: value lines, counts and glued labels (reader-app footers)"

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        labels = _label_words(vocab.word_set("metadata_labels"), vocab.word_set("counters"))
        headings = vocab.sections.get("statistics", frozenset())
        url_labels = vocab.word_set("url_labels")
        alive = doc.alive()
        # Seeds first: a run needs "Label: value" lines with known labels, and only
        # blocks with a colon can be one. Runs are grown around the seeds, so the
        # costlier classification touches only their neighbourhood.
        # (_labelled's colon test inline: most blocks have none and skip the call)
        blocks = doc.blocks
        seeds = [k for k, i in enumerate(alive)
                 if (":" in (text := blocks[i].text) or "：" in text)
                 and _labelled(blocks[i], labels)]
        if len(seeds) < MIN_LABELLED:
            return
        kinds: dict[int, str | None] = {}

        def kind(k: int) -> str | None:
            if k not in kinds:
                kinds[k] = self._kind(doc.blocks[alive[k]], labels, headings)
            return kinds[k]

        n = len(alive)
        done = -1
        addresses: list[str] = []
        for seed in seeds:
            if seed <= done:
                continue
            k = seed
            while k > 0 and kind(k - 1) is not None:
                k -= 1
            j = seed
            while j < n and kind(j) is not None:
                j += 1
            done = j
            run = [kind(m) for m in range(k, j)]
            labelled = sum(1 for x in run if x == "label")
            if (len(run) >= MIN_RUN and labelled >= MIN_LABELLED) or labelled >= 3:
                for m in range(k, j):
                    if (doc.remove(alive[m], f"{self.name}.{run[m - k]}")
                            and run[m - k] == "label"):
                        address = _page_url(doc.blocks[alive[m]].text, url_labels)
                        if address is not None:
                            addresses.append(address)
        # A reader app's footer gives one address, the article's. Several are a list of
        # links: an article's own "Sources" ("Link: https://who.int/…" three times) gave
        # the first source's address as the page's url, id and site.
        if len(set(addresses)) == 1 and doc.found_url is None:
            doc.found_url = addresses[0]

    @staticmethod
    def _kind(block: Block, labels: frozenset[str], headings: frozenset[str]) -> str | None:
        if block.n_words > 16 or len(block.text) > 200:
            return None
        if block.key in headings:
            return "heading"
        text = block.text
        if not (":" in text or "：" in text or HAS_DIGIT.search(text) or "/" in text
                or CAMEL.search(text) or (block.words and block.words[0] in labels)):
            return None
        if _labelled(block, labels):
            return "label"
        if URLISH.match(block.text):
            return "value"
        ps = pieces(block.text)
        if ps and all(is_number(p) or p in labels for p in ps):
            return "value"
        return None
