"""The graph model, read from ``schemas/graph.json``: labels, relationship types, properties.

Everything that depends on the model is generated from that one file: the constraint and index
statements of each store, the schema document ``schemas/graph.md``, and the closed lists of
labels and types that Cypher text is checked against.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Dialect = Literal["neo4j", "falkordb"]
# Every node has a key; every relationship its provenance (Paper and Listing nodes declare
# ``sources`` too; other nodes live while a relationship holds them). A relationship's key, what
# tells two of one type between the same nodes apart, is its ``paper`` or nothing (``RelType.by_paper``).
NODE_PROPERTIES = {"key": "string"}
REL_PROPERTIES = {"sources": "list<string>"}
# In the store, ``sources`` is not a list but one string, the sources separated by a tab: a list on
# every relationship cost FalkorDB several times what one interned string does (docs/performance.md,
# "Sources in one string"). A source is ``listing file:line`` and a listing's file name has no tab (see
# ``kg.parse``). Everything else in kg, ``GraphData`` and the exports included, sees the list.
SOURCE_SEPARATOR = "\t"
PAPER_KEY = "the paper key"  # the key of a relationship that is told apart by the paper stating it


def stored_sources(sources: Iterable[str]) -> str:
    """``sources`` as the store holds them (``SOURCE_SEPARATOR``)."""
    return SOURCE_SEPARATOR.join(sources)


def source_list(stored: str | list[str] | None) -> list[str]:
    """The sources a store holds, as a list: from the one string kg writes, or from the list a kg
    before it wrote (``kg.load.writer.upgrade_sources`` rewrites those before anything is written)."""
    if not stored:
        return []
    return stored.split(SOURCE_SEPARATOR) if isinstance(stored, str) else list(stored)


@dataclass(frozen=True, slots=True)
class NodeType:
    label: str
    description: str
    key: str
    properties: dict[str, str]
    indexes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RelType:
    type: str
    start: str
    end: str
    description: str
    key: str
    properties: dict[str, str]

    @property
    def by_paper(self) -> bool:
        """Whether two relationships of this type between the same nodes are told apart by the
        paper stating each (their ``paper``, the key of their identity); otherwise there is one
        per pair of nodes."""
        return self.key == PAPER_KEY


@dataclass(frozen=True, slots=True)
class GraphSchema:
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]

    @property
    def property_keys(self) -> list[str]:
        keys = set(NODE_PROPERTIES) | set(REL_PROPERTIES)
        for n in self.nodes.values():
            keys.update(n.properties)
        for r in self.relationships.values():
            keys.update(r.properties)
        return sorted(keys)

    def label(self, name: str) -> str:
        """``name`` if it is one of the model's labels (the only way a label reaches Cypher text)."""
        if name not in self.nodes:
            raise ValueError(f"not a label of the graph model: {name!r}")
        return name

    def rel_type(self, name: str) -> str:
        """``name`` if it is one of the model's relationship types."""
        if name not in self.relationships:
            raise ValueError(f"not a relationship type of the graph model: {name!r}")
        return name


@cache
def graph_schema() -> GraphSchema:
    """The graph model of ``schemas/graph.json`` (read once)."""
    raw: dict[str, Any] = json.loads(resources.files("kg.schemas").joinpath("graph.json").read_text("utf-8"))
    nodes = {label: NodeType(label, n["description"], n["key"], n["properties"], tuple(n["indexes"]))
             for label, n in raw["nodes"].items()}
    rels = {t: RelType(t, r["from"], r["to"], r["description"], r.get("key", ""), r["properties"])
            for t, r in raw["relationships"].items()}
    for t, r in rels.items():
        if r.key not in ("", PAPER_KEY):
            raise ValueError(f"{t}: relationships are told apart by the paper or not at all, not {r.key!r}")
    return GraphSchema(nodes, rels)


def schema_statements(dialect: Dialect) -> list[str]:
    """The statements that create the model's constraints and indexes, idempotently.

    Neo4j gets a uniqueness constraint on every label's ``key`` (which also indexes it) and
    ``IF NOT EXISTS`` indexes. FalkorDB gets plain indexes; it has no ``IF NOT EXISTS``, so its store
    ignores "already indexed" errors. Both forms are Neo4j 5 syntax, checked by the Cypher linter.
    """
    schema = graph_schema()
    out = []
    for label, node in schema.nodes.items():
        var = "n"
        if dialect == "neo4j":
            out.append(f"CREATE CONSTRAINT {label.lower()}_key IF NOT EXISTS "
                       f"FOR ({var}:{label}) REQUIRE {var}.key IS UNIQUE")
            out.extend(f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR ({var}:{label}) ON ({var}.{prop})"
                       for prop in node.indexes)
        else:
            out.extend(f"CREATE INDEX FOR ({var}:{label}) ON ({var}.{prop})" for prop in ("key", *node.indexes))
    return out


def schema_markdown() -> str:
    """The schema document (``schemas/graph.md``), generated from the model."""
    schema = graph_schema()
    lines = ["# The kg graph model", "",
             "Generated from `schemas/graph.json` by `kg schema --markdown`; a test checks that it is current.",
             "", "Every node has `key` (string, unique per label). Every relationship has `sources` (each "
             "`listing file:line`, where it came from; one string in the store, the sources separated by a tab, "
             "which kg's exports give as a list), as do `Paper` and `Listing` nodes; other nodes exist while "
             "a relationship holds them. Two relationships of one type between the same nodes are told apart by "
             "their `paper` where the key column says so, and are one relationship otherwise. Dates are ISO-8601 "
             "strings. The embedded store keeps a `Paper`'s `abstract` deflated (a string that starts with the "
             "control character U+001F, `kg.store.packing`), which every read through kg gives as the text; "
             "Cypher's string tests and functions inside the store see the packed form.", "", "## Nodes", "",
             "| label | key | properties | indexed | description |", "| --- | --- | --- | --- | --- |"]
    for n in schema.nodes.values():
        props = ", ".join(f"`{p}` {t}" for p, t in n.properties.items())
        indexed = ", ".join(f"`{p}`" for p in ("key", *n.indexes))
        lines.append(f"| `{n.label}` | {n.key} | {props} | {indexed} | {n.description} |")
    lines += ["", "## Relationships", "", "| type | from | to | key | properties | description |",
              "| --- | --- | --- | --- | --- | --- |"]
    for r in schema.relationships.values():
        props = ", ".join(f"`{p}` {t}" for p, t in r.properties.items()) or "-"
        lines.append(f"| `{r.type}` | `{r.start}` | `{r.end}` | {r.key or '-'} | {props} | {r.description} |")
    return "\n".join(lines) + "\n"
