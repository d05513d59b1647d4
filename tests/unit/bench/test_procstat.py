"""CPU and memory of a process tree read from /proc, with a real child process."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.procstat import TreeSampler, process_tree, read_stat, sample_tree

# Burn about 0.3 s of CPU, then wait for stdin to close.
SPIN = "import sys, time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\nprint('done', flush=True)\nsys.stdin.read()\n"


def spinning_child() -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", SPIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "done"
    return child


def test_tree_contains_child():
    child = spinning_child()
    try:
        assert child.pid in process_tree(os.getpid())
    finally:
        child.communicate("")


def test_stat_of_missing_process_is_none():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert read_stat(child.pid) is None


def test_tree_sample_counts_child_cpu():
    own = sample_tree(os.getpid())
    child = spinning_child()
    try:
        both = sample_tree(os.getpid())
    finally:
        child.communicate("")
    assert both.cpu_s - own.cpu_s >= 0.25
    assert both.rss_bytes > own.rss_bytes


def test_sampler_keeps_reaped_child_cpu():
    sampler = TreeSampler("self", os.getpid(), interval_s=0.05)
    sampler.start()
    child = spinning_child()
    child.communicate("")

    usage = sampler.stop()

    assert usage.cpu_s >= 0.25
    assert usage.peak_rss_bytes > 0
    assert usage.samples >= 2
