"""Corpus job benchmark: throughput, and near-duplicate recall on planted copies.

    python bench/corpus_bench.py                      # work files in a temp directory
    python bench/corpus_bench.py --work /tmp/cb       # keep (and reuse) the cleaned dumps

1. The 1,497 WCXB dumps are cleaned once with ``pagewash clean`` into
   ``<work>/clean.jsonl`` (reused when present: cleaning is not what is measured).
2. The corpus input is every cleaned record, then every record again with one line
   in its middle replaced by another sentence (id ``<id>~copy``) -- a planted near
   duplicate, after its original in input order, so the original must be kept.
3. ``corpus_files`` runs on it five times: in memory; exact dedup only; in memory with
   Gopher's repetition rules (``--enable repetition``); with ``--state`` on a new
   SQLite file; and, as the incremental case, the copies alone against that state.

Reported: documents/s and MB/s of input text (wall time and this process's CPU time;
the machine is shared, so both are rough), drops by reason, the share of planted
copies caught (overall, and among those whose true word-5-gram Jaccard similarity to
their original is at least the threshold -- a one-line change in a 60-word record
is no longer a near duplicate at 0.8), and originals dropped as duplicates of other
originals (mostly real duplicates in the set: the same site's pages).

Data: WCXB v1.0 dev split (Murrough Foley, 2026, CC-BY-4.0), read from ../shared.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.wcxb import CREDIT, dataset_dir
from scraper.dedup.minhash import LshParams, MinHasher
from scraper.jobs import clean_files, corpus_files

CHANGED = "This sentence was changed by the benchmark, and nothing else in the copy was."


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def cleaned(work: Path) -> Path:
    out = work / "clean.jsonl"
    if not out.exists():
        t0 = time.perf_counter()
        summary = clean_files([str(dataset_dir() / "dumps")], str(out), err=io.StringIO())
        print(f"cleaned {summary.records_out} dumps in {time.perf_counter() - t0:.0f}s "
              f"-> {out}", file=sys.stderr)
    return out


def perturb(text: str) -> str:
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if filled:
        lines[filled[len(filled) // 2]] = CHANGED
    return "\n".join(lines)


def build_input(records: list[dict[str, Any]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        for rec in records:
            copy = dict(rec, id=f"{rec['id']}~copy", text=perturb(rec["text"]))
            f.write(json.dumps(copy, ensure_ascii=False) + "\n")


def true_jaccard(hasher: MinHasher, a: str, b: str) -> float:
    x, y = set(hasher.shingles(a).tolist()), set(hasher.shingles(b).tolist())
    return len(x & y) / len(x | y) if x | y else 1.0


def timed_run(label: str, inputs: list[str], output: Path, mb: float,
              **options: Any) -> tuple[Any, list[dict[str, Any]]]:
    dropped = output.with_suffix(".dropped.jsonl")
    w0, c0 = time.perf_counter(), time.process_time()
    summary = corpus_files(inputs, str(output), dropped=str(dropped), err=io.StringIO(),
                           **options)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    n = summary.documents_in
    print(f"| {label} | {n:,} | {summary.records_out:,} | {wall:.1f} | {n / wall:.0f} | "
          f"{mb / wall:.2f} | {n / cpu:.0f} | {mb / cpu:.2f} |")
    drops = read_jsonl(dropped)
    return summary, drops


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, help="directory for work files (default: temp)")
    ap.add_argument("--threshold", type=float, default=0.8)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="corpus-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    records = read_jsonl(cleaned(work))
    records = [r for r in records if r["text"].strip()]
    source = work / "corpus-input.jsonl"
    build_input(records, source)
    copies_only = work / "copies.jsonl"
    with open(source, encoding="utf-8") as f:
        lines = f.readlines()
    copies_only.write_text("".join(lines[len(records):]), "utf-8")
    mb_all = source.stat().st_size / 1e6
    mb_copies = copies_only.stat().st_size / 1e6

    print(f"Data: {CREDIT}; {len(records):,} cleaned records + as many planted copies, "
          f"{mb_all:.1f} MB of JSONL\n")
    print("| run | docs in | out | wall s | docs/s | MB/s | docs/CPU-s | MB/CPU-s |")
    print("|---|---|---|---|---|---|---|---|")
    summary, drops = timed_run("in memory", [str(source)], work / "mem.jsonl", mb_all,
                               near_threshold=args.threshold)
    timed_run("exact dedup only", [str(source)], work / "exact.jsonl", mb_all,
              near_dedup=False)
    _, rep_drops = timed_run("in memory, --enable repetition", [str(source)],
                             work / "repetition.jsonl", mb_all,
                             near_threshold=args.threshold, enable=["repetition"])
    state = work / "state.sqlite"
    for p in (state, Path(f"{state}-wal"), Path(f"{state}-shm")):
        p.unlink(missing_ok=True)
    originals = [r for r in records if not r["id"].endswith("~copy")]
    half = work / "originals.jsonl"
    half.write_text("".join(lines[: len(records)]), "utf-8")
    timed_run("--state, new (originals)", [str(half)], work / "state1.jsonl",
              half.stat().st_size / 1e6, near_threshold=args.threshold, state=str(state))
    s3, _ = timed_run("--state, 2nd run (copies only)", [str(copies_only)],
                           work / "state2.jsonl", mb_copies, near_threshold=args.threshold,
                           state=str(state))

    hasher = MinHasher(LshParams.for_threshold(args.threshold))
    by_id = {r["id"]: r for r in originals}
    dropped_ids = {d["id"]: d for d in drops}
    kept_originals = [r for r in originals if r["id"] not in dropped_ids]
    caught = caught_similar = similar = 0
    for rec in kept_originals:
        copy_id = f"{rec['id']}~copy"
        d = dropped_ids.get(copy_id)
        hit = d is not None and d["reason"] in ("near-duplicate", "exact-duplicate")
        caught += hit
        if true_jaccard(hasher, rec["text"], perturb(rec["text"])) >= args.threshold:
            similar += 1
            caught_similar += hit
    wrong = [d for d in drops if d["id"] in by_id
             and d["reason"] in ("near-duplicate", "exact-duplicate")]
    print(f"\ndrops (in memory): {json.dumps(summary.dropped, sort_keys=True)}")
    reasons: dict[str, int] = {}
    for d in rep_drops:
        reasons[d["reason"]] = reasons.get(d["reason"], 0) + 1
    print(f"drops (in memory, --enable repetition): {json.dumps(reasons, sort_keys=True)}")
    print(f"planted copies of kept originals caught: {caught}/{len(kept_originals)} "
          f"({caught / max(len(kept_originals), 1):.1%}); among copies with true Jaccard "
          f">= {args.threshold}: {caught_similar}/{similar} "
          f"({caught_similar / max(similar, 1):.1%})")
    print(f"originals dropped as duplicates of other originals: {len(wrong)} "
          f"(exact {sum(d['reason'] == 'exact-duplicate' for d in wrong)}, "
          f"near {sum(d['reason'] == 'near-duplicate' for d in wrong)})")
    print(f"incremental run (copies only, against the state): {s3.records_out} written, "
          f"drops {json.dumps(s3.dropped, sort_keys=True)}")
    print(f"work files: {work}")


if __name__ == "__main__":
    main()
