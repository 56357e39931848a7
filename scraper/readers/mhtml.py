"""A page saved as one MHTML file ("Save as single file" in Chrome and Edge, ``.mhtml``
or ``.mht``): a MIME ``multipart/related`` message whose first HTML part is the page.

Read as HTML whole, the MIME headers, the quoted-printable soft line breaks ("th= e
river") and ``=3D`` escapes went into the record as if they were the article's text.
The page part is taken out here, decoded from its transfer encoding, with its charset
and its address (``Content-Location``, or the snapshot's), so the extractor sees what
the browser showed.
"""

from __future__ import annotations

import email.parser
import email.policy
import re
from dataclasses import dataclass, field

from scraper.errors import InputError
from scraper.readers.warc import HTML_TYPES

# The header block of a MIME message whose type is multipart/related: what the first
# bytes of an MHTML file are (From:/Subject:/Date: lines, then MIME-Version and the
# Content-Type, possibly folded over lines).
_HEADERS_END = re.compile(rb"\r?\n\r?\n")
_MULTIPART_RELATED = re.compile(rb"(?im)^content-type:\s*multipart/related\b")
_HEADER_LINE = re.compile(rb"^(?:[!-9;-~]+:|[ \t])")


@dataclass(frozen=True, slots=True)
class SavedPage:
    html: bytes
    url: str | None
    headers: dict[str, str] = field(default_factory=dict)


def is_mhtml(data: bytes) -> bool:
    """Does ``data`` open with the MIME headers of a ``multipart/related`` message?"""
    head = data[:16384].removeprefix(b"\xef\xbb\xbf")
    end = _HEADERS_END.search(head)
    if end is None:
        return False
    block = head[: end.start()]
    return bool(_MULTIPART_RELATED.search(block)) and all(
        _HEADER_LINE.match(line) for line in block.splitlines() if line)


def mhtml_page(data: bytes, source: str) -> SavedPage:
    """The page of an MHTML file: its first HTML part, decoded from quoted-printable or
    base64; raise ``not-html`` when the archive holds none."""
    message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(data)
    snapshot = message.get("Snapshot-Content-Location")
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() not in HTML_TYPES:
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        url = str(part.get("Content-Location") or snapshot or "").strip() or None
        charset = part.get_content_charset()
        headers = {"content-type": f"text/html; charset={charset}"} if charset else {}
        return SavedPage(payload, url, headers)
    raise InputError(source, "not-html",
                     f"{source}: an MHTML archive (a saved page) with no HTML part in it")
