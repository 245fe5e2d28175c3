"""The spaCy components of the extraction pipeline, registered as factories.

Each paper is one ``Doc``: its title, a blank line, its abstract. The pipeline is
``kg_sentences -> kg_gazetteer -> kg_abbreviations -> kg_lineage``:

* ``kg_sentences`` makes the title sentence one and splits the abstract where spaCy's
  ``Sentencizer`` would (``doc._.kg_sentences``, and the doc's own sentence starts);
* ``kg_gazetteer`` marks known datasets and methods (``doc._.kg_gazetteer``);
* ``kg_abbreviations`` pairs short and long forms (``doc._.kg_abbreviations``);
* ``kg_lineage`` finds every method and dataset name, decides what the paper does with each
  (proposes, builds on, compares with, mentions; introduces, evaluates on) from the cue words of
  ``kg/data/cues.json``, and leaves the result in ``doc._.kg_items``, each item with the rule
  and the sentence that produced it. Its rules are ``kg.extract.paper``.

The components read the doc as plain lists (``kg.extract.lists``) and pass names to each other
as ``Words`` (``kg.extract.doc``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import SENT_START
from spacy.lang.lex_attrs import is_punct as _is_punct
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from kg.extract.abbreviations import best_long_form, is_short_form
from kg.extract.cues import Cues
from kg.extract.doc import (
    ABBREVIATIONS,
    ANALYSIS,
    GAZETTEER,
    ITEMS,
    SENTENCES,
    TITLE_END,
    Abbreviation,
    Known,
    Words,
    extension_values,
    span_of,
)
from kg.extract.lexicon import Entry, Lexicon, load_lexicon, spelling_variants
from kg.extract.lists import MAX_WORDS, texts_of, words_of
from kg.extract.paper import PaperAnalysis
from kg.extract.shapes import is_name_shaped


@cache
def _lexicon(datasets: tuple[str, ...], methods: tuple[str, ...]) -> Lexicon:
    return load_lexicon([Path(p) for p in datasets], [Path(p) for p in methods])


is_punct = lru_cache(maxsize=1 << 14)(_is_punct)  # spaCy's own: every character a punctuation mark


# ---------------------------------------------------------------------------------------------
# kg_sentences


@Language.factory("kg_sentences")
def make_sentences(nlp: Language, name: str) -> Sentences:
    return Sentences()


class Sentences:
    """The title is sentence one (it ends at the first line break); the abstract splits after
    sentence-final punctuation exactly as spaCy's ``Sentencizer`` splits it. The sentence starts
    go to ``doc._.kg_sentences`` and to the doc itself (``doc.sents``)."""

    def __init__(self) -> None:
        self.punct_chars = frozenset(Sentencizer.default_punct_chars)

    def __call__(self, doc: Doc) -> Doc:
        texts = texts_of(doc)
        n = len(texts)
        title_end = next((i for i, text in enumerate(texts) if "\n" in text), n)
        starts = [0] if n else []
        seen_period = False
        for i in range(n):
            ends = texts[i] in self.punct_chars
            if seen_period and not ends and not is_punct(texts[i]):  # asked only after a sentence end
                starts.append(i)
                seen_period = False
            elif ends:
                seen_period = True
        if title_end + 1 < n and title_end + 1 not in starts:
            starts.insert(bisect_left(starts, title_end + 1), title_end + 1)
        extension_values(doc)[TITLE_END] = title_end
        extension_values(doc)[SENTENCES] = starts
        flags: Any = numpy.full((n, 1), -1, dtype="int32")
        flags[starts] = 1
        doc.from_array([SENT_START], flags.astype("uint64"))
        return doc


# ---------------------------------------------------------------------------------------------
# kg_gazetteer


@Language.factory("kg_gazetteer", default_config={"datasets": [], "methods": []})
def make_gazetteer(nlp: Language, name: str, datasets: list[str], methods: list[str]) -> Gazetteer:
    return Gazetteer(nlp, _lexicon(tuple(datasets), tuple(methods)))


_NO_PHRASES: list[tuple[list[str], str, bool]] = []  # what most words start (never changed)


class Gazetteer:
    """Mark known datasets (label ``DATASET``, or ``DATASET?`` when the name is also a common word)
    and known methods (``METHOD``) in ``doc._.kg_gazetteer``, longest first where they overlap.

    A name is a phrase of tokens (as the tokenizer splits it), matched with its case or, for a name
    written in lower case ("sequential foo sampling"), in any case. Every phrase is filed under its
    first word in lower case, and that word's entry also says which model family the word is a
    member of (``Zeta-3-8B``): a doc is read in one pass, one table lookup a token. (Two spaCy
    ``PhraseMatcher``s, by text and by lower case, and the family lookup took twice as long.)"""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        # (tokens, key, case-blind) of every phrase, by its first word in lower case; a phrase
        # filed twice under one key (Foo-10, Foo 10 ...) once
        self.phrases: dict[str, list[tuple[list[str], str, bool]]] = {}
        self.families: dict[str, list[tuple[str, str]]] = {}  # by their first two letters
        self.names: dict[str, tuple[str, str]] = {}
        # what the gazetteer knows of each word met (lower case): the phrases it starts and its
        # family key ("" for none); a table, started again when full
        self.words: dict[str, tuple[list[tuple[list[str], str, bool]], str]] = {}
        for label, entries in (("DATASET", lexicon.datasets), ("METHOD", lexicon.methods)):
            for entry in entries:
                self._add(nlp, label, entry)

    def _add(self, nlp: Language, label: str, entry: Entry) -> None:
        label = label + "?" if entry.needs_context else label
        key = f"{len(self.names)}"
        self.names[key] = (label, entry.name)
        for form in entry.forms:
            for variant in sorted(spelling_variants(form)):
                # "sequential foo sampling" also matches "Sequential foo sampling" opening a sentence
                blind = variant[:1].islower()
                tokens = [t.lower_ if blind else t.text for t in nlp.make_doc(variant)]
                if not tokens:
                    continue
                filed = self.phrases.setdefault(tokens[0].lower(), [])
                if (tokens, key, blind) not in filed:
                    filed.append((tokens, key, blind))
            if entry.family:
                self.families.setdefault(form.casefold()[:2], []).append((form.casefold(), key))

    def __call__(self, doc: Doc) -> Doc:
        words, texts = words_of(doc), texts_of(doc)
        n = len(words)
        known = self.words
        if len(known) > MAX_WORDS:
            known.clear()
        exact: list[Known] = []
        blind: list[Known] = []
        members: list[Known] = []
        for i in range(n):
            low = words[i]
            word = known.get(low)
            if word is None:
                word = known[low] = (self.phrases.get(low, _NO_PHRASES), self._family(low))
            phrases, family = word
            for tokens, key, case_blind in phrases:
                end = i + len(tokens)
                if end <= n and (words if case_blind else texts)[i:end] == tokens:
                    label, canonical = self.names[key]
                    (blind if case_blind else exact).append(Known(span_of(doc, i, end), label, canonical))
            if family:  # Zeta-3-8B is a member of the Zeta family, not Zeta: its own usual name
                members.append(Known(Words(i, i + 1, texts[i]), self.names[family][0], texts[i]))
        extension_values(doc)[GAZETTEER] = _longest_first([*exact, *blind, *members])
        return doc

    def _family(self, word: str) -> str:
        """The key of the model family ``word`` (lower-case) is a member of, or ""."""
        for prefix, key in self.families.get(word[:2], ()):
            if word.startswith(prefix) and len(word) > len(prefix) and _family_rest(word[len(prefix):]):
                return key
        return ""


_FAMILY_REST = re.compile(r"^[-_.]?(?:v?\d|[a-z]*\d|base|large|small|tiny|mini|xl|xxl|chat|instruct|turbo|"
                          r"[a-z]{0,2}-\d|\d)[\w.\-]*$")


def _family_rest(rest: str) -> bool:
    """What may follow a model family's name: a version or size (``-3-8B``, ``2.5-VL``, ``-base``)."""
    return bool(_FAMILY_REST.match(rest))


