"""``kg view``: the graph, or the part of it a canned query answers, as one offline HTML page.

The page is ``kg/data/view.html`` drawn by Cytoscape.js, with the libraries (``kg/data/view/``,
MIT, see LICENSES.md there) and the graph inlined: no CDN, no network. It opens on the co-author
network (authors sized by papers, coloured by Louvain community) and has a layered lineage view
of methods (dagre), search, click to expand a node's neighbours, and filters by label.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

import networkx as nx

from kg.build import GraphData
from kg.schema import graph_schema
from kg.use.read import node_id

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


# the order matters: each file uses the ones before it
SCRIPTS = ("cytoscape.min.js", "layout-base.js", "cose-base.js", "cytoscape-fcose.js", "cytoscape-dagre.min.js")


def _display_name(key: str, props: dict[str, Any]) -> str:
    return str(props.get("name") or props.get("title") or key)


def render(graph: GraphData, note: str = "") -> str:
    """The self-contained HTML page of ``graph``."""
    from kg.use.analysis import coauthor_graph
    from kg.use.read import to_networkx

    schema = graph_schema()
    # one line per pair and type, its width the number of relationships it stands for; a
    # co-authorship is stored once per paper and per direction
    merged: dict[tuple[str, str, str], int] = {}
    weight: dict[str, int] = {}
    for t, rels in graph.rels.items():
        r = schema.relationships[t]
        for (s, e, _k) in rels:
            a, b = node_id(r.start, s), node_id(r.end, e)
            if t == "CO_AUTHOR":
                a, b = min(a, b), max(a, b)
            merged[(t, a, b)] = merged.get((t, a, b), 0) + 1
            # size: an author by papers, anything else by the nodes it is linked to
            for end, label in ((a, r.start), (b, r.end)):
                if t == "AUTHORED" or (label != "Author" and t != "CO_AUTHOR"):
                    weight[end] = weight.get(end, 0) + 1
    H = coauthor_graph(to_networkx(graph))
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    found = nx.community.louvain_communities(H, weight="weight", seed=7) if H.number_of_nodes() else []
    community = {n: i for i, c in enumerate(sorted(found, key=lambda c: (-len(c), min(c)))) for n in c}
    nodes = []
    for label, members in graph.nodes.items():
        for key, props in members.items():
            nid = node_id(label, key)
            nodes.append({"id": nid, "label": label, "key": key, "name": _display_name(key, props),
                          "weight": max(1, weight.get(nid, 0)), "community": community.get(nid),
                          "props": {k: v for k, v in props.items() if k != "abstract" and v is not None}})
    links = [{"id": f"{t}:{a}->{b}", "source": a, "target": b, "type": t, "n": n}
             for (t, a, b), n in merged.items()]
    data = {"note": note, "nodes": nodes, "links": links, "rels": sum(map(len, graph.rels.values()))}
    # "</" must not end the inline script early, whatever a title says
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    folder = resources.files("kg.data").joinpath("view")
    scripts = "\n".join(f"<script>{folder.joinpath(name).read_text('utf-8')}</script>" for name in SCRIPTS)
    template = resources.files("kg.data").joinpath("view.html").read_text("utf-8")
    # the graph goes in last, so that no text of it is taken for the other placeholder
    return template.replace("__SCRIPTS__", scripts).replace("__GRAPH__", payload)
