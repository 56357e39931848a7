"""Whitespace and Unicode normalisation: the only rewriting the cleaner ever does.

Output blocks are input blocks; this module defines what "the same block" means
(NFC, one kind of space, no invisible characters, no trailing blanks) and the folded
*key* rules use to compare a block against vocabulary, which is never written out.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

# Invisible format characters that scrapers copy out of pages (ZWJ/ZWNJ are kept:
# they change the spelling of Persian, Indic and emoji text), and control characters
# other than newline. Controls that separate (tab, VT, FF, the information separators
# \x1c-\x1f, NEL) and the Unicode line and paragraph separators are not dropped: a
# page's <br> copied as U+2028 between two words must leave a space, not glue them
# ("Connect\u2028your" was "Connectyour"); str.split() below turns them into one.
_INVISIBLE = "\u200b\u2060\ufeff\u00ad\u180e"
INVISIBLE = _INVISIBLE  # what a text made of nothing else is empty of (extract's blocks)
_C0 = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F])
# The C1 controls go last, apart: they are bytes of the mojibake the repair reads.
_C1 = "".join(chr(c) for c in [*range(0x80, 0x85), *range(0x86, 0xA0)])
# Regex substitution rather than str.translate: translate with a mapping costs tens of
# nanoseconds per character, a character-class scan a fraction of that; and whitespace is
# unified per line by str.split(), which already knows every Unicode space.
_DROP = re.compile(f"[{re.escape(_INVISIBLE + _C0)}]+")
# The same, but for the soft hyphen (U+00AD): it is also the last byte of "í", "Э", "中"
# read as Latin-1 ("Ã\xad"), so it must reach the mojibake repair, and go after it.
_SHY = "\u00ad"
_DROP_BUT_SHY = re.compile(f"[{re.escape(_INVISIBLE.replace(_SHY, '') + _C0)}]+")
_DROP_C1 = re.compile(f"[{re.escape(_C1)}]+")
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?")
# A lone surrogate (a JSON "\ud800" escape) is no character: UTF-8 cannot hold it, so
# it would fail or change on the way out (Parquet), after content_hash was computed.
_SURROGATES = re.compile("[\ud800-\udfff]")
_MULTISPACE = re.compile(r" {2,}")
_SPACES_BUT_NBSP = re.compile(r"[^\S\xa0]+")


# Mojibake: UTF-8 read as Windows-1252 or Latin-1 somewhere upstream ("youâ€™re",
# "CafÃ©", "donÂ\x92t", "ÐšÐ¸Ñ—Ð²"). A page's own decoding can be right and its
# text still hold it (the CMS stored it so; a dump was copied from such a page). It is
# a spelling of the characters meant, as decomposed accents are, so it is normalised
# with them: by ftfy, which changes a text only when the repair explains it. This is
# the prefilter that keeps ftfy off ordinary text: a C1 control, or a lead byte's
# character followed by a continuation byte's.
_MOJIBAKE = re.compile("[\x80-\x9f]|[\u00c2-\u00df\u00e0-\u00ef\u00f0-\u00f4]"
                       "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                       "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022"
                       "\u2026\u2030\u2039\u203a\u20ac\u2122]")


# Any character mojibake could start with: one character-class scan, a third of the
# cost of :data:`_MOJIBAKE`'s, rules out most pages (a French page's "é" does not).
_MOJIBAKE_LEAD = re.compile("[\u0080-\u009f\u00c2-\u00f4]")


def _has_mojibake(text: str) -> bool:
    return (not text.isascii() and _MOJIBAKE_LEAD.search(text) is not None
            and _MOJIBAKE.search(text) is not None)


def _fix_encoding(text: str) -> str:
    from ftfy import fix_encoding  # (loaded only for the texts that need it)

    return fix_encoding(text)


def normalize_chars(text: str) -> str:
    """The character half of :func:`normalize_text`: line breaks unified to LF, NFC, lone
    surrogates replaced, mojibake repaired, invisible and control characters dropped;
    spaces untouched.

    Every command's text goes through it (``extract`` too, where a ``<pre>`` block's
    indentation is content and only this half applies), so one page has one spelling,
    and so one ``content_hash``, whichever command wrote it.
    """
    text = _chars_for_repair(text)
    if _has_mojibake(text):
        text = "\n".join(_repaired(line, _chars) for line in text.split("\n"))
    elif _SHY in text:
        text = _chars(text)
    return _DROP_C1.sub("", text)


def _chars_for_repair(text: str) -> str:
    """:func:`_chars` keeping the soft hyphens, which may be mojibake's bytes (the
    other invisible characters go first: one between two bytes hid the mojibake)."""
    return _chars(text, _DROP_BUT_SHY)


def _chars(text: str, drop: re.Pattern[str] = _DROP) -> str:
    """:func:`normalize_chars` but for the repair, and with the C1 controls kept: they
    are bytes of the mojibake the repair reads (``drop``: soft hyphens too, before it)."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)  # CRLF and lone CR (old Mac) are line breaks
    if not text.isascii():
        if _SURROGATES.search(text):
            text = _SURROGATES.sub("\ufffd", text)
        text = unicodedata.normalize("NFC", drop.sub("", text))
    elif _ASCII_CONTROLS.search(text):
        text = drop.sub("", text)
    return text


