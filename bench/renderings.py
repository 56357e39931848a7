"""The dump cleaner on text other scrapers make of the same pages.

    python bench/renderings.py [--workers 2]
    python bench/renderings.py --model VAL.npz --validation 0.2   # another block model, on
                                            # the train pages it was not fitted on

WCXB's dumps are pages rendered in a browser and copied as text. A user's dumps come
from elsewhere too: Common Crawl's WET files and most scrapers put a line break at each
block element of the HTML; ``BeautifulSoup.get_text("\\n")`` and its kind put one at
every text node, so a link or a highlighted word inside a sentence gets a line of its
own. This renders each WCXB page's HTML both ways, with nothing of pagewash's own
extraction, and scores the cleaner's output against ``articleBody`` as
``clean_quality.py`` does (shingle F1 / word F1, all pages and held-out pages), beside
the raw rendering. The block model never saw either rendering.

- ``blocks``: a line per block element (p, div, li, h1-h6, td, br, ...), inline
  elements joined into it; script, style, noscript, template and svg dropped.
- ``textnodes``: a line per text node, the same elements dropped.

Data: WCXB v1.0 dev split (Murrough Foley, 2026, CC-BY-4.0), read from ../shared.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.metrics import aggregate
from bench.wcxb import CREDIT, Page, in_validation, pages

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "button", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "label", "li", "main", "nav", "ol", "option", "p", "pre", "section", "select",
    "table", "td", "th", "tr", "ul",
})
DROPPED = frozenset({"script", "style", "noscript", "template", "svg", "head"})


def render_blocks(html: str) -> str:
    """A line per block element, as WET files and most scrapers have it."""
    tree = LexborHTMLParser(html)
    lines: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        line = " ".join("".join(pending).split())
        if line:
            lines.append(line)
        pending.clear()

    def walk(node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag or ""
            if tag == "-text":
                pending.append(child.text_content or "")
            elif tag in DROPPED or tag.startswith("-"):
                continue
            elif tag in BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    root = tree.body or tree.root
    if root is not None:
        walk(root)
    flush()
    return "\n".join(lines)


def render_text_nodes(html: str) -> str:
    """A line per text node, as ``BeautifulSoup(html).get_text("\\n", strip=True)``."""
    tree = LexborHTMLParser(html)
    for node in tree.css(",".join(sorted(DROPPED - {"head"}))):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    parts = (" ".join(t.split()) for t in root.text(separator="\x00").split("\x00"))
    return "\n".join(p for p in parts if p)


RENDERINGS: dict[str, Callable[[str], str]] = {
    "blocks": render_blocks, "textnodes": render_text_nodes,
}
_CLEANER = None
_MODEL_FILE = ""  # --model, handed to the workers by _set_model


def _set_model(path: str) -> None:
    global _MODEL_FILE
    _MODEL_FILE = path


def run(page: Page) -> tuple[str, dict[str, tuple[str, str]]]:
    """The page as the dump and in each rendering, raw and cleaned."""
    global _CLEANER
    if _CLEANER is None:
        from cleaners import Cleaner
        from cleaners.model import load_model_file

        model = load_model_file(_MODEL_FILE) if _MODEL_FILE else "default"
        _CLEANER = Cleaner(classifier=model, detect_lang=False)
    html = page.html().decode("utf-8", "replace")
    dump = page.dump()
    out = {"dump": (dump, _CLEANER.clean(dump, url=page.url).text)}
    for name, render in RENDERINGS.items():
        raw = render(html)
        out[name] = (raw, _CLEANER.clean(raw, url=page.url).text)
    return page.id, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--model", default="", help="score this block model file instead")
    ap.add_argument("--validation", type=float, default=0.0,
                    help="score only this validation fraction of the train pages")
    args = ap.parse_args()
    index = {p.id: p for p in pages()}
    splits = ("all", "holdout")
    if args.validation > 0:
        index = {k: p for k, p in index.items()
                 if p.split == "train" and in_validation(k, args.validation)}
        splits = ("all",)
    with Pool(args.workers, initializer=_set_model, initargs=(args.model,)) as pool:
        results = dict(pool.imap_unordered(run, list(index.values()), chunksize=8))
    print(f"Data: {CREDIT}" + (f"; validation {args.validation} of train" if
                               args.validation > 0 else "") + "\n")
    print(f"{'split':8s} {'pages':8s} {'rendering':10s} {'raw':>15s} {'cleaned':>15s}   n")
    for split in splits:
        for kind in ("ALL", "article"):
            chosen = [p for p in index.values() if (split == "all" or p.split == split)
                      and kind in ("ALL", p.page_type)]
            for name in ("dump", *RENDERINGS):
                cols = defaultdict(list)
                for p in chosen:
                    raw, cleaned = results[p.id][name]
                    cols["raw"].append((raw, p.body))
                    cols["cleaned"].append((cleaned, p.body))
                raw_s, clean_s = aggregate(cols["raw"]), aggregate(cols["cleaned"])
                print(f"{split:8s} {kind:8s} {name:10s} "
                      f"{raw_s.shingle_f1:.3f} / {raw_s.word_f1:.3f}   "
                      f"{clean_s.shingle_f1:.3f} / {clean_s.word_f1:.3f}   {len(chosen)}")


if __name__ == "__main__":
    main()
