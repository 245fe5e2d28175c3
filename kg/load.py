"""Write the graph model to a store, remove a listing's contribution, count what is there.

One set of Cypher statements serves both stores. Every write is a batched
``UNWIND $rows AS row MERGE ... SET ...`` keyed on ``key``, so loading the same data twice
changes nothing; list properties (``sources``, ``names``, ``aliases``) grow by union, so a second
listing adds its provenance to the nodes and relationships an earlier one made. Labels and
relationship types in the text come only from the graph model (``kg.schema``); values only ever
travel as parameters. One difference: on FalkorDB a relationship statement finds its two nodes by
the internal ids that writing the nodes returned, not by key (see ``_ends``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from kg.build import GraphData, RelId
from kg.collector import collector_paused
from kg.resolve import PAPER_FIELDS, merge_paper_fields
from kg.schema import RelType, graph_schema
from kg.store import Store

if TYPE_CHECKING:
    from kg.thesaurus import Thesaurus

T = TypeVar("T")
DEFAULT_BATCH_SIZE = 2000
# The keys of the parameter rows (row.start, row.props...), besides the model's property keys.
ROW_KEYS = ("start", "end", "props", "name", "a", "b")
LIST_PROPERTIES = ("sources", "names", "aliases")
# Labels whose nodes exist only while a relationship holds them.
HELD_LABELS = ("Author", "Method", "Dataset", "Organization", "Category", "Repository")
HELD_LOOKUPS = ("Paper", "Listing", "Method", "Dataset")  # labels whose keys held_keys is asked about


def _union_sets(var: str, props: Iterable[str]) -> str:
    return "".join(f"\nSET {var}.{p} = coalesce({var}.{p}, []) + [x IN row.{p} WHERE NOT x IN coalesce({var}.{p}, [])]"
                   for p in props)


@cache
def node_statement(label: str, *, ids: bool = False) -> str:
    """The batched MERGE of ``label`` nodes; rows are ``{key, props, <list properties>}``. With
    ``ids``, it returns each node's key and internal id (for ``_ends``).

    A node with ``names`` (Method, Dataset) keeps the display name it was created with; a later
    listing's spelling only adds to ``names`` and ``aliases``.
    """
    node = graph_schema().nodes[graph_schema().label(label)]
    lists = [p for p in LIST_PROPERTIES if p in node.properties]
    name = "\nON CREATE SET n.name = row.name" if "names" in lists else ""
    return (f"UNWIND $rows AS row\nMERGE (n:{label} {{key: row.key}}){name}\nSET n += row.props"
            + _union_sets("n", lists) + ("\nRETURN row.key AS key, id(n) AS id" if ids else ""))


@cache
def node_create_statement(label: str, *, ids: bool = False) -> str:
    """The batched CREATE of ``label`` nodes the store cannot hold yet (see ``load``); rows as for
    ``node_statement``. The properties are written in the CREATE itself, as ``create_statement``
    writes a relationship's: a MERGE looks the key up in the index first, and its ``SET`` joins each
    list to one that is not there. In a first build of 100,000 papers, merging them took 3.2 s of
    the store's 24.9 s; creating them takes 2.1 s."""
    node = graph_schema().nodes[graph_schema().label(label)]
    values = {"key": "row.key", **{p: f"row.{p}" for p in LIST_PROPERTIES if p in node.properties},
              **({"name": "row.name"} if "names" in node.properties else {})}
    values.update((p, f"row.props.{p}") for p in node.properties if p not in values)
    fields = ", ".join(f"{p}: {value}" for p, value in values.items())
    return (f"UNWIND $rows AS row\nCREATE (n:{label} {{{fields}}})"
            + ("\nRETURN row.key AS key, id(n) AS id" if ids else ""))


def _ends(rel: RelType, by_id: bool) -> str:
    """How a relationship statement finds its two nodes: by key (rows ``{start, end}``), or by the
    internal ids that writing them returned (rows ``{a, b}``).

    FalkorDB finds a node by id with a seek, and by key through its index, at several times the
    cost and the more the bigger the graph. 100,000 pairs found, in the server's time: by key 0.46 s
    in a graph of 100,000 papers and 0.61 s in one of a million; by id 0.13 s in both, 0.17-0.20 s
    with the label checked, as here. Finding both ends is most of what writing a relationship costs
    it. The id has to be a plain variable for FalkorDB to seek it (``id(a) = row.a`` scans every
    node). Neo4j gets keys: ``id()`` is deprecated there, and its ids may be reused once a node is
    deleted.
    """
    if by_id:
        return (f"WITH row, row.a AS a_id, row.b AS b_id\nMATCH (a:{rel.start}) WHERE id(a) = a_id\n"
                f"MATCH (b:{rel.end}) WHERE id(b) = b_id\n")
    return f"MATCH (a:{rel.start} {{key: row.start}})\nMATCH (b:{rel.end} {{key: row.end}})\n"


