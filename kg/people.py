"""People over the whole graph: each author name split into people by every paper the store has.

``kg build`` resolves the records it loads a batch at a time (``kg.resolve``), and a batch sees
only its own papers: a name whose papers reached the store in several batches, or in several
builds, would otherwise be split by how the input happened to be cut, and a listing added later
could never join two people it connects. So once a build (or a removal) has written everything,
each name it touched is resolved again over all of its occurrences in the store, with the same
evidence and the same rule (``kg.resolve.people_of_name``), and where the answer differs from the
Author nodes there, those nodes are rewritten: their AUTHORED, CO_AUTHOR and PROFILE_OF
relationships move to the people the name now splits into, sources and all.

The new relationships are written before the old ones are taken away, so a rewrite cut short
leaves more than it should, never less, and the next build of the same input finishes it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from kg.build import GraphData
from kg.load.writer import DEFAULT_BATCH_SIZE, batches, load
from kg.records import Records
from kg.resolve.keys import is_common_name, name_key
from kg.resolve.people import (
    PROFILE_LAYOUTS,
    Occurrence,
    Person,
    people_of_name,
    title_words,
    year_of,
)
from kg.schema import source_list
from kg.statements.settle import PEOPLE_STATEMENTS, SUMMARY_STATEMENTS
from kg.store import Store
from kg.thesaurus import Thesaurus

# Names settled together: the papers of one set are read once, however many of its names they have
# (each paper is read again for each set that has one of its authors), and held while it is settled,
# so the size trades reads against memory (docs/performance.md). A set ends at whichever bound it
# meets first: where many papers share few names, a count of names alone does not bound memory.
NAMES_PER_READ = 5_000
OCCURRENCES_PER_READ = 200_000
# Occurrences whose people are rewritten at once: their relationships are held as rows meanwhile
# (docs/performance.md, "A million papers, measured again")
OCCURRENCES_PER_REWRITE = 50_000

T = TypeVar("T")


@dataclass(slots=True)
class Stored:
    """An occurrence as the store holds it: the Author node it belongs to, and its AUTHORED."""

    occurrence: Occurrence  # its ``name`` is the Author node's
    person: str
    confidence: float | None
    listed: bool
    sources: list[str]


def read_occurrences(store: Store, names: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE
                     ) -> dict[str, list[Stored]]:
    """Every occurrence in the store of each name key in ``names`` that has more than one (a name
    on one paper is one person, and its Author node says so already)."""
    return _occurrences(store, _papers_of(store, names, batch_size), batch_size)


def _papers_of(store: Store, names: Iterable[str], batch_size: int) -> dict[str, list[str]]:
    """The papers (keys) of each name key in ``names`` that has any."""
    return {row["name_key"]: row["papers"] for batch in batches(sorted(set(names)), batch_size)
            for row in store.run(PEOPLE_STATEMENTS["papers"], {"names": batch})}


def _occurrences(store: Store, papers_of: Mapping[str, list[str]], batch_size: int) -> dict[str, list[Stored]]:
    """``read_occurrences`` of the names of ``papers_of`` (name key -> its papers)."""
    wanted = {name for name, papers_of_name in papers_of.items() if len(papers_of_name) > 1}
    papers = {paper for name in wanted for paper in papers_of[name]}
    out: dict[str, list[Stored]] = defaultdict(list)
    for batch in batches(sorted(papers), batch_size):
        params = {"papers": batch}
        authors: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in store.run(PEOPLE_STATEMENTS["occurrences"], params):
            authors[row["paper"]].append(row)
        affiliations: dict[str, set[str]] = defaultdict(set)
        for row in store.run(PEOPLE_STATEMENTS["affiliations"], params):
            affiliations[row["paper"]].add(row["organization"])
        owners: dict[str, list[tuple[str, str]]] = defaultdict(list)
        profile_pages: dict[str, set[str]] = defaultdict(set)
        for row in store.run(PEOPLE_STATEMENTS["pages"], params):
            if row["owner"]:
                owners[row["paper"]].append((name_key(row["owner"]), row["listing"]))
            if row["layout"] in PROFILE_LAYOUTS:
                profile_pages[row["paper"]].add(row["listing"])
        for paper, rows in authors.items():
            everyone = frozenset(row["name_key"] for row in rows)
            orgs = frozenset(affiliations.get(paper, ()))
            pages_of = frozenset(profile_pages.get(paper, ()))
            year, words = year_of(rows[0]["date"]), title_words(rows[0]["title"] or "")
            for row in rows:
                key = row["name_key"]
                if key not in wanted:
                    continue
                # the page whose owner this is, the first if several: an owner is a co-author of
                # every paper on their page, as the records say (``kg.resolve``)
                pages = sorted(listing for owner, listing in owners.get(paper, ()) if owner == key)
                occurrence = Occurrence(paper, row["name"] or key, everyone - {key}, orgs,
                                        pages[0] if pages else None, row["position"], pages_of, year, words)
                out[key].append(Stored(occurrence, row["person"], row["confidence"], bool(row["listed"]),
                                       source_list(row["sources"])))
    return out


@dataclass(slots=True)
class _Split:
    """One name's people as the store has them and as all its occurrences say they are."""

    old: set[str]  # the keys of its Author nodes now
    people: list[tuple[Person, list[Stored]]]

    def same_people(self) -> bool:
        """Whether the Author nodes are these people already (their names and confidences aside)."""
        return self.old == {p.key for p, _ in self.people} and all(
            s.person == person.key for person, stored in self.people for s in stored)

    def moved(self) -> list[tuple[Person, list[Stored]]]:
        """The people whose Author node does not hold exactly their occurrences now (a new key,
        occurrences gained from another node or lost to one)."""
        held = Counter(s.person for _, stored in self.people for s in stored)
        return [(person, stored) for person, stored in self.people
                if held[person.key] != len(stored) or any(s.person != person.key for s in stored)]


