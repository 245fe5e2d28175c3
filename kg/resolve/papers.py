"""Papers: one per title, however many listings show it, its fields folded by commutative rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kg import records
from kg.extract.shapes import norm_key
from kg.resolve.keys import paper_key, source_id
from kg.turns import taking_turns


@dataclass(slots=True)
class ResolvedPaper:
    """One paper, however many listings show it."""

    key: str
    merged: records.Paper  # every occurrence folded into one (``merge_occurrence``)
    occurrences: list[records.Paper] = field(default_factory=list)  # as each listing shows it, in order
    source_ids: list[str] = field(default_factory=list)  # each occurrence's provenance entry (``source_id``)

    @property
    def title(self) -> str:
        return self.merged.title


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


def merge_occurrence(into: records.Paper, other: records.Paper) -> None:
    """Fold another occurrence of the same paper into ``into``, whichever of the two came first."""
    into.authors = _longest(into.authors, other.authors)
    for name, rule in PAPER_FIELDS.items():
        setattr(into, name, rule(getattr(into, name), getattr(other, name)))
    if other.organization and (not into.organization or other.organization.slug < into.organization.slug):
        into.organization = other.organization
    into.affiliations = list(dict.fromkeys([*into.affiliations, *other.affiliations]))
    into.urls = list(dict.fromkeys([*into.urls, *other.urls]))
    into.methods = _with_new_mentions(into.methods, other.methods)
    into.datasets = _with_new_mentions(into.datasets, other.datasets)


def _with_new_mentions(mentions: list[records.Mention], more: list[records.Mention]) -> list[records.Mention]:
    seen = {(m.role, norm_key(m.name)) for m in mentions}
    return [*mentions, *(m for m in more if (m.role, norm_key(m.name)) not in seen)]


def resolve_papers(papers: Iterable[records.Paper]) -> dict[str, ResolvedPaper]:
    """One ``ResolvedPaper`` per title, with every occurrence."""
    out: dict[str, ResolvedPaper] = {}
    for paper in taking_turns(papers):
        key = paper_key(paper.title)
        where = source_id(paper.source.file, paper.source.line)
        held = out.get(key)
        if held is None:
            out[key] = ResolvedPaper(key, replace(paper), [paper], [where])
        else:
            merge_occurrence(held.merged, paper)
            held.occurrences.append(paper)
            held.source_ids.append(where)
    return out
