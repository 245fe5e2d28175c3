"""The store conformance suite: the same assertions on every store (see conftest.STORES).

Records are invented and written here by hand, so every expected tuple can be checked by
reading this file. Sets of tuples are compared, as cartography's check_nodes / check_rels do.
"""

from __future__ import annotations

from typing import Any

import pytest

from kg.build import GraphData
from kg.errors import QueryError
from kg.load import graph_counts, load, remove_listing, update_author_summaries
from kg.pipeline import load_records
from kg.resolve.keys import paper_key
from kg.schema import SOURCE_SEPARATOR, source_list
from kg.use.read import graph_of_records

BATCH = 3  # small, so that batching itself is exercised (and FalkorDB's Bolt port, which
# writes parameters into a 4 KB buffer, is not overrun)


def _paper(file: str, line: int, title: str, authors: list[str], **fields: Any) -> dict[str, Any]:
    return {"type": "paper", "source": {"file": file, "index": line // 10, "line": line}, "title": title,
            "abstract": f"About {title.lower()}.", "layout": fields.pop("layout", "profile"), "authors": authors,
            "authors_truncated": False, "author_count": len(authors) or None, "affiliations": [],
            "organization": None, "category": None, "date": None, "month_day": None, "has_code": False,
            "upvotes": 0, "urls": [], "profile_owner": None, "methods": [], "datasets": [], **fields}


def _m(name: str, role: str, *aliases: str) -> dict[str, Any]:
    return {"name": name, "role": role, "aliases": list(aliases)}


ALPHA = [
    {"type": "listing", "file": "alpha.txt", "line": 1, "layout": "profile", "owner": "Ada Quill",
     "categories": ["LG"], "stats": {}, "papers_stated": 2, "papers_read": 2, "page_date": None},
    _paper("alpha.txt", 3, "Gradient Lanterns for Sparse Memory", ["Ada Quill", "Bo Tamsin", "Cy Vane"],
           affiliations=["tsinghua"], category="LG", date="2024-03-05", has_code=True,
           urls=["https://github.com/example/lanterns"], profile_owner="Ada Quill",
           methods=[_m("LANTERN", "proposed", "Gradient Lantern"), _m("Transformer", "builds_on"),
                    _m("LSTM", "compared_with")],
           datasets=[_m("ImageNet", "evaluated_on")]),
    _paper("alpha.txt", 12, "Quiet Routers", ["Ada Quill", "Dee Wren"], category="LG", profile_owner="Ada Quill",
           methods=[_m("QROUTE", "proposed"), _m("LANTERN", "builds_on")],
           datasets=[_m("QBench", "introduced")]),
]
BETA = [
    {"type": "listing", "file": "beta.txt", "line": 1, "layout": "daily", "owner": None, "categories": [],
     "stats": {}, "papers_stated": None, "papers_read": 2, "page_date": "Mar 6"},
    _paper("beta.txt", 7, "Gradient Lanterns for Sparse Memory", [], layout="daily", author_count=3,
           organization={"slug": "acme", "name": "Acme Labs"}, upvotes=12, date="2024-03-05"),
    _paper("beta.txt", 15, "Echo Nets", ["Bo Tamsin", "Eli Fenn"], layout="daily",
           methods=[_m("ECHO", "proposed"), _m("Gradient Lantern", "builds_on")],
           datasets=[_m("ImageNet", "evaluated_on")]),
]
LANTERNS, ROUTERS, ECHO = (paper_key(t) for t in ("Gradient Lanterns for Sparse Memory", "Quiet Routers",
                                                   "Echo Nets"))


def rows(store: Any, query: str) -> set[tuple[Any, ...]]:
    """The rows as a set of tuples, lists as sorted tuples; a column ``sources`` or ``s`` read as
    the sources it holds (one string in the store, ``kg.schema.source_list``)."""
    def value(column: str, v: Any) -> Any:
        if column in ("s", "sources"):
            v = source_list(v)
        return tuple(sorted(v)) if isinstance(v, list) else v

    return {tuple(value(k, v) for k, v in row.items()) for row in store.run(query)}


def snapshot(store: Any) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """Every node (label, key, what a listing's papers decide of it) and every relationship (type,
    start, end, paper, sources, and its other properties: created outright or merged, a
    relationship holds the same)."""
    return (rows(store, "MATCH (n) RETURN labels(n)[0] AS label, n.key AS key, n.name AS name, n.aliases AS aliases, "
                        "n.names AS names, n.title AS title, n.abstract AS abstract, n.date AS date, "
                        "n.upvotes AS upvotes, n.layout AS layout, n.has_code AS has_code, "
                        "n.author_count AS author_count, n.authors_truncated AS truncated"),
            rows(store, "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.key AS a, b.key AS b, r.paper AS paper, "
                        "r.sources AS sources, r.role AS role, r.position AS position, r.listed AS listed, "
                        "r.line AS line, r.forms AS forms"))


def but_paper_fields(graph: tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]
                     ) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """A snapshot without a paper's upvotes, date, layout and the like: a paper that stays when one
    of its listings is removed keeps what that listing folded into them (each listing's own values
    are not kept apart: docs/reliability.md)."""
    return {node[:6] for node in graph[0]}, graph[1]


