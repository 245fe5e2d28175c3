"""Fuzzing the extractors: any text, however strange, gives mentions and no exception.

Properties over generated abstracts: sentences built from pieces of real abstract language
(proposal and lineage cues, acronyms, brackets, LaTeX) and arbitrary Unicode. KG_FUZZ_EXAMPLES
raises the budget for a longer campaign (docs/development.md has the command).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.annotate import Extractor
from kg.extract.shapes import norm_key
from kg.records import Paper, Source

SETTINGS = settings(max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "100")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
PIECES = ["We propose", "we introduce", "Graph Lantern Network", "(GLN)", "built on top of", "BERT", "RetNet",
          "outperforms", "compared with", "ImageNet", "CIFAR-10", "dataset", "benchmark", "based on", "$O(n^2)$",
          "\\textbf{", "}", "(", ")", "[", "]", "{", "et al.", ",", ".", ";", "-", "LoRA-based", "e.g.", "i.e.",
          "Transformer", "a novel framework", "named", "called", "via", "GPT-4o", "x", "\u00e9", "\u200b", "\n"]
EXTRACTOR = Extractor()


def _paper(title: str, abstract: str) -> Paper:
    return Paper(source=Source("f.txt", 0, 1), title=title, abstract=abstract, layout="daily")


def _check(paper: Paper) -> None:
    EXTRACTOR.annotate([paper])
    for mention in paper.methods:
        assert mention.name.strip() and norm_key(mention.name)
        assert mention.role in ("proposed", "builds_on", "compared_with", "mentioned")
    for mention in paper.datasets:
        assert mention.name.strip() and norm_key(mention.name)
        assert mention.role in ("introduced", "evaluated_on")
    keys = [(norm_key(m.name), m.role) for m in paper.methods]
    assert len(keys) == len(set(keys)), "one mention per thing and role"


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=120), st.lists(st.sampled_from(PIECES), max_size=8))
def test_abstracts_made_of_abstract_language_never_break_extraction(words: list[str], title: list[str]) -> None:
    _check(_paper(" ".join(title) or "T", " ".join(words)))


@SETTINGS
@given(st.text(max_size=2000), st.text(max_size=200))
def test_arbitrary_unicode_never_breaks_extraction(abstract: str, title: str) -> None:
    _check(_paper(title, abstract))
