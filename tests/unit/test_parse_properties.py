"""Property tests: any input parses without an uncaught exception, and nothing is lost.

"Nothing is lost" is checked on mutated real listings: every paper anchor in the input (a meta
line on profile pages) ends up either as a paper or as a rejected problem at that line, and on
daily pages every line of text ends up in a paper, in a problem, or is page furniture.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.parse import glued_meta_start, parse_listing
from kg.parse.daily import HEADER_LINES
from kg.parse.fields import AUTHOR_COUNT_RE, DATE_LINE_RE, META_RE, SEPARATOR, normalise_space
from kg.parse.text import decode_lines
from kg.records import ParsedListing
from tests.conftest import DEV_LISTINGS

LISTINGS = sorted(DEV_LISTINGS.glob("*.txt"))
# KG_FUZZ_EXAMPLES raises the budget for a longer campaign (docs/development.md).
SETTINGS = settings(max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check_accounting(data: bytes, parsed: ParsedListing) -> None:
    # as kg reads them (invisible characters and NUL bytes dropped, other spaces read as spaces),
    # by line number
    read = {line.number: line.text for line in decode_lines(data, "x.txt")[0]}
    lines = [read.get(n, "") for n in range(1, max(read, default=0) + 1)]
    if parsed.layout in ("profile", "profile-compact"):
        anchors = {n for n, line in enumerate(lines, start=1)  # a meta line, or one glued to the line's end
                   if META_RE.match(line.rstrip("\r")) or glued_meta_start(line.rstrip("\r")) is not None}
        papers = {p.source.line for p in parsed.papers}
        rejected = {p.line for p in parsed.rejected}
        assert papers.isdisjoint(rejected)
        assert anchors == papers | (rejected & anchors), "a paper vanished"
    elif parsed.layout == "daily":
        kept = " ".join([p.title + " " + p.abstract for p in parsed.papers] + [p.text for p in parsed.problems])
        kept = normalise_space(kept)
        for line in lines:
            text = normalise_space(line.replace("\ufffd", " "))
            if (not text or text.lower() in HEADER_LINES or text == SEPARATOR or text.startswith("by")
                    or AUTHOR_COUNT_RE.match(text) or DATE_LINE_RE.match(text) or len(text) <= 120):
                continue  # page furniture, or a short line that may be an organisation line
            assert text[:100] in normalise_space(kept.replace("\ufffd", " ")), f"lost: {text[:80]!r}"


@SETTINGS
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    parsed = parse_listing(data, "fuzz.txt")
    for problem in parsed.problems:
        assert problem.file == "fuzz.txt" and problem.line >= 1


_LISTING_PIECES = [*"abcXYZ ,.·•\n\t0123456789-:?", "CLMay 3, 2023", "Code", " et al.", " authors", "Daily Papers",
                   "Feb 21 2", "\n\n", "Wei Zhang", "ModelsYutao Sun", " · tsinghua"]


@SETTINGS
@given(st.lists(st.sampled_from(_LISTING_PIECES), max_size=300))
def test_listing_like_text_never_raises(pieces: list[str]) -> None:
    data = "".join(pieces).encode()
    _check_accounting(data, parse_listing(data, "fuzz.txt"))


_STRAY_LINES = [b"", b"\xc3\x28", b"CLMay 3", b"\xc2\xb7", b"  \xe2\x80\xa2 3 authors", b"some stray text",
                b"Jan 1, 2020 5"]


@st.composite
def mutated_listing(draw: st.DrawFn) -> bytes:
    path: Path = draw(st.sampled_from(LISTINGS))
    lines = path.read_bytes().split(b"\n")
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "garble", "insert", "truncate", "swap"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "garble":
            junk = draw(st.binary(min_size=1, max_size=20))
            cut = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:cut] + junk + lines[i][cut:]
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(_STRAY_LINES)))
        elif op == "truncate":
            lines = [*lines[:i], lines[i][:draw(st.integers(0, len(lines[i])))]]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


@SETTINGS
@given(mutated_listing())
@pytest.mark.slow
def test_mutated_real_listings_lose_no_paper(data: bytes) -> None:
    parsed = parse_listing(data, "mutant.txt")
    _check_accounting(data, parsed)


def test_pathological_lines_parse_in_bounded_time() -> None:
    # Catastrophic backtracking or a quadratic split would make these take minutes.
    hostile = [
        "CLMay 3, 2023\n" + "aB" * 50_000 + "\n" + "x " * 100_000 + "\n",
        "CLMay 3, 2023\nTitle" + "Ab Cd, " * 20_000 + " et al." * 5_000 + "\nabstract\n",
        "Daily Papers\n\n" + "(" * 100_000 + "\n\n" + "[{" * 50_000 + "\n",
        "CLMay 3, 2023\nTitleJohn Smith\n" + "a" * 10_000_000 + "\n",
    ]
    for text in hostile:
        parse_listing(text, "hostile.txt")


REAL = [*LISTINGS, *sorted((DEV_LISTINGS.parent / "train").glob("*.txt")),
        *sorted((DEV_LISTINGS.parents[1] / "corpus" / "hf-daily").glob("*.txt"))[:400]]
_ZWSP, _NOT_A_NAME = "\u200b", "W@ng"


def _authors_line(line: str) -> bool:
    """A profile page's authors line, with its "et al.": a title can read as names too ("Zorb
    Return, Quanta-Eliciting Sort"), and spoilt, it would no longer be the page's title."""
    from kg.parse.names import parse_author_line

    return parse_author_line(line) is not None and ", " in line and "et al." in line