def read_coauthors(store: Store, names: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE
                   ) -> dict[str, frozenset[str]]:
    """The co-authors (name keys) of each name key in ``names``, on every paper in the store."""
    out = {}
    for batch in batches(sorted(set(names)), batch_size):
        for row in store.run(PEOPLE_STATEMENTS["coauthors"], {"names": batch}):
            out[row["name_key"]] = frozenset(c for c in row["coauthors"] if c != row["name_key"])
    return out


def reach_of(store: Store, names: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE) -> set[str]:
    """``names`` and the names whose people a change to their papers can join or split through the
    evidence of a co-author of a co-author: the common names among the co-authors of the others
    (a common name is the only kind that is ever split, and only a name that is not common is an
    intermediate)."""
    names = set(names)
    linked = read_coauthors(store, (n for n in names if not is_common_name(n)), batch_size=batch_size)
    return names | {c for coauthors in linked.values() for c in coauthors if is_common_name(c)}


def _split(key: str, stored: list[Stored], thesaurus: Thesaurus | None,
           linked: Mapping[str, frozenset[str]] | None = None) -> _Split:
    found = people_of_name(key, [s.occurrence for s in stored], thesaurus,
                           None if linked is None else lambda names: {n: linked.get(n, frozenset()) for n in names})
    of = {id(s.occurrence): s for s in stored}
    return _Split({s.person for s in stored}, [(person, [of[id(o)] for o in occurrences])
                                                for person, occurrences in found])


def names_of(records: Records) -> set[str]:
    """The name keys of the authors and profile owners of a run's papers and listings."""
    return ({name_key(name) for paper in records.papers for name in (*paper.authors, paper.profile_owner) if name}
            | {name_key(listing.owner) for listing in records.listings if listing.owner})


