"""The authors' summaries brought up to date from what a build touched (``kg.load.communities``)
are those of the whole graph, as listings come, are replaced and go.

The corpus is the synthetic one of the benchmark: its authors share names across listings, so
co-author communities join, grow into one large one and split again when a listing goes. The
ranks are cut to a few places so that they move in and out of the ranking.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from kg.load import remove_listings, summaries
from kg.pipeline import build_files, load_records
from tests.conftest import SHARED
from tests.integration.summaries import expected_summaries, stored_summaries
from tests.integration.test_store import _paper

CORPUS_SCRIPT = SHARED / "bench" / "make_corpus.py"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    if not CORPUS_SCRIPT.exists():
        pytest.skip(f"no corpus generator at {CORPUS_SCRIPT} (set KG_SHARED)")
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--papers", "480", "--per-listing", "20", "--seed", "11",
                    "--out", str(out)], check=True, capture_output=True, timeout=120)
    return sorted((out / "listings").glob("*.txt"))


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every build updates the summaries locally, with 4 ranked places of 2 members; the list
    counts the times the whole graph was summarised instead."""
    monkeypatch.setattr(summaries, "FULL_BELOW", 0)
    monkeypatch.setattr(summaries, "LOCAL_SHARE", 1.0)
    monkeypatch.setattr(summaries, "RANKED", 4)
    monkeypatch.setattr(summaries, "SHOWN_MEMBERS", 2)
    whole: list[int] = []
    update_all = summaries.update_all_summaries

    def counted(*args: Any, **kwargs: Any) -> int:
        whole.append(1)
        return update_all(*args, **kwargs)

    monkeypatch.setattr(summaries, "update_all_summaries", counted)
    yield whole


def _holds(store: Any) -> None:
    assert stored_summaries(store) == expected_summaries(store)
    assert not store.run("MATCH (a:Author) WHERE a.summaries_due = true RETURN a.key AS key")


@pytest.mark.parametrize("seed", range(6))
def test_local_summaries_are_the_whole_graphs(corpus: list[Path], local: list[int], tmp_path: Path,
                                              seed: int) -> None:
    """A first build of a third of the listings, then twenty steps, each adding a listing (as a
    daily one comes), replacing one by other papers under its name, or removing one."""
    from kg.store.embedded import EmbeddedStore

    rng = random.Random(seed)
    order = corpus[:]
    rng.shuffle(order)
    first, rest = order[:8], order[8:]
    with EmbeddedStore(tmp_path / "data") as store:
        build_files(first, store, annotate=None)
        _holds(store)
        held = [p.name for p in first]
        for step in range(20):
            action = rng.choice(["add", "add", "replace", "remove"]) if rest else rng.choice(["replace", "remove"])
            if action == "add":
                path = rest.pop()
                build_files([path], store, annotate=None)
                held.append(path.name)
            elif action == "replace":  # its authors' links go, others come
                other = tmp_path / f"edited-{step}" / rng.choice(held)
                other.parent.mkdir()
                shutil.copy(rng.choice(corpus), other)
                build_files([other], store, annotate=None)
            else:
                gone = held.pop(rng.randrange(len(held)))
                remove_listings(store, [gone])
            _holds(store)
        assert len({s["community"] for s in stored_summaries(store).values()}) > 4  # more than the ranked
        assert not local  # no update fell back to the whole graph


def test_an_update_that_would_walk_too_far_falls_back_to_the_whole_graph(
        corpus: list[Path], local: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.store.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "data") as store:
        build_files(corpus[:10], store, annotate=None)
        before = len(local)
        monkeypatch.setattr(summaries, "LOCAL_BUDGET", 5)
        build_files(corpus[10:12], store, annotate=None)
        _holds(store)
        assert len(local) == before + 1


def _listing(file: str, papers: list[list[str]]) -> list[dict[str, Any]]:
    """A profile listing of papers by these authors, one paper a list of names."""
    return [{"type": "listing", "file": file, "line": 1, "layout": "profile", "owner": None, "categories": [],
             "stats": {}, "papers_stated": len(papers), "papers_read": len(papers), "page_date": None},
            *(_paper(file, 3 + 10 * i, f"{file} paper {i}", authors) for i, authors in enumerate(papers))]


CHAIN = ["Bo Tamsin", "Cy Vane", "Dee Wren", "Eli Fenn", "Fay Orme", "Gus Pell", "Hal Ruse", "Ida Sorn"]


def _chain(file: str, names: list[str]) -> list[dict[str, Any]]:
    return _listing(file, [[a, b] for a, b in pairwise(names)])


@pytest.mark.parametrize("end", ["Abe Lutz", "Zed Quin"])
def test_a_piece_cut_off_a_large_community_is_counted_without_reading_the_rest(
        store: Any, local: list[int], monkeypatch: pytest.MonkeyPatch, end: str) -> None:
    """Removing the paper that tied two authors to a long chain of co-authors leaves them a
    community of their own; the chain keeps its name, or takes its smallest key left when the
    cut-off pair held the smallest (Abe Lutz sorts first)."""
    monkeypatch.setattr(summaries, "RANKED", 2)
    load_records(_chain("chain.txt", CHAIN) + _chain("tail.txt", ["Jo Tarn", end])
                 + _chain("bridge.txt", ["Ida Sorn", "Jo Tarn"]), store)
    _holds(store)
    assert len({s["community"] for s in stored_summaries(store).values()}) == 1
    remove_listings(store, ["bridge.txt"])
    _holds(store)
    communities = {s["community"] for s in stored_summaries(store).values()}
    assert len(communities) == 2 and not local


def test_a_community_that_goes_lets_an_untouched_one_into_the_ranking(store: Any, local: list[int],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Of three communities, two are ranked; when the second goes whole, the third, which no build
    touched, takes its place with its most published members."""
    monkeypatch.setattr(summaries, "RANKED", 2)
    load_records(_chain("chain.txt", CHAIN), store)
    load_records(_listing("mid.txt", [["Kai Moss", "Lea Nox", "Max Oda"], ["Kai Moss", "Lea Nox"]]), store)
    load_records(_listing("small.txt", [["Ned Pyle", "Ola Quay"], ["Ola Quay", "Ned Pyle"]]), store)
    _holds(store)
    assert {s["community_rank"] for s in stored_summaries(store).values()} == {1, 2, None}
    remove_listings(store, ["mid.txt"])
    _holds(store)
    ranked = {k: s["community_rank"] for k, s in stored_summaries(store).items() if s["community_rank"]}
    assert ranked["ned pyle"] == 2 and not local


def test_summaries_an_earlier_kg_wrote_are_made_again_whole_once(store: Any, local: list[int],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """An earlier kg kept the community's size on every member; the first build that touches one
    of them works every summary out again, and the next is local."""
    monkeypatch.setattr(summaries, "RANKED", 1)
    load_records(_chain("chain.txt", CHAIN) + _listing("mid.txt", [["Kai Moss", "Lea Nox"]]), store)
    store.run("MATCH (a:Author {key: 'kai moss'}) SET a.community_size = 2", write=True)
    load_records(_listing("more.txt", [["Kai Moss", "Max Oda"]]), store)
    _holds(store)
    assert len(local) == 1
    load_records(_listing("again.txt", [["Max Oda", "Ned Pyle"]]), store)
    _holds(store)
    assert len(local) == 1
