"""Extraction on made-up abstracts: each language pattern the issue names, with a real spaCy pipeline.

The names here are invented (Zorbit, QuantaNet, ...) so that nothing passes by gazetteer lookup:
what is tested is the language, the cue words and the shapes of names.
"""

from __future__ import annotations

from typing import Any, cast

import pytest

from kg.extract.annotate import WARM_UP, Extractor
from kg.extract.tokens import clean_text, expand_own_macros
from kg.records import Paper, Source


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(rules_only=True)  # the rules, which the role model reads as evidence


def _extract(extractor: Extractor, abstract: str, title: str = "A study") -> dict[str, set[str]]:
    paper = Paper(Source("t.txt", 0, 1), title, abstract, "daily")
    extractor.annotate([paper])
    found: dict[str, set[str]] = {}
    for m in [*paper.methods, *paper.datasets]:
        found.setdefault(m.role, set()).add(m.name)
        for alias in m.aliases:
            found.setdefault(m.role + ":alias", set()).add(alias)
    return found


@pytest.mark.parametrize("sentence", [
    "In this paper, we propose Zorbit, a simple method for sorting.",
    "We present Zorbit, the first sorting network that learns.",
    "We introduce a novel sorting framework, named Zorbit, which learns orders.",
    "We develop an efficient sorting framework called Zorbit based on the new recurrence.",
    "Our approach, Zorbit, sorts lists quickly.",
])
def test_proposal_cues(extractor: Extractor, sentence: str) -> None:
    assert _extract(extractor, sentence + " Experiments show it works.")["proposed"] == {"Zorbit"}


def test_long_form_and_acronym_are_one_proposal(extractor: Extractor) -> None:
    found = _extract(extractor, "We propose Quantized Lattice Routing (QLR) for sparse models. QLR is fast.")
    assert found["proposed"] == {"QLR"}
    assert found["proposed:alias"] == {"Quantized Lattice Routing"}


def test_title_name_is_a_proposal_and_title_initials_are_an_alias(extractor: Extractor) -> None:
    found = _extract(extractor, "We introduce a cache, FLUB, that flushes rarely.",
                     title="Flush Less Use Buffers: caches")
    assert found["proposed"] == {"FLUB"}
    assert "Flush Less Use Buffers" in found["proposed:alias"]
    assert _extract(extractor, "It sorts. Zorbit is fast.", title="Zorbit: Sorting with Style")["proposed"] == {
        "Zorbit"}


@pytest.mark.parametrize(("sentence", "role"), [
    ("Zorbit is built on top of QuantaNet.", "builds_on"),
    ("Zorbit extends QuantaNet to lists.", "builds_on"),
    ("Zorbit is inspired by QuantaNet.", "builds_on"),
    ("Zorbit outperforms QuantaNet on all tasks.", "compared_with"),
    ("Zorbit achieves better results compared with QuantaNet.", "compared_with"),
])
def test_lineage_cues(extractor: Extractor, sentence: str, role: str) -> None:
    found = _extract(extractor, "We propose Zorbit, a sorter. " + sentence)
    assert found[role] == {"QuantaNet"}
    assert found["proposed"] == {"Zorbit"}


def test_datasets_from_gazetteer_and_context(tmp_path) -> None:  # type: ignore[no-untyped-def]
    known = tmp_path / "datasets.txt"
    known.write_text("Zeta-10\nFooImages | FIMG-2012\n", encoding="utf-8")
    found = _extract(Extractor(datasets=[known], rules_only=True),
                     "We propose Zorbit, a sorter. Experiments on Zeta10, GrabBag and ZetaSet show gains. We also "
                     "evaluate on the FooQA benchmark and on FIMG-2012.")
    assert found["evaluated_on"] >= {"Zeta10", "GrabBag", "ZetaSet", "FooQA", "FIMG-2012"}
    assert "FooImages" in found["evaluated_on:alias"]  # the gazetteer's usual name


def test_introduced_dataset_is_not_a_method(extractor: Extractor) -> None:
    found = _extract(extractor, "We release a new benchmark, named SortBench, with 10k lists.")
    assert found["introduced"] == {"SortBench"}
    assert "proposed" not in found


def test_generic_phrases_metrics_and_apps_are_not_datasets(extractor: Extractor) -> None:
    found = _extract(extractor, "We propose Zorbit. Experiments on six datasets improve F1 and BLEU, and Zorbit "
                                "is deployed on a popular video app, Kwaiko, with many users.")
    assert "evaluated_on" not in found


def test_a_task_acronym_is_not_a_dataset(extractor: Extractor) -> None:
    found = _extract(extractor, "Visual question answering (VQA) is hard. We propose Zorbit for VQA.")
    assert "evaluated_on" not in found


def test_user_gazetteer_extends_the_shipped_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "mine.txt"
    extra.write_text("Kwaiko Logs | KwaikoLogs\n", encoding="utf-8")
    found = _extract(Extractor(datasets=[extra], rules_only=True), "We study sorting with Kwaiko Logs in mind.")
    assert found["evaluated_on"] == {"Kwaiko Logs"}


