"""Parse stage: listing text -> typed records.

``parse_listing`` detects the layout of one file from its content (never its name) and returns
a ``ParsedListing``: the listing record, the papers, and every problem met, each naming the file
and line. Nothing raises on bad input; a file kg cannot read at all becomes one rejected problem.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from kg.errors import InputError
from kg.parse.daily import HEADER_LINES, parse_daily
from kg.parse.fields import DATE_LINE_RE, META_RE, SEPARATOR
from kg.parse.profile import parse_profile
from kg.parse.text import Line, decode_lines, looks_binary
from kg.records import Layout, ParsedListing, Problem

__all__ = ["detect_layout", "iter_listing_paths", "listing_names", "parse_listing", "read_listing"]

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
    still exists. Such a file is named ``NAME~HASH``, a hash of its full path. A listing whose file
    has moved keeps its name (and is replaced).
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
