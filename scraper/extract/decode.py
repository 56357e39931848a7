"""Page bytes to text without mojibake.

Order of evidence (the issue's order, with the WHATWG exception for the BOM):

1. a byte-order mark -- it is part of the bytes themselves, so it beats any label;
   without one, UTF-16 is known by the NUL byte beside each byte of its ASCII markup
   (:func:`scraper.readers.decoding.utf16_markup`), which no label could be read from;
2. the charset of the HTTP ``Content-Type`` header (from a fetch, a WARC record or a
   JSONL ``headers`` field);
3. ``<meta charset>`` / ``<meta http-equiv="Content-Type">`` / ``<?xml encoding?>`` in
   the first bytes of the page;
4. detection.

Labels are often wrong (a CMS that says utf-8 and serves cp1251, a proxy that adds
``charset=iso-8859-1`` to everything), so no label is trusted blindly: bytes that are
valid UTF-8 with multi-byte sequences are UTF-8 whatever the label says (legacy text
almost never validates by accident); a label that fails to decode, or decodes into
text that reads as mojibake (charset-normalizer's mess ratio), hands over to detection.

Bytes that are UTF-8 but for a few invalid ones (a stray ``\xe9`` pasted in from a
Latin-1 fragment) are UTF-8 too, decoded as browsers do, with U+FFFD for each invalid
run; the encoding then reads e.g. ``utf-8 (1 invalid byte replaced)``. How few is few
is :meth:`scraper.readers.decoding.Utf8Evidence.fits`: the valid multi-byte characters
must outnumber the invalid bytes two to one when a label (or the BOM) says UTF-8, and
five to one (with at least four of them) otherwise. Legacy text never comes near: a
cp1251 or Latin-1 page forms no valid multi-byte UTF-8, a Shift_JIS or GB18030 page
about one valid character to five invalid bytes. Before this, one such byte sent the
whole page to detection, which decoded every curly quote as cp1251 mojibake.

Detection decodes with a short list of legacy encodings, ordered by hints from
``<html lang>`` and the URL's country domain, and keeps the least messy result; ties
go to the earlier (likelier) encoding, which is why French Latin-1 comes out as
cp1252 and not as cp1250.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from scraper.errors import DecodeError
from scraper.readers.decoding import Utf8Evidence, utf8_evidence, utf16_markup

PRESCAN_BYTES = 16384  # WHATWG pre-scans 1024; real pages put the meta tag later
MESS_SAMPLE_CHARS = 6000
MESS_SUSPICIOUS = 0.12  # above this, a declared charset is double-checked by detection
MESS_MARGIN = 0.02  # detection: scores this close are a tie (see detect())
# ... and an encoding of the language the page declares (<html lang>, the country
# domain) wins from this close: a short French page in cp1252 scored 0.055 against
# Baltic cp1257's 0.027 ("ą partir", "coūteront"), because a few accented letters are
# too little text for the mess detector to tell the two apart.
HINT_MARGIN = 0.05
MIN_EVIDENCE_CHARS = 24  # fewer non-ASCII letters than this say nothing against a label
LABEL_MARGIN = 0.1  # a declared charset is overruled only by a clearly cleaner decoding
MESS_UNDECODABLE = 0.5  # the best decoding is still this messy: the bytes are not text
MAX_BAD_BYTE_RATIO = 0.002  # a label may be right despite a few broken bytes

# WHATWG encoding labels map several names to supersets; decode with the superset so a
# page labelled latin-1 that uses cp1252 quotes decodes right.
_SUPERSETS = {
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
    "utf-16": "utf-8",  # a meta tag cannot declare UTF-16: the tag itself was ASCII-readable
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
    "utf-8-sig": "utf-8",
}

# Legacy encodings detection considers, most common first. Language hints move the
# encodings of that language to the front.
_DETECT_ORDER = (
    "cp1252", "cp1251", "gb18030", "cp932", "cp1250", "euc_jp", "cp949", "big5hkscs",
    "koi8_r", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp874", "cp1258",
    "iso8859_2", "koi8_u",
)
_LANG_HINTS = {
    "ru": ("cp1251", "koi8_r"), "uk": ("cp1251", "koi8_u"), "be": ("cp1251",),
    "bg": ("cp1251",), "sr": ("cp1251", "cp1250"), "mk": ("cp1251",),
    "ja": ("cp932", "euc_jp"), "zh": ("gb18030", "big5hkscs"), "ko": ("cp949",),
    "pl": ("cp1250", "iso8859_2"), "cs": ("cp1250", "iso8859_2"), "sk": ("cp1250",),
    "hu": ("cp1250",), "hr": ("cp1250",), "sl": ("cp1250",), "ro": ("cp1250",),
    "el": ("cp1253",), "tr": ("cp1254",), "he": ("cp1255",), "ar": ("cp1256",),
    "fa": ("cp1256",), "lt": ("cp1257",), "lv": ("cp1257",), "et": ("cp1257",),
    "th": ("cp874",), "vi": ("cp1258",),
    **{lang: ("cp1252",) for lang in ("en", "fr", "de", "es", "it", "pt", "nl", "ca", "da",
                                      "sv", "no", "nb", "nn", "fi", "is", "ga", "eu", "gl")},
}
_TLD_LANG = {
    "ru": "ru", "ua": "uk", "by": "be", "bg": "bg", "rs": "sr", "jp": "ja", "cn": "zh",
    "tw": "zh", "hk": "zh", "kr": "ko", "pl": "pl", "cz": "cs", "sk": "sk", "hu": "hu",
    "hr": "hr", "si": "sl", "ro": "ro", "gr": "el", "tr": "tr", "il": "he", "ir": "fa",
    "lt": "lt", "lv": "lv", "ee": "et", "th": "th", "vn": "vi",
    "fr": "fr", "de": "de", "at": "de", "es": "es", "it": "it", "pt": "pt", "br": "pt",
    "nl": "nl", "dk": "da", "se": "sv", "no": "no", "fi": "fi", "is": "is",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I | re.S
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.:-]+)""", re.I)
_HTML_LANG = re.compile(rb"""<html[^>]{0,400}?\blang\s*=\s*["']?([A-Za-z]{2,3})""", re.I | re.S)
# Whole tokens that contain non-ASCII letters: cutting words up makes clean text look odd.
_NON_ASCII_TOKEN = re.compile(r"[^\s<>\"'=]*[^\x00-\x7f][^\s<>\"'=]*")