def test_loads_the_model_with_provenance(store: Any) -> None:
    load_records(ALPHA + BETA, store, batch_size=BATCH)
    assert rows(store, "MATCH (p:Paper) RETURN p.title AS t, p.sources AS s") == {
        ("Gradient Lanterns for Sparse Memory", ("alpha.txt:3", "beta.txt:7")),
        ("Quiet Routers", ("alpha.txt:12",)), ("Echo Nets", ("beta.txt:15",))}
    lanterns = "Gradient Lanterns for Sparse Memory"
    assert rows(store, "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN a.name AS a, p.title AS p, "
                       "r.position AS i") == {
        ("Ada Quill", lanterns, 0), ("Bo Tamsin", lanterns, 1), ("Cy Vane", lanterns, 2),
        ("Ada Quill", "Quiet Routers", 0),
        ("Dee Wren", "Quiet Routers", 1), ("Bo Tamsin", "Echo Nets", 0), ("Eli Fenn", "Echo Nets", 1)}
    assert rows(store, "MATCH (a:Method)-[r:BUILDS_ON]->(b:Method) RETURN a.name AS a, b.name AS b, "
                       "r.paper AS p") == {
        ("LANTERN", "Transformer", LANTERNS), ("QROUTE", "LANTERN", ROUTERS), ("ECHO", "LANTERN", ECHO)}
    assert rows(store, "MATCH (a:Method)-[r:COMPARED_WITH]->(b:Method) RETURN a.name AS a, b.name AS b") == {
        ("LANTERN", "LSTM")}
    assert rows(store, "MATCH (p:Paper)-[r:LISTED_IN]->(l:Listing) RETURN p.title AS p, l.key AS l, r.line AS n") == {
        ("Gradient Lanterns for Sparse Memory", "alpha.txt", 3), ("Quiet Routers", "alpha.txt", 12),
        ("Gradient Lanterns for Sparse Memory", "beta.txt", 7), ("Echo Nets", "beta.txt", 15)}
    assert rows(store, "MATCH (p:Paper)-[r:SUBMITTED_BY]->(o:Organization) RETURN p.title AS p, o.name AS o, "
                       "r.sources AS s") == {("Gradient Lanterns for Sparse Memory", "Acme Labs", ("beta.txt:7",))}
    assert rows(store, "MATCH (l:Listing)-[:PROFILE_OF]->(a:Author) RETURN l.key AS l, a.name AS a") == {
        ("alpha.txt", "Ada Quill")}
    assert rows(store, "MATCH (p:Paper)-[:INTRODUCES]->(d:Dataset) RETURN p.title AS p, d.name AS d") == {
        ("Quiet Routers", "QBench")}
    assert rows(store, "MATCH (p:Paper)-[:HAS_CODE]->(r:Repository) RETURN p.title AS p, r.url AS u") == {
        ("Gradient Lanterns for Sparse Memory", "https://github.com/example/lanterns")}
    # co-authorship in both directions, one relationship per joint paper
    assert rows(store, "MATCH (a:Author {name: 'Ada Quill'})-[r:CO_AUTHOR]->(b:Author) RETURN b.name AS b, "
                       "r.paper AS p") == {("Bo Tamsin", LANTERNS), ("Cy Vane", LANTERNS), ("Dee Wren", ROUTERS)}
    assert rows(store, "MATCH (a:Author {name: 'Dee Wren'})-[r:CO_AUTHOR]->(b:Author) RETURN b.name AS b") == {
        ("Ada Quill",)}
    # dates are ISO strings (FalkorDB's Bolt port cannot carry temporal values)
    assert rows(store, "MATCH (p:Paper {title: 'Echo Nets'}) RETURN p.date AS d") == {(None,)}
    assert rows(store, "MATCH (p:Paper) WHERE p.date >= '2024-03-01' RETURN p.title AS t") == {
        ("Gradient Lanterns for Sparse Memory",)}


def test_a_relationship_is_told_apart_by_its_paper_and_stores_no_key_of_its_own(store: Any) -> None:
    """Two papers by the same pair are two co-author relationships each way, told apart by their
    ``paper``; a relationship stores no separate ``key`` (it was empty, or a copy of ``paper``)."""
    twice = [ALPHA[0], _paper("alpha.txt", 20, "Lanterns Again", ["Ada Quill", "Bo Tamsin"], profile_owner="Ada Quill"),
             _paper("alpha.txt", 30, "Lanterns Once More", ["Ada Quill", "Bo Tamsin"], profile_owner="Ada Quill")]
    for _ in range(2):  # and loading again changes nothing
        load_records(twice, store, batch_size=BATCH)
        pair = "MATCH (:Author {name: 'Ada Quill'})-[r:CO_AUTHOR]->(:Author {name: 'Bo Tamsin'}) RETURN r.paper AS p"
        assert rows(store, pair) == {(paper_key("Lanterns Again"),), (paper_key("Lanterns Once More"),)}
        assert rows(store, "MATCH ()-[r]->() WHERE r.key IS NOT NULL RETURN count(r) AS n") == {(0,)}


def test_loading_twice_changes_nothing(store: Any) -> None:
    load_records(ALPHA + BETA, store, batch_size=BATCH)
    first = snapshot(store)
    replaced, _ = load_records(ALPHA + BETA, store, batch_size=BATCH)
    assert replaced == ["alpha.txt", "beta.txt"]
    assert snapshot(store) == first


def test_a_new_listing_joins_what_is_already_there(store: Any) -> None:
    load_records(ALPHA, store, batch_size=BATCH)
    (lantern,), = rows(store, "MATCH (m:Method {name: 'LANTERN'}) RETURN m.key AS k")
    load_records(BETA, store, batch_size=BATCH)
    # "Gradient Lantern" in beta finds the LANTERN node alpha made; Bo Tamsin is one person
    assert rows(store, "MATCH (a:Method {name: 'ECHO'})-[:BUILDS_ON]->(b:Method) RETURN b.key AS b, b.name AS n") == {
        (lantern, "LANTERN")}
    assert rows(store, "MATCH (a:Author {name: 'Bo Tamsin'})-[:AUTHORED]->(p:Paper) RETURN p.title AS t") == {
        ("Gradient Lanterns for Sparse Memory",), ("Echo Nets",)}
    assert rows(store, "MATCH (p:Paper {title: 'Gradient Lanterns for Sparse Memory'}) RETURN p.sources AS s") == {
        (("alpha.txt:3", "beta.txt:7"),)}


