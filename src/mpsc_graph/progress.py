"""How far a long load has got, on stderr: a bar on a terminal, a line per tenth elsewhere.

pyoxigraph parses a file in one call and says nothing while it runs (a minute for the 397 MB of
the 10M benchmark). A thread therefore watches how far the engine has read the file: the read
position of its open file descriptor, from ``/proc/self/fdinfo`` (Linux; elsewhere only the time
is shown). Nothing runs in the parser's loop: handing it a Python reader instead would cost a
Python call per 2 kB read, 200,000 calls at 10M.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TextIO

BAR_WIDTH = 24


def read_position(path: Path) -> int | None:
    """How many bytes of ``path`` this process has read through an open descriptor (None: not open,
    or no ``/proc``)."""
    target = str(path.resolve())
    try:
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return None
    for descriptor in descriptors:
        try:
            if os.readlink(f"/proc/self/fd/{descriptor}") != target:
                continue
            with open(f"/proc/self/fdinfo/{descriptor}", encoding="ascii") as info:
                for line in info:
                    if line.startswith("pos:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return None


class LoadProgress:
    """While the engine loads ``path`` (inside the ``with`` block), show how much it has read."""

    def __init__(self, path: Path, label: str, *, stream: TextIO | None = None, interval: float = 0.5) -> None:
        self._path = path
        self._size = max(1, path.stat().st_size)
        self._label = label
        self._stream = stream if stream is not None else sys.stderr
        self._bar = self._stream.isatty()
        self._interval = interval
        self._started = time.monotonic()
        self._next_mark = 1  # the next tenth of the file (or, without a position, ten seconds) to report
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="load-progress", daemon=True)

    def __enter__(self) -> LoadProgress:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(self._interval):
            self._show(read_position(self._path))

    def _show(self, done: int | None) -> None:
        seconds = time.monotonic() - self._started
        if done is None:
            figures, share = f"{seconds:.0f} s", 0.0
        else:
            share = min(1.0, done / self._size)
            figures = f"{share:4.0%}  {done / 2**20:.0f}/{self._size / 2**20:.0f} MB  {seconds:.0f} s"
        if self._bar:
            filled = int(share * BAR_WIDTH)
            self._stream.write(f"\r  {self._label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {figures}")
        elif done is not None and share * 10 >= self._next_mark:
            self._next_mark = int(share * 10) + 1
            self._stream.write(f"  {self._label}: {figures}\n")
        elif done is None and seconds >= 10 * self._next_mark:  # no position known: every 10 s
            self._next_mark += 1
            self._stream.write(f"  {self._label}: {figures}\n")
        self._stream.flush()

    def finish(self, total: float | None = None) -> None:
        """The closing line: size and time of this file (and the running total of the load, if given)."""
        self._stop.set()
        self._thread.join()
        seconds = time.monotonic() - self._started
        overall = f" (total {total:.1f} s)" if total is not None else ""
        start, padding = ("\r", " " * 20) if self._bar else ("", "")
        size = self._size / 2**20
        self._stream.write(f"{start}  {self._label}: {size:.1f} MB in {seconds:.1f} s{overall}{padding}\n")
        self._stream.flush()
