"""Graph analysis with networkx: co-author centrality and communities, the method lineage DAG.

Every function takes the MultiDiGraph of ``kg.use.read.to_networkx`` and returns plain rows, so
the command line prints them and notebooks use them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx


def coauthor_graph(G: nx.MultiDiGraph[str]) -> nx.Graph[str]:
    """Authors joined by an edge per pair that wrote together, weighted by joint papers."""
    H: nx.Graph[str] = nx.Graph()
    H.add_nodes_from((n, {"name": d.get("name", n)}) for n, d in G.nodes(data=True) if d.get("label") == "Author")
    for a, b, d in G.edges(data=True):
        if d.get("type") == "CO_AUTHOR" and a < b:
            weight = H.get_edge_data(a, b, {}).get("weight", 0)
            H.add_edge(a, b, weight=weight + 1)
    return H


def lineage_graph(G: nx.MultiDiGraph[str]) -> nx.DiGraph[str]:
    """Methods, with an edge from each method to what it builds on."""
    H: nx.DiGraph[str] = nx.DiGraph()
    for a, b, d in G.edges(data=True):
        if d.get("type") == "BUILDS_ON":
            H.add_node(a, name=G.nodes[a].get("name", a))
            H.add_node(b, name=G.nodes[b].get("name", b))
            H.add_edge(a, b)
    return H


def centrality(G: nx.MultiDiGraph[str], top: int = 20) -> list[dict[str, Any]]:
    """The most central co-authors: degree (distinct co-authors) and betweenness (normalised)."""
    H = coauthor_graph(G)
    if H.number_of_nodes() == 0:
        return []
    betweenness = nx.betweenness_centrality(H, k=min(500, H.number_of_nodes()), seed=7)
    rows = [{"author": H.nodes[n]["name"], "key": n.split(":", 1)[1], "coauthors": H.degree(n),
             "betweenness": round(betweenness[n], 6)} for n in H]
    rows.sort(key=lambda r: (-r["coauthors"], -r["betweenness"], r["author"]))
    return rows[:top]


def communities(G: nx.MultiDiGraph[str], top: int = 10) -> list[dict[str, Any]]:
    """Louvain communities of the co-author graph (seeded, so the same every run), largest first."""
    H = coauthor_graph(G)
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    if H.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(H, weight="weight", seed=7)
    groups = sorted((sorted(H.nodes[n]["name"] for n in c) for c in found), key=lambda g: (-len(g), g))
    return [{"community": i + 1, "size": len(g), "members": g} for i, g in enumerate(groups[:top])]


@dataclass(slots=True)
class LineageSummary:
    """The method lineage DAG summarised."""

    methods: int
    steps: int
    roots: list[str]  # built upon, building on nothing
    longest_chains: list[list[str]]
    most_built_upon: list[tuple[str, int]]
    cycles: int  # strongly connected groups a chain runs round (kept out of the chains)


def lineage(G: nx.MultiDiGraph[str], top: int = 10) -> LineageSummary:
    """Roots, longest chains and most built-upon methods of the BUILDS_ON graph."""
    H = lineage_graph(G)
    name = nx.get_node_attributes(H, "name")
    cyclic = [c for c in nx.strongly_connected_components(H) if len(c) > 1]
    dag = H.copy()
    for c in cyclic:  # keep one DAG: drop the edges inside each cycle
        dag.remove_edges_from([(a, b) for a in c for b in c if dag.has_edge(a, b)])
    roots = sorted((name[n] for n in dag if dag.out_degree(n) == 0 and dag.in_degree(n) > 0), key=str.casefold)
    chains: list[list[str]] = []
    depth: dict[str, int] = {}
    for n in reversed(list(nx.topological_sort(dag))):  # leaves of "builds on" first: roots get depth 0
        depth[n] = 1 + max((depth[m] for m in dag.successors(n)), default=-1)
    for start in sorted(dag, key=lambda n: (-depth[n], name[n]))[:top]:
        chain, node = [name[start]], start
        while dag.out_degree(node):
            node = max(dag.successors(node), key=lambda m: (depth[m], name[m]))
            chain.append(name[node])
        if len(chain) > 1:
            chains.append(chain)
    built_upon = sorted(((name[n], dag.in_degree(n)) for n in dag if dag.in_degree(n)), key=lambda t: (-t[1], t[0]))
    return LineageSummary(H.number_of_nodes(), H.number_of_edges(), roots, chains, built_upon[:top], len(cyclic))
