"""Record metadata from what the page declares, with cheap DOM fallbacks.

Declared values (JSON-LD, ``og:``/``article:`` meta) win: the publisher wrote them for
machines. Only what is missing is looked for in the DOM (``<h1>``, ``rel=author``,
``<time>``) or, for the date, with htmldate -- the costliest step, so it runs only when
nothing declared a date.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from cleaners.dates import parse_date
from cleaners.normalize import fold
from cleaners.vocab import available_languages, load_vocab
from scraper.extract.structured import Structured, clean_value, unquoted
from scraper.readers.jsonl import normalise_published
from scraper.urls import normalize_url

_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·•:»]\s+")
MAX_AUTHORS = 10


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time in the record schema's shape, or None."""
    if not value:
        return None
    text = unquoted(value.strip())  # (JSON-encoded twice, the time was lost)
    iso = normalise_published(text)
    if iso:
        return iso
    try:
        parsed = parsedate_to_datetime(text)  # RFC 2822, as in HTTP headers and feeds
        return parsed.isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    m = _YMD.match(text)
    if m:
        # "2024-03-05 10:00 GMT", "2024-03-05T10:00:00 UTC+5:30": fromisoformat refuses
        # the zone, and the day alone lost the time and the instant; the dateline reader
        # keeps both (a named zone such as EST stays without an offset)
        with_time = parse_date(text)
        if with_time:
            return with_time
        y, mo, d = (int(g) for g in m.groups())
        try:
            return datetime(y, mo, d).date().isoformat()
        except ValueError:
            return None
    if len(text) <= MAX_NAMED_DATE_CHARS:
        # "Nov 05, 2025" in datePublished (a CMS writing the date as it shows it):
        # htmldate, asked next, found nothing on such pages, so the record had no date
        return parse_date(text, load_vocab(("en",)))  # (cached)
    return None


MAX_NAMED_DATE_CHARS = 64


def impossible_date(value: str | None) -> bool:
    """A declared year-month-day that no calendar has (2024-02-31). htmldate, asked
    next, read such a page's date as 2024-02-01: a wrong date that looks right. The
    publisher's date is broken, so the record has none."""
    m = _YMD.match(value.strip()) if value else None
    if m is None:
        return False
    y, mo, d = (int(g) for g in m.groups())
    if not (y and mo and d):
        return False  # 0000-00-00: a CMS's "no date", which says nothing; look further
    try:
        datetime(y, mo, d)
    except ValueError:
        return True
    return False


def find_date(html: str, url: str | None) -> str | None:
    """htmldate's original publication date, without its slow extensive search."""
    try:
        from htmldate import find_date as htmldate_find
    except ImportError:  # pragma: no cover - htmldate is a dependency
        return None
    try:
        found = htmldate_find(html, url=url, original_date=True, extensive_search=False)
    except Exception:  # htmldate raises on odd input; a missing date is not an error
        return None
    return normalise_date(found) if found else None


def with_time_of_day(day: str | None, stamps: list[str]) -> str | None:
    """htmldate's day with its time, when a ``<time datetime>`` of the page names that
    day with a time ("2024-02-10" and ``datetime="2024-02-10T15:00:00Z"``): htmldate
    gives the day alone, and the record keeps what the page says, to its precision."""
    if day is None or len(day) != 10:
        return day
    for stamp in stamps:
        if stamp.startswith(day):
            full = normalise_date(stamp)
            if full is not None and full.startswith(day) and len(full) > 10:
                return full
    return day


