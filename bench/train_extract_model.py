"""Train the extract block model (``scraper/extract/data/block_model.npz``).

    python bench/train_extract_model.py                # features, fit, threshold, save
    python bench/train_extract_model.py --no-save      # fit and report only

Every page of the WCXB *train* split goes through :func:`analyse_page` -- exactly what
``pagewash extract`` does before its content decision -- and each text block is
labelled by the page's true main content: a block of three or more tokens is content
when at least half of its 3-token shingles occur in the truth; a shorter block when it
is a whole line of the truth. Blocks are weighted by their share of the page's tokens,
so every page counts the same, as in the per-page word F1 the benchmark reports. A
third of the train articles are also seen lengthened (:func:`lengthen`), so that the
model keeps articles far longer than WCXB's; ``--no-long`` trains without them.

A scikit-learn HistGradientBoostingClassifier is fitted on those blocks and exported
as plain node arrays (numpy evaluates it at run time, see scraper/extract/select.py).
The probability threshold is chosen on the train split for mean per-page word F1; the
held-out split (never used here for fitting or choosing) is scored at the end.

Data: WCXB v1.0 dev split (Murrough Foley, 2026, CC-BY-4.0), read from ../shared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zlib
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.metrics import TOKEN, aggregate, word_f1
from bench.wcxb import CREDIT, Page, pages, true_paragraphs

OUT = Path(__file__).resolve().parent.parent / "scraper/extract/data/block_model.npz"
TYPE_OUT = OUT.with_name("pagetype_model.npz")
SHINGLE = 3
MIN_TRUTH_TOKENS = 5
THRESHOLDS = np.round(np.arange(0.20, 0.80, 0.025), 3)


def label_blocks(texts: list[str], gold: str) -> tuple[np.ndarray, np.ndarray]:
    """(labels, weights) of a page's blocks against its true content."""
    g_tokens = [t.lower() for t in TOKEN.findall(gold)]
    g_sh = {" ".join(g_tokens[i : i + SHINGLE]) for i in range(len(g_tokens) - SHINGLE + 1)}
    g_lines = set()
    for line in gold.splitlines():
        toks = [t.lower() for t in TOKEN.findall(line)]
        if toks:
            g_lines.add(" ".join(toks))
    g_stream = " " + " ".join(g_tokens) + " "
    y = np.zeros(len(texts), dtype=np.int8)
    w = np.zeros(len(texts), dtype=np.float32)
    total = 0
    for i, text in enumerate(texts):
        toks = [t.lower() for t in TOKEN.findall(text)]
        total += len(toks)
        w[i] = len(toks)
        if not toks:
            continue
        if len(toks) >= SHINGLE:
            grams = [" ".join(toks[j : j + SHINGLE]) for j in range(len(toks) - SHINGLE + 1)]
            y[i] = sum(g in g_sh for g in grams) >= 0.5 * len(grams)
        else:
            key = " ".join(toks)
            y[i] = key in g_lines or (len(toks) == 2 and f" {key} " in g_stream)
    if total:
        w = w / total
    w = np.maximum(w, 1e-4)
    return y, w


_INDEX: dict[str, Page] = {}
_TYPES: dict[str, str] = {}  # page id -> page type given to analyse_page (set per run)


def _set_types(types: dict[str, str], long: bool = False) -> None:
    global _LONG
    _TYPES.clear()
    _TYPES.update(types)
    _LONG = long


def _page_index() -> dict[str, Page]:
    if not _INDEX:
        _INDEX.update({p.id: p for p in pages()})
    return _INDEX


