"""Using the graph: networkx, analysis, exports that round-trip, RDF with SHACL, the HTML view in
a real headless browser."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.build import GraphData, model_problems
from kg.pipeline import load_records
from kg.schema import graph_schema
from kg.statements.settle import SUMMARY_FIELDS
from kg.use import analysis
from kg.use.export import export, neo4j_import_headers
from kg.use.rdf import node_uri, to_rdf, validate
from kg.use.read import graph_of_records, read_graph, to_networkx
from tests.integration.test_store import ALPHA, BETA


@pytest.fixture(scope="module")
def dev_graph(dev_records: list[dict[str, Any]]) -> GraphData:
    return graph_of_records(dev_records)


def test_the_graph_model_declares_every_property_the_build_writes_with_its_type(dev_graph: GraphData) -> None:
    """The build stage's record is typed by the model (``schemas/graph.json``), not by a class a label."""
    assert model_problems(dev_graph) == []
    paper = next(iter(dev_graph.nodes["Paper"]))
    wrong = GraphData({"Paper": {paper: {**dev_graph.nodes["Paper"][paper], "date": 2024, "colour": "red"}},
                       "Ghost": {"g": {}}}, {"AUTHORED": {("a", paper, ""): {"sources": "x.txt:1"}}})
    assert sorted(p.split(": ", 1)[1] for p in model_problems(wrong)) == [
        "colour is not in the model", "date = 2024 is not a string", "not a label of the model",
        "sources = 'x.txt:1' is not a list<string>"]