def first_h1(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first("h1")
    if node is None:
        return None
    text = clean_value(node.text(deep=True, separator=" "))
    return text if text and len(text) <= 300 else None


def choose_title(st: Structured, h1: str | None) -> str | None:
    """Declared headline, else the page's ``<h1>``, else ``<title>`` without the site name.

    The candidates are weighed against each other, not taken in a fixed order alone:
    a JSON-LD ``headline`` that the page contradicts (:func:`_doubtful_headline`)
    gives way to ``og:title``; and a declared title that is the ``<h1>`` plus a tail
    ("Using promises - JavaScript | MDN" over an ``<h1>`` "Using promises") is cut to
    the ``<h1>`` part, the headline the page shows.
    """
    og = clean_value(st.meta.get("og:title") or st.meta.get("twitter:title"))
    title = st.title
    site = st.site_name
    # an <h1> that is the site's name (a logo) says nothing of the headline
    shown = h1 if h1 and not (site and fold(site) == fold(h1)) else None
    if st.headline and title == st.headline and _doubtful_headline(
            st.headline, og and without_site_name(og, site), st.html_title, shown):
        title = og
    if title:
        title = without_site_name(title, site)
        return _part_shown(title, shown) if shown else title
    if h1:
        if shown and st.html_title:
            headline = without_site_name(st.html_title, site)
            if fold(_part_shown(headline, shown)) != fold(shown) and _opening_is(headline, shown):
                return _part_shown(headline, shown)  # a topic label over the headline
        return h1
    if st.html_title:
        parts = _TITLE_SEPARATORS.split(st.html_title)
        parts = [p for p in parts if p]
        if len(parts) > 1 and st.site_name and parts[-1].strip().lower() == st.site_name.lower():
            return " - ".join(parts[:-1])
        return parts[0] if len(parts) > 1 and len(parts[0]) >= 15 else st.html_title
    return None


# A JSON-LD headline this long, or of two sentences, is a description, not a headline
# (Google asks for headlines of at most 110 characters).
HEADLINE_MAX_CHARS = 160
HEADLINE_MAX_WORDS = 25
# A sentence's end: "!" or "?", or a full stop not after an initial ("U.S.", "J. K.") or
# a capitalised abbreviation of two or three letters ("Sen.", "Dr.", "Gov.", "Inc."):
# "U.S. Sen. Warren unveils plan" is one headline, not a two-sentence description.
_SENTENCE_END = re.compile(
    r"(?:[!?]|(?<!\b[^\W\d_])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})\.)(?:\s|$)")
_WORD = re.compile(r"\w+")


def _same(a: str | None, b: str | None) -> bool:
    """Two titles name the same thing: equal once folded, or one holds the other whole
    (the other has a site name or a section around it)."""
    if not a or not b:
        return False
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    short, long = sorted((fa, fb), key=len)
    return len(short) >= 10 and short in long


def _doubtful_headline(headline: str, og: str | None, html_title: str | None,
                       h1: str | None) -> bool:
    """A JSON-LD ``headline`` the rest of the page contradicts.

    CMS templates fill ``headline`` with the excerpt ("The Nutrition 2025 meeting
    hosted annually by ... I've compiled 5 trends that stood out to me ...") or a
    section label ("Sample menus"; Wikipedia's "Wikimedia list article"), and it won
    over the real title every time. It is kept when the ``<h1>`` shows it. Otherwise
    it gives way when it reads as a description (long, or two sentences, or far longer
    than every other title it does not agree with), or when ``og:title`` and the
    ``<h1>`` agree with each other and not with it: two independent places against one.
    """
    if _same(headline, h1):
        return False
    others = [t for t in (og, html_title) if t and not _same(t, headline)]
    if (len(headline) > HEADLINE_MAX_CHARS or len(_WORD.findall(headline)) > HEADLINE_MAX_WORDS
            or len(_SENTENCE_END.findall(headline)) >= 2):
        return True
    if others and all(len(headline) > 2 * len(t) + 20 for t in others):
        return True
    return bool(og) and _same(og, h1) and not _same(og, headline)


def _part_shown(title: str, h1: str) -> str:
    """``title`` cut to its opening pieces when the ``<h1>`` shows just those ("Promise -
    JavaScript | MDN" over an ``<h1>`` "Promise"), in the title's spelling; otherwise
    ``title`` as it is. Only an opening: an ``<h1>`` matching the closing piece is more
    often the site's logo ("Headline - Brand" over an ``<h1>`` "Brand") than the
    headline after a site name, which :func:`without_site_name` takes off."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _TITLE_SEPARATORS.findall(title)
    key = fold(h1)
    pos = 0
    for k in range(len(parts) - 1):
        pos += len(parts[k])
        if fold(title[:pos]) == key:
            if _continues_headline(h1, seps[k], parts[k + 1]):
                return title[:pos + len(seps[k]) + len(parts[k + 1])]
            return title[:pos]
        pos += len(seps[k])
    return title


def _opening_is(title: str, h1: str) -> bool:
    """Whether ``title``'s first pieces (up to a separator) are ``h1``."""
    pos = 0
    for part, sep in zip(_TITLE_SEPARATORS.split(title), _TITLE_SEPARATORS.findall(title),
                         strict=False):
        pos += len(part)
        if fold(title[:pos]) == fold(h1):
            return True
        pos += len(sep)
    return False


# An <h1> of at most this many words may be a topic label over the headline.
LABEL_MAX_WORDS = 3


def _continues_headline(h1: str, sep: str, piece: str) -> bool:
    """Whether ``piece``, after ``h1`` and a dash or colon in the declared title, is the
    rest of the headline, not a site or section name: "Brexit - what happens next" over
    an ``<h1>`` "Brexit" (a topic label) was cut to "Brexit".

    A site, section or product line after a separator is a name ("JavaScript | MDN",
    "REI Co-op", "iFixit", "us-cuisinart-sfra"); the rest of a sentence opens with a
    lower-case function word ("what", "how", "the", "ce que") and runs on for more than
    one word. Only under a short ``<h1>``: a long one is the headline itself, and what
    follows it is a tail even when it opens with "by" ("… | by Summer Swann | Yeti").
    Stop words are the cleaners' vocabulary data, every language's.
    """
    if sep.strip() not in _HEADLINE_JOINS or len(_WORD.findall(h1)) > LABEL_MAX_WORDS:
        return False
    words = piece.split()
    if len(words) < 2 or not words[0].islower():
        return False
    # ... and the sentence goes on in lower case: a site named with a lower-case article
    # ("Brexit - la Repubblica", "Brexit - de Volkskrant") is capitalised after it.
    return fold(words[0]) in _all_stopwords() and any(w[:1].islower() for w in words[1:])


_HEADLINE_JOINS = frozenset({"-", "–", "—", ":"})


@cache
def _all_stopwords() -> frozenset[str]:
    from cleaners.vocab import stopword_table

    return frozenset().union(*stopword_table().values())


def without_site_name(title: str, site_name: str | None) -> str:
    """``title`` without the site's own name before or after a separator: most sites
    write ``og:title`` as "Headline | Site" or "Site - Headline", and the record's
    title is the headline (a fifth of the WCXB pages kept the suffix)."""
    if not site_name or not site_name.strip():
        return title
    sep = _TITLE_SEPARATORS.pattern
    site = re.escape(site_name.strip())
    for pattern in (f"{sep}{site}$", f"^{site}{sep}"):
        shorter = re.sub(pattern, "", title, count=1, flags=re.IGNORECASE).strip()
        if shorter and shorter != title:
            return shorter
    return title


def dom_authors(tree: LexborHTMLParser, language: str | None = None) -> list[str]:
    for sel in ('a[rel="author"]', '[itemprop="author"] [itemprop="name"]',
                '[class~="author-name"]', '[class~="byline__name"]',
                # WordPress themes: "Posted on … by <span class="author vcard">…"
                '[class~="entry-meta"] [class~="author"]', '[class~="post-meta"] [class~="author"]',
                '[class~="author"][class~="vcard"]'):
        node = tree.css_first(sel)
        if node is not None:
            name = clean_value(node.text(deep=True, separator=" "))
            if name and 2 <= len(name) <= 80 and not name.startswith("http"):
                # "By Sofia Kondrat" inside an author-name element (a real page kept
                # the "By"): the byline rule reads off the label, in the page's language
                # and a name the rule does not take ("By The Currency editors") still
                # loses an English "By", as the byl meta does
                return read_byline(name, language) or [re.sub(r"(?i)^by\s+", "", name)]
    return []


_BYLINE_NODES = ('[class~="byline"], [class~="by-line"], [class~="article-byline"], '
                 '[class~="post-byline"]')
# A post's meta line ("Posted on July 3, 2023 by Julie Martin", "Par Julie Martin, le 3
# juillet 2023"): a byline only when it says so with a label, since it often holds
# nothing but a date and a category ("July 3, 2023 · Travel Tips").
_META_NODES = '[class~="entry-meta"], [class~="post-meta"]'

MAX_BYLINE_CHARS = 200


def dom_byline_authors(tree: LexborHTMLParser, language: str | None = None) -> list[str]:
    """The names of the one element a page marks as its byline ("By Jane Doe and John
    Smith"), read by the cleaners' byline rule.

    The block model may drop that element as page furniture (its class is a "meta"
    hint), and with it the page's only statement of its authors. A page with several
    (a listing of cards, each with its byline) names no one this way.
    """
    nodes = tree.css(_BYLINE_NODES)
    if len(nodes) == 1:
        text = clean_value(nodes[0].text(deep=True, separator=" "))
        if text and len(text) <= MAX_BYLINE_CHARS:
            # "By Jane Doe", or the bare name the element's class already calls a byline
            return read_byline(text, language) or read_byline(f"By {text}", "en")
        return []
    if nodes:
        return []
    metas = tree.css(_META_NODES)
    if len(metas) != 1:
        return []
    text = clean_value(metas[0].text(deep=True, separator=" "))
    return read_byline(text, language) if text and len(text) <= MAX_BYLINE_CHARS else []


def read_byline(text: str, language: str | None) -> list[str]:
    """The names in one byline, read by the cleaners' byline rule with the labels of the
    page's declared language (``<html lang="de">``: "Von Max Mustermann").

    A line this short tells the cleaner nothing of its language, so left to itself it
    used English labels only and kept "Von", "Par", "Por" as part of the name. A page
    that declares no language (or one without a vocabulary) is read with English labels
    alone: every vocabulary's would take first names for labels ("Oleh Petro
    Shevchenko", "oleh" being Indonesian for "by"; "Di Maria").
    """
    from cleaners.blocks import split_blocks
    from cleaners.normalize import normalize_text

    blocks = split_blocks(normalize_text(text))
    if not blocks:
        return []
    doc = _byline_reader().rule_pass(blocks, languages=_byline_languages(language))
    return list(doc.authors)


@cache
def _byline_languages(language: str | None) -> tuple[str, ...]:
    primary = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return tuple(sorted({primary, "en"})) if primary in available_languages() else ("en",)


@cache
def _byline_reader() -> Any:
    from cleaners import Cleaner

    return Cleaner(classifier=None, detect_lang=False)


def absolute(url: str | None, base: str | None) -> str | None:
    """``url`` made absolute against ``base``; None unless that gives an http(s) URL with
    a host (the test :func:`scraper.urls.normalize_url` makes). A canonical of
    ``javascript:void(0)`` or a bare ``/`` on a saved page would otherwise become the id
    of every page that has one."""
    if not url:
        return None
    url = url.strip()
    try:
        joined = urljoin(base, url) if base else url
    except ValueError:
        return None
    return joined if normalize_url(joined) is not None else None


def unique(items: list[str], limit: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
        if len(out) >= limit:
            break
    return out
