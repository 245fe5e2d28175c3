"""The Cypher that settles what no batch can decide alone, over the whole graph: people
(``kg.people``), methods and datasets (``kg.entities``) and the authors' summaries
(``kg.load.summaries``)."""

from __future__ import annotations

from functools import cache

from kg.schema import graph_schema

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
    # what the local update (``kg.load.communities``) reads and writes, besides the reads above
    "count": "MATCH (a:Author)\nRETURN count(a) AS n",
    "named": "UNWIND $names AS n\nMATCH (a:Author {name_key: n})\nRETURN a.key AS key",
    "due": "MATCH (a:Author)\nWHERE a.summaries_due = true\nRETURN a.key AS key",
    "flag": "UNWIND $keys AS k\nMATCH (a:Author {key: k})\nSET a.summaries_due = true",
    "flag_papers": "UNWIND $papers AS k\nMATCH (a:Author)-[:AUTHORED]->(:Paper {key: k})\nSET a.summaries_due = true",
    # the far end of a co-authorship on the paper, which need not have authored it here: a pair no
    # listing names together has the sources of both authorships (``kg.people.complete_co_authors``)
    "flag_co_authors": "UNWIND $papers AS k\n"
                       "MATCH (:Paper {key: k})<-[:AUTHORED]-(:Author)-[:CO_AUTHOR {paper: k}]-(b:Author)\n"
                       "SET b.summaries_due = true",
    "unflag": "UNWIND $keys AS k\nMATCH (a:Author {key: k})\nSET a.summaries_due = null",
    "neighbours": "UNWIND $keys AS k\nMATCH (a:Author {key: k})-[:CO_AUTHOR]-(b:Author)\n"
                  "RETURN DISTINCT k AS a, b.key AS b",
    "sizes": "UNWIND $communities AS c\nMATCH (a:Author {community: c})\nRETURN c AS community, count(a) AS size",
    "all_sizes": "MATCH (a:Author)\nRETURN a.community AS community, count(a) AS size",
    "smallest": "UNWIND $communities AS c\nMATCH (a:Author {community: c})\nWHERE NOT a.key IN $left\n"
                "RETURN c AS community, min(a.key) AS key",
    "members": "UNWIND $communities AS c\nMATCH (a:Author {community: c})\n"
               "RETURN c AS community, a.key AS key, a.name AS name, a.papers AS papers",
    "shown": "MATCH (a:Author)\nWHERE a.community_rank <= $ranked\nRETURN a.key AS key, a.name AS name, "
             "a.community AS community, a.community_size AS size, a.community_rank AS rank, a.papers AS papers",
    "collaborators": "MATCH (a:Author)\nWHERE a.collaboration_rank <= $ranked\nRETURN a.key AS key, a.name AS name, "
                     "a.coauthors AS coauthors, a.papers AS papers, a.collaboration_rank AS rank",
    "collaborative": "MATCH (a:Author)\nWHERE a.coauthors >= $least\n"
                     "RETURN a.key AS key, a.name AS name, a.coauthors AS coauthors, a.papers AS papers",
    "rename": "UNWIND $rows AS row\nMATCH (a:Author {community: row.old})\nSET a.community = row.new\n"
              "RETURN count(a) AS n",
}


@cache
def summary_write(fields: tuple[str, ...]) -> str:
    """Set ``fields`` (summary fields) of the authors of ``$rows``, each row a key and their values."""
    if not fields or not set(fields) <= set(SUMMARY_FIELDS):
        raise ValueError(f"not summary fields: {fields!r}")
    return ("UNWIND $rows AS row\nMATCH (a:Author {key: row.key})\n"
            + "SET " + ", ".join(f"a.{f} = row.{f}" for f in fields))
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


_USE_TYPES = {"Method": ("PROPOSES", "MENTIONS"), "Dataset": ("INTRODUCES", "EVALUATED_ON")}
LINEAGE = ("BUILDS_ON", "COMPARED_WITH")


