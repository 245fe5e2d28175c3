"""Listing files -> JSON-lines records, with the accounting that proves nothing was lost.

``extract_files`` streams: one file is parsed and extracted, its records written, and then it is
forgotten, so memory does not grow with the corpus. ``read_files`` extracts in worker processes
when asked; ``read_records`` reads such a file of records back.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.errors import InputError
from kg.gc_pause import collector_paused
from kg.parse import listing_names, read_listing
from kg.records import Layout, ParsedListing, Problem

if TYPE_CHECKING:
    pass



@dataclass(slots=True)
class Summary:
    """What a run read, wrote and rejected. ``papers_read == papers_written + blocks_rejected``."""

    files: int = 0
    files_unreadable: int = 0
    papers_written: int = 0
    blocks_rejected: int = 0
    warnings: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    layouts: Counter[str] = field(default_factory=Counter)

    @property
    def papers_read(self) -> int:
        return self.papers_written + self.blocks_rejected

    def add(self, read: FileRecords) -> None:
        self.files += 1
        self.layouts[read.layout or "unreadable"] += 1
        if read.layout is None:
            self.files_unreadable += 1
        self.papers_written += read.papers
        for problem in read.problems:
            if problem.severity == "rejected":
                self.blocks_rejected += 1
                self.reasons[problem.reason] += 1
            else:
                self.warnings += 1

    def to_json(self) -> dict[str, Any]:
        return {"files": self.files, "files_unreadable": self.files_unreadable,
                "papers_read": self.papers_read, "papers_written": self.papers_written,
                "blocks_rejected": self.blocks_rejected, "warnings": self.warnings,
                "rejected_by_reason": dict(self.reasons), "layouts": dict(self.layouts)}


def dumps(record: dict[str, Any]) -> str:
    """One record as one JSON line (UTF-8 kept as is, no trailing newline)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def records_of(parsed: ParsedListing) -> Iterable[dict[str, Any]]:
    """The JSON records of one parsed file: its listing record first, then its papers."""
    if parsed.listing is not None:
        yield parsed.listing.to_json()
    for paper in parsed.papers:
        yield paper.to_json()


@dataclass(slots=True)
class FileRecords:
    """One listing file, read (and extracted) into its JSON records, with what a run's summary counts.

    Extraction workers send these back, not the ``ParsedListing``: plain dicts and lists cost the
    receiving process a fifth of what the dataclasses cost to unpickle, and are what it needs.
    """

    file: str
    layout: Layout | None
    papers: int
    problems: list[Problem]
    records: list[dict[str, Any]]


def file_records(parsed: ParsedListing) -> FileRecords:
    """``parsed`` as records (see ``records_of``)."""
    return FileRecords(parsed.file, parsed.layout, len(parsed.papers), parsed.problems, list(records_of(parsed)))


FILES_AHEAD = 4  # files a worker may have finished before they are taken
# A file at least this large is extracted by every worker, each its share of the papers: read
# whole, one file would keep one core busy and the others idle. Each worker parses the whole
# file, which costs a twentieth of extracting it.
SPLIT_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class Parallel:
    """Extract in a pool of ``jobs`` worker processes, each with its own extractor built from these
    gazetteers. Workers send back only the parsed, annotated records, never spaCy Docs."""

    jobs: int
    datasets: tuple[Path, ...] = ()
    methods: tuple[Path, ...] = ()


_worker_extractor: Any = None


def _start_worker(datasets: tuple[Path, ...], methods: tuple[Path, ...], parent: int) -> None:
    global _worker_extractor
    import gc
    import os

    from kg.extract.annotate import Extractor
    from kg.store.keeper import die_with_parent

    # A worker waits for work as long as its pool lives; a kg killed with SIGKILL never closes the
    # pool, so the worker ends with it instead (and with the workers, the resource tracker ends).
    die_with_parent(parent)

    # The workers fill whatever the writing leaves of the cores: with a lower priority than the kg
    # process and the store, batches are written as they come instead of piling up behind
    # extraction and being written after it, on one core.
    if hasattr(os, "nice"):  # not on Windows
        os.nice(10)

    _worker_extractor = Extractor(datasets, methods)
    gc.freeze()  # spaCy's vocabulary and the gazetteers live as long as the worker: never walk them again