@cache
def rel_statement(rel_type: str, *, by_id: bool = False) -> str:
    """The batched MERGE of ``rel_type`` relationships; rows are ``{start, end, key, props, sources}``
    (``a`` and ``b``, node ids, in place of ``start`` and ``end`` when ``by_id``)."""
    rel = graph_schema().relationships[graph_schema().rel_type(rel_type)]
    # A relationship stores no key of its own (it was an empty string on most and a copy of
    # ``paper`` on the rest: 0.36 GB of a million papers' graph); it is merged on its paper or its ends.
    identity = " {paper: row.key}" if rel.by_paper else ""
    return (f"UNWIND $rows AS row\n{_ends(rel, by_id)}"
            f"MERGE (a)-[r:{rel_type}{identity}]->(b)\nSET r += row.props" + _union_sets("r", ["sources"]))


@cache
def create_statement(rel_type: str, *, by_id: bool = False) -> str:
    """The batched CREATE of ``rel_type`` relationships that cannot exist yet (see ``load``); rows
    as for ``rel_statement``.

    The model's properties are written in the CREATE itself (one a row does not have is null, and
    so not set): a ``SET r += row.props`` after it cost the store a tenth more per relationship.
    """
    rel = graph_schema().relationships[graph_schema().rel_type(rel_type)]
    identity = {"paper": "row.key"} if rel.by_paper else {}  # as ``rel_statement`` merges on it
    values = {**identity, "sources": "row.sources",
              **{name: f"row.props.{name}" for name in rel.properties if name not in identity}}
    fields = ", ".join(f"{p}: {value}" for p, value in values.items())
    return f"UNWIND $rows AS row\n{_ends(rel, by_id)}CREATE (a)-[r:{rel_type} {{{fields}}}]->(b)"


def paper_of(rel_type: str) -> Callable[[RelId], str] | None:
    """Where the paper is in the identity ``(start, end, key)`` of a ``rel_type`` relationship: a
    relationship to or from a paper, or one keyed by the paper that states it (CO_AUTHOR,
    BUILDS_ON); None for one that names no paper (PROFILE_OF)."""
    rel = graph_schema().relationships[rel_type]
    if rel.start == "Paper":
        return itemgetter(0)
    if rel.end == "Paper":
        return itemgetter(1)
    return itemgetter(2) if rel.by_paper else None


# Where a listing's provenance can be: each pattern binds the relationships (r) or nodes (n) to clean.
_REL_PATTERNS = {
    # relationships that name a paper without touching it, found through the paper before its own
    # go: a co-authorship from either end (``kg.build.derived`` keeps each source on one of them)
    "co_authors": "UNWIND $papers AS k\n"
                  "MATCH (:Paper {key: k})<-[:AUTHORED]-(:Author)-[r:CO_AUTHOR {paper: k}]-(:Author)",
    "lineage": "UNWIND $papers AS k\n"
               "MATCH (:Paper {key: k})-[:PROPOSES]->(:Method)-[r:BUILDS_ON|COMPARED_WITH {paper: k}]->(:Method)",
    "paper_rels": "UNWIND $papers AS k\nMATCH (:Paper {key: k})-[r]-()",
    "listing_rels": "MATCH (:Listing {key: $listing})-[r]-()",
}
_NODE_PATTERNS = {
    "paper_nodes": "UNWIND $papers AS k\nMATCH (n:Paper {key: k})",
    "listing_node": "MATCH (n:Listing {key: $listing})",
}
# Taking the listing's sources off and deleting what has none left are two statements: FalkorDB
# 4.16 silently drops both the SET and the DELETE when one query does SET, WITH ... WHERE, DELETE.
REMOVE_STATEMENTS = {
    "papers": "MATCH (:Listing {key: $listing})<-[:LISTED_IN]-(p:Paper)\nRETURN p.key AS paper",
    **{f"{name}.strip": f"{match}\nWITH DISTINCT r\nSET r.sources = [s IN r.sources WHERE NOT s STARTS WITH $prefix]"
       for name, match in _REL_PATTERNS.items()},
    **{f"{name}.drop": f"{match}\nWITH DISTINCT r WHERE size(r.sources) = 0\nDELETE r"
       for name, match in _REL_PATTERNS.items()},
    **{f"{name}.strip": f"{match}\nSET n.sources = [s IN n.sources WHERE NOT s STARTS WITH $prefix]"
       for name, match in _NODE_PATTERNS.items()},
    **{f"{name}.drop": f"{match}\nWITH n WHERE size(n.sources) = 0\nDETACH DELETE n"
       for name, match in _NODE_PATTERNS.items()},
}