def page_rows(pid: str) -> list[tuple]:  # type: ignore[type-arg]
    """Features, labels, weights, block shapes and texts of one page (in a worker), and
    of its lengthened copy when :data:`_LONG` asks for one."""
    from scraper.errors import InputError
    from scraper.extract.core import ExtractOptions
    from scraper.extract.pipeline import analyse_page

    page = _page_index()[pid]
    if len(TOKEN.findall(page.body)) < MIN_TRUTH_TOKENS:
        return []  # a page without a truth teaches only "everything is chrome"
    try:
        a = analyse_page(page.html(), pid, page.url, None, ExtractOptions(),
                         page_type=_TYPES.get(pid))
    except InputError:
        return []
    facts = a.facts()
    out = [_rows(pid, a.blocks, facts, page.body)]
    if _LONG and page.page_type == "article" and zlib.crc32(pid.encode()) % LONG_EVERY == 0:
        longer = lengthen(a.blocks, out[0][2], facts, page.body, pid)
        if longer is not None:
            out.append(_rows(f"{LONG_PREFIX}{pid}", *longer))
    return out


def _rows(pid: str, blocks: list, facts, body: str) -> tuple:  # type: ignore[no-untyped-def, type-arg]
    from scraper.extract.features import features, shape_ids

    texts = [b.text for b in blocks]
    y, w = label_blocks(texts, body)
    main = np.array([b.in_main for b in blocks], dtype=bool)
    return (pid, features(blocks, facts), y, w, main, shape_ids(blocks), texts,
            facts.traf_text)


# Long articles. A WCXB article has a few dozen paragraphs, so a model fitted on it
# alone learns that the last part of a page is its footer: one trained so cut about 150
# paragraphs from the end of a 300-paragraph article. Every LONG_EVERY-th train article is
# therefore also seen lengthened: true paragraphs of other train articles are put in the
# middle of its content, in the shape of its own paragraphs and in the text trafilatura
# kept (which is what trafilatura does on a long article), 60 to 600 of them, so that
# position alone no longer tells content from footer.
_LONG = False  # set in each worker by _set_types
LONG_EVERY = 3
LONG_PREFIX = "long:"
LONG_RANGE = (60, 600)
MIN_PARAGRAPH_WORDS = 12


def lengthen(blocks: list, y: np.ndarray, facts, body: str, pid: str):  # type: ignore[no-untyped-def]
    """(blocks, facts, truth) of the page with borrowed paragraphs in the middle of its
    content (``y``: its blocks' labels), or None when the page has too few paragraphs to
    copy the shape of."""
    import dataclasses

    paras = [i for i, b in enumerate(blocks)
             if y[i] and b.tag == "p" and len(b.text.split()) >= MIN_PARAGRAPH_WORDS]
    donors = true_paragraphs(frozenset({"article"}), MIN_PARAGRAPH_WORDS)
    own = set(body.splitlines())
    if len(paras) < 3 or not donors:
        return None
    seed = zlib.crc32(f"long:{pid}".encode())
    n = LONG_RANGE[0] + seed % (LONG_RANGE[1] - LONG_RANGE[0])
    start = seed % len(donors)
    borrowed = [d for d in (donors[(start + k) % len(donors)] for k in range(n + 50))
                if d not in own][:n]
    at = paras[len(paras) // 2]
    template = blocks[at]
    extra = [dataclasses.replace(template, text=t, link_chars=0, bold=False)
             for t in borrowed]
    added = "\n".join(borrowed)
    facts = dataclasses.replace(
        facts, traf_text=f"{facts.traf_text}\n{added}",
        declared_text=f"{facts.declared_text}\n{added}" if facts.declared_text else "")
    return blocks[: at + 1] + extra + blocks[at + 1 :], facts, f"{body}\n{added}"


def collect(split: str, workers: int, cache: Path, types: dict[str, str],
            long: bool = False) -> dict:
    """Block features of a split's pages (cached); ``types`` fixes each page's type,
    ``long`` adds the lengthened articles (:func:`lengthen`)."""
    path = cache / f"{split}.npz"
    meta_path = cache / f"{split}.json"
    ids = [p.id for p in pages(split)]
    wanted_types = {pid: types[pid] for pid in ids if pid in types}
    if path.exists() and meta_path.exists():
        data = np.load(path, allow_pickle=False)
        meta = json.loads(meta_path.read_text("utf-8"))
        from scraper.extract.features import feature_names

        if (meta.get("features") == list(feature_names()) and meta.get("types") == wanted_types
                and meta.get("long", False) == long):
            return with_groups({k: data[k] for k in data.files} | meta)
    t0 = time.perf_counter()
    with Pool(workers, initializer=_set_types, initargs=(wanted_types, long)) as pool:
        rows = [r for rs in pool.imap(page_rows, ids, chunksize=4) for r in rs]
    print(f"[{split}] features of {len(rows)} pages in {time.perf_counter() - t0:.0f}s",
          file=sys.stderr)
    from scraper.extract.features import feature_names

    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("x", "y", "w", "main", "shape", "page")}
    texts, trafs, pids = [], {}, []
    for k, (pid, x, y, w, main, shape, t, traf) in enumerate(rows):
        for name, arr in (("x", x), ("y", y), ("w", w), ("main", main), ("shape", shape),
                          ("page", np.full(len(y), k, dtype=np.int32))):
            cols[name].append(arr)
        texts.append(t)
        trafs[pid] = traf
        pids.append(pid)
    out = {k: np.concatenate(v) for k, v in cols.items()}
    meta = {"features": list(feature_names()), "pids": pids, "texts": texts, "trafs": trafs,
            "types": wanted_types, "long": long}
    cache.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **out)
    meta_path.write_text(json.dumps(meta), "utf-8")
    return with_groups({**out, **meta})


