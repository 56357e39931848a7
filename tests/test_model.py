"""The shipped block model: the fused ensemble scores exactly as its members averaged,
the tree forest scores as its trees read one by one, the two are mixed by the shipped
weight, and a page where nothing looks like content comes out empty."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from cleaners.blocks import BlockDoc
from cleaners.features import (
    block_token_ids,
    char_statistics,
    lexical_overlap,
    word_statistics,
)
from cleaners.model import BlockModel, Forest, _mean_embedding, load_default_model
from cleaners.vocab import load_vocab
from tests.long_text import long_prose

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def model() -> BlockModel:
    m = load_default_model()
    if m is None:
        pytest.fail("the shipped block model does not load (feature list changed?)")
    return m


@pytest.mark.parametrize("n_blocks", [1, 2, 7, 40, 300])
def test_fused_ensemble_matches_member_average(model: BlockModel, n_blocks: int) -> None:
    rng = np.random.default_rng(n_blocks)
    x = rng.normal(size=(n_blocks, len(model.mean))).astype(np.float32)
    lengths = rng.integers(0, 25, size=n_blocks)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    ids = rng.integers(0, len(model.word_ids), size=int(offsets[-1])).astype(np.int64)
    expected = np.mean([m.logits(x, ids, offsets) for m in model.members], axis=0)
    got = model.ensemble.logits(x, _mean_embedding(model.ensemble.embedding_t, ids, offsets))
    assert got.shape == (n_blocks,)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_fused_ensemble_without_known_words(model: BlockModel) -> None:
    x = np.ones((5, len(model.mean)), np.float32)
    ids = np.zeros(0, np.int64)
    offsets = np.zeros(6, np.int64)
    expected = np.mean([m.logits(x, ids, offsets) for m in model.members], axis=0)
    emb = _mean_embedding(model.ensemble.embedding_t, ids, offsets)
    np.testing.assert_allclose(model.ensemble.logits(x, emb), expected, atol=1e-4)


def _doc(lines: list[str]) -> BlockDoc:
    return BlockDoc.from_text("\n\n".join(lines), load_vocab(("en",)))


def _scored(model: BlockModel, logits: list[float]) -> BlockModel:
    """The shipped model with its scores replaced: the page-level decision alone."""
    fixed = copy.copy(model)
    p = 1.0 / (1.0 + np.exp(-np.asarray(logits)))
    fixed.scores = lambda doc, indices: p[: len(indices)]  # type: ignore[method-assign]
    return fixed


PAGE = ["Cart (0)", "Subtotal $0 USD", "Calculated at checkout", "Trade In", "Subscribe"]


def test_page_without_content_comes_out_empty(model: BlockModel) -> None:
    doc = _doc(PAGE)
    _scored(model, [-6.0, -4.5, -3.5, -5.0, -7.0]).apply(doc)
    assert [b.removed_by for b in doc.blocks] == ["model.no_content"] * len(PAGE)


def test_one_content_like_block_keeps_the_page(model: BlockModel) -> None:
    # Below the absolute threshold everywhere, but the best block is not hopeless: the
    # relative cut keeps the best part of the page, as before.
    doc = _doc(PAGE)
    _scored(model, [-6.0, -4.5, -1.0, -5.0, -7.0]).apply(doc)
    assert doc.blocks[2].removed_by is None
    assert all(b.removed_by != "model.no_content" for b in doc.blocks)


BRIEF = ("The council voted on Tuesday to approve the budget for next year, after a debate "
         "that lasted most of the afternoon and ended with a narrow majority. " * 3).strip()


def test_a_long_paragraph_keeps_a_page_the_model_calls_empty(model: BlockModel) -> None:
    # A news brief of one paragraph under its widgets: the model has seen few pages like
    # it and may score it low, but a page holding real prose is not "no content".
    doc = _doc([*PAGE[:2], BRIEF, *PAGE[2:]])
    _scored(model, [-6.0, -4.5, -3.5, -5.0, -7.0, -6.0]).apply(doc)
    assert all(b.removed_by != "model.no_content" for b in doc.blocks)
    assert doc.blocks[2].removed_by is None
    # the same scores without the paragraph: an empty page
    short = _doc([*PAGE[:2], "Read more about the council budget", *PAGE[2:]])
    _scored(model, [-6.0, -4.5, -3.5, -5.0, -7.0, -6.0]).apply(short)
    assert {b.removed_by for b in short.blocks} == {"model.no_content"}


def test_a_brief_of_short_paragraphs_keeps_a_page_the_model_calls_empty(
        model: BlockModel) -> None:
    """Three short paragraphs of a news brief whose every other line the rules took:
    none is long, together they are the article, and the page came out empty."""
    paras = ["The central bank cut its main rate by half a point to 2.5 percent on "
             "Thursday, as most economists had expected.",
             "Inflation has fallen faster than forecast this autumn and is now close to "
             "the two percent target, the governor said.",
             "Further cuts are likely next year if inflation stays low."]
    doc = _doc([*PAGE[:2], *paras, *PAGE[2:]])
    _scored(model, [-6.0, -4.5, -3.0, -3.5, -4.0, -5.0, -7.0, -6.0]).apply(doc)
    assert all(b.removed_by != "model.no_content" for b in doc.blocks)
    assert [b.removed_by for b in doc.blocks[2:5]] == [None, None, None]
    # one short paragraph is not enough: still an empty page
    one = _doc([*PAGE[:2], paras[0], *PAGE[2:]])
    _scored(model, [-6.0, -4.5, -3.0, -5.0, -7.0, -6.0]).apply(one)
    assert {b.removed_by for b in one.blocks} == {"model.no_content"}


def test_no_content_cut_can_be_switched_off(model: BlockModel) -> None:
    doc = _doc(PAGE)
    off = _scored(model, [-6.0, -4.5, -3.5, -5.0, -7.0])
    off.no_content_logit = float("-inf")
    off.apply(doc)
    assert any(b.removed_by is None for b in doc.blocks)


def test_mean_embedding_matches_a_plain_loop() -> None:
    rng = np.random.default_rng(7)
    table = rng.normal(size=(50, 6)).astype(np.float32)
    lengths = [3, 0, 1, 0, 0, 5, 2, 0]  # empty blocks first, between and last
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    ids = rng.integers(0, 50, size=int(offsets[-1])).astype(np.int64)
    got = _mean_embedding(np.ascontiguousarray(table.T), ids, offsets)
    for k, n in enumerate(lengths):
        seg = ids[offsets[k] : offsets[k + 1]]
        want = table[seg].mean(axis=0) if n else np.zeros(6, np.float32)
        np.testing.assert_allclose(got[k], want, rtol=1e-5, atol=1e-6)


def test_block_embeddings_are_kept_for_the_next_pass(model: BlockModel) -> None:
    doc = _doc(["Share this article", "The council voted on Tuesday to approve the budget."])
    first = model.embeddings(doc, [0, 1])
    cached = [b.tok[1] for b in doc.blocks]  # type: ignore[index]
    again = model.embeddings(doc, [1])
    assert again[0] is not first[1] and np.array_equal(again[0], first[1])
    assert doc.blocks[1].tok[1] is cached[1]  # type: ignore[index]  # not recomputed


def _walk(feature: np.ndarray, border: np.ndarray, leaf: np.ndarray, bias: float,
          row: np.ndarray) -> float:
    """One block through each oblivious tree, level by level, as CatBoost documents it:
    level k's answer (feature > border) is bit k of the leaf number."""
    total = bias
    for t in range(len(feature)):
        number = sum(1 << k for k in range(feature.shape[1])
                     if row[feature[t, k]] > border[t, k])
        total += float(leaf[t, number])
    return total


