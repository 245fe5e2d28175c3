"""The ``kg_roles`` component: the learned decision of what a paper does with each name.

It runs after ``kg_lineage``, whose rules it reads as evidence (``doc._.kg_analysis``): the
candidates (``kg.extract.candidates``) are grouped, each group gets its features
(``kg.extract.features``) and the role model (``kg.extract.model``) decides its outcome. The
result replaces the rules' items in ``doc._.kg_items``; each item's ``rule`` says ``model``, the
probability and the features that weighed most, which ``kg extract --explain`` prints.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.candidates import NameGroup, find_candidates
from kg.extract.doc import ANALYSIS, ITEMS, Item, extension_values
from kg.extract.features import PaperFeatures
from kg.extract.model import DATASET_ROLES, Decider
from kg.extract.paper import PaperAnalysis


@Language.factory("kg_roles", default_config={"model": "", "evidence": False})
def make_roles(nlp: Language, name: str, model: str, evidence: bool) -> Roles:
    return Roles(Decider.from_disk(Path(model) if model else None), evidence)


class Roles:
    """Decide every name group's role with the role model (``Decider``); with ``evidence``, each
    item's rule also names the features that weighed most (for ``--explain``)."""

    def __init__(self, model: Decider, evidence: bool = False) -> None:
        self.model = model
        self.evidence = evidence

    def __call__(self, doc: Doc) -> Doc:
        values = extension_values(doc)
        analysis: PaperAnalysis | None = values.pop(ANALYSIS, None)
        if analysis is None:
            raise ValueError("kg_roles reads what kg_lineage leaves on a doc: add kg_lineage before it")
        values[ITEMS] = decide(self.model, analysis, self.evidence)
        return doc


def groups_with_features(analysis: PaperAnalysis) -> list[tuple[NameGroup, list[str]]]:
    """Every name group of an analysed paper with its features."""
    features = PaperFeatures(analysis)
    groups = find_candidates(analysis)
    features.proposals(groups)
    return [(g, features.of(g)) for g in groups]


def decide(model: Decider, analysis: PaperAnalysis, evidence: bool = True) -> list[Item]:
    """The items of one paper: a group the model gives a role, with the evidence if asked."""
    items = []
    groups = groups_with_features(analysis)
    decisions = model.decide_all([features for _group, features in groups], evidence)
    for (group, _features), decision in zip(groups, decisions, strict=True):
        if decision.role == "none":
            continue
        kind = "dataset" if decision.role in DATASET_ROLES else "method"
        first = group.mentions[0][0] if group.mentions else 0  # the sentence that first names it
        sentence = analysis._sentence_of(first).text.strip() if analysis.sentences else ""
        weighed = f" ({', '.join(f'{f} {w:+.1f}' for f, w in decision.evidence)})" if decision.evidence else ""
        items.append(Item(kind, group.name, decision.role, f"model p={decision.probability:.2f}{weighed}", sentence,
                          group.aliases))
    return items

