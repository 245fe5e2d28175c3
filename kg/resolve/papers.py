"""Papers: one per title, however many listings show it, its fields folded by commutative rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.extract.shapes import norm_key
from kg.resolve.keys import paper_key, source_id
from kg.turns import taking_turns


@dataclass(slots=True)
class Paper:
    """One paper, however many listings show it."""

    key: str
    title: str
    record: dict[str, Any]  # every occurrence folded into one
    sources: list[dict[str, Any]] = field(default_factory=list)  # each occurrence's source, its record under "record"
    source_ids: list[str] = field(default_factory=list)  # each occurrence's provenance entry (``source_id``)



def _least(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else min(a, b)


def _most(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else max(a, b)


def _longest(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else max(a, b, key=lambda x: (len(x), x))


def _both(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else bool(a) and bool(b)


def _either(a: Any, b: Any) -> Any:
    return bool(a) or bool(b)


# How two listings' values of a paper's field become the paper's: each rule is commutative and
# associative, so the paper is the same whichever listing comes first and however many batches or
# builds bring them (the loader folds what the store holds with the same rules): the earliest date,
# the fullest abstract (a page cut off mid-abstract gives the shorter), the highest count, code if
# any listing links it, a list of authors cut short only if every listing cuts it.
PAPER_FIELDS: dict[str, Callable[[Any, Any], Any]] = {
    "title": _least, "abstract": _longest, "date": _least, "month_day": _least, "category": _least,
    "author_count": _most, "authors_truncated": _both, "has_code": _either, "upvotes": _most, "layout": _least}


def merge_paper_fields(into: dict[str, Any], other: Mapping[str, Any]) -> None:
    """Fold ``other``'s values of the ``PAPER_FIELDS`` it has into ``into``."""
    for name, rule in PAPER_FIELDS.items():
        if name in other:
            into[name] = rule(into.get(name), other[name])


def _merge_paper(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Fold another occurrence of the same paper into ``into``, whichever of the two came first."""
    into["authors"] = _longest(into.get("authors") or [], other.get("authors") or [])
    merge_paper_fields(into, other)
    if other.get("organization") and (not into.get("organization")
                                      or other["organization"]["slug"] < into["organization"]["slug"]):
        into["organization"] = other["organization"]
    for name in ("affiliations", "urls"):
        into[name] = list(dict.fromkeys([*(into.get(name) or []), *(other.get(name) or [])]))
    for name in ("methods", "datasets"):
        seen = {(m["role"], norm_key(m["name"])) for m in into.get(name) or []}
        into[name] = [*(into.get(name) or []),
                      *(m for m in other.get(name) or [] if (m["role"], norm_key(m["name"])) not in seen)]


def resolve_papers(records: Iterable[dict[str, Any]]) -> dict[str, Paper]:
    """One ``Paper`` per title; every occurrence kept in ``sources``."""
    papers: dict[str, Paper] = {}
    for record in taking_turns(records):
        if record.get("type") != "paper":
            continue
        key = paper_key(record["title"])
        source = {**record["source"], "profile_owner": record.get("profile_owner"), "record": record}
        where = source_id(source["file"], source["line"])
        if key in papers:
            _merge_paper(papers[key].record, record)
            papers[key].title = papers[key].record["title"]
            papers[key].sources.append(source)
            papers[key].source_ids.append(where)
        else:
            papers[key] = Paper(key, record["title"], {**record}, [source], [where])
    return papers
