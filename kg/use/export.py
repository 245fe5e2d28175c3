"""Exports of the graph model: GraphML, GEXF, JSON, CSV, neo4j-admin import files, Turtle, JSON-LD.

Each writer is a function of ``GraphData`` and a path. ``neo4j-import`` writes the header and data
files ``neo4j-admin database import full`` reads (the fastest way to put millions of papers into
Neo4j) and returns the command that loads them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.build import GraphData
from kg.errors import InputError
from kg.schema import graph_schema, stored_sources

FORMATS = ("graphml", "gexf", "json", "csv", "neo4j-import", "turtle", "jsonld")
ARRAY_DELIMITER = ";"
_STORED = "sources in the store"  # see _import_types
_NEO4J_TYPES = {"string": "string", "integer": "long", "boolean": "boolean", "float": "double",
                "list<string>": "string[]", _STORED: "string"}


def _flat(value: Any) -> Any:
    # GraphML and GEXF hold no lists or nulls: lists travel as JSON text
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def _flat_networkx(graph: GraphData) -> Any:
    """The graph for GraphML and GEXF readers (Gephi, yEd, networkx): a node's ``label`` is what
    a person reads (a name, a title), its kind goes in ``category``; a relationship's type goes in
    ``relationship``, since GEXF keeps an edge's ``type`` for directed/undirected."""
    from kg.use.read import to_networkx

    G = to_networkx(graph)
    for _, data in G.nodes(data=True):
        data["category"] = data.pop("label")
        data["label"] = data.get("name") or data.get("title") or data["key"]
    for _, _, data in G.edges(data=True):
        data["relationship"] = data.pop("type")
    for data in [*(d for _, d in G.nodes(data=True)), *(d for _, _, d in G.edges(data=True))]:
        flat = {k: _flat(v) for k, v in data.items() if v is not None}
        data.clear()
        data.update(flat)
    return G


def write_graphml(graph: GraphData, path: Path) -> str:
    import networkx as nx

    nx.write_graphml(_flat_networkx(graph), path)
    return f"wrote {path}"


GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def write_gexf(graph: GraphData, path: Path) -> str:
    """GEXF 1.3, Gephi's current format, valid against its schema (gexf.net/1.3/gexf.xsd).
    networkx writes 1.3 with two slips the schema rejects, mended here: the XML Schema instance
    namespace without its ``www.``, and a ``name`` on ``<graph>``, which 1.3 does not have."""
    import io
    import xml.etree.ElementTree as ET

    import networkx as nx

    written = io.BytesIO()
    nx.write_gexf(_flat_networkx(graph), written, version="1.3")
    root = ET.fromstring(written.getvalue())
    for key in [k for k in root.attrib if k.endswith("}schemaLocation")]:
        root.attrib[f"{{{XSI_NS}}}schemaLocation"] = root.attrib.pop(key)
    for element in root.iter(f"{{{GEXF_NS}}}graph"):
        element.attrib.pop("name", None)
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", XSI_NS)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return f"wrote {path}"


def graph_json(graph: GraphData) -> dict[str, Any]:
    """The graph as one JSON document: nodes (label, key, properties) and relationships."""
    schema = graph_schema()
    return {"nodes": [{"label": label, "key": key, "properties": props}
                      for label, nodes in graph.nodes.items() for key, props in nodes.items()],
            "relationships": [{"type": t, "start": {"label": schema.relationships[t].start, "key": s},
                               "end": {"label": schema.relationships[t].end, "key": e}, "key": k, "properties": props}
                              for t, rels in graph.rels.items() for (s, e, k), props in rels.items()]}


def write_json(graph: GraphData, path: Path) -> str:
    path.write_text(json.dumps(graph_json(graph), ensure_ascii=False, indent=1), encoding="utf-8")
    return f"wrote {path}"


