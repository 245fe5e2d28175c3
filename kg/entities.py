"""Methods and datasets over the whole graph: each name resolved again by every paper that gives it.

A batch of ``kg build`` resolves its own papers (``kg.resolve.entities.entities_of``) and joins a method to
the node of the store that already has one of its names, keeping that node's key and display name.
So without this step the graph depended on how the input was cut: which spelling came first, a
long form and its acronym met in different batches, a name only a removed listing used. Each
paper's relationship to a method or dataset keeps how the paper wrote it (``forms``, one entry a
mention), so once a build or a removal has written everything, the nodes it touched, with every
node that shares a name with them, are resolved again from all their papers' mentions, by the same
rule; where the answer differs from the nodes, they are rewritten with their relationships.

As for people (``kg.people``), the new relationships are written before the old go, so a rewrite
cut short leaves more than it should, never less, and the next build of the same input finishes it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from kg.build import LINEAGE_TYPES, MENTION_ROLES, ROLE_TYPES, GraphData, derived, mentions_props
from kg.extract.shapes import norm_key
from kg.load.writer import DEFAULT_BATCH_SIZE, LoadStats, batches, held_keys, load
from kg.resolve.entities import (
    FORM_SEPARATOR,
    Entity,
    Mention,
    entities_of,
    joins_of,
    resolve_forms,
)
from kg.schema import source_list
from kg.statements.settle import entity_statements
from kg.store import Store
from kg.unionfind import UnionFind

LABELS = ("Method", "Dataset")
_TYPE_ROLE = {rel_type: role for role, rel_type in ROLE_TYPES.items()}
_LINEAGE_ROLE = {rel_type: role for role, rel_type in LINEAGE_TYPES.items()}
# Groups of nodes whose papers' mentions are read and held at once: a hub's group can hold a good
# share of the graph's papers, so the groups of one read trade statements against memory
GROUPS_PER_READ = 500


def components(store: Store, label: str, keys: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE
               ) -> list[list[str]]:
    """The ``label`` nodes that the nodes ``keys`` can be joined with or split from, in groups that
    share no name (every node sharing a name, one of its ``variants`` or the ``initials`` of one of
    its forms, with one of the group is in it: a form in common in their ``joins``).

    The groups are walked out from ``keys`` through the index on ``joins``: the nodes that share a
    form with them, then those that share one with these, and so on. The nodes of ``keys`` are
    those a build wrote, so their ``joins`` are worked out again from their names first (a load
    adds to a node's names without knowing the rest). A graph with nodes that have no ``joins``
    (written by a kg before them) is read whole instead, once: that gives them all theirs."""
    statements = entity_statements(label)
    keys = sorted(set(keys))
    if store.run(statements["unjoined"]):
        return _components_whole(store, label, keys, batch_size)
    joins: dict[str, list[str]] = {}
    fixed = []
    for part in batches(keys, batch_size):
        for row in store.run(statements["nodes"], {"keys": part}):
            joins[row["key"]] = joins_of(row["key"], row["name"], row["aliases"] or [], row["names"] or [])
            if joins[row["key"]] != row["joins"]:
                fixed.append({"key": row["key"], "joins": joins[row["key"]]})
    for rows in batches(fixed, batch_size):
        store.run(statements["set joins"], {"rows": rows}, write=True)
    asked: set[str] = set()
    tokens = sorted({t for each in joins.values() for t in each})
    while tokens:
        asked.update(tokens)
        found = set()
        for part in batches(tokens, batch_size):
            for row in store.run(statements["joined"], {"tokens": part}):
                if row["key"] not in joins:
                    joins[row["key"]] = row["joins"]
                    found.update(row["joins"])
        tokens = sorted(found - asked)
    return _groups(joins, keys)


def _components_whole(store: Store, label: str, keys: list[str], batch_size: int) -> list[list[str]]:
    """``components`` from every node's names, writing each node's ``joins`` as they come out."""
    statements = entity_statements(label)
    joins = {row["key"]: joins_of(row["key"], row["name"], row["aliases"] or [], row["names"] or [])
             for row in store.run(statements["all names"])}
    for rows in batches([{"key": key, "joins": each} for key, each in joins.items()], batch_size):
        store.run(statements["set joins"], {"rows": rows}, write=True)
    return _groups(joins, keys)


def _groups(joins: Mapping[str, list[str]], keys: Iterable[str]) -> list[list[str]]:
    """The groups of the nodes of ``joins`` (key -> forms) that hold one of ``keys``: nodes with a
    form in common are in one."""
    joined = UnionFind()
    for key, forms in joins.items():
        for form in forms:
            joined.union(key, "\t" + form)  # a form apart from the keys, which are forms too
    wanted = {joined.find(key) for key in keys if key in joins}
    groups: dict[str, list[str]] = defaultdict(list)
    for key in joins:
        root = joined.find(key)
        if root in wanted:
            groups[root].append(key)
    return sorted(sorted(group) for group in groups.values())


def _first_form(paper: str, role: str, forms: list[str]) -> tuple[str, str, str]:
    """What a paper's mentions of one role are folded by (``_one_per_first_form``)."""
    return paper, role, norm_key(forms[0])


def _one_per_first_form(mentions: Iterable[Mention]) -> list[Mention]:
    """A paper's mentions of one role, one per key of their first form, as a paper on two listings
    folds them (``kg.resolve.papers._merge_paper``): batches that joined them to two nodes each
    kept one. The least forms are kept, whatever order the store gives them in."""
    kept: dict[tuple[str, str, str], Mention] = {}
    for paper, role, forms in mentions:
        at = _first_form(paper, role, forms)
        if at not in kept or forms < kept[at][2]:
            kept[at] = (paper, role, forms)
    return [kept[at] for at in sorted(kept)]


def _node_as_written(key: str, name: str, aliases: list[str]) -> tuple[str, list[str], list[str]]:
    """(name, aliases, names) of a node as a settle writes it."""
    return name, aliases, sorted({norm_key(f) for f in [name, *aliases]} | {key})


def _use_state(rel_type: str, props: Mapping[str, Any]) -> tuple[str, list[str]]:
    """(role, forms) of a paper's relationship to a node, to compare with what the store holds."""
    return props.get("role", _TYPE_ROLE.get(rel_type, "")), props["forms"]


@dataclass(slots=True)
class _Use:
    """A paper's relationship to a node as the store has it."""

    key: str
    paper: str
    type: str
    role: str
    forms: list[str]
    sources: list[str]


@dataclass(slots=True)
class _Component:
    """A group of nodes as the store has them, and the entities their papers' mentions make."""

    nodes: dict[str, tuple[str, list[str], list[str]]]  # key -> (name, aliases, names)
    uses: list[_Use]
    entities: dict[str, Entity] = field(default_factory=dict)
    sources: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (paper, role) -> sources
    # (old key, paper, role) -> the keys its mentions went to (a node split, a paper's mentions of it too)
    new_key: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)

    def resolve(self) -> None:
        """Resolve the papers' mentions into entities, and note where each use went."""
        origin: dict[tuple[str, str], list[_Use]] = defaultdict(list)  # (paper, role) -> the uses behind it
        for use in self.uses:
            origin[use.paper, use.role].append(use)
        self.entities = entities_of(_one_per_first_form(
            (use.paper, use.role, mention.split(FORM_SEPARATOR))
            for use in self.uses for mention in use.forms or [self.nodes[use.key][0]]))
        for entity in self.entities.values():
            for paper, role in entity.uses:
                for use in origin[paper, role]:
                    self.new_key.setdefault((use.key, paper, role), set()).add(entity.key)

    def moves(self) -> bool:
        """Whether a paper's mention goes to another node than the one it is on (nodes joined or
        split). When none does, the group's lineage stays as it is, though names and forms change."""
        return self.entities.keys() != self.nodes.keys() or any(
            keys != {key} for (key, _paper, _role), keys in self.new_key.items())

    def gather_sources(self) -> None:
        """Each (paper, role)'s sources, from its uses' (read only for a group that is rewritten)."""
        for use in self.uses:
            sources = self.sources.setdefault((use.paper, use.role), [])
            sources += [x for x in use.sources if x not in sources]

    def wanted_nodes(self) -> dict[str, tuple[str, list[str], list[str]]]:
        """key -> (name, aliases, names) of each entity, as a batch writes them."""
        return {key: _node_as_written(key, e.name, e.aliases) for key, e in self.entities.items()}

    def wanted_uses(self) -> dict[tuple[str, str, str], dict[str, Any]]:
        """(paper, type, key) -> the relationship's properties and sources (those of the
        relationships its mentions come from; empty before ``gather_sources``)."""
        out: dict[tuple[str, str, str], dict[str, Any]] = {}
        for key, entity in self.entities.items():
            mentioned: dict[str, list[str]] = defaultdict(list)
            for paper, role in entity.uses:
                if role in MENTION_ROLES:
                    mentioned[paper].append(role)
                else:
                    out[paper, ROLE_TYPES[role], key] = {"forms": entity.mentions[paper, role],
                                                         "sources": self.sources.get((paper, role), [])}
            for paper, roles in mentioned.items():
                sources = list(dict.fromkeys(x for role in roles for x in self.sources.get((paper, role), [])))
                out[paper, "MENTIONS", key] = {**mentions_props(roles, entity.mentions, paper), "sources": sources}
        return out

    def same(self) -> bool:
        """Whether the nodes and their papers' relationships are these entities already."""
        held = {(u.paper, u.type, u.key): (u.role, u.forms) for u in self.uses}
        wanted = self.wanted_uses()
        # lists compared as they are stored: a later batch's names appended to a node's are rewritten
        # in the order one batch gives
        return self.wanted_nodes() == self.nodes and held.keys() == wanted.keys() and all(
            _use_state(rel[1], props) == held[rel]
            for rel, props in wanted.items())


