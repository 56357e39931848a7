"""Error, log-in, bot-check and "enable JavaScript" pages: flagged, not passed as articles.

A crawl or a saved corpus meets pages that stand where an article should be: "Your
session has expired. Please log in again.", "403 Forbidden", "Page not found", "Please
enable JavaScript", "Checking your browser before accessing…". The text rules remove
such a line where they know it, but what they did not know came out as a record of one
line ("nginx" under a "403 Forbidden" headline, "The page you requested does not
exist."), counted as an article. Such a page now comes out as the extractor's other
pages of no content do: empty text (flagged ``empty``), here with the flag
:data:`ERROR_PAGE_FLAG`, and its text listed among the removals under
``error_page.<kind>``.

A page is one when its main text is short (at most :data:`MAX_WORDS` words) and

* its phrases (``[error_page]`` in ``cleaners/vocab/<lang>.toml``, every language at
  once: such pages are too short to tell their language) cover most of that text, or of
  what the page shows when nothing of it was kept; or
* its headline (the title, or the first ``<h1>``), or a part of it between separators
  ("Page not found | Example News"), is such a phrase; or
* the server answered with an error status (4xx, 5xx), where the input says so.

A real article that mentions "page not found" or "access denied" is long, or the
phrase is a small part of its text, and stays an article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from cleaners.normalize import fold_text
from cleaners.patterns import HAS_CJK, word_tally
from cleaners.vocab import alternation, phrase_table

# The record flag of such a page, and the removal rule its text goes under (with the kind).
ERROR_PAGE_FLAG = "error-page"
ERROR_PAGE_RULE = "error_page"
# A longer text is an article, whatever it says: error pages say what they have to in a
# sentence or three. (A shorter brief that mentions an error is told apart by the cover.)
MAX_WORDS = 50
_HEAD_CHARS = 2_000  # far more than MAX_WORDS words take, but in unbroken strings
# The share of the text's letters and digits the phrases must cover.
COVER = 0.5
# Words around the message ("Oops", "Go to the home page"): they count toward the cover,
# and never name a page by themselves.
FILLER = "filler"
# A title's parts: "404 - Page not found | Example News".
_TITLE_PARTS = re.compile(r"\s+[|\-\u2013\u2014\u00b7\u00bb/]+\s+|\s*::\s*")
_STATUS_KINDS = {401: "login", 403: "forbidden", 404: "not_found", 410: "not_found",
                 429: "bot_check", 451: "forbidden"}


@cache
def _phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    """All languages' phrases as one pattern, and the kind each phrase names.

    Phrases are found at word boundaries, except those in Han or kana: with no spaces
    between words, "页面不存在" stands inside "404页面不存在" and "您访问的页面不存在" with
    no boundary around it (the cleaner's ``contains`` phrases are found so too)."""
    kinds: dict[str, str] = {}
    for kind, phrases in phrase_table(ERROR_PAGE_RULE).items():
        for phrase in phrases:
            if kinds.get(phrase, FILLER) == FILLER:  # a kind wins over filler
                kinds[phrase] = kind
    spaced: list[str] = []
    unspaced: list[str] = []
    for phrase in kinds:
        (unspaced if HAS_CJK.search(phrase) else spaced).append(phrase)
    pattern = rf"(?<!\w)(?:{alternation(spaced)})(?!\w)"
    if unspaced:
        pattern += f"|{alternation(unspaced)}"
    return re.compile(pattern), kinds


def phrase_kind(text: str) -> str | None:
    """The kind of page whose phrases cover at least :data:`COVER` of ``text`` (with the
    filler around them), the kind covering most when several do; else None."""
    key = " ".join(fold_text(text).split())
    total = sum(c.isalnum() for c in key)
    if not total:
        return None
    pattern, kinds = _phrases()
    covered = 0
    by_kind: dict[str, int] = {}
    for m in pattern.finditer(key):
        size = sum(c.isalnum() for c in m.group())
        covered += size
        kind = kinds[m.group()]
        if kind != FILLER:
            by_kind[kind] = by_kind.get(kind, 0) + size
    if not by_kind or covered < COVER * total:
        return None
    return max(by_kind, key=by_kind.__getitem__)


def headline_kind(headline: str) -> str | None:
    """The kind a headline, or a part of it between separators, names."""
    for part in _TITLE_PARTS.split(headline):
        kind = phrase_kind(part)
        if kind is not None:
            return kind
    return None


def status_kind(status: int | None) -> str | None:
    """The kind an HTTP status names (None for a success or no status)."""
    if status is None or status < 400:
        return None
    return _STATUS_KINDS.get(status) or ("server_error" if status >= 500 else "http_error")


def error_page_kind(
    text: str,
    headlines: Iterable[str | None],
    shown: Iterable[str],
    status: int | None = None,
) -> str | None:
    """The kind of error page (``not_found``, ``forbidden``, ``login``, ``javascript``,
    ``bot_check``, ``server_error``, ``http_error``) a page of main text ``text`` is, or
    None when it is no such page.

    ``headlines``: the page's title and first ``<h1>``; ``shown``: the lines the page
    shows, read when ``text`` is empty; ``status``: the HTTP status, when known.
    """
    if _too_long(text):
        return None
    body = text if text.strip() else "\n".join(_head(shown))
    if _too_long(body):
        body = ""
    kind = phrase_kind(body) if body else None
    if kind is None:
        kind = next((k for h in headlines if h and (k := headline_kind(h)) is not None),
                    None)
    return kind or status_kind(status)


def _head(lines: Iterable[str]) -> Iterable[str]:
    """The first lines, up to a little past :data:`MAX_WORDS` words (a page's blocks may
    be thousands)."""
    words = 0
    for line in lines:
        yield line
        words += len(line.split())
        if words > MAX_WORDS:
            return


def _too_long(text: str) -> bool:
    """Whether ``text`` has more than :data:`MAX_WORDS` words, read no further than it
    takes to tell on every page's text (counting a long article's words whole cost 3 ms)."""
    head = text[:_HEAD_CHARS]
    return word_tally(head)[0] > MAX_WORDS or (
        len(text) > len(head) and word_tally(text)[0] > MAX_WORDS)
