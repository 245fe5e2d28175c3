"""People: a name seen on several papers is one person only where something connects the
occurrences: a profile page (its owner wrote every paper on it), a shared co-author, a shared
affiliation, or the same paper listed twice. A rare name with nothing against it is also merged,
with a lower confidence; a common name ("Wei Zhang") never is. Names left as several people are
reported by ``ambiguous_names``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from kg.resolve.keys import is_common_name, name_key
from kg.resolve.papers import ResolvedPaper
from kg.thesaurus import Reference, Thesaurus
from kg.turns import taking_turns
from kg.unionfind import UnionFind

CONFIDENCE = {"thesaurus": 1.0, "same paper": 1.0, "profile page": 0.99, "shared co-authors": 0.95,
              "shared co-author": 0.85, "combined evidence": 0.75, "shared affiliation": 0.7, "rare name": 0.6}

# Two groups of one name's papers are one person when the evidence between them weighs JOIN_AT or
# more. Each piece above joins on its own; the pieces below are too weak alone (two people of one
# name do share a field, a year, a page of daily papers) and count only together, so a name is
# never joined on one of them. Where the weights come from is in docs/authors.md.
JOIN_AT = 3.0
MAX_WEIGHED = 200  # groups of one name weighed pair by pair; a name split into more is left as it is
WEIGHTS = {"same paper": 10.0, "profile page": 10.0, "thesaurus": 10.0, "shared co-authors": 5.0,
           "shared co-author": 4.0, "shared affiliation": 3.0, "shared evidence": 3.0,
           "co-author of a co-author": 2.0, "same profile listing": 1.5, "title words": 1.0, "years": 0.5}



@dataclass(slots=True)
class Merge:
    """Why two occurrences of a name were taken for one person."""

    reason: str
    detail: str
    confidence: float
    weight: float | None = None  # what the evidence weighs (JOIN_AT joins); None for the rare-name rule

    def __post_init__(self) -> None:
        if self.weight is None:
            self.weight = WEIGHTS.get(self.reason)


@dataclass(slots=True)
class Person:
    """One person behind a name key, with the occurrences and the evidence that joined them."""

    key: str
    name: str
    papers: list[str]
    affiliations: list[str]
    merges: list[Merge] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        """The weakest link that holds the person together (1.0 for one occurrence)."""
        return min((m.confidence for m in self.merges), default=1.0)


@dataclass(slots=True)
class Ambiguity:
    """A name that stays several people, and why."""

    name: str
    people: list[Person]
    reason: str



@dataclass(slots=True)
class Occurrence:
    """One author name on one paper, with what can tie it to the same name on other papers."""

    paper: str
    name: str
    coauthors: frozenset[str]
    affiliations: frozenset[str]
    profile: str | None  # the listing file, when this occurrence is that page's owner
    position: int | None
    pages: frozenset[str] = frozenset()  # the profile-layout listings that show the paper
    year: int | None = None
    words: frozenset[str] = frozenset()  # of the title (``title_words``)


PROFILE_LAYOUTS = ("profile", "profile-compact")  # a page of one person's papers, owner named or not
_WORD = re.compile(r"[a-z][a-z0-9]{3,}")


@lru_cache(maxsize=2)
def _word_list(name: str) -> frozenset[str]:
    text = resources.files("kg.data").joinpath(name).read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _words(title: str) -> list[str]:
    # the stop words are shipped as a file: importing spaCy for its list costs a process that needs
    # nothing else of it much memory (docs/performance.md, "The figures behind the code")
    stop = _word_list("stop_words.txt")
    return [w for w in _WORD.findall(unicodedata.normalize("NFKC", title).casefold()) if w not in stop]


def common_title_words(titles: Iterable[str], share: float = 0.005) -> list[str]:
    """The words (as ``_words`` reads them) in at least ``share`` of ``titles``: how
    ``kg/data/common_title_words.txt`` was made from a corpus of real titles."""
    counts: Counter[str] = Counter()
    n = 0
    for title in titles:
        n += 1
        counts.update(set(_words(title)))
    return sorted(w for w, c in counts.items() if c >= share * n)


@lru_cache(maxsize=1 << 16)
def title_words(title: str) -> frozenset[str]:
    """The words of a title that can tell topics apart: four letters or more, neither stop words
    nor words that many titles of the field share (``common_title_words``)."""
    common = _word_list("common_title_words.txt")
    return frozenset(w for w in _words(title) if w not in common)


def year_of(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _occurrences(papers: dict[str, ResolvedPaper]) -> dict[str, list[Occurrence]]:
    by_name: dict[str, list[Occurrence]] = defaultdict(list)
    for key, paper in taking_turns(papers.items()):
        merged = paper.merged
        authors = list(merged.authors)
        keys = [name_key(a) for a in authors]
        affiliations = frozenset(merged.affiliations)
        owners = {name_key(s.profile_owner): (s.source.file, s.profile_owner)
                  for s in paper.occurrences if s.profile_owner}
        pages = frozenset(s.source.file for s in paper.occurrences if s.layout in PROFILE_LAYOUTS)
        year, words = year_of(merged.date), title_words(paper.title)
        # the owner of a profile page wrote every paper on it, shown among the authors or not: a
        # co-author of each of them
        everyone = frozenset(keys) | frozenset(owners)
        for position, (author, k) in enumerate(zip(authors, keys, strict=True)):
            profile = owners[k][0] if k in owners else None
            by_name[k].append(Occurrence(key, author, everyone - {k}, affiliations, profile, position,
                                         pages, year, words))
        for owner_key, (file, name) in owners.items():
            if owner_key not in keys:  # hidden behind "et al.", still an author
                by_name[owner_key].append(Occurrence(key, name, frozenset(keys), affiliations, file, None,
                                                     pages, year, words))
    return by_name


def _coauthors_within(papers: dict[str, ResolvedPaper]) -> dict[str, frozenset[str]]:
    """Each name key's co-authors (name keys) on ``papers``."""
    out: dict[str, set[str]] = defaultdict(set)
    for paper in papers.values():
        names = {name_key(a) for a in paper.merged.authors}
        names |= {name_key(s.profile_owner) for s in paper.occurrences if s.profile_owner}
        for n in names:
            out[n] |= names - {n}
    return {n: frozenset(c) for n, c in out.items()}


