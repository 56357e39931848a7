"""Prediction-market and poll widgets.

Their signature is structural: runs of short "outcome • 50%" rows, often with a volume
line, a heading ("Markets") before them and a resolution-source line after each group.
A single percentage in a sentence never matches: rows must be short, end in the
percentage and come at least two together.
"""

from __future__ import annotations

import re

from cleaners.blocks import Block, BlockDoc
from cleaners.normalize import fold
from cleaners.patterns import HAS_DIGIT, MONEY_VOLUME, PERCENT_ROW
from cleaners.rules.base import Rule
from cleaners.shape import ends_sentence, is_headline_like, is_long_prose, is_prose

MAX_ROW_WORDS = 10
_BARE_PERCENT = re.compile(r"^<?\d{1,3}(?:[.,]\d+)?\s?[%¢]$")
MAX_SOURCE_WORDS = 30
MAX_TRAILING_LABELS = 3  # volume, end date, resolution source under the last rows


def _has_share(text: str) -> bool:
    """A percentage, or a price in cents (a prediction market's quote)."""
    return "%" in text or "¢" in text


class PollWidgetRule(Rule):
    name = "widget"
    kinds = ("heading", "label", "row")
    description = "prediction-market and poll widgets: outcome • percentage rows and their labels"

    def apply(self, doc: BlockDoc) -> None:
        # Every widget has percentage rows; a page without a short "…%" line has none.
        # (a plain loop, the cheapest test first: this runs over every page)
        for b in doc.blocks:
            if _has_share(b.text) and b.removed_by is None and b.n_words <= MAX_ROW_WORDS:
                break
        else:
            return
        vocab = doc.vocab
        labels = vocab.word_set("widget_labels")
        headings = vocab.sections.get("widget", frozenset()) | vocab.lines.get(
            "widget", frozenset()
        )
        alive = doc.alive()
        is_row = [self._is_row(doc, i, labels) for i in alive]
        # The two-line layout: an outcome ("Eens", "Yes") over its bare percentage.
        for k in range(1, len(alive)):
            above = doc.blocks[alive[k - 1]]
            if (is_row[k] and _BARE_PERCENT.match(doc.blocks[alive[k]].text)
                    and not is_row[k - 1] and 1 <= above.n_words <= 4
                    # a word, not a number: "Above $9B" over "62¢", not "2024" over "12%"
                    and any(w.isalpha() for w in above.words) and not ends_sentence(above)):
                is_row[k - 1] = True
        n = len(alive)
        k = 0
        while k < n:
            if not is_row[k]:
                k += 1
                continue
            # A widget: rows, with non-row lines between groups as long as rows resume.
            start = end = k
            j = k + 1
            while j < n:
                if is_row[j]:
                    end = j
                    j += 1
                    continue
                # A resolution-source / question line sits between groups of rows.
                if j + 1 < n and is_row[j + 1] and self._is_label(doc.blocks[alive[j]]):
                    j += 1
                    continue
                break
            # (an outcome line over its percentage is one row)
            rows = sum(is_row[m] and _has_share(doc.blocks[alive[m]].text)
                       for m in range(start, end + 1))
            if rows >= 2 and self._in_prose(doc, alive, start, end, headings):
                k = end + 1
                continue
            if rows >= 2:
                for m in range(start, end + 1):
                    doc.remove(alive[m], f"{self.name}.row" if is_row[m] else f"{self.name}.label")
                # the question/resolution line right after the last group, and the
                # labelled lines under it ("Volume : 1,2 M$" / "Source de résolution : …")
                q = end + 1
                while q < n and q - end <= MAX_TRAILING_LABELS:
                    b = doc.blocks[alive[q]]
                    if not (_labelled(b, labels) or (q == end + 1 and (
                            self._is_label(b) or _opens_with_label(b, labels)))):
                        break
                    kind = vocab.section_kind(b.key)
                    if kind is not None and kind != "widget":
                        break  # the next section's heading ("Sur le même sujet"), not ours
                    doc.remove(alive[q], f"{self.name}.label")
                    q += 1
                # headings and question lines just before the first row
                p = start - 1
                while p >= 0 and start - p <= 2:
                    b = doc.blocks[alive[p]]
                    if b.key in headings:
                        doc.remove(alive[p], f"{self.name}.heading")
                    elif p == start - 1 and (self._is_label(b) or (
                            b.n_words <= MAX_SOURCE_WORDS and p > 0
                            and doc.blocks[alive[p - 1]].key in headings)):
                        # a question, or a statement to agree with ("Stelling" / "The
                        # dike works must start sooner." / Eens 83%) under the heading
                        doc.remove(alive[p], f"{self.name}.label")
                    else:
                        break
                    p -= 1
            k = end + 1

    @staticmethod
    def _is_row(doc: BlockDoc, i: int, labels: frozenset[str]) -> bool:
        block = doc.blocks[i]
        if block.n_words > MAX_ROW_WORDS or not HAS_DIGIT.search(block.text):
            return False
        if _table_row(block.text):
            return False
        if PERCENT_ROW.match(block.text):
            return True
        # volume lines: "$1.2M Vol.", "12,345 votes"
        return bool(MONEY_VOLUME.match(block.text)) and any(w in labels for w in block.words)

    @staticmethod
    def _in_prose(doc: BlockDoc, alive: list[int], start: int, end: int,
                  headings: frozenset[str]) -> bool:
        """Rows that read as a list inside the article ("Great tit — 34%" under "The
        commonest species:"): a paragraph or a lead-in (a colon, or a statement of five
        words or more ending in a full stop) above, prose
        below, and nothing a widget has -- no bullet separator, no outcome word, no
        heading, label or volume line."""
        n = len(alive)
        if start == 0 or end + 1 >= n:
            return False
        before, after = doc.blocks[alive[start - 1]], doc.blocks[alive[end + 1]]
        # A lead-in: "The commonest species:", or a statement saying a list follows
        # ("가장 인기 있는 프로그램은 다음과 같다." -- Korean says "as follows." with a full
        # stop, in fewer words than a paragraph has); a widget's question ends in "?".
        colon = before.n_words >= 3 and before.text.endswith((":", "："))
        lead_in = colon or (before.n_words >= 5 and before.text.rstrip().endswith((".", "。")))
        # After a colon the list is announced, and the sentence after it may be short (a
        # five-word Finnish quote: "Hyllyt tyhjenivät päivässä", kertoi kauppias.)
        if not ((is_prose(before) or lead_in) and is_prose(after, 4 if colon else 6)):
            return False
        labels = doc.vocab.word_set("widget_labels")
        if before.key in headings or not labels.isdisjoint(before.words + after.words):
            return False
        outcomes = doc.vocab.word_set("widget_outcomes")
        for m in range(start, end + 1):
            block = doc.blocks[alive[m]]
            row = PERCENT_ROW.match(block.text)
            if row is None or any(c in block.text for c in "•·|"):
                return False
            if fold(row.group("label")) in outcomes:  # folded as the vocabulary is
                return False
        return True

    @staticmethod
    def _is_label(block: Block) -> bool:
        return is_headline_like(block, MAX_SOURCE_WORDS) and not is_long_prose(block)


