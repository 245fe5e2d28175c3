"""The ``kg_roles`` component: the learned decision of what a paper does with each name.

It runs after ``kg_lineage``, whose rules it reads as evidence (``doc._.kg_analysis``): the
candidates (``kg.extract.candidates``) are grouped, each group gets its features
(``kg.extract.features``) and the role model (``kg.extract.model``) decides its outcome. The
result replaces the rules' items in ``doc._.kg_items``; each item's ``rule`` says ``model``, the
probability and the features that weighed most, which ``kg extract --explain`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
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
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """The docs of ``nlp.pipe`` a batch at a time: the model scores all the groups of a batch
        in one pass, which costs little more than one paper's."""
        docs = iter(docs)
        while batch := list(islice(docs, batch_size)):
            analyses = []
            for doc in batch:
                analysis: PaperAnalysis | None = extension_values(doc).pop(ANALYSIS, None)
                if analysis is None:
                    raise ValueError("kg_roles reads what kg_lineage leaves on a doc: add kg_lineage before it")
                analyses.append(analysis)
            for doc, items in zip(batch, decide_papers(self.model, analyses, self.evidence), strict=True):
                extension_values(doc)[ITEMS] = items
            yield from batch


def groups_with_features(analysis: PaperAnalysis) -> list[tuple[NameGroup, list[str]]]:
    """Every name group of an analysed paper with its features."""
    features = PaperFeatures(analysis)
    groups = find_candidates(analysis)
    features.proposals(groups)
    return [(g, features.of(g)) for g in groups]


def decide_papers(model: Decider, analyses: list[PaperAnalysis], evidence: bool = True) -> list[list[Item]]:
    """The items of each paper: a group the model gives a role, with the evidence if asked. The
    groups of all the papers are decided in one pass."""
    papers = [groups_with_features(a) for a in analyses]
    decisions = model.decide_all([model.features(group.forms, features) for groups in papers
                                  for group, features in groups], evidence)
    result = []
    start = 0
    for analysis, groups in zip(analyses, papers, strict=True):
        items = []
        for (group, _features), decision in zip(groups, decisions[start: start + len(groups)], strict=True):
            if decision.role == "none":
                continue
            kind = "dataset" if decision.role in DATASET_ROLES else "method"
            first = group.mentions[0][0] if group.mentions else 0  # the sentence that first names it
            sentence = analysis._sentence_of(first).text.strip() if analysis.sentences else ""
            weighed = f" ({', '.join(f'{f} {w:+.1f}' for f, w in decision.evidence)})" if decision.evidence else ""
            items.append(Item(kind, group.name, decision.role, f"model p={decision.probability:.2f}{weighed}",
                              sentence, group.aliases))
        result.append(items)
        start += len(groups)
    return result