def _link(a: Occurrence, b: Occurrence) -> Merge | None:
    if a.paper == b.paper:
        return Merge("same paper", a.paper, CONFIDENCE["same paper"])
    if a.profile and a.profile == b.profile:
        return Merge("profile page", a.profile, CONFIDENCE["profile page"])
    shared = sorted(a.coauthors & b.coauthors)
    if len(shared) >= 2:
        return Merge("shared co-authors", ", ".join(shared[:3]), CONFIDENCE["shared co-authors"])
    if shared:
        return Merge("shared co-author", shared[0], CONFIDENCE["shared co-author"])
    common = sorted(a.affiliations & b.affiliations)
    if common:
        return Merge("shared affiliation", common[0], CONFIDENCE["shared affiliation"])
    return None


class _Groups:
    """Union-find over one name's occurrences that refuses a join the thesaurus forbids: each
    ``different`` statement marks the occurrences of its two sides, and no group may hold both."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.uf = UnionFind()
        self.marks: dict[str, set[tuple[int, int]]] = {}
        for i in range(n):
            self.uf.find(str(i))

    def mark(self, i: int, statement: int, side: int) -> None:
        self.marks.setdefault(self.uf.find(str(i)), set()).add((statement, side))

    def apart(self, i: int, j: int) -> bool:
        """Whether ``i`` and ``j`` are in one group already, or may not be."""
        a, b = self.uf.find(str(i)), self.uf.find(str(j))
        if a == b:
            return True
        marks_b = self.marks.get(b, set())
        return any((statement, 1 - side) in marks_b for statement, side in self.marks.get(a, ()))

    def join(self, i: int, j: int) -> bool:
        """Join the groups of ``i`` and ``j`` unless they are one already or must stay apart."""
        if self.apart(i, j):
            return False
        a, b = self.uf.find(str(i)), self.uf.find(str(j))
        self.uf.union(a, b)
        root = self.uf.find(a)
        self.marks[root] = self.marks.pop(a, set()) | self.marks.pop(b, set())
        return True

    def groups(self) -> list[list[int]]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i in range(self.n):
            groups[self.uf.find(str(i))].append(i)
        return list(groups.values())


def _refers_to(reference: Reference, s: Occurrence) -> bool:
    if reference.paper is not None:
        return s.paper == reference.paper
    if reference.tag is not None:
        return s.paper[2:10] == reference.tag
    return True


@dataclass(frozen=True, slots=True)
class _Group:
    """What a group of one name's papers offers the weak evidence."""

    coauthors: frozenset[str]
    pages: frozenset[str]
    words: frozenset[str]
    years: frozenset[int]
    second: frozenset[str]  # the co-authors of its co-authors whose names are not common ones

    @classmethod
    def of(cls, seen: list[Occurrence], coauthors_of: Mapping[str, frozenset[str]]) -> _Group:
        coauthors = frozenset().union(*(s.coauthors for s in seen))
        # an intermediate with a common name is no evidence: it is likely several people itself
        second = frozenset().union(*(coauthors_of.get(c, frozenset()) for c in coauthors if not is_common_name(c)))
        return cls(coauthors, frozenset().union(*(s.pages for s in seen)), frozenset().union(*(s.words for s in seen)),
                   frozenset(s.year for s in seen if s.year is not None), second)


