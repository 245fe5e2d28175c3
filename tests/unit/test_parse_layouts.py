"""The three layouts, read against the gold records and against hand-written pages."""

from __future__ import annotations

import json
import textwrap
import unicodedata
from pathlib import Path

import pytest

from kg.parse import detect_layout, parse_listing, read_listing
from kg.parse.fields import find_urls
from kg.parse.names import parse_author_line, split_title_authors
from kg.parse.text import decode_lines
from kg.resolve.keys import paper_key
from tests.conftest import DEV_GOLD

GOLD_FIELDS = ["title", "abstract", "authors", "authors_truncated", "author_count", "affiliations",
               "organization", "category", "month_day", "has_code", "upvotes", "urls"]


def test_dev_listings_match_gold_records(dev_listings: list[Path]) -> None:
    for path in dev_listings:
        gold = json.loads((DEV_GOLD / f"{path.stem}.parse.json").read_text(encoding="utf-8"))
        parsed = read_listing(path)
        assert parsed.layout == gold["format"].replace("hf-daily", "daily")
        assert not parsed.rejected
        assert len(parsed.papers) == len(gold["papers"])
        for paper, want in zip(parsed.papers, gold["papers"], strict=True):
            got = paper.to_json()
            for field in GOLD_FIELDS:
                if field in want:
                    assert got[field] == want[field], (path.name, want["title"], field)
            assert got["date"] == want["date_iso"]


def test_profile_header_gives_owner_and_stats(dev_listings: list[Path]) -> None:
    profile = next(p for p in map(read_listing, dev_listings) if p.layout == "profile")
    gold = json.loads((DEV_GOLD / f"{Path(profile.file).stem}.parse.json").read_text(encoding="utf-8"))
    assert profile.listing is not None
    assert profile.listing.owner == gold["profile"]["name"]
    assert profile.listing.stats == gold["profile"]["stats"]
    assert profile.listing.categories == gold["profile"]["categories"]
    # The owner is recorded on every paper, so the graph can make them an author even behind et al.
    assert {p.profile_owner for p in profile.papers} == {gold["profile"]["name"]}


def test_layout_is_detected_from_content_not_name(dev_listings: list[Path]) -> None:
    for path in dev_listings:
        by_name = read_listing(path)
        renamed = parse_listing(path.read_bytes(), "listing-without-a-telling-name.dat")
        assert renamed.layout == by_name.layout
        assert [p.title for p in renamed.papers] == [p.title for p in by_name.papers]


@pytest.mark.parametrize(("line", "title", "authors", "truncated", "orgs"), [
    ("Retentive Network: A Successor to Transformer for Large Language ModelsYutao Sun, Li Dong, "
     "Shaohan Huang et al. · microsoft-research, tsinghua",
     "Retentive Network: A Successor to Transformer for Large Language Models",
     ["Yutao Sun", "Li Dong", "Shaohan Huang"], True, ["microsoft-research", "tsinghua"]),
    ("Graph-Based Tri-Attention Network for Answer Ranking in CQAWei Zhang, Zeyuan Chen, Chao Dong et al.",
     "Graph-Based Tri-Attention Network for Answer Ranking in CQA",
     ["Wei Zhang", "Zeyuan Chen", "Chao Dong"], True, []),
    ("Can LLMs like GPT-4 outperform AI tools? Maybe, but not todayZhuo Wang, Bowen Dong",
     "Can LLMs like GPT-4 outperform AI tools? Maybe, but not today", ["Zhuo Wang", "Bowen Dong"], False, []),
    ("COMM:Concentrated Margin MaximizationZhichao Duan", "COMM:Concentrated Margin Maximization",
     ["Zhichao Duan"], False, []),
    ("Scaling Laws for GPT-4Robin SM Chan, Maxwell D Collins et al.", "Scaling Laws for GPT-4",
     ["Robin SM Chan", "Maxwell D Collins"], True, []),
    ("Über Attention?Łukasz Kaiser, Jean-Pierre van der Berg, Seán O'Brien, Mary DeWitt",
     "Über Attention?", ["Łukasz Kaiser", "Jean-Pierre van der Berg", "Seán O'Brien", "Mary DeWitt"], False, []),
])
def test_compact_title_is_split_from_its_authors(
        line: str, title: str, authors: list[str], truncated: bool, orgs: list[str]) -> None:
    split = split_title_authors(line)
    assert split is not None
    got_title, got = split
    assert (got_title, got.authors, got.truncated, got.affiliations) == (title, authors, truncated, orgs)


