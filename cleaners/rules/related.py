"""Links to other stories that sit inside or under the article.

- a headline with its date glued on ("…than expected29.10.24, 08:45"),
- an inline "See also: <headline>" block (prefixes from ``prefixes.related``),
- image credits ("Photo: Reuters"), short by construction,
- photo captions that end in their credit ("…burnt out.PixelVista / Getty Images",
  "…worth it. Credit: Abriah Wofford").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import KeysView
from functools import cache

from cleaners.blocks import Block, BlockDoc
from cleaners.normalize import after_folded_prefix, fold, fold_text, folded_offsets
from cleaners.patterns import HAS_CJK, HAS_DIGIT, TIME, TRAILING_DATETIME, block_words
from cleaners.rules.base import Rule
from cleaners.shape import ends_sentence, is_caseless_letter, is_headline_like
from cleaners.vocab import alternation, match_prefix

MAX_LINK_WORDS = 30
MAX_CREDIT_WORDS = 14
MAX_CAPTION_WORDS = 80
# Captions are a sentence or two; a longer paragraph ending in "Source: X" is text.
MAX_LABELLED_CAPTION_WORDS = 50
# A labelled credit's name: a few capitalised words, perhaps two names joined by "/",
# "&" or a lower-case particle ("of", "de", "van"); never a sentence.
MAX_NAME_WORDS = 7
# What stands between a caption and its credit: "Jane Doe / Getty Images", "Source:
# Unsplash", "© Reuters", "Photo by X | AFP". Words that join them ("via") are vocabulary.
_CREDIT_JOINS = ("/", "|", ":", "©", "／", "｜", "＝", "=")  # "…（京都市東山区）＝共同"
# Italian, French and Spanish captions put the credit in brackets after the caption, the
# label with no colon: "… Cascina Gobba (Foto Ansa)", "… gare de Lyon (Photo AFP)",
# "… a Bruxelles (Ansa)". Its closing bracket is trimmed from the key; the opening one
# stands where a separator or a joining word's space would.
_OPEN_BRACKETS = ("(", "[", "（")
# full-width ones in Chinese and Japanese; a closing bracket ends a bracketed label
# ("[관련기사] …", "[Related] …", "【相关阅读】…")
_SEPARATORS = ":|-–—»›→>•·：｜／＝】・]"


class DatedLinkRule(Rule):
    name = "related.dated_link"
    context_free = True
    description = ("a headline with a date/time or a relative time ('3 hours ago') at its "
                   "end, glued or not (a related-story link)")

    def apply(self, doc: BlockDoc) -> None:
        ago = doc.vocab.word_set("ago")
        units = _units(doc.vocab.word_set("months"), ago)
        for i, block in enumerate(doc.blocks):  # removes only block i: see Rule
            if block.removed_by is not None:
                continue
            if block.n_words > MAX_LINK_WORDS + 6 or block.n_words < 4:
                continue
            end = block.text[-2:]  # a digit, or a digit and the dot of "2024.11.10."
            m = TRAILING_DATETIME.match(block.text) if end[-1:].isdigit() or (
                end[-1:] == "." and end[:1].isdigit()) else None
            if m:
                head = m.group("head")
            elif HAS_DIGIT.search(block.text) and (  # (the cheap test first)
                    w := _GLUED_WRITTEN_DATE.match(block.text)) and fold(
                    w.group("month")) in doc.vocab.month_numbers:
                head = w.group("head")
            else:
                # the cheap test first: a relative time ends in a unit or an "ago" word
                last = block.words[-1]
                if (last not in ago and last not in units) or not HAS_DIGIT.search(block.text):
                    continue
                head = relative_time_head(block.text, ago, units)
                if head is None or len(head.split()) < 3:
                    continue
            if head.rstrip().endswith((".", ";", ",")):
                continue
            if TIME.search(head):
                continue  # "Monday to Friday: 8:00 to 20:00": a schedule, not a headline
            doc.remove(i, self.name)


# A written date glued to the headline's last letter, as a related list's date is when
# the scraper drops the space between them: "…für das kommende Jahr12. März 2024, 14:35
# Uhr", "…il prossimo anno12 marzo 2024", "…próximo año12 de marzo de 2024". Only glued:
# "… on 12 March 2024" with a space can end a sentence left without its full stop.
_GLUED_WRITTEN_DATE = re.compile(
    r"^(?P<head>.*[^\W\d_])\d{1,2}\.?\s+(?:de\s+)?(?P<month>[^\W\d_]+)\.?"
    r"(?:\s+(?:de\s+)?\d{4}(?:\s*r\.)?)?"
    r"(?:,?\s*(?:[^\W\d_]{1,3}\s+)?\d{1,2}[:.h]\d{2}(?:\s*[^\W\d_]{1,3})?)?$")


@cache
def _units(months: frozenset[str], ago: frozenset[str]) -> frozenset[str]:
    """The time units of a relative time ("hours", "saat"): the ``months`` words (which
    list them for datelines) that are not ``ago`` words. Built once per vocabulary."""
    return months - ago


# The last count in a block and what follows it: "…geliyor3 saat önce", "…منذ 3 ساعات".
_LAST_COUNT = re.compile(r"^(?P<head>.*?)(?<![\d.,:/])\d{1,3}\s*(?P<tail>[^\W\d_][^\d]*)?$")


def relative_time_head(text: str, ago: frozenset[str], units: frozenset[str]) -> str | None:
    """The headline before a relative time at the end of ``text`` ("…geliyor3 saat önce",
    "…Untung3 jam lalu", "…كهربائيةمنذ 3 ساعات", "… vor 3 Stunden"), or None.

    The time is a count of one or two units (``months`` words) with an ``ago`` word after
    it or, glued to the headline or not, before it.
    """
    text = text.strip()
    if not text[-1:].isalnum():
        return None  # "… three days ago.": a sentence
    m = _LAST_COUNT.match(text)
    if m is None or not m.group("tail"):
        return None
    tail = fold(m.group("tail"))
    words = tail.split()
    head = m.group("head")
    if 1 <= len(words) <= 3 and (tail in units or all(w in units or w in ago for w in words)):
        if any(tail.endswith(a) and (len(tail) == len(a) or not tail[-len(a) - 1].isalnum())
               for a in ago):
            return head  # "3 hours ago", "3시간 전"
        folded = fold(head)
        for a in ago:
            if len(words) <= 2 and folded.endswith(a) and len(folded) > len(a):
                # "vor 3 Stunden", "…كهربائيةمنذ 3 ساعات" (glued in a script without case)
                return head.rstrip()[: -len(a)]
    return None


class _PrefixRule(Rule):
    """A block that starts with a vocabulary phrase (``prefixes.<prefix_kind>``) and whose
    remainder :meth:`judge` accepts."""

    prefix_kind = ""
    min_words = 1
    max_words = MAX_LINK_WORDS
    context_free = True

    def apply(self, doc: BlockDoc) -> None:
        # The phrases by first word: a block whose first word starts none (most) is
        # passed over without a call (Vocab.prefix would look the word up the same way).
        index = doc.vocab.prefix_index.get(self.prefix_kind, {})
        for i, block in enumerate(doc.blocks):  # removes only block i: see Rule
            if block.removed_by is not None:
                continue
            if not self.min_words <= block.n_words <= self.max_words:
                continue
            first = block.words[0]
            if first not in index:
                continue
            phrase = match_prefix(index, block.key, first)
            if phrase is not None and self.judge(block, phrase,
                                                 after_folded_prefix(block.text, len(phrase))):
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
        if rest[0] in ".…":  # "LIRE AUSSI. Canicule : …", "اقرأ أيضا.. …": the
            body = rest.lstrip(".…").lstrip()  # headline test decides
        # a headline starts with a capital or a digit; in a script without letter case
        # (Arabic, Hangul, Han) with any letter
        return bool(body) and body[0].isalnum() and not body[0].islower() and not (
            ends_sentence(block))


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
        if block.key[len(phrase):len(phrase) + 1] == "=":
            # "사진=연합뉴스": the Korean press glues "=" to the label ("source = x", with
            # spaces, is a line of code)
            return True
        if rest[0] == ".":  # an abbreviated label: "Fot. PAP", "Ill. Jane Doe"
            rest = rest[1:].lstrip(" ")
            if rest[:1] in _SEPARATORS:  # and a colon after it: "Φωτ.: ΑΠΕ-ΜΠΕ"
                return True
        return bool(rest) and rest[0].isupper() and is_headline_like(block)


class CaptionCreditRule(Rule):
    """A caption is not article text, and sites print its credit at its end.

    Two forms:

    - an agency or stock library (``words.photo_agencies``: the international ones in
      ``en.toml``, which applies to every document, national ones in their language's
      file) right after a separator or a joining word (``words.credit_joins``), or
      nothing but the agency: "…burnt out. PixelVista / Getty Images";
    - a credit label (``prefixes.image_credit``) with ":" or a joining word, then a
      name, after the caption's last sentence or a separator: "…worth it. Credit:
      Abriah Wofford", "… | Photo by Lisa Jennings", "…(Photo: Someburros)".

    - the agency first, then the photographer: "© IMAGO/Jane Doe", "© ANP / Jan de
      Vries", "© УНІАН, Олександр Синиця", "…in central Madrid. EFE/Mariscal".

    A sentence that ends in a full stop ("…, the company told Reuters.") or mentions an
    agency mid-way stays; so does prose that ends in "Source: company filings" (no
    name) and a paragraph too long to be a caption.
    """

    name = "credit.caption"
    description = "a photo caption ending in its credit (… Jane Doe / Getty Images, … Credit: X)"
    context_free = True

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        by_last = _by_last_word(vocab.word_set("photo_agencies"))
        joins = _joins(vocab.word_set("credit_joins"))
        labelled = _labelled_credit(vocab.prefixes.get("image_credit", ()),
                                    vocab.word_set("credit_joins"))
        # the vocabulary's own index of the labels by first word (built once per vocabulary)
        label_words = vocab.prefix_index.get("image_credit", {}).keys()
        joiners = vocab.word_set("name_particles") | vocab.word_set("byline_joins")
        agencies = vocab.word_set("photo_agencies")
        # The three forms are tested in turn, each only while none has matched (they
        # read the block and nothing else), and the block list is walked directly: the
        # rule removes only the block it is on, so no later block is hidden from it.
        for i, block in enumerate(doc.blocks):
            if block.removed_by is not None:
                continue
            words = block.words
            if not words or block.n_words > MAX_CAPTION_WORDS:
                continue
            candidates = by_last.get(words[-1])
            if (
                (candidates is not None and not ends_sentence(block)
                 and self.judge(block.key, candidates, joins))
                or (labelled is not None and block.n_words <= MAX_LABELLED_CAPTION_WORDS
                    # the function's own first test, here to spare most blocks the call
                    and not label_words.isdisjoint(words[-_TAIL_WORDS:])
                    and _ends_in_labelled_credit(labelled, label_words, joiners, block))
                or (("/" in block.text or block.text.startswith("©"))
                    and not ends_sentence(block) and _agency_then_name(block.text, agencies))
            ):
                doc.remove(i, self.name)

    @staticmethod
    def judge(key: str, agencies: tuple[str, ...], joins: tuple[str, ...]) -> bool:
        for agency in agencies:
            if not key.endswith(agency):
                continue
            before = key[: len(key) - len(agency)].rstrip()
            if (not before or before.endswith(_CREDIT_JOINS)
                    or before.endswith(_OPEN_BRACKETS) or f" {before}".endswith(joins)):
                return True
        return False


# "© AGENCY / Name", "© AGENCY, Name": the sign, the agency, a separator, the name.
_SIGN_CREDIT = re.compile(r"^©\s*([^/,|]{2,40}?)\s*[/,|]\s*([^/,|]{2,60})$")


def _agency_then_name(text: str, agencies: frozenset[str]) -> bool:
    text = text.strip().rstrip(")")
    if text.startswith("©"):
        m = _SIGN_CREDIT.match(text)
        if m is None:
            return False
        head, name = m.group(1), m.group(2)
    else:  # "… in Madrid. EFE/Mariscal": the last slash, a name after it
        head, _, name = text.rpartition("/")
        head = head.rstrip()
    if not _is_name(name):
        return False
    # the agency is the last word before the slash or the two last ("РИА Новости")
    words = head.split()[-2:]
    tries = [" ".join(words), words[-1]] if words else []
    return any(fold_text(h).strip(" .:(") in agencies for h in tries)


def _is_name(text: str) -> bool:
    """A photographer's name: one to four capitalised words, no digits."""
    words = text.split()
    return (1 <= len(words) <= 4 and not any(c.isdigit() for c in text)
            and all(w[0].isupper() for w in words))


