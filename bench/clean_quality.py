"""Dump-cleaner benchmark: quality against WCXB articleBody, and speed.

    python bench/clean_quality.py                 # quality, all variants, all splits
    python bench/clean_quality.py --speed         # + single-core throughput and stage costs,
                                                  #   and the command with 1 and N workers
    python bench/clean_quality.py --no-content-sweep   # the block model's no-content cut
    python bench/clean_quality.py --metadata --no-quality   # titles and authors found
    python bench/clean_quality.py --model VAL.npz --validation 0.2 --validation-only \
        --variants 'model,model:margin=4,model:off=section'  # settings and rule ablations,
                                              # on pages VAL.npz never saw

Quality: shingle F1 and word F1 (bench/metrics.py), overall and per page type, for the
raw dump, a C4-style line filter, pagewash with the heuristic classifier ("rules") and
pagewash with the trained block model ("model"), on the train split, the held-out split
(never seen by the model's training) and all pages. Scored text is the cleaned text;
a title pagewash finds goes to the record's title and is not scored as body.

Data: WCXB v1.0 dev split (Murrough Foley, 2026, CC-BY-4.0), read from ../shared.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import sys
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.baselines import c4_line_filter, raw_dump
from bench.metrics import aggregate
from bench.wcxb import CREDIT, Page, dataset_dir, in_validation, pages

VARIANTS = ("raw", "c4", "rules", "model")
# --model / --validation: another block model file (one fitted without the validation
# pages, `bench/train_block_model.py --validate F --validation-out FILE`), and the fraction
# of train pages to report as "validation". Workers get them through _set_options, so
# any process start method carries them.
MODEL_FILE = ""
VALIDATION = 0.0
VALIDATION_ONLY = False  # score the validation pages only (a quicker settings sweep)


def _set_options(model_file: str, validation: float, validation_only: bool) -> None:
    global MODEL_FILE, VALIDATION, VALIDATION_ONLY
    MODEL_FILE, VALIDATION = model_file, validation
    VALIDATION_ONLY = validation_only and validation > 0

_cleaners: dict[str, object] = {}


# variant setting -> the block model's attribute and its type
_SETTINGS = {"nc": ("no_content_logit", float), "th": ("threshold", float),
             "margin": ("margin", float), "fw": ("forest_weight", float),
             "restore": ("RESTORE_MAX_WORDS", int)}


def make_cleaner(variant: str):  # type: ignore[no-untyped-def]
    from cleaners import Cleaner
    from cleaners.model import load_default_model, load_model_file
    from cleaners.rules.context import ContextRule

    if variant == "rules":
        return Cleaner(classifier=ContextRule(), detect_lang=False)
    if variant == "model" or variant.startswith("model:"):
        model = load_model_file(MODEL_FILE) if MODEL_FILE else load_default_model()
        if model is None:
            return None
        disabled: list[str] = []
        if variant != "model":  # model:nc=-2;th=0.4;margin=3;fw=0.5;restore=12: other settings
            model = copy.copy(model)  # model:off=section.related: without that rule
            for setting in variant.removeprefix("model:").split(";"):
                key, value = setting.split("=")
                if key == "off":
                    disabled.append(value)
                    continue
                number = float("-inf") if value == "off" else float(value)
                attr, kind = _SETTINGS[key]
                setattr(model, attr, kind(number))
        return Cleaner(classifier=model, detect_lang=False, disabled=disabled)
    if variant == "none":
        return Cleaner(classifier=None, detect_lang=False)
    raise ValueError(variant)


def run_variant(args: tuple[str, str]) -> tuple[str, str]:
    variant, pid = args
    page = _page_index()[pid]
    dump = page.dump()
    if variant == "raw":
        return pid, raw_dump(dump)
    if variant == "c4":
        return pid, c4_line_filter(dump)
    if variant not in _cleaners:
        _cleaners[variant] = make_cleaner(variant)
    cleaner = _cleaners[variant]
    if cleaner is None:
        return pid, ""
    return pid, cleaner.clean(dump, url=page.url).text  # type: ignore[attr-defined]


_PAGES: dict[str, Page] | None = None


def _page_index() -> dict[str, Page]:
    global _PAGES
    if _PAGES is None:
        _PAGES = {p.id: p for p in pages()}
    return _PAGES


def quality(variants: list[str], workers: int) -> dict:
    index = _page_index()
    results: dict = {}
    with Pool(workers, initializer=_set_options,
              initargs=(MODEL_FILE, VALIDATION, VALIDATION_ONLY)) as pool:
        for variant in variants:
            if variant.startswith("model") and make_cleaner("model") is None:
                print("model: no trained model file; skipped", file=sys.stderr)
                continue
            t0 = time.perf_counter()
            todo = [pid for pid in index
                    if not VALIDATION_ONLY or in_validation(pid, VALIDATION)]
            outs = dict(pool.imap_unordered(run_variant, [(variant, pid) for pid in todo],
                                            chunksize=8))
            groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
            for pid, text in outs.items():
                page = index[pid]
                splits = ["all", page.split]
                if VALIDATION and in_validation(pid, VALIDATION):
                    splits.append("validation")
                for split in splits:
                    groups[(split, "ALL")].append((text, page.body))
                    groups[(split, page.page_type)].append((text, page.body))
            results[variant] = {f"{s}/{t}": vars(aggregate(v)) for (s, t), v in groups.items()}
            print(f"[{variant}] scored in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return results


def _metadata_of(pid: str) -> tuple[str, str | None, list[str], str | None]:
    page = _page_index()[pid]
    if "model" not in _cleaners:
        _cleaners["model"] = make_cleaner("model")
    result = _cleaners["model"].clean(page.dump(), url=page.url)  # type: ignore[attr-defined]
    return pid, result.title, list(result.authors), result.published


def metadata(workers: int) -> dict:
    """Headline, byline and date found in the dumps, against WCXB's ``title``,
    ``author`` and ``publish_date``.

    A title is right by the test the headline scorer was trained with
    (``bench.train_title_model.is_headline_of``: the true title, or most of it with the
    site name around it); authors are right when one of the names found equals or
    contains the true author, or is contained in it; a date is right when its day is
    the true one's (``date_unknown``: a date found where WCXB gives none).
    """
    from bench.train_title_model import is_headline_of
    from bench.wcxb import _truth
    from cleaners.normalize import fold

    index, truth = _page_index(), _truth()
    with Pool(workers, initializer=_set_options,
              initargs=(MODEL_FILE, VALIDATION, VALIDATION_ONLY)) as pool:
        found = list(pool.imap_unordered(_metadata_of, list(index), chunksize=8))
    out: dict = {}
    for split in ("all", "train", "holdout"):
        c: Counter[str] = Counter()
        for pid, title, authors, published in found:
            if split != "all" and index[pid].split != split:
                continue
            gold = fold(index[pid].title or "")
            if not title:
                c["title_none"] += 1
            elif is_headline_of(fold(title), gold):
                c["title_right"] += 1
            else:
                c["title_wrong"] += 1
            true_author = fold(truth[pid].get("author") or "")
            if authors:
                names = [fold(a) for a in authors]
                right = bool(true_author) and any(
                    n in true_author or true_author in n for n in names)
                c["authors_right" if right else
                  ("authors_unknown" if not true_author else "authors_wrong")] += 1
            elif true_author:
                c["authors_missed"] += 1
            true_day = (truth[pid].get("publish_date") or "")[:10]
            if published:
                c["date_right" if published[:10] == true_day else
                  ("date_unknown" if not true_day else "date_wrong")] += 1
            elif true_day:
                c["date_missed"] += 1
        out[split] = dict(sorted(c.items()))
    return out


def speed(repeat_docs: int | None = None) -> dict:
    """Single-core throughput of the full default cleaner (language detection included).

    CPU time of this process (``time.process_time``) is the measure of "per core", so
    other load on the machine does not count against pagewash; wall time is reported too.
    """
    from cleaners import Cleaner

    dumps = [p.dump() for p in pages()]
    if repeat_docs:
        dumps = dumps[:repeat_docs]
    total = sum(len(d.encode("utf-8")) for d in dumps)
    cleaner = Cleaner()
    cleaner.clean(dumps[0])  # warm-up: vocab, model and language profiles load once
    cleaner.timings = defaultdict(float)
    t0, w0 = time.process_time(), time.perf_counter()
    for d in dumps:
        cleaner.clean(d)
    secs, wall = time.process_time() - t0, time.perf_counter() - w0
    return {
        "documents": len(dumps),
        "megabytes": round(total / 1e6, 2),
        "cpu_seconds": round(secs, 2),
        "wall_seconds": round(wall, 2),
        "mb_per_cpu_s": round(total / 1e6 / secs, 2),
        "docs_per_cpu_s": round(len(dumps) / secs, 1),
        "stage_ms_per_doc": {
            k: round(v * 1000 / len(dumps), 3)
            for k, v in sorted(cleaner.timings.items(), key=lambda kv: -kv[1])
        },
    }


def command_speed(workers: int) -> dict:
    """``pagewash clean`` end to end over every dump file (read, clean, write JSONL),
    wall time, with one worker and with ``workers``: what a user waits for."""
    import tempfile

    from scraper.jobs import clean_files

    dumps = dataset_dir() / "dumps"
    total = sum(p.stat().st_size for p in dumps.glob("*.txt"))
    out: dict = {"megabytes": round(total / 1e6, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted({1, workers}):
            t0 = time.perf_counter()
            summary = clean_files([str(dumps)], str(Path(tmp) / f"w{n}.jsonl"), workers=n,
                                  rejects=str(Path(tmp) / f"rejects{n}.jsonl"),
                                  err=io.StringIO())  # 13 empty dump files: rejects
            secs = time.perf_counter() - t0
            out[f"workers={n}"] = {
                "wall_seconds": round(secs, 2), "records": summary.records_out,
                "rejected": summary.rejected, "docs_per_s": round(summary.documents_in / secs, 1),
                "mb_per_s": round(total / 1e6 / secs, 2),
            }
    return out


def language_detection(limit: int = 400) -> dict:
    """langdetect as shipped vs pagewash's deterministic scorer on the same samples."""
    from cleaners.langid import (
        DETECT_SAMPLE_CHARS,
        detect_language,
        detect_language_langdetect,
        detection_sample,
    )

    texts = [p.body for p in pages()][:limit]
    detect_language(texts[0])
    detect_language_langdetect(texts[0])
    out: dict = {"documents": len(texts)}
    for name, fn in (
        ("langdetect, whole text, 7 trials", lambda t: detect_language_langdetect(t)),
        (f"langdetect, {DETECT_SAMPLE_CHARS}-char sample, 7 trials",
         lambda t: detect_language_langdetect(detection_sample(t))),
        ("pagewash (langdetect profiles, all n-grams)", detect_language),
    ):
        t0 = time.process_time()
        answers = [fn(t) for t in texts]
        secs = time.process_time() - t0
        out[name] = {"ms_per_doc": round(secs * 1000 / len(texts), 3), "answers": answers}
    ref = out["langdetect, whole text, 7 trials"]["answers"]
    for value in list(out.values()):
        if isinstance(value, dict):
            value["agreement_with_langdetect"] = round(
                sum(a == b for a, b in zip(value.pop("answers"), ref, strict=True)) / len(ref), 3
            )
    return out


