"""Parse stage: listing text -> typed records.

``parse_listing`` detects the layout of one file from its content (never its name) and returns
a ``ParsedListing``: the listing record, the papers, and every problem met, each naming the file
and line. Nothing raises on bad input; a file kg cannot read at all becomes one rejected problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.parse.daily import HEADER_LINES, parse_daily
from kg.parse.fields import DATE_LINE_RE, META_RE, SEPARATOR
from kg.parse.profile import parse_profile
from kg.parse.text import Line, decode_lines, looks_binary
from kg.records import Layout, ParsedListing, Problem

__all__ = ["detect_layout", "iter_listing_paths", "parse_listing", "read_listing"]

STDIN = "-"
_CLOSING = (".", "!", "?", ")", '"', "'", "]")


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
    layout = detect_layout(lines)
    if layout is None:
        first = next(line for line in lines if line.text.strip())
        problems.append(Problem(
            file, first.number, "rejected",
            "unknown layout: no paper meta line (like 'CLMay 23, 2023Code') and no daily-papers "
            "header or '·' author/date block", first.text[:200]))
        return ParsedListing(file, None, None, [], problems)
    if layout == "daily":
        listing, papers, found = parse_daily(lines, file)
    else:
        listing, papers, found = parse_profile(lines, file, layout)
    problems.extend(found)
    last = lines[-1]
    if not data.endswith(b"\n") and not last.text.rstrip().endswith(_CLOSING):
        problems.append(Problem(file, last.number, "warning",
                                "the file ends mid-line: the page may be cut off here", last.text[-200:]))
    problems.sort(key=lambda p: p.line)
    return ParsedListing(file, layout, listing, papers, problems)


def read_listing(path: str | Path) -> ParsedListing:
    """Read and parse the listing at ``path`` (``-`` reads standard input).

    Raises:
        InputError: the file cannot be opened or read.
    """
    if str(path) == STDIN:
        import sys

        return parse_listing(sys.stdin.buffer.read(), "<stdin>")
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e
    return parse_listing(data, path.name)


def iter_listing_paths(paths: Iterable[str | Path], pattern: str = "*.txt") -> Iterator[str | Path]:
    """Expand folders (recursively, files matching ``pattern``, in sorted order); keep files and ``-``.

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
            yield from sorted(p for p in path.rglob(pattern) if p.is_file()
                              and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
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