@pytest.mark.parametrize(("text", "sentences"), [
    ("", []), (" ", [0]), ("\n\n", [0]), ("Zorbit", [0]), ("Zorbit:\n\n", [0]),
    ("Why?\n\nIt is. Is it", [0, 2, 3, 6]),  # the line break after "?" starts a sentence of its own
])
def test_sentences_of_short_and_empty_texts(extractor: Extractor, text: str, sentences: list[int]) -> None:
    doc = extractor.nlp(text)
    assert doc._.kg_sentences == sentences
    assert [s.start for s in doc.sents] == sentences  # the doc's own sentences are the same
    assert doc._.kg_items == []


def test_the_vocabulary_does_not_grow_with_the_words_of_the_papers(extractor: Extractor) -> None:
    """Coined names are new words in every paper; a worker that kept them all grew without bound.
    (The words of the first papers stay, for the tokenizer's cache.)"""
    extractor.annotate([Paper(Source("t.txt", 0, 1), "A study", "We sort lists.", "daily")] * WARM_UP)
    words = len(extractor.nlp.vocab.strings)
    found = [_extract(extractor, f"We propose Qzx{i}Net, a network built on Vrb{i}Former, and test it on Plk{i}-Bench.")
             for i in range(50)]
    assert len(extractor.nlp.vocab.strings) == words
    assert found[7]["proposed"] == {"Qzx7Net"} and found[7]["builds_on"] == {"Vrb7Former"}


@pytest.mark.slow
def test_the_words_lexical_attributes_left_out_change_no_extraction(dev_listings) -> None:  # type: ignore[no-untyped-def]
    """A new word's lexeme gets only the attributes the components read (LOWER): with all
    of spaCy's English ones computed again, the dev listings give exactly the same papers."""
    import spacy

    from kg.parse import read_listing

    def extracted(extractor: Extractor) -> list[dict[str, object]]:
        papers = [p for path in dev_listings for p in read_listing(path).papers]
        extractor.annotate(papers)
        return [p.to_json() for p in papers]

    lean, full = Extractor(), Extractor()
    lean_vocab, full_vocab = cast(Any, lean.nlp.vocab), cast(Any, full.nlp.vocab)  # spaCy's stubs omit it
    assert len(lean_vocab.lex_attr_getters) == 1
    full_vocab.lex_attr_getters = dict(cast(Any, spacy.blank("en").vocab).lex_attr_getters)
    assert len(full_vocab.lex_attr_getters) > 20
    assert extracted(lean) == extracted(full)
    assert any(p["methods"] for p in extracted(lean))


@pytest.mark.parametrize(("abstract", "mentioned"), [
    ("We compare with ZorbNet-50 and Quanta-3-8B on sorting.", {"ZorbNet-50", "Quanta-3-8B"}),
    ("We compare with zorbnet152 on sorting.", {"zorbnet152"}),
    ("We compare with Zorbnetwork on sorting.", set()),  # not a version or a size: not a member
])
def test_members_of_a_model_family_are_known_by_their_own_names(tmp_path, abstract: str,  # type: ignore[no-untyped-def]
                                                                 mentioned: set[str]) -> None:
    families = tmp_path / "methods.txt"
    families.write_text("ZorbNet*\nQuanta*\n", encoding="utf-8")
    extractor = Extractor(methods=[families], rules_only=True)
    found = _extract(extractor, abstract)
    assert {name for role, names in found.items() if not role.endswith(":alias") for name in names} == mentioned
    assert _extract(extractor, abstract) == found  # the second time from the table of words seen


@pytest.mark.parametrize(("abstract", "proposed"), [
    (r"We propose $\mathbf{Zorbit}$, a sorting network.", {"Zorbit"}),
    (r"We propose \textbf{\emph{Zorbit}}, a sorting network.", {"Zorbit"}),  # nested: unwrapped in turn
    (r"We propose \href{https://zorbit.example}{Zorbit}, a sorting network.", {"Zorbit"}),
    ("We propose $Zorbit$, a sorting network costing $5.", {"Zorbit"}),  # a lone dollar sign stays
    ("We propose Zorbit, a sorting network.", {"Zorbit"}),
    (r"We propose Z\"orbit, a sorting network.", {"Zörbit"}),  # an accent
    (r"We propose Zorbit\'s successor, Zorbit-2, a sorting network.", {"Zorbit-2"}),  # an escaped apostrophe
])
def test_latex_left_in_abstracts_is_undone_before_reading(extractor: Extractor, abstract: str,
                                                          proposed: set[str]) -> None:
    assert _extract(extractor, abstract)["proposed"] == proposed


