"""Daily-papers pages.

After a header (``Daily Papers``, ``byAK ...``, the page date) each paper is a title line, an
abstract, and optionally a meta block::

      • 10 authors          or      facebook AI at Meta      (slug, then display name)
    ·
    Feb 26, 2024 2                  (date, then the upvote count when there is one)

Some papers have no meta block, and some pages have none at all, so papers are told apart by
the alternation title / abstract, with a line that could not be a title taken as more abstract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.parse.fields import (
    AUTHOR_COUNT_RE,
    DATE_LINE_RE,
    SEPARATOR,
    WRAPPED_MAX,
    find_urls,
    join_wrapped,
    normalise_space,
    page_date,
)
from kg.parse.text import Line
from kg.records import Listing, Organization, Paper, Problem, Source

HEADER_LINES = frozenset({
    "new", "get trending papers in your email inbox!", "subscribe", "daily papers", "trending papers",
})
_BYLINE = re.compile(r"^by\s*\S", re.IGNORECASE)
_TITLE_MAX_CHARS = 300
_TITLE_MAX_WORDS = 40
_EXCERPT = 200
_HEAD_MAX_CHARS = 120


@dataclass(slots=True)
class _Draft:
    title: Line
    abstract: list[str] = field(default_factory=list)
    author_count: int | None = None
    organization: Organization | None = None
    date_text: Line | None = None
    upvotes: int = 0


def parse_daily(lines: list[Line], file: str) -> tuple[Listing, list[Paper], list[Problem]]:
    """Read a daily-papers page.

    Args:
        lines: the decoded lines of the file.
        file: the name recorded in sources and problems.

    Returns:
        The listing record (with the page date), the papers in page order, and the problems met.
    """
    body = _paragraphs(lines)
    start, page = _skip_header(body)
    listing = Listing(file=file, line=body[0].number if body else 1, layout="daily", page_date=page)
    problems: list[Problem] = []
    drafts: list[_Draft] = []
    current: _Draft | None = None
    expecting_abstract = False
    i = start
    while i < len(body):
        line, text = body[i], body[i].text.strip()
        if _starts_meta(body, i):
            i, meta = _read_meta(body, i, file, problems)
            if current is None or expecting_abstract:
                problems.append(Problem(file, line.number, "rejected",
                                        "author/date block with no title and abstract before it",
                                        text[:_EXCERPT]))
            elif current.date_text or current.author_count is not None or current.organization:
                problems.append(Problem(file, line.number, "rejected",
                                        "second author/date block for one paper", text[:_EXCERPT]))
            else:
                current.author_count, current.organization, current.date_text, current.upvotes = meta
            continue
        if current is not None and expecting_abstract:
            current.abstract.append(text)
            expecting_abstract = False
        elif current is not None and not current.date_text and not _could_be_title(text):
            current.abstract.append(text)  # a second paragraph of the abstract
        else:
            current = _Draft(line)
            drafts.append(current)
            expecting_abstract = True
        i += 1
    papers: list[Paper] = []
    for draft in drafts:
        paper = _finish(draft, file, len(papers), problems)
        if paper is not None:
            papers.append(paper)
    listing.papers_read = len(papers)
    if not drafts and not problems:  # a header and nothing after it
        problems.append(Problem(file, body[-1].number if body else 1, "warning",
                                "a daily-papers page with no papers on it: saved before its list loaded?"))
    return listing, papers, problems


def _paragraphs(lines: list[Line]) -> list[Line]:
    """The non-blank lines; on a page whose lines were wrapped, each joined to the line before it
    when no blank line stands between them and neither belongs to an author/date block. A daily
    page puts a blank line between its title, its abstract and its blocks (so on every page of the
    shared listings), and each abstract on one line; a tool that wraps long lines (a text
    browser's dump, an editor) puts an abstract or a long title on several, none of them long. A
    page with a long line was not wrapped: there a title right above its abstract stays a title."""
    if any(len(line.text) > WRAPPED_MAX for line in lines):
        return [line for line in lines if line.text.strip()]
    body: list[Line] = []
    joins = False  # whether the line before was non-blank and no part of a block
    alone = False  # whether the line before stands alone between a blank line and this one
    for k, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            joins = alone = False
            continue
        in_block = _starts_meta(lines, k) or bool(DATE_LINE_RE.match(text))
        # an organisation line the wrap cut: its first part alone after a blank, its last before "·"
        cut_head = (alone and in_block and text != SEPARATOR and not AUTHOR_COUNT_RE.match(text)
                    and len(body[-1].text.strip()) + 1 + len(text) <= _HEAD_MAX_CHARS)
        if (joins and not in_block) or cut_head:
            body[-1] = Line(body[-1].number, join_wrapped(body[-1].text, text))
            alone = False
        else:
            alone = not joins and not in_block
            body.append(line)
        joins = not in_block
    return body


def _skip_header(body: list[Line]) -> tuple[int, str | None]:
    """Index of the first paper line, and the page date if the header shows one."""
    i = 0
    seen_header = False
    while i < len(body) and i < 40:
        text = body[i].text.strip()
        if text.lower() in HEADER_LINES or (seen_header and _BYLINE.match(text)):
            seen_header = True
            i += 1
            continue
        if seen_header and (m := DATE_LINE_RE.match(text)) and m["up"] is None:
            date = page_date(m["mon"], m["day"], m["year"])
            return i + 1, date.text if date else text
        break
    return (i if seen_header else 0), None


def _starts_meta(body: list[Line], i: int) -> bool:
    text = body[i].text.strip()
    if text == SEPARATOR or AUTHOR_COUNT_RE.match(text):
        return True
    nxt = body[i + 1].text.strip() if i + 1 < len(body) else ""
    return nxt == SEPARATOR and len(text) <= _HEAD_MAX_CHARS


def _read_meta(body: list[Line], i: int, file: str, problems: list[Problem]
               ) -> tuple[int, tuple[int | None, Organization | None, Line | None, int]]:
    """Consume one meta block starting at ``body[i]``; return the next index and what it says."""
    count: int | None = None
    org: Organization | None = None
    # At most two head lines (a count and an organisation), each short, then the separator.
    j = i
    while (j < len(body) and j - i < 2 and body[j].text.strip() != SEPARATOR
           and len(body[j].text.strip()) <= _HEAD_MAX_CHARS):
        j += 1
    has_separator = j < len(body) and body[j].text.strip() == SEPARATOR
    for head in body[i:j] if has_separator else body[i:i + 1]:
        text = head.text.strip()
        if m := AUTHOR_COUNT_RE.match(text):
            count = int(m["n"])
        else:
            slug, _, name = text.partition(" ")
            org = Organization(slug, name.strip() or slug)
    i = j if has_separator else i + 1
    date_line: Line | None = None
    upvotes = 0
    if i < len(body) and body[i].text.strip() == SEPARATOR:
        i += 1
        if i < len(body) and (m := DATE_LINE_RE.match(body[i].text)):
            date_line = Line(body[i].number, f"{m['mon']} {m['day']}" + (f", {m['year']}" if m["year"] else ""))
            upvotes = int(m["up"] or 0)
            i += 1
        elif i < len(body):
            problems.append(Problem(file, body[i].number, "warning",
                                    "no date after the '·' separator; the paper is kept without a date",
                                    body[i].text[:_EXCERPT]))
    return i, (count, org, date_line, upvotes)


def _could_be_title(text: str) -> bool:
    return (len(text) <= _TITLE_MAX_CHARS and len(text.split()) <= _TITLE_MAX_WORDS
            and not text.endswith((".", ";", "!")) and "http" not in text.lower())


def _finish(draft: _Draft, file: str, index: int, problems: list[Problem]) -> Paper | None:
    if not draft.abstract:
        problems.append(Problem(file, draft.title.number, "rejected",
                                "paper cut off: a title with no abstract after it",
                                draft.title.text[:_EXCERPT]))
        return None
    date = None
    if draft.date_text is not None:
        m = DATE_LINE_RE.match(draft.date_text.text)
        assert m is not None  # built from a match in _read_meta
        date = page_date(m["mon"], m["day"], m["year"])
        if date is None:
            problems.append(Problem(file, draft.date_text.number, "warning",
                                    f"impossible date {draft.date_text.text!r}, left empty"))
    abstract = normalise_space(" ".join(draft.abstract))
    return Paper(
        source=Source(file, index, draft.title.number),
        title=normalise_space(draft.title.text),
        abstract=abstract,
        layout="daily",
        authors_truncated=bool(draft.author_count),
        author_count=draft.author_count,
        organization=draft.organization,
        date=date.iso if date else None,
        month_day=date.month_day if date else None,
        upvotes=draft.upvotes,
        urls=find_urls(abstract),
    )