def with_groups(data: dict) -> dict:
    """Adds ``group``: per row, the real page it comes from. A lengthened article holds
    all of its host's blocks, so folds split by group, never between the two."""
    host, groups = -1, []
    for pid in data["pids"]:
        host += not pid.startswith(LONG_PREFIX)
        groups.append(max(host, 0))
    data["group"] = np.asarray(groups, dtype=np.int32)[data["page"]]
    return data


def page_texts(data: dict, probs: np.ndarray, threshold: float) -> dict[str, str]:
    out: dict[str, str] = {}
    page = data["page"]
    starts = np.searchsorted(page, np.arange(len(data["pids"])))
    ends = np.append(starts[1:], len(page))
    for k, pid in enumerate(data["pids"]):
        texts = data["texts"][k]
        keep = probs[starts[k] : ends[k]] >= threshold
        out[pid] = "\n".join(t for t, ok in zip(texts, keep, strict=True) if ok)
    return out


def export(clf, k: int = 0) -> tuple[dict[str, np.ndarray], int, float]:  # type: ignore[no-untyped-def]
    """Flatten a fitted HistGradientBoostingClassifier (class ``k`` of a multi-class
    one) into node arrays."""
    feats, thr, left, right, val, leaf, roots = [], [], [], [], [], [], []
    depth = 0
    offset = 0
    for stage in clf._predictors:
        nodes = stage[k].nodes
        roots.append(offset)
        feats.append(nodes["feature_idx"].astype(np.int32))
        thr.append(nodes["num_threshold"].astype(np.float64))
        left.append(nodes["left"].astype(np.int32) + offset)
        right.append(nodes["right"].astype(np.int32) + offset)
        val.append(nodes["value"].astype(np.float32))
        leaf.append(nodes["is_leaf"].astype(bool))
        depth = max(depth, int(nodes["depth"].max()))
        offset += len(nodes)
    arrays = {
        "feature": np.concatenate(feats), "threshold": np.concatenate(thr),
        "left": np.concatenate(left), "right": np.concatenate(right),
        "value": np.concatenate(val), "is_leaf": np.concatenate(leaf),
        "roots": np.array(roots, dtype=np.int32),
    }
    baseline = float(np.ravel(clf._baseline_prediction)[k])
    return arrays, depth + 1, baseline


# -- page types ------------------------------------------------------------------------


def signal_row(pid: str) -> tuple[str, np.ndarray] | None:
    """The page-type signals of one page (in a worker)."""
    from selectolax.lexbor import LexborHTMLParser

    from scraper.errors import InputError
    from scraper.extract.core import ExtractOptions
    from scraper.extract.pagetype import page_signals, signal_vector
    from scraper.extract.pipeline import decode_input
    from scraper.extract.structured import read_structured

    page = _page_index()[pid]
    try:
        text, _ = decode_input(page.html(), pid, page.url, None, ExtractOptions())
    except InputError:
        return None
    tree = LexborHTMLParser(text)
    return pid, signal_vector(page_signals(tree, read_structured(tree), page.url, text))


