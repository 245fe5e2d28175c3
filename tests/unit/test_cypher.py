"""Every Cypher text kg ships, checked without a server: Neo4j's own linter, the portable subset,
parameters, and the schema document generated from the model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from kg.query.catalogue import canned_queries
from kg.query.lint import parameters_of, portability_problems
from kg.schema import graph_schema, schema_markdown, schema_statements
from kg.statements import FALKORDB_ONLY, named_statements
from kg.statements.write import ROW_KEYS, SEPARATOR
from tests.conftest import ROOT

LINT = ROOT / "tests" / "lint"


def shipped_texts() -> dict[str, str]:
    """Name -> Cypher text of everything kg can send: the canned queries, every statement kg
    generates (``kg.statements``), the schema statements."""
    texts = named_statements()
    texts.update({f"queries/{q.name}.cypher": q.text for q in canned_queries().values()})
    for dialect in ("neo4j", "falkordb"):
        texts.update({f"schema {dialect} #{i}": text for i, text in enumerate(schema_statements(dialect))})
    return texts


def lint(texts: dict[str, str]) -> dict[str, list[dict[str, object]]]:
    if not (LINT / "node_modules" / "@neo4j-cypher" / "language-support").exists() or not shutil.which("node"):
        if os.environ.get("KG_REQUIRE_LINT"):
            pytest.fail("the Cypher linter is not installed: run `npm ci --prefix tests/lint`")
        pytest.skip("the Cypher linter is not installed (npm ci --prefix tests/lint)")
    schema = graph_schema()
    payload = {"schema": {"labels": list(schema.nodes), "relationshipTypes": list(schema.relationships),
                          "propertyKeys": [*schema.property_keys, *ROW_KEYS]},
               "texts": [{"name": name, "text": text, "parameters": {p: None for p in parameters_of(text)}}
                         for name, text in texts.items()]}
    out = subprocess.run(["node", str(LINT / "lint.cjs")], input=json.dumps(payload), capture_output=True,
                         text=True, check=True, timeout=120)
    return {r["name"]: r["diagnostics"] for r in json.loads(out.stdout)}


def _id_is_deprecated(diagnostic: dict[str, object]) -> bool:
    message = str(diagnostic["message"])
    return diagnostic["severity"] == 2 and "deprecated function" in message and "('id' " in message


@pytest.mark.slow
def test_neo4j_linter_finds_nothing_in_what_kg_ships() -> None:
    """Nothing at all, but the deprecation of ``id()`` in what only FalkorDB gets (kg.statements.write._ends)."""
    texts = shipped_texts()
    found = {name: [d for d in diags if not (name.startswith(FALKORDB_ONLY) and _id_is_deprecated(d))]
             for name, diags in lint(texts).items()}
    found = {name: diags for name, diags in found.items() if diags}
    assert not found, "\n".join(f"{name}: {d}\n{texts[name]}" for name, d in found.items())


@pytest.mark.slow
def test_the_linter_does_catch_mistakes() -> None:
    found = lint({"typo": "MATCH (a:Autor)-[:WROTE]->(p:Paper) RETURN p.titel", "syntax": "MATCH (n RETURN n"})
    assert len(found["typo"]) == 3  # the label, the type and the property key
    assert any(d["severity"] == 1 for d in found["syntax"])


def test_what_kg_ships_is_in_the_portable_subset() -> None:
    assert {name: portability_problems(text) for name, text in shipped_texts().items()
            if portability_problems(text)} == {}


def test_portability_check_knows_what_falkordb_lacks() -> None:
    assert portability_problems("MATCH (a) WHERE EXISTS { (a)--() } RETURN a")
    assert portability_problems("MATCH (a) WHERE a.name =~ 'x.*' RETURN a")
    assert portability_problems("MATCH p = shortestPath((a)-[*]->(b)) RETURN p")
    assert not portability_problems("MATCH (a), (b) WITH shortestPath((a)-[*..6]->(b)) AS p RETURN p")
    assert not portability_problems("RETURN 'EXISTS { in a string }' AS s")


def test_generated_statements_take_values_only_as_parameters() -> None:
    for name, text in named_statements().items():
        # the one literal: the separator of the sources in the store, a part of the format
        assert "'" not in text.replace(SEPARATOR, "") and '"' not in text, name
        assert parameters_of(text) <= {"rows", "papers", "prefix", "listing", "keys", "sweep", "names", "key",
                                       "name", "skip", "k", "communities", "left", "ranked",
                                       "least", "tokens", "batch", "kind"}, name


def test_schema_document_is_generated_from_the_model() -> None:
    document = (ROOT / "schemas" / "graph.md").read_text()
    assert document == schema_markdown(), "out of date: run kg schema --markdown > schemas/graph.md"
