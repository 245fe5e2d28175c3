"""The small grammars inside a listing: paper meta lines, dates, upvotes and URLs.

Every pattern is anchored and free of nested quantifiers, so none can backtrack
catastrophically on long or hostile lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
_MONTH = "(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_DAY_YEAR = r"(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?"

# `CLMay 23, 2023Code`, `IRJun 3`, `cs.LGFeb 1, 2024`: category, date, optional Code marker.
META_RE = re.compile(rf"^\s*(?P<cat>[A-Za-z][A-Za-z.\-]{{0,15}}?){_MONTH} {_DAY_YEAR}(?P<code>Code)?\s*$")
# `Feb 26, 2024`, `Feb 21 2` (date, then the upvote count), `Dec 9`.
DATE_LINE_RE = re.compile(rf"^\s*{_MONTH}\s+{_DAY_YEAR}(?:\s+(?P<up>\d{{1,7}}))?\s*$")
AUTHOR_COUNT_RE = re.compile(r"^\s*[•·*\-]?\s*(?P<n>\d{1,5})\s+authors?\s*$", re.IGNORECASE)
SEPARATOR = "·"
WRAPPED_MAX = 200  # the longest line of a page wrapped by a tool: text browsers wrap at 72-100

_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'`{}|\\^]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\""
_CLOSERS = {")": "(", "]": "[", "}": "{"}


@dataclass(slots=True, frozen=True)
class PageDate:
    """A date as a listing shows it: ISO when the year is given, month-day always."""

    text: str
    iso: str | None
    month_day: str | None


def page_date(mon: str, day: str, year: str | None) -> PageDate | None:
    """Build a ``PageDate``; None when the day cannot exist in that month."""
    month, d = MONTHS[mon], int(day)
    limit = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    if not 1 <= d <= limit:
        return None
    if year is not None:
        y = int(year)
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        if month == 2 and d == 29 and not leap:
            return None
    text = f"{mon} {d}" + (f", {year}" if year else "")
    md = f"{month:02d}-{d:02d}"
    return PageDate(text, f"{year}-{md}" if year else None, md)


def find_urls(text: str) -> list[str]:
    """Every URL in ``text`` in order of appearance, trailing punctuation removed.

    A closing bracket is kept only when the URL opened it (``.../a_(b)``).
    """
    if "://" not in text and "www." not in text.lower():
        return []  # the common case, ten times quicker than the search
    urls = []
    for match in _URL_RE.finditer(text):
        url = match.group()
        while url:
            last = url[-1]
            if last in _TRAILING or (last in _CLOSERS and url.count(_CLOSERS[last]) < url.count(last)):
                url = url[:-1]
            else:
                break
        if len(url) > len("https://"):
            urls.append(url)
    return urls


def join_wrapped(head: str, tail: str) -> str:
    """Two lines of one paragraph as one: a space between them, or none where a tool that wraps
    lines broke a word at its hyphens (``Pre-`` / ``trained``, ``Zorb--`` / ``Quanta``; not ``pre-`` /
    ``and post-...``)."""
    head, tail = head.rstrip(), tail.strip()
    broken = (head.endswith("-") and head.rstrip("-")[-1:].isalpha() and tail[:1].isalpha()
              and tail.split(maxsplit=1)[0] not in _STANDS_ALONE)
    return f"{head}{tail}" if broken else f"{head} {tail}".strip()


# words after a hyphen that ends a word of its own: "pre- and post-training", "in- or out-of-domain"
_STANDS_ALONE = frozenset({"and", "or", "to", "nor", "vs", "vs."})


def normalise_space(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return " ".join(text.split())