def _soft_evidence(a: _Group, b: _Group) -> list[str]:
    """The kinds of weak evidence that two groups of one name's papers are one person."""
    found = []
    if not a.second.isdisjoint(b.coauthors) or not b.second.isdisjoint(a.coauthors):
        found.append("co-author of a co-author")
    if not a.pages.isdisjoint(b.pages):
        found.append("same profile listing")
    if len(a.words & b.words) >= 2:
        found.append("title words")
    if any(abs(x - y) <= 1 for x in a.years for y in b.years):
        found.append("years")
    return found


def _soft_detail(kind: str, a: _Group, b: _Group, coauthors_of: Mapping[str, frozenset[str]]) -> str:
    """What the weak evidence of ``kind`` between two groups is, for the user."""
    if kind == "co-author of a co-author":
        x, y = min((x, y) for one, other in ((a, b), (b, a)) for x in one.coauthors if not is_common_name(x)
                   for y in coauthors_of.get(x, frozenset()) & other.coauthors)
        return f"{x} wrote with {y}"
    if kind == "same profile listing":
        return min(a.pages & b.pages)
    if kind == "title words":
        return ", ".join(sorted(a.words & b.words)[:3])
    return f"{min(a.years)}-{max(a.years)} and {min(b.years)}-{max(b.years)}"


