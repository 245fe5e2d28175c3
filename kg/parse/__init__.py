"""Parse stage: listing text -> typed records.

``parse_listing`` detects the layout of one file from its content (never its name) and returns
a ``ParsedListing``: the listing record, the papers, and every problem met, each naming the file
and line. Nothing raises on bad input; a file kg cannot read at all becomes one rejected problem.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from kg.errors import InputError
from kg.parse.daily import HEADER_LINES, parse_daily
from kg.parse.fields import AUTHOR_COUNT_RE, DATE_LINE_RE, META_RE, SEPARATOR
from kg.parse.profile import PAPERS_HEADING, is_header_statistic, parse_profile
from kg.parse.text import Line, decode_lines, looks_binary
from kg.records import Layout, Paper, ParsedListing, Problem
from kg.schema import SOURCE_SEPARATOR

__all__ = ["detect_layout", "iter_listing_paths", "listing_names", "parse_listing", "read_listing"]

STDIN = "-"
_CLOSING = (".", "!", "?", ")", '"', "'", "]")
GLUED_ENDS = (*"0123456789", "Code")  # how a meta line ends: a cheap test before the pattern
_GLUED_NAME = re.compile(r"[.!?)\]]([A-Z][^.!?,·]{1,60})$")  # a name right after a sentence's end, no space


def detect_layout(lines: list[Line]) -> Layout | None:
    """Tell the layout of a listing from its lines; None when it is none we know."""
    texts = [line.text.strip() for line in lines]
    nonblank = [t for t in texts if t]
    if any(t.lower() in HEADER_LINES for t in nonblank[:40]):
        return "daily"
    for k, t in enumerate(nonblank[:-1]):
        if t == SEPARATOR and DATE_LINE_RE.match(nonblank[k + 1]):
            return "daily"
    metas = [i for i, t in enumerate(texts) if META_RE.match(t)]
    if not metas:
        return None
    # Expanded pages put a blank line between the title and the authors, compact pages do not.
    blank_after_title = sum(1 for i in metas if i + 2 < len(texts) and not texts[i + 2])
    header = any(texts[: metas[0]])
    return "profile" if header or blank_after_title * 2 > len(metas) else "profile-compact"


# A saved web page's source rather than its text ("Save as: Web page, HTML only")
_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html[\s>]|\?xml|head[\s>]|body[\s>])", re.IGNORECASE)


def parse_listing(data: bytes | str, file: str) -> ParsedListing:
    """Parse one listing file.

    Args:
        data: the file's content, as bytes (decoded here, line by line) or text.
        file: the name recorded in every source and problem (usually the file's base name).

    Returns:
        The parsed listing. Unreadable input (binary, empty, unknown layout) yields no papers and
        one rejected problem saying why.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    if looks_binary(data):
        return ParsedListing(file, None, None, [], [Problem(
            file, 1, "rejected", "binary file (NUL or control bytes), not a text listing")])
    lines, problems = decode_lines(data, file)
    if not any(line.text.strip() for line in lines):
        problems.append(Problem(file, 1, "rejected", "empty file: no papers"))
        return ParsedListing(file, None, None, [], problems)
    lines = _unglue(lines, file, problems)
    ends_with_newline = data.endswith((b"\n", b"\r"))  # LF, CRLF or a classic Mac OS CR
    starts = page_starts(lines)
    if len(starts) > 1:
        return _parse_pages(lines, starts, file, problems, ends_with_newline)
    layout = detect_layout(lines)
    if layout is None:
        first = next(line for line in lines if line.text.strip())
        reason = ("an HTML page, not its text: save the page as text, or copy its text into a file"
                  if _HTML_START.match(first.text) else
                  "unknown layout: no paper meta line (like 'CLMay 23, 2023Code') and no daily-papers "
                  "header or '·' author/date block")
        problems.append(Problem(file, first.number, "rejected", reason, first.text[:200]))
        return ParsedListing(file, None, None, [], problems)
    if layout == "daily":
        listing, papers, found = parse_daily(lines, file)
    else:
        listing, papers, found = parse_profile(lines, file, layout)
    problems.extend(found)
    last = lines[-1]
    # Saved pages end without a newline, after a date line or an abstract's last sentence; a page
    # cut off stops inside a sentence.
    if not ends_with_newline and papers and not _ends_a_page(last.text):
        problems.append(Problem(file, last.number, "warning",
                                "the file ends mid-sentence: the page may be cut off here, and the last "
                                f"paper ({papers[-1].title[:80]!r}) has only part of its abstract",
                                last.text[-200:]))
    problems.sort(key=lambda p: p.line)
    return ParsedListing(file, layout, listing, papers, problems)


def _ends_a_page(text: str) -> bool:
    """Whether a file's last line can be the end of a whole page: a sentence's end, a paper's
    date or meta line, or an author/date block's separator."""
    text = text.strip()
    return (text.endswith(_CLOSING) or text == SEPARATOR or bool(DATE_LINE_RE.match(text))
            or bool(META_RE.match(text)) or bool(AUTHOR_COUNT_RE.match(text)))


def _unglue(lines: list[Line], file: str, problems: list[Problem]) -> list[Line]:
    """Lines with a paper's meta line, a daily page's header or a profile page's owner glued to
    their end split in two (both keep the number)."""
    out = []
    owners = _glued_owners(lines)
    for i, line in enumerate(lines):
        cut = owners.get(i)
        if cut is None and line.text.endswith(GLUED_ENDS) and not META_RE.match(line.text):
            cut = glued_meta_start(line.text)
        if cut is None and (header := _glued_header(line.text)) is not None:
            cut = len(line.text.rstrip()) - len(header)
        if cut is None:
            out.append(line)
            continue
        problems.append(Problem(file, line.number, "warning", "the start of a page or paper is glued to the end of "
                                "this line (files joined without a newline?); read as a line of its own",
                                line.text[cut:][:200]))
        out += [Line(line.number, line.text[:cut]), Line(line.number, line.text[cut:])]
    return out


def _glued_owners(lines: list[Line]) -> dict[int, int]:
    """Where a profile page's owner name starts on a line that ends the page before it: the line
    above a profile header (statistics, categories, ``N Papers``) that is a sentence's end with one
    name glued to it, ``...relation facts.Ann Lee`` (line index -> where the name starts)."""
    from kg.parse.names import parse_author_line

    texts = [line.text.strip() for line in lines]
    out = {}
    for i, text in enumerate(texts):
        if not PAPERS_HEADING.match(text):
            continue
        j = i - 1
        while j > 0 and (not texts[j] or is_header_statistic(texts[j])):
            j -= 1
        glued = _GLUED_NAME.search(lines[j].text.rstrip())
        if j < i - 1 and glued is not None:
            read = parse_author_line(glued.group(1))
            if read is not None and len(read.authors) == 1 and not read.truncated:
                out[j] = glued.start(1)
    return out


def glued_meta_start(text: str) -> int | None:
    """Where a paper's meta line glued to a sentence's end or a date line begins (the meta line
    is short: only its last 40 characters are looked at)."""
    for i in range(max(1, len(text) - 40), len(text)):
        if text[i].isupper() and META_RE.match(text[i:]):
            before = text[:i].rstrip()
            if before.endswith(_CLOSING) or DATE_LINE_RE.match(before):
                return i
    return None


def _glued_header(text: str) -> str | None:
    """A daily page's first header line (``new``) glued to a date line or a sentence's end."""
    text = text.rstrip()
    lowered = text.lower()
    for header in HEADER_LINES:
        if lowered.endswith(header) and len(text) > len(header):
            before = text[:-len(header)]
            if DATE_LINE_RE.match(before) or before.endswith(_CLOSING):
                return text[-len(header):]
    return None


def page_starts(lines: list[Line]) -> list[int]:
    """Where each page of a file begins (indexes into ``lines``): 0, and the start of every page
    header further down, for pages saved one after the other into one file.

    A daily page's header is its run of header lines (``Daily Papers``...); a profile page's
    header ends in its ``N Papers`` heading and begins at the owner's name, above the statistics
    and categories.
    """
    texts = [line.text.strip() for line in lines]
    first = next((i for i, t in enumerate(texts) if t), 0)
    starts = [0]
    previous = ""  # the last non-blank line before i
    daily = False  # whether the page being read is a daily page
    for i, text in enumerate(texts):
        if not text:
            continue
        start = None
        # a daily page's header; a meta line in a daily page: a compact profile page, which has none
        if (text.lower() in HEADER_LINES and previous.lower() not in HEADER_LINES) or (daily and META_RE.match(text)):
            start = i
        elif PAPERS_HEADING.match(text):
            j = i - 1
            while j > first and (not texts[j] or is_header_statistic(texts[j])):
                j -= 1
            start = j
        if start is not None and start > first and start > starts[-1]:
            starts.append(start)
            daily = text.lower() in HEADER_LINES
        elif text.lower() in HEADER_LINES:
            daily = True
        previous = text
    return starts


def _parse_pages(lines: list[Line], starts: list[int], file: str, problems: list[Problem],
                 ends_with_newline: bool) -> ParsedListing:
    """A file of several pages: each read with its own layout, together one listing (the first
    page's that has papers), with a warning where each further page begins."""
    pages = [parse_listing("\n".join(line.text for line in lines[a:b]) + "\n", file)
             for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    first = next((page for page in pages if page.papers), pages[0])  # stray lines before a page are no page
    papers: list[Paper] = []
    for page, start, end in zip(pages, starts, [*starts[1:], len(lines)], strict=True):
        offset = lines[start].number - 1
        if page.layout is None:
            _whole_fragment(page, lines[start:end])
        if start:
            problems.append(Problem(file, lines[start].number, "warning",
                                    f"another page ({page.layout or 'of no known layout'}) starts here: pages saved "
                                    "into one file are read one by one, as one listing; save each page on its own "
                                    "to keep them apart"))
        for paper in page.papers:
            paper.source.index, paper.source.line = len(papers), paper.source.line + offset
            papers.append(paper)
        problems.extend(Problem(p.file, p.line + offset, p.severity, p.reason, p.text) for p in page.problems
                        if ends_with_newline or "ends mid-sentence" not in p.reason or page is pages[-1])
    if first.listing is not None:
        first.listing.papers_read = len(papers)
    problems.sort(key=lambda p: p.line)
    return ParsedListing(file, first.layout, first.listing, papers, problems)


def _whole_fragment(page: ParsedListing, lines: list[Line]) -> None:
    """A part of a file that is no page kg knows is rejected with all its text: the rest of the
    file is read, so the rejects report is the only place its text is kept (a whole file rejected
    keeps its first line, as the file itself holds the rest)."""
    kept = [line.text for line in lines if line.text.strip()]
    for problem in page.rejected:
        if kept and problem.reason.startswith("unknown layout"):
            # one wording for every such part, so that the summary counts them under one reason
            problem.reason = f"a part of the file (to the next page or its end) of {problem.reason}"
            problem.text = "\n".join(kept)


def read_listing(path: str | Path, name: str | None = None) -> ParsedListing:
    """Read and parse the listing at ``path`` (``-`` reads standard input).

    A file that cannot be read (no permission, a dangling link, a FIFO or device, which could block
    forever) is one rejected problem, as unreadable content is: a build goes on with the others.

    Args:
        name: the listing's name in the graph (``listing_names``); the file's base name by default.
    """
    if str(path) == STDIN:
        import sys

        return parse_listing(sys.stdin.buffer.read(), name or "<stdin>")
    path = Path(path)
    name = name or path.name
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            return _unread(name, "not a regular file (a FIFO, socket or device is not read: it could block)")
        data = path.read_bytes()
    except OSError as e:
        return _unread(name, f"cannot read {path}: {e.strerror or e}")
    parsed = parse_listing(data, name)
    if parsed.listing is not None:
        parsed.listing.path = str(path.resolve())
    return parsed


def _unread(name: str, reason: str) -> ParsedListing:
    return ParsedListing(name, None, None, [], [Problem(name, 1, "rejected", reason)])


def listing_names(paths: Iterable[str | Path], held: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The name each listing file goes by in the graph (its ``file`` in every source).

    The name the graph already holds for the file's full path (``held``: name -> the path it was
    read from); else its base name, unless that would make it the same listing as another file: one
    with the same base name among ``paths``, or a listing the graph holds from another path that
    still exists, or with a tab in it. Such a file is named ``NAME~HASH``, a hash of its full path
    (a tab written as a space). A listing whose file has moved keeps its name (and is replaced).
    """
    import hashlib

    held = held or {}
    files = [str(p) for p in paths if str(p) != STDIN]
    full = {p: str(Path(p).resolve()) for p in files}
    by_path = {path: name for name, path in sorted(held.items()) if path}
    by_name: dict[str, set[str]] = {}
    for p in files:
        by_name.setdefault(Path(p).name, set()).add(full[p])
    names: dict[str, str] = {}
    for p in files:
        if full[p] in by_path:
            names[p] = by_path[full[p]]
            continue
        name = Path(p).name
        before = held.get(name)
        clash = len(by_name[name]) > 1 or (before is not None and before != full[p] and Path(before).exists())
        if SOURCE_SEPARATOR in name:  # it would split every source of the listing in two in the store
            name, clash = name.replace(SOURCE_SEPARATOR, " "), True
        if clash:
            name = f"{name}~{hashlib.sha1(full[p].encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"
        names[p] = name
    return names


def iter_listing_paths(paths: Iterable[str | Path], pattern: str = "*.txt") -> Iterator[str | Path]:
    """Expand folders (recursively, files matching ``pattern``, in sorted order); keep files and ``-``.

    Everything matching in a folder is kept, also what cannot be read as a file (a dangling link,
    a FIFO): ``read_listing`` reports it instead of it being skipped without a word.

    Raises:
        InputError: a path that does not exist.
    """
    for raw in paths:
        if str(raw) == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            # Hidden files and folders inside the walked folder are skipped; "../listings" itself is fine.
            yield from sorted(p for p in path.rglob(pattern) if not p.is_dir()
                              and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists() or path.is_symlink():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")


def shard_of(path: str | Path, shards: int) -> int:
    """Which of ``shards`` shards (1-based) a listing file belongs to: by a hash of its file name,
    so a file keeps its shard however the inputs are listed or split across machines."""
    import hashlib

    digest = hashlib.sha1(Path(path).name.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"`` as (I, N), with 1 <= I <= N.

    Raises:
        InputError: not of that form.
    """
    try:
        i, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise InputError(f"--shard takes I/N, like 2/8, not {text!r}") from None
    if not 1 <= i <= n:
        raise InputError(f"--shard {text}: I must be between 1 and N")
    return i, n
