"""Bylines: "By Jane Doe and John Smith", "Par Julie Martin", "Автор: Иван Петров".

A byline is not article text, and its names belong in the record's ``authors``, as a
dateline's date belongs in ``published``. A block is a byline when it starts with a
byline phrase (``words.byline`` minus the joining words ``words.byline_joins``) and
the rest is one to four names of two to four words each: capitalised words, name
particles (``name_particles``: "van", "de", "bin") allowed, joined by commas or the
joining words. "By the numbers" and "By 2030, half of all cars …" are not names; a
page with more than :data:`MAX_BYLINES` lines opening with a byline word is a listing
whose items carry their authors as content, or has a menu of facets ("By Industry",
"By Company Size", "By Use Case"), and the rule leaves it alone but for the article's own
byline, alone with prose under it. Editor and reviewer lines ("Edited by …", "Medically
reviewed by …": ``words.editor_labels``) go as bylines that give no authors; more than
:data:`MAX_BYLINES` of them are a listing's too, and only those beside the article's
byline go.

Labels that open a byline only with a colon (``words.byline_colon_labels``: Turkish
"Haber: Ayşe Demir", "Text: Jane Doe"; without the colon they start headlines) are byline
phrases there. Where bylines put the role after the name (``words.byline_roles``: Korean
"김지현 기자", "김지현·박민수 기자 kim@example.com"), a short line of names ending in
such a word is a byline too. :class:`SignatureRule` reads a name signed under the
article ("…the last paragraph.", "Nguyễn Đông", then the share row) into ``authors``.
"""

from __future__ import annotations

import re
from functools import cache

from cleaners.blocks import Block, BlockDoc, split_blocks
from cleaners.normalize import after_folded_prefix, fold
from cleaners.patterns import HAS_CJK
from cleaners.rules.base import Rule
from cleaners.shape import (
    ends_sentence,
    is_caseless_letter,
    is_headline_like,
    is_name_word,
    is_prose,
)
from cleaners.vocab import index_prefixes, match_prefix

MAX_BYLINES = 2
FACET_WORDS = 4  # "By Company Size": a short line opening with a byline word counts
# On a page with more byline-shaped lines than MAX_BYLINES, the article's own byline is
# the one this many blocks away from any other (a listing's bylines come every few
# blocks) with prose right under it (ARTICLE_OPENING blocks).
ISOLATED = 10
ARTICLE_OPENING = 8
EDITOR_NEAR = 3  # "By …", "Edited by …", "Fact checked by …", "Reviewed by …" in a row
MAX_NAMES = 4
MAX_NAME_WORDS = 4
MAX_BYLINE_WORDS = 16
MAX_ROLE_BYLINE_WORDS = 8


