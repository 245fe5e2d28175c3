"""The typed records that flow between stages: parse -> extract -> build.

A listing file yields at most one ``Listing`` (profile pages only), one ``Paper`` per paper
occurrence, and ``Problem`` entries for whatever could not be read. ``to_json`` gives the
JSON-lines form documented in ``schemas/records.schema.json``, and ``from_json`` reads it back:
dicts are only the records' form on disk and between processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Layout = Literal["profile", "profile-compact", "daily"]
MethodRole = Literal["proposed", "builds_on", "compared_with", "mentioned"]
DatasetRole = Literal["introduced", "evaluated_on"]


@dataclass(slots=True)
class Source:
    """Where a record came from: the listing file, the paper's position on it, its first line."""

    file: str
    index: int
    line: int


@dataclass(slots=True)
class Organization:
    """A submitting organisation as a daily-papers page shows it (``facebook`` / ``AI at Meta``)."""

    slug: str
    name: str


@dataclass(slots=True)
class Mention:
    """A method or dataset named in a paper, with its other surface forms and its role."""

    name: str
    role: str
    aliases: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "aliases": list(self.aliases)}

    @staticmethod
    def from_json(m: Mapping[str, Any]) -> Mention:
        return Mention(m["name"], m["role"], list(m.get("aliases") or ()))


@dataclass(slots=True)
class Paper:
    """One occurrence of a paper on one listing page."""

    source: Source
    title: str
    abstract: str
    layout: Layout
    authors: list[str] = field(default_factory=list)
    authors_truncated: bool = False
    author_count: int | None = None
    affiliations: list[str] = field(default_factory=list)
    organization: Organization | None = None
    category: str | None = None
    date: str | None = None
    month_day: str | None = None
    has_code: bool = False
    upvotes: int = 0
    urls: list[str] = field(default_factory=list)
    profile_owner: str | None = None
    methods: list[Mention] = field(default_factory=list)
    datasets: list[Mention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        # written out: ``dataclasses.asdict`` deep-copies every value, and kg build calls this for
        # every paper it reads (a test checks the two agree, key order included)
        s, o = self.source, self.organization
        return {"type": "paper", "source": {"file": s.file, "index": s.index, "line": s.line}, "title": self.title,
                "abstract": self.abstract, "layout": self.layout, "authors": list(self.authors),
                "authors_truncated": self.authors_truncated, "author_count": self.author_count,
                "affiliations": list(self.affiliations),
                "organization": None if o is None else {"slug": o.slug, "name": o.name}, "category": self.category,
                "date": self.date, "month_day": self.month_day, "has_code": self.has_code, "upvotes": self.upvotes,
                "urls": list(self.urls), "profile_owner": self.profile_owner,
                "methods": [m.to_json() for m in self.methods], "datasets": [m.to_json() for m in self.datasets]}

    def named(self, field_name: str) -> list[Mention]:
        """Its ``methods`` or its ``datasets``, by the name of the field."""
        return self.methods if field_name == "methods" else self.datasets

    @staticmethod
    def from_json(r: Mapping[str, Any]) -> Paper:
        """The paper of a JSON record (``to_json``, or a line of ``kg extract``; fields a record
        lacks take their defaults)."""
        s, o = r["source"], r.get("organization")
        return Paper(Source(s["file"], s.get("index", 0), s["line"]), r["title"], r.get("abstract") or "",
                     r.get("layout") or "daily", list(r.get("authors") or ()), bool(r.get("authors_truncated")),
                     r.get("author_count"), list(r.get("affiliations") or ()),
                     None if not o else Organization(o["slug"], o["name"]), r.get("category"), r.get("date"),
                     r.get("month_day"), bool(r.get("has_code")), r.get("upvotes") or 0, list(r.get("urls") or ()),
                     r.get("profile_owner"), [Mention.from_json(m) for m in r.get("methods") or ()],
                     [Mention.from_json(m) for m in r.get("datasets") or ()])


@dataclass(slots=True)
class Listing:
    """A profile page's own facts: whose page it is and the statistics it shows."""

    file: str
    line: int
    layout: Layout
    owner: str | None = None
    categories: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    papers_stated: int | None = None
    papers_read: int = 0
    page_date: str | None = None
    path: str | None = None  # the file it was read from, in full (see ``kg.parse.listing_names``)

    def to_json(self) -> dict[str, Any]:
        return {"type": "listing", **asdict(self)}

    @staticmethod
    def from_json(r: Mapping[str, Any]) -> Listing:
        return Listing(r["file"], r["line"], r.get("layout") or "profile", r.get("owner"),
                       list(r.get("categories") or ()), dict(r.get("stats") or {}), r.get("papers_stated"),
                       r.get("papers_read") or 0, r.get("page_date"), r.get("path"))


@dataclass(slots=True)
class Problem:
    """Something in the input that kg could not take as it is.

    ``rejected`` problems drop a block of text (a paper, or a whole file) and are written to the
    rejects report; ``warning`` problems lose nothing (a byte replaced, a date left empty).
    """

    file: str
    line: int
    severity: Literal["rejected", "warning"]
    reason: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"type": "rejected" if self.severity == "rejected" else "warning", **asdict(self)}


@dataclass(slots=True)
class ParsedListing:
    """Everything one listing file yielded."""

    file: str
    layout: Layout | None
    listing: Listing | None
    papers: list[Paper]
    problems: list[Problem]

    @property
    def rejected(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "rejected"]


@dataclass(slots=True)
class Records:
    """The listings and papers of a run, as the stages after extraction take them."""

    listings: list[Listing] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)

    @staticmethod
    def from_json(records: Iterable[Mapping[str, Any]]) -> Records:
        """The listings and papers among JSON records (``kg extract``'s lines; problems are left out)."""
        out = Records()
        for r in records:
            kind = r.get("type")
            if kind == "paper":
                out.papers.append(Paper.from_json(r))
            elif kind == "listing":
                out.listings.append(Listing.from_json(r))
        return out