def _c1_fallback(err: UnicodeError) -> tuple[str, int]:
    """cp1252 leaves five bytes undefined; browsers map them to C1 controls, so do we."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return "".join(chr(b) for b in bad), err.end


codecs.register_error("pagewash-c1", _c1_fallback)


@dataclass(frozen=True, slots=True)
class DecodedPage:
    """Decoded text, the codec used and which evidence chose it (for the record/tests)."""

    text: str
    encoding: str  # the codec; "utf-8 (N invalid bytes replaced)" when N were
    how: str  # "bom", "header", "meta", "utf-8", "utf-16" (its NULs), "detected"
    declared: str | None = None  # the label the page or headers gave, when it was overruled
    replaced: int = 0  # invalid bytes of otherwise-UTF-8 bytes, shown as U+FFFD in text


def canonical_codec(label: str | bytes | None) -> str | None:
    """A Python codec for an HTML charset label, widened to its WHATWG superset."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().strip("\"'").lower()
    if label in ("x-user-defined",):
        return "cp1252"
    if label in ("x-sjis", "sjis", "ms_kanji", "windows-31j"):
        return "cp932"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    """The charset label of a ``Content-Type`` header (any key case), if any."""
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == "content-type" and isinstance(value, str):
            m = _HEADER_CHARSET.search(value.encode("latin-1", "ignore"))
            if m:
                return m.group(1).decode("ascii", "ignore")
    return None


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (meta tag or XML declaration)."""
    head = data[:PRESCAN_BYTES]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def bom_codec(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def mess(text: str) -> float:
    """How much ``text`` reads like mojibake (0 clean .. 1+ garbage), on its non-ASCII words.

    Only whole words with non-ASCII characters are measured: markup and English around
    them are noise to the detector and cost time.
    """
    from charset_normalizer.md import mess_ratio

    parts: list[str] = []
    size = 0
    for m in _NON_ASCII_TOKEN.finditer(text):
        piece = m.group()
        parts.append(piece)
        size += len(piece) + 1
        if size >= MESS_SAMPLE_CHARS:
            break
    if not parts:
        return 0.0
    return float(mess_ratio(" ".join(parts), maximum_threshold=1.0))


def _try(data: bytes, codec: str) -> str | None:
    """Decode ``data`` with ``codec``; a handful of bad bytes is tolerated as U+FFFD."""
    errors = "pagewash-c1" if codec == "cp1252" else "strict"
    try:
        return data.decode(codec, errors)
    except UnicodeDecodeError:
        pass
    except LookupError:
        return None
    text = data.decode(codec, "replace")
    bad = text.count("\ufffd") - data.decode(codec, "ignore").count("\ufffd")
    if bad <= max(2, MAX_BAD_BYTE_RATIO * len(data)):
        return text
    return None


def _non_ascii(text: str) -> int:
    return sum(len(m) for m in _NON_ASCII_TOKEN.findall(text[:200_000]))


def _utf8_page(ev: Utf8Evidence, how: str, declared: str | None = None) -> DecodedPage:
    return DecodedPage(ev.text, ev.label, how, declared, replaced=ev.bad_bytes)


def _hint_language(data: bytes, url: str | None) -> str | None:
    m = _HTML_LANG.search(data[:PRESCAN_BYTES])
    if m:
        return m.group(1).decode("ascii").lower()
    if url:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        return _TLD_LANG.get(host.rsplit(".", 1)[-1])
    return None


def detect(data: bytes, url: str | None = None) -> tuple[str, str, float]:
    """(text, codec, mess) of the least messy legacy decoding; language hints go first.

    Scores within :data:`MESS_MARGIN` of the best are ties, won by the likelier codec:
    the mess detector cannot tell French in cp1252 from French in Latin-2 (both read as
    letters), but a French page in Latin-2 is far rarer. An encoding of the language the
    page declares wins from further (:data:`HINT_MARGIN`).
    """
    lang = _hint_language(data, url)
    order = list(_LANG_HINTS.get(lang or "", ()))
    order += [c for c in _DETECT_ORDER if c not in order]
    found: list[tuple[str, str, float]] = []
    for codec in order:
        text = _try(data, codec)
        if text is None:
            continue
        score = mess(text)
        found.append((text, codec, score))
        if score == 0.0:
            break  # nothing can beat clean text, and earlier codecs are likelier
    if not found:  # cp1252 with the C1 fallback decodes anything
        return data.decode("latin-1"), "latin-1", 1.0
    lowest = min(score for _, _, score in found)
    hinted = _LANG_HINTS.get(lang or "", ())
    return next((f for f in found if f[1] in hinted and f[2] <= lowest + HINT_MARGIN),
                next(f for f in found if f[2] <= lowest + MESS_MARGIN))


def decode_page(
    data: bytes,
    source: str,
    headers: Mapping[str, str] | None = None,
    url: str | None = None,
) -> DecodedPage:
    """Decode one page; raise :class:`DecodeError` (``undecodable``) for non-text bytes."""
    bom = bom_codec(data)
    if bom == "utf-8":
        body = data[len(codecs.BOM_UTF8) :]
        ev = utf8_evidence(body)
        if ev.fits(declared=True) or _try(body, bom) is not None:
            return _utf8_page(ev, "bom")
    elif bom:
        text = _try(data[len(_bom_of(data)) :], bom)
        if text is not None:
            return DecodedPage(text, bom.replace("-le", "").replace("-be", ""), "bom")
    elif wide := utf16_markup(data):
        # UTF-16 without a BOM, known by the NUL beside each byte of its ASCII markup
        text = _try(data[: len(data) // 2 * 2], wide)
        if text is not None:
            return DecodedPage(text, wide, "utf-16")
    labels = [
        (how, label, codec)
        for how, label in (("header", header_charset(headers)), ("meta", meta_charset(data)))
        if (codec := canonical_codec(label)) is not None
    ]
    says_utf8 = any(codec == "utf-8" for _, _, codec in labels)
    utf8: Utf8Evidence | None = None  # computed once, when first needed
    overruled: str | None = None
    for how, label, codec in labels:
        if utf8 is None:
            utf8 = utf8_evidence(data)
        if codec == "utf-8":
            if utf8.fits(declared=True):
                return _utf8_page(utf8, how)
            overruled = overruled or label
            continue
        if not data.isascii() and utf8.fits(declared=says_utf8):
            # Multi-byte UTF-8 (all valid, or all but a few stray bytes) under a legacy
            # label: the label is wrong.
            return _utf8_page(utf8, "utf-8", declared=label)
        text = _try(data, codec)
        if text is None:
            overruled = overruled or label
            continue
        score = mess(text)
        if score < MESS_SUSPICIOUS or _non_ascii(text) < MIN_EVIDENCE_CHARS:
            return DecodedPage(text, codec, how)
        found, found_codec, found_score = detect(data, url)
        if found_score + LABEL_MARGIN < score:
            return DecodedPage(found, found_codec, "detected", declared=label)
        return DecodedPage(text, codec, how)
    if utf8 is None:
        utf8 = utf8_evidence(data)
    if utf8.fits():
        return _utf8_page(utf8, "utf-8", declared=overruled)
    text, codec, score = detect(data, url)
    if score >= MESS_UNDECODABLE:
        raise DecodeError(
            source,
            "undecodable",
            f"{source}: the page is not text in any encoding pagewash knows "
            f"(declared {overruled or 'nothing'}; best guess {codec} still reads as garbage)",
        )
    return DecodedPage(text, codec, "detected", declared=overruled)


def _bom_of(data: bytes) -> bytes:
    for bom, _ in _BOMS:
        if data.startswith(bom):
            return bom
    return b""