@collector_paused()
def _read_one(path: str | Path, name: str | None, annotate: Callable[[ParsedListing], None] | None,
              share: tuple[int, int] = (0, 1)) -> FileRecords:
    """One file read (and, with ``annotate``, extracted): a file's work makes no reference cycles,
    and with the collector on, its walks over spaCy's and kg's growing tables took a tenth of a
    worker's time and a fifth of an extraction in one process.

    ``share``: (k, n), only the k-th of n runs of its papers; the first run also has the listing and
    what parsing found, so the n answers joined in order (``_joined``) are the whole file's."""
    parsed = read_listing(path, name)
    k, n = share
    if n > 1:
        papers = parsed.papers[len(parsed.papers) * k // n:len(parsed.papers) * (k + 1) // n]
        parsed = ParsedListing(parsed.file, parsed.layout, parsed.listing if k == 0 else None, papers,
                               parsed.problems if k == 0 else [])
    if annotate is not None and parsed.papers:
        annotate(parsed)
    return file_records(parsed)


def _read_and_extract(path: str | Path, name: str | None, share: tuple[int, int] = (0, 1)) -> FileRecords:
    """One file, or a share of its papers, in a worker."""
    return _read_one(path, name, _worker_extractor.annotate_listing, share)


def _joined(shares: list[FileRecords]) -> FileRecords:
    """A file's shares of papers, extracted apart, as one file's records."""
    first = shares[0]
    return FileRecords(first.file, first.layout, sum(s.papers for s in shares),
                       [p for s in shares for p in s.problems], [r for s in shares for r in s.records])


def _shares(path: str | Path, jobs: int) -> int:
    """Into how many runs of papers a file is cut for ``jobs`` workers (see ``SPLIT_BYTES``)."""
    import os

    try:
        return jobs if str(path) != "-" and os.stat(path).st_size >= SPLIT_BYTES else 1
    except OSError:
        return 1  # read_listing says why


def read_files(paths: Iterable[str | Path], annotate: Callable[[ParsedListing], None] | None = None,
               parallel: Parallel | None = None, names: Mapping[str, str] | None = None) -> Iterator[FileRecords]:
    """Each listing file parsed (and, with ``annotate`` or ``parallel``, extracted), in order;
    ``names``: path -> the listing's name (``kg.parse.listing_names``)."""
    names = names or {}
    if parallel is None or parallel.jobs <= 1:
        for path in paths:
            yield _read_one(path, names.get(str(path)), annotate)
        return
    import multiprocessing
    import os
    from concurrent.futures import Future, ProcessPoolExecutor

    # fork would copy a parent that may hold threads (rich's progress bar); spawn starts clean
    with ProcessPoolExecutor(parallel.jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker,
                             initargs=(parallel.datasets, parallel.methods, os.getpid())) as pool:
        # a bounded window of files in flight: when the consumer (a load) is slower than the
        # workers, finished files wait here a few at a time, not the whole corpus
        window: deque[list[Future[FileRecords]]] = deque()
        jobs = parallel.jobs

        def submit(path: str | Path) -> None:
            n = _shares(path, jobs)
            window.append([pool.submit(_read_and_extract, path, names.get(str(path)), (k, n)) for k in range(n)])

        todo = iter(paths)
        for path in islice(todo, parallel.jobs * FILES_AHEAD):
            submit(path)
        while window:
            shares = [future.result() for future in window.popleft()]
            for path in islice(todo, 1):
                submit(path)
            yield shares[0] if len(shares) == 1 else _joined(shares)


def extract_files(
    paths: Iterable[str | Path],
    out: IO[str] | None,
    *,
    parallel: Parallel | None = None,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    rejects: IO[str] | None = None,
    annotate: Callable[[ParsedListing], None] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    on_file: Callable[[FileRecords], None] | None = None,
    names: Mapping[str, str] | None = None,
) -> Summary:
    """Parse (and, with ``annotate``, extract) listing files into JSON lines on ``out``.

    Args:
        paths: listing files, already expanded (see ``kg.parse.iter_listing_paths``).
        out: where the records go, one JSON object per line (None: nowhere).
        on_record: called with every record, as a dict.
        rejects: where rejected blocks go, one JSON object per line (file, line, reason, text).
        annotate: fills each paper's methods and datasets in place (the extract stage).
        parallel: extract in worker processes instead (``annotate`` is then not used).
        on_problem: called for every problem, e.g. to print it.
        on_file: called after each file, e.g. to advance a progress bar.
        names: path -> the listing's name; by default ``kg.parse.listing_names`` of ``paths``.

    Returns:
        The run's summary.
    """
    summary = Summary()
    paths = list(paths)
    if names is None:
        names = listing_names(paths)
    for read in read_files(paths, annotate, parallel, names):
        summary.add(read)
        for record in read.records:
            if out is not None:
                out.write(dumps(record) + "\n")
            if on_record is not None:
                on_record(record)
        for problem in read.problems:
            if on_problem is not None:
                on_problem(problem)
            if rejects is not None and problem.severity == "rejected":
                rejects.write(dumps(problem.to_json()) + "\n")
        if on_file is not None:
            on_file(read)
    return summary



def read_records(path: str | Path) -> list[dict[str, Any]]:
    """The records of a ``kg extract`` output file (``-`` for standard input).

    Raises:
        InputError: the file cannot be read, or a line is not a JSON object (file and line named).
    """
    import sys

    try:
        fh = sys.stdin if str(path) == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as e:
        raise InputError(f"{path}: cannot read records: {e.strerror or e}") from e
    records = []
    with fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"{path}:{number}: not a JSON record: {e.msg}") from e
            if not isinstance(record, dict) or "type" not in record:
                raise InputError(f"{path}:{number}: not a kg record (no \"type\")")
            records.append(record)
    return records
