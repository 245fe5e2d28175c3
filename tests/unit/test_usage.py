"""How a corpus of listings uses each name: counted over made-up listings (the names are invented),
and the shipped table read as the role model's features."""

from __future__ import annotations

import json
from pathlib import Path

from kg.extract.usage import MIN_PAPERS, _table, annotated_titles, count_usage, usage_features

LISTING = """Daily Papers

Sorting Lists with QuantaNet

We propose a sorter built on the QuantaNet model and test it on ZorbBench and across the Plumset benchmark.

Faster Sorting

Our sorter beats QuantaNet on the ZorbBench benchmark by a wide margin.

An Annotated Paper About Sorting

We evaluate on the ZorbBench benchmark and the Plumset benchmark.
"""


def test_names_are_counted_once_a_paper_and_annotated_papers_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "listing.txt").write_text(LISTING, encoding="utf-8")
    gold = tmp_path / "gold" / "some"
    gold.mkdir(parents=True)
    (gold / "listing.annot.json").write_text(json.dumps([{"title": "An annotated paper about sorting"}]))
    leave_out = annotated_titles([tmp_path / "gold"])
    counts, read = count_usage([tmp_path / "listing.txt"], leave_out)
    assert read == 2
    # [papers, followed by a dataset head word, by a method head word, after on/across]
    assert counts["zorbbench"] == [2, 1, 0, 1]  # "on the ZorbBench benchmark": not right after "on"
    assert counts["quantanet"] == [2, 0, 1, 0]
    assert counts["plumset"] == [1, 1, 0, 0]  # the annotated paper names it too, and is not read


def test_a_name_the_corpus_names_seldom_says_nothing() -> None:
    assert usage_features(["Zorbquantaplum-9"]) == ["usage-unseen"]
    assert usage_features([]) == ["usage-unseen"]


def test_the_shipped_table_counts_within_its_papers() -> None:
    table = _table()
    assert len(table) > 1000
    assert all(papers >= MIN_PAPERS and max(data, method, on) <= papers for papers, data, method, on in table.values())
    key = max(table, key=lambda k: table[k][0])  # the corpus's most named name has all four features
    features = [f.split("=")[0] for f in usage_features([key])]
    assert features == ["usage-papers", "usage-data", "usage-method", "usage-on"]