# The nodes a removal can leave with no relationship: the neighbours of the listing's papers (their
# authors, methods, ...), the methods their lineage points to, and the listing's own neighbours.
# They are looked at, not every node of their labels: that took 3 minutes at a million papers
# (83 s for the authors alone) to remove one listing. They are kept on the Listing node until
# swept, which is the last step before the node goes, so a removal cut short is finished by the next.
SWEEP_STATEMENTS = {
    "neighbours": "UNWIND $papers AS k\nMATCH (:Paper {key: k})--(n)\nRETURN DISTINCT labels(n)[0] AS label, "
                  "n.key AS key",
    "lineage": "UNWIND $papers AS k\n"
               "MATCH (:Paper {key: k})-[:PROPOSES]->(:Method)-[:BUILDS_ON|COMPARED_WITH {paper: k}]->(m:Method)\n"
               "RETURN DISTINCT labels(m)[0] AS label, m.key AS key",
    "listing": "MATCH (:Listing {key: $listing})--(n)\nRETURN DISTINCT labels(n)[0] AS label, n.key AS key",
    "kept": "MATCH (l:Listing {key: $listing})\nRETURN l.sweep AS sweep",
    "keep": "MATCH (l:Listing {key: $listing})\nSET l.sweep = $sweep",
}


@cache
def orphan_statement(label: str) -> str:
    """Delete the ``label`` nodes among ``$keys`` that no relationship holds any more."""
    # a pattern predicate stops at the first relationship where a count reads them all: 0.23 s
    # against 14.9 s for a listing's 122 methods at a million papers, some in 100,000 papers each
    return f"UNWIND $keys AS k\nMATCH (n:{graph_schema().label(label)} {{key: k}})\nWHERE NOT (n)--()\nDELETE n"


@cache
def count_statement(name: str) -> str:
    """Count the nodes of a label or the relationships of a type."""
    schema = graph_schema()
    if name in schema.nodes:
        return f"MATCH (n:{name}) RETURN count(n) AS count"
    return f"MATCH ()-[r:{schema.rel_type(name)}]->() RETURN count(r) AS count"


