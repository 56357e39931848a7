"""One run at a time per file: an OS lock on a lock file beside it.

``fcntl.flock`` is released by the kernel when the process dies, ``kill -9`` included,
so a crashed run never leaves a stale lock behind that cron would trip over. The file
keeps the holder's pid, host and start time for the error message.

:class:`FileLock` is the mechanism; :class:`StateLock` keeps two runs off one crawl or
corpus state (``<state>.lock``), :class:`scraper.writers.lock.OutputLock` off one output.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from scraper.errors import LockedError, StateLockedError

EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the state; cron may simply try later
# Times a lock file's directory may vanish under a run (its last holder removing it)
# before the place is taken for one where no file can be made.
_VANISHED_RETRIES = 20


class FileLock:
    """An exclusive, non-blocking ``flock`` on ``path``: a second holder is refused at
    once with :meth:`refused`'s error, never kept waiting.

    ``remove``: the file goes when the lock is let go, so that nothing is left beside
    an output after a run (a ``kill -9`` still leaves it: harmless, the next run takes
    it over). Removing a lock file lets a run that opened it just before lock a file no
    longer there while a third creates a new one; :meth:`acquire` checks that the file
    it locked is still the one under ``path``, and tries again when it is not.
    """

    def __init__(self, path: Path, *, remove: bool = False) -> None:
        self.path = path
        self.remove = remove
        self._fd: int | None = None
        self._made: list[Path] = []  # (with remove) directories the lock made, outermost first

    def refused(self, holder: str) -> LockedError:
        """The error for a lock another run holds; ``holder`` is what it wrote in it."""
        return LockedError(f"{self.path}: locked by another pagewash run"
                           + (f" ({holder})" if holder else ""))

    def acquire(self) -> Self:
        try:
            self._fd = self._take()
        except BaseException:
            self._remove_made()
            raise
        return self

    def _take(self) -> int:
        """The descriptor of the locked file, which now names this process."""
        vanished = 0
        while True:
            self._make_dirs()
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except FileNotFoundError:
                # A holder that made the directory removed it as it let go: try again,
                # a few times only, since a place where no file can be made (/proc, a
                # dangling symlink) says the same every time and would spin for ever.
                vanished += 1
                if not self.remove or vanished > _VANISHED_RETRIES:
                    raise
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                try:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                finally:
                    os.close(fd)
                raise self.refused(holder) from None
            except BaseException:
                os.close(fd)
                raise
            if self._still_there(fd):
                break
            os.close(fd)  # locked a file a holder removed as it let go: take the new one
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} since "
                  f"{time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
        return fd

    def _make_dirs(self) -> None:
        """Make the lock file's directory. With ``remove``, the ones made are removed
        again with the lock when they are still empty: a run refused before it wrote
        (a bad option, an output it cannot resume) leaves no new directory behind."""
        if not self.remove:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return
        missing = []
        where = self.path.parent
        while not where.exists() and where != where.parent:
            missing.append(where)
            where = where.parent
        for directory in reversed(missing):
            try:
                directory.mkdir()
            except FileExistsError:  # another run's, made just now
                continue
            self._made.append(directory)

    def _still_there(self, fd: int) -> bool:
        try:
            now = os.stat(self.path)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                if self.remove:  # before unlocking: whoever locks it next finds it gone
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self.path)
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        self._remove_made()

    def _remove_made(self) -> None:
        made, self._made = self._made, []
        for directory in reversed(made):
            try:
                directory.rmdir()  # only when empty: the run's output stays, and its place
            except OSError:
                break

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


class StateLock(FileLock):
    def __init__(self, state_path: str | os.PathLike[str]) -> None:
        # Next to the file itself: a state named through a symlink (and by its own name
        # by another cron line) got a lock file of each name, and both runs went on.
        super().__init__(Path(f"{Path(state_path).resolve()}.lock"))

    def refused(self, holder: str) -> LockedError:
        return StateLockedError(str(self.path), holder)
