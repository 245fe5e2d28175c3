"""Methods and datasets: one entity per thing however it is written."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import NamedTuple

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


# A benchmark's edition is written with its year in full or in two digits: "Zorb 2024" is "Zorb24".
_FULL_YEAR = re.compile(r"([a-z]{3,})20(\d\d)")


def variants(key: str) -> list[str]:
    """The keys a name key is joined with when they name things in the same resolution, besides
    its own: its plural or singular, what is left without a generic head word, and with a year
    in full, the year in two digits."""
    out = [key[:-1] if key.endswith("s") else key + "s"]
    out += [key[:-len(head)] for head in GENERIC_HEADS if key.endswith(head) and len(key) - len(head) > 3]
    year = _FULL_YEAR.fullmatch(key)
    if year is not None:
        out.append(year.group(1) + year.group(2))
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


# Words of a long form are compared by their first letters: plurals, British spellings and an
# adjective for its noun ("embeddings", "optimisation", "positional") are the same word here.
_STEM = 6


def _words_of(form: str) -> list[str]:
    """A form's words in lower case, but the linking ones, in order."""
    return [w for w in _WORD.findall(form.lower()) if w not in _LINKING_WORDS]


def _content_words(form: str) -> frozenset[str]:
    return frozenset(w[:_STEM] for w in _words_of(form))


def _alike(a: frozenset[str] | None, b: frozenset[str] | None) -> bool:
    """Whether two long forms of one acronym are one spelling written two ways: the same words but
    for linking words and plurals ("zorbic quanta with verifiers", "Zorbic Quanta from Verifier").
    Two meanings of one acronym mostly differ in a word ("quanta prompt tuning", "quanta pruning
    tuning"), and so do some spellings of one meaning ("zorbic quanta outcome verifiers"); a word
    more or less is not read as one spelling, since a word more also makes a new method of an old
    one ("zorbic pipeline quanta" and "zorbic quanta")."""
    return a is not None and len(a) >= 2 and a == b


_GENERIC_STEMS = frozenset(head[:_STEM] for head in GENERIC_HEADS)


def _share_a_word(a: frozenset[str] | None, b: frozenset[str] | None) -> bool:
    """Whether two long forms share a content word that is not a generic head: "zorbic quanta
    adaptation" and "zorbic quanta adapters" may be one thing written two ways, "zorbic quanta
    guidance" and "zonal queue graphs" are not."""
    return a is not None and b is not None and bool((a & b) - _GENERIC_STEMS)


def _is_short(form: str) -> bool:
    return " " not in form.strip() and is_name_shaped(form)


_GLUED_WORDS = re.compile(r"[A-Z][a-z]+")


def _glued_long_form(form: str, shorts: Iterable[str]) -> bool:
    """Whether ``form`` is a long form written without its spaces, glued (``ZorbDiffusion``) or
    hyphenated (``Mixture-of-Zorbs``), that another of the mention's short forms, ``shorts``,
    abbreviates (``ZD``, ``MoZ``): shaped like a coined name, it is still the acronym's spelling
    out, and the acronym's other meanings must not join through it."""
    pieces = form.split("-")
    if len(pieces) >= 2 and all(piece.isalpha() for piece in pieces):
        words = pieces
    else:
        words = _GLUED_WORDS.findall(form)
        if "".join(words) != form:
            return False
    # a short form that begins the word names what the word modifies ("ZoRP-Aware" is no long form of ZoRP)
    return len(words) >= 2 and any(not form.casefold().startswith(short.casefold()) and _abbreviates(
        short, " ".join(words)) for short in shorts)


def _is_plural(short: str) -> bool:
    """Whether a short form is an acronym's plural (``ZNNs``), its ``s`` no letter of the acronym."""
    return len(short) > 2 and short.endswith("s") and short[-2].isupper()


