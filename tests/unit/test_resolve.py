"""Resolution: one node per real thing, and people split or joined only on evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kg.parse import read_listing
from kg.records import Layout, Mention, Paper, Source
from kg.resolve import resolve
from kg.resolve.keys import name_key, paper_key


def _paper(title: str, authors: list[str], methods: Sequence[Mention] = (), file: str = "a.txt",
           affiliations: Sequence[str] = (), owner: str | None = None, layout: Layout = "profile",
           date: str | None = None) -> Paper:
    return Paper(Source(file, 0, 1), title, "", layout, authors=authors, affiliations=list(affiliations),
                 profile_owner=owner, methods=list(methods), date=date)


def _m(name: str, role: str, *aliases: str) -> Mention:
    return Mention(name, role, list(aliases))


def test_acronym_and_long_form_are_one_method_across_papers() -> None:
    r = resolve([
        _paper("P1", ["A B"], [_m("RetNet", "proposed", "Retentive Network")]),
        _paper("P2", ["C D"], [_m("Retentive Network", "builds_on")]),
        _paper("P3", ["E F"], [_m("retnet", "compared_with")]),
        _paper("P4", ["G H"], [_m("YOCO", "proposed", "You Only Cache Once")]),
        _paper("P5", ["I J"], [_m("You Only Cache Once", "builds_on")]),
    ])
    by_name = {e.name: e for e in r.methods.values()}
    assert set(by_name) == {"RetNet", "YOCO"}
    assert {role for _, role in by_name["RetNet"].uses} == {"proposed", "builds_on", "compared_with"}
    assert by_name["YOCO"].aliases == ["You Only Cache Once"]


def test_an_acronym_spelled_out_two_ways_is_two_methods() -> None:
    r = resolve([
        _paper("P1", ["A B"], [_m("DPT", "proposed", "Dense Prediction Transformer")]),
        _paper("P2", ["C D"], [_m("DPT", "proposed", "Discriminative Prompt Tuning")]),
    ])
    assert len(r.methods) == 2


def test_long_forms_of_one_acronym_that_differ_in_a_linking_word_are_one_method() -> None:
    r = resolve([
        _paper("P1", ["A B"], [_m("ZQV", "builds_on", "zorbic quanta with verifiable rewards")]),
        _paper("P2", ["C D"], [_m("ZQV", "compared_with", "Zorbic Quanta from Verifiable Rewards")]),
        _paper("P3", ["E F"], [_m("ZQV", "proposed", "Zorbic Quanta via Verifiable Rewards")]),
        _paper("P4", ["G H"], [_m("QPT", "proposed", "Quanta Prompt Tuning")]),
        _paper("P5", ["I J"], [_m("QPT", "proposed", "Quanta Pruning Transformer")]),
    ])
    zqv = [e for e in r.methods.values() if e.name == "ZQV"]
    assert len(zqv) == 1 and {role for _, role in zqv[0].uses} == {"builds_on", "compared_with", "proposed"}
    assert len(zqv[0].aliases) == 3
    assert len([e for e in r.methods.values() if "QPT" in (e.name, *e.aliases)]) == 2


def test_a_paper_listed_twice_is_one_paper_with_two_sources(dev_listings: list[Path]) -> None:
    papers = [paper for path in dev_listings for paper in read_listing(path).papers]
    paper = papers[0]
    again = replace(paper, source=Source("other.txt", 5, 40), title=paper.title.upper() + "  ")
    r = resolve([*papers, again])
    assert paper_key(paper.title) == paper_key(again.title)
    merged = r.papers[paper_key(paper.title)]
    assert {s.source.file for s in merged.occurrences} == {paper.source.file, "other.txt"}
    assert len(r.papers) == len({paper_key(p.title) for p in papers})


def test_unconnected_common_names_stay_apart_and_connected_names_join() -> None:
    r = resolve([
        _paper("P1", ["Wei Zhang", "Ann Lee"]),
        _paper("P2", ["Wei Zhang", "Bo Kim"]),
        _paper("P3", ["Yutao Sun", "Li Dong", "Furu Wei"]),
        _paper("P4", ["Yutao Sun", "Li Dong"]),
        _paper("P5", ["Yutao Sun", "Furu Wei", "Tom Smith"]),
    ])
    wei = [p for p in r.people.values() if p.name == "Wei Zhang"]
    assert len(wei) == 2
    assert [a.name for a in r.ambiguous] == ["Wei Zhang"]
    yutao = [p for p in r.people.values() if p.name == "Yutao Sun"]
    assert len(yutao) == 1 and len(yutao[0].papers) == 3
    assert {m.reason for m in yutao[0].merges} <= {"shared co-author", "shared co-authors"}
    assert 0 < yutao[0].confidence <= 1


def test_profile_owner_joins_papers_and_is_an_author_behind_et_al() -> None:
    r = resolve([
        _paper("P1", ["Wei Zhang", "Ann Lee", "Bo Kim"], file="page.txt", owner="Wei Zhang"),
        _paper("P2", ["Cy Ray", "Di Fox", "Ed Gu"], file="page.txt", owner="Wei Zhang"),
    ])
    wei = [p for p in r.people.values() if p.name == "Wei Zhang"]
    assert len(wei) == 1 and len(wei[0].papers) == 2
    assert (wei[0].key, paper_key("P2"), None) in r.authorship


def test_affiliation_slugs_get_display_names(tmp_path: Path) -> None:
    table = tmp_path / "orgs.tsv"
    table.write_text("acme-lab\tACME Research Lab\n", encoding="utf-8")
    records = [_paper("P1", ["A B"], affiliations=["tsinghua", "acme-lab", "some-new-lab"])]
    orgs = resolve(records, [table]).organizations
    assert {slug: name for slug, (name, _date) in orgs.items()} == {
        "tsinghua": "Tsinghua University", "acme-lab": "ACME Research Lab", "some-new-lab": "Some New Lab"}


@pytest.mark.parametrize(("a", "b"), [("Łukasz Kaiser", "Lukasz Kaiser"), ("José  García", "jose garcia"),
                                      ("Zhi-hua Zhou", "Zhi hua Zhou")])
def test_name_keys_fold_accents_case_and_punctuation(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_a_co_author_named_twice_on_one_profile_page_is_one_person_though_et_al_hides_the_owner() -> None:
    """The page's owner wrote each of its papers, shown or not: a co-author the two papers share."""
    r = resolve([
        _paper("P1", ["Wei Zhang", "Ann Lee", "Bo Kim"], file="page.txt", owner="Zed Quorb"),
        _paper("P2", ["Cy Ray", "Wei Zhang", "Di Fox"], file="page.txt", owner="Zed Quorb"),
        _paper("P3", ["Wei Zhang", "Eve Moss"], file="other.txt"),  # nothing shared: another Wei Zhang
    ])
    zhangs = sorted(sorted(p.papers) for p in r.people.values() if p.name == "Wei Zhang")
    assert zhangs == [[paper_key("P1"), paper_key("P2")], [paper_key("P3")]]


