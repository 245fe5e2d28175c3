"""The command line as a user meets it on a built graph: answers, and errors that say what to do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(dev_listings: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "kg-data"
    result = runner.invoke(app, ["build", *map(str, dev_listings), "--data-dir", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    return folder


def _kg(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_version() -> None:
    from kg import __version__

    result = _kg("--version")
    assert result.exit_code == 0 and result.output.strip() == f"kg {__version__}"


def test_nodes_relationships_and_paths_come_out_as_json(data_dir: Path) -> None:
    result = _kg("cypher", "MATCH p = (m:Method)<-[r:PROPOSES]-(x:Paper) RETURN m, r, p LIMIT 1", "--format", "json",
                 "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.exception
    (row,) = json.loads(result.output)
    assert row["m"]["labels"] == ["Method"] and row["m"]["properties"]["name"]
    assert row["r"]["type"] == "PROPOSES" and row["r"]["properties"]["sources"]
    assert len(row["p"]["nodes"]) == 2 and len(row["p"]["relationships"]) == 1


def test_abstracts_come_out_as_text_and_a_string_test_on_them_is_warned_about(data_dir: Path,
                                                                             dev_listings: list[Path]) -> None:
    """The embedded store keeps abstracts deflated (kg.store.packing): every row kg prints has the
    text, in a plain column, in a node and in a path; Cypher that tests them as strings is told."""
    from kg.parse import read_listing

    texts = {p.title: p.abstract for path in dev_listings for p in read_listing(path).papers}
    result = _kg("cypher", "MATCH q = (p:Paper)-[:PROPOSES]->(:Method) RETURN p.title AS title, p.abstract AS a, "
                 "p, q LIMIT 3", "--format", "json", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.exception
    rows = json.loads(result.stdout)
    assert rows and all(row["a"] == row["p"]["properties"]["abstract"] == row["q"]["nodes"][0]["properties"]["abstract"]
                        == texts[row["title"]] for row in rows)
    searched = _kg("cypher", "MATCH (p:Paper) WHERE p.abstract CONTAINS 'the' RETURN count(p) AS n",
                   "--data-dir", str(data_dir))
    assert searched.exit_code == 0 and "keeps abstracts deflated" in searched.stderr
    assert "deflated" not in result.stderr


def test_a_write_without_write_says_how(data_dir: Path) -> None:
    result = _kg("cypher", "CREATE (n:Scratch)", "--data-dir", str(data_dir))
    assert result.exit_code == 1 and "kg cypher --write" in str(result.exception)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "http://neo4j:s3cret@localhost:7474"])
def test_a_browser_address_is_not_taken_for_a_driver_address(uri: str) -> None:
    result = _kg("stats", "--uri", uri)
    assert result.exit_code == 1 and "bolt://HOST:7687" in str(result.exception)
    assert "s3cret" not in str(result.exception)


def test_a_method_with_no_lineage_is_an_error_with_suggestions(data_dir: Path, tmp_path: Path) -> None:
    result = _kg("analyze", "--method", "yoko", "--plot", str(tmp_path / "plots"), "--data-dir", str(data_dir))
    assert result.exit_code == 1 and "did you mean YOCO" in str(result.exception)
    assert not (tmp_path / "plots").exists()  # nothing drawn before the error


def test_misspelt_query_and_parameter_names_get_a_suggestion(data_dir: Path) -> None:
    result = _kg("query", "coauthor", "--param", "author=Li Dong", "--data-dir", str(data_dir))
    assert result.exit_code == 1 and "did you mean coauthors?" in str(result.exception)
    result = _kg("query", "coauthors", "--param", "autor=Li Dong", "--data-dir", str(data_dir))
    assert result.exit_code == 1 and "did you mean author?" in str(result.exception)


def test_kg_listings_names_what_kg_remove_takes(data_dir: Path, dev_listings: list[Path]) -> None:
    result = _kg("listings", "--format", "json", "--data-dir", str(data_dir))
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["listing"] for r in rows] == sorted(p.name for p in dev_listings)
    papers = _kg("cypher", "MATCH (p:Paper)-[:LISTED_IN]->(l:Listing) RETURN l.key AS l, count(p) AS n",
                 "--format", "json", "--data-dir", str(data_dir))
    assert {r["listing"]: r["papers"] for r in rows} == {r["l"]: r["n"] for r in json.loads(papers.output)}


def test_a_parameter_name_with_a_backtick_is_an_error_not_a_traceback(data_dir: Path) -> None:
    result = _kg("cypher", "RETURN 1 AS one", "--param", "a`b=1", "--data-dir", str(data_dir))
    assert result.exit_code == 1 and "without backticks" in str(result.exception)
    assert not isinstance(result.exception, ValueError)  # a KGError: "Error: ..." and no traceback