@dataclass(slots=True)
class Touched:
    """The Method and Dataset nodes (label -> keys) that a build or a removal changed: those the
    store held before, whose papers now differ, and those it created, which a batch resolved from
    all their papers already and which only need settling when they share a name with another."""

    held: dict[str, set[str]] = field(default_factory=dict)
    new: dict[str, set[str]] = field(default_factory=dict)
    # what a batch's uses fold (``_folded``), and the papers it wrote that the store held already,
    # whose uses there may fold with the batch's: asked about when settling
    folded: set[tuple[str, str]] = field(default_factory=set)
    papers: set[str] = field(default_factory=set)

    def load(self, store: Store, graph: GraphData, *, batch_size: int = DEFAULT_BATCH_SIZE,
             on_batch: Callable[[str, int], None] | None = None) -> LoadStats:
        """Load ``graph`` into ``store`` (``kg.load.load``), noting what it writes."""
        self.folded |= _folded({"paper": paper, "key": key, "type": rel_type, "role": props.get("role"),
                                "forms": props.get("forms")}
                               for rel_type in (*ROLE_TYPES.values(), "MENTIONS")
                               for (paper, key, _), props in graph.rels.get(rel_type, {}).items())
        for label in LABELS:
            keys = set(graph.nodes.get(label, {}))
            held = held_keys(store, label, keys, batch_size=batch_size)
            self.held.setdefault(label, set()).update(held)
            self.new.setdefault(label, set()).update(keys - held)
        stats = load(store, graph, batch_size=batch_size, on_batch=on_batch)
        self.papers |= stats.papers_held
        return stats


