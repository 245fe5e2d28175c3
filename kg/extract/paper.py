"""The rules that decide what a paper does with each name it gives.

``PaperAnalysis`` reads one paper doc, after the other components: it finds every method and
dataset name (gazetteer entries, abbreviations, name-shaped words, capitalised runs such as
``Hierarchical Foo Memory``), then reads each sentence for the cue phrases of
``kg/data/cues.json`` around them:

* proposals: ``we propose X``, ``X, a novel ...``, ``named X``, a title ``X: ...``;
* datasets: gazetteer names, ``the X dataset``, ``experiments on X, Y and Z``; a proposal whose
  head is a dataset word is a dataset the paper introduces;
* lineage, only in sentences about the paper's own work: ``built on X``, ``compared with X``,
  ``X-based``;
* every other method name is a mention.

Every item keeps the rule and the sentence that produced it, and the other names of its thing
(``FooNet`` / ``Foo Network``), which the abbreviations and titles join.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.lex_attrs import like_num as _like_num
from spacy.tokens import Doc

from kg.extract.cues import (
    DATASET_HEAD,
    DATASET_LIST_CUE,
    EVAL_WORD,
    LINEAGE_CUE,
    OURS_CUE,
    PROPOSAL_CUE,
    SURVEY_CUE,
    Cues,
)
from kg.extract.doc import (
    ABBREVIATIONS,
    GAZETTEER,
    SENTENCES,
    TITLE_END,
    Item,
    Known,
    Words,
    extension_values,
    words_at,
)
from kg.extract.lexicon import DATASET_HEADS, METHOD_HEADS, NON_METHOD_HEADS
from kg.extract.lists import offsets_of, shapes_of, text_of, texts_of, words_of
from kg.extract.shapes import LINEAGE_SUFFIXES, initials, is_capitalised, is_name_shaped, norm_key, split_modifier
from kg.unionfind import UnionFind

like_num = lru_cache(maxsize=1 << 14)(_like_num)  # spaCy's own test for English: "10", "1/2", "ten"


@dataclass(slots=True)
class Candidate:
    """A name found in the text, with what is known about its kind so far."""

    span: Words
    kind: str  # "method", "dataset", "dataset?" (needs context), "other" (a task, a measure, a thing)
    long: Words | None = None  # its long form, for an abbreviation
    known: bool = False  # in a gazetteer
    text: str = ""  # the name; differs from the span's text for "FooNet-based" (FooNet)

    def __post_init__(self) -> None:
        self.text = self.text or self.span.text

    @property
    def key(self) -> str:
        return norm_key(self.text)


# "FooNet 2 times faster" is not a version: these words after a number make it a count.
_COUNTED = frozenset({"times", "x", "%", "layers", "steps", "epochs", "points", "datasets", "tasks", "and", "or"})
_PASSIVE_PROPOSE = frozenset({"proposed", "introduced", "presented", "developed", "designed", "devised"})
_CLAUSE_BREAK = frozenset({".", ";", ":", "!", "?", "which", "that", "who", "whose", "where", "while", "whereas",
                           "but", "although", "though", "because", "since", "thus", "thereby", "hence", "so"})
_REGION_BREAK = _CLAUSE_BREAK | {"(", "to", "by", "for", "with", "in", "on", "based", "from", "using", "via", "of",
                                 "through", "under", "over", "as", "into", "and", "inspired", "built", "involving",
                                 "including", "containing", "leveraging", "exploiting", "utilizing", "combining",
                                 "consisting", "comprising", "covering", "featuring", "designed", "tailored"}
_WINDOW_BREAK = _CLAUSE_BREAK | {"in", "on", "by", "across", "for", "under", "at", "without", "when", "while", "with",
                                 "using", "terms", "within", "during", "after", "from", "to", "via", "which",
                                 "achieving", "reaching", "showing"}
_SKIP_BEFORE_NAME = frozenset({"a", "an", "the", "novel", "new", "simple", "effective", "efficient", "first",
                               "two", "three", "our", "this", "both", "general", "generic", "unified",
                               "principled", "lightweight", "practical", "scalable", "powerful", "flexible"})
# "we propose the Foo-Top loss": a coined name followed by one of these is the thing proposed.
_OBJECT_HEADS = frozenset({"framework", "model", "method", "approach", "algorithm", "architecture", "module",
                           "mechanism", "strategy", "technique", "objective", "loss", "estimator", "sampler",
                           "network", "system", "benchmark", "dataset", "corpus", "suite", "optimizer", "agent",
                           "library", "toolkit", "scheme", "paradigm", "pipeline", "test", "criterion", "layer",
                           "block", "unit", "cell", "operator", "classifier", "encoder", "decoder", "regularizer"})
# Heads that make a proposal a dataset; wider than DATASET_HEADS because the context is "we introduce".
_PROPOSED_DATA_HEADS = DATASET_HEADS | {"test", "tests", "arena", "challenge", "leaderboard"}
_GENERIC_PLURALS = frozenset({"baselines", "methods", "approaches", "techniques", "algorithms", "variants",
                              "counterparts", "strategies"})
_LIST_LEAD = frozenset({"the", "both", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                        "several", "various", "multiple", "public", "benchmark", "benchmarks", "datasets", "dataset",
                        "real-world", "standard", "popular", "challenging", "widely-used", "widely", "used",
                        "well-known", "large-scale", "common", "commonly", "diverse", "different", "seminal",
                        "established", "classic", "representative", "including", "e.g.", ",", "like", "such", "as"})
_LIST_JOIN = frozenset({",", "and", "or", "/", "&"})

# "Smith distance", "Smith-Jones formula": a proper name and one of these heads is a method.
_PROPER_COMPOUND = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)+$")  # Smith-Jones
_PROPER_METHOD_HEADS = frozenset({"formula", "distance", "divergence", "process", "filter", "test", "model",
                                  "algorithm", "sampling", "estimator", "inference", "network", "regression",
                                  "correction", "guidance", "machine", "transform", "kernel", "method", "prox"})


def _is_other_head(word: str) -> bool:
    """A noun that says the names before it are not datasets: "divergences", "models", "tasks"."""
    return word not in DATASET_HEADS and (word in _GENERIC_PLURALS or word.rstrip("s") in METHOD_HEADS
                                           or word.rstrip("s") in NON_METHOD_HEADS or word in NON_METHOD_HEADS)


class PaperAnalysis:
    """The analysis of one paper doc; ``items()`` is the result."""

    def __init__(self, cues: Cues, doc: Doc) -> None:
        self.cues = cues
        self.doc = doc
        # The rules read tokens by index many times over: plain lists are read without making a
        # spaCy Token each time.
        self.text = text_of(doc)
        self.texts = texts_of(doc)
        self.words = words_of(doc)
        self.offsets = offsets_of(doc)
        self.n = len(self.texts)
        self.title_end: int = extension_values(doc).get(TITLE_END, 0)
        starts: list[int] = extension_values(doc).get(SENTENCES) or []
        self.sentence_starts = starts
        ends = [*starts[1:], self.n] if starts else []  # an empty doc has no sentence
        self.sentences = [self.at(start, end) for start, end in zip(starts, ends, strict=True)]
        self.sent_start = [False] * self.n
        for start in starts:
            self.sent_start[start] = True
        self.stems, self.capitalised, self.keys = shapes_of(doc)
        classes = cues.word_classes
        self.classes = [classes.get(word, 0) for word in self.words]
        self.sentence_classes: dict[int, int] = {}  # by sentence start: the classes of all its words
        for sentence in self.sentences:
            union = 0
            for k in range(sentence.start, sentence.end):
                union |= self.classes[k]
            self.sentence_classes[sentence.start] = union
        self.says_ours: dict[int, bool] = {}  # by sentence start: it has "we", "our", "this paper"...
        self.dataset_heads = [i for i, c in enumerate(self.classes) if c & DATASET_HEAD]
        self.cover = [0] * (self.n + 1)  # how many names (or long forms of names) hold each token
        self.items_: list[Item] = []
        self.candidates: dict[int, Candidate] = {}  # by first token
        self.groups = UnionFind()  # name keys of one thing
        self.surface: dict[str, str] = {}  # a surface form for every key, for aliases
        self.proposal_keys: set[str] = set()
        self.long_forms: dict[int, Candidate] = {}  # abbreviations by the first token of their long form
        self.defined_at: dict[str, int] = {}  # abbreviation key -> first token of its defining sentence
        self.defined_as: dict[str, str] = {}  # abbreviation key -> the kind its long form gives it
        self._find_candidates()
        # Candidates are all found by now; the rules only read them, in text order.
        self.starts = sorted(self.candidates)

    def at(self, start: int, end: int) -> Words:
        """Tokens ``start`` to ``end`` (as ``doc[start:end]``, without making a ``Span``)."""
        return words_at(self.text, self.texts, self.offsets, start, end)

    def _sentence_of(self, i: int) -> Words:
        """The sentence token ``i`` is in."""
        return self.sentences[bisect_right(self.sentence_starts, i) - 1]

    # -- names ----------------------------------------------------------------------------

    def _find_candidates(self) -> None:
        doc = self.doc
        found: list[Known] = extension_values(doc).get(GAZETTEER) or []
        gazetteer = {(k.words.start, k.words.end) for k in found}
        for abbreviation in extension_values(doc).get(ABBREVIATIONS) or []:
            short, long = abbreviation.short, abbreviation.long
            if short.text in self.cues.not_entities:
                continue
            known = (short.start, short.end) in gazetteer or (long is not None and (long.start, long.end) in gazetteer)
            candidate = Candidate(short, self._kind_of_long(long, after=short.end + 1), long, known)
            self._add(candidate)
            if long is not None:
                self.long_forms[long.start] = candidate
                self._union(short.text, long.text)
                self.defined_at.setdefault(self._find(short.text), self._sentence_of(short.start).start)
                self.defined_as.setdefault(self._find(short.text), candidate.kind)
        for entry in found:
            kind = {"DATASET": "dataset", "DATASET?": "dataset?", "METHOD": "method"}[entry.label]
            span = entry.words
            if not self._covered(span.start):
                self._add(Candidate(span, kind, known=True))
                if norm_key(entry.name) != norm_key(span.text):
                    self._union(span.text, entry.name)  # a listed spelling: the usual name becomes an alias
        for i, stem in enumerate(self.stems):  # most words have no name stem: asked first
            if stem is None or i in self.candidates or self.texts[i].isspace():
                continue
            if stem not in self.cues.not_entities and not self._covered(i):
                self._add(Candidate(self.at(i, i + 1), "method", text=stem))
        self._capitalised_runs()
        for start, c in list(self.candidates.items()):
            end = c.span.end
            if c.long is None and end < self.n and self.texts[end].isdigit() and len(self.texts[end]) <= 2 and not (
                    end + 1 < self.n and self.words[end + 1] in _COUNTED):
                self.candidates[start] = Candidate(self.at(start, end + 1), c.kind, None, c.known)

    def _covered(self, i: int) -> bool:
        """Whether token ``i`` is inside a name already found, or inside an abbreviation's long form."""
        return self.cover[i] > 0

    def _put(self, start: int, candidate: Candidate | None) -> None:
        """Make ``candidate`` the name that starts at ``start`` (None: no name starts there)."""
        for c, step in ((self.candidates.pop(start, None), -1), (candidate, 1)):
            if c is not None:
                for span in (c.span, c.long) if c.long is not None else (c.span,):
                    for i in range(span.start, span.end):
                        self.cover[i] += step
        if candidate is not None:
            self.candidates[start] = candidate

    def _at(self, i: int) -> Candidate | None:
        """The name that starts at token ``i``: an abbreviation whose long form starts there first."""
        return self.long_forms.get(i) or self.candidates.get(i)

    def _add(self, candidate: Candidate) -> None:
        existing = self.candidates.get(candidate.span.start)
        if existing is None or len(candidate.span) > len(existing.span):
            self._put(candidate.span.start, candidate)
        self._find(candidate.key)

    def _capitalised_runs(self) -> None:
        """``Hierarchical Foo Memory``, ``Smith distance``: proper-name method phrases."""
        texts, words = self.texts, self.words
        i = self.title_end
        while i < len(texts):
            text = texts[i]
            if self.sent_start[i] or not self.capitalised[i] or (
                    self._covered(i) and not _PROPER_COMPOUND.match(text)):
                i += 1
                continue
            j = i
            while j + 1 < len(texts) and self.capitalised[j + 1] and (
                    not self._covered(j + 1) or self._single_known(j + 1)):
                j += 1
            head = words[j].rstrip("s")
            if j > i and (head in METHOD_HEADS or words[j] in METHOD_HEADS):
                for k in range(i, j + 1):
                    self._put(k, None)
                self._add(Candidate(self.at(i, j + 1), "method"))
            elif j == i and (not is_name_shaped(text) or _PROPER_COMPOUND.match(text)) and (
                    j + 1 < len(texts)) and texts[j + 1].islower() and (
                    texts[j + 1].rstrip("s") in _PROPER_METHOD_HEADS) and not self._covered(j + 1):
                self._put(i, None)
                self._add(Candidate(self.at(i, j + 2), "method"))
                self._union(self.at(i, j + 2).text, text)  # "Smith-Jones formula" is also "Smith-Jones"
                j += 1
            i = j + 1

    def _single_known(self, i: int) -> bool:
        c = self.candidates.get(i)
        return c is not None and c.known and len(c.span) == 1 and c.kind == "method"

    def _kind_of_long(self, long: Words | None, after: int) -> str:
        if after < self.n and self.words[after] in DATASET_HEADS:
            return "dataset"
        if long is None:
            return "method"
        head = self.words[long.end - 1]
        if head in DATASET_HEADS:
            return "dataset"
        if head in NON_METHOD_HEADS or head.rstrip("s") in NON_METHOD_HEADS:
            return "other"
        return "method"

    # -- alias groups --------------------------------------------------------------------

    def _find(self, text: str) -> str:
        """The group of a surface form, remembering the form the first time its key is seen."""
        key = norm_key(text)
        # a group's key can be looked up before its text is seen; the text then replaces it
        surface = self.surface.get(key)  # every key found has a surface form
        if surface is None or surface == key != text:
            self.surface[key] = text
        return self.groups.find(key)

    def _union(self, a: str, b: str) -> None:
        self.groups.union(self._find(a), self._find(b))

    # -- helpers ---------------------------------------------------------------------------

    def _is_title(self, sent: Words) -> bool:
        return bool(sent.start < self.title_end)

    def _is_ours(self, sent: Words) -> bool:
        """Whether the sentence talks about this paper's own work."""
        if self._is_title(sent):
            return True
        says_ours = self.says_ours.get(sent.start)
        if says_ours is None:  # asked for a sentence's proposals, then for its lineage: read it once
            words, ours = self.words[sent.start: sent.end], self.cues.ours  # a cue ends with its sentence
            says_ours = self.says_ours[sent.start] = any(
                ours.at(words, k - sent.start) for k in self._cues(sent, OURS_CUE))
        if says_ours:
            return True
        if not self.proposal_keys:
            return False
        return any(key in self.groups and self._find(text) in self.proposal_keys
                   for key, text in zip(self.keys[sent.start: sent.end], self.texts[sent.start: sent.end], strict=True))

    def _cues(self, sent: Words, flag: int) -> list[int]:
        """The tokens of sentence ``sent`` that a cue phrase of class ``flag`` may start at: the cheap
        test before the rules, and none at all when the sentence has no such word."""
        if not self.sentence_classes[sent.start] & flag:
            return []
        classes = self.classes
        return [k for k in range(sent.start, sent.end) if classes[k] & flag]

    def _in(self, start: int, end: int) -> list[Candidate]:
        """The names that start in tokens ``start`` to ``end``, in text order."""
        first, last = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [self.candidates[i] for i in self.starts[first:last]]

    def _emit(self, kind: str, name: Words | Candidate, role: str, rule: str, sent: Words) -> None:
        self.items_.append(Item(kind, name.text, role, rule, sent.text.strip()))

    def _is_method_like(self, c: Candidate) -> bool:
        return c.kind in ("method", "other") and self._find(c.text) not in self._dataset_keys

    # -- rules -----------------------------------------------------------------------------

    def items(self) -> list[Item]:
        self._dataset_keys: set[str] = set()
        sentences = self.sentences
        self.survey = self._survey()
        for sent in sentences:
            if not self._is_title(sent) and not self.survey:
                self._proposals(sent)
        self._title_proposal()
        for sent in sentences:
            self._datasets(sent)
        for sent in sentences:
            self._lineage(sent)
        self._mentions()
        roots = [self._find(item.text) for item in self.items_]
        forms: dict[str, list[tuple[str, str]]] = {}  # the surface forms of each group
        for key, form in self.surface.items():
            forms.setdefault(self.groups.find(key), []).append((key, form))
        for item, root in zip(self.items_, roots, strict=True):
            own = norm_key(item.text)
            item.aliases = sorted((form for key, form in forms[root] if key != own), key=str.casefold)
        return self.items_

    def _survey(self) -> bool:
        words, survey_words = self.words, self.cues.survey_words
        classes = self.classes
        return any(survey_words.at(words, k) for k in range(min(len(words), 400))
                   if classes[k] & SURVEY_CUE
                   and (k < self.title_end or words[k - 1] in ("this", "a", "comprehensive")))

    def _proposals(self, sent: Words) -> None:
        words = self.words
        ours = None
        after = sent.start
        for k in self._cues(sent, PROPOSAL_CUE):
            if k < after:
                continue  # inside the cue just read
            if ours is None:
                ours = self._is_ours(sent)
            n = self.cues.propose_verbs.at(words, k)
            weak = 0 if n else self.cues.weak_propose_verbs.at(words, k)
            if (n or weak) and ours and words[k + (n or weak): k + (n or weak) + 1] != ["to"]:
                self._proposal_after(sent, k, k + (n or weak), strict=bool(weak))
            naming = self.cues.naming.at(words, k)
            if naming and ours and words[k: k + 2] != ["known", "as"]:
                self._named(sent, k, k + naming)
            after = k + max(n, weak, naming, 1)
        self._appositive_subject(sent)
        self._our_thing(sent)
        self._passive(sent)

    def _region_end(self, start: int, end: int) -> int:
        j = start
        while j < end and j < start + 14 and self.words[j] not in _REGION_BREAK and self.words[j] != ",":
            j += 1
        return j

    def _proposal_after(self, sent: Words, verb: int, start: int, strict: bool) -> None:
        """``we propose [a novel framework] NAME``, ``... Long Form (ACR)``, ``..., NAME, ...``."""
        end = self._region_end(start, sent.end)
        if strict and not (start < sent.end and is_name_shaped(self.texts[start])):
            return
        region = self._in(start, end)
        spelled = [c for i, c in self.long_forms.items() if start <= i < end and not (
            c.known and self._modifies_next(c.span.end + 1))]
        found = spelled[:1] or [c for c in region if self._name_ends_np(c, end) and not (
            c.known and c.text.islower())]
        paren = self.candidates.get(end + 1) if end < sent.end and self.texts[end] == "(" else None
        if paren is not None and paren.known and self._modifies_next(paren.span.end + 1):
            paren = None  # "we propose Sequential Foo Sampling (SFS) resampling algorithms": known, a modifier
        if paren is not None and paren.long is None and end > start:
            long = self._long_from_region(start, end, paren)
            if long is not None:
                paren.long = long
                self._union(paren.span.text, long.text)
        if paren is not None:
            found = [paren]
        elif not found and end < sent.end and self.texts[end] == ",":
            found = self._appositive(end + 1, sent.end)
        if not found:
            found = self._later_appositive(end, min(sent.end, end + 12))
        if not found:
            found = self._later_abbreviation(end, sent.end)
        if not found:
            run = self._title_case_run(start, end)
            if run is None and end == start + 1 and self.capitalised[start]:
                run = self.at(start, end)  # "we propose Zorb, a ...": a coined word right after the verb
            if run is not None:
                found = [Candidate(run, "method")]
                self._find(run.text)
        for c in found:
            self._propose(c, sent, start, "propose-verb")

    def _modifies_next(self, i: int) -> bool:
        """Whether token ``i`` is a lower-case word, so that the name before it is a modifier."""
        return i < self.n and self.texts[i].isalpha() and self.texts[i].islower() and self.words[i] not in (
            _CLAUSE_BREAK | {"to", "and", "or", "for", "by", "with", "in", "on"})

    def _name_ends_np(self, c: Candidate, end: int) -> bool:
        """A name that is the object itself ("the Foo-Top loss"), not a modifier ("a FoE routing paradigm")."""
        if c.span.end >= end or self.texts[c.span.end] in ("(", ","):
            return True
        return ((self.words[c.span.end] in _OBJECT_HEADS and c.span.end + 1 >= end)
                or self.words[c.span.end: c.span.end + 2] in (["loss", "function"], ["test", "suite"]))

    def _long_from_region(self, start: int, end: int, paren: Candidate) -> Words | None:
        i = start
        while i < end and self.words[i] in _SKIP_BEFORE_NAME:
            i += 1
        if i >= end or end - i > 10:
            return None
        long = self.at(i, end)
        if long.text[:1].casefold() != paren.span.text[:1].casefold():
            return None
        return long

    def _appositive(self, start: int, end: int) -> list[Candidate]:
        """``..., NAME, ...`` or ``..., NAME and NAME to ...`` right after a proposal's object."""
        found: list[Candidate] = []
        i = start
        while i < end:
            c = self.candidates.get(i)
            if c is None:
                if self.capitalised[i] and not self.sent_start[i] and len(found) == 0:
                    run = self._title_case_run(i, min(end, i + 6)) or self.at(i, i + 1)
                    c = Candidate(run, "method")
                    self._find(run.text)
                else:
                    break
            found.append(c)
            i = c.span.end
            if i < end and self.words[i] in ("and", ","):
                i += 1
                continue
            break
        if found and (found[-1].span.end >= end or self.words[found[-1].span.end] in
                      _REGION_BREAK | {",", "(", ")", "."}):
            return found
        return []

    def _later_abbreviation(self, start: int, end: int) -> list[Candidate]:
        """``we propose a novel ... based framework (ZORBA)``: a coined short form closing the clause."""
        for i in range(start, min(end, start + 12)):
            if self.words[i] in _CLAUSE_BREAK:
                return []
            c = self.candidates.get(i + 1)
            if self.words[i] == "(" and c is not None and c.long is None and not c.known and is_name_shaped(
                    c.text):
                return [c]
        return []

    def _later_appositive(self, start: int, end: int) -> list[Candidate]:
        """``we propose a model based on X, NAME, to ...``: a coined name set off by commas."""
        for i in range(start, end):
            c = self.candidates.get(i)
            if (c is not None and self.words[i - 1] == "," and is_name_shaped(c.text) and not c.known
                    and c.span.end < self.n and self.words[c.span.end] in (",", "to", ".", "which")):
                return [c]
        return []

    def _title_case_run(self, start: int, end: int) -> Words | None:
        i = start
        while i < end and self.words[i] in _SKIP_BEFORE_NAME:
            i += 1
        j = i
        while j < end and (self.capitalised[j] or (self.words[j] in ("of", "for", "and") and j > i)):
            j += 1
        while j > i and self.words[j - 1] in ("of", "for", "and"):
            j -= 1
        if j - i >= 2 and (j >= end or self.texts[j] in (",", "(", ".")):
            return self.at(i, j)
        return None

    def _named(self, sent: Words, cue: int, start: int) -> None:
        """``named NAME``, ``called NAME``, ``which we call NAME``, ``termed f-foo``."""
        i = start
        if i < sent.end and self.words[i] in ("the", "a", "an", "as"):
            i += 1
        if i >= sent.end:
            return
        c = self._at(i)
        if c is None:
            run = self._title_case_run(i, min(sent.end, i + 8))
            text = self.texts[i]
            if run is not None:
                c = Candidate(run, "method")
            elif (text.isalpha() and text.islower()) or not any(ch.isalpha() for ch in text):
                if "-" not in text:
                    return
                c = Candidate(self.at(i, i + 1), "method")
            else:
                c = Candidate(self.at(i, i + 1), "method")
            self._find(c.text)
        context_start = max(sent.start, cue - 12)
        self._propose(c, sent, context_start, "naming-cue")

    def _our_thing(self, sent: Words) -> None:
        """``Our approach, Warm-foo RL (WFRL), ...``: our own thing, then its name."""
        words = self.words
        if "our" not in words[sent.start: sent.end]:
            return
        for i in range(sent.start, sent.end - 3):
            if words[i] == "our" and (words[i + 1] in _OBJECT_HEADS or words[i + 2] in _OBJECT_HEADS):
                comma = i + 2 if words[i + 1] in _OBJECT_HEADS else i + 3
                if comma < sent.end and words[comma] == ",":
                    for c in self._appositive(comma + 1, sent.end):
                        self._propose(c, sent, i, "our-thing-named")

    def _passive(self, sent: Words) -> None:
        """``Foo-Adaptive Bar Shaping (FABS) is introduced``: present tense, so ours."""
        words = self.words
        for c in self._in(sent.start, sent.end):
            j = c.span.end + (3 if words[c.span.end: c.span.end + 1] == ["("] else 0) + (
                words[c.span.end: c.span.end + 1] == [")"])
            if words[j: j + 1] in (["is"], ["are"]):
                k = j + 1 + (words[j + 1] in ("further", "also", "then", "first"))
                if words[k: k + 1] and words[k] in _PASSIVE_PROPOSE and not c.known:
                    self._propose(c, sent, sent.start, "passive-proposal")
            tail = words[c.span.end: c.span.end + 4]
            if tail[:1] == [")"]:
                tail = words[c.span.end + 1: c.span.end + 5]
            if tail[1:3] in (["we", "proposed"], ["we", "propose"]) and tail[0] in _OBJECT_HEADS:
                self._propose(c, sent, sent.start, "name-we-proposed")

    def _appositive_subject(self, sent: Words) -> None:
        """``NAME, a novel ...`` / ``NAME is a new ...`` opening a sentence."""
        c = self.candidates.get(sent.start)
        if c is None or c.span.end + 3 > sent.end:
            return
        w = self.words[c.span.end: c.span.end + 3]
        if (w[:2] in (["is", "a"], ["is", "an"], [",", "a"], [",", "an"]) and w[2] in ("novel", "new")) or w[:3] == [
                ",", "our", "new"]:
            self._propose(c, sent, sent.start, "name-is-a-new")

    def _propose(self, c: Candidate, sent: Words, context_start: int, rule: str) -> None:
        if c.text in self.cues.not_entities or norm_key(c.text) == "":
            return
        key = self._find(c.text)
        if self.defined_at.get(key, sent.start) < sent.start:
            return  # spelled out before this sentence: somebody else's
        context = set(self.words[context_start: min(sent.end, c.span.end + 8)])
        if c.kind.startswith("dataset") or context & _PROPOSED_DATA_HEADS or key in self._dataset_keys:
            self._dataset_keys.add(key)
            self._emit("dataset", c, "introduced", rule + "+dataset-head", sent)
        else:
            self._emit("method", c, "proposed", rule, sent)
        self.proposal_keys.add(key)
        if c.long is not None:
            self._union(c.text, c.long.text)

    def _title_proposal(self) -> None:
        """``NAME: ...`` titles; a multi-word prefix counts when the abstract spells it out."""
        texts, title_end = self.texts, self.title_end
        if not title_end or self.survey:
            return
        colon = next((i for i in range(title_end) if texts[i] == ":"), None)
        if colon is None and title_end > 2 and is_name_shaped(texts[0]) and self.words[1] in (
                "for", "with", "as", "in"):
            colon = 1  # "FooVLAD for set-based face recognition"
        if colon is None or colon == 0 or colon > 6:
            return
        prefix = self.at(0, colon)
        sent = self.sentences[0]
        if len(prefix) == 1:
            word = prefix.text
            if is_name_shaped(word) or word in texts[title_end:]:
                c = self.candidates.get(0) or Candidate(prefix, "method")
                self._propose(c, sent, 0, "title-name")
            return
        letters = initials(texts[:colon])
        for c in self._in(title_end, self.n):
            if len(letters) >= 2 and c.text.replace("-", "") == letters:
                self._union(c.text, prefix.text)
                if self._find(c.text) not in self.proposal_keys:
                    self._propose(c, sent, 0, "title-initials")
                return
        if self._find(prefix.text) in self.proposal_keys:
            return
        keys = {self._find(c.text) for c in self._in(title_end, self.n)}
        if self._find(prefix.text) in keys and all(is_capitalised(t) for t in texts[:colon]):
            self._propose(Candidate(prefix, "method"), sent, 0, "title-long-form")

    def _datasets(self, sent: Words) -> None:
        words = self.words
        evaluating = bool(self.sentence_classes[sent.start] & EVAL_WORD)
        for c in self._in(sent.start, sent.end):
            if c.kind == "dataset" and self._find(c.text) not in self.proposal_keys:
                self._dataset(c.span, sent, "gazetteer" if c.known else "abbreviation+dataset-head")
            elif (c.span.end < self.n and words[c.span.end] in DATASET_HEADS and c.kind != "method") or (
                    c.kind == "dataset?" and self._near_dataset_head(c)):
                self._dataset(c.span, sent, "name+dataset-head")
        if self._is_title(sent):
            return  # every title word is capitalised: no lists, no "X dataset" runs
        after = sent.start
        for k in self._cues(sent, DATASET_LIST_CUE):
            if k >= after:
                n = self.cues.dataset_list.at(words, k)
                if n:
                    self._dataset_list(sent, k, k + n, evaluating)
                after = k + max(n, 1)
        # "the Visual Foo dataset", "two publicly available datasets, FOO-QA and BarQA"
        heads = self.dataset_heads
        for i in heads[bisect_left(heads, sent.start): bisect_left(heads, sent.end)]:
            if words[i + 1: i + 2] in ([","], [":"]):
                self._dataset_list(sent, i + 1, i + 2, evaluating)
            if i > sent.start:
                run = self._run_before(i, sent.start)
                if run is not None:
                    self._dataset(run, sent, "name+dataset-head")

    def _near_dataset_head(self, c: Candidate) -> bool:
        window = self.words[max(0, c.span.start - 3): c.span.end + 2]
        return bool(set(window) & DATASET_HEADS)

    def _run_before(self, head: int, floor: int) -> Words | None:
        texts = self.texts
        j = head
        while j - 1 >= floor and (self.capitalised[j - 1] or (like_num(texts[j - 1]) and j < head)) and not (
                self.sent_start[j - 1] and not is_name_shaped(texts[j - 1])):
            j -= 1
        while j < head and like_num(texts[j]):
            j += 1
        if j == head or head - j > 4:
            return None
        # "Smith Question Answering Dataset (SmQuAD)": a capitalised head is part of the name
        span = self.at(j, head + 1) if texts[head][:1].isupper() else self.at(j, head)
        c = self.candidates.get(j)
        if c is not None and c.kind == "method" and c.known:
            return None
        return span

    def _dataset_list(self, sent: Words, cue: int, start: int, evaluating: bool) -> None:
        """``experiments on FooQA, BarQSP, and Baz Pro``; ``datasets (FooRED, BCR, and QDA)``."""
        words, texts = self.words, self.texts
        head_before = bool(set(words[max(sent.start, cue - 3): cue]) & DATASET_HEADS)
        i = start
        while i < sent.end and words[i] in _LIST_LEAD:
            head_before = head_before or words[i] in DATASET_HEADS
            i += 1
        items: list[Words] = []
        while i < sent.end:
            j = i
            while j < sent.end and j - i < 4 and (self.capitalised[j] or is_name_shaped(texts[j]) or (
                    j > i and (like_num(texts[j]) or texts[j] == "-"))):
                j += 1
            if j == i:
                break
            items.append(self.at(i, j))
            i = j
            if i < sent.end and words[i] in _LIST_JOIN:
                i += 1
                if i < sent.end and words[i] in ("and", "or"):
                    i += 1
                continue
            break
        head_after = i < sent.end and words[i] in DATASET_HEADS
        if not items or not (head_before or head_after or (evaluating and len(items) >= 2)):
            return
        if i < sent.end and texts[i - 1] not in _LIST_JOIN and _is_other_head(words[i]):
            return  # "such as forward-KL and Jensen-Shannon divergences": names of something else
        for span in items:
            c = self.candidates.get(span.start)
            if c is not None and c.span.end == span.end and c.kind == "method" and (c.known or c.long is not None):
                continue
            if self._find(span.text) in self.proposal_keys or span.text in self.cues.not_entities:
                continue
            if len(span) == 1 and not is_name_shaped(span.text) and span.start == sent.start:
                continue
            self._dataset(span, sent, "dataset-list", after_head=head_before)

    def _dataset(self, span: Words, sent: Words, rule: str, after_head: bool = False) -> None:
        """Record a dataset the paper uses. ``after_head``: the text named it after "datasets"."""
        key = self._find(span.text)
        if key in self._dataset_keys or key in self.proposal_keys or span.text in self.cues.not_entities:
            return
        if self.defined_as.get(key, "dataset") != "dataset" and not after_head:
            return  # "Foo Question Answering (FQA)", "FQA datasets": the task, not a dataset
        self._dataset_keys.add(key)
        self._emit("dataset", span, "evaluated_on", rule, sent)

    def _lineage(self, sent: Words) -> None:
        if not self._is_ours(sent):
            return
        words = self.words
        after = sent.start
        for k in self._cues(sent, LINEAGE_CUE):
            if k < after:
                continue
            n = self.cues.builds_on.at(words, k)
            if n and not (words[k] == "based" and k > 0 and words[k - 1] in self.cues.eval_words):
                self._targets(sent, k + n, "builds_on", "builds-on-cue")
            m = 0 if n else self.cues.compared_with.at(words, k)
            if m and (words[k] != "against" or self._comparison_context(k)):
                self._targets(sent, k + m, "compared_with", "compared-with-cue")
            b = 0 if n or m else self.cues.builds_on_before.at(words, k)
            if b:
                for c in self._in(max(sent.start, k - 12), k):
                    self._lineage_target(c, sent, "builds_on", "special-case-cue")
            after = k + max(n, m, b, 1)
        for i in self.starts[bisect_left(self.starts, sent.start): bisect_left(self.starts, sent.end)]:
            stem, suffix = split_modifier(self.texts[i])
            styled = self.candidates[i]
            if suffix in LINEAGE_SUFFIXES and is_name_shaped(stem):
                self._lineage_target(styled, sent, "builds_on", f"{suffix}-suffix")

    def _comparison_context(self, k: int) -> bool:
        return bool(set(self.words[max(0, k - 6): k]) & {"superiority", "compare", "compared", "evaluate",
                                                          "benchmark", "outperforms", "advantage"})

    def _targets(self, sent: Words, start: int, role: str, rule: str) -> None:
        words = self.words
        end = start
        while end < sent.end and end < start + 25 and (words[end] not in _WINDOW_BREAK or (words[end] == "on" and
                                                         words[end - 1: end + 2] == ["top", "on", "of"])):
            if words[end] == "," and self._clause_after_comma(end + 1):
                break
            end += 1
        window = [c for c in self._in(start, end) if self._is_method_like(c)]
        first = start + (words[start: start + 1] == ["the"])
        texts = self.texts
        if (first + 1 < end and first not in self.candidates and self.capitalised[first]
                and not is_name_shaped(texts[first])
                and (not texts[first + 1].isalpha() or words[first + 1] in ("and", "or"))):
            window.insert(0, Candidate(self.at(first, first + 1), "method"))  # "compared to Foofusion"
        named = [c for c in window if not (c.known and c.text.islower())]
        for c in named or window:
            if c.span.end < self.n and words[c.span.end] in _GENERIC_PLURALS and c.text == c.span.text:
                continue  # "various KD baselines": a kind of method, not one
            self._lineage_target(c, sent, role, rule)

    def _clause_after_comma(self, i: int) -> bool:
        """After "Built on the FOO framework," a new clause starts; after "X, Y and Z" a list goes on."""
        c = self.candidates.get(i)
        if c is None:
            return self.words[i: i + 1] not in (["and"], ["or"], ["the"], ["as"])
        return self._find(c.text) in self.proposal_keys

    def _lineage_target(self, c: Candidate, sent: Words, role: str, rule: str) -> None:
        key = self._find(c.text)
        if key in self.proposal_keys or key in self._dataset_keys or c.kind == "other":
            return
        self._emit("method", c, role, rule, sent)

    def _mentions(self) -> None:
        roled = {self._find(i.text) for i in self.items_}
        for c in self._in(0, self.n):
            key = self._find(c.text)
            if key in roled or c.kind != "method" or self.defined_as.get(key, "method") != "method":
                continue
            roled.add(key)
            rule = "name" if not c.known else "gazetteer"
            self._emit("method", c, "mentioned", rule, self._sentence_of(c.span.start))

