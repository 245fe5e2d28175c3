"""What the store holds already: listings, keys, names, counts."""

from __future__ import annotations

from collections.abc import Iterable

from kg.build import GraphData
from kg.schema import graph_schema
from kg.statements.write import KNOWN_NAMES_STATEMENT, LISTING_PATHS_STATEMENT, count_statement
from kg.store import Store


def listing_paths(store: Store) -> dict[str, str | None]:
    """Every listing in the store: name -> the full path it was read from (None for one loaded by
    a kg that did not record it)."""
    return {row["key"]: row["path"] for row in store.run(LISTING_PATHS_STATEMENT)}


def known_names(store: Store, label: str) -> dict[str, str]:
    """Normalised name -> key of every ``label`` (Method or Dataset) node in the store.

    A node's key names that node; a name several nodes have names the one with the smallest key,
    so the answer does not depend on the order the store keeps its nodes in.
    """
    out: dict[str, str] = {}
    for row in store.run(KNOWN_NAMES_STATEMENT[label]):
        _know(out, row["key"], row["names"] or [])
    return out


def _know(names: dict[str, str], key: str, node_names: Iterable[str]) -> None:
    """Add a node's names to ``names`` (see ``known_names``)."""
    names[key] = key
    for name in node_names:
        held = names.get(name)
        if held is None or (held != name and key < held):
            names[name] = key


class KnownNames:
    """The names of the Method and Dataset nodes in a store, kept for the batches of one build.

    Read from the store for the first batch, and again after a batch removed a listing (which may
    delete nodes); otherwise brought up to date from each batch's own graph as it is loaded,
    instead of reading every name back for every batch, which grows with the graph. Right while
    nothing else writes to the store: ``kg build`` holds an embedded store's write lock.
    """

    def __init__(self) -> None:
        self._names: dict[str, dict[str, str]] = {}

    def of(self, store: Store, label: str) -> dict[str, str]:
        """Normalised name -> key of every ``label`` node (see ``known_names``)."""
        if label not in self._names:
            self._names[label] = known_names(store, label)
        return self._names[label]

    def forget(self) -> None:
        """Read the store again next time."""
        self._names.clear()

    def add(self, graph: GraphData) -> None:
        """What loading ``graph`` added to the store."""
        for label, names in self._names.items():
            for key, props in graph.nodes.get(label, {}).items():
                _know(names, key, props.get("names", ()))


def graph_counts(store: Store) -> dict[str, dict[str, int]]:
    """Nodes per label and relationships per type, every one of the model's (zeros included)."""
    schema = graph_schema()
    return {"nodes": {label: store.run(count_statement(label))[0]["count"] for label in schema.nodes},
            "relationships": {t: store.run(count_statement(t))[0]["count"] for t in schema.relationships}}
