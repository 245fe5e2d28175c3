"""The authors' summaries as the rules of the Author node (schemas/graph.json) give them, worked
out with networkx from the relationships in a store, for tests to hold what kg wrote against."""

from __future__ import annotations

from typing import Any


def stored_summaries(store: Any) -> dict[str, dict[str, Any]]:
    """Each author's summary fields as the store holds them."""
    from kg.statements.settle import SUMMARY_FIELDS

    return {r["key"]: {f: r[f] for f in SUMMARY_FIELDS} for r in store.run(
        "MATCH (a:Author) RETURN a.key AS key, " + ", ".join(f"a.{f} AS {f}" for f in SUMMARY_FIELDS))}


def expected_summaries(store: Any) -> dict[str, dict[str, Any]]:
    """Each author's summary fields from the co-author graph and the papers: communities named by
    their smallest key, ranks by counts, then names and keys (``RANKED`` and ``SHOWN_MEMBERS`` as
    ``kg.load.summaries`` has them when called)."""
    import networkx as nx

    from kg.load import summaries

    names = {r["key"]: r["name"] for r in store.run("MATCH (a:Author) RETURN a.key AS key, a.name AS name")}
    G: nx.Graph[str] = nx.Graph()
    G.add_nodes_from(names)
    G.add_edges_from((r["a"], r["b"]) for r in store.run(
        "MATCH (a:Author)-[:CO_AUTHOR]->(b:Author) RETURN a.key AS a, b.key AS b"))
    papers = {r["key"]: r["papers"] for r in store.run(
        "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.key AS key, count(DISTINCT p) AS papers")}
    expected = {k: {"community": None, "community_size": None, "community_rank": None, "coauthors": G.degree(k),
                    "papers": papers.get(k, 0), "collaboration_rank": None} for k in names}
    communities = sorted((sorted(c) for c in nx.connected_components(G)), key=lambda c: (-len(c), c[0]))
    for rank, members in enumerate(communities, 1):
        for k in members:
            expected[k]["community"] = members[0]
        shown = sorted(members, key=lambda k: (-expected[k]["papers"], names[k] or "", k))[:summaries.SHOWN_MEMBERS]
        for k in shown if rank <= summaries.RANKED else []:
            expected[k].update(community_rank=rank, community_size=len(members))
    collaborative = sorted((k for k in names if G.degree(k)),
                           key=lambda k: (-G.degree(k), -expected[k]["papers"], names[k] or "", k))
    for rank, k in enumerate(collaborative[:summaries.RANKED], 1):
        expected[k]["collaboration_rank"] = rank
    return expected
