"""What the extraction components leave on a doc, and the light spans they pass to each other.

Each component keeps its result in a doc extension (``doc._.kg_sentences``, ``doc._.kg_items``...).
The components read and write them straight in ``doc.user_data``, under spaCy's own keys, and
name stretches of tokens as ``Words`` (first token, end, text) rather than spaCy ``Span``s: a
``Token`` or ``Span`` is made anew each time one is asked for, and the rules ask often.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from kg.extract.lists import offsets_of, text_of, texts_of

for _name, _default in (("kg_title_end", 0), ("kg_sentences", None), ("kg_gazetteer", None),
                        ("kg_abbreviations", None), ("kg_analysis", None), ("kg_items", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

# Where spaCy keeps a doc's value of each of those extensions: ``doc._.kg_items`` reads
# ``doc.user_data[ITEMS]``. The components set and read them there, since each ``doc._`` makes
# an object and asks the extension registry first (about 1 us; a doc took a dozen).
TITLE_END, SENTENCES, GAZETTEER, ABBREVIATIONS, ANALYSIS, ITEMS = (
    ("._.", name, None, None) for name in ("kg_title_end", "kg_sentences", "kg_gazetteer", "kg_abbreviations",
                                           "kg_analysis", "kg_items"))


def extension_values(doc: Doc) -> dict[Any, Any]:
    """``doc.user_data``, typed for the extension keys above (spaCy types it by strings)."""
    values: dict[Any, Any] = doc.user_data
    return values


@dataclass(slots=True)
class Words:
    """Tokens ``start`` to ``end`` (exclusive) of a doc, and their text: a light spaCy ``Span``."""

    start: int
    end: int
    text: str

    def __len__(self) -> int:
        return self.end - self.start


def words_at(text: str, texts: list[str], offsets: list[int], start: int, end: int) -> Words:
    """Tokens ``start`` to ``end`` of a doc (its text, token texts and offsets) as ``Words``, the
    text cut from the doc's text as ``doc[start:end].text`` would give it."""
    return Words(start, end, text[offsets[start]: offsets[end - 1] + len(texts[end - 1])])


def span_of(doc: Doc, start: int, end: int) -> Words:
    """Tokens ``start`` to ``end`` of ``doc`` as ``Words``."""
    return words_at(text_of(doc), texts_of(doc), offsets_of(doc), start, end)


@dataclass(slots=True)
class Known:
    """A gazetteer name found in a doc: its words, ``DATASET``, ``DATASET?`` (needs context) or
    ``METHOD``, and the usual name of what it names."""

    words: Words
    label: str
    name: str


@dataclass(slots=True)
class Abbreviation:
    """A short form and, where the text gives it, its long form: ``FooNet`` / ``Foo Network``."""

    short: Words
    long: Words | None


@dataclass(slots=True)
class Item:
    """One extracted method or dataset occurrence with the evidence for its role."""

    kind: str  # "method" | "dataset"
    text: str
    role: str
    rule: str
    sentence: str
    aliases: list[str] = field(default_factory=list)