@cache
def entity_statements(label: str) -> dict[str, str]:
    """The Cypher that reads and rewrites the ``label`` nodes (Method or Dataset)."""
    label = graph_schema().label(label)
    uses = "|".join(_USE_TYPES[label])
    out = {
        # every node's names and forms, for the groups that can be joined (``kg.entities.components``)
        "all names": f"MATCH (n:{label})\nRETURN n.key AS key, n.names AS names, n.name AS name, n.aliases AS aliases",
        "nodes": f"UNWIND $keys AS k\nMATCH (n:{label} {{key: k}})\n"
                 "RETURN n.key AS key, n.name AS name, n.aliases AS aliases, n.names AS names, n.joins AS joins",
        # the nodes that share a form with those of ``$tokens`` (through the index on ``joins``)
        "joined": f"UNWIND $tokens AS t\nMATCH (n:{label})\nWHERE t IN n.joins\n"
                  "RETURN DISTINCT n.key AS key, n.joins AS joins",
        # a node written by a kg before ``joins``: then the groups are worked out from every node
        "unjoined": f"MATCH (n:{label})\nWHERE n.joins IS NULL\nRETURN n.key AS key\nLIMIT 1",
        "set joins": f"UNWIND $rows AS row\nMATCH (n:{label} {{key: row.key}})\nSET n.joins = row.joins",
        # a group's uses are read without their sources, then those of the groups to rewrite with them
        "uses": f"UNWIND $keys AS k\nMATCH (p:Paper)-[r:{uses}]->(:{label} {{key: k}})\n"
                "RETURN k AS key, p.key AS paper, type(r) AS type, r.role AS role, r.forms AS forms",
        # the same, counted: what decides whether a group needs reading use by use
        "uses counted": f"UNWIND $keys AS k\nMATCH (p:Paper)-[r:{uses}]->(:{label} {{key: k}})\n"
                        "RETURN k AS key, type(r) AS type, r.role AS role, r.forms AS forms, count(p) AS uses",
        # the uses of the papers a build wrote, whose mentions may fold across nodes (``kg.entities._folded``)
        "paper uses": f"UNWIND $papers AS k\nMATCH (:Paper {{key: k}})-[r:{uses}]->(n:{label})\n"
                      "RETURN k AS paper, n.key AS key, type(r) AS type, r.role AS role, r.forms AS forms",
        "use sources": f"UNWIND $keys AS k\nMATCH (p:Paper)-[r:{uses}]->(:{label} {{key: k}})\n"
                       "RETURN k AS key, p.key AS paper, type(r) AS type, r.sources AS sources",
        "write": f"UNWIND $rows AS row\nMERGE (n:{label} {{key: row.key}})\n"
                 "SET n.name = row.name, n.aliases = row.aliases, n.names = row.names, n.joins = row.joins",
        "drop": f"UNWIND $keys AS k\nMATCH (n:{label} {{key: k}})\nDETACH DELETE n",
    }
    for rel_type in _USE_TYPES[label]:
        out[f"drop {rel_type}"] = (f"UNWIND $rows AS row\nMATCH (:Paper {{key: row.paper}})-[r:{rel_type}]->"
                                   f"(:{label} {{key: row.key}})\nWITH DISTINCT r\nDELETE r")
    if label == "Method":
        out["proposing"] = ("UNWIND $papers AS k\nMATCH (:Paper {key: k})-[r:PROPOSES]->(m:Method)\n"
                            "RETURN k AS paper, m.key AS key, r.sources AS sources")
        out["lineage"] = (f"UNWIND $keys AS k\nMATCH (:Method {{key: k}})-[r:{'|'.join(LINEAGE)}]-(:Method)\n"
                          "RETURN DISTINCT startNode(r).key AS start, endNode(r).key AS end, type(r) AS type, "
                          "r.paper AS paper, r.sources AS sources")
        for rel_type in LINEAGE:
            out[f"drop {rel_type}"] = (f"UNWIND $rows AS row\nMATCH (:Method {{key: row.start}})-"
                                       f"[r:{rel_type} {{paper: row.paper}}]->(:Method {{key: row.end}})\n"
                                       "WITH DISTINCT r\nDELETE r")
    return out
