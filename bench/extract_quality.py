"""HTML extraction benchmark: pagewash extract vs trafilatura's default, same pages,
same run -- quality per page type, single-core speed, and 2-worker scaling.

    python bench/extract_quality.py                   # everything, all pages
    python bench/extract_quality.py --no-speed        # quality only
    python bench/extract_quality.py --limit 300       # a quicker subset
    python bench/extract_quality.py --json out.json   # also write every number

Quality: shingle F1 and word F1 (bench/metrics.py) of the extracted text against the
page's true main content, overall and per page type, on the train split (which the
block model and every threshold were fitted on), the held-out split (never used for
fitting) and all pages. pagewash runs ``extract_html(page, url=...)`` with defaults
(text format); trafilatura runs ``trafilatura.extract(page, url=...)`` with its
defaults. A title pagewash finds goes to the record's title, not into the scored text.

Titles: pagewash's record title against WCXB's ``title``, per split: exact (equal once
folded: case, quotes, dashes, spaces), right (the title with a site name or section
around it, the test ``bench/train_title_model.py`` uses), wrong, none.

Speed: pages per second on one core (one process, pages already in memory), both
systems over the same pages, after a warm-up. Scaling: pagewash's worker pool with 1
and with 2 workers over the same pages (workers started and warm before the clock).

Data: WCXB v1.0 dev split (Murrough Foley, 2026, CC-BY-4.0), read from ../shared.
Published dev-set word F1 for reference: trafilatura 0.791, rs-trafilatura 0.859,
MinerU-HTML 0.827.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.metrics import aggregate
from bench.wcxb import CREDIT, Page, pages

TYPES = ("ALL", "article", "forum", "product", "documentation", "listing", "collection",
         "service")
SYSTEMS = ("pagewash", "trafilatura")
_PAGES: dict[str, Page] = {}


def _index() -> dict[str, Page]:
    if not _PAGES:
        _PAGES.update({p.id: p for p in pages()})
    return _PAGES


def run_pagewash(html: bytes, url: str | None) -> str:
    return pagewash_record(html, url)[0]


def pagewash_record(html: bytes, url: str | None) -> tuple[str, str | None]:
    """(text, title) of pagewash's record for the page; ("", None) for a reject."""
    from scraper.errors import InputError
    from scraper.extract import extract_html

    try:
        ex = extract_html(html, url=url or None)
    except InputError:
        return "", None
    return ex.text, ex.title


def run_trafilatura(html: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url or None) or ""


def _both(pid: str) -> tuple[str, str, str, str | None]:
    logging.disable(logging.CRITICAL)
    page = _index()[pid]
    html = page.html()
    text, title = pagewash_record(html, page.url)
    return pid, text, run_trafilatura(html, page.url), title


def title_kind(found: str | None, gold: str) -> str:
    """exact / right / wrong / none: a record title against the page's true title."""
    from bench.train_title_model import is_headline_of
    from cleaners.normalize import fold

    if not found:
        return "none"
    if fold(found) == fold(gold):
        return "exact"
    return "right" if is_headline_of(fold(found), fold(gold)) else "wrong"


