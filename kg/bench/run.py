"""The runs: every stage on a synthetic corpus (``run_benchmark``) or on real listings (``run_real``)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.bench.figures import Bench, ratios_of
from kg.bench.measure import build_whole, du_mb, fresh, machine_info, make_corpus, server_peak_mb, timed_call
from kg.bench.queries import (
    HUB_REPEAT,
    LINEAGE_QUERIES,
    SOAK_LISTINGS,
    latency,
    lineage_arguments,
    query_arguments,
    soak_test,
)
from kg.errors import InputError

NAIVE_SAMPLE = 2_000  # papers loaded one statement per row (about 40,000 statements: stable to a few per cent)


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

    from kg.build import GraphData, build_graph
    from kg.parse import read_listing
    from kg.reading import Parallel, read_files
    from kg.records import Records
    from kg.resolve import resolve

    stages: dict[str, dict[str, float]] = {}
    say("parse")
    parsed, seconds = timed_call(lambda: [read_listing(p) for p in paths])
    occurrences = sum(len(p.papers) for p in parsed)
    stages["parse"] = {"seconds": seconds, "papers_per_s": occurrences / seconds}
    jobs = os.cpu_count() or 1

    say(f"extract ({jobs} processes)")
    read, seconds = timed_call(lambda: list(read_files(paths, parallel=Parallel(jobs))))
    stages[f"parse + extract, {jobs} processes"] = {"seconds": seconds, "papers_per_s": occurrences / seconds}
    records = [r for file in read for r in file.records]
    abstracts = [r["abstract"] for r in records if r["type"] == "paper"]
    nlp = spacy.blank("en")
    _, seconds = timed_call(lambda: sum(len(doc) for doc in nlp.pipe(abstracts, batch_size=256)))
    baselines = {"extract: bare spacy.blank tokenisation": {"seconds": seconds, "papers_per_s": occurrences / seconds}}

    say("resolve")

    def resolved() -> GraphData:
        typed = Records.from_json(records)
        return build_graph(resolve(typed.papers), typed.listings)

    graph, seconds = timed_call(resolved)
    stages["resolve"] = {"seconds": seconds, "papers_per_s": occurrences / seconds}
    return _Stages(occurrences, stages, baselines, records, graph)


def run_real(corpus: Path, work: Path, say: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    """The stages on a folder of real listings (``../shared/corpus/hf-daily``): parse, extract,
    resolve and load each alone, bare tokenisation beside extraction, then ``kg build`` of the
    folder as a user runs it, with the memory of all its processes. Real abstracts are longer
    and richer in names than synthetic ones, so extraction is slower per paper on them."""
    from kg.load import load, update_author_summaries
    from kg.parse import iter_listing_paths
    from kg.store.embedded import EmbeddedStore

    paths = list(iter_listing_paths([str(corpus)]))
    if not paths:
        raise InputError(f"{corpus}: no listings here for the real-corpus run (pass --real)")
    timed = _time_stages(paths, lambda m: say(f"real corpus: {m}"))
    say("real corpus: load")
    with EmbeddedStore(fresh(work / "real-data")) as store:
        store.ensure_schema()
        _, seconds = timed_call(lambda: (load(store, timed.graph), update_author_summaries(store)))
    timed.stages["load"] = {"seconds": seconds, "papers_per_s": timed.occurrences / seconds}
    say("real corpus: kg build")
    whole = build_whole(corpus, fresh(work / "real-build-data"))
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
    from kg.load import load, update_author_summaries
    from kg.parse import iter_listing_paths
    from kg.query.catalogue import canned_queries
    from kg.store.embedded import EmbeddedStore

    bench = Bench(papers, machine_info())
    say(f"corpus of {papers} papers")
    corpus = make_corpus(script, papers, work / "corpus")
    paths = list(iter_listing_paths([str(corpus)]))
    timed = _time_stages(paths, say)
    bench.stages, bench.baselines = timed.stages, timed.baselines
    occurrences, records, graph = timed.occurrences, timed.records, timed.graph

    say("load")
    data = fresh(work / "data")
    with EmbeddedStore(data) as store:
        store.ensure_schema()
        _, seconds = timed_call(lambda: (load(store, graph), update_author_summaries(store)))
        bench.stages["load"] = {"seconds": seconds, "papers_per_s": occurrences / seconds}
        # leave the store as kg build leaves one, its writes snapshotted: a server started again
        # (the soak's build restarts one whose graph copy wedged) then reads the snapshot instead
        # of replaying every write statement, which took over 6 minutes here
        store.compact()
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
            bench.queries[name] = latency(store, name, args.get(name, {}), repeat)
        # the lineage queries again on the hub: the method with the most descendants
        for name in LINEAGE_QUERIES if hub else ():
            bench.queries[f"{name} (hub)"] = latency(store, name, {"method": hub}, HUB_REPEAT)
        say("soak: canned queries while a build writes")
        bench.soak = soak_test(store, data, paths[:SOAK_LISTINGS], args)
        bench.memory_mb["store server (peak)"] = server_peak_mb(store.server.pid)
    bench.memory_mb["kg process (peak)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bench.store_mb = du_mb(data)

    say("kg build of the whole corpus")
    whole = build_whole(corpus, fresh(work / "build-data"))
    bench.stages["end to end: kg build, the command"] = {"seconds": whole["seconds"],
                                                         "papers_per_s": occurrences / whole["seconds"]}
    bench.memory_mb["kg build, all its processes (peak)"] = whole["peak_mb"]
    say("a daily listing into the graph just built, the store running")
    bench.stages.update(_daily_listings(script, work, work / "build-data"))

    if dev is not None and dev.exists():
        say("cold kg build of the dev listings")
        cold = fresh(work / "dev-data")
        _, seconds = timed_call(lambda: subprocess.run([sys.executable, "-m", "kg", "build", "-q", str(dev),
                                                    "--data-dir", str(cold)], check=True, capture_output=True))
        bench.baselines["end to end: kg build of the dev listings, cold"] = {"seconds": seconds}
    bench.ratios = ratios_of(bench)
    if real is not None:
        bench.real = run_real(real, work, say)
    return bench



DAILY_PAPERS = 40  # a day's listing
DAILY_SEEDS = (99, 100)  # make_corpus.py seeds of two new listings, neither the corpus's


def _daily_listings(script: Path, work: Path, data: Path) -> dict[str, dict[str, float]]:
    """``kg build`` of one new listing into the graph at ``data``, with the store already running
    (this process holds it open, as a user's browser or notebook would): once as a build runs by
    default, writing to a copy of the graph, and once ``--in-place``, each with a listing of its own."""
    from kg.store.embedded import EmbeddedStore

    stages: dict[str, dict[str, float]] = {}
    with EmbeddedStore(data):
        for seed, options in zip(DAILY_SEEDS, ((), ("--in-place",)), strict=True):
            generated = make_corpus(script, DAILY_PAPERS, fresh(work / f"daily-{seed}"), seed)
            listings = fresh(work / f"daily-{seed}-listings")
            listings.mkdir()
            for path in sorted(generated.glob("*.txt")):  # names of their own: the generator's replace listings
                (listings / f"daily-{seed}-{path.name}").write_bytes(path.read_bytes())
            build = build_whole(listings, data, *options)
            name = f"a daily listing ({DAILY_PAPERS} papers) into it, store running" + (", in place" if options else "")
            stages[name] = {"seconds": build["seconds"], "papers_per_s": DAILY_PAPERS / build["seconds"]}
    return stages


def _naive_load(work: Path, records: list[dict[str, Any]], sample: int) -> float:
    """Seconds to load ``sample`` papers (their listings, people, methods...) one statement per row,
    into a store of their own: the loader most tutorials write."""
    from kg.build import build_graph
    from kg.load.writer import node_rows, rel_rows
    from kg.records import Records
    from kg.resolve import resolve
    from kg.schema import graph_schema
    from kg.statements.write import node_statement, rel_statement
    from kg.store.embedded import EmbeddedStore

    typed = Records.from_json(records)
    papers = typed.papers[:sample]
    files = {p.source.file for p in papers}
    graph = build_graph(resolve(papers), [listing for listing in typed.listings if listing.file in files])
    schema = graph_schema()
    statements = [(node_statement(label), node_rows(label, graph.nodes.get(label, {}))) for label in schema.nodes]
    statements += [(rel_statement(t), rel_rows(t, graph.rels.get(t, {}))) for t in schema.relationships]
    with EmbeddedStore(fresh(work / "naive-data")) as store:
        store.ensure_schema()

        def one_by_one() -> None:  # a MERGE per node and per relationship
            for statement, rows in statements:
                for row in rows:
                    store.run(statement, {"rows": [row]}, write=True)

        _, seconds = timed_call(one_by_one)
    return float(seconds)
