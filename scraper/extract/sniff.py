"""Is this a web page at all? Cheap checks before any parsing.

A crawler meets PDFs, images, JSON APIs and empty bodies behind ``.html`` URLs; a
directory of saved pages has the odd ``.htm`` that is really a PNG. Feeding those to
an HTML parser "works" -- it yields a record of garbage -- so they are refused here
with a reason code and a message that says what the bytes are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from scraper.errors import DecodeError, InputError, TooLargeError
from scraper.readers.base import human_size
from scraper.readers.decoding import bom_encoding, utf16_markup

DEFAULT_MAX_BYTES = 20 * 2**20

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"(\xb5/\xfd", "zstd-compressed data (decompress it first)"),
    (b"BZh", "bzip2-compressed data"),
    (b"\x00\x00\x00", "a binary file (MP4 video or similar)"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg media file"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"%!PS", "a PostScript document"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
_NOT_HTML_TYPES = (
    "application/pdf", "image/", "audio/", "video/", "application/json", "application/zip",
    "application/octet-stream", "font/", "application/javascript", "text/javascript",
    "text/css", "application/msword", "application/vnd.",
)
_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|main|section|span|a|"
    r"table|ul|ol|li|h[1-6]|br|img|script|link|style|form|header|footer|nav|pre)\b",
    re.I,
)
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def check_bytes(
    data: bytes,
    source: str,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> None:
    """Raise an :class:`InputError` when ``data`` cannot be a page worth parsing."""
    if len(data) > max_bytes:
        raise TooLargeError(
            source, "too-large",
            f"{source}: page is {human_size(len(data))}, over the {human_size(max_bytes)} limit "
            "(raise it with --max-bytes)",
        )
    if not data.strip():
        raise InputError(source, "empty", f"{source}: empty page (no bytes but whitespace)")
    ctype = _content_type(headers)
    if ctype and ctype.startswith(_NOT_HTML_TYPES):
        raise InputError(source, "not-html", f"{source}: not HTML (Content-Type {ctype})")
    if data.startswith(_BOMS) or utf16_markup(data):
        return  # text that says (or shows) its own encoding: NUL bytes are its characters
    head = data[:16].lstrip(b" \t\r\n")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputError(source, "not-html", f"{source}: not HTML but {what}")
    if b"\x00" in data[:8192]:
        raise DecodeError(source, "not-html", f"{source}: binary data (NUL bytes), not HTML")


def is_page_markup(data: bytes) -> bool:
    """Whether ``data`` is a web page's markup (or a page saved as one MHTML file):
    what ``pagewash clean`` asks of a file named ``.html``, which it would otherwise
    clean as a text dump, tags and all. Tags are ASCII, so the head is read as Latin-1
    whatever the page's charset (UTF-16 by its BOM or its NUL bytes)."""
    from scraper.readers.mhtml import is_mhtml

    if is_mhtml(data):
        return True
    head = data[:65536]
    wide = bom_encoding(head) or utf16_markup(head)
    if wide and wide.startswith(("utf-16", "utf-32")):
        text = head.decode(wide, "ignore")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    text = text.lstrip("\ufeff \t\r\n")
    return bool(_TAG.search(text)) and not _FEED_ROOT.match(_skip_prolog(text))


def check_markup(text: str, source: str) -> None:
    """Raise ``not-html`` for decoded text that has no HTML in it (JSON, feeds, prose)."""
    head = text[:65536].lstrip("\ufeff \t\r\n")
    if not head:
        raise InputError(source, "empty", f"{source}: empty page (no text)")
    if head[0] in "{[" and not _TAG.search(head[:4096]):
        raise InputError(source, "not-html", f"{source}: not HTML but JSON data")
    if _FEED_ROOT.match(_skip_prolog(head)):
        raise InputError(source, "not-html", f"{source}: not a web page but an RSS/Atom feed")
    if not _TAG.search(head):
        raise InputError(
            source, "not-html",
            f"{source}: no HTML markup in the page (plain text? use `pagewash clean` for text)",
        )


def _content_type(headers: Mapping[str, str] | None) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == "content-type" and isinstance(value, str):
            return value.split(";", 1)[0].strip().lower() or None
    return None


def _skip_prolog(text: str) -> str:
    """``text`` after an XML declaration, doctype and comments (no regex backtracking)."""
    pos = 0
    for _ in range(50):
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos) or text.startswith("<!D", pos) or text.startswith("<!d", pos):
            end = text.find(">", pos)
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            end = end + 2 if end >= 0 else -1
        else:
            break
        if end < 0:
            break
        pos = end + 1
    return text[pos : pos + 200]


# Elements nested deeper than this are unwrapped before parsing. The HTML parser takes
# time in proportion to depth for each element (a page of 20,000 nested <div>s took 2.7 s
# to extract, one of 200,000 took 12 minutes), so one broken or hostile page could hold
# a crawler or an extraction worker for minutes. Browsers cap depth too (Chrome at 512,
# by re-parenting); on the 1,497 WCXB pages the deepest nesting, counting unclosed tags,
# is 835.
MAX_DEPTH = 10_000
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})


def bound_depth(text: str, limit: int = MAX_DEPTH) -> tuple[str, int]:
    """``text`` with the tags that would nest deeper than ``limit`` dropped (their text
    stays, as in the element around them), and how many tags were dropped.

    Depth is counted from the tags as written: an unclosed tag counts as open for good,
    so the count can only overstate the parser's depth. A page with no more ``<`` than
    ``limit`` cannot nest deeper and is returned as it is without a scan.
    """
    if text.count("<") <= limit:
        return text, 0
    depth = 0
    dropped: dict[str, int] = {}
    cuts: list[tuple[int, int]] = []
    for m in _ANY_TAG.finditer(text):
        name = m.group(2).lower()
        if name in _VOID or m.group(0).endswith("/>"):
            continue
        if m.group(1):  # a closing tag: it closes a dropped one first
            if dropped.get(name):
                dropped[name] -= 1
                cuts.append(m.span())
            elif depth:
                depth -= 1
        elif depth >= limit:
            dropped[name] = dropped.get(name, 0) + 1
            cuts.append(m.span())
        else:
            depth += 1
    if not cuts:
        return text, 0
    pieces, at = [], 0
    for start, end in cuts:
        pieces.append(text[at:start])
        at = end
    pieces.append(text[at:])
    return "".join(pieces), len(cuts)