@pytest.mark.parametrize("line", [
    "In this work, we propose Retentive Network (RetNet) as a foundation architecture.",
    "Recent works have shown promising results of prompt tuning, such as BERT.",
    "",
])
def test_sentences_are_not_authors_lines(line: str) -> None:
    assert parse_author_line(line) is None
    assert split_title_authors(line) is None


COMPACT = """CLJul 17, 2023
A Glued TitleAda Lovelace, Charles Babbage et al. · cambridge
An abstract that cites https://example.org/x. And more.
LGFeb 29, 2024Code
One Author PaperGrace Hopper
Abstract two (see https://github.com/a/b_(c)).
"""


def test_compact_page() -> None:
    parsed = parse_listing(COMPACT, "c.txt")
    assert parsed.layout == "profile-compact"
    first, second = parsed.papers
    assert (first.title, first.authors, first.affiliations) == (
        "A Glued Title", ["Ada Lovelace", "Charles Babbage"], ["cambridge"])
    assert first.urls == ["https://example.org/x"]
    assert (first.date, first.month_day, first.category, first.has_code) == ("2023-07-17", "07-17", "CL", False)
    assert (second.authors, second.authors_truncated, second.has_code) == (["Grace Hopper"], False, True)
    assert second.date == "2024-02-29"
    assert second.urls == ["https://github.com/a/b_(c)"]
    assert [p.source.line for p in parsed.papers] == [1, 4]


@pytest.mark.parametrize(("text", "urls"), [
    ("Code at WWW.Example.org/kg, data at ftp://x.org/d.", ["WWW.Example.org/kg"]),
    ("Code at Https://a.io/b; and www.c.org.", ["Https://a.io/b", "www.c.org"]),
    ("No address here, only www and ://.", []),
])
def test_urls_in_any_case(text: str, urls: list[str]) -> None:
    assert find_urls(text) == urls


DAILY = """Daily Papers

byAK and the research community

Dec 9

First Paper Title

First abstract. It has sentences.

  • 4 authors
·
Feb 21 2

Second Paper: No Meta Block

Second abstract, with no author block after it.

Third Paper From An Organisation

Third abstract.

facebook AI at Meta
·
Nov 3, 2024 12
"""


def test_daily_page() -> None:
    parsed = parse_listing(DAILY, "d.txt")
    assert parsed.layout == "daily"
    assert parsed.listing is not None and parsed.listing.page_date == "Dec 9"
    a, b, c = parsed.papers
    assert (a.title, a.author_count, a.month_day, a.date, a.upvotes) == ("First Paper Title", 4, "02-21", None, 2)
    assert (b.title, b.author_count, b.date, b.upvotes, b.organization) == (
        "Second Paper: No Meta Block", None, None, 0, None)
    assert c.organization is not None and (c.organization.slug, c.organization.name) == ("facebook", "AI at Meta")
    assert (c.date, c.upvotes) == ("2024-11-03", 12)
    assert not parsed.problems


def test_a_title_right_above_its_abstract_on_a_page_not_wrapped_stays_a_title() -> None:
    abstract = "We sort lists in one pass. " * 12  # one long line, as a page gives it
    text = f"Daily Papers\n\nZorb: Sorting Lists\n{abstract}\n\n  \u2022 2 authors\n\u00b7\nMay 3, 2024 4\n"
    papers = parse_listing(text, "d.txt").papers
    assert [(p.title, p.abstract, p.author_count) for p in papers] == [("Zorb: Sorting Lists", abstract.strip(), 2)]


