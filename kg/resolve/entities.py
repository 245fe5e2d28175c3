"""Methods and datasets: one entity per thing however it is written."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg.extract.shapes import is_name_shaped, norm_key
from kg.resolve.papers import ResolvedPaper
from kg.turns import taking_turns
from kg.unionfind import UnionFind


@dataclass(slots=True)
class Entity:
    """A method or dataset: every surface form, and each paper's role for it."""

    key: str
    name: str
    aliases: list[str]
    # (paper key, role) -> the paper's mentions, a mention's forms joined by FORM_SEPARATOR: what the
    # store keeps of how the paper wrote it, so that the whole graph can be resolved again (``kg.entities``)
    mentions: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @property
    def uses(self) -> list[tuple[str, str]]:
        """(paper key, role) of each paper's use of it, in the order they were met."""
        return list(self.mentions)


FORM_SEPARATOR = "\t"
Mention = tuple[str, str, list[str]]  # (paper key, role, the forms one mention gives)
# Words that say what kind of thing a name is, not which: "Fooformer network" is the Fooformer.
GENERIC_HEADS = ("network", "networks", "model", "models", "method", "algorithm", "architecture", "framework")


def variants(key: str) -> list[str]:
    """The keys a name key is joined with when they name things in the same resolution, besides
    its own: its plural or singular, and what is left without a generic head word."""
    out = [key[:-1] if key.endswith("s") else key + "s"]
    out += [key[:-len(head)] for head in GENERIC_HEADS if key.endswith(head) and len(key) - len(head) > 3]
    return out


# Words an acronym may keep or skip ("zorbit of quorbic thought" may be ZoQT or ZQT): a long form's
# initials are read with and without them.
_LINKING_WORDS = frozenset({"a", "an", "and", "by", "for", "from", "in", "of", "on", "the", "to", "via", "with"})
_WORD = re.compile(r"[^\W\d_]+")


def initials(form: str) -> set[str]:
    """The acronyms of three letters or more that a long form in lower case spells: the first
    letters of its words, with and without the linking words (``zorbic policy optimization`` ->
    zpo). A name in capitals is coined, and coined names spell well-known acronyms by chance
    (a coined "Quick Zorbit Net" is not the QZN every paper means), so they spell none here."""
    words = _WORD.findall(form)
    if len(words) < 3 or form != form.lower():
        return set()
    out = {"".join(w[0] for w in words)}
    content = [w for w in words if w not in _LINKING_WORDS]
    if len(content) >= 3:
        out.add("".join(w[0] for w in content))
    return out


def joins_of(key: str, name: str | None, aliases: Iterable[str], names: Iterable[str]) -> list[str]:
    """What can tie a Method or Dataset node to another when they are settled
    (``kg.entities.components``): its names (its key without any) with their ``variants``, and the
    ``initials`` of its display name and aliases. Kept on the node as ``joins``, indexed, so the
    nodes a build can join are found from its own, not by reading every node."""
    out = set()
    for each in list(names) or [key]:
        out.add(each)
        out.update(variants(each))
    for form in [name or "", *aliases]:
        out.update(initials(form))
    return sorted(out)


def _content_words(form: str) -> frozenset[str]:
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w
                     for w in _WORD.findall(form.lower()) if w not in _LINKING_WORDS)


def _alike(a: frozenset[str] | None, b: frozenset[str] | None) -> bool:
    """Whether two long forms of one acronym are one spelling written two ways: the same words but
    for linking words and plurals ("zorbic quanta with verifiers", "Zorbic Quanta from Verifier").
    Two meanings of one acronym mostly differ in a word ("quanta prompt tuning", "quanta pruning
    tuning"), and so do some spellings of one meaning ("zorbic quanta outcome verifiers"); a word
    more or less is not read as one spelling, since a word more also makes a new method of an old
    one ("zorbic pipeline quanta" and "zorbic quanta")."""
    return a is not None and len(a) >= 2 and a == b


def _is_short(form: str) -> bool:
    return " " not in form.strip() and is_name_shaped(form)


def resolve_entities(papers: dict[str, ResolvedPaper], field_name: str) -> dict[str, Entity]:
    """One entity per method (``field_name="methods"``) or dataset however it is written
    (``entities_of`` the mentions of ``papers``)."""
    return entities_of([(key, m.role, [m.name, *m.aliases]) for key in taking_turns(sorted(papers))
                        for m in papers[key].merged.named(field_name)])


def entities_of(mentions: Iterable[Mention]) -> dict[str, Entity]:
    """One entity per thing the ``mentions`` name, keyed by the least key of its forms.

    Surface forms are joined when a paper gives them as one thing (``Foo Network (FooNet)``)
    or they share a key (``Foo-10`` = ``foo10``). A short form that different papers spell out
    differently (``ZPT`` as two different long forms) is not used to join them. Nothing depends on
    the order of the mentions: the same mentions in any order, or cut into batches and resolved
    again over the whole graph, give the same entities.
    """
    # Which entity a mention names depends on its forms alone, and a hub's mentions repeat a few ways
    # of writing it thousands of times: each distinct list of forms is resolved once, with how many
    # mentions give it (which decides the display name).
    given: list[tuple[str, str, tuple[str, ...]]] = [(paper, role, tuple(forms)) for paper, role, forms in mentions]
    times = Counter(forms for _paper, _role, forms in given)
    root_of = roots_of(times)
    joined = {forms: FORM_SEPARATOR.join(forms) for forms in root_of}
    forms_by_root = forms_counted(times, root_of)
    entities: dict[str, Entity] = {}
    for paper, role, forms in taking_turns(given):
        root_key = root_of.get(forms)
        if root_key is None:  # no form with a key
            continue
        entity = entities.get(root_key)
        if entity is None:
            entity = entities[root_key] = Entity(root_key, "", [])
        entity.mentions.setdefault((paper, role), []).append(joined[forms])
    for root, entity in taking_turns(entities.items()):
        entity.name, entity.aliases = display_names(forms_by_root[root])
        for written in entity.mentions.values():
            if len(written) > 1:
                written.sort()
    return entities