_TAIL_CHARS = 160  # a label and a name of up to 80 characters fit in the block's end
_TAIL_WORDS = MAX_NAME_WORDS + 4  # ... and the label's words are among its last ones
_NAME_SYMBOLS = frozenset({"/", "&"})
# An agency's or a paper's name in quotation marks ("Фото: Сергей Ведяшкин / Агентство
# «Москва»", "Foto: „Spiegel“"): the marks are no part of the word's capital.
_NAME_QUOTES = "«»\"“”„‘’‚‹›"


def _ends_in_labelled_credit(pattern: re.Pattern[str], label_words: KeysView[str],
                             joiners: frozenset[str], block: Block) -> bool:
    """The labels are folded vocabulary (Cyrillic "фото" is stored with Latin look-alike
    letters), so the pattern runs over the folded text; the name's capitals are read
    from the original at the same place. Lower-case words in a name are ``joiners``:
    name particles ("van", "de") and the words joining two names ("and", "und")."""
    if label_words.isdisjoint(block.words[-_TAIL_WORDS:]):
        return False  # the cheap test first: no label word near the end
    key = block.key
    if pattern.search(key, max(0, len(key) - _TAIL_CHARS)) is None:  # folded already
        return False
    text = block.text
    folded = fold_text(text)
    if len(folded) == len(text):
        m = pattern.search(folded)
        if m is None:
            return False
        start, end = m.start("name"), m.end("name")
    else:
        # folding changed lengths ("ß" -> "ss"; Arabic marks dropped): map the name back
        offsets = folded_offsets(text)
        m = pattern.search(folded)
        if m is None:
            return False
        start = bisect_right(offsets, m.start("name")) - 1
        end = bisect_right(offsets, m.end("name") - 1)
    words = [w.strip(_NAME_QUOTES) or w
             for w in text[start:end].rstrip(".)]").replace("/", " / ").split()]
    if not words or len(words) > MAX_NAME_WORDS or not _name_start(words[0]):
        return False
    return all(_name_start(w) or w[:1].isdigit() or w in _NAME_SYMBOLS
               or fold_text(w) in joiners for w in words)


