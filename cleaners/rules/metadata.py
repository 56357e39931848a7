"""Reader-app and CMS metadata: "ID: …", "URL: …", "Created: …", "Words1", "Read Count".

One "Label: value" line may be part of an article ("Source: Reuters" after a quote), so
this rule removes runs: several metadata-like blocks in a row, labels drawn from
``words.metadata_labels``, with bare numbers and glued label/number pieces in between.
"""

from __future__ import annotations

from cleaners.blocks import Block, BlockDoc
from cleaners.normalize import fold
from cleaners.patterns import CAMEL, HAS_DIGIT, LABEL_VALUE, URLISH, is_number, pieces
from cleaners.rules.base import Rule

MIN_RUN = 3
MIN_LABELLED = 2


class MetadataRunRule(Rule):
    name = "metadata"
    description = "runs of Label: value lines, counts and glued labels (reader-app footers)"

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        phrases = vocab.word_set("metadata_labels") | vocab.word_set("counters")
        # glued footers lose the spaces of two-word labels ("Read CountDetails")
        labels = phrases | {w for phrase in phrases for w in phrase.split()}
        headings = vocab.sections.get("statistics", frozenset())
        # A run needs at least two "Label: value" lines; most pages have none.
        colons = 0
        for _, b in doc.iter_alive():
            if b.n_words <= 16 and (":" in b.text or "：" in b.text):
                colons += 1
                if colons >= MIN_LABELLED:
                    break
        else:
            return
        alive = doc.alive()
        kinds = [self._kind(doc.blocks[i], labels, headings) for i in alive]
        n = len(alive)
        k = 0
        while k < n:
            if kinds[k] is None:
                k += 1
                continue
            j = k
            while j < n and kinds[j] is not None:
                j += 1
            run = kinds[k:j]
            labelled = sum(1 for x in run if x == "label")
            if (len(run) >= MIN_RUN and labelled >= MIN_LABELLED) or labelled >= 3:
                for m in range(k, j):
                    doc.remove(alive[m], f"{self.name}.{run[m - k]}")
            k = j

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
        m = LABEL_VALUE.match(block.text)
        if m and fold(m.group("label")) in labels:
            return "label"
        if URLISH.match(block.text):
            return "value"
        ps = pieces(block.text)
        if ps and all(is_number(p) or p in labels for p in ps):
            return "value"
        return None
