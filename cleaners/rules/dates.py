"""Datelines: a block that is only a date and/or time ("Oct 24, 2024, 10:02 AM", "Saturday").

The article's own date belongs in ``published``, not in the text; the first dateline
near the top is offered to the title/metadata stage through ``BlockDoc.published``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from cleaners.blocks import BlockDoc
from cleaners.dates import month_first, parse_date
from cleaners.normalize import fold
from cleaners.patterns import (
    HAS_CJK,
    HAS_DIGIT,
    NUMERIC_DATE,
    TIME,
    is_number,
    label_value,
    pieces,
)
from cleaners.rules.base import Rule
from cleaners.rules.byline import glued_words, said_in_lower_case, unglue_byline
from cleaners.shape import ends_sentence, is_headline_like, is_name_word, is_prose

MAX_PIECES = 18  # "Published 12 March 2025 at 11:20 | Updated: 12 March 2025, 13:45"
# Chinese and Japanese spell each unit as a piece of its own: "2024年11月12日 8時15分 |
# 2024年11月12日 10時40分更新" is 20 pieces and no longer than the line above.
HAN_EXTRA_PIECES = 8
MAX_CHARS = 100


def _max_pieces(text: str) -> int:
    return MAX_PIECES + HAN_EXTRA_PIECES if HAS_CJK.search(text) else MAX_PIECES


# "2026-03-12 08:45 来源：成都日报 作者：王晓燕", the commonest Chinese dateline: a date with
# label-value pairs whose value is one token (an outlet, a name).
_PAIR = re.compile(r"(?:(?<=\s)|(?<=[|｜])|^)([^\W\d_]{1,8})\s*[:：]\s*"
                   r"([^\s:：|｜]{1,12})(?=[\s|｜]|$)")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _date_with_pairs(text: str, dates: frozenset[str], labels: frozenset[str],
                     suffixes: frozenset[str]) -> list[tuple[str, str]] | None:
    """The label-value pairs of a date line that has some, or None when it is not one:
    every label a metadata label, and what the pairs leave a date."""
    if ":" not in text and "：" not in text:  # every pair has its colon: no regex scan
        return None
    pairs = [(fold(m.group(1)), m.group(2)) for m in _PAIR.finditer(text)]
    if not pairs or any(label not in labels for label, _ in pairs):
        return None
    rest = _PAIR.sub(" ", text).strip(" |｜")
    if not (HAS_DIGIT.search(rest) and is_date_text(rest, dates, labels, suffixes)):
        return None
    return pairs


@cache
def _by_words(byline: frozenset[str], joins: frozenset[str]) -> frozenset[str]:
    """The one-word byline openers ("by", "von", "par"): "posted by" ends in one."""
    return frozenset(w for w in byline if " " not in w) - joins


_LEAD_SEPARATORS = "|-–—·•●,"
MAX_DATED_NAME_WORDS = 4


def _dated_byline(text: str, dates: frozenset[str], labels: frozenset[str],
                  suffixes: frozenset[str], by_words: frozenset[str],
                  particles: frozenset[str], stop: frozenset[str] = frozenset(),
                  ) -> tuple[str, list[str]] | None:
    """A dateline with its byline on the same line, the blog's commonest header: (the
    date part, the names), or None.

    "Posted on May 12, 2025 by Sarah", "May 12, 2025 by Jane Doe": a date, a byline word,
    then a name (one word is enough here, the date vouches for the line; a user name
    such as "admin" too). "By Jane Doe on May 12, 2025", "Posted by Jane Doe | May 12,
    2025 | 6 min read": a byline word (after at most two labels), capitalised name words,
    then the date (and after a separator, short pieces such as a reading time).
    A name does not end in a stop word: "May 18, 2023 By Sara Harberson In" names Sara
    Harberson, "By Jane Doe On May 12" dates the line "On May 12".
    """
    tokens = text.split()
    words = [fold(t.strip(",.:")) for t in tokens]
    at = next((k for k, w in enumerate(words) if w in by_words), None)
    if at is None or at + 1 >= len(tokens):
        return None
    if at > 0 and not all(w in labels for w in words[:at]):
        # "<date> by <name>"
        date_part = " ".join(tokens[:at])
        name = [t.strip(",.") for t in tokens[at + 1:]]
        while len(name) > 1 and fold(name[-1]) in stop:
            name.pop()
        if not (HAS_DIGIT.search(date_part)
                and is_date_text(date_part, dates, labels, suffixes)):
            return None
        if len(name) == 1 and re.fullmatch(r"[^\W_][\w.-]{0,19}", name[0]):
            return date_part, name  # "by Sarah", "by admin"
        return (date_part, [" ".join(name)]) if _name_words(name, particles) else None
    # "<labels> by <name> <date>": the name runs while its words look like one
    end = at + 1
    while (end < len(tokens) and end - at <= MAX_DATED_NAME_WORDS
           and _name_words([tokens[end].rstrip(",")], particles)
           and words[end] not in dates):
        end += 1
    while end > at + 1 and words[end - 1] in stop:
        end -= 1
    name = [t.rstrip(",") for t in tokens[at + 1:end]]
    rest = " ".join(tokens[end:]).strip(_LEAD_SEPARATORS + " ")
    first, *more = _SEGMENTS.split(rest)
    if not name or not HAS_DIGIT.search(first):
        return None
    if not is_date_text(first, dates, labels, suffixes) or any(
            len(m.split()) > MAX_TAIL_WORDS for m in more):
        return None
    return first, [" ".join(name)]


# the pieces of a byline line after its date: "… | May 12, 2025 ● 6 min read"
_SEGMENTS = re.compile(r"\s+[|•●·–—-]\s+")
MAX_TAIL_WORDS = 4


@cache
def _words_of(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(w for p in phrases for w in p.split())


def _without_counts(text: str, counter_words: frozenset[str]) -> str | None:
    """``text`` without the counts that end it ("5 min read", "| 6 comments", "• 1.2K
    views"), or None when it ends in none: a dateline often carries the reading time
    or the comment count after the date."""
    tokens = text.split()
    end = len(tokens)
    while end >= 2:
        k = end
        while k > 0 and fold(tokens[k - 1]) in counter_words:
            k -= 1
        if k == end or k == 0 or not is_number(tokens[k - 1].rstrip("KkMm")):
            break
        end = k - 1
        while end > 0 and tokens[end - 1] in _SEPARATOR_TOKENS:
            end -= 1
    if end == len(tokens) or end == 0:
        return None
    return " ".join(tokens[:end])


_SEPARATOR_TOKENS = frozenset("|•●·–—-/")


def _name_words(name: list[str], particles: frozenset[str]) -> bool:
    return 1 <= len(name) <= MAX_DATED_NAME_WORDS and all(
        is_name_word(w, particles) for w in name) and name[0][:1].isupper()


# Two times joined by a dash: "8 a.m. – 5 p.m.", "10:00–18:00", "9 AM - 5 PM".
_CLOCK = r"(?<![\d./:-])(?:\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?|\d{1,2}\s?[AaPp]\.?[Mm]\.?)"
_TIME_RANGE = re.compile(rf"{_CLOCK}\s*[-–—]\s*{_CLOCK}")
_DOTTED_MERIDIEM = re.compile(r"(?<=\d)\s?([AaPp])\.\s?[Mm]\.?")
# North American, European and Australian zone abbreviations (ET, PDT, CEST, AEDT) right
# after a time, with or without am/pm: capitals ending in T, read as part of the time.
_ZONE_AFTER_TIME = re.compile(r"(?<=\d:\d\d)((?:\s?[AaPp]\.?[Mm]\.?)?)\s+[A-Z]{1,3}[SD]?T\b")


def is_date_text(text: str, date_words: frozenset[str], labels: frozenset[str],
                 suffixes: frozenset[str] = frozenset()) -> bool:
    """Only dates, times and labels. ``suffixes``: ordinal endings of day numbers
    ("14th", "1er"), which count only right after a number, as does the "h" of 16h45."""
    if "m." in text or "M." in text:  # "9:41 a.m." is "9:41 am", not the words "a", "m"
        text = _DOTTED_MERIDIEM.sub(r" \1m", text)
    if ":" in text:  # a time zone's letters after a time: "9:41 am ET", "10:00 PDT"
        text = _ZONE_AFTER_TIME.sub(r"\1", text)
    ps = pieces(text)
    if not ps or len(ps) > _max_pieces(text):
        return False
    has_date_word = False
    after_number = False
    for p in ps:
        if is_number(p):
            after_number = True
            continue
        if p in date_words:
            has_date_word = True
        elif not (p in labels or (after_number and (p in suffixes or p == "h"))):
            return False
        after_number = False
    return has_date_word or bool(NUMERIC_DATE.search(text) or TIME.search(text))


_CELL_SPLIT = re.compile(r"\s*\|\s*|\t")


def _table_row(text: str, dates: frozenset[str], labels: frozenset[str],
               suffixes: frozenset[str] = frozenset()) -> bool:
    """A row of a table whose cells are not all dates ("1.0 | January 2024", a version
    and its release): content. "Oct 24, 2024 | 10:02 AM" is a date in every cell."""
    cells = [c for c in _CELL_SPLIT.split(text) if c.strip()]
    return len(cells) >= 2 and not all(is_date_text(c, dates, labels, suffixes)
                                       for c in cells)


# "Barcelona - 01 feb 2024 - 13:45 CET", "BERLIN, 12. März 2024": the place the story
# was filed from, then the date. A place is one to three words, each capitalised (or a
# lower-case particle between them: "Rio de Janeiro"), before a dash, comma or bar.
_PLACE = re.compile(r"^(?P<place>[^\W\d_][^\W\d_.'’-]*(?:[ '’-][^\W\d_]+){0,3})"
                    r"\s*(?:[-–—|,]|\s-\s)\s*(?P<rest>\S.*)$")
_MAX_PLACE_WORDS = 3
# lower-case words of place names beside the name particles: "Frankfurt am Main",
# "Kingston upon Hull", "Châlons-en-Champagne" is one word
_PLACE_PARTICLES = frozenset({"am", "an", "im", "upon", "sur", "sul", "sobre"})


def _after_place(text: str, dates: frozenset[str], labels: frozenset[str],
                 suffixes: frozenset[str], particles: frozenset[str]) -> str | None:
    """The date after a dateline's place, or None when ``text`` is not "<Place> - <date>"
    (the date must have a year or a time: "Berlin, Montag" is not enough). Lower-case
    words of a place are particles ("Rio de Janeiro", "Frankfurt am Main"): a title
    before a date ("Allocating on the Stack, 27 February 2026", a blog's index) is no
    place."""
    m = _PLACE.match(text.strip())
    if m is None:
        return None
    words = m.group("place").split()
    capitals = [w for w in words if w[:1].isupper()]
    if not capitals or len(capitals) > _MAX_PLACE_WORDS or not words[0][:1].isupper() \
            or not words[-1][:1].isupper() or fold(words[0]) in dates \
            or any(not w[:1].isupper() and fold(w) not in particles for w in words):
        return None
    rest = m.group("rest")
    if not (_YEAR.search(rest) or TIME.search(rest)):
        return None
    return rest if is_date_text(rest, dates, labels, suffixes) else None


MAX_NAMED_WORDS = 4
# a user name: three letters or more ("v3 June 2024" is a table row, a version and a date)
_USER_NAME = re.compile(r"(?=(?:[\W\d_]*[^\W\d_]){3})[^\W\d_][\w.-]{2,30}")


def _named_date(text: str, dates: frozenset[str], labels: frozenset[str],
                suffixes: frozenset[str], counter_words: frozenset[str]
                ) -> tuple[str, list[str]] | None:
    """(the date, [the name]) of a header line that is a name and a date without "By":
    "Mike Kappel May 18, 2016", "Kristian Larsen July 13, 2025 — 7 minutes read", a
    forum post's "Matt_Brooks May 4, 2022, 3:47pm 1" (a user name; the post's number
    after it); or None. The date must have a year or a time. The caller reads only the
    page's first such line above (or right under) its first paragraph: further down
    they head replies."""
    tokens = text.split()
    k = next((k for k in range(1, min(MAX_NAMED_WORDS + 1, len(tokens)))
              if fold(tokens[k].strip(",.")) in dates or tokens[k][:1].isdigit()), None)
    if k is None:
        return None
    name = tokens[:k]
    if any(fold(w.strip(",.")) in labels or fold(w.strip(",.")) in dates or w.endswith(":")
           or (k > 1 and glued_words(w)) for w in name):
        # a label ("Registered: 2024-01-27"), words glued by the copy ("Mental
        # HealthDECEMBER 22"; a user name is written so: "DaleJack")
        return None
    if not (all(w[:1].isupper() and not any(c.isdigit() for c in w) for w in name)
            or (k == 1 and _USER_NAME.fullmatch(name[0]))):
        return None
    rest = " ".join(tokens[k:])
    if not (_YEAR.search(rest) or TIME.search(rest)):
        return None
    for candidate in (rest, rest.rsplit(" ", 1)[0] if tokens[-1].isdigit() else None,
                      _without_counts(rest, counter_words)):
        if candidate:
            candidate = candidate.strip(_LEAD_SEPARATORS + " ")
            first = _SEGMENTS.split(candidate)[0]
            if is_date_text(first, dates, labels, suffixes):
                return first, [" ".join(name)]
    return None


def _author_like(name: str, doc: BlockDoc, by_words: frozenset[str]) -> bool:
    """Whether the name before a header line's date is a person's or a user's, and so
    the author: not words the page writes in lower case elsewhere (a topic: "Climate
    Change"), nor a name cut off by a comma ("Retreat, …"), glued to a "By" ("BySarah")
    or, in capitals, to a label ("JONATHAN JONESLAST UPDATED …"), nor a capitalised
    word alone. The date is the page's either way."""
    words = name.split()
    if name.endswith(",") or said_in_lower_case(words, doc.blocks):
        return False
    first = fold(words[0])
    if any(first.startswith(w) and words[0][len(w):][:1].isupper() for w in by_words):
        return False
    if len(words) == 1:
        # one word is a user name when it is written as one ("DaleJack", "Noah_B",
        # "hayley.p", "blumo"); a capitalised word alone is a section's as often
        # ("Latest", "Business")
        word = words[0]
        return not (word[:1].isupper() and word[1:].islower() and word.isalpha())
    return not any(w.isupper() and len(w) > GLUED_CAPS_LETTERS for w in words)


GLUED_CAPS_LETTERS = 8  # a longer word in capitals in a name is a name and a label glued


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_GOES_ON = ",;:.)]…"


def _inside_sentence(doc: BlockDoc, i: int) -> bool:
    """Whether the lone word at ``i`` is part of a sentence that runs through it: the
    line before does not end a sentence and the line after goes on in lower case or
    with its punctuation. A scraper that breaks lines at links and highlights leaves
    "The festival returns in" / "March" / ", organisers said." and a list written in
    words leaves "first," / "second" / "and third"; a dateline's lone "Saturday" or a
    month list's "March" has no sentence around it."""
    j, k = doc.prev_alive(i), doc.next_alive(i)
    if j is None or k is None:
        return False
    before, after = doc.blocks[j], doc.blocks[k]
    text = after.text
    return (not ends_sentence(before) and not before.text.endswith(":")
            and (text[0].islower() or text[0] in _GOES_ON))


def _article_date(header: list[tuple[int, str]], first_prose: int
                  ) -> list[tuple[int, str]]:
    """The top half's datelines, the article's likeliest first: the one nearest above
    its first paragraph (of a "Published … / Updated …" pair the first), then the
    others above it, nearest first, then the rest in page order. A masthead's date
    ("Saturday, March 14, 2026", today's) and an event banner's range ("May 12-14,
    2026") come first on a page, far from the article's."""
    before = [h for h in header if h[0] < first_prose and not _RANGE.search(h[1])]
    k = len(before) - 1
    while k > 0 and before[k][0] - before[k - 1][0] <= PAIR_GAP:
        k -= 1
    return before[k:] + before[:k][::-1] + header


HEADER_SPAN = 8  # blocks from an "Updated" line to the same header's first date


def _choose_date(doc: BlockDoc, ordered: list[tuple[int, str]],
                 parse: Callable[[str], str | None], modified: frozenset[str],
                 own: frozenset[str]) -> str | None:
    """The first of ``ordered`` that reads as a date; when it is labelled as an update
    or an edit ("Last Updated on December 30, 2025", a Q&A site's "edited Aug 1, 2014")
    and the same header has the date it was first published, that one.

    Sites put the update nearest the text and the first date higher up ("By Z.B. Steele
    / December 26, 2025 / 345 / Share … / Last Updated on December 30, 2025"; "edited
    … / asked May 2, 2009"). The other date must be labelled as the publication's
    ("Published", "asked") or, unlabelled, stand with no headline between the two: a
    masthead's date ("Saturday, March 14, 2026") is above the article's headline. A
    page that shows only its update has that as its date: there is no other to give.
    """
    found = next(((i, text, day) for i, text in ordered if (day := parse(text)) is not None),
                 None)
    if found is None:
        return None
    i, text, day = found
    if _leading_label(text, modified) is None:
        return day
    near = sorted({(abs(j - i), j, other) for j, other in ordered
                   if 0 < abs(j - i) <= HEADER_SPAN and _leading_label(other, modified) is None})
    for _, j, other in near:
        if (_leading_label(other, own) is not None or not _headline_between(doc, i, j)) and (
                d := parse(other)) is not None:
            return d
    return day


def _leading_label(text: str, labels: frozenset[str]) -> str | None:
    """The label of ``labels`` that opens ``text`` (of up to four words: "dernière mise à
    jour"), or None."""
    ps = pieces(text)[:4]
    return next((label for k in (4, 3, 2, 1) if (label := " ".join(ps[:k])) in labels), None)


def _headline_between(doc: BlockDoc, i: int, j: int) -> bool:
    return any(b.removed_by is None and b.n_words >= 3 and is_headline_like(b, 30)
               for b in doc.blocks[min(i, j) + 1:max(i, j)])


LEAD_GAP = 2  # blocks from the first paragraph to its dateline (a lone name between)
PAIR_GAP = 2  # blocks between two datelines of one header ("Published …", "Updated …")
# a range of days: "May 12-14, 2026", "12–14 mai" (not a numeric date's "12-05-2026")
_RANGE = re.compile(r"(?<![\d\-/.:])\d{1,2}\s*[-–—]\s*\d{1,2}\b(?![-/.:]\d)")


def _label_of(text: str) -> str | None:
    pair = label_value(text)
    return pair[0] if pair else None


class DateLineRule(Rule):
    name = "dateline"
    # a lone date word is judged by the lines around it (_inside_sentence)
    context_free = False
    description = "a block that is only a date or time (with labels like Updated/Published)"

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        dates = vocab.word_set("months")
        labels = vocab.word_set("metadata_labels") | vocab.word_set("byline")
        suffixes = vocab.word_set("ordinal_suffixes")
        author_labels = vocab.word_set("author_labels")
        particles = vocab.word_set("name_particles") | _PLACE_PARTICLES
        has_digit = HAS_DIGIT.search
        by_words = _by_words(vocab.word_set("byline"), vocab.word_set("byline_joins"))
        roles = vocab.word_set("roles")
        counter_words = _words_of(vocab.word_set("counters"))
        # Most blocks fail the length or digit test, so the loop reads the block list
        # itself (no generator frame per block; only block i is ever removed, so a
        # removal cannot hide a later block) and asks whether Han/kana widen the piece
        # limit only for blocks over the plain one.
        # The article's own date and byline stand in the top half of the page, or above
        # its first paragraph however long the menus over it are.
        top = len(doc.blocks) // 2 + 1
        first_prose = next((k for k, b in enumerate(doc.blocks)
                            if b.removed_by is None and is_prose(b, 15)), 0)
        top = max(top, first_prose)
        own = vocab.word_set("published_labels")
        late: list[tuple[int, str, list[str]]] = []  # dated bylines under the first paragraph
        header: list[tuple[int, str]] = []  # datelines in the top half
        under_lead: tuple[str, list[str]] | None = None  # one right under the first paragraph
        named_seen = False  # a "<name> <date>" line taken (only the first one is)
        order: list[bool] = []  # the page's numeric date order, read when first needed

        def parse(text: str) -> str | None:
            if not order:
                order.append(month_first(b.text for b in doc.blocks if has_digit(b.text)))
            return parse_date(text, vocab, month_first=order[0])

        for i, block in enumerate(doc.blocks):
            if block.removed_by is not None:
                # A metadata run under the headline ("Haber Merkezi / Yayınlanma:
                # 21.11.2024 14:05 / Okuma süresi: 3 dk") went before this rule saw its
                # dateline; the date is still the article's. So is a reader app's
                # footer "Date: Oct. 24, 2024" (its "Created" and "Updated" are the
                # app's own times, and go without giving one).
                if (block.removed_by == "metadata.label"
                        and (i < top or _label_of(block.text) in own)
                        and len(block.text) <= MAX_CHARS
                        and is_date_text(block.text, dates, labels, suffixes)):
                    header.append((i, block.text))
                continue
            text = block.text
            n = block.n_words
            if len(text) > MAX_CHARS or (n > MAX_PIECES and n > _max_pieces(text)):
                continue
            if not (has_digit(text) or (block.words and block.words[0] in dates)):
                continue
            if ("–" in text or "-" in text or "—" in text) and _TIME_RANGE.search(text):
                continue  # opening hours or an event's slot, not when a page was written
            pairs: list[tuple[str, str]] | None = []
            date_text = block.text
            names: list[str] = []
            if not is_date_text(block.text, dates, labels, suffixes):
                pairs = _date_with_pairs(block.text, dates, labels, suffixes)
                # (the block's words say whether a byline word is there at all: most
                # lines with a digit have none, and skip the parse)
                dated = None if pairs is not None or by_words.isdisjoint(
                    block.words) else _dated_byline(unglue_byline(block.text, labels, dates),
                                                    dates, labels, suffixes, by_words,
                                                    particles, vocab.stopwords)
                bare = None if dated is not None or pairs is not None else _without_counts(
                    block.text, counter_words)
                if bare is not None and not by_words.isdisjoint(block.words):
                    # "Posted on May 12, 2025 Posted by Sarah 59 Comments"
                    dated = _dated_byline(unglue_byline(bare, labels, dates), dates, labels,
                                          suffixes, by_words, particles, vocab.stopwords)
                if dated is not None:
                    date_text, names = dated
                    pairs = []
                elif bare is not None and is_date_text(bare, dates, labels, suffixes):
                    date_text, pairs = bare, []  # "Nov 08, 2025 • 7 min read"
                elif pairs is None:
                    placed = _after_place(block.text, dates, labels, suffixes, particles)
                    if placed is not None and self._placed_list(doc, i, dates, labels,
                                                                suffixes, particles):
                        placed = None
                    if placed is None:
                        if named_seen or i > first_prose + LEAD_GAP:
                            continue
                        named = _named_date(block.text, dates, labels, suffixes,
                                            counter_words)
                        if named is None:
                            continue
                        named_seen = True  # a thread's first post: the later are replies
                        placed, names = named
                        if not _author_like(names[0], doc, by_words):
                            names = []
                    date_text, pairs = placed, []
            if (date_text is block.text and not pairs
                    and _table_row(block.text, dates, labels, suffixes)):
                continue
            if block.n_words == 1 and not has_digit(text) and _inside_sentence(doc, i):
                continue
            doc.remove(i, self.name)
            if first_prose < i <= first_prose + LEAD_GAP and under_lead is None:
                under_lead = (date_text, names)
            if names and i >= first_prose:
                # Under the first paragraph a dated byline is the article's own footer
                # ("Posted on May 12, 2025 by Sarah"), said once, or one of a list: a
                # comment thread's or related posts' one per item, whose first named
                # the commenter the author and dated the article by the comment.
                late.append((i, date_text, names))
                continue
            if i < top:
                header.append((i, date_text))
            if not doc.authors:
                doc.authors = [n for n in names if fold(n) not in roles] or [
                    value for label, value in pairs or ()
                    if label in author_labels and _HAN_NAME.fullmatch(value)]
        if doc.published is None and header:
            doc.published = _choose_date(doc, _article_date(header, first_prose), parse,
                                         vocab.word_set("modified_labels"), own)
        if under_lead is not None and doc.published is None and not any(
                i < first_prose for i, _ in header):
            # A header without a date, then the lead paragraph (a standfirst), then the
            # dateline or dated byline ("By Daniel Renfrow April 12, 2024") under it:
            # the article's, however many related posts are dated further down.
            date_text, names = under_lead
            doc.published = parse(date_text)
            if names and not doc.authors:
                doc.authors = [n for n in names if fold(n) not in roles]
        if len(late) == 1 and late[0][0] < top:
            _, date_text, names = late[0]
            if doc.published is None:
                doc.published = parse(date_text)
            if not doc.authors:
                doc.authors = [n for n in names if fold(n) not in roles]

    @staticmethod
    def _placed_list(doc: BlockDoc, i: int, dates: frozenset[str], labels: frozenset[str],
                     suffixes: frozenset[str], particles: frozenset[str]) -> bool:
        """Whether another "<Place> - <date>" line is on the page: then these are a list
        (a tour's dates, a blog's index: "Allocating on the Stack, 27 February 2026"
        under each post's title), not the article's one dateline. The whole page is
        read, removed blocks too, and the line's place on it does not count: a rule
        that judged by neighbours and by the top half of the page took an index entry
        once cleaning had shortened the page, so cleaning the text again changed it."""
        return any(j != i and HAS_DIGIT.search(b.text) is not None
                   and _after_place(b.text, dates, labels, suffixes, particles) is not None
                   for j, b in enumerate(doc.blocks))
