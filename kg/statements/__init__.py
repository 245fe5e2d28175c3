"""Every Cypher statement kg generates, in one place beside the canned queries of ``queries/``.

The canned queries are text a user reads and runs; these are what kg sends on its own, built from
the graph model (``kg.schema``) so that a label or a property has one spelling. Values only ever
travel as parameters. One module a job:

- ``write``: a batch of the graph model written (``kg.load.writer``), and the look-ups before it;
- ``remove``: a listing taken out (``kg.load.remove``);
- ``settle``: people, methods, datasets and author summaries settled over the whole graph;
- ``read``: query arguments resolved, the whole graph read, a store emptied, bench arguments.

``named_statements`` lists them all by name; ``tests/unit/test_cypher.py`` runs Neo4j's own linter and
the portability check over each, as over the canned queries.
"""

from __future__ import annotations

from kg.schema import graph_schema

__all__ = ["FALKORDB_ONLY", "named_statements"]

# The prefix of the statements only FalkorDB gets: those that find nodes by internal id
# (``write._ends``), which Neo4j deprecates, and those that use FalkorDB's own functions (``intern``,
# ``typeOf``).
FALKORDB_ONLY = "falkordb:"


def named_statements() -> dict[str, str]:
    """Name -> text of every statement kg generates; names starting ``FALKORDB_ONLY`` go to
    FalkorDB alone."""
    from kg.statements import read, remove, settle, write

    schema = graph_schema()
    out: dict[str, str] = {}
    for label in schema.nodes:
        out[f"write: merge {label}"] = write.node_statement(label)
        out[f"{FALKORDB_ONLY} write: merge {label}, returning ids"] = write.node_statement(label, ids=True)
        out[f"{FALKORDB_ONLY} write: ids of {label}"] = write.id_statement(label)
        out[f"write: count {label}"] = write.count_statement(label)
    out["write: create Paper"] = write.node_create_statement("Paper")
    out[f"{FALKORDB_ONLY} write: create Paper, returning ids"] = write.node_create_statement("Paper", ids=True)
    for t in schema.relationships:
        out[f"write: merge {t}"] = write.rel_statement(t)
        out[f"write: create {t}"] = write.create_statement(t)
        out[f"{FALKORDB_ONLY} write: merge {t} by ids"] = write.rel_statement(t, by_id=True)
        out[f"{FALKORDB_ONLY} write: create {t} by ids"] = write.create_statement(t, by_id=True)
        out[f"write: count {t}"] = write.count_statement(t)
    out.update({f"write: held {label}": write.held_statement(label) for label in write.HELD_LOOKUPS})
    out.update({f"write: known names of {label}": text for label, text in write.KNOWN_NAMES_STATEMENT.items()})
    out["write: held papers' fields"] = write.held_papers_statement()
    out["write: listing paths"] = write.LISTING_PATHS_STATEMENT
    out["write: any paper"] = write.ANY_PAPER_STATEMENT
    out["write: sources written as lists"] = write.SOURCES_WRITTEN_AS_LISTS
    for dialect in ("neo4j", "falkordb"):
        prefix = FALKORDB_ONLY if dialect == "falkordb" else ""
        out.update({f"{prefix} write: upgrade sources #{i + 1}": text
                    for i, text in enumerate(write.sources_upgrade_statements(dialect))})
    out.update({f"remove: {name}": text for name, text in remove.REMOVE_STATEMENTS.items()})
    out.update({f"remove: sweep {name}": text for name, text in remove.SWEEP_STATEMENTS.items()})
    out.update({f"remove: orphan {label}": remove.orphan_statement(label) for label in remove.HELD_LABELS})
    out.update({f"settle: people {name}": text for name, text in settle.PEOPLE_STATEMENTS.items()})
    out.update({f"settle: summaries {name}": text for name, text in settle.SUMMARY_STATEMENTS.items()})
    for label in ("Method", "Dataset"):
        out.update({f"settle: {label} {name}": text for name, text in settle.entity_statements(label).items()})
    for label, texts in read.LOOKUP_STATEMENTS.items():
        out.update({f"read: look up {label} #{i + 1}": text for i, text in enumerate(texts)})
    out.update({f"read: person label {name}": text for name, text in read.PERSON_LABEL_STATEMENTS.items()})
    out.update({f"read: all {label}": read.read_nodes_statement(label) for label in schema.nodes})
    out.update({f"read: all {t}": read.read_rels_statement(t) for t in schema.relationships})
    out["read: clear"] = read.CLEAR_STATEMENT
    out.update({f"read: bench {name}": text for name, text in read.BENCH_STATEMENTS.items()})
    return out