class BylineRule(Rule):
    name = "byline"
    description = "a byline (By Jane Doe and John Smith); its names go to the record's authors"

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        joins = vocab.word_set("byline_joins")
        prefixes = _prefixes(vocab.word_set("byline"), joins,
                             vocab.word_set("byline_colon_labels"))
        after_roles = vocab.word_set("byline_roles")
        if not prefixes and not after_roles:
            return
        particles = vocab.word_set("name_particles")
        roles = vocab.word_set("roles")
        trailer = _Trailer(vocab.word_set("metadata_labels"), vocab.word_set("months"))
        found: list[tuple[int, list[str], bool]] = []
        editorial: list[tuple[int, list[str], bool]] = []  # "Edited by …": no authors
        # lines opening with a byline word that are bylines or short (a facet: "By
        # Industry"); a sentence such as "By signing up you agree to our Terms" is neither
        shaped: list[int] = []
        first = prefixes.first
        labels, author_labels = vocab.word_set("byline"), vocab.word_set("author_labels")
        editors = vocab.word_set("editor_labels")
        blocks = doc.blocks
        name_lines: dict[int, int] = {}  # a label line's index -> its name line's
        # (the loop removes nothing, so it walks the list itself: no generator per block)
        plain_first = prefixes.plain_first
        glued = _glued_label_pattern(plain_first).match
        heads = frozenset(w[:2] for w in plain_first)  # a cheap test before the regex
        users = _user_index(vocab.word_set("user_labels"))
        for i, block in enumerate(blocks):
            if block.removed_by is not None or not 1 <= block.n_words <= MAX_BYLINE_WORDS:
                continue
            if users and block.words[0] in users:
                user = _user_byline(block, users)
                if user is not None:  # "Thread starter FutureBSD": a forum's first poster
                    shaped.append(i)
                    found.append((i, [user], True))
                    continue
            if (block.n_words <= 3 and i + 1 < len(blocks)
                    and block.words[0] in plain_first
                    and blocks[i + 1].removed_by is None
                    and blocks[i + 1].n_words <= MAX_NAME_WORDS * MAX_NAMES):
                # "Written by" on one line, "David Jackson" on the next
                split = _label_line_names(block, blocks[i + 1], prefixes, joins, particles,
                                          roles, vocab.stopwords, vocab.chrome_keys)
                if split:
                    if _label(block, prefixes) in editors:
                        editorial.append((i, [], True))
                    else:
                        shaped.append(i)
                        found.append((i, split, True))
                    name_lines[i] = i + 1
                    continue
            if (block.words[0][:2] in heads and block.words[0] not in first
                    and glued(block.text) is not None):
                block = _unglued_label(block, plain_first) or block  # "ByNina Pineda"
            if not 2 <= block.n_words <= MAX_BYLINE_WORDS:
                continue
            parsed: tuple[list[str], bool] | None
            if block.words[0] in first:
                if block.words[0] not in plain_first and ":" not in block.text:
                    continue  # "Haber merkezinde …": a colon label without its colon
                if HAS_CJK.search(block.text):
                    parsed = _han_byline(block.text, labels, author_labels)
                else:
                    parsed = byline_names(block, prefixes, joins, particles, trailer, roles,
                                          vocab.stopwords)
                    label = _label(block, prefixes)
                    if label is None:
                        continue  # "Fact Checked": only the first word is a label's
                    if parsed and label in editors:
                        # "Edited by: Keri Stooksbury": a byline, but no author, and
                        # beside the author's byline no sign of a listing
                        editorial.append((i, [], parsed[1]))
                        continue
            elif (after_roles and block.n_words <= MAX_ROLE_BYLINE_WORDS
                  and not after_roles.isdisjoint(block.words)):  # (most lines: no role)
                parsed = role_byline(block.text, after_roles, joins, vocab.stopwords)
                if parsed is None:
                    continue  # any short line: only a byline counts
            else:
                continue
            if parsed is not None or block.n_words <= FACET_WORDS:
                shaped.append(i)
            if parsed:
                found.append((i, *parsed))
        listing = len(shaped) > MAX_BYLINES
        if listing:
            found = _article_byline(doc, found, shaped)
        if listing or len(editorial) > MAX_BYLINES:
            # A listing's items carry their editors and reviewers as they carry their
            # authors ("Medically reviewed by …" under every story, "Reviewed by …" over
            # every customer review): only those set with the article's byline go.
            anchors = [i for i, names, _ in found if names]
            editorial = [e for e in editorial
                         if any(abs(e[0] - a) <= EDITOR_NEAR for a in anchors)]
        found = sorted(found + editorial)
        for i, _, whole in found:
            doc.bylines.add(i)
            if whole:  # "By Jane Doe | May 19, 2024": the date is the dateline rule's
                doc.remove(i, self.name)
            if i in name_lines:
                doc.bylines.add(name_lines[i])
                doc.remove(name_lines[i], self.name)
        named = [(i, names) for i, names, _ in found if names]
        if named and not doc.authors:
            # the first byline with prose under it, before one up in the menu ("BY USE
            # CASE", a facet, above "By Preetam Jinka"); the first when none has
            doc.authors = next((names for i, names in named
                                if _prose_after(doc, i) <= ARTICLE_OPENING), named[0][1])


# Degrees and titles after a name: "Ph.D.", "MD", "DVM", "RN", "CPA"
_CREDENTIAL = re.compile(r"(?:[A-Z][a-z]?\.?){1,5}")


