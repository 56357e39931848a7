"""Train the block classifier shipped in ``cleaners/data/block_model.npz``.

    pip install -e '.[train]' torch          # torch and catboost only for training;
    python bench/train_block_model.py        # inference is numpy. Fit on the train split,
                                             # report, save

Two kinds of model, mixed in logit space at run time: three small convolutional networks
(PyTorch; block features and first words, then neighbours) and a forest of 300 oblivious
trees (CatBoost; block features only). On a validation fifth of the train pages
(``--validate 0.2``, one pass, no page-level cuts) the networks scored 0.774 shingle F1,
the forest 0.772, the mix 0.786 (articles 0.929, 0.925, 0.932): the two err on
different blocks.

Labels: each dump line is aligned to the page's ``articleBody`` (bench/align.py); a block
is content when most of its tokens align. Inputs: cleaners/features.py on the blocks the
specific rules leave, exactly as at run time, plus the block's first words.

Stability: the cleaner repeats until nothing more is removed (idempotence), so the model
also meets text that is already clean. Each training page therefore appears twice: as
the rules leave it, and reduced to its true content blocks (all labels "content"), so
the model learns that a clean article is not to be eaten further. A third of the train
articles, forum threads and guides appear a third time, lengthened (:func:`lengthen`),
so that the model keeps pages far longer than WCXB's (``--no-long``: without them).

``--rendered`` also fits on each train page's HTML rendered a line per block element
(``bench/renderings.py``, as WET files have it). Tried on 2026-11-30 and not shipped: on
the validation fifth the mix moved 0.786 → 0.789 (articles 0.932 → 0.935), but the whole
cleaner moved 0.815 → 0.811 on the dumps (articles 0.941 → 0.938), 0.806 → 0.811 on the
block renderings and 0.782 → 0.779 on text-node renderings (``bench/renderings.py
--model VAL.npz --validation 0.2``): no gain beyond the noise between training seeds,
and the renderings are scored well without it.

Lexical cohesion (``prose_overlap``, ``url_overlap``: how many of a block's words the
page's other prose and its address share) was added on 2026-11-30. On the validation
fifth it moved the networks 0.774 → 0.774 (articles 0.926 → 0.929), the forest 0.769 →
0.772, the mix 0.785 → 0.786 (block accuracy 0.850 → 0.852), and the whole cleaner at
margin 4 0.8074 → 0.8081 (articles 0.9376 → 0.9381): small, and in the same direction
everywhere.

The shipped file was retrained on 2026-11-30 with the rules as they now stand (comment
threads, labelled caption credits, shop buttons, tag lines, link templates) and the
lexical features, and its page-level margin is 4: chosen
on the validation fifth with a model fitted without it (``--validation-out``, then
``bench/clean_quality.py --model FILE --validation 0.2 --validation-only``), where
margins 3 / 3.5 / 4 / 4.5 / 5 scored 0.805 / 0.807 / 0.808 / 0.807 / 0.806 shingle F1.
Chosen on train pages, which the model has fitted and is sure of, it had come out at 3.

Only the ``train`` split is used for fitting; ``holdout`` is reported here and judged by
bench/clean_quality.py. To choose settings without looking at ``holdout``, pass
``--validate 0.2``: a fixed fifth of the train pages (by hash) is set aside, the model is
fitted on the rest and scored on that fifth, and the shipped file is left alone
(``--validation-out FILE`` saves that model elsewhere).
Data: WCXB v1.0 dev split (Murrough Foley, 2026, CC-BY-4.0).
"""

from __future__ import annotations

import argparse
import io
import json
import pickle
import random
import sys
import time
import zlib
from collections import Counter
from functools import cache
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.align import line_match_fraction
from bench.renderings import render_blocks
from bench.train_title_model import drop_url
from bench.wcxb import CREDIT, in_validation, pages, true_paragraphs
from cleaners.blocks import BlockDoc, split_blocks
from cleaners.cleaner import Cleaner, _reparsed
from cleaners.features import FEATURES, TOKENS_PER_BLOCK, block_features
from cleaners.model import Forest
from cleaners.normalize import normalize_text
from scraper.writers.atomic import AtomicFile