def roots_of(written: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """The entity (its key: the least key of its forms) that each of the distinct lists of forms
    ``written`` names, a list of forms being one mention's (``entities_of``); one with no form that
    has a key names none."""
    read: dict[tuple[str, ...], list[str]] = {}  # forms -> their keys
    longs_of: dict[str, set[str]] = defaultdict(set)
    spellings = UnionFind()  # long forms one mention gives together are one spelling
    shorts: set[str] = set()
    spelling_out: dict[str, set[str]] = defaultdict(set)  # an acronym -> the long forms whose initials it is
    content: dict[str, frozenset[str]] = {}  # a long form's key -> its words but the linking ones, singular
    for forms in taking_turns(written):
        keys = [norm_key(f) for f in forms]
        short = [_is_short(f) for f in forms]
        longs = {k for k, is_short in zip(keys, short, strict=True) if not is_short and k}
        for a, b in zip(sorted(longs), sorted(longs)[1:], strict=False):
            spellings.union(a, b)
        for f, k, is_short in zip(forms, keys, short, strict=True):
            if is_short:
                longs_of[k].update(longs)
                shorts.add(k)
            elif k:
                for acronym in initials(f):
                    spelling_out[acronym].add(k)
                content[k] = _content_words(f)
        read[forms] = [k for k in keys if k]

    # "maximum likelihood" and "maximum likelihood estimator" are one spelling, and so are "zorbing
    # with quanta" and "zorbing from quanta": an acronym's long forms that differ in a linking word
    for longs in longs_of.values():
        for a in longs:
            for b in longs:
                if a < b and (a.startswith(b) or b.startswith(a) or _alike(content.get(a), content.get(b))):
                    spellings.union(a, b)

    def spelled_once(k: str) -> bool:
        return len({spellings.find(long) for long in longs_of.get(k, ())}) <= 1

    # an acronym that no paper spells out otherwise is the one long form whose initials it is, across
    # papers ("ZPO" and "zorbic policy optimization"); two long forms with the same initials (one
    # acronym for two different things) leave it alone, and a long form that some paper names with a short
    # form of its own ("Foo Bar Baz (FooNet)") is that one's
    named: set[str] = set().union(*longs_of.values())
    spelled_out: dict[str, str] = {}
    for acronym in sorted(shorts & spelling_out.keys()):
        free = spelling_out[acronym] - named
        if free and len({spellings.find(long) for long in spelling_out[acronym] | longs_of.get(acronym, set())}) == 1:
            spelled_out[acronym] = min(free)

    # a mention's identity (its anchor): a form that is not an acronym spelled out two ways
    uf = UnionFind()
    anchors: dict[tuple[str, ...], str] = {}
    seen_keys: set[str] = set()
    for forms, keys in taking_turns(read.items()):
        if not keys:
            continue
        joinable = [k for k in keys if spelled_once(k)]
        anchor = joinable[0] if joinable else keys[0]
        for k in joinable:
            uf.union(anchor, k)
        seen_keys.update(keys)
        anchors[forms] = anchor
    for acronym, long in spelled_out.items():
        uf.union(acronym, long)
    for k in sorted(seen_keys):  # "ZNNs" and "ZNN", "Fooformer network" and "Fooformer": one thing
        if len(k) <= 3 or not spelled_once(k):
            continue
        for other in variants(k):
            # each pair once, from its longer key (a singular's variant is its plural)
            if len(other) < len(k) and other in seen_keys and spelled_once(other):
                uf.union(k, other)
    return {forms: uf.find(anchor) for forms, anchor in anchors.items()}


def forms_counted(times: Mapping[tuple[str, ...], int], root_of: Mapping[tuple[str, ...], str]
                  ) -> dict[str, Counter[str]]:
    """Entity key -> how many mentions give each of its forms."""
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    for forms, root in root_of.items():
        for form in forms:
            counted[root][form] += times[forms]
    return counted


def display_names(counts: Counter[str]) -> tuple[str, list[str]]:
    """An entity's display name and aliases from how often each form is used: the commonest
    spelling of each key, a coined short name before a description."""
    if len(counts) == 1:  # most things are written one way
        return next(iter(counts)), []
    by_key: dict[str, str] = {}
    for form in sorted(counts, key=lambda f: (-counts[f], f)):
        by_key.setdefault(norm_key(form), form)
    names = list(by_key.values())
    name = min(names, key=lambda f: (not _is_short(f), -counts[f], len(f), f))
    return name, sorted((f for f in names if f != name), key=str.casefold)