def test_plural_and_prefix_spellings_are_one_method() -> None:
    r = resolve([
        _paper("P1", ["A B"], [_m("ZNN", "proposed", "Zorbit Neural Network")]),
        _paper("P2", ["C D"], [_m("ZNNs", "builds_on", "Zorbit neural networks")]),
        _paper("P3", ["E F"], [_m("QLE", "mentioned", "quorbic likelihood"),
                               _m("QLE", "mentioned", "quorbic likelihood estimator")]),
        _paper("P4", ["G H"], [_m("QLE", "compared_with", "quorbic likelihood estimator")]),
    ])
    assert sorted(e.name for e in r.methods.values()) == ["QLE", "ZNN"]


def test_a_year_in_full_or_in_two_digits_is_one_edition_of_a_benchmark() -> None:
    papers = [_paper(f"P{i}", ["A B"]) for i in range(4)]
    for paper, name in zip(papers, ["Zorbench 2024", "ZORBENCH24", "Zorbench-2023", "Zorbench"], strict=True):
        paper.datasets = [_m(name, "evaluated_on")]
    r = resolve(papers)
    assert sorted(sorted([e.name, *e.aliases]) for e in r.datasets.values()) == [
        ["ZORBENCH24", "Zorbench 2024"], ["Zorbench"], ["Zorbench-2023"]]


