"""The figures of one run, as written to its JSON file, and their table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.bench.queries import SOAK_LISTINGS


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


def format_bench(bench: Bench) -> str:
    """The run as a plain-text table (docs/performance.md shows the latest, printed by
    ``kg bench --show`` from the run's JSON)."""
    m = bench.machine
    w = max(48, *(len(name) for name in bench.stages), *(len("baseline: " + name) for name in bench.baselines))
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