def _label_line_names(label: Block, line: Block, prefixes: _Prefixes, joins: frozenset[str],
                      particles: frozenset[str], roles: frozenset[str],
                      stopwords: frozenset[str], chrome: frozenset[str]) -> list[str]:
    """The names when ``label`` is nothing but a byline phrase ("By", "Written by",
    "Author:") and ``line`` nothing but names, as a byline the page set on two lines.

    The name line is held to what :class:`BareNameRule` asks of a lone name (words of
    names only, nothing the vocabulary knows as chrome): a forum's search form has a
    "By:" field above "Search Advanced…", a sidebar a "By" above "Recent Posts". Its
    words may be glued only as a one-line byline's may (:func:`_glued_at`: "Ian
    MacFarlane" is a name, "Jane SmithFollow" a paste accident)."""
    phrase = _label(label, prefixes)
    if phrase is None or len(phrase.split()) != label.n_words or line.key in chrome:
        return []
    # degrees after the name ("Genevieve Carlton, Ph.D.", "Shelby Loos, DVM") are not
    # read as more names
    text, *after = line.text.split(",")
    if not (after and all(_CREDENTIAL.fullmatch(c.strip()) for c in after)):
        text = line.text
    for word in text.replace(",", " , ").split():
        if word in (",", "&") or fold(word) in joins:
            continue
        name = word.strip(".")  # an initial: "Lisa D. Ellis", as byline_names reads it
        if not is_name_word(name, particles, stopwords) or _glued_at(name):
            return []
    parsed = byline_names(split_blocks(f"{label.text} {text}")[0], prefixes, joins,
                          particles, None, roles, stopwords)
    return parsed[0] if parsed and parsed[1] else []


def _unglued_label(block: Block, labels: frozenset[str]) -> Block | None:
    """``block`` with a byline label glued to the name it opens set apart ("ByNina
    Pineda", "ByKathryn GiuffridaMar 5, 2025": the page had "By" and the linked name in
    two elements and the copy lost the space between them), or None."""
    m = _glued_label_pattern(labels).match(block.text)
    if m is None:  # (most blocks: one regex call, no Python loop per block)
        return None
    k = m.end()
    head = block.text
    if not (head[k].isupper() and head[k - 1].islower()):
        return None
    return split_blocks(f"{head[:k]} {head[k:]}")[0]


@cache
def _glued_label_pattern(labels: frozenset[str]) -> re.Pattern[str]:
    """A one-word label at the start, followed with no space by a letter."""
    words = sorted((w for w in labels if " " not in w), key=len, reverse=True)
    return re.compile(rf"(?i:{'|'.join(map(re.escape, words))})(?=[^\W\d_])")


def _label(block: Block, prefixes: _Prefixes) -> str | None:
    """The byline phrase ``block`` opens with."""
    return match_prefix(prefixes.index, block.key, block.words[0])


def _article_byline(doc: BlockDoc, found: list[tuple[int, list[str], bool]],
                    shaped: list[int]) -> list[tuple[int, list[str], bool]]:
    """The article's byline on a page with many byline-shaped lines, or none.

    Such a page is a listing whose items carry their authors, or has a menu of facets
    ("By Industry", "By Company Size"), or is an article followed by a list of related
    stories with their bylines (WCXB page 0221: "By Elaine Chen" above the article, ten
    "By Adam Feuerstein"-like lines below it). Only in the last case is one byline on
    its own, with the article's first paragraph right under it.
    """
    alone = [
        f for f in found
        if f[1] and all(abs(f[0] - j) > ISOLATED for j in shaped if j != f[0])
        and _prose_after(doc, f[0]) <= ARTICLE_OPENING
    ]
    return alone if len(alone) == 1 else []


def _prose_after(doc: BlockDoc, i: int) -> int:
    """How many blocks under block ``i`` the first paragraph of prose is, within
    :data:`ARTICLE_OPENING` (beyond: ``ARTICLE_OPENING + 1``)."""
    for k, b in enumerate(doc.blocks[i + 1 : i + 1 + ARTICLE_OPENING], start=1):
        if is_prose(b, 15):
            return k
    return ARTICLE_OPENING + 1


# "作者：王晓燕", "记者 王晓燕", "文/李明", "（责任编辑：张丽）", "筆者：山田太郎": a label, then
# one to four Han names (no letter case marks a name here; their length and script do).
_HAN_BYLINE = re.compile(
    r"^[（(【\[]?\s*(?P<label>[^\W\d_]{1,6}?)\s*(?:[:：/／]\s*|\s+)"
    r"(?P<names>[\u4e00-\u9fff]{2,4}(?:\s*[、，,]\s*[\u4e00-\u9fff]{2,4}){0,3})\s*[）)】\]]?$")
_NAME_SEPARATOR = re.compile(r"\s*[、，,]\s*")


