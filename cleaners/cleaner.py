"""The dump cleaner: rules, then a block classifier, then de-duplication, to a fixed point.

``Cleaner.clean`` is the whole algorithm:

1. normalise whitespace/Unicode and split into blocks (lines);
2. choose chrome vocabulary by script and stop words;
3. run the named rules in order; each removal records its rule;
4. on the first pass, find the headline (it moves to ``title``);
5. classify what no rule recognised (trained block model, or the heuristic fallback);
6. drop repeated paragraphs;
7. repeat on the kept blocks until nothing more is removed, so that
   ``clean(clean(x).text).text == clean(x).text``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from cleaners.blocks import Block, BlockDoc, is_switched_off, join_blocks, split_blocks
from cleaners.langid import block_vocab_languages, detect_language
from cleaners.normalize import fold, normalize_lines
from cleaners.result import CleanResult, Removal
from cleaners.rules.base import Rule
from cleaners.rules.byline import BareNameRule, BylineRule, SignatureRule
from cleaners.rules.chrome import (
    BuyButtonRule,
    ChromePhraseRule,
    ChromeSentenceRule,
    CopyrightRule,
)
from cleaners.rules.comments import CommentThreadRule
from cleaners.rules.context import ContextRule
from cleaners.rules.counters import CounterRule
from cleaners.rules.dates import DateLineRule
from cleaners.rules.duplicates import ExactDuplicateRule, NearDuplicateRule, TruncatedRepeatRule
from cleaners.rules.metadata import MetadataRunRule
from cleaners.rules.navigation import (
    BreadcrumbRule,
    NavigationRunRule,
    TaxonomyRule,
    TemplateRunRule,
)
from cleaners.rules.related import (
    CaptionCreditRule,
    DatedLinkRule,
    ImageCreditRule,
    SeeAlsoRule,
)
from cleaners.rules.sections import SectionRule
from cleaners.rules.widgets import PollWidgetRule
from cleaners.shape import is_caseless_letter
from cleaners.title import (
    find_title,
    is_prefixed_copy,
    opening_headline,
    strip_glued_button,
    strip_trailing_button,
)
from cleaners.vocab import load_vocab

# A pass that removes nothing ends the loop, and every other pass removes a block, so the
# loop ends by itself; the cap only bounds the cost of a pathological page. A page whose
# short edge lines go one per pass (the model judges each anew once its neighbour is
# gone) took 11 passes on the WCXB pages; a cap below that would leave it short of its
# fixed point, and cleaning it again would remove more.
MAX_PASSES = 32


def default_rules() -> list[Rule]:
    """The specific rules in order.

    A comment thread goes first, before its "59 Comments" heading is taken for a
    counter. Counters, widgets, footers and datelines go next so that a "Popular"
    heading's section rule then sees a plain run of headlines; sections run before
    single chrome phrases so that a heading like "Read more" takes its list with it.
    """
    return [
        CommentThreadRule(),
        CounterRule(),
        BylineRule(),
        PollWidgetRule(),
        MetadataRunRule(),
        DateLineRule(),
        BareNameRule(),
        DatedLinkRule(),
        SectionRule(),
        ChromePhraseRule(),
        ChromeSentenceRule(),
        CopyrightRule(),
        BuyButtonRule(),
        SeeAlsoRule(),
        ImageCreditRule(),
        CaptionCreditRule(),
        BreadcrumbRule(),
        TaxonomyRule(),
        TemplateRunRule(),
        NavigationRunRule(),
        SignatureRule(),
    ]


def dedup_rules() -> list[Rule]:
    return [ExactDuplicateRule(), NearDuplicateRule(), TruncatedRepeatRule()]


class Cleaner:
    """Reusable, thread-compatible cleaner (holds no per-document state).

    ``classifier`` judges blocks no rule recognised: by default the trained block model
    when available, else :class:`~cleaners.rules.context.ContextRule`; pass ``None`` to
    keep every block the rules leave.
    """

    def __init__(
        self,
        rules: Sequence[Rule] | None = None,
        classifier: Rule | str | None = "default",
        dedup: Sequence[Rule] | None = None,
        *,
        detect_lang: bool = True,
        disabled: Sequence[str] = (),
        max_passes: int = MAX_PASSES,
    ) -> None:
        self.rules = list(default_rules() if rules is None else rules)
        if classifier == "default":
            classifier = default_classifier()
        self.classifier = classifier if not isinstance(classifier, str) else None
        self.dedup = list(dedup_rules() if dedup is None else dedup)
        self.detect_lang = detect_lang
        self.max_passes = max_passes
        # Seconds per stage, summed over documents, when profiling is switched on (bench).
        self.timings: defaultdict[str, float] | None = None
        self.disabled = tuple(disabled)
        unknown = unknown_names(self.disabled, self.removal_names()) if self.disabled else []
        if unknown:
            raise ValueError(f"unknown rule {', '.join(unknown)} (rules: "
                             f"{', '.join(self.rule_names())}, or a kind of one, such as "
                             "section.related)")
        if self.disabled:
            self.rules = [r for r in self.rules if not self._off(r)]
            self.dedup = [r for r in self.dedup if not self._off(r)]
            if self.classifier is not None and self._off(self.classifier):
                self.classifier = None

    def _off(self, rule: Rule) -> bool:
        return is_switched_off(rule.name, self.disabled)

    @staticmethod
    def rule_names() -> list[str]:
        """The names ``disabled`` accepts: every rule's, the headline's (``title``, kept
        in the text when off) and the classifier's (``model``); :meth:`removal_names`
        adds each rule's kinds."""
        rules = [*default_rules(), *dedup_rules()]
        return list(dict.fromkeys([r.name for r in rules] + ["title", "dedup.title",
                                                               "model"]))

    @staticmethod
    def removal_names() -> set[str]:
        """Every name a removal can carry: the rules' and their kinds', in any vocabulary
        language (``section.related``, ``chrome.cookie``, ``model.boilerplate``)."""
        from cleaners.model import BlockModel
        from cleaners.vocab import available_languages

        vocab = load_vocab(tuple(available_languages()))
        names = set(Cleaner.rule_names())
        for rule in [*default_rules(), *dedup_rules()]:
            names.update(f"{rule.name}.{kind}" for kind in rule.kind_names(vocab))
        names.update(f"{BlockModel.name}.{kind}" for kind in BlockModel.kinds)
        return names

    def clean(self, text: str, *, title: str | None = None, url: str | None = None) -> CleanResult:
        """Clean one document.

        ``title`` (when the input knows it) is removed from the text; ``url`` helps find
        the headline (its words are usually in the URL path).
        """
        clock = _Clock(self.timings)
        # The known title is compared with normalised lines, so it is normalised too: a
        # title spelled with a soft hyphen or a decomposed accent ("Cafe\u0301", as
        # extract read it off the page) missed its own headline, which stayed in the text.
        # The record keeps the title as given.
        known = " ".join(normalize_lines(title)) if title else title
        numbers: list[int] = []
        blocks = split_blocks("\n".join(normalize_lines(text, numbers)))
        if numbers and numbers[-1] != len(numbers):
            # Blank lines were collapsed (or led the text): provenance names the line
            # of the input, where a user looks for it, not of the normalised text.
            for b in blocks:
                b.line = numbers[b.line - 1]
        clock.lap("normalize+split")
        removed: list[Removal] = []
        found_title: str | None = None
        published: str | None = None
        authors: list[str] = []
        found_url: str | None = None
        passes = 0
        languages: tuple[str, ...] = ()
        for passes in range(1, self.max_passes + 1):
            now = block_vocab_languages(blocks)
            confirm = passes > 1 and now == languages
            languages = now
            doc = self.rule_pass(blocks, known, clock, languages=now, confirm=confirm,
                                 url=url)
            if passes == 1:
                found_title = self._take_title(doc, known, url)
                published = doc.published
                authors = doc.authors
                found_url = doc.found_url
                clock.lap("title")
            if self.classifier is not None:
                self.classifier.apply(doc)
                clock.lap("classifier")
                if passes == 1 and found_title is None and known is None:
                    found_title = self._take_opening_headline(doc)
                    clock.lap("title")
            if not confirm:
                # kept blocks hold no repeats any more; removing others adds none
                for rule in self.dedup:
                    rule.apply(doc)
            clock.lap("dedup")
            kept = [b for b in doc.blocks if b.removed_by is None]
            removed.extend(
                Removal(b.removed_by, b.text, b.line) for b in doc.blocks if b.removed_by
            )
            if len(kept) == len(blocks):
                break
            blocks = _reparsed(kept)
        removed.sort(key=lambda r: r.line or 0)
        out = join_blocks(blocks)
        language = detect_language(out) if self.detect_lang else None
        clock.lap("langdetect")
        return CleanResult(
            text=out,
            title=title if title is not None else found_title,
            published=published,
            authors=authors,
            url=found_url,
            language=language,
            vocab_languages=doc.vocab.languages,
            removed=removed,
            kept_lines=[b.line for b in blocks],
            passes=passes,
        )

    def rule_pass(self, blocks: list[Block], title: str | None = None,
                  clock: _Clock | None = None, *, languages: tuple[str, ...] | None = None,
                  confirm: bool = False, url: str | None = None) -> BlockDoc:
        """Choose vocabulary for ``blocks`` and run the specific rules over them.

        ``confirm`` (a repeat pass, same vocabulary): rules that judge a block by itself
        already kept every one of these blocks, so only rules that look at neighbours
        run again.
        """
        clock = clock or _Clock(None)
        vocab = load_vocab(languages if languages is not None else block_vocab_languages(blocks))
        doc = BlockDoc(blocks, vocab, title, url, self.disabled)
        clock.lap("vocab")
        for rule in self.rules:
            if confirm and rule.context_free:
                continue
            rule.apply(doc)
            clock.lap(f"rule:{type(rule).__name__}")
        return doc

    @staticmethod
    def _take_title(doc: BlockDoc, known: str | None, url: str | None = None) -> str | None:
        index = find_title(doc, known, url)
        if index is None:
            return None
        return Cleaner._take_block_as_title(doc, index)

    @staticmethod
    def _take_opening_headline(doc: BlockDoc) -> str | None:
        """The headline the first search doubted, found again after the classifier
        (``title.opening_headline``). When the classifier removed it already, it is given
        back to be taken as the title; with "title" switched off it is still reported but
        stays where it was, as the first search's headline does."""
        index = opening_headline(doc)
        if index is None:
            return None
        if not is_switched_off("title", doc.disabled):
            doc.give_back(index)
        return Cleaner._take_block_as_title(doc, index)

    @staticmethod
    def _take_block_as_title(doc: BlockDoc, index: int) -> str:
        head = doc.blocks[index]
        buttons = doc.vocab.prefixes.get("button", ())
        title = strip_glued_button(head.text, buttons, _page_text(doc, head.key))
        title = strip_trailing_button(title, doc.vocab)
        doc.remove(index, "title")  # refused when "title" is switched off: it stays
        doc.title_index = index
        keys = {head.key, fold(title)}
        for i, b in doc.iter_alive():
            if i != index and (b.key in keys
                               or is_prefixed_copy(b.key, head.key, b.text, head.text)):
                doc.remove(i, "dedup.title")
        return title