def test_every_method_node_of_the_dev_graph_is_a_name_and_one_per_method(dev_graph: GraphData) -> None:
    """No Method node is a formula, a piece of LaTeX or a common word, and no two are one name
    written two ways (``FooNet`` and ``foo-net``): what the graph of the dev listings shows a user."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from kg.extract.lexicon import common_words
    from kg.extract.shapes import norm_key

    names = [props["name"] for props in dev_graph.nodes["Method"].values()]
    assert len(names) > 50
    latex = re.compile(r"[\\{}$=]|(?:frac|left|right|mathrm|limits)(?![a-z])")
    assert [n for n in names if latex.search(n) or n.count("(") != n.count(")")] == []
    common = common_words() | STOP_WORDS
    assert [n for n in names if " " not in n and n.islower() and n.strip("-") in common] == []
    keys = [norm_key(n) for n in names]
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def test_networkx_graph_equals_the_store_contents(_embedded: Any) -> None:
    _embedded.clear()
    load_records(ALPHA + BETA, _embedded)
    from_store = to_networkx(_embedded)
    for node, data in from_store.nodes(data=True):
        for field in SUMMARY_FIELDS if node.startswith("Author:") else ():  # each author's summaries: the store's
            data.pop(field, None)
    assert nx.utils.graphs_equal(from_store, to_networkx(ALPHA + BETA))
    assert from_store.number_of_nodes() == sum(map(len, read_graph(_embedded).nodes.values()))


def test_analysis_finds_the_central_author_and_the_lineage() -> None:
    G = to_networkx(ALPHA + BETA)
    top = analysis.centrality(G, 1)[0]
    assert (top["author"], top["coauthors"]) == ("Ada Quill", 3)  # Bo Tamsin, Cy Vane, Dee Wren
    lineage = analysis.lineage(G)
    assert lineage.roots == ["LSTM", "Transformer"] or lineage.roots == ["Transformer"]
    assert ["QROUTE", "LANTERN", "Transformer"] in lineage.longest_chains
    assert lineage.most_built_upon[0] == ("LANTERN", 2)  # QROUTE and ECHO build on it
    assert sum(c["size"] for c in analysis.communities(G)) == 5


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_reload_with_the_same_counts(fmt: str, dev_graph: GraphData, tmp_path: Path) -> None:
    path = tmp_path / f"graph.{fmt}"
    export(dev_graph, fmt, path)
    G = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    original = to_networkx(dev_graph)
    assert (G.number_of_nodes(), G.number_of_edges()) == (original.number_of_nodes(), original.number_of_edges())
    # what Gephi shows: names and titles as labels, the kind and the relationship type as attributes
    for node, data in original.nodes(data=True):
        assert G.nodes[node]["label"] == (data.get("name") or data.get("title") or data["key"])
        assert G.nodes[node]["category"] == data["label"]
    types = sorted(d["type"] for _, _, d in original.edges(data=True))
    assert sorted(d["relationship"] for _, _, d in G.edges(data=True)) == types
    if fmt == "gexf":  # Gephi's current version, with what its schema (gexf.net/1.3/gexf.xsd) asks
        root = ElementTree.parse(path).getroot()
        assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
        location = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "")
        assert location.startswith("http://gexf.net/1.3 ")
        assert set(root.find("{http://gexf.net/1.3}graph").attrib) == {"defaultedgetype", "mode"}  # type: ignore[union-attr]


def test_networkx_reads_a_records_file_by_its_path(dev_records: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in dev_records), encoding="utf-8")
    assert nx.utils.graphs_equal(to_networkx(str(path)), to_networkx(dev_records))
    assert nx.utils.graphs_equal(to_networkx(path), to_networkx(graph_of_records(dev_records)))


def test_json_and_csv_hold_every_node_and_relationship(dev_graph: GraphData, tmp_path: Path) -> None:
    export(dev_graph, "json", tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text())
    assert len(data["nodes"]) == sum(map(len, dev_graph.nodes.values()))
    assert len(data["relationships"]) == sum(map(len, dev_graph.rels.values()))
    export(dev_graph, "csv", tmp_path / "csv")
    with open(tmp_path / "csv" / "relationships.csv", newline="") as fh:
        assert sum(1 for _ in csv.reader(fh)) - 1 == len(data["relationships"])


def test_neo4j_import_files_have_the_header_syntax_neo4j_admin_reads(dev_graph: GraphData, tmp_path: Path) -> None:
    message = export(dev_graph, "neo4j-import", tmp_path / "import")
    assert "neo4j-admin database import full" in message
    column = re.compile(r"^(?:\w*:(?:ID|START_ID|END_ID)\(\w+\)|\w+:(?:string|long|boolean|double|string\[\]))$")
    for stem, header in neo4j_import_headers().items():
        with open(tmp_path / "import" / f"{stem}.header.csv", newline="") as fh:
            assert next(csv.reader(fh)) == header
        assert all(column.match(c) for c in header), header
        with open(tmp_path / "import" / f"{stem}.csv", newline="") as fh:
            rows = list(csv.reader(fh))
        assert all(len(r) == len(header) for r in rows)
        is_label = stem in graph_schema().nodes
        count = len(dev_graph.nodes.get(stem, {})) if is_label else len(dev_graph.rels.get(stem, {}))
        assert len(rows) == count, stem
        assert f"--{'nodes' if is_label else 'relationships'}={stem}=" in message


@pytest.mark.parametrize("fmt", ["turtle", "json-ld"])
def test_rdf_is_isomorphic_after_a_reparse(fmt: str, dev_graph: GraphData) -> None:
    rdf = to_rdf(dev_graph)
    again = Graph().parse(data=rdf.serialize(format=fmt), format=fmt)
    assert len(rdf) > 1000
    assert isomorphic(rdf, again)


def test_shacl_passes_on_the_dev_graph_and_names_the_node_of_a_broken_one(dev_graph: GraphData) -> None:
    assert validate(to_rdf(dev_graph)) == []
    broken = to_rdf(dev_graph)
    paper = next(iter(dev_graph.nodes["Paper"]))
    title = next(broken.objects(node_uri("Paper", paper), URIRef("http://purl.org/dc/terms/title")))
    broken.remove((node_uri("Paper", paper), URIRef("http://purl.org/dc/terms/title"), title))
    broken.add((node_uri("Paper", paper), URIRef("http://purl.org/dc/terms/date"), Literal("not a date")))
    violations = validate(broken)
    assert {v.node for v in violations} == {str(node_uri("Paper", paper))}
    assert any("exactly one title" in v.message for v in violations)
    assert any(v.path == "dcterms:date" for v in violations)


# The page's own state, read in the browser: what is drawn where, and what a reader can read.
VIEW_STATE = """() => {
  const cy = window.kgView.cy, z = cy.zoom();
  const nodes = cy.nodes(':visible').map(n => ({id: n.id(), kind: n.data('kind'), x: n.renderedPosition('x'),
    y: n.renderedPosition('y'), size: n.renderedWidth(), readable: n.numericStyle('font-size') * z >= 9}));
  const edges = cy.edges(':visible').map(e => ({type: e.data('type'), source: e.source().id(),
    target: e.target().id()}));
  return {mode: window.kgView.mode, zoom: z, nodes, edges, width: cy.width(), height: cy.height()};
}"""


def _drawn_apart(state: dict[str, Any]) -> float:
    """The share of drawn nodes that sit on top of another one (centres closer than a third of a node)."""
    nodes = state["nodes"]
    piled = {a["id"] for i, a in enumerate(nodes) for b in nodes[i + 1:]
             if (a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2 < (min(a["size"], b["size"]) / 3) ** 2}
    return len(piled) / max(1, len(nodes))


@pytest.mark.slow
def test_the_view_page_works_in_a_real_headless_browser(dev_graph: GraphData, tmp_path: Path) -> None:
    """What a person would check on the page: it opens on the co-author network with names to
    read, lines drawn and nodes spread out; the lineage view puts foundations left of what
    builds on them; search finds and selects; a node's neighbours can be added; a label can be
    hidden; and the browser reports no error."""
    from kg.use.view import render, subgraph

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("KG_REQUIRE_BROWSER"):
            pytest.fail("the browser test must run here: apt-get install chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    shown = subgraph(dev_graph, limit=400)
    page_file = tmp_path / "graph.html"
    page_file.write_text(render(shown), encoding="utf-8")
    authors = shown.nodes["Author"]
    papers_of: dict[str, int] = {}
    for a, _p, _k in shown.rels["AUTHORED"]:
        papers_of[a] = papers_of.get(a, 0) + 1
    busiest = max(papers_of, key=lambda a: (papers_of[a], a))
    builds_on = {(f"Method:{s}", f"Method:{e}") for s, e, _k in shown.rels["BUILDS_ON"]}
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: errors.append(f"fetched {r.url}") if not r.url.startswith("file:") else None)
        page.goto(page_file.as_uri())
        page.wait_for_function("window.kgView && window.kgView.ready")
        assert page.evaluate("window.kgView.nodeCount") == sum(map(len, shown.nodes.values()))

        coauthors = page.evaluate(VIEW_STATE)
        assert coauthors["mode"] == "coauthor"
        assert {n["kind"] for n in coauthors["nodes"]} == {"Author"} and len(coauthors["nodes"]) == len(authors)
        pairs = {tuple(sorted((s, e))) for s, e, _k in shown.rels["CO_AUTHOR"]}
        assert len(coauthors["edges"]) == len(pairs) > 0
        assert sum(n["readable"] for n in coauthors["nodes"]) >= min(20, len(authors))
        assert next(n for n in coauthors["nodes"] if n["id"] == f"Author:{busiest}")["readable"]
        assert _drawn_apart(coauthors) < 0.02
        xs, ys = [n["x"] for n in coauthors["nodes"]], [n["y"] for n in coauthors["nodes"]]
        assert max(xs) - min(xs) > coauthors["width"] / 2 or max(ys) - min(ys) > coauthors["height"] / 2
        page.screenshot(path=str(tmp_path / "view-coauthor.png"))

        page.click("#lineage")
        lineage = page.evaluate(VIEW_STATE)
        assert lineage["mode"] == "lineage" and {n["kind"] for n in lineage["nodes"]} == {"Method"}
        at = {n["id"]: n for n in lineage["nodes"]}
        drawn = [(e["source"], e["target"]) for e in lineage["edges"] if e["type"] == "BUILDS_ON"]
        assert set(drawn) == builds_on
        leftward = sum(at[t]["x"] < at[s]["x"] for s, t in drawn)
        assert leftward >= 0.9 * len(drawn)
        assert sum(n["readable"] for n in lineage["nodes"]) >= 0.9 * len(lineage["nodes"]), lineage["zoom"]
        assert _drawn_apart(lineage) < 0.02
        page.screenshot(path=str(tmp_path / "view-lineage.png"))

        page.click("#coauthor")
        name = authors[busiest]["name"]
        page.fill("#search", name)
        assert "match" in page.inner_text("#matches")
        page.click(f"#matches [data-id='Author:{busiest}']")
        assert page.evaluate("window.kgView.cy.$(':selected').map(n => n.id())") == [f"Author:{busiest}"]
        assert name in page.inner_text("#props")
        before = len(page.evaluate(VIEW_STATE)["nodes"])
        page.click("#expand")
        grown = page.evaluate(VIEW_STATE)
        assert len(grown["nodes"]) >= before + papers_of[busiest]
        assert sum(n["kind"] == "Paper" for n in grown["nodes"]) == papers_of[busiest]
        page.uncheck("#filters input[data-label='Paper']")
        assert not any(n["kind"] == "Paper" for n in page.evaluate(VIEW_STATE)["nodes"])
        page.click("#all")
        assert len(page.evaluate(VIEW_STATE)["nodes"]) == sum(len(v) for k, v in shown.nodes.items() if k != "Paper")
        browser.close()
    assert errors == []
    if os.environ.get("KG_ARTIFACTS"):  # CI keeps the screenshots
        for name in ("view-coauthor.png", "view-lineage.png"):
            shutil.copy(tmp_path / name, Path(os.environ["KG_ARTIFACTS"]) / name)


@pytest.mark.slow
def test_cli_exports_validated_rdf_and_a_view_from_records(dev_listings: list[Path], tmp_path: Path) -> None:
    import subprocess
    import sys

    def kg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300,
                              cwd=tmp_path)

    records = tmp_path / "records.jsonl"
    assert kg("extract", *map(str, dev_listings), "-q", "--out", str(records)).returncode == 0
    done = kg("export", "--records", str(records), "--format", "turtle", "graph.ttl", "--validate")
    assert done.returncode == 0, done.stderr
    assert "conforms" in done.stderr
    done = kg("view", "--records", str(records), "--out", "graph.html")
    assert done.returncode == 0 and "nodes" in done.stderr
    # everything inline: no script, style or image is fetched from anywhere
    assert re.search(r"<(script|link|img)\b[^>]*\b(src|href)=", (tmp_path / "graph.html").read_text()) is None
    done = kg("analyze", "--records", str(records), "--plot", "pictures")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "pictures").iterdir()) == [
        "coauthors.png", "lineage.png", "papers_per_year.png"]


@pytest.mark.slow
def test_shards_extracted_apart_import_into_neo4j_as_one_run(dev_listings: list[Path], tmp_path: Path) -> None:
    """The route past one machine: `kg extract --shard I/N` on each machine, then the neo4j-admin
    import files of all the shards' records equal those of one run over every file."""
    import subprocess
    import sys

    from tests.conftest import SHARED

    folder = tmp_path / "listings"
    folder.mkdir()
    for path in [*dev_listings, *sorted((SHARED / "corpus" / "hf-daily").glob("*.txt"))[:9]]:
        shutil.copy(path, folder)

    def kg(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "kg", *args], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    kg("extract", str(folder), "-q", "--out", "all.jsonl")
    for i in (1, 2, 3):
        kg("extract", str(folder), "-q", "--shard", f"{i}/3", "--out", f"shard{i}.jsonl")
    shards = [(tmp_path / f"shard{i}.jsonl").read_text().splitlines() for i in (1, 2, 3)]
    every = sorted(line for shard in shards for line in shard)
    assert all(shards) and every == sorted((tmp_path / "all.jsonl").read_text().splitlines())
    kg("export", "--records", "all.jsonl", "--format", "neo4j-import", "one")
    # the shards in an order of their own, as they come back from the machines
    kg("export", "--records", "shard3.jsonl", "--records", "shard1.jsonl", "--records", "shard2.jsonl",
       "--format", "neo4j-import", "merged")
    one, merged = tmp_path / "one", tmp_path / "merged"
    assert sorted(p.name for p in merged.iterdir()) == sorted(p.name for p in one.iterdir())
    for path in one.iterdir():
        expected = path.read_bytes().replace(b"one/", b"merged/") if path.name == "import.sh" else path.read_bytes()
        assert (merged / path.name).read_bytes() == expected, path.name
    assert (one / "Paper.csv").read_text().count("\n") > 100
