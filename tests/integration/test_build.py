"""kg build / stats / remove end to end on the dev listings, in real processes, and crash safety."""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from kg.store.embedded import EmbeddedStore

KG = [sys.executable, "-m", "kg"]


def kg(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args, "--data-dir", str(data_dir)], capture_output=True, text=True, check=check,
                          timeout=300)


def counts(data_dir: Path) -> dict[str, dict[str, int]]:
    counted: dict[str, dict[str, int]] = json.loads(kg("stats", "--json", data_dir=data_dir).stdout)
    return counted


@pytest.fixture(scope="module")
def clean_counts(dev_listings: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, int]]:
    data_dir = tmp_path_factory.mktemp("clean")
    kg("build", "-q", *map(str, dev_listings), data_dir=data_dir)
    return counts(data_dir)


@pytest.mark.slow
def test_build_loads_every_dev_paper_once(clean_counts: dict[str, dict[str, int]]) -> None:
    # 87 paper blocks in the three listings (9 + 40 + 38), none of them the same paper twice
    assert clean_counts["nodes"]["Paper"] == 87
    assert clean_counts["relationships"]["LISTED_IN"] == 87
    assert clean_counts["nodes"]["Listing"] == 3
    assert clean_counts["relationships"]["PROFILE_OF"] == 1  # 000 is Yuxin Ren's profile page


@pytest.mark.slow
def test_a_second_build_and_remove_then_rebuild_change_no_count(
        dev_listings: list[Path], clean_counts: dict[str, dict[str, int]], tmp_path: Path) -> None:
    kg("build", "-q", *map(str, dev_listings), data_dir=tmp_path)
    second = kg("build", "-q", *map(str, dev_listings), data_dir=tmp_path)
    assert "listings replaced  3" in second.stderr
    assert counts(tmp_path) == clean_counts
    for listing in dev_listings:
        removed = kg("remove", str(listing), data_dir=tmp_path)
        assert "removed 1 listing(s)" in removed.stderr
        assert counts(tmp_path) != clean_counts
        kg("build", "-q", str(listing), data_dir=tmp_path)
        assert counts(tmp_path) == clean_counts


@pytest.mark.slow
def test_a_build_in_batches_of_one_file_loads_the_same_graph(
        dev_listings: list[Path], clean_counts: dict[str, dict[str, int]], tmp_path: Path) -> None:
    """With --batch-papers 1 every listing is resolved and loaded on its own, joined to the graph
    as a later build would be; on the dev listings that is the same graph, and it stays idempotent."""
    kg("build", "-q", "--batch-papers", "1", *map(str, dev_listings), data_dir=tmp_path)
    assert counts(tmp_path) == clean_counts
    again = kg("build", "-q", "--batch-papers", "1", *map(str, dev_listings), data_dir=tmp_path)
    assert "listings replaced  3" in again.stderr
    assert counts(tmp_path) == clean_counts


def test_the_names_a_build_keeps_across_batches_are_the_names_in_the_store(dev_listings: list[Path],
                                                                           tmp_path: Path) -> None:
    """A build reads the Method and Dataset names once and adds each batch's own; after every
    batch is loaded, a replaced listing's included, they equal what the store gives when asked."""
    from kg.extract.annotate import Extractor
    from kg.load import KnownNames, known_names, load
    from kg.pipeline import prepare_records
    from kg.reading import extract_files
    from kg.records import Records
    from kg.store.embedded import EmbeddedStore

    annotate = Extractor().annotate_listing
    batches: list[list[dict[str, object]]] = []
    for path in [*dev_listings, dev_listings[0]]:
        batches.append([])
        extract_files([path], None, annotate=annotate, on_record=batches[-1].append)
    known = KnownNames()
    with EmbeddedStore(tmp_path) as store:
        for records in batches:
            _, graph = prepare_records(Records.from_json(records), store, known=known)
            load(store, graph)
            for label in ("Method", "Dataset"):
                assert known.of(store, label) == known_names(store, label)
        assert len(known.of(store, "Method")) > 20


