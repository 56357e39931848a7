"""Finding the headline of a dump, so that it goes to ``title`` and not into the text.

Candidates are headline-shaped blocks in the upper part of the page. Each gets features
(shape, position, what follows it: prose, a dateline, a byline; what precedes it: menus,
a category label) and a small logistic scorer, trained on WCXB titles
(``bench/train_title_model.py``), picks the best; below its threshold there is no title.

Where the scorer is unsure, one layout is still taken: the classic dump opening -- a
headline as the first thing left (under at most a few short labels), with a dateline
or counter removed right under it or prose straight after. The scorer must still give
it some credit (a quarter of its threshold), so a short first paragraph is not taken.

The evidence includes chrome around the candidate, which is what keeps the step
idempotent: text that is already clean has no chrome left to vouch for a second headline.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from functools import cache
from importlib import resources
from itertools import compress
from typing import Any

import numpy as np

from cleaners.blocks import Block, BlockDoc
from cleaners.normalize import after_folded_prefix, fold
from cleaners.patterns import HAS_CJK
from cleaners.rules.base import UNDER_HEADLINE, is_header_line
from cleaners.shape import ends_sentence, is_caseless_letter, is_headline_like, is_prose
from cleaners.urls import url_words
from cleaners.vocab import Vocab

# Where the headline is looked for: the first 85% of the blocks, the first 150 short
# blocks there. A shop's or a portal's menu runs to hundreds of lines, and with 60 and
# 70% (the window the scorer was fitted with) 161 WCXB train pages had their headline
# outside it. Widened, the same scorer takes 24 more exact titles on train pages and 22
# on held-out ones (4 more wrong there); refitted on the wide window it did no better
# (17 more held out) and took a breadcrumb's copy of a headline over the headline.
SEARCH_SHARE = 0.85
MAX_CANDIDATES = 150
OPENING_LABELS = 3  # short lines (kicker, category) allowed above an opening headline
OPENING_CREDIT = 0.25  # share of the scorer's threshold an opening headline needs
MAX_TITLE_WORDS = 40
TITLE_MODEL_FILE = "data/title_model.json"

TITLE_FEATURES = [
    "log_words", "rel_pos", "log_index", "cand_rank", "ends_sentence", "titlecase",
    "all_caps", "para_start", "stop_ratio", "repeats", "prose_next1", "prose_next3",
    "log_dist_prose_after", "prose_before", "removed_prev", "removed_next",
    "removed_next_date", "short_run_before", "next_log_words", "prev_log_words",
    "chrome_before_share", "has_url", "url_overlap", "url_cover", "typical_length",
    "first_after_menu",
]


def strip_glued_button(text: str, buttons: tuple[str, ...], page: str = "") -> str:
    """"VisitUS Confirms …" -> "US Confirms …" when a button word is glued to a headline.

    Only a Title-case word glued to a capital ("Visit|US"), never an all-caps word
    ("GETTING" does not lose "GET").

    Scripts without letter case (Arabic, Hangul, Han, kana) have no capital to show
    where the button ends, so there the page decides (``page``: the folded text of its
    other lines): the glued form is never written on the page while what follows the
    button is ("読む京都市バス、…" beside a body about "京都市"; "اقرأأمانة عمّان" beside
    "أمانة عمّان"). A headline that opens with such a word ("关注民生…", "分享经济…")
    is echoed by its article and keeps it.
    """
    key = fold(text[:60])
    for word in buttons:
        n = len(word)
        if " " in word or len(key) <= n + 1 or not key.startswith(word):
            continue
        if (len(text) > n + 1 and text[0].isupper() and text[n - 1].islower()
                and text[n].isupper()):
            return text[n:]
        if page and _glued_without_case(key, n, page):
            return after_folded_prefix(text, n)
    return text


TRAILING_BUTTON_CHARS = 40  # the longest glued button looked for at a headline's end


TRAILING_BUTTON_KINDS = frozenset({"share", "read_more"})


def strip_trailing_button(text: str, vocab: Vocab) -> str:
    """"…le fret ferroviaireLire plus tard" -> "…le fret ferroviaire": a button that
    follows the headline in the page's markup ("Read later", "Lire la suite") glued to
    its last word. Only a whole button phrase of the vocabulary (``lines.share``,
    ``lines.read_more``) right after a lower-case letter counts: "…in the iPhone" or
    "…McDonald" end in no phrase, and a phrase with a space before it may be the
    headline's own words ("How to Share")."""
    for k in range(max(1, len(text) - TRAILING_BUTTON_CHARS), len(text) - 1):
        if (text[k].isupper() and text[k - 1].islower()
                and vocab.line_kind(fold(text[k:])) in TRAILING_BUTTON_KINDS):
            return text[:k]
    return text


