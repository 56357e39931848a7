"""What a cleaner returns: kept text, metadata it found, and provenance of removals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Removal:
    """One removed block and the rule that removed it."""

    rule: str
    text: str
    line: int | None = None  # 1-based line in the normalised input text

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "text": self.text}
        if self.line is not None:
            out["line"] = self.line
        return out


@dataclass(slots=True)
class CleanResult:
    text: str
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None  # the page's address, when the text gives it (a metadata footer)
    language: str | None = None
    vocab_languages: tuple[str, ...] = ()
    removed: list[Removal] = field(default_factory=list)
    kept_lines: list[int] = field(default_factory=list)  # input line numbers of kept blocks
    passes: int = 1

    def bytes_removed_by_rule(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.removed:
            out[r.rule] = out.get(r.rule, 0) + len(r.text.encode("utf-8"))
        return out
