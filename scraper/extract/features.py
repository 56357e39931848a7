"""Features of each block for the block model (:mod:`scraper.extract.select`).

Three kinds of evidence go side by side, so the model can learn when to trust which:

- the block itself: length, link share, stop words, punctuation, tag, list/table/
  heading, the class-name hints of its ancestors, whether it is inside ``<main>``;
- the block's neighbours (content comes in runs, chrome too);
- the extractors' opinions: how much of the block trafilatura kept, how much of it is
  in the page's declared JSON-LD body, and page-level facts (page type, sizes).

The feature order is part of the trained model file; :data:`FEATURE_NAMES` is checked
against it at load time so a stale model cannot silently read the wrong columns.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from cleaners.features import distance_to
from cleaners.normalize import fold
from scraper.extract.blocks import Block
from scraper.extract.domvocab import hint_names

if TYPE_CHECKING:
    from cleaners.vocab import Vocab

TOKEN = re.compile(r"\w+")
_PRICE = re.compile(r"(?:[$€£¥₹₽]\s?\d|\d[\d.,]*\s?(?:€|руб|zł|kr|USD|EUR|GBP)\b)")
_DATE = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}:\d{2}\b|(?:19|20)\d{2}\b)"
)
_SENTENCE_END = tuple(".!?。！？:;…\"'”»)")
PAGE_TYPES = ("article", "forum", "product", "documentation", "listing", "collection", "service")
TAG_GROUPS = {
    "p": 0, "li": 1, "dd": 2, "dt": 2, "tr": 3, "pre": 4, "blockquote": 5, "figcaption": 6,
    "caption": 6, "div": 7, "section": 7, "article": 7, "main": 7, "span": 7, "td": 3,
    "h1": 8, "h2": 8, "h3": 8, "h4": 8, "h5": 8, "h6": 8, "header": 9, "footer": 9,
    "form": 9, "label": 9, "address": 9, "summary": 10, "details": 10,
}
N_TAG_GROUPS = 11
WINDOW = 3
SHINGLE = 3


@cache
def _stopwords() -> frozenset[str]:
    from cleaners.vocab import stopword_table

    out: set[str] = set()
    for words in stopword_table().values():
        out |= words
    return frozenset(out)


@cache
def _chrome_vocab() -> Vocab:
    from cleaners.vocab import available_languages, load_vocab

    return load_vocab(available_languages())


@cache
def block_feature_names() -> tuple[str, ...]:
    names = [
        "log_chars", "log_words", "link_ratio", "stop_ratio", "sentence_end", "commas_per_word",
        "digit_ratio", "upper_ratio", "t_overlap", "ld_overlap", "heading", "in_main",
        "in_largest", "in_list", "in_table", "in_pre", "in_quote", "bold", "cells", "depth",
        "position", "repeats", "chrome_line", "section_heading", "chrome_contains",
        "is_title", "price", "date", "short_link",
    ]
    names += [f"tag_{i}" for i in range(N_TAG_GROUPS)]
    names += [f"hint_{h}" for h in hint_names()]
    names += ["prev_t", "next_t", "win_t", "prev_link", "next_link", "win_words",
              "prev_heading", "next_heading", "win_ld", "run_t", "after_h1", "same_shape",
              "dist_t"]
    return tuple(names)


def page_feature_names() -> tuple[str, ...]:
    return (
        *(f"type_{t}" for t in PAGE_TYPES),
        "ld_article", "ld_product", "ld_forum", "ld_listing", "ld_service",
        "t_share", "log_t_chars", "log_page_chars", "log_blocks", "has_main",
        "main_share", "has_ld_body",
    )


def feature_names() -> tuple[str, ...]:
    return (*block_feature_names(), *page_feature_names())




@dataclass(slots=True)
class PageFacts:
    """Page-level inputs to the features (same for every block of the page)."""

    page_type: str
    ld_types: set[str]
    traf_text: str
    declared_text: str
    title: str | None
    has_main: bool


def _shingles(tokens: list[str]) -> set[int]:
    if len(tokens) < SHINGLE:
        return {hash(" ".join(tokens))} if tokens else set()
    return {hash(" ".join(tokens[i : i + SHINGLE])) for i in range(len(tokens) - SHINGLE + 1)}


def text_shingles(text: str) -> tuple[set[int], set[str]]:
    """(3-token shingles, token set) of a text, lower-cased."""
    toks = [t.lower() for t in TOKEN.findall(text)]
    return _shingles(toks), set(toks)


def overlap(tokens: list[str], shingles: set[int], vocab: set[str]) -> float:
    """Share of a block's shingles (or tokens, for short blocks) present in a text."""
    if not tokens or not vocab:
        return 0.0
    if len(tokens) < SHINGLE:
        return sum(1 for t in tokens if t in vocab) / len(tokens)
    grams = [hash(" ".join(tokens[i : i + SHINGLE])) for i in range(len(tokens) - SHINGLE + 1)]
    return sum(1 for g in grams if g in shingles) / len(grams)