def test_a_batch_that_fails_to_load_stops_the_build_with_its_error(dev_listings: list[Path], tmp_path: Path) -> None:
    """Batches are written in a thread while the next files are read; an error there (here raised
    by the progress callback after the first statement of the second batch) ends the build with
    that error, after the first batch was written whole."""
    from kg.load import graph_counts
    from kg.pipeline import build_files
    from kg.store.embedded import EmbeddedStore

    class Stop(Exception):
        pass

    batches: list[int] = []

    def on_batch(name: str, _rows: int) -> None:
        if name == "Paper":
            batches.append(1)
            if len(batches) == 2:
                raise Stop("the store went away")

    with EmbeddedStore(tmp_path) as store:
        with pytest.raises(Stop, match="went away"):
            build_files(dev_listings, store, batch_papers=1, on_batch=on_batch)
        assert graph_counts(store)["nodes"]["Listing"] >= 1  # the first batch is there, whole
    assert len(batches) == 2  # and no batch was started after the failure


def test_pauses_of_the_collector_overlap_across_threads() -> None:
    """A loading thread and the main thread may each pause the collector; it is back on only
    when the last pause ends."""
    import gc
    import threading

    from kg.gc_pause import collector_paused

    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def writer() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    inside.wait(10)
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the writer's pause still holds
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_remove_of_an_unknown_listing_is_a_clear_error(tmp_path: Path) -> None:
    result = kg("remove", "nowhere.txt", data_dir=tmp_path, check=False)
    assert result.returncode == 1
    assert "Error: not in the graph: nowhere.txt" in result.stderr


def test_the_embedded_server_is_private_and_stops_with_kg(clean_counts: dict[str, dict[str, int]],
                                                         tmp_path: Path) -> None:
    kg("stats", data_dir=tmp_path)
    assert (tmp_path.stat().st_mode & 0o777) == 0o700
    assert not (tmp_path / "kg.sock").exists()  # the server shut down and removed its socket
    assert "Redis is now ready to exit" in (tmp_path / "falkordb.log").read_text()


@pytest.mark.slow
def test_a_build_leaves_a_snapshot_not_a_replay_log(dev_listings: list[Path], tmp_path: Path) -> None:
    """After a build the append-only file is a snapshot plus an empty tail, so the next start loads
    the graph instead of re-running every write statement of the build."""
    kg("build", "-q", *map(str, dev_listings), data_dir=tmp_path)
    base, tail = _aof_files(tmp_path)
    assert base.endswith(".rdb") and tail == 0
    assert counts(tmp_path)["nodes"]["Paper"] == 87


def _aof_files(data_dir: Path) -> tuple[str, int]:
    """The append-only file's base (snapshot) file name and the size of its tail of statements."""
    manifest = (data_dir / "aof" / "appendonly.aof.manifest").read_text()
    base = re.search(r"file (\S+) seq \d+ type b", manifest)
    tail = re.search(r"file (\S+) seq \d+ type i", manifest)
    assert base and tail
    return base.group(1), (data_dir / "aof" / tail.group(1)).stat().st_size