def _han_byline(text: str, labels: frozenset[str],
                author_labels: frozenset[str]) -> tuple[list[str], bool] | None:
    """A Chinese or Japanese byline line: its author names (none for an editor's line,
    which goes as well), and True: the whole line is the byline."""
    m = _HAN_BYLINE.match(text.strip())
    if m is None:
        return None
    label = fold(m.group("label"))
    if label not in labels:
        return None
    names = _NAME_SEPARATOR.split(m.group("names")) if label in author_labels else []
    return names, True


class _Prefixes:
    """The phrases that open a byline, indexed by first word (``match_prefix``)."""

    __slots__ = ("colon_only", "first", "index", "plain_first")

    def __init__(self, phrases: frozenset[str],
                 colon_only: frozenset[str] = frozenset()) -> None:
        self.colon_only = colon_only - phrases  # open a byline only before a colon
        self.index = index_prefixes(phrases | self.colon_only)
        self.first = frozenset(self.index)
        self.plain_first = frozenset(index_prefixes(phrases))

    def __bool__(self) -> bool:
        return bool(self.index)


@cache
def _prefixes(byline: frozenset[str], joins: frozenset[str],
              colon_only: frozenset[str] = frozenset()) -> _Prefixes:
    return _Prefixes(byline - joins, colon_only - joins)


class _Trailer:
    """Where the tail after a byline's names starts: a label ("Updated", "Published"), or
    a month name followed by a number ("May 19, 2024"; "Tom May" is a name)."""

    __slots__ = ("labels", "months")

    def __init__(self, labels: frozenset[str] = frozenset(),
                 months: frozenset[str] = frozenset()) -> None:
        self.labels = labels
        self.months = months

    def starts(self, tokens: list[str], k: int) -> bool:
        word = fold(tokens[k])
        if word in self.labels or any(c.isdigit() for c in tokens[k]):
            return True
        return (word in self.months and k + 1 < len(tokens)
                and any(c.isdigit() for c in tokens[k + 1]))


_SEPARATORS = frozenset("|•·—–-/")


def byline_names(block: Block, prefixes: _Prefixes, joins: frozenset[str],
                 particles: frozenset[str], trailer: _Trailer | None = None,
                 roles: frozenset[str] = frozenset(), stopwords: frozenset[str] = frozenset(),
                 ) -> tuple[list[str], bool] | None:
    """(names, whether the block is nothing but the byline), or None when the block is
    not a byline.

    Names are two to four words ("Jane Doe", "Ludwig van Beethoven"): a single word
    after "By" is a menu facet ("By Industry", "By Role") as often as a name. The names
    may be followed by more: a separator ("| May 19, 2024", "— 10 min read"), a
    date or a label word (``trailer``: "Updated …"), or a one-word role after a comma
    ("Tracy Parker, Dietitian"); the block is then a byline with a tail. A "name" with a
    job title in it (``roles``: "Senior Editor", "Staff Writer") is a role: after a name it
    starts the tail, and in first place it makes a byline that names nobody (removed,
    no authors).

    Names in a script without letter case (Arabic: "بقلم: أحمد محمد") have no capital
    to tell them from a sentence; there the label must end in a colon, and a name word
    is any word of that script but a stop word.
    """
    phrase = match_prefix(prefixes.index, block.key, block.words[0])
    if phrase is None:
        return None
    tokens = block.text.split()
    while tokens and not any(c.isalnum() for c in tokens[0]):
        tokens.pop(0)  # a bullet or dash before "By"
    label = len(phrase.split())
    rest = tokens[label:]
    colon = 0 < label <= len(tokens) and tokens[label - 1].endswith((":", "："))
    if rest and rest[0] == ":":  # "Author : Jane Doe"
        rest = rest[1:]
        colon = True
    if phrase in prefixes.colon_only and not colon:
        return None  # "Haber Türk …": a label word without its colon starts a headline
    tail = trailer or _Trailer()
    tokens = (" ".join(rest).replace(",", " , ").replace("،", " , ").replace("—", " — ")
              .replace("–", " – ").split())
    names: list[list[str]] = [[]]
    whole = True
    glued = 0
    for k, raw in enumerate(tokens):
        if raw in _SEPARATORS or (names[0] and tail.starts(tokens, k)):
            whole = False  # the tail after the names
            while len(names[-1]) > 1 and fold(names[-1][-1]) in stopwords:
                names[-1].pop()  # "BY ALYSSA MAIO ON JANUARY 21": "on" dates the line
            break
        if raw in (",", "&") or fold(raw) in joins:
            if not names[-1]:
                return None  # two joins in a row, or a join first
            names.append([])
            continue
        word = raw.strip(".")
        if not word:
            continue
        seam = glued_caps_label(word, tail.labels)
        if seam:
            # capitals leave no seam to see: "BY KORIN MILLERPUBLISHED: JAN 29, 2025"
            names[-1].append(word[:seam])
            whole = False
            break
        if word.endswith(":"):
            return None  # "Contact Form: Click Here"
        seam = _glued_date(word, tokens[k + 1] if k + 1 < len(tokens) else "", tail.months)
        if seam:
            # a copy-paste joined two lines: "Jeffrey ZeldmanNovember 5, 2025", or a
            # label and its date: "Rhonda Krause UpdatedJanuary 25, 2026"
            if not tail.starts([word[:seam]], 0):
                names[-1].append(word[:seam])
            whole = False
            break
        seam = _glued_at(word)
        if seam:
            glued += 1  # a brand ("SolutionsHub Editorial Team"), or a paste accident
            if glued > 1:  # "MixmasterFredebenisterie Frederic LauziereFollow": junk
                return None
        if not (word[0].isupper() or fold(word) in particles
                or (colon and is_caseless_letter(word[0]) and fold(word) not in stopwords)) or any(
                    c.isdigit() for c in word):
            if len(names) > 1 and _role_ahead(tokens, k, roles, stopwords):
                names[-1].append(raw)  # "Jane Doe, staff writer": a role in lower case
                continue
            return None
        names[-1].append(raw)
    if len(names) > 1 and len(names[-1]) == 1 and all(len(n) >= 2 for n in names[:-1]):
        names.pop()  # "Tracy Parker, Dietitian": a role, not a second name
        whole = False
    if not names[-1]:
        return None
    if len(names) > MAX_NAMES or any(not 2 <= len(n) <= MAX_NAME_WORDS for n in names):
        return None  # one word is a menu facet ("By Industry") as often as a name
    if any(fold(w) in prefixes.first for n in names for w in n):
        return None  # "By Age, By Gender": a list of facets
    for k, name in enumerate(names):
        if any(fold(w) in roles for w in name):
            # "Jane Doe, Senior Editor": the role and what follows are the tail; "By
            # Staff Writer": a byline that names nobody
            return [" ".join(n) for n in names[:k]], whole and k == 0
    return [" ".join(n) for n in names], whole