def _longest_first(found: Iterable[Known]) -> list[Known]:
    taken: set[int] = set()
    kept = []
    for known in sorted(found, key=lambda k: (-len(k.words), k.words.start)):
        span = range(known.words.start, known.words.end)
        if taken.isdisjoint(span):
            kept.append(known)
            taken.update(span)
    return sorted(kept, key=lambda k: k.words.start)


# ---------------------------------------------------------------------------------------------
# kg_abbreviations


@Language.factory("kg_abbreviations")
def make_abbreviations(nlp: Language, name: str) -> Abbreviations:
    return Abbreviations()


_STOP_LONG = frozenset({",", ";", ":", "(", ")", ".", "we", "is", "are", "was", "the", "a", "an", "propose",
                        "proposes", "present", "introduce", "called", "named", "termed", "namely"})


class Abbreviations:
    """Pair each parenthesised short form with its long form, in both orders, and "X for short"."""

    def __call__(self, doc: Doc) -> Doc:
        texts, lower = texts_of(doc), words_of(doc)
        found: list[Abbreviation] = []
        for open_ in (i for i, text in enumerate(texts) if text == "("):
            close = next((k for k in range(open_ + 1, min(open_ + 8, len(texts))) if texts[k] == ")"), None)
            if close is None:
                continue
            end = close - 2 if close - open_ > 3 and lower[close - 2: close] == ["for", "short"] else close
            inside = span_of(doc, open_ + 1, end) if end > open_ + 1 else None
            pair = self._short_in_parens(doc, open_, inside) or self._long_in_parens(doc, open_, inside)
            if pair is not None:
                found.append(pair)
        extension_values(doc)[ABBREVIATIONS] = found
        return doc

    @staticmethod
    def _short_in_parens(doc: Doc, open_: int, inside: Words | None) -> Abbreviation | None:
        if inside is None or not is_short_form(inside.text):
            return None
        texts, lower = texts_of(doc), words_of(doc)
        starts: list[int] = extension_values(doc).get(SENTENCES) or [0]
        sentence_start = starts[bisect_right(starts, open_) - 1]
        first = open_
        while first > max(sentence_start, open_ - 14) and lower[first - 1] not in _STOP_LONG and not (
                texts[first - 1].isspace()):
            first -= 1
        n = best_long_form(inside.text, texts[first:open_]) if first < open_ else None
        long = span_of(doc, open_ - n, open_) if n else None
        return Abbreviation(inside, long)

    @staticmethod
    def _long_in_parens(doc: Doc, open_: int, inside: Words | None) -> Abbreviation | None:
        if open_ == 0 or inside is None or len(inside) < 2:
            return None
        short = texts_of(doc)[open_ - 1]
        if not is_short_form(short) or not is_name_shaped(short):
            return None
        if best_long_form(short, texts_of(doc)[inside.start: inside.end]) != len(inside):
            return None
        return Abbreviation(Words(open_ - 1, open_, short), inside)


# ---------------------------------------------------------------------------------------------
# kg_lineage


@Language.factory("kg_lineage")
def make_lineage(nlp: Language, name: str) -> RuleReading:
    return RuleReading()


class RuleReading:
    """Find names, then decide each one's role from the cue words around it (``kg.extract.paper``)."""

    def __init__(self) -> None:
        self.cues = Cues()

    def __call__(self, doc: Doc) -> Doc:
        analysis = PaperAnalysis(self.cues, doc)
        values = extension_values(doc)
        values[ITEMS] = analysis.items()
        values[ANALYSIS] = analysis  # the evidence kg_roles reads, taken off the doc by it
        return doc