SUMMARY_FIELDS = ("community", "community_size", "community_rank", "coauthors", "papers", "collaboration_rank")
COMMUNITY_STATEMENTS = {
    "keys": "MATCH (a:Author)\nRETURN a.key AS key",
    # the three reads below are asked for a page of author keys at a time
    "authors": "UNWIND $keys AS k\nMATCH (a:Author {key: k})\nRETURN a.key AS key, a.name AS name, "
               + ", ".join(f"a.{f} AS {f}" for f in SUMMARY_FIELDS),
    "edges": "UNWIND $keys AS k\nMATCH (a:Author {key: k})-[:CO_AUTHOR]->(b:Author)\nWHERE a.key < b.key\n"
             "RETURN DISTINCT a.key AS a, b.key AS b",
    # one AUTHORED per author and paper (it is merged on the pair), so no DISTINCT (a quarter faster)
    "papers": "UNWIND $keys AS k\nMATCH (a:Author {key: k})-[:AUTHORED]->(p:Paper)\n"
              "RETURN a.key AS key, count(p) AS papers",
    "write": "UNWIND $rows AS row\nMATCH (a:Author {key: row.key})\n"
             + "SET " + ", ".join(f"a.{f} = row.{f}" for f in SUMMARY_FIELDS),
}
# Resolving a name over the whole graph (``kg.people``): each occurrence of the names in $names,
# with what ties it to the others (the paper's authors, affiliations and profile pages), then the
# relationships of the people it rewrites, then taking away those the new split does not keep.
PEOPLE_STATEMENTS = {
    "papers": "UNWIND $names AS n\nMATCH (:Author {name_key: n})-[:AUTHORED]->(p:Paper)\n"
              "RETURN n AS name_key, collect(p.key) AS papers",
    "occurrences": "UNWIND $papers AS k\nMATCH (a:Author)-[r:AUTHORED]->(p:Paper {key: k})\n"
                   "RETURN k AS paper, p.title AS title, p.date AS date, a.key AS person, a.name AS name, "
                   "a.name_key AS name_key, a.confidence AS confidence, r.position AS position, r.listed AS listed, "
                   "r.sources AS sources",
    "coauthors": "UNWIND $names AS n\nMATCH (:Author {name_key: n})-[:AUTHORED]->(:Paper)<-[:AUTHORED]-(b:Author)\n"
                 "RETURN n AS name_key, collect(DISTINCT b.name_key) AS coauthors",
    "affiliations": "UNWIND $papers AS k\nMATCH (:Paper {key: k})-[:AFFILIATED_WITH]->(o:Organization)\n"
                    "RETURN k AS paper, o.key AS organization",
    # the owner is filtered here, not in the store: ``WHERE l.owner IS NOT NULL`` made it 13 times slower
    "pages": "UNWIND $papers AS k\nMATCH (:Paper {key: k})-[:LISTED_IN]->(l:Listing)\n"
             "RETURN k AS paper, l.key AS listing, l.owner AS owner, l.layout AS layout",
    "co_authors": "UNWIND $keys AS k\nMATCH (a:Author {key: k})-[r:CO_AUTHOR]-(b:Author)\n"
                  "RETURN startNode(r).key AS start, endNode(r).key AS end, r.paper AS paper, r.sources AS sources",
    "profiles": "UNWIND $keys AS k\nMATCH (l:Listing)-[r:PROFILE_OF]->(:Author {key: k})\n"
                "RETURN l.key AS listing, k AS person, r.sources AS sources",
    # ``WITH DISTINCT r`` before DELETE, as REMOVE_STATEMENTS do: FalkorDB deletes a batch several times faster so
    "drop_authored": "UNWIND $rows AS row\nMATCH (:Author {key: row.start})-[r:AUTHORED]->(:Paper {key: row.end})\n"
                     "WITH DISTINCT r\nDELETE r",
    "drop_co_authors": "UNWIND $rows AS row\n"
                       "MATCH (:Author {key: row.start})-[r:CO_AUTHOR {paper: row.paper}]->(:Author {key: row.end})\n"
                       "WITH DISTINCT r\nDELETE r",
    "drop_profiles": "UNWIND $rows AS row\nMATCH (:Listing {key: row.start})-[r:PROFILE_OF]->(:Author {key: row.end})\n"
                     "WITH DISTINCT r\nDELETE r",
    # the Author nodes a rewrite leaves behind: every relationship they have is written anew elsewhere
    "drop_people": "UNWIND $keys AS k\nMATCH (a:Author {key: k})\nDETACH DELETE a",
}
RANKED = 1_000  # authors given a collaboration_rank, communities given a community_rank
SHOWN_MEMBERS = 50  # members of a ranked community that carry its rank
SUMMARY_PAGE = 20_000  # authors whose rows, co-author pairs and paper counts are read at once

LISTING_PATHS_STATEMENT = "MATCH (l:Listing)\nRETURN l.key AS key, l.path AS path"
ANY_PAPER_STATEMENT = "MATCH (p:Paper)\nRETURN p.key AS key\nLIMIT 1"


def listing_paths(store: Store) -> dict[str, str | None]:
    """Every listing in the store: name -> the full path it was read from (None for one loaded by
    a kg that did not record it)."""
    return {row["key"]: row["path"] for row in store.run(LISTING_PATHS_STATEMENT)}


KNOWN_NAMES_STATEMENT = {label: f"MATCH (n:{label}) RETURN n.key AS key, n.names AS names"
                         for label in ("Method", "Dataset")}


@cache
def held_statement(label: str) -> str:
    """Which of the keys in ``$keys`` the store has ``label`` nodes for."""
    return f"UNWIND $keys AS k\nMATCH (n:{graph_schema().label(label)} {{key: k}})\nRETURN n.key AS key"


@cache
def id_statement(label: str) -> str:
    """The internal ids of the ``label`` nodes with the keys in ``$keys`` (for ``_ends``)."""
    return held_statement(label) + ", id(n) AS id"


