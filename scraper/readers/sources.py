"""From command-line inputs to a fixed, ordered list of things to read.

Rules (the CLI help repeats them):

* ``-`` is standard input; its format is sniffed from the first bytes.
* An existing file is read whatever its name: a known extension picks the format,
  anything else is read as one text document (the user named it on purpose) --
  except pipes such as ``<(zcat dump.gz)``, whose content is sniffed like stdin.
* A directory is walked recursively in sorted path order, skipping hidden entries
  (``.git``, temp files of a run in progress) and files whose extension the mode
  does not read, so that pointing pagewash at a messy folder does not turn images
  and logs into rejects. Text mode reads ``txt``, ``jsonl``/``ndjson``, ``warc`` and
  ``wet``; html mode reads ``html``/``htm``, ``mhtml``/``mht`` (a page saved as one
  file), ``jsonl``/``ndjson`` and ``warc``.
  Each may end in ``.gz`` or ``.zst``. In html mode the folder of a page saved
  "complete" ("Article_files" beside "Article.html") is skipped too: its .html files
  are the page's frames (ads, players), not pages.
* Anything else is a ``glob.glob(recursive=True)`` pattern; matches are sorted and
  treated like names given one by one. No match at all is a ``not-found`` reject.

Every file is read once even when several inputs name it. The list is computed once
so that the progress total and the run see the same files.
"""

from __future__ import annotations

import enum
import fnmatch
import glob
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from scraper.readers.base import Mode

COMPRESSED_SUFFIXES = (".gz", ".zst", ".zstd")


class Kind(enum.Enum):
    TEXT = "text"
    JSONL = "jsonl"
    WARC = "warc"
    HTML = "html"
    PARQUET = "parquet"
    # A file named .json: JSON Lines under that name (many dumps are), or one JSON
    # document, which is refused; its content says which.
    JSON = "json"


_BY_EXTENSION = {
    ".txt": Kind.TEXT,
    ".jsonl": Kind.JSONL,
    ".ndjson": Kind.JSONL,
    ".warc": Kind.WARC,
    ".wet": Kind.WARC,
    ".html": Kind.HTML,
    ".htm": Kind.HTML,
    ".mhtml": Kind.HTML,  # a page saved as one file (scraper/readers/mhtml.py)
    ".mht": Kind.HTML,
    ".parquet": Kind.PARQUET,
    ".json": Kind.JSON,
}
_WALKED = {
    "text": frozenset({".txt", ".jsonl", ".ndjson", ".warc", ".wet", ".parquet"}),
    "html": frozenset({".html", ".htm", ".mhtml", ".mht", ".jsonl", ".ndjson", ".warc",
                       ".parquet"}),
}


@dataclass(frozen=True, slots=True)
class FileInput:
    """A file to read. ``kind`` None: sniff the content (a pipe such as ``<(zcat x)``).

    Only regular files have a meaningful size; a FIFO's is 0 and must not be taken
    for an empty input.
    """

    path: str
    kind: Kind | None
    size: int
    regular: bool = True
    found: bool = False  # by a directory walk or a pattern, not named as it is


@dataclass(frozen=True, slots=True)
class StdinInput:
    label: str = "<stdin>"