def reconcile_entities(store: Store, touched: Touched, *, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Resolve the Method and Dataset nodes ``touched``, and every node that shares a name with
    them, again over all their papers' mentions; rewrite those that come out otherwise.

    Returns:
        The number of groups of nodes rewritten.
    """
    rewritten = 0
    for label in LABELS:
        held, new = touched.held.get(label, set()), touched.new.get(label, set())
        if not held and not new:
            continue
        todo = [group for group in components(store, label, held | new, batch_size=batch_size)
                if len(group) > 1 or not held.isdisjoint(group)]
        folded = touched.folded.union(*(_folded(store.run(entity_statements(label)["paper uses"], {"papers": part}))
                                        for part in batches(sorted(touched.papers), batch_size)))
        for batch in batches(todo, GROUPS_PER_READ):
            wanted = [key for group in batch for key in group]
            nodes = {row["key"]: (row["name"], list(row["aliases"] or []), list(row["names"] or []))
                     for part in batches(wanted, batch_size)
                     for row in store.run(entity_statements(label)["nodes"], {"keys": part})}
            counted: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for part in batches(wanted, batch_size):
                for row in store.run(entity_statements(label)["uses counted"], {"keys": part}):
                    counted[row["key"]].append(row)
            renamed: dict[str, tuple[str, list[str], list[str]]] = {}
            unsettled = []
            for group in batch:
                held_nodes = {k: nodes[k] for k in group if k in nodes}
                named = _named_by_counts(held_nodes, [row for k in group for row in counted[k]], folded)
                if named is None:
                    unsettled.append(group)
                elif named != held_nodes:
                    renamed.update(named)
                    rewritten += 1
            _write_nodes(store, label, renamed, nodes, batch_size)
            batch = unsettled
            wanted = [key for group in batch for key in group]
            uses: dict[str, list[_Use]] = defaultdict(list)
            for part in batches(wanted, batch_size):
                for row in store.run(entity_statements(label)["uses"], {"keys": part}):
                    uses[row["key"]].append(_Use(row["key"], row["paper"], row["type"], _role_of(row),
                                                 list(row["forms"] or []), []))
            changed = []
            for group in batch:
                component = _Component({k: nodes[k] for k in group if k in nodes},
                                       [u for k in group for u in uses.get(k, [])])
                component.resolve()
                if not component.same():
                    changed.append(component)
            if changed:
                _read_sources(store, label, changed, batch_size)
                _rewrite(store, label, changed, batch_size)
                rewritten += len(changed)
    return rewritten


def _role_of(row: Mapping[str, Any]) -> str:
    """The role of a use read from the store: a MENTIONS keeps it, the other types are one."""
    return str(row["role"]) if row["type"] == "MENTIONS" else _TYPE_ROLE[row["type"]]


def _folded(uses: Iterable[Mapping[str, Any]]) -> set[tuple[str, str]]:
    """(role, key of the first form) of the mentions that one paper gives, in one role, on two nodes
    (``uses``: rows of paper, key, type, role and forms). ``_Component.resolve`` folds a paper's
    mentions of one role by their first form's key (``_one_per_first_form``), and counting uses
    cannot see that.

    Only the uses of the papers a build writes are asked about (``Touched``). A settle leaves no
    such pair in the groups it reads (the fold makes them one mention, so one node), and nothing
    else writes uses: a pair can only come from a batch, onto one of its papers, whose group that
    build settles. A build cut short is finished by building its files again, which writes those
    papers again."""
    on: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in uses:
        for mention in row["forms"] or []:
            on[_first_form(row["paper"], _role_of(row), mention.split(FORM_SEPARATOR))].add(row["key"])
    return {(role, first) for (_paper, role, first), keys in on.items() if len(keys) > 1}


def _named_by_counts(nodes: Mapping[str, tuple[str, list[str], list[str]]], counted: list[dict[str, Any]],
                     folded: AbstractSet[tuple[str, str]] = frozenset()
                     ) -> dict[str, tuple[str, list[str], list[str]]] | None:
    """The group's nodes (key -> name, aliases, names) as resolving it again writes them, when their
    papers' relationships stay as they are; judged from the relationships counted by node, type,
    role and forms: which node a mention names, and the display names, depend only on those. A
    daily listing adds a few papers to a hub's thousands, and reading each of them was most of
    what settling cost; a new spelling at a hub changes its names, not its relationships.

    None where the counts cannot vouch for the relationships (a relationship without forms, forms
    out of the order a rewrite gives, two mentions of one name in one relationship, a name first on
    two nodes that some paper's mentions fold together: ``folded``, from ``_folded``; a mention that
    another node's would take): the group is read use by use."""
    times: Counter[tuple[str, ...]] = Counter()
    placed: list[tuple[str, tuple[str, ...]]] = []
    # a key first on two nodes in one role is common at hubs (an acronym spelt out two ways), and
    # harmless unless one paper's mentions fold across them
    first_on: dict[tuple[str, str], str] = {}
    for row in counted:
        written = list(row["forms"] or [])
        if row["key"] not in nodes or not written or written != sorted(written) or \
                (row["type"] == "MENTIONS" and row["role"] not in MENTION_ROLES):
            return None
        mentions = [tuple(m.split(FORM_SEPARATOR)) for m in written]
        firsts = [norm_key(m[0]) for m in mentions]
        role = _role_of(row)
        if len(set(firsts)) < len(firsts) or any(first_on.setdefault((role, k), row["key"]) != row["key"]
                                                 and (role, k) in folded for k in firsts):
            return None
        for mention in mentions:
            times[mention] += row["uses"]
            placed.append((row["key"], mention))
    root_of, names = resolve_forms(times)
    if any(root_of.get(mention) != key for key, mention in placed) or set(root_of.values()) != nodes.keys():
        return None
    return {key: _node_as_written(key, *named) for key, named in names.items()}


def _read_sources(store: Store, label: str, changed: list[_Component], batch_size: int) -> None:
    """Fill in the sources of the uses of ``changed`` groups. Most groups a build settles come out
    as the store has them, and their sources, a list on every use, were most of what reading their
    uses cost."""
    by_use = {(u.paper, u.type, u.key): u for c in changed for u in c.uses}
    keys = sorted({u.key for u in by_use.values()})
    for part in batches(keys, batch_size):
        for row in store.run(entity_statements(label)["use sources"], {"keys": part}):
            use = by_use.get((row["paper"], row["type"], row["key"]))
            if use is not None:
                use.sources = source_list(row["sources"])
    for component in changed:
        component.gather_sources()


def _keys_now(new_key: Mapping[tuple[str, str, str], set[str]], key: str, paper: str, *roles: str) -> set[str]:
    """Where the mentions of the node ``key`` in ``paper`` with one of ``roles`` went (``key`` itself
    when its group was not rewritten). A paper's MENTIONS keeps one role, so a lineage relationship
    of another falls back on the others."""
    found = set().union(*(new_key.get((key, paper, role), set()) for role in roles))
    if not found:
        found = set().union(*(new_key.get((key, paper, role), set()) for role in MENTION_ROLES))
    return found or {key}


def _lineage_now(store: Store, changed: list[_Component], new_key: Mapping[tuple[str, str, str], set[str]],
                 lineage: list[dict[str, Any]], g: GraphData, batch_size: int) -> None:
    """Add to ``g`` the lineage of the papers of ``changed`` groups as their nodes are now: each
    relationship there was, moved to where its ends went, and what a batch could not state because it
    had joined the paper's own method and the one it builds on (or compares with) into one node,
    which the settle splits (a method never builds on itself, so nothing was there to move)."""
    for row in lineage:
        for start in _keys_now(new_key, row["start"], row["paper"], "proposed"):
            for end in _keys_now(new_key, row["end"], row["paper"], _LINEAGE_ROLE[row["type"]]):
                if start != end:
                    g.rel(row["type"], start, end, source_list(row["sources"]), key=row["paper"],
                          props={"paper": row["paper"]})
    papers = sorted({paper for c in changed for e in c.entities.values() for paper, role in e.uses
                     if role in LINEAGE_TYPES})
    proposing: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for part in batches(papers, batch_size):
        for row in store.run(entity_statements("Method")["proposing"], {"papers": part}):
            for key in _keys_now(new_key, row["key"], row["paper"], "proposed"):
                proposing[row["paper"]].append((key, source_list(row["sources"])))
    for c in changed:
        for entity in c.entities.values():
            for paper, role in entity.uses:
                rel_type = LINEAGE_TYPES.get(role)
                if rel_type is None:
                    continue
                for start, sources in proposing.get(paper, []):
                    if start != entity.key and (start, entity.key, paper) not in g.rels.get(rel_type, {}):
                        g.rel(rel_type, start, entity.key, derived(c.sources[paper, role], sources), key=paper,
                              props={"paper": paper})


def _not_held(g: GraphData, changed: list[_Component], lineage: list[dict[str, Any]]) -> GraphData:
    """The relationships of ``g`` that the store does not hold as they are: a group whose display
    name changed keeps most of its papers' relationships, and at a hub rewriting them all was most
    of the time a daily listing took."""
    held: dict[tuple[str, str, str, str], tuple[Any, set[str]]] = {}
    for component in changed:
        for use in component.uses:
            held[use.type, use.paper, use.key, ""] = ((use.role, use.forms), set(use.sources))
    for row in lineage:
        held[row["type"], row["start"], row["end"], row["paper"]] = (None, set(source_list(row["sources"])))
    out = GraphData()
    for rel_type, rels in g.rels.items():
        for (start, end, key), props in rels.items():
            state, sources = held.get((rel_type, start, end, key), (False, set()))
            expected = None if rel_type in LINEAGE_TYPES.values() else _use_state(rel_type, props)
            if not (state == expected and sources.issuperset(props["sources"])):
                out.rels.setdefault(rel_type, {})[start, end, key] = props
    return out


def _write_nodes(store: Store, label: str, wanted: Mapping[str, tuple[str, list[str], list[str]]],
                 held: Mapping[str, tuple[str, list[str], list[str]]], batch_size: int) -> None:
    """Write the nodes ``wanted`` (key -> name, aliases, names) with their ``joins``, but for those
    the store ``held`` as they are."""
    rows = [{"key": key, "name": name, "aliases": aliases, "names": names, "joins": joins_of(key, name, aliases, names)}
            for key, (name, aliases, names) in wanted.items() if held.get(key) != (name, aliases, names)]
    for part in batches(rows, batch_size):
        store.run(entity_statements(label)["write"], {"rows": part}, write=True)


def _rewrite(store: Store, label: str, changed: list[_Component], batch_size: int) -> None:
    """Write the entities of ``changed`` groups, move their papers' relationships (and, for methods,
    the lineage between them) to them, and take away what they no longer hold."""
    g = GraphData()
    wanted_nodes: dict[str, tuple[str, list[str], list[str]]] = {}
    held_nodes: dict[str, tuple[str, list[str], list[str]]] = {}
    wanted_uses: dict[tuple[str, str, str], dict[str, Any]] = {}
    new_key: dict[tuple[str, str, str], set[str]] = {}
    old: set[str] = set()
    wanted_keys: set[str] = set()
    for component in changed:
        wanted_nodes.update(component.wanted_nodes())
        held_nodes.update(component.nodes)
        wanted_uses.update(component.wanted_uses())
        new_key.update(component.new_key)
        old |= component.nodes.keys()
        wanted_keys |= component.entities.keys()
    _write_nodes(store, label, wanted_nodes, held_nodes, batch_size)
    for (paper, rel_type, key), props in wanted_uses.items():
        g.rel(rel_type, paper, key, props["sources"], props={k: v for k, v in props.items() if k != "sources"})
    lineage: list[dict[str, Any]] = []
    moving = [component for component in changed if component.moves()]
    if label == "Method" and moving:
        ends = sorted({key for component in moving for key in component.nodes})
        lineage = [row for part in batches(ends, batch_size)
                   for row in store.run(entity_statements(label)["lineage"], {"keys": part})]
        _lineage_now(store, moving, new_key, lineage, g, batch_size)
    load(store, _not_held(g, changed, lineage), batch_size=batch_size, merge=True)

    gone = old - wanted_keys
    for keys in batches(sorted(gone), batch_size):
        store.run(entity_statements(label)["drop"], {"keys": keys}, write=True)
    kept = old - gone
    stale: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for component in changed:
        for use in component.uses:
            if use.key in kept and (use.paper, use.type, use.key) not in wanted_uses:
                stale[use.type].append({"paper": use.paper, "key": use.key})
    for row in lineage:
        if row["start"] not in gone and row["end"] not in gone and \
                (row["start"], row["end"], row["paper"]) not in g.rels.get(row["type"], {}):
            stale[row["type"]].append({"start": row["start"], "end": row["end"], "paper": row["paper"]})
    for rel_type, rows in stale.items():
        for part in batches(rows, batch_size):
            store.run(entity_statements(label)[f"drop {rel_type}"], {"rows": part}, write=True)


__all__ = ["Touched", "components", "reconcile_entities"]