def falkordb_statements() -> list[str]:
    """The Cypher texts the loader sends to FalkorDB only: those that use internal node ids (``_ends``)."""
    schema = graph_schema()
    return [*(node_statement(label, ids=True) for label in schema.nodes), node_create_statement("Paper", ids=True),
            *(rel_statement(t, by_id=True) for t in schema.relationships),
            *(create_statement(t, by_id=True) for t in schema.relationships),
            *(id_statement(label) for label in schema.nodes)]


def all_statements() -> list[str]:
    """Every other Cypher text the loader can send (for the linter and the portability checks)."""
    from kg.entities import LABELS, statements

    schema = graph_schema()
    return [*(node_statement(label) for label in schema.nodes), node_create_statement("Paper"),
            *(rel_statement(t) for t in schema.relationships),
            *(create_statement(t) for t in schema.relationships), *(held_statement(label) for label in HELD_LOOKUPS),
            *REMOVE_STATEMENTS.values(), *SWEEP_STATEMENTS.values(),
            *(orphan_statement(label) for label in HELD_LABELS),
            *(count_statement(n) for n in [*schema.nodes, *schema.relationships]),
            LISTING_PATHS_STATEMENT, ANY_PAPER_STATEMENT, *KNOWN_NAMES_STATEMENT.values(),
            *COMMUNITY_STATEMENTS.values(),
            *PEOPLE_STATEMENTS.values(), held_papers_statement(),
            *(text for label in LABELS for text in statements(label).values())]


@dataclass(slots=True)
class LoadStats:
    """Rows written per label and relationship type, the number of statements sent, and the
    papers the store held already (stated by another listing loaded before)."""

    rows: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    papers_held: set[str] = field(default_factory=set)