def test_a_daily_page_with_no_papers_says_so() -> None:
    parsed = parse_listing("Daily Papers\n\nbyAK and the research community\n\nJun 3\n", "d.txt")
    assert parsed.layout == "daily" and parsed.papers == []
    assert [(p.line, p.severity) for p in parsed.problems] == [(5, "warning")]
    assert "no papers" in parsed.problems[0].reason


def test_daily_page_without_any_meta_block() -> None:
    text = "Daily Papers\n\nTitle One\n\nAbstract one.\n\nTitle Two\n\nAbstract two.\n"
    parsed = parse_listing(text, "t.txt")
    assert [(p.title, p.abstract) for p in parsed.papers] == [("Title One", "Abstract one."),
                                                              ("Title Two", "Abstract two.")]


def test_a_title_written_with_combining_marks_is_the_title_written_composed() -> None:
    composed = "Daily Papers\n\nZörb: Sörting with Café Plumsets\n\nWe propose Zörb.\n"
    decomposed = parse_listing(unicodedata.normalize("NFD", composed).encode("utf-8"), "d.txt").papers
    assert [(p.title, p.abstract) for p in decomposed] == [("Zörb: Sörting with Café Plumsets", "We propose Zörb.")]
    assert paper_key(decomposed[0].title) == paper_key("Zörb: Sörting with Café Plumsets")


def test_bytes_that_are_not_utf8_are_read_as_windows_1252_and_the_line_is_named() -> None:
    lines, problems = decode_lines(b"ok\r\nbad \xb7 byte\nunassigned \x81 byte\nfine\n", "f.txt")
    assert [line.text for line in lines] == ["ok", "bad \u00b7 byte", "unassigned \ufffd byte", "fine"]
    assert [(p.line, p.severity) for p in problems] == [(2, "warning"), (3, "warning")]
    assert "column 5" in problems[0].reason and "Windows-1252" in problems[0].reason
    assert "U+FFFD" in problems[1].reason


def _saved_otherwise(data: bytes, how: str) -> bytes:
    text = data.decode("utf-8")
    if how == "latin-1":  # as a text editor saves a page in its "ANSI" encoding
        return text.encode("cp1252", errors="replace")
    if how == "no-break spaces":  # as a browser copies "Jun&nbsp;3"
        return text.replace(" ", "\u00a0").encode("utf-8")
    if how == "classic mac":
        return text.replace("\n", "\r").encode("utf-8")
    if how.startswith("wrapped"):  # as a text browser dumps a page, or an editor wraps it
        width, hyphens = (72, True) if how.endswith("hyphens") else (100, False)
        return "\n".join(line for long in text.split("\n") for line in (
            textwrap.wrap(long, width, break_on_hyphens=hyphens, break_long_words=False) or [long])).encode("utf-8")
    return text.replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize("how", ["latin-1", "no-break spaces", "classic mac", "windows", "wrapped",
                                 "wrapped at 72, words broken at hyphens"])
def test_a_listing_saved_in_another_encoding_or_with_other_spaces_reads_the_same(
        dev_listings: list[Path], how: str) -> None:
    for path in dev_listings:
        data = path.read_bytes()
        want = parse_listing(data, path.name)
        got = parse_listing(_saved_otherwise(data, how), path.name)
        assert got.layout == want.layout
        assert not got.rejected
        expected = [p.to_json() for p in want.papers]
        if how == "latin-1":  # what Windows-1252 cannot write comes back as "?"
            expected = [json.loads(json.dumps(p, ensure_ascii=False).encode("cp1252", errors="replace")
                                   .decode("cp1252")) for p in expected]
        read = [p.to_json() for p in got.papers]
        if how.startswith("wrapped"):  # the same papers, on more lines
            for paper in expected + read:
                del paper["source"]["line"]
        assert read == expected, (path.name, how)


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b"\n\n   \n", "empty file"),
    (b"\x00\x01\x02\x03 PK binary", "binary file"),
    (b"just some notes\nnothing like a listing\n", "unknown layout"),
    (b"<!DOCTYPE html>\n<html><body><h1>Daily Papers</h1></body></html>\n", "an HTML page, not its text"),
    (b"\n  <html lang=\"en\">\n<head><title>Zorb</title></head>\n", "an HTML page, not its text"),
])
def test_unreadable_files_are_rejected_with_a_reason(data: bytes, reason: str) -> None:
    parsed = parse_listing(data, "x.txt")
    assert parsed.papers == []
    assert len(parsed.rejected) == 1 and reason in parsed.rejected[0].reason
    assert parsed.rejected[0].file == "x.txt"


