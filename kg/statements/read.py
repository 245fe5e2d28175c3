"""The Cypher that reads for the user beside the canned queries: what a query argument names
(``kg.query.catalogue``), the whole graph (``kg.use.read``), a store emptied, and the arguments
``kg bench`` picks from the graph it measures."""

from __future__ import annotations

from kg.schema import graph_schema

_RETURN = "RETURN n.key AS key, n.name AS name, count(p) AS papers\nORDER BY papers DESC, key\nLIMIT 20"
# Tried in order, the first that finds anything wins: indexed look-ups first, a scan of the
# alias lists only when they find nothing.
LOOKUP_STATEMENTS = {
    "Author": [f"MATCH (n:Author {{key: $key}})\nOPTIONAL MATCH (n)-[:AUTHORED]->(p:Paper)\n{_RETURN}",
               f"MATCH (n:Author {{name_key: $name}})\nOPTIONAL MATCH (n)-[:AUTHORED]->(p:Paper)\n{_RETURN}"],
    "Method": [f"MATCH (n:Method {{key: $name}})\nOPTIONAL MATCH (p:Paper)-[:PROPOSES]->(n)\n{_RETURN}",
               f"MATCH (n:Method)\nWHERE $name IN n.names\nOPTIONAL MATCH (p:Paper)-[:PROPOSES]->(n)\n{_RETURN}"],
    "Dataset": [f"MATCH (n:Dataset {{key: $name}})\nOPTIONAL MATCH (p:Paper)-[:EVALUATED_ON]->(n)\n{_RETURN}",
                f"MATCH (n:Dataset)\nWHERE $name IN n.names\nOPTIONAL MATCH (p:Paper)-[:EVALUATED_ON]->(n)\n{_RETURN}"],
    "Organization": [f"MATCH (n:Organization {{key: $key}})\nOPTIONAL MATCH (p:Paper)-->(n)\n{_RETURN}",
                     f"MATCH (n:Organization)\nWHERE toLower(n.name) = $name\n"
                     f"OPTIONAL MATCH (p:Paper)-->(n)\n{_RETURN}"],
}

# What tells two people of one name apart: their papers, their years, who they write with most;
# which names several people share; and the summaries kg build keeps on each author, a label for
# lists, read by key alone.
PERSON_LABEL_STATEMENTS = {
    "papers": "MATCH (a:Author {key: $key})-[:AUTHORED]->(p:Paper)\n"
              "RETURN count(p) AS papers, min(p.date) AS first, max(p.date) AS last",
    # one CO_AUTHOR relationship per paper the two wrote together, each way: one hop, not two
    "coauthor": "MATCH (:Author {key: $key})-[r:CO_AUTHOR]->(c:Author)\n"
                "RETURN c.name AS name, count(r) AS joint\nORDER BY joint DESC, name\nLIMIT 1",
    "shared": "UNWIND $names AS name\nMATCH (a:Author {name_key: name})\nRETURN name, count(a) AS people",
    "summaries": "UNWIND $keys AS key\nMATCH (a:Author {key: key})\n"
                 "RETURN key, a.papers AS papers, a.coauthors AS coauthors, a.community AS community",
}


def read_nodes_statement(label: str) -> str:
    """Every ``label`` node, its key and properties (``kg.use.read.read_graph``)."""
    return f"MATCH (n:{graph_schema().label(label)})\nRETURN n.key AS key, properties(n) AS props"


def read_rels_statement(rel_type: str) -> str:
    """Every ``rel_type`` relationship, the keys of its ends and its properties."""
    rel = graph_schema().relationships[graph_schema().rel_type(rel_type)]
    return (f"MATCH (a:{rel.start})-[r:{rel_type}]->(b:{rel.end})\n"
            "RETURN a.key AS start, b.key AS end, properties(r) AS props")


CLEAR_STATEMENT = "MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted"

# What ``kg bench`` asks of the graph it measures, to choose the canned queries' arguments
# (``kg.bench.queries``).
BENCH_STATEMENTS = {
    "built_upon": "MATCH (d:Method)-[:BUILDS_ON]->(m:Method) RETURN m.key AS m, d.key AS d",
    "co_authoring": "MATCH (a:Author)-[:CO_AUTHOR]->(:Author) RETURN count(DISTINCT a) AS n",
    # a busy author, not the busiest: synthetic names collide, and the top "author" is thousands of people
    "busy_author": "MATCH (a:Author)-[:CO_AUTHOR]->(b:Author) WITH a, count(b) AS n ORDER BY n DESC, a.key "
                   "SKIP $skip LIMIT 1 RETURN a.key AS k",
    "far_author": "MATCH (a:Author {key: $k})-[:CO_AUTHOR]->()-[:CO_AUTHOR]->(c:Author) WHERE c <> a "
                  "RETURN c.key AS k LIMIT 1",
    "leaf_method": "MATCH (d:Method)-[:BUILDS_ON*2..3]->(:Method {key: $k}) RETURN d.key AS k LIMIT 1",
    "most_compared": "MATCH (m:Method)<-[:COMPARED_WITH]-() RETURN m.key AS k, count(*) AS n ORDER BY n DESC LIMIT 1",
    "busiest_organization": "MATCH (o:Organization)<-[:AFFILIATED_WITH]-() RETURN o.key AS k, count(*) AS n "
                            "ORDER BY n DESC LIMIT 1",
}