GLUED_PREFIX = 5  # letters before a lower/upper seam: "FitzGerald", "MacFarlane" are names


def _glued_at(word: str) -> int:
    """Where a capitalised word of three letters or more starts inside ``word``, right
    after a lower-case letter and :data:`GLUED_PREFIX` letters or more into it (0:
    nowhere)."""
    for k in range(GLUED_PREFIX, len(word) - 2):
        if word[k].isupper() and word[k - 1].islower():
            return k
    return 0


GLUED_DATE_PREFIX = 3  # "DoeMarch 5, 2025"; "LeMay" is a name


MAX_USER_WORDS = 3  # a forum's user name: "FutureBSD", "Perseus Legend"


@cache
def _user_index(labels: frozenset[str]) -> dict[str, tuple[str, ...]]:
    return index_prefixes(labels)


def _user_byline(block: Block, users: dict[str, tuple[str, ...]]) -> str | None:
    """The user name after a forum's label for a thread's first poster (``user_labels``:
    "Thread starter", "Автор темы"), or None. A user name is any one to three words, in
    any case and with digits ("Alphabyte1", "drat"): the label vouches for it, as "By"
    cannot for one word ("By Industry")."""
    phrase = match_prefix(users, block.key, block.words[0])
    if phrase is None:
        return None
    rest = after_folded_prefix(block.text, len(phrase)).lstrip(" :").strip()
    words = rest.split()
    if not 1 <= len(words) <= MAX_USER_WORDS or rest[-1] in ".!?,;":
        return None
    return rest


GLUED_LABEL_MIN = 5  # letters of a label found glued to a name in capitals ("POSTED")