OUT = Path(__file__).resolve().parent.parent / "cleaners" / "data" / "block_model.npz"
LABEL_THRESHOLD = 0.5


def _sample(doc: BlockDoc, labels: dict[int, int]) -> dict | None:
    alive = doc.alive()
    if not alive:
        return None
    return {
        "X": block_features(doc, alive).astype(np.float32),
        "words": [doc.blocks[i].words[:TOKENS_PER_BLOCK] for i in alive],
        "y": np.array([labels.get(doc.blocks[i].line, 0) for i in alive], dtype=np.float32),
        "nw": np.array([doc.blocks[i].n_words for i in alive], dtype=np.float32),
        "texts": [doc.blocks[i].text for i in alive],
    }


def page_samples(args: tuple[str, str, str, str, str, bool, str | None]
                 ) -> tuple[str, list[dict], str]:
    """The page as the rules leave it, reduced to its true content blocks, (``long``)
    lengthened (:func:`lengthen`), and (``rendered``, the page's HTML rendered a line per
    block element) as the rules leave that rendering."""
    pid, dump, body, url, page_type, long, rendered = args
    cleaner = Cleaner(classifier=None, dedup=[], detect_lang=False)
    text = normalize_text(dump)
    fractions = line_match_fraction(text.split("\n"), body)
    labels = {n + 1: int((f or 0.0) >= LABEL_THRESHOLD) for n, f in enumerate(fractions)}
    doc = cleaner.rule_pass(split_blocks(text), url=url)
    cleaner._take_title(doc, None, url)
    out = []
    raw = _sample(doc, labels)
    if raw is not None:
        out.append(raw)
        content = [b for b in doc.blocks if b.removed_by is None and labels.get(b.line)]
        if content:
            clean_doc = cleaner.rule_pass(_reparsed(content), url=url)
            clean = _sample(clean_doc, labels)
            if clean is not None:
                clean["augmented"] = True
                out.append(clean)
    longer = lengthen(text.split("\n"), labels, pid) if (
        long and page_type in LONG_TYPES and zlib.crc32(pid.encode()) % LONG_EVERY == 0
    ) else None
    if longer is not None:
        long_doc = cleaner.rule_pass(split_blocks(longer[0]), url=url)
        cleaner._take_title(long_doc, None, url)
        sample = _sample(long_doc, longer[1])
        if sample is not None:
            sample["augmented"] = True
            out.append(sample)
    if rendered:
        text = normalize_text(rendered)
        fractions = line_match_fraction(text.split("\n"), body)
        labels = {n + 1: int((f or 0.0) >= LABEL_THRESHOLD) for n, f in enumerate(fractions)}
        doc = cleaner.rule_pass(split_blocks(text), url=url)
        cleaner._take_title(doc, None, url)
        sample = _sample(doc, labels)
        if sample is not None:
            sample["augmented"] = True
            out.append(sample)
    return pid, out, body


# Long pages. WCXB threads, guides and articles are a few dozen paragraphs long, so a
# model fitted on them alone learns that the last part of a page is its footer: it cut
# 117 of 300 posts from the end of a held-out forum thread. Every LONG_EVERY-th train page
# of these types is therefore also seen lengthened: the unit of its content that ends at
# its middle paragraph (a post with its author and date lines, or a paragraph) is
# repeated after it with true paragraphs of other train pages in place of its prose, 60
# to 600 of them, so that position alone no longer tells content from footer.
LONG_TYPES = frozenset({"article", "forum", "documentation"})
LONG_EVERY = 3
LONG_RANGE = (60, 600)
MIN_PARAGRAPH_WORDS = 12


@cache
def _donors() -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(p.split())  # spaced as normalize_text spaces lines
                               for p in true_paragraphs(LONG_TYPES, MIN_PARAGRAPH_WORDS)))


