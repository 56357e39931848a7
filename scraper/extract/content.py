"""Main-content extraction proper: trafilatura on the pruned page, with profiles.

trafilatura is the extractor; what this module adds is *which* trafilatura settings to
use for which kind of page (a "profile"), and the rendering of its result as plain text
or markdown. Profiles were chosen on the WCXB train split (``bench/extract_quality.py``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

Focus = Literal["balanced", "precision", "recall"]

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass(frozen=True, slots=True)
class Profile:
    """trafilatura settings for one kind of page."""

    focus: Focus = "balanced"
    comments: bool = False
    tables: bool = True
    fast: bool = True


def run_trafilatura(
    html: str, url: str | None, profile: Profile, markdown: bool = False
) -> str:
    """Main text of ``html`` (already pruned) as plain text or markdown; "" when none."""
    from trafilatura import bare_extraction
    from trafilatura.settings import Document, Extractor
    from trafilatura.xml import xmltotxt

    options = Extractor(
        output_format="python",
        fast=profile.fast,
        precision=profile.focus == "precision",
        recall=profile.focus == "recall",
        comments=profile.comments,
        formatting=markdown,
        tables=profile.tables,
        url=url,
    )
    try:
        doc = bare_extraction(html, url=url, options=options)
    except (RecursionError, ValueError, TypeError):
        return ""
    if not isinstance(doc, Document) or doc.body is None:  # (a dict only with as_dict)
        return ""
    text = xmltotxt(doc.body, markdown) or ""
    if profile.comments and doc.commentsbody is not None and len(doc.commentsbody):
        comments = xmltotxt(doc.commentsbody, markdown)
        if comments:
            text = f"{text}\n\n{comments}" if text else comments
    return text.strip()