def test_forest_reads_levels_as_bits() -> None:
    # one tree, two levels: feature 0 > 0.5 is bit 0, feature 1 > 0.5 is bit 1
    forest = Forest(np.array([[0, 1]]), np.array([[0.5, 0.5]], np.float32),
                    np.array([[10.0, 11.0, 12.0, 13.0]], np.float32), bias=-1.0)
    x = np.array([[0.2, 0.2], [0.7, 0.2], [0.2, 0.9], [0.9, 0.9], [0.5, 0.5]], np.float32)
    assert forest.logits(x).tolist() == [9.0, 10.0, 11.0, 12.0, 9.0]  # ties go left


@pytest.mark.parametrize("n_blocks", [1, 3, 50])
def test_forest_matches_tree_by_tree_walk(n_blocks: int) -> None:
    rng = np.random.default_rng(n_blocks)
    trees, depth, n_feat = 20, 6, 9
    feature = rng.integers(0, n_feat, size=(trees, depth))
    border = rng.normal(size=(trees, depth)).astype(np.float32)
    leaf = rng.normal(size=(trees, 1 << depth)).astype(np.float32)
    x = rng.normal(size=(n_blocks, n_feat)).astype(np.float32)
    got = Forest(feature, border, leaf, 0.25).logits(x)
    want = [_walk(feature, border, leaf, 0.25, row) for row in x]
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_forest_refuses_arrays_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        Forest(np.zeros((3, 4), int), np.zeros((3, 4), np.float32),
               np.zeros((3, 8), np.float32), 0.0)  # 4 levels need 16 leaves per tree
    with pytest.raises(ValueError, match="deeper than 8"):
        Forest(np.zeros((1, 9), int), np.zeros((1, 9), np.float32),
               np.zeros((1, 512), np.float32), 0.0)


