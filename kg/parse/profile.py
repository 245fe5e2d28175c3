"""Author profile pages, in both layouts.

Each paper starts at a meta line (``CLMay 23, 2023Code``). Between two meta lines stand, in the
expanded layout, the title, the authors line and the abstract on lines of their own; in the
compact layout, the title glued to the authors and then the abstract. The layout is decided per
paper block, so a page that mixes them still reads.
"""

from __future__ import annotations

import re
from functools import reduce

from kg.parse.fields import META_RE, SEPARATOR, WRAPPED_MAX, find_urls, join_wrapped, normalise_space, page_date
from kg.parse.names import AuthorLine, parse_author_line, split_title_authors
from kg.parse.text import Line
from kg.records import Layout, Listing, Paper, Problem, Source

# Header statistics as the page prints them: `h-index5`, `9papers`, `Novelty52%`, `AI Score49`.
_STAT_PATTERNS = (
    (re.compile(r"^h-?index\s*(\d+)$", re.I), "h_index"),
    (re.compile(r"^(\d+)\s*papers$"), "papers"),
    (re.compile(r"^(\d+)\s*citations$", re.I), "citations"),
    (re.compile(r"^Novelty\s*(\d+)\s*%$", re.I), "novelty_pct"),
    (re.compile(r"^AI\s*Score\s*(\d+)$", re.I), "ai_score"),
)
PAPERS_HEADING = re.compile(r"^(\d+)\s+Papers$")
_CATEGORY = re.compile(r"^[A-Z][A-Za-z.\-]{0,11}$")
_EXCERPT = 200
# the most lines a wrapped title and its authors are read from: a title of 300 characters and three
# authors with their organisations, wrapped at 72 columns
_HEAD_LINES = 7


def parse_profile(lines: list[Line], file: str, layout: Layout) -> tuple[Listing, list[Paper], list[Problem]]:
    """Read a profile page of either layout.

    Args:
        lines: the decoded lines of the file.
        file: the name recorded in sources and problems.
        layout: ``profile`` (header, blank lines) or ``profile-compact`` (neither).

    Returns:
        The listing record, the papers in page order, and the problems met.
    """
    metas = [i for i, line in enumerate(lines) if META_RE.match(line.text)]
    first = metas[0] if metas else len(lines)
    listing, problems = _parse_header(lines[:first], file, layout)
    papers: list[Paper] = []
    width = max((len(line.text.rstrip()) for line in lines), default=0)
    wrapped = width if width <= WRAPPED_MAX else None
    for k, start in enumerate(metas):
        end = metas[k + 1] if k + 1 < len(metas) else len(lines)
        paper = _parse_block(lines[start:end], file, len(papers), layout, listing.owner, problems, wrapped)
        if paper is not None:
            papers.append(paper)
    listing.papers_read = len(papers)
    if listing.papers_stated is not None and listing.papers_stated != len(papers) + _rejected(problems):
        problems.append(Problem(file, lines[first - 1].number if first else 1, "warning",
                                f"the page states {listing.papers_stated} papers but holds "
                                f"{len(papers) + _rejected(problems)}: cut off or edited?"))
    return listing, papers, problems


def is_header_statistic(text: str) -> bool:
    """A profile header line other than the owner's name: a statistic (``h-index5``) or a category."""
    return any(pattern.match(text) for pattern, _ in _STAT_PATTERNS) or bool(_CATEGORY.match(text))


def _rejected(problems: list[Problem]) -> int:
    return sum(1 for p in problems if p.severity == "rejected")


def _parse_header(lines: list[Line], file: str, layout: Layout) -> tuple[Listing, list[Problem]]:
    body = [line for line in lines if line.text.strip()]
    listing = Listing(file=file, line=body[0].number if body else 1, layout=layout)
    problems: list[Problem] = []
    if layout == "profile-compact":
        for line in body:
            problems.append(Problem(file, line.number, "rejected",
                                    "text before the first paper's meta line", line.text[:_EXCERPT]))
        return listing, problems
    for n, line in enumerate(body):
        text = line.text.strip()
        if n == 0:
            listing.owner = normalise_space(text)
            continue
        if heading := PAPERS_HEADING.match(text):
            listing.papers_stated = int(heading.group(1))
            continue
        for pattern, key in _STAT_PATTERNS:
            if stat := pattern.match(text):
                listing.stats[key] = int(stat.group(1))
                break
        else:
            if _CATEGORY.match(text):
                listing.categories.append(text)
            else:
                problems.append(Problem(file, line.number, "warning",
                                        "unrecognised profile header line, ignored", text[:_EXCERPT]))
    return listing, problems


