"""The corpus prior: how method-like the contexts of a name are across unannotated papers, learned
from annotated ones. The names and papers here are made up."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.candidates import NameGroup
from kg.extract.contexts import PREFIX, ContextPrior, is_context
from kg.extract.model import CLASSES, Decider, RoleModel


def test_only_the_words_around_a_name_are_its_context() -> None:
    assert all(is_context(f) for f in ("L1=outperforms", "LB=on", "cue-before=compare", "in-list", "ours-sentence"))
    about_the_name = ("shape=ACRONYM", "piece=bench", "registry=method", "usage-data=high", "rule-role=proposed",
                      "head=model", "digit", PREFIX + "method=4")
    assert not any(is_context(f) for f in about_the_name)


def test_a_name_reads_as_its_most_named_form() -> None:
    prior = ContextPrior({"zorbnet": (30, 0.91), "zorbitnetwork": (3, 0.1), "plumset": (2, 0.05)})
    assert prior.features(["ZorbNet", "Zorbit Network"]) == [PREFIX + "method=4", PREFIX + "method=4/papers=20+"]
    assert prior.features(["Plumset"]) == [PREFIX + "method=0", PREFIX + "method=0/papers=2-4"]
    assert prior.features(["Quantaplum-9"]) == [PREFIX + "unseen"]


def test_the_prior_travels_inside_the_model_file(tmp_path: Path) -> None:
    weights = {PREFIX + "method=4": [0, 0, 0, 2.0, 0, 0, -1]}
    model = Decider(RoleModel(CLASSES, [0.0] * len(CLASSES), weights), RoleModel(CLASSES, [0.0] * len(CLASSES), {}),
                    ContextPrior({"zorbnet": (12, 0.875)}))
    model.to_disk(tmp_path / "roles.json")
    again = Decider.from_disk(tmp_path / "roles.json")
    assert again.contexts is not None and again.contexts.table == {"zorbnet": (12, 0.875)}
    features = again.features(["ZorbNet"], ["L1=than"])
    assert features == ["L1=than", PREFIX + "method=4", PREFIX + "method=4/papers=5-19"]
    assert again.decide(features).role == "mentioned"
    without = Decider(model.roles, model.datasets)  # a model trained with no corpus reads none
    without.to_disk(tmp_path / "plain.json")
    assert Decider.from_disk(tmp_path / "plain.json").features(["ZorbNet"], ["L1=than"]) == ["L1=than"]


def test_the_shipped_model_carries_its_prior() -> None:
    contexts = Decider.from_disk().contexts
    assert contexts is not None and len(contexts.table) > 1000
    assert all(papers >= 2 and 0.0 <= mean <= 1.0 for papers, mean in contexts.table.values())


@pytest.mark.slow
def test_a_name_the_corpus_names_where_methods_are_named_reads_as_a_method() -> None:
    """Trained where "outperforms" comes before methods and "on" before what is not one, the
    classifier reads a corpus in which Zorbit follows "outperforms" and Plumset follows "on"."""
    pytest.importorskip("sklearn")
    from kg.extract.training import AnnotatedPaper, fit_contexts

    def group(name: str, *features: str) -> tuple[NameGroup, list[str]]:
        return NameGroup(name.lower(), forms=[name]), list(features)

    papers = [AnnotatedPaper("listing", f"paper {i}", {"compared_with": [{"name": f"Quanta{i}"}]},
                             [group(f"Quanta{i}", "L1=outperforms", "shape=Title"),
                              group(f"Vexo{i}", "L1=on", "shape=Title")]) for i in range(12)]
    corpus = [[(["Zorbit"], ["L1=outperforms", "shape=Title"]), (["Plumset"], ["L1=on", "shape=Title"])]
              for _ in range(3)] + [[(["Lonely"], ["L1=outperforms"]), (["lonely"], ["L1=outperforms"])]]
    prior = fit_contexts(papers, corpus)
    assert prior.table["zorbit"][0] == 3 and prior.table["plumset"][0] == 3
    assert prior.table["zorbit"][1] > 0.5 > prior.table["plumset"][1]
    # named in one paper, if twice there: that paper's own features say as much
    assert "lonely" not in prior.table
