"""What a name looks like: the shape tests that find method and dataset names in running text.

A *name* here is a coined word such as ``FooNet``, ``ZORB``, ``ZERT-INN``, ``ZAR4Rec`` or
``ZPT-4``: several capitals, or a capital and a digit. Plain capitalised words (``Fooformer``)
are names only where a gazetteer or a cue ("called X") says so.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TypeVar

from kg.extract.lexicon import common_words

# 8K, 400K, 1.3x, 7B; a range of sizes (7B-72B, 270M-72B); A100, V100
_UNIT = re.compile(r"^[\d.,\-–]+[A-Za-z]{0,2}(?:[\-–][\d.,]+[A-Za-z]{0,2})*$|^[A-Z]\d{2,4}$")
# a count or a size with its multiplier: not "2PC", which names two-phase commit
_QUANTITY = re.compile(r"^\d[\d.,\-–]*[kKMBGTx]?$")
_ROMAN = re.compile(r"^[IVXLC]+$")
# A number after a name is its score, not its version, when it has two decimals or more, or a whole
# part of three digits or more ("Zorb 35.49", "Zorb 2.71", "Zorb 128.4"): releases are numbered
# "Zorb 2.5", and in the real daily listings every capitalised word followed by a number with two
# decimals is a metric or a model with its score.
_SCORE = re.compile(r"^\d*\.\d{2,}$|^\d{3,}\.\d+$")
# A result written out, not a name: "ZFID=1.9", "ZIS{}=301.5", "3.1 ZFID"
_RESULT = re.compile(r"=\s*[\d.]|^\d*\.\d+\s")
# A date, which a capitalised run with its number looks like: "August 2025", "March 25", "Jan. 3, 2024"
_DATE = re.compile(r"^(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
                   r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,4}(?:st|nd|rd|th)?"
                   r"(?:,?\s+\d{4})?$")
_CAMEL = re.compile(r"^[a-z]+[A-Z][A-Za-z]*$|^[a-z]+\d[a-z]+$")  # fooText, foo2bar
# "FooNet-based", "ZViT-style", "BZvo-enhanced": a name used as a modifier; the name is the stem.
# Past participles of four letters or more before "-ed" are open-ended ("FooNet-initialized",
# "Zorb-distilled"); the bound keeps out "-embed", "-speed" and "-seed".
MODIFIER_SUFFIX = re.compile(
    r"^(?P<stem>.+?)-(?P<suffix>based|style|like|inspired|enhanced|sharing|guided|aware|driven|free|"
    r"specific|level|wise|friendly|powered|oriented|only|agnostic|independent|pretrained|trained|"
    r"tuned|generated|induced|related|centric|type|family|series|scale|sized|[a-z]{4,}(?<!e)ed)$")
# Suffixes after which the stem is something the new work follows: "AViT-style token retention".
LINEAGE_SUFFIXES = frozenset({"style", "like", "inspired"})
# A model written as a code in lower case: one letter and one digit, maybe a point release or a
# variant after a hyphen ("z3", "z1.5", "z3-mini", "q1-preview"). Not "v2", a version read with the
# name before it, nor "x2", a factor; two digits are mostly a rank, a percentile or a chip ("r64").
_MODEL_CODE = re.compile(r"^[a-uwyz]\d(?:\.\d)?(?:-[a-z]+)*$")
# A name in lower case with a number in it, its words joined by hyphens ("zorb-4o", "quanta-oss-20b",
# "plum-embed-v3"): models and benchmarks are written so too.
_LOWER_NAME = re.compile(r"^[a-z]{2,}[a-z0-9]*(?:-[a-z0-9]+(?:\.[0-9]+)?)+$")
_DIGIT = re.compile(r"\d")
# Prefixes that English joins to a number: "sub-1-bit", "mid-2024"
_PREFIXES = frozenset({"sub", "mid", "pre", "post", "non", "multi", "semi", "anti", "worst", "over", "under"})
_KEY = re.compile(r"[\W_]+")
# The shape tests below are pure functions of one word, asked about the same words over and over
# (norm_key over a hundred times a paper): each keeps its answers in a table of up to MAX_KEPT
# words, emptied when full. A compiled table lookup costs half of an lru_cache hit. (Not
# is_capitalised: it is asked once a word, for the table of words in ``kg.extract.lists``.)
MAX_KEPT = 1 << 17
_K = TypeVar("_K")
_T = TypeVar("_T")
_KEYS: dict[str, str] = {}
_NAME_SHAPED: dict[str, bool] = {}
_MODIFIERS: dict[str, tuple[str, str | None]] = {}


def kept(table: dict[_K, _T], key: _K, answer: _T, most: int = MAX_KEPT) -> _T:
    """``answer``, kept in ``table`` under ``key``; the table is emptied first when it holds
    ``most``, so that a million papers of coined names do not fill memory."""
    if len(table) >= most:
        table.clear()
    table[key] = answer
    return answer


def norm_key(text: str) -> str:
    """The identity of a surface form: case-folded, without spaces, hyphens or punctuation.

    ``Foo-10``, ``foo10`` and ``Foo 10`` share a key; so do ``ZERT-INN`` and ``Zert INN``.
    """
    key = _KEYS.get(text)
    return kept(_KEYS, text, _KEY.sub("", text).casefold()) if key is None else key


def is_name_shaped(word: str) -> bool:
    """Whether ``word`` looks like a coined method or dataset name (``FooNet``, ``ZPT-4``, ``f-ZPO``)."""
    shaped = _NAME_SHAPED.get(word)
    return kept(_NAME_SHAPED, word, _is_name_shaped(word)) if shaped is None else shaped


def _is_name_shaped(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2 or _UNIT.match(word) or _ROMAN.match(word):
        return False
    if not (word[0].isalnum() or word[0] in "σαβγλμ"):
        return False
    if "/" in word:  # the tokenizer splits "Foo-10/100": a slash left in a word is a link's
        return False
    if "%" in word:  # a score glued to what it measures ("Zorb-15%", "Quanta3.4%") names nothing
        return False
    uppers = sum(c.isupper() for c in word)
    if uppers >= 2 or _CAMEL.match(word):
        return True
    return uppers == 1 and any(c.isdigit() for c in word) and not word[0].isdigit()


def lower_case_name(word: str) -> str | None:
    """The model or benchmark ``word`` names in lower case, which no capital marks as a name: a
    code (``z3-mini``; ``z3`` in ``z3-like``) or hyphenated words with a number (``zorb-oss-20b``)
    whose first is no word of the field ("top-1", "stage-2" name nothing). None for any other word."""
    if word.isalpha() or not word[:1].islower():  # most words: the tests cheapest in C first
        return None
    stem = split_modifier(word)[0]
    if _MODEL_CODE.match(stem) is not None:
        return stem
    if _LOWER_NAME.match(stem) is None or _DIGIT.search(stem) is None:
        return None
    first = stem.split("-", 1)[0]
    return None if first in common_words() or first in stop_words() or first in _PREFIXES else stem


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, imported when first asked: kg's commands that extract nothing
    (a query, the browser view) do not load spaCy."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def is_lower_case_name(form: str) -> bool:
    """Whether ``form`` is a name written in lower case (``lower_case_name``)."""
    return lower_case_name(form) is not None


def is_quantity(text: str) -> bool:
    """A number, a range or a size: ``7B``, ``400K``, ``1.3x``, ``7-11B`` (model sizes, speed-ups)."""
    return _QUANTITY.match(text) is not None


def is_score(word: str) -> bool:
    """Whether ``word`` is a number written as a score is, not as a version (``_SCORE``)."""
    return _SCORE.match(word) is not None


def is_result(text: str) -> bool:
    """Whether ``text`` states a score or a date rather than naming something (``_RESULT``, ``_DATE``)."""
    # every form of every paper is asked: the regular expressions run only where they can match
    first = text[:1]
    if ("=" in text or first.isdigit() or first == ".") and _RESULT.search(text) is not None:
        return True
    return text[-1:].isdigit() and _DATE.match(text) is not None


def is_capitalised(word: str) -> bool:
    """A word written with a leading capital: ``Fooformer``, ``Visual``, ``Tiny-FooNet``; not a
    score glued to what it measures (``Zorb-15%``)."""
    return (word[:1].isupper() and any(c.islower() for c in word[1:]) and "%" not in word) or is_name_shaped(word)


def split_modifier(word: str) -> tuple[str, str | None]:
    """``FooNet-based`` -> (``FooNet``, ``based``); any other word -> (word, None)."""
    split = _MODIFIERS.get(word)
    return kept(_MODIFIERS, word, _split_modifier(word)) if split is None else split


def _split_modifier(word: str) -> tuple[str, str | None]:
    match = MODIFIER_SUFFIX.match(word)
    if match is None:
        return word, None
    return match["stem"], match["suffix"]


def initials(words: list[str]) -> str:
    """The capitals a long form abbreviates to: ``Foo Only Bar Once`` -> ``FOBO``."""
    return "".join(w[0] for w in words if w[:1].isupper())
