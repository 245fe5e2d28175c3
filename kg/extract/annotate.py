"""Fill paper records with methods and datasets: the extract stage's entry point.

``Extractor`` builds the spaCy pipeline once (a blank English pipeline, our tokenizer and our
components; nothing is downloaded) and annotates papers in batches with ``nlp.pipe``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.extract.doc import ITEMS, Item, extension_values
from kg.extract.shapes import is_name_shaped, norm_key
from kg.records import Mention, Paper, ParsedListing


@dataclass(slots=True)
class Explanation:
    """Why a paper got the methods and datasets it got: every item with its rule and sentence."""

    paper: Paper
    items: list[Item]


MAX_CHARS = 20_000
# The lexical attributes the components read: LOWER, for the gazetteer's case-blind matcher.
# spaCy's English vocabulary computes 23 for every new word, each a Python call, and inside a
# memory zone a word new since the warm-up is made again in every paper: a share of a worker's
# time worth saving (docs/performance.md, "The figures behind the code").
LEXICAL_ATTRIBUTES = ("LOWER",)
WARM_UP = 1_000  # papers read before the words of each new paper are forgotten after it (``explain``)


class Extractor:
    """The extraction pipeline, built once and reused for every paper.

    Args:
        datasets: extra dataset gazetteer files (format in ``kg/data/datasets.txt``).
        methods: extra method gazetteer files (format in ``kg/data/methods.txt``).
        batch_size: papers per ``nlp.pipe`` batch.
        rules_only: decide roles by the hand rules alone (``kg_lineage``), without the role model:
            the baseline the model is measured against, and what training reads.
        model: a role model written by ``kg train``; the shipped one by default.
        evidence: name in each item's rule the features that weighed most (``--explain``).

    Raises:
        InputError: a gazetteer file cannot be read or has a malformed line.
    """

    def __init__(self, datasets: Sequence[Path] = (), methods: Sequence[Path] = (), batch_size: int = 64,
                 rules_only: bool = False, model: Path | None = None, evidence: bool = False) -> None:
        import spacy
        from spacy.attrs import IDS

        import kg.extract.components  # registers the factories
        from kg.extract.components import _lexicon
        from kg.extract.tokens import make_tokenizer

        config = {"datasets": [str(p) for p in datasets], "methods": [str(p) for p in methods]}
        _lexicon(tuple(config["datasets"]), tuple(config["methods"]))  # fail early on a bad file
        nlp = spacy.blank("en")
        vocab: Any = nlp.vocab  # spaCy's type stubs leave out lex_attr_getters
        keep = {IDS[name] for name in LEXICAL_ATTRIBUTES}
        vocab.lex_attr_getters = {a: get for a, get in vocab.lex_attr_getters.items() if a in keep}
        nlp.tokenizer = make_tokenizer(nlp)
        nlp.add_pipe("kg_sentences")
        nlp.add_pipe("kg_gazetteer", config=config)
        nlp.add_pipe("kg_abbreviations")
        nlp.add_pipe("kg_lineage")
        if not rules_only:
            import kg.extract.roles  # noqa: F401  (registers kg_roles)

            nlp.add_pipe("kg_roles", config={"model": str(model or ""), "evidence": evidence})
        self.nlp = nlp
        self.batch_size = batch_size
        self.papers_seen = 0

    def explain(self, papers: Iterable[Paper]) -> Iterable[Explanation]:
        """Annotate ``papers`` in place and yield, for each, the items behind its annotation."""
        papers = list(papers)
        texts = (text_of(p) for p in papers)
        # spaCy keeps every new word it meets in its vocabulary for good, so over a million papers of
        # coined names the workers would grow without end. After the first WARM_UP papers,
        # the words papers add are dropped after them (what is kept of a paper is plain strings,
        # never the doc). Not before: inside a memory zone spaCy's tokenizer caches nothing, and
        # without the common words of the first papers in its cache a worker ran at half speed.
        warm = self.papers_seen >= WARM_UP
        self.papers_seen += len(papers)
        with self.nlp.memory_zone() if warm else contextlib.nullcontext():
            for paper, doc in zip(papers, self.nlp.pipe(texts, batch_size=self.batch_size), strict=True):
                items: list[Item] = extension_values(doc)[ITEMS]
                paper.methods = mentions_of(i for i in items if i.kind == "method")
                paper.datasets = mentions_of(i for i in items if i.kind == "dataset")
                yield Explanation(paper, items)

    def annotate(self, papers: Iterable[Paper]) -> None:
        """Fill each paper's ``methods`` and ``datasets`` in place."""
        for _ in self.explain(papers):
            pass

    def annotate_listing(self, parsed: ParsedListing) -> None:
        """Fill the methods and datasets of every paper of one parsed listing (a warning for each
        abstract too long to read whole)."""
        from kg.records import Problem

        for p in parsed.papers:
            if len(p.abstract) > MAX_CHARS:
                parsed.problems.append(Problem(
                    p.source.file, p.source.line, "warning",
                    f"abstract of {len(p.abstract):,} characters: methods and datasets were looked for in the "
                    f"first {MAX_CHARS:,} only", p.title[:80]))
        self.annotate(parsed.papers)


def text_of(paper: Paper) -> str:
    """What the pipeline reads of a paper: its title and abstract, cleaned. A real abstract is a
    few thousand characters; a longer one is a broken page, and the rules only read its beginning
    (spaCy itself refuses a text of a million characters)."""
    from kg.extract.tokens import clean_text, expand_own_macros

    return clean_text(f"{paper.title}\n\n{expand_own_macros(paper.title, paper.abstract[:MAX_CHARS])}")


def mentions_of(items: Iterable[Item]) -> list[Mention]:
    """One mention per thing and role: surface forms of one thing are merged, the acronym is the name."""
    merged: list[tuple[set[str], Mention]] = []
    for item in items:
        forms = [item.text, *item.aliases]
        keys = {norm_key(f) for f in forms}
        for known, mention in merged:
            if mention.role == item.role and known & keys:
                known.update(keys)
                for form in forms:
                    if norm_key(form) not in {norm_key(a) for a in [mention.name, *mention.aliases]}:
                        mention.aliases.append(form)
                break
        else:
            merged.append((keys, Mention(item.text, item.role, list(item.aliases))))
    for _, mention in merged:
        names = [mention.name, *mention.aliases]
        best = min(names, key=lambda n: (not is_name_shaped(n), len(n)))
        mention.aliases = [n for n in names if n != best]
        mention.name = best
    return [m for _, m in merged]