def type_signals(workers: int) -> dict[str, np.ndarray]:
    ids = [p.id for p in pages()]
    with Pool(workers) as pool:
        return dict(r for r in pool.imap(signal_row, ids, chunksize=8) if r is not None)


def train_type_model(signals: dict[str, np.ndarray], folds: int, make_type):  # type: ignore[no-untyped-def]
    """Fit the page-type model on the train split. Returns (model, types for every page:
    out-of-fold predictions on train pages, the final model's on holdout pages)."""
    from scraper.extract.pagetype import PAGE_TYPES, classify_vector

    index = _page_index()
    train_ids = [p.id for p in pages("train") if p.id in signals]
    hold_ids = [p.id for p in pages("holdout") if p.id in signals]
    x = np.stack([signals[pid] for pid in train_ids])
    y = np.array([PAGE_TYPES.index(index[pid].page_type) for pid in train_ids])
    oof = np.zeros(len(y), dtype=np.int64)
    fold = np.arange(len(y)) % folds
    for f in range(folds):
        clf = make_type().fit(x[fold != f], y[fold != f])
        oof[fold == f] = clf.classes_[np.argmax(clf.predict_proba(x[fold == f]), axis=1)]
    clf = make_type().fit(x, y)
    xh = np.stack([signals[pid] for pid in hold_ids])
    yh = np.array([PAGE_TYPES.index(index[pid].page_type) for pid in hold_ids])
    hold_pred = clf.classes_[np.argmax(clf.predict_proba(xh), axis=1)]
    rules_train = np.array([PAGE_TYPES.index(classify_vector(v)) for v in x])
    rules_hold = np.array([PAGE_TYPES.index(classify_vector(v)) for v in xh])
    print(f"page type accuracy: train cv {np.mean(oof == y):.3f}"
          f" (rules {np.mean(rules_train == y):.3f}), holdout {np.mean(hold_pred == yh):.3f}"
          f" (rules {np.mean(rules_hold == yh):.3f})")
    for t, name in enumerate(PAGE_TYPES):
        m = yh == t
        print(f"  {name:14s} holdout recall {np.mean(hold_pred[m] == t):.2f} (n={m.sum()})")
    types = {pid: PAGE_TYPES[int(c)] for pid, c in zip(train_ids, oof, strict=True)}
    types |= {pid: PAGE_TYPES[int(c)] for pid, c in zip(hold_ids, hold_pred, strict=True)}
    return clf, types


