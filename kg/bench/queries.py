"""The canned queries timed: their arguments chosen from the graph, their latency, the soak."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kg.bench.measure import timed_call
from kg.errors import QueryError
from kg.statements.read import BENCH_STATEMENTS

SOAK_LISTINGS = 40  # listings a concurrent `kg build` rewrites while queries run

LINEAGE_QUERIES = ("builds_on", "built_upon_by", "compared_with", "lineage_datasets", "papers_building_on")
_SAMPLE = 300  # methods whose descendants are counted to find the typical one
_HUB_CANDIDATES = 20  # the most built-upon methods, one of which has the most descendants
HUB_REPEAT = 5  # runs of each lineage query on the hub, which can take many seconds each


def descendants_within(upward: dict[str, list[str]], method: str, steps: int = 3) -> int:
    """How many methods build on ``method`` within ``steps`` builds-on steps (``upward``: each
    method's direct descendants)."""
    seen, frontier = {method}, [method]
    for _ in range(steps):
        reached = []
        for m in frontier:
            for d in upward.get(m, ()):
                if d not in seen:
                    seen.add(d)
                    reached.append(d)
        frontier = reached
    return len(seen) - 1


def lineage_arguments(store: Any) -> tuple[str, str]:
    """The typical method and the hub for the lineage queries: the median, by descendants within
    3 steps, of a seeded sample of the methods that have any, and the method with the most
    descendants among the most built-upon ones (a descendant count for every method would take
    minutes at a million papers; the hub is always among those with the most direct ones)."""
    import random

    upward: dict[str, list[str]] = {}
    for row in store.run(BENCH_STATEMENTS["built_upon"]):
        upward.setdefault(row["m"], []).append(row["d"])
    if not upward:
        return "", ""
    built_upon = sorted(upward)
    sample = random.Random(7).sample(built_upon, min(_SAMPLE, len(built_upon)))
    counted = sorted((descendants_within(upward, m), m) for m in sample)
    typical = counted[len(counted) // 2][1]
    busiest = sorted(built_upon, key=lambda m: (-len(upward[m]), m))[:_HUB_CANDIDATES]
    hub = max(busiest, key=lambda m: (descendants_within(upward, m), m))
    return typical, hub


def query_arguments(store: Any, root: str) -> dict[str, dict[str, str]]:
    """Arguments for every canned query, chosen from the graph: a busy author, ``root`` (the
    typical method of ``lineage_arguments``) and a method that builds on it, the busiest
    organisation."""
    def first(query: str, **params: Any) -> str:
        rows = store.run(query, params)
        return str(next(iter(rows[0].values()))) if rows else ""

    busy = store.run(BENCH_STATEMENTS["co_authoring"])[0]["n"]
    author = first(BENCH_STATEMENTS["busy_author"], skip=busy // 10)
    far = first(BENCH_STATEMENTS["far_author"], k=author) or author
    leaf = first(BENCH_STATEMENTS["leaf_method"], k=root)
    compared = first(BENCH_STATEMENTS["most_compared"])
    org = first(BENCH_STATEMENTS["busiest_organization"])
    return {"coauthors": {"author": author}, "author_profile": {"author": author},
            "author_methods": {"author": author}, "collaboration_path": {"from": author, "to": far},
            "organization_authors": {"organization": org}, "builds_on": {"method": leaf or root},
            "built_upon_by": {"method": root}, "lineage_path": {"from": leaf or root, "to": root},
            "compared_with": {"method": compared or root}, "lineage_datasets": {"method": root},
            "papers_building_on": {"method": root}, "most_collaborative": {}, "coauthor_communities": {}}



def latency(store: Any, name: str, args: dict[str, str], repeat: int) -> dict[str, float]:
    """p50 and p95, in ms, of ``repeat`` runs of canned query ``name``."""
    from kg.query.catalogue import run_query

    times = []
    for _ in range(repeat):
        _, seconds = timed_call(lambda: run_query(store, name, args))
        times.append(seconds * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]}


def soak_test(store: Any, data: Path, listings: list[str | Path], args: dict[str, dict[str, str]]) -> dict[str, float]:
    """Run the canned queries round and round while another process rebuilds some listings in
    the same store; count errors (there must be none) and time the queries."""
    from kg.query.catalogue import canned_queries, run_query

    build = subprocess.Popen([sys.executable, "-m", "kg", "build", "-q", "--parse-only", *map(str, listings),
                              "--data-dir", str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    names = [n for n in canned_queries() if n not in ("most_collaborative", "lineage_datasets")]
    times: list[float] = []
    errors = absent = 0
    kinds: dict[str, int] = {}
    started = time.perf_counter()
    while build.poll() is None and time.perf_counter() - started < 600:
        for name in names:
            t = time.perf_counter()
            try:
                run_query(store, name, args.get(name, {}))
            except QueryError as e:
                # an argument that names a node the build has taken away for the moment: a true
                # answer about the graph as it stands, not a failure
                if "in the graph" in str(e):
                    absent += 1
                else:
                    errors += 1
                    kinds[str(e)[:80]] = kinds.get(str(e)[:80], 0) + 1
            except Exception as e:
                errors += 1
                kinds[f"{type(e).__name__}: {str(e)[:60]}"] = kinds.get(f"{type(e).__name__}: {str(e)[:60]}", 0) + 1
            times.append((time.perf_counter() - t) * 1000)
    build.communicate(timeout=600)
    if kinds:
        print("soak errors:", kinds, file=sys.stderr)
    times.sort()
    return {"seconds": time.perf_counter() - started, "queries": len(times), "errors": errors, "absent": absent,
            "build_exit_status": build.returncode, "p50_ms": statistics.median(times) if times else 0.0,
            "p95_ms": times[int(0.95 * (len(times) - 1))] if times else 0.0}
