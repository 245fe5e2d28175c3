"""A doc's tokens as plain lists, made once per doc and kept in its ``user_data``.

The components read tokens by index over and over; a spaCy ``Token`` is made anew each time one
is asked for, and a plain list is read without making anything.
"""

from __future__ import annotations

from spacy.attrs import IDX, ORTH
from spacy.tokens import Doc


def text_of(doc: Doc) -> str:
    """The text of ``doc``, as given to the tokenizer when it was ours."""
    text: str | None = doc.user_data.get("kg_text")
    return doc.text if text is None else text


# Token texts by spaCy id, and their lower-case forms: reading a dict is quicker than asking
# spaCy, and every doc with the word "model" then shares one "model" string. Each table starts
# again when it holds MAX_WORDS words, so that a million papers of coined names do not fill memory.
_TEXTS: dict[int, str] = {}
_LOWER: dict[str, str] = {}
MAX_WORDS = 1 << 18


def texts_of(doc: Doc) -> list[str]:
    """The text of every token of ``doc``."""
    texts: list[str] | None = doc.user_data.get("kg_texts")
    if texts is None:
        if len(_TEXTS) > MAX_WORDS:
            _TEXTS.clear()
        texts = []
        strings = doc.vocab.strings
        for orth in doc.to_array(ORTH).tolist():
            text = _TEXTS.get(orth)
            if text is None:
                text = _TEXTS[orth] = strings[orth]
            texts.append(text)
        doc.user_data["kg_texts"] = texts
    return texts


def offsets_of(doc: Doc) -> list[int]:
    """The character offset of every token of ``doc`` in its text."""
    offsets: list[int] | None = doc.user_data.get("kg_offsets")
    if offsets is None:
        offsets = doc.user_data["kg_offsets"] = doc.to_array(IDX).tolist()
    return offsets


def words_of(doc: Doc) -> list[str]:
    """The lower-case text of every token of ``doc``."""
    words: list[str] | None = doc.user_data.get("kg_words")
    if words is None:
        if len(_LOWER) > MAX_WORDS:
            _LOWER.clear()
        words = []
        for text in texts_of(doc):
            word = _LOWER.get(text)
            if word is None:
                word = _LOWER[text] = text.lower()
            words.append(word)
        doc.user_data["kg_words"] = words
    return words
