"""Measuring: time, memory, disk, the machine; a corpus to measure on."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.gc_pause import collector_paused


def machine_info() -> dict[str, Any]:
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    return {"python": platform.python_version(), "system": platform.platform(), "cpus": os.cpu_count(),
            "memory_gb": round(mem_kb / 2**20, 1)}


def fresh(path: Path) -> Path:
    """``path``, emptied: a benchmark store starts from nothing."""
    import shutil

    if path.exists():
        shutil.rmtree(path)
    return path


def timed_call(fn: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``fn`` and time it with Python's cyclic collector paused, as ``kg build`` runs every
    stage; here it would also walk the output of every stage before, held to time each apart
    (it took 4 s of this process's CPU while the workers extracted, and 1.5 s of the parse)."""
    with collector_paused():
        start = time.perf_counter()
        result = fn()
        return result, time.perf_counter() - start


def server_peak_mb(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def process_tree(root: int) -> set[int]:
    """Process ``root`` and all its descendants, now."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return tree


def tree_memory_mb(root: int, attempts: int = 5) -> float:
    """The memory of process ``root`` and all its descendants together, now: each process's
    proportional set size, so pages shared after a fork (the store server forks to rewrite its
    append-only file, and its index collector forks every few seconds) are counted once, not
    once per process.

    A sample during which a process started or ended is taken again. Otherwise a fork child's
    half of the shared pages and then, once it had ended, the server's whole could be added up:
    at a million papers one such sample said 9.5 GB, where the resident sizes of the processes,
    sampled every 15 s, never added up to more than 8.0 GB outside a fork."""
    total = 0
    for _attempt in range(attempts):
        tree = process_tree(root)
        total = 0
        for pid in tree:
            with contextlib.suppress(OSError, IndexError, ValueError, StopIteration):  # one that just ended
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
                total += int(next(line.split()[1] for line in rollup if line.startswith("Pss:"))) * 1024
        if process_tree(root) == tree:
            break
    return total / 2**20


def build_whole(listings: Path, data: Path, *options: str) -> dict[str, float]:
    """``kg build`` of ``listings`` (with ``options``), as a user runs it: wall time, and the peak
    memory of all its processes together (kg, its extraction workers and the store server),
    sampled up to 5 times a second. A sample walks every page table of those processes, so it gets slower as the
    store grows (a tenth of a second at a million papers); the sampler waits 20 times as long as
    its last sample took, to keep below a twentieth of one core of the two the build is using."""
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", "-q", str(listings), "--data-dir", str(data),
                              *options],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started, peak = time.perf_counter(), 0.0
    while build.poll() is None:
        sampled = time.perf_counter()
        peak = max(peak, tree_memory_mb(build.pid))
        time.sleep(max(0.2, 20 * (time.perf_counter() - sampled)))
    seconds = time.perf_counter() - started
    _, stderr = build.communicate()
    if build.returncode != 0:
        raise InputError(f"kg build of the corpus failed: {stderr.strip()[-500:]}")
    return {"seconds": seconds, "peak_mb": peak}


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def make_corpus(script: Path, papers: int, out: Path, seed: int | None = None) -> Path:
    """The corpus's listings folder, written by ``make_corpus.py`` (with its own default seed unless
    ``seed`` is given) unless already there."""
    listings = out / "listings"
    expected = out / "expected.json"
    if expected.exists() and json.loads(expected.read_text()).get("papers") == papers:
        return listings
    if not script.exists():
        raise InputError(f"{script}: no corpus generator here (pass --corpus-script)")
    seeded = [] if seed is None else ["--seed", str(seed)]
    subprocess.run([sys.executable, str(script), "--papers", str(papers), "--out", str(out), *seeded], check=True,
                   stdout=subprocess.DEVNULL)
    return listings