def test_shipped_model_mixes_networks_and_forest(model: BlockModel) -> None:
    assert model.forest is not None and 0 < model.forest_weight < 1
    doc = _doc(["Share this article", "The council voted on Tuesday to approve the budget.",
                "Most read", "Council tax to rise by 5%", "Comments (12)"])
    indices = list(range(len(doc.blocks)))
    nets = copy.copy(model)
    nets.forest = None
    trees = copy.copy(model)
    trees.forest_weight = 1.0
    a = model.forest_weight

    def logit(m: BlockModel) -> np.ndarray:
        p = m.scores(doc, indices)
        return np.log(p / (1 - p))

    np.testing.assert_allclose(logit(model), (1 - a) * logit(nets) + a * logit(trees),
                               rtol=1e-4, atol=1e-4)


def test_block_token_ids_match_a_plain_loop() -> None:
    vocab = load_vocab(("en",))
    doc = BlockDoc.from_text(
        "Share this article\n\nzzqx wwqy\n\n"
        + " ".join(["the council voted"] * 12) + "\n\nPosted by Jane Doe",
        vocab,
    )
    known = {"share": 1, "this": 2, "the": 3, "council": 4, "posted": 5, "by": 6}
    ids, offsets = block_token_ids(doc.blocks, known, limit=5)
    assert offsets.tolist()[0] == 0 and len(offsets) == len(doc.blocks) + 1
    for k, block in enumerate(doc.blocks):
        want = [known[w] for w in block.words[:5] if w in known]
        assert ids[offsets[k] : offsets[k + 1]].tolist() == want
    # the block of unknown words has none; the long one is cut at five words
    assert offsets[2] - offsets[1] == 0 and offsets[3] - offsets[2] == 4


def _plain_char_statistics(text: str) -> list[float]:
    """What :func:`char_statistics` computes, one string at a time, with str methods (for
    the scripts of the strings below: Latin, Greek and Cyrillic base letters)."""
    upper = [c.isupper() and not 0x100 <= ord(c) < 0x180 and ord(c) < 0x500 for c in text]
    lower = [c.islower() and not 0x100 <= ord(c) < 0x180 and ord(c) < 0x500 for c in text]
    words = text.count(" ") + 1
    initial = sum(u and (k == 0 or text[k - 1] == " ") for k, u in enumerate(upper))
    return [
        initial / words,
        sum(c in "0123456789" for c in text) / len(text),
        sum(c in ",.;:!?" for c in text) / len(text),
        text.count(",") / words,
        float(any(c in "|»›/•·" for c in text)),
        float(any(upper) and not any(lower) and len(text) > 2),
    ]


@pytest.mark.parametrize("heads", [
    ["Share this article", "The Council voted 7-2, and the Mayor said: no.", "ABOUT US",
     "Home » News › World / Europe • Today · 12:30", "Київ ПРАВДА, вересень", "Ωmega ΣΑΣ",
     "Ärger über Öl", "a", "\U0001f600 Smile", "\u2100x  double  space"],
    ["One block only, with a comma, and digits 2026"],
])
def test_character_statistics_match_plain_string_counting(heads: list[str]) -> None:
    got = char_statistics(heads)
    assert got.shape == (len(heads), 6)
    for row, text in zip(got.tolist(), heads, strict=True):
        assert row == pytest.approx(_plain_char_statistics(text)), text


