"""One spelling per URL, shared by every command: the crawl's frontier keys, record ids
and ``site``.

Two spellings of one page must be one page, or the crawl fetches and writes it twice
and ``clean``, ``extract`` and ``crawl`` give its record three ids: scheme and host are
lower-cased (IDNA for non-ASCII hosts), default ports and fragments dropped, dot
segments resolved, percent-escapes in the path given one spelling, and an empty path
becomes ``/``. From the query only the parameters of :data:`DROPPED_QUERY_PARAMS` are
dropped (trackers, cache busters, session ids), and the rest is sorted.

But two pages must never be one: a parameter kept needlessly costs one more fetch of a
page (and canonical dedup writes it once), a parameter dropped wrongly loses a page for
good, and gives another page's record its id. So the list names only parameters known
never to select content; courlan's tracker pattern, used before, also matched ``cid``,
``eid``, ``uid``, ``ref``, ``session``, ``keyword``, ``campaign``, ``source`` and any
name merely starting with ``ga``, ``gl``, ``aff``, ``ref``... (``gallery``, ``global``,
``reference``), and dropped query pieces without a value (``showthread.php?123-title``).
"""

from __future__ import annotations

import posixpath
import re
from typing import Literal
from urllib.parse import quote, quote_plus, unquote_plus, urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SPACE = re.compile(r"[\t\n\r]")

