"""The embedded store: a client of the FalkorDB server that kg runs itself (``kg.store.server``).

Besides queries and batched writes, it owns what a build needs of the server: a staged copy of the
graph that readers keep using until the build is done, and the append-only file rewritten once
after the writes.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import KGError, QueryError, StoreError
from kg.schema import Dialect, schema_statements
from kg.store import Closing
from kg.store.packing import unpack_values
from kg.store.params import params_header, plain_rows
from kg.store.server import (
    EmbeddedServer,
    memory_used,
    rewrite_append_only_file,
    rewrite_if_grown,
    wait_for_no_child,
)

GRAPH = "kg"
STAGING_SUFFIX = ":next"
WEDGED_AFTER_S = 30.0  # a server silent this long while it copies the graph has wedged (``EmbeddedStore._copy``)
COPY_ATTEMPTS = 2  # tries at that copy, the server restarted after a wedged one
# GRAPH.COPY decodes the whole copy at once: the server's memory peaks at several times that of the
# graph it copies (docs/performance.md, "The figures behind the code"). A build copies only where
# this many times the graph fits.
COPY_PEAK_FACTOR = 6



def _raise_run_time_error(reply: Any) -> None:
    """Raise the run-time error of a ``GRAPH.QUERY`` reply: FalkorDB puts it last, after any rows."""
    import redis

    if isinstance(reply, list) and reply and isinstance(reply[-1], redis.ResponseError):
        raise reply[-1]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class EmbeddedStore(Closing):
    """The default store: the FalkorDB server of a data directory, started on first use."""

    name = "embedded"
    dialect: Dialect = "falkordb"
    packs_abstracts = True

    def __init__(self, data_dir: Path, *, server: EmbeddedServer | None = None, graph: str = GRAPH) -> None:
        self.data_dir = data_dir
        self._owns_server = server is None
        self.server = server or EmbeddedServer(data_dir)
        self._wrote = False  # since the last snapshot this store asked for (see ``close``)
        self._connect(graph)

    def _connect(self, graph: str) -> None:
        """Start the server unless one runs, and talk to it about ``graph``: made if missing, its
        indexes waited for if not (also after ``_copy`` restarted a wedged server)."""
        from falkordb import FalkorDB

        self.server.start()
        self._db = FalkorDB(unix_socket_path=str(self.server.socket))
        self._graph = self._db.select_graph(graph)
        if graph not in self._db.list_graphs():
            self.ensure_schema()  # FalkorDB refuses reads on a graph that does not exist yet
        else:
            self._wait_for_indexes()

    def _wait_for_indexes(self, timeout: float = 300.0) -> None:
        """After a restart FalkorDB rebuilds its indexes in the background, and until then plans
        label scans; wait for them, so the first queries are as fast as the rest."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = self.run("CALL db.indexes() YIELD status RETURN status")
            if all(str(row["status"]) == "OPERATIONAL" for row in rows):
                return
            time.sleep(0.05)

    def run(self, query: str, params: Mapping[str, Any] | None = None, *,
            write: bool = False) -> list[dict[str, Any]]:
        import redis

        text = params_header(params) + query if params else query
        self._wrote |= write
        try:
            reply = self._graph.execute_command("GRAPH.QUERY" if write else "GRAPH.RO_QUERY", self._graph.name,
                                                text, "--compact")
            _raise_run_time_error(reply)
        except (redis.ResponseError, redis.ConnectionError, OSError) as e:
            raise self._error(e, params) from e
        return self._rows(reply)

    def _rows(self, reply: list[Any]) -> list[dict[str, Any]]:
        rows = plain_rows(reply)  # read here, compiled, unless a value is a node, a relationship...
        if rows is not None:
            return rows
        from falkordb.query_result import QueryResult  # ...which the client reads, knowing the labels

        result = QueryResult(self._graph, reply)
        names = [column[1] for column in result.header or []]
        return [dict(zip(names, unpack_values(row), strict=True)) for row in result.result_set or []]

    def write_all(self, statements: Iterable[tuple[str, Mapping[str, Any]]],
                  written: Callable[[list[dict[str, Any]]], None] = lambda _rows: None) -> None:
        """Run write statements in order, calling ``written`` with the rows of each.

        Each statement is sent before the reply to the one before it is read: the server starts
        on it as soon as it is done with that one, while this process writes out the parameters
        of the next, a tenth less time in all. After a failed statement
        the one sent behind it has run too (a load is idempotent: running it again completes it).
        """
        import redis

        self._wrote = True
        pool = self._db.connection.connection_pool
        connection = pool.get_connection()
        in_flight: Mapping[str, Any] | None = None  # the parameters of the statement whose reply is next
        done = False
        try:
            for query, params in statements:
                connection.send_command("GRAPH.QUERY", self._graph.name, params_header(params) + query, "--compact")
                if in_flight is not None:
                    written(self._reply(connection))
                in_flight = params
            if in_flight is not None:
                written(self._reply(connection))
            done = True
        except (redis.ResponseError, redis.ConnectionError, OSError) as e:
            raise self._error(e, in_flight) from e
        finally:
            if not done:  # a reply may be left unread on it
                connection.disconnect()
            pool.release(connection)

    def _reply(self, connection: Any) -> list[dict[str, Any]]:
        """Read a write statement's reply: its rows, or its run-time error raised."""
        reply = connection.read_response()
        _raise_run_time_error(reply)
        return self._rows(reply)

    def _error(self, e: Exception, params: Mapping[str, Any] | None) -> KGError:
        import redis

        if not isinstance(e, redis.ResponseError):
            return StoreError(f"lost the embedded FalkorDB server in {self.data_dir}: {e}. Run the command again: "
                              "a build cut short is completed by the next")
        if _has_nul(params):
            return QueryError("a parameter value holds a NUL byte, which FalkorDB strings cannot hold "
                              "(the client sends parameters inside the query text, a C string)")
        if "RO_QUERY is to be executed only on read-only queries" in str(e):
            return QueryError("the statement changes the graph, and this run is read-only: "
                              "kg cypher --write runs it")
        return QueryError(str(e))

    def _copy(self, source: str, target: str) -> None:
        """``GRAPH.COPY`` (over any ``target`` a killed build left) once the server has no child
        process, with a watch on the server.

        FalkorDB 4.16 forks to copy a graph, and a fork while another child of the server runs
        fails ("Can't fork for module: File exists"), after which the server answers nothing, not
        even PING. Its index collector forks every few seconds while writes come in, so a child
        is alive much of the time during a big build. So the copy waits for no child to be
        running. That narrows the window without closing it: FalkorDB forks for the copy from a
        background thread some time after the command, and the collector can fork in between. A
        server silent for ``WEDGED_AFTER_S`` while it copies is killed and started again, and the
        copy tried again, up to ``COPY_ATTEMPTS`` times in all: nothing has been written by then (a
        build's writes go to the copy), and the new server reads the graph as it was. Then the
        build fails, saying so.
        """
        for attempt in range(1, COPY_ATTEMPTS + 1):
            if self._copy_once(source, target):
                return
            if attempt < COPY_ATTEMPTS:
                print(f"kg: the embedded FalkorDB server in {self.data_dir} stopped answering while it copied "
                      "the graph, a fault of FalkorDB's; it was restarted, and the copy is tried again",
                      file=sys.stderr)
                self._connect(self._graph.name)  # a new server: it reads the graph as it was
        raise StoreError(
            f"the embedded FalkorDB server in {self.data_dir} stopped answering while it copied the graph for "
            f"this build, at every try ({COPY_ATTEMPTS}), and was stopped; nothing was written. Run the command again. "
            f"Its log ends:\n{self.server._log_tail()}")

    def _copy_once(self, source: str, target: str) -> bool:
        """One try at ``_copy``: False if the server wedged (it is then killed)."""
        import threading

        outcome: list[BaseException | None] = []

        def copy() -> None:
            try:
                self._db.connection.delete(target)  # left by a build that was killed
                self._wait_for_no_child()
                self._db.connection.execute_command("GRAPH.COPY", source, target)
                outcome.append(None)
            except BaseException as e:  # handed to the waiting thread
                outcome.append(e)

        worker = threading.Thread(target=copy, name="kg-graph-copy", daemon=True)
        worker.start()
        silent_since: float | None = None
        while worker.is_alive():
            worker.join(timeout=1.0)
            if not worker.is_alive():
                break
            if self.server.answers():
                silent_since = None
            elif silent_since is None:
                silent_since = time.monotonic()
            elif time.monotonic() - silent_since > WEDGED_AFTER_S:
                self.server.kill()
                return False
        error = outcome[0] if outcome else StoreError("the graph copy ended without an answer")
        if error is None:
            return True
        if isinstance(error, Exception) and not isinstance(error, KGError):
            raise self._error(error, None) from error  # the server gone, or refusing the copy
        raise error

    def _wait_for_no_child(self) -> None:
        wait_for_no_child(self._db.connection)

    def compact(self) -> None:
        """Rewrite the append-only file as a snapshot now (``rewrite_append_only_file``)."""
        rewrite_append_only_file(self._db.connection, self.data_dir)

    def ensure_schema(self) -> None:
        for statement in schema_statements("falkordb"):
            try:
                self.run(statement, write=True)
            except QueryError as e:
                if "already indexed" not in str(e):
                    raise

    @contextlib.contextmanager
    def staged(self, *, in_place: bool = False) -> Iterator[None]:
        """Write to a copy of the graph and swap it in at the end, in one step.

        Queries meanwhile see the graph as it was; a build that dies leaves only the copy, which
        the next one throws away. (GRAPH.COPY then RENAME: both atomic in FalkorDB.)

        The copy is costly at scale: minutes at a million papers, and at its peak several times the
        graph's memory (``COPY_PEAK_FACTOR``). With ``in_place``, or when that peak would not
        fit in the memory available, writes go straight to the live graph, as on Neo4j: queries
        during the build can see it half done, and a build that dies is completed by the next.
        """
        if not in_place and self.server.answers():  # one that does not is restarted by ``_copy``
            needed, available = COPY_PEAK_FACTOR * memory_used(self._db.connection), available_memory()
            if needed > available:
                print(f"kg: writing straight into the graph: a copy of it would need about {needed / 2**30:.1f} "
                      f"GB at its peak, and {available / 2**30:.1f} GB is available; queries during this build "
                      "can see it half done", file=sys.stderr)
                in_place = True
        with contextlib.nullcontext() if in_place else self._in_a_copy():
            yield
        if in_place:
            # the build's statements are the append-only file's tail: replayed in moments at the
            # next start when few, while a snapshot of a large graph takes far longer than a
            # daily listing's build (docs/performance.md, "A daily listing into a built graph")
            rewrite_if_grown(self._db.connection, self.data_dir)
        else:  # the tail holds the copy of the whole graph
            self.compact()
        self._wrote = False

    @contextlib.contextmanager
    def _in_a_copy(self) -> Iterator[None]:
        """Writes go to a copy of the graph, which replaces it at the end unless they fail."""
        staging = f"{self._graph.name}{STAGING_SUFFIX}"
        self._copy(self._graph.name, staging)
        connection = self._db.connection  # after the copy: it may have restarted the server
        live, self._graph = self._graph, self._db.select_graph(staging)
        try:
            yield
        except BaseException:
            import redis

            with contextlib.suppress(redis.RedisError, OSError):  # a server that is gone: the next build throws it away
                connection.delete(staging)
            raise
        finally:
            self._graph = live
        connection.rename(staging, live.name)

    def clear(self) -> None:
        from kg.store import delete_everything

        delete_everything(self)

    def close(self) -> None:
        import redis

        if self._wrote:  # not a reader's business: a query during a build would fork for the build's writes
            with contextlib.suppress(redis.RedisError, OSError):  # a server that is gone has nothing to compact
                rewrite_if_grown(self._db.connection, self.data_dir)
        self._db.connection.close()
        if self._owns_server:
            self.server.stop()


def available_memory() -> int:
    """Bytes the system can give without swapping (``MemAvailable``; the physical memory where
    there is no ``/proc/meminfo``)."""
    with contextlib.suppress(OSError, StopIteration, ValueError):
        lines = Path("/proc/meminfo").read_text().splitlines()
        return int(next(line.split()[1] for line in lines if line.startswith("MemAvailable:"))) * 1024
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
