"""What a name looks like: the shape tests that find method and dataset names in running text.

A *name* here is a coined word such as ``RetNet``, ``YOCO``, ``BERT-INN``, ``NAR4Rec`` or
``GPT-4``: several capitals, or a capital and a digit. Plain capitalised words (``Transformer``)
are names only where a gazetteer or a cue ("called X") says so.
"""

from __future__ import annotations

import re
from functools import lru_cache

_UNIT = re.compile(r"^[\d.,\-–]+[A-Za-z]{0,2}$|^[A-Z]\d{2,4}$")  # 8K, 400K, 1.3x, 7B; A100, V100
_ROMAN = re.compile(r"^[IVXLC]+$")
_CAMEL = re.compile(r"^[a-z]+[A-Z][A-Za-z]*$|^[a-z]+\d[a-z]+$")  # fastText, pix2pix, word2vec
# "LSTM-based", "AViT-style", "SEvo-enhanced": a name used as a modifier; the name is the stem.
MODIFIER_SUFFIX = re.compile(
    r"^(?P<stem>.+?)-(?P<suffix>based|style|like|inspired|enhanced|sharing|guided|aware|driven|free|"
    r"specific|level|wise|friendly|powered|oriented|only|agnostic|independent|pretrained|trained|"
    r"tuned|generated|induced|related|centric|type|family|series|scale|sized)$")
# Suffixes after which the stem is something the new work follows: "AViT-style token retention".
LINEAGE_SUFFIXES = frozenset({"style", "like", "inspired"})
_KEY = re.compile(r"[\W_]+")
# The shape tests below are pure functions of one word, asked about the same words over and over:
# each keeps its answers for the most recent 131,072 words.


@lru_cache(maxsize=1 << 17)
def norm_key(text: str) -> str:
    """The identity of a surface form: case-folded, without spaces, hyphens or punctuation.

    ``CIFAR-10``, ``cifar10`` and ``CIFAR 10`` share a key; so do ``BERT-INN`` and ``Bert INN``.
    """
    return _KEY.sub("", text).casefold()


@lru_cache(maxsize=1 << 17)
def is_name_shaped(word: str) -> bool:
    """Whether ``word`` looks like a coined method or dataset name (``RetNet``, ``GPT-4``, ``f-DPO``)."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2 or _UNIT.match(word) or _ROMAN.match(word):
        return False
    if not (word[0].isalnum() or word[0] in "σαβγλμ"):
        return False
    uppers = sum(c.isupper() for c in word)
    if uppers >= 2 or _CAMEL.match(word):
        return True
    return uppers == 1 and any(c.isdigit() for c in word) and not word[0].isdigit()


@lru_cache(maxsize=1 << 17)
def is_capitalised(word: str) -> bool:
    """A word written with a leading capital: ``Longformer``, ``Visual``, ``Tiny-ImageNet``."""
    return (word[:1].isupper() and any(c.islower() for c in word[1:])) or is_name_shaped(word)


@lru_cache(maxsize=1 << 17)
def split_modifier(word: str) -> tuple[str, str | None]:
    """``LSTM-based`` -> (``LSTM``, ``based``); any other word -> (word, None)."""
    match = MODIFIER_SUFFIX.match(word)
    if match is None:
        return word, None
    return match["stem"], match["suffix"]


def initials(words: list[str]) -> str:
    """The capitals a long form abbreviates to: ``You Only Cache Once`` -> ``YOCO``."""
    return "".join(w[0] for w in words if w[:1].isupper())
