"""Graph stores behind one small protocol: the embedded FalkorDB (default) and Neo4j.

Both speak the same Cypher; a store only runs it (read-only unless asked to write), creates the
model's constraints and indexes, clears itself and closes. Backends are imported on first use, so
``import kg.store`` starts nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from kg.errors import StoreError
from kg.schema import Dialect

StoreName = Literal["embedded", "neo4j"]
DEFAULT_DATA_DIR = "kg-data"


class Store(Protocol):
    """What the loader and the queries need from a graph database."""

    name: str
    dialect: Dialect
    # Whether the loader deflates abstracts for this store (``kg.store.packing``): the embedded
    # store holds the graph in memory; Neo4j keeps it on disk and indexes text as text.
    packs_abstracts: bool

    def run(self, query: str, params: Mapping[str, Any] | None = None, *,
            write: bool = False) -> list[dict[str, Any]]:
        """Run one Cypher statement with ``$parameters``; rows as dicts. Read-only unless ``write``.

        Raises:
            QueryError: the store rejected the statement (syntax, a write in read-only mode...).
            StoreError: the store cannot be reached.
        """
        ...

    def write_all(self, statements: Iterable[tuple[str, Mapping[str, Any]]],
                  written: Callable[[list[dict[str, Any]]], None] = lambda _rows: None) -> None:
        """Run write statements (Cypher, parameters) in order, calling ``written`` with the rows
        each one returns; the embedded store sends each before the one ahead of it is done.

        Raises:
            QueryError, StoreError: as for ``run``; the statements after a failed one are not run,
                except, on the embedded store, the one already sent.
        """
        ...

    def ensure_schema(self) -> None:
        """Create the model's constraints and indexes if they are missing."""
        ...

    def staged(self, *, in_place: bool = False) -> AbstractContextManager[None]:
        """A context in which writes become visible to readers all at once, at the end (where the
        store can do that, and unless ``in_place``)."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


class Closing:
    """``with store:`` closes the store at the end; both stores take this from here."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def delete_everything(store: Store) -> None:
    """Delete every node and relationship, 10,000 nodes a statement (one huge delete would hold
    the whole graph's changes in one transaction)."""
    from kg.statements.read import CLEAR_STATEMENT

    while store.run(CLEAR_STATEMENT, write=True)[0]["deleted"]:
        pass


def data_dir_of(data_dir: str | Path | None = None) -> Path:
    """The embedded store's directory: the argument, else $KG_DATA_DIR, else ./kg-data."""
    return Path(data_dir or os.environ.get("KG_DATA_DIR") or DEFAULT_DATA_DIR)


def open_store(name: str = "embedded", *, data_dir: str | Path | None = None, uri: str | None = None,
               user: str | None = None, password: str | None = None, database: str | None = None) -> Store:
    """Open a store by name.

    Args:
        name: ``embedded`` (FalkorDB, started by kg in ``data_dir``) or ``neo4j``.
        data_dir: the embedded store's directory (see ``data_dir_of``).
        uri, user, password, database: Neo4j connection; each defaults to NEO4J_URI,
            NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE.

    Raises:
        StoreError: unknown store name, missing URI, or the store cannot be started or reached.
    """
    if name == "embedded" and uri:
        name = "neo4j"  # an address is only ever Neo4j's
    if name == "embedded":
        from kg.store.embedded import EmbeddedStore

        return EmbeddedStore(data_dir_of(data_dir))
    if name == "neo4j":
        from kg.store.neo4j import Neo4jStore

        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise StoreError("--store neo4j needs --uri or NEO4J_URI (for example bolt://localhost:7687)")
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in NEO4J_SCHEMES:
            raise StoreError(f"{redact(uri)} is not a Neo4j driver address: use bolt://HOST:7687 or neo4j://HOST:7687 "
                             "(7474 is Neo4j Browser's HTTP port)")
        return Neo4jStore(uri, user or os.environ.get("NEO4J_USERNAME", "neo4j"),
                          password if password is not None else os.environ.get("NEO4J_PASSWORD", ""),
                          database or os.environ.get("NEO4J_DATABASE") or None)
    raise StoreError(f"unknown store {name!r}: use 'embedded' or 'neo4j'")


NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def redact(uri: str) -> str:
    """``uri`` without a password written in it: ``bolt://neo4j:***@host:7687``."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", uri)


__all__ = ["DEFAULT_DATA_DIR", "Store", "StoreName", "data_dir_of", "delete_everything", "open_store"]