def _line(text: str) -> str:
    return " ".join(_chars(text).split())


REPAIR_ROUNDS = 5


def _repaired(line: str, normalise: Callable[[str], str]) -> str:
    """``line`` with its mojibake repaired, at a point the repair leaves as it is.

    A repair can reveal another (the characters it removed or merged were hiding one),
    so it is repeated until nothing changes: cleaning the output again then repairs
    nothing more, which idempotence needs. Line by line, as no mojibake spans a line.
    """
    if not _MOJIBAKE.search(line):
        return normalise(line) if _SHY in line else line
    for _ in range(REPAIR_ROUNDS):
        fixed = _DROP_C1.sub("", normalise(_fix_encoding(line)))
        if fixed == line:
            break
        line = fixed
    return normalise(line) if _SHY in line else line


def normalize_lines(text: str, numbers: list[int] | None = None) -> list[str]:
    """The lines of :func:`normalize_text` (blank strings mark paragraph breaks).

    ``numbers``, when given, receives each returned line's 1-based line number in
    ``text``, where CRLF, LF and a lone CR (old Mac files) each end a line: the input
    line a removal points at (as ``grep -n`` counts it, but for lone CRs).
    """
    text = _chars_for_repair(text)
    repair = _has_mojibake(text)
    if not repair and _SHY in text:
        text = _chars(text)
    out: list[str] = []
    at: list[int] = []  # each kept line's number in the input (about 10 µs a page)
    blank = True  # drop leading blank lines, collapse runs of them
    for number, raw in enumerate(text.split("\n"), 1):
        if repair:
            # No-break spaces are unified only after the repair: one is the second byte
            # of mojibake ("Â\xa0" for U+00A0, "Ã\xa0" for "à"), and str.split drops
            # it. Other separators (NEL, VT) are spaces first, as they are without it.
            line = " ".join(_repaired(_SPACES_BUT_NBSP.sub(" ", raw), _line).split())
        else:
            line = " ".join(raw.split())
        if line:
            blank = False
        elif blank:
            continue
        else:
            blank = True
        out.append(line)
        at.append(number)
    if out and not out[-1]:
        out.pop()
        at.pop()
    if numbers is not None:
        numbers.extend(at)
    return out


def normalize_text(text: str) -> str:
    """NFC, spaces unified, invisible characters dropped, lines right/left stripped.

    Blank lines are kept (they mark paragraph breaks); runs of them collapse to one.
    """
    return "\n".join(normalize_lines(text))


# Letters of other scripts that look like Latin ones. Dumps mix them ("переглядiв"
# with a Latin i); keys fold both sides so vocabulary matches either spelling.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
        "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "ё": "e", "һ": "h",
        "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t",
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
        "–": "-", "—": "-", "‑": "-", "−": "-",
    }
)

# Leading/trailing decoration that does not change what a line says: bullets, arrows,
# icons, pipes and end punctuation.
EDGE = re.compile(
    r"^[\s\W_]+|[\s\W_]+$",
)


# The edge characters seen in practice, stripped with str.strip (C speed); the regex
# only runs when something rarer (an emoji, an exotic arrow) is left at an edge.
EDGE_CHARS = (
    " \t!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~…•·–—‐‑‒―«»“”‘’„‚‹›†‡※→←↑↓↗↘►▶▸▹◄◀▪▫●○◦■□▲△▼▽★☆✓✔✗✘"
    "❯❮|¦©®™°§¶¤¢£¥€₴₽¬¯¨´¸¿¡‼⁉⋯·"
)


