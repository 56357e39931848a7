"""Showing what a cleaner took and why: ``--explain`` (text) and ``--explain-html``.

The HTML page lists each document's blocks in input order: kept blocks as they are,
removed blocks struck through and coloured by the rule that removed them, with the
rule's name beside them, so a user sees at a glance what went and why.
"""

from __future__ import annotations

import hashlib
import html
import os
from collections import Counter
from pathlib import Path

from cleaners.result import CleanResult
from scraper.document import Document
from scraper.writers.atomic import AtomicFile

DEFAULT_HTML_LIMIT = 200


def trace_blocks(result: CleanResult) -> list[tuple[int, str, str | None]]:
    """(input line, text, removing rule or None) for every block, in input order."""
    kept_texts = [line for line in result.text.split("\n") if line]
    rows: list[tuple[int, str, str | None]] = [
        (line, text, None) for line, text in zip(result.kept_lines, kept_texts, strict=False)
    ]
    rows.extend((r.line or 0, r.text, r.rule) for r in result.removed)
    rows.sort(key=lambda row: row[0])
    return rows


def explain_text(doc: Document, result: CleanResult) -> str:
    """One line per removed block: ``source:line  [rule]  text``."""
    out = []
    # What went into the record rather than away: the headline and a byline's names.
    if result.title and result.title == doc.title:
        out.append(f"{doc.source}  title → {result.title}")
    if result.authors and doc.meta.get("authors") == result.authors:
        out.append(f"{doc.source}  authors → {', '.join(result.authors)}")
    if result.url and result.url == doc.url:
        out.append(f"{doc.source}  url → {result.url}")
    for r in result.removed:
        text = r.text if len(r.text) <= 160 else r.text[:157] + "..."
        out.append(f"{doc.source}:{r.line}  [{r.rule}]  {text}")
    return "\n".join(out)


def rule_color(rule: str) -> str:
    """A stable colour per rule family (``section.related`` and ``section.summary`` share)."""
    family = rule.split(".", 1)[0]
    hue = int(hashlib.md5(family.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue} 70% 40%)"


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.4em} h2{font-size:1.1em;margin-top:2.5em;border-top:1px solid #ccc;padding-top:1em}
.meta{color:#666;font-size:.9em} p{margin:.25em 0} .para{margin-top:.9em}
.removed{color:var(--c)} .removed s{text-decoration-thickness:1px}
.rule{font:11px monospace;border:1px solid var(--c);border-radius:3px;
  padding:0 3px;margin-left:.5em}
.legend span{display:inline-block;margin:0 .8em .3em 0}
.title{font-weight:600;background:#ffe}
"""


class ExplainHtml:
    """Collects traces of up to ``limit`` documents and writes one page at :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str], limit: int = DEFAULT_HTML_LIMIT) -> None:
        self.path = Path(path)
        self.limit = limit
        self.sections: list[str] = []
        self.rules: Counter[str] = Counter()
        self.seen = 0

    def add(self, doc: Document, result: CleanResult) -> None:
        self.seen += 1
        for r in result.removed:
            self.rules[r.rule] += 1
        if len(self.sections) >= self.limit:
            return
        parts = [f"<h2>{html.escape(doc.source)}</h2>"]
        meta = [f"title: {html.escape(result.title or '—')}",
                f"language: {html.escape(result.language or '—')}",
                f"removed blocks: {len(result.removed)}"]
        if doc.url:
            meta.insert(0, f'<a href="{html.escape(doc.url)}">{html.escape(doc.url)}</a>')
        parts.append(f'<div class="meta">{" · ".join(meta)}</div>')
        prev_line = 0
        for line, text, rule in trace_blocks(result):
            classes = ["para"] if line > prev_line + 1 else []
            prev_line = line
            if rule is None:
                attr = f' class="{" ".join(classes)}"' if classes else ""
                parts.append(f"<p{attr}>{html.escape(text)}</p>")
                continue
            classes.append("removed")
            if rule == "title":
                classes.append("title")
            parts.append(
                f'<p class="{" ".join(classes)}" style="--c:{rule_color(rule)}">'
                f"<s>{html.escape(text)}</s>"
                f'<span class="rule">{html.escape(rule)}</span></p>'
            )
        self.sections.append("\n".join(parts))

    def render(self) -> str:
        legend = "".join(
            f'<span style="color:{rule_color(r)}">■ {html.escape(r)} ({n})</span>'
            for r, n in self.rules.most_common()
        )
        more = ""
        if self.seen > len(self.sections):
            more = f"<p class=meta>showing {len(self.sections)} of {self.seen} documents</p>"
        return (
            "<!doctype html><meta charset=utf-8><title>pagewash: what was removed</title>"
            f"<style>{_CSS}</style><h1>pagewash: what was removed and why</h1>"
            f'<div class="legend">{legend}</div>{more}' + "\n".join(self.sections)
        )

    def close(self) -> Path:
        # The writers' atomic file: same temp-and-rename guarantee as the records, the
        # user's umask for permissions (mkstemp made the page owner-only), errors named.
        # (a file name that is not UTF-8 reaches Python as lone surrogates; the page
        # shows those bytes escaped rather than failing after the run)
        page = self.render().encode("utf-8", "backslashreplace")
        out = AtomicFile(self.path)
        out.append(page)
        out.commit(len(page))
        return self.path