def block_tokens(blocks: list[Block]) -> list[list[str]]:
    return [[t.lower() for t in TOKEN.findall(b.text)] for b in blocks]


def features(blocks: list[Block], facts: PageFacts,
             tokens: list[list[str]] | None = None) -> np.ndarray:
    """Feature matrix (blocks x :func:`feature_names`) as float32."""
    n = len(blocks)
    names_b = block_feature_names()
    nb = len(names_b)
    n_hints = len(hint_names())
    out = np.zeros((n, nb + len(page_feature_names())), dtype=np.float32)
    if n == 0:
        return out
    toks = tokens if tokens is not None else block_tokens(blocks)
    stop = _stopwords()
    vocab = _chrome_vocab()
    t_sh, t_voc = text_shingles(facts.traf_text)
    d_sh, d_voc = text_shingles(facts.declared_text) if facts.declared_text else (set(), set())
    title_key = fold(facts.title) if facts.title else None
    counts: dict[str, int] = {}
    for b in blocks:
        counts[b.text] = counts.get(b.text, 0) + 1
    col = {name: i for i, name in enumerate(names_b)}
    c_tag = col["tag_0"]
    c_hint = col[f"hint_{hint_names()[0]}"]
    total_chars = 0
    for i, (b, tk) in enumerate(zip(blocks, toks, strict=True)):
        text = b.text
        chars = len(text)
        total_chars += chars
        words = len(tk)
        row = out[i]
        row[0] = math.log1p(chars)
        row[1] = math.log1p(words)
        row[2] = b.link_chars / chars if chars else 0.0
        row[3] = sum(1 for t in tk if t in stop) / words if words else 0.0
        row[4] = 1.0 if text.endswith(_SENTENCE_END) else 0.0
        row[5] = text.count(",") / words if words else 0.0
        if chars:
            row[6] = sum(map(str.isdigit, text)) / chars
            letters = sum(map(str.isalpha, text))
            # An upper-case character is a letter (bar a few Roman-numeral signs).
            row[7] = sum(map(str.isupper, text)) / letters if letters else 0.0
        row[8] = overlap(tk, t_sh, t_voc)
        row[9] = overlap(tk, d_sh, d_voc) if d_voc else 0.0
        row[10] = b.heading
        row[11] = b.in_main
        row[12] = b.in_largest
        row[13] = b.in_list
        row[14] = b.in_table
        row[15] = b.in_pre
        row[16] = b.in_quote
        row[17] = b.bold
        row[18] = min(b.cells, 10)
        row[19] = min(b.depth, 60) / 60
        row[20] = i / n
        row[21] = math.log(counts[text])
        if words <= 12:
            key = fold(text)
            row[22] = vocab.line_kind(key) is not None
            row[23] = vocab.section_kind(key) is not None
            row[25] = title_key is not None and key == title_key
        if words <= 60:
            row[24] = vocab.contains_kind(text.lower()) is not None
        row[26] = _PRICE.search(text) is not None
        row[27] = _DATE.search(text) is not None
        row[28] = words <= 4 and row[2] > 0.5
        row[c_tag + TAG_GROUPS.get(b.tag, 7)] = 1.0
        h = b.hints
        for bit in range(n_hints):
            if h >> bit & 1:
                row[c_hint + bit] = 1.0
    # Neighbourhood: content and chrome both come in runs.
    t_col, link_col, words_col, head_col, ld_col = 8, 2, 1, 10, 9
    c = col["prev_t"]
    tv = out[:, t_col]
    lv = out[:, link_col]
    wv = out[:, words_col]
    hv = (out[:, head_col] > 0).astype(np.float32)
    dv = out[:, ld_col]
    out[1:, c] = tv[:-1]
    out[:-1, c + 1] = tv[1:]
    out[:, c + 2] = _window_mean(tv, WINDOW)
    out[1:, c + 3] = lv[:-1]
    out[:-1, c + 4] = lv[1:]
    out[:, c + 5] = _window_mean(wv, WINDOW)
    out[1:, c + 6] = hv[:-1]
    out[:-1, c + 7] = hv[1:]
    out[:, c + 8] = _window_mean(dv, WINDOW)
    out[:, c + 9] = _window_mean(tv, 10)
    # Before or after the headline: what precedes the <h1> is mostly site chrome.
    h1 = next((i for i, b in enumerate(blocks) if b.heading == 1), None)
    if h1 is not None:
        out[:h1, c + 10] = -1.0
        out[h1 + 1 :, c + 10] = 1.0
    # Repeated shape (same tag, depth, hints): list items, cards, forum posts, menus.
    shape = shape_ids(blocks)
    out[:, c + 11] = np.log(np.bincount(shape)[shape])
    out[:, c + 12] = np.log1p(distance_to(tv >= 0.5, float(len(tv))).astype(np.float32))
    # Page-level columns.
    p = nb
    if facts.page_type in PAGE_TYPES:
        out[:, p + PAGE_TYPES.index(facts.page_type)] = 1.0
    p += len(PAGE_TYPES)
    ld = facts.ld_types
    from scraper.extract.structured import (
        ARTICLE_TYPES,
        FORUM_TYPES,
        LISTING_TYPES,
        PRODUCT_TYPES,
        SERVICE_TYPES,
    )

    out[:, p] = bool(ld & ARTICLE_TYPES)
    out[:, p + 1] = bool(ld & PRODUCT_TYPES)
    out[:, p + 2] = bool(ld & FORUM_TYPES)
    out[:, p + 3] = bool(ld & LISTING_TYPES)
    out[:, p + 4] = bool(ld & SERVICE_TYPES)
    t_chars = len(facts.traf_text)
    out[:, p + 5] = min(t_chars / total_chars, 2.0) if total_chars else 0.0
    out[:, p + 6] = math.log1p(t_chars)
    out[:, p + 7] = math.log1p(total_chars)
    out[:, p + 8] = math.log1p(n)
    out[:, p + 9] = facts.has_main
    out[:, p + 10] = float(out[:, 11].mean())
    out[:, p + 11] = bool(facts.declared_text)
    return out


