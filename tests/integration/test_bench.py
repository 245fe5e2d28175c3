"""kg bench on a small corpus: every stage, baseline and query is measured and written down.

How fast the figures are is for the benchmark to say on a real corpus; here a 300-paper run
checks that the command does all it promises and that what it measures holds together.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.query.catalogue import canned_queries
from tests.conftest import DEV_LISTINGS, SHARED

CORPUS_SCRIPT = SHARED / "bench" / "make_corpus.py"
REAL_CORPUS = SHARED / "corpus" / "hf-daily"

pytestmark = pytest.mark.slow  # a whole benchmark run, on a small corpus


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:  # type: ignore[type-arg]
    if not CORPUS_SCRIPT.exists() or not REAL_CORPUS.is_dir():
        pytest.skip(f"no corpus generator at {CORPUS_SCRIPT} or no {REAL_CORPUS} (set KG_SHARED)")
    work = tmp_path_factory.mktemp("bench")
    real = work / "real"  # a few days of the real corpus stand for all of it
    real.mkdir()
    for day in sorted(REAL_CORPUS.glob("*.txt"))[:6]:
        shutil.copy(day, real)
    run = subprocess.run([sys.executable, "-m", "kg", "bench", "--papers", "300", "--work", str(work),
                          "--repeat", "5", "--corpus-script", str(CORPUS_SCRIPT), "--dev", str(DEV_LISTINGS),
                          "--real", str(real)],
                         capture_output=True, text=True, timeout=600, check=True)
    return json.loads((work / "bench-300.json").read_text()), run.stdout


def test_every_stage_and_baseline_is_timed(bench: tuple[dict, str]) -> None:  # type: ignore[type-arg]
    figures, _ = bench
    assert figures["papers"] == 300
    extract = f"parse + extract, {figures['machine']['cpus']} processes"
    daily = "a daily listing (40 papers) into it, store running"
    assert set(figures["stages"]) == {"parse", extract, "resolve", "load", "end to end: the stages one after the other",
                                      "end to end: kg build, the command", daily, f"{daily}, in place"}
    for stage in figures["stages"].values():
        assert stage["seconds"] > 0 and stage["papers_per_s"] > 0
    summed = figures["stages"]["end to end: the stages one after the other"]["seconds"]
    assert summed == pytest.approx(sum(figures["stages"][name]["seconds"] for name in (extract, "resolve", "load")))
    assert set(figures["baselines"]) == {"extract: bare spacy.blank tokenisation", "load: one statement per row",
                                         "end to end: kg build of the dev listings, cold"}
    assert all(baseline["seconds"] > 0 for baseline in figures["baselines"].values())


def test_each_stage_is_set_against_its_baseline_from_the_same_run(bench: tuple[dict, str]) -> None:  # type: ignore[type-arg]
    figures, table = bench
    stages, baselines, ratios = figures["stages"], figures["baselines"], figures["ratios"]
    extract = stages[f"parse + extract, {figures['machine']['cpus']} processes"]["seconds"]
    assert ratios["extract: its time over bare tokenisation's"] == pytest.approx(
        extract / baselines["extract: bare spacy.blank tokenisation"]["seconds"])
    assert ratios["load: its papers/s over one statement per row's"] == pytest.approx(
        stages["load"]["papers_per_s"] / baselines["load: one statement per row"]["papers_per_s"])
    assert "ratio, within this run" in table
    for name, ratio in ratios.items():
        assert f"{name}" in table and f"{ratio:.2f}" in table


def test_every_canned_query_has_its_latency(bench: tuple[dict, str]) -> None:  # type: ignore[type-arg]
    figures, table = bench
    from kg.bench.queries import LINEAGE_QUERIES

    # every query on its typical arguments, and the lineage queries again on the hub method
    assert set(figures["queries"]) == set(canned_queries()) | {f"{name} (hub)" for name in LINEAGE_QUERIES}
    for name, latency in figures["queries"].items():
        assert 0 < latency["p50_ms"] <= latency["p95_ms"]
        assert name in table


def test_the_real_corpus_runs_the_same_stages_and_a_saved_run_prints_again(
        bench: tuple[dict, str], tmp_path: Path) -> None:  # type: ignore[type-arg]
    figures, table = bench
    real = figures["real"]
    days = sorted(REAL_CORPUS.glob("*.txt"))[:6]
    # every paper of those days, as the corpus's own index lists them
    names = {d.name for d in days}
    papers = sum(json.loads(line)["file"] in names for line in (REAL_CORPUS / "meta.jsonl").open(encoding="utf-8"))
    assert real["files"] == len(days) and real["papers"] == papers > 0
    extract = f"parse + extract, {figures['machine']['cpus']} processes"
    assert set(real["stages"]) == {"parse", extract, "resolve", "load", "end to end: kg build, the command"}
    assert all(stage["seconds"] > 0 and stage["papers_per_s"] > 0 for stage in real["stages"].values())
    assert set(real["baselines"]) == {"extract: bare spacy.blank tokenisation"}
    assert real["memory_mb"]["kg build, all its processes (peak)"] > 10
    assert f"real corpus: {papers:,} papers in {len(days)} files" in table
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps({"when": "earlier", **figures}))
    shown = subprocess.run([sys.executable, "-m", "kg", "bench", "--show", str(saved)], capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stdout.strip() == table.strip()


def test_memory_disk_and_the_soak_are_recorded(bench: tuple[dict, str]) -> None:  # type: ignore[type-arg]
    figures, table = bench
    assert set(figures["memory_mb"]) == {"store server (peak)", "kg process (peak)",
                                         "kg build, all its processes (peak)"}
    assert all(mb > 10 for mb in figures["memory_mb"].values())
    assert figures["store_mb"] > 0
    soak = figures["soak"]
    assert soak["errors"] == 0 and soak["build_exit_status"] == 0 and soak["queries"] > 0
    assert "soak:" in table and "store on disk" in table


def test_memory_of_a_process_tree_counts_pages_shared_after_a_fork_once() -> None:
    """A process holding 200 MB, and a fork of it that shares them: 200 MB together, not 400."""
    from kg.bench.measure import tree_memory_mb

    script = ("import os, time\nheld = bytearray(200 << 20)\nfor i in range(0, len(held), 4096): held[i] = 1\n"
              "parent = os.getpid()\nif os.fork() == 0:\n    while os.getppid() == parent: time.sleep(0.05)\n"
              "    os._exit(0)\nprint('ready', flush=True)\ntime.sleep(60)\n")  # the fork ends with its parent
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert 200 < tree_memory_mb(holder.pid) < 300
    finally:
        holder.kill()
        holder.wait()


def test_stages_are_timed_with_the_collector_paused_as_kg_build_runs_them() -> None:
    import gc

    from kg.bench.measure import timed_call

    enabled = gc.isenabled()
    during, seconds = timed_call(gc.isenabled)
    assert (during, seconds >= 0) == (False, True)
    assert gc.isenabled() == enabled  # and back as it was afterwards


def test_a_missing_baseline_input_stops_the_benchmark_before_it_starts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    run = subprocess.run([sys.executable, "-m", "kg", "bench", "--papers", "300", "--work", str(tmp_path / "w"),
                          "--corpus-script", str(CORPUS_SCRIPT), "--dev", str(tmp_path / "nowhere")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "nowhere: no dev listings here for the cold-start baseline (pass --dev)" in run.stderr
    assert not (tmp_path / "w").exists()  # nothing was started


def test_descendants_are_counted_within_three_steps_through_cycles() -> None:
    from kg.bench.queries import descendants_within

    # a <- b <- c <- d <- e, and c <- a closes a cycle; f builds on a directly
    upward = {"a": ["b", "f"], "b": ["c"], "c": ["d", "a"], "d": ["e"]}
    assert descendants_within(upward, "a") == 4  # b, f; c; d (e is 4 steps away)
    assert descendants_within(upward, "a", steps=10) == 5
    assert descendants_within(upward, "e") == 0
