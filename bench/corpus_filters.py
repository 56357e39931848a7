"""Corpus quality filters: what each one drops, and what it costs.

    python bench/corpus_filters.py                 # true article texts and raw dumps
    python bench/corpus_filters.py --cleaned       # + the dumps as ``pagewash clean`` leaves them

Each rule of ``scraper.steps.filters`` (the default ones and those switched on by name,
such as Gopher's repetition rules) judges every text by itself -- not "the first rule
that fails", as in a run -- so each row says what that rule alone would take:

- ``truth``: WCXB's ``articleBody`` of every page, the text a perfect extractor would
  give. It is the page's real content, so a drop here is a cost (by page type: dropping
  a listing's repeated rows is the rule doing its job; dropping an article is a loss).
- ``cleaned`` (``--cleaned``): the dumps after ``pagewash clean``, what a corpus run
  usually gets.
- ``raw``: the dumps as a naive scraper stored them (menus, repeated teasers), where
  the repetition rules are meant to bite.
- ``languages``: text in other languages, where a drop is a loss too: the articles of
  ``fixtures/multilingual/expected`` (25 languages with a stop-word list: ``listed``)
  and ``bench/data/prose`` (20 languages without one: ``unlisted``).
- ``gibberish``: random letters in sentences (words of 3-8 letters, capitalised, full
  stops), 20 texts per alphabet; here a drop is the rule doing its job (the
  ``gibberish`` group should read 100%).

Only texts of at least 50 words are judged (shorter ones are ``too-short`` anyway).
Cost: CPU time per rule over all texts of a set, with the tokens, lines and language
already known (as in a run, where they are computed once for all rules).

Data: WCXB v1.0 dev split (Murrough Foley, 2026, CC-BY-4.0), read from ../shared.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.wcxb import CREDIT, pages
from cleaners.langid import detect_language
from scraper.document import Document
from scraper.steps.filters import GROUPS, RULES, TextStats

MIN_WORDS = 50
DEFAULTS = "(all defaults)"
ROOT = Path(__file__).resolve().parent.parent
# Letters of each alphabet the gibberish is made of (Hangul: syllable blocks).
ALPHABETS = {
    "latin": "abcdefghijklmnopqrstuvwxyz",
    "latin-accents": "abcdefghijklmnopqrstuvwxyzéèàçüöäñåøłšžő",
    "cyrillic": "абвгдежзийклмнопрстуфхцчшщыэюяіїє",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "hangul": "".join(chr(c) for c in range(0xAC00, 0xD7A4, 37)),
    "devanagari": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसहािीुूेैोौं",
}


def gibberish(alphabet: str, seed: int) -> str:
    """Five paragraphs of four sentences of 6-14 random "words" of 3-8 letters."""
    rng = random.Random(seed)

    def sentence() -> str:
        words = ("".join(rng.choice(alphabet) for _ in range(rng.randint(3, 8)))
                 for _ in range(rng.randint(6, 14)))
        return " ".join(words).capitalize() + "."

    return "\n\n".join(" ".join(sentence() for _ in range(4)) for _ in range(5))


def texts(which: str) -> list[tuple[str, str]]:
    """(page type, text) of every page, for one of the sets the docstring names."""
    out = []
    if which == "languages":
        for path in sorted((ROOT / "fixtures/multilingual/expected").glob("*.txt")):
            out.append(("listed", path.read_text("utf-8")))
        for path in sorted((ROOT / "bench/data/prose").glob("*.txt")):
            out.append(("unlisted", path.read_text("utf-8")))
        return out
    if which == "gibberish":
        return [(name, gibberish(letters, seed)) for name, letters in ALPHABETS.items()
                for seed in range(20)]
    if which == "cleaned":
        from cleaners import Cleaner

        cleaner = Cleaner(detect_lang=False)
    for page in pages():
        if which == "truth":
            text = page.body
        elif which == "raw":
            text = page.dump()
        else:
            text = cleaner.clean(page.dump(), url=page.url).text
        out.append((page.page_type, text))
    return out


def judge(items: list[tuple[str, str]]) -> tuple[int, Counter[tuple[str, str]],
                                                 dict[str, float], float]:
    """Texts judged, drops by (rule, page type), CPU seconds per rule, megabytes."""
    stats = []
    for page_type, text in items:
        doc = Document(source="", text=text, language=detect_language(text))
        s = TextStats(doc)
        if s.word_count < MIN_WORDS:
            continue
        s.lines  # noqa: B018 -- computed once, before the rules are timed
        s.paragraphs  # noqa: B018
        stats.append((page_type, s))
    drops: Counter[tuple[str, str]] = Counter()
    cost: dict[str, float] = {}
    failed: dict[str, set[int]] = {}
    for name, cls in RULES.items():
        rule = cls()
        t0 = time.process_time()
        failed[name] = {k for k, (_, s) in enumerate(stats) if rule.check(s) is not None}
        cost[name] = time.process_time() - t0
    # a group (and all default rules together) drops what any of its rules drops
    combined = {**GROUPS, DEFAULTS: tuple(n for n, c in RULES.items() if c.default)}
    for name, members in combined.items():
        failed[name] = set().union(*(failed[m] for m in members))
        cost[name] = sum(cost[m] for m in members)
    for name, indices in failed.items():
        for k in indices:
            drops[name, stats[k][0]] += 1
            drops[name, "ALL"] += 1
    megabytes = sum(len(s.text.encode()) for _, s in stats) / 1e6
    return len(stats), drops, cost, megabytes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cleaned", action="store_true",
                    help="also judge the dumps as pagewash clean leaves them")
    ap.add_argument("--sets", default="",
                    help="only these sets, comma-separated (truth, cleaned, raw, "
                         "languages, gibberish)")
    args = ap.parse_args()
    sets = ["truth", "cleaned", "raw"] if args.cleaned else ["truth", "raw"]
    sets += ["languages", "gibberish"]
    if args.sets:
        sets = args.sets.split(",")
    if {"truth", "cleaned", "raw"} & set(sets):
        print(f"Data: {CREDIT}")
    for which in sets:
        items = texts(which)
        n, drops, cost, megabytes = judge(items)
        types = Counter(page_type for page_type, text in items)
        print(f"\n== {which}: {n} texts of at least {MIN_WORDS} words, {megabytes:.1f} MB "
              "(share each rule alone would drop)")
        first = ["article"] if "article" in types else []
        columns = ["ALL", *first, *sorted(t for t in types if t not in first)]
        print(f"{'rule':16s} {'default':>7s} " + " ".join(f"{c[:8]:>8s}" for c in columns)
              + f" {'MB/CPU-s':>9s}")
        judged = Counter(page_type for page_type, text in items
                         if TextStats(Document(source="", text=text)).word_count >= MIN_WORDS)
        judged["ALL"] = n
        for name in [*RULES, DEFAULTS, *GROUPS]:
            row = " ".join(f"{drops[name, c] / max(judged[c], 1):8.1%}" for c in columns)
            speed = megabytes / cost[name] if cost[name] > 0 else float("inf")
            members = GROUPS.get(name, (name,)) if name != DEFAULTS else ()
            default = "yes" if all(RULES[m].default for m in members) else "no"
            print(f"{name:16s} {default:>7s} {row} {speed:9.1f}")


if __name__ == "__main__":
    main()