def _batches(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """``rows`` in lists of ``size`` (the last one shorter), taken as they come: a generator's rows
    are never all held at once."""
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def node_rows(label: str, nodes: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The parameter rows of ``node_statement(label)``."""
    lists = [p for p in LIST_PROPERTIES if p in graph_schema().nodes[label].properties]
    # a node with ``names`` gets its name on creation only (see node_statement), so apart from props
    apart = (*LIST_PROPERTIES, "name") if "names" in lists else LIST_PROPERTIES
    return [{"key": key, **({"name": props["name"]} if "names" in lists else {}),
             "props": {k: v for k, v in props.items() if k not in apart},
             **{p: list(props.get(p, [])) for p in lists}} for key, props in nodes.items()]


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
                 "props": {k: v for k, v in props.items() if k not in apart}, "sources": props["sources"]}
                for (start, end, key), props in rels.items()]
    starts, ends = ids.get(rel.start, {}), ids.get(rel.end, {})
    rows = []
    for (start, end, key), props in rels.items():
        a, b = starts.get(start), ends.get(end)
        if a is not None and b is not None:
            rows.append({"a": a, "b": b, "key": key, "props": {k: v for k, v in props.items() if k not in apart},
                         "sources": props["sources"]})
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


@cache
def held_papers_statement() -> str:
    """The fields of the papers with the keys in ``$keys`` that two listings' values are folded in."""
    fields = [f for f in PAPER_FIELDS if f in graph_schema().nodes["Paper"].properties]
    return "UNWIND $keys AS k\nMATCH (p:Paper {key: k})\nRETURN " + ", ".join(
        ["p.key AS key", *(f"p.{f} AS {f}" for f in fields)])


def _fold_held_papers(store: Store, papers: Mapping[str, dict[str, Any]], held: set[str], batch_size: int) -> None:
    """A paper the store holds from another listing gets the fields both give, by the rules that
    fold two listings of one paper (``kg.resolve.PAPER_FIELDS``), not the last one's."""
    for keys in _batches(sorted(held & papers.keys()), batch_size):
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
            for batch in _batches(rows, batch_size):
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
        for batch in _batches(sorted(keys), batch_size):
            ids[label].update((row["key"], row["id"]) for row in store.run(id_statement(label), {"keys": batch}))


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
    instead of reading every name back for every batch (at a million papers, every batch read a
    quarter of a million names). Right while nothing else writes to the store: ``kg build`` holds
    an embedded store's write lock.
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


def held_keys(store: Store, label: str, keys: Iterable[str], *,
              batch_size: int = DEFAULT_BATCH_SIZE) -> set[str]:
    """Which of these keys the store holds ``label`` nodes for (the papers a load finds already
    there, the listings a build replaces)."""
    keys = list(dict.fromkeys(keys))
    return {row["key"] for batch in _batches(keys, batch_size)
            for row in store.run(held_statement(label), {"keys": batch})}


def remove_listings(store: Store, listings: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE,
                    communities: bool = True, thesaurus: Thesaurus | None = None,
                    entities: dict[str, set[str]] | None = None) -> set[str]:
    """Delete what only these listings contributed; what other listings also state stays.

    Every relationship loses a listing's sources and goes if none are left; so do the listing's
    papers; then the nodes they held that nothing holds any more (an author of only those papers,
    a method only they named) are deleted, and the listing itself last.

    Args:
        communities: then settle the people of the names the listings had (a paper that joined two
            of them may be gone: ``kg.people``) and the methods and datasets they named (a spelling
            only they used goes: ``kg.entities``), and recompute the authors' summaries. A caller
            about to load, which does all of it anyway, passes False.
        entities: where to add the keys of the Method and Dataset nodes the listings named (label
            -> keys), for a caller that settles them itself.
        thesaurus: the user's word on who is who, for settling the people.

    Returns:
        The name keys of the listings' authors.
    """
    listings = list(listings)
    names: set[str] = set()
    entities = {} if entities is None else entities
    for listing in listings:
        for label, key in _strip_listing(store, listing, batch_size):
            if label == "Author":
                names.add(key.partition("~")[0])  # an Author key is its name key, ~ a tag
            elif label in ("Method", "Dataset"):
                entities.setdefault(label, set()).add(key)
    if communities and listings:
        from kg.entities import Touched, reconcile_entities
        from kg.people import reach_of, reconcile_people

        reconcile_entities(store, Touched(held=entities), batch_size=batch_size)
        reconcile_people(store, reach_of(store, names, batch_size=batch_size), thesaurus, batch_size=batch_size)
        update_communities(store, batch_size=batch_size)
    return names


def remove_listing(store: Store, listing: str, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    """``remove_listings`` of one listing."""
    remove_listings(store, [listing], batch_size=batch_size)


def _strip_listing(store: Store, listing: str, batch_size: int) -> set[tuple[str, str]]:
    """Take ``listing`` out; returns what it held (label, key), as ``_sweep_of``."""
    prefix = listing + ":"
    papers = [row["paper"] for row in store.run(REMOVE_STATEMENTS["papers"], {"listing": listing})]
    sweep = _sweep_of(store, listing, papers, batch_size)
    for name in ("co_authors", "lineage", "paper_rels", "paper_nodes"):
        for batch in _batches(papers, batch_size):
            params = {"papers": batch, "prefix": prefix}
            store.run(REMOVE_STATEMENTS[f"{name}.strip"], params, write=True)
            store.run(REMOVE_STATEMENTS[f"{name}.drop"], params, write=True)
    params = {"listing": listing, "prefix": prefix}
    store.run(REMOVE_STATEMENTS["listing_rels.strip"], params, write=True)
    store.run(REMOVE_STATEMENTS["listing_rels.drop"], params, write=True)
    for label in HELD_LABELS:
        for batch in _batches(sorted(key for held, key in sweep if held == label), batch_size):
            store.run(orphan_statement(label), {"keys": batch}, write=True)
    store.run(REMOVE_STATEMENTS["listing_node.strip"], params, write=True)
    store.run(REMOVE_STATEMENTS["listing_node.drop"], params, write=True)
    return sweep


def _sweep_of(store: Store, listing: str, papers: list[str], batch_size: int) -> set[tuple[str, str]]:
    """The (label, key) of the nodes that removing ``listing`` can leave with no relationship (see
    ``SWEEP_STATEMENTS``), also kept on its node, with those an earlier removal cut short kept there."""
    kept = store.run(SWEEP_STATEMENTS["kept"], {"listing": listing})
    sweep = {(label, key) for label, key in (held.split(":", 1) for held in (kept[0]["sweep"] or [] if kept else []))}
    rows = [row for batch in _batches(papers, batch_size) for name in ("neighbours", "lineage")
            for row in store.run(SWEEP_STATEMENTS[name], {"papers": batch})]
    rows += store.run(SWEEP_STATEMENTS["listing"], {"listing": listing})
    sweep.update((row["label"], row["key"]) for row in rows if row["label"] in HELD_LABELS)
    store.run(SWEEP_STATEMENTS["keep"], {"listing": listing, "sweep": sorted(f"{label}:{key}" for label, key in sweep)},
              write=True)
    return sweep


def graph_counts(store: Store) -> dict[str, dict[str, int]]:
    """Nodes per label and relationships per type, every one of the model's (zeros included)."""
    schema = graph_schema()
    return {"nodes": {label: store.run(count_statement(label))[0]["count"] for label in schema.nodes},
            "relationships": {t: store.run(count_statement(t))[0]["count"] for t in schema.relationships}}


@collector_paused()
def update_communities(store: Store, *, batch_size: int = DEFAULT_BATCH_SIZE, page: int = SUMMARY_PAGE) -> int:
    """Keep every author's summaries up to date (see the Author node in ``schemas/graph.json``).

    Communities are the connected groups of the co-author graph, each named by its smallest author
    key, so the names are the same however the graph was built. Ranks are decided by counts, then
    names and keys, so they are as reproducible. Only authors whose summaries changed are written.

    The authors are read ``page`` keys at a time and kept in columns indexed by their place in key
    order, so memory holds a few numbers and one union-find entry an author, not the whole co-author
    graph as rows (reading it at once took the kg process from 0.9 to 2.2 GB at a million papers).

    Returns:
        The number of authors whose summaries changed.
    """
    import heapq
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor

    from kg.unionfind import UnionFind

    keys = sorted(row["key"] for row in store.run(COMMUNITY_STATEMENTS["keys"]))
    index = {key: i for i, key in enumerate(keys)}
    names = [""] * len(keys)
    current: list[tuple[Any, ...]] = [()] * len(keys)
    coauthors = [0] * len(keys)
    papers = [0] * len(keys)
    uf = UnionFind()  # of the keys in ``keys`` (not the replies' copies): a set's root is its smallest key

    # a page's three reads at once: the store answers one while this process reads the reply of another
    with ThreadPoolExecutor(3, thread_name_prefix="kg-summaries") as pool:
        for page_keys in _batches(keys, page):
            params = {"keys": page_keys}
            reads = [pool.submit(store.run, COMMUNITY_STATEMENTS[name], params)
                     for name in ("authors", "edges", "papers")]
            authors, edges, counts = (read.result() for read in reads)
            for row in authors:
                i = index[row["key"]]
                names[i] = row["name"] or ""
                current[i] = tuple(row[f] for f in SUMMARY_FIELDS)
            for row in edges:
                a, b = index[row["a"]], index[row["b"]]
                coauthors[a] += 1
                coauthors[b] += 1
                uf.union(keys[a], keys[b])
            for row in counts:
                papers[index[row["key"]]] = row["papers"]
            del authors, edges, counts

    community = [index[uf.find(key)] for key in keys]  # the place of each author's community
    size = Counter(community)
    collaborative = heapq.nsmallest(RANKED, (i for i in range(len(keys)) if coauthors[i]),
                                    key=lambda i: (-coauthors[i], -papers[i], names[i], keys[i]))
    collaboration_rank = {i: rank for rank, i in enumerate(collaborative, 1)}
    largest = {c: rank for rank, c in enumerate(heapq.nsmallest(RANKED, size, key=lambda c: (-size[c], c)), 1)}
    members: dict[int, list[int]] = {c: [] for c in largest}
    for i, c in enumerate(community):
        if c in members:
            members[c].append(i)
    community_rank: dict[int, int] = {}
    for c, rank in largest.items():
        for i in heapq.nsmallest(SHOWN_MEMBERS, members[c], key=lambda i: (-papers[i], names[i], keys[i])):
            community_rank[i] = rank
    del members

    def changed_rows() -> Iterator[dict[str, Any]]:
        for i, c in enumerate(community):
            values = (keys[c], size[c], community_rank.get(i), coauthors[i], papers[i], collaboration_rank.get(i))
            if values != current[i]:
                yield {"key": keys[i], **dict(zip(SUMMARY_FIELDS, values, strict=True))}

    changed = 0

    def writes() -> Iterator[tuple[str, dict[str, Any]]]:
        nonlocal changed
        for rows in _batches(changed_rows(), batch_size):
            changed += len(rows)
            yield COMMUNITY_STATEMENTS["write"], {"rows": rows}

    store.write_all(writes())
    return changed