def test_an_acronym_spelled_out_without_spaces_keeps_its_other_meanings_apart() -> None:
    r = resolve([
        _paper("P1", ["A B"], [_m("ZD", "mentioned", "ZorbDiffusion")]),
        _paper("P2", ["C D"], [_m("ZD", "builds_on", "zonal decoding")]),
    ])
    (diffusion,) = [e for e in r.methods.values() if "ZorbDiffusion" in [e.name, *e.aliases]]
    assert "zonal decoding" not in [diffusion.name, *diffusion.aliases]
    r = resolve([
        _paper("P1", ["A B"], [_m("MoZ", "mentioned", "Mixture-of-Zorbs")]),
        _paper("P2", ["C D"], [_m("MoZ", "builds_on", "Mixture of Zones")]),
        _paper("P3", ["E F"], [_m("QPE", "mentioned", "quanta path encoding")]),
        _paper("P4", ["G H"], [_m("QPE", "mentioned", "QPE-Aware")]),
    ])
    assert sorted(sorted([e.name, *e.aliases]) for e in r.methods.values()) == [
        ["Mixture of Zones", "MoZ"], ["Mixture-of-Zorbs", "MoZ"], ["QPE", "QPE-Aware", "quanta path encoding"]]


def test_an_acronyms_plural_spelled_out_as_another_thing_is_that_thing() -> None:
    r = resolve([
        _paper("P1", ["A B"], [_m("ZQG", "mentioned", "zorbic quanta guidance")]),
        _paper("P2", ["C D"], [_m("ZQGs", "mentioned", "zonal queue graphs")]),
        _paper("P3", ["E F"], [_m("ZNN", "mentioned", "zorbic neural network")]),
        _paper("P4", ["G H"], [_m("ZNNs", "mentioned")]),
        _paper("P5", ["I J"], [_m("ZQA", "mentioned", "zorbic quanta adaptation")]),
        _paper("P6", ["K L"], [_m("ZQAs", "mentioned", "zorbic quanta adapters")]),
    ])
    assert sorted(sorted([e.name, *e.aliases]) for e in r.methods.values()) == [
        ["ZNN", "ZNNs", "zorbic neural network"], ["ZQA", "ZQAs", "zorbic quanta adaptation", "zorbic quanta adapters"],
        ["ZQG", "zorbic quanta guidance"], ["ZQGs", "zonal queue graphs"]]


def test_a_name_with_a_generic_head_is_the_method_it_names() -> None:
    """"Zorbiformer network" is the Zorbiformer; a head that tells one thing from another ("loss")
    keeps two methods, and a stem of three letters joins nothing."""
    r = resolve([
        _paper("P1", ["A B"], [_m("Zorbiformer", "proposed")]),
        _paper("P2", ["C D"], [_m("Zorbiformer network", "builds_on"), _m("Zorbiformer loss", "mentioned")]),
        _paper("P3", ["E F"], [_m("Qux", "proposed"), _m("Qux model", "mentioned")]),
    ])
    assert sorted(e.name for e in r.methods.values()) == ["Qux", "Qux model", "Zorbiformer", "Zorbiformer loss"]
    assert next(e for e in r.methods.values() if e.name == "Zorbiformer").aliases == ["Zorbiformer network"]


def test_an_acronym_is_the_long_form_whose_initials_it_spells_only_when_nothing_else_claims_it() -> None:
    """Across papers, "QPD" and "quorbic proximal descent" are one method. Not when two long forms
    spell the same initials, nor for a coined name in capitals, nor for a long form a paper names
    with a short form of its own."""
    joined = resolve([_paper("P1", ["A B"], [_m("QPD", "compared_with")]),
                      _paper("P2", ["C D"], [_m("quorbic proximal descent", "builds_on")]),
                      _paper("P3", ["E F"], [_m("chain of zorbit thought", "mentioned"), _m("CZT", "mentioned")])])
    assert sorted((e.name, e.aliases) for e in joined.methods.values()) == [
        ("CZT", ["chain of zorbit thought"]), ("QPD", ["quorbic proximal descent"])]
    two = resolve([_paper("P1", ["A B"], [_m("QPD", "compared_with")]),
                   _paper("P2", ["C D"], [_m("quorbic proximal descent", "builds_on")]),
                   _paper("P3", ["E F"], [_m("quorbic policy divergence", "mentioned")])])
    assert len(two.methods) == 3
    coined = resolve([_paper("P1", ["A B"], [_m("QPD", "compared_with")]),
                      _paper("P2", ["C D"], [_m("Quorbic Proximal Descent", "proposed")])])
    assert len(coined.methods) == 2
    named = resolve([_paper("P1", ["A B"], [_m("QPD", "compared_with")]),
                     _paper("P2", ["C D"], [_m("ZorbNet", "proposed", "quorbic proximal descent")])])
    assert len(named.methods) == 2


