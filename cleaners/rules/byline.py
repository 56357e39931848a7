"""Bylines: "By Jane Doe and John Smith", "Par Julie Martin", "Автор: Иван Петров".

A byline is not article text, and its names belong in the record's ``authors``, as a
dateline's date belongs in ``published``. A block is a byline when it starts with a
byline phrase (``words.byline`` minus the joining words ``words.byline_joins``) and
the rest is one to four names of two to four words each: capitalised words, name
particles (``name_particles``: "van", "de", "bin") allowed, joined by commas or the
joining words. "By the numbers" and "By 2030, half of all cars …" are not names; a
page with more than :data:`MAX_BYLINES` lines opening with a byline word is a listing
whose items carry their authors as content, or has a menu of facets ("By Industry",
"By Company Size", "By Use Case"), and the rule leaves it alone.
"""

from __future__ import annotations

from functools import cache

from cleaners.blocks import Block, BlockDoc
from cleaners.normalize import fold
from cleaners.rules.base import Rule

MAX_BYLINES = 2
MAX_NAMES = 4
MAX_NAME_WORDS = 4
MAX_BYLINE_WORDS = 16


class BylineRule(Rule):
    name = "byline"
    description = "a byline (By Jane Doe and John Smith); its names go to the record's authors"

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        joins = vocab.word_set("byline_joins")
        prefixes = _prefixes(vocab.word_set("byline"), joins)
        if not prefixes:
            return
        particles = vocab.word_set("name_particles")
        found: list[tuple[int, list[str]]] = []
        shaped = 0  # lines opening with a byline word, names or not ("By Industry")
        for i, block in doc.iter_alive():
            if not (2 <= block.n_words <= MAX_BYLINE_WORDS and block.words[0] in prefixes.first):
                continue
            shaped += 1
            if shaped > MAX_BYLINES:
                return
            names = byline_names(block, prefixes, joins, particles)
            if names:
                found.append((i, names))
        for i, _ in found:
            doc.remove(i, self.name)
        if found and not doc.authors:
            doc.authors = found[0][1]


class _Prefixes:
    __slots__ = ("first", "phrases")

    def __init__(self, phrases: tuple[str, ...]) -> None:
        self.phrases = phrases  # longest first
        self.first = frozenset(p.split(" ", 1)[0] for p in phrases)

    def __bool__(self) -> bool:
        return bool(self.phrases)


@cache
def _prefixes(byline: frozenset[str], joins: frozenset[str]) -> _Prefixes:
    return _Prefixes(tuple(sorted(byline - joins, key=len, reverse=True)))


def byline_names(block: Block, prefixes: _Prefixes, joins: frozenset[str],
                 particles: frozenset[str]) -> list[str] | None:
    """The names of a byline block, or None when the block is not a byline.

    Names are two to four words ("Jane Doe", "Ludwig van Beethoven"): a single word
    after "By" is a menu facet ("By Industry", "By Role") as often as a name.
    """
    key = block.key
    phrase = next((p for p in prefixes.phrases if key.startswith(p) and len(key) > len(p)
                   and key[len(p)] in " :"), None)
    if phrase is None:
        return None
    tokens = block.text.split()
    while tokens and not any(c.isalnum() for c in tokens[0]):
        tokens.pop(0)  # a bullet or dash before "By"
    rest = tokens[len(phrase.split()):]
    if rest and rest[0] == ":":  # "Author : Jane Doe"
        rest = rest[1:]
    names: list[list[str]] = [[]]
    for raw in " ".join(rest).replace(",", " , ").split():
        if raw in (",", "&") or fold(raw) in joins:
            if not names[-1]:
                return None  # two joins in a row, or a join first
            names.append([])
            continue
        word = raw.strip(".")
        if not word:
            continue
        if word.endswith(":"):
            return None  # "Contact Form: Click Here"
        if not (word[0].isupper() or fold(word) in particles) or any(c.isdigit() for c in word):
            return None
        names[-1].append(raw)
    if not names[-1]:
        return None
    if len(names) > MAX_NAMES or any(not 2 <= len(n) <= MAX_NAME_WORDS for n in names):
        return None  # one word is a menu facet ("By Industry") as often as a name
    if any(fold(w) in prefixes.first for n in names for w in n):
        return None  # "By Age, By Gender": a list of facets
    return [" ".join(n) for n in names]