def unglue_byline(text: str, labels: frozenset[str], months: frozenset[str]) -> str:
    """``text`` with a space at each seam where a copy-paste glued a byline's name to
    what follows it, for the rules that read such a line's date: a label in capitals
    (:func:`glued_caps_label`: "BY KORIN MILLER PUBLISHED: JAN 29, 2025") or a month
    (:func:`_glued_date`: "by Jeffrey Zeldman November 20, 2007")."""
    tokens = text.split(" ")
    for k, token in enumerate(tokens):
        seam = glued_caps_label(token, labels) or _glued_date(
            token, tokens[k + 1] if k + 1 < len(tokens) else "", months)
        if seam:
            tokens[k] = f"{token[:seam]} {token[seam:]}"
    return " ".join(tokens)


def glued_caps_label(word: str, labels: frozenset[str]) -> int:
    """Where a metadata label glued to the end of a name in capitals starts, the colon
    after it showing the seam ("MILLERPUBLISHED:", "FURRERUPDATED:"), or 0."""
    if not word.endswith(":") or not word[:-1].isupper():
        return 0
    key = fold(word[:-1])
    found = [label for label in labels
             if len(label) >= GLUED_LABEL_MIN and key.endswith(label)
             and len(key) - len(label) >= 2 and " " not in label]
    # the longest label, so the seam does not depend on the set's order ("updated"
    # inside "lastupdated")
    return len(word) - 1 - max(map(len, found)) if found else 0


def _glued_date(word: str, after: str, months: frozenset[str]) -> int:
    """Where a month name glued to the end of a name starts ("ZeldmanNovember", "Jane
    DoeMarch 5, 2025"), or 0. Before a short name's month (less than
    :data:`GLUED_PREFIX` letters in) the next word must be a number, as in
    :class:`_Trailer`: "Curtis LeMay" keeps his name."""
    for k in range(GLUED_DATE_PREFIX, len(word) - 2):
        if (word[k].isupper() and word[k - 1].islower() and fold(word[k:]) in months
                and (k >= GLUED_PREFIX or any(c.isdigit() for c in after))):
            return k
    return 0


def _role_ahead(tokens: list[str], k: int, roles: frozenset[str],
                stopwords: frozenset[str] = frozenset()) -> bool:
    """A role word among ``tokens[k:]`` before the next comma: what follows a name's
    comma is then its job title, however it is written.

    Only when the title starts there: a stop word before the role word ("By Election
    Day, she was chief editor.", "By New Year, a new editor") makes it a sentence, which
    read as a byline named "Election Day" the author and vouched for the line above as
    the headline)."""
    for raw in tokens[k:]:
        if raw == "," or raw in _SEPARATORS:
            return False
        word = fold(raw.strip("."))
        if word in roles:
            return True
        if word in stopwords:
            return False
    return False


_ROLE_SEPARATORS = re.compile(r"\s*[,·・、]\s*")
_EMAIL = re.compile(r"^\S+@\S+\.\w+$")


def _role_start(tokens: list[str]) -> int | None:
    """Where the role after the names starts: the last token in a script without case
    ("김지현 기자"); in a cased script a role in sentence case, its last word in lower
    case ("Fiona Harvey Environment editor", "Alex Hern UK technology editor"), None
    when it is capitalised ("Adobe Premiere Pro Editor" names a product). Its first word
    may be capitalised, if two words are left for a name ("Jane Doe editor" keeps
    "Doe")."""
    last = tokens[-1]
    if not last[:1].islower():
        return None if last[:1].isupper() else len(tokens) - 1
    k = len(tokens) - 1
    while k > 0 and tokens[k - 1].isalpha() and tokens[k - 1].islower():
        k -= 1
    if k >= 3 and tokens[k - 1][:1].isupper():
        k -= 1
    return k


def role_byline(text: str, roles: frozenset[str], joins: frozenset[str],
                stopwords: frozenset[str] = frozenset()) -> tuple[list[str], bool] | None:
    """A byline that puts the role after the names ("김지현 기자", "김지현·박민수 기자",
    "김지현 기자 kim@example.com"): (names, True), or None.

    The names are one to four (``joins`` or ``,``/``·`` between them). A name in a script
    without letter case is one to four words of that script, none a stop word (a Korean
    name is one word); in a cased script two to four capitalised words.
    """
    tokens = text.split()
    while tokens and (_EMAIL.match(tokens[-1]) or not any(c.isalnum() for c in tokens[-1])):
        tokens.pop()  # an e-mail address or "=" after the role
    if len(tokens) < 2 or fold(tokens[-1].strip(".,:")) not in roles:
        return None
    start = _role_start(tokens)
    if start is None:
        return None
    names: list[list[str]] = [[]]
    for word in _ROLE_SEPARATORS.sub(" , ", " ".join(tokens[:start])).split():
        if word == "," or fold(word) in joins:
            names.append([])
        else:
            names[-1].append(word)
    if len(names) > MAX_NAMES or any(not n for n in names):
        return None
    for name in names:
        caseless = all(is_caseless_letter(c) for w in name for c in w)
        cased = all(w[0].isupper() and w.replace("-", "").replace("'", "").isalpha()
                    for w in name)
        if not ((caseless and 1 <= len(name) <= MAX_NAME_WORDS)
                or (cased and 2 <= len(name) <= MAX_NAME_WORDS)):
            return None
        if any(fold(w) in stopwords or fold(w) in roles for w in name):
            return None
    return [" ".join(n) for n in names], True