def reconcile_people(store: Store, names: Iterable[str], thesaurus: Thesaurus | None = None, *,
                     batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Resolve each name key in ``names`` over all its occurrences in the store, and rewrite the
    Author nodes of those whose people come out differently.

    Returns:
        The number of names rewritten.
    """
    names = sorted(set(names))
    rewritten = 0
    for papers_of in _reads(store, names, batch_size):
        occurrences = _occurrences(store, papers_of, batch_size)
        splits = {key: _split(key, stored, thesaurus) for key, stored in occurrences.items()}
        # the names that other evidence leaves several people are weighed again with the evidence of
        # a co-author of a co-author, whose co-authors are read for them alone
        several = [key for key, split in splits.items() if len(split.people) > 1 and is_common_name(key)]
        linked = read_coauthors(store, {c for key in several for s in occurrences[key] for c in s.occurrence.coauthors
                                        if not is_common_name(c)}, batch_size=batch_size)
        splits.update((key, _split(key, occurrences[key], thesaurus, linked)) for key in several)
        changed = [split for split in splits.values() if not split.same_people()]
        for chunk in _chunks(changed):
            _rewrite(store, chunk, batch_size)
        rewritten += len(changed)
        renamed = GraphData()  # people that stay as they are, where the spelling or confidence changed
        for split in splits.values():
            moved = {person.key for person, _ in split.moved()}
            for person, stored in split.people:
                if person.key in moved:
                    continue
                confidence = person.confidence  # worked out from every merge: once, not once an occurrence
                if any(s.occurrence.name != person.name or s.confidence != confidence for s in stored):
                    renamed.node("Author", person.key, {"name": person.name, "confidence": confidence})
        if renamed.nodes:
            load(store, renamed, batch_size=batch_size)
    return rewritten


def complete_co_authors(store: Store, papers: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Add the CO_AUTHOR relationships missing between the authors of ``papers``: where listings
    loaded apart name different authors of one paper (two profile pages whose owners are both
    hidden behind "et al."), no load saw the two together.

    Two authorships with a source in common were loaded together, and their CO_AUTHOR with them;
    the others get one with the sources of both, as ``kg.build`` gives a pair no listing names
    together (merged: a build that had both listings in one batch made it already).

    Returns:
        The number of pairs written.
    """
    written = 0
    for batch in batches(sorted(set(papers)), batch_size):
        authors: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for row in store.run(PEOPLE_STATEMENTS["occurrences"], {"papers": batch}):
            authors[row["paper"]].append((row["person"], source_list(row["sources"])))
        g = GraphData()
        for paper, people in authors.items():
            for a, a_sources in people:
                for b, b_sources in people:
                    if a != b and set(a_sources).isdisjoint(b_sources):
                        g.rel("CO_AUTHOR", a, b, [*a_sources, *b_sources], key=paper, props={"paper": paper})
        if g.rels:
            load(store, g, batch_size=batch_size, merge=True)
            written += len(g.rels["CO_AUTHOR"])
    return written


def _reads(store: Store, names: list[str], batch_size: int) -> Iterator[dict[str, list[str]]]:
    """``names``, in order, in sets of at most ``NAMES_PER_READ`` names and about
    ``OCCURRENCES_PER_READ`` occurrences, each with its papers (name key -> paper keys)."""
    def sized() -> Iterator[tuple[tuple[str, list[str]], int]]:
        for part in batches(names, batch_size):
            papers_of = _papers_of(store, part, batch_size)
            for name in part:
                papers = papers_of.get(name, [])
                yield (name, papers), len(papers)

    return (dict(run) for run in _runs(sized(), OCCURRENCES_PER_READ, NAMES_PER_READ))


def _chunks(changed: list[_Split]) -> Iterator[list[_Split]]:
    """``changed`` in runs of about ``OCCURRENCES_PER_REWRITE`` occurrences (a name's are never cut).
    The names of one run are rewritten as the names of two reads are: a co-authorship between
    them is moved at one end by the first and at the other by the second."""
    return _runs(((split, sum(len(stored) for _, stored in split.people)) for split in changed),
                 OCCURRENCES_PER_REWRITE)


def _runs(sized: Iterable[tuple[T, int]], limit: int, most: int | None = None) -> Iterator[list[T]]:
    """The items of ``sized`` (item, size), in order, in runs whose sizes add up to ``limit`` at
    most and of ``most`` items at most; an item larger than ``limit`` is a run of its own."""
    run: list[T] = []
    total = 0
    for item, size in sized:
        if run and (total + size > limit or len(run) == most):
            yield run
            run, total = [], 0
        run.append(item)
        total += size
    if run:
        yield run


def _rewrite(store: Store, changed: list[_Split], batch_size: int) -> None:
    """Write the people of ``changed`` names whose occurrences moved; the others stay as they are.

    Of a person that moved, only what moves is written: an authorship its node holds already, alone
    on its paper, and a co-authorship whose ends both stay, are left where they are (a person that
    gains occurrences often keeps most of its own, and rewriting those was most of a settle's writes).
    """
    moved = [(split, split.moved()) for split in changed]
    # the Author nodes that lose or gain an occurrence, or go
    old = sorted({s.person for _, people in moved for _, stored in people for s in stored}
                 | {key for split, _ in moved for key in split.old - {p.key for p, _ in split.people}})
    # those that lose one (a node that goes loses them all): only their relationships can change ends
    losing = sorted({s.person for _, people in moved for person, stored in people for s in stored
                     if s.person != person.key})
    new_person: dict[tuple[str, str], str] = {}  # (old Author key, paper) -> the person's key now
    standing: dict[str, set[tuple[str, str, str]]] = {"AUTHORED": set(), "CO_AUTHOR": set()}  # held, left as is
    g = GraphData()
    for _, people in moved:
        for person, stored in people:
            g.node("Author", person.key, {"name": person.name, "name_key": name_key(person.name),
                                          "confidence": person.confidence})
            for s in stored:
                new_person[s.person, s.occurrence.paper] = person.key
            for paper, on_paper in _by_paper(stored).items():
                if len(on_paper) == 1 and on_paper[0].person == person.key:
                    standing["AUTHORED"].add((person.key, paper, ""))
                    continue
                # one AUTHORED where the same person had several (a paper in two batches): listed
                # wherever any of them was, at the first position shown
                positions = [s.occurrence.position for s in on_paper if s.occurrence.position is not None]
                g.rel("AUTHORED", person.key, paper, [x for s in on_paper for x in s.sources],
                      props={"position": min(positions) if positions else None,
                             "listed": any(s.listed for s in on_paper)})
    co_authors = [row for keys in batches(losing, batch_size)
                  for row in store.run(PEOPLE_STATEMENTS["co_authors"], {"keys": keys})]
    # whoever gains or loses a co-author here has summaries due (kg.load.communities), flagged
    # before anything moves so that a rewrite cut short leaves them flagged
    flagged = sorted(set(old) | {row[end] for row in co_authors for end in ("start", "end")})
    for keys in batches(flagged, batch_size):
        store.run(SUMMARY_STATEMENTS["flag"], {"keys": keys}, write=True)
    for row in co_authors:
        start = new_person.get((row["start"], row["paper"]), row["start"])
        end = new_person.get((row["end"], row["paper"]), row["end"])
        if (start, end) == (row["start"], row["end"]):
            standing["CO_AUTHOR"].add((start, end, row["paper"]))
        elif start != end:
            g.rel("CO_AUTHOR", start, end, source_list(row["sources"]), key=row["paper"], props={"paper": row["paper"]})
    profiles = [row for keys in batches(losing, batch_size)
                for row in store.run(PEOPLE_STATEMENTS["profiles"], {"keys": keys})]
    owner_of = {s.occurrence.profile: person.key for _, people in moved for person, stored in people
                for s in stored if s.occurrence.profile}
    went: dict[str, Counter[str]] = defaultdict(Counter)  # old Author key -> its papers' people now, counted
    for (old_key, _paper), now in new_person.items():
        went[old_key][now] += 1
    for row in profiles:
        # the person of the page's owner; failing that (no paper there is theirs in the store), the
        # person that the most of the old owner's papers went to
        counted = went.get(row["person"], Counter())
        owner = owner_of.get(row["listing"]) or min(counted, key=lambda k: (-counted[k], k), default=row["person"])
        g.rel("PROFILE_OF", row["listing"], owner, source_list(row["sources"]))
    # a relationship of a person whose key no Author node has yet cannot be there: created
    # outright, as a first load does (cheaper than merging); the others are merged
    kept = {rel_type: set(g.rels.get(rel_type, {})) | standing.get(rel_type, set())
            for rel_type in ("AUTHORED", "CO_AUTHOR", "PROFILE_OF")}
    unheld = set(g.nodes.get("Author", {})) - set().union(*(split.old for split in changed))
    fresh, merged = GraphData(nodes=g.nodes), GraphData()
    for rel_type, rels in g.rels.items():
        for (start, end, key), props in rels.items():
            new = rel_type != "PROFILE_OF" and (start in unheld or (rel_type == "CO_AUTHOR" and end in unheld))
            (fresh if new else merged).rels.setdefault(rel_type, {})[start, end, key] = props
    load(store, fresh, batch_size=batch_size)
    load(store, merged, batch_size=batch_size, merge=True)

    # what the new split does not keep: the Author nodes it has no person for, whole, and the
    # relationships that moved away from those it keeps
    gone = set(old) - set(g.nodes.get("Author", {}))
    for keys in batches(sorted(gone), batch_size):
        store.run(PEOPLE_STATEMENTS["drop_people"], {"keys": keys}, write=True)
    still = set(old) - set(gone)
    stale_authored = [{"start": s.person, "end": s.occurrence.paper} for _, people in moved
                      for _, stored in people for s in stored
                      if s.person in still and (s.person, s.occurrence.paper, "") not in kept["AUTHORED"]]
    stale_co_authors = [{"start": row["start"], "end": row["end"], "paper": row["paper"]} for row in co_authors
                        if row["start"] not in gone and row["end"] not in gone
                        and (row["start"], row["end"], row["paper"]) not in kept["CO_AUTHOR"]]
    stale_profiles = [{"start": row["listing"], "end": row["person"]} for row in profiles
                      if row["person"] in still and (row["listing"], row["person"], "") not in kept["PROFILE_OF"]]
    for name, rows in (("drop_authored", stale_authored), ("drop_co_authors", stale_co_authors),
                       ("drop_profiles", stale_profiles)):
        for rows_batch in batches(_unique(rows), batch_size):
            store.run(PEOPLE_STATEMENTS[name], {"rows": rows_batch}, write=True)


def _by_paper(stored: list[Stored]) -> Mapping[str, list[Stored]]:
    out: dict[str, list[Stored]] = defaultdict(list)
    for s in stored:
        out[s.occurrence.paper].append(s)
    return out


def _unique(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list({tuple(sorted(row.items())): row for row in rows}.values())


__all__ = ["complete_co_authors", "names_of", "reach_of", "read_occurrences", "reconcile_people"]