ABSTRACT = ("Sparse memories are hard to train, and the methods that exist trade accuracy for cost. In this "
            "paper, we propose a simple and efficient approach that learns which parts of a memory to keep. "
            "Extensive experiments on several benchmarks demonstrate that our approach outperforms existing "
            "methods while reducing the computational cost, and we release the code to the community.")


@pytest.mark.parametrize("cut_first", [True, False])
def test_an_abstract_reads_back_as_its_text_and_the_fuller_of_two_listings_stays(store: Any,
                                                                                  cut_first: bool) -> None:
    """The embedded store keeps an abstract deflated (``kg.store.packing``), in less than its length;
    every read gives the text back, and a second listing of the paper is folded in by the text."""
    from kg.use.read import read_graph

    cut = ABSTRACT[:120]
    gamma = [{**BETA[0], "file": "gamma.txt"},
             _paper("gamma.txt", 5, "Quiet Routers", ["Ada Quill", "Dee Wren"], layout="daily", abstract=ABSTRACT)]
    alpha = [*ALPHA[:2], {**ALPHA[2], "abstract": cut}]
    for listing in (alpha, gamma) if cut_first else (gamma, alpha):
        load_records(listing, store, batch_size=BATCH)
    (row,) = store.run("MATCH (p:Paper {key: $k}) RETURN p.abstract AS a, size(p.abstract) AS n", {"k": ROUTERS})
    assert row["a"] == ABSTRACT == read_graph(store).nodes["Paper"][ROUTERS]["abstract"]
    if store.packs_abstracts:
        assert row["n"] < len(ABSTRACT) * 0.8
    else:
        assert row["n"] == len(ABSTRACT)


def test_listings_loaded_one_by_one_make_the_graph_loaded_at_once(store: Any) -> None:
    """The second load holds a paper the first made: it and its relationships are merged into the
    ones already there (sources joined), while papers new to the store, and their relationships,
    are created outright."""
    load_records(ALPHA + BETA, store, batch_size=BATCH)
    together = snapshot(store)
    remove_listing(store, "alpha.txt", batch_size=BATCH)
    remove_listing(store, "beta.txt", batch_size=BATCH)
    assert graph_counts(store)["nodes"]["Paper"] == 0
    load_records(ALPHA, store, batch_size=BATCH)
    load_records(BETA, store, batch_size=BATCH)
    assert snapshot(store) == together
    assert ("IN_CATEGORY", LANTERNS, "LG", None, ("alpha.txt:3",), None, None, None, None, None) in together[1]
    assert ("LISTED_IN", LANTERNS, "beta.txt", None, ("beta.txt:7",), None, 0, None, 7, None) in together[1]


def _named_by(file: str, *papers: tuple[str, str, str]) -> list[dict[str, Any]]:
    """A daily listing of papers given as (title, date, the name it gives organisation ``zorb``)."""
    return [{"type": "listing", "file": file, "line": 1, "layout": "daily", "owner": None, "categories": [],
             "stats": {}, "papers_stated": None, "papers_read": len(papers), "page_date": None},
            *(_paper(file, 10 * (i + 1), title, [], layout="daily", date=date,
                     organization={"slug": "zorb", "name": name}) for i, (title, date, name) in enumerate(papers))]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2)])
def test_an_organisation_named_differently_over_time_takes_its_latest_name_however_the_listings_come(
        store: Any, order: tuple[int, ...]) -> None:
    """Daily pages name one organisation differently over the years: the latest paper's name is
    kept, and of two papers of one day the first name in alphabetical order, whether the listings
    are loaded at once or one by one in any order."""
    listings = [_named_by("one.txt", ("Zorb Nets", "2024-05-01", "Zorb Research")),
                _named_by("two.txt", ("Zorb Flows", "2025-02-01", "Zorb AI"), ("Zorb Maps", "2025-02-01", "ZorbCo")),
                _named_by("three.txt", ("Zorb Trees", "2023-09-01", "Zorb Labs"))]
    for i in order:
        load_records(listings[i], store, batch_size=BATCH)
    one_by_one = rows(store, "MATCH (o:Organization) RETURN o.key AS k, o.name AS n, o.named_on AS d")
    assert one_by_one == {("zorb", "Zorb AI", "2025-02-01")}
    for listing in ("one.txt", "two.txt", "three.txt"):
        remove_listing(store, listing, batch_size=BATCH)
    load_records([record for listing in listings for record in listing], store, batch_size=BATCH)
    assert rows(store, "MATCH (o:Organization) RETURN o.key AS k, o.name AS n, o.named_on AS d") == one_by_one


def test_relationships_found_by_node_id_make_the_graph_found_by_key(store: Any) -> None:
    """FalkorDB's loader finds a relationship's two nodes by the ids that writing them returned
    (kg.statements.write._ends); Neo4j's by key. On FalkorDB both ways give the same graph, also when a
    relationship ends at a node the store holds but the batch did not write."""
    if store.dialect != "falkordb":
        pytest.skip("node ids are FalkorDB's way")
    graph = graph_of_records(ALPHA + BETA)
    graphs = []
    for by_id in (False, True):
        store.clear()
        store.ensure_schema()
        load(store, graph, batch_size=BATCH, by_id=by_id)
        graphs.append(snapshot(store))
    assert graphs[0] == graphs[1]
    # relationships alone, to a node already there and to one that is not: the first is written
    [ada], [eli] = ({row["k"] for row in store.run("MATCH (a:Author {name: $name}) RETURN a.key AS k", {"name": name})}
                    for name in ("Ada Quill", "Eli Fenn"))
    alone = GraphData()
    alone.rel("CO_AUTHOR", ada, eli, ["gamma.txt:1"], key="gamma")
    alone.rel("CO_AUTHOR", ada, "nobody at all", ["gamma.txt:1"], key="gamma")
    load(store, alone, batch_size=BATCH, by_id=True)
    assert rows(store, "MATCH (a:Author)-[r:CO_AUTHOR {paper: 'gamma'}]->(b:Author) RETURN a.name AS a, b.name AS b, "
                       "r.sources AS s") == {("Ada Quill", "Eli Fenn", ("gamma.txt:1",))}