def edge_strip(key: str) -> str:
    key = key.strip(EDGE_CHARS)
    if key and not (key[0].isalnum() and key[-1].isalnum()):
        key = EDGE.sub("", key)
    return key


# The quotes and dashes of the confusables, each replaced by an ASCII character that is
# none of them, so replacing them one after another is replacing them all at once.
_QUOTES_DASHES = tuple((k, v) for k, v in ((chr(o), t) for o, t in _CONFUSABLES.items())
                       if k in "’‘ʼ`´“”„«»–—‑−")
_LOOKALIKE_SCRIPTS = re.compile(r"[\u0370-\u052f]")


# Spellings that one language writes several ways, unified in keys:
# - Arabic: harakat (short-vowel marks, tanween, shadda, sukun), the superscript alif and
#   tatweel (the stretching stroke) are dropped, so "أيضاً" and "أيـضا" are "أيضا"; alif with
#   hamza or madda is plain alif ("إقرأ" = "اقرأ" = "اقرا"), alif maqsura is ya ("على" =
#   "علي") and taa marbuta is ha ("قراءة" = "قراءه"), as sites write them interchangeably.
# - Turkish: "İ" casefolds to "i" plus a combining dot above (U+0307, dropped), and "ı"
#   (dotless) stays apart from "i"; both become "i", so "İLGİLİ", "ILGILI" and "ilgili"
#   are one key.
_SPELLINGS = re.compile("[\u0307\u0131\u0622\u0623\u0625\u0671\u0649\u0629\u0640"
                        "\u064b-\u065f\u0670]")
_SPELLING_MAP = {
    "\u0131": "i", "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",
    "\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647",
}


def _spelling(m: re.Match[str]) -> str:
    return _SPELLING_MAP.get(m.group(), "")


def fold_text(text: str) -> str:
    """Casefold and unify confusables over a whole text (keys of all its lines at once).

    Only Greek/Cyrillic text needs the full confusable table; other text only has its
    quotes and dashes unified, which str.replace does without touching every character.
    Arabic and Turkish spelling variants are unified too (``_SPELLINGS``); dropping
    Arabic marks makes a key shorter than its text.
    """
    text = text.casefold()
    if text.isascii():
        return text
    if _LOOKALIKE_SCRIPTS.search(text):
        text = text.translate(_CONFUSABLES)
    else:
        # str.replace per character present: a C scan each, where a regex substitution
        # called back into Python for every quote of the page
        for char, ascii_char in _QUOTES_DASHES:
            if char in text:
                text = text.replace(char, ascii_char)
    if _SPELLINGS.search(text):
        text = _SPELLINGS.sub(_spelling, text)
    return text


def fold(text: str) -> str:
    """Matching key: casefolded, confusables unified, decoration trimmed, spaces single.

    ``fold(" • Loading...")`` == ``fold("LOADING")`` == ``"loading"``.
    """
    key = edge_strip(fold_text(text))
    if "  " in key:
        key = _MULTISPACE.sub(" ", key)
    return key


def folded_offsets(text: str) -> list[int]:
    """Where each character of ``text`` starts in ``fold_text(text)`` (and, last, the
    folded length). Folding is per character, but not one for one everywhere: "ß" folds
    to two, Arabic harakat and tatweel to none; this maps folded positions back."""
    return list(accumulate((len(fold_text(c)) for c in text), initial=0))


def after_folded_prefix(text: str, folded_len: int) -> str:
    """The original text after a prefix whose folded form is ``folded_len`` long.

    Folding trims leading decoration, so skip it first. Folding keeps most letters one
    for one; where it does not (Arabic harakat and tatweel are dropped: "اقرأ أيضاً"
    folds to 9 characters and is 10), the prefix's end is found letter by letter, and
    marks right after it are part of it.
    """
    start = 0
    while start < len(text) and not text[start].isalnum():
        start += 1
    if text.isascii():
        return text[start + folded_len:].lstrip(" ")
    # the last character that ends at the prefix's folded length, so that marks right
    # after it (which fold to nothing) go with it
    end = start + bisect_right(folded_offsets(text[start:]), folded_len) - 1
    return text[end:].lstrip(" ")
