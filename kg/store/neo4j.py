"""The Neo4j store: the official ``neo4j`` driver, managed transactions with retries.

Credentials come from the caller (flags or NEO4J_* variables) and are never printed: error
messages name the URI and the user, never the password.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from kg.errors import QueryError, StoreError
from kg.schema import Dialect, schema_statements
from kg.store import Closing, redact
from kg.store.packing import unpack_values


class Neo4jStore(Closing):
    """A Neo4j database (or anything that speaks Bolt and Neo4j's Cypher).

    Args:
        uri: ``bolt://`` or ``neo4j://`` address.
        user, password: basic authentication.
        database: the database name; None for the server's default.
        dialect: whose constraint and index statements to create: ``neo4j``, or ``falkordb`` when
            the Bolt server is FalkorDB's (how the test suite drives this class without Neo4j).
    """

    name = "neo4j"
    packs_abstracts = False

    def __init__(self, uri: str, user: str, password: str, database: str | None = None, *,
                 dialect: Dialect = "neo4j") -> None:
        import neo4j

        self.uri = uri
        self.database = database
        self.dialect: Dialect = dialect
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), max_transaction_retry_time=15)
            self._driver.verify_connectivity()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, ValueError, OSError) as e:
            reason = redact(str(getattr(e, "message", None) or e))  # a driver's message may quote the address
            if password:
                reason = reason.replace(password, "***")
            raise StoreError(f"cannot connect to Neo4j at {redact(uri)} as {user!r}: {type(e).__name__}: "
                             f"{reason}") from e

    def run(self, query: str, params: Mapping[str, Any] | None = None, *,
            write: bool = False) -> list[dict[str, Any]]:
        import neo4j

        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            # unpacked: over FalkorDB's Bolt port this reads graphs the embedded store wrote
            return [unpack_values(record.data()) for record in tx.run(query, dict(params or {}))]

        try:
            with self._driver.session(database=self.database) as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except neo4j.exceptions.ServiceUnavailable as e:
            raise StoreError(f"Neo4j at {redact(self.uri)} is unavailable: {redact(str(e))}") from e
        except neo4j.exceptions.Neo4jError as e:
            raise QueryError(f"{e.code}: {e.message}") from e

    def write_all(self, statements: Iterable[tuple[str, Mapping[str, Any]]],
                  written: Callable[[list[dict[str, Any]]], None] = lambda _rows: None) -> None:
        """Run write statements in order, each in its own transaction, calling ``written`` with
        the rows of each."""
        for query, params in statements:
            written(self.run(query, params, write=True))

    def ensure_schema(self) -> None:
        for statement in schema_statements(self.dialect):
            try:
                self.run(statement, write=True)
            except QueryError:
                if self.dialect == "neo4j":
                    raise  # IF NOT EXISTS makes a repeat harmless on Neo4j; anything else is real

    @contextlib.contextmanager
    def staged(self, *, in_place: bool = False) -> Iterator[None]:
        """Writes go straight to the database: Neo4j has no cheap atomic swap of a whole graph,
        so queries during a build can see it half done."""
        yield

    def clear(self) -> None:
        from kg.store import delete_everything

        delete_everything(self)

    def close(self) -> None:
        self._driver.close()
