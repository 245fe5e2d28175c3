"""The user's word on who is who: a thesaurus of merges and splits of authors.

kg never joins two people on a shared name alone and never splits one without evidence; where
it is wrong, the user says so in a text file, one statement a line::

    # the Wei Zhang of the survey is the one of FooNet
    same: wei zhang~131ad55f | wei zhang~0ba7d5a1
    # two people, though a co-author joins them
    different: Wei Zhang @ A Paper Title | Wei Zhang @ Another Paper Title

Each side is a person's key as kg shows it (``kg authors``, a query's ``author_person``), or a
name and the title of one of their papers (``Name @ Title``), which stays true when keys change
because a listing was added. Both sides name one name: ``same`` joins people of one name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.extract.shapes import norm_key

_KINDS = ("same", "different")


@dataclass(frozen=True, slots=True)
class Reference:
    """One side of a statement: a name (its key) and, to pick one of its people, the tag of a
    person key (``~0ba7d5a1``) or the key of one of their papers."""

    name: str
    tag: str | None = None
    paper: str | None = None


@dataclass(slots=True)
class Thesaurus:
    """The statements of a thesaurus file, by name key: (kind, left, right, where)."""

    statements: dict[str, list[tuple[str, Reference, Reference, str]]] = field(default_factory=dict)
    # where each statement is, once weighed: whether both of its sides named a paper at hand
    weighed: dict[str, bool] = field(default_factory=dict)

    def of(self, name: str) -> list[tuple[str, Reference, Reference, str]]:
        """The statements about people of the name key ``name``."""
        return self.statements.get(name, [])

    def note(self, where: str, matched: bool) -> None:
        """Record that the statement at ``where`` was weighed, and whether both sides matched."""
        self.weighed[where] = self.weighed.get(where, False) or matched

    def unmatched(self) -> list[str]:
        """The statements weighed whose sides never both named a paper: a key or title mistyped,
        or a paper no longer in the listings."""
        return sorted((where for where, matched in self.weighed.items() if not matched),
                      key=lambda w: (w.rpartition(":")[0], int(w.rpartition(":")[2])))

    def __len__(self) -> int:
        return sum(map(len, self.statements.values()))


def _reference(text: str, where: str) -> Reference:
    from kg.resolve.keys import name_key, paper_key

    text = text.strip()
    if "@" in text:
        name, title = (part.strip() for part in text.split("@", 1))
        if not name or not norm_key(title):
            raise InputError(f"{where}: expected 'Name @ Paper title', got {text!r}")
        return Reference(name_key(name), paper=paper_key(title))
    if "~" in text:
        name, tag = text.rsplit("~", 1)
        if not name.strip() or not tag.strip():
            raise InputError(f"{where}: expected a person key such as 'wei zhang~0ba7d5a1', got {text!r}")
        return Reference(name_key(name), tag=tag.strip())
    if not text:
        raise InputError(f"{where}: an empty side")
    return Reference(name_key(text))


def parse_thesaurus(text: str, origin: str) -> Thesaurus:
    """Parse a thesaurus (see the module docstring).

    Raises:
        InputError: a line is not a statement; the message names ``origin`` and the line.
    """
    thesaurus = Thesaurus()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{origin}:{number}"
        kind, colon, rest = line.partition(":")
        kind = kind.strip().lower()
        if not colon or kind not in _KINDS or rest.count("|") != 1:
            raise InputError(f"{where}: expected 'same: A | B' or 'different: A | B', got {line!r}")
        left, right = (_reference(side, where) for side in rest.split("|"))
        if left.name != right.name:
            raise InputError(f"{where}: both sides must name one name ({left.name!r} and {right.name!r})")
        thesaurus.statements.setdefault(left.name, []).append((kind, left, right, where))
    return thesaurus


def read_thesaurus(path: Path) -> Thesaurus:
    """Read a thesaurus file.

    Raises:
        InputError: the file cannot be read or has a line that is not a statement.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read the thesaurus: {e}") from e
    return parse_thesaurus(text, str(path))