_ALNUM = re.compile(r"[^a-z0-9]")


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` can be read off ``long`` the way acronyms are made: its letters and digits
    in order, the first from the first word of ``long`` but linking ones, each of the others the
    first letter of a word or taken from inside a word whose first letter is taken; words may be
    left out (``ZoQA`` of "zonal-orbit quanta alignment", ``ZQV`` of "zorbic quanta with verifiable
    rewards", not ``ZPO`` of "policy optimization" nor ``Z3PO`` of "zorbic policy optimization")."""
    letters = _ALNUM.sub("", short.lower())
    if _is_plural(short):
        letters = letters[:-1]
    words = [w for w in (_ALNUM.sub("", w.lower()) for w in long.split()) if w]
    while words and words[0] in _LINKING_WORDS:
        words = words[1:]
    if not letters or not words or len(letters) > 16 or len(words) > 12 or words[0][0] != letters[0]:
        return False
    return _reads(letters, words, 1, 0, 1, {})


def _reads(letters: str, words: list[str], i: int, w: int, at: int, seen: dict[tuple[int, int, int], bool]) -> bool:
    """Whether ``letters[i:]`` can be read from ``words[w:]`` (``_abbreviates``), inside word ``w``
    from its character ``at`` (0: its first letter is not taken, so nothing inside it may be)."""
    if i == len(letters):
        return True
    if w == len(words):
        return False
    done = seen.get((i, w, at))
    if done is not None:
        return done
    word = words[w]
    if at == 0:
        found = (word[0] == letters[i] and _reads(letters, words, i + 1, w, 1, seen)) or \
            _reads(letters, words, i, w + 1, 0, seen)
    else:
        found = False
        k = word.find(letters[i], at)
        while k >= 0 and not found:
            found = _reads(letters, words, i + 1, w, k + 1, seen)
            k = word.find(letters[i], k + 1)
        found = found or _reads(letters, words, i, w + 1, 0, seen)
    seen[i, w, at] = found
    return found


_LETTERS = re.compile(r"[^a-z]")


def _in_order(letters: str, text: str) -> bool:
    """Whether ``letters`` appear in ``text`` in that order, the first of them first."""
    if not letters or not text or letters[0] != text[0]:
        return False
    at = 0
    for c in letters:
        at = text.find(c, at) + 1
        if not at:
            return False
    return True


def _agree(a: str, b: str) -> bool:
    """Whether two forms one mention gives can name one thing: one key starts or ends the other
    (``ZorbNet-2``, ``ZorbNet``), or the letters of one are found in the other in order, from its
    start (``Z2Q`` and "zorb-to-quanta", ``Zorbitor`` and "zonal orbit operator", "zorbic QA"
    and "zorbic quanta alignment"). Digits are left out, since they stand for words or counts, but a
    form of one letter is read off a description only, not a word: ``Z6`` is not the ``Zorbformer``."""
    ka, kb = norm_key(a), norm_key(b)
    if not ka or not kb:
        return True
    shorter, longer = sorted((ka, kb), key=len)
    if longer.startswith(shorter) or (len(shorter) >= 2 and longer.endswith(shorter)):
        return True
    short_a, short_b = _is_short(a), _is_short(b)
    if not short_a and not short_b and _same_words(a, b):
        return True
    la, lb = _letters(a, short_a), _letters(b, short_b)
    if (len(la) < 2 and " " not in b.strip()) or (len(lb) < 2 and " " not in a.strip()):
        return False
    return _in_order(la, lb) or _in_order(lb, la)


def _letters(form: str, short: bool) -> str:
    """The letters of a form, a short one's without the ``s`` of a plural (``ZNNs``)."""
    letters = _LETTERS.sub("", form.lower())
    return letters[:-1] if short and _is_plural(form) else letters


def _same_words(a: str, b: str) -> bool:
    """Whether two long forms are one wording written two ways: their words but the linking ones
    pair up in order, each pair starting alike ("zorbic quanta encoder", "zorbical quanta
    encoding"), as one acronym's two spellings in one mention do; two meanings of it differ in a
    word ("zorbic quanta search", "zorbic quanta self-tuning")."""
    wa, wb = _words_of(a), _words_of(b)
    return len(wa) == len(wb) > 0 and all(x[:3] == y[:3] for x, y in zip(wa, wb, strict=True))


def agreeing(forms: tuple[str, ...]) -> tuple[str, ...]:
    """A mention's forms as far as they agree: its name, and each alias that can name one thing
    with every form kept before it (``_agree``). An alias that cannot is a misreading (a name from
    the next parenthesis, a long form cut short beside the whole one), and joining on it would join
    whatever else bears that name, across the graph. Where a short form is given with several long
    forms and abbreviates some of them word by word (``_abbreviates``), the others are such
    misreadings ("ZPO", "policy optimization", "zorbic policy optimization")."""
    shorts = [f for f in forms if _is_short(f)]
    longs = [f for f in forms if f not in shorts]
    dropped: set[str] = set()
    for short in shorts:
        strict = [f for f in longs if _abbreviates(short, f)]
        if strict:
            dropped.update(f for f in longs if f not in strict)
    kept: list[str] = []
    for form in forms:
        if form not in dropped and all(_agree(form, k) for k in kept):
            kept.append(form)
    return tuple(kept)


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
    root_of, names = resolve_forms(times)
    joined = {forms: FORM_SEPARATOR.join(forms) for forms in root_of}
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
        entity.name, entity.aliases = names[root]
        for written in entity.mentions.values():
            if len(written) > 1:
                written.sort()
    return entities


class Resolved(NamedTuple):
    """How the distinct lists of forms of some mentions resolve (``resolve_forms``)."""

    roots: dict[tuple[str, ...], str]  # a list of forms -> its entity's key (none for one without a keyed form)
    names: dict[str, tuple[str, list[str]]]  # an entity's key -> its display name and aliases


# An acronym that papers spell out in several ways names the commonest of them wherever it stands
# alone when that one is given at least this many times as often as all the others together; the
# others stay things of their own. An extraction that cut a long form wrongly, or a paper that
# coined the acronym again for something else, then leaves the acronym as the rest of the field
# uses it rather than splitting it into a node per spelling, all shown by the same name.
DOMINANT_SENSE = 2


def resolve_forms(times: Mapping[tuple[str, ...], int]) -> Resolved:
    """The entity (its key: the least key of its forms) that each of the distinct lists of forms
    in ``times`` names (each one mention's, ``entities_of``, with how many mentions give it), and
    each entity's display name and aliases; a list with no form that has a key names none.

    A mention's forms are read as far as they agree (``agreeing``): an alias that neither
    abbreviates nor spells out the forms before it is a misreading, and ties nothing."""
    read: dict[tuple[str, ...], tuple[tuple[str, ...], list[str], set[str]]] = {}  # forms -> agreeing, keys, longs
    longs_of: dict[str, set[str]] = defaultdict(set)
    spelt: dict[str, Counter[str]] = defaultdict(Counter)  # an acronym -> mentions spelling it out as each long form
    spellings = UnionFind()  # long forms one mention gives together are one spelling
    shorts: set[str] = set()
    spelling_out: dict[str, set[str]] = defaultdict(set)  # an acronym -> the long forms whose initials it is
    content: dict[str, frozenset[str]] = {}  # a long form's key -> its words but the linking ones, stemmed
    for forms in taking_turns(times):
        kept = agreeing(forms)
        keys = [norm_key(f) for f in kept]
        short = [_is_short(f) for f in kept]
        if short.count(True) > 1:
            shorts_given = [f for f, is_short in zip(kept, short, strict=True) if is_short]
            short = [is_short and not _glued_long_form(f, shorts_given)
                     for f, is_short in zip(kept, short, strict=True)]
        longs = {k for k, is_short in zip(keys, short, strict=True) if not is_short and k}
        for a, b in zip(sorted(longs), sorted(longs)[1:], strict=False):
            spellings.union(a, b)
        for f, k, is_short in zip(kept, keys, short, strict=True):
            if is_short:
                longs_of[k].update(longs)
                for long in longs:
                    spelt[k][long] += times[forms]
                shorts.add(k)
            elif k:
                for acronym in initials(f):
                    spelling_out[acronym].add(k)
                content[k] = _content_words(f)
        read[forms] = (kept, [k for k in keys if k], longs)

    # "maximum likelihood" and "maximum likelihood estimator" are one spelling, and so are "zorbing
    # with quanta" and "zorbing from quanta": an acronym's long forms that differ in a linking word
    for longs in longs_of.values():
        for a in longs:
            for b in longs:
                if a < b and (a.startswith(b) or b.startswith(a) or _alike(content.get(a), content.get(b))):
                    spellings.union(a, b)

    senses: dict[str, str | None] = {}

    def sense_of(k: str) -> str | None:
        """The spelling an acronym names ("" for a key no paper spells out), or None where
        papers spell it out several ways and none of them dominates."""
        if k not in senses:
            counted: Counter[str] = Counter()
            for long, n in spelt.get(k, Counter()).items():
                counted[spellings.find(long)] += n
            ranked = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
            if not ranked:
                senses[k] = ""
            else:
                top, n = ranked[0]
                rest = sum(m for _root, m in ranked[1:])
                senses[k] = top if rest == 0 or (n >= 2 and n >= DOMINANT_SENSE * rest) else None
        return senses[k]

    def joins_here(k: str, longs: set[str]) -> bool:
        """Whether a key stands for the same thing as the long forms of its mention, ``longs``."""
        sense = sense_of(k)
        return sense == "" or (sense is not None and all(spellings.find(long) == sense for long in longs if long != k))

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

    # a mention's identity (its anchor): a form that is not an acronym spelled out another way
    uf = UnionFind()
    anchors: dict[tuple[str, ...], str] = {}
    seen_keys: set[str] = set()
    for forms, (_kept, keys, longs) in taking_turns(read.items()):
        if not keys:
            continue
        joinable = [k for k in keys if joins_here(k, longs)]
        anchor = joinable[0] if joinable else keys[0]
        for k in joinable:
            uf.union(anchor, k)
        seen_keys.update(keys)
        anchors[forms] = anchor
    for acronym, long in spelled_out.items():
        uf.union(acronym, long)
    for k in sorted(seen_keys):  # "ZNNs" and "ZNN", "Fooformer network" and "Fooformer": one thing
        sense = sense_of(k)
        if len(k) <= 3 or sense is None:
            continue
        for other in variants(k):
            # each pair once, from its longer key (a singular's variant is its plural); not when the
            # two are spelled out as two things ("ZQGs" as zonal queue graphs, "ZQG" as zorbic
            # quanta guidance)
            other_sense = sense_of(other) if len(other) < len(k) and other in seen_keys else None
            if other_sense is not None and (other_sense == sense or "" in (sense, other_sense) or _share_a_word(
                    content.get(sense), content.get(other_sense))):
                uf.union(k, other)
    roots = {forms: uf.find(anchor) for forms, anchor in anchors.items()}

    # each entity's forms counted. An acronym that its mention spells out otherwise than it is
    # commonly meant, or that several things share evenly, is an alias of that entity but not
    # its name: the entity is shown by its long form. (As an alias it stays among the node's names,
    # which is what puts the node in the group of every other node of that acronym when settling.)
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    shared: dict[str, set[str]] = defaultdict(set)
    for forms, root in roots.items():
        kept, _keys, longs = read[forms]
        for form in kept:
            key = norm_key(form)
            if longs and _is_short(form) and key and not joins_here(key, longs) and uf.find(key) != root:
                shared[root].add(key)
            counted[root][form] += times[forms]
    return Resolved(roots, {root: display_names(counts, shared.get(root, set())) for root, counts in counted.items()})


def display_names(counts: Counter[str], shared: AbstractSet[str] = frozenset()) -> tuple[str, list[str]]:
    """An entity's display name and aliases from how often each form is used: the commonest
    spelling of each key, a coined short name before a description, a name other things share
    (keys in ``shared``) last."""
    if len(counts) == 1:  # most things are written one way
        return next(iter(counts)), []
    by_key: dict[str, str] = {}
    for form in sorted(counts, key=lambda f: (-counts[f], f)):
        by_key.setdefault(norm_key(form), form)
    names = list(by_key.values())
    name = min(names, key=lambda f: (norm_key(f) in shared, not _is_short(f), -counts[f], len(f), f))
    return name, sorted((f for f in names if f != name), key=str.casefold)
