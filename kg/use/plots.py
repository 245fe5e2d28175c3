"""Pictures of the graph (matplotlib, no screen needed): the co-author network of the most
connected authors, the lineage tree of a method, papers per year per category."""

from __future__ import annotations

from collections import Counter
from difflib import get_close_matches
from pathlib import Path

import networkx as nx

from kg.errors import InputError
from kg.use.analysis import coauthor_graph, lineage_graph


def lineage_root(L: nx.DiGraph[str], method: str | None) -> str | None:
    """The node of the method whose lineage tree is drawn: ``method`` (a name or key, any case),
    else the most built-upon; None when nothing builds on anything.

    Raises:
        InputError: ``method`` names no method of the lineage graph (the closest names are offered).
    """
    names = {n: L.nodes[n]["name"] for n in L}
    if method is None:
        return max(L, key=lambda n: (L.in_degree(n), names[n]), default=None)
    wanted = method.casefold()
    root = next((n for n in L if names[n].casefold() == wanted or n.split(":", 1)[1] == wanted), None)
    if root is None:
        folded = {name.casefold(): name for name in sorted(set(names.values()))}
        close = [folded[c] for c in get_close_matches(wanted, list(folded), n=3, cutoff=0.5)]
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise InputError(f"no method called {method!r} has a builds-on relationship{hint}")
    return root


def write_plots(G: nx.MultiDiGraph[str], folder: Path, *, method: str | None = None, top: int = 40) -> list[Path]:
    """Write the PNGs into ``folder``; the paths written.

    Raises:
        InputError: ``method`` names no method with a lineage (before anything is written).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    L = lineage_graph(G)
    root = lineage_root(L, method)
    folder.mkdir(parents=True, exist_ok=True)
    written = []

    H = coauthor_graph(G)
    best = sorted(H, key=lambda n: (-H.degree(n), n))[: max(top, 10)]
    sub = H.subgraph(best)
    fig, ax = plt.subplots(figsize=(11, 9))
    pos = nx.spring_layout(sub, seed=7, k=0.6)
    nx.draw_networkx_edges(sub, pos, ax=ax, alpha=0.3)
    nx.draw_networkx_nodes(sub, pos, ax=ax, node_size=[30 + 15 * sub.degree(n) for n in sub], node_color="#f28e2b")
    nx.draw_networkx_labels(sub, pos, {n: sub.nodes[n]["name"] for n in sub}, ax=ax, font_size=7)
    ax.set_title(f"Co-authors: the {len(best)} most connected authors")
    ax.axis("off")
    written.append(_save(fig, folder / "coauthors.png"))

    names = {n: L.nodes[n]["name"] for n in L}
    fig, ax = plt.subplots(figsize=(11, 8))
    if root is not None:
        tree = L.subgraph({root} | nx.ancestors(L, root))  # what builds on it, transitively
        depth = nx.single_target_shortest_path_length(tree, root)
        layers: dict[int, list[str]] = {}
        for n, d in depth.items():
            layers.setdefault(d, []).append(n)
        layered: dict[str, tuple[float, float]] = {n: (i - len(row) / 2, float(-d)) for d, row in layers.items()
                                                   for i, n in enumerate(sorted(row))}
        nx.draw_networkx_edges(tree, layered, ax=ax, arrows=True, alpha=0.5)
        nx.draw_networkx_nodes(tree, layered, ax=ax, node_color="#76b7b2", node_size=300)
        nx.draw_networkx_labels(tree, layered, {n: names[n] for n in tree}, ax=ax, font_size=8)
        ax.set_title(f"What builds on {names[root]} (arrows point to what a method builds on)")
    else:
        ax.set_title("No builds-on relationships in the graph")
    ax.axis("off")
    written.append(_save(fig, folder / "lineage.png"))

    per: Counter[tuple[str, str]] = Counter()
    for n, d in G.nodes(data=True):
        if d.get("label") == "Paper" and d.get("date"):
            categories = [G.nodes[m].get("name", m) for _, m, e in G.out_edges(n, data=True)
                          if e.get("type") == "IN_CATEGORY"] or ["(none)"]
            for c in categories:
                per[(str(d["date"])[:4], c)] += 1
    fig, ax = plt.subplots(figsize=(11, 6))
    years = sorted({y for y, _ in per})
    cats = [c for c, _ in Counter({c: n for (_, c), n in per.items()}).most_common(8)]
    bottom = [0] * len(years)
    for c in cats:
        values = [per[(y, c)] for y in years]
        ax.bar(years, values, bottom=bottom, label=c)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title("Papers per year per category (papers with a dated year)")
    ax.set_xlabel("year")
    ax.set_ylabel("papers")
    if cats:
        ax.legend()
    written.append(_save(fig, folder / "papers_per_year.png"))
    return written


def _save(fig: object, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    return path
