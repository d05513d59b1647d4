"""CPU seconds and peak resident memory of a process and its descendants, read from /proc (Linux only).

CPU of a tree = utime + stime of every live process in it, plus cutime + cstime of each (the time of
children it has already reaped), so a worker child that exits during the run still counts.
Memory is the sum of VmRSS over the tree, sampled every ``interval_s``: a peak shorter than the
interval can be missed.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


@dataclass(frozen=True)
class StatFields:
    parent_pid: int
    cpu_ticks: int  # utime + stime + cutime + cstime


def read_stat(pid: int) -> StatFields | None:
    """Return the fields of /proc/<pid>/stat that are used here, or None when the process is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name in field 2 may contain spaces and brackets, so split after its closing bracket.
    fields = text[text.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state); utime..cstime are fields 14..17.
    ticks = sum(int(value) for value in fields[11:15])
    return StatFields(parent_pid=int(fields[1]), cpu_ticks=ticks)


def read_rss_bytes(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def process_tree(root_pid: int) -> list[int]:
    """Return ``root_pid`` and its live descendants, found through the parent pid of every process."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = read_stat(int(entry.name))
        if stat is not None:
            children.setdefault(stat.parent_pid, []).append(int(entry.name))

    tree, pending = [], [root_pid]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


@dataclass(frozen=True)
class Sample:
    cpu_s: float
    rss_bytes: int


def sample_tree(root_pid: int) -> Sample | None:
    """Return the tree's CPU seconds and summed RSS now, or None when the root process is gone."""
    if read_stat(root_pid) is None:
        return None
    ticks, rss = 0, 0
    for pid in process_tree(root_pid):
        stat = read_stat(pid)
        if stat is None:
            continue
        ticks += stat.cpu_ticks
        rss += read_rss_bytes(pid)
    return Sample(cpu_s=ticks / CLOCK_TICKS_PER_S, rss_bytes=rss)


@dataclass(frozen=True)
class Usage:
    cpu_s: float
    peak_rss_bytes: int
    samples: int


class TreeSampler:
    """Sample a process tree in a background thread from ``start`` to ``stop``."""

    def __init__(self, name: str, root_pid: int, interval_s: float = 0.5) -> None:
        self.name = name
        self.root_pid = root_pid
        self.interval_s = interval_s
        self._first: Sample | None = None
        self._last: Sample | None = None
        self._peak_rss = 0
        self._count = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sample-{name}", daemon=True)

    def start(self) -> None:
        self._take()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._take()

    def _take(self) -> None:
        sample = sample_tree(self.root_pid)
        if sample is None:
            return
        with self._lock:
            self._first = self._first or sample
            self._last = sample
            self._peak_rss = max(self._peak_rss, sample.rss_bytes)
            self._count += 1

    def stop(self) -> Usage | None:
        """Take a last sample, stop the thread, and return the usage since ``start`` (None if never sampled)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._take()
        with self._lock:
            if self._first is None or self._last is None:
                log.warning("no sample of %s (pid %d) was taken", self.name, self.root_pid)
                return None
            return Usage(
                cpu_s=round(self._last.cpu_s - self._first.cpu_s, 3),
                peak_rss_bytes=self._peak_rss,
                samples=self._count,
            )
