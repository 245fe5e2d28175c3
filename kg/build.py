"""Records -> the graph model: nodes and relationships with their provenance. Pure; no database.

``build_graph`` turns a ``Resolution`` (and the listing records) into ``GraphData``: for each label
the nodes by key, for each relationship type the relationships by (start, end, key). A source is
``"listing file:line"``; a relationship gets the sources of the paper that states it, so removing a
listing can take away exactly what only that listing said.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from kg import records
from kg.extract.shapes import norm_key
from kg.gc_pause import collector_paused
from kg.resolve import Resolution
from kg.resolve.entities import Entity, joins_of
from kg.resolve.keys import name_key, source_id
from kg.resolve.papers import ResolvedPaper
from kg.schema import REL_PROPERTIES, graph_schema
from kg.turns import taking_turns

T = TypeVar("T")

ROLE_TYPES = {"proposed": "PROPOSES", "introduced": "INTRODUCES", "evaluated_on": "EVALUATED_ON"}
LINEAGE_TYPES = {"builds_on": "BUILDS_ON", "compared_with": "COMPARED_WITH"}
RelId = tuple[str, str, str]  # (start key, end key, relationship key)


@dataclass(slots=True)
class GraphData:
    """Nodes (label -> key -> properties) and relationships (type -> (start, end, key) -> properties).

    List-valued properties (``sources``, ``names``, ``aliases``) are sets in spirit: the loader
    adds to what the store holds instead of replacing it.
    """

    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rels: dict[str, dict[RelId, dict[str, Any]]] = field(default_factory=dict)

    def node(self, label: str, key: str, props: Mapping[str, Any] | None = None,
             sources: Iterable[str] = ()) -> None:
        nodes = self.nodes.get(label)
        if nodes is None:
            nodes = self.nodes[label] = {}
        into = nodes.get(key)
        if into is None:
            into = nodes[key] = {}
        if props:
            _fill(into, props)
        if sources:
            into["sources"] = _union(into.get("sources", ()), sources)

    def rel(self, rel_type: str, start: str, end: str, sources: Iterable[str], key: str = "",
            props: Mapping[str, Any] | None = None) -> None:
        rels = self.rels.get(rel_type)
        if rels is None:
            rels = self.rels[rel_type] = {}
        into = rels.get((start, end, key))
        if into is None:
            into = rels[(start, end, key)] = {}
        if props:
            _fill(into, props)
        into["sources"] = _union(into.get("sources", ()), sources)

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        return {**{label: len(n) for label, n in self.nodes.items()},
                **{t: len(r) for t, r in self.rels.items()}}


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "list<string>": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}


def model_problems(g: GraphData) -> list[str]:
    """What in ``g`` the graph model (``schemas/graph.json``) does not declare: a label, a type, a
    property, or a value not of its declared type. Empty for every graph ``build_graph`` makes."""
    schema = graph_schema()
    out: list[str] = []

    def check(what: str, declared: Mapping[str, str], props: Mapping[str, Any]) -> None:
        for name, value in props.items():
            kind = declared.get(name)
            if kind is None:
                out.append(f"{what}: {name} is not in the model")
            elif not _TYPES[kind](value):
                out.append(f"{what}: {name} = {value!r} is not a {kind}")

    for label, nodes in g.nodes.items():
        if label not in schema.nodes:
            out.append(f"{label}: not a label of the model")
            continue
        for key, props in nodes.items():
            check(f"{label} {key}", schema.nodes[label].properties, props)
    for rel_type, rels in g.rels.items():
        if rel_type not in schema.relationships:
            out.append(f"{rel_type}: not a relationship type of the model")
            continue
        declared = {**REL_PROPERTIES, **schema.relationships[rel_type].properties}
        for (start, end, _key), props in rels.items():
            check(f"{rel_type} {start} -> {end}", declared, props)
    return out


def _fill(into: dict[str, Any], props: Mapping[str, Any]) -> None:
    """Set the properties that have a value (None is no value, so an earlier one stays)."""
    for name, value in props.items():
        if value is not None:
            into[name] = value


def _union(a: Iterable[str], b: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*a, *b])) if a else list(dict.fromkeys(b))


def _organization(g: GraphData, resolution: Resolution, slug: str) -> str:
    """The Organization node of ``slug``, named as ``resolution`` chose; its key."""
    key = slug.casefold()
    name, named_on = resolution.organizations.get(key, (slug, ""))
    g.node("Organization", key, {"name": name, "named_on": named_on})
    return key


def _stated(paper: ResolvedPaper, says: Callable[[T, records.Paper], bool], fact: T) -> list[str]:
    """The sources of the occurrences of ``paper`` that say ``fact`` (``says(fact, occurrence)``);
    all of them if none does, as the merged paper had the fact from somewhere. Most papers are
    seen once, and then there is nothing to ask. The list returned is not to be changed."""
    everywhere = paper.source_ids
    if len(everywhere) == 1:
        return everywhere
    return [source for source, s in zip(everywhere, paper.occurrences, strict=True) if says(fact, s)] or everywhere


def derived(stating: list[str], *through: list[str]) -> list[str]:
    """The sources of a relationship derived from others (CO_AUTHOR from two AUTHORED, BUILDS_ON
    and COMPARED_WITH from a PROPOSES): those of ``stating`` that one of the relationships it is
    derived ``through`` also has, else all of theirs.

    Removing a listing finds a derived relationship by walking one it is derived through, while
    that one still has the listing's source; a derived relationship naming a listing none of them
    names would be out of reach, and would outlive every listing that stated it.
    """
    allowed = set().union(*through)
    kept = [source for source in stating if source in allowed]
    return kept if kept else _union(through[0], [s for t in through[1:] for s in t])


def _says_category(category: str, paper: records.Paper) -> bool:
    return (paper.category or "").upper() == category


def _says_affiliation(slug: str, paper: records.Paper) -> bool:
    return slug in paper.affiliations


def _says_organization(_: None, paper: records.Paper) -> bool:
    return paper.organization is not None


def _says_url(url: str, paper: records.Paper) -> bool:
    return url in paper.urls


def _lists_authors(names: Iterable[str], paper: records.Paper) -> bool:
    return _authors_in(paper).issuperset(names)


def _names_any(fact: tuple[str, set[str]], paper: records.Paper) -> bool:
    field_name, forms = fact  # a method or dataset, by its normalised forms
    return not forms.isdisjoint(_names_in(paper.named(field_name)))


def _names_in(mentions: list[records.Mention]) -> frozenset[str]:
    return _norm_forms(tuple(f for m in mentions for f in [m.name, *m.aliases]))


@lru_cache(maxsize=1 << 16)
def _norm_forms(forms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(norm_key(f) for f in forms)


def _authors_in(paper: records.Paper) -> frozenset[str]:
    return _name_keys((*paper.authors, paper.profile_owner or ""))


@lru_cache(maxsize=1 << 16)
def _name_keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name_key(a) for a in names if a)


def entity_keys(entities: Mapping[str, Entity], known: Mapping[str, str]) -> dict[str, str]:
    """Each entity's node key: the key of a node already in the store that has one of its names,
    else its own key. ``known`` maps a normalised name to the key of the node that has it."""
    out = {}
    for key, entity in taking_turns(entities.items()):
        names = [key, *sorted({norm_key(n) for n in [entity.name, *entity.aliases]} - {key})]
        out[key] = next((known[n] for n in names if n in known), key)
    return out


@collector_paused()
def build_graph(resolution: Resolution, listings: Iterable[records.Listing] = (),
                known_methods: Mapping[str, str] | None = None,
                known_datasets: Mapping[str, str] | None = None) -> GraphData:
    """The graph of a resolution.

    Args:
        resolution: papers, people, methods, datasets and organisations (``kg.resolve.resolve``).
        listings: the listings of the same run (one per profile page).
        known_methods: normalised name -> key of the Method nodes already in the store, so that a
            new listing's "FooNet" joins the node an earlier build called "Foo Network".
        known_datasets: the same for Dataset nodes.

    Returns:
        The nodes and relationships, each relationship with its sources.
    """
    g = GraphData()
    papers = resolution.papers

    listings = list(listings)
    for listing in listings:
        g.node("Listing", listing.file, {
            "layout": listing.layout, "owner": listing.owner, "page_date": listing.page_date,
            "papers_read": listing.papers_read, "papers_stated": listing.papers_stated, "path": listing.path},
            [source_id(listing.file, listing.line)])

    for key, paper in taking_turns(papers.items()):
        r = paper.merged
        g.node("Paper", key, {
            "title": r.title, "abstract": r.abstract, "date": r.date, "month_day": r.month_day,
            "author_count": r.author_count, "authors_truncated": r.authors_truncated, "has_code": r.has_code,
            "upvotes": r.upvotes, "layout": r.layout}, paper.source_ids)
        for s, where in zip(paper.occurrences, paper.source_ids, strict=True):
            g.node("Listing", s.source.file)
            g.rel("LISTED_IN", key, s.source.file, [where], props={"position": s.source.index, "line": s.source.line})
        if r.category:
            category = r.category.upper()
            g.node("Category", category, {"name": r.category})
            g.rel("IN_CATEGORY", key, category, _stated(paper, _says_category, category))
        for slug in r.affiliations:
            g.rel("AFFILIATED_WITH", key, _organization(g, resolution, slug), _stated(paper, _says_affiliation, slug))
        if r.organization:
            g.rel("SUBMITTED_BY", key, _organization(g, resolution, r.organization.slug),
                  _stated(paper, _says_organization, None))
        for url in r.urls:
            g.node("Repository", url, {"url": url})
            g.rel("HAS_CODE", key, url, _stated(paper, _says_url, url))

    # each listing's papers, one LISTED_IN relationship each: a batch holds whole listings, so the count
    # is the listing's (the canned query "listings" reads it)
    shown = Counter(end for _paper, end, _key in g.rels.get("LISTED_IN", {}))
    for listing in listings:
        g.node("Listing", listing.file, {"papers": shown[listing.file]})

    method_keys = entity_keys(resolution.methods, known_methods or {})
    _people(g, resolution, listings)
    _entities(g, "Method", resolution, resolution.methods, method_keys)
    _entities(g, "Dataset", resolution, resolution.datasets, entity_keys(resolution.datasets, known_datasets or {}))
    _lineage(g, resolution, method_keys)
    return g


def _people(g: GraphData, resolution: Resolution, listings: Iterable[records.Listing]) -> None:
    authors_of: dict[str, list[str]] = {}
    authored: dict[tuple[str, str], list[str]] = {}  # (person, paper) -> the sources of AUTHORED
    for person_key, paper, position in taking_turns(resolution.authorship):
        person = resolution.people[person_key]
        name = name_key(person.name)
        if person_key not in g.nodes.get("Author", {}):  # once a person: a confidence reads all their merges
            g.node("Author", person_key, {"name": person.name, "name_key": name, "confidence": person.confidence})
        sources = authored[person_key, paper] = _stated(resolution.papers[paper], _lists_authors, (name,))
        g.rel("AUTHORED", person_key, paper, sources, props={"position": position, "listed": position is not None})
        authors_of.setdefault(paper, []).append(person_key)
    for paper, people in taking_turns(authors_of.items()):
        names = {p: name_key(resolution.people[p].name) for p in people}
        stating = resolution.papers[paper]
        props = {"paper": paper}
        for a in people:
            for b in people:
                if a != b:
                    g.rel("CO_AUTHOR", a, b, derived(_stated(stating, _lists_authors, (names[a], names[b])),
                                                      authored[a, paper], authored[b, paper]),
                          key=paper, props=props)
    on_page: dict[str, set[str]] = {}
    for key, p in taking_turns(resolution.papers.items()):
        for s in p.occurrences:
            on_page.setdefault(s.source.file, set()).add(key)
    for listing in listings:
        if not listing.owner:
            continue
        owner = name_key(listing.owner)
        found = sorted({person for paper in on_page.get(listing.file, set()) for person in authors_of.get(paper, [])
                        if name_key(resolution.people[person].name) == owner})
        if found:
            g.rel("PROFILE_OF", listing.file, found[0], [source_id(listing.file, listing.line)])


def _forms(entity: Entity) -> set[str]:
    return {norm_key(f) for f in [entity.name, *entity.aliases]}


def _entities(g: GraphData, label: str, resolution: Resolution, entities: Mapping[str, Entity],
              keys: Mapping[str, str]) -> None:
    field_name = "methods" if label == "Method" else "datasets"
    for key, entity in taking_turns(entities.items()):
        node_key = keys[key]
        forms = _forms(entity)
        held = g.nodes.get(label, {}).get(node_key)
        if held is None:
            names = sorted(forms | {node_key})
            g.node(label, node_key, {"name": entity.name, "aliases": entity.aliases, "names": names,
                                     "joins": joins_of(node_key, entity.name, entity.aliases, names)})
        else:  # two things of this batch joined to one node of the store (``entity_keys``): it has both's names
            held["aliases"] = _union(held["aliases"], entity.aliases)
            held["names"] = _union(held["names"], sorted(forms))
            held["joins"] = joins_of(node_key, held["name"], held["aliases"], held["names"])
        mentioned: dict[str, list[str]] = {}  # paper -> its roles for the method besides proposing it
        for paper, role in entity.uses:
            rel_type = ROLE_TYPES.get(role)
            if rel_type is not None:
                props: dict[str, Any] = {"forms": entity.mentions[paper, role]}
                g.rel(rel_type, paper, node_key, _stated(resolution.papers[paper], _names_any, (field_name, forms)),
                      props=_with_held(g, rel_type, paper, node_key, props))
            elif label == "Method":
                mentioned.setdefault(paper, []).append(role)
        for paper, roles in mentioned.items():
            g.rel("MENTIONS", paper, node_key, _stated(resolution.papers[paper], _names_any, (field_name, forms)),
                  props=_with_held(g, "MENTIONS", paper, node_key, mentions_props(roles, entity.mentions, paper)))


def _with_held(g: GraphData, rel_type: str, paper: str, node_key: str, props: dict[str, Any]) -> dict[str, Any]:
    """``props`` of a paper's relationship to a node, with those of the relationship another thing of
    the batch gave it already (two things joined to one node of the store, ``entity_keys``): the
    forms of both, and of two MENTIONS roles the one that says most, as one thing with both
    mentions would have. Without this the second replaced the first, and its mentions were lost to
    the graph and to every later settle, which reads them back from the forms."""
    held = g.rels.get(rel_type, {}).get((paper, node_key, ""))
    if held is None:
        return props
    out = {**props, "forms": sorted([*held.get("forms", []), *props["forms"]])}
    if "role" in props:
        out["role"] = min(held.get("role", props["role"]), props["role"], key=MENTION_ROLES.index)
    return out


# A paper that both builds on a method and compares with it has one MENTIONS of it: the first role
# here is the one it keeps (the lineage relationships keep both).
MENTION_ROLES = ("builds_on", "compared_with", "mentioned")


def mentions_props(roles: Iterable[str], mentions: Mapping[tuple[str, str], list[str]], paper: str
                   ) -> dict[str, Any]:
    """The properties of a paper's MENTIONS of a method it gives ``roles``: the role that says most,
    and the forms of every mention, sorted: the relationship keeps one role, so a settle that reads
    it back gives every mention that role, and the order must not depend on the roles it had."""
    roles = sorted(set(roles), key=MENTION_ROLES.index)
    return {"role": roles[0], "forms": sorted(m for role in roles for m in mentions.get((paper, role), []))}


def _lineage(g: GraphData, resolution: Resolution, keys: Mapping[str, str]) -> None:
    proposed: dict[str, list[str]] = {}
    stated: dict[str, list[tuple[str, str, set[str]]]] = {}
    for key, entity in taking_turns(resolution.methods.items()):
        for paper, role in entity.uses:
            if role == "proposed":
                proposed.setdefault(paper, []).append(keys[key])
            elif role in LINEAGE_TYPES:
                stated.setdefault(paper, []).append((LINEAGE_TYPES[role], keys[key], _forms(entity)))
    for paper, steps in taking_turns(stated.items()):
        for new in proposed.get(paper, []):
            proposing = g.rels["PROPOSES"][paper, new, ""]["sources"]
            for rel_type, prior, forms in steps:
                if new != prior:
                    sources = derived(_stated(resolution.papers[paper], _names_any, ("methods", forms)), proposing)
                    g.rel(rel_type, new, prior, sources, key=paper, props={"paper": paper})
