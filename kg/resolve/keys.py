"""Keys and names: a paper's key, a person's name key, provenance entries, organisations' display names."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import InputError
from kg.extract.shapes import norm_key

# Surnames so frequent that a shared full name says nothing by itself. Not exhaustive: a name
# outside it is merged on the name alone only with the low "rare name" confidence.
COMMON_SURNAMES = frozenset("""
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang xie song
tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding ren shen
yao jin fan fang shi zhong kim lee park choi jung kang cho yoon jang lim nguyen tran le pham singh kumar
sharma gupta patel shah smith johnson williams brown jones garcia miller davis rodriguez martinez wilson
anderson taylor thomas moore martin jackson white harris clark lewis robinson walker young allen king
wright scott hill green adams baker nelson carter mitchell roberts turner phillips campbell parker evans
edwards collins stewart sanchez morris rogers reed cook morgan bell murphy bailey cooper richardson cox
howard ward torres peterson gray ramirez james watson brooks kelly sanders price bennett wood barnes ross
henderson coleman jenkins perry powell long patterson hughes flores washington butler simmons foster
gonzalez bryant alexander russell griffin diaz hayes muller mueller schmidt schneider fischer weber meyer
wagner becker hoffmann tanaka suzuki takahashi watanabe ito yamamoto nakamura kobayashi sato
""".split())

def source_id(file: str, line: int) -> str:
    """A provenance entry: the listing file and the line the fact was read from."""
    return f"{file}:{line}"


def paper_key(title: str) -> str:
    """A stable id for a paper: a hash of its title with case, spacing and punctuation removed."""
    return "p-" + hashlib.sha1(norm_key(title).encode()).hexdigest()[:16]


@lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """A person's name key: accents, case, dots and hyphens folded (``Łukasz Kaiser`` -> ``lukasz kaiser``)."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", plain).casefold().split())


@lru_cache(maxsize=1 << 16)
def is_common_name(name: str) -> bool:
    """Whether a shared full name is weak evidence: a very common surname (either order) or a short name."""
    parts = name_key(name).split()
    return len(parts) < 2 or parts[-1] in COMMON_SURNAMES or parts[0] in COMMON_SURNAMES


# -- organisations ------------------------------------------------------------------------------


def load_organizations(extra: Sequence[Path] = ()) -> dict[str, str]:
    """The shipped slug -> name table, extended by the user's TSV files.

    Raises:
        InputError: a file cannot be read or a line is not ``slug<TAB>name``.
    """
    sources = [("kg/data/organizations.tsv",
                resources.files("kg.data").joinpath("organizations.tsv").read_text("utf-8"))]
    for path in extra:
        try:
            sources.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{path}: cannot read organisations: {e}") from e
    table: dict[str, str] = {}
    for origin, text in sources:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            slug, sep, name = line.partition("\t")
            if not sep or not slug.strip() or not name.strip():
                raise InputError(f"{origin}:{number}: expected 'slug<TAB>name', got {line!r}")
            table[slug.strip().casefold()] = name.strip()
    return table


def organization_name(slug: str, table: dict[str, str]) -> str:
    """The display name of a slug; an unknown slug is shown as words (``sii-research`` -> ``Sii Research``)."""
    return table.get(slug.casefold()) or " ".join(w.capitalize() for w in re.split(r"[-_]+", slug) if w)
