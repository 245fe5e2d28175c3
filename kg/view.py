"""``kg view``: the graph, or the part of it a canned query answers, as one offline HTML page.

The page is ``kg/data/view.html`` with the graph inlined as JSON: no CDN, no network. Nodes are
coloured by label; there is a search box, a properties panel on click, a force layout of
co-authorship and a layered layout of method lineage.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from kg.build import GraphData
from kg.graphio import node_id
from kg.schema import graph_schema

DEFAULT_LIMIT = 1500


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def subgraph(graph: GraphData, rows: list[dict[str, Any]] | None = None, limit: int = DEFAULT_LIMIT) -> GraphData:
    """The nodes a query's rows name (by name, title or key) and the relationships among them;
    without rows, the ``limit`` best-connected nodes."""
    schema = graph_schema()
    degree: dict[tuple[str, str], int] = {}
    for t, rels in graph.rels.items():
        r = schema.relationships[t]
        for start, end, _ in rels:
            degree[(r.start, start)] = degree.get((r.start, start), 0) + 1
            degree[(r.end, end)] = degree.get((r.end, end), 0) + 1
    if rows is not None:
        wanted = set(_strings(rows))
        keep = {(label, key) for label, nodes in graph.nodes.items() for key, props in nodes.items()
                if key in wanted or props.get("name") in wanted or props.get("title") in wanted}
    else:
        everything = [(label, key) for label, nodes in graph.nodes.items() for key in nodes]
        keep = set(sorted(everything, key=lambda n: (-degree.get(n, 0), n))[:limit])
    out = GraphData()
    for label, key in keep:
        out.nodes.setdefault(label, {})[key] = graph.nodes[label][key]
    for t, rels in graph.rels.items():
        r = schema.relationships[t]
        for (start, end, key), props in rels.items():
            if (r.start, start) in keep and (r.end, end) in keep:
                out.rels.setdefault(t, {})[(start, end, key)] = props
    return out


def render(graph: GraphData, note: str = "") -> str:
    """The self-contained HTML page of ``graph``."""
    schema = graph_schema()
    data = {"note": note,
            "nodes": [{"id": node_id(label, key), "label": label, "key": key,
                       "props": {k: v for k, v in props.items() if k != "abstract" and v is not None}}
                      for label, nodes in graph.nodes.items() for key, props in nodes.items()],
            "links": [{"source": node_id(schema.relationships[t].start, s),
                       "target": node_id(schema.relationships[t].end, e), "type": t}
                      for t, rels in graph.rels.items() for (s, e, _k) in rels]}
    # "</" must not end the inline script early, whatever a title says
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    template = resources.files("kg.data").joinpath("view.html").read_text("utf-8")
    return template.replace("__GRAPH__", payload)