def test_an_acronym_most_papers_spell_out_one_way_names_that_one_where_it_stands_alone() -> None:
    """Three papers spell out ZPO as zorbic policy optimization, one as something else: a bare
    "ZPO" is the common one, and the other is a method of its own, shown by its long form.
    Spelled out once each way, the acronym names neither."""
    common = [_paper(f"P{i}", ["A B"], [_m("ZPO", "proposed", "zorbic policy optimization")]) for i in range(3)]
    other = _paper("P3", ["C D"], [_m("ZPO", "proposed", "zonal pruning operator")])
    bare = [_paper(f"P{i}", ["E F"], [_m("ZPO", "compared_with")]) for i in range(4, 6)]
    r = resolve([*common, other, *bare])
    names = sorted((e.name, e.aliases, len(e.uses)) for e in r.methods.values())
    assert names == [("ZPO", ["zorbic policy optimization"], 5), ("zonal pruning operator", ["ZPO"], 1)]

    even = resolve([common[0], other, *bare])
    assert sorted((e.name, e.aliases) for e in even.methods.values()) == [
        ("ZPO", []), ("zonal pruning operator", ["ZPO"]), ("zorbic policy optimization", ["ZPO"])]


def test_an_alias_that_does_not_abbreviate_its_name_joins_nothing() -> None:
    """A mention read as "Z6 (Zorbformer)", or with a long form cut short beside the right one,
    names Z6 alone: the many papers on Zorbformer, and those on plain quanta optimization, keep
    their own nodes rather than being joined to it."""
    r = resolve([_paper("P1", ["A B"], [_m("Z6", "proposed", "Zorbformer")]),
                 _paper("P2", ["C D"], [_m("Zorbformer", "builds_on")]),
                 _paper("P3", ["E F"], [_m("ZQO", "proposed", "Quanta Optimization", "Zorbic Quanta Optimization")]),
                 _paper("P4", ["G H"], [_m("quanta optimization", "mentioned")])])
    assert sorted((e.name, e.aliases) for e in r.methods.values()) == [
        ("Z6", []), ("ZQO", ["Zorbic Quanta Optimization"]), ("Zorbformer", []), ("quanta optimization", [])]


def _people_of(r: Any, name: str) -> list[list[str]]:
    return sorted(sorted(p.papers) for p in r.people.values() if p.name == name)


def test_the_thesaurus_joins_a_split_person_by_key_or_by_paper() -> None:
    from kg.thesaurus import parse_thesaurus

    records = [_paper("P1", ["Wei Zhang", "Ann Lee"]), _paper("P2", ["Wei Zhang", "Bo Kim"]),
               _paper("P3", ["Wei Zhang", "Cy Ray"])]
    split = resolve(records)
    assert len(_people_of(split, "Wei Zhang")) == 3  # a common name, nothing shared: three people
    key_of = {p.papers[0]: p.key for p in split.people.values() if p.name == "Wei Zhang"}
    thesaurus = parse_thesaurus(f"# mine\nsame: {key_of[paper_key('P1')]} | Wei Zhang @ P2\n", "t.txt")
    joined = resolve(records, thesaurus=thesaurus)
    assert _people_of(joined, "Wei Zhang") == [sorted([paper_key("P1"), paper_key("P2")]), [paper_key("P3")]]
    person = next(p for p in joined.people.values() if paper_key("P1") in p.papers and p.name == "Wei Zhang")
    assert any(m.reason == "thesaurus" and m.detail == "t.txt:2" for m in person.merges)


def test_the_thesaurus_keeps_apart_what_evidence_would_join() -> None:
    from kg.thesaurus import parse_thesaurus

    records = [_paper("P1", ["Wei Zhang", "Ann Lee"]), _paper("P2", ["Wei Zhang", "Ann Lee"]),
               _paper("P3", ["Wei Zhang", "Ann Lee", "Bo Kim"])]
    assert len(_people_of(resolve(records), "Wei Zhang")) == 1  # Ann Lee joins all three
    thesaurus = parse_thesaurus("different: Wei Zhang @ P1 | Wei Zhang @ P3\n", "t.txt")
    people = _people_of(resolve(records, thesaurus=thesaurus), "Wei Zhang")
    assert len(people) == 2 and not any({paper_key("P1"), paper_key("P3")} <= set(p) for p in people)