def lengthen(lines: list[str], labels: dict[int, int], pid: str
             ) -> tuple[str, dict[int, int]] | None:
    """(text, line labels) of the dump with borrowed paragraphs in the middle of its
    content, or None when it has too few paragraphs to copy the shape of."""
    paras = [i for i, line in enumerate(lines)
             if labels.get(i + 1) and len(line.split()) >= MIN_PARAGRAPH_WORDS]
    is_para = set(paras)
    donors = _donors()
    if len(paras) < 3 or not donors:
        return None
    k = len(paras) // 2
    at, unit = paras[k], range(paras[k - 1] + 1, paras[k] + 1)
    seed = zlib.crc32(f"long:{pid}".encode())
    wanted = LONG_RANGE[0] + seed % (LONG_RANGE[1] - LONG_RANGE[0])
    own = set(lines)
    borrowed = (d for j in range(len(donors))
                if (d := donors[(seed + j) % len(donors)]) not in own)
    extra: list[tuple[str, int]] = []
    used = 0
    while used < wanted:
        for i in unit:
            if i in is_para:
                extra.append((next(borrowed), 1))
                used += 1
            elif not labels.get(i + 1):
                extra.append((lines[i], 0))  # the post's chrome: author, date, "Reply"
    new = [(line, labels.get(i + 1, 0)) for i, line in enumerate(lines[: at + 1])]
    new += extra
    new += [(line, labels.get(i + 1, 0)) for i, line in enumerate(lines[at + 1 :], at + 1)]
    return "\n".join(t for t, _ in new), {n + 1: y for n, (_, y) in enumerate(new)}


def build(split: str, workers: int, long: bool = False, rendered: bool = False
          ) -> list[tuple[str, list[dict], str]]:
    jobs = [(p.id, p.dump(), p.body, drop_url(p.id, p.url), p.page_type, long,
             render_blocks(p.html().decode("utf-8", "replace")) if rendered else None)
            for p in pages(split)]
    with Pool(workers) as pool:
        return list(pool.imap(page_samples, jobs, chunksize=4))


def make_word_list(
    data: list[tuple[str, list[dict], str]], size: int, min_docs: int
) -> list[str]:
    df: Counter[str] = Counter()
    for _, samples, _ in data:
        if samples:
            df.update({w for ws in samples[0]["words"] for w in ws})
    common = [w for w, c in df.most_common() if c >= min_docs]
    return ["<unk>", *common[: size - 1]]  # id 0 unused by inference (unknown words skipped)


def weights(sample: dict) -> np.ndarray:
    """Per-block loss weights of one page, summing to 1: mostly by words (the metric
    counts words), partly per block (short chrome lines still count)."""
    w = sample["nw"] + 1.0
    return 0.7 * w / w.sum() + 0.3 / len(w)


def fit_forest(data: list[tuple[str, list[dict], str]], trees: int, depth: int,
               threads: int) -> dict[str, np.ndarray]:
    """CatBoost's oblivious trees on the raw block features, as the arrays
    ``cleaners.model.Forest`` reads (every level of a tree asks one question)."""
    import tempfile

    from catboost import CatBoostClassifier

    samples = [s for _, ss, _ in data for s in ss]
    X = np.vstack([s["X"] for s in samples])
    y = np.concatenate([s["y"] for s in samples])
    w = np.concatenate([weights(s) for s in samples])
    model = CatBoostClassifier(iterations=trees, depth=depth, learning_rate=0.1,
                               border_count=128, random_seed=0, thread_count=threads,
                               verbose=0, allow_writing_files=False)
    model.fit(X, y, sample_weight=w * len(w) / len(samples))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "forest.json"
        model.save_model(str(path), format="json")
        return forest_arrays(json.loads(path.read_text()), depth)