_SENTENCE_END = (".", "!", "?", "…", "\"", "”", "»", "」", "。", "！", "？", "؟")
MIN_LAST_PARAGRAPH_WORDS = 20
STANDFIRST_WORDS = (5, 40)  # a standfirst between a headline and a bare byline name


class BareNameRule(Rule):
    """A name alone on a line in the page's header, with no "By": "Ольга Мельник" between
    the headline's dateline and its reading time, "Jane Doe" between the headline and
    its date. Many sites (most Ukrainian and Russian ones) write bylines so.

    A line of two to four capitalised words (no stop word, no digit, nothing the
    vocabulary knows as chrome) is a name only where a byline sits: above the first
    paragraph of prose, right next to a dateline, counter or byline a rule removed,
    with removed chrome or the headline on its other side. Elsewhere such a line is a
    subheading, a place or a menu item, and stays. It runs after the dateline rule, whose
    removals are its evidence; its names go to ``authors`` when no byline gave any.
    """

    name = "byline.name"
    description = "a lone author name in the page's header, beside its dateline or counter"

    def apply(self, doc: BlockDoc) -> None:
        blocks = doc.blocks
        n = len(blocks)
        stop = doc.vocab.stopwords
        particles = doc.vocab.word_set("name_particles")
        chrome = doc.vocab.chrome_keys
        found: list[int] = []
        standfirst: int | None = None
        for i, block in enumerate(blocks):
            if block.removed_by is None and is_prose(block, 15):
                if standfirst is not None or any(map(_under_headline, blocks[:i])):
                    break  # the header ends where the prose starts
                # (or, when it had no date yet, after one paragraph: a standfirst, then
                # the name and the date)
                standfirst = i
                continue
            if block.removed_by is not None or not 2 <= block.n_words <= MAX_NAME_WORDS:
                continue
            below = blocks[i + 1] if i + 1 < n else None
            if standfirst is None:
                if not _byline_place(blocks, i):
                    continue
            elif not (standfirst == i - 1 and _under_headline(below)):
                continue
            words = block.text.split()
            if (len(words) != block.n_words or block.key in chrome or not all(
                    is_name_word(w, particles, stop) and not glued_words(w) for w in words)):
                continue
            if i and blocks[i - 1].key == block.key:
                continue  # the headline said twice, not a name under it
            found.append(i)
        if len(found) != 1:
            return  # two lone names in a header are a list, not a byline
        i = found[0]
        if said_in_lower_case(blocks[i].text.split(), blocks):
            # A topic over the date ("Climate Change", "Design Style"), whose words
            # the article writes in lower case ("climate change"), was taken for the
            # author; a name's words are names throughout the page.
            return
        if doc.remove(i, self.name) and not doc.authors:
            doc.authors = [" ".join(blocks[i].text.split())]


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# punctuation around a word in running text (an address, "admissions.illinois.edu",
# is no word of the text)
_EDGES = "\"'“”‘’«»()[]{}.,;:!?…"


_ACRONYM = re.compile(r"[A-Z]{2,5}s?")


def said_in_lower_case(words: list[str], blocks: list[Block]) -> bool:
    """Whether every word of ``words`` is written in lower case in the page's text:
    common words ("climate change", "design style"), not a name's. An acronym among
    them is left out: no page writes "HR" as "hr", and "HR Strategy" is a topic (on a
    line in capitals every word is read: "TECH NEWS")."""
    found = [m.group() for w in words for m in _WORD.finditer(w) if m.group()[:1].isupper()]
    capitals = all(w.isupper() for w in found)
    wanted = {w.casefold() for w in found if capitals or not _ACRONYM.fullmatch(w)}
    said = {w.casefold() for b in blocks if b.removed_by is None
            for t in b.text.split() if _WORD.fullmatch(w := t.strip(_EDGES))
            and w[:1].islower()}
    return bool(wanted) and wanted <= said