_LETTERS = re.compile(r"[^\W\d_]+")
CJK_HEAD = 3  # letters after a button that a Han/kana page must echo (no word breaks)


def _glued_without_case(key: str, n: int, page: str) -> bool:
    """Whether the button word ``key[:n]`` is glued to a headline in a caseless script:
    both sides of the joint are caseless letters, the headline's opening (the rest of
    the glued word; its first letters in Han or kana, which have no spaces) is on the
    page, and the glued form is not."""
    if not (is_caseless_letter(key[n - 1]) and is_caseless_letter(key[n])):
        return False
    m = _LETTERS.match(key, n)
    rest = m.group() if m else ""
    if HAS_CJK.match(key, n):
        head = rest[:CJK_HEAD]
        if len(head) < 2:
            return False
        return head in page and key[:n + len(head)] not in page
    if len(rest) < 2:
        return False
    # a spaced script: the rest of the glued word starts a word on the page, the glued
    # word itself none
    return _starts_word(rest, page) and not _starts_word(key[:n + len(rest)], page)


def _starts_word(word: str, page: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}", page) is not None


def _candidates(doc: BlockDoc) -> list[int]:
    limit = max(5, int(len(doc.blocks) * SEARCH_SHARE))
    out: list[int] = []
    for i, b in doc.iter_alive():
        if i >= limit or len(out) >= MAX_CANDIDATES:
            break
        if i in doc.bylines:
            continue
        if 2 <= b.n_words <= MAX_TITLE_WORDS and (is_headline_like(b, MAX_TITLE_WORDS)
                                                 or b.n_words <= 15):
            out.append(i)
    return out


