"""The graph as RDF, on standard vocabularies, and its SHACL validation.

Papers are schema.org ScholarlyArticles (DCTERMS title and date), authors schema:Person and
foaf:Person, organisations schema:Organization, datasets schema:Dataset, listings PROV entities
each paper ``prov:wasDerivedFrom``. The small ``kg`` ontology (``schemas/kg.ttl``) adds what those
lack: ``kg:Method``, ``kg:proposes``, ``kg:buildsOn``, ``kg:comparedWith``..., and ``kg:Step``, a
qualified lineage statement naming the paper that makes it. The derived CO_AUTHOR relationship
is left out (it follows from ``schema:author``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SDO

from kg.build import GraphData

KG = Namespace("https://w3id.org/kg-listings/ontology#")
ID = "https://w3id.org/kg-listings/id/"
CLASSES: dict[str, list[URIRef]] = {
    "Paper": [SDO.ScholarlyArticle], "Author": [SDO.Person, FOAF.Person],
    "Organization": [SDO.Organization, FOAF.Organization], "Method": [KG.Method], "Dataset": [SDO.Dataset],
    "Category": [SDO.DefinedTerm], "Listing": [KG.Listing, PROV.Entity], "Repository": [SDO.SoftwareSourceCode],
}
# relationship type -> predicate from start to end (CO_AUTHOR, derived, is not exported)
PREDICATES: dict[str, URIRef] = {
    "AUTHORED": SDO.author, "AFFILIATED_WITH": SDO.sourceOrganization, "SUBMITTED_BY": SDO.publisher,
    "PROPOSES": KG.proposes, "EVALUATED_ON": KG.evaluatedOn, "INTRODUCES": KG.introduces,
    "MENTIONS": KG.mentions, "BUILDS_ON": KG.buildsOn, "COMPARED_WITH": KG.comparedWith,
    "IN_CATEGORY": DCTERMS.subject, "HAS_CODE": SDO.codeRepository, "LISTED_IN": PROV.wasDerivedFrom,
    "PROFILE_OF": SDO.about,
}
INVERSE = {"AUTHORED"}  # stored Author -> Paper, stated Paper schema:author Person


def node_uri(label: str, key: str) -> URIRef:
    """A node's IRI: its label and its key, percent-encoded."""
    return URIRef(f"{ID}{label.lower()}/{quote(key, safe='')}")


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date) if len(value) == 10 else Literal(value)


def to_rdf(graph: GraphData) -> Graph:
    """The RDF of the graph model (a pure function)."""
    from kg.schema import graph_schema

    schema = graph_schema()
    g = Graph()
    for prefix, ns in (("kg", KG), ("schema", SDO), ("dcterms", DCTERMS), ("foaf", FOAF), ("prov", PROV)):
        g.bind(prefix, ns)
    for label, nodes in graph.nodes.items():
        for key, props in nodes.items():
            s = node_uri(label, key)
            for cls in CLASSES[label]:
                g.add((s, RDF.type, cls))
            g.add((s, KG.key, Literal(key)))
            _properties(g, s, label, props)
    for t, rels in graph.rels.items():
        if t not in PREDICATES:
            continue
        r = schema.relationships[t]
        for (start, end, key), props in rels.items():
            a, b = node_uri(r.start, start), node_uri(r.end, end)
            g.add((b, PREDICATES[t], a) if t in INVERSE else (a, PREDICATES[t], b))
            if t in ("BUILDS_ON", "COMPARED_WITH"):
                step = URIRef(f"{ID}step/{hashlib.sha1(f'{t}|{start}|{end}|{key}'.encode()).hexdigest()[:16]}")
                g.add((step, RDF.type, KG.Step))
                g.add((step, KG.relation, Literal(t)))
                g.add((step, KG["from"], a))
                g.add((step, KG.to, b))
                g.add((step, KG.statedIn, node_uri("Paper", props.get("paper", key))))
    return g


def _properties(g: Graph, s: URIRef, label: str, props: dict[str, Any]) -> None:
    if label == "Paper":
        g.add((s, DCTERMS.title, Literal(props.get("title", ""))))
        if props.get("abstract"):
            g.add((s, SDO.abstract, Literal(props["abstract"])))
        if props.get("date"):
            g.add((s, DCTERMS.date, _date(props["date"])))
        if props.get("upvotes"):
            g.add((s, KG.upvotes, Literal(int(props["upvotes"]))))
        g.add((s, KG.hasCode, Literal(bool(props.get("has_code")))))
        return
    if label == "Repository":
        g.add((s, SDO.url, Literal(props.get("url", ""), datatype=XSD.anyURI)))
        return
    name = props.get("name") or props.get("owner") or ""
    if label == "Listing":
        g.add((s, RDFS.label, Literal(name or str(s).rsplit("/", 1)[-1])))
        return
    g.add((s, SDO.name, Literal(name)))
    if label in ("Author", "Organization"):
        g.add((s, FOAF.name, Literal(name)))
    for alias in props.get("aliases") or []:
        g.add((s, SDO.alternateName, Literal(alias)))


@dataclass(slots=True)
class Violation:
    """One SHACL result, in words."""

    node: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.node}: {self.path}: {self.message}"


def shapes() -> tuple[Graph, Graph]:
    """The SHACL shapes and the kg ontology, from ``schemas/``."""
    files = resources.files("kg.schemas")
    return (Graph().parse(data=files.joinpath("shapes.ttl").read_text("utf-8"), format="turtle"),
            Graph().parse(data=files.joinpath("kg.ttl").read_text("utf-8"), format="turtle"))


def validate(data: Graph) -> list[Violation]:
    """Check ``data`` against the shapes; the violations, each naming the offending node."""
    from pyshacl import validate as shacl_validate

    shacl, ontology = shapes()
    conforms, report, _text = shacl_validate(data, shacl_graph=shacl, ont_graph=ontology, inference="none",
                                             allow_warnings=True)
    if conforms:
        return []
    SH = Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        node = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        out.append(Violation(str(node), data.namespace_manager.normalizeUri(path) if path else "-", str(message)))
    return sorted(out, key=lambda v: (v.node, v.path))