def _paragraphs(lines: list[Line]) -> list[Line]:
    """Runs of lines between blank lines, each joined into one line (numbered as its first)."""
    out: list[Line] = []
    joins = False
    for line in lines:
        if not line.text.strip():
            joins = False
        elif joins:
            out[-1] = Line(out[-1].number, join_wrapped(out[-1].text, line.text))
        else:
            out.append(line)
            joins = True
    return out


def _unwrapped_head(rest: list[Line], width: int) -> tuple[tuple[str, AuthorLine], list[Line]] | None:
    """A compact block's title and authors, and its abstract lines, on a page whose lines a tool
    wrapped at ``width``: the title and authors share one line on the page, which the wrap cut.

    A line was cut where the next line's first word would not have fitted after it (``fold``
    also cuts where it would end exactly at the width). The first line that was not cut ends the
    title and authors, if they read as such there; so does a line that ends the authors as only an
    end can, with "et al." or the organisations, since a line can end just short of the width."""
    head = ""
    for k, line in enumerate(rest[:_HEAD_LINES]):
        head = join_wrapped(head, line.text)
        after = rest[k + 1].text.split(maxsplit=1)[0] if k + 1 < len(rest) else ""
        cut = len(line.text.rstrip()) + 1 + len(after) >= width
        ends = not head.endswith(",") and not after.startswith(SEPARATOR)  # no organisation follows
        if (split := split_title_authors(head)) is not None and (
                not cut or (ends and (split[1].truncated or bool(split[1].affiliations)))):
            return (normalise_space(split[0]), split[1]), rest[k + 1:]
    return None


def _parse_block(block: list[Line], file: str, index: int, layout: Layout, owner: str | None,
                 problems: list[Problem], wrapped: int | None = None) -> Paper | None:
    """One paper, from its meta line to the next; ``wrapped``: the page's width, when a tool wrapped
    its lines (see ``_unwrapped_head``)."""
    meta_line, rest = block[0], [line for line in block[1:] if line.text.strip()]
    meta = META_RE.match(meta_line.text)
    assert meta is not None  # the caller split the page at meta lines
    excerpt = "\n".join(line.text for line in block)[:_EXCERPT * 4]

    def reject(reason: str) -> None:
        problems.append(Problem(file, meta_line.number, "rejected", reason, excerpt))

    title: str | None = None
    authors: AuthorLine | None = None
    abstract_lines: list[Line] = []
    # an expanded block has the title on a line of its own, a blank line after it: the title never
    # ends in its authors there, and a title's last words must not be taken for them
    expanded = len(block) > 2 and not block[2].text.strip()
    if wrapped is not None and len(paragraphs := _paragraphs(block[1:])) >= 2:
        rest, expanded = paragraphs, True  # a wrapped title, authors line or abstract is a paragraph
    if wrapped is not None and not expanded and (head := _unwrapped_head(rest, wrapped)) is not None:
        (title, authors), abstract_lines = head
    elif len(rest) >= 2 and (authors := parse_author_line(rest[1].text)) is not None:
        title, abstract_lines = normalise_space(rest[0].text), rest[2:]
    elif rest and not expanded and (split := split_title_authors(rest[0].text)) is not None:
        (title, authors), abstract_lines = split, rest[1:]
        title = normalise_space(title)
    if not rest:
        reject("paper cut off: a meta line with no title after it")
        return None
    if expanded and authors is None and len(rest) >= 2:
        reject(f"the line after the title (line {rest[1].number}) does not read as an authors line "
               "('Name, Name et al. · org'): a name with characters no name has?")
        return None
    if title is None or authors is None:
        reject("no authors line: neither the line after the title nor the end of the title line "
               "reads as 'Name, Name et al. · org'")
        return None
    if not abstract_lines:
        reject("paper cut off: title and authors but no abstract")
        return None
    abstract = normalise_space(reduce(join_wrapped, (line.text for line in abstract_lines)))
    date = page_date(meta["mon"], meta["day"], meta["year"])
    if date is None:
        problems.append(Problem(file, meta_line.number, "warning",
                                f"impossible date {meta_line.text.strip()!r}, left empty"))
    return Paper(
        source=Source(file, index, meta_line.number),
        title=title,
        abstract=abstract,
        layout=layout,
        authors=authors.authors,
        authors_truncated=authors.truncated,
        affiliations=authors.affiliations,
        category=meta["cat"],
        date=date.iso if date else None,
        month_day=date.month_day if date else None,
        has_code=meta["code"] is not None,
        urls=find_urls(abstract),
        profile_owner=owner,
    )
