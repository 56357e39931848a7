"""Train the headline scorer shipped in ``cleaners/data/title_model.json``.

    python bench/train_title_model.py

For every train-split page whose true title (WCXB ``title``) is a line of its dump, the
candidate blocks (cleaners/title.py) after the rule pass are labelled by whether their
folded text is the folded title (or the title without a site name around it); a logistic
regression is fitted on them. Accuracy is reported on held-out pages: exact title found,
wrong title taken, no title taken.

Data: WCXB v1.0 dev split (Murrough Foley, 2026, CC-BY-4.0).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from hashlib import sha1
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.wcxb import CREDIT, pages
from cleaners.blocks import split_blocks
from cleaners.cleaner import Cleaner
from cleaners.normalize import fold, normalize_text
from cleaners.title import TITLE_FEATURES, TitleScorer, _candidates, title_features

OUT = Path(__file__).resolve().parent.parent / "cleaners" / "data" / "title_model.json"


URL_DROPOUT = 0.3  # dumps often come without a URL: train for both cases


def drop_url(pid: str, url: str) -> str | None:
    """Deterministically forget the URL of ~30% of pages (by id hash)."""
    return None if int(sha1(pid.encode()).hexdigest()[:6], 16) % 100 < URL_DROPOUT * 100 else url


def page_rows(args: tuple[str, str, str, str]):  # type: ignore[no-untyped-def]
    pid, dump, title, url = args
    cleaner = Cleaner(classifier=None, dedup=[], detect_lang=False)
    doc = cleaner.rule_pass(split_blocks(normalize_text(dump)))
    cands = _candidates(doc)
    if not cands or not any(b.removed_by for b in doc.blocks):
        return pid, None, None, fold(title)
    X = title_features(doc, cands, url)
    key = fold(title)
    y = np.array([1 if is_headline_of(doc.blocks[i].key, key) else 0 for i in cands])
    return pid, X, y, key


def is_headline_of(line: str, title: str) -> bool:
    """The dump line is the page's headline: the same text, or the <title>-style title
    with the site name around it ("Headline - Site", "Site | Headline")."""
    if line == title:
        return True
    if len(line) < 15 or not title:
        return False
    return line in title and len(line) >= 0.5 * len(title)


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    data = {}
    for split in ("train", "holdout"):
        jobs = [(p.id, p.dump(), p.title, drop_url(p.id, p.url)) for p in pages(split)]
        with Pool(args.workers) as pool:
            data[split] = pool.map(page_rows, jobs, chunksize=8)
    rows = [(X, y) for _, X, y, _ in data["train"] if X is not None and y.any()]
    X = np.vstack([r[0] for r in rows])
    y = np.concatenate([r[1] for r in rows])
    mean, std = X.mean(axis=0), X.std(axis=0) + 1e-6
    clf = LogisticRegression(C=1.0, max_iter=2000)
    clf.fit((X - mean) / std, y)
    spec = {"features": TITLE_FEATURES, "mean": mean.tolist(), "std": std.tolist(),
            "coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0])}
    best = None
    for threshold in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7):
        spec["threshold"] = threshold
        scorer = TitleScorer(spec)
        c = Counter()
        for _, Xp, yp, _ in data["train"]:
            if Xp is None:
                continue
            s = scorer.scores(Xp)
            k = int(np.argmax(s))
            if s[k] >= threshold:
                c["right" if yp[k] else "wrong"] += 1
        score = c["right"] - 1.5 * c["wrong"]  # a wrong title costs more than none
        if best is None or score > best[0]:
            best = (score, threshold)
    for split in ("train", "holdout"):
        for threshold in (0.2, 0.3, 0.4, 0.5, 0.6):
            spec["threshold"] = threshold
            scorer = TitleScorer(spec)
            c = Counter()
            for _, Xp, yp, _ in data[split]:
                if Xp is None:
                    continue
                s = scorer.scores(Xp)
                k = int(np.argmax(s))
                if s[k] >= threshold:
                    c["right" if yp[k] else "wrong"] += 1
            print(f"  {split} threshold {threshold}: {dict(c)}", file=sys.stderr)
    spec["threshold"] = best[1]
    spec["trained_on"] = f"{CREDIT}, train split only"
    scorer = TitleScorer(spec)
    for split in ("train", "holdout"):
        c = Counter()
        for _, Xp, yp, _ in data[split]:
            c["pages"] += 1
            if Xp is None:
                c["no candidates"] += 1
                continue
            s = scorer.scores(Xp)
            k = int(np.argmax(s))
            if s[k] < spec["threshold"]:
                c["none taken" + (" (title was there)" if yp.any() else "")] += 1
            else:
                c["right" if yp[k] else "wrong"] += 1
        print(split, dict(c))
    Path(args.out).write_text(json.dumps(spec, indent=1))
    print(f"threshold {spec['threshold']}; saved {args.out}")


if __name__ == "__main__":
    main()