def page_slices(page: np.ndarray) -> list[slice]:
    """Row ranges of each page (rows are grouped by page, in page order)."""
    bounds = np.flatnonzero(np.diff(page)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(page)]])
    return [slice(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def stacked(data: dict, rows: np.ndarray, p1: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    """Base features plus stack columns for the rows ``rows`` (whole pages)."""
    from scraper.extract.features import stack_columns

    x = data["x"][rows]
    page, main, shape = data["page"][rows], data["main"][rows], data["shape"][rows]
    extra = np.zeros((len(rows), 0), dtype=np.float32)
    parts = []
    for sl in page_slices(page):
        parts.append(stack_columns(p1[sl], main[sl], shape[sl]))
    extra = np.concatenate(parts) if parts else extra
    return np.hstack([x, extra])


def fit_two_stage(data: dict, rows: np.ndarray, make, k: int):  # type: ignore[no-untyped-def]
    """Stage 1 on ``rows``; stage 2 on stage-1 predictions made out of fold."""
    group = data["group"][rows]
    fold = (group // k) % k  # not group % k: the outer cross-validation splits on that
    x, y, w = data["x"][rows], data["y"][rows], data["w"][rows] * 1000
    oof = np.zeros(len(rows), dtype=np.float32)
    for f in range(k):
        tr, te = fold != f, fold == f
        oof[te] = make().fit(x[tr], y[tr], sample_weight=w[tr]).predict_proba(x[te])[:, 1]
    s2 = make().fit(stacked(data, rows, oof), y, sample_weight=w)
    s1 = make().fit(x, y, sample_weight=w)
    return s1, s2


def predict_two_stage(s1, s2, data: dict, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    p1 = s1.predict_proba(data["x"][rows])[:, 1].astype(np.float32)
    p2 = s2.predict_proba(stacked(data, rows, p1))[:, 1].astype(np.float32)
    return p1, p2


def scores_by_type(data: dict, probs: np.ndarray, threshold: float) -> dict[str, float]:
    index = _page_index()
    by: dict[str, list[float]] = {}
    for pid, text in page_texts(data, probs, threshold).items():
        if pid.startswith(LONG_PREFIX):
            continue  # taught from, never scored: its truth is made up
        f1 = word_f1(text, index[pid].body)
        by.setdefault("ALL", []).append(f1)
        by.setdefault(index[pid].page_type, []).append(f1)
    return {kind: float(np.mean(v)) for kind, v in by.items()}


def cross_validate(data: dict, make, k: int) -> float:  # type: ignore[no-untyped-def]
    """K-fold (by page) estimate of the whole two-stage procedure; returns the best
    threshold for the stacked model."""
    n = len(data["y"])
    fold = data["group"] % k
    p1 = np.zeros(n, dtype=np.float32)
    p2 = np.zeros(n, dtype=np.float32)
    for f in range(k):
        tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        s1, s2 = fit_two_stage(data, tr, make, k)
        p1[te], p2[te] = predict_two_stage(s1, s2, data, te)
        print(f"  fold {f + 1}/{k} done", file=sys.stderr)
    best, best_f1 = 0.5, -1.0
    for name, probs in (("stage 1", p1), ("stacked", p2)):
        for t in THRESHOLDS[::2]:
            sc = scores_by_type(data, probs, float(t))
            print(f"cv{k} {name} threshold {t:.2f}: " + "  ".join(
                f"{kind} {v:.3f}" for kind, v in sc.items()))
            if name == "stacked" and sc["ALL"] > best_f1:
                best, best_f1 = float(t), sc["ALL"]
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--cache", default="/tmp/pagewash-extract-train",
                    help="feature cache directory (outside the repo)")
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--leaves", type=int, default=31)
    ap.add_argument("--learning-rate", type=float, default=0.1)
    ap.add_argument("--min-leaf", type=int, default=40)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=None,
                    help="skip cross-validation and use this probability threshold")
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--types", choices=("rules", "model"), default="rules",
                    help="page types the blocks are read with: the rules' (what pagewash "
                         "ships) or a type model's, which is then saved beside the block "
                         "model and used at run time")
    ap.add_argument("--no-long", action="store_true",
                    help="train without the lengthened articles (see lengthen())")
    args = ap.parse_args()
    from sklearn.ensemble import HistGradientBoostingClassifier

    from scraper.extract.features import STACK_NAMES, feature_names
    from scraper.extract.select import BlockModel
    from scraper.extract.trees import TreeModel, save_arrays

    def make() -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=args.iterations, max_depth=args.depth, max_leaf_nodes=args.leaves,
            learning_rate=args.learning_rate, l2_regularization=1.0,
            min_samples_leaf=args.min_leaf, random_state=0,
        )

    def make_type() -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=150, max_depth=4, learning_rate=0.08, l2_regularization=1.0,
            min_samples_leaf=10, random_state=0,
        )

    print(f"Data: {CREDIT}")
    cache = Path(args.cache)
    t0 = time.perf_counter()
    signals = type_signals(args.workers)
    type_clf, types = train_type_model(signals, 5, make_type)
    if args.types == "rules":
        from scraper.extract.pagetype import classify_vector

        types = {pid: classify_vector(v) for pid, v in signals.items()}
    print(f"page types in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    train = collect("train", args.workers, cache, types, long=not args.no_long)
    hold = collect("holdout", args.workers, cache, types)
    print(f"train: {len(train['pids'])} pages, {len(train['y'])} blocks", file=sys.stderr)
    threshold = args.threshold
    if threshold is None:
        threshold = cross_validate(train, make, args.folds)
    t0 = time.perf_counter()
    s1, s2 = fit_two_stage(train, np.arange(len(train["y"])), make, args.folds)
    print(f"fitted in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    a1, d1, b1 = export(s1)
    a2, d2, b2 = export(s2)
    model = BlockModel(TreeModel(**a1, depth=d1, baseline=b1),
                       TreeModel(**a2, depth=d2, baseline=b2), threshold, {})
    rows = np.arange(len(hold["y"]))
    p1, p2 = predict_two_stage(s1, s2, hold, rows)
    # The exported arrays must compute what scikit-learn computes (given the same input;
    # end to end, float32 rounding of stage 1 may move a block across a stage-2 split).
    assert np.allclose(model.stage1.scores(hold["x"]), p1, atol=1e-4), "stage 1 export"
    assert model.stage2 is not None
    assert np.allclose(model.stage2.scores(stacked(hold, rows, p1)), p2, atol=1e-4), "stage 2"
    p2 = model.stage2.scores(stacked(hold, rows, model.stage1.scores(hold["x"])))  # as at run time
    index = _page_index()
    texts = page_texts(hold, p2, threshold)
    by_type: dict[str, list[tuple[str, str, str]]] = {}
    for pid, t in texts.items():
        page = index[pid]
        for kind in ("ALL", page.page_type):
            by_type.setdefault(kind, []).append((t, hold["trafs"][pid], page.body))
    print(f"\n[holdout] threshold {threshold}: blocks (model) vs trafilatura on the pruned page"
          " (pages with a non-empty truth)")
    for kind in ("ALL", "article", "forum", "product", "documentation", "listing",
                 "collection", "service"):
        got = by_type.get(kind, [])
        m = aggregate((t, g) for t, _, g in got)
        b = aggregate((t, g) for _, t, g in got)
        print(f"  {kind:14s} n={m.n:4d}  model wordF1 {m.word_f1:.3f}  "
              f"trafilatura {b.word_f1:.3f}")
    if not args.no_save:
        arrays = {f"s1_{k}": v for k, v in a1.items()} | {f"s2_{k}": v for k, v in a2.items()}
        meta = {
            "features": list(feature_names()), "stack_features": list(STACK_NAMES),
            "s1_depth": d1, "s1_baseline": b1, "s2_depth": d2, "s2_baseline": b2,
            "threshold": float(threshold), "trained_on": "WCXB v1.0 dev, train split",
            "iterations": args.iterations, "max_depth": args.depth,
            "learning_rate": args.learning_rate, "min_samples_leaf": args.min_leaf,
            "blocks": len(train["y"]), "pages": len(train["pids"]),
        }
        OUT.parent.mkdir(parents=True, exist_ok=True)
        save_arrays(str(OUT), arrays, meta)
        print(f"saved {OUT} ({OUT.stat().st_size // 1024} KiB)")
        if args.types == "model":
            save_type_model(type_clf)


def save_type_model(type_clf) -> None:  # type: ignore[no-untyped-def]
    """The page-type model, which pagewash uses instead of its rules when installed."""
    from scraper.extract.pagetype import PAGE_TYPES, signal_names
    from scraper.extract.trees import save_arrays

    t_arrays: dict[str, np.ndarray] = {}
    t_meta: dict = {"signals": list(signal_names()),
                    "classes": [PAGE_TYPES[int(c)] for c in type_clf.classes_],
                    "trained_on": "WCXB v1.0 dev, train split"}
    for i in range(len(type_clf.classes_)):
        a, d, b = export(type_clf, i)
        t_arrays |= {f"c{i}_{k}": v for k, v in a.items()}
        t_meta |= {f"c{i}_depth": d, f"c{i}_baseline": b}
    save_arrays(str(TYPE_OUT), t_arrays, t_meta)
    print(f"saved {TYPE_OUT} ({TYPE_OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