# Words glued together, as copied link texts are ("DianaHR", "OfficeOrganizing",
# "DIYHome"): a capital after two lower-case letters, or a capital and a lower-case
# letter after two capitals. Names keep theirs: "McDonald", "DeAndre", "LeBron".
def glued_words(word: str) -> bool:
    cases = "".join("l" if c.islower() else "u" if c.isupper() else " " for c in word)
    return "llu" in cases or "uuul" in cases


def _byline_place(blocks: list[Block], i: int) -> bool:
    """Between a removed dateline (counter, byline) and other removed chrome, either way
    round, or between the headline and its removed dateline, or between a one-sentence
    standfirst under the headline and the dateline (a newsletter platform's header:
    headline / "The market keeps betting on cuts. The data keeps saying no." / Priya
    Raman / Feb 18, 2025)."""
    above = blocks[i - 1] if i else None
    below = blocks[i + 1] if i + 1 < len(blocks) else None
    if _under_headline(above) and _beside_chrome(below):
        return True
    if not _under_headline(below):
        return False
    if _beside_chrome(above) or _kept_headline(above):
        return True
    return (i >= 2 and _kept_headline(blocks[i - 2]) and above is not None
            and above.removed_by is None and ends_sentence(above)
            and STANDFIRST_WORDS[0] <= above.n_words <= STANDFIRST_WORDS[1])


def _kept_headline(block: Block | None) -> bool:
    return (block is not None and block.removed_by is None and block.n_words >= 3
            and is_headline_like(block))


def _under_headline(block: Block | None) -> bool:
    """A dateline or byline a rule removed: what sits under a headline. (Counters sit
    there too, "7 min read", but as often beside a shop's "Live Chat": "0 items".)"""
    return (block is not None and block.removed_by is not None
            and block.removed_by.split(".")[0] in ("dateline", "byline"))


def _beside_chrome(block: Block | None) -> bool:
    return block is not None and block.removed_by is not None


class SignatureRule(Rule):
    """A name signed under the article: the last paragraph, then a line of two to four
    capitalised words (no stop word, no digit) opening with a listed surname
    (``words.surnames``), then chrome a rule has removed (a share row) or the end. Its
    names go to ``authors`` when no byline gave any; the line stays.

    The surname is what tells a name from the other capitalised lines that end an
    article's run of text ("Visit Stack Exchange", "Privacy Policy", "United States",
    "Explore Related Articles": without it the rule named 70 such lines on WCXB pages as
    authors). So the rule works where a language has a closed set of surnames that
    nearly every name opens with (Vietnamese "Nguyễn", "Trần", "Lê", …) and stands down
    elsewhere.
    """

    name = "byline.signature"
    description = "a name signed under the article's last paragraph goes to the authors"

    def apply(self, doc: BlockDoc) -> None:
        if doc.authors:
            return
        surnames = doc.vocab.word_set("surnames")
        if not surnames:
            return
        stop = doc.vocab.stopwords
        particles = doc.vocab.word_set("name_particles")
        blocks = doc.blocks
        for i, block in doc.iter_alive():
            if not 2 <= block.n_words <= MAX_NAME_WORDS or i == doc.title_index:
                continue
            if i + 1 < len(blocks) and blocks[i + 1].removed_by is None:
                continue  # a heading over what follows, not a signature
            prev = doc.prev_alive(i)
            if prev is None:
                continue
            last = blocks[prev]
            if not (last.n_words >= MIN_LAST_PARAGRAPH_WORDS
                    and last.text.rstrip().endswith(_SENTENCE_END)):
                continue
            words = block.text.split()
            if fold(words[0]) not in surnames:
                continue
            if len(words) != block.n_words or not all(
                    (w[0].isupper() and w.replace("-", "").isalpha()
                     and fold(w) not in stop) or fold(w) in particles for w in words):
                continue
            after = doc.next_alive(i)
            if after is not None and blocks[after].n_words >= MIN_LAST_PARAGRAPH_WORDS:
                continue  # more article after it: a subheading
            doc.authors = [" ".join(words)]
            return
