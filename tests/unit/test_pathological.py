"""Pathological input: no uncaught exception, and an answer in bounded time.

Each case runs under a generous deadline (a hang or catastrophic backtracking fails it; speed
itself is measured by `kg bench`, not here).
"""

from __future__ import annotations

import concurrent.futures

import pytest

from kg.extract.annotate import MAX_CHARS, Extractor
from kg.parse import parse_listing
from kg.records import ParsedListing

DEADLINE_S = 60


def _daily(title: str, abstract: str) -> str:
    return f"Dec 9\n\n{title}\n{abstract}\n• 3 authors\n·\nFeb 21 2\n"


def _compact(authors: str, abstract: str) -> str:
    return f"CLJul 17, 2023\nA Title About ThingsYutao Sun, {authors}\n{abstract}\n"


CASES = {
    "10 MB abstract": _daily("A Paper About Things", ("We propose FooNet, built on BERT. " * 300_000)[:10_000_000]),
    "100,000-character line": _daily("A Paper", "x" * 100_000),
    "thousands of et al.": _compact(", ".join(["Ann Lee et al."] * 3000), "We propose X."),
    "deeply nested brackets": _daily("Brackets", "We propose " + "(" * 5000 + "Net" + ")" * 5000 + " on BERT."),
    "deeply nested LaTeX": _daily("LaTeX", "We propose " + "{\\bf " * 3000 + "Net" + "}" * 3000 + "."),
    "thousands of acronym definitions": _daily("Acronyms", " ".join(f"Long Form {i} (LF{i})" for i in range(5000))),
    "a title of hyphens": _daily("-" * 50_000, "We propose Y."),
    "only separators": "·\n" * 100_000,
}


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize("name", CASES)
def test_pathological_input_is_answered_in_bounded_time(name: str, extractor: Extractor) -> None:
    def run() -> ParsedListing:
        parsed = parse_listing(CASES[name], "x.txt")
        if parsed.papers:
            extractor.annotate_listing(parsed)
        return parsed

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        parsed = pool.submit(run).result(timeout=DEADLINE_S)
    # every block is accounted for: a paper, or a problem naming file and line
    assert parsed.papers or parsed.problems
    assert all(p.file == "x.txt" and p.line >= 1 for p in parsed.problems)
    for paper in parsed.papers:
        if len(paper.abstract) > MAX_CHARS:
            assert any("characters: methods and datasets were looked for" in p.reason for p in parsed.problems)