def _name_start(word: str) -> bool:
    """A capital, or a letter of a script without case (Arabic, Hangul, Han)."""
    first = word[:1]
    return first.isupper() or is_caseless_letter(first)


@cache
def _labelled_credit(labels: tuple[str, ...], joins: frozenset[str]) -> re.Pattern[str] | None:
    """``<end of a sentence or a separator> <label> (: | <join>) <name>`` at the end of
    a block; the name is judged by :func:`_ends_in_labelled_credit`."""
    if not labels:
        return None
    join = rf"|\s+(?i:{alternation(joins)})\s+" if joins else ""
    return re.compile(
        r"(?:[.!?…)\]\"”’]\s+|\s[|/–—•·-]\s*|\s[(\[])"
        rf"(?i:{alternation(labels)})(?::\s*{join})"
        r"(?P<name>[^\s.!?:;,][^!?:;,]{0,80}?)[.)\]]?\s*$"
    )


# Vocabularies are cached per language set, so their word sets are the same objects
# document after document: the indexes are built once per vocabulary, not per page.
@cache
def _by_last_word(agencies: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Agencies by their last word: a block's last word picks the few to try."""
    by_last: dict[str, list[str]] = {}
    for agency in agencies:
        # a Han/kana name ends in the two-character piece a block's words end in
        last = block_words(agency)[-1] if HAS_CJK.search(agency) else agency.rsplit(" ", 1)[-1]
        by_last.setdefault(last, []).append(agency)
    return {w: tuple(v) for w, v in by_last.items()}


@cache
def _joins(words: frozenset[str]) -> tuple[str, ...]:
    """Each joining word as it ends the text before an agency: after a space, or right
    after an opening bracket ("(Foto Ansa)")."""
    return tuple(f"{b}{w}" for w in words for b in (" ", *_OPEN_BRACKETS))
