"""Author lines: names, "et al.", affiliation slugs, and titles glued to their authors.

A compact profile page writes the title and the authors on one line with nothing between them
(``...Language ModelsYutao Sun, Li Dong et al. · tsinghua``). The boundary is found from the
shape of names alone, never from a list of known people:

* a glue point is an upper-case letter that starts a capitalised word and follows a character
  that is not a space (``sY`` in ``ModelsYutao``, ``AW`` in ``CQAWei``, ``?Z``, ``4Z``);
* the remainder from that point must read as a list of names;
* the leftmost such point wins: any glue point left of the true one leaves a token such as
  ``ModelsYutao`` in the remainder, and that is not a name, so the only other candidates lie
  inside the first author's own name (``DeWitt``), to the right of the right answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

PARTICLES = frozenset(
    "van von der den de del della di da dos das du le la ten ter bin ibn al el zu af av y".split()
)
SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})
# Capitalised prefixes after which a second capital is normal inside a surname.
_INNER_CAPITAL_PREFIXES = ("Mc", "Mac", "Fitz", "De", "Di", "Da", "Du", "Le", "La", "Van", "Von", "St")
_NAME_PART_SPLIT = re.compile(r"[-'’]")
_FIRST_AUTHOR_END = re.compile(r",|\bet\.? al\b| · ")
_SLUG = re.compile(r"[\w][\w.\-&]{0,79}")
_ET_AL = re.compile(r"\s*,?\s*\bet\.?\s+al\.?\s*$")
_AFFILIATION_SPLIT = " · "
_QUOTING = re.compile(r'["“”\\]')
MAX_NAME_TOKENS = 6
# An undecodable byte, already reported by the decoder; it must not also cost the paper.
_REPLACED = "\ufffd"
MAX_SHOWN_AUTHORS = 64
# An authors line is short; the glue point is searched only this far from the end of a line,
# which keeps the split linear on hostile 100,000-character lines.
MAX_AUTHOR_LINE = 2000


@dataclass(slots=True)
class AuthorLine:
    """What an authors line states."""

    authors: list[str]
    truncated: bool
    affiliations: list[str] = field(default_factory=list)


def _is_word_part(part: str) -> bool:
    """A piece of a name between hyphens or apostrophes: ``Zhi``, ``hua``, ``Brien``, ``Łukasz``."""
    if not part or not all(c.isalpha() or c == _REPLACED for c in part):
        return False
    if not part[0].isupper():
        return part.islower() or not any(c.isupper() or c.islower() for c in part)  # caseless script
    rest = part[1:]
    if rest.islower() or not rest:
        return True
    # McDonald, DeWitt, MacKay: one inner capital right after a known prefix.
    for prefix in _INNER_CAPITAL_PREFIXES:
        if part.startswith(prefix) and len(part) > len(prefix) + 1:
            tail = part[len(prefix):]
            return tail[0].isupper() and (tail[1:].islower())
    return False


@lru_cache(maxsize=1 << 16)  # the same given names and surnames come back on every page
def is_name_token(token: str) -> bool:
    """True for one word of a person's name.

    Accepts capitalised words with hyphens and apostrophes (``Jean-Pierre``, ``O'Brien``),
    initials (``D``, ``SM``, ``J.``, ``J.-P.``), particles (``van``, ``de``), suffixes (``Jr.``)
    and words of scripts without case.
    """
    if token in PARTICLES or token in SUFFIXES:
        return True
    bare = token.replace(".", "").replace("-", "")
    if bare and len(bare) <= 3 and bare.isalpha() and bare.isupper():
        return True  # initials
    if token.endswith(".") and len(token) > 2:
        return False
    parts = _NAME_PART_SPLIT.split(token)
    if not parts[0] or not parts[0][0].isalpha():
        return False
    if not parts[0][0].isupper() and not all(not (c.isupper() or c.islower()) for c in parts[0]):
        return False
    return all(_is_word_part(p) for p in parts)


def is_name(text: str, min_tokens: int = 1) -> bool:
    """True when ``text`` reads as one person's name of ``min_tokens`` to six words."""
    tokens = text.split()
    if not min_tokens <= len(tokens) <= MAX_NAME_TOKENS:
        return False
    if not all(is_name_token(t) for t in tokens):
        return False
    # At least one word must carry the name (not only particles, initials and suffixes).
    return any(len(t.strip(".")) > 1 and t not in PARTICLES and t not in SUFFIXES for t in tokens)


def parse_author_line(text: str) -> AuthorLine | None:
    """Read ``A, B, C et al. · org-slug, org-slug``; None when it is not an authors line."""
    text = text.strip()
    affiliations: list[str] = []
    if _AFFILIATION_SPLIT in text:
        text, _, orgs = text.rpartition(_AFFILIATION_SPLIT)
        affiliations = [o.strip() for o in orgs.split(",") if o.strip()]
        if not affiliations or not all(_is_slug(o) for o in affiliations):
            return None
    truncated = False
    # the test on the end first: searching a paragraph for "et al." at its end took 36 us
    m = _ET_AL.search(text) if text.rstrip().endswith(("al", "al.")) else None
    if m:
        truncated, text = True, text[: m.start()]
    # a nickname in quotes ("Bob" Foo) or an escaped space (Bob\ Foo), as exports write them
    names = [_QUOTING.sub("", n).strip() for n in text.split(",")] if _QUOTING.search(text) else \
        [n.strip() for n in text.split(",")]
    if not names or len(names) > MAX_SHOWN_AUTHORS or not all(is_name(n) for n in names):
        return None
    return AuthorLine(names, truncated, affiliations)


def _is_slug(text: str) -> bool:
    return bool(_SLUG.fullmatch(text))


def split_title_authors(text: str) -> tuple[str, AuthorLine] | None:
    """Split a compact-layout line into its title and its authors line.

    Returns:
        ``(title, authors)``, or None when no split leaves a title and a valid authors line.
    """
    text = text.strip()
    start = max(1, len(text) - MAX_AUTHOR_LINE)
    for i in range(start, len(text) - 1):
        if not (text[i].isupper() and text[i + 1].islower()) or text[i - 1].isspace():
            continue
        first = _FIRST_AUTHOR_END.split(text[i:], maxsplit=1)[0]
        if not is_name(first, min_tokens=2):
            continue  # cheap test before reading the whole remainder
        title, authors = text[:i].rstrip(), parse_author_line(text[i:])
        if title and authors:
            return title, authors
    # Not glued after all: a space between title and authors. The longest title that works wins,
    # so a title's own capitalised last words are not taken for a name.
    for i in range(len(text) - 1, start - 1, -1):
        if text[i] != " ":
            continue
        title, authors = text[:i].strip(), parse_author_line(text[i + 1:])
        if title and not title.endswith(",") and authors and is_name(authors.authors[0], min_tokens=2):
            return title, authors
    return None