#: Query parameters dropped from every URL; all others are kept. Names are compared
#: lower-cased; one ending in ``*`` names every parameter starting with what precedes it.
#: ``"any"``: dropped whatever its value; ``"unix-time"``: only when its value is a Unix
#: time (seconds from 2001 to 2128, 10 digits and maybe a fraction, or milliseconds, 13
#: digits), since the same names select content elsewhere (``watch?v=<video id>``,
#: ``viewtopic.php?t=<topic>``, ``?version=2`` of a document); ``"session-hash"``: only
#: when its value is a 32-digit hexadecimal session hash.
#:
#: Kept on purpose, as they select content on some sites: ``id``, ``p``, ``page``, ``q``,
#: ``s`` (WordPress' search), ``cid``/``eid``/``uid`` (category, event, user: ``list.php
#: ?cid=2``), ``ref`` (GitLab's and GitHub's branch or tag: ``?ref=v1.0``), ``keyword``
#: and ``kwd`` (a search), ``campaign`` (a fundraising site's campaign page), ``session``
#: and ``sessionid`` (a conference programme's session), ``source`` (``?source=<file>``
#: of a code viewer), ``aff``/``affiliate``, ``partnerid``, ``ad_id`` (a classifieds
#: listing), ``gallery``, ``lang``, ``v``/``t``/``version`` with other values. Such a
#: parameter used as a tracker costs one fetch more; canonical dedup writes its page once.
DROPPED_QUERY_PARAMS: dict[str, Literal["any", "unix-time", "session-hash"]] = {
    # Campaign tags: analytics scripts read them from the address bar to credit a visit
    # to a campaign; the server rendering the page does not look at them. Whole families
    # by their vendors' definitions: Google Analytics (utm_source, utm_medium, utm_id,
    # ...), Matomo and its former name Piwik (pk_campaign, pk_kwd, pk_cid, pk_vid;
    # mtm_*, matomo_*, piwik_*), HubSpot ads (hsa_acc, hsa_cam, ...).
    "utm_*": "any", "pk_*": "any", "piwik_*": "any", "mtm_*": "any", "matomo_*": "any",
    "hsa_*": "any",
    # Ad click ids: one per click on an ad, so each visit from an ad is a new URL.
    "gclid": "any", "gclsrc": "any", "dclid": "any", "gbraid": "any", "wbraid": "any",
    "gad_source": "any", "gad_campaignid": "any",  # Google Ads
    "_ga": "any", "_gl": "any",  # Google Analytics' cross-domain linker
    "fbclid": "any",  # Facebook
    "msclkid": "any",  # Microsoft Advertising
    "yclid": "any", "ysclid": "any", "_openstat": "any",  # Yandex
    "twclid": "any",  # X (Twitter) ads
    "ttclid": "any",  # TikTok ads
    "li_fat_id": "any",  # LinkedIn ads
    "epik": "any",  # Pinterest
    "sccid": "any",  # Snapchat
    "rdt_cid": "any",  # Reddit
    "s_kwcid": "any", "ef_id": "any",  # Adobe Advertising
    "irclickid": "any", "irgwc": "any",  # Impact affiliate clicks
    "clickid": "any",  # affiliate trackers' click id
    "srsltid": "any",  # Google Merchant Center listings
    # Share and referral tags: who shared the link, or which widget it came from.
    "igshid": "any", "igsh": "any",  # Instagram
    "ref_src": "any",  # X (Twitter) embeds: ref_src=twsrc^tfw
    "fb_action_ids": "any", "fb_action_types": "any", "fb_source": "any", "fb_ref": "any",
    "xtor": "any",  # AT Internet
    # Newsletter and CRM tags: which mailing, which subscriber.
    "mc_cid": "any", "mc_eid": "any",  # Mailchimp
    "_hsenc": "any", "_hsmi": "any", "__hstc": "any", "__hssc": "any",  # HubSpot
    "__hsfp": "any", "hsctatracking": "any",
    "mkt_tok": "any",  # Marketo
    "_kx": "any",  # Klaviyo
    "ck_subscriber_id": "any",  # ConvertKit
    "ml_subscriber": "any", "ml_subscriber_hash": "any",  # MailerLite
    "oly_anon_id": "any", "oly_enc_id": "any",  # Omeda
    "vero_id": "any", "vero_conv": "any",  # Vero
    "_bta_tid": "any", "_bta_c": "any",  # Bronto
    "dm_i": "any",  # dotdigital
    # Session ids a server puts in its links for a client that sent no session cookie
    # (the crawler, on its first requests to a site in each run: cookies last a run):
    # each run has new ones, so every page linked would be found anew. Only names no
    # site uses for anything else: the default session names of Java servlets
    # (``;jsessionid=`` in the path is dropped too), PHP, osCommerce and Zen Cart.
    # ``sid`` and ``s`` only with a session hash as their value (phpBB's ``sid``,
    # vBulletin's ``s``, 32 hex digits): the same names hold story ids (PHP-Nuke
    # ``article&sid=1234``, Slash ``article.pl?sid=05/01/01/1234``), survey ids and
    # WordPress' search terms. courlan kept ``sid`` (its pattern has no such name) and
    # dropped every name starting with ``session``; ``session`` and ``sessionid`` are
    # kept here (see above).
    "jsessionid": "any", "phpsessid": "any", "oscsid": "any", "zenid": "any",
    "sid": "session-hash", "s": "session-hash",
    # Cache busters: a value made new for each request so that no cache (the browser's,
    # a proxy's, a CDN's) answers with a stored copy. The server ignores it by design:
    # it exists to reach the same resource.
    "_": "any",  # jQuery's $.ajax({cache: false}): "_=<ms timestamp>"
    "_dc": "any",  # Ext JS disableCaching: "_dc=<ms timestamp>"
    "cb": "any", "cachebust": "any", "cachebuster": "any", "cache_buster": "any",
    "nocache": "any", "no_cache": "any", "rnd": "any", "rand": "any",
    # Time stamps: a sitemap generator or template stamping each URL with the time it
    # wrote it ("?v=1733000000"); with a Unix time as its value, no site selects content.
    # (A query piece with no "=" that is a Unix time, "page.html?1733000000", likewise.)
    "v": "unix-time", "ver": "unix-time", "version": "unix-time", "t": "unix-time",
    "_t": "unix-time", "ts": "unix-time", "_ts": "unix-time", "time": "unix-time",
    "timestamp": "unix-time", "tstamp": "unix-time",
}

#: The version of the spelling :func:`normalize_url` gives links; raise it when a change
#: keeps apart links it used to merge. A crawl state keyed by an older one has the pages
#: a merge lost only where a page read since links to them, so the crawl reads each
#: page for its links once more in full (no 304, no "same bytes"), when it falls due.
#: 2: query parameters are dropped by :data:`DROPPED_QUERY_PARAMS` only (courlan's
#: tracker pattern, before, merged ``?cid=1`` and ``?cid=2``).
URL_RULES = 2

