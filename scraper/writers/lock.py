"""One run at a time per output file: the state lock's ``flock``, on a hidden file
beside the output.

Two runs into one ``-o`` (two cron lines, two ``--resume`` runs) replaced each other's
file or shards and lost records; the second now stops at once (exit status 75), before
it writes, removes or sweeps anything. The lock is ``.NAME.lock`` in the output's
directory: hidden, so that a directory walk or a pattern over a run's outputs never reads
it (they pass over hidden names, as over the writers' temp files), and removed when the
run ends. ``kill -9`` leaves it, unlocked: the kernel let go of the ``flock`` with the
process, and the next run takes the file over.

A sharded output is locked under the name ``-o`` gives (``out.jsonl`` for
``out-00000.jsonl``…), so a sharded and an unsharded run of one name exclude each other.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from scraper.errors import LockedError, OutputError, OutputLockedError
from scraper.state.lock import FileLock
from scraper.writers.base import is_stream, output_target


class OutputLock(FileLock):
    """The lock of the file ``path`` names (through a symlink, its target's), written
    by the option ``option`` of a run."""

    def __init__(self, path: str, option: str = "-o") -> None:
        real = Path(os.path.realpath(output_target(Path(path))))
        super().__init__(real.with_name(f".{real.name}.lock"), remove=True)
        self.output = path
        self.option = option

    def refused(self, holder: str) -> LockedError:
        return OutputLockedError(self.output, self.option, holder)

    def acquire(self) -> Self:
        # The lock file is the first file a run makes beside its output: a place where
        # none can be made is said of the file the user named, not of a hidden one.
        try:
            super().acquire()
        except OSError as exc:
            raise OutputError(f"{self.output}: cannot create files in {self.path.parent} "
                              f"({self.option}: {exc.strerror or exc})") from None
        return self


class OutputLocks:
    """The locks of every file a run writes, ``(option, path)`` pairs: all taken, or
    none (a refused run lets go of those it had). Stdout, devices and pipes have none:
    nothing is renamed over them, and ``/dev/null`` is everyone's."""

    def __init__(self, files: Sequence[tuple[str, str]]) -> None:
        locks: dict[Path, OutputLock] = {}
        for option, path in files:
            if path == "-" or is_stream(Path(path)):
                continue
            lock = OutputLock(path, option)
            locks.setdefault(lock.path, lock)
        # one order for every run: two runs that each need the other's file cannot
        # both take one and both be refused the other
        self.locks = [locks[p] for p in sorted(locks)]
        self._held: list[OutputLock] = []

    def acquire(self) -> OutputLocks:
        try:
            for lock in self.locks:
                lock.acquire()
                self._held.append(lock)
        except BaseException:
            self.release()
            raise
        return self

    def release(self) -> None:
        held, self._held = self._held, []
        for lock in reversed(held):
            with contextlib.suppress(OSError):
                lock.release()

    def __enter__(self) -> OutputLocks:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