class _Clock:
    """Stage timer that costs nothing when profiling is off."""

    __slots__ = ("last", "sink")

    def __init__(self, sink: defaultdict[str, float] | None) -> None:
        self.sink = sink
        self.last = time.process_time() if sink is not None else 0.0

    def lap(self, stage: str) -> None:
        if self.sink is not None:
            now = time.process_time()
            self.sink[stage] += now - self.last
            self.last = now


def _page_text(doc: BlockDoc, head: str) -> str:
    """The folded text of the page's lines other than the headline (and its copies),
    removed ones too: what a glued button word is checked against in scripts without
    letter case (``strip_glued_button``). Built only for pages in such a script."""
    if not any(is_caseless_letter(c) for c in head[:12]):
        return ""
    return "\n".join(b.key for b in doc.blocks if b.key != head)


def _reparsed(kept: list[Block]) -> list[Block]:
    """The kept blocks as ``split_blocks(join_blocks(kept))`` would give them back.

    Line numbers stay those of the original input so provenance points at the input.
    Kept blocks are alive and the previous pass's document is dropped, so the blocks
    themselves carry on (with what they cached); only the first one, which now opens
    the text, starts a paragraph. (Copying every block cost more than the change.)
    """
    if kept:
        kept[0].para_start = True
    return kept


def unknown_names(names: Sequence[str], known: Iterable[str]) -> list[str]:
    """Those of ``names`` that name no rule, kind of a rule ("section.related",
    "chrome.share") or family of them ("nav", "dedup"): a typo must not switch nothing
    off silently."""
    known = set(known)
    families = {k.split(".")[0] for k in known}
    return [n for n in names if n not in known and n not in families]


def default_classifier() -> Rule:
    from cleaners.model import load_default_model

    model = load_default_model()
    return model if model is not None else ContextRule()