_EXACT = {k: r for k, r in DROPPED_QUERY_PARAMS.items() if not k.endswith("*")}
_PREFIXES = tuple((k[:-1], r) for k, r in DROPPED_QUERY_PARAMS.items() if k.endswith("*"))
# A Unix time from 2001 to 2128 in seconds (10 digits) or milliseconds (13).
_UNIX_TIME = re.compile(r"(?:[1-4]\d{9}(?:\.\d+)?|[1-4]\d{12})")
_SESSION_HASH = re.compile(r"[0-9A-Fa-f]{32}")
# A Java servlet's session id as a path parameter: "/item.do;jsessionid=1A2B?id=5".
_PATH_SESSION = re.compile(r";jsessionid=[^/;]*", re.IGNORECASE)


def _dropped(name: str, value: str) -> bool:
    """Whether the (decoded) parameter ``name=value`` is one :data:`DROPPED_QUERY_PARAMS`
    drops."""
    key = name.strip().lower()
    rule = _EXACT.get(key)
    if rule is None:
        rule = next((r for prefix, r in _PREFIXES if key.startswith(prefix)), None)
    if rule is None:
        return False
    value = value.strip()
    if rule == "unix-time":
        return _UNIX_TIME.fullmatch(value) is not None
    if rule == "session-hash":
        return _SESSION_HASH.fullmatch(value) is not None
    return True


def _unescape(part: str) -> str:
    # Bytes that are no UTF-8 (a Latin-1 site's "?q=caf%E9") come back as they were
    # (surrogateescape), not as U+FFFD: two searches must not become one.
    return unquote_plus(part, errors="surrogateescape")


def _clean_query(query: str) -> str:
    """The query without its dropped parameters, in one order: pieces without ``=`` first
    as they came (a router's path, ``index.php?/archives/12``, or vBulletin's
    ``showthread.php?123-title``: what such a server reads first), then ``name=value``
    pairs sorted by name (values of one name in their order), form-encoded. That
    encoding is the one pagewash wrote crawl states and record ids in before (courlan's
    ``clean_query``), so a URL it wrote is still spelled the same."""
    flags: list[str] = []
    pairs: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        if "=" not in piece:
            flag = _unescape(piece)
            if not (_dropped(flag, "") or _UNIX_TIME.fullmatch(flag.strip())):
                flags.append(_normalize_escapes(piece, _QUERY_SAFE))
            continue
        name, _, value = piece.partition("=")
        name, value = _unescape(name), _unescape(value)
        if not _dropped(name, value):
            pairs.append((name, value))
    pairs.sort(key=lambda p: p[0])
    return "&".join(flags + [quote_plus(n, errors="surrogateescape") + "="
                             + quote_plus(v, errors="surrogateescape") for n, v in pairs])


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# What a path may hold as it is (RFC 3986 pchar and "/"); "%" keeps existing escapes.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
# What a query piece without "=" may hold as it is ("&" and "=" cannot be in one).
_QUERY_SAFE = _PATH_SAFE + "?"


def _normalize_escapes(path: str, safe: str = _PATH_SAFE) -> str:
    """One spelling per path (RFC 3986, 6.2.2): escapes of unreserved characters decoded
    (``%7Ejo`` -> ``~jo``), other escapes upper-cased, and characters a path may not
    hold as they are (a space, ``€``) escaped as UTF-8, as a browser sends them."""
    if "%" in path:
        path = _ESCAPE.sub(_one_escape, path)
    return quote(path, safe=safe)


def _one_escape(m: re.Match[str]) -> str:
    char = chr(int(m.group(1), 16))
    return char if char in _UNRESERVED else "%" + m.group(1).upper()


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    trailing = path.endswith(("/", "/.", "/.."))
    norm = posixpath.normpath(path)
    if norm.startswith("//"):
        norm = "/" + norm.lstrip("/")
    if norm == ".":
        norm = "/"
    if trailing and not norm.endswith("/"):
        norm += "/"
    return norm


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical spelling of ``url`` (resolved against ``base``), or None when it is
    not an http(s) URL with a host."""
    url = _SPACE.sub("", url.strip())
    if not url:
        return None
    try:
        if base is not None:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return None
        host = (parts.hostname or "").rstrip(".")
        if not host:
            return None
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
        host = host.lower()
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        port = parts.port
    except (ValueError, UnicodeError):
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username or parts.password:
        return None  # credentials in links are never followed
    path = _PATH_SESSION.sub("", parts.path) or "/"
    path = _remove_dot_segments(_normalize_escapes(path))
    query = _clean_query(parts.query) if parts.query else ""
    return urlunsplit((scheme, netloc, path, query, ""))