def forest_arrays(dump: dict, depth: int) -> dict[str, np.ndarray]:
    """CatBoost's JSON model as the arrays ``cleaners.model.Forest`` reads.

    CatBoost stops a tree early when no further split helps, so trees may have fewer
    than ``depth`` levels: those are padded with a level that is never true (feature 0 >
    +inf), which keeps their leaf numbers, and their leaf rows with zeros.
    """
    trees = dump["oblivious_trees"]
    scale, bias = dump["scale_and_bias"]
    feature = np.zeros((len(trees), depth), dtype=np.int32)
    border = np.full((len(trees), depth), np.inf, dtype=np.float32)
    leaf = np.zeros((len(trees), 1 << depth), dtype=np.float32)
    for t, tree in enumerate(trees):
        splits = tree["splits"]
        if len(splits) > depth:
            raise ValueError(f"tree {t} has {len(splits)} levels, more than {depth}")
        feature[t, : len(splits)] = [sp["float_feature_index"] for sp in splits]
        border[t, : len(splits)] = [sp["border"] for sp in splits]
        values = np.asarray(tree["leaf_values"], dtype=np.float64) * scale
        leaf[t, : len(values)] = values
    return {"feature": feature, "border": border, "leaf": leaf,
            "bias": np.array([bias[0]], dtype=np.float32)}


def add_ranges(path: Path, mean: np.ndarray, std: np.ndarray,
               ranges: dict[str, np.ndarray]) -> None:
    """Give a model file fitted before ranges were stored (2026-11-30) the ranges of its
    own training data, without refitting it. The file's standardisation must be this
    data's to the last bit, or the ranges would belong to other rows."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    if not (np.array_equal(arrays["mean"], mean.astype(np.float32))
            and np.array_equal(arrays["std"], std.astype(np.float32))):
        sys.exit(f"{path}: was not fitted on this training data (mean/std differ); "
                 "build the cache with the code it was trained with, or retrain")
    arrays.update(ranges)
    save_model(path, arrays)
    print(f"{path}: ranges of {len(ranges['lo'])} features stored")


def save_model(path: Path, arrays: dict[str, np.ndarray]) -> int:
    """Write a model file whole or not at all (the shipped one is overwritten in place,
    and a cut-short file would stop the cleaner loading its model); its size in bytes."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    out = AtomicFile(path)
    out.append(buf.getvalue())
    out.commit(buf.tell())
    return buf.tell()