def test_exported_forest_pads_trees_catboost_stopped_early() -> None:
    # CatBoost's JSON layout; the second tree stopped after one level
    from bench.train_block_model import forest_arrays

    dump = {
        "scale_and_bias": [2.0, [0.5]],
        "oblivious_trees": [
            {"splits": [{"float_feature_index": 0, "border": 0.5},
                        {"float_feature_index": 1, "border": 0.5}],
             "leaf_values": [0.0, 1.0, 2.0, 3.0]},
            {"splits": [{"float_feature_index": 1, "border": 0.0}],
             "leaf_values": [-1.0, 1.0]},
        ],
    }
    arrays = forest_arrays(dump, depth=2)
    forest = Forest.from_arrays(arrays)
    x = np.array([[0.9, 0.9], [0.1, -0.2], [0.9, 0.2]], np.float32)
    # tree 1: bits (x0 > .5, x1 > .5); tree 2: x1 > 0; leaves times the scale, plus bias
    want = [2 * (3.0 + 1.0) + 0.5, 2 * (0.0 - 1.0) + 0.5, 2 * (1.0 + 1.0) + 0.5]
    np.testing.assert_allclose(forest.logits(x), want)
    with pytest.raises(ValueError, match="more than 1"):
        forest_arrays(dump, depth=1)


def test_word_statistics_match_a_plain_loop() -> None:
    vocab = load_vocab(("en",))
    doc = BlockDoc.from_text(
        "Share\n\n• Home\n\n12 34 56\n\nWhy the council voted: a look\n\n"
        + " ".join(["The council voted for the plan"] * 5) + ".\n\n"
        + "He said “no.”\n\nSee more:",
        vocab,
    )
    stop, nav, chrome = vocab.stopwords, {"home"}, {"share"}
    got = word_statistics(doc.blocks, stop, nav, chrome)
    assert got.shape == (len(doc.blocks), 13)
    for row, b in zip(got.tolist(), doc.blocks, strict=True):
        seen = b.words[:80]
        ends = b.text.rstrip("”")[-1] in ".!?…;:"  # sentence-end punctuation, then quotes
        want = [
            np.log1p(b.n_words), np.log1p(len(b.text)),
            sum(w in stop for w in seen) / len(seen), ends, b.text.endswith(":"),
            b.text[0].isupper(), sum(map(len, seen)) / len(seen), b.key in nav,
            b.key in chrome, b.text.startswith("•"),
            all(w.isdigit() for w in b.words) and b.n_words <= 6,
            2 <= b.n_words <= 30 and not b.text.rstrip("”").endswith((".", ";", ",", ":")),
            b.n_words >= 25 and ends,
        ]
        assert row == pytest.approx([float(v) for v in want]), b.text


def test_lexical_overlap_counts_words_other_prose_and_the_address_share() -> None:
    text = (
        "A good sleeping bag keeps you warm, and the tent keeps the rain off the bag.\n\n"
        "Pack the tent poles last so they sit on top of the bag in your pack.\n\n"
        "Tent poles or trekking poles\n"
        "Subscribe to our newsletter\n"
        "Backpacking checklist"
    )
    doc = BlockDoc.from_text(text, load_vocab(("en",)))
    prose = [True, True, False, False, False]
    got = lexical_overlap(doc.blocks, prose, doc.vocab.stopwords,
                          "https://example.org/backpacking-checklist/")
    # each paragraph is vouched for only by the other one: "tent", "bag" are shared,
    # the rest of its words are its own
    assert 0 < got[0, 0] < 1 and 0 < got[1, 0] < 1
    assert got[2, 0] == pytest.approx(2 / 3)  # "tent" and "poles" are the article's
    assert got[3, 0] == 0.0  # the menu item names other things
    assert got[4, 1] == 1.0 and got[2, 1] == 0.0  # the address's words
    assert got[:, 1].tolist()[:2] == [0.0, 0.0]