def test_a_graph_that_keeps_sources_as_lists_is_rewritten_before_a_build_or_a_removal_changes_it(
        store: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """A kg before kept ``sources`` as a list on every relationship, Paper and Listing; the store now
    holds one string (``kg.schema.SOURCE_SEPARATOR``). Building into such a graph, or removing a
    listing from it, rewrites them first and gives the graph a build of this kg gives."""
    load_records(ALPHA + BETA, store, batch_size=BATCH)
    both = snapshot(store)
    remove_listing(store, "beta.txt", batch_size=BATCH)
    alpha_only = but_paper_fields(snapshot(store))
    load_records(BETA, store, batch_size=BATCH)
    as_lists = ("MATCH ()-[r]->() SET r.sources = split(r.sources, $sep)",
                "MATCH (n) WHERE n.sources IS NOT NULL SET n.sources = split(n.sources, $sep)")

    def written_by_a_kg_before() -> None:
        for statement in as_lists:
            store.run(statement, {"sep": SOURCE_SEPARATOR}, write=True)
        assert {type(row["s"]) for row in store.run("MATCH ()-[r]->() RETURN r.sources AS s")} == {list}

    written_by_a_kg_before()
    assert snapshot(store) == both  # the test's reading takes either
    capsys.readouterr()
    load_records(BETA, store, batch_size=BATCH)
    assert snapshot(store) == both
    assert capsys.readouterr().err.count("kg: rewriting where each part of the graph came from") == 1
    assert {type(row["s"]) for row in store.run("MATCH ()-[r]->() RETURN r.sources AS s")} == {str}
    written_by_a_kg_before()
    remove_listing(store, "beta.txt", batch_size=BATCH)
    assert but_paper_fields(snapshot(store)) == alpha_only
    assert {type(row["s"]) for row in store.run("MATCH (n) WHERE n.sources IS NOT NULL RETURN n.sources AS s")} == {
        str}


def test_removing_a_listing_takes_away_only_what_it_alone_said(store: Any) -> None:
    load_records(ALPHA, store, batch_size=BATCH)
    alpha_only, alpha_counts = but_paper_fields(snapshot(store)), graph_counts(store)
    load_records(BETA, store, batch_size=BATCH)
    assert graph_counts(store) != alpha_counts
    remove_listing(store, "beta.txt", batch_size=BATCH)
    assert but_paper_fields(snapshot(store)) == alpha_only
    assert graph_counts(store) == alpha_counts


def test_a_removal_cut_short_before_its_sweep_is_finished_by_the_next(store: Any,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A removal deletes the nodes it left with no relationship last, and only those it may have
    left so (not every node of a label: minutes at a million papers). It keeps them on the listing's
    node until then, so when it is cut short there, the next removal, finding the listing still in
    the graph but its papers gone, still deletes them."""
    load_records(ALPHA, store, batch_size=BATCH)
    alpha_only = snapshot(store)
    load_records(BETA, store, batch_size=BATCH)
    run = store.run

    def cut_before_the_sweep(statement: str, params: Any = None, **options: Any) -> Any:
        if "WHERE NOT (n)--()" in statement:
            raise KeyboardInterrupt
        return run(statement, params, **options)

    monkeypatch.setattr(store, "run", cut_before_the_sweep)
    with pytest.raises(KeyboardInterrupt):
        remove_listing(store, "beta.txt", batch_size=BATCH)
    monkeypatch.undo()
    assert rows(store, "MATCH (a:Author {name: 'Eli Fenn'}) OPTIONAL MATCH (a)-[r]-() RETURN count(r) AS n") == {(0,)}
    assert any("Author:" in kept for (sweep,) in rows(store, "MATCH (l:Listing {key: 'beta.txt'}) RETURN l.sweep AS s")
               for kept in sweep)
    remove_listing(store, "beta.txt", batch_size=BATCH)
    assert but_paper_fields(snapshot(store)) == but_paper_fields(alpha_only)


SUMMARIES = ("MATCH (a:Author) RETURN a.name AS name, a.community AS community, a.community_size AS size, "
             "a.coauthors AS coauthors, a.papers AS papers, a.collaboration_rank AS collaboration_rank, "
             "a.community_rank AS community_rank")


GAMMA = [
    {"type": "listing", "file": "gamma.txt", "line": 1, "layout": "daily", "owner": None, "categories": [],
     "stats": {}, "papers_stated": None, "papers_read": 2, "page_date": "Mar 7"},
    _paper("gamma.txt", 4, "Brass Kites", ["Wei Chen", "Fay Orr"], layout="daily"),
    _paper("gamma.txt", 9, "Paper Lakes", ["Wei Chen", "Gus Pell"], layout="daily"),
]
DELTA = [
    {"type": "listing", "file": "delta.txt", "line": 1, "layout": "daily", "owner": None, "categories": [],
     "stats": {}, "papers_stated": None, "papers_read": 1, "page_date": "Mar 8"},
    _paper("delta.txt", 5, "Kites over Lakes", ["Gus Pell", "Wei Chen", "Fay Orr"], layout="daily"),
]


def people(store: Any) -> set[tuple[Any, ...]]:
    return rows(store, "MATCH (a:Author {name_key: 'wei chen'})-[:AUTHORED]->(p:Paper) "
                       "RETURN a.key AS person, p.title AS title")


def _is_one_load_and_back(store: Any, first: list[dict[str, Any]], later: list[dict[str, Any]],
                          apart: tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]) -> None:
    """The store, holding ``first`` and then ``later`` loaded on its own, equals one load of both;
    removing ``later`` gives back ``apart``, the snapshot of ``first`` alone."""
    joined = snapshot(store)
    store.clear()
    store.ensure_schema()
    load_records(first + later, store, batch_size=BATCH)
    assert snapshot(store) == joined
    remove_listing(store, later[0]["file"], batch_size=BATCH)
    assert but_paper_fields(snapshot(store)) == but_paper_fields(apart)


def test_a_listing_added_later_joins_a_person_it_connects_and_removing_it_splits_them_again(store: Any) -> None:
    """A common name on two papers with nothing in common is two people; a later listing whose
    paper has a co-author of each makes them one, with their co-authorships, as one load of both
    listings would; taking that listing away again gives the two people back."""
    load_records(GAMMA, store, batch_size=BATCH)
    apart = snapshot(store)
    kites, lakes = paper_key("Brass Kites"), paper_key("Paper Lakes")
    assert people(store) == {(f"wei chen~{kites[2:10]}", "Brass Kites"), (f"wei chen~{lakes[2:10]}", "Paper Lakes")}

    load_records(DELTA, store, batch_size=BATCH)
    both = paper_key("Kites over Lakes")
    wei = f"wei chen~{min(kites, lakes, both)[2:10]}"  # a common name: keyed by its first paper
    assert people(store) == {(wei, title) for title in ("Brass Kites", "Paper Lakes", "Kites over Lakes")}
    assert rows(store, f"MATCH (:Author {{key: '{wei}'}})-[r:CO_AUTHOR]->(b:Author) RETURN b.name AS b, "
                       "r.paper AS paper") == {("Fay Orr", kites), ("Gus Pell", lakes), ("Fay Orr", both),
                                               ("Gus Pell", both)}
    _is_one_load_and_back(store, GAMMA, DELTA, apart)


EPSILON = [
    {"type": "listing", "file": "epsilon.txt", "line": 1, "layout": "profile-compact", "owner": None,
     "categories": [], "stats": {}, "papers_stated": 2, "papers_read": 2, "page_date": None},
    _paper("epsilon.txt", 3, "Tidal Sorting", ["Wei Chen", "Cal Ibbot"], layout="profile-compact", date="2024-02-01"),
    _paper("epsilon.txt", 8, "Tidal Heaps", ["Wei Chen", "Dru Venn"], layout="profile-compact", date="2025-05-01"),
]
ZETA = [
    {"type": "listing", "file": "zeta.txt", "line": 1, "layout": "daily", "owner": None, "categories": [],
     "stats": {}, "papers_stated": None, "papers_read": 1, "page_date": "May 2"},
    _paper("zeta.txt", 4, "Heaps of Tides", ["Cal Ibbot", "Dru Venn"], layout="daily"),
]


def test_a_listing_that_does_not_name_a_person_can_still_join_them_through_a_co_author_of_a_co_author(
        store: Any) -> None:
    """Two papers of a common name on one profile page are two people; a later listing whose one
    paper is by their two co-authors adds the evidence of a co-author of a co-author, which with
    the page and the years joins them (kg.resolve.people.WEIGHTS), though it names neither: as one load."""
    load_records(EPSILON, store, batch_size=BATCH)
    apart = snapshot(store)
    assert len(people(store)) == 2 and len({person for person, _ in people(store)}) == 2
    load_records(ZETA, store, batch_size=BATCH)
    assert len({person for person, _ in people(store)}) == 1
    _is_one_load_and_back(store, EPSILON, ZETA, apart)


ETA = [
    {"type": "listing", "file": "eta.txt", "line": 1, "layout": "daily", "owner": None, "categories": [],
     "stats": {}, "papers_stated": None, "papers_read": 2, "page_date": "Mar 3"},
    _paper("eta.txt", 3, "Folded Kernels", ["Ida Moss"], layout="daily", upvotes=4, date="2024-03-03",
           methods=[_m("FKN", "proposed", "Folded Kernel Network")]),
    _paper("eta.txt", 9, "Paper Cranes", ["Jo Pike"], layout="daily", upvotes=1,
           methods=[_m("Crane", "proposed"), _m("FKN", "builds_on")]),
]
THETA = [
    {"type": "listing", "file": "theta.txt", "line": 1, "layout": "profile", "owner": "Ida Moss", "categories": [],
     "stats": {}, "papers_stated": 2, "papers_read": 2, "page_date": None},
    # the same paper on a profile page: fewer upvotes, an earlier date, the abstract cut short
    _paper("theta.txt", 4, "Folded Kernels", ["Ida Moss"], upvotes=2, date="2024-02-28", abstract="About folded",
           profile_owner="Ida Moss", methods=[_m("FKN", "proposed", "Folded Kernel Network")]),
    # a plural and a long form of its own: one thing with FKN, however the listings are loaded
    _paper("theta.txt", 8, "Origami Nets", ["Ida Moss"], profile_owner="Ida Moss",
           methods=[_m("ORI", "proposed", "Origami Network"), _m("FKNs", "compared_with")]),
]


def test_a_later_listing_joins_and_renames_a_method_as_one_load_would_and_its_removal_takes_its_spellings(
        store: Any) -> None:
    """Methods and papers are settled over the whole graph (kg.entities, kg.resolve.papers.PAPER_FIELDS):
    a spelling met in a later listing joins the node one load of both makes, a paper on both
    listings has the fields one load gives it, and removing the later listing takes away the
    spellings only it used."""
    load_records(ETA, store, batch_size=BATCH)
    alone = snapshot(store)
    load_records(THETA, store, batch_size=BATCH)
    assert rows(store, "MATCH (m:Method {key: 'fkn'}) RETURN m.name AS name, m.names AS names") == {
        ("FKN", ("fkn", "fkns", "foldedkernelnetwork"))}
    assert rows(store, "MATCH (:Paper)-[r]->(m:Method) WHERE m.key STARTS WITH 'fkn' RETURN type(r) AS t, "
                       "r.role AS role, m.key AS key") == {
        ("PROPOSES", None, "fkn"), ("MENTIONS", "builds_on", "fkn"), ("MENTIONS", "compared_with", "fkn")}
    assert rows(store, "MATCH (p:Paper {title: 'Folded Kernels'}) RETURN p.upvotes AS u, p.date AS d, "
                       "p.abstract AS a, p.layout AS l") == {(4, "2024-02-28", "About folded kernels.", "daily")}
    _is_one_load_and_back(store, ETA, THETA, alone)
    _later_first_is_one_load(store, ETA, THETA)


def _later_first_is_one_load(store: Any, first: list[dict[str, Any]], later: list[dict[str, Any]]) -> None:
    """Loading ``later`` and then ``first`` gives the graph one load of both gives."""
    store.clear()
    store.ensure_schema()
    load_records(later, store, batch_size=BATCH)
    load_records(first, store, batch_size=BATCH)
    later_first = snapshot(store)
    store.clear()
    store.ensure_schema()
    load_records(first + later, store, batch_size=BATCH)
    assert later_first == snapshot(store)


IOTA = [{"type": "listing", "file": "iota.txt", "line": 1, "layout": "daily", "owner": None, "categories": [],
         "stats": {}, "papers_stated": None, "papers_read": 1, "page_date": "Mar 4"},
        _paper("iota.txt", 3, "Quorbic Control", ["Kai Lund"], layout="daily", methods=[_m("QPD", "compared_with")])]
KAPPA = [{"type": "listing", "file": "kappa.txt", "line": 1, "layout": "daily", "owner": None, "categories": [],
          "stats": {}, "papers_stated": None, "papers_read": 1, "page_date": "Mar 5"},
         _paper("kappa.txt", 3, "Better Quorbic Descent", ["Lee Moor"], layout="daily",
                methods=[_m("quorbic proximal descent", "builds_on")])]


def test_an_acronym_and_the_long_form_it_spells_in_another_listing_are_one_method(store: Any) -> None:
    """No paper gives the two together, but the acronym spells the long form's initials: one node,
    whichever listing comes first, as one load makes it; removing one listing splits nothing left."""
    load_records(IOTA, store, batch_size=BATCH)
    alone = snapshot(store)
    load_records(KAPPA, store, batch_size=BATCH)
    assert rows(store, "MATCH (m:Method) RETURN m.name AS name, m.aliases AS aliases") == {
        ("QPD", ("quorbic proximal descent",))}
    _is_one_load_and_back(store, IOTA, KAPPA, alone)
    _later_first_is_one_load(store, IOTA, KAPPA)


def _daily(file: str, papers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "listing", "file": file, "line": 1, "layout": "daily", "owner": None, "categories": [],
             "stats": {}, "papers_stated": None, "papers_read": len(papers), "page_date": "Mar 7"}, *papers]


# one listing spells ZPO out as something else, and mentions it bare; the other spells it out the
# way most papers do
LAMBDA = _daily("lambda.txt", [
    _paper("lambda.txt", 3, "Zonal Pruning", ["Mo Reed"], layout="daily",
           methods=[_m("ZPO", "proposed", "zonal pruning operator")]),
    _paper("lambda.txt", 9, "Pruned Quanta", ["Nia Ross"], layout="daily", methods=[_m("ZPO", "builds_on")])])
MU = _daily("mu.txt", [
    _paper("mu.txt", 3 + 6 * i, f"Zorbic Policies {i}", [f"Oli Sage{i}"], layout="daily",
           methods=[_m("ZPO", "compared_with", "zorbic policy optimization")]) for i in range(3)])


def test_an_acronym_names_what_most_papers_spell_it_out_as_however_the_listings_come(store: Any) -> None:
    """Alone, the first listing's ZPO is its zonal pruning operator. With the second, whose three
    papers spell it out as zorbic policy optimization, a bare ZPO is that, in one load or two, and
    a query for ZPO finds it; the operator stays a method of its own, shown by its long form.
    Removing the second listing gives back the first alone."""
    from kg.query.catalogue import resolve_entity

    load_records(LAMBDA, store, batch_size=BATCH)
    alone = snapshot(store)
    assert rows(store, "MATCH (m:Method) RETURN m.name AS name, m.aliases AS aliases") == {
        ("ZPO", ("zonal pruning operator",))}
    load_records(MU, store, batch_size=BATCH)
    uses = "MATCH (p:Paper)-->(m:Method) RETURN m.name AS name, m.aliases AS aliases, count(p) AS papers"
    assert rows(store, uses) == {("ZPO", ("zorbic policy optimization",), 4),
                                 ("zonal pruning operator", ("ZPO",), 1)}
    assert store.run("MATCH (m:Method {key: $key}) RETURN m.name AS name",
                     {"key": resolve_entity(store, "Method", "zpo")}) == [{"name": "ZPO"}]
    _is_one_load_and_back(store, LAMBDA, MU, alone)
    _later_first_is_one_load(store, LAMBDA, MU)


def test_author_summaries_follow_the_co_author_graph_as_listings_come_and_go(store: Any) -> None:
    """Alpha: Ada Quill wrote Lanterns with Bo Tamsin and Cy Vane, Routers with Dee Wren. Beta adds
    Echo Nets by Bo Tamsin and Eli Fenn. The community is named by its smallest key; ranks go by
    co-authors, then papers, then name."""
    load_records(ALPHA, store, batch_size=BATCH)
    assert rows(store, SUMMARIES) == {
        ("Ada Quill", "ada quill", 4, 3, 2, 1, 1), ("Bo Tamsin", "ada quill", 4, 2, 1, 2, 1),
        ("Cy Vane", "ada quill", 4, 2, 1, 3, 1), ("Dee Wren", "ada quill", 4, 1, 1, 4, 1)}
    load_records(BETA, store, batch_size=BATCH)
    assert rows(store, SUMMARIES) == {
        ("Ada Quill", "ada quill", 5, 3, 2, 1, 1), ("Bo Tamsin", "ada quill", 5, 3, 2, 2, 1),
        ("Cy Vane", "ada quill", 5, 2, 1, 3, 1), ("Dee Wren", "ada quill", 5, 1, 1, 4, 1),
        ("Eli Fenn", "ada quill", 5, 1, 1, 5, 1)}
    remove_listing(store, "alpha.txt", batch_size=BATCH)  # the Lanterns of beta name no authors
    assert rows(store, SUMMARIES) == {
        ("Bo Tamsin", "bo tamsin", 2, 1, 1, 1, 1), ("Eli Fenn", "bo tamsin", 2, 1, 1, 2, 1)}


@pytest.mark.parametrize("page", [1, 2, 3])
def test_author_summaries_read_by_pages_are_those_read_at_once(store: Any, page: int) -> None:
    """Summaries read a few authors at a time, so that co-authors sit on different pages, are
    the ones read in one page; wrong ones are written over, right ones are left alone."""
    load_records(ALPHA + BETA, store, batch_size=BATCH)
    whole = rows(store, SUMMARIES)
    store.run("MATCH (a:Author) WHERE a.name IN ['Ada Quill', 'Eli Fenn'] "
              "SET a.community = 'x', a.community_size = 0, a.coauthors = 0, a.collaboration_rank = 99", write=True)
    assert update_author_summaries(store, batch_size=BATCH, page=page) == 2
    assert rows(store, SUMMARIES) == whole
    assert update_author_summaries(store, batch_size=BATCH, page=page) == 0


def test_schema_statements_can_run_twice(store: Any) -> None:
    store.ensure_schema()
    store.ensure_schema()


# Ways a read-only query might try to change the graph (what `kg cypher` sends without --write)
WRITE_ATTEMPTS = [
    "CREATE (:Paper {key: 'x'})", "create (:Paper {key: 'x'})", "MERGE (:Paper {key: 'x'})",
    "MATCH (p:Paper) SET p.title = 'x'", "MATCH (p:Paper) SET p += {title: 'x'}", "MATCH (p:Paper) REMOVE p.title",
    "MATCH (p:Paper) DELETE p", "MATCH (p:Paper) DETACH DELETE p", "MATCH ()-[r]->() DELETE r",
    "WITH 1 AS x CREATE (:Paper {key: 'x'})", "UNWIND [1, 2] AS x MERGE (:Paper {key: toString(x)})",
    "FOREACH (x IN [1] | CREATE (:Paper {key: 'x'}))", "MATCH (p:Paper) WITH p LIMIT 1 SET p:Other",
    "/* a comment */ CREATE (:Paper {key: 'x'})", "MATCH (a:Author), (p:Paper) CREATE (a)-[:AUTHORED]->(p)",
    "OPTIONAL MATCH (p:Paper) CREATE (:Paper {key: 'x'})", "CREATE INDEX FOR (n:Paper) ON (n.title)",
    "MATCH (p:Paper) RETURN p UNION MATCH (p:Paper) SET p.title = 'x' RETURN p",
]


def test_a_read_only_query_cannot_change_the_graph_however_it_is_written(store: Any) -> None:
    """Each attempt is refused with a QueryError, and the graph is as it was."""
    if store.kind == "bolt":
        pytest.skip("FalkorDB's experimental Bolt port runs a read transaction's writes; Neo4j refuses them")
    load_records(ALPHA + BETA, store, batch_size=BATCH)
    before = snapshot(store)
    for attempt in WRITE_ATTEMPTS:
        with pytest.raises(QueryError):
            store.run(attempt)
    assert snapshot(store) == before


def test_values_travel_verbatim_as_parameters(store: Any) -> None:
    if store.kind == "bolt":
        pytest.skip("FalkorDB's Bolt port splices parameters into the query text unescaped "
                    "(src/bolt/bolt_api.c, write_value), so quotes break it; Neo4j itself is covered by -m neo4j")
    nasty = ["O'Brien", 'say "hi"', "back`tick", "{brace}", "MATCH (n) DETACH DELETE n", "Ｒｅｔ Ｎｅｔ", "Rеt Nеt",
             "\\n not a newline", "$param", "tab\tand\nnewline", "'}) MATCH (m) DETACH DELETE m //"]
    if store.kind == "neo4j":
        nasty.append("null\x00byte")
    store.run("UNWIND $names AS name CREATE (:Author {key: name, name: name})", {"names": nasty}, write=True)
    assert {r["name"] for r in store.run("MATCH (a:Author) RETURN a.name AS name")} == set(nasty)
    for name in nasty:
        assert store.run("MATCH (a:Author {key: $k}) RETURN a.name AS name", {"k": name}) == [{"name": name}]


@pytest.mark.parametrize("value", [
    "", "a \\ \"b\" `c`", [], [1, 2.5, -3], [None, True, False], ["x", ["y", [""]]], {"k": "v", "n": 1},
    {"list": [1, {"deep": "er"}], "none": None}, [{"key": "a", "sources": ["f.txt:1", 2]}], 10**15, -0.125,
])
def test_structured_values_travel_as_parameters(store: Any, value: Any) -> None:
    assert store.run("RETURN $v AS v", {"v": value}) == [{"v": value}]


def test_the_embedded_store_reads_nodes_relationships_and_run_time_errors(_embedded: Any) -> None:
    """Plain values are read by kg; a reply that holds a node or a relationship goes to the client,
    which knows the graph's labels; an error FalkorDB reports after the rows is raised."""
    store = _embedded
    store.clear()
    store.run("CREATE (:Author {key: 'a', name: 'A'})-[:CO_AUTHOR {paper: 'p'}]->(:Author {key: 'b', name: 'B'})",
              write=True)
    (row,) = store.run("MATCH (a)-[r]->(b) RETURN a, r, b.name AS name, [a.key, [1.5, true, null]] AS plain")
    assert (row["a"].labels, row["a"].properties) == (["Author"], {"key": "a", "name": "A"})
    assert (row["r"].relation, row["r"].properties) == ("CO_AUTHOR", {"paper": "p"})
    assert (row["name"], row["plain"]) == ("B", ["a", [1.5, True, None]])
    with pytest.raises(QueryError, match=r"(?i)division by zero"):
        store.run("UNWIND [1, 0] AS x RETURN 1 / x AS y")


def test_the_embedded_store_refuses_nul_bytes_clearly(_embedded: Any) -> None:
    store = _embedded
    store.clear()
    with pytest.raises(QueryError, match="NUL byte"):
        store.run("CREATE (:Author {key: $k})", {"k": "a\x00b"}, write=True)
    assert store.run("MATCH (a:Author) RETURN count(a) AS n") == [{"n": 0}]


def test_reads_are_read_only(store: Any) -> None:
    if store.kind == "bolt":
        pytest.skip("FalkorDB's Bolt port ignores the transaction's access mode")
    with pytest.raises(QueryError):
        store.run("CREATE (:Paper {key: 'written by a read'})")
    assert store.run("MATCH (p:Paper) RETURN count(p) AS n") == [{"n": 0}]


def test_write_all_runs_statements_in_order_and_raises_the_error_of_a_failed_one(store: Any) -> None:
    """Statements run one after the other (a relationship finds the node written just before
    it), ``written`` is called once per statement with the rows it returned, a failing statement
    raises QueryError, and the store answers normally afterwards (the embedded store sends ahead:
    no reply is left unread)."""
    store.clear()
    create = "UNWIND $rows AS k CREATE (a:Author {key: k}) RETURN a.key AS made"
    link = "UNWIND $rows AS k MATCH (a:Author {key: k}), (b:Author {key: k + 'x'}) CREATE (a)-[:CO_AUTHOR]->(b)"
    done: list[list[dict[str, Any]]] = []
    store.write_all([(create, {"rows": ["a", "b"]}), (create, {"rows": ["ax", "bx"]}), (link, {"rows": ["a", "b"]})],
                    done.append)
    assert done == [[{"made": "a"}, {"made": "b"}], [{"made": "ax"}, {"made": "bx"}], []]
    assert rows(store, "MATCH (a:Author)-[:CO_AUTHOR]->(b:Author) RETURN a.key, b.key") == {("a", "ax"), ("b", "bx")}
    with pytest.raises(QueryError):
        store.write_all([(create, {"rows": ["c"]}), ("UNWIND $rows AS k RETURN k / 0 AS boom", {"rows": ["d"]}),
                         (create, {"rows": ["e"]})])
    assert store.run("MATCH (a:Author {key: 'c'}) RETURN a.key AS k") == [{"k": "c"}]
    assert store.run("RETURN 1 AS one") == [{"one": 1}]


def test_the_groups_a_settle_walks_to_through_joins_are_those_of_reading_every_node(
        tmp_path: Any, dev_records: list[dict[str, Any]]) -> None:
    """The dev listings loaded in batches of five papers, then settled: every Method and Dataset
    node's ``joins`` are what its names give, and the nodes a set of them can be joined with,
    found through the index on ``joins``, are those found by reading every node; a graph whose
    nodes have no ``joins`` (an earlier kg's) is read whole once, which gives them theirs."""
    import random

    from kg.entities import _components_whole, components
    from kg.resolve.entities import joins_of
    from kg.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path)  # not over Bolt, which cannot take the dev abstracts' quotes

    def stored(label: str) -> dict[str, tuple[list[str], list[str]]]:
        return {r["key"]: (r["joins"], joins_of(r["key"], r["name"], r["aliases"] or [], r["names"] or []))
                for r in store.run(f"MATCH (n:{label}) RETURN n.key AS key, n.name AS name, n.aliases AS aliases, "
                                   "n.names AS names, n.joins AS joins")}

    load_records(dev_records, store, batch_size=BATCH)
    rng = random.Random(5)
    for label in ("Method", "Dataset"):
        nodes = stored(label)
        assert nodes and all(held == wanted for held, wanted in nodes.values())
        for size in (1, 2, 5, 20):
            keys = rng.sample(sorted(nodes), min(size, len(nodes)))
            walked = components(store, label, keys)
            assert walked == _components_whole(store, label, keys, BATCH)
            assert {k for group in walked for k in group} >= set(keys)
        store.run(f"MATCH (n:{label}) SET n.joins = null", write=True)
        keys = rng.sample(sorted(nodes), 3)
        assert components(store, label, keys) == _components_whole(store, label, keys, BATCH)
        assert all(held == wanted for held, wanted in stored(label).values())
    store.close()