def test_writes_outside_a_build_are_rewritten_as_a_snapshot_once_they_outgrow_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server does not rewrite its append-only file by itself (a build rewrites it at its
    end); ad-hoc writes are rewritten when the store closes, by the server's own rule, here with
    its minimum size lowered from 64 MB to 1 byte."""
    import kg.store.embedded as embedded
    import kg.store.server as server

    store = embedded.EmbeddedStore(tmp_path)
    store.run("UNWIND range(1, 500) AS i CREATE (:Note {text: 'x' + toString(i)})", write=True)
    monkeypatch.setattr(server, "AOF_REWRITE_MIN_BYTES", 1)
    assert _aof_files(tmp_path)[1] > 0  # not rewritten while writing
    reader = embedded.EmbeddedStore(tmp_path)  # the same server, as a query during a build
    reader.run("MATCH (n:Note) RETURN count(n) AS n")
    reader.close()
    assert _aof_files(tmp_path)[1] > 0  # a reader leaves the writer's statements alone
    store.close()
    base, tail = _aof_files(tmp_path)
    assert base.endswith(".rdb") and tail == 0
    with embedded.EmbeddedStore(tmp_path) as again:
        assert again.run("MATCH (n:Note) RETURN count(n) AS n") == [{"n": 500}]


def _wait_for(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.parametrize(("victim", "mode"), [("kg", "--in-place"), ("kg", ""), ("store", "--in-place"),
                                              ("store", "")])
@pytest.mark.slow
def test_a_build_killed_with_sigkill_is_completed_by_the_next(
        victim: str, mode: str, dev_listings: list[Path], clean_counts: dict[str, dict[str, int]],
        tmp_path: Path) -> None:
    rng = random.Random(f"{victim}-kill{mode}")
    for _ in range(int(os.environ.get("KG_KILLS", "3"))):  # KG_KILLS=50 for a longer campaign
        build = subprocess.Popen([*KG, "build", "-q", *filter(None, [mode]), *map(str, dev_listings),
                                  "--data-dir", str(tmp_path)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(tmp_path / "falkordb.pid")
        time.sleep(rng.uniform(0.0, 1.5))
        if victim == "kg":
            build.send_signal(signal.SIGKILL)
        else:
            with contextlib.suppress(ProcessLookupError, ValueError, FileNotFoundError):  # the build may be over
                os.kill(int((tmp_path / "falkordb.pid").read_text()), signal.SIGKILL)
        build.wait(timeout=120)
        (tmp_path / "falkordb.pid").unlink(missing_ok=True)
    kg("build", "-q", *map(str, dev_listings), data_dir=tmp_path)
    assert counts(tmp_path) == clean_counts


@pytest.mark.slow
def test_two_builds_on_one_data_directory_run_one_after_the_other(
        dev_listings: list[Path], clean_counts: dict[str, dict[str, int]], tmp_path: Path) -> None:
    builds = [subprocess.Popen([*KG, "build", "-q", *map(str, dev_listings), "--data-dir", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [b.communicate(timeout=300) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    assert sum("another kg process is writing" in err for _, err in outputs) == 1
    assert counts(tmp_path) == clean_counts


def test_the_embedded_server_opens_no_tcp_port(tmp_path: Path) -> None:
    from kg.store.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path) as store:
        pid = store.server.pid
        assert pid is not None
        listening = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout
        assert f"pid={pid}," not in listening
        assert oct(tmp_path.stat().st_mode & 0o777) == "0o700"
        assert oct(store.server.socket.stat().st_mode & 0o777) == "0o700"


@pytest.mark.slow
def test_neo4j_credentials_are_never_printed(tmp_path: Path) -> None:
    secret = "pw-do-not-print-7f3a"
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_USERNAME": "someone", "NEO4J_PASSWORD": secret}
    result = subprocess.run([*KG, "stats", "--store", "neo4j"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "cannot connect to Neo4j at bolt://127.0.0.1:9 as 'someone'" in result.stderr
    assert secret not in result.stdout + result.stderr
    for uri in (f"bolt://someone:{secret}@127.0.0.1:9", f"neo4j://someone:{secret}@[::1"):  # given in the address
        result = subprocess.run([*KG, "stats", "--uri", uri], capture_output=True, text=True, timeout=120)
        assert result.returncode == 1 and "Error:" in result.stderr
        assert secret not in result.stdout + result.stderr


@pytest.mark.slow
def test_every_paper_read_is_in_the_graph_or_in_the_rejects(dev_listings: list[Path], tmp_path: Path) -> None:
    from kg.parse import read_listing

    corpus = tmp_path / "in"
    corpus.mkdir()
    for listing in dev_listings:
        (corpus / listing.name).write_bytes(listing.read_bytes())
    daily = next(p for p in dev_listings if read_listing(p).layout == "daily")
    lines = daily.read_text().splitlines(keepends=True)
    fifth_title = read_listing(daily).papers[4].source.line
    (corpus / "cut.txt").write_text("".join(lines[:fifth_title]))  # ends on a title: a paper cut off
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (corpus / "empty.txt").write_text("")
    rejects = tmp_path / "rejected.jsonl"
    result = kg("build", str(corpus), "--rejects", str(rejects), data_dir=tmp_path / "data")
    summary = {name: int(n) for name, n in re.findall(r"(papers read|papers written|blocks rejected)\s+(\d+)",
                                                      result.stderr)}
    rejected = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert summary["papers read"] == summary["papers written"] + summary["blocks rejected"]
    assert summary["blocks rejected"] == len(rejected) >= 3
    assert {"binary.txt", "empty.txt", "cut.txt"} <= {r["file"] for r in rejected}
    assert all(r["line"] >= 1 and r["reason"] for r in rejected)
    # every paper occurrence that was not rejected is in the graph, with its listing and line
    assert counts(tmp_path / "data")["relationships"]["LISTED_IN"] == summary["papers written"]


@pytest.mark.slow
def test_queries_during_a_build_see_the_graph_before_or_after_never_half(
        dev_listings: list[Path], clean_counts: dict[str, dict[str, int]], tmp_path: Path) -> None:
    from kg.load import graph_counts
    from kg.store.embedded import EmbeddedStore

    kg("build", "-q", *map(str, dev_listings), data_dir=tmp_path)
    with EmbeddedStore(tmp_path) as store:  # this process now serves the store; the build attaches to it
        rebuild = subprocess.Popen([*KG, "build", "-q", *map(str, dev_listings), "--data-dir", str(tmp_path)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen = []
        while rebuild.poll() is None:
            seen.append(graph_counts(store))
        assert rebuild.wait() == 0
        seen.append(graph_counts(store))
    # the rebuild removes and re-adds every listing: without staging, counts would dip meanwhile
    assert len(seen) > 5
    assert all(c == clean_counts for c in seen)


@pytest.mark.slow
def test_kg_cypher_is_read_only_unless_asked(tmp_path: Path) -> None:
    refused = kg("cypher", "CREATE (:Paper {key: 'written'})", data_dir=tmp_path, check=False)
    assert refused.returncode == 1 and "Error:" in refused.stderr
    count = "MATCH (p:Paper) RETURN count(p) AS n"
    assert json.loads(kg("cypher", count, "--format", "json", data_dir=tmp_path).stdout) == [{"n": 0}]
    kg("cypher", "CREATE (:Paper {key: $k})", "--param", "k=it's {`MATCH`}", "--write", data_dir=tmp_path)
    found = kg("cypher", "MATCH (p:Paper) RETURN p.key AS k", "--format", "json", data_dir=tmp_path).stdout
    assert json.loads(found) == [{"k": "it's {`MATCH`}"}]


def test_the_compose_file_takes_the_neo4j_password_from_the_environment() -> None:
    from tests.conftest import ROOT

    compose = (ROOT / "docker-compose.yml").read_text()
    assert 'NEO4J_AUTH: "neo4j/${NEO4J_PASSWORD:?' in compose
    assert not re.search(r"NEO4J_AUTH:\s*\"?neo4j/[^$]", compose)
    assert "127.0.0.1:7687:7687" in compose  # not published beyond this machine


def _slow_snapshot(store: EmbeddedStore) -> Any:
    """Start a snapshot (BGSAVE) that takes 1 s a key, so that the server runs a child process
    for a while; the server's connection."""
    server = store._db.connection
    server.set("another key", 1)
    server.config_set("rdb-key-save-delay", 1_000_000)  # microseconds a key
    server.bgsave()
    return server


