"""A doc's tokens as plain lists, made once per doc and kept in its ``user_data``.

The components read tokens by index over and over; a spaCy ``Token`` is made anew each time one
is asked for, and a plain list is read without making anything.
"""

from __future__ import annotations

from spacy.attrs import IDX, ORTH
from spacy.tokens import Doc

from kg.extract.shapes import is_capitalised, is_name_shaped, lower_case_name, norm_key, split_modifier


def text_of(doc: Doc) -> str:
    """The text of ``doc``, as given to the tokenizer when it was ours."""
    text: str | None = doc.user_data.get("kg_text")
    return doc.text if text is None else text


def name_stem(text: str) -> str | None:
    """The name in a token ("FooNet" in "FooNet-based"), if it is shaped like one."""
    stem, _suffix = split_modifier(text)
    return stem if is_name_shaped(stem) else None


class Word:
    """What the components ask of a word: its text, lower-case text, name stem (``name_stem``), the
    name it gives in lower case (``lower_case_name``), whether it is capitalised, and its name key
    (``norm_key``). A class, not a tuple: compiled, its fields are read straight from the object
    (a tuple taken from a dict is unpacked first), which made reading a doc twice as fast."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.stem = name_stem(text)
        self.code = lower_case_name(text)
        self.capitalised = is_capitalised(text)
        self.key = norm_key(text)


# Every word met, by its spaCy id. One table read once per token is quicker than a table for each
# question, and every doc with the word "model" then shares one "model" string. It starts again
# when it holds MAX_WORDS words, so that a million papers of coined names do not fill memory.
_WORDS: dict[int, Word] = {}
MAX_WORDS = 1 << 18


def _new_word(orth: int, doc: Doc) -> Word:
    word = _WORDS[orth] = Word(doc.vocab.strings[orth])
    return word


def _read(doc: Doc) -> list[str]:
    """Fill the token lists of ``doc`` (see the accessors below); its texts."""
    if len(_WORDS) > MAX_WORDS:
        _WORDS.clear()
    orths: list[int] = doc.to_array(ORTH).tolist()
    words = [_WORDS.get(orth) or _new_word(orth, doc) for orth in orths]
    texts = [w.text for w in words]
    user_data = doc.user_data
    user_data["kg_texts"], user_data["kg_words"] = texts, [w.lower for w in words]
    user_data["kg_stems"] = [w.stem for w in words]
    user_data["kg_codes"] = [w.code for w in words]
    user_data["kg_capitalised"] = [w.capitalised for w in words]
    user_data["kg_keys"] = [w.key for w in words]
    return texts


def texts_of(doc: Doc) -> list[str]:
    """The text of every token of ``doc``."""
    texts: list[str] | None = doc.user_data.get("kg_texts")
    return _read(doc) if texts is None else texts


def words_of(doc: Doc) -> list[str]:
    """The lower-case text of every token of ``doc``."""
    texts_of(doc)
    words: list[str] = doc.user_data["kg_words"]
    return words


def shapes_of(doc: Doc) -> tuple[list[str | None], list[bool], list[str]]:
    """The name stem (``name_stem``), ``is_capitalised`` and ``norm_key`` of every token of ``doc``."""
    texts_of(doc)
    user_data = doc.user_data
    return user_data["kg_stems"], user_data["kg_capitalised"], user_data["kg_keys"]


def codes_of(doc: Doc) -> list[str | None]:
    """The name every token of ``doc`` gives in lower case (``lower_case_name``), if it gives one."""
    texts_of(doc)
    codes: list[str | None] = doc.user_data["kg_codes"]
    return codes


def offsets_of(doc: Doc) -> list[int]:
    """The character offset of every token of ``doc`` in its text."""
    offsets: list[int] | None = doc.user_data.get("kg_offsets")
    if offsets is None:
        offsets = doc.user_data["kg_offsets"] = doc.to_array(IDX).tolist()
    return offsets