def test_the_address_share_reads_an_escaped_cyrillic_slug_and_words_with_digits() -> None:
    # /новини/економіка-covid19, percent-escaped as browsers send it: the block's words
    # are folded (Cyrillic look-alikes unified), so the slug's must be too
    url = ("https://example.ua/%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B8/"
           "%D0%B5%D0%BA%D0%BE%D0%BD%D0%BE%D0%BC%D1%96%D0%BA%D0%B0-covid19.html")
    doc = BlockDoc.from_text("Економіка і covid19\n\nПогода", load_vocab(("uk",)))
    got = lexical_overlap(doc.blocks, [False, False], doc.vocab.stopwords, url)
    assert got[0, 1] == 1.0 and got[1, 1] == 0.0


def test_lexical_overlap_of_blocks_without_content_words_is_zero() -> None:
    doc = BlockDoc.from_text("12 34\n\nand the of\n\n2024", load_vocab(("en",)))
    got = lexical_overlap(doc.blocks, [True, True, False], doc.vocab.stopwords,
                          "https://example.org/and-the/")
    assert got.tolist() == [[0.0, 0.0]] * 3


@pytest.mark.parametrize("seed", sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[:3],
                         ids=lambda p: p.stem)
def test_lexical_overlap_matches_per_block_sets(seed: Path) -> None:
    doc = BlockDoc.from_text(seed.read_text("utf-8"), load_vocab(("en", "uk")))
    prose = [b.n_words >= 25 for b in doc.blocks]
    stop = doc.vocab.stopwords
    url = "https://example.org/news/ukraine-economy-grows-faster-than-expected"
    got = lexical_overlap(doc.blocks, prose, stop, url)
    sets = [{w for w in b.words if len(w) >= 3 and w not in stop and not w.isdigit()}
            for b in doc.blocks]
    slug = set(re.findall(r"\w{3,}", url.split("/", 3)[3]))
    for k, words in enumerate(sets):
        others = set().union(*(s for j, s in enumerate(sets) if prose[j] and j != k))
        want = [len(words & others) / len(words), len(words & slug) / len(words)] \
            if words else [0.0, 0.0]
        assert got[k].tolist() == pytest.approx(want), doc.blocks[k].text


def test_a_book_length_text_is_not_eaten_from_its_end(model: BlockModel) -> None:
    """Far more blocks and words than any training page: the networks would extrapolate
    the page-size features, and each pass took the new last quarter. Held to the
    training range, the text keeps every paragraph."""
    from cleaners import Cleaner

    book = "\n\n".join(long_prose(2000))
    result = Cleaner(detect_lang=False).clean(book)
    taken = [r for r in result.removed if r.rule.startswith("model")]
    assert taken == []
    assert result.passes <= 2


def _long_thread(posts: list[str]) -> str:
    thread = "\n\n".join(f"user{i % 37}\nMar {1 + i % 28}, 2024\n{post}\nReply  Quote"
                         for i, post in enumerate(posts))
    menu = "\n".join(f"Category {i}" for i in range(15))
    footer = "\n".join(f"Section {i}" for i in range(25))
    return f"{menu}\n\nHelp with my garden\n\n{thread}\n\n{footer}\n© 2024 Example Forum"


_THREAD_URL = "https://forum.example.org/threads/help-with-my-garden.1234/"


@cache  # one cleaning serves both tests below
def _lost_posts(n: int) -> tuple[list[int], set[str]]:
    from cleaners import Cleaner

    posts = long_prose(n)
    result = Cleaner(detect_lang=False).clean(_long_thread(posts), url=_THREAD_URL)
    kept = set(result.text.split("\n"))
    return [i for i, post in enumerate(posts) if post not in kept], kept


def test_a_long_forum_thread_keeps_its_later_posts() -> None:
    """A thread far longer than any training page: a model that reads a block's share of
    the page took its later posts for the footer (152 of these 300). Trained with
    lengthened pages it keeps all of 600 held-out WCXB posts, and all but about one in
    twenty of these recombined ones (README, "Long pages")."""
    lost, kept = _lost_posts(300)
    assert len(lost) <= 300 // 20
    assert "Section 7" not in kept and "Category 3" not in kept


@pytest.mark.xfail(strict=True, reason="known fault (README): the last posts of a long "
                   "thread of recombined prose are still taken for chrome")
def test_a_long_forum_thread_keeps_every_post() -> None:
    assert _lost_posts(300)[0] == []