@pytest.mark.parametrize("why", ["asked", "too big to copy"])
def test_a_build_in_place_writes_into_the_live_graph_without_a_copy(
        why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    """GRAPH.COPY peaks at about 5.3 times the graph's memory: asked to, or where that would not fit
    in the memory available, a build writes straight into the live graph, and says so."""
    from kg.store import embedded

    if why == "too big to copy":  # the same test as for a graph of a million papers on this machine
        monkeypatch.setattr(embedded, "available_memory", lambda: embedded.COPY_PEAK_FACTOR * 1024)
    with embedded.EmbeddedStore(tmp_path) as store, embedded.EmbeddedStore(tmp_path) as reader:
        store.run("CREATE (:Author {key: 'a', name: 'Ada'})", write=True)
        server = store._db.connection
        with store.staged(in_place=why == "asked"):
            assert list(server.execute_command("GRAPH.LIST")) == ["kg"]
            store.run("CREATE (:Author {key: 'b', name: 'Bo'})", write=True)
            assert len(reader.run("MATCH (a:Author) RETURN a.key AS key")) == 2  # seen before the end
        assert {row["name"] for row in store.run("MATCH (a:Author) RETURN a.name AS name")} == {"Ada", "Bo"}
        # its few statements stay the append-only file's tail, unlike a copy's (a snapshot of a
        # large graph takes longer than a daily listing's build)
        assert _aof_files(tmp_path)[1] > 0
    err = capfd.readouterr().err
    assert ("writing straight into the graph: a copy of it would need about" in err) == (why == "too big to copy")


def test_a_build_in_place_that_outgrows_the_snapshot_leaves_a_snapshot(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the server's own rule (twice the snapshot, and here 1 byte instead of 64 MB), a build
    in place ends by rewriting the append-only file, as a first build of a corpus would."""
    from kg.store import embedded, server

    monkeypatch.setattr(server, "AOF_REWRITE_MIN_BYTES", 1)
    with embedded.EmbeddedStore(tmp_path) as store:
        with store.staged(in_place=True):
            store.run("UNWIND range(1, 500) AS i CREATE (:Author {key: 'a' + toString(i)})", write=True)
        base, tail = _aof_files(tmp_path)
        assert base.endswith(".rdb") and tail == 0


@pytest.mark.slow
def test_the_graph_is_copied_once_the_server_has_no_child_process(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """FalkorDB 4.16 wedges when it forks to copy the graph while another child of the server runs
    (its index collector forks every few seconds under writes). A slow snapshot (BGSAVE, 1 s a key)
    stands in for that child: the copy waits for it, and the staged build goes through."""
    from kg.store import embedded

    monkeypatch.setattr(embedded, "WEDGED_AFTER_S", 5.0)  # without the wait: StoreError after 5 s,
    monkeypatch.setattr(embedded, "COPY_ATTEMPTS", 1)  # not a restarted server's second try
    with embedded.EmbeddedStore(tmp_path) as store:
        store.run("CREATE (:Author {key: 'a', name: 'Ada'})", write=True)
        server = _slow_snapshot(store)
        assert server.info("persistence")["rdb_bgsave_in_progress"] == 1
        with store.staged():
            assert server.info("persistence")["rdb_bgsave_in_progress"] == 0
            store.run("CREATE (:Author {key: 'b', name: 'Bo'})", write=True)
        server.config_set("rdb-key-save-delay", 0)
        assert {row["name"] for row in store.run("MATCH (a:Author) RETURN a.name AS name")} == {"Ada", "Bo"}


@pytest.mark.slow
def test_a_server_that_stops_answering_while_the_graph_is_copied_is_restarted_and_the_build_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    """FalkorDB 4.16 wedges now and then in GRAPH.COPY (its fork collides with its index
    collector's): the server is killed, started again, and the copy tried again; nothing had been
    written. A stopped (SIGSTOP) server stands in for the wedged one."""
    from kg.store import embedded

    monkeypatch.setattr(embedded, "WEDGED_AFTER_S", 1.0)
    with embedded.EmbeddedStore(tmp_path) as store:
        store.run("CREATE (:Author {key: 'a', name: 'Ada'})", write=True)
        pid = store.server.pid
        assert pid is not None
        os.kill(pid, signal.SIGSTOP)
        with store.staged():
            store.run("CREATE (:Author {key: 'b', name: 'Bo'})", write=True)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # killed, and reaped
        assert store.server.pid not in (None, pid)
        assert {row["name"] for row in store.run("MATCH (a:Author) RETURN a.name AS name")} == {"Ada", "Bo"}
    assert "stopped answering while it copied the graph" in capfd.readouterr().err
    with embedded.EmbeddedStore(tmp_path) as again:  # the build's graph was kept
        assert {row["name"] for row in again.run("MATCH (a:Author) RETURN a.name AS name")} == {"Ada", "Bo"}


@pytest.mark.slow
def test_a_copy_that_really_wedges_the_server_is_made_again_on_a_restarted_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FalkorDB's own wedge, made certain: the copy forks beside a slow snapshot (BGSAVE, 1 s a
    key), without the wait for no child. The server stops answering, is restarted (the snapshot's
    child dies with it) and the copy made again: the build goes through."""
    from kg.store import embedded, server

    monkeypatch.setattr(embedded, "WEDGED_AFTER_S", 5.0)
    monkeypatch.setattr(embedded.EmbeddedStore, "_wait_for_no_child", lambda self: None)
    with embedded.EmbeddedStore(tmp_path) as store:
        store.run("CREATE (:Author {key: 'a', name: 'Ada'})", write=True)
        _slow_snapshot(store)
        with store.staged():
            store.run("CREATE (:Author {key: 'b', name: 'Bo'})", write=True)
        assert {row["name"] for row in store.run("MATCH (a:Author) RETURN a.name AS name")} == {"Ada", "Bo"}
    assert "Can't fork for module" in (tmp_path / server.LOG).read_text()


@pytest.mark.slow
def test_a_server_that_stops_answering_at_every_copy_is_stopped_and_the_build_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build must not wait for ever, nor restart the server for ever: after ``COPY_ATTEMPTS``
    wedged copies (here one) it fails, having written nothing."""
    from kg.errors import StoreError
    from kg.store import embedded

    monkeypatch.setattr(embedded, "WEDGED_AFTER_S", 1.0)
    monkeypatch.setattr(embedded, "COPY_ATTEMPTS", 1)
    store = embedded.EmbeddedStore(tmp_path)
    store.run("CREATE (:Author {key: 'a', name: 'Ada'})", write=True)
    pid = store.server.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    with pytest.raises(StoreError, match="stopped answering while it copied the graph"), store.staged():
        pytest.fail("the build went on with a wedged server")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed, and reaped
    store.close()
    with embedded.EmbeddedStore(tmp_path) as again:  # nothing lost: a new server reads the same graph
        assert again.run("MATCH (a:Author) RETURN a.name AS name") == [{"name": "Ada"}]


def full_dump(data_dir: Path) -> tuple[dict[str, dict[str, int]], Any]:
    """Counts (which see a relationship stored twice) and every node and relationship with its properties."""
    from kg.load import graph_counts
    from kg.store import open_store
    from kg.use.read import read_graph

    with open_store("embedded", data_dir=data_dir) as store:
        graph = read_graph(store)
        counted = graph_counts(store)
    for rels in graph.rels.values():
        for props in rels.values():
            props["sources"] = sorted(props.get("sources") or [])
    return counted, (graph.nodes, graph.rels)


@pytest.fixture(scope="module")
def synthetic_listings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-paper synthetic corpus: 22 listings, a tenth of the papers on two of them, under
    different profile owners (so a paper's co-authorships are stated by listings that name
    different authors of it)."""
    from tests.integration.test_bench import CORPUS_SCRIPT

    if not CORPUS_SCRIPT.exists():
        pytest.skip(f"no corpus generator at {CORPUS_SCRIPT} (set KG_SHARED)")
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--papers", "2000", "--out", str(out)], check=True,
                   capture_output=True, timeout=120)
    return out / "listings"


@pytest.fixture(scope="module")
def synthetic_graph(synthetic_listings: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A clean build of the synthetic corpus, in three batches, and its full dump."""
    data_dir = tmp_path_factory.mktemp("synthetic") / "kg-data"
    kg("build", "-q", "--batch-papers", "700", str(synthetic_listings), data_dir=data_dir)
    return data_dir, full_dump(data_dir)


@pytest.mark.slow
def test_rebuilding_listings_that_share_papers_gives_the_same_graph_property_for_property(
        synthetic_listings: Path, synthetic_graph: tuple[Path, Any], tmp_path: Path) -> None:
    """In three batches: each batch of a rebuild meets the graph the first build's did."""
    import shutil

    clean_dir, clean = synthetic_graph
    shutil.copytree(clean_dir, tmp_path / "kg-data")  # its server stopped with the build
    again = kg("build", "-q", "--batch-papers", "700", str(synthetic_listings), data_dir=tmp_path / "kg-data")
    assert "listings replaced  22" in again.stderr
    assert full_dump(tmp_path / "kg-data") == clean


@pytest.mark.slow
def test_the_graph_does_not_depend_on_how_the_input_is_cut_into_batches(
        synthetic_listings: Path, synthetic_graph: tuple[Path, Any], tmp_path: Path) -> None:
    """A name's or a method's papers reach the store in several batches, a tenth of the papers in
    two; people, methods and datasets are settled over the whole graph at the end (kg.people,
    kg.entities) and a paper's fields are folded alike whichever listing came first
    (kg.resolve.papers.PAPER_FIELDS), so the whole graph is that of one batch, property for property."""
    kg("build", "-q", "--batch-papers", "100000", str(synthetic_listings), data_dir=tmp_path)
    (counts, (nodes, rels)), (batched_counts, (batched_nodes, batched_rels)) = full_dump(tmp_path), synthetic_graph[1]
    for label in nodes:
        assert nodes[label] == batched_nodes[label], label
    for rel_type in rels:
        assert rels[rel_type] == batched_rels[rel_type], rel_type
    assert counts == batched_counts
    assert counts["nodes"]["Author"] > 1000 and counts["nodes"]["Method"] > 1000


@pytest.mark.slow
def test_the_graph_does_not_depend_on_how_the_settling_of_people_is_cut(
        synthetic_listings: Path, synthetic_graph: tuple[Path, Any], tmp_path: Path) -> None:
    """People are settled a set of names at a time (bounded by names and by occurrences), and the
    people of a set rewritten a run of names at a time (kg.people): a co-authorship between two runs
    is moved at one end by each. With the smallest sets and runs the graph is the same, property for
    property."""
    settle_small = ("import sys, kg.people as p; p.NAMES_PER_READ = 7; p.OCCURRENCES_PER_READ = 40; "
                    "p.OCCURRENCES_PER_REWRITE = 1; "
                    "from kg.cli import main; sys.argv[0] = 'kg'; main()")
    subprocess.run([sys.executable, "-c", settle_small, "build", "-q", "--batch-papers", "700", str(synthetic_listings),
                    "--data-dir", str(tmp_path)], check=True, capture_output=True, timeout=600)
    assert full_dump(tmp_path) == synthetic_graph[1]


def _descendants(pid: int) -> set[int]:
    """The processes started by ``pid``, and by those, ... (Linux)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            text = stat.read_text()
            children.setdefault(int(text[text.rindex(")") + 2:].split()[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@pytest.mark.slow
def test_a_build_killed_anywhere_leaves_no_process_and_the_next_makes_the_clean_graph(
        synthetic_listings: Path, synthetic_graph: tuple[Path, Any], tmp_path: Path) -> None:
    """Killed with SIGKILL while it extracts (in worker processes) or writes: its workers, the
    resource tracker, the store's keeper and server all end; a rerun gives the clean build's graph."""
    rng = random.Random("synthetic-kill")
    for _ in range(2):
        build = subprocess.Popen([*KG, "build", "-q", "--batch-papers", "700", str(synthetic_listings),
                                  "--data-dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(tmp_path / "falkordb.pid")
        time.sleep(rng.uniform(1.0, 5.0))
        left = _descendants(build.pid)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        assert [pid for pid in left if not _gone(pid)] == []
    kg("build", "-q", "--batch-papers", "700", str(synthetic_listings), data_dir=tmp_path)
    assert full_dump(tmp_path) == synthetic_graph[1]


@pytest.mark.slow
def test_two_files_with_one_name_are_two_listings(dev_listings: list[Path], tmp_path: Path) -> None:
    x, y = tmp_path / "x" / "list.txt", tmp_path / "y" / "list.txt"
    for path, listing in ((x, dev_listings[0]), (y, dev_listings[1])):
        path.parent.mkdir()
        path.write_bytes(listing.read_bytes())
    data_dir = tmp_path / "data"
    kg("build", "-q", "--parse-only", str(x), data_dir=data_dir)
    second = kg("build", "-q", "--parse-only", str(y), data_dir=data_dir)
    assert "replaced" not in second.stderr and "is list.txt~" in second.stderr
    both = counts(data_dir)
    assert both["nodes"]["Listing"] == 2
    again = kg("build", "-q", "--parse-only", str(y), str(x), data_dir=data_dir)
    assert "listings replaced  2" in again.stderr
    assert counts(data_dir) == both
    kg("remove", str(y), data_dir=data_dir)  # by its path: the listing read from it, not list.txt
    assert "list.txt " in kg("listings", data_dir=data_dir).stdout


@pytest.mark.slow
def test_files_that_cannot_be_read_are_rejected_and_the_rest_is_built(dev_listings: list[Path],
                                                                    tmp_path: Path) -> None:
    """A FIFO would block a reader for ever; a dangling link is no file. Each is one rejected
    block with its reason, and the readable listing beside them is built."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(dev_listings[0].read_bytes())
    os.mkfifo(folder / "fifo.txt")
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    rejects = tmp_path / "rejects.jsonl"
    built = kg("build", "--parse-only", "--rejects", str(rejects), str(folder), data_dir=tmp_path / "data")
    assert "fifo.txt:1: rejected: not a regular file" in built.stderr
    assert "dangling.txt:1: rejected: cannot read" in built.stderr
    assert {json.loads(line)["file"] for line in rejects.read_text().splitlines()} == {"fifo.txt", "dangling.txt"}
    assert counts(tmp_path / "data")["nodes"]["Listing"] == 1


USER = ("import sys\nfrom pathlib import Path\nfrom kg.store.embedded import EmbeddedStore\n"
        "with EmbeddedStore(Path(sys.argv[1])) as store:\n"
        "    print(store.server.pid, flush=True)\n    sys.stdin.read()\n")


def _first_user(data_dir: Path) -> tuple[subprocess.Popen[str], int]:
    """A process that starts the server of ``data_dir`` and uses it until its stdin closes."""
    user = subprocess.Popen([sys.executable, "-c", USER, str(data_dir)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert user.stdout is not None
    return user, int(user.stdout.readline())


def _is_zombie(pid: int) -> bool:
    """Exited, waiting to be collected (by init, where kg that started it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return fields[fields.rindex(")") + 2:].startswith("Z")


def _gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            if _is_zombie(pid):
                return True
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("how", ["exits", "is killed"])
def test_the_process_that_started_the_server_ending_leaves_it_to_the_others(how: str, tmp_path: Path) -> None:
    """A reader that started the server and ends (or is killed) while a build uses it does not
    stop it under the build; the last process to use it does."""
    from kg.store.embedded import EmbeddedStore

    user, pid = _first_user(tmp_path)
    with EmbeddedStore(tmp_path) as store:
        assert store.server.pid == pid  # the same server, not a second one
        if how == "exits":
            user.communicate("")
        else:
            user.kill()
            user.wait()
        time.sleep(0.5)  # the server's keeper looks for users every 0.1 s
        assert store.run("RETURN 1 AS one", write=True) == [{"one": 1}]
    assert _gone(pid, timeout=1) and not store.server.socket.exists()


def test_no_server_outlives_its_users_killed_with_sigkill(tmp_path: Path) -> None:
    user, pid = _first_user(tmp_path)
    user.kill()
    user.wait()
    assert _gone(pid)
    assert not list(tmp_path.glob("*.sock"))


@pytest.mark.slow
def test_a_staged_build_copies_the_graph_inside_the_data_directory(dev_listings: list[Path], tmp_path: Path) -> None:
    kg("build", "-q", "--parse-only", str(dev_listings[0]), data_dir=tmp_path)
    kg("build", "-q", "--parse-only", str(dev_listings[0]), data_dir=tmp_path)  # into a copy of the graph
    dumps = re.findall(r"dump graph: \S+ to: (\S+)", (tmp_path / "falkordb.log").read_text())
    assert dumps and all(Path(dump).parent == (tmp_path / "tmp").resolve() for dump in dumps)
    assert (tmp_path / "tmp").stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("made", ["open to others", "a link"])
def test_a_socket_directory_that_is_not_private_is_refused(made: str, tmp_path: Path) -> None:
    """A data directory with a long path has its socket in a directory under $TMPDIR."""
    from kg.errors import StoreError
    from kg.store.embedded import EmbeddedStore
    from kg.store.server import socket_path

    data_dir = (tmp_path / ("d" * 110)).resolve()
    private = socket_path(data_dir).parent
    assert private.parent != data_dir
    if made == "open to others":
        private.chmod(0o755)
    else:
        private.rmdir()
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        private.symlink_to(tmp_path / "elsewhere")
    try:
        with pytest.raises(StoreError, match="not a private directory"):
            EmbeddedStore(data_dir)
    finally:
        private.unlink() if private.is_symlink() else private.rmdir()


@pytest.mark.slow
def test_a_server_killed_under_a_staged_build_ends_it_with_one_error_line(dev_listings: list[Path],
                                                                          tmp_path: Path) -> None:
    kg("build", "-q", "--parse-only", *map(str, dev_listings), data_dir=tmp_path)
    log = tmp_path / "falkordb.log"
    before = len(log.read_text())
    build = subprocess.Popen([*KG, "build", "-q", *map(str, dev_listings), "--data-dir", str(tmp_path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while "Decoding graph: kg:next" not in log.read_text()[before:] and time.monotonic() < deadline:
        time.sleep(0.01)  # until the build has its copy of the graph, and extracts and writes into it
    os.kill(int((tmp_path / "falkordb.pid").read_text()), signal.SIGKILL)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 1
    assert "Traceback" not in stderr and "Error: lost the embedded FalkorDB server" in stderr
