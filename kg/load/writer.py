"""Write the graph model to a store in batches.

Every write is a batched ``UNWIND $rows AS row MERGE ... SET ...`` keyed on ``key``, so loading
the same data twice changes nothing; list properties (``sources``, ``names``, ``aliases``) grow by
union, so a second listing adds its provenance to the nodes and relationships an earlier one made
(``sources`` is one string in the store, see ``kg.schema.SOURCE_SEPARATOR``; the embedded store
keeps abstracts deflated, see ``kg.store.packing``).
One difference between the stores: on FalkorDB a relationship statement finds its two nodes by the
internal ids that writing the nodes returned, not by key (see ``kg.statements.write._ends``).
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from kg.build import GraphData, RelId
from kg.gc_pause import collector_paused
from kg.resolve.papers import merge_paper_fields
from kg.schema import graph_schema, stored_sources
from kg.statements.write import (
    LIST_PROPERTIES,
    LIST_TYPE_NAME,
    SOURCES_WRITTEN_AS_LISTS,
    create_statement,
    held_papers_statement,
    held_statement,
    id_statement,
    node_create_statement,
    node_statement,
    paper_of,
    rel_statement,
    sources_upgrade_statements,
)
from kg.store import Store
from kg.store.packing import pack

T = TypeVar("T")
DEFAULT_BATCH_SIZE = 2000


@dataclass(slots=True)
class LoadStats:
    """Rows written per label and relationship type, the number of statements sent, and the
    papers the store held already (stated by another listing loaded before)."""

    rows: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    papers_held: set[str] = field(default_factory=set)


def batches(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """``rows`` in lists of ``size`` (the last one shorter), taken as they come: a generator's rows
    are never all held at once."""
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def node_rows(label: str, nodes: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The parameter rows of ``node_statement(label)``."""
    properties = graph_schema().nodes[label].properties
    lists = [p for p in LIST_PROPERTIES if p in properties]
    # a node with ``names`` gets its name on creation only, one with ``named_on`` when it is the later
    # name (see node_statement), so these travel apart from props
    named = ("name", "named_on") if "named_on" in properties else ("name",) if "names" in lists else ()
    apart = (*LIST_PROPERTIES, *named)
    return [{"key": key, **{p: props.get(p) for p in named},
             "props": {k: v for k, v in props.items() if k not in apart},
             **{p: stored_sources(props.get(p, ())) if p == "sources" else list(props.get(p, [])) for p in lists}}
            for key, props in nodes.items()]


def rel_rows(rel_type: str, rels: Mapping[RelId, dict[str, Any]],
             ids: Mapping[str, Mapping[str, int]] | None = None) -> list[dict[str, Any]]:
    """The parameter rows of ``rel_statement(rel_type)`` and ``create_statement(rel_type)``, or,
    given the node ids by label and key, of their ``by_id`` forms (a relationship with an end the
    store does not hold gets no row: found by key it would not be written either)."""
    rel = graph_schema().relationships[rel_type]
    # the paper of a relationship told apart by it travels once, as the row's key
    apart = ("sources", "paper") if rel.by_paper else ("sources",)
    if ids is None:
        return [{"start": start, "end": end, "key": key,
                 "props": {k: v for k, v in props.items() if k not in apart},
                 "sources": stored_sources(props["sources"])}
                for (start, end, key), props in rels.items()]
    starts, ends = ids.get(rel.start, {}), ids.get(rel.end, {})
    rows = []
    for (start, end, key), props in rels.items():
        a, b = starts.get(start), ends.get(end)
        if a is not None and b is not None:
            rows.append({"a": a, "b": b, "key": key, "props": {k: v for k, v in props.items() if k not in apart},
                         "sources": stored_sources(props["sources"])})
    return rows


@collector_paused()
def load(store: Store, graph: GraphData, *, batch_size: int = DEFAULT_BATCH_SIZE,
         on_batch: Callable[[str, int], None] | None = None, by_id: bool | None = None,
         merge: bool = False) -> LoadStats:
    """Write ``graph`` to ``store``: nodes label by label, then relationships type by type.

    A paper the store did not hold before this load, and a relationship of one, cannot be there
    yet, so they are created outright; only the others are merged (looked for first, their sources
    joined).
    In a first build that is nearly every relationship, and creating one costs the store about
    half of merging one between two well-connected nodes.

    Args:
        store: an open store (its schema already ensured).
        graph: what ``kg.build.build_graph`` made.
        batch_size: rows per statement.
        on_batch: called with (label or type, rows) after each statement, e.g. for a progress bar.
        by_id: find the ends of relationships by internal node id (see ``_ends``); by default on
            FalkorDB only.
        merge: merge every relationship, none created outright (for relationships that may be in the
            store already though their papers are not in ``graph``).
    """
    stats = LoadStats()
    schema = graph_schema()
    upgrade_sources(store)
    if by_id is None:
        by_id = store.dialect == "falkordb"
    held = stats.papers_held = held_keys(store, "Paper", graph.nodes.get("Paper", {}), batch_size=batch_size)
    _fold_held_papers(store, graph.nodes.get("Paper", {}), held, batch_size)
    ids: dict[str, dict[str, int]] = {label: {} for label in schema.nodes}

    def keep_ids(label: str, rows: list[dict[str, Any]]) -> None:
        ids[label].update((row["key"], row["id"]) for row in rows)

    nodes = []
    for label in schema.nodes:
        rows = node_rows(label, graph.nodes.get(label, {}))
        if label == "Paper" and store.packs_abstracts:
            for row in rows:
                if row["props"].get("abstract"):
                    row["props"]["abstract"] = pack(row["props"]["abstract"])
        if label == "Paper":  # the papers the store did not hold before this load are created outright
            nodes.append((label, node_create_statement(label, ids=by_id), [r for r in rows if r["key"] not in held]))
            rows = [r for r in rows if r["key"] in held]
        nodes.append((label, node_statement(label, ids=by_id), rows))
    _write(store, nodes, stats, batch_size, on_batch, keep_ids)
    if by_id:
        _ids_of_other_ends(store, graph, ids, batch_size)
    ends = ids if by_id else None
    work = []
    for rel_type in schema.relationships:
        rels = graph.rels.get(rel_type, {})
        paper = paper_of(rel_type)
        new = {} if paper is None or merge else {rel: props for rel, props in rels.items() if paper(rel) not in held}
        work.append((rel_type, create_statement(rel_type, by_id=by_id), rel_rows(rel_type, new, ends)))
        work.append((rel_type, rel_statement(rel_type, by_id=by_id),
                     rel_rows(rel_type, {r: p for r, p in rels.items() if r not in new}, ends)))
    _write(store, work, stats, batch_size, on_batch)
    return stats


