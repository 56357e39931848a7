"""Per page type: which trafilatura profile, and which body wins.

Chosen on the WCXB train split with ``bench/extract_quality.py``; the table below is
the result, not a guess, and the benchmark's per-type rows show what each choice buys.
"""

from __future__ import annotations

from scraper.extract.content import Profile
from scraper.extract.structured import Structured

PROFILES: dict[str, Profile] = {
    "article": Profile(focus="balanced"),
    "forum": Profile(focus="recall", comments=True),
    "product": Profile(focus="recall"),
    "documentation": Profile(focus="balanced"),
    "listing": Profile(focus="recall"),
    "collection": Profile(focus="recall"),
    "service": Profile(focus="recall"),
}
TEASER_ENDINGS = ("...", "…", "[…]", "[...]", "Read more", "read more")
MIN_STRUCTURED_CHARS = 400
STRUCTURED_GAIN = 1.3  # articleBody must be this much longer than the extraction to win
# A shorter articleBody still wins where the page shows no text at all (a script-rendered
# brief: two sentences in JSON-LD over an empty <div id="root">), which came out empty;
# the length floor is there to keep a short declared body from replacing shown text.
MIN_STRUCTURED_WORDS_ALONE = 8


def profile_for(page_type: str | None) -> Profile:
    return PROFILES.get(page_type or "article", PROFILES["article"])


def choose_body(
    body: str, st: Structured, page_type: str | None, use_structured: bool, stats: dict[str, int]
) -> str:
    """The extraction, or a declared body (JSON-LD) when that is complete and longer.

    Returns ``body`` itself (the same object) when the extraction stands.
    """
    if not use_structured:
        return body
    declared = st.article_body
    if page_type == "forum" and st.forum_posts:
        posts = "\n\n".join(st.forum_posts)
        if len(posts) > STRUCTURED_GAIN * len(body):
            stats["structured_body"] = 1
            return posts
    if (
        declared
        and (len(declared) >= MIN_STRUCTURED_CHARS
             or (not body.strip() and len(declared.split()) >= MIN_STRUCTURED_WORDS_ALONE))
        and not declared.rstrip().endswith(TEASER_ENDINGS)
        and len(declared) > STRUCTURED_GAIN * len(body)
    ):
        stats["structured_body"] = 1
        return declared
    return body
