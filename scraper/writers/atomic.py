"""Files that appear under their final name only once they are whole.

Output is written to a hidden temp file in the target directory (same filesystem, so
``os.replace`` is an atomic rename) and renamed on commit after an ``fsync``; the
directory is fsynced too so that the rename itself survives a power cut. A crash or
``kill -9`` at any moment leaves either the previous final file or the new one, plus
at worst a stray ``.NAME.tmp-PID-XXXX`` file -- never a truncated final file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import BinaryIO

from scraper.errors import OutputError
from scraper.writers.base import output_names


def output_error(path: Path | str, err: OSError, doing: str = "write") -> OutputError:
    if err.errno == errno.ENOSPC:
        why = "disk full"
    elif err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = f"permission denied ({err.strerror})"
    else:
        why = err.strerror or str(err)
    return OutputError(f"{path}: cannot {doing}: {why}")


def temp_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")


def sweep_stale_temps(final: Path | str) -> list[Path]:
    """Remove the temp files that runs killed before they published left for ``final``
    or its numbered shards (their process is gone), and say which.

    ``kill -9`` or the OOM killer leaves ``.NAME.tmp-PID-XXXX`` behind: never a truncated
    output, but disk the next run would otherwise never give back (a long unsharded run
    leaves gigabytes). A temp file whose process still runs is another run's: kept.
    """
    final = Path(final)
    pattern = re.compile(rf"\.(?:{output_names(final)})\.tmp-(\d+)-[0-9a-f]{{8}}")
    removed: list[Path] = []
    try:
        entries = list(final.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m is None or _alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive, not ours to judge
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed process its parent has not reaped yet still answers ``kill(pid, 0)``:
    a run started right after ``kill -9`` (a wrapper script, a supervisor restarting the
    job) took the dead run's temp file for a live one's and left it. Linux says so in
    ``/proc``; elsewhere the process counts as alive (kept, as before)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    # "pid (comm) S ...": the command may hold spaces and parentheses; the state follows
    # the last ")"
    end = stat.rfind(b")")
    return stat[end + 2 : end + 3] == b"Z"


def fsync_dir(directory: Path) -> None:
    # Some filesystems refuse to open or fsync a directory; the rename is then as
    # durable as that filesystem makes it, which is all that can be had.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class AtomicFile:
    """One temp file that becomes ``final`` on :meth:`commit` or vanishes on :meth:`abort`.

    ``start_from_final`` copies the current final file in first, so that appending
    and committing again keeps what an earlier commit published.
    """

    def __init__(self, final: Path, *, fsync: bool = True, start_from_final: bool = False) -> None:
        self.final = final
        self.tmp = temp_name(final)
        self._fsync = fsync
        self._fh: BinaryIO | None = None
        self.published = False
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.tmp, "xb")  # noqa: SIM115 -- lives until commit/abort
            if start_from_final and final.exists():
                with open(final, "rb") as src:
                    shutil.copyfileobj(src, self._fh, 1 << 20)
            self.size = self._fh.tell()
        except OSError as err:
            self.abort()
            raise output_error(final, err, "create") from err

    def append(self, blob: bytes) -> None:
        assert self._fh is not None, "append after commit/abort"
        try:
            self._fh.write(blob)
        except OSError as err:
            raise output_error(self.final, err) from err

    def commit(self, size: int, tail: bytes = b"") -> None:
        """Cut the file back to ``size`` bytes, add ``tail``, and publish it.

        Cutting back first makes commit safe after an interrupted :meth:`append`: the
        caller passes the size it knows to be whole, and whatever a half-done append
        left after it is dropped before the file gets its final name. For the same
        reason a commit interrupted half-way can simply be called again.
        """
        if self.published:
            return
        try:
            fh = self._fh
            if fh is not None:
                fh.flush()
                fh.seek(size)
                fh.truncate()
                if tail:
                    fh.write(tail)
                fh.flush()
                if self._fsync:
                    os.fsync(fh.fileno())
                fh.close()
                self._fh = None
            os.replace(self.tmp, self.final)
        except OSError as err:
            self.abort()
            raise output_error(self.final, err, "commit") from err
        self.published = True
        if self._fsync:
            fsync_dir(self.final.parent)

    def abort(self) -> None:
        fh, self._fh = self._fh, None
        if fh is not None:
            with contextlib.suppress(OSError):
                fh.close()
        if not self.published:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)

    @property
    def open(self) -> bool:
        return self._fh is not None