def upgrade_sources(store: Store, batch_size: int = 500_000) -> int:
    """Rewrite the ``sources`` a kg before kept as lists into the one string kg keeps now
    (``kg.schema.SOURCE_SEPARATOR``), before anything is written to or removed from such a graph;
    returns how many nodes and relationships it rewrote (none for a graph of this kg).

    Each statement looks from the start for what is still a list, so the batches are large: a
    statement passes over the ones done before it.
    """
    rows = store.run(SOURCES_WRITTEN_AS_LISTS)
    if not rows or not isinstance(rows[0]["sources"], list):
        return 0
    # once per graph, but minutes at a million papers, before the build's own progress shows
    print("kg: rewriting where each part of the graph came from as one string, as this kg keeps it "
          "(once; a graph of a million papers takes minutes)", file=sys.stderr, flush=True)
    rewritten = 0
    for statement in sources_upgrade_statements(store.dialect):
        while done := store.run(statement, {"batch": batch_size, "kind": LIST_TYPE_NAME[store.dialect]},
                                write=True)[0]["rewritten"]:
            rewritten += done
    return rewritten


def _fold_held_papers(store: Store, papers: Mapping[str, dict[str, Any]], held: set[str], batch_size: int) -> None:
    """A paper the store holds from another listing gets the fields both give, by the rules that
    fold two listings of one paper (``kg.resolve.papers.PAPER_FIELDS``), not the last one's."""
    for keys in batches(sorted(held & papers.keys()), batch_size):
        for row in store.run(held_papers_statement(), {"keys": keys}):
            merge_paper_fields(papers[row.pop("key")], row)


def _write(store: Store, work: Sequence[tuple[str, str, list[dict[str, Any]]]], stats: LoadStats, batch_size: int,
           on_batch: Callable[[str, int], None] | None,
           on_rows: Callable[[str, list[dict[str, Any]]], None] = lambda _name, _rows: None) -> None:
    """Write (label or type, statement, rows) in statements of ``batch_size`` rows, counting them in
    ``stats``, giving ``on_rows`` what each returns."""
    sent: deque[tuple[str, int]] = deque()  # (label or type, rows) of the statements not yet done

    def statements() -> Iterator[tuple[str, dict[str, Any]]]:
        for name, statement, rows in work:
            for batch in batches(rows, batch_size):
                sent.append((name, len(batch)))
                yield statement, {"rows": batch}

    def written(returned: list[dict[str, Any]]) -> None:
        name, rows = sent.popleft()
        stats.statements += 1
        stats.rows[name] = stats.rows.get(name, 0) + rows
        on_rows(name, returned)
        if on_batch is not None:
            on_batch(name, rows)

    store.write_all(statements(), written)


def _ids_of_other_ends(store: Store, graph: GraphData, ids: dict[str, dict[str, int]], batch_size: int) -> None:
    """Add to ``ids`` the nodes that relationships of ``graph`` end at but ``graph`` has no node
    for (``kg.build`` gives every end a node, so normally there are none)."""
    schema = graph_schema()
    missing: dict[str, set[str]] = {}
    for rel_type, rels in graph.rels.items():
        rel = schema.relationships[rel_type]
        for start, end, _key in rels:
            if start not in ids[rel.start]:
                missing.setdefault(rel.start, set()).add(start)
            if end not in ids[rel.end]:
                missing.setdefault(rel.end, set()).add(end)
    for label, keys in missing.items():
        for batch in batches(sorted(keys), batch_size):
            ids[label].update((row["key"], row["id"]) for row in store.run(id_statement(label), {"keys": batch}))


def held_keys(store: Store, label: str, keys: Iterable[str], *,
              batch_size: int = DEFAULT_BATCH_SIZE) -> set[str]:
    """Which of these keys the store holds ``label`` nodes for (the papers a load finds already
    there, the listings a build replaces)."""
    keys = list(dict.fromkeys(keys))
    return {row["key"] for batch in batches(keys, batch_size)
            for row in store.run(held_statement(label), {"keys": batch})}