def test_cut_off_papers_are_rejected_and_the_rest_is_read() -> None:
    text = COMPACT + "CVMar 3\nA Title Whose Abstract Never CameAlan Turing\nCLMar 4\n"
    parsed = parse_listing(text, "cut.txt")
    assert len(parsed.papers) == 2
    assert [(p.line, p.reason.split(":")[0]) for p in parsed.rejected] == [(7, "paper cut off"), (9, "paper cut off")]


def test_impossible_date_keeps_the_paper_without_a_date() -> None:
    parsed = parse_listing("CLFeb 30, 2023\nA TitleAda Lovelace\nAbstract.\n", "d.txt")
    (paper,) = parsed.papers
    assert (paper.date, paper.month_day) == (None, None)
    assert [p.severity for p in parsed.problems] == ["warning"]


def test_detect_layout_says_none_for_prose() -> None:
    lines, _ = decode_lines(b"Dear diary,\ntoday I read papers.\n", "x")
    assert detect_layout(lines) is None


def test_a_paper_record_is_its_dataclass_fields_in_order(dev_listings: list[Path]) -> None:
    """``Paper.to_json`` is written out for speed; it must say what ``dataclasses.asdict`` says,
    key order included (the records file is compared byte for byte across runs)."""
    from dataclasses import asdict

    from kg.extract.annotate import Extractor
    from kg.records import Organization, Paper

    extractor = Extractor()
    papers = [paper for path in dev_listings for paper in read_listing(path).papers]
    extractor.annotate(papers)
    papers[0].organization = Organization("acme", "Acme Labs")
    assert any(p.methods for p in papers) and any(p.datasets for p in papers) and any(p.urls for p in papers)
    for paper in papers:
        assert list(paper.to_json().items()) == list({"type": "paper", **asdict(paper)}.items())
        assert Paper.from_json(paper.to_json()) == paper  # and the stages after it read it back whole


def test_a_listing_record_reads_back_whole(dev_listings: list[Path]) -> None:
    from kg.records import Listing, Records

    parsed = [read_listing(path) for path in dev_listings]
    listings = [p.listing for p in parsed if p.listing is not None]
    assert listings and all(Listing.from_json(listing.to_json()) == listing for listing in listings)
    typed = Records.from_json([*(listing.to_json() for listing in listings),
                               *(paper.to_json() for p in parsed for paper in p.papers)])
    assert typed.listings == listings and typed.papers == [paper for p in parsed for paper in p.papers]


def test_the_dev_listings_saved_into_one_file_are_all_read(dev_listings: list[Path]) -> None:
    """Joined as ``cat`` joins them: the pages end without a newline, so a meta line is glued to
    the last line of the page before."""
    joined = parse_listing(b"".join(path.read_bytes() for path in dev_listings), "joined.txt")
    one_by_one = [paper.title for path in dev_listings for paper in parse_listing(path.read_bytes(), path.name).papers]
    assert [paper.title for paper in joined.papers] == one_by_one
    assert not joined.rejected
    reasons = [p.reason for p in joined.problems]
    assert any("glued to the end of this line" in r for r in reasons)
    assert any(r.startswith("another page (daily) starts here") for r in reasons)


