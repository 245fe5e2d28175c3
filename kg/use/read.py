"""The graph model in memory, from either store or from records, and as a networkx graph.

``read_graph`` pulls every node and relationship out of a store into ``GraphData`` (the same
model ``kg.build`` makes from records), so every export is a pure function of ``GraphData``
whichever way it was obtained. ``to_networkx`` gives a ``MultiDiGraph``: node ids are
``"Label:key"``, each node has ``label`` and its properties, each edge its ``type`` and
properties, keyed by ``"TYPE:key"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.build import GraphData, build_graph
from kg.gc_pause import collector_paused
from kg.schema import graph_schema, source_list
from kg.statements.read import read_nodes_statement, read_rels_statement

if TYPE_CHECKING:
    import networkx as nx

    from kg.store import Store

def read_graph(store: Store) -> GraphData:
    """Everything in ``store``, as the graph model."""
    schema = graph_schema()
    g = GraphData()
    for label in schema.nodes:
        for row in store.run(read_nodes_statement(label)):
            g.nodes.setdefault(label, {})[row["key"]] = _model_props(row["props"])
    for t, r in schema.relationships.items():
        for row in store.run(read_rels_statement(t)):
            props = _model_props(row["props"])
            g.rels.setdefault(t, {})[(row["start"], row["end"], props.get("paper", "") if r.by_paper else "")] = props
    return g


def _model_props(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A node's or relationship's properties as the model has them: ``sources`` a list (one string
    in the store), no ``key`` (which relationships had in graphs kg loaded before)."""
    props = {k: v for k, v in stored.items() if k != "key"}
    if "sources" in props:
        props["sources"] = source_list(props["sources"])
    return props


@collector_paused()
def graph_of_records(records: Iterable[Mapping[str, Any]]) -> GraphData:
    """The graph model of ``kg extract`` records (JSON), without a store. The papers are taken in
    the order of their files and of the papers in each, whatever order they come in, so the
    records of several shards give the graph of one run over all the files."""
    from kg.records import Records
    from kg.resolve import resolve

    typed = Records.from_json(records)
    papers = sorted(typed.papers, key=lambda p: (p.source.file, p.source.index))
    return build_graph(resolve(papers), sorted(typed.listings, key=lambda listing: listing.file))


def node_id(label: str, key: str) -> str:
    """A node's id outside the store: its label and key."""
    return f"{label}:{key}"


def to_networkx(source: GraphData | Store | Iterable[Mapping[str, Any]] | str | Path) -> nx.MultiDiGraph[str]:
    """A MultiDiGraph with the same nodes, relationships and properties.

    Args:
        source: ``GraphData``, an open store, ``kg extract`` records, or the path of a records file.

    Raises:
        InputError: a records file that cannot be read.
    """
    import networkx as nx

    if isinstance(source, str | Path):
        from kg.reading import read_records

        source = list(read_records(str(source)))
    if isinstance(source, GraphData):
        graph = source
    elif hasattr(source, "run"):
        graph = read_graph(source)  # type: ignore[arg-type]
    else:
        graph = graph_of_records(source)
    schema = graph_schema()
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for label, nodes in graph.nodes.items():
        for key, props in nodes.items():
            G.add_node(node_id(label, key), label=label, key=key, **props)
    for t, rels in graph.rels.items():
        r = schema.relationships[t]
        for (start, end, key), props in rels.items():
            G.add_edge(node_id(r.start, start), node_id(r.end, end), key=f"{t}:{key}", type=t, rel_key=key, **props)
    return G
