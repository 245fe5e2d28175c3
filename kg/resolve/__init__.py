"""Entity resolution: one node per real thing, every merge with its evidence.

Input is the papers of ``kg extract`` (``kg.records.Paper``, one per occurrence); output is a
``Resolution``: papers (one per title, with every source occurrence), methods and datasets (one
per thing however written), organisations (slugs with display names) and people (name keys split
into persons by the evidence that connects their occurrences). Pure functions; no database.

The stage in four modules: ``keys`` (paper keys, name keys, provenance, organisations),
``papers`` (one per title), ``entities`` (one method or dataset however written) and ``people``
(a name split into the persons the evidence shows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.gc_pause import collector_paused
from kg.records import Paper
from kg.resolve.entities import Entity, resolve_entities
from kg.resolve.keys import load_organizations, organization_name
from kg.resolve.papers import ResolvedPaper, resolve_papers
from kg.resolve.people import Ambiguity, Person, resolve_people
from kg.thesaurus import Thesaurus


@dataclass(slots=True)
class Resolution:
    """Everything resolved from a set of records."""

    papers: dict[str, ResolvedPaper]
    methods: dict[str, Entity]
    datasets: dict[str, Entity]
    organizations: dict[str, tuple[str, str]]  # lower-case slug -> (display name, date it was named on)
    people: dict[str, Person]
    authorship: list[tuple[str, str, int | None]]  # (person key, paper key, position or None if hidden)
    ambiguous: list[Ambiguity]



@collector_paused()
def resolve(occurrences: Iterable[Paper], organizations: Sequence[Path] = (),
            thesaurus: Thesaurus | None = None) -> Resolution:
    """Resolve the papers of a set of listings, each occurrence of a paper on its own (see the module
    docstring); ``thesaurus`` is the user's word on who is who (``kg.thesaurus``)."""
    table = load_organizations(organizations)
    papers = resolve_papers(occurrences)
    orgs: dict[str, tuple[str, str]] = {}
    for paper in papers.values():
        date = paper.merged.date or ""
        for slug in paper.merged.affiliations:
            _name_organization(orgs, slug, organization_name(slug, table), date)
        org = paper.merged.organization
        if org:
            _name_organization(orgs, org.slug, table.get(org.slug.casefold()) or org.name, date)
    people, authorship, ambiguous = resolve_people(papers, thesaurus)
    return Resolution(papers, resolve_entities(papers, "methods"), resolve_entities(papers, "datasets"), orgs,
                      people, authorship, ambiguous)


def _name_organization(orgs: dict[str, tuple[str, str]], slug: str, name: str, date: str) -> None:
    """Offer ``name``, given by a paper of ``date``, for the organisation of ``slug``.

    Daily pages name one organisation differently over the years. The name kept is the latest
    paper's, and of two papers of one day the first name in alphabetical order: a rule that gives
    the same name whatever order the papers come in, which the store applies again when a later
    batch offers another (``kg.statements.write.node_statement``), so that a graph built in
    batches names each organisation as one built at once does.
    """
    key = slug.casefold()
    held = orgs.get(key)
    if held is None or is_later_name(name, date, *held):
        orgs[key] = (name, date)


def is_later_name(name: str, date: str, held_name: str, held_date: str) -> bool:
    """Whether ``name`` of ``date`` replaces ``held_name`` of ``held_date`` (see ``_name_organization``)."""
    return date > held_date or (date == held_date and name < held_name)