def _table_row(text: str) -> bool:
    """Three cells or more ("Ashford | 1,284 | 1,020 | +26%", a table as extract writes
    it, or tab-separated): a table's row, not an outcome and its chance."""
    return text.count(" | ") >= 2 or text.count("\t") >= 2


def _opens_with_label(block: Block, labels: frozenset[str]) -> bool:
    """The line right under the rows opens with a widget word, no colon after it, and
    says what settles the market: "Resolves according to the company's earnings
    release.". With a colon it is a label and its value, and a sentence after one
    ("Résultat : la majorité approuve…") is the article reporting the result."""
    if block.n_words > MAX_SOURCE_WORDS or not block.words or block.words[0] not in labels:
        return False
    first = block.text.split(None, 1)
    return len(first) == 2 and not first[0].endswith((":", "：")) and not first[1].startswith(
        (":", "："))


_LABEL = re.compile(r"^([^:：]{1,40}?)\s*[:：]")


def _labelled(block: Block, labels: frozenset[str]) -> bool:
    """A short line opening with a widget label and a colon, whatever its value: "Source
    de résolution : communiqué officiel de la BCE", "Fuente de resolución: Boletín
    Oficial del Estado". Its lower-case value is no headline, so :meth:`_is_label` let it
    stay under the rows it belongs to. A sentence ("Ergebnis: Die Mehrheit ist dafür.")
    is the article's, after the widget."""
    if block.n_words > MAX_SOURCE_WORDS or ends_sentence(block):
        return False
    m = _LABEL.match(block.text)
    return m is not None and fold(m.group(1)) in labels