def title_features(doc: BlockDoc, cands: list[int], url: str | None = None) -> np.ndarray:
    blocks = doc.blocks
    n = len(blocks)
    alive = doc.alive()
    pos = {i: k for k, i in enumerate(alive)}
    prose_flags = [is_prose(blocks[i], 15) for i in alive]  # per alive position
    prose_alive = list(compress(range(len(alive)), prose_flags))
    counts: dict[str, int] = {}
    for i in alive:
        counts[blocks[i].key] = counts.get(blocks[i].key, 0) + 1
    stop = doc.vocab.stopwords
    slug = url_words(url)
    removed_before = [0] * (n + 1)  # removed blocks before index i, for any i
    for j, x in enumerate(blocks):
        removed_before[j + 1] = removed_before[j] + (x.removed_by is not None)
    # length of the run of short (<= 4 words) alive blocks ending just before each one
    short_run = [0] * (len(alive) + 1)
    for k, i in enumerate(alive):
        short_run[k + 1] = short_run[k] + 1 if blocks[i].n_words <= 4 else 0
    rows = []
    after_menu_seen = False  # "the first headline under a menu" is a strong title cue
    for rank, i in enumerate(cands):
        b = blocks[i]
        k = pos[i]
        words = b.words
        nxt = alive[k + 1 : k + 4]  # the next three alive blocks' indices
        nxt_prose = prose_flags[k + 1 : k + 4]
        at = bisect_right(prose_alive, k)
        after = prose_alive[at] if at < len(prose_alive) else None
        before = bool(prose_alive) and prose_alive[0] < k
        tokens = b.text.split()
        short_before = short_run[k]
        removed_prev = i > 0 and blocks[i - 1].removed_by is not None
        nb = blocks[i + 1] if i + 1 < n else None
        # a byline left for other rules ("By Jane Doe, staff writer") counts as removed
        byline_next = i + 1 in doc.bylines
        removed_next = byline_next or (nb is not None and nb.removed_by is not None)
        chrome_before = removed_before[i]
        rows.append([
            math.log1p(b.n_words),
            i / max(n - 1, 1),
            math.log1p(k),
            math.log1p(rank),
            1.0 if ends_sentence(b) else 0.0,
            sum(map(str.istitle, tokens)) / len(tokens) if tokens else 0.0,
            1.0 if b.text[:60].isupper() else 0.0,
            1.0 if b.para_start else 0.0,
            sum(map(stop.__contains__, words)) / len(words) if words else 0.0,
            math.log(counts.get(b.key, 1)),
            1.0 if nxt and nxt_prose[0] else 0.0,
            1.0 if any(nxt_prose) else 0.0,
            math.log1p(after - k) if after is not None else 5.0,
            1.0 if before else 0.0,
            1.0 if removed_prev else 0.0,
            1.0 if removed_next else 0.0,
            1.0 if byline_next or (nb is not None and nb.removed_by in UNDER_HEADLINE)
            else 0.0,
            math.log1p(short_before),
            math.log1p(blocks[nxt[0]].n_words) if nxt else 0.0,
            math.log1p(blocks[alive[k - 1]].n_words) if k > 0 else 0.0,
            chrome_before / max(i, 1),
            1.0 if slug else 0.0,
            _overlap(words, slug),
            _cover(words, slug),
            1.0 if 4 <= b.n_words <= 20 else 0.0,
            1.0 if short_before >= 2 and not after_menu_seen else 0.0,
        ])
        after_menu_seen = after_menu_seen or short_before >= 2
    return np.asarray(rows, dtype=float).reshape(len(cands), len(TITLE_FEATURES))


def _overlap(words: list[str], slug: set[str]) -> float:
    if not slug:
        return 0.0
    content = [w for w in words if len(w) > 2]
    return sum(map(slug.__contains__, content)) / len(content) if content else 0.0


def _cover(words: list[str], slug: set[str]) -> float:
    return len(slug & set(words)) / len(slug) if slug else 0.0


