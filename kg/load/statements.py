"""Every Cypher statement the loader, the removal and the settling of names send.

Labels and relationship types in the text come only from the graph model (``kg.schema``); values
only ever travel as parameters. All of them are linted by Neo4j's own front end
(``tests/test_cypher.py``), as the canned queries in ``queries/`` are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from operator import itemgetter

from kg.build import RelId
from kg.resolve.papers import PAPER_FIELDS
from kg.schema import RelType, graph_schema

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
    list to one that is not there, which costs the store half as much again (docs/performance.md,
    "The figures behind the code")."""
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
    cost and the more the bigger the graph (docs/performance.md, "Finding the nodes of a
    relationship"). Finding both ends is most of what writing a relationship costs it. The id
    has to be a plain variable for FalkorDB to seek it (``id(a) = row.a`` scans every
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
    # A relationship stores no key of its own (it would be an empty string on most and a copy of
    # ``paper`` on the rest, a sizeable share of a big graph); it is merged on its paper or its ends.
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
# They are looked at, not every node of their labels, which took minutes at a million papers to
# remove one listing (docs/performance.md, "The figures behind the code"). They are kept on the
# Listing node until swept, which is the last step before the node goes, so a removal cut short is
# finished by the next.
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
    # a pattern predicate stops at the first relationship, where a count reads them all: a method
    # named in many thousands of papers made the count take seconds
    return f"UNWIND $keys AS k\nMATCH (n:{graph_schema().label(label)} {{key: k}})\nWHERE NOT (n)--()\nDELETE n"


@cache
def count_statement(name: str) -> str:
    """Count the nodes of a label or the relationships of a type."""
    schema = graph_schema()
    if name in schema.nodes:
        return f"MATCH (n:{name}) RETURN count(n) AS count"
    return f"MATCH ()-[r:{schema.rel_type(name)}]->() RETURN count(r) AS count"


SUMMARY_FIELDS = ("community", "community_size", "community_rank", "coauthors", "papers", "collaboration_rank")
SUMMARY_STATEMENTS = {
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
    # the owner is filtered here, not in the store: ``WHERE l.owner IS NOT NULL`` made it an order of
    # magnitude slower
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
LISTING_PATHS_STATEMENT = "MATCH (l:Listing)\nRETURN l.key AS key, l.path AS path"
ANY_PAPER_STATEMENT = "MATCH (p:Paper)\nRETURN p.key AS key\nLIMIT 1"

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
            *SUMMARY_STATEMENTS.values(),
            *PEOPLE_STATEMENTS.values(), held_papers_statement(),
            *(text for label in LABELS for text in statements(label).values())]


@cache
def held_papers_statement() -> str:
    """The fields of the papers with the keys in ``$keys`` that two listings' values are folded in."""
    fields = [f for f in PAPER_FIELDS if f in graph_schema().nodes["Paper"].properties]
    return "UNWIND $keys AS k\nMATCH (p:Paper {key: k})\nRETURN " + ", ".join(
        ["p.key AS key", *(f"p.{f} AS {f}" for f in fields)])