@dataclass(frozen=True, slots=True)
class MissingInput:
    """An input that names nothing readable; reported as a reject when the run starts."""

    source: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file a directory walk met whose extension is not one this command reads (or
    that is part of a saved page, ``why``): not an input document, but counted, so that
    a directory of ``.md`` or ``.html`` files does not come out as an empty run without
    a word."""

    path: str
    why: str | None = None  # what the summary calls it, instead of its extension

    @property
    def extension(self) -> str:
        if self.why:
            return self.why
        if is_rejects_name(self.path):
            return REJECTS_SUFFIX
        return base_extension(self.path) or "no extension"


SAVED_PAGE_FILES = "saved-page files"


@cache
def _saved_page_suffixes() -> tuple[str, ...]:
    from importlib import resources

    raw = tomllib.loads(resources.files("scraper").joinpath(
        "extract/vocab/saved_pages.toml").read_text("utf-8"))
    return tuple(str(s).lower() for s in raw["suffixes"])


def saved_page_folder(name: str, files: Iterable[str]) -> bool:
    """Is the directory ``name`` the folder of a page saved "complete" beside it
    ("Article_files" next to "Article.html")? Its frames (ads, players, comment
    widgets) saved as .html files were extracted as pages of their own: a walk of a
    folder of saved pages gave a record of junk, or an empty one, per embed."""
    lower = name.lower()
    stems = {lower[: -len(s)] for s in _saved_page_suffixes()
             if lower.endswith(s) and len(lower) > len(s)}
    if not stems:
        return False
    pages = (os.path.splitext(f.lower()) for f in files)
    return any(stem in stems and ext in (".html", ".htm", ".xhtml") for stem, ext in pages)


REJECTS_SUFFIX = ".rejects.jsonl"
# The names pagewash gives rejects files: clean.rejects.jsonl beside -o clean.jsonl.gz
# (pagewash.rejects.jsonl for stdout), articles.rejects-<run id>.jsonl beside a crawl's.
_REJECTS_NAME = re.compile(r".+\.rejects(?:-[\w.-]+)?\.jsonl", re.IGNORECASE)


def is_rejects_name(path: str) -> bool:
    """Is this the name of a rejects file some pagewash run wrote? A directory of a
    run's outputs holds its rejects file too; read as input, each of its lines was a
    ``missing-field`` reject (no text in it), so reading a command's outputs back
    exited 3. A walk or a pattern skips such a file (counted); named, it is read."""
    return bool(_REJECTS_NAME.fullmatch(os.path.basename(path)))


Input = FileInput | StdinInput | MissingInput | SkippedFile


def base_extension(name: str) -> str:
    """``page.HTML.gz`` -> ``.html``: the format extension under any compression suffix."""
    lower = os.path.basename(name).lower()
    for suffix in COMPRESSED_SUFFIXES:
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
            break
    return os.path.splitext(lower)[1]


def kind_for(name: str, mode: Mode, *, explicit: bool) -> Kind | None:
    """The format to read ``name`` as, or None when a directory walk should skip it."""
    ext = base_extension(name)
    if not explicit and ext not in _WALKED[mode]:
        return None
    # a page named on purpose in html mode is a page whatever its extension: wget and
    # "save as" write .php, .aspx, .xhtml, .shtml or none ("article?id=3"), and read as
    # text such a file was rejected as having no HTML
    kind = _BY_EXTENSION.get(ext, Kind.HTML if mode == "html" else Kind.TEXT)
    if kind is Kind.HTML and mode == "text":
        return Kind.TEXT  # named on purpose in text mode: text, unless it is markup
    return kind


def page_named(name: str) -> bool:
    """Whether ``name`` is named as a web page (``page.html``, ``page.mht.gz``): in text
    mode the reader checks that such a file is no markup (see ``read_text``)."""
    return _BY_EXTENSION.get(base_extension(name)) is Kind.HTML


def expand_inputs(inputs: Sequence[str], mode: Mode) -> list[Input]:
    """Resolve every input to files, stdin or a reason why it names nothing."""
    out: list[Input] = []
    seen: set[str] = set()
    for name in inputs:
        for item in _expand_one(name, mode):
            if isinstance(item, FileInput | StdinInput | SkippedFile):
                key = "-" if isinstance(item, StdinInput) else os.path.realpath(item.path)
                if key in seen:
                    continue
                seen.add(key)
            out.append(item)
    return out


def _expand_one(name: str, mode: Mode) -> Iterator[Input]:
    if name == "-":
        yield StdinInput()
        return
    if os.path.isdir(name):
        yield from _walk(name, mode)
        return
    if os.path.exists(name):
        yield from _file(name, mode, explicit=True)
        return
    if glob.has_magic(name):
        matches = sorted(_glob(name))
        if matches:
            saved = _SavedFolders(name) if mode == "html" else None
            for match in matches:
                if os.path.isdir(match):
                    if "**" in name:  # with **, the files below match on their own
                        continue
                    if saved is not None and saved.holds(os.path.join(match, "")):
                        # ('saved/*' matched the folder itself: walked, it was read
                        # from inside, where no page lies beside it)
                        yield from _saved_folder_files(match)
                    else:
                        yield from _walk(match, mode)
                elif saved is not None and saved.holds(match):
                    yield SkippedFile(match, SAVED_PAGE_FILES)
                elif is_rejects_name(match):
                    yield SkippedFile(match)
                else:
                    yield from _file(match, mode, explicit=True, pattern=True)
            return
        yield MissingInput(name, "not-found", f"{name}: no file matches this pattern")
        return
    yield MissingInput(name, "not-found", f"{name}: no such file or directory")


class _SavedFolders:
    """Which files a pattern matched lie in the folder of a page saved "complete", in
    the part of their path the pattern's wildcards matched (``'saved/**/*.html'``, the
    way the README reads a folder of saved pages, took each page's frames too); a
    pattern that spells the folder out (``'Article_files/*.html'``) means its files."""

    def __init__(self, pattern: str) -> None:
        parts = pattern.split(os.sep)
        fixed = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))
        self.depth = fixed  # path components the pattern spells out
        self.verdicts: dict[str, bool] = {}

    def holds(self, path: str) -> bool:
        parts = path.split(os.sep)
        for end in range(len(parts) - 1, self.depth, -1):  # the directories, deepest first
            folder = os.sep.join(parts[:end])
            if folder not in self.verdicts:
                # ("" before the first separator of an absolute path is the root; no
                # component before a relative one's first is the current directory)
                parent = os.sep.join(parts[: end - 1]) or (os.sep if end > 1 else os.curdir)
                try:
                    siblings = os.listdir(parent)
                except OSError:
                    siblings = []
                self.verdicts[folder] = saved_page_folder(parts[end - 1], siblings)
            if self.verdicts[folder]:
                return True
        return False


def _saved_folder_files(top: str) -> Iterator[Input]:
    """The files of the folder of a saved page, each passed over as a saved-page file
    (hidden ones left out, as a walk leaves them)."""
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith("."):
                yield SkippedFile(os.path.join(root, f), SAVED_PAGE_FILES)


def _glob(pattern: str) -> list[str]:
    """``glob.glob``, except that ``**`` does not descend into symlinked directories:
    glob follows them, so one link to a parent repeats the tree under ever longer
    names and two make the expansion run for ever (a directory walk does not follow
    them either). Hidden names match only when the pattern spells them, as in glob."""
    if "**" not in pattern:
        return glob.glob(pattern)
    parts = pattern.split(os.sep)
    fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    top = os.sep.join(parts[:fixed]) or (os.sep if pattern.startswith(os.sep) else ".")
    out = []
    for root, dirs, files in os.walk(top):  # followlinks=False
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in (*dirs, *files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            if _matches(parts[fixed:], os.path.relpath(path, top).split(os.sep)):
                out.append(path if top != "." or pattern.startswith("." + os.sep)
                           else os.path.relpath(path, top))
    return out


def _matches(parts: list[str], names: list[str]) -> bool:
    """Whether path ``names`` match pattern ``parts``: ``**`` is any number of
    directories, other parts match one name each (fnmatch, case-sensitive as glob)."""
    if not parts:
        return not names
    if parts[0] == "**":
        return any(_matches(parts[1:], names[i:]) for i in range(len(names) + 1))
    return bool(names) and fnmatch.fnmatchcase(names[0], parts[0]) and _matches(
        parts[1:], names[1:])


def _file(path: str, mode: Mode, *, explicit: bool, pattern: bool = False) -> Iterator[Input]:
    kind = kind_for(path, mode, explicit=explicit)
    if kind is None:
        return
    try:
        info = os.stat(path)
    except OSError as err:
        yield MissingInput(path, "not-found", f"{path}: cannot stat ({err.strerror or err})")
        return
    if stat.S_ISREG(info.st_mode):
        yield FileInput(path, kind, info.st_size, found=pattern or not explicit)
    elif not explicit or pattern:
        # A FIFO or socket met in a directory or by a pattern: opening it waits for a
        # writer that may never come. Named on purpose (<(zcat x), a FIFO path) it is read.
        return
    else:
        known = base_extension(path) in _BY_EXTENSION
        yield FileInput(path, kind if known else None, 0, regular=False)


def _walk(top: str, mode: Mode) -> Iterator[Input]:
    errors: list[OSError] = []
    paths: list[str] = []
    saved: set[str] = set()  # folders of pages saved "complete", and folders under them
    for root, dirs, files in os.walk(top, onerror=errors.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        paths.extend(os.path.join(root, f) for f in files if not f.startswith("."))
        if mode == "html":
            saved.update(os.path.join(root, d) for d in dirs
                         if root in saved or saved_page_folder(d, files))
    for err in errors:
        where = err.filename or top
        message = f"{where}: cannot list directory ({err.strerror})"
        yield MissingInput(str(where), "unreadable", message)
    found = False
    for path in sorted(paths):
        if saved and os.path.dirname(path) in saved:
            yield SkippedFile(path, SAVED_PAGE_FILES)
            continue
        if kind_for(path, mode, explicit=False) is None or is_rejects_name(path):
            yield SkippedFile(path)
            continue
        for item in _file(path, mode, explicit=False):
            found = True
            yield item
    if not found and not errors:  # as for a pattern that matches nothing: say so
        yield MissingInput(top, "not-found", f"{top}: no {mode} input files in this directory")


def total_size(items: Iterable[Input]) -> int:
    return sum(item.size for item in items if isinstance(item, FileInput))
