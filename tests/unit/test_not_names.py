"""Forms shaped like names that name no method or dataset: a registered metric, a kind of model,
a website.

Which acronyms are kinds and which sites the corpus links to are read from the shipped tables, so
the tests find them there rather than name them; the made-up names (Zorbit, ZQX, Zorbhub) are in
no table.
"""

from __future__ import annotations

from importlib import resources

import pytest

from kg.extract.annotate import Extractor
from kg.extract.doc import ANALYSIS, extension_values
from kg.extract.lexicon import common_words, count_websites, websites
from kg.extract.not_names import KIND_MIN_PLURAL_PAPERS, NotNames, is_kind, is_metric, is_not_name
from kg.extract.registries import METRIC, registered_kinds
from kg.extract.tokens import clean_text
from kg.extract.usage import _table, papers_naming
from kg.records import Paper


def _acronym(key: str) -> str:
    return key.upper()


def _kinds() -> list[str]:
    """The short acronyms the corpus writes in the plural in at least as many papers as bare."""
    common = common_words()
    return [_acronym(key) for key in sorted(_table()) if key.isalpha() and 2 <= len(key) <= 4 and key not in common
            and papers_naming(key + "s") >= max(KIND_MIN_PLURAL_PAPERS, papers_naming(key))]


def test_an_acronym_the_corpus_writes_in_the_plural_is_a_kind_bare_or_plural() -> None:
    kinds = _kinds()
    assert kinds, "the shipped usage table names no kind of model"
    not_names = NotNames()
    for kind in kinds:
        assert kind in not_names and kind + "s" in not_names
    assert "ZQX" not in not_names and "ZQXs" not in not_names  # in no table


def test_an_acronym_the_corpus_writes_mostly_bare_is_no_kind() -> None:
    bare = next(_acronym(key) for key in sorted(_table()) if key.isalpha() and 2 <= len(key) <= 4
                and papers_naming(key) >= 20 and papers_naming(key + "s") < papers_naming(key) / 4
                and registered_kinds([key]) == set())
    assert not is_kind(bare)


def test_a_kind_must_be_shaped_as_an_acronym() -> None:
    kind = _kinds()[0]
    assert not is_kind(kind.capitalize())  # "Zqx": a word written with a capital, not an acronym


def _registered(kind: str) -> list[str]:
    text = resources.files("kg.data").joinpath("registry_names.tsv").read_text("utf-8")
    return [line.split("\t")[1] for line in text.splitlines() if line.startswith(kind + "\t")]


def test_a_metric_is_no_name_unless_it_is_registered_as_something_else_too() -> None:
    metrics = _registered(METRIC)
    only = [m for m in metrics if registered_kinds([m]) == {METRIC}]
    shared = [m for m in metrics if registered_kinds([m]) != {METRIC}]
    assert only and all(is_metric(m) for m in only)
    assert not any(is_metric(m) for m in shared)
    assert not is_metric("ZQX")


def test_a_website_is_counted_by_the_name_before_the_last_dot_of_its_host() -> None:
    papers = [f"Code at https://zorbhub.com/quanta/{i} and https://vexo.zorbhub.io, page https://ox.ac.uk/z{i}"
              for i in range(3)] + ["Data at http://plum.example.org/a.", "No link to zorbhub here."]
    # a project's page counts for the site that hosts it; two-letter names are left out; a site
    # counts once a paper however often that paper links to it
    assert count_websites(papers, min_papers=3) == ["zorbhub"]
    assert count_websites(papers, min_papers=1) == ["example", "zorbhub"]


def test_a_website_the_corpus_links_to_is_no_name_however_it_is_cased() -> None:
    assert websites(), "the shipped table names no website"
    for site in websites():
        assert is_not_name(site) and is_not_name(site.upper()) and is_not_name(site.capitalize())
    assert not is_not_name("Zorbhub")


@pytest.mark.slow
def test_the_websites_are_those_the_corpus_links_to(corpus_papers: list[Paper]) -> None:
    """kg/data/websites.txt is what count_websites counts on shared/corpus/hf-daily."""
    papers = corpus_papers
    assert count_websites(f"{p.title}\n{p.abstract}" for p in papers) == sorted(websites())
    shipped = resources.files("kg.data").joinpath("websites.txt").read_text("utf-8")
    assert f"{len(papers):,} papers" in shipped


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(rules_only=True)


def test_a_kind_of_model_or_a_metric_is_marked_and_the_rules_give_it_no_role(rules: Extractor) -> None:
    from kg.extract.roles import groups_with_features

    kind = _kinds()[0]
    metric = next(m for m in _registered(METRIC) if m.isalpha() and m.isupper() and is_metric(m))
    abstract = (f"We propose Zorbit, a {kind}-based agent that sorts lists, built on {kind}s. We evaluate it "
                f"on the Plumset and {metric} benchmarks, where it beats Quanta.")
    doc = rules.nlp(clean_text(f"Zorbit: sorting lists\n\n{abstract}"))
    groups = {g.name: (g, f) for g, f in groups_with_features(extension_values(doc)[ANALYSIS])}
    marked = {name for name, (_g, f) in groups.items() if "field-word" in f}
    assert {kind, metric} <= marked and not marked & {"Zorbit", "Quanta", "Plumset"}
    assert not groups[kind][0].rule_roles and not groups[metric][0].rule_roles
    assert groups["Zorbit"][0].rule_roles and groups["Plumset"][0].rule_roles