@st.composite
def mixed_listings(draw: st.DrawFn) -> tuple[bytes, list[Path], int]:
    """Two or three real listings saved into one file (joined with or without a newline), some
    authors lines written as exports write them (a zero-width space inside a name, a nickname in
    quotes, an escaped space) or with a name no name could be; the number of those spoilt."""
    paths = draw(st.lists(st.sampled_from(REAL), min_size=2, max_size=3, unique=True))
    chunks, spoilt = [], 0
    for path in paths:
        lines = path.read_text("utf-8").split("\n")
        for i, line in enumerate(lines):
            if _authors_line(line) and draw(st.integers(0, 9)) == 0:
                first, rest = line.split(", ", 1)
                how = draw(st.sampled_from(["zwsp", "quotes", "backslash", "not a name"]))
                if how == "zwsp":
                    first = first[:2] + _ZWSP + first[2:]
                elif how == "quotes":
                    first = '"' + first.replace(" ", '" ', 1) if " " in first else first
                elif how == "backslash":
                    first = first.replace(" ", "\\ ", 1)
                else:
                    first, spoilt = _NOT_A_NAME, spoilt + 1
                lines[i] = f"{first}, {rest}"
        chunks.append("\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"])))
    return "".join(chunks).encode(), paths, spoilt


@settings(max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mixed_listings())
@pytest.mark.slow
def test_pages_saved_together_and_spoilt_authors_lines_are_read_or_rejected_never_mixed(
        mixed: tuple[bytes, list[Path], int]) -> None:
    """Every paper of every page is read, with its own title, abstract and authors, or rejected
    for its authors line; none takes a field from another block."""
    data, paths, spoilt = mixed
    originals: dict[str, list[tuple[str, list[str]]]] = {}
    total = 0
    for path in paths:
        for paper in parse_listing(path.read_bytes(), path.name).papers:
            originals.setdefault(paper.title, []).append((paper.abstract, paper.authors))
            total += 1
    parsed = parse_listing(data, "mixed.txt")
    assert len(parsed.papers) + len(parsed.rejected) == total
    assert len(parsed.rejected) <= spoilt
    for paper in parsed.papers:
        assert (paper.abstract, paper.authors) in originals.get(paper.title, []), paper.title
