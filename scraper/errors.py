"""Exception hierarchy.

Every error pagewash raises on behalf of an input item carries the item's location
(file, line, WARC offset or URL) so that a reject can be written without the caller
having to remember where the item came from.
"""

from __future__ import annotations

import re


class PagewashError(Exception):
    """Base class of every error pagewash raises on purpose."""


class ConfigError(PagewashError):
    """Bad command-line options or configuration files: the run cannot start."""


class UsageError(ConfigError):
    """Something the command line must say is missing (no seeds, no output): exit
    status 2, as for any wrong command line, where a bad value is 1."""


class InputError(PagewashError):
    """One input item (file, line, record, page) cannot be used.

    The run goes on; the item is counted and written to the rejects file with
    ``reason`` (a short machine-friendly code) and ``message`` (for people).
    """

    def __init__(self, source: str, reason: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = reason
        self.message = message


class DecodeError(InputError):
    """Bytes that are not text in any encoding we can trust (binary files, bad UTF-8)."""


class TooLargeError(InputError):
    """An item over a configured size limit; refused rather than exhausting memory."""


class OutputError(PagewashError):
    """The output cannot be written (disk full, permissions): the run must stop."""


class WorkerError(PagewashError):
    """The worker processes cannot be started, or keep dying while they start (a broken
    install, no memory): the run must stop; ``--workers 1`` shows the underlying error."""


# -- fetching and crawling (issue 4) -----------------------------------------------------
#
# A fetch error is an input error whose ``source`` is the URL: the crawl turns it into a
# reject line and a state entry, and goes on with the next URL. ``retryable`` tells the
# crawl whether the URL may succeed on a later run (timeouts, 5xx) or will not (404).


class FetchError(InputError):
    """A URL could not be fetched or used; ``url`` is the URL as requested."""

    retryable = False

    def __init__(self, url: str, reason: str, message: str) -> None:
        super().__init__(url, reason, message)
        self.url = url


class FetchStopped(PagewashError):
    """The run is stopping (Ctrl-C, a signal, ``--max-time``): the request that waited
    for its turn at the host was not sent, and its URL stays due for the next run."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{url}: not fetched, the run is stopping")
        self.url = url


class InvalidURLError(FetchError):
    """Not an http(s) URL we can request (other scheme, no host, unparsable)."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(url, "bad-url", message)


class BlockedAddressError(FetchError):
    """The URL's host is or resolves to a loopback/private/link-local/multicast address.

    Raised before any packet is sent to that address: a crawled page must not make
    pagewash reach a cloud metadata endpoint or an intranet.
    """

    def __init__(self, url: str, address: str, why: str, via: str = "") -> None:
        super().__init__(url, "blocked-address", f"refused: {address} is {why}{via} "
                         "(use --allow-private to crawl such addresses)")
        self.address = address
        self.why = why


class RobotsDisallowedError(FetchError):
    """robots.txt of the host does not allow our user agent to fetch the URL."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "robots-disallowed", "disallowed by robots.txt")


class HTTPStatusError(FetchError):
    """The server answered with an error status (after any retries)."""

    def __init__(self, url: str, status: int, message: str | None = None) -> None:
        super().__init__(url, f"http-{status}", message or f"HTTP status {status}")
        self.status = status
        self.retryable = status == 429 or status >= 500


class PartialContentError(HTTPStatusError):
    """A ``206 Partial Content`` answer to a request that asked for no range: the body
    is a slice of the page (a misbehaving cache or proxy), not a page to extract.
    Asked again (a cache's glitch may pass), as for a 5xx."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(url, 206, detail)
        self.reason = "partial-content"
        self.retryable = True


_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.I)


def partial_content_reason(content_range: str) -> str | None:
    """Why a ``206 Partial Content`` response with this ``Content-Range`` header (maybe
    empty) is no page, or None when its range is the whole entity (``bytes 0-9/10``).

    A 206 answers a ``Range`` request: a browser resuming a download, an archiving
    crawler fetching media in pieces, a cache. pagewash never sends one, so a 206 body
    (in a WARC, or fetched) is a fragment, and extracted as a page it gave a record of
    part of an article with nothing to say so. The WARC reader and the fetcher both
    refuse it with this message."""
    value = content_range.strip()
    m = _CONTENT_RANGE.fullmatch(value)
    if m and m.group(3) != "*" and int(m.group(1)) == 0 and int(m.group(2)) + 1 == int(m.group(3)):
        return None
    what = f"Content-Range {value}" if value else "no Content-Range"
    return (f"206 Partial Content ({what}): a fragment of the page, not the whole of it "
            "(pagewash never asks for byte ranges, so a part of a page is not extracted)")


class RetryLaterError(FetchError):
    """The server asked us to come back later (Retry-After) than a run should wait."""

    retryable = True

    def __init__(self, url: str, status: int, retry_after: float) -> None:
        super().__init__(url, f"http-{status}",
                         f"HTTP status {status}, Retry-After {retry_after:.0f}s: deferred")
        self.status = status
        self.retry_after = retry_after


class TransportError(FetchError):
    """Connection refused/reset, DNS failure, TLS or protocol error."""

    retryable = True

    def __init__(self, url: str, message: str, reason: str = "connect-error") -> None:
        super().__init__(url, reason, message)


class FetchTimeoutError(TransportError):
    """Connect, read or total time limit exceeded."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(url, message, reason="timeout")


class HostBackedOffError(FetchError):
    """The host failed too often recently; it is left alone until ``until`` (epoch s)."""

    retryable = True

    def __init__(self, url: str, host: str, until: float) -> None:
        super().__init__(url, "host-backed-off",
                         f"host {host} is backed off after repeated failures")
        self.host = host
        self.until = until


class RedirectError(FetchError):
    """Too many redirects, a redirect loop, or a redirect without a usable Location."""

    def __init__(self, url: str, reason: str, message: str) -> None:
        super().__init__(url, reason, message)


class ResponseTooLargeError(FetchError, TooLargeError):
    """The body (as sent, or once decompressed) is over the configured cap."""

    def __init__(self, url: str, message: str, reason: str = "too-large") -> None:
        FetchError.__init__(self, url, reason, message)


class DecompressionBombError(ResponseTooLargeError):
    """A compressed body that inflates past the cap: refused while decompressing."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(url, message, reason="decompression-bomb")


class ContentTypeError(FetchError):
    """The response is not a type this request can use (e.g. a PDF where HTML was wanted)."""

    def __init__(self, url: str, content_type: str, wanted: str) -> None:
        super().__init__(url, "content-type",
                         f"content type {content_type or '(none)'} is not {wanted}")
        self.content_type = content_type


class DiscoveryError(FetchError):
    """A feed or sitemap that cannot be parsed (malformed XML, entities, not a feed)."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(url, "bad-feed", message)


class LockedError(PagewashError):
    """Another live run holds a file this run would use (a state, an output): this run
    must not start. Exit status 75, so that cron or a timer may simply try later."""


class StateLockedError(LockedError):
    """Another run holds the state (crawl or corpus); this run must not start (cron
    overlap)."""

    def __init__(self, lock_path: str, holder: str = "") -> None:
        who = f" (held by {holder})" if holder else ""
        super().__init__(f"{lock_path}: another pagewash run is using this state{who}; "
                         "not starting")
        self.lock_path = lock_path
        self.holder = holder


class StateError(PagewashError):
    """The crawl state database cannot be opened or is not a pagewash crawl state."""


class OutputLockedError(LockedError):
    """Another run is writing a file this run would write (its output, rejects file,
    --explain-html page or --dropped list): two runs into one file interleave, replace
    each other's shards or lose records, so this one does not start."""

    def __init__(self, path: str, option: str, holder: str = "") -> None:
        what = {"-o": "this output", "--rejects": "this rejects file"}.get(
            option, f"this {option} file")
        who = f" (held by {holder})" if holder else ""
        hint = ("let it finish, or write this run elsewhere" if option == "-o"
                else f"let it finish, or give this run its own {option}")
        super().__init__(f"{path}: another pagewash run is writing {what}{who}; "
                         f"not starting: {hint}")
        self.path = path
        self.option = option
        self.holder = holder
