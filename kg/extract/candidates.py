"""Candidates: every name a paper gives that may be a method or a dataset, grouped by what it names.

The rules (``kg.extract.paper``) find most names and say what they think of each; this module
takes all of them and adds what the rules pass over, since a name the candidates miss is one no
classifier can get right:

* runs of capitalised words with their versions and variants (``Zeta 2.5 Pro``, ``Deep
  Anything``, ``FooBench Verified``), which the rules take only when a method word ends them;
* every word shaped like a name (``XYZ``, ``FooRL``), including the field acronyms the rules drop,
  and the models named in lower case (``z3-mini``, ``zorb-oss-20b``; also after a maker: ``Zorbco z3``);
* the lower-case phrase a comparison or a basis points at (``outperforms supervised foo-tuning``,
  ``built on bar matching``), the usual way a technique without a coined name is cited.

Forms of one thing (``FooNet`` / ``Foo Network``, which the rules pair) make one
``NameGroup``, with every place the text gives any of its forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.cues import LINEAGE_CUE
from kg.extract.paper import PaperAnalysis
from kg.extract.shapes import initials, is_name_shaped, is_result, is_score, norm_key, split_modifier, stop_words
from kg.unionfind import UnionFind

# A version or a size after a name: "3.7", "2.0", "V3", "v1.6", "120", "H1"
_VERSION = re.compile(r"^(?:[vV]?\d+(?:\.\d+)*[a-zA-Z]?|[A-Z]\d{1,3}|\+\+?)$")
# A dimension written before a name of several words is part of it: "3D Foo Splatting" is not "Foo Splatting"
_DIMENSION = re.compile(r"^[1-4]D$")
# A run that opens a sentence is a name only when its first word is shaped like one or a second
# capitalised word follows: most sentences open with a capitalised common word.
_MAX_RUN = 6
_MAX_PHRASE = 4
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "these", "those", "existing", "prior", "previous"})
_PHRASE_BREAK = frozenset({"and", "or", "in", "on", "by", "for", "with", "to", "of", "at", "as", "from", "via",
                           "while", "which", "that", "when", "across", "under", "over", "using", "without",
                           "is", "are", "was", "were", "be", "than", "but", "both", "all", "baselines",
                           "methods", "approaches", "models", "techniques", "counterparts", "alternatives"})
_MAX_FORM_TOKENS = 8
_MAX_TITLE_PREFIX = 6  # words of a title before its colon that can name a thing
_NAME_JOINS = frozenset({"&", "and"})
_KIND_HEADS = frozenset({"dataset", "benchmark", "corpus", "suite", "testbed", "model", "network", "framework",
                         "method", "architecture", "algorithm"})


@dataclass(slots=True)
class NameGroup:
    """One thing a paper names: its surface forms, where the text gives them, and what the rules
    said of it (``(kind, role, rule)`` triples)."""

    key: str
    forms: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    kind: str = ""  # the rules' guess: method, dataset, dataset?, other; "" when they found none
    known: bool = False  # in a gazetteer
    long_form: str = ""  # the spelled-out form, for an abbreviation
    rule_roles: list[tuple[str, str, str]] = field(default_factory=list)
    # ``name`` and ``named_forms``, worked out when first read: the features, the decision and
    # the item each read them, and a group's forms are complete before anything reads them
    _name: str = field(default="", init=False, repr=False, compare=False)
    _named: list[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        """The form to show: a coined name before a description, then the shortest."""
        if not self._name:
            self._name = min(self.named_forms, key=lambda f: (not is_name_shaped(f.split()[0]), len(f)))
        return self._name

    @property
    def named_forms(self) -> list[str]:
        """The forms that name the thing: not ``FooNet-based`` beside ``FooNet``, which uses it."""
        if self._named is None:
            keys = {norm_key(f) for f in self.forms}
            bases = [norm_key(split_modifier(f)[0]) for f in self.forms]
            kept = [f for f, base in zip(self.forms, bases, strict=True) if base == norm_key(f) or base not in keys]
            self._named = kept or self.forms
        return self._named

    @property
    def aliases(self) -> list[str]:
        """The other forms that name the thing."""
        name = self.name
        return [f for f in self.named_forms if f != name]


def _balanced(text: str) -> str:
    """A form without the half of a bracket pair that a token kept: ``Module(XQM`` -> ``Module``."""
    if not any(ch in text for ch in "()[]{}"):
        return text
    for open_, close in ("()", "[]", "{}"):
        if text.count(open_) != text.count(close):
            cut = min(i for i in (text.find(open_), text.find(close)) if i >= 0)
            text = text[:cut].strip()
    return text


class _Collector:
    """The forms found so far, joined into groups, with what is known of each."""

    def __init__(self) -> None:
        self.groups = UnionFind()
        self.forms: dict[str, str] = {}  # key -> first surface form
        self.order: list[str] = []
        self.sources: dict[str, set[str]] = {}
        self.kinds: dict[str, str] = {}
        self.known: set[str] = set()
        self.long_forms: dict[str, str] = {}
        self.rule_roles: dict[str, list[tuple[str, str, str]]] = {}

    def add(self, text: str, source: str) -> str:
        text = _balanced(text.strip())
        key = norm_key(text)
        if not key or is_result(text):
            return ""
        if key not in self.forms:
            self.forms[key] = text
            self.order.append(key)
        self.groups.find(key)
        self.sources.setdefault(key, set()).add(source)
        return key

    def join(self, a: str, b: str) -> None:
        if a and b:
            self.groups.union(a, b)


def find_candidates(analysis: PaperAnalysis) -> list[NameGroup]:
    """The name groups of one analysed paper (``analysis.items()`` has run), in order of first mention."""
    a = analysis
    c = _Collector()
    for cand in a.candidates.values():
        key = c.add(cand.span.text, "rules")
        if cand.text != cand.span.text:
            c.join(key, c.add(cand.text, "rules"))
        c.kinds.setdefault(key, cand.kind)
        if cand.known:
            c.known.add(key)
        if cand.long is not None:
            long_key = c.add(cand.long.text, "long-form")
            c.join(key, long_key)
            c.long_forms[key] = cand.long.text
    for surface_key, text in a.surface.items():  # what the rules joined: abbreviations, title prefixes
        root = a.groups.find(surface_key)
        if root != surface_key and root in a.surface:
            c.join(c.add(text, "rules"), c.add(a.surface[root], "rules"))
    for item in a.items_:
        key = c.add(item.text, "rules")
        for alias in item.aliases:
            c.join(key, c.add(alias, "rules"))
        c.rule_roles.setdefault(key, []).append((item.kind, item.role, item.rule))
    _runs(a, c)
    _title_prefix(a, c)
    _shaped_words(a, c)
    _cited_phrases(a, c)
    _title_long_forms(a, c)
    _join_initials(c)
    _join_heads(c)
    return _grouped(a, c)


def _runs(a: PaperAnalysis, c: _Collector) -> None:
    """Capitalised runs with their versions: ``Zeta 3.7 Large``, ``3D Foo Splatting``, ``Zorbco z3``."""
    texts, cap, codes = a.texts, a.capitalised, a.codes
    i = a.title_end + 1
    n = a.n
    while i < n:
        if not (cap[i] or is_name_shaped(texts[i])) or (a.sent_start[i] and not is_name_shaped(texts[i]) and not (
                i + 1 < n and cap[i + 1])):
            i += 1
            continue
        if a.sent_start[i] and not is_name_shaped(texts[i]) and _leads_no_name(a.words[i]):
            i += 1  # "Using Zorb-7B ...", "Currently Zorbco z3 ...": the name starts after the sentence's first word
            continue
        j = i + 1
        while j < n and j - i < _MAX_RUN and not a.sent_start[j] and (
                cap[j] or (_VERSION.match(texts[j]) and not is_score(texts[j])) or codes[j] is not None):
            j += 1
        if j - i >= 2 and split_modifier(texts[i])[1] is not None:
            i += 1  # "Zorb-based Plumset 2": the run names Plumset 2; Zorb is a word of its own
            continue
        if j - i >= 2:
            start = i - 1 if i - 1 > a.title_end and _DIMENSION.match(texts[i - 1]) else i
            text, code = a.at(start, j).text, codes[j - 1]
            suffix = split_modifier(texts[j - 1])[1]
            if code is not None:  # a maker and its model ("Zorbco z3"): one thing, also where "z3" stands alone
                text = text[: len(text) - len(texts[j - 1])] + code  # "Zorbco z3", not "Zorbco z3-like"
                c.join(c.add(text, "run"), c.add(code, "shape"))
            elif suffix is not None:  # "Zorb Engine-rendered" uses Zorb Engine
                c.join(c.add(text[: len(text) - len(suffix) - 1], "run"), c.add(text, "run"))
            else:
                key = c.add(text, "run")
                if start < i:  # the rules' "Foo Splatting" where the text says "3D Foo Splatting"
                    bare = norm_key(a.at(i, j).text)
                    if bare in c.forms:
                        c.join(key, bare)
        elif not a.sent_start[i] and texts[i - 1] not in (":", "\n"):
            key = c.add(texts[i], "capitalised")  # "outperforms Fooformer": mid-sentence, a capital says a name
            stem, suffix = split_modifier(texts[i])
            if suffix is not None:  # "a Fooformer-based model" names Fooformer, as "FooNet-based" does FooNet
                c.join(c.add(stem, "capitalised"), key)
        i = j


def _title_prefix(a: PaperAnalysis, c: _Collector) -> None:
    """What a title puts before its colon, in a few words: the paper's own name, more often than
    not (``Zorb Any Plumset: ...``, ``Zorbing with Quanta: ...``), however it is written."""
    colon = a.title_colon
    if colon is None or not 0 < colon <= _MAX_TITLE_PREFIX:
        return
    # two coined words joined, ``Zorb-7B & Zorb-70B``, ``Zorb and Quanta``: each is a thing of its own
    # (not two phrases, ``Think Fast and Slow``, nor a comma's slogan, ``Look Up, Reach Out``)
    joins = [k for k in range(colon) if a.words[k] in _NAME_JOINS]
    parts = [a.at(start + 1, end).text for start, end in zip([-1, *joins], [*joins, colon], strict=True)]
    if len(joins) == 1 and all(" " not in part and is_name_shaped(part) for part in parts):
        for part in parts:
            c.add(part, "title-prefix")
    else:
        c.add(a.at(0, colon).text, "title-prefix")


def _leads_no_name(word: str) -> bool:
    """Whether a sentence's first ``word`` (lower case) is a function word or an adverb, which a
    coined name after it does not start with: "Using", "The", "Currently"."""
    return word in stop_words() or (word.endswith("ly") and len(word) > 4)


def _shaped_words(a: PaperAnalysis, c: _Collector) -> None:
    """Every word shaped like a name, the ones the rules drop as field acronyms too, and the models
    named in lower case (``z3-mini``, ``zorb-oss-20b``), which have no capital to be found by."""
    for stem, code in zip(a.stems, a.codes, strict=True):
        if stem is not None:  # the name in the word, if it has one ("FooNet" in "FooNet-based")
            c.add(stem, "shape")
        elif code is not None:
            c.add(code, "shape")


def _cited_phrases(a: PaperAnalysis, c: _Collector) -> None:
    """The lower-case phrase right after a comparison or basis cue: ``than plain foo attention``."""
    words, texts, classes = a.words, a.texts, a.classes
    for k in range(a.title_end, a.n):
        if not classes[k] & LINEAGE_CUE:  # no comparison or basis cue starts with this word
            continue
        n = a.cues.compared_with.at(words, k) or a.cues.builds_on.at(words, k)
        if not n:
            continue
        i = k + n
        while i < a.n and words[i] in _DETERMINERS:
            i += 1
        j = i
        while j < a.n and j - i < _MAX_PHRASE and texts[j].islower() and texts[j].replace("-", "").isalpha() and (
                words[j] not in _PHRASE_BREAK):
            j += 1
        if j > i:
            c.add(a.at(i, j).text, "phrase")


def _title_long_forms(a: PaperAnalysis, c: _Collector) -> None:
    """Words of the title whose initials spell an acronym of the abstract: ``Explore Quick Lattice
    Sorting`` and ``QLS``."""
    acronyms = {form for form in c.forms.values() if form.isupper() and form.isalpha() and 2 <= len(form) <= 6}
    texts = a.texts
    for acronym in acronyms:
        n = len(acronym)
        for i in range(0, a.title_end - n + 1):
            words = texts[i: i + n]
            if all(w[:1].isupper() for w in words) and initials(words).upper() == acronym:
                c.join(c.add(a.at(i, i + n).text, "title-long-form"), c.add(acronym, "shape"))
                break


def _join_initials(c: _Collector) -> None:
    """A capitalised phrase and the acronym of its initials are one thing even where the text never
    puts them side by side: a title that spells out what the abstract abbreviates."""
    acronyms = {form: key for key, form in c.forms.items() if form.isupper() and form.isalpha() and len(form) >= 2}
    if not acronyms:
        return
    for key, form in list(c.forms.items()):
        words = form.replace("-", " ").split()
        if len(words) >= 2 and all(w[:1].isupper() for w in words):
            letters = initials(words).upper()
            if letters in acronyms:
                c.join(key, acronyms[letters])


def _join_heads(c: _Collector) -> None:
    """A name and the same name with a word for its kind after it, ``Zorb`` and ``Zorb Dataset``,
    are one thing in one paper, as ``kg.resolve`` takes them across papers."""
    for key, form in list(c.forms.items()):
        words = form.split()
        if len(words) >= 2 and words[-1].lower() in _KIND_HEADS:
            bare = norm_key(" ".join(words[:-1]))
            if bare in c.forms:
                c.join(key, bare)


def _grouped(a: PaperAnalysis, c: _Collector) -> list[NameGroup]:
    groups: dict[str, NameGroup] = {}
    for key in c.order:
        root = c.groups.find(key)
        g = groups.get(root)
        if g is None:
            g = groups[root] = NameGroup(root)
        g.forms.append(c.forms[key])
        g.sources |= c.sources[key]
        g.kind = g.kind or c.kinds.get(key, "")
        g.known = g.known or key in c.known
        g.long_form = g.long_form or c.long_forms.get(key, "")
        g.rule_roles.extend(c.rule_roles.get(key, ()))
    # Where the text gives each group's forms, longest form first at each token. A form's key is
    # the keys of its tokens run together, so a run of tokens is read only while its key is the
    # start of some form's key.
    by_key = {key: groups[c.groups.find(key)] for key in c.order}
    prefixes = {key[:k] for key in by_key for k in range(1, len(key) + 1)}
    texts, keys, stems, codes = a.texts, a.keys, a.stems, a.codes
    i = 0
    while i < a.n:
        found, end, key = None, i, ""
        for j in range(i, min(a.n, i + _MAX_FORM_TOKENS)):
            key += keys[j]
            if key not in prefixes:
                break
            g = by_key.get(key)
            if g is not None:
                found, end = g, j + 1
        if found is None:
            stem = stems[i] if stems[i] is not None else codes[i]  # "FooNet" in "FooNet-based", "z3" in "z3-like"
            found = by_key.get(norm_key(stem)) if stem is not None and stem != texts[i] else None
            end = i + 1
        if found is not None:
            found.mentions.append((i, end))
            i = end
        else:
            i += 1
    ordered = sorted(groups.values(), key=lambda g: g.mentions[0][0] if g.mentions else a.n)
    return ordered