def test_a_profile_page_saved_right_after_another_keeps_its_owner_apart() -> None:
    """A page ending without a newline, then a profile page: the owner's name is glued to the last
    abstract's last sentence; the abstract stays whole and the next page has its owner."""
    profile = "Ada Quill\n\nCL\nh-index5\n1papers\n\n1 Papers\n\nLGJun 4\nZorbic Nets\n\nBo Tamsin, Ada Quill\n\n" \
              "We propose zorbic nets.\n"
    joined = parse_listing(COMPACT.rstrip("\n") + profile, "joined.txt")
    assert [p.title for p in joined.papers] == ["A Glued Title", "One Author Paper", "Zorbic Nets"]
    assert joined.papers[1].abstract == "Abstract two (see https://github.com/a/b_(c))."
    assert not joined.rejected
    assert parse_listing(profile, "p.txt").listing.owner == "Ada Quill"  # type: ignore[union-attr]


def test_lines_of_no_known_layout_before_a_page_are_rejected_whole(dev_listings: list[Path]) -> None:
    """The rest of the file is read, so the rejected part's every line is in the rejects report."""
    daily = next(path for path in dev_listings if detect_layout(decode_lines(path.read_bytes(), "d")[0]) == "daily")
    stray = ["Notes kept while reading the zorbic papers.", "", "A second line of them, longer than the first."]
    parsed = parse_listing("\n".join(stray) + "\n" + daily.read_text(encoding="utf-8"), "notes.txt")
    assert len(parsed.papers) == len(parse_listing(daily.read_bytes(), daily.name).papers)
    [rejected] = parsed.rejected
    assert (rejected.line, rejected.text) == (1, f"{stray[0]}\n{stray[2]}")
    assert "unknown layout" in rejected.reason


def test_only_a_page_cut_off_mid_sentence_is_warned_about(dev_listings: list[Path]) -> None:
    for path in dev_listings:  # saved pages end without a newline, after a date or a sentence
        assert parse_listing(path.read_bytes(), path.name).problems == []
    data = dev_listings[0].read_bytes()
    cut = parse_listing(data[:data.rindex(b" ")], "cut.txt")
    assert [p.reason for p in cut.problems if "mid-sentence" in p.reason]


@pytest.mark.parametrize("written", ['"Zorbit" Quill', "Zorbit\\ Quill", "Zor\u200bbit Quill", "Zor\u00adbit Quill"])
def test_names_as_exports_write_them_are_read(written: str) -> None:
    page = (f"Owner Name\n\nCLMay 20, 2022\nA Title of Some Length\n\nAda Lovelace, {written} et al. · org\n\n"
            "An abstract.\n")
    (paper,) = parse_listing(page, "p.txt").papers
    assert paper.title == "A Title of Some Length" and paper.authors == ["Ada Lovelace", "Zorbit Quill"]


def test_an_authors_line_that_is_no_names_rejects_the_paper_instead_of_taking_the_titles_end() -> None:
    page = "Owner Name\n\nCLMay 20, 2022\nA Study of Large Language Models\n\nAda L0velace, Bob Stone\n\nAn abstract.\n"
    parsed = parse_listing(page, "p.txt")
    assert parsed.papers == []
    (problem,) = parsed.rejected
    assert problem.line == 3 and "(line 6) does not read as an authors line" in problem.reason


def test_a_listing_whose_file_name_has_a_tab_goes_by_a_name_without_one(tmp_path: Path) -> None:
    """The store keeps a relationship's sources in one string, separated by tabs
    (``kg.schema.SOURCE_SEPARATOR``): a tab in a listing's name would split each of its sources in two."""
    from kg.parse import listing_names

    tabbed, plain = tmp_path / "daily\tpage.txt", tmp_path / "plain.txt"
    names = listing_names([tabbed, plain])
    assert "\t" not in names[str(tabbed)] and names[str(tabbed)].startswith("daily page.txt~")
    assert names[str(plain)] == "plain.txt"
