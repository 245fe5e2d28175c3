"""The learned part of extraction: candidates, features, the role model, and training it.

The sentences here are invented (Zorbit, QuantaNet, ...); what is measured on the annotated
listings is measured by the official scorer, against the hand rules on the same papers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.extract.annotate import Extractor
from kg.extract.candidates import NameGroup, find_candidates
from kg.extract.doc import ANALYSIS, extension_values
from kg.extract.model import CLASSES, USAGE, Decider, RoleModel
from kg.extract.paper import PaperAnalysis
from kg.extract.tokens import clean_text
from kg.extract.training import MENTION_ODDS
from kg.records import Paper, Source
from tests.conftest import SHARED

TRAIN = SHARED / "listings" / "train"
TRAIN_GOLD = SHARED / "gold" / "train"
RELATIONS = ("proposes", "datasets", "new_datasets", "builds_on", "compared_with")


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(rules_only=True)


def _analysis(rules: Extractor, abstract: str, title: str = "A study") -> PaperAnalysis:
    doc = rules.nlp(clean_text(f"{title}\n\n{abstract}"))
    analysis: PaperAnalysis = extension_values(doc)[ANALYSIS]
    return analysis


def _forms(rules: Extractor, abstract: str, title: str = "A study") -> list[list[str]]:
    return [g.forms for g in find_candidates(_analysis(rules, abstract, title))]


def _all_forms(rules: Extractor, abstract: str, title: str = "A study") -> list[str]:
    return [form for forms in _forms(rules, abstract, title) for form in forms]


def test_a_name_with_its_version_and_variant_is_one_candidate(rules: Extractor) -> None:
    forms = _all_forms(rules, "We propose Zorbit, which beats Quanta 3.5 Pro and Vexo v2 on sorting.")
    assert "Quanta 3.5 Pro" in forms and "Vexo v2" in forms


def test_the_phrase_a_comparison_points_at_is_a_candidate(rules: Extractor) -> None:
    forms = _all_forms(rules, "We propose Zorbit. It is faster than plain bubble sorting on lists.")
    assert "plain bubble sorting" in forms


def test_a_few_words_before_a_titles_colon_are_a_candidate_with_their_mentions(rules: Extractor) -> None:
    analysis = _analysis(rules, "Sorting with Plums sorts lists in one pass.",
                         title="Sorting with Plums: Lists at Scale")
    groups = {g.name: g for g in find_candidates(analysis)}
    assert "title-prefix" in groups["Sorting with Plums"].sources
    assert len(groups["Sorting with Plums"].mentions) == 2  # the title's and the abstract's
    long_prefix = "On the Many Ways in Which Lists Can Be Sorted"
    assert long_prefix not in _all_forms(rules, "We sort.", title=f"{long_prefix}: A Survey")


def test_two_coined_names_joined_before_a_titles_colon_are_two_candidates(rules: Extractor) -> None:
    forms = _all_forms(rules, "We release Zorbit-7B and Zorbit-70B.", title="Zorbit-7B & Zorbit-70B: Sorting at Scale")
    assert "Zorbit-7B" in forms and "Zorbit-70B" in forms
    assert not any("&" in form for form in forms)
    phrases = _all_forms(rules, "We sort.", title="Sort Fast and Slow: Lists at Scale")
    assert "Sort Fast and Slow" in phrases  # phrases, not coined names: the prefix stays whole


def test_a_name_and_the_name_with_its_kind_after_it_are_one_group(rules: Extractor) -> None:
    groups = _forms(rules, "We introduce the Plumset Dataset of sorted lists. Zorbit sorts Plumset in one pass.",
                    title="Plumset: Lists to Sort")
    assert any({"Plumset", "Plumset Dataset"} <= set(forms) for forms in groups)


def test_a_spelled_out_title_and_its_acronym_are_one_group(rules: Extractor) -> None:
    groups = _forms(rules, "We explore QLS, a framework that sorts lists.", title="Explore Quick Lattice Sorting")
    assert any({"QLS", "Quick Lattice Sorting"} <= set(forms) for forms in groups)


def test_half_a_bracket_is_not_part_of_a_name(rules: Extractor) -> None:
    forms = _all_forms(rules, "We design a Dynamic Sorting Module(DSM) for lists.")
    assert not any("(" in f or ")" in f for f in forms)


def test_a_score_a_range_of_sizes_or_a_share_is_no_name_nor_part_of_one(rules: Extractor) -> None:
    forms = _all_forms(rules, "Zorbit reaches ZSNR 35.49, ZSIM 0.9433 and ZAE 0.87 against Quanta 2.5, "
                              "at sizes of 7B-72B and 270M-72B, and cuts Plumset-15% of errors. "
                              "Experiments on Vexo show its strength (ZSNR 31.07, ZSIM 0.951). It beats "
                              "ZorbLCM (ZVD 184.79) on all of them (Avg. 80.1%), with gains of up to 46% "
                              "(GUT-4).")
    assert "Quanta 2.5" in forms
    assert not [f for f in forms if re.search(r"\d\.\d\d|B-|%", f)]
    assert "gains of up to 46%" not in forms


@pytest.mark.parametrize(("abstract", "not_in_a_name"), [
    ("Zorbit reaches zFID 2.71 and ZIS 128.4 where Quanta 2.5 reaches ZIS=301.5 and zFID{}=1.66, ahead of "
     "Vexo (3.08 zFID).", r"\d\.\d\d|\d{3}\.\d|="),
    ("Released in August 2025, Zorbit beats Quanta 2.5 as of March 25 and Vexo since December 3, 2024.",
     r"August|March|December")])
def test_a_score_with_two_decimals_a_result_written_out_or_a_date_is_no_name_nor_part_of_one(
        rules: Extractor, abstract: str, not_in_a_name: str) -> None:
    forms = _all_forms(rules, abstract)
    assert {"Quanta 2.5", "Vexo"} <= set(forms)
    assert not [f for f in forms if re.search(not_in_a_name, f)]


def test_a_model_named_in_lower_case_is_a_candidate_with_its_maker(rules: Extractor) -> None:
    forms = _all_forms(rules, "Zorbit rivals Quantco z3-mini, Plumco's q1 and zorb-oss-20b, but not "
                              "z5-like models; it runs 2x faster at r64, p95, top-1 and sub-2-bit.")
    assert {"Quantco z3-mini", "q1", "zorb-oss-20b", "z5"} <= set(forms)
    assert not {"r64", "p95", "top-1", "sub-2-bit", "2x"} & set(forms)


def test_a_model_after_its_maker_is_one_thing_with_the_model_alone(rules: Extractor) -> None:
    groups = find_candidates(_analysis(rules, "Zorbit rivals Quantco z3-mini and Plumco q2-like models. "
                                              "Unlike z3-mini and z5-like ones, it sorts lists."))
    forms = {tuple(g.forms): len(g.mentions) for g in groups}
    assert forms[("Quantco z3-mini", "z3-mini")] == 2 and forms[("Plumco q2", "q2")] == 1 and forms[("z5",)] == 1


def test_a_sentences_first_word_starts_no_name_when_it_is_a_function_word(rules: Extractor) -> None:
    forms = _all_forms(rules, "Using Zorb-7B as a base, we build Zorbit. Currently Quantco Net leads. "
                              "Deep Plumset Nets help.")
    assert {"Zorb-7B", "Quantco Net", "Deep Plumset Nets"} <= set(forms)
    assert not {"Using Zorb-7B", "Currently Quantco Net"} & set(forms)


def test_a_dimension_before_a_name_of_several_words_is_part_of_it(rules: Extractor) -> None:
    groups = _forms(rules, "We build on 3D Zorbic Splatting. 4D Plumset Fields are slow, and 3D Quanta help.")
    forms = [f for group in groups for f in group]
    assert {"3D Zorbic Splatting", "4D Plumset Fields"} <= set(forms) and "3D Quanta" not in forms
    # a shorter form the rules found is the same thing, not a thing of its own
    assert all("4D Plumset Fields" in group for group in groups if "Plumset Fields" in group)
    assert "Zorbic Splatting" not in forms


def test_a_capitalised_name_used_as_a_modifier_is_named_by_its_stem(rules: Extractor) -> None:
    groups = _forms(rules, "We propose a compact Zorbformer-based model and a Quanta-distilled one, "
                           "trained on Plumset Engine-rendered scenes.")
    assert any({"Zorbformer", "Zorbformer-based"} <= set(forms) for forms in groups)
    assert any({"Quanta", "Quanta-distilled"} <= set(forms) for forms in groups)
    assert any({"Plumset Engine", "Plumset Engine-rendered"} <= set(forms) for forms in groups)


def test_a_run_does_not_start_with_a_modifier(rules: Extractor) -> None:
    forms = _all_forms(rules, "Zorbit beats the ZLA-based Quanta 2 on lists.")
    assert "Quanta 2" in forms and not any(f.startswith("ZLA-based ") for f in forms)


def test_a_modifier_form_is_not_shown_as_a_name() -> None:
    group = NameGroup("zorbit", forms=["Zorbit-based", "Zorbit"])
    assert group.name == "Zorbit" and group.aliases == []


def test_the_shipped_model_reads_roles_from_the_language() -> None:
    paper = Paper(Source("t.txt", 0, 1), "Zorbit: Sorting Lists by Learning",
                  "We propose Zorbit, a sorting network built on top of QuantaNet. Experiments on the ListBench "
                  "benchmark show that Zorbit outperforms VexoSort and PlumSort by a wide margin.", "daily")
    (explained,) = Extractor(evidence=True).explain([paper])
    roles = {m.name: m.role for m in [*paper.methods, *paper.datasets]}
    assert roles.get("Zorbit") == "proposed"
    assert roles.get("QuantaNet") == "builds_on"
    assert roles.get("VexoSort") == roles.get("PlumSort") == "compared_with"
    assert roles.get("ListBench") == "evaluated_on"
    assert all(re.match(r"model p=[01]\.\d\d \(\S+ [+-]\d", item.rule) for item in explained.items)  # --explain


def test_a_title_that_names_data_marks_the_papers_own_names(rules: Extractor) -> None:
    from kg.extract.roles import groups_with_features

    def marked(title: str) -> dict[str, bool]:
        analysis = _analysis(rules, "We introduce Zorbex, with 3,000 sorted lists. QuantaNet fails on it.", title)
        return {g.name: "title-says-data" in f for g, f in groups_with_features(analysis)}

    assert marked("Zorbex: A Benchmark for Sorting Lists") == {"Zorbex": True, "QuantaNet": False}
    assert marked("ZorbexBench: Sorting Lists") == {"ZorbexBench": True, "Zorbex": True, "QuantaNet": False}
    assert marked("Zorbex: Sorting Lists Quickly") == {"Zorbex": False, "QuantaNet": False}


def test_a_list_of_names_goes_on_through_their_release_numbers(rules: Extractor) -> None:
    from kg.extract.roles import groups_with_features

    analysis = _analysis(rules, "We propose Zorbit, which outperforms Quanta 2.0, Plumset 3.1 and Vexo z2 and Zorbnet.")
    features = {g.name: f for g, f in groups_with_features(analysis)}
    # the words before the list govern all of it, its last name too
    assert "list-L1=outperforms" in features["Zorbnet"] and "list-L1=outperforms" in features["Plumset 3.1"]


def test_a_name_the_work_uses_reads_the_use_cue(rules: Extractor) -> None:
    from kg.extract.roles import groups_with_features

    analysis = _analysis(rules, "We propose Zorbit, which adopts QuantaNet as its encoder and beats PlumNet.")
    features = {g.name: f for g, f in groups_with_features(analysis)}
    assert "cue-before-ours=use" in features["QuantaNet"] and "cue-before=use" not in features["Zorbit"]


def test_verbs_of_surpassing_and_rivalling_and_than_read_as_a_comparison(rules: Extractor) -> None:
    from kg.extract.roles import groups_with_features

    analysis = _analysis(rules, "We propose Zorbit, which exceeds QuantaNet and rivals PlumNet, more stably than "
                                "VexoNet. Zorb matching ZorbFlow helps.")
    features = {g.name: f for g, f in groups_with_features(analysis)}
    assert all("cue-before=compare" in features[name] for name in ("QuantaNet", "PlumNet", "VexoNet"))
    assert "cue-before=compare" not in features["ZorbFlow"]  # "matching" is no comparison


def test_verbs_of_comparing_and_contrasting_read_as_a_comparison(rules: Extractor) -> None:
    from kg.extract.roles import groups_with_features

    analysis = _analysis(rules, "We propose Zorbit. A second study compares QuantaNet, and a third contrasts "
                                "PlumNet with it.")
    features = {g.name: f for g, f in groups_with_features(analysis)}
    assert all("cue-before=compare" in features[name] for name in ("QuantaNet", "PlumNet"))


def test_a_cue_beyond_the_clause_is_read_as_one_of_the_sentence(rules: Extractor) -> None:
    from kg.extract.roles import groups_with_features

    analysis = _analysis(rules, "We propose Zorbit; trained on fewer lists and with a smaller sorter, it still beats "
                                "QuantaNet. PlumNet sorts trees.")
    features = {g.name: f for g, f in groups_with_features(analysis)}
    assert "cue-in-sentence=compare" in features["Zorbit"] and "cue-before=compare" not in features["Zorbit"]
    assert not any(f.startswith("cue-in-sentence=") for f in features["PlumNet"])


def test_a_score_at_a_cut_off_is_shaped_as_one(rules: Extractor) -> None:
    """``Pass@1`` is what a metric scores at a rank, whatever case its letters are in; a name with
    an ``@`` before a word is not."""
    from kg.extract.roles import groups_with_features

    analysis = _analysis(rules, "Zorbit reaches a Pass@1 of 40% and an nDCG@10 of 0.5 on PlumSet, against "
                                "QuantaNet with mAP@0.5 and Zorb@Home.")
    shapes = {g.name: [x for x in f if x.startswith("shape=")] for g, f in groups_with_features(analysis)}
    assert shapes["Pass@1"] == shapes["nDCG@10"] == shapes["mAP@0.5"] == ["shape=AT-CUTOFF"]
    assert shapes["Zorb@Home"] == shapes["QuantaNet"] == ["shape=CAMEL"]


def test_a_name_made_from_the_papers_own_is_marked_as_its_kin(rules: Extractor) -> None:
    from kg.extract.roles import groups_with_features

    analysis = _analysis(rules, "We propose Zorbit-2, which adapts Zorbit to trees, and compare it with Zorbit-1, "
                                "Zorbit-2-Tiny and QuantaNet.")
    features = {g.name: f for g, f in groups_with_features(analysis)}
    kin = {name: sorted(x for x in f if x.startswith("kin=")) for name, f in features.items()}
    shape = {name: next(x for x in f if x.startswith("shape=")) for name, f in features.items()}
    assert kin["Zorbit"] == ["kin=inside", "kin=inside/" + shape["Zorbit"]]  # with what says it is a method
    assert kin["Zorbit-1"] == ["kin=same-stem", "kin=same-stem/" + shape["Zorbit-1"]]
    assert kin["Zorbit-2-Tiny"] == ["kin=around"]
    assert kin["QuantaNet"] == []
    assert kin["Zorbit-2"] == []  # the paper's own name is no kin of itself


def test_one_pass_over_many_groups_decides_as_one_at_a_time() -> None:
    model = Decider.from_disk()
    groups = [["L1=than", "cue-before=compare"], [], ["in-title", "title-prefix", "rule-role=proposed"],
              ["no-such-feature"], ["LB=on", "R1=benchmark"]]
    together = model.decide_all(groups, evidence=True)
    alone = [model.decide(g) for g in groups]
    assert model.decide_all([]) == []
    assert [(d.role, round(d.probability, 9), d.evidence) for d in together] == [
        (d.role, round(d.probability, 9), d.evidence) for d in alone]
    # without the evidence the features are looked up another way, unknown ones to a row of zeros
    assert [(d.role, round(d.probability, 9)) for d in model.decide_all(groups)] == [
        (d.role, round(d.probability, 9)) for d in alone]


def test_papers_decided_a_batch_at_a_time_get_what_each_gets_alone() -> None:
    import dataclasses

    from kg.parse import read_listing

    papers = [p for f in sorted((SHARED / "listings" / "dev").glob("*.txt")) for p in read_listing(f).papers]
    together, alone = Extractor(batch_size=64), Extractor(batch_size=1)
    batched = [dataclasses.replace(p) for p in papers]
    together.annotate(batched)
    for paper in papers:
        alone.annotate([paper])
    assert [(p.methods, p.datasets) for p in batched] == [(p.methods, p.datasets) for p in papers]
    assert len(papers) > 64 and sum(len(p.methods) for p in papers) > 64


def test_a_name_that_is_likelier_a_method_than_not_is_a_mentioned_method() -> None:
    """"none" alone is likeliest, but the four method outcomes together beat it: a method, and
    then the outcome that claims nothing more than that, with their probability together."""
    import math

    [unsure] = _outcomes(none=0.32, each_method=0.14).decide_all([[]])
    assert unsure.role == "mentioned" and math.isclose(unsure.probability, 0.56)
    [sure] = _outcomes(none=0.64, each_method=0.065).decide_all([[]])
    assert sure.role == "none" and math.isclose(sure.probability, 0.64)


def test_the_share_of_nones_odds_a_method_needs_is_the_models_own_and_kept_in_its_file(tmp_path: Path) -> None:
    """Methods together at 0.36 against "none" at 0.6: short of "none", but above half of it."""
    import math

    assert _outcomes(none=0.6, each_method=0.09).decide_all([[]])[0].role == "none"
    lenient = _outcomes(none=0.6, each_method=0.09, mention_odds=0.5)
    [decision] = lenient.decide_all([[]])
    assert decision.role == "mentioned" and math.isclose(decision.probability, 0.36)
    Decider(lenient, lenient).to_disk(tmp_path / "roles.json")
    assert Decider.from_disk(tmp_path / "roles.json").decide([]).role == "mentioned"
    shipped = Decider.from_disk()  # kg train wrote its share into both classifiers
    assert shipped.roles.meta["mention_odds"] == shipped.datasets.meta["mention_odds"] == MENTION_ODDS < 1


def _outcomes(none: float, each_method: float, mention_odds: float | None = None) -> RoleModel:
    """A model without features whose outcomes have these probabilities (the datasets' share what
    is left)."""
    import math

    each_dataset = (1 - none - 4 * each_method) / 2
    odds = {"none": none, "introduced": each_dataset, "evaluated_on": each_dataset,
            **{c: each_method for c in ("proposed", "builds_on", "compared_with", "mentioned")}}
    return RoleModel(CLASSES, [math.log(odds[c]) for c in CLASSES], {},
                     {} if mention_odds is None else {"mention_odds": mention_odds})


def test_a_paper_that_names_nothing_gets_nothing() -> None:
    paper = Paper(Source("t.txt", 0, 1), "on sorting", "we sort lists of numbers quickly.", "daily")
    Extractor().annotate([paper])
    assert paper.methods == [] and paper.datasets == []


def _decider(role_weights: dict[str, list[float]], dataset_weights: dict[str, list[float]]) -> Decider:
    return Decider(RoleModel(CLASSES, [0.0] * len(CLASSES), role_weights, {"C": 1}),
                   RoleModel(CLASSES, [0.0] * len(CLASSES), dataset_weights, {"C": 1}))


def test_a_model_round_trips_through_its_file(tmp_path: Path) -> None:
    model = _decider({"L1=than": [0, 0, 2.5, 0, 0, 0, -1]}, {"usage-data=high": [0, 0, 0, 0, 0, 3.0, -1]})
    model.to_disk(tmp_path / "roles.json")
    again = Decider.from_disk(tmp_path / "roles.json")
    for features in (["L1=than"], ["usage-data=high"], ["L1=than", "usage-data=high"]):
        assert again.decide(features) == model.decide(features)
    assert again.decide(["L1=than"]).role == "compared_with"


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    from kg.errors import InputError

    (tmp_path / "roles.json").write_text('{"weights": {}}', encoding="utf-8")
    with pytest.raises(InputError, match="not a role model"):
        Decider.from_disk(tmp_path / "roles.json")
    (tmp_path / "roles.json").write_text('{"format": "kg-roles/2", "roles": {}}', encoding="utf-8")
    with pytest.raises(InputError, match="part missing"):
        Decider.from_disk(tmp_path / "roles.json")


def test_the_dataset_classifier_decides_datasets_and_the_role_classifier_the_rest() -> None:
    """Either classifier making a name a dataset hands the decision to the dataset classifier,
    which may also make it no dataset; otherwise the role classifier's outcome stands, but for a
    name it leaves out that the other takes for a method: mentioned."""
    evaluated, compared, none = ([0, 0, 0, 0, 0, 3.0, 0], [0, 0, 3.0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 3.0])
    model = _decider({"L1=than": compared, "LB=on": evaluated}, {"usage-data=high": evaluated, "usage-data=0": none})
    assert model.decide(["L1=than"]).role == "compared_with"  # neither says dataset
    assert model.decide(["L1=than", "usage-data=0"]).role == "compared_with"  # the other's "none" is no dataset
    assert model.decide(["usage-data=high"]).role == "evaluated_on"  # the dataset classifier says so
    assert model.decide(["LB=on", "usage-data=0"]).role == "none"  # the role classifier says dataset, the other not
    proposed = [3.0, 0, 0, 0, 0, 0, 0]
    model = _decider({"L1=than": compared, "R1=zorb": none}, {"usage-method=high": proposed})
    # the role classifier leaves it out, the other takes it for a method: a method, mentioned
    assert model.decide(["R1=zorb", "usage-method=high"]).role == "mentioned"
    assert model.decide(["L1=than", "usage-method=high"]).role == "compared_with"  # a role stands


def test_gold_labels_match_by_any_form_and_leave_optional_items_out() -> None:
    from kg.extract.training import label_of

    gold = {"proposes": [{"name": "ZRB", "aliases": ["Zorbit Sorting"]}], "compared_with": [{"name": "QuantaNet"}],
            "builds_on_optional": [{"name": "VexoSort"}]}
    assert label_of(NameGroup("z", forms=["zorbit-sorting"]), gold) == "proposed"
    assert label_of(NameGroup("q", forms=["Quanta Net"]), gold) == "compared_with"
    assert label_of(NameGroup("v", forms=["VexoSort"]), gold) is None
    assert label_of(NameGroup("p", forms=["PlumSort"]), gold) == "none"


@pytest.fixture(scope="module")
def few_listings() -> list[str]:
    names = sorted(p.stem for p in TRAIN.glob("*.txt"))
    if len(names) < 8:
        pytest.skip(f"no training listings in {TRAIN} (set KG_SHARED)")
    return names[::3][:8]  # spread over both sources of the training listings


@pytest.mark.slow
def test_a_model_trained_on_some_listings_beats_the_rules_on_others(few_listings: list[str]) -> None:
    """Trained on five listings, scored by the official scorer on three others: better than the
    hand rules on the same three, relation by relation on average and on lineage."""
    from kg.extract.training import read_annotated, records_of, score_records, train_model

    papers = read_annotated([TRAIN], [TRAIN_GOLD], only=few_listings)
    training, held = set(few_listings[:5]), set(few_listings[5:])
    model = train_model([p for p in papers if p.listing in training])
    test = [p for p in papers if p.listing in held]
    learned = score_records(SHARED, [TRAIN_GOLD], records_of(model, test), held)
    hand = score_records(SHARED, [TRAIN_GOLD], [p.rules for p in test], held)
    mean = {name: sum(table[r]["f1"] for r in RELATIONS) / len(RELATIONS) for name, table in
            (("learned", learned), ("rules", hand))}
    assert mean["learned"] > mean["rules"], (learned, hand)
    lineage = {name: table["builds_on"]["tp"] + table["compared_with"]["tp"] for name, table in
               (("learned", learned), ("rules", hand))}
    assert lineage["learned"] > lineage["rules"], (learned, hand)
    assert learned["method_mentions"]["precision"] > hand["method_mentions"]["precision"]


@pytest.mark.slow
def test_training_is_deterministic(few_listings: list[str]) -> None:
    from kg.extract.training import read_annotated, train_model

    papers = read_annotated([TRAIN], [TRAIN_GOLD], only=few_listings[:2])
    first, second = train_model(papers), train_model(papers)
    for one, other in ((first.roles, second.roles), (first.datasets, second.datasets)):
        assert one.weights == other.weights and one.bias == other.bias
    assert not any(f.startswith("usage-") for f in first.roles.weights)  # the corpus is the dataset classifier's
    assert any(f.startswith("usage-") for f in first.datasets.weights)
    assert not any(f.startswith("cue-in-sentence=") for f in first.datasets.weights)  # read for methods only
    assert first.roles.meta["mention_odds"] == first.datasets.meta["mention_odds"] == MENTION_ODDS


@pytest.mark.slow
def test_the_lineage_outcomes_odds_are_raised_after_fitting_and_the_weights_kept(few_listings: list[str]) -> None:
    import math

    from kg.extract.training import LINEAGE_ODDS, read_annotated, train_classifier, train_model

    papers = read_annotated([TRAIN], [TRAIN_GOLD], only=few_listings[:2])
    raised, plain = train_model(papers).roles, train_classifier(papers, leave_out=USAGE)
    assert raised.weights == plain.weights and raised.meta["odds"] == LINEAGE_ODDS and "odds" not in plain.meta
    for outcome, (after, before) in zip(CLASSES, zip(raised.bias, plain.bias, strict=True), strict=True):
        assert math.isclose(after - before, math.log(LINEAGE_ODDS.get(outcome, 1.0)), abs_tol=1e-9), outcome


def test_every_split_deals_each_listing_into_one_fold() -> None:
    """The folds of any split cover the listings once each; the first split deals them in name
    order, another shuffles them, and the same split gives the same folds."""
    from kg.extract.training import folds_of

    listings = [f"listing-{i:02d}" for i in range(27)]
    splits = [folds_of(listings, 5, split) for split in range(3)]
    for folds in splits:
        assert len(folds) == 5
        assert sorted(name for fold in folds for name in fold) == listings
    assert splits[0][0] == listings[0::5]
    assert splits[1] != splits[0] and splits[1] != splits[2]
    assert folds_of(list(reversed(listings)), 5, 1) == splits[1]
