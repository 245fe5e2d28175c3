"""Shared fixtures: where ../shared is, the dev listings, the stores; and the slow mark on every
integration test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.records import Paper

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
DEV_LISTINGS = SHARED / "listings" / "dev"
DEV_GOLD = SHARED / "gold" / "dev"
CORPUS = SHARED / "corpus" / "hf-daily"


INTEGRATION = Path(__file__).resolve().parent / "integration"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/integration (a real store, the command line, a whole build) is slow:
    ``pytest -m "not slow"`` and ``pytest tests/unit`` are the quick loop, ``pytest`` runs all."""
    for item in items:
        if INTEGRATION in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def dev_listings() -> list[Path]:
    files = sorted(DEV_LISTINGS.glob("*.txt"))
    if not files:
        pytest.skip(f"no dev listings in {DEV_LISTINGS} (set KG_SHARED)")
    return files


@pytest.fixture(scope="session")
def corpus_papers() -> list[Paper]:
    """The papers of shared/corpus/hf-daily, which kg's corpus-counted tables are counted from."""
    from kg.parse import read_listing

    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS} (set KG_SHARED)")
    return [paper for path in sorted(CORPUS.glob("*.txt")) for paper in read_listing(path).papers]


# -- stores ---------------------------------------------------------------------------------------
# The conformance suite runs on every store available: the embedded FalkorDB (always), the Neo4j
# store class through the real neo4j driver against FalkorDB's Bolt port (always), and a real
# Neo4j when NEO4J_URI is set (tests marked neo4j).

# the Bolt route starts a server of its own and is slower per test: the quick loop leaves it out
STORES = ["embedded", pytest.param("bolt", marks=pytest.mark.slow), pytest.param("neo4j", marks=pytest.mark.neo4j)]


def _free_port() -> int:
    """A free TCP port below 32768: FalkorDB 4.16 silently opens no Bolt port above that."""
    import random
    import socket

    for port in random.sample(range(20000, 32000), 200):
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for FalkorDB's Bolt test server")


@pytest.fixture(scope="session")
def _embedded(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from kg.store.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path_factory.mktemp("kg-data")) as store:
        yield store


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A FalkorDB server with its Bolt port open. Bolt sessions use its graph "falkordb"."""
    from kg.store.server import EmbeddedServer

    # FalkorDB's Bolt port is experimental: it crashes on explicit transactions when the
    # append-only file is on, so this server runs without it.
    server = EmbeddedServer(tmp_path_factory.mktemp("bolt-data"), bolt_port=_free_port(), persistence=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _bolt(bolt_server):  # type: ignore[no-untyped-def]
    from kg.store.neo4j import Neo4jStore

    with Neo4jStore(f"bolt://127.0.0.1:{bolt_server.bolt_port}", "falkordb", "", dialect="falkordb") as store:
        yield store


@pytest.fixture(scope="session")
def _neo4j():  # type: ignore[no-untyped-def]
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("set NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD) to run against a real Neo4j")
    from kg.store import open_store

    with open_store("neo4j") as store:
        yield store


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """An empty store with the model's schema, of each kind in turn."""
    s = request.getfixturevalue("_" + request.param)
    s.clear()
    s.ensure_schema()
    s.kind = request.param  # which of STORES this is, for the few tests FalkorDB's Bolt port cannot pass
    return s