@pytest.mark.parametrize(("sentence", "role", "name"), [
    ("Zorbit outperforms QuantaNet's sorter on all tasks.", "compared_with", "QuantaNet"),  # a possessive
    ("Zorbit outperforms QuantaNet’s sorter on all tasks.", "compared_with", "QuantaNet"),
    ("Zorbit outperforms QuantaNet+ZPO on all tasks.", "compared_with", "QuantaNet"),  # one after the other
    ("Zorbit is built on Quorbic Lattice Folding(QLF).", "builds_on", "QLF"),  # no space before the parenthesis
    ("Zorbit is built on quorbic lattice folding~(QLF).", "builds_on", "QLF"),  # LaTeX's unbreakable space
])
def test_what_is_glued_to_a_name_is_not_part_of_it(extractor: Extractor, sentence: str, role: str,
                                                   name: str) -> None:
    found = _extract(extractor, "We propose Zorbit, a sorter. " + sentence)
    assert name in found[role]
    assert all(ch not in n for names in found.values() for n in names for ch in "'’+(~")


def test_a_tilde_between_words_is_a_space_and_before_a_number_means_about() -> None:
    assert clean_text("Zorb~2 beats Quanta~\\cite{q} by ~5%.") == "Zorb 2 beats Quanta \\cite{q} by ~5%."


def test_a_macro_for_the_papers_own_name_reads_as_the_name_its_title_gives() -> None:
    abstract = r"We propose \method, a sorter. \ours beats Quanta by $2\times$, and \zorbnet is fast. \eg"
    assert expand_own_macros("ZorbNet: Sorting Lists", abstract) == \
        r"We propose ZorbNet, a sorter. ZorbNet beats Quanta by $2\times$, and ZorbNet is fast. \eg"
    assert expand_own_macros("Beyond Lists: Sorting Fast", abstract) == abstract  # a slogan, no name
    assert expand_own_macros("Sorting Lists Fast", abstract) == abstract


def test_latex_spaces_hyphens_and_latin_macros_are_read_as_written() -> None:
    assert clean_text(r"Zorb\nobreakdash-2 runs in 3\,ms on Plumset\;2, \eg, Quanta \etal. \egg") == \
        r"Zorb-2 runs in 3 ms on Plumset 2, e.g., Quanta et al. \egg"


@pytest.mark.parametrize("size", ["7-11B", "70B", "1.5x", "400K"])
def test_a_quantity_in_parentheses_is_not_a_name(extractor: Extractor, size: str) -> None:
    found = _extract(extractor, f"We propose Zorbit. Zorbit outperforms larger models ({size}) and QuantaNet.")
    assert found == {"proposed": {"Zorbit"}, "compared_with": {"QuantaNet"}}


def test_a_number_with_letters_in_parentheses_can_be_an_abbreviation(extractor: Extractor) -> None:
    assert _extract(extractor, "We propose Zorbit, built on two-phase commit (2PC).")["builds_on"] == {"2PC"}


def test_digits_that_lead_a_short_form_lead_its_long_form(extractor: Extractor) -> None:
    from kg.extract.abbreviations import best_long_form

    words = "scenes rendered with 3D Zorb Splatting".split()
    assert best_long_form("3DZS", words) == 3
    assert best_long_form("4DZS", words) is None  # the digits must be the same
    assert best_long_form("ZS", words) == 2
    found = _extract(extractor, "We propose Zorbit, which builds on 3D Zorb Splatting (3DZS) for fast scenes.")
    assert found["builds_on"] == {"3DZS"} and found["builds_on:alias"] == {"3D Zorb Splatting"}


@pytest.mark.parametrize("link", [
    "https://github.com/QuorbLab/ZentaNet-Sort", "(https://github.com/QuorbLab/ZentaNet-Sort).",
    "www.quorb.example/ZentaNet-Sort,", "https://github.com/QuorbLab/Zorbit{https://github.com/QuorbLab/Zorbit}.",
    r"\url{https://github.com/QuorbLab/ZentaNet-Sort}.", "github.com/QuorbLab/ZentaNet-Sort.",
    "huggingface.co/datasets/QuorbLab/ZentaSet-XL",
])
def test_no_name_is_read_from_a_link(extractor: Extractor, link: str) -> None:
    found = _extract(extractor, f"We propose Zorbit, a sorting network that beats QuantaNet. Code: {link} now")
    assert found == {"proposed": {"Zorbit"}, "compared_with": {"QuantaNet"}}


@pytest.mark.parametrize(("abstract", "mentioned"), [
    ("We compare with quorbic lattice folding on sorting.", {"quorbic lattice folding"}),
    ("Quorbic Lattice Folding is compared with on sorting.", {"Quorbic Lattice Folding"}),  # any case
    ("We compare with ZentaNet on sorting.", {"ZentaNet"}),
    ("We compare with zentanet on sorting.", set()),  # written with capitals: only as written
    ("We compare with ZentaNet-XL on sorting.", {"ZentaNet-XL"}),
    ("We compare with ZentaNet XL on sorting.", {"ZentaNet XL"}),  # a spelling of it; the longest name wins
])
def test_gazetteer_names_match_as_written_or_in_any_case(tmp_path, abstract: str,  # type: ignore[no-untyped-def]
                                                         mentioned: set[str]) -> None:
    extra = tmp_path / "mine.txt"
    extra.write_text("quorbic lattice folding\nZentaNet\nZentaNet-XL\n", encoding="utf-8")
    found = _extract(Extractor(methods=[extra], rules_only=True), abstract)
    assert {name for role, names in found.items() if not role.endswith(":alias") for name in names} == mentioned
