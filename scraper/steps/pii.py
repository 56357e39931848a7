"""Redact e-mail addresses and public IP addresses from corpus text (``--redact-pii``).

A language model trained on a web corpus can repeat what it read, addresses included;
FineWeb (Penedo et al. 2024) and datatrove's ``PIIFormatter`` therefore replace e-mail
addresses and public IP addresses before release, and so does this step. It replaces
rather than drops: the sentence around an address is still good text.

- An e-mail address becomes ``email@example.com`` (a reserved domain, RFC 2606), so
  the text still reads as "write to email@example.com".
- An IPv4 or IPv6 address that is globally routable becomes ``192.0.2.1`` or
  ``2001:db8::1`` (documentation ranges, RFC 5737 and RFC 3849). Private, loopback and
  reserved ones (``10.0.0.1``, ``127.0.0.1``, ``192.168.1.1``) name nobody and are kept,
  as are multicast groups, network ranges (``8.8.8.0/24``, ``2001:4860::/32``) and
  numbers that only look like addresses ("Section 7.8.2.1", "openresty/1.9.7.1",
  "v4.1.1.1").

Names, street addresses and phone numbers are not touched: patterns for them take too
much ordinary text (a year range, an order number) to run without a model.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from scraper.document import Document
from scraper.pipeline import RunContext, Step
from scraper.record import sha256_hex

EMAIL_REPLACEMENT = "email@example.com"
IPV4_REPLACEMENT = "192.0.2.1"
IPV6_REPLACEMENT = "2001:db8::1"
REPLACEMENTS = (EMAIL_REPLACEMENT, IPV4_REPLACEMENT, IPV6_REPLACEMENT)

# local@domain.tld: the local part of letters, digits and . _ % + - ' = (not opening with
# a dot or a quote: 'me@example.org' in code is quoted);
# the domain of dot-separated labels and a TLD of letters (or punycode, xn--...). Not a
# full RFC 5322 address (quoted local parts, IP literals): those are rare in prose and
# common in false hits. "image@2x.png" is a retina image's file name, not an address.
_EMAIL = re.compile(
    r"(?<![\w.%+=-])(?<!\w')[\w%+=-][\w.%+'=-]*@(?!\d+(?:\.\d+)?x\.)"
    r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)(?![\w-])"
)
# Not after a word and "/" or "-" (openresty/1.9.7.1, python-3.11.2.1), but after "//"
# (a URL's host) or a digit and "/" (8.8.8.8/8.8.4.4); not before "/" and a prefix
# length (8.8.8.0/24, a network range).
_IPV4 = re.compile(r"(?<![\w.])(?<![^\W\d][/-])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)"
                   r"(?!/\d{1,2}(?!\d|\.\d))")
# A dotted number after one of these words is a section or version, not an address.
_NUMBERING = re.compile(r"(?:\b(?:section|sec|version|ver|v|release|chapter|clause|step|"
                        r"rule|figure|fig|table|article|part|item|no)\.?|§)\s*$", re.I)
# candidates only: at least three colons, or "::"; ipaddress decides. Not before "/" and
# a prefix length (2001:db8::/32, a network range).
_IPV6 = re.compile(r"(?<![\w:.])(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]*:){3})"
                   r"[0-9A-Fa-f:]{2,39}(?:\.\d{1,3}){0,3}(?![\w:]|\.\d|/\d)")


_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")  # all IPv6 unicast ever handed out


def _public(candidate: str, version: int) -> bool:
    try:
        address = (ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address)(
            candidate)
    except ValueError:
        return False
    if address.version == 6 and address not in _GLOBAL_UNICAST:
        return False  # "a::b" in C++ parses, and is_global calls it global
    return address.is_global and not address.is_multicast


class RedactPII(Step):
    """Replace e-mail and public IP addresses in the text, title, description, site
    name, authors and tags; counts ``emails``, ``ips`` and ``documents`` (documents with
    at least one replacement)."""

    name = "pii"

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            clean = _Counted()
            text = clean(doc.text)
            if clean.emails or clean.ips:
                # the id of a document without a URL stays the hash of what was read
                doc.meta.setdefault("input_hash", sha256_hex(doc.text))
                doc.text = text
            # A released record's other text fields leak as well as its text does ("Write
            # to john.doe@…" as a title). The URL is left: it is the record's identity
            # and provenance, and rewriting it would make a URL nobody can visit.
            doc.title = clean(doc.title)
            for key in ("description", "site_name"):
                if key in doc.meta:
                    doc.meta[key] = clean(doc.meta[key])
            for key in ("authors", "tags"):
                if isinstance(doc.meta.get(key), list):
                    doc.meta[key] = [clean(v) for v in doc.meta[key]]
            if clean.emails or clean.ips:
                self.stats["emails"] += clean.emails
                self.stats["ips"] += clean.ips
                self.stats["documents"] += 1
            yield doc


class _Counted:
    """:func:`redact` over one document's fields, adding up what it replaced; values
    that are not strings pass through."""

    def __init__(self) -> None:
        self.emails = self.ips = 0

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text, emails, ips = redact(value)
        self.emails += emails
        self.ips += ips
        return text


def has_pii(text: str) -> bool:
    """Whether :class:`RedactPII` would replace anything in ``text`` (a record written by
    a ``--redact-pii`` run never has: ``corpus --resume`` tells the settings apart so)."""
    _, emails, ips = redact(text)
    return bool(emails or ips)


def redact(text: str) -> tuple[str, int, int]:
    """``text`` with addresses replaced, and how many e-mail and IP addresses were."""
    counts = [0, 0]

    def email(match: re.Match[str]) -> str:
        if match.group() == EMAIL_REPLACEMENT:
            return EMAIL_REPLACEMENT
        counts[0] += 1
        return EMAIL_REPLACEMENT

    def ip(replacement: str, version: int) -> Callable[[re.Match[str]], str]:
        def sub(match: re.Match[str]) -> str:
            start = match.start()
            if not _public(match.group(), version) or _NUMBERING.search(
                    match.string, max(0, start - 12), start):
                return match.group()
            counts[1] += 1
            return replacement
        return sub

    if "@" in text:
        text = _EMAIL.sub(email, text)
    if "." in text:
        text = _IPV4.sub(ip(IPV4_REPLACEMENT, 4), text)
    if ":" in text:
        text = _IPV6.sub(ip(IPV6_REPLACEMENT, 6), text)
    return text, counts[0], counts[1]