def people_of_name(key: str, seen: list[Occurrence], thesaurus: Thesaurus | None = None,
                   coauthors_of: Callable[[Iterable[str]], Mapping[str, frozenset[str]]] | None = None
                   ) -> list[tuple[Person, list[Occurrence]]]:
    """Split the occurrences of one name key into people by the evidence between them, and by what
    the user's ``thesaurus`` says (its ``different`` statements are never overruled).

    ``coauthors_of`` gives the co-authors (name keys) of names anywhere in the papers at hand, for
    the evidence of a co-author of a co-author; without it that evidence is not weighed.

    The answer depends on the set of occurrences only, not their order, so a name resolved over
    the whole graph (``kg.people``) is split the same however its papers reached the store.

    Returns:
        Each person with their occurrences, the person of the earliest paper first.
    """
    seen = sorted(seen, key=lambda s: (s.paper, s.position if s.position is not None else -1))
    groups = _Groups(len(seen))
    statements = thesaurus.of(key) if thesaurus is not None else []
    sides = [([i for i, s in enumerate(seen) if _refers_to(left, s)],
               [i for i, s in enumerate(seen) if _refers_to(right, s)]) for _kind, left, right, _w in statements]
    for n, ((kind, *_rest, where), (left, right)) in enumerate(zip(statements, sides, strict=True)):
        if thesaurus is not None:
            thesaurus.note(where, bool(left and right))
        if kind == "different":
            for side, referred in enumerate((left, right)):
                for i in referred:
                    groups.mark(i, n, side)
    merges: dict[tuple[int, int], Merge] = {}
    # Occurrences that share a paper, a profile page, a co-author or an affiliation are joined:
    # each piece of evidence is indexed once, so a name seen thousands of times costs linear time.
    first_with: dict[tuple[str, str], int] = {}
    for i, s in enumerate(seen):
        evidence = [("paper", s.paper), *([("profile", s.profile)] if s.profile else []),
                    *(("coauthor", c) for c in sorted(s.coauthors)),
                    *(("affiliation", a) for a in sorted(s.affiliations))]
        for token in evidence:
            j = first_with.setdefault(token, i)
            if j != i and groups.join(j, i):
                merges[(j, i)] = _link(seen[j], seen[i]) or Merge("shared evidence", token[1], 0.6)
    for (kind, _left, _right, where), (left, right) in zip(statements, sides, strict=True):
        if kind == "same" and left and right:
            for i in left[1:] + right:
                if groups.join(left[0], i):
                    merges[(left[0], i)] = Merge("thesaurus", where, CONFIDENCE["thesaurus"])
    clusters = sorted(groups.groups(), key=lambda g: min(seen[i].paper for i in g))
    if 1 < len(clusters) <= MAX_WEIGHED and is_common_name(key):
        # the groups that no piece of evidence joins alone: weigh the weak pieces between each two
        intermediates = {c for s in seen for c in s.coauthors if not is_common_name(c)}
        linked = coauthors_of(intermediates) if coauthors_of is not None and intermediates else {}
        summaries = [_Group.of([seen[i] for i in cluster], linked) for cluster in clusters]
        for (i, a), (j, b) in itertools.combinations(enumerate(summaries), 2):
            kinds = _soft_evidence(a, b)
            score = sum(WEIGHTS[kind] for kind in kinds)
            if score >= JOIN_AT and groups.join(clusters[i][0], clusters[j][0]):
                merges[(clusters[i][0], clusters[j][0])] = Merge("combined evidence", " + ".join(
                    f"{kind} {WEIGHTS[kind]:g} ({_soft_detail(kind, a, b, linked)})" for kind in kinds),
                    CONFIDENCE["combined evidence"], score)
        clusters = sorted(groups.groups(), key=lambda g: min(seen[i].paper for i in g))
    common = is_common_name(seen[0].name)
    if len(clusters) > 1 and not common:
        for other in clusters[1:]:
            if groups.join(clusters[0][0], other[0]):
                merges[(clusters[0][0], other[0])] = Merge("rare name", seen[0].name, CONFIDENCE["rare name"])
        clusters = sorted(groups.groups(), key=lambda g: min(seen[i].paper for i in g))
    found = []
    merges_of: dict[str, list[Merge]] = defaultdict(list)  # by the group they joined
    for (i, _j), m in sorted(merges.items()):
        merges_of[groups.uf.find(str(i))].append(m)
    for cluster in clusters:
        # A common name's people are keyed by a paper of theirs even when there is one so far, so a
        # namesake arriving later does not rename them (nor make a batch's keys differ from the graph's)
        person_key = (key if len(clusters) == 1 and not common
                      else f"{key}~{min(seen[i].paper for i in cluster)[2:10]}")
        # the spelling most occurrences use, the first in sort order on a tie
        spellings = Counter(seen[i].name for i in cluster)
        name = min(spellings, key=lambda n: (-spellings[n], n))
        person = Person(
            person_key, name, sorted({seen[i].paper for i in cluster}),
            sorted({a for i in cluster for a in seen[i].affiliations}), merges_of[groups.uf.find(str(cluster[0]))])
        found.append((person, [seen[i] for i in cluster]))
    return found


def resolve_people(papers: dict[str, ResolvedPaper], thesaurus: Thesaurus | None = None
                   ) -> tuple[dict[str, Person], list[tuple[str, str, int | None]], list[Ambiguity]]:
    """Split each name key of ``papers`` into people (``people_of_name``).

    Returns:
        people by key, authorship rows (person, paper, position), and the names left ambiguous.
    """
    people: dict[str, Person] = {}
    authorship: list[tuple[str, str, int | None]] = []
    ambiguous: list[Ambiguity] = []
    within = _coauthors_within(papers)
    for key, seen in taking_turns(sorted(_occurrences(papers).items())):
        found = people_of_name(key, seen, thesaurus, lambda names: {n: within.get(n, frozenset()) for n in names})
        for person, occurrences in found:
            people[person.key] = person
            authorship.extend((person.key, s.paper, s.position) for s in occurrences)
        if len(found) > 1:
            ambiguous.append(ambiguity(found[0][0].name, [person for person, _ in found]))
    return people, authorship, ambiguous


def ambiguity(name: str, people: list[Person]) -> Ambiguity:
    """A name left several people."""
    return Ambiguity(name, people, (
        f"{len(people)} groups of papers share no co-author, affiliation or profile page, "
        "and the name is too common to join on its own"))