def quality(ids: list[str], workers: int) -> dict:
    index = _index()
    t0 = time.perf_counter()
    with Pool(workers) as pool:
        outs = {pid: (pw, tr, title)
                for pid, pw, tr, title in pool.imap_unordered(_both, ids, chunksize=4)}
    print(f"[quality] {len(ids)} pages in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    groups: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    titles: dict[str, Counter[str]] = defaultdict(Counter)
    for pid, (pw, tr, title) in outs.items():
        page = index[pid]
        for split in ("all", page.split):
            titles[split][title_kind(title, page.title)] += 1
            for kind in ("ALL", page.page_type):
                groups[("pagewash", split, kind)].append((pw, page.body))
                groups[("trafilatura", split, kind)].append((tr, page.body))
    out: dict = {f"{s}/{split}/{k}": vars(aggregate(v)) for (s, split, k), v in groups.items()}
    out["titles"] = {split: dict(sorted(c.items())) for split, c in titles.items()}
    return out


def speed(ids: list[str]) -> dict:
    """Single-core pages/s of both systems over the same in-memory pages.

    Rates are per CPU-second of this process (``time.process_time``), so a busy machine
    does not favour whichever system runs second; wall seconds are reported beside."""
    logging.disable(logging.CRITICAL)
    index = _index()
    data = [(index[pid].html(), index[pid].url) for pid in ids]
    total = sum(len(h) for h, _ in data)
    out: dict = {"pages": len(data), "megabytes": round(total / 1e6, 1)}
    for name, fn in (("trafilatura", run_trafilatura), ("pagewash", run_pagewash)):
        fn(*data[0])  # warm-up: imports, models, language profiles
        t0, c0 = time.perf_counter(), time.process_time()
        for html, url in data:
            fn(html, url)
        secs = time.process_time() - c0
        out[name] = {"cpu_seconds": round(secs, 2), "pages_per_s": round(len(data) / secs, 2),
                     "mb_per_s": round(total / 1e6 / secs, 2),
                     "wall_seconds": round(time.perf_counter() - t0, 2)}
    return out


def scaling(ids: list[str]) -> dict:
    """pagewash's worker pool with 1 and 2 workers over the same pages."""
    from scraper.extract.workers import PageJob, PagePool

    index = _index()
    jobs = [PageJob(index[pid].html(), pid, index[pid].url or None) for pid in ids]
    out: dict = {"pages": len(jobs)}
    for workers in (1, 2):
        with PagePool(workers) as pool:
            pool.wait_ready()
            t0 = time.perf_counter()
            for _ in pool.map(jobs):
                pass
            secs = time.perf_counter() - t0
        out[f"workers_{workers}"] = {"seconds": round(secs, 2),
                                     "pages_per_s": round(len(jobs) / secs, 2)}
    out["speedup"] = round(out["workers_1"]["seconds"] / out["workers_2"]["seconds"], 2)
    return out


def print_quality(results: dict) -> None:
    for split in ("all", "holdout", "train"):
        print(f"\n== split: {split}   (shingle F1 / word F1)")
        print(f"{'page type':14s}" + "".join(f"{s:>20s}" for s in SYSTEMS) + "    n")
        for kind in TYPES:
            row, n = f"{kind:14s}", 0
            for system in SYSTEMS:
                sc = results.get(f"{system}/{split}/{kind}")
                if sc:
                    n = sc["n"]
                    row += f"      {sc['shingle_f1']:.3f} / {sc['word_f1']:.3f}"
                else:
                    row += f"{'-':>20s}"
            print(f"{row}   {n:4d}")
    print("\n== pagewash titles against WCXB title (exact / right / wrong / none)")
    for split in ("all", "holdout", "train"):
        c = results.get("titles", {}).get(split, {})
        n = sum(c.values()) or 1
        print(f"  {split:8s} " + "  ".join(
            f"{k} {c.get(k, 0):4d} ({100 * c.get(k, 0) / n:4.1f}%)"
            for k in ("exact", "right", "wrong", "none")))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", default="all", choices=("all", "train", "holdout"),
                    help="pages to use (quality is always broken down by split)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N pages")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="processes for the (untimed) quality run")
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--json", help="write all numbers to this file")
    args = ap.parse_args()
    print(f"Data: {CREDIT}")
    ids = [p.id for p in pages(args.split)]
    if args.limit:
        ids = ids[: args.limit]
    out: dict = {"pages": len(ids), "split": args.split}
    if not args.no_quality:
        out["quality"] = quality(ids, args.workers)
        print_quality(out["quality"])
    if not args.no_speed:
        out["speed"] = speed(ids)
        s = out["speed"]
        print(f"\n== speed, one core, {s['pages']} pages ({s['megabytes']} MB)")
        for name in ("trafilatura", "pagewash"):
            print(f"  {name:12s} {s[name]['pages_per_s']:7.2f} pages/s  "
                  f"{s[name]['mb_per_s']:6.2f} MB/s  ({s[name]['cpu_seconds']} CPU s, "
                  f"{s[name]['wall_seconds']} wall s)")
    if not args.no_scaling:
        out["scaling"] = sc = scaling(ids)
        print(f"\n== pagewash worker pool, {sc['pages']} pages")
        for w in (1, 2):
            print(f"  workers={w}  {sc[f'workers_{w}']['pages_per_s']:7.2f} pages/s")
        print(f"  speedup with 2 workers: {sc['speedup']:.2f}x (cores: {os.cpu_count()})")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2), "utf-8")


if __name__ == "__main__":
    main()
