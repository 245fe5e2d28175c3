"""The benchmark: a synthetic corpus through every stage, each figure beside a baseline from the same run.

``run_benchmark`` writes a corpus with ``../shared/bench/make_corpus.py``, then times parse,
extract, resolve and load on it in this process (their sum is one end-to-end figure), measures
each canned query's latency on the loaded graph, and records peak memory of this process and
of the store's server and the store's size on disk. Baselines: bare ``spacy.blank("en")``
tokenisation of the same abstracts (for extract), the same rows loaded one statement per row
on a sample (for load), and a cold ``kg build`` of the dev listings (start-up included). Last,
``kg build`` of the whole corpus runs as a user runs it, in its streamed batches with extraction
and writing overlapped (the other end-to-end figure), timed, with the memory of all its processes
together (kg, its workers, the store server) sampled as it goes. ``run_real`` then times the same
stages and ``kg build`` on a folder of real listings. Every stage is timed with Python's cyclic
collector paused, as ``kg build`` runs them.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.collector import collector_paused
from kg.errors import InputError, QueryError

NAIVE_SAMPLE = 2_000  # papers loaded one statement per row (about 40,000 statements: stable to a few per cent)
SOAK_LISTINGS = 40  # listings a concurrent `kg build` rewrites while queries run


@dataclass(slots=True)
class Bench:
    """The figures of one run, as written to the JSON file."""

    papers: int
    machine: dict[str, Any]
    stages: dict[str, dict[str, float]] = field(default_factory=dict)
    baselines: dict[str, dict[str, float]] = field(default_factory=dict)
    queries: dict[str, dict[str, float]] = field(default_factory=dict)
    memory_mb: dict[str, float] = field(default_factory=dict)
    store_mb: float = 0.0
    soak: dict[str, float] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)
    real: dict[str, Any] = field(default_factory=dict)  # the same stages on a corpus of real listings


def ratios_of(bench: Bench) -> dict[str, float]:
    """Each stage against its baseline, both from this run (the machine's speed drifts between runs)."""
    ratios = {}
    extract = next((row for name, row in bench.stages.items() if name.startswith("parse + extract")), None)
    tokenise = bench.baselines.get("extract: bare spacy.blank tokenisation")
    if extract and tokenise:
        ratios["extract: its time over bare tokenisation's"] = extract["seconds"] / tokenise["seconds"]
    load, naive = bench.stages.get("load"), bench.baselines.get("load: one statement per row")
    if load and naive:
        ratios["load: its papers/s over one statement per row's"] = load["papers_per_s"] / naive["papers_per_s"]
    return ratios


def _machine() -> dict[str, Any]:
    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    return {"python": platform.python_version(), "system": platform.platform(), "cpus": os.cpu_count(),
            "memory_gb": round(mem_kb / 2**20, 1)}


def _fresh(path: Path) -> Path:
    """``path``, emptied: a benchmark store starts from nothing."""
    import shutil

    if path.exists():
        shutil.rmtree(path)
    return path


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``fn`` and time it with Python's cyclic collector paused, as ``kg build`` runs every
    stage; here it would also walk the output of every stage before, held to time each apart
    (it took 4 s of this process's CPU while the workers extracted, and 1.5 s of the parse)."""
    with collector_paused():
        start = time.perf_counter()
        result = fn()
        return result, time.perf_counter() - start


def _server_peak_mb(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _process_tree(root: int) -> set[int]:
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


def _tree_memory_mb(root: int, attempts: int = 5) -> float:
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
        tree = _process_tree(root)
        total = 0
        for pid in tree:
            with contextlib.suppress(OSError, IndexError, ValueError, StopIteration):  # one that just ended
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
                total += int(next(line.split()[1] for line in rollup if line.startswith("Pss:"))) * 1024
        if _process_tree(root) == tree:
            break
    return total / 2**20


def _build_whole(listings: Path, data: Path) -> dict[str, float]:
    """``kg build`` of the whole corpus, as a user runs it: wall time, and the peak memory of all
    its processes together (kg, its extraction workers and the store server), sampled up to 5
    times a second. A sample walks every page table of those processes, so it gets slower as the
    store grows (a tenth of a second at a million papers); the sampler waits 20 times as long as
    its last sample took, to keep below a twentieth of one core of the two the build is using."""
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", "-q", str(listings), "--data-dir", str(data)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started, peak = time.perf_counter(), 0.0
    while build.poll() is None:
        sampled = time.perf_counter()
        peak = max(peak, _tree_memory_mb(build.pid))
        time.sleep(max(0.2, 20 * (time.perf_counter() - sampled)))
    seconds = time.perf_counter() - started
    _, stderr = build.communicate()
    if build.returncode != 0:
        raise InputError(f"kg build of the corpus failed: {stderr.strip()[-500:]}")
    return {"seconds": seconds, "peak_mb": peak}


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def make_corpus(script: Path, papers: int, out: Path) -> Path:
    """The corpus's listings folder, written by ``make_corpus.py`` unless already there."""
    listings = out / "listings"
    expected = out / "expected.json"
    if expected.exists() and json.loads(expected.read_text()).get("papers") == papers:
        return listings
    if not script.exists():
        raise InputError(f"{script}: no corpus generator here (pass --corpus-script)")
    subprocess.run([sys.executable, str(script), "--papers", str(papers), "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return listings


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
    for row in store.run("MATCH (d:Method)-[:BUILDS_ON]->(m:Method) RETURN m.key AS m, d.key AS d"):
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

    # a busy author, not the busiest: synthetic names collide, and the top "author" is thousands of people
    busy = store.run("MATCH (a:Author)-[:CO_AUTHOR]->(:Author) RETURN count(DISTINCT a) AS n")[0]["n"]
    author = first("MATCH (a:Author)-[:CO_AUTHOR]->(b:Author) WITH a, count(b) AS n ORDER BY n DESC, a.key "
                   "SKIP $skip LIMIT 1 RETURN a.key AS k", skip=busy // 10)
    far = first("MATCH (a:Author {key: $k})-[:CO_AUTHOR]->()-[:CO_AUTHOR]->(c:Author) WHERE c <> a "
                "RETURN c.key AS k LIMIT 1", k=author) or author
    leaf = first("MATCH (d:Method)-[:BUILDS_ON*2..3]->(:Method {key: $k}) RETURN d.key AS k LIMIT 1", k=root)
    compared = first("MATCH (m:Method)<-[:COMPARED_WITH]-() RETURN m.key AS k, count(*) AS n ORDER BY n DESC LIMIT 1")
    org = first("MATCH (o:Organization)<-[:AFFILIATED_WITH]-() RETURN o.key AS k, count(*) AS n "
                "ORDER BY n DESC LIMIT 1")
    return {"coauthors": {"author": author}, "author_profile": {"author": author},
            "author_methods": {"author": author}, "collaboration_path": {"from": author, "to": far},
            "organization_authors": {"organization": org}, "builds_on": {"method": leaf or root},
            "built_upon_by": {"method": root}, "lineage_path": {"from": leaf or root, "to": root},
            "compared_with": {"method": compared or root}, "lineage_datasets": {"method": root},
            "papers_building_on": {"method": root}, "most_collaborative": {}, "coauthor_communities": {}}


@dataclass(slots=True)
class _Stages:
    """Parse, extract, resolve: each timed alone on the same files, with the bare tokenisation baseline."""

    occurrences: int
    stages: dict[str, dict[str, float]]
    baselines: dict[str, dict[str, float]]
    records: list[dict[str, Any]]
    graph: Any


def _time_stages(paths: list[str | Path], say: Callable[[str], None]) -> _Stages:
    import spacy

    from kg.build import build_graph
    from kg.parse import read_listing
    from kg.pipeline import Parallel, read_files
    from kg.resolve import resolve

    stages: dict[str, dict[str, float]] = {}
    say("parse")
    parsed, seconds = _timed(lambda: [read_listing(p) for p in paths])
    occurrences = sum(len(p.papers) for p in parsed)
    stages["parse"] = {"seconds": seconds, "papers_per_s": occurrences / seconds}
    jobs = os.cpu_count() or 1

    say(f"extract ({jobs} processes)")
    read, seconds = _timed(lambda: list(read_files(paths, parallel=Parallel(jobs))))
    stages[f"parse + extract, {jobs} processes"] = {"seconds": seconds, "papers_per_s": occurrences / seconds}
    records = [r for file in read for r in file.records]
    abstracts = [r["abstract"] for r in records if r["type"] == "paper"]
    nlp = spacy.blank("en")
    _, seconds = _timed(lambda: sum(len(doc) for doc in nlp.pipe(abstracts, batch_size=256)))
    baselines = {"extract: bare spacy.blank tokenisation": {"seconds": seconds, "papers_per_s": occurrences / seconds}}

    say("resolve")
    listings = [r for r in records if r["type"] == "listing"]
    graph, seconds = _timed(lambda: build_graph(resolve(records), listings))
    stages["resolve"] = {"seconds": seconds, "papers_per_s": occurrences / seconds}
    return _Stages(occurrences, stages, baselines, records, graph)


def run_real(corpus: Path, work: Path, say: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    """The stages on a folder of real listings (``../shared/corpus/hf-daily``): parse, extract,
    resolve and load each alone, bare tokenisation beside extraction, then ``kg build`` of the
    folder as a user runs it, with the memory of all its processes. Real abstracts are longer
    and richer in names than synthetic ones, so extraction is slower per paper on them."""
    from kg.load import load, update_communities
    from kg.parse import iter_listing_paths
    from kg.store.embedded import EmbeddedStore

    paths = list(iter_listing_paths([str(corpus)]))
    if not paths:
        raise InputError(f"{corpus}: no listings here for the real-corpus run (pass --real)")
    timed = _time_stages(paths, lambda m: say(f"real corpus: {m}"))
    say("real corpus: load")
    with EmbeddedStore(_fresh(work / "real-data")) as store:
        store.ensure_schema()
        _, seconds = _timed(lambda: (load(store, timed.graph), update_communities(store)))
    timed.stages["load"] = {"seconds": seconds, "papers_per_s": timed.occurrences / seconds}
    say("real corpus: kg build")
    whole = _build_whole(corpus, _fresh(work / "real-build-data"))
    timed.stages["end to end: kg build, the command"] = {"seconds": whole["seconds"],
                                                         "papers_per_s": timed.occurrences / whole["seconds"]}
    abstract_chars = [len(r["abstract"]) for r in timed.records if r["type"] == "paper"]
    return {"corpus": str(corpus), "files": len(paths), "papers": timed.occurrences,
            "mean_abstract_chars": statistics.fmean(abstract_chars) if abstract_chars else 0.0,
            "stages": timed.stages, "baselines": timed.baselines,
            "memory_mb": {"kg build, all its processes (peak)": whole["peak_mb"]}}


def run_benchmark(papers: int, work: Path, script: Path, *, repeat: int = 50, dev: Path | None = None,
                  real: Path | None = None, say: Callable[[str], None] = lambda _m: None) -> Bench:
    """Run every stage on a corpus of ``papers`` papers under ``work`` (see the module docstring)."""
    from kg.canned import canned_queries
    from kg.load import load, update_communities
    from kg.parse import iter_listing_paths
    from kg.store.embedded import EmbeddedStore

    bench = Bench(papers, _machine())
    say(f"corpus of {papers} papers")
    corpus = make_corpus(script, papers, work / "corpus")
    paths = list(iter_listing_paths([str(corpus)]))
    timed = _time_stages(paths, say)
    bench.stages, bench.baselines = timed.stages, timed.baselines
    occurrences, records, graph = timed.occurrences, timed.records, timed.graph

    say("load")
    data = _fresh(work / "data")
    with EmbeddedStore(data) as store:
        store.ensure_schema()
        _, seconds = _timed(lambda: (load(store, graph), update_communities(store)))
        bench.stages["load"] = {"seconds": seconds, "papers_per_s": occurrences / seconds}
        # leave the store as kg build leaves one, its writes snapshotted: a server started again
        # (the soak's build restarts one whose graph copy wedged) then reads the snapshot instead
        # of replaying every write statement, which took over 6 minutes here
        store._compact()
        naive_seconds = _naive_load(work, records, NAIVE_SAMPLE)
        bench.baselines["load: one statement per row"] = {"seconds": naive_seconds,
                                                          "papers_per_s": NAIVE_SAMPLE / naive_seconds}
        total = sum(s["seconds"] for name, s in bench.stages.items() if name != "parse")
        bench.stages["end to end: the stages one after the other"] = {"seconds": total,
                                                                      "papers_per_s": occurrences / total}

        say("queries")
        typical, hub = lineage_arguments(store)
        args = query_arguments(store, typical)
        for name in canned_queries():
            bench.queries[name] = _latency(store, name, args.get(name, {}), repeat)
        # the lineage queries again on the hub: the method with the most descendants
        for name in LINEAGE_QUERIES if hub else ():
            bench.queries[f"{name} (hub)"] = _latency(store, name, {"method": hub}, HUB_REPEAT)
        say("soak: canned queries while a build writes")
        bench.soak = _soak(store, data, paths[:SOAK_LISTINGS], args)
        bench.memory_mb["store server (peak)"] = _server_peak_mb(store.server.pid)
    bench.memory_mb["kg process (peak)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bench.store_mb = _du_mb(data)

    say("kg build of the whole corpus")
    whole = _build_whole(corpus, _fresh(work / "build-data"))
    bench.stages["end to end: kg build, the command"] = {"seconds": whole["seconds"],
                                                         "papers_per_s": occurrences / whole["seconds"]}
    bench.memory_mb["kg build, all its processes (peak)"] = whole["peak_mb"]

    if dev is not None and dev.exists():
        say("cold kg build of the dev listings")
        cold = _fresh(work / "dev-data")
        _, seconds = _timed(lambda: subprocess.run([sys.executable, "-m", "kg", "build", "-q", str(dev),
                                                    "--data-dir", str(cold)], check=True, capture_output=True))
        bench.baselines["end to end: kg build of the dev listings, cold"] = {"seconds": seconds}
    bench.ratios = ratios_of(bench)
    if real is not None:
        bench.real = run_real(real, work, say)
    return bench


def _latency(store: Any, name: str, args: dict[str, str], repeat: int) -> dict[str, float]:
    """p50 and p95, in ms, of ``repeat`` runs of canned query ``name``."""
    from kg.canned import run_query

    times = []
    for _ in range(repeat):
        _, seconds = _timed(lambda: run_query(store, name, args))
        times.append(seconds * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]}


def _soak(store: Any, data: Path, listings: list[str | Path], args: dict[str, dict[str, str]]) -> dict[str, float]:
    """Run the canned queries round and round while another process rebuilds some listings in
    the same store; count errors (there must be none) and time the queries."""
    from kg.canned import canned_queries, run_query

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


def _naive_load(work: Path, records: list[dict[str, Any]], sample: int) -> float:
    """Seconds to load ``sample`` papers (their listings, people, methods...) one statement per row,
    into a store of their own: the loader most tutorials write."""
    from kg.build import build_graph
    from kg.load import node_rows, node_statement, rel_rows, rel_statement
    from kg.resolve import resolve
    from kg.schema import graph_schema
    from kg.store.embedded import EmbeddedStore

    papers = [r for r in records if r["type"] == "paper"][:sample]
    files = {p["source"]["file"] for p in papers}
    listings = [r for r in records if r["type"] == "listing" and r["file"] in files]
    graph = build_graph(resolve(papers), listings)
    schema = graph_schema()
    statements = [(node_statement(label), node_rows(label, graph.nodes.get(label, {}))) for label in schema.nodes]
    statements += [(rel_statement(t), rel_rows(t, graph.rels.get(t, {}))) for t in schema.relationships]
    with EmbeddedStore(_fresh(work / "naive-data")) as store:
        store.ensure_schema()

        def one_by_one() -> None:  # a MERGE per node and per relationship
            for statement, rows in statements:
                for row in rows:
                    store.run(statement, {"rows": [row]}, write=True)

        _, seconds = _timed(one_by_one)
    return float(seconds)


def format_bench(bench: Bench) -> str:
    """The run as a plain-text table (docs/performance.md shows the latest, printed by
    ``kg bench --show`` from the run's JSON)."""
    m = bench.machine
    w = max(48, *(len("baseline: " + name) for name in bench.baselines))
    lines = [f"kg benchmark: {bench.papers:,} papers; {m['cpus']} cores, {m['memory_gb']} GB, Python {m['python']}",
             "", f"{'stage':<{w}} {'seconds':>9} {'papers/s':>10}"]
    for title, rows in (("", bench.stages), ("baseline: ", bench.baselines)):
        for name, row in rows.items():
            rate = f"{row['papers_per_s']:>10,.0f}" if "papers_per_s" in row else ""
            lines.append(f"{title + name:<{w}} {row['seconds']:>9.2f} {rate}".rstrip())
    if bench.ratios:
        lines += ["", f"{'ratio, within this run':<{w}} {'':>9} {'x':>10}"]
        lines += [f"{name:<{w}} {'':>9} {ratio:>10.2f}" for name, ratio in bench.ratios.items()]
    lines += ["", f"{'query':<{w}} {'p50 ms':>9} {'p95 ms':>10}"]
    lines += [f"{name:<{w}} {row['p50_ms']:>9.2f} {row['p95_ms']:>10.2f}" for name, row in bench.queries.items()]
    if bench.soak:
        k = bench.soak
        lines += ["", f"soak: {k['queries']:.0f} queries in {k['seconds']:.0f} s while a build rewrote "
                  f"{SOAK_LISTINGS} listings: {k['errors']:.0f} errors, p50 {k['p50_ms']:.1f} ms, "
                  f"p95 {k['p95_ms']:.1f} ms (build exit status {k['build_exit_status']:.0f}); "
                  f"{k['absent']:.0f} answered 'not in the graph' while a listing was being replaced"]
    lines += ["", *(f"{name:<{w}} {mb:>9.0f} MB" for name, mb in bench.memory_mb.items()),
              f"{'store on disk':<{w}} {bench.store_mb:>9.0f} MB"]
    if bench.real:
        r = bench.real
        lines += ["", f"real corpus: {r['papers']:,} papers in {r['files']:,} files of {r['corpus']} "
                  f"(abstracts of {r['mean_abstract_chars']:,.0f} characters on average)",
                  "", f"{'stage':<{w}} {'seconds':>9} {'papers/s':>10}"]
        for title, rows in (("", r["stages"]), ("baseline: ", r["baselines"])):
            lines += [f"{title + name:<{w}} {row['seconds']:>9.2f} {row['papers_per_s']:>10,.0f}"
                      for name, row in rows.items()]
        lines += [f"{name:<{w}} {mb:>9.0f} MB" for name, mb in r["memory_mb"].items()]
    return "\n".join(lines)