def write_csv(graph: GraphData, path: Path) -> str:
    """A folder with nodes.csv and relationships.csv (properties as JSON)."""
    path.mkdir(parents=True, exist_ok=True)
    data = graph_json(graph)
    with open(path / "nodes.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["label", "key", "properties"])
        w.writerows([n["label"], n["key"], json.dumps(n["properties"], ensure_ascii=False)] for n in data["nodes"])
    with open(path / "relationships.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["type", "start_label", "start_key", "end_label", "end_key", "key", "properties"])
        w.writerows([r["type"], r["start"]["label"], r["start"]["key"], r["end"]["label"], r["end"]["key"], r["key"],
                     json.dumps(r["properties"], ensure_ascii=False)] for r in data["relationships"])
    return f"wrote {path}/nodes.csv and {path}/relationships.csv"


def _import_types(stem: str) -> dict[str, str]:
    """The properties of a label's or relationship type's import file, and their types. The bulk
    importer writes the store kg itself writes, where ``sources`` is one string
    (``kg.schema.SOURCE_SEPARATOR``), so that kg can go on building into it and removing from it."""
    schema = graph_schema()
    if stem in schema.nodes:
        properties = schema.nodes[stem].properties
    else:  # the paper is the relationship's key where there is one
        properties = {**schema.relationships[stem].properties, "sources": "list<string>"}
    return {p: _STORED if p == "sources" else t for p, t in properties.items()}


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == _STORED:
        return stored_sources(value)
    if kind == "list<string>":
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, ",") for v in value)
    if kind == "boolean":
        return "true" if value else "false"
    return str(value)


def neo4j_import_headers() -> dict[str, list[str]]:
    """File stem -> header columns, for every label and relationship type."""
    schema = graph_schema()
    out = {}
    for label in schema.nodes:
        out[label] = [f"key:ID({label})", *(f"{p}:{_NEO4J_TYPES[t]}" for p, t in _import_types(label).items())]
    for t, r in schema.relationships.items():
        out[t] = [f":START_ID({r.start})", f":END_ID({r.end})",
                  *(f"{p}:{_NEO4J_TYPES[k]}" for p, k in _import_types(t).items())]
    return out


def write_neo4j_import(graph: GraphData, path: Path) -> str:
    """Header and data CSV files per label and type; returns the neo4j-admin command that loads them."""
    schema = graph_schema()
    path.mkdir(parents=True, exist_ok=True)
    headers = neo4j_import_headers()
    args = []
    for stem, columns in headers.items():
        names = [c.split(":")[0] for c in columns]
        with open(path / f"{stem}.header.csv", "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerow(columns)
        with open(path / f"{stem}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            if stem in schema.nodes:
                types = {"key": "string", **_import_types(stem)}
                for key, props in graph.nodes.get(stem, {}).items():
                    w.writerow([_cell(key if n == "key" else props.get(n), types[n]) for n in names])
                args.append(f"--nodes={stem}={path}/{stem}.header.csv,{path}/{stem}.csv")
            else:
                types = _import_types(stem)
                for (start, end, _key), props in graph.rels.get(stem, {}).items():
                    w.writerow([start, end, *(_cell(props.get(n), types[n]) for n in names[2:])])
                args.append(f"--relationships={stem}={path}/{stem}.header.csv,{path}/{stem}.csv")
    command = ("neo4j-admin database import full neo4j --overwrite-destination --multiline-fields=true "
               f"--array-delimiter='{ARRAY_DELIMITER}' " + " ".join(args))
    (path / "import.sh").write_text("#!/bin/sh\n# Stop Neo4j first; this replaces the database 'neo4j'.\n"
                                    + command + "\n", encoding="utf-8")
    return f"wrote {path}; load it into a stopped Neo4j with:\n{command}"


def write_rdf(graph: GraphData, path: Path, fmt: str) -> str:
    from kg.use.rdf import to_rdf

    to_rdf(graph).serialize(path, format="json-ld" if fmt == "jsonld" else "turtle", encoding="utf-8")
    return f"wrote {path}"


WRITERS: dict[str, Callable[[GraphData, Path], str]] = {
    "graphml": write_graphml, "gexf": write_gexf, "json": write_json, "csv": write_csv,
    "neo4j-import": write_neo4j_import, "turtle": lambda g, p: write_rdf(g, p, "turtle"),
    "jsonld": lambda g, p: write_rdf(g, p, "jsonld"),
}


def export(graph: GraphData, fmt: str, path: Path) -> str:
    """Write ``graph`` as ``fmt`` to ``path``; a line saying what was written (and how to load it)."""
    if fmt not in WRITERS:
        raise InputError(f"--format takes one of {', '.join(FORMATS)}, not {fmt!r}")
    return WRITERS[fmt](graph, path)