def main() -> None:
    import torch
    from torch import nn

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--dim", type=int, default=16)
    ap.add_argument("--words", type=int, default=8000)
    ap.add_argument("--min-docs", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.5)
    # page-level cuts (cleaners.model.BlockModel.cutoff and no_content_logit), chosen on
    # train pages with bench/clean_quality.py --variants and stored with the weights
    # Chosen on the validation fifth with a model that never saw it (--validation-out,
    # then bench/clean_quality.py --model … --validation 0.2): margin 3 / 3.5 / 4 / 4.5 / 5
    # scored 0.805 / 0.807 / 0.808 / 0.807 / 0.806. Chosen on train pages, which the
    # model had fitted and is sure of, it had come out at 3.
    ap.add_argument("--margin", type=float, default=4.0)
    ap.add_argument("--no-content", type=float, default=-2.0)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--weight-decay", type=float, default=1e-5)
    ap.add_argument("--ensemble", type=int, default=3, help="networks averaged in logit space")
    ap.add_argument("--dilations", default="1,3,9")
    ap.add_argument("--trees", type=int, default=300,
                    help="oblivious trees beside the networks (0: networks only)")
    ap.add_argument("--tree-depth", type=int, default=6)
    ap.add_argument("--forest-weight", type=float, default=0.5,
                    help="the forest's share of the final logit")
    ap.add_argument("--cache", default="/tmp/pagewash-train-data.pkl")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--no-long", action="store_true",
                    help="build the cache without the lengthened pages (see lengthen())")
    ap.add_argument("--rendered", action="store_true",
                    help="also fit on each train page's HTML rendered a line per block "
                         "element (bench/renderings.py), as WET files have it")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--validate", type=float, default=0.0,
                    help="score on this fraction of the train pages (fitted on the rest); "
                         "holdout is not looked at and the shipped file is not touched")
    ap.add_argument("--validation-out", default="",
                    help="with --validate: save the model fitted on the rest here, to choose "
                         "decision settings on the validation pages "
                         "(bench/clean_quality.py --model FILE --validation F)")
    ap.add_argument("--add-ranges", default="", metavar="MODEL",
                    help="store the training features' ranges in MODEL, fitted earlier on "
                         "the same data (checked by its mean and std), and stop")
    args = ap.parse_args()
    torch.manual_seed(0)
    random.seed(0)
    t0 = time.time()
    cache = Path(args.cache)
    if cache.exists() and not args.rebuild:
        train, holdout = pickle.loads(cache.read_bytes())
    else:
        train = build("train", args.workers, long=not args.no_long, rendered=args.rendered)
        holdout = build("holdout", args.workers)
        cache.write_bytes(pickle.dumps((train, holdout)))
    print(f"data ready in {time.time() - t0:.0f}s: {len(train)} train, {len(holdout)} holdout")

    eval_split, scored_on = "holdout", "holdout"
    if args.validate > 0:
        holdout = [t for t in train if in_validation(t[0], args.validate)]
        train = [t for t in train if not in_validation(t[0], args.validate)]
        eval_split, scored_on = "train", "validation"
        print(f"validation: fitting on {len(train)} train pages, scoring {len(holdout)}")

    words = make_word_list(train, args.words, args.min_docs)
    word_ids = {w: i for i, w in enumerate(words)}
    allX = np.vstack([s["X"] for _, ss, _ in train for s in ss])
    mean, std = allX.mean(axis=0), allX.std(axis=0) + 1e-6
    # The range each feature took in training: the cleaner holds its inputs to it, since
    # the networks extrapolate linearly outside (cleaners.model.BlockModel.lo).
    ranges = {"lo": allX.min(axis=0).astype(np.float32),
              "hi": allX.max(axis=0).astype(np.float32)}
    if args.add_ranges:
        add_ranges(Path(args.add_ranges), mean, std, ranges)
        return

    def tensors(s: dict):  # type: ignore[no-untyped-def]
        ids, offsets = [], [0]
        for ws in s["words"]:
            ids.extend(word_ids[w] for w in ws if w in word_ids)
            offsets.append(len(ids))
        w = weights(s)
        return (torch.tensor((s["X"] - mean) / std), torch.tensor(ids, dtype=torch.long),
                torch.tensor(offsets[:-1], dtype=torch.long), torch.tensor(s["y"]),
                torch.tensor(w, dtype=torch.float32))

    tr = [tensors(s) for _, ss, _ in train for s in ss]
    types = {p.id: p.page_type for p in pages(eval_split)}
    ho_pages = [(ss[0], body, types[pid]) for pid, ss, body in holdout if ss]
    ho = [tensors(s) for s, _, _ in ho_pages]

    nfeat, H, D = len(FEATURES), args.hidden, args.dim
    dilations = tuple(int(d) for d in args.dilations.split(","))
    kernel = 5
    use_words = args.words > 0

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.EmbeddingBag(max(len(words), 1), D, mode="mean")
            self.inp = nn.Linear(nfeat + D, H)
            self.convs = nn.ModuleList(
                nn.Conv1d(H, H, kernel, dilation=d, padding=d * (kernel - 1) // 2)
                for d in dilations
            )
            self.drop = nn.Dropout(args.dropout)
            self.out = nn.Linear(2 * H, 1)

        def forward(self, x, ids, offsets):  # type: ignore[no-untyped-def]
            e = self.emb(ids, offsets) if use_words else torch.zeros(len(x), D)
            h = torch.relu(self.inp(torch.cat([self.drop(x), self.drop(e)], dim=1)))
            z = h.T.unsqueeze(0)
            for conv in self.convs:
                z = torch.relu(conv(self.drop(z))) + z
            h = z[0].T
            g = h.mean(dim=0, keepdim=True).expand_as(h)
            return self.out(torch.cat([h, g], dim=1)).squeeze(-1)

    bce = nn.BCEWithLogitsLoss(reduction="none")

    def net_logits(nets: list) -> list[np.ndarray]:  # type: ignore[type-arg]
        """Scored pages' logits, averaged over ``nets`` (logit space, as at run time)."""
        for net in nets:
            net.eval()
        with torch.no_grad():
            out = [torch.stack([net(x, ids, off) for net in nets]).mean(dim=0).numpy()
                   for x, ids, off, _, _ in ho]
        for net in nets:
            net.train()
        return out

    def page_scores(logits: list[np.ndarray], threshold: float) -> tuple[float, float, float]:
        """Scored pages' shingle F1 (all pages, articles) and word-weighted block accuracy."""
        from bench.metrics import aggregate

        cut = float(np.log(threshold / (1 - threshold)))
        pairs, arts, waccs = [], [], []
        for (sample, body, ptype), logit, (_, _, _, y, w) in zip(ho_pages, logits, ho,
                                                                 strict=True):
            keep = logit >= cut
            text = "\n".join(t for t, k in zip(sample["texts"], keep, strict=True) if k)
            pairs.append((text, body))
            if ptype == "article":
                arts.append((text, body))
            waccs.append(float(((keep == (y.numpy() > 0.5)) * w.numpy()).sum() / w.sum()))
        return aggregate(pairs).shingle_f1, aggregate(arts).shingle_f1, float(np.mean(waccs))

    def report(what: str, logits: list[np.ndarray]) -> None:
        f1, art, wacc = page_scores(logits, args.threshold)
        print(f"{what}: {scored_on} shingle F1 {f1:.3f} (articles {art:.3f}), "
              f"block accuracy (word-weighted) {wacc:.3f}", flush=True)

    members = []
    for member in range(args.ensemble):
        torch.manual_seed(member)
        random.seed(member)
        net = Net()
        opt = torch.optim.Adam(net.parameters(), lr=3e-3, weight_decay=args.weight_decay)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.epochs)
        for _ in range(args.epochs):
            random.shuffle(tr)
            opt.zero_grad()
            for k, (x, ids, off, y, w) in enumerate(tr, 1):
                loss = (bce(net(x, ids, off), y) * w).sum()
                loss.backward()
                if k % 8 == 0:
                    opt.step()
                    opt.zero_grad()
            sched.step()
        report(f"member {member}", net_logits([net]))
        members.append(net)
    nets = net_logits(members)
    if len(members) > 1:
        report(f"ensemble of {len(members)}", nets)

    forest = None
    if args.trees > 0:
        forest = fit_forest(train, args.trees, args.tree_depth, args.workers)
        scorer = Forest.from_arrays(forest)  # what the cleaner runs, not CatBoost's own
        trees = [scorer.logits(s["X"]) for s, _, _ in ho_pages]
        report(f"forest of {args.trees}", trees)
        report(f"networks + forest (weight {args.forest_weight})",
               [(1 - args.forest_weight) * a + args.forest_weight * b
                for a, b in zip(nets, trees, strict=True)])

    if args.validate > 0 and not args.validation_out:
        return
    arrays = {"mean": mean.astype(np.float32), "std": std.astype(np.float32),
              "words": np.array(words), **ranges}
    if forest is not None:
        arrays.update({f"forest_{k}": v for k, v in forest.items()})
    for j, net in enumerate(members):
        sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
        arrays.update({
            f"m{j}_embedding": sd["emb.weight"].astype(np.float16),
            f"m{j}_in_W": sd["inp.weight"], f"m{j}_in_b": sd["inp.bias"],
            f"m{j}_out_W": sd["out.weight"], f"m{j}_out_b": sd["out.bias"],
        })
        for k in range(len(dilations)):
            arrays[f"m{j}_conv{k}_W"] = sd[f"convs.{k}.weight"]
            arrays[f"m{j}_conv{k}_b"] = sd[f"convs.{k}.bias"]
    meta = {
        "features": FEATURES, "dilations": list(dilations), "threshold": args.threshold,
        "margin": args.margin, "no_content_logit": args.no_content,
        "members": len(members), "tokens_per_block": TOKENS_PER_BLOCK, "hidden": H, "dim": D,
        "trained_on": f"{CREDIT}, train split only"
                      + (f", without its validation {args.validate}" if args.validate > 0 else ""),
        "epochs": args.epochs,
        "forest_weight": args.forest_weight if forest is not None else 0.0,
        "trees": args.trees if forest is not None else 0, "tree_depth": args.tree_depth,
    }
    out = args.validation_out if args.validate > 0 else args.out
    size = save_model(Path(out), {"meta": np.array(json.dumps(meta)), **arrays})
    print(f"saved {out} ({size // 1024} KiB) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
