"""The names of one paper doc, as the rules read them: every method and dataset name found, with
its long form, its kind so far and the other names of its thing, and the plain lists the rules read
the tokens from. ``PaperNames`` is the first layer of ``kg.extract.paper.PaperAnalysis``."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.lex_attrs import like_num as _like_num
from spacy.tokens import Doc

from kg.extract.cues import (
    DATASET_HEAD,
    OURS_CUE,
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
from kg.extract.lists import codes_of, offsets_of, shapes_of, text_of, texts_of, words_of
from kg.extract.shapes import is_name_shaped, norm_key
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
COUNTED = frozenset({"times", "x", "%", "layers", "steps", "epochs", "points", "datasets", "tasks", "and", "or"})
PASSIVE_PROPOSE = frozenset({"proposed", "introduced", "presented", "developed", "designed", "devised"})
CLAUSE_BREAK = frozenset({".", ";", ":", "!", "?", "which", "that", "who", "whose", "where", "while", "whereas",
                           "but", "although", "though", "because", "since", "thus", "thereby", "hence", "so"})
REGION_BREAK = CLAUSE_BREAK | {"(", "to", "by", "for", "with", "in", "on", "based", "from", "using", "via", "of",
                                 "through", "under", "over", "as", "into", "and", "inspired", "built", "involving",
                                 "including", "containing", "leveraging", "exploiting", "utilizing", "combining",
                                 "consisting", "comprising", "covering", "featuring", "designed", "tailored"}
WINDOW_BREAK = CLAUSE_BREAK | {"in", "on", "by", "across", "for", "under", "at", "without", "when", "while", "with",
                                 "using", "terms", "within", "during", "after", "from", "to", "via", "which",
                                 "achieving", "reaching", "showing"}
SKIP_BEFORE_NAME = frozenset({"a", "an", "the", "novel", "new", "simple", "effective", "efficient", "first",
                               "two", "three", "our", "this", "both", "general", "generic", "unified",
                               "principled", "lightweight", "practical", "scalable", "powerful", "flexible"})
# "we propose the Foo-Top loss": a coined name followed by one of these is the thing proposed.
OBJECT_HEADS = frozenset({"framework", "model", "method", "approach", "algorithm", "architecture", "module",
                           "mechanism", "strategy", "technique", "objective", "loss", "estimator", "sampler",
                           "network", "system", "benchmark", "dataset", "corpus", "suite", "optimizer", "agent",
                           "library", "toolkit", "scheme", "paradigm", "pipeline", "test", "criterion", "layer",
                           "block", "unit", "cell", "operator", "classifier", "encoder", "decoder", "regularizer"})
# Heads that make a proposal a dataset; wider than DATASET_HEADS because the context is "we introduce".
PROPOSED_DATA_HEADS = DATASET_HEADS | {"test", "tests", "arena", "challenge", "leaderboard"}
GENERIC_PLURALS = frozenset({"baselines", "methods", "approaches", "techniques", "algorithms", "variants",
                              "counterparts", "strategies"})
LIST_LEAD = frozenset({"the", "both", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                        "several", "various", "multiple", "public", "benchmark", "benchmarks", "datasets", "dataset",
                        "real-world", "standard", "popular", "challenging", "widely-used", "widely", "used",
                        "well-known", "large-scale", "common", "commonly", "diverse", "different", "seminal",
                        "established", "classic", "representative", "including", "e.g.", ",", "like", "such", "as"})
LIST_JOIN = frozenset({",", "and", "or", "/", "&"})

# "Smith distance", "Smith-Jones formula": a proper name and one of these heads is a method.
PROPER_COMPOUND = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)+$")  # Smith-Jones
PROPER_METHOD_HEADS = frozenset({"formula", "distance", "divergence", "process", "filter", "test", "model",
                                  "algorithm", "sampling", "estimator", "inference", "network", "regression",
                                  "correction", "guidance", "machine", "transform", "kernel", "method", "prox"})


def is_other_head(word: str) -> bool:
    """A noun that says the names before it are not datasets: "divergences", "models", "tasks"."""
    return word not in DATASET_HEADS and (word in GENERIC_PLURALS or word.rstrip("s") in METHOD_HEADS
                                           or word.rstrip("s") in NON_METHOD_HEADS or word in NON_METHOD_HEADS)



class PaperNames:
    """A paper doc read into plain lists, and the names found in it (``candidates``)."""

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
        # where the title's first colon is ("Zorb: ..."): the rules, the candidates and the
        # features each read what stands before it
        self.title_colon: int | None = next((i for i in range(self.title_end) if self.texts[i] == ":"), None)
        starts: list[int] = extension_values(doc).get(SENTENCES) or []
        self.sentence_starts = starts
        ends = [*starts[1:], self.n] if starts else []  # an empty doc has no sentence
        self.sentences = [self.at(start, end) for start, end in zip(starts, ends, strict=True)]
        self.sent_start = [False] * self.n
        for start in starts:
            self.sent_start[start] = True
        self.stems, self.capitalised, self.keys = shapes_of(doc)
        self.codes = codes_of(doc)  # the models named in lower case, which only the candidates read
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
        self._dataset_keys: set[str] = set()  # the names the rules took for datasets
        self.survey = False  # the paper is a survey: it proposes nothing
        self._find_candidates()
        # Candidates are all found by now; the rules only read them, in text order.
        self.starts = sorted(self.candidates)


    def at(self, start: int, end: int) -> Words:
        """Tokens ``start`` to ``end`` (as ``doc[start:end]``, without making a ``Span``)."""
        return words_at(self.text, self.texts, self.offsets, start, end)

    def _sentence_of(self, i: int) -> Words:
        """The sentence token ``i`` is in."""
        return self.sentences[bisect_right(self.sentence_starts, i) - 1]

    def _find_candidates(self) -> None:
        doc = self.doc
        found: list[Known] = extension_values(doc).get(GAZETTEER) or []
        gazetteer = {(k.words.start, k.words.end) for k in found}
        for abbreviation in extension_values(doc).get(ABBREVIATIONS) or []:
            short, long = abbreviation.short, abbreviation.long
            if short.text in self.cues.not_names:
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
            if stem not in self.cues.not_names and not self._covered(i):
                self._add(Candidate(self.at(i, i + 1), "method", text=stem))
        self._capitalised_runs()
        for start, c in list(self.candidates.items()):
            end = c.span.end
            if c.long is None and end < self.n and self.texts[end].isdigit() and len(self.texts[end]) <= 2 and not (
                    end + 1 < self.n and self.words[end + 1] in COUNTED):
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
                    self._covered(i) and not PROPER_COMPOUND.match(text)):
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
            elif j == i and (not is_name_shaped(text) or PROPER_COMPOUND.match(text)) and (
                    j + 1 < len(texts)) and texts[j + 1].islower() and (
                    texts[j + 1].rstrip("s") in PROPER_METHOD_HEADS) and not self._covered(j + 1):
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

    def _long_from_region(self, start: int, end: int, paren: Candidate) -> Words | None:
        i = start
        while i < end and self.words[i] in SKIP_BEFORE_NAME:
            i += 1
        if i >= end or end - i > 10:
            return None
        long = self.at(i, end)
        if long.text[:1].casefold() != paren.span.text[:1].casefold():
            return None
        return long

    def _title_case_run(self, start: int, end: int) -> Words | None:
        i = start
        while i < end and self.words[i] in SKIP_BEFORE_NAME:
            i += 1
        j = i
        while j < end and (self.capitalised[j] or (self.words[j] in ("of", "for", "and") and j > i)):
            j += 1
        while j > i and self.words[j - 1] in ("of", "for", "and"):
            j -= 1
        if j - i >= 2 and (j >= end or self.texts[j] in (",", "(", ".")):
            return self.at(i, j)
        return None
