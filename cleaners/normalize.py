"""Whitespace and Unicode normalisation: the only rewriting the cleaner ever does.

Output blocks are input blocks; this module defines what "the same block" means
(NFC, one kind of space, no invisible characters, no trailing blanks) and the folded
*key* rules use to compare a block against vocabulary, which is never written out.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces that browsers render like a space but that break naive matching.
_SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\t\v\f"
)
# Invisible format characters that scrapers copy out of pages (ZWJ/ZWNJ are kept:
# they change the spelling of Persian, Indic and emoji text).
_INVISIBLE = "\u200b\u2060\ufeff\u00ad\u180e\u2028\u2029"
_TRANSLATE = {ord(c): " " for c in _SPACES}
_TRANSLATE.update({ord(c): None for c in _INVISIBLE})
# C0/C1 controls other than newline (tab is mapped to space above).
_TRANSLATE.update({c: None for c in range(0x00, 0x20) if c not in (0x0A,)})
_TRANSLATE.update({c: None for c in range(0x7F, 0xA0)})
_TRANSLATE[0x0D] = "\n"  # lone CR is a line break (old Mac); CRLF collapses below

_MULTISPACE = re.compile(r" {2,}")
_CRLF = re.compile(r"\r\n")


def normalize_text(text: str) -> str:
    """NFC, spaces unified, invisible characters dropped, lines right/left stripped.

    Blank lines are kept (they mark paragraph breaks); runs of them collapse to one.
    """
    text = _CRLF.sub("\n", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = text.translate(_TRANSLATE)
    text = _MULTISPACE.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    blank = False
    for line in lines:
        if line:
            out.append(line)
            blank = False
        elif not blank and out:
            out.append("")
            blank = True
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# Letters of other scripts that look like Latin ones. Dumps mix them ("переглядiв"
# with a Latin i); keys fold both sides so vocabulary matches either spelling.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
        "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "ё": "e", "һ": "h",
        "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t",
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
        "–": "-", "—": "-", "‑": "-", "−": "-",
    }
)

# Leading/trailing decoration that does not change what a line says: bullets, arrows,
# icons, pipes and end punctuation.
_EDGE = re.compile(
    r"^[\s\W_]+|[\s\W_]+$",
)


def fold(text: str) -> str:
    """Matching key: casefolded, confusables unified, decoration trimmed, spaces single.

    ``fold(" • Loading...")`` == ``fold("LOADING")`` == ``"loading"``.
    """
    key = text.casefold().translate(_CONFUSABLES)
    key = _EDGE.sub("", key)
    if "  " in key:
        key = _MULTISPACE.sub(" ", key)
    return key
