"""One run at a time per crawl state: an OS lock on ``<state>.lock``.

``fcntl.flock`` is released by the kernel when the process dies, ``kill -9`` included,
so a crashed run never leaves a stale lock behind that cron would trip over. The file
keeps the holder's pid and start time for the error message.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from scraper.errors import StateLockedError

EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the state; cron may simply try later


class StateLock:
    def __init__(self, state_path: str | os.PathLike[str]) -> None:
        # Next to the file itself: a state named through a symlink (and by its own name
        # by another cron line) got a lock file of each name, and both runs went on.
        self.path = Path(f"{Path(state_path).resolve()}.lock")
        self._fd: int | None = None

    def acquire(self) -> StateLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            finally:
                os.close(fd)
            raise StateLockedError(str(self.path), holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
                  .encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def __enter__(self) -> StateLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