def shape_ids(blocks: list[Block]) -> np.ndarray:
    """Blocks of the same shape (tag, depth, class hints, list/table) share an id."""
    ids: dict[tuple[object, ...], int] = {}
    return np.array(
        [ids.setdefault((b.tag, b.depth, b.hints, b.in_list, b.in_table), len(ids))
         for b in blocks], dtype=np.int64)


STACK_NAMES = ("p1", "p1_prev", "p1_next", "p1_win2", "p1_win6", "p1_win15", "p1_page_mean",
               "p1_page_share", "p1_main_mean", "p1_shape_mean", "p1_shape_share")


def stack_features(p1: np.ndarray, blocks: list[Block]) -> np.ndarray:
    """Second-stage columns: the first model's opinion of each block, its neighbours,
    the whole page and the block's look-alikes (content and chrome come in runs and in
    families of same-shaped blocks)."""
    main = np.array([b.in_main for b in blocks], dtype=bool)
    return stack_columns(p1, main, shape_ids(blocks))


def stack_columns(p1: np.ndarray, main: np.ndarray, shape: np.ndarray) -> np.ndarray:
    """:func:`stack_features` from arrays (the training script keeps no Block objects)."""
    n = len(p1)
    out = np.zeros((n, len(STACK_NAMES)), dtype=np.float32)
    if n == 0:
        return out
    p = p1.astype(np.float32)
    out[:, 0] = p
    out[1:, 1] = p[:-1]
    out[:-1, 2] = p[1:]
    out[:, 3] = _window_mean(p, 2)
    out[:, 4] = _window_mean(p, 6)
    out[:, 5] = _window_mean(p, 15)
    out[:, 6] = p.mean()
    out[:, 7] = (p >= 0.5).mean()
    out[:, 8] = p[main].mean() if main.any() else p.mean()
    sizes = np.bincount(shape)
    out[:, 9] = (np.bincount(shape, weights=p) / sizes)[shape]
    out[:, 10] = (np.bincount(shape, weights=(p >= 0.5).astype(np.float64)) / sizes)[shape]
    return out




def _window_mean(v: np.ndarray, k: int) -> np.ndarray:
    """Mean of ``v`` over i-k..i+k (clipped at the ends)."""
    n = len(v)
    c = np.concatenate([[0.0], np.cumsum(v, dtype=np.float64)])
    idx = np.arange(n)
    lo = np.maximum(idx - k, 0)
    hi = np.minimum(idx + k + 1, n)
    return ((c[hi] - c[lo]) / (hi - lo)).astype(np.float32)