class TitleScorer:
    """Logistic scorer over :data:`TITLE_FEATURES` (weights from a data file)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if spec.get("features") != TITLE_FEATURES:
            raise ValueError("title model was trained on a different feature list")
        self.mean = np.asarray(spec["mean"])
        self.std = np.asarray(spec["std"])
        self.coef = np.asarray(spec["coef"])
        self.intercept = float(spec["intercept"])
        self.threshold = float(spec.get("threshold", 0.5))

    def scores(self, X: np.ndarray) -> np.ndarray:
        z = ((X - self.mean) / self.std) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@cache
def default_title_scorer() -> TitleScorer | None:
    try:
        text = resources.files("cleaners").joinpath(TITLE_MODEL_FILE).read_text("utf-8")
        return TitleScorer(json.loads(text))
    except (FileNotFoundError, ValueError, KeyError):
        return None


def find_title(doc: BlockDoc, known: str | None = None, url: str | None = None) -> int | None:
    """Index of the headline block, or None. Removes nothing; the candidates' scores are
    kept in ``doc.title_scores`` for :func:`opening_headline`."""
    if known:
        key = fold(known)
        for i, b in doc.iter_alive():
            if b.key == key:
                return i
        return None
    # No chrome at all: already-clean text has no headline to take (idempotence).
    if not any(b.removed_by is not None for b in doc.blocks):
        return None
    wiki = _over_language_count(doc)
    if wiki is not None:
        return wiki
    cands = _candidates(doc)
    if not cands:
        return None
    scorer = default_title_scorer()
    if scorer is None:
        return _heuristic(doc, cands)
    s = scorer.scores(title_features(doc, cands, url))
    doc.title_scores = dict(zip(cands, s.tolist(), strict=True))
    best = int(np.argmax(s))
    if s[best] >= scorer.threshold:
        return _unglued(doc, cands, _over_standfirst(doc, cands, s, best, scorer.threshold))
    for i, score in zip(cands, s, strict=True):
        if score >= OPENING_CREDIT * scorer.threshold and _opens_article(doc, i):
            return i
    return None


def _over_language_count(doc: BlockDoc) -> int | None:
    """The headline of a wiki page: the line right over the count that opens its
    language menu ("List of Nobel laureates" / "59 languages" / "العربية" / …, as every
    MediaWiki site lays out its header). Single words count ("pacman", "Sudo"): a
    wiki names pages so, and the scorer, which wants two words or more, never sees
    them. The count is looked for where headlines are (``SEARCH_SHARE``)."""
    counts = doc.vocab.word_set("language_counts")
    if not counts:
        return None
    blocks = doc.blocks
    limit = max(5, int(len(blocks) * SEARCH_SHARE))
    for i, b in doc.iter_alive():
        if i >= limit:
            break
        if b.n_words == 2 and b.words[0].isdigit() and b.words[1] in counts:
            # right over it, and left by the rules (a line further up, over a headline
            # a rule took, is a menu's)
            head = blocks[i - 1] if i else None
            if (head is not None and head.removed_by is None
                    and 1 <= head.n_words <= MAX_TITLE_WORDS and not ends_sentence(head)
                    and not head.words[0].isdigit()):
                return i - 1
            return None
    return None


# The second look (``opening_headline``) takes a candidate the scorer gave at least this
# much: with a dateline, byline or counter under the headline (``UNDER_HEADLINE``:
# strong evidence of an article's header), or with the first paragraph right under it.
# Chosen on train pages: taken titles there were 92% and 86% the page's headline or most
# of its words.
OPENING_FLOOR_DATED = 0.1
OPENING_FLOOR = 0.3
STANDFIRST_WORDS = 8  # a sentence this long between headline and byline is a standfirst


def opening_headline(doc: BlockDoc) -> int | None:
    """The headline right above the article's opening, looked for once the classifier
    has judged the page: index of the block, or None.

    Before the classifier, menus are still there, so a headline under a long menu looks
    like one more menu line and the scorer doubts it ("How to Reduce Waste: 21 …" above
    "By Meaghan Weeden ● December 23, 2025" scored 0.31 under the 0.6 it needs). Once the
    classifier has removed the menus the page's opening is plain: the first kept
    paragraph, and above it a removed dateline or byline, perhaps a standfirst, then the
    headline. The classifier usually removed the headline too (WCXB's main content leaves
    it out), so removed blocks are read here; taking one as the title changes only which
    rule the record says removed it (a kept one leaves the text, as the first search's
    headline does).

    The header is looked for above the first paragraph, then above the page's first
    dateline, byline or counter: a table of contents or a sign-up box can stand between
    the header and the text ("Trevor Jackins / 9 min read / Updated October 8, 2025 /
    Table of Contents / …").
    """
    scores = doc.title_scores
    if not scores:
        return None
    first = next((i for i, b in doc.iter_alive() if is_prose(b, 15)), None)
    if first is None:
        return None
    header = next((j for j in range(first) if is_header_line(doc, j)), None)
    for anchor in (first, header):
        if anchor is None:
            continue
        j, dated = _above_header(doc, anchor - 1)
        floor = OPENING_FLOOR_DATED if dated or anchor == header else OPENING_FLOOR
        if j < 0 or scores.get(j, 0.0) < floor:
            continue
        b = doc.blocks[j]
        if _judged_only_by_model(b.removed_by) and b.n_words >= 3 and is_headline_like(b, 30):
            return j
    return None


def _above_header(doc: BlockDoc, j: int) -> tuple[int, bool]:
    """The first block at or above ``j`` that is not an article header's small print
    (datelines, bylines, counters, credits, one standfirst, one author's bare name), and
    whether a dateline, byline or counter was passed on the way."""
    blocks = doc.blocks
    # words opening a byline ("by", "von"), not those joining its names ("and", "und"):
    # "And Then There Were Three" is a headline
    by_words = doc.vocab.word_set("byline") - doc.vocab.word_set("byline_joins")
    dated = standfirst = named = False
    while j >= 0:
        b = blocks[j]
        if is_header_line(doc, j):
            dated = True
        elif ((b.removed_by or "").startswith("credit")
              or (b.n_words <= 6 and b.words[:1] and b.words[0] in by_words)):
            pass  # bylines the rule did not name, credits
        elif (not standfirst and b.n_words >= STANDFIRST_WORDS and ends_sentence(b)
              and _judged_only_by_model(b.removed_by)):
            standfirst = True
        elif not named and is_header_line(doc, j + 1) and _bare_name(b):
            named = True  # "Trevor Jackins" over "9 min read"
        else:
            break
        j -= 1
    return j, dated


def _bare_name(b: Block) -> bool:
    """A person's name on a line of its own, as an author stands over a dateline: two
    to four capitalised words, nothing else, left to the classifier."""
    tokens = b.text.split()
    return (2 <= len(tokens) <= 4 and _judged_only_by_model(b.removed_by)
            and all(t[:1].isupper() and t[1:].isalpha() for t in tokens))


def _judged_only_by_model(rule: str | None) -> bool:
    """Kept, or removed by the block classifier alone: no specific rule named it."""
    return rule is None or rule.split(".")[0] == "model"


STANDFIRST_CREDIT = 0.5  # share of the threshold a headline over a standfirst needs
STANDFIRST_MIN_WORDS = 12  # a standfirst is a sentence; a headline is shorter


def _over_standfirst(doc: BlockDoc, cands: list[int], s: np.ndarray, best: int,
                     threshold: float) -> int:
    """The headline when the scorer chose the standfirst under it. A standfirst without
    a full stop ("National Grid says new connections will cut reliance on gas, but warns
    of delays") stands right over the byline and the date, where the scorer looks for
    a headline; the headline over it is shorter, and the scorer gave it some credit.
    A line under twelve words is no standfirst (a breadcrumb stands over a headline)."""
    if best == 0 or cands[best - 1] != doc.prev_alive(cands[best]):
        return cands[best]
    head, under = doc.blocks[cands[best - 1]], doc.blocks[cands[best]]
    if (s[best - 1] >= STANDFIRST_CREDIT * threshold and under.n_words >= STANDFIRST_MIN_WORDS
            and 4 <= head.n_words < under.n_words and is_headline_like(head, MAX_TITLE_WORDS)):
        return cands[best - 1]
    return cands[best]


def _unglued(doc: BlockDoc, cands: list[int], best: int) -> int:
    """The headline itself when the chosen block is a copy with a breadcrumb glued to
    its front ("Home9 Best Online Course Platforms …" beside "9 Best Online Course
    Platforms …"): the copy has the byline under it, the headline the cleaner text."""
    chosen = doc.blocks[best]
    for i in cands:
        other = doc.blocks[i]
        if is_prefixed_copy(chosen.key, other.key, chosen.text, other.text):
            return i
    return best


def is_prefixed_copy(key: str, headline: str, text: str = "", headline_text: str = "") -> bool:
    """``key`` is the folded ``headline`` behind a breadcrumb or button: glued ("Home9 …",
    "MenuParis …") or after a path separator ("Home » …", "Newsroom/Tips/…"). A spaced
    word in front is the headline's own ("The best …", "7 Healthy …").

    Glued, the seam must show in the unfolded ``text`` (``headline_text`` finds it): a
    letter against a digit, or a lower-case letter against a capital. More of the same
    number or word in front ("15 ways …" of "5 ways …", "Unfair …" of "Fair …", WCXB's
    "Women's Nano Puff Jacket" of "Men's …") is another line that happens to end the
    same way, and article text."""
    if key == headline or not key.endswith(headline) or len(headline) < 0.6 * len(key):
        return False
    head = key[: -len(headline)]
    if head[-1].isspace():
        return head.rstrip()[-1] in _TRAIL_SEPARATORS
    before, first = head[-1], headline[0]
    if not (before.isalnum() and first.isalnum()):
        return True  # a separator glued on ("Home»…")
    if before.isdigit() or first.isdigit():
        return not (before.isdigit() and first.isdigit())
    if is_caseless_letter(before) or is_caseless_letter(first):
        return True  # no case to show the seam
    line, title = text.rstrip(_EDGE), headline_text.strip(_EDGE)
    n = len(title)
    return (len(line) > n > 0 and line[-n:].casefold() == title.casefold()
            and line[-n - 1].islower() and line[-n].isupper())


_TRAIL_SEPARATORS = frozenset("/»>›|:·•-–—\"")  # (fold writes « and » as ")
_EDGE = " \t.!?…\"'”’»«“"


def _opens_article(doc: BlockDoc, i: int) -> bool:
    """``i`` is a headline at the top of the text: only short labels above it, and a
    removed dateline/byline/counter right under it or prose within two blocks."""
    blocks = doc.blocks
    b = blocks[i]
    if b.n_words < 3 or not is_headline_like(b, 30):
        return False
    above = [j for j, _ in doc.iter_alive() if j < i]
    if len(above) > OPENING_LABELS or any(
        blocks[j].n_words > 6 or ends_sentence(blocks[j]) for j in above
    ):
        return False
    if _header_below(doc, i):
        return True
    nxt = doc.next_alive(i)
    for _ in range(2):  # prose next, or after one standfirst line
        if nxt is None:
            return False
        if is_prose(blocks[nxt], 15):
            return True
        nxt = doc.next_alive(nxt)
    return False


def _header_below(doc: BlockDoc, i: int) -> bool:
    """Whether an article's header is right under the headline ``i``: a removed
    dateline, byline or counter, perhaps under one standfirst and the author's bare name
    with its "Follow" button. A blog platform's header reads "headline / standfirst /
    Jordan Ellis / Follow / 7 min read / Mar 4, 2025", and its standfirst has no full
    stop to show it is one. Such a standfirst must look less like a headline than ``i``
    does: else ``i`` is more likely a related link over the real headline."""
    blocks = doc.blocks
    scores = doc.title_scores
    standfirst = named = False
    j = i + 1
    while j < len(blocks):
        b = blocks[j]
        if b.removed_by in UNDER_HEADLINE or j in doc.bylines:
            return True
        if b.removed_by == "chrome.share" and named:
            pass  # the author's "Follow" button
        elif (not standfirst and not named and b.removed_by is None
              and b.n_words >= STANDFIRST_WORDS and scores.get(j, 0.0) < scores.get(i, 0.0)):
            standfirst = True
        elif not named and _bare_name(b):
            named = True
        else:
            return False
        j += 1
    return False


def _heuristic(doc: BlockDoc, cands: list[int]) -> int | None:
    """Without a trained scorer: the first headline with chrome beside it and prose under it."""
    blocks = doc.blocks
    for i in cands:
        if not is_headline_like(blocks[i], 30) or blocks[i].n_words < 3:
            continue
        near = any(0 <= j < len(blocks) and blocks[j].removed_by is not None
                   for j in (i - 2, i - 1, i + 1, i + 2))
        nxt = doc.next_alive(i)
        k = 0
        prose = False
        while nxt is not None and k < 4:
            if is_prose(blocks[nxt], 15):
                prose = True
                break
            nxt = doc.next_alive(nxt)
            k += 1
        if near and prose:
            return i
    return None
