"""The Cypher that takes a listing out of the graph (``kg.load.remove``): its sources taken off
every relationship and node, what has none left deleted, and the nodes left holding nothing swept."""

from __future__ import annotations

from functools import cache

from kg.schema import graph_schema
from kg.statements.write import SEPARATOR

# Labels whose nodes exist only while a relationship holds them.
HELD_LABELS = ("Author", "Method", "Dataset", "Organization", "Category", "Repository")

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


def _stripped(var: str) -> str:
    """``var``'s sources without the listing's (``$prefix``), null when none is left: they are one
    string in the store (``kg.schema.SOURCE_SEPARATOR``)."""
    return (f"reduce(s = null, x IN split({var}.sources, {SEPARATOR}) | CASE WHEN x STARTS WITH $prefix THEN s "
            f"WHEN s IS NULL THEN x ELSE s + {SEPARATOR} + x END)")


# Taking the listing's sources off and deleting what has none left are two statements: FalkorDB
# 4.16 silently drops both the SET and the DELETE when one query does SET, WITH ... WHERE, DELETE.
REMOVE_STATEMENTS = {
    "papers": "MATCH (:Listing {key: $listing})<-[:LISTED_IN]-(p:Paper)\nRETURN p.key AS paper",
    **{f"{name}.strip": f"{match}\nWITH DISTINCT r\nSET r.sources = {_stripped('r')}"
       for name, match in _REL_PATTERNS.items()},
    **{f"{name}.drop": f"{match}\nWITH DISTINCT r WHERE r.sources IS NULL\nDELETE r"
       for name, match in _REL_PATTERNS.items()},
    **{f"{name}.strip": f"{match}\nSET n.sources = {_stripped('n')}" for name, match in _NODE_PATTERNS.items()},
    **{f"{name}.drop": f"{match}\nWITH n WHERE n.sources IS NULL\nDETACH DELETE n"
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