@pytest.mark.parametrize(("line", "message"), [
    ("merge: a | b", "expected 'same: A | B'"), ("same: Wei Zhang @ P1", "expected 'same: A | B'"),
    ("same: Wei Zhang @ P1 | Bo Kim @ P2", "both sides must name one name"),
    ("different: wei zhang~ | wei zhang~abc", "expected a person key"),
])
def test_a_thesaurus_line_that_is_not_a_statement_names_its_file_and_line(line: str, message: str) -> None:
    from kg.errors import InputError
    from kg.thesaurus import parse_thesaurus

    with pytest.raises(InputError, match=f"t.txt:2: {message}"):
        parse_thesaurus(f"# ok\n{line}\n", "t.txt")


def test_weak_evidence_joins_a_common_name_only_when_pieces_add_up_and_says_what_each_weighed() -> None:
    """Two papers of a common name on one profile page, with nothing in common, whose co-authors
    wrote a third paper together elsewhere: a co-author of a co-author (2), the same profile
    listing (1.5) and years a year apart (0.5) weigh 4, over the 3 that joins. Either of the first
    two with the years does not."""
    page = [_paper("Sorting Lists", ["Wei Zhang", "Ann Quill"], file="page.txt", layout="profile-compact",
                   date="2024-01-02"),
            _paper("Sorting Trees", ["Wei Zhang", "Bo Tamsin"], file="page.txt", layout="profile-compact",
                   date="2025-03-04")]
    elsewhere = _paper("Heaps of Heaps", ["Ann Quill", "Bo Tamsin"], file="day.txt", layout="daily")
    joined = resolve([*page, elsewhere])
    [wei] = [p for p in joined.people.values() if p.name == "Wei Zhang"]
    [merge] = wei.merges
    assert merge.reason == "combined evidence" and merge.weight == 4.0
    assert merge.detail.startswith("co-author of a co-author 2 (") and "wrote with" in merge.detail
    assert {"ann quill", "bo tamsin"} <= set(merge.detail.replace("(", ")").split(")")[1].split(" wrote with "))
    assert "same profile listing 1.5 (page.txt)" in merge.detail and "years 0.5" in merge.detail
    assert wei.confidence < 0.85  # below a shared co-author's

    on_a_day = [replace(p, source=replace(p.source, file=f"day{i}.txt"), layout="daily") for i, p in enumerate(page)]
    for records in (page, [*on_a_day, elsewhere]):  # the same page alone; the co-authors' link alone
        assert len([p for p in resolve(records).people.values() if p.name == "Wei Zhang"]) == 2


def test_shared_title_words_count_only_when_the_field_does_not_share_them() -> None:
    from kg.resolve.people import title_words

    assert title_words("Large Language Models for Efficient Reasoning") == frozenset()
    assert title_words("Tropical Autoencoders for Sheaves") == {"tropical", "autoencoders", "sheaves"}


@pytest.mark.slow
def test_the_common_title_words_are_those_of_the_corpus(corpus_papers: list[Paper]) -> None:
    """kg/data/common_title_words.txt is what common_title_words counts on shared/corpus/hf-daily."""
    from importlib import resources

    from kg.resolve.people import common_title_words

    titles = [paper.title for paper in corpus_papers]
    shipped = resources.files("kg.data").joinpath("common_title_words.txt").read_text("utf-8").splitlines()
    assert common_title_words(titles) == [w for w in shipped if w and not w.startswith("#")]
    assert f"{len(titles):,} titles" in "".join(shipped)


def test_two_things_of_a_batch_joined_to_one_node_of_the_store_keep_both_mentions() -> None:
    """To a batch, "Zorb Splatting" and "ZS" are two things, but the store has one node with both
    names (an earlier batch spelt ZS out): the paper's one relationship to that node keeps both
    mentions, with the role that says most, as a batch that had both papers would give it."""
    from kg.build import build_graph

    r = resolve([_paper("P1", ["A B"], [_m("Quanta", "proposed"), _m("Zorb Splatting", "mentioned"),
                                         _m("ZS", "builds_on")])])
    assert sorted(e.name for e in r.methods.values()) == ["Quanta", "ZS", "Zorb Splatting"]
    g = build_graph(r, known_methods={"zorbsplatting": "zorbsplatting", "zs": "zorbsplatting"})
    [props] = [props for (_, key, _), props in g.rels["MENTIONS"].items() if key == "zorbsplatting"]
    assert props["forms"] == ["ZS", "Zorb Splatting"] and props["role"] == "builds_on"
    assert [(start, end) for start, end, _ in g.rels["BUILDS_ON"]] == [("quanta", "zorbsplatting")]