def print_table(results: dict) -> None:
    types = ["ALL", "article", "forum", "product", "collection", "listing", "documentation",
             "service"]
    splits = ["all", "holdout", "train"] + (["validation"] if VALIDATION else [])
    for split in splits:
        print(f"\n== split: {split}   (shingle F1 / word F1)")
        header = f"{'page type':14s}" + "".join(f"{v:>16s}" for v in results)
        print(header)
        for t in types:
            row = f"{t:14s}"
            n = 0
            for v in results:
                s = results[v].get(f"{split}/{t}")
                if s:
                    n = s["n"]
                    row += f"   {s['shingle_f1']:.3f} / {s['word_f1']:.3f}"
                else:
                    row += f"{'-':>16s}"
            print(row + f"   (n={n})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--speed", action="store_true", help="also measure single-core speed")
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--metadata", action="store_true",
                    help="also score the titles, authors and dates found against WCXB's")
    ap.add_argument("--json", help="write all numbers to this file")
    ap.add_argument("--no-content-sweep", action="store_true",
                    help="score the block model's no-content cut at several values "
                         "(choose on validation pages with --model and --validation, read holdout)")
    ap.add_argument("--model", default="", help="score this block model file instead of the "
                                                "shipped one")
    ap.add_argument("--validation", type=float, default=0.0,
                    help="also report this validation fraction of the train pages (the "
                         "pages a --validation-out model was not fitted on)")
    ap.add_argument("--validation-only", action="store_true",
                    help="with --validation: score only those pages")
    args = ap.parse_args()
    _set_options(args.model, args.validation, args.validation_only)
    if args.no_content_sweep:
        args.variants = ",".join(["model:nc=off"] + [f"model:nc={v}" for v in
                                                      (-1, -2, -3, -4)])
    print(f"Data: {CREDIT}")
    out: dict = {}
    if not args.no_quality:
        out["quality"] = quality(args.variants.split(","), args.workers)
        print_table(out["quality"])
    if args.metadata:
        out["metadata"] = metadata(args.workers)
        print("\n== title, authors and dates found (default cleaner) against WCXB's "
              "title, author and publish_date")
        print(json.dumps(out["metadata"], indent=2))
    if args.speed:
        out["speed"] = speed()
        print("\n== speed (one core, default cleaner incl. language detection)")
        print(json.dumps(out["speed"], indent=2))
        out["language"] = language_detection()
        print("\n== language detection cost (CPU) and agreement")
        print(json.dumps(out["language"], indent=2))
        out["command"] = command_speed(args.workers)
        print(f"\n== pagewash clean over all dump files, wall time, 1 and {args.workers} workers")
        print(json.dumps(out["command"], indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
